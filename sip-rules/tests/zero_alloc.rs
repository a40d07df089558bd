//! Proof that checking allocates nothing: a counting global allocator (`stats_alloc`) wraps the
//! system allocator in this test binary, and the accept path and every reject path run between
//! two snapshots. One test function, so no other test allocates concurrently.

// Test and bench helpers panic on purpose: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::alloc::System;

use sip_rules::{Acl, Cidr, Header, Limits, Numbers, Policy, Rule, Status, Transport};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PLIVO_INVITE: &[u8] = include_bytes!("data/plivo_invite.sip");
static NUMBERS: [&str; 1] = ["+14155550123"];

/// The INVITE with `from` replaced by `to` (Content-Length left as is unless the body changes
/// length, which these edits avoid or want).
fn edit(from: &str, to: &str) -> Vec<u8> {
    let t = std::str::from_utf8(PLIVO_INVITE).unwrap();
    assert!(t.contains(from), "{from:?}");
    t.replacen(from, to, 1).into_bytes()
}

#[test]
fn accept_and_every_reject_path_allocate_nothing() {
    let acl: Vec<Cidr> = vec!["18.214.109.128/25".parse().unwrap()];
    let policy = Policy::new(Acl::Cidrs(&acl))
        .with_numbers(Numbers::new(&NUMBERS).unwrap())
        .require_e164_caller_id(true)
        .require_telephone_event(true);
    let source = "18.214.109.129".parse().unwrap();
    let tiny = policy.with_limits(Limits {
        max_message_size: 100,
        ..Limits::DEFAULT
    });
    let stream = policy.with_transport(Transport::Stream);

    // Every input is built before measuring.
    let cases: Vec<(Policy<'_>, Vec<u8>, Option<Rule>)> = vec![
        (policy, PLIVO_INVITE.to_vec(), None),
        (tiny, PLIVO_INVITE.to_vec(), Some(Rule::TooLarge)),
        (
            policy.with_acl(Acl::Cidrs(&[])),
            PLIVO_INVITE.to_vec(),
            Some(Rule::Source),
        ),
        (
            policy,
            edit("CSeq: 101 INVITE", "CSeq: 101 BYEBYE"),
            Some(Rule::Syntax),
        ),
        (
            policy,
            edit("SIP/2.0\r\nVia", "SIP/3.0\r\nVia"),
            Some(Rule::Version),
        ),
        (
            policy,
            edit("INVITE sip:", "INVITE sipx:"),
            Some(Rule::UriScheme),
        ),
        (
            policy,
            edit("INVITE sip:", "SIP/2.0 200 OK\r\nX: sip:"),
            Some(Rule::NotARequest),
        ),
        (
            policy,
            String::from_utf8(edit("INVITE sip:+1415", "BYE sip:+1415"))
                .unwrap()
                .replacen("CSeq: 101 INVITE", "CSeq: 101 BYE", 1)
                .into_bytes(),
            Some(Rule::Method),
        ),
        (
            policy,
            edit("Max-Forwards: 69", "Max-Forwards: 00"),
            Some(Rule::TooManyHops),
        ),
        (
            policy,
            edit("INVITE sip:+14155550123@", "INVITE sip:+alice123456@"),
            Some(Rule::NotE164),
        ),
        (
            policy,
            edit("INVITE sip:+14155550123@", "INVITE sip:+14155550124@"),
            Some(Rule::UnknownNumber),
        ),
        (
            policy,
            edit(
                "From: \"+12025550199\" <sip:+12025550199@",
                "From: \"+12025550199\" <sip:+anonymous00@",
            ),
            Some(Rule::CallerId),
        ),
        (
            policy,
            edit(
                "Content-Type: application/sdp",
                "Content-Type: application/xml",
            ),
            Some(Rule::MediaType),
        ),
        (
            policy,
            edit(
                "Content-Type: application/sdp",
                "Accept: text/xml\r\nContent-Type: application/sdp",
            ),
            Some(Rule::NotAcceptable),
        ),
        (policy, edit("a=ptime:20", "a=ptime:2x"), Some(Rule::Sdp)),
        (
            policy,
            edit("RTP/AVP 0 8 9 101", "RTP/AVP 3 8 9 101"),
            Some(Rule::Media),
        ),
        (stream, PLIVO_INVITE[..500].to_vec(), None),
    ];
    let mut headers = [Header::EMPTY; 64];
    let mut outcomes = Vec::with_capacity(cases.len());

    let region = Region::new(GLOBAL);
    for (p, msg, _) in &cases {
        let got = p.check(source, msg, &mut headers);
        outcomes.push(match got {
            Ok(Status::Complete(_)) => (true, None),
            Ok(Status::Partial) => (false, None),
            Err(e) => (false, Some(e.rule())),
        });
    }
    let stats = region.change();

    // `outcomes` was reserved up front, so pushing did not allocate.
    assert_eq!(stats.allocations, 0, "{stats:?}");
    assert_eq!(stats.reallocations, 0, "{stats:?}");
    assert_eq!(outcomes[0], (true, None), "the accept path");
    for ((_, msg, want), got) in cases.iter().zip(&outcomes).skip(1) {
        assert_eq!(
            got.1,
            *want,
            "{}",
            String::from_utf8_lossy(&msg[..msg.len().min(80)])
        );
    }
}
