//! Checks one SIP message against the Plivo interconnect policy and prints one line of JSON
//! (the same as `interconnect check-invite`).
//!
//! ```text
//! cargo run --example check_invite -- --source 18.214.109.140 --number +14155550123 invite.sip
//! cat invite.sip | cargo run --example check_invite -- --source-any -
//! ```
//!
//! The source must be inside Plivo's 14 published CIDRs unless `--source-any`; PCMU must be
//! offered; the Request-URI must be one of `--number` when any is given. Exit code 0 for accept,
//! 1 for reject, 2 for usage or I/O errors.

use std::process::ExitCode;

use clap::Parser;

#[path = "interconnect/call_policy.rs"]
mod call_policy;
#[path = "interconnect/check_invite.rs"]
mod check_invite;
// Shared with the interconnect tool, which uses all of it.
#[allow(dead_code)]
#[path = "interconnect/inputs.rs"]
mod inputs;
#[path = "interconnect/offline.rs"]
mod offline;

/// Check one SIP INVITE (a file or standard input) against the Plivo interconnect policy: source
/// inside Plivo's published ranges, PCMU offered, the Request-URI one of the routed numbers.
/// Prints one line of JSON; exit 0 accept, 1 reject, 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Args {
    #[command(flatten)]
    check: check_invite::CheckInviteArgs,
}

fn main() -> ExitCode {
    match Args::try_parse() {
        Ok(a) => check_invite::run(&a.check),
        Err(e) if e.use_stderr() => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(e) => {
            // --help and --version.
            print!("{e}");
            ExitCode::SUCCESS
        }
    }
}
