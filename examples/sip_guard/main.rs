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
//! The policy is `Interconnect::call_policy()` of the interconnect the `interconnect` tool would
//! build from the same `--number` routes (`+E164[=EXT]`, its defaults for the rest, inbound by
//! Plivo's published ranges), as `check_invite` applies it: the source must be inside Plivo's 14
//! published CIDRs unless `--source-any`, PCMU must be offered, the Request-URI must be one of the
//! routed numbers when any `--number` is given (any number otherwise), and telephone-event is
//! required only with `--require-telephone-event`. UDP and TCP on the listen address;
//! the upstream is reached over UDP. Counters are printed to standard error every ten seconds.
//! Exit code 2 for usage or socket errors.

#[path = "../interconnect/call_policy.rs"]
mod call_policy;
// Shared with the interconnect tool, which uses all of it.
#[allow(dead_code)]
#[path = "../interconnect/inputs.rs"]
mod inputs;
#[path = "../interconnect/offline.rs"]
mod offline;
mod server;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::Parser;
use interconnect_core::interconnect::CallPolicy;
use sip_rules::Policy;

use crate::call_policy::Overrides;
use crate::inputs::Inputs;

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

/// The policy of the interconnect the flags describe (its `call_policy()`), with the flags'
/// overrides; its inputs live as long as the process (made once at start-up).
fn policy(args: &Args) -> Result<Policy<'static>, String> {
    let inputs = Inputs {
        // Without `--number` the interconnect keeps its default route; any number is taken then.
        numbers: if args.numbers.is_empty() {
            Inputs::default().numbers
        } else {
            args.numbers.clone()
        },
        // The guard admits Plivo's published blocks, whatever gateway WeHostVoIP admits them by.
        inbound_auth: "published-ranges".into(),
        ..Inputs::default()
    };
    let parsed = inputs.parse().map_err(|e| e.to_string())?;
    let interconnect = offline::interconnect(&parsed).map_err(|e| e.to_string())?;
    let call_policy: &'static CallPolicy = Box::leak(Box::new(interconnect.call_policy()));
    Ok(call_policy::policy(
        call_policy,
        Overrides {
            source_any: args.source_any,
            require_telephone_event: args.require_telephone_event,
            any_number: args.numbers.is_empty(),
        },
    ))
}
