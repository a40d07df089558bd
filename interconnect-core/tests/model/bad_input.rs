//! Table-driven malformed input: every row must be rejected with the named error variant, never
//! a panic, and (where the error carries the input) the message must quote the rejected value.

use interconnect_core::error::{
    AclError, CallerIdError, CodecError, CountryError, E164Error, GatewayError, HostError,
    InboundAuthError, NameError, SbcError,
};
use interconnect_core::naming::ResourceRole;
use interconnect_core::{
    AclEntry, CallerId, Codec, CodecPolicy, Dtmf, E164, Gateway, GatewayAddress, Host, InboundAuth,
    IpAcl, ResourceName, Sbc,
};

/// Runs each `input => pattern` row through `parse`, checks the variant and, when `quotes_input`,
/// that the message quotes the input. Returns the number of distinct rows.
macro_rules! reject {
    ($parse:expr, quotes_input = $quotes:expr, [$($input:expr => $pat:pat),* $(,)?]) => {{
        let mut seen = std::collections::HashSet::new();
        $(
            let input: String = String::from($input);
            let result = $parse(input.as_str());
            assert!(
                matches!(&result, Err($pat)),
                "{input:?}: expected {}, got {result:?}",
                stringify!($pat)
            );
            if let Err(e) = &result {
                let msg = e.to_string();
                assert!(!msg.is_empty());
                if $quotes {
                    assert!(msg.contains(&format!("{input:?}")), "{msg} does not quote {input:?}");
                }
            }
            assert!(seen.insert(input.clone()), "duplicate row {input:?}");
        )*
        seen.len()
    }};
}

fn e164(s: &str) -> Result<E164, E164Error> {
    s.parse()
}

fn e164_lenient(s: &str) -> Result<E164, E164Error> {
    E164::parse_lenient(s)
}

fn e164_rows() -> usize {
    let strict = reject!(e164, quotes_input = true, [
        "" => E164Error::Empty { .. },
        "15105550100" => E164Error::MissingPlus { .. },
        " +15105550100" => E164Error::MissingPlus { .. },
        "+15105550100 " => E164Error::InvalidCharacter { found: ' ', .. },
        "+" => E164Error::NoDigits { .. },
        "+1 510 555 0100" => E164Error::InvalidCharacter { found: ' ', .. },
        "+1-510-555-0100" => E164Error::InvalidCharacter { found: '-', .. },
        "+1(510)5550100" => E164Error::InvalidCharacter { found: '(', .. },
        "++15105550100" => E164Error::InvalidCharacter { found: '+', .. },
        "+1510555010O" => E164Error::InvalidCharacter { found: 'O', .. },
        "+\u{661}\u{662}\u{663}" => E164Error::InvalidCharacter { .. },
        "+0123" => E164Error::LeadingZero { .. },
        "+0" => E164Error::LeadingZero { .. },
        "+1234567890123456" => E164Error::TooLong { digits: 16, .. },
        "+44207946000000000" => E164Error::TooLong { digits: 17, .. },
        "+2101234567" => E164Error::UnassignedCountryCode { .. },
        "+2801234567" => E164Error::UnassignedCountryCode { .. },
        "+9991234567" => E164Error::UnassignedCountryCode { .. },
        "+6841234567" => E164Error::UnassignedCountryCode { .. },
    ]);
    let lenient = reject!(e164_lenient, quotes_input = true, [
        "   " => E164Error::Empty { .. },
        "1 (510) 555-0100" => E164Error::MissingPlus { .. },
        "+1 510 555 0100 ext 12" => E164Error::InvalidCharacter { found: 'e', .. },
        "+1/510/5550100" => E164Error::InvalidCharacter { found: '/', .. },
        "+ (0) 20 7946 0000" => E164Error::LeadingZero { .. },
    ]);
    strict + lenient
}

fn country(s: &str) -> Result<interconnect_core::Country, CountryError> {
    s.parse()
}

fn country_rows() -> usize {
    reject!(country, quotes_input = true, [
        "ZZ" => CountryError::Unknown { .. },
        "USA" => CountryError::Unknown { .. },
        "U" => CountryError::Unknown { .. },
        " US" => CountryError::Unknown { .. },
        "UK" => CountryError::Unknown { .. },
    ])
}

fn acl_entry(s: &str) -> Result<AclEntry, AclError> {
    s.parse()
}

fn ip_acl(s: &str) -> Result<IpAcl, AclError> {
    s.parse()
}

fn acl_rows() -> usize {
    let entries = reject!(acl_entry, quotes_input = true, [
        "" => AclError::Empty { .. },
        "10.0.0" => AclError::Syntax { .. },
        "256.1.1.1" => AclError::Syntax { .. },
        "10.0.0.1/33" => AclError::Syntax { .. },
        "10.0.0.0/" => AclError::Syntax { .. },
        "10.0.0.0/024" => AclError::Syntax { .. },
        "10.0.0.0/-1" => AclError::Syntax { .. },
        " 10.0.0.1" => AclError::Syntax { .. },
        "010.0.0.1" => AclError::Syntax { .. },
        "fe80::1%eth0" => AclError::Syntax { .. },
        "2001:db8::/129" => AclError::Syntax { .. },
        "sbc-us.wehostvoip.io" => AclError::Syntax { .. },
        "10.0.0.1/24" => AclError::HostBitsSet { .. },
        "18.214.109.129/25" => AclError::HostBitsSet { .. },
        "2001:db8::1/64" => AclError::HostBitsSet { .. },
        "0.0.0.0/0" => AclError::MatchesEverything { .. },
        "::/0" => AclError::MatchesEverything { .. },
        "10.0.0.0/8" => AclError::TooWide { prefix_len: 8, limit: 16, .. },
        "2001:db8::/32" => AclError::TooWide { prefix_len: 32, limit: 48, .. },
    ]);
    let lists = reject!(ip_acl, quotes_input = false, [
        "" => AclError::EmptyList { .. },
        "1.2.3.4,," => AclError::Empty { .. },
        "1.2.3.4, 1.2.3.4" => AclError::Duplicate { .. },
        "1.2.3.4/32,1.2.3.4" => AclError::Duplicate { .. },
        "18.214.109.128/25, 18.214.109.129" => AclError::Overlap { .. },
        "10.1.0.0/16, 10.1.2.0/24" => AclError::Overlap { .. },
    ]);
    entries + lists
}

fn host(s: &str) -> Result<Host, HostError> {
    s.parse()
}

fn host_rows() -> usize {
    let long_label = format!("{}.com", "a".repeat(64));
    let long_name = format!("{}com", format!("{}.", "a".repeat(62)).repeat(4));
    reject!(host, quotes_input = true, [
        "" => HostError::Empty { .. },
        "localhost" => HostError::NotFullyQualified { .. },
        "sbc..example.com" => HostError::EmptyLabel { .. },
        ".example.com" => HostError::EmptyLabel { .. },
        "example.com.." => HostError::EmptyLabel { .. },
        "-sbc.example.com" => HostError::HyphenAtLabelEdge { .. },
        "sbc-.example.com" => HostError::HyphenAtLabelEdge { .. },
        "sbc_us.example.com" => HostError::InvalidCharacter { found: '_', .. },
        "sbc us.example.com" => HostError::InvalidCharacter { found: ' ', .. },
        "bücher.example" => HostError::InvalidCharacter { found: 'ü', .. },
        "sbc.example.com:5060" => HostError::InvalidCharacter { found: ':', .. },
        long_label.as_str() => HostError::LabelTooLong { .. },
        long_name.as_str() => HostError::TooLong { len: 255, .. },
        "1.2.3.999" => HostError::NumericTopLevel { .. },
        "[::1" => HostError::BadIpv6Literal { .. },
        "[1.2.3.4]" => HostError::BadIpv6Literal { .. },
    ])
}

fn gateway(s: &str) -> Result<Gateway, GatewayError> {
    s.parse()
}

fn gateway_rows() -> usize {
    reject!(gateway, quotes_input = true, [
        "sbc.example.com:0" => GatewayError::Port { .. },
        "sbc.example.com:65536" => GatewayError::Port { .. },
        "sbc.example.com:50a" => GatewayError::Port { .. },
        "sbc.example.com:05060" => GatewayError::Port { .. },
        "sbc.example.com:" => GatewayError::Port { .. },
        "sbc.example.com;transport=sctp" => GatewayError::Transport { .. },
        "sbc.example.com;role=sideways" => GatewayError::Role { .. },
        "sbc.example.com;foo=bar" => GatewayError::Parameter { .. },
        "sbc.example.com;transport" => GatewayError::Parameter { .. },
        "1.2.3.4;role=inbound;role=inbound" => GatewayError::Parameter { .. },
        "sip.example.com;role=inbound" => GatewayError::InboundFqdn { .. },
        "sip.example.com;role=both" => GatewayError::InboundFqdn { .. },
        "10.0.0.0/24;role=outbound" => GatewayError::OutboundNetwork { .. },
        "10.0.0.0/24" => GatewayError::OutboundNetwork { .. },
        "10.0.0.1/24;role=inbound" => GatewayError::Network { source: AclError::HostBitsSet { .. }, .. },
        "0.0.0.0/0;role=inbound" => GatewayError::Network { source: AclError::MatchesEverything { .. }, .. },
        "bad_host.example.com" => GatewayError::Address { source: HostError::InvalidCharacter { .. }, .. },
        "[::1:5060" => GatewayError::Address { source: HostError::BadIpv6Literal { .. }, .. },
        "[::1]5060" => GatewayError::Address { source: HostError::BadIpv6Literal { .. }, .. },
        "" => GatewayError::Address { source: HostError::Empty { .. }, .. },
    ])
}

fn gateway_address(s: &str) -> Result<GatewayAddress, GatewayError> {
    s.parse()
}

fn gateway_address_rows() -> usize {
    reject!(gateway_address, quotes_input = true, [
        "10.0.0.1/24" => GatewayError::Network { source: AclError::HostBitsSet { .. }, .. },
        "[2001:db8::1/64]" => GatewayError::Network { source: AclError::HostBitsSet { .. }, .. },
        "sbc.example.com:5060" => GatewayError::Address { source: HostError::InvalidCharacter { found: ':', .. }, .. },
    ])
}

fn dtmf(s: &str) -> Result<Dtmf, CodecError> {
    s.parse()
}

fn role(s: &str) -> Result<ResourceRole, NameError> {
    s.parse()
}

fn enum_rows() -> usize {
    let d = reject!(dtmf, quotes_input = true, [
        "info" => CodecError::Dtmf { .. },
        "2833" => CodecError::Dtmf { .. },
    ]);
    let r = reject!(role, quotes_input = true, [
        "trunk" => NameError::UnknownRole { .. },
        "ACL" => NameError::UnknownRole { .. },
    ]);
    d + r
}

fn codec(s: &str) -> Result<Codec, CodecError> {
    s.parse()
}

fn codec_policy(s: &str) -> Result<CodecPolicy, CodecError> {
    s.parse()
}

fn codec_rows() -> usize {
    let codecs = reject!(codec, quotes_input = true, [
        "PCMX" => CodecError::Unknown { .. },
        "G.711" => CodecError::Unknown { .. },
        "telephone_event" => CodecError::Unknown { .. },
    ]);
    let policies = reject!(codec_policy, quotes_input = false, [
        "" => CodecError::NoCodecs { .. },
        "PCMU,AMR" => CodecError::Unknown { .. },
        "PCMU,PCMU" => CodecError::DuplicateCodec { codec: Codec::Pcmu, .. },
        "PCMU,pcma,PCMA" => CodecError::DuplicateCodec { codec: Codec::Pcma, .. },
        "PCMU,telephone-event" => CodecError::NotAudio { .. },
        "PCMU;required=PCMA" => CodecError::RequiredNotAllowed { codec: Codec::Pcma, .. },
        "PCMU;dtmf=info" => CodecError::Dtmf { .. },
        "PCMU;ptime=25" => CodecError::Ptime { .. },
        "PCMU;ptime=0" => CodecError::Ptime { .. },
        "PCMU;ptime" => CodecError::Syntax { .. },
        "PCMU;vad=on" => CodecError::Syntax { .. },
        "PCMU;ptime=20;ptime=20" => CodecError::Syntax { .. },
    ]);
    codecs + policies
}

fn caller_id(s: &str) -> Result<CallerId, CallerIdError> {
    s.parse()
}

fn caller_id_rows() -> usize {
    let long = format!("\"{}\" <+15105550100>", "x".repeat(33));
    reject!(caller_id, quotes_input = true, [
        "" => CallerIdError::Number { source: E164Error::Empty { .. }, .. },
        "15105550100" => CallerIdError::Number { source: E164Error::MissingPlus { .. }, .. },
        "\"Acme\" <15105550100>" => CallerIdError::Number { source: E164Error::MissingPlus { .. }, .. },
        "\"Acme\" <+0105550100>" => CallerIdError::Number { source: E164Error::LeadingZero { .. }, .. },
        "\"\" <+15105550100>" => CallerIdError::EmptyDisplayName { .. },
        "\"   \" <+15105550100>" => CallerIdError::EmptyDisplayName { .. },
        "\"Acme\u{0}\" <+15105550100>" => CallerIdError::ControlCharacter { found: '\0', .. },
        "\"Acme\tSupport\" <+15105550100>" => CallerIdError::ControlCharacter { found: '\t', .. },
        "\"A<b\" <+15105550100>" => CallerIdError::ForbiddenCharacter { found: '<', .. },
        "\"A\\b\" <+15105550100>" => CallerIdError::ForbiddenCharacter { found: '\\', .. },
        long.as_str() => CallerIdError::DisplayNameTooLong { len: 33, max: 32, .. },
        "\"Acme <+15105550100>" => CallerIdError::Syntax { .. },
        "\"Acme\"<+15105550100>" => CallerIdError::Syntax { .. },
        "\"Acme\" <+15105550100" => CallerIdError::Syntax { .. },
        "\" Acme\" <+15105550100>" => CallerIdError::Syntax { .. },
    ])
}

fn sbc(s: &str) -> Result<Sbc, SbcError> {
    s.parse()
}

fn inbound_auth(s: &str) -> Result<InboundAuth, InboundAuthError> {
    s.parse()
}

fn sbc_and_policy_rows() -> usize {
    let sbcs = reject!(sbc, quotes_input = false, [
        "eu" => SbcError::Unknown { .. },
        "" => SbcError::Unknown { .. },
        "sbc-eu.wehostvoip.io" => SbcError::Unknown { .. },
        "x=bad_host" => SbcError::Unknown { .. },
        "x=sbc.example.com@999.1.1.1" => SbcError::Unknown { .. },
        "ACME=sbc.example.com" => SbcError::Label { .. },
        "toolonglabel=sbc.example.com" => SbcError::Label { .. },
        "=sbc.example.com" => SbcError::Label { .. },
    ]);
    let policies = reject!(inbound_auth, quotes_input = true, [
        "" => InboundAuthError::Unknown { .. },
        "seed" => InboundAuthError::Unknown { .. },
        "Published-Ranges" => InboundAuthError::Unknown { .. },
    ]);
    sbcs + policies
}

fn resource_name(s: &str) -> Result<ResourceName, NameError> {
    s.parse()
}

fn naming_rows() -> usize {
    let too_long = format!("whv-{}-us-acl", "a".repeat(70));
    reject!(resource_name, quotes_input = true, [
        "acme-us-outbound" => NameError::ForeignName { .. },
        "WHV-acme-us-acl" => NameError::ForeignName { .. },
        "whv-acme-us-trunk" => NameError::UnknownRole { .. },
        "whv-acme-us-" => NameError::UnknownRole { .. },
        "whv-acme-acl" => NameError::Syntax { .. },
        "whv-Acme-us-acl" => NameError::Syntax { .. },
        "whv-acme-US-acl" => NameError::Syntax { .. },
        "whv-acme_12345-us-acl" => NameError::Syntax { .. },
        "whv-acme_ABCDEF1234-us-acl" => NameError::Syntax { .. },
        "whv-acme--corp-us-acl" => NameError::Syntax { .. },
        too_long.as_str() => NameError::TooLong { max: 64, .. },
    ])
}

#[test]
fn at_least_sixty_distinct_malformed_values_are_rejected_with_the_right_error() {
    let counts = [
        ("E164", e164_rows()),
        ("Country", country_rows()),
        ("AclEntry/IpAcl", acl_rows()),
        ("Host", host_rows()),
        ("Gateway", gateway_rows()),
        ("GatewayAddress", gateway_address_rows()),
        ("Dtmf/ResourceRole", enum_rows()),
        ("Codec/CodecPolicy", codec_rows()),
        ("CallerId", caller_id_rows()),
        ("Sbc/InboundAuth", sbc_and_policy_rows()),
        ("ResourceName/tenant", naming_rows()),
    ];
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    println!("{total} malformed values: {counts:?}");
    assert!(total >= 60, "only {total} rows: {counts:?}");
}

#[test]
fn host_bits_error_names_the_network_that_was_meant() {
    match "18.214.109.129/25".parse::<AclEntry>() {
        Err(AclError::HostBitsSet { network, .. }) => {
            assert_eq!(network.to_string(), "18.214.109.128/25");
        }
        other => panic!("{other:?}"),
    }
    let msg = "10.0.0.1/24".parse::<AclEntry>().unwrap_err().to_string();
    assert!(msg.contains("did you mean 10.0.0.0/24"), "{msg}");
}

#[test]
fn carrier_checks_report_empty_intersection_and_missing_required_codec() {
    let policy = CodecPolicy::default();
    assert!(matches!(
        policy.check_against(&[]),
        Err(CodecError::NoCommonCodec { .. })
    ));
    assert!(matches!(
        policy.check_against(&[Codec::G729, Codec::Opus]),
        Err(CodecError::NoCommonCodec { .. })
    ));
    assert!(matches!(
        policy.check_against(&[Codec::Pcma]),
        Err(CodecError::RequiredUnsupported {
            codec: Codec::Pcmu,
            ..
        })
    ));
    let msg = policy
        .check_against(&[Codec::Opus])
        .unwrap_err()
        .to_string();
    assert_eq!(
        msg,
        "no common codec: the policy allows PCMU, PCMA but the carrier supports opus"
    );
}

#[test]
fn wide_ranges_need_an_explicit_policy() {
    use interconnect_core::AclPolicy;
    assert!(AclPolicy::default().parse("10.0.0.0/8").is_err());
    assert!(
        AclPolicy::default()
            .with_min_prefix_v4(8)
            .parse("10.0.0.0/8")
            .is_ok()
    );
    assert!(
        AclPolicy::default()
            .with_min_prefix_v4(0)
            .parse("0.0.0.0/0")
            .is_err()
    );
    assert!(AclPolicy::allow_any().parse("::/0").is_ok());
    let acl = IpAcl::parse_with(
        "10.0.0.0/8, 192.168.0.0/16",
        &AclPolicy::default().with_min_prefix_v4(8),
    )
    .unwrap();
    assert_eq!(acl.len(), 2);
}

#[test]
fn errors_keep_their_cause_as_source() {
    use std::error::Error as _;
    let e = "\"Acme\" <+0105550100>".parse::<CallerId>().unwrap_err();
    let source = e.source().expect("a cause");
    assert!(source.to_string().contains("must be 1-9"));
    let e = "bad_host.example.com".parse::<Gateway>().unwrap_err();
    assert!(e.source().is_some());
    let any: interconnect_core::Error = e.into();
    assert!(any.to_string().contains("bad_host.example.com"));
}
