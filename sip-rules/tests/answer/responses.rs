//! The response writer on refused messages: mutations of a valid INVITE (single faults,
//! dropped and doubled headers, other methods, compact forms, folding) through several
//! policies; every response parses back as one SIP response whose copied headers are the
//! request's, byte for byte, and an independent parser (rsip) reads the same status and headers.

use proptest::prelude::*;
use sip_rules::{Acl, Answer, Cidr, Header, Numbers, Policy, Rule, write_response};

use crate::props::{assert_copied, parse_response};

const INVITE: &str = include_str!("../data/plivo_invite.sip");
static NUMBERS: [&str; 1] = ["+14155550100"];

/// The lines of the INVITE's head, and its body.
fn parts() -> (Vec<String>, String) {
    let (head, body) = INVITE.split_once("\r\n\r\n").unwrap();
    (
        head.split("\r\n").map(String::from).collect(),
        body.to_string(),
    )
}

fn policies(acl: &[Cidr]) -> [Policy<'_>; 4] {
    [
        Policy::permissive(),
        Policy::new(Acl::Any).require_telephone_event(true),
        Policy::new(Acl::Cidrs(acl)),
        Policy::new(Acl::Any).with_numbers(Numbers::new(&NUMBERS).unwrap()),
    ]
}

/// Writes the response for every policy that refuses `msg` and checks it; the number answered.
fn check_all(msg: &[u8]) -> usize {
    let acl: [Cidr; 1] = ["198.51.100.0/24".parse().unwrap()];
    let source = "192.0.2.1".parse().unwrap();
    let mut answered = 0;
    for policy in &policies(&acl) {
        let mut headers = [Header::EMPTY; 64];
        let Err(rejection) = policy.check(source, msg, &mut headers) else {
            continue;
        };
        let mut out = vec![0u8; msg.len() * 2 + 1024];
        let Some(n) = write_response(msg, &rejection, &mut out).unwrap() else {
            continue;
        };
        let response = &out[..n];
        let (status, fields) = parse_response(response);
        assert_eq!(status, rejection.status());
        assert_copied(msg, &fields);
        if rejection.rule() == Rule::Method {
            assert!(fields.iter().any(|(n, _)| *n == b"Allow"));
        }
        if rejection.rule() == Rule::MediaType {
            assert!(fields.contains(&(&b"Accept"[..], &b"application/sdp"[..])));
        }
        // An independent parser reads it as a response with the same status and headers
        // (rsip does not unfold folded values, which RFC 3261 §7.3.1 allows and the copies keep).
        let folded = response
            .windows(3)
            .any(|w| matches!(w, [b'\n', b' ' | b'\t', _]));
        if folded {
            answered += 1;
            continue;
        }
        let parsed = rsip::SipMessage::try_from(response)
            .unwrap_or_else(|e| panic!("rsip: {e:?}\n{}", response.escape_ascii()));
        let rsip::SipMessage::Response(r) = parsed else {
            panic!("not a response")
        };
        assert_eq!(u16::from(r.status_code.clone()), status);
        assert_eq!(r.headers.iter().count(), fields.len());
        answered += 1;
    }
    answered
}

/// One mutation of the INVITE's head lines.
#[derive(Clone, Debug)]
enum Edit {
    Drop(usize),
    Double(usize),
    Replace(usize, String),
    Compact(usize),
    Fold(usize),
    Method(&'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (1..20usize).prop_map(Edit::Drop),
        (1..20usize).prop_map(Edit::Double),
        (1..20usize, "[ -~]{0,40}").prop_map(|(i, s)| Edit::Replace(i, s)),
        (1..20usize).prop_map(Edit::Compact),
        (1..20usize).prop_map(Edit::Fold),
        prop::sample::select(vec!["OPTIONS", "BYE", "REGISTER", "ACK", "FOO", "INVITE"])
            .prop_map(Edit::Method),
    ]
}

fn apply(lines: &mut Vec<String>, e: &Edit) {
    let n = lines.len();
    match e {
        Edit::Drop(i) if *i < n => {
            lines.remove(*i);
        }
        Edit::Double(i) if *i < n => {
            let l = lines[*i].clone();
            lines.insert(*i, l);
        }
        Edit::Replace(i, s) if *i < n => {
            let name = lines[*i].split(':').next().unwrap_or_default().to_string();
            lines[*i] = format!("{name}: {s}");
        }
        Edit::Compact(i) if *i < n => {
            for (long, short) in [
                ("Via:", "v:"),
                ("From:", "f:"),
                ("To:", "t:"),
                ("Call-ID:", "i:"),
            ] {
                if lines[*i].starts_with(long) {
                    lines[*i] = lines[*i].replacen(long, short, 1);
                }
            }
        }
        Edit::Fold(i) if *i < n => {
            if let Some(at) = lines[*i].find(';') {
                lines[*i].insert_str(at, "\r\n ");
            }
        }
        Edit::Method(m) => {
            let rest = lines[0]
                .split_once(' ')
                .map(|(_, r)| r.to_string())
                .unwrap_or_default();
            lines[0] = format!("{m} {rest}");
            for l in lines.iter_mut().filter(|l| l.starts_with("CSeq:")) {
                *l = format!("CSeq: 1 {m}");
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn every_refusal_gets_a_response_that_parses_back(edits in proptest::collection::vec(edit(), 0..4)) {
        let (mut lines, body) = parts();
        for e in &edits {
            apply(&mut lines, e);
        }
        let msg = format!("{}\r\n\r\n{body}", lines.join("\r\n"));
        check_all(msg.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_answered_well_or_dropped(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        check_all(&bytes);
    }
}

#[test]
fn the_plivo_invite_refused_each_way_is_answered() {
    let (lines, body) = parts();
    let msg = format!("{}\r\n\r\n{body}", lines.join("\r\n"));
    // Refused by the ACL, the number list, and (as OPTIONS) the method: all answered.
    assert_eq!(check_all(msg.as_bytes()), 2);
    let mut options = lines.clone();
    apply(&mut options, &Edit::Method("OPTIONS"));
    let options = format!("{}\r\n\r\n{body}", options.join("\r\n"));
    assert_eq!(check_all(options.as_bytes()), 4);
    let mut ack = lines;
    apply(&mut ack, &Edit::Method("ACK"));
    let ack = format!("{}\r\n\r\n{body}", ack.join("\r\n"));
    assert_eq!(check_all(ack.as_bytes()), 0, "an ACK is never answered");
    let mut out = [0u8; 4096];
    assert!(
        Answer::DEFAULT
            .write_status(ack.as_bytes(), 400, "x", None, &mut out)
            .unwrap()
            .is_none()
    );
}
