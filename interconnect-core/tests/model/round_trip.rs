//! Property tests: canonical forms survive Display -> parse and `serde_json`, and no parser panics.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use interconnect_core::e164::COUNTRY_CALLING_CODES;
use interconnect_core::{
    AclEntry, CallerId, CodecPolicy, E164, Gateway, Host, IpAcl, ResourceName, Sbc,
};
use ipnet::IpNet;
use proptest::prelude::*;

/// A valid E.164 number: an assigned country code followed by a national number of a length its
/// plan allows.
fn e164_strategy() -> impl Strategy<Value = String> {
    (0..COUNTRY_CALLING_CODES.len()).prop_flat_map(|i| {
        let cc = COUNTRY_CALLING_CODES[i];
        let code = cc.code().to_string();
        let (min, max) = (cc.min_national_len(), cc.max_national_len());
        proptest::string::string_regex(&format!("[0-9]{{{min},{max}}}"))
            .expect("valid regex")
            .prop_map(move |rest| format!("+{code}{rest}"))
    })
}

/// A valid ACL entry under the default policy: IPv4 /16-/32 or IPv6 /48-/128, host bits cleared.
fn acl_strategy() -> impl Strategy<Value = IpNet> {
    prop_oneof![
        (any::<u32>(), 16u8..=32).prop_map(|(bits, len)| {
            IpNet::new(IpAddr::V4(Ipv4Addr::from(bits)), len)
                .expect("prefix in range")
                .trunc()
        }),
        (any::<u128>(), 48u8..=128).prop_map(|(bits, len)| {
            IpNet::new(IpAddr::V6(Ipv6Addr::from(bits)), len)
                .expect("prefix in range")
                .trunc()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn e164_round_trips(s in e164_strategy()) {
        let n: E164 = s.parse().unwrap();
        prop_assert_eq!(n.to_string(), s.clone());
        prop_assert_eq!(n.to_string().parse::<E164>().unwrap(), n.clone());
        let json = serde_json::to_string(&n).unwrap();
        prop_assert_eq!(&json, &format!("\"{s}\""));
        prop_assert_eq!(serde_json::from_str::<E164>(&json).unwrap(), n.clone());
        prop_assert_eq!(format!("+{}", n.digits()), s.clone());
        let cc = n.country_calling_code();
        prop_assert!(n.digits().starts_with(&cc.code().to_string()));
    }

    #[test]
    fn e164_lenient_ignores_separators(s in e164_strategy(), seps in proptest::collection::vec(prop::sample::select(vec![" ", "-", ".", "(", ")", "\t"]), 16)) {
        let mut pasted = String::from(" ");
        for (i, c) in s.chars().enumerate() {
            pasted.push(c);
            pasted.push_str(seps[i % seps.len()]);
        }
        let n = E164::parse_lenient(&pasted).unwrap();
        prop_assert_eq!(n.to_string(), s);
    }

    #[test]
    fn acl_entry_round_trips(net in acl_strategy()) {
        let text = net.to_string();
        let e: AclEntry = text.parse().unwrap();
        prop_assert_eq!(e.net(), net);
        let shown = e.to_string();
        if e.is_host() {
            prop_assert_eq!(shown.clone(), net.addr().to_string());
        } else {
            prop_assert_eq!(shown.clone(), text);
        }
        prop_assert_eq!(shown.parse::<AclEntry>().unwrap(), e);
        let json = serde_json::to_string(&e).unwrap();
        prop_assert_eq!(serde_json::from_str::<AclEntry>(&json).unwrap(), e);
        prop_assert!(e.contains(net.network()));
    }

    #[test]
    fn ip_acl_round_trips_when_disjoint(nets in proptest::collection::btree_set(acl_strategy(), 1..8)) {
        let entries: Vec<AclEntry> = nets.iter().map(|n| AclEntry::from_net(*n).unwrap()).collect();
        if let Ok(acl) = IpAcl::new(entries.clone()) {
            prop_assert_eq!(acl.to_string().parse::<IpAcl>().unwrap(), acl.clone());
            let json = serde_json::to_string(&acl).unwrap();
            prop_assert_eq!(serde_json::from_str::<IpAcl>(&json).unwrap(), acl.clone());
            for e in &entries {
                prop_assert!(acl.contains(e.net().network()));
            }
        } else {
            // Rejected only when two entries really overlap.
            let overlap = entries.iter().enumerate().any(|(i, a)| entries.iter().skip(i + 1).any(|b| a.overlaps(b)));
            prop_assert!(overlap);
        }
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = s.parse::<E164>();
        let _ = E164::parse_lenient(&s);
        let _ = s.parse::<AclEntry>();
        let _ = s.parse::<IpAcl>();
        let _ = s.parse::<Host>();
        let _ = s.parse::<Gateway>();
        let _ = s.parse::<CodecPolicy>();
        let _ = s.parse::<CallerId>();
        let _ = s.parse::<Sbc>();
        let _ = s.parse::<ResourceName>();
    }

    #[test]
    fn resource_names_parse_back_for_any_tenant(tenant in "([a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\\.){0,3}[a-z]([a-z0-9-]{0,20}[a-z0-9])?") {
        let tenant: wehostvoip_client::TenantDomain = tenant.parse().unwrap();
        for sbc in Sbc::presets() {
            let n = ResourceName::new(&tenant, sbc, interconnect_core::naming::ResourceRole::Carrier);
            let s = n.to_string();
            prop_assert!(s.len() <= 49);
            prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'));
            prop_assert_eq!(s.parse::<ResourceName>().unwrap(), n.clone());
            prop_assert!(n.is_for(&tenant, sbc));
        }
    }
}

/// Every parsed type serializes as its Display string and deserializes through the same parser.
#[test]
fn every_type_serializes_as_its_display_string() {
    fn check<T>(text: &str)
    where
        T: std::str::FromStr
            + std::fmt::Display
            + serde::Serialize
            + serde::de::DeserializeOwned
            + PartialEq
            + std::fmt::Debug,
        T::Err: std::fmt::Debug,
    {
        let value: T = text.parse().unwrap();
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, serde_json::to_string(&value.to_string()).unwrap());
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value, "{text}");
        assert_eq!(value.to_string().parse::<T>().unwrap(), value, "{text}");
    }
    check::<E164>("+15105550100");
    check::<interconnect_core::Country>("BR");
    check::<AclEntry>("18.214.109.128/25");
    check::<IpAcl>("172.174.24.204, 18.214.109.128/25");
    check::<Host>("sbc-us.wehostvoip.io");
    check::<Host>("2001:db8::1");
    check::<Gateway>("21784177241578.zt.plivo.com:5061;transport=tls;role=outbound");
    check::<interconnect_core::GatewayAddress>("2001:db8::/48");
    check::<interconnect_core::Transport>("tcp");
    check::<interconnect_core::Role>("inbound");
    check::<interconnect_core::Codec>("telephone-event");
    check::<interconnect_core::Dtmf>("inband");
    check::<CodecPolicy>("PCMA,PCMU;required=PCMU;dtmf=none;ptime=30");
    check::<CallerId>("\"Acme\" <+5511987654321>");
    check::<Sbc>("in");
    check::<Sbc>("acme1=sbc.acme.example@198.51.100.7");
    check::<interconnect_core::InboundAuth>("published-ranges");
    check::<ResourceName>("whv-acme-corp_e67e1d4042-us-carrier");
    check::<interconnect_core::naming::ResourceRole>("acl");

    // Deserialization rejects what the parser rejects, with the parser's message.
    let err = serde_json::from_str::<E164>("\"+0123\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("must be 1-9"), "{err}");
    let err = serde_json::from_str::<AclEntry>("\"0.0.0.0/0\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("matches every address"), "{err}");
}
