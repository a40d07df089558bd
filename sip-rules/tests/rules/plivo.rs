//! Plivo-shaped INVITEs: the accept path, each single fault, compact forms, folding, IPv6.

use sip_rules::{Acl, Cidr, Header, Numbers, Plus, Policy, Rule, Status, Transport};

use crate::{PLIVO_INVITE, run, status};

static PLIVO_ACL: [&str; 2] = ["18.214.109.128/25", "2600:1f18:63f7:b900::/56"];
static NUMBERS: [&str; 2] = ["+14155550100", "+14155550123"];

fn acl() -> Vec<Cidr> {
    PLIVO_ACL.iter().map(|c| c.parse().unwrap()).collect()
}

fn policy(acl: &[Cidr]) -> Policy<'_> {
    Policy::new(Acl::Cidrs(acl))
        .with_numbers(Numbers::new(&NUMBERS).unwrap())
        .require_e164_caller_id(true)
        .require_telephone_event(true)
}

fn text() -> String {
    String::from_utf8(PLIVO_INVITE.to_vec()).unwrap()
}

/// Replaces `from` (which must occur) with `to` and fixes Content-Length.
fn edit(from: &str, to: &str) -> Vec<u8> {
    let t = text();
    assert!(t.contains(from), "{from:?} not in the INVITE");
    fix_length(&t.replacen(from, to, 1))
}

fn fix_length(t: &str) -> Vec<u8> {
    let (head, body) = t.split_once("\r\n\r\n").unwrap();
    let head: Vec<String> = head
        .split("\r\n")
        .map(|l| {
            if l.starts_with("Content-Length:") {
                format!("Content-Length: {}", body.len())
            } else {
                l.to_owned()
            }
        })
        .collect();
    format!("{}\r\n\r\n{body}", head.join("\r\n")).into_bytes()
}

#[test]
fn plivo_invite_is_accepted_with_its_view() {
    let acl = acl();
    let p = policy(&acl);
    let Ok(Status::Complete(a)) = run(&p, PLIVO_INVITE) else {
        panic!("{:?}", run(&p, PLIVO_INVITE))
    };
    assert_eq!(a.method(), "INVITE");
    assert_eq!(a.number(), Some("+14155550123"));
    assert_eq!(a.from_number(), Some("+12025550199"));
    assert_eq!(a.pai_numbers().collect::<Vec<_>>(), ["+12025550199"]);
    assert_eq!(
        a.call_id(),
        "8d2f7e3a-41c6-4b7e-9a0f-5c1d2e3f4a5b@18.214.109.129"
    );
    assert_eq!(a.audio_address(), Some("18.214.109.140"));
    assert_eq!(a.audio_port(), Some(20000));
    let codecs: Vec<_> = a
        .codecs()
        .map(|c| (c.payload_type, c.encoding.unwrap(), c.clock_rate.unwrap()))
        .collect();
    assert_eq!(
        codecs,
        [
            (0, "PCMU", 8000),
            (8, "PCMA", 8000),
            (9, "G722", 8000),
            (101, "telephone-event", 8000)
        ]
    );
    assert!(a.audio().unwrap().telephone_event());
    assert_eq!(a.len(), PLIVO_INVITE.len());
    assert_eq!(a.header_count(), 13);
}

#[test]
fn each_single_fault_gets_its_status() {
    let acl = acl();
    let p = policy(&acl);
    let cases: &[(&str, &str, u16)] = &[
        ("SIP/2.0\r\nVia", "SIP/3.0\r\nVia", 505),
        ("INVITE sip:+1415", "INVITE  sip:+1415", 400),
        (
            "sbc.example.net:5060;user=phone SIP",
            "sbc.example.net:5060; user=phone SIP",
            400,
        ),
        ("INVITE sip:+14155550123", "INVITE <sip:+14155550123", 400),
        ("INVITE sip:", "INVITE mailto:", 416),
        (";branch=z9hG4bK-524287-1---f2d5b8a7c3e1d9f0", "", 400),
        (";tag=3a8f9c21", "", 400),
        ("Call-ID: 8d2f", "X-Call-ID: 8d2f", 400),
        ("Call-ID: 8d2f", "Call ID: 8d2f", 400),
        ("CSeq: 101 INVITE", "CSeq: one INVITE", 400),
        ("CSeq: 101 INVITE", "CSeq: 101 BYE", 400),
        ("CSeq: 101 INVITE", "CSeq: 2147483648 INVITE", 400),
        ("Max-Forwards: 69", "Max-Forwards 69", 400),
        ("Max-Forwards: 69", "Max-Forwards: 256", 400),
        ("Max-Forwards: 69\r\n", "", 400),
        ("Max-Forwards: 69", "Max-Forwards: 0", 483),
        (
            "To: <sip:+14155550123",
            "To: <sip:+14155550199>\r\nTo: <sip:+14155550123",
            400,
        ),
        (
            "From: \"+12025550199\" <sip:",
            "From: \"+12025550199\" sip:",
            400,
        ),
        (
            "From: \"+12025550199\" <sip",
            "From: \"+12025550199 <sip",
            400,
        ),
        ("INVITE sip:+14155550123@", "INVITE sip:alice@", 484),
        ("INVITE sip:+14155550123@", "INVITE sip:+0415555012@", 484),
        ("INVITE sip:+14155550123@", "INVITE sip:+14155550124@", 404),
        (
            "<sip:+12025550199@18.214.109.129;user=phone>;tag",
            "<sip:anonymous@anonymous.invalid>;tag",
            403,
        ),
        (
            "P-Asserted-Identity: <sip:+12025550199",
            "P-Asserted-Identity: <sip:caller",
            403,
        ),
        (
            "Content-Type: application/sdp",
            "Content-Type: text/plain",
            415,
        ),
        (
            "Content-Type: application/sdp",
            "Content-Type: application/sdp\r\nAccept: text/plain",
            406,
        ),
        (
            "m=audio 20000 RTP/AVP 0 8 9 101",
            "m=audio 20000 RTP/AVP 8 9 101",
            488,
        ),
        (
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n",
            "",
            400,
        ),
        (
            "m=audio 20000 RTP/AVP 0 8 9 101",
            "m=audio 20000 RTP/AVP 0 8 9",
            488,
        ),
        ("m=audio 20000", "m=audio 0", 488),
        ("m=audio 20000", "m=audio 70000", 400),
        ("m=audio 20000", "m=audio 2x000", 400),
        ("RTP/AVP 0 8 9 101", "RTP/AVP 0 8 9 101 abc", 400),
        ("c=IN IP4 18.214.109.140", "c=IN IP4 18.214.109.999", 400),
        ("c=IN IP4 18.214.109.140", "c=IN IP4", 400),
        ("c=IN IP4 18.214.109.140\r\n", "", 400),
        ("a=rtpmap:0 PCMU", "a=rtpmap:zero PCMU", 400),
        ("a=ptime:20", "a=ptime:twenty", 400),
        ("v=0\r\n", "", 400),
        ("s=PlivoSBC\r\n", "s=PlivoSBC\r\ngarbage\r\n", 400),
        (
            "o=PlivoSBC 1718123456 1718123457 IN IP4 18.214.109.129",
            "o=PlivoSBC 1718123456",
            400,
        ),
        ("t=0 0\r\n", "", 400),
        // RFC 3261 hostport in every URI the rules read, and the Via sent-by.
        ("sbc.example.net:5060;user=phone SIP", "host:abc SIP", 400),
        ("sbc.example.net:5060;user=phone SIP", "host:65536 SIP", 400),
        (
            "sbc.example.net:5060;user=phone SIP",
            "[2001:db8::10 SIP",
            400,
        ),
        (
            "sbc.example.net:5060;user=phone SIP",
            "bi$loxi.example.com SIP",
            400,
        ),
        (
            "sbc.example.net:5060;user=phone SIP",
            "2001:db8::10 SIP",
            400,
        ),
        (
            "sbc.example.net:5060;user=phone SIP",
            "[2001:db8::10] SIP",
            200,
        ),
        (
            "sbc.example.net:5060;user=phone SIP",
            "[2001:db8::10]:5070 SIP",
            200,
        ),
        (
            "sbc.example.net:5060;user=phone SIP",
            "sbc.example.net. SIP",
            200,
        ),
        ("sbc.example.net:5060;user=phone SIP", "a..b SIP", 400),
        (
            "To: <sip:+14155550123@sbc.example.net",
            "To: <sip:+14155550123@host:abc",
            400,
        ),
        (
            "To: <sip:+14155550123@sbc.example.net",
            "To: <sip:+14155550123@[2001:db8::10",
            400,
        ),
        (
            "To: <sip:+14155550123@sbc.example.net",
            "To: <sip:+14155550123@bi$loxi.example.com",
            400,
        ),
        (
            "To: <sip:+14155550123@sbc.example.net",
            "To: <sip:+14155550123@2001:db8::10",
            400,
        ),
        (
            "@18.214.109.129;user=phone>;tag",
            "@18.214.109.129:x;user=phone>;tag",
            400,
        ),
        (
            "P-Asserted-Identity: <sip:+12025550199@18",
            "P-Asserted-Identity: <sip:+12025550199@-18",
            400,
        ),
        ("UDP 18.214.109.129:5060;", "UDP host:abc;", 400),
        ("UDP 18.214.109.129:5060;", "UDP [2001:db8::9:1;", 400),
        ("UDP 18.214.109.129:5060;", "UDP [2001:db8::9:1]:5060;", 200),
        (
            "UDP 18.214.109.129:5060;",
            "UDP 18.214.109.129 : 5060;",
            200,
        ),
        ("UDP 18.214.109.129:5060;", "UDP 18.214.109.256:5060;", 400),
        // Contact: the remote target, one SIP or SIPS URI (RFC 3261 8.1.1.8, 20.10).
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;",
            "Contact: <sip:+12025550199@18.214.109.129:5060",
            400,
        ),
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;transport=udp>",
            "Contact: sip:+12025550199@18.214.109.129?x=y",
            400,
        ),
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;transport=udp>",
            "Contact: <sip:+12025550199@18.214.109.129?x=y>",
            200,
        ),
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;transport=udp>",
            "Contact: sip:+12025550199@18.214.109.129;transport=udp",
            200,
        ),
        ("Contact: <sip:", "Contact: <tel:", 400),
        ("Contact: <sip:", "Contact: <http:", 400),
        ("Contact: <sip:", "Contact: <sips:", 200),
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;transport=udp>",
            "Contact: *",
            400,
        ),
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;transport=udp>",
            "Contact: <sip:a@b>, <sip:c@d>",
            400,
        ),
        ("Contact: <sip:", "m: <sip:a@b>\r\nContact: <sip:", 400),
        (
            "Contact: <sip:",
            "Contact: <sip:+1@bad_host>\r\nX-Contact: <sip:",
            400,
        ),
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;transport=udp>\r\n",
            "",
            400,
        ),
        (
            "Contact: <sip:+12025550199@18.214.109.129:5060;transport=udp>",
            "m: <sip:+12025550199@18.214.109.129>",
            200,
        ),
        ("a=sendrecv\r\n", "a=sendrecv\r\na=rtpmap:10", 400),
    ];
    let mut wrong = Vec::new();
    for &(from, to, want) in cases {
        let msg = edit(from, to);
        let got = status(&p, &msg);
        if got != want {
            let why = run(&p, &msg)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            wrong.push(format!("{from:?} -> {to:?}: want {want}, got {got} {why}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn framing_faults() {
    let acl = acl();
    let p = policy(&acl);
    let t = text();
    // Content-Length larger than the body, negative, not a number.
    for cl in ["9999", "-1", "12a", ""] {
        let msg = t.replacen("Content-Length: 295", &format!("Content-Length: {cl}"), 1);
        assert_eq!(status(&p, msg.as_bytes()), 400, "Content-Length: {cl}");
    }
    // Truncated head.
    let cut = t.find("CSeq").unwrap();
    assert_eq!(status(&p, &PLIVO_INVITE[..cut]), 400);
    // Trailing octets after Content-Length are ignored on UDP.
    let mut extra = PLIVO_INVITE.to_vec();
    extra.extend_from_slice(b"INVITE garbage");
    assert_eq!(status(&p, &extra), 200);
    // Over TCP, a cut message is Partial, and the complete one is accepted.
    let tcp = p.with_transport(Transport::Stream);
    for n in [10, cut, PLIVO_INVITE.len() - 1] {
        assert_eq!(status(&tcp, &PLIVO_INVITE[..n]), 0, "cut at {n}");
    }
    assert_eq!(status(&tcp, PLIVO_INVITE), 200);
}

#[test]
fn size_and_source_come_first() {
    let acl = acl();
    let p = policy(&acl);
    let small = p.with_limits(sip_rules::Limits {
        max_message_size: 512,
        ..sip_rules::Limits::DEFAULT
    });
    let e = run(&small, PLIVO_INVITE).unwrap_err();
    assert_eq!((e.status(), e.rule()), (513, Rule::TooLarge));
    let mut headers = [Header::EMPTY; 64];
    let e = p
        .check("198.51.100.1".parse().unwrap(), PLIVO_INVITE, &mut headers)
        .unwrap_err();
    assert_eq!(
        (e.status(), e.reason()),
        (403, "source address not allowed")
    );
    // Too few header slots is a limit, not a panic.
    let mut few = [Header::EMPTY; 4];
    let e = p
        .check("18.214.109.129".parse().unwrap(), PLIVO_INVITE, &mut few)
        .unwrap_err();
    assert_eq!(e.status(), 513);
}

#[test]
fn ipv6_source_and_media() {
    let acl = acl();
    let p = policy(&acl);
    let msg = edit(
        "c=IN IP4 18.214.109.140",
        "c=IN IP6 2600:1f18:63f7:b900::10",
    );
    let mut headers = [Header::EMPTY; 64];
    let src = "2600:1f18:63f7:b9ff::1".parse().unwrap();
    let Ok(Status::Complete(a)) = p.check(src, &msg, &mut headers) else {
        panic!("IPv6 INVITE refused")
    };
    assert_eq!(a.audio_address(), Some("2600:1f18:63f7:b900::10"));
    let outside = "2600:1f18:63f7:ba00::1".parse().unwrap();
    assert_eq!(
        p.check(outside, &msg, &mut headers).unwrap_err().status(),
        403
    );
    // An IPv4-mapped IPv6 source matches the IPv4 block.
    let mapped = "::ffff:18.214.109.129".parse().unwrap();
    assert!(p.check(mapped, PLIVO_INVITE, &mut headers).is_ok());
}

#[test]
fn compact_forms_case_and_folding() {
    let acl = acl();
    let p = policy(&acl);
    let t = text()
        .replacen("Via:", "v:", 1)
        .replacen("From:", "f:", 1)
        .replacen("To:", "T:", 1)
        .replacen("Call-ID:", "i:", 1)
        .replacen("Contact:", "m:", 1)
        .replacen("Supported:", "k:", 1)
        .replacen("Content-Type:", "c:", 1)
        .replacen("Max-Forwards:", "mAX-forwards :", 1)
        .replacen("CSeq: 101 INVITE", "cseq: 101\r\n  INVITE", 1)
        .replacen(";tag=3a8f9c21", "\r\n ;\r\n\ttag = 3a8f9c21", 1)
        .replacen("SIP/2.0/UDP 18", "SIP / 2.0\r\n / UDP 18", 1)
        .replacen("Content-Length:", "l:", 1)
        .replacen("Supported: timer, replaces", "s: a subject", 1);
    let msg = t.into_bytes();
    let Ok(Status::Complete(a)) = run(&p, &msg) else {
        panic!("{:?}", run(&p, &msg))
    };
    assert_eq!(a.from_number(), Some("+12025550199"));
    // Compact duplicates are still duplicates.
    let dup = edit("Call-ID: 8d2f", "i: other\r\nCall-ID: 8d2f");
    assert_eq!(status(&p, &dup), 400);
}

#[test]
fn plus_rule_and_tel_uris() {
    let acl = acl();
    let p = policy(&acl).with_plus(Plus::Required);
    let msg = edit("INVITE sip:+14155550123@", "INVITE sip:14155550123@");
    assert_eq!(status(&p, &msg), 484);
    assert_eq!(status(&p.with_plus(Plus::Optional), &msg), 200);
    let tel = edit(
        "INVITE sip:+14155550123@sbc.example.net:5060;user=phone",
        "INVITE tel:+14155550123;npdi",
    );
    assert_eq!(status(&p, &tel), 200);
    let two_pai = edit(
        "P-Asserted-Identity: <sip:+12025550199@18.214.109.129;user=phone>",
        "P-Asserted-Identity: <sip:+12025550199@18.214.109.129;user=phone>, <tel:+12025550199>",
    );
    let Ok(Status::Complete(a)) = run(&p, &two_pai) else {
        panic!("two PAI values refused")
    };
    assert_eq!(a.pai_numbers().count(), 2);
}

#[test]
fn rejection_display_names_the_value() {
    let acl = acl();
    let p = policy(&acl);
    let msg = edit("CSeq: 101 INVITE", "CSeq: 101 BYE");
    let e = run(&p, &msg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "400 Bad Request: CSeq method does not match the request line (\"BYE\")"
    );
    assert_eq!(e.value(), b"BYE");
}

#[test]
fn numbers_and_cidrs_are_validated() {
    assert!(Numbers::new(&["+14155550123", "+14155550100"]).is_err());
    assert!(Numbers::new(&["14155550123"]).is_err());
    assert!(Numbers::new(&["+0123456789"]).is_err());
    assert!("10.0.0.1/8".parse::<Cidr>().is_err());
    assert!("10.0.0.0/33".parse::<Cidr>().is_err());
    assert!("10.0.0.0/".parse::<Cidr>().is_err());
    let c: Cidr = "2600:1f18::/32".parse().unwrap();
    assert_eq!(c.to_string(), "2600:1f18::/32");
    let host: Cidr = "192.0.2.7".parse().unwrap();
    assert_eq!(host.prefix(), 32);
}
