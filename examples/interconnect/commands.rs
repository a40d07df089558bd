//! The account commands: plan, apply, teardown, status, confirm, checklist.

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use interconnect_core::interconnect::{
    InterconnectError, Plan, Purpose, Side, Step as PlanStep, TeardownOptions,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use wehostvoip_client::{Checklist, Confirmation};

use crate::backend::{self, Plivo};
use crate::inputs::{DesiredArgs, InputError, Inputs, Parsed};
use crate::output::{FORMAT_VERSION, Out, Reporter};
use crate::session::{
    Access, CliError, all_warnings, build, open_checklist, peek_inputs, print_tool_warnings,
    published_ranges_removal, published_ranges_task, saved_inputs, saved_previous_routes,
    state_path, tool_warnings,
};
use crate::{Code, Global};

const SAVED_PLAN_FORMAT: &str = "interconnect/saved-plan";

/// A plan saved by `plan -out FILE`, applied as it is by `apply FILE`.
#[derive(Debug, Serialize, Deserialize)]
struct SavedPlan {
    format: String,
    format_version: u64,
    /// The inputs the plan was made from.
    inputs: Inputs,
    /// The checklist state file it was made with.
    state_file: PathBuf,
    /// Which Plivo account (`{"plivo": "api", "base_url", "auth_id"}` or `{"plivo": "sandbox"}`).
    plivo: serde_json::Value,
    plan: Plan,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Everything an account command needs.
struct Session {
    plivo: Plivo,
    checklist: Arc<Checklist>,
    inputs: Inputs,
    parsed: Parsed,
    ic: interconnect_core::Interconnect,
    state: PathBuf,
    tool_warnings: Vec<serde_json::Value>,
}

async fn session(
    global: &Global,
    desired: &DesiredArgs,
    fixed_inputs: Option<Inputs>,
    state: &Path,
    access: Access,
    real_reason: Option<&str>,
) -> Result<Session, CliError> {
    let out = global.out();
    // Inputs first (no I/O but the state file): bad input exits 2 before anything is sent.
    let inputs = match fixed_inputs {
        Some(i) => i,
        None => Inputs::merge(desired, peek_inputs(state)?),
    };
    let parsed = inputs.parse()?;
    let plivo = backend::choose(&env, global.sandbox, real_reason)
        .await
        .map_err(CliError::from_boxed)?;
    out.note(plivo.describe());
    out.note(format!(
        "WeHostVoIP: the operator checklist in {}",
        state.display()
    ));
    for e in &parsed.echoes {
        out.note(format!("note: {e}"));
    }
    // The state file is locked and checked before anything remote is read or changed.
    let checklist = open_checklist(state, &parsed, access)?;
    if let (Some(saved), Access::Write) = (saved_inputs(&checklist), access)
        && (saved.tenant != inputs.tenant || saved.sbc != inputs.sbc)
    {
        {
            return Err(CliError::Input(InputError::about(
                "--state",
                format!(
                    "{} holds the checklist of tenant {} through SBC {}, not of tenant {} through \
                     SBC {}: choose another state file",
                    state.display(),
                    saved.tenant,
                    saved.sbc,
                    inputs.tenant,
                    inputs.sbc
                ),
            )));
        }
    }
    if let Some(sandbox) = plivo.sandbox() {
        // The sandbox account rents the numbers the inputs name, as the real one must.
        for (number, _) in &parsed.routes {
            sandbox.add_account_number(number.as_str()).ok();
        }
        sandbox
            .add_account_number(parsed.caller_id.number().as_str())
            .ok();
    }
    let ic = build(&parsed, &plivo, Box::new(Arc::clone(&checklist)))?;
    let tool_warnings = tool_warnings(&parsed, &crate::time::today());
    Ok(Session {
        plivo,
        checklist,
        inputs,
        parsed,
        ic,
        state: state.to_owned(),
        tool_warnings,
    })
}

fn document(
    command: &str,
    s: &Session,
    plan: Option<&Plan>,
    extra: serde_json::Value,
) -> serde_json::Value {
    let mut doc = json!({
        "format_version": FORMAT_VERSION,
        "command": command,
        "backend": {
            "plivo": s.plivo.identity(),
            "wehostvoip": {"kind": "checklist", "state_file": s.state.display().to_string()},
        },
        "inputs": s.inputs,
        "plan": plan,
        "changes_pending": plan.map(|p| !p.is_empty()),
        "warnings": plan.map_or_else(|| s.tool_warnings.clone(), |p| all_warnings(p, &s.tool_warnings)),
        "conflicts": plan.map(Plan::conflicts).unwrap_or_default(),
        "checklist": s.checklist.render_json(),
    });
    if let (Some(obj), serde_json::Value::Object(more)) = (doc.as_object_mut(), extra) {
        obj.extend(more);
    }
    doc
}

/// How many steps of the plan are on the WeHostVoIP side and change something.
fn wehostvoip_pending(plan: &Plan) -> usize {
    plan.pending()
        .filter(|s| s.op().side() == Side::WeHostVoip)
        .count()
}

fn print_plan(out: Out, s: &Session, plan: &Plan) {
    out.say(format!("\n{plan}"));
    print_tool_warnings(out, &s.tool_warnings);
    let queued = s.checklist.pending().len();
    let whv = wehostvoip_pending(plan);
    if whv > 0 && queued > 0 {
        out.note(format!(
            "\n{queued} WeHostVoIP step(s) are queued in {} waiting for the operator: \
             `interconnect checklist --state {}` lists them.",
            s.state.display(),
            s.state.display()
        ));
    }
}

/// `plan`.
pub async fn plan(global: &Global, a: &crate::PlanArgs) -> Result<Code, CliError> {
    let out = global.out();
    let real = if a.state.is_some() {
        Some("--state")
    } else if a.out.is_some() {
        Some("-out")
    } else {
        None
    };
    let state = state_path(a.state.as_ref());
    let s = session(global, &a.desired, None, &state, Access::Read, real).await?;
    let plan = if a.teardown {
        s.ic.teardown_plan_with(&teardown_options(&s, a.force))
            .await?
    } else {
        s.ic.plan().await?
    };
    print_plan(out, &s, &plan);
    if let Some(file) = &a.out {
        let saved = SavedPlan {
            format: SAVED_PLAN_FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            inputs: s.inputs.clone(),
            state_file: s.state.clone(),
            plivo: s.plivo.identity(),
            plan: plan.clone(),
        };
        write_atomically(file, &serde_json::to_string_pretty(&saved)?)?;
        out.note(format!(
            "\nSaved the plan to {}. Nothing was changed. To carry out exactly this plan:\n    \
             interconnect apply {}",
            file.display(),
            file.display()
        ));
    } else if !plan.is_empty() {
        out.note(format!(
            "\nNothing was changed. To carry it out: interconnect {}{}",
            if a.teardown { "teardown" } else { "apply" },
            if a.state.is_some() {
                format!(" --state {}", s.state.display())
            } else {
                String::new()
            }
        ));
    }
    out.document(&document("plan", &s, Some(&plan), json!({})));
    Ok(if a.detailed_exitcode && !plan.is_empty() {
        Code::Changes
    } else {
        Code::Ok
    })
}

fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    let name = path
        .file_name()
        .map_or_else(|| "plan".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result =
        std::fs::write(&tmp, format!("{text}\n")).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CliError::Input(InputError::new(
            "-out",
            &path.display().to_string(),
            format!("cannot write the plan there: {e}"),
        )));
    }
    Ok(())
}

/// Asks on the terminal; refuses (exit 2) when standard input is not one.
fn approve(out: Out, what: &str, command: &str) -> Result<bool, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Input(InputError::about(
            "--yes",
            format!(
                "standard input is not a terminal, so the plan cannot be approved here: pass \
                 --yes, or save the plan with `interconnect plan -out FILE`{} and run \
                 `interconnect apply FILE`",
                if command == "teardown" {
                    " --teardown"
                } else {
                    ""
                }
            ),
        )));
    }
    out.say(format!(
        "\nDo you want to {what}? Only 'yes' is accepted to approve."
    ));
    eprint!("  Enter a value: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim() == "yes")
}

/// `apply [FILE]`.
pub async fn apply(global: &Global, a: &crate::ApplyArgs) -> Result<Code, CliError> {
    let out = global.out();
    let saved = match &a.plan_file {
        None => None,
        Some(file) => {
            if let Some(flag) = a.desired.first_given() {
                return Err(CliError::Input(InputError::about(
                    flag,
                    format!(
                        "cannot be combined with the saved plan {}: a saved plan fixes its inputs; \
                         plan again with the new value",
                        file.display()
                    ),
                )));
            }
            Some(read_saved(file)?)
        }
    };
    let state = match (&saved, &a.state) {
        (Some(sp), Some(given)) if *given != sp.state_file => {
            return Err(CliError::Input(InputError::new(
                "--state",
                &given.display().to_string(),
                format!(
                    "the saved plan was made with the state file {}",
                    sp.state_file.display()
                ),
            )));
        }
        (Some(sp), _) => sp.state_file.clone(),
        (None, s) => state_path(s.as_ref()),
    };
    let s = session(
        global,
        &a.desired,
        saved.as_ref().map(|sp| sp.inputs.clone()),
        &state,
        Access::Write,
        Some("apply"),
    )
    .await?;
    let plan = if let Some(sp) = saved {
        if sp.plivo != s.plivo.identity() {
            return Err(CliError::Input(InputError::about(
                "PLIVO_AUTH_ID",
                format!(
                    "the saved plan was made against {} and the environment now points at {}: \
                         plan again",
                    sp.plivo,
                    s.plivo.identity()
                ),
            )));
        }
        out.note(format!(
            "Applying the saved plan {}.",
            a.plan_file
                .as_ref()
                .map_or_else(String::new, |f| f.display().to_string())
        ));
        sp.plan
    } else {
        let plan = s.ic.plan().await?;
        print_plan(out, &s, &plan);
        if plan.is_empty() {
            out.say("\nNothing to do: both sides are as wanted.");
            out.document(&document(
                "apply",
                &s,
                Some(&plan),
                json!({"applied": false}),
            ));
            return Ok(Code::Ok);
        }
        if !a.yes && !approve(out, "carry out these changes", "apply")? {
            out.say("Apply cancelled; nothing was changed.");
            return Ok(Code::Failed);
        }
        plan
    };
    execute(out, &s, &plan, "apply", a.plan_file.as_deref()).await
}

fn read_saved(file: &Path) -> Result<SavedPlan, CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        InputError::new(
            "PLANFILE",
            &file.display().to_string(),
            format!("cannot be read: {e}"),
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        InputError::new(
            "PLANFILE",
            &file.display().to_string(),
            format!("is not JSON: {e}"),
        )
    })?;
    if value.get("format").and_then(serde_json::Value::as_str) != Some(SAVED_PLAN_FORMAT)
        || value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            != Some(FORMAT_VERSION)
    {
        return Err(CliError::Input(InputError::new(
            "PLANFILE",
            &file.display().to_string(),
            format!(
                "is not a plan saved by `interconnect plan -out` (format {SAVED_PLAN_FORMAT} \
                 version {FORMAT_VERSION})"
            ),
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        CliError::Input(InputError::new(
            "PLANFILE",
            &file.display().to_string(),
            format!("is damaged: {e}"),
        ))
    })
}

/// `teardown`.
pub async fn teardown(global: &Global, a: &crate::TeardownArgs) -> Result<Code, CliError> {
    let out = global.out();
    let state = state_path(a.state.as_ref());
    let s = session(
        global,
        &a.desired,
        None,
        &state,
        Access::Write,
        Some("teardown"),
    )
    .await?;
    let plan =
        s.ic.teardown_plan_with(&teardown_options(&s, a.force))
            .await?;
    print_plan(out, &s, &plan);
    if plan.is_empty() {
        out.say("\nNothing to tear down.");
        out.document(&document(
            "teardown",
            &s,
            Some(&plan),
            json!({"applied": false}),
        ));
        return Ok(Code::Ok);
    }
    if !a.yes && !approve(out, "remove what this tool made", "teardown")? {
        out.say("Teardown cancelled; nothing was changed.");
        return Ok(Code::Failed);
    }
    execute(out, &s, &plan, "teardown", None).await
}

/// Walks the plan, queues the WeHostVoIP steps for the operator, saves the state file, reports.
async fn execute(
    out: Out,
    s: &Session,
    plan: &Plan,
    command: &str,
    plan_file: Option<&Path>,
) -> Result<Code, CliError> {
    out.note(format!(
        "\n== {}\n",
        if plan.header().purpose() == Purpose::Teardown {
            "Teardown"
        } else {
            "Apply"
        }
    ));
    // The WeHostVoIP steps left are derived again from this plan: the queue is rebuilt, not added to.
    s.checklist.clear_pending();
    remember_context(s, plan);
    let sides: Vec<Side> = plan
        .steps()
        .iter()
        .map(|st: &PlanStep| st.op().side())
        .collect();
    let mut reporter = Reporter::new(out, plan.steps().len(), Some(Arc::clone(&s.checklist)));
    let result =
        s.ic.apply_with_progress(plan, |p| {
            let side = sides
                .get(p.index().saturating_sub(1))
                .copied()
                .unwrap_or(Side::Plivo);
            reporter.on(p, side);
        })
        .await;
    reporter.finish();
    let ran = !reporter.events.is_empty();
    if result.is_ok()
        && let Some(task) = published_ranges_task(&s.parsed)
    {
        match plan.header().purpose() {
            Purpose::Provision => {
                s.checklist.queue_manual(task);
            }
            Purpose::Teardown => {
                // Admitted at the operator's request: withdrawn the same way.
                let admitted = s
                    .checklist
                    .confirmed()
                    .iter()
                    .any(|c| c.manual.as_ref() == Some(&task));
                if admitted {
                    s.checklist.queue_manual(published_ranges_removal(&task));
                }
            }
            // A purpose this tool does not know yet asks for no console step.
            _ => {}
        }
    }
    if result.is_ok() || ran {
        // What was queued (even by a run that failed half-way) is kept for the operator.
        s.checklist.save()?;
    }
    let report = match result {
        Ok(r) => r,
        Err(InterconnectError::StalePlan { reason }) => {
            let again = match plan_file {
                Some(f) => format!(
                    "the saved plan {} is stale: {reason}. The accounts changed since it was \
                     made; nothing was changed. Run `interconnect plan -out {}` again and review it",
                    f.display(),
                    f.display()
                ),
                None => format!("the plan is stale: {reason}; nothing was changed, plan again"),
            };
            return Err(CliError::Failed(again.into()));
        }
        Err(e) => return Err(e.into()),
    };
    let pending = s.checklist.pending();
    out.say(format!(
        "\n{} step(s) carried out, {} unchanged, {} Plivo object(s) created; {} WeHostVoIP step(s) \
         waiting for the operator.",
        reporter.done,
        report.unchanged(),
        report.created().len(),
        pending.len()
    ));
    if pending.is_empty() {
        out.say("Nothing waits for the operator.");
    } else {
        out.say(format!(
            "\n== WeHostVoIP steps for the operator (state: {})\n",
            s.state.display()
        ));
        out.say(s.checklist.render_markdown());
        out.note(
            "After each step: check it as described, then run the confirm command printed under it. \
             `interconnect status` shows what is left.",
        );
    }
    out.document(&document(
        command,
        s,
        Some(plan),
        json!({ "applied": true, "report": report, "steps": reporter.events }),
    ));
    Ok(Code::Ok)
}

/// Keeps the inputs and the routes the numbers had before this plan moves them in the state file,
/// before the first change, so a run that fails half-way still knows them; teardown routes each
/// number back.
fn remember_context(s: &Session, plan: &Plan) {
    let mut routes = saved_previous_routes(&s.checklist);
    for r in plan.previous_routes() {
        if !routes.iter().any(|known| known.number == r.number) {
            routes.push(r.clone());
        }
    }
    s.checklist.set_context(json!({
        "inputs": s.inputs,
        "tool": "interconnect",
        "previous_routes": routes,
    }));
}

/// The teardown options: `--force`, and the previous routes kept in the state file.
fn teardown_options(s: &Session, force: bool) -> TeardownOptions {
    TeardownOptions::default()
        .force(force)
        .restore(saved_previous_routes(&s.checklist))
}

/// `status`.
#[allow(clippy::too_many_lines)] // the two sides' report, in reading order
pub async fn status(global: &Global, a: &crate::StatusArgs) -> Result<Code, CliError> {
    let out = global.out();
    let state = state_path(a.state.as_ref());
    let s = session(
        global,
        &a.desired,
        None,
        &state,
        Access::Read,
        Some("status"),
    )
    .await?;
    let plan = s.ic.plan().await?;
    let mut plivo_done = Vec::new();
    let mut plivo_drift = Vec::new();
    let mut whv_todo = Vec::new();
    for step in plan.steps() {
        let line = describe(step);
        match (step.op().side(), step.action().changes_anything()) {
            (Side::Plivo, false) => plivo_done.push(line),
            (Side::Plivo, true) => plivo_drift.push(line),
            (_, true) => whv_todo.push(line),
            _ => {}
        }
    }
    let confirmed: Vec<serde_json::Value> = s
        .checklist
        .confirmed_steps()
        .into_iter()
        .map(|(step, by)| json!({"id": step.id, "title": step.title, "by": by.by, "note": by.note}))
        .collect();
    let waiting = s.checklist.pending();
    let not_queued = if waiting.is_empty() {
        whv_todo.len()
    } else {
        0
    };
    let sbc_drift: Vec<String> = plan
        .warnings()
        .iter()
        .filter(|w| w.code == "sbc-drift")
        .map(|w| w.message.clone())
        .collect();
    let nothing_pending = plan.is_empty() && waiting.is_empty() && !plan.has_conflicts();

    out.say(format!(
        "\nStatus of tenant {} through SBC {} (state: {})",
        plan.header().tenant(),
        plan.header().sbc(),
        s.state.display()
    ));
    out.say(format!(
        "\nPlivo: {} done, {} drifted or missing",
        plivo_done.len(),
        plivo_drift.len()
    ));
    for l in &plivo_done {
        out.say(format!("  done:    {l}"));
    }
    for l in &plivo_drift {
        out.say(format!("  DRIFT:   {l}"));
    }
    out.say(format!(
        "\nWeHostVoIP: {} confirmed by the operator, {} waiting for the operator",
        confirmed.len(),
        waiting.len()
    ));
    for c in &confirmed {
        out.say(format!(
            "  done:    {} (step id {}, confirmed by {})",
            c["title"].as_str().unwrap_or_default(),
            c["id"].as_str().unwrap_or_default(),
            c["by"].as_str().unwrap_or_default()
        ));
    }
    for w in &waiting {
        out.say(format!(
            "  waiting: {} (step id {})\n           {}",
            w.title,
            w.id,
            w.confirm_command.as_deref().unwrap_or_default()
        ));
    }
    if not_queued > 0 {
        out.say(format!(
            "  {not_queued} WeHostVoIP step(s) are to do but not queued: run `interconnect apply` \
             to list them for the operator"
        ));
        for l in &whv_todo {
            out.say(format!("  to do:   {l}"));
        }
    }
    for d in &sbc_drift {
        out.say(format!("\nSBC DRIFT: {d}"));
    }
    for c in plan.conflicts() {
        out.say(format!("\nCONFLICT [{}]: {}", c.code, c.message));
    }
    out.say(if nothing_pending {
        "\nNothing pending on either side."
    } else {
        "\nPending: see above."
    });
    out.document(&document(
        "status",
        &s,
        Some(&plan),
        json!({
            "status": {
                "nothing_pending": nothing_pending,
                "plivo": {"done": plivo_done, "drift": plivo_drift},
                "wehostvoip": {
                    "confirmed": confirmed,
                    "waiting_for_operator": waiting.iter().map(|w| json!({"id": w.id, "title": w.title, "confirm_command": w.confirm_command})).collect::<Vec<_>>(),
                    "not_queued": whv_todo,
                },
                "sbc_drift": sbc_drift,
            }
        }),
    ));
    Ok(if a.detailed_exitcode && !nothing_pending {
        Code::Changes
    } else {
        Code::Ok
    })
}

fn describe(step: &PlanStep) -> String {
    let section = step.op().runbook_section();
    let mut line = format!("{}: {}", step.action(), step.op().describe());
    if !section.is_empty() {
        let _ = write!(line, " (runbook {section})");
    }
    for c in step.changes() {
        let _ = write!(
            line,
            "; {} {} -> {}",
            c.field,
            c.from.as_deref().unwrap_or("(none)"),
            c.to.as_deref().unwrap_or("(none)")
        );
    }
    line
}

/// Opens the state file for `confirm` / `checklist`: the inputs come from the file itself.
fn local_checklist(state: &Path, access: Access) -> Result<Arc<Checklist>, CliError> {
    if !state.exists() {
        return Err(CliError::Input(InputError::new(
            "--state",
            &state.display().to_string(),
            "no such state file: `interconnect apply` writes it (or give the path it used)",
        )));
    }
    let inputs = peek_inputs(state)?.unwrap_or_default();
    let parsed = inputs.parse()?;
    open_checklist(state, &parsed, access)
}

/// `confirm`.
pub fn confirm(global: &Global, a: &crate::ConfirmArgs) -> Result<Code, CliError> {
    let out = global.out();
    let state = state_path(a.state.as_ref());
    if a.by.trim().is_empty() {
        return Err(CliError::Input(InputError::new(
            "--by",
            &a.by,
            "must name who did the step",
        )));
    }
    let checklist = local_checklist(&state, Access::Write)?;
    let mut confirmed = Vec::new();
    for id in &a.ids {
        let title = checklist
            .pending()
            .into_iter()
            .find(|s| s.id == *id)
            .map(|s| s.title);
        let confirmation = Confirmation {
            by: a.by.clone(),
            note: a.note.clone(),
        };
        match checklist.confirm(id, confirmation) {
            Ok(()) => {
                let title = title.unwrap_or_default();
                out.say(format!("confirmed {id}: {title} (by {})", a.by));
                confirmed.push(json!({"id": id, "title": title}));
            }
            Err(wehostvoip_client::Error::UnknownStep { .. }) => {
                let done = checklist.confirmed().iter().any(|c| c.id == *id);
                let pending: Vec<String> = checklist.pending().into_iter().map(|s| s.id).collect();
                return Err(CliError::Input(InputError::new(
                    "ID",
                    id,
                    if done {
                        "is confirmed already".to_owned()
                    } else if pending.is_empty() {
                        "no step is pending in this state file".to_owned()
                    } else {
                        format!(
                            "no pending step has this id; pending: {}",
                            pending.join(", ")
                        )
                    },
                )));
            }
            Err(e @ wehostvoip_client::Error::StateFileIo { .. }) => return Err(e.into()),
            Err(e) => {
                return Err(CliError::Input(InputError::new(
                    "ID",
                    id,
                    format!(
                        "refused: {e}; confirm the steps it depends on first, in the order \
                         `interconnect checklist` lists them"
                    ),
                )));
            }
        }
    }
    let left = checklist.pending();
    match left.first() {
        None => out.say("Nothing left to confirm: every WeHostVoIP step is done."),
        Some(next) => out.say(format!(
            "{} step(s) left. Next: {} (step id {})\n    {}",
            left.len(),
            next.title,
            next.id,
            next.confirm_command.as_deref().unwrap_or_default()
        )),
    }
    out.document(&json!({
        "format_version": FORMAT_VERSION,
        "command": "confirm",
        "state_file": state.display().to_string(),
        "confirmed": confirmed,
        "checklist": checklist.render_json(),
    }));
    Ok(Code::Ok)
}

/// `checklist`.
pub fn checklist(global: &Global, a: &crate::ChecklistArgs) -> Result<Code, CliError> {
    let out = global.out();
    let state = state_path(a.state.as_ref());
    let checklist = local_checklist(&state, Access::Read)?;
    match (global.json(), a.format) {
        (true, _) => out.document(&json!({
            "format_version": FORMAT_VERSION,
            "command": "checklist",
            "state_file": state.display().to_string(),
            "checklist": checklist.render_json(),
        })),
        (false, crate::ChecklistFormat::Json) => crate::output::stdout(format_args!(
            "{}\n",
            serde_json::to_string_pretty(&checklist.render_json())?
        )),
        (false, crate::ChecklistFormat::Markdown) => {
            crate::output::stdout(format_args!("{}", checklist.render_markdown()));
        }
    }
    Ok(Code::Ok)
}
