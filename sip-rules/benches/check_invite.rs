//! `check_invite` side by side with other parsers on the same ~1 KB Plivo INVITE, in one run:
//! rsip + sdp-rs (full message), sdp-types (the SDP body alone), and a baseline that only splits
//! the message into lines with `memchr` and dispatches on each line's first byte.
//!
//! Then every shape of the benchmark corpus (`benches/shapes/`): the full check and the line
//! split, one group per shape (`shape_NAME`).
//!
//! Run: `cargo bench -p sip-rules -- --warm-up-time 1 --measurement-time 3`

// Test and bench helpers panic on purpose: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sip_rules::{Acl, Header, Numbers, Policy, Status};

mod shapes;

const INVITE: &[u8] = include_bytes!("../tests/data/plivo_invite.sip");
static NUMBERS: [&str; 1] = ["+14155550123"];

fn sdp_of(msg: &[u8]) -> &[u8] {
    let at = msg.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    &msg[at + 4..]
}

/// The floor for any line-oriented validator: find every line end, look at the first byte.
fn line_split(msg: &[u8]) -> u32 {
    let mut at = 0;
    let mut acc = 0u32;
    while let Some(n) = memchr::memchr(b'\n', &msg[at..]) {
        let line = &msg[at..at + n];
        acc = acc.wrapping_add(u32::from(line.first().copied().unwrap_or(0)));
        at += n + 1;
    }
    acc
}

fn bench(c: &mut Criterion) {
    let cidrs = ["18.214.109.128/25".parse().unwrap()];
    let policy = Policy::new(Acl::Cidrs(&cidrs))
        .with_numbers(Numbers::new(&NUMBERS).unwrap())
        .require_e164_caller_id(true)
        .require_telephone_event(true);
    let source = "18.214.109.129".parse().unwrap();
    let sdp = sdp_of(INVITE);

    // Everyone must accept the input, or the comparison means nothing.
    let mut headers = [Header::EMPTY; 32];
    assert!(matches!(
        policy.check(source, INVITE, &mut headers),
        Ok(Status::Complete(_))
    ));
    let parsed = rsip::SipMessage::try_from(INVITE).unwrap();
    sdp_rs::SessionDescription::try_from(std::str::from_utf8(parsed.body()).unwrap()).unwrap();
    sdp_types::Session::parse(sdp).unwrap();

    let mut g = c.benchmark_group("plivo_invite");
    g.throughput(Throughput::Bytes(INVITE.len() as u64));
    g.bench_function("sip_rules_check_invite", |b| {
        let mut headers = [Header::EMPTY; 32];
        b.iter(|| {
            let verdict = policy.check(source, black_box(INVITE), &mut headers);
            black_box(verdict.is_ok())
        });
    });
    g.bench_function("rsip_plus_sdp_rs", |b| {
        b.iter(|| {
            let msg = rsip::SipMessage::try_from(black_box(INVITE)).unwrap();
            let body = std::str::from_utf8(msg.body()).unwrap();
            black_box(sdp_rs::SessionDescription::try_from(body).unwrap())
        });
    });
    g.bench_function("sdp_types_sdp_only", |b| {
        b.iter(|| black_box(sdp_types::Session::parse(black_box(sdp)).unwrap()));
    });
    g.bench_function("memchr_line_split_baseline", |b| {
        b.iter(|| black_box(line_split(black_box(INVITE))));
    });
    g.finish();
}

/// Every shape of the corpus (`benches/shapes/`): the full check under the corpus policy and the
/// line split baseline, one group per shape, throughput in bytes.
fn corpus(c: &mut Criterion) {
    let cidrs = shapes::cidrs();
    let policy = shapes::policy(&cidrs);
    for shape in &shapes::SHAPES {
        let source = shape.source();
        let mut headers = [Header::EMPTY; 64];
        assert!(matches!(
            policy.check(source, shape.bytes, &mut headers),
            Ok(Status::Complete(_))
        ));
        let mut g = c.benchmark_group(format!("shape_{}", shape.name));
        g.throughput(Throughput::Bytes(shape.bytes.len() as u64));
        g.bench_function("check", |b| {
            let mut headers = [Header::EMPTY; 64];
            b.iter(|| {
                let verdict = policy.check(source, black_box(shape.bytes), &mut headers);
                black_box(verdict.is_ok())
            });
        });
        g.bench_function("memchr_line_split", |b| {
            b.iter(|| black_box(line_split(black_box(shape.bytes))));
        });
        g.finish();
    }
}

criterion_group!(benches, bench, corpus);
criterion_main!(benches);
