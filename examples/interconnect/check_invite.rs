//! `check-invite`: one SIP message against the Plivo interconnect policy, one line of JSON out.
//!
//! The policy is `Interconnect::call_policy()` of the interconnect the `--number` routes make
//! (inbound by Plivo's published ranges), as `sip_guard` applies it: the source must be inside
//! Plivo's 14 published CIDRs unless `--source-any`; PCMU must be offered; the Request-URI must
//! be one of `--number` when any is given. Exit code 0 for accept,
//! 1 for reject, 2 for usage or I/O errors.

use std::io::Read;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;
use sip_rules::{Header, Status};

use crate::call_policy::{self, Overrides};
use crate::inputs::Inputs;
use crate::offline;

/// The arguments of `check-invite`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckInviteArgs {
    /// The address the message came from.
    #[arg(long)]
    pub source: Option<IpAddr>,
    /// Accept any source address (skip the Plivo CIDR check).
    #[arg(long, conflicts_with = "source")]
    pub source_any: bool,
    /// A number the Request-URI may name (+E.164); repeatable. Without it any E.164 number is taken.
    #[arg(long = "number")]
    pub numbers: Vec<String>,
    /// Require telephone-event (RFC 4733 DTMF) in the offer.
    #[arg(long)]
    pub require_telephone_event: bool,
    /// The message: a file, or `-` for standard input.
    pub file: PathBuf,
}

fn usage(message: &str) -> ExitCode {
    emit(format_args!(
        "{}\n",
        json!({"verdict": "error", "error": message})
    ));
    ExitCode::from(2)
}

/// Checks the message and prints one line of JSON: exit 0 accept, 1 reject, 2 usage or I/O error.
/// Writes the verdict line; a reader that went away is not a reason to panic (the exit code
/// still carries the verdict). This file is also the `check_invite` example, which has no
/// `output` module, hence its own three lines.
fn emit(line: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_fmt(line);
}

pub fn run(args: &CheckInviteArgs) -> ExitCode {
    let source = match (args.source, args.source_any) {
        (Some(ip), _) => ip,
        (None, true) => IpAddr::from([127, 0, 0, 1]),
        (None, false) => return usage("give --source IP (or --source-any)"),
    };
    let mut message = Vec::new();
    let read = if args.file.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut message)
    } else {
        std::fs::File::open(&args.file).and_then(|mut f| f.read_to_end(&mut message))
    };
    if let Err(e) = read {
        return usage(&format!("cannot read {}: {e}", args.file.display()));
    }

    // The policy of the interconnect these routes make (its `call_policy()`), as `sip_guard`
    // applies it.
    let inputs = Inputs {
        numbers: if args.numbers.is_empty() {
            Inputs::default().numbers
        } else {
            args.numbers.clone()
        },
        inbound_auth: "published-ranges".into(),
        ..Inputs::default()
    };
    let interconnect = match inputs.parse().and_then(|p| offline::interconnect(&p)) {
        Ok(i) => i,
        Err(e) => return usage(&e.to_string()),
    };
    let call_policy = interconnect.call_policy();
    let overrides = Overrides {
        source_any: args.source_any,
        require_telephone_event: args.require_telephone_event,
        any_number: args.numbers.is_empty(),
    };
    let policy = call_policy::policy(&call_policy, overrides);

    let mut headers = [Header::EMPTY; 64];
    match policy.check(source, &message, &mut headers) {
        Ok(Status::Complete(call)) => {
            let codecs: Vec<_> = call
                .codecs()
                .map(|c| json!({"pt": c.payload_type, "encoding": c.encoding, "clock_rate": c.clock_rate}))
                .collect();
            emit(format_args!(
                "{}\n",
                json!({
                    "verdict": "accept",
                    "method": call.method(),
                    "number": call.number(),
                    "from": call.from_number(),
                    "pai": call.pai_numbers().collect::<Vec<_>>(),
                    "call_id": call.call_id(),
                    "codecs": codecs,
                    "audio_address": call.audio_address(),
                    "audio_port": call.audio_port(),
                })
            ));
            ExitCode::SUCCESS
        }
        Ok(Status::Partial) => {
            emit(format_args!(
                "{}\n",
                json!({"verdict": "reject", "status": 400, "reason": "incomplete message"})
            ));
            ExitCode::from(1)
        }
        Err(r) => {
            emit(format_args!(
                "{}\n",
                json!({"verdict": "reject", "status": r.status(), "reason": r.reason()})
            ));
            ExitCode::from(1)
        }
    }
}
