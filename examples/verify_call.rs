//! Runbook 3.6 and 4.4: find the test calls in Plivo's Zentrunk CDRs and say whether they
//! connected, and with which caller ID (the same as `interconnect verify-call`).
//!
//! ```text
//! cargo run --example verify_call                                   # offline, seeded sandbox
//! PLIVO_AUTH_ID=... PLIVO_AUTH_TOKEN=... cargo run --example verify_call -- \
//!     --tenant acme.hobot.wehostvoip.io --caller-id +14155550123 --number +14155550123 \
//!     --since "2026-11-26 00:00"
//! ```
//!
//! Exit code 0 when an outbound call connected with the configured caller ID and (when numbers
//! are given) an inbound call connected; 1 otherwise; 2 for bad input.

use std::process::ExitCode;

use clap::Parser;

#[allow(dead_code)]
#[path = "interconnect/backend.rs"]
mod backend;
#[allow(dead_code)]
#[path = "interconnect/inputs.rs"]
mod inputs;
#[allow(dead_code)]
#[path = "interconnect/output.rs"]
mod output;
#[allow(dead_code)]
#[path = "interconnect/time.rs"]
mod time;
#[path = "interconnect/verify_call.rs"]
mod verify_call;

/// Verify the runbook's test calls (3.6 outbound, 4.4 inbound) from Plivo's Zentrunk CDRs: did
/// they connect, and with the configured caller ID? Without credentials, against a seeded
/// offline sandbox.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Args {
    #[command(flatten)]
    verify: verify_call::VerifyCallArgs,
    /// Print one JSON document on stdout (human text goes to stderr).
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    output::init_logging(0, false);
    let out = output::Out {
        json: args.json,
        quiet: false,
    };
    verify_call::run(&args.verify, out, false).await
}
