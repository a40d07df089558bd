//! Runs `check_invite` or the `memchr` line-split baseline on the bench's Plivo INVITE many
//! times, for instruction counts under callgrind (stable on a loaded machine, unlike wall time):
//!
//! ```sh
//! cargo build --release -p sip-rules --example instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions check 10000
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions split 10000
//! ```
//!
//! Divide the difference to a run with `0` iterations by the iteration count.

// A failed setup is a failed measurement.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use sip_rules::{Acl, Header, Numbers, Policy, Status};

const INVITE: &[u8] = include_bytes!("../tests/data/plivo_invite.sip");
static NUMBERS: [&str; 1] = ["+14155550123"];

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

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "check".into());
    let n: u64 = args.next().map_or(10_000, |s| s.parse().unwrap());
    let cidrs = ["18.214.109.128/25".parse().unwrap()];
    let policy = Policy::new(Acl::Cidrs(&cidrs))
        .with_numbers(Numbers::new(&NUMBERS).unwrap())
        .require_e164_caller_id(true)
        .require_telephone_event(true);
    let source = "18.214.109.129".parse().unwrap();
    let mut headers = [Header::EMPTY; 32];
    let mut accepted = 0u64;
    for _ in 0..n {
        match what.as_str() {
            "check" => {
                let v = policy.check(source, black_box(INVITE), &mut headers);
                accepted += u64::from(matches!(v, Ok(Status::Complete(_))));
            }
            _ => accepted += u64::from(line_split(black_box(INVITE)) != 0),
        }
    }
    println!("{what} {n}: {accepted}");
}
