//! Property tests: no input panics, and an accepted view only borrows from the input.

use proptest::prelude::*;
use sip_rules::{Accepted, Acl, Policy, Status, Transport};

use crate::{PLIVO_INVITE, run};

fn within(outer: &[u8], inner: &[u8]) -> bool {
    let o = outer.as_ptr_range();
    let i = inner.as_ptr_range();
    inner.is_empty() || (o.start <= i.start && i.end <= o.end)
}

fn assert_borrowed(input: &[u8], a: &Accepted<'_>) {
    let mut parts: Vec<&[u8]> = vec![
        a.method().as_bytes(),
        a.request_uri().as_bytes(),
        a.call_id().as_bytes(),
        a.body(),
    ];
    parts.extend(a.number().map(str::as_bytes));
    parts.extend(a.from_number().map(str::as_bytes));
    parts.extend(a.pai_numbers().map(str::as_bytes));
    parts.extend(a.audio_address().map(str::as_bytes));
    parts.extend(
        a.codecs()
            .filter_map(|c| c.encoding)
            .map(str::as_bytes)
            .filter(|e| {
                !["PCMU", "PCMA", "G722", "G729", "GSM", "G723", "CN"]
                    .contains(&std::str::from_utf8(e).unwrap())
            }),
    );
    for p in parts {
        assert!(within(input, p), "{p:?} is not borrowed from the input");
    }
}

fn policies() -> [Policy<'static>; 3] {
    [
        Policy::permissive(),
        Policy::new(Acl::Any).require_telephone_event(true),
        Policy::permissive().with_transport(Transport::Stream),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for p in policies() {
            if let Ok(Status::Complete(a)) = run(&p, &bytes) {
                assert_borrowed(&bytes, &a);
            }
        }
    }

    #[test]
    fn mutated_invites_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let mut bytes = PLIVO_INVITE.to_vec();
        for (at, b, op) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = b,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, b),
            }
        }
        for p in policies() {
            if let Ok(Status::Complete(a)) = run(&p, &bytes) {
                assert_borrowed(&bytes, &a);
            }
        }
    }

    #[test]
    fn every_prefix_of_a_valid_invite_is_partial_on_a_stream(cut in 0usize..1012) {
        let p = Policy::permissive().with_transport(Transport::Stream);
        let cut = cut.min(PLIVO_INVITE.len() - 1);
        prop_assert_eq!(run(&p, &PLIVO_INVITE[..cut]), Ok(Status::Partial));
    }
}
