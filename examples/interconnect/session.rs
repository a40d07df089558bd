//! What every account command sets up: the inputs, the Plivo backend, the checklist state file, the
//! interconnect, and the warnings this tool adds to a plan.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use interconnect_core::InboundAuth;
use interconnect_core::interconnect::{Interconnect, InterconnectError, Plan, PreviousRoute};
use interconnect_core::presets::{MAX_PRESET_AGE_DAYS, PLIVO, stale_presets};
use interconnect_core::sbc::{AddressPolicy, StaticResolver, SystemResolver};
use serde_json::json;
use wehostvoip_client::{Checklist, Field, Form, ManualTask, Subscriber, World};

use crate::backend::Plivo;
use crate::inputs::{InputError, Inputs, Parsed};
use crate::output::{Out, shell_quote};

/// The default state file, in the working directory.
pub const DEFAULT_STATE: &str = "wehostvoip-checklist.json";

/// An error of a command: bad input (exit 2) or a failure (exit 1).
#[derive(Debug)]
pub enum CliError {
    Input(InputError),
    Failed(Box<dyn std::error::Error>),
    /// A subcommand that printed its own result and chose its exit code.
    Exit(std::process::ExitCode),
}

impl<E: std::error::Error + 'static> From<E> for CliError {
    fn from(e: E) -> Self {
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        CliError::from_boxed(boxed)
    }
}

impl CliError {
    pub fn from_boxed(e: Box<dyn std::error::Error>) -> CliError {
        match e.downcast::<InputError>() {
            Ok(input) => CliError::Input(*input),
            Err(e) => match e.downcast::<InterconnectError>() {
                Ok(ie) => match *ie {
                    InterconnectError::Missing(what) => {
                        CliError::Input(InputError::about(what, "is required"))
                    }
                    InterconnectError::Invalid { what, value, rule } => {
                        let flag = match what {
                            "number" | "extension" => "--number".to_owned(),
                            "destination country" => "--country".to_owned(),
                            other => format!("--{}", other.replace(' ', "-")),
                        };
                        CliError::Input(InputError::new(&flag, &value, rule))
                    }
                    InterconnectError::Input {
                        what,
                        value,
                        source,
                    } => {
                        let flag = if what == "extension" {
                            "--number".to_owned()
                        } else {
                            format!("--{}", what.replace(' ', "-"))
                        };
                        let rule = match &source {
                            wehostvoip_client::Error::Invalid { rule, .. } => (*rule).to_owned(),
                            other => other.to_string(),
                        };
                        CliError::Input(InputError::new(&flag, &value, rule))
                    }
                    other => CliError::Failed(Box::new(other)),
                },
                Err(e) => CliError::Failed(e),
            },
        }
    }
}

/// The state file's path as given, or the default.
pub fn state_path(state: Option<&PathBuf>) -> PathBuf {
    state
        .cloned()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_STATE))
}

/// The WeHostVoIP objects that exist before the runbook starts: the tenant and its extensions.
pub fn seed_world(parsed: &Parsed) -> Result<World, CliError> {
    let mut world = World::new();
    world.add_tenant(parsed.tenant.clone())?;
    let mut exts: Vec<&str> = parsed.routes.iter().map(|(_, e)| e.as_str()).collect();
    exts.sort_unstable();
    exts.dedup();
    for ext in exts {
        let ext = ext
            .parse()
            .map_err(|e| InputError::new("--number", ext, e))?;
        world.add_subscriber(&parsed.tenant, Subscriber::new(ext))?;
    }
    Ok(world)
}

/// The routes numbers had before this tool moved them (kept in the state file by `apply`), for
/// teardown to restore.
pub fn saved_previous_routes(checklist: &Checklist) -> Vec<PreviousRoute> {
    checklist
        .context()
        .and_then(|c| c.get("previous_routes").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// The inputs saved in a state file (by an earlier `apply`), if any.
pub fn saved_inputs(checklist: &Checklist) -> Option<Inputs> {
    checklist
        .context()
        .and_then(|c| c.get("inputs").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
}

/// Reads the state file only to learn the inputs saved in it (no seed is needed for that).
pub fn peek_inputs(path: &Path) -> Result<Option<Inputs>, CliError> {
    if !path.exists() {
        return Ok(None);
    }
    // The seed only matters for replaying confirmed steps; an empty world with the saved tenant is
    // enough to read the context, so read the raw file.
    let text = std::fs::read_to_string(path).map_err(|source| {
        CliError::Failed(Box::new(wehostvoip_client::Error::StateFileIo {
            path: path.to_owned(),
            action: "read",
            source,
        }))
    })?;
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        // Checklist::open reports a corrupt file with the right error.
        Err(_) => return Ok(None),
    };
    Ok(value
        .get("context")
        .and_then(|c| c.get("inputs"))
        .and_then(|v| serde_json::from_value(v.clone()).ok()))
}

/// How a state file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// Opens the checklist over the seed of `parsed`, with the confirm command under every step.
pub fn open_checklist(
    path: &Path,
    parsed: &Parsed,
    access: Access,
) -> Result<Arc<Checklist>, CliError> {
    let seed = seed_world(parsed)?;
    let checklist = match access {
        Access::Read => Checklist::open(path, seed)?,
        Access::Write => Checklist::open_locked(path, seed)?,
    };
    Ok(Arc::new(checklist.with_confirm_command(format!(
        "interconnect confirm --state {} {{id}} --by YOUR-NAME",
        shell_quote(&path.display().to_string())
    ))))
}

/// Builds the interconnect from validated inputs.
pub fn build(
    parsed: &Parsed,
    plivo: &Plivo,
    backend: Box<dyn wehostvoip_client::WeHostVoip>,
) -> Result<Interconnect, CliError> {
    let mut builder = Interconnect::builder()
        .plivo(plivo.client().clone())
        .wehostvoip(backend)
        .sbc(parsed.sbc.clone())
        .tenant(parsed.tenant.to_string())
        .caller_id(parsed.caller_id.clone())
        .country(parsed.country.clone())
        .inbound_auth(parsed.inbound_auth);
    // `--resolve` pins the SBC's name; otherwise the system resolver (the real API) or the shared
    // SBCs' last-known addresses (the sandbox: no DNS).
    let host = parsed.sbc.host().clone();
    let pinned: Vec<IpAddr> = parsed
        .pins
        .iter()
        .filter(|(h, _)| *h == host)
        .map(|(_, ip)| *ip)
        .collect();
    builder = if !pinned.is_empty() {
        builder.resolver(StaticResolver::new().with(host, pinned))
    } else if plivo.is_sandbox() {
        builder.resolver(StaticResolver::shared_sbcs())
    } else {
        builder.resolver(SystemResolver)
    };
    if parsed.no_toll_free {
        builder = builder.allow_toll_free(false);
    }
    if parsed.take_over {
        builder = builder.take_over(true);
    }
    if parsed.allow_private_sbc {
        builder = builder.sbc_address_policy(AddressPolicy::default().allow_private(true));
    }
    for (number, ext) in &parsed.routes {
        builder = builder.number(number.clone(), ext.clone());
    }
    builder.build().map_err(CliError::from)
}

/// The warnings this tool adds to a plan: pinned addresses and presets due for a re-check.
pub fn tool_warnings(parsed: &Parsed, today: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let host = parsed.sbc.host();
    for (h, ip) in &parsed.pins {
        if h == host {
            out.push(json!({
                "code": "pinned-address",
                "message": format!(
                    "the SBC name {h} was pinned to {ip} by --resolve: the plan uses that address, \
                     not DNS; drop the pin once this host's resolver can see the SBC"
                ),
            }));
        } else {
            out.push(json!({
                "code": "pinned-address",
                "message": format!(
                    "--resolve {h}={ip} is not used: the only name resolved is the SBC's ({host})"
                ),
            }));
        }
    }
    let stale = stale_presets(today, MAX_PRESET_AGE_DAYS);
    let mut by_date: Vec<(&str, Vec<&str>, Vec<&str>)> = Vec::new();
    for s in &stale {
        let verified = s.provenance.verified();
        match by_date.iter_mut().find(|(d, _, _)| *d == verified) {
            Some((_, whats, sources)) => {
                whats.push(&s.what);
                if !sources.contains(&s.provenance.source()) {
                    sources.push(s.provenance.source());
                }
            }
            None => by_date.push((verified, vec![&s.what], vec![s.provenance.source()])),
        }
    }
    for (verified, whats, sources) in by_date {
        out.push(json!({
            "code": "preset-age",
            "message": format!(
                "these presets were last verified on {verified}, more than {MAX_PRESET_AGE_DAYS} \
                 days before {today}: {}; re-check them against {} before applying",
                whats.join(", "),
                sources.join(" and ")
            ),
        }));
    }
    out
}

/// Plan warnings and this tool's, as one JSON list.
pub fn all_warnings(plan: &Plan, tool: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let mut w: Vec<serde_json::Value> = plan
        .warnings()
        .iter()
        .filter_map(|w| serde_json::to_value(w).ok())
        .collect();
    w.extend(tool.iter().cloned());
    w
}

/// Prints this tool's warnings after a plan's text.
pub fn print_tool_warnings(out: Out, tool: &[serde_json::Value]) {
    if tool.is_empty() {
        return;
    }
    out.say("\nWarnings from this tool:");
    for w in tool {
        out.say(format!(
            "  - [{}] {}",
            w["code"].as_str().unwrap_or_default(),
            w["message"].as_str().unwrap_or_default()
        ));
    }
}

/// With `--inbound-auth published-ranges`: the operator asks WeHostVoIP to admit Plivo's ranges
/// (its console has no field for CIDR sources), as a checklist step.
pub fn published_ranges_task(parsed: &Parsed) -> Option<ManualTask> {
    if parsed.inbound_auth != InboundAuth::PublishedRanges {
        return None;
    }
    let regions = PLIVO.regions();
    let provenance = regions
        .first()
        .map(interconnect_core::presets::PlivoRegion::provenance);
    let mut fields: Vec<Field> = regions
        .iter()
        .map(|r| Field {
            name: r.name().to_owned(),
            value: r
                .cidrs()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    fields.push(Field {
        name: "Ports".to_owned(),
        value: format!(
            "SIP {}/UDP and {}/TCP, {}/TLS; RTP {}-{}/UDP",
            PLIVO.ports().signalling(),
            PLIVO.ports().signalling(),
            PLIVO.ports().signalling_tls(),
            PLIVO.ports().media().start(),
            PLIVO.ports().media().end()
        ),
    });
    let count: usize = regions.iter().map(|r| r.cidrs().len()).sum();
    let first_number = parsed
        .routes
        .first()
        .map_or_else(String::new, |(n, e)| format!(" {n} (extension {e})"));
    Some(ManualTask {
        title: format!(
            "Have WeHostVoIP admit Plivo's {count} published signalling/media ranges as inbound \
             sources of tenant {}",
            parsed.tenant
        ),
        menu: vec![
            "WeHostVoIP support ticket (the consoles have no field for CIDR sources)".to_owned(),
        ],
        actions: vec![
            format!(
                "Open a ticket with WeHostVoIP support asking them to accept SIP and RTP from the \
                 {count} ranges below as inbound-only sources for tenant {} (never as outbound \
                 gateways: a gateway is also a failover target).",
                parsed.tenant
            ),
            "Paste the table below as it is, and keep the ticket number for the confirmation note."
                .to_owned(),
        ],
        forms: vec![Form {
            title: provenance.map_or_else(
                || "Plivo's published ranges".to_owned(),
                |p| {
                    format!(
                        "Plivo's published ranges (source: {}, verified {})",
                        p.source(),
                        p.verified()
                    )
                },
            ),
            fields,
        }],
        verify: vec![
            format!("WeHostVoIP confirms in the ticket that all {count} ranges are admitted."),
            format!(
                "A call from a mobile phone to{first_number} rings (runbook 4.4), and \
                 `interconnect verify-call` shows it connected."
            ),
        ],
        notes: vec![InboundAuth::PublishedRanges.explain().to_owned()],
    })
}

/// At teardown: the request to stop admitting the ranges that [`published_ranges_task`] had
/// admitted.
pub fn published_ranges_removal(admitted: &ManualTask) -> ManualTask {
    ManualTask {
        title: format!("Withdraw: {}", admitted.title),
        menu: admitted.menu.clone(),
        actions: vec![
            "Open a ticket with WeHostVoIP support asking them to stop accepting the ranges below \
             as inbound sources for this tenant (the Plivo trunks are gone)."
                .to_owned(),
            "Quote the ticket of the original request, if you kept it.".to_owned(),
        ],
        forms: admitted.forms.clone(),
        verify: vec![
            "WeHostVoIP confirms in the ticket that the ranges are no longer admitted.".to_owned(),
        ],
        notes: Vec::new(),
    }
}
