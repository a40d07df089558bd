//! The benchmark corpus (`benches/shapes/`): every shape is accepted by the bench's policy, so
//! the measurements time the whole check, and every shape has its provenance entry.

use sip_rules::{Header, Status};

use crate::shapes::{SHAPES, cidrs, policy};

#[test]
fn every_shape_is_accepted_by_the_bench_policy() {
    let cidrs = cidrs();
    let policy = policy(&cidrs);
    for shape in &SHAPES {
        let mut headers = [Header::EMPTY; 64];
        let verdict = policy.check(shape.source(), shape.bytes, &mut headers);
        let call = match verdict {
            Ok(Status::Complete(call)) => call,
            other => panic!("{}: {other:?}", shape.name),
        };
        assert_eq!(
            call.len(),
            shape.bytes.len(),
            "{}: Content-Length",
            shape.name
        );
        assert!(call.number().is_some(), "{}: called number", shape.name);
        assert!(
            call.from_number().is_some(),
            "{}: caller number",
            shape.name
        );
        let audio = call
            .audio()
            .unwrap_or_else(|| panic!("{}: no audio", shape.name));
        assert!(audio.telephone_event(), "{}: telephone-event", shape.name);
        assert!(
            call.codecs()
                .any(|c| c.encoding.is_some_and(|e| e.eq_ignore_ascii_case("PCMU"))),
            "{}: PCMU offered",
            shape.name
        );
    }
}

/// The same bytes under the same policy from a source outside the ACL are refused: the
/// policy the bench uses is not a pass-everything one.
#[test]
fn the_bench_policy_still_refuses() {
    let cidrs = cidrs();
    let policy = policy(&cidrs);
    for shape in &SHAPES {
        let mut headers = [Header::EMPTY; 64];
        let outside = "100.64.0.1".parse().unwrap();
        let verdict = policy.check(outside, shape.bytes, &mut headers);
        assert_eq!(
            verdict.map(|_| ()).unwrap_err().status(),
            403,
            "{}",
            shape.name
        );
    }
}

#[test]
fn every_shape_has_a_provenance_entry() {
    let provenance = include_str!("../../benches/shapes/PROVENANCE.md");
    for shape in &SHAPES {
        let entry = format!("`{}.sip`", shape.name);
        assert!(provenance.contains(&entry), "{} has no entry", shape.name);
    }
}
