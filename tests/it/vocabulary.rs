//! One vocabulary: what `Interconnect::builder()...build()` accepts as a number is exactly what
//! the call-path policy (`call_policy()`, `sip_rules::Numbers`) and the WeHostVoIP client accept.

use interconnect_core::E164;
use interconnect_core::e164::COUNTRY_CALLING_CODES;
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{Interconnect, Sbc};
use plivo_client::PlivoClient;
use proptest::prelude::*;
use wehostvoip_client::InMemory;

use crate::common::{EXTENSION, TENANT, world};

/// A client that is never used: `build()` does no I/O.
fn offline_client() -> PlivoClient {
    PlivoClient::builder()
        .auth_id("MAXXXXXXXXXXXXXXXXXX")
        .auth_token("token")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client")
}

/// Whether `build()` takes `raw` as a routed number, and if so whether `call_policy()` holds it
/// in a `sip-rules` policy that matches it.
fn build_and_policy(raw: &str) -> (bool, bool) {
    let Ok(number) = raw.parse::<E164>() else {
        return (false, false);
    };
    let built = Interconnect::builder()
        .plivo(offline_client())
        .wehostvoip(Box::new(InMemory::new(world())))
        .resolver(StaticResolver::shared_sbcs())
        .sbc(Sbc::preset("us").expect("us preset").clone())
        .tenant(TENANT)
        .caller_id("+14155550123".parse().expect("caller id"))
        .number(number, EXTENSION)
        .country("US")
        .build();
    let Ok(interconnect) = built else {
        return (false, false);
    };
    let call_policy = interconnect.call_policy();
    let in_policy = call_policy
        .policy()
        .numbers()
        .is_some_and(|n| n.contains(raw));
    (true, in_policy)
}

/// Strings near and far from E.164: random digit runs with and without `+`, and every
/// assigned country code with a national part of any length from 0 to 15.
fn candidates() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\+?[0-9]{0,17}",
        "[+0-9 ()a-]{0,18}",
        (0..COUNTRY_CALLING_CODES.len(), "[0-9]{0,15}").prop_map(|(i, national)| {
            format!("+{}{national}", COUNTRY_CALLING_CODES[i].code())
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// `build()` accepts a number exactly when the call path's rule does, and every number it
    /// accepts is in the policy `call_policy()` derives, with no failure between the two.
    #[test]
    fn build_and_call_policy_accept_the_same_numbers(raw in candidates()) {
        let (built, in_policy) = build_and_policy(&raw);
        let rule = sip_rules::e164::is_e164(raw.as_bytes());
        prop_assert_eq!(built, rule, "build() and the rule disagree on {:?}", raw);
        prop_assert_eq!(in_policy, rule, "call_policy() and the rule disagree on {:?}", raw);
        prop_assert_eq!(sip_rules::Numbers::new(&[raw.as_str()]).is_ok(), rule, "{:?}", raw);
        prop_assert_eq!(raw.parse::<wehostvoip_client::E164>().is_ok(), rule, "{:?}", raw);
    }
}

/// The cases the old four rules disagreed on.
#[test]
fn short_codes_and_wrong_lengths_are_refused_everywhere() {
    for raw in [
        "+12345",
        "+1415555012",
        "+141555501234",
        "+8005550100",
        "+2101234567",
    ] {
        assert_eq!(build_and_policy(raw), (false, false), "{raw}");
        assert!(sip_rules::Numbers::new(&[raw]).is_err(), "{raw}");
        assert!(raw.parse::<wehostvoip_client::E164>().is_err(), "{raw}");
    }
    assert_eq!(build_and_policy("+14155550100"), (true, true));
}

/// Every ACL entry (Plivo's 14 blocks, host entries, IPv6 networks) is the same block as
/// `ipnet::IpNet` and as `sip_rules::Cidr`: address, prefix, text and membership agree, and
/// parsing the call-path form back gives the same entry.
#[test]
fn acl_entries_round_trip_between_ipnet_and_cidr() {
    use interconnect_core::AclEntry;
    use interconnect_core::presets::PLIVO;
    let mut entries: Vec<AclEntry> = PLIVO.cidrs().collect();
    for extra in [
        "192.0.2.7",
        "2001:db8::/48",
        "2001:db8::1",
        "203.0.113.0/24",
    ] {
        entries.push(extra.parse().expect("a valid entry"));
    }
    for entry in entries {
        let net = entry.net();
        let cidr: sip_rules::Cidr = entry.into();
        assert_eq!((cidr.addr(), cidr.prefix()), (net.addr(), net.prefix_len()));
        assert_eq!(cidr.to_string(), net.to_string());
        assert_eq!(cidr.to_string().parse::<sip_rules::Cidr>(), Ok(cidr));
        let back = AclEntry::from_net(net).expect("no host bits");
        assert_eq!(back, entry);
        assert_eq!(back.cidr(), cidr);
        for probe in [net.network(), net.broadcast()] {
            assert_eq!(cidr.contains(probe), entry.contains(probe), "{probe}");
        }
    }
    assert!("18.214.109.129/25".parse::<AclEntry>().is_err());
    assert!("18.214.109.129/25".parse::<sip_rules::Cidr>().is_err());
}

/// Each codec of the provisioning model is the call path's codec: one name, clock rate and
/// static payload type.
#[test]
fn each_codec_is_its_call_path_codec() {
    use interconnect_core::Codec;
    for codec in Codec::ALL {
        let rule = codec.rule();
        assert_eq!(sip_rules::Codec::from(codec), rule);
        assert_eq!(codec.name(), rule.name());
        assert_eq!(codec.clock_rate(), rule.clock_rate());
        assert_eq!(codec.static_payload_type(), rule.static_payload_type());
        if let Some(pt) = rule.static_payload_type() {
            assert_eq!(sip_rules::Codec::from_static_payload_type(pt), Some(rule));
            assert!(sip_rules::codec::RFC3551_STATIC.contains(&rule));
        }
    }
}
