//! Runs `check_invite`, the `memchr` line-split baseline, `sdp-types` on the SDP body, or rsip +
//! sdp-rs on the bench's Plivo INVITE many times. Two uses:
//!
//! Instruction counts under callgrind (stable on a loaded machine, unlike wall time); modes
//! `check`, `split`, `sdp-types`, `rsip`:
//!
//! ```sh
//! cargo build --release -p sip-rules --example instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions check 10000
//! ```
//!
//! Subtract a run with `0` iterations and divide by the iteration count.
//!
//! Interleaved wall-clock timing (`interleaved ROUNDS`): each round times 2 000 iterations of
//! each of the four in turn, so a load change on a shared machine hits all four alike; prints
//! the median ns/op of each and the ratios.

// A failed setup is a failed measurement.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::net::IpAddr;
use std::time::Instant;

use sip_rules::{Acl, Header, Numbers, Policy, Status};

const INVITE: &[u8] = include_bytes!("../tests/data/plivo_invite.sip");
static NUMBERS: [&str; 1] = ["+14155550123"];
const MODES: [&str; 4] = ["check", "split", "sdp-types", "rsip"];
/// Iterations per timed batch in the interleaved mode.
const BATCH: u64 = 2_000;

/// The same baseline as the bench: find every line end, look at the first byte.
fn line_split(msg: &[u8]) -> u32 {
    let mut at = 0;
    let mut acc = 0u32;
    while let Some(n) = memchr::memchr(b'\n', msg.get(at..).unwrap_or_default()) {
        let line = msg.get(at..at + n).unwrap_or_default();
        acc = acc.wrapping_add(u32::from(line.first().copied().unwrap_or(0)));
        at += n + 1;
    }
    acc
}

/// Runs `what` `n` times; returns how many runs succeeded.
fn run(what: &str, n: u64, policy: &Policy<'_>, source: IpAddr, sdp: &[u8]) -> u64 {
    let mut headers = [Header::EMPTY; 32];
    let mut ok = 0u64;
    for _ in 0..n {
        ok += u64::from(match what {
            "check" => matches!(
                policy.check(source, black_box(INVITE), &mut headers),
                Ok(Status::Complete(_))
            ),
            "sdp-types" => sdp_types::Session::parse(black_box(sdp)).is_ok(),
            "rsip" => {
                let msg = rsip::SipMessage::try_from(black_box(INVITE)).unwrap();
                let body = std::str::from_utf8(msg.body()).unwrap();
                sdp_rs::SessionDescription::try_from(body).is_ok()
            }
            _ => line_split(black_box(INVITE)) != 0,
        });
    }
    ok
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "check".into());
    let n: u64 = args.next().map_or(10_000, |s| s.parse().unwrap());
    let cidrs = ["18.214.109.128/25".parse().unwrap()];
    let policy = Policy::new(Acl::Cidrs(&cidrs))
        .with_numbers(Numbers::new(&NUMBERS).unwrap())
        .require_e164_caller_id(true)
        .require_telephone_event(true);
    let source: IpAddr = "18.214.109.129".parse().unwrap();
    let sdp = INVITE
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .and_then(|at| INVITE.get(at + 4..))
        .unwrap();
    if what != "interleaved" {
        let ok = run(&what, n, &policy, source, sdp);
        println!("{what} {n}: {ok}");
        return;
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); MODES.len()];
    for _ in 0..n {
        for (mode, times) in MODES.iter().zip(samples.iter_mut()) {
            let start = Instant::now();
            let ok = run(mode, BATCH, &policy, source, sdp);
            #[allow(clippy::cast_precision_loss)] // nanoseconds of a short batch
            times.push(start.elapsed().as_nanos() as f64 / BATCH as f64);
            assert_eq!(ok, BATCH, "{mode} must succeed");
        }
    }
    let medians: Vec<f64> = samples.iter_mut().map(|v| median(v)).collect();
    let check = medians.first().copied().unwrap_or(f64::NAN);
    for (mode, m) in MODES.iter().zip(&medians) {
        println!(
            "{mode:>10}: {m:8.0} ns/op  ({:.2}x check_invite)",
            m / check
        );
    }
}
