//! RFC 4475 torture messages (map in `data/rfc4475/MANIFEST.md`).

use std::path::Path;

use sip_rules::{Header, Policy, Rule, Status, Transport};

use crate::run;

fn load(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/rfc4475")
        .join(format!("{name}.dat"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the permissive policy (protocol rules only) must answer for each message.
/// 200 = accepted INVITE; 405 = a well-formed request that is not an INVITE (it parsed);
/// `None` in the rule column means "any rule with that status".
const EXPECTED: &[(&str, u16, Option<Rule>)] = &[
    // Valid INVITEs: accepted.
    ("wsinv", 200, None),
    ("esc01", 200, None),
    ("longreq", 200, None),
    ("baddate", 200, None),
    ("invut", 200, None),
    // RFC 4475 3.4.1: an RFC 2543 INVITE (no Via branch, From tag, Max-Forwards or
    // Content-Length), to accept when keeping RFC 2543 compatibility, as the permissive policy
    // does (`Policy::allow_rfc2543`).
    ("inv2543", 200, None),
    // Valid requests that are not INVITEs: parsed, then refused by method.
    ("intmeth", 405, Some(Rule::Method)),
    ("escnull", 405, Some(Rule::Method)),
    ("esc02", 405, Some(Rule::Method)),
    ("lwsdisp", 405, Some(Rule::Method)),
    ("dblreq", 405, Some(Rule::Method)),
    ("semiuri", 405, Some(Rule::Method)),
    ("transports", 405, Some(Rule::Method)),
    ("mpart01", 405, Some(Rule::Method)),
    ("cparam01", 405, Some(Rule::Method)),
    ("cparam02", 405, Some(Rule::Method)),
    ("regescrt", 405, Some(Rule::Method)),
    ("regaut01", 405, Some(Rule::Method)),
    ("unksm2", 405, Some(Rule::Method)),
    ("bext01", 405, Some(Rule::Method)),
    ("zeromf", 405, Some(Rule::Method)),
    ("badbranch", 405, Some(Rule::Method)),
    ("regbadct", 405, Some(Rule::Method)),
    ("lwsdisp", 405, Some(Rule::Method)),
    // "Either" cases that we reject.
    ("badaspec", 400, Some(Rule::Syntax)),
    ("baddn", 400, Some(Rule::Syntax)),
    // Responses: not requests (a proxy drops them).
    ("unreason", 400, Some(Rule::NotARequest)),
    ("noreason", 400, Some(Rule::NotARequest)),
    ("scalarlg", 400, Some(Rule::NotARequest)),
    ("bigcode", 400, Some(Rule::NotARequest)),
    ("bcast", 400, Some(Rule::NotARequest)),
    // Rejects with the status RFC 4475 gives.
    ("badinv01", 400, Some(Rule::Syntax)),
    ("clerr", 400, Some(Rule::Syntax)),
    ("ncl", 400, Some(Rule::Syntax)),
    ("scalar02", 400, Some(Rule::Syntax)),
    ("quotbal", 400, Some(Rule::Syntax)),
    ("ltgtruri", 400, Some(Rule::Syntax)),
    ("lwsruri", 400, Some(Rule::Syntax)),
    ("lwsstart", 400, Some(Rule::Syntax)),
    ("trws", 400, Some(Rule::Syntax)),
    ("escruri", 400, Some(Rule::Syntax)),
    ("badvers", 505, Some(Rule::Version)),
    ("mismatch01", 400, Some(Rule::Syntax)),
    ("mismatch02", 400, Some(Rule::Syntax)),
    ("insuf", 400, Some(Rule::Syntax)),
    ("unkscm", 416, Some(Rule::UriScheme)),
    ("novelsc", 416, Some(Rule::UriScheme)),
    ("multi01", 400, Some(Rule::Syntax)),
    ("mcl01", 400, Some(Rule::Syntax)),
    ("sdp01", 406, Some(Rule::NotAcceptable)),
    ("test", 400, Some(Rule::Syntax)),
];

#[test]
fn every_corpus_message_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rfc4475");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name.strip_suffix(".dat") {
            files += 1;
            assert!(
                EXPECTED.iter().any(|(n, _, _)| *n == stem),
                "{stem} has no expectation"
            );
        }
    }
    assert_eq!(files, 50, "49 RFC 4475 messages plus test.dat");
}

#[test]
fn permissive_policy_answers_as_rfc_4475_says() {
    let policy = Policy::permissive();
    let mut wrong = Vec::new();
    for &(name, want, rule) in EXPECTED {
        let msg = load(name);
        let (got, got_rule, why) = match run(&policy, &msg) {
            Ok(Status::Complete(a)) => {
                assert_eq!(a.method(), "INVITE");
                (200, None, String::new())
            }
            Ok(Status::Partial) => (0, None, String::new()),
            Err(e) => (e.status(), Some(e.rule()), e.to_string()),
        };
        if got != want || (rule.is_some() && got_rule != rule) {
            wrong.push(format!(
                "{name}: want {want} {rule:?}, got {got} {got_rule:?} {why}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn interconnect_policy_rejects_every_corpus_message_without_panicking() {
    // None of the corpus Request-URIs is an E.164 number, so nothing passes the strict policy.
    for transport in [Transport::Datagram, Transport::Stream] {
        let policy = Policy::new(sip_rules::Acl::Any).with_transport(transport);
        for &(name, _, _) in EXPECTED {
            let msg = load(name);
            match run(&policy, &msg) {
                Ok(Status::Complete(_)) => panic!("{name} accepted by the strict policy"),
                Ok(Status::Partial) => assert_eq!(transport, Transport::Stream, "{name}"),
                Err(e) => assert!(e.status() >= 400, "{name}"),
            }
        }
    }
}

/// Without RFC 2543 compatibility, `inv2543` is refused for its first RFC 3261 fault.
#[test]
fn inv2543_needs_rfc2543_compatibility() {
    let msg = load("inv2543");
    let strict = Policy::permissive().allow_rfc2543(false);
    let err = run(&strict, &msg).unwrap_err();
    assert_eq!(
        (err.status(), err.reason()),
        (400, "topmost Via has no branch")
    );
    let no_branch_needed = strict.require_via_branch(false);
    let err = run(&no_branch_needed, &msg).unwrap_err();
    assert_eq!((err.status(), err.reason()), (400, "From has no tag"));
    let Ok(Status::Complete(a)) = run(&Policy::permissive(), &msg) else {
        panic!("inv2543 must be accepted by the permissive policy")
    };
    assert_eq!(a.max_forwards(), 70);
}

#[test]
fn clerr_over_a_stream_waits_for_more_bytes() {
    let policy = Policy::permissive().with_transport(Transport::Stream);
    let msg = load("clerr");
    let mut headers = [Header::EMPTY; 64];
    let got = policy.check("192.0.2.1".parse().unwrap(), &msg, &mut headers);
    assert_eq!(got, Ok(Status::Partial));
}

#[test]
fn wsinv_view_unfolds_and_borrows() {
    let msg = load("wsinv");
    let Ok(Status::Complete(a)) = run(&Policy::permissive(), &msg) else {
        panic!("wsinv must be accepted")
    };
    assert_eq!(a.call_id(), "wsinv.ndaksdj@192.0.2.1");
    assert_eq!(a.max_forwards(), 68);
    assert_eq!(a.audio_address(), Some("192.0.2.4"));
    assert_eq!(a.audio_port(), Some(49217));
    let pts: Vec<u8> = a.codecs().map(|c| c.payload_type).collect();
    assert_eq!(pts, [0, 12]);
}

#[test]
fn longreq_fits_the_default_limits() {
    let msg = load("longreq");
    let Ok(Status::Complete(a)) = run(&Policy::permissive(), &msg) else {
        panic!("longreq must be accepted")
    };
    assert!(a.header_count() > 40);
    assert_eq!(a.len(), msg.len());
}
