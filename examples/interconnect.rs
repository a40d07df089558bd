//! The main job: connect a WeHostVoIP tenant to Plivo, as the runbook does by hand.
//!
//! With no credentials it runs the whole runbook offline, against the built-in Plivo sandbox and
//! the in-memory WeHostVoIP backend. With `PLIVO_AUTH_ID` and `PLIVO_AUTH_TOKEN` set it plans
//! against Plivo's API and changes nothing unless `--apply` is given; the WeHostVoIP side is then
//! the operator checklist, kept in `--state FILE`.
//!
//! ```text
//! cargo run --example interconnect
//! cargo run --example interconnect -- --sbc br --tenant acme.hobot.wehostvoip.io \
//!     --caller-id +5511999990000 --number +5511999990000=1001 --country BR --inbound-auth none
//! PLIVO_AUTH_ID=... PLIVO_AUTH_TOKEN=... cargo run --example interconnect -- --state acme.json
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use interconnect_core::interconnect::{Interconnect, Plan, Progress, StepOutcome};
use interconnect_core::sbc::{StaticResolver, SystemResolver};
use interconnect_core::{CallerId, E164, InboundAuth, Sbc};
use plivo_client::PlivoClient;
use plivo_client::sandbox::Sandbox;
use sip_rules::{Header, Status};
use wehostvoip_client::{Checklist, InMemory, Subscriber, World};

/// Connect a WeHostVoIP tenant to a Plivo Zentrunk SIP trunk (plan, apply, verify, tear down).
#[derive(Debug, Parser)]
#[command(version, about)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
struct Args {
    /// The WeHostVoIP SBC: a shared region (us, br, in) or the FQDN of a dedicated SBC.
    #[arg(long, default_value = "us")]
    sbc: String,
    /// The WeHostVoIP tenant's domain.
    #[arg(long, default_value = "acme.hobot.wehostvoip.io")]
    tenant: String,
    /// The caller ID for outbound calls (a Plivo number on the account), +E.164, optionally
    /// `"Name" <+E.164>`.
    #[arg(long, default_value = "+14155550123")]
    caller_id: String,
    /// A Plivo number to route inbound, `+E164[=EXTENSION]` (extension 1001 when omitted).
    /// Repeatable.
    #[arg(long = "number", default_value = "+14155550123=1001")]
    numbers: Vec<String>,
    /// The destination country the tenant may call (ISO 3166-1 alpha-2).
    #[arg(long, default_value = "US")]
    country: String,
    /// Leave North American toll-free (prefix 18) out of the security group.
    #[arg(long)]
    no_toll_free: bool,
    /// How WeHostVoIP admits calls from Plivo: seed-alias, published-ranges or none.
    #[arg(long, default_value = "seed-alias")]
    inbound_auth: String,
    /// Print the plan as JSON (for audit) instead of text.
    #[arg(long)]
    json: bool,
    /// Plan (and with --apply, carry out) the removal of what this tool made.
    #[arg(long)]
    teardown: bool,
    /// Against the real API: carry the plan out (without it nothing is changed).
    #[arg(long)]
    apply: bool,
    /// Against the real API: the checklist state file of the WeHostVoIP steps.
    #[arg(long, default_value = "wehostvoip-checklist.json")]
    state: PathBuf,
}

/// The inputs, validated by the domain model before anything is sent.
struct Inputs {
    sbc: Sbc,
    caller_id: CallerId,
    routes: Vec<(E164, String)>,
    inbound_auth: InboundAuth,
}

fn parse_inputs(args: &Args) -> Result<Inputs, Box<dyn std::error::Error>> {
    let sbc = match Sbc::preset(&args.sbc) {
        Some(s) => s.clone(),
        None => Sbc::dedicated("custom", args.sbc.parse()?, None)?,
    };
    let caller_id: CallerId = args.caller_id.parse()?;
    let mut routes = Vec::new();
    for n in &args.numbers {
        let (number, ext) = n.split_once('=').unwrap_or((n.as_str(), "1001"));
        routes.push((number.parse::<E164>()?, ext.to_owned()));
    }
    let inbound_auth: InboundAuth = args.inbound_auth.parse()?;
    Ok(Inputs {
        sbc,
        caller_id,
        routes,
        inbound_auth,
    })
}

/// The WeHostVoIP objects that exist before the runbook starts: the tenant and its extensions.
fn seed_world(args: &Args, inputs: &Inputs) -> Result<World, Box<dyn std::error::Error>> {
    let mut world = World::new();
    let tenant = args.tenant.parse()?;
    world.add_tenant(args.tenant.parse()?)?;
    let mut exts: Vec<&str> = inputs.routes.iter().map(|(_, e)| e.as_str()).collect();
    exts.sort_unstable();
    exts.dedup();
    for ext in exts {
        world.add_subscriber(&tenant, Subscriber::new(ext.parse()?))?;
    }
    Ok(world)
}

fn build(
    args: &Args,
    inputs: &Inputs,
    plivo: PlivoClient,
    backend: Box<dyn wehostvoip_client::WeHostVoip>,
    offline: bool,
) -> Result<Interconnect, Box<dyn std::error::Error>> {
    let mut builder = Interconnect::builder()
        .plivo(plivo)
        .wehostvoip(backend)
        .sbc(inputs.sbc.clone())
        .tenant(args.tenant.clone())
        .caller_id(inputs.caller_id.clone())
        .country(args.country.clone())
        .inbound_auth(inputs.inbound_auth);
    // Offline, the shared SBCs resolve to their last-known addresses (no DNS is needed).
    builder = if offline {
        builder.resolver(StaticResolver::shared_sbcs())
    } else {
        builder.resolver(SystemResolver)
    };
    if args.no_toll_free {
        builder = builder.allow_toll_free(false);
    }
    for (number, ext) in &inputs.routes {
        builder = builder.number(number.clone(), ext.clone());
    }
    Ok(builder.build()?)
}

fn print_plan(plan: &Plan, json: bool) -> Result<(), Box<dyn std::error::Error>> {
    if json {
        println!("{}", serde_json::to_string_pretty(plan)?);
    } else {
        println!("{plan}");
    }
    Ok(())
}

fn progress(p: &Progress) {
    let outcome = match p.outcome() {
        StepOutcome::Started => return,
        StepOutcome::Done => "done".to_owned(),
        StepOutcome::Unchanged => "unchanged".to_owned(),
        StepOutcome::Reconciled => "found (no duplicate made)".to_owned(),
        StepOutcome::Failed(e) => format!("FAILED: {e}"),
        other => format!("{other:?}"),
    };
    println!(
        "  [{:>2}/{}] {} {}: {outcome}",
        p.index(),
        p.total(),
        p.action(),
        p.what()
    );
}

/// The whole runbook against the sandbox and the in-memory WeHostVoIP backend.
async fn offline(args: &Args, inputs: &Inputs) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "No PLIVO_AUTH_ID / PLIVO_AUTH_TOKEN: running offline against the built-in Plivo sandbox.\n"
    );
    let sandbox = Sandbox::start().await;
    for (number, _) in &inputs.routes {
        sandbox.add_account_number(number.as_str()).ok();
    }
    sandbox
        .add_account_number(inputs.caller_id.number().as_str())
        .ok();
    let plivo = sandbox.client_builder().build()?;
    let world = seed_world(args, inputs)?;
    let ic = build(
        args,
        inputs,
        plivo.clone(),
        Box::new(InMemory::new(world.clone())),
        true,
    )?;

    let plan = if args.teardown {
        ic.apply(&ic.plan().await?).await?;
        ic.teardown_plan().await?
    } else {
        ic.plan().await?
    };
    println!("== Plan\n");
    print_plan(&plan, args.json)?;
    println!("\n== Apply\n");
    let report = ic.apply_with_progress(&plan, progress).await?;
    println!(
        "\n  {} step(s) applied, {} unchanged, {} Plivo object(s) created.",
        report.applied(),
        report.unchanged(),
        report.created().len()
    );

    if !args.teardown {
        // What an operator does by hand on WeHostVoIP: the same plan through the checklist.
        let dir = std::env::temp_dir().join(format!("interconnect-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let checklist = Arc::new(Checklist::open(dir.join("checklist.json"), world)?);
        let ic_checklist = build(args, inputs, plivo, Box::new(Arc::clone(&checklist)), true)?;
        ic_checklist.apply(&ic_checklist.plan().await?).await?;
        println!("\n== The WeHostVoIP steps as an operator checklist\n");
        println!("{}", checklist.render_markdown());
        std::fs::remove_dir_all(&dir).ok();
    }

    println!("== Plan again\n");
    let again = if args.teardown {
        ic.teardown_plan().await?
    } else {
        ic.plan().await?
    };
    println!(
        "{}",
        if again.is_empty() {
            "Nothing left to do: the run is idempotent."
        } else {
            "Steps remain (see above)."
        }
    );

    if !args.teardown {
        println!("\n== A Plivo INVITE against the call policy\n");
        check_sample_invite(&ic, inputs);
    }
    Ok(())
}

fn check_sample_invite(ic: &Interconnect, inputs: &Inputs) {
    let call_policy = ic.call_policy();
    let numbers = call_policy.number_refs();
    let Ok(policy) = call_policy.policy(&numbers) else {
        println!("  (no policy: the numbers are not valid E.164)");
        return;
    };
    let to = inputs
        .routes
        .first()
        .map_or("+14155550123", |(n, _)| n.as_str());
    let source = call_policy.sources().first().map_or_else(
        || "18.214.109.129".parse().expect("literal"),
        sip_rules::Cidr::addr,
    );
    let sdp = format!(
        "v=0\r\no=Plivo 1 1 IN IP4 {source}\r\ns=Plivo\r\nc=IN IP4 {source}\r\nt=0 0\r\n\
         m=audio 20000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n\
         a=fmtp:101 0-16\r\na=ptime:20\r\n"
    );
    let invite = format!(
        "INVITE sip:{to}@{sbc};user=phone SIP/2.0\r\n\
         Via: SIP/2.0/UDP {source}:5060;branch=z9hG4bK-sample\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:+12025550199@{source}>;tag=sample\r\n\
         To: <sip:{to}@{sbc}>\r\n\
         Call-ID: sample-call@{source}\r\n\
         CSeq: 1 INVITE\r\n\
         Contact: <sip:+12025550199@{source}:5060>\r\n\
         Content-Type: application/sdp\r\n\
         Content-Length: {}\r\n\r\n{sdp}",
        sdp.len(),
        sbc = ic.sbc().host(),
    );
    let mut headers = [Header::EMPTY; 32];
    match policy.check(source, invite.as_bytes(), &mut headers) {
        Ok(Status::Complete(call)) => println!(
            "  INVITE from {source} to {}: accept (codecs: {})",
            call.number().unwrap_or("?"),
            call.codecs()
                .filter_map(|c| c.encoding)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ok(Status::Partial) => println!("  INVITE incomplete"),
        Err(r) => println!("  INVITE rejected: {} {}", r.status(), r.reason()),
    }
    let mut headers = [Header::EMPTY; 32];
    if let Err(r) = policy.check(
        "198.51.100.7".parse().expect("literal"),
        invite.as_bytes(),
        &mut headers,
    ) {
        println!(
            "  the same INVITE from 198.51.100.7: reject {} {}",
            r.status(),
            r.reason()
        );
    }
}

/// Against the real Plivo API; the WeHostVoIP side is the operator checklist.
async fn online(
    args: &Args,
    inputs: &Inputs,
    plivo: PlivoClient,
) -> Result<(), Box<dyn std::error::Error>> {
    let world = seed_world(args, inputs)?;
    let checklist = Arc::new(Checklist::open(&args.state, world)?);
    let ic = build(args, inputs, plivo, Box::new(Arc::clone(&checklist)), false)?;
    let plan = if args.teardown {
        ic.teardown_plan().await?
    } else {
        ic.plan().await?
    };
    print_plan(&plan, args.json)?;
    if !args.apply {
        println!("\nNothing was changed. Review the plan, then run again with --apply.");
        return Ok(());
    }
    println!("\n== Apply\n");
    ic.apply_with_progress(&plan, progress).await?;
    let pending = checklist.pending();
    if !pending.is_empty() {
        println!(
            "\n== WeHostVoIP steps for the operator (state: {})\n",
            args.state.display()
        );
        println!("{}", checklist.render_markdown());
    }
    Ok(())
}

fn print_error(e: &dyn std::error::Error) {
    eprintln!("error: {e}");
    let mut source = e.source();
    while let Some(s) = source {
        eprintln!("  caused by: {s}");
        source = s.source();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let inputs = match parse_inputs(&args) {
        Ok(i) => i,
        Err(e) => {
            print_error(e.as_ref());
            return ExitCode::from(2);
        }
    };
    let has_credentials = std::env::var_os("PLIVO_AUTH_ID").is_some()
        && std::env::var_os("PLIVO_AUTH_TOKEN").is_some();
    let result = if has_credentials {
        match PlivoClient::from_env() {
            Ok(plivo) => online(&args, &inputs, plivo).await,
            Err(e) => Err(e.into()),
        }
    } else {
        offline(&args, &inputs).await
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e.as_ref());
            ExitCode::FAILURE
        }
    }
}
