//! `verify-call`, runbook 3.6 and 4.4: find the test calls in Plivo's Zentrunk CDRs and say
//! whether they connected, and with which caller ID.
//!
//! Exit code 0 when an outbound call connected with the configured caller ID and (when numbers
//! are given) an inbound call connected; 1 otherwise; 2 for bad input.

use std::process::ExitCode;

use interconnect_core::interconnect::Interconnect;
use interconnect_core::naming::ResourceRole;
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{CallerId, E164, Sbc};
use plivo_client::sandbox::CallRecord;
use wehostvoip_client::{InMemory, World};

use crate::backend::{self, Plivo};
use crate::inputs::InputError;
use crate::output::{Out, print_error};

/// The arguments of `verify-call`.
#[derive(Debug, Clone, clap::Args)]
pub struct VerifyCallArgs {
    /// The WeHostVoIP SBC (us, br, in or an FQDN).
    #[arg(long, default_value = "us")]
    pub sbc: String,
    /// The WeHostVoIP tenant's domain.
    #[arg(long, default_value = "acme.hobot.wehostvoip.io")]
    pub tenant: String,
    /// The configured caller ID (+E.164; spaces and (-.) allowed).
    #[arg(long, default_value = "+14155550123")]
    pub caller_id: String,
    /// A number routed inbound (repeatable).
    #[arg(long = "number", default_value = "+14155550123")]
    pub numbers: Vec<String>,
    /// Only calls that ended at or after this time: RFC 3339 (2026-11-26T14:05:00Z) or
    /// `YYYY-MM-DD HH:MM[:SS]` in UTC.
    #[arg(long, default_value = "2026-01-01 00:00")]
    pub since: String,
}

#[allow(clippy::too_many_lines)] // inputs, sandbox seeding, report: one flow
async fn check(
    args: &VerifyCallArgs,
    out: Out,
    sandbox_flag: bool,
) -> Result<bool, Box<dyn std::error::Error>> {
    let sbc = match args.sbc.parse::<Sbc>() {
        Ok(s) => s,
        Err(_) => Sbc::dedicated(
            "custom",
            args.sbc
                .parse()
                .map_err(|e| InputError::new("--sbc", &args.sbc, e))?,
            None,
        )
        .map_err(|e| InputError::new("--sbc", &args.sbc, e))?,
    };
    let caller_id: CallerId = match args.caller_id.parse() {
        Ok(c) => c,
        Err(_) => E164::parse_lenient(&args.caller_id)
            .map_err(|e| InputError::new("--caller-id", &args.caller_id, e))?
            .into(),
    };
    let numbers = args
        .numbers
        .iter()
        .map(|n| E164::parse_lenient(n).map_err(|e| InputError::new("--number", n, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let since = crate::time::parse_since(&args.since)
        .map_err(|rule| InputError::new("--since", &args.since, rule))?;

    let plivo = backend::choose(&|k| std::env::var(k).ok(), sandbox_flag, None).await?;
    out.note(plivo.describe());
    if since != args.since {
        out.note(format!(
            "note: --since {:?} read as {since} UTC",
            args.since
        ));
    }
    let mut builder = Interconnect::builder()
        .plivo(plivo.client().clone())
        .wehostvoip(Box::new(InMemory::new(World::new())))
        .resolver(StaticResolver::shared_sbcs())
        .sbc(sbc)
        .tenant(args.tenant.clone())
        .caller_id(caller_id.clone())
        .country("US");
    for n in &numbers {
        builder = builder.number(n.clone(), "1001");
    }
    let ic = builder.build()?;

    if let Plivo::Sandbox {
        sandbox, client, ..
    } = &plivo
    {
        out.note("The sandbox holds one outbound test call to 1-800 and one inbound call.\n");
        for n in &numbers {
            sandbox.add_account_number(n.as_str()).ok();
        }
        // Make the outbound trunk exist, then record the two test calls on it.
        let trunk = client
            .trunks()
            .create_and_fetch(
                &plivo_client::CreateTrunk::outbound()
                    .name(ic.resource_name(ResourceRole::OutboundTrunk))
                    .ipacl(
                        client
                            .ip_acls()
                            .create(&plivo_client::CreateIpAcl::new(["172.174.24.204"]))
                            .await?
                            .id,
                    ),
            )
            .await?;
        let mut outbound = CallRecord::new("outbound", caller_id.number().as_str(), "+18005550100");
        outbound.trunk_domain = trunk.trunk_domain.unwrap_or_default();
        sandbox.seed_call(outbound);
        if let Some(n) = numbers.first() {
            let mut inbound = CallRecord::new("inbound", "+12025550199", n.as_str());
            inbound.trunk_domain = String::new();
            sandbox.seed_call(inbound);
        }
    }

    let report = ic.verify_test_call(&since).await?;
    let ok = report.outbound_ok() && (numbers.is_empty() || report.inbound_ok());
    out.say(format!("{report}"));
    out.say(format!(
        "runbook 3.6 (outbound test call): {}",
        if report.outbound_ok() {
            "ok"
        } else {
            "not seen"
        }
    ));
    if !numbers.is_empty() {
        out.say(format!(
            "runbook 4.4 (inbound test call): {}",
            if report.inbound_ok() {
                "ok"
            } else {
                "not seen"
            }
        ));
    }
    out.document(&serde_json::json!({
        "format_version": crate::output::FORMAT_VERSION,
        "command": "verify-call",
        "since": since,
        "ok": ok,
        "outbound_ok": report.outbound_ok(),
        "inbound_ok": report.inbound_ok(),
        "report": report,
    }));
    Ok(ok)
}

/// Runs `verify-call`.
pub async fn run(args: &VerifyCallArgs, out: Out, sandbox_flag: bool) -> ExitCode {
    match check(args, out, sandbox_flag).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            print_error(e.as_ref());
            ExitCode::from(2)
        }
    }
}
