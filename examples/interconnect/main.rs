//! `interconnect`: connect a WeHostVoIP tenant to a Plivo Zentrunk SIP trunk, and finish the
//! WeHostVoIP console steps from the command line.
//!
//! ```text
//! cargo run --example interconnect                 # the whole runbook offline (no credentials)
//! cargo install --path examples --example interconnect
//! export PLIVO_AUTH_ID=... PLIVO_AUTH_TOKEN=...
//! interconnect plan --sbc br --tenant acme.hobot.wehostvoip.io --caller-id "+55 11 99999-0000" \
//!     --number +5511999990000=1001 --country BR --state acme.json -out acme.plan
//! interconnect apply acme.plan
//! interconnect checklist --state acme.json
//! interconnect confirm --state acme.json create-carrier-1a2b3c4d --by alice
//! interconnect status --state acme.json
//! ```
//!
//! Exit codes: 0 success; 1 failure (an API or state-file error, a stale plan, a refused apply);
//! 2 bad input (the message names the flag or environment variable and the rule). With
//! `plan --detailed-exitcode` (and `status --detailed-exitcode`): 0 nothing to do, 2 changes
//! pending, 1 any error. `check-invite`: 0 accept, 1 reject, 2 usage. `verify-call`: 0 both test
//! calls seen, 1 not seen, 2 bad input.

// Doc comments here are --help text, read in a terminal: no Markdown backticks.
#![allow(clippy::doc_markdown)]

mod backend;
mod call_policy;
mod check_invite;
mod commands;
mod demo;
mod inputs;
mod offline;
mod output;
mod session;
mod time;
mod verify_call;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::inputs::DesiredArgs;
use crate::output::{Out, init_logging, print_error};
use crate::session::CliError;

const ABOUT: &str = "Connect a WeHostVoIP tenant to a Plivo Zentrunk SIP trunk: plan, apply, \
                     confirm the console steps, verify, tear down";

const LONG_ABOUT: &str = "Connect a WeHostVoIP tenant to a Plivo Zentrunk SIP trunk.

Plivo is changed through its API. WeHostVoIP has no API: its steps become an operator checklist
kept in a state file (--state, default wehostvoip-checklist.json); the operator does each step in
the console, then confirms it with `interconnect confirm`, and a re-run shows only what is left.

With PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN set, every command works on that account (PLIVO_API_BASE_URL
overrides the address). Without them, the built-in offline sandbox is used only with --sandbox, or
by commands that imply no real account; the first line of output always says which.

With no subcommand and no credentials, the whole runbook runs offline as a demo.";

const EXAMPLES: &str = "Examples:
  interconnect                                   the offline demo
  interconnect plan --sandbox --sbc br --country BR --number '+55 11 99999-0000=1001'
  interconnect plan --state acme.json -out acme.plan --detailed-exitcode
  interconnect apply acme.plan
  interconnect checklist --state acme.json --format markdown
  interconnect confirm --state acme.json create-carrier-1a2b3c4d --by alice --note 'ticket 42'
  interconnect status --state acme.json -o json | jq .status.nothing_pending
  interconnect teardown --state acme.json

Exit codes: 0 success, 1 failure, 2 bad input (or, with --detailed-exitcode, changes pending).";

/// Options every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Global {
    /// More log output (-v info, -vv debug, -vvv trace); RUST_LOG, when set, decides instead.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    /// Only results and errors: no notes, no progress, logs at error level.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// The output: text, or one JSON document on stdout (human text then goes to stderr).
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) output: OutputFormat,
    /// Use the built-in offline Plivo sandbox (an error when PLIVO_AUTH_ID/PLIVO_AUTH_TOKEN are
    /// set).
    #[arg(long, global = true)]
    pub(crate) sandbox: bool,
    #[arg(skip)]
    pub(crate) json_flag: bool,
}

impl Global {
    pub(crate) fn json(&self) -> bool {
        self.output == OutputFormat::Json || self.json_flag
    }

    pub(crate) fn out(&self) -> Out {
        Out {
            json: self.json(),
            quiet: self.quiet,
        }
    }
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Text for people.
    Text,
    /// One versioned JSON document (`format_version`) on stdout.
    Json,
}

#[derive(Debug, Parser)]
#[command(
    name = "interconnect",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Option<Command>,
    /// The demo's inputs (with no subcommand).
    #[command(flatten)]
    demo: DesiredArgs,
    /// Demo: also tear down what it made, and confirm the teardown steps.
    #[arg(long)]
    teardown: bool,
    /// Same as -o json.
    #[arg(long, hide = true)]
    json: bool,
    /// Before subcommands existed: `interconnect --apply` (now `interconnect apply --yes`).
    #[arg(long, hide = true)]
    apply: bool,
    /// Before subcommands existed: `interconnect --state FILE` (now `interconnect plan --state FILE`).
    #[arg(long, hide = true)]
    state: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what apply would change on both sides (reads only).
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Carry out a plan: Plivo through its API, WeHostVoIP as checklist steps for the operator.
    #[command(after_help = APPLY_EXAMPLES)]
    Apply(ApplyArgs),
    /// Show, for both sides, what is done, what waits for the operator, and what drifted.
    #[command(after_help = STATUS_EXAMPLES)]
    Status(StatusArgs),
    /// Record that the operator did WeHostVoIP steps (by id, in order).
    #[command(after_help = CONFIRM_EXAMPLES)]
    Confirm(ConfirmArgs),
    /// Remove what this tool made (asks first; the WeHostVoIP part is checklist steps).
    #[command(after_help = TEARDOWN_EXAMPLES)]
    Teardown(TeardownArgs),
    /// Find the runbook's test calls in Plivo's CDRs (runbook 3.6 and 4.4).
    #[command(after_help = VERIFY_EXAMPLES)]
    VerifyCall(verify_call::VerifyCallArgs),
    /// Check one SIP INVITE against the call-path policy (one line of JSON).
    #[command(after_help = CHECK_EXAMPLES)]
    CheckInvite(check_invite::CheckInviteArgs),
    /// Print the WeHostVoIP steps still waiting for the operator.
    #[command(after_help = CHECKLIST_EXAMPLES)]
    Checklist(ChecklistArgs),
}

const PLAN_EXAMPLES: &str = "Examples:
  interconnect plan --sandbox
  interconnect plan --state acme.json -out acme.plan
  interconnect plan --state acme.json --teardown -out teardown.plan
  interconnect plan --state acme.json --detailed-exitcode; echo $?   # 0 none, 2 changes, 1 error
  interconnect plan --sbc sbc.acme.example --resolve sbc.acme.example=198.51.100.7 --sandbox
  interconnect plan --state acme.json -o json | jq '.plan.steps | length'";
const APPLY_EXAMPLES: &str = "Examples:
  interconnect apply acme.plan               apply exactly the saved plan (refused if stale)
  interconnect apply --state acme.json       plan, show, ask 'yes' on a terminal
  interconnect apply --state acme.json --yes";
const STATUS_EXAMPLES: &str = "Examples:
  interconnect status --state acme.json
  interconnect status --state acme.json --detailed-exitcode   # 0 nothing pending, 2 pending
  interconnect status --state acme.json -o json | jq .status";
const CONFIRM_EXAMPLES: &str = "Examples:
  interconnect confirm --state acme.json create-carrier-1a2b3c4d --by alice
  interconnect confirm --state acme.json set-caller-id-0badcafe bind-tenant-carrier-12345678 \\
      --by alice --note 'ticket 42'";
const TEARDOWN_EXAMPLES: &str = "Examples:
  interconnect teardown --state acme.json
  interconnect teardown --state acme.json --yes
  interconnect plan --teardown --state acme.json -out down.plan && interconnect apply down.plan";
const VERIFY_EXAMPLES: &str = "Examples:
  interconnect verify-call                                   offline, seeded sandbox
  interconnect verify-call --since 2026-11-26T14:00:00Z --number +14155550123
  interconnect verify-call --since '2026-11-26 14:00' -o json";
const CHECK_EXAMPLES: &str = "Examples:
  interconnect check-invite --source 18.214.109.140 --number +14155550123 invite.sip
  cat invite.sip | interconnect check-invite --source-any -";
const CHECKLIST_EXAMPLES: &str = "Examples:
  interconnect checklist --state acme.json
  interconnect checklist --state acme.json --format json | jq '.steps[].id'";

/// `plan`.
#[derive(Debug, clap::Args)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub(crate) desired: DesiredArgs,
    /// The checklist state file of the WeHostVoIP steps [default: wehostvoip-checklist.json].
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// Plan the removal of what this tool made.
    #[arg(long)]
    pub(crate) teardown: bool,
    /// With --teardown: detach numbers someone attached to this tool's inbound trunk by hand
    /// (without it each is a conflict); the plan lists every number detached this way.
    #[arg(long, requires = "teardown")]
    pub(crate) force: bool,
    /// Save the plan, for `interconnect apply FILE` (also spelt -out, as Terraform does).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Exit 0 when there is nothing to do, 2 when changes are pending, 1 on any error.
    #[arg(long)]
    pub(crate) detailed_exitcode: bool,
    /// Same as -o json.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `apply`.
#[derive(Debug, clap::Args)]
pub(crate) struct ApplyArgs {
    /// A plan saved by `interconnect plan -out FILE`: applied as it is (no question asked), refused
    /// when the accounts changed since.
    #[arg(value_name = "PLANFILE")]
    pub(crate) plan_file: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) desired: DesiredArgs,
    /// The checklist state file [default: wehostvoip-checklist.json, or the saved plan's].
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// Do not ask for approval.
    #[arg(long, short = 'y')]
    pub(crate) yes: bool,
    /// Same as -o json.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `teardown`.
#[derive(Debug, clap::Args)]
pub(crate) struct TeardownArgs {
    #[command(flatten)]
    pub(crate) desired: DesiredArgs,
    /// The checklist state file [default: wehostvoip-checklist.json].
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// Do not ask for approval.
    #[arg(long, short = 'y')]
    pub(crate) yes: bool,
    /// Detach numbers someone attached to this tool's inbound trunk by hand (without it each is
    /// a conflict); the plan lists every number detached this way.
    #[arg(long)]
    pub(crate) force: bool,
}

/// `status`.
#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) desired: DesiredArgs,
    /// The checklist state file [default: wehostvoip-checklist.json].
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// Exit 0 when nothing is pending on either side, 2 when something is, 1 on any error.
    #[arg(long)]
    pub(crate) detailed_exitcode: bool,
}

/// `confirm`.
#[derive(Debug, clap::Args)]
pub(crate) struct ConfirmArgs {
    /// The checklist state file [default: wehostvoip-checklist.json].
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// The ids of the steps done, in order (printed under each checklist step).
    #[arg(value_name = "ID", required = true)]
    pub(crate) ids: Vec<String>,
    /// Who did the steps (kept in the state file).
    #[arg(long, value_name = "NAME")]
    pub(crate) by: String,
    /// Anything worth keeping: a ticket number, what the console showed.
    #[arg(long, value_name = "TEXT")]
    pub(crate) note: Option<String>,
}

/// The format of `checklist`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ChecklistFormat {
    /// For a person (or a ticket).
    Markdown,
    /// For a ticket system.
    Json,
}

/// `checklist`.
#[derive(Debug, clap::Args)]
pub(crate) struct ChecklistArgs {
    /// The checklist state file [default: wehostvoip-checklist.json].
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// markdown or json.
    #[arg(long, value_enum, default_value_t = ChecklistFormat::Markdown)]
    pub(crate) format: ChecklistFormat,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// Exit 0.
    Ok,
    /// Exit 2 with --detailed-exitcode: changes pending.
    Changes,
    /// Exit 1.
    Failed,
}

/// Terraform's single-dash spellings (`-out FILE`, `-out=FILE`, `-detailed-exitcode`).
fn normalize_args(args: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    args.map(|a| match a.to_str() {
        Some("-out") => "--out".into(),
        Some(s) if s.starts_with("-out=") => format!("-{s}").into(),
        Some("-detailed-exitcode") => "--detailed-exitcode".into(),
        _ => a,
    })
    .collect()
}

async fn run(cli: Cli) -> Result<Code, CliError> {
    let mut global = cli.global.clone();
    match cli.command {
        Some(Command::Plan(a)) => {
            global.json_flag = a.json;
            commands::plan(&global, &a).await
        }
        Some(Command::Apply(a)) => {
            global.json_flag = a.json;
            commands::apply(&global, &a).await
        }
        Some(Command::Teardown(a)) => commands::teardown(&global, &a).await,
        Some(Command::Status(a)) => commands::status(&global, &a).await,
        Some(Command::Confirm(a)) => commands::confirm(&global, &a),
        Some(Command::Checklist(a)) => commands::checklist(&global, &a),
        Some(Command::VerifyCall(a)) => Ok(
            match verify_call::run(&a, global.out(), global.sandbox).await {
                c if c == ExitCode::SUCCESS => Code::Ok,
                c => return Err(CliError::Exit(c)),
            },
        ),
        Some(Command::CheckInvite(a)) => match check_invite::run(&a) {
            c if c == ExitCode::SUCCESS => Ok(Code::Ok),
            c => Err(CliError::Exit(c)),
        },
        None => {
            global.json_flag = cli.json;
            let credentials = std::env::var_os("PLIVO_AUTH_ID").is_some()
                || std::env::var_os("PLIVO_AUTH_TOKEN").is_some();
            if cli.apply || cli.state.is_some() || credentials {
                // The flags of the script before it had subcommands: they imply a real account.
                let out = global.out();
                if cli.apply {
                    out.note("note: `interconnect --apply` is now `interconnect apply`");
                    let a = ApplyArgs {
                        plan_file: None,
                        desired: cli.demo,
                        state: cli.state,
                        yes: true,
                        json: cli.json,
                    };
                    commands::apply(&global, &a).await
                } else {
                    out.note(
                        "note: with no subcommand and credentials set, this is \
                         `interconnect plan` (nothing is changed)",
                    );
                    let a = PlanArgs {
                        desired: cli.demo,
                        state: cli.state,
                        teardown: cli.teardown,
                        force: false,
                        out: None,
                        detailed_exitcode: false,
                        json: cli.json,
                    };
                    commands::plan(&global, &a).await
                }
            } else {
                demo::run(global.out(), &cli.demo, cli.teardown).await
            }
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(normalize_args(std::env::args_os())) {
        Ok(c) => c,
        Err(e) => {
            // Usage errors exit 2, --help and --version 0 (clap's own codes).
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    init_logging(cli.global.verbose, cli.global.quiet);
    let detailed = matches!(
        &cli.command,
        Some(
            Command::Plan(PlanArgs {
                detailed_exitcode: true,
                ..
            }) | Command::Status(StatusArgs {
                detailed_exitcode: true,
                ..
            })
        )
    );
    match run(cli).await {
        Ok(Code::Ok) => ExitCode::SUCCESS,
        Ok(Code::Changes) => ExitCode::from(2),
        Ok(Code::Failed) => ExitCode::FAILURE,
        Err(CliError::Exit(code)) => code,
        Err(CliError::Input(e)) => {
            eprintln!("error: {e}");
            // With --detailed-exitcode, 2 means "changes pending": any error is 1 (as Terraform).
            ExitCode::from(if detailed { 1 } else { 2 })
        }
        Err(CliError::Failed(e)) => {
            print_error(e.as_ref());
            ExitCode::FAILURE
        }
    }
}
