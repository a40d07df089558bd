#![allow(clippy::cast_precision_loss)] // request counts and rates, far below 2^52
//! Attach many Plivo numbers to the interconnect's inbound trunk, within Plivo's 300 requests
//! per 5 seconds, and put them in the ISP inventory on one extension.
//!
//! ```text
//! cargo run --example bulk_numbers -- --count 200      # offline, sandbox at the real limit
//! ```
//!
//! Progress: a bar on a terminal, a line every tenth of the steps otherwise.

use std::io::IsTerminal as _;
use std::time::Instant;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use interconnect_core::interconnect::{Interconnect, StepOutcome};
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{E164, InboundAuth, Sbc};
use plivo_client::sandbox::Sandbox;
use wehostvoip_client::{InMemory, Subscriber, World};

/// Attach many Plivo numbers to the interconnect's inbound trunk and the ISP inventory, offline
/// against the sandbox at Plivo's real rate limit (300 requests per 5 s): shows the throughput and
/// how many requests were answered 429.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Args {
    /// How many numbers (from +14155500000 upwards).
    #[arg(long, default_value_t = 100)]
    count: u32,
    /// The extension they ring.
    #[arg(long, default_value = "1001")]
    extension: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let sandbox = Sandbox::start().await;
    let numbers: Vec<E164> = (0..args.count)
        .map(|i| format!("+1415550{i:04}").parse())
        .collect::<Result<_, _>>()?;
    for n in &numbers {
        sandbox.add_account_number(n.as_str())?;
    }
    let plivo = sandbox.client_builder().build()?;
    let tenant = "acme.hobot.wehostvoip.io";
    let mut world = World::new();
    world.add_tenant(tenant.parse()?)?;
    world.add_subscriber(&tenant.parse()?, Subscriber::new(args.extension.parse()?))?;
    let mut builder = Interconnect::builder()
        .plivo(plivo)
        .wehostvoip(Box::new(InMemory::new(world)))
        .resolver(StaticResolver::shared_sbcs())
        .sbc(Sbc::preset("us").ok_or("no us preset")?.clone())
        .tenant(tenant)
        .caller_id(
            numbers
                .first()
                .ok_or("--count must be at least 1")?
                .clone()
                .into(),
        )
        .country("US")
        .inbound_auth(InboundAuth::PublishedRanges);
    for n in &numbers {
        builder = builder.number(n.clone(), args.extension.clone());
    }
    let ic = builder.build()?;
    let started = Instant::now();
    let plan = ic.plan().await?;
    let total = plan.steps().len();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {pos}/{len} steps, {per_sec}, about {eta} left: {wide_msg}",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let every = (total / 10).max(1);
    let report = ic
        .apply_with_progress(&plan, |p| {
            if *p.outcome() == StepOutcome::Started {
                return;
            }
            match &bar {
                Some(bar) => {
                    bar.set_message(p.what().to_owned());
                    bar.inc(1);
                }
                None if p.index() % every == 0 || p.index() == p.total() => eprintln!(
                    "  {}/{} steps ({:.0} s)",
                    p.index(),
                    p.total(),
                    started.elapsed().as_secs_f64()
                ),
                None => {}
            }
        })
        .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report?;
    let elapsed = started.elapsed();
    let log = sandbox.requests();
    let throttled = log.iter().filter(|r| r.status == Some(429)).count();
    println!(
        "{} numbers: {} steps applied, {} requests in {:.1} s ({:.1} requests/s), {} answered 429",
        args.count,
        report.applied(),
        log.len(),
        elapsed.as_secs_f64(),
        log.len() as f64 / elapsed.as_secs_f64(),
        throttled
    );
    let again = ic.plan().await?;
    println!(
        "second plan: {}",
        if again.is_empty() {
            "nothing to do"
        } else {
            "steps remain"
        }
    );
    Ok(())
}
