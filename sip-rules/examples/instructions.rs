//! Runs `check_invite`, the `memchr` line-split baseline, `sdp-types` on the SDP body, or rsip +
//! sdp-rs on one INVITE of the benchmark corpus (`benches/shapes/`) many times. Two uses:
//!
//! Instruction counts under callgrind (stable on a loaded machine, unlike wall time); modes
//! `check`, `split`, `sdp-types`, `rsip`, then a shape name (`list` prints them) and a count:
//!
//! ```sh
//! cargo build --release -p sip-rules --example instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions check plivo 10000
//! ```
//!
//! Subtract a run with `0` iterations and divide by the iteration count;
//! `sip-rules/benches/instructions.sh` does that for every shape and prints the table.
//!
//! Interleaved wall-clock timing (`interleaved ROUNDS`): for each shape, each round times
//! 2 000 iterations of `check` and of `split` in turn, so a load change on a shared machine hits
//! both alike; prints the median ns/op of each and their ratio.

// A failed setup is a failed measurement.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/shapes/mod.rs"]
mod shapes;

use std::hint::black_box;
use std::net::IpAddr;
use std::time::Instant;

use sip_rules::{Header, Policy, Status};

use shapes::{SHAPES, Shape};

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

/// Runs `what` on `shape` `n` times; returns how many runs succeeded.
fn run(what: &str, n: u64, policy: &Policy<'_>, source: IpAddr, shape: &Shape) -> u64 {
    let msg = shape.bytes;
    let sdp = shape.sdp();
    let mut headers = [Header::EMPTY; 64];
    let mut ok = 0u64;
    for _ in 0..n {
        ok += u64::from(match what {
            "check" => matches!(
                policy.check(source, black_box(msg), &mut headers),
                Ok(Status::Complete(_))
            ),
            "sdp-types" => sdp_types::Session::parse(black_box(sdp)).is_ok(),
            "rsip" => rsip::SipMessage::try_from(black_box(msg)).is_ok_and(|m| {
                std::str::from_utf8(m.body())
                    .is_ok_and(|b| sdp_rs::SessionDescription::try_from(b).is_ok())
            }),
            "split" => line_split(black_box(msg)) != 0,
            other => panic!("unknown mode {other}"),
        });
    }
    ok
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Nanoseconds per operation of one batch of `what`.
fn batch(what: &str, policy: &Policy<'_>, shape: &Shape) -> f64 {
    let source = shape.source();
    let start = Instant::now();
    let ok = run(what, BATCH, policy, source, shape);
    assert_eq!(ok, BATCH, "{what} must succeed on {}", shape.name);
    #[allow(clippy::cast_precision_loss)] // nanoseconds of a short batch
    let ns = start.elapsed().as_nanos() as f64 / BATCH as f64;
    ns
}

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "check".into());
    let cidrs = shapes::cidrs();
    let policy = shapes::policy(&cidrs);
    match what.as_str() {
        "list" => {
            for s in &SHAPES {
                println!(
                    "{}\t{}\t{} bytes\t{}",
                    s.name,
                    s.what,
                    s.bytes.len(),
                    s.sdp().len()
                );
            }
        }
        "interleaved" => {
            let rounds: u64 = args.next().map_or(40, |s| s.parse().unwrap());
            println!("| shape | check ns | split ns | check / split |");
            println!("|---|---|---|---|");
            for shape in &SHAPES {
                let (mut check, mut split) = (Vec::new(), Vec::new());
                for _ in 0..rounds {
                    check.push(batch("check", &policy, shape));
                    split.push(batch("split", &policy, shape));
                }
                let (c, s) = (median(&mut check), median(&mut split));
                println!("| {} | {c:.0} | {s:.0} | {:.2} |", shape.name, c / s);
            }
        }
        _ => {
            let name = args.next().unwrap_or_else(|| "plivo".into());
            let shape = shapes::by_name(&name).expect("a shape name (see `list`)");
            let n: u64 = args.next().map_or(10_000, |s| s.parse().unwrap());
            let ok = run(&what, n, &policy, shape.source(), shape);
            println!("{what} {name} {n}: {ok}");
        }
    }
}
