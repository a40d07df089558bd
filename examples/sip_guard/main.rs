//! A stateless SIP guard in front of an SBC: INVITEs the interconnect policy refuses are
//! answered here (RFC 3261 §8.2.6), accepted ones and in-dialog `ACK`, `BYE` and `CANCEL` go on
//! to the upstream as a stateless proxy forwards them (RFC 3261 §16.11), and the upstream's
//! responses come back without the guard's `Via`.
//!
//! ```text
//! cargo run --release --example sip_guard -- --listen 0.0.0.0:5060 --upstream 10.0.0.5:5060 \
//!     --number +14155550123 --require-telephone-event
//! cargo run --release --example sip_guard -- --listen 127.0.0.1:5070 --upstream 127.0.0.1:5080 --source-any
//! ```
//!
//! The policy is the one `check_invite` applies (and `Interconnect::call_policy()` gives): the
//! source must be inside Plivo's 14 published CIDRs unless `--source-any`, PCMU must be offered,
//! the Request-URI must be one of `--number` when any is given. UDP and TCP on the listen address;
//! the upstream is reached over UDP. Counters are printed to standard error every ten seconds.
//! Exit code 2 for usage or socket errors.

mod server;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::Parser;
use interconnect_core::E164;
use interconnect_core::presets::PLIVO;
use sip_rules::{Acl, Cidr, Numbers, Policy};

/// Guard an SBC: answer refused INVITEs, forward the rest statelessly.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The address to listen on, UDP and TCP.
    #[arg(long)]
    listen: SocketAddr,
    /// The SBC to forward accepted requests to (UDP).
    #[arg(long)]
    upstream: SocketAddr,
    /// Accept any source address (skip the Plivo CIDR check).
    #[arg(long)]
    source_any: bool,
    /// A number the Request-URI may name (+E.164); repeatable. Without it any E.164 number is taken.
    #[arg(long = "number")]
    numbers: Vec<String>,
    /// Require telephone-event (RFC 4733 DTMF) in the offer.
    #[arg(long)]
    require_telephone_event: bool,
    /// Most TCP connections at once.
    #[arg(long, default_value_t = 256)]
    max_connections: usize,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) if e.use_stderr() => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            print!("{e}");
            return ExitCode::SUCCESS;
        }
    };
    let policy = match policy(&args) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sip_guard: {e}");
            return ExitCode::from(2);
        }
    };
    let config = server::Config {
        listen: args.listen,
        upstream: args.upstream,
        max_connections: args.max_connections,
    };
    let running = match server::Bound::bind(&config, policy).and_then(|b| {
        eprintln!(
            "sip_guard: listening on {} (UDP, TCP), upstream {}",
            b.local_addr()?,
            args.upstream
        );
        b.spawn()
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sip_guard: {e}");
            return ExitCode::from(2);
        }
    };
    let guard = running.guard();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(10));
            let s = guard.stats();
            eprintln!(
                "sip_guard: answered {} forwarded {} relayed {} dropped {}",
                s.answered.load(Ordering::Relaxed),
                s.forwarded.load(Ordering::Relaxed),
                s.relayed.load(Ordering::Relaxed),
                s.dropped.load(Ordering::Relaxed),
            );
        }
    });
    running.wait();
    ExitCode::SUCCESS
}

/// The policy from the flags, as `check_invite` builds it; its inputs live as long as the
/// process (made once at start-up).
fn policy(args: &Args) -> Result<Policy<'static>, String> {
    let mut numbers = Vec::with_capacity(args.numbers.len());
    for n in &args.numbers {
        numbers.push(n.parse::<E164>().map_err(|e| e.to_string())?.to_string());
    }
    numbers.sort();
    numbers.dedup();
    let numbers: &'static [String] = numbers.leak();
    let number_refs: &'static [&'static str] = numbers
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .leak();
    let acl = if args.source_any {
        Acl::Any
    } else {
        let cidrs: Vec<Cidr> = PLIVO
            .cidrs()
            .filter_map(|c| Cidr::new(c.net().network(), c.net().prefix_len()).ok())
            .collect();
        Acl::Cidrs(cidrs.leak())
    };
    let mut policy = Policy::new(acl).require_telephone_event(args.require_telephone_event);
    if !number_refs.is_empty() {
        policy = policy.with_numbers(Numbers::new(number_refs).map_err(|e| e.to_string())?);
    }
    Ok(policy)
}
