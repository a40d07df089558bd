//! Runbook 3.6 and 4.4: find the test calls in Plivo's Zentrunk CDRs and say whether they
//! connected, and with which caller ID.
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
use interconnect_core::interconnect::Interconnect;
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{CallerId, E164, Sbc};
use plivo_client::PlivoClient;
use plivo_client::sandbox::{CallRecord, Sandbox};
use wehostvoip_client::{InMemory, World};

/// Verify the runbook's test calls from Plivo's CDRs.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The WeHostVoIP SBC (us, br, in or an FQDN).
    #[arg(long, default_value = "us")]
    sbc: String,
    /// The WeHostVoIP tenant's domain.
    #[arg(long, default_value = "acme.hobot.wehostvoip.io")]
    tenant: String,
    /// The configured caller ID.
    #[arg(long, default_value = "+14155550123")]
    caller_id: String,
    /// A number routed inbound (repeatable).
    #[arg(long = "number", default_value = "+14155550123")]
    numbers: Vec<String>,
    /// Only calls that ended at or after this time (`YYYY-MM-DD HH:MM`).
    #[arg(long, default_value = "2026-01-01 00:00")]
    since: String,
}

async fn run(args: &Args) -> Result<bool, Box<dyn std::error::Error>> {
    let sbc = match Sbc::preset(&args.sbc) {
        Some(s) => s.clone(),
        None => Sbc::dedicated("custom", args.sbc.parse()?, None)?,
    };
    let caller_id: CallerId = args.caller_id.parse()?;
    let numbers = args
        .numbers
        .iter()
        .map(|n| n.parse::<E164>())
        .collect::<Result<Vec<_>, _>>()?;

    let online = std::env::var_os("PLIVO_AUTH_ID").is_some();
    let sandbox = if online {
        None
    } else {
        println!(
            "Offline: the sandbox holds one outbound test call to 1-800 and one inbound call.\n"
        );
        Some(Sandbox::start().await)
    };
    let plivo = match &sandbox {
        None => PlivoClient::from_env()?,
        Some(s) => {
            for n in &numbers {
                s.add_account_number(n.as_str()).ok();
            }
            s.client_builder().build()?
        }
    };
    let mut builder = Interconnect::builder()
        .plivo(plivo.clone())
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

    if let Some(s) = &sandbox {
        // Make the outbound trunk exist, then record the two test calls on it.
        let trunk = plivo
            .trunks()
            .create_and_fetch(
                &plivo_client::CreateTrunk::outbound()
                    .name(ic.resource_name(interconnect_core::naming::ResourceRole::OutboundTrunk))
                    .ipacl(
                        plivo
                            .ip_acls()
                            .create(&plivo_client::CreateIpAcl::new(["172.174.24.204"]))
                            .await?
                            .id,
                    ),
            )
            .await?;
        let mut outbound = CallRecord::new("outbound", caller_id.number().as_str(), "+18005550100");
        outbound.trunk_domain = trunk.trunk_domain.unwrap_or_default();
        s.seed_call(outbound);
        if let Some(n) = numbers.first() {
            let mut inbound = CallRecord::new("inbound", "+12025550199", n.as_str());
            inbound.trunk_domain = String::new();
            s.seed_call(inbound);
        }
    }

    let report = ic.verify_test_call(&args.since).await?;
    print!("{report}");
    let ok = report.outbound_ok() && (numbers.is_empty() || report.inbound_ok());
    println!(
        "\nrunbook 3.6 (outbound test call): {}",
        if report.outbound_ok() {
            "ok"
        } else {
            "not seen"
        }
    );
    if !numbers.is_empty() {
        println!(
            "runbook 4.4 (inbound test call): {}",
            if report.inbound_ok() {
                "ok"
            } else {
                "not seen"
            }
        );
    }
    Ok(ok)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
