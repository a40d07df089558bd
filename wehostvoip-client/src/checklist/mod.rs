//! The operator checklist backend.

mod lock;
mod render;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

pub use lock::StateLock;
pub use render::{Console, Field, Form, ManualTask, Step};

use crate::{
    Carrier, E164, Error, Extension, InventoryNumber, Name, Operation, PhoneNumberAssignment,
    SecurityGroup, Subscriber, Tenant, TenantDomain, WeHostVoip, World,
};

const FORMAT: &str = "wehostvoip-client/checklist-state";
const VERSION: u64 = 1;

/// Who confirmed a step, and what they noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// The operator's name or login.
    pub by: String,
    /// Anything worth keeping (ticket number, what the console showed).
    #[serde(default)]
    pub note: Option<String>,
}

/// A step the operator confirmed, as kept in the state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedStep {
    /// The step's id.
    pub id: String,
    /// The change the operator made (`None` for a manual task).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// The manual task the operator did (`None` for a console change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<ManualTask>,
    /// Who confirmed it.
    pub confirmation: Confirmation,
}

/// What a pending step asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Task {
    Operation(Operation),
    Manual(ManualTask),
}

/// A pending step as kept in the state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Queued {
    id: String,
    #[serde(flatten)]
    task: Task,
}

/// The state file. Version 1 files written before the queue and the context existed read the same
/// (both default to empty).
#[derive(Serialize, Deserialize)]
struct StateFile {
    format: String,
    version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    context: Option<serde_json::Value>,
    confirmed: Vec<ConfirmedStep>,
    #[serde(default)]
    queued: Vec<Queued>,
}

#[derive(Debug)]
struct Inner {
    /// Seed plus every confirmed step: what reads return.
    confirmed_world: World,
    /// `confirmed_world` plus the steps recorded in this session: what new changes are checked
    /// against.
    projected: World,
    confirmed: Vec<ConfirmedStep>,
    /// The steps to do, in order (from the state file's queue, then the ones recorded here).
    pending: Vec<Queued>,
    context: Option<serde_json::Value>,
}

/// Turns every change into a numbered operator step (console, menu, field → value, how to verify).
///
/// - Reads return what the operator has confirmed (the seed plus confirmed steps), so a planner run
///   again after some steps were done plans only what is left.
/// - A change is checked against the console's rules (see [`World`]) including the steps recorded
///   before it, and becomes a pending step only when it changes something. The same change always
///   gets the same id, and is never listed twice.
/// - The state file (JSON, chosen by the caller) keeps the confirmed steps and the queue of pending
///   ones, so a later process can list and confirm them ([`Checklist::pending`],
///   [`Checklist::confirm`]) without re-running the planner. It is written to a temporary file in the
///   same directory and renamed over the old one. A corrupted or foreign state file is an error
///   naming the file; it is never reset.
/// - [`Checklist::open_locked`] also holds an exclusive lock for as long as the checklist lives, checks
///   that the file can be replaced, and refuses a read-only file: use it in any program that writes.
///
/// ```
/// use wehostvoip_client::{Checklist, Confirmation, SecurityGroup, WeHostVoip, World};
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let tenant = "acme.hobot.wehostvoip.io".parse()?;
/// let mut seed = World::new();
/// seed.add_tenant("acme.hobot.wehostvoip.io".parse()?)?;
/// let checklist = Checklist::open(dir.path().join("state.json"), seed)?;
/// let mut group = SecurityGroup::new("default".parse()?);
/// group.countries.insert("US".parse()?);
/// checklist.ensure_security_group(&tenant, &group).await?;
/// let steps = checklist.pending();
/// assert_eq!(steps.len(), 1);
/// assert!(checklist.render_markdown().contains("United States (US)"));
/// checklist.confirm(&steps[0].id, Confirmation { by: "ops".into(), note: None })?;
/// assert!(checklist.pending().is_empty());
/// assert_eq!(checklist.list_security_groups(&tenant).await?, vec![group]);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Checklist {
    path: PathBuf,
    consoles: render::Consoles,
    confirm_command: Option<String>,
    inner: Mutex<Inner>,
    /// Held while the checklist lives, when opened with [`Checklist::open_locked`].
    _lock: Option<StateLock>,
}

impl Checklist {
    /// The ISP console's address.
    pub const ISP_CONSOLE: &'static str = "https://isp.wehostvoip.io";
    /// The tenant console's address.
    pub const TENANT_CONSOLE: &'static str = "https://console.wehostvoip.io";

    /// Opens a checklist over the seeded objects, replaying the steps confirmed in the state file at
    /// `path` and listing the steps it keeps queued (a missing file means nothing is confirmed yet; it
    /// is created on the first [`Checklist::save`] or confirmation). Takes no lock: see
    /// [`Checklist::open_locked`].
    ///
    /// # Errors
    /// [`Error::StateFileIo`], [`Error::StateFileCorrupt`], [`Error::StateFileForeign`], or
    /// [`Error::StateFileReplay`] when a confirmed step no longer applies to the seed.
    pub fn open(path: impl Into<PathBuf>, seed: World) -> Result<Self, Error> {
        Self::open_with(path.into(), seed, None)
    }

    /// Like [`Checklist::open`], for a program that will write the state file: first takes the
    /// exclusive lock of [`StateLock::acquire`] (which also proves the directory is writable), and
    /// refuses a state file that is read-only — before the caller changes anything remotely.
    ///
    /// # Errors
    /// As [`Checklist::open`], and [`Error::StateFileIo`] when the lock is held by another process,
    /// the directory cannot be written, or the file is read-only.
    pub fn open_locked(path: impl Into<PathBuf>, seed: World) -> Result<Self, Error> {
        let path = path.into();
        let lock = StateLock::acquire(&path)?;
        check_writable(&path)?;
        Self::open_with(path, seed, Some(lock))
    }

    fn open_with(path: PathBuf, seed: World, lock: Option<StateLock>) -> Result<Self, Error> {
        let state = read_state(&path)?;
        let mut world = seed;
        for step in &state.confirmed {
            if let Some(op) = &step.operation {
                world.apply(op).map_err(|e| Error::StateFileReplay {
                    path: path.clone(),
                    step: step.id.clone(),
                    source: Box::new(e),
                })?;
            }
        }
        Ok(Self {
            path,
            consoles: render::Consoles {
                isp: Self::ISP_CONSOLE.into(),
                tenant: Self::TENANT_CONSOLE.into(),
            },
            confirm_command: None,
            inner: Mutex::new(Inner {
                projected: world.clone(),
                confirmed_world: world,
                confirmed: state.confirmed,
                pending: state.queued,
                context: state.context,
            }),
            _lock: lock,
        })
    }

    /// Uses other console addresses (an ISP's own host, an older console).
    #[must_use]
    pub fn with_consoles(mut self, isp: impl Into<String>, tenant: impl Into<String>) -> Self {
        self.consoles = render::Consoles {
            isp: isp.into(),
            tenant: tenant.into(),
        };
        self
    }

    /// Prints, under every rendered step, the command that confirms it: `template` with `{id}`
    /// replaced by the step's id (e.g. `interconnect confirm --state acme.json {id} --by NAME`).
    #[must_use]
    pub fn with_confirm_command(mut self, template: impl Into<String>) -> Self {
        self.confirm_command = Some(template.into());
        self
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The steps still to do, numbered from 1.
    pub fn pending(&self) -> Vec<Step> {
        let inner = self.lock();
        inner
            .pending
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let mut step = match &q.task {
                    Task::Operation(op) => {
                        render::describe(op, &self.consoles, i + 1, q.id.clone())
                    }
                    Task::Manual(m) => {
                        render::describe_manual(m, &self.consoles, i + 1, q.id.clone())
                    }
                };
                step.confirm_command = self
                    .confirm_command
                    .as_ref()
                    .map(|t| t.replace("{id}", &q.id));
                step
            })
            .collect()
    }

    /// The steps confirmed so far (from the state file and this session), in order.
    pub fn confirmed(&self) -> Vec<ConfirmedStep> {
        self.lock().confirmed.clone()
    }

    /// The confirmed steps rendered as the operator saw them (numbered from 1), with who confirmed
    /// each.
    pub fn confirmed_steps(&self) -> Vec<(Step, Confirmation)> {
        let inner = self.lock();
        inner
            .confirmed
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let step = match (&c.operation, &c.manual) {
                    (Some(op), _) => render::describe(op, &self.consoles, i + 1, c.id.clone()),
                    (None, Some(m)) => {
                        render::describe_manual(m, &self.consoles, i + 1, c.id.clone())
                    }
                    (None, None) => return None,
                };
                Some((step, c.confirmation.clone()))
            })
            .collect()
    }

    /// Forgets the pending steps (in memory; the state file changes on the next save), so that a run
    /// that derives them again from a fresh plan lists exactly what is left, and nothing stale.
    pub fn clear_pending(&self) {
        let mut inner = self.lock();
        inner.pending.clear();
        inner.projected = inner.confirmed_world.clone();
    }

    /// Adds a manual task to the pending steps, unless it is pending or confirmed already; returns its
    /// id (derived from its content: the same task always gets the same id).
    pub fn queue_manual(&self, task: ManualTask) -> String {
        let id = manual_id(&task);
        let mut inner = self.lock();
        let known =
            inner.pending.iter().any(|q| q.id == id) || inner.confirmed.iter().any(|c| c.id == id);
        if !known {
            inner.pending.push(Queued {
                id: id.clone(),
                task: Task::Manual(task),
            });
        }
        id
    }

    /// Whatever the application keeps with the state (for instance the inputs that produced the
    /// steps), as saved by [`Checklist::set_context`].
    pub fn context(&self) -> Option<serde_json::Value> {
        self.lock().context.clone()
    }

    /// Sets the application's context, written with the next save.
    pub fn set_context(&self, context: serde_json::Value) {
        self.lock().context = Some(context);
    }

    /// Writes the state file: the confirmed steps, the pending ones and the context.
    ///
    /// # Errors
    /// [`Error::StateFileIo`] when the file cannot be written.
    pub fn save(&self) -> Result<(), Error> {
        let inner = self.lock();
        write_state(
            &self.path,
            &inner.confirmed,
            &inner.pending,
            inner.context.as_ref(),
        )
    }

    /// Records that the operator did the pending step `id`, and saves the state file.
    ///
    /// # Errors
    /// [`Error::UnknownStep`]; the step's rule error when an earlier step it depends on is not confirmed
    /// yet; [`Error::StateFileIo`] when the file cannot be written (the step then stays pending).
    pub fn confirm(&self, id: &str, confirmation: Confirmation) -> Result<(), Error> {
        let mut inner = self.lock();
        let pos = inner
            .pending
            .iter()
            .position(|q| q.id == id)
            .ok_or_else(|| Error::UnknownStep { id: id.to_owned() })?;
        let task = inner.pending[pos].task.clone();
        let mut world = inner.confirmed_world.clone();
        let (operation, manual) = match task {
            Task::Operation(op) => {
                world.apply(&op)?;
                (Some(op), None)
            }
            Task::Manual(m) => (None, Some(m)),
        };
        let mut confirmed = inner.confirmed.clone();
        confirmed.push(ConfirmedStep {
            id: id.to_owned(),
            operation,
            manual,
            confirmation,
        });
        let mut pending = inner.pending.clone();
        pending.remove(pos);
        write_state(&self.path, &confirmed, &pending, inner.context.as_ref())?;
        inner.confirmed = confirmed;
        inner.confirmed_world = world;
        inner.pending = pending;
        tracing::info!(step = id, "checklist step confirmed");
        Ok(())
    }

    fn rendered_confirmed(&self) -> usize {
        self.lock().confirmed.len()
    }

    /// The pending steps as Markdown, for a person.
    pub fn render_markdown(&self) -> String {
        render::markdown(&self.pending(), &self.consoles, self.rendered_confirmed())
    }

    /// The pending steps as JSON, for a ticket system: `{"consoles": {...}, "confirmed": n, "steps": [...]}`.
    pub fn render_json(&self) -> serde_json::Value {
        let confirmed = self.rendered_confirmed();
        serde_json::json!({
            "consoles": {
                "isp": self.consoles.isp,
                "tenant": self.consoles.tenant,
            },
            "confirmed": confirmed,
            "steps": self.pending(),
        })
    }

    /// Checks `op` against the projected world; records a pending step when it changes something
    /// and is not pending already.
    fn record<T>(
        &self,
        op: Operation,
        f: impl FnOnce(&mut World) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut inner = self.lock();
        let mut next = inner.projected.clone();
        let out = f(&mut next)?;
        if next != inner.projected {
            let id = step_id(&op);
            if !inner.pending.iter().any(|q| q.id == id) {
                tracing::debug!(step = %id, "checklist step added");
                inner.pending.push(Queued {
                    id,
                    task: Task::Operation(op),
                });
            }
            inner.projected = next;
        }
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&World) -> T) -> T {
        f(&self.lock().confirmed_world)
    }
}

/// FNV-1a over canonical JSON: the same value gets the same id in every run.
fn fnv(json: &serde_json::Value) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.to_string().bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn step_id(op: &Operation) -> String {
    let json = serde_json::to_value(op).unwrap_or_default();
    let verb = json
        .get("op")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("step")
        .replace('_', "-");
    format!("{verb}-{:08x}", fnv(&json) >> 32)
}

fn manual_id(task: &ManualTask) -> String {
    let json = serde_json::to_value(task).unwrap_or_default();
    format!("manual-{:08x}", fnv(&json) >> 32)
}

/// Refuses a read-only state file: it is the operator's record, never silently replaced.
fn check_writable(path: &Path) -> Result<(), Error> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.permissions().readonly() => Err(Error::StateFileIo {
            path: path.to_owned(),
            action: "open for writing",
            source: std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only and is never replaced: make it writable, or choose another \
                 state file",
            ),
        }),
        Ok(meta) if !meta.is_file() => Err(Error::StateFileIo {
            path: path.to_owned(),
            action: "open for writing",
            source: std::io::Error::other("it is not a regular file"),
        }),
        _ => Ok(()),
    }
}

struct ReadState {
    confirmed: Vec<ConfirmedStep>,
    queued: Vec<Queued>,
    context: Option<serde_json::Value>,
}

fn read_state(path: &Path) -> Result<ReadState, Error> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ReadState {
                confirmed: Vec::new(),
                queued: Vec::new(),
                context: None,
            });
        }
        Err(source) => {
            return Err(Error::StateFileIo {
                path: path.to_owned(),
                action: "read",
                source,
            });
        }
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|source| Error::StateFileCorrupt {
            path: path.to_owned(),
            source,
        })?;
    let format = value.get("format").and_then(serde_json::Value::as_str);
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if format != Some(FORMAT) || version != Some(VERSION) {
        return Err(Error::StateFileForeign {
            path: path.to_owned(),
            found: format!(
                "{} version {}",
                format.unwrap_or("(none)"),
                version.map_or_else(|| "(none)".to_owned(), |v| v.to_string())
            ),
        });
    }
    let state: StateFile =
        serde_json::from_value(value).map_err(|source| Error::StateFileCorrupt {
            path: path.to_owned(),
            source,
        })?;
    Ok(ReadState {
        confirmed: state.confirmed,
        queued: state.queued,
        context: state.context,
    })
}

fn write_state(
    path: &Path,
    confirmed: &[ConfirmedStep],
    queued: &[Queued],
    context: Option<&serde_json::Value>,
) -> Result<(), Error> {
    let io = |action: &'static str| {
        move |source| Error::StateFileIo {
            path: path.to_owned(),
            action,
            source,
        }
    };
    let state = StateFile {
        format: FORMAT.into(),
        version: VERSION,
        context: context.cloned(),
        confirmed: confirmed.to_vec(),
        queued: queued.to_vec(),
    };
    let mut text =
        serde_json::to_string_pretty(&state).map_err(|source| Error::StateFileCorrupt {
            path: path.to_owned(),
            source,
        })?;
    text.push('\n');
    let file_name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io("write"))?;
        f.write_all(text.as_bytes()).map_err(io("write"))?;
        f.sync_all().map_err(io("write"))?;
        std::fs::rename(&tmp, path).map_err(io("rename"))?;
        sync_dir(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes the rename durable (Unix; elsewhere a directory cannot be opened and nothing is done).
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[async_trait::async_trait]
impl WeHostVoip for Checklist {
    async fn list_carriers(&self) -> Result<Vec<Carrier>, Error> {
        Ok(self.read(World::list_carriers))
    }
    async fn get_carrier(&self, name: &Name) -> Result<Option<Carrier>, Error> {
        Ok(self.read(|w| w.get_carrier(name)))
    }
    async fn create_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        let op = Operation::CreateCarrier {
            carrier: carrier.clone(),
        };
        self.record(op, |w| w.create_carrier(carrier))
    }
    async fn update_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        let op = Operation::UpdateCarrier {
            carrier: carrier.clone(),
        };
        self.record(op, |w| w.update_carrier(carrier))
    }
    async fn delete_carrier(&self, name: &Name) -> Result<(), Error> {
        let op = Operation::DeleteCarrier {
            carrier: name.clone(),
        };
        self.record(op, |w| w.delete_carrier(name))
    }
    async fn set_caller_id(&self, carrier: &Name, caller_id: &E164) -> Result<Carrier, Error> {
        let op = Operation::SetCallerId {
            carrier: carrier.clone(),
            caller_id: caller_id.clone(),
        };
        self.record(op, |w| w.set_caller_id(carrier, caller_id))
    }
    async fn list_tenants(&self) -> Result<Vec<Tenant>, Error> {
        Ok(self.read(World::list_tenants))
    }
    async fn get_tenant(&self, domain: &TenantDomain) -> Result<Option<Tenant>, Error> {
        Ok(self.read(|w| w.get_tenant(domain)))
    }
    async fn bind_tenant_carrier(
        &self,
        tenant: &TenantDomain,
        carrier: &Name,
    ) -> Result<Tenant, Error> {
        let op = Operation::BindTenantCarrier {
            tenant: tenant.clone(),
            carrier: carrier.clone(),
        };
        self.record(op, |w| w.bind_tenant_carrier(tenant, carrier))
    }
    async fn unbind_tenant_carrier(&self, tenant: &TenantDomain) -> Result<Tenant, Error> {
        let previous = self
            .lock()
            .projected
            .get_tenant(tenant)
            .and_then(|t| t.carrier);
        let op = Operation::UnbindTenantCarrier {
            tenant: tenant.clone(),
            previous,
        };
        self.record(op, |w| w.unbind_tenant_carrier(tenant))
    }
    async fn list_security_groups(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<SecurityGroup>, Error> {
        self.read(|w| w.list_security_groups(tenant))
    }
    async fn ensure_security_group(
        &self,
        tenant: &TenantDomain,
        group: &SecurityGroup,
    ) -> Result<SecurityGroup, Error> {
        let op = Operation::EnsureSecurityGroup {
            tenant: tenant.clone(),
            group: group.clone(),
        };
        self.record(op, |w| w.ensure_security_group(tenant, group))
    }
    async fn assign_security_group(
        &self,
        tenant: &TenantDomain,
        extension: &Extension,
        group: &Name,
    ) -> Result<Subscriber, Error> {
        let op = Operation::AssignSecurityGroup {
            tenant: tenant.clone(),
            extension: extension.clone(),
            group: group.clone(),
        };
        self.record(op, |w| w.assign_security_group(tenant, extension, group))
    }
    async fn list_subscribers(&self, tenant: &TenantDomain) -> Result<Vec<Subscriber>, Error> {
        self.read(|w| w.list_subscribers(tenant))
    }
    async fn list_inventory(&self) -> Result<Vec<InventoryNumber>, Error> {
        Ok(self.read(World::list_inventory))
    }
    async fn add_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        let op = Operation::AddInventoryNumber {
            number: number.clone(),
        };
        self.record(op, |w| w.add_inventory_number(number))
    }
    async fn update_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        let op = Operation::UpdateInventoryNumber {
            number: number.clone(),
        };
        self.record(op, |w| w.update_inventory_number(number))
    }
    async fn remove_inventory_number(&self, number: &E164) -> Result<(), Error> {
        let op = Operation::RemoveInventoryNumber {
            number: number.clone(),
        };
        self.record(op, |w| w.remove_inventory_number(number))
    }
    async fn list_phone_numbers(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<PhoneNumberAssignment>, Error> {
        self.read(|w| w.list_phone_numbers(tenant))
    }
    async fn assign_number(
        &self,
        tenant: &TenantDomain,
        number: &E164,
        extension: &Extension,
    ) -> Result<PhoneNumberAssignment, Error> {
        let op = Operation::AssignNumber {
            tenant: tenant.clone(),
            number: number.clone(),
            extension: extension.clone(),
        };
        self.record(op, |w| w.assign_number(tenant, number, extension))
    }
    async fn unassign_number(&self, tenant: &TenantDomain, number: &E164) -> Result<(), Error> {
        let op = Operation::UnassignNumber {
            tenant: tenant.clone(),
            number: number.clone(),
        };
        self.record(op, |w| w.unassign_number(tenant, number))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn seed() -> World {
        let mut w = World::new();
        w.add_tenant("acme.hobot.wehostvoip.io".parse().unwrap())
            .unwrap();
        w
    }

    fn group() -> SecurityGroup {
        let mut g = SecurityGroup::new("plivo-us".parse().unwrap());
        g.countries.insert("US".parse().unwrap());
        g
    }

    fn tenant() -> TenantDomain {
        "acme.hobot.wehostvoip.io".parse().unwrap()
    }

    fn ops() -> Confirmation {
        Confirmation {
            by: "ops".into(),
            note: None,
        }
    }

    #[tokio::test]
    async fn the_queue_is_saved_and_confirmed_by_a_later_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("acme.json");
        let first = Checklist::open_locked(&path, seed()).unwrap();
        first
            .ensure_security_group(&tenant(), &group())
            .await
            .unwrap();
        first.set_context(serde_json::json!({"inputs": {"tenant": "acme"}}));
        first.save().unwrap();
        let id = first.pending()[0].id.clone();
        drop(first);

        let later = Checklist::open_locked(&path, seed())
            .unwrap()
            .with_confirm_command("tool confirm {id} --by NAME");
        assert_eq!(later.pending().len(), 1);
        assert_eq!(
            later.pending()[0].confirm_command.as_deref(),
            Some(format!("tool confirm {id} --by NAME").as_str())
        );
        assert!(later.render_markdown().contains("tool confirm"));
        assert_eq!(later.context().unwrap()["inputs"]["tenant"], "acme");
        later.confirm(&id, ops()).unwrap();
        assert!(later.pending().is_empty());
        assert_eq!(
            later.list_security_groups(&tenant()).await.unwrap(),
            vec![group()]
        );
    }

    #[tokio::test]
    async fn a_rerun_lists_each_change_once_and_clear_pending_rebuilds_the_queue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("acme.json");
        let c = Checklist::open(&path, seed()).unwrap();
        c.ensure_security_group(&tenant(), &group()).await.unwrap();
        c.save().unwrap();
        let again = Checklist::open(&path, seed()).unwrap();
        again
            .ensure_security_group(&tenant(), &group())
            .await
            .unwrap();
        assert_eq!(
            again.pending().len(),
            1,
            "the same change is not listed twice"
        );
        again.clear_pending();
        assert!(again.pending().is_empty());
        again
            .ensure_security_group(&tenant(), &group())
            .await
            .unwrap();
        assert_eq!(again.pending()[0].id, c.pending()[0].id);
    }

    #[test]
    fn manual_tasks_are_queued_once_confirmed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("acme.json");
        let task = ManualTask {
            title: "Ask support to admit the ranges".into(),
            menu: vec!["support ticket".into()],
            actions: vec!["open a ticket".into()],
            forms: vec![],
            verify: vec!["support says done".into()],
            notes: vec![],
        };
        let c = Checklist::open(&path, seed()).unwrap();
        let id = c.queue_manual(task.clone());
        assert_eq!(c.queue_manual(task.clone()), id);
        assert_eq!(c.pending().len(), 1);
        assert!(c.pending()[0].operation.is_none());
        c.confirm(&id, ops()).unwrap();
        let reopened = Checklist::open(&path, seed()).unwrap();
        assert_eq!(reopened.confirmed()[0].manual.as_ref(), Some(&task));
        assert_eq!(
            reopened.queue_manual(task),
            id,
            "confirmed: not queued again"
        );
        assert!(reopened.pending().is_empty());
        assert_eq!(
            reopened.confirmed_steps()[0].0.title,
            "Ask support to admit the ranges"
        );
    }

    #[test]
    fn a_read_only_state_file_and_a_held_lock_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("acme.json");
        write_state(&path, &[], &[], None).unwrap();
        let held = Checklist::open_locked(&path, seed()).unwrap();
        let err = Checklist::open_locked(&path, seed()).unwrap_err();
        assert!(format!("{err}: {:?}", std::error::Error::source(&err)).contains("lock"));
        drop(held);
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let err = Checklist::open_locked(&path, seed()).unwrap_err();
        let cause = std::error::Error::source(&err).unwrap().to_string();
        assert!(cause.contains("read-only"), "{cause}");
        // Reading it is still fine.
        Checklist::open(&path, seed()).unwrap();
    }

    #[test]
    fn a_state_file_from_before_the_queue_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.json");
        std::fs::write(
            &path,
            r#"{"format":"wehostvoip-client/checklist-state","version":1,"confirmed":[]}"#,
        )
        .unwrap();
        let c = Checklist::open(&path, seed()).unwrap();
        assert!(c.pending().is_empty() && c.confirmed().is_empty() && c.context().is_none());
    }
}
