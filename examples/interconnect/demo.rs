//! `interconnect` with no subcommand and no credentials: the whole runbook offline, the operator's
//! loop included, against the built-in Plivo sandbox and a checklist in a temporary directory.

use std::sync::Arc;

use interconnect_core::interconnect::{Interconnect, Plan, Side};
use serde_json::json;
use sip_rules::{Header, Status};
use wehostvoip_client::{Checklist, Confirmation};

use crate::Code;
use crate::backend::{self, Plivo};
use crate::inputs::{DesiredArgs, Inputs, Parsed};
use crate::output::{FORMAT_VERSION, Out, Reporter};
use crate::session::{
    CliError, all_warnings, build, print_tool_warnings, published_ranges_task, seed_world,
    tool_warnings,
};

async fn walk(
    out: Out,
    ic: &Interconnect,
    checklist: &Arc<Checklist>,
    plan: &Plan,
) -> Result<serde_json::Value, CliError> {
    checklist.clear_pending();
    let sides: Vec<Side> = plan.steps().iter().map(|s| s.op().side()).collect();
    let mut reporter = Reporter::new(out, plan.steps().len(), Some(Arc::clone(checklist)));
    let report = ic
        .apply_with_progress(plan, |p| {
            let side = sides
                .get(p.index().saturating_sub(1))
                .copied()
                .unwrap_or(Side::Plivo);
            reporter.on(p, side);
        })
        .await;
    reporter.finish();
    let report = report?;
    out.say(format!(
        "\n  {} step(s) carried out, {} unchanged, {} Plivo object(s) created, {} WeHostVoIP \
         step(s) waiting for the operator.",
        reporter.done,
        report.unchanged(),
        report.created().len(),
        reporter.waiting
    ));
    Ok(json!({"report": report, "steps": reporter.events}))
}

/// The operator does each step in the console and confirms it; here the demo confirms them.
fn confirm_all(out: Out, checklist: &Checklist) -> Result<Vec<String>, CliError> {
    let mut ids = Vec::new();
    for step in checklist.pending() {
        checklist.confirm(
            &step.id,
            Confirmation {
                by: "demo-operator".into(),
                note: Some("confirmed by the offline demo".into()),
            },
        )?;
        out.say(format!("  confirmed {}: {}", step.id, step.title));
        ids.push(step.id);
    }
    Ok(ids)
}

/// Runs the demo.
pub async fn run(out: Out, desired: &DesiredArgs, teardown: bool) -> Result<Code, CliError> {
    let inputs = Inputs::merge(desired, None);
    let parsed: Parsed = inputs.parse()?;
    let plivo = backend::choose(&|_| None, true, None)
        .await
        .map_err(CliError::from_boxed)?;
    let Plivo::Sandbox { sandbox, .. } = &plivo else {
        return Err(CliError::Failed(
            "the demo runs against the sandbox only".into(),
        ));
    };
    out.say(
        "Plivo: the built-in offline sandbox (no subcommand: the offline demo); nothing real is \
         read or changed",
    );
    for e in &parsed.echoes {
        out.note(format!("note: {e}"));
    }
    for (number, _) in &parsed.routes {
        sandbox.add_account_number(number.as_str()).ok();
    }
    sandbox
        .add_account_number(parsed.caller_id.number().as_str())
        .ok();
    let dir = std::env::temp_dir().join(format!("interconnect-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let state = dir.join("wehostvoip-checklist.json");
    out.say(format!(
        "WeHostVoIP: the operator checklist in {} (this demo plays the operator)\n",
        state.display()
    ));
    let result = demo(out, &plivo, &parsed, &inputs, &state, teardown).await;
    std::fs::remove_dir_all(&dir).ok();
    result
}

async fn demo(
    out: Out,
    plivo: &Plivo,
    parsed: &Parsed,
    inputs: &Inputs,
    state: &std::path::Path,
    teardown: bool,
) -> Result<Code, CliError> {
    let checklist = Arc::new(
        Checklist::open_locked(state, seed_world(parsed)?)?.with_confirm_command(format!(
            "interconnect confirm --state {} {{id}} --by YOUR-NAME",
            state.display()
        )),
    );
    let ic = build(parsed, plivo, Box::new(Arc::clone(&checklist)))?;
    let tool = tool_warnings(parsed, &crate::time::today());

    let plan = ic.plan().await?;
    out.say("== Plan (`interconnect plan`)\n");
    out.say(format!("{plan}"));
    print_tool_warnings(out, &tool);
    out.say("\n== Apply (`interconnect apply`): Plivo is changed, WeHostVoIP steps are queued\n");
    let applied = walk(out, &ic, &checklist, &plan).await?;
    if let Some(task) = published_ranges_task(parsed) {
        checklist.queue_manual(task);
    }
    checklist.save()?;
    let queued = checklist.render_json();
    out.say("\n== The WeHostVoIP steps as an operator checklist (`interconnect checklist`)\n");
    out.say(checklist.render_markdown());
    out.say("== The operator confirms each step (`interconnect confirm`)\n");
    let confirmed = confirm_all(out, &checklist)?;
    out.say("\n== Plan again (`interconnect plan --detailed-exitcode` exits 0)\n");
    let again = ic.plan().await?;
    let converged = again.is_empty();
    out.say(if converged {
        "Nothing left to do: the run is idempotent."
    } else {
        "Steps remain (see the plan above)."
    });
    let mut doc = json!({
        "format_version": FORMAT_VERSION,
        "command": "demo",
        "backend": {"plivo": plivo.identity(), "wehostvoip": {"kind": "checklist", "state_file": state.display().to_string()}},
        "inputs": inputs,
        "plan": plan,
        "changes_pending": !plan.is_empty(),
        "warnings": all_warnings(&plan, &tool),
        "conflicts": plan.conflicts(),
        "checklist": queued,
        "apply": applied,
        "confirmed": confirmed,
        "converged": converged,
    });

    if teardown {
        let down = ic.teardown_plan().await?;
        out.say("\n== Teardown plan (`interconnect plan --teardown`)\n");
        out.say(format!("{down}"));
        out.say("\n== Teardown (`interconnect teardown`)\n");
        let walked = walk(out, &ic, &checklist, &down).await?;
        checklist.save()?;
        out.say("\n== The operator confirms the teardown steps\n");
        let confirmed = confirm_all(out, &checklist)?;
        let left = ic.teardown_plan().await?;
        out.say(if left.is_empty() {
            "\nNothing left: everything this tool made is gone."
        } else {
            "\nSome objects remain (see the teardown plan)."
        });
        if let Some(obj) = doc.as_object_mut() {
            obj.insert(
                "teardown".into(),
                json!({"plan": down, "apply": walked, "confirmed": confirmed, "nothing_left": left.is_empty()}),
            );
        }
    } else {
        out.say("\n== A Plivo INVITE against the call policy (`interconnect check-invite`)\n");
        check_sample_invite(out, &ic, parsed);
    }
    out.document(&doc);
    Ok(Code::Ok)
}

fn check_sample_invite(out: Out, ic: &Interconnect, parsed: &Parsed) {
    let call_policy = ic.call_policy();
    let policy = call_policy.policy();
    let to = parsed
        .routes
        .first()
        .map_or("+14155550123", |(n, _)| n.as_str());
    let source = call_policy.sources().first().map_or(
        std::net::IpAddr::from([18, 214, 109, 129]),
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
        Ok(Status::Complete(call)) => out.say(format!(
            "  INVITE from {source} to {}: accept (codecs: {})",
            call.number().unwrap_or("?"),
            call.codecs()
                .filter_map(|c| c.encoding)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Ok(Status::Partial) => out.say("  INVITE incomplete"),
        Err(r) => out.say(format!("  INVITE rejected: {} {}", r.status(), r.reason())),
    }
    let mut headers = [Header::EMPTY; 32];
    let stranger = std::net::IpAddr::from([198, 51, 100, 7]);
    if let Err(r) = policy.check(stranger, invite.as_bytes(), &mut headers) {
        out.say(format!(
            "  the same INVITE from {stranger}: reject {} {}",
            r.status(),
            r.reason()
        ));
    }
}
