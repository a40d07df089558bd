//! The operator checklist backend.

mod render;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

pub use render::{Console, Field, Form, Step};

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
    /// The change the operator made.
    pub operation: Operation,
    /// Who confirmed it.
    pub confirmation: Confirmation,
}

#[derive(Serialize, Deserialize)]
struct StateFile {
    format: String,
    version: u64,
    confirmed: Vec<ConfirmedStep>,
}

#[derive(Debug)]
struct Inner {
    /// Seed plus every confirmed step: what reads return.
    confirmed_world: World,
    /// `confirmed_world` plus the pending steps: what new changes are checked against.
    projected: World,
    confirmed: Vec<ConfirmedStep>,
    pending: Vec<(String, Operation)>,
}

/// Turns every change into a numbered operator step (console, menu, field → value, how to verify).
///
/// - Reads return what the operator has confirmed (the seed plus confirmed steps), so a planner run
///   again after some steps were done plans only what is left.
/// - A change is checked against the console's rules (see [`World`]) including the pending steps, and
///   becomes a pending step only when it changes something.
/// - [`Checklist::confirm`] records a done step in the state file chosen by the caller (JSON, written
///   to a temporary file and renamed over the old one). A corrupted or foreign state file is an error
///   naming the file; it is never reset. Use one `Checklist` per state file at a time: two processes
///   confirming into the same file would each overwrite the other's confirmations.
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
    inner: Mutex<Inner>,
}

impl Checklist {
    /// The ISP console's address.
    pub const ISP_CONSOLE: &'static str = "https://isp.wehostvoip.io";
    /// The tenant console's address.
    pub const TENANT_CONSOLE: &'static str = "https://console.wehostvoip.io";

    /// Opens a checklist over the seeded objects, replaying the steps confirmed in the state file at
    /// `path` (a missing file means nothing is confirmed yet; it is created on the first confirmation).
    ///
    /// # Errors
    /// [`Error::StateFileIo`], [`Error::StateFileCorrupt`], [`Error::StateFileForeign`], or
    /// [`Error::StateFileReplay`] when a confirmed step no longer applies to the seed.
    pub fn open(path: impl Into<PathBuf>, seed: World) -> Result<Self, Error> {
        let path = path.into();
        let confirmed = read_state(&path)?;
        let mut world = seed;
        for step in &confirmed {
            world
                .apply(&step.operation)
                .map_err(|e| Error::StateFileReplay {
                    path: path.clone(),
                    step: step.id.clone(),
                    source: Box::new(e),
                })?;
        }
        Ok(Self {
            path,
            consoles: render::Consoles {
                isp: Self::ISP_CONSOLE.into(),
                tenant: Self::TENANT_CONSOLE.into(),
            },
            inner: Mutex::new(Inner {
                projected: world.clone(),
                confirmed_world: world,
                confirmed,
                pending: Vec::new(),
            }),
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
            .map(|(i, (id, op))| render::describe(op, &self.consoles, i + 1, id.clone()))
            .collect()
    }

    /// The steps confirmed so far (from the state file and this session), in order.
    pub fn confirmed(&self) -> Vec<ConfirmedStep> {
        self.lock().confirmed.clone()
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
            .position(|(pid, _)| pid == id)
            .ok_or_else(|| Error::UnknownStep { id: id.to_owned() })?;
        let op = inner.pending[pos].1.clone();
        let mut world = inner.confirmed_world.clone();
        world.apply(&op)?;
        let mut confirmed = inner.confirmed.clone();
        confirmed.push(ConfirmedStep {
            id: id.to_owned(),
            operation: op,
            confirmation,
        });
        write_state(&self.path, &confirmed)?;
        inner.confirmed = confirmed;
        inner.confirmed_world = world;
        inner.pending.remove(pos);
        tracing::info!(step = id, "checklist step confirmed");
        Ok(())
    }

    /// The pending steps as Markdown, for a person.
    pub fn render_markdown(&self) -> String {
        let confirmed = self.lock().confirmed.len();
        render::markdown(&self.pending(), &self.consoles, confirmed)
    }

    /// The pending steps as JSON, for a ticket system: `{"consoles": {...}, "confirmed": n, "steps": [...]}`.
    pub fn render_json(&self) -> serde_json::Value {
        let confirmed = self.lock().confirmed.len();
        serde_json::json!({
            "consoles": {
                "isp": self.consoles.isp,
                "tenant": self.consoles.tenant,
            },
            "confirmed": confirmed,
            "steps": self.pending(),
        })
    }

    /// Checks `op` against the projected world; records a pending step when it changes something.
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
            tracing::debug!(step = %id, "checklist step added");
            inner.pending.push((id, op));
            inner.projected = next;
        }
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&World) -> T) -> T {
        f(&self.lock().confirmed_world)
    }
}

fn step_id(op: &Operation) -> String {
    let json = serde_json::to_value(op).unwrap_or_default();
    let verb = json
        .get("op")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("step")
        .replace('_', "-");
    // FNV-1a over the canonical JSON: the same change gets the same id in every run.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.to_string().bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{verb}-{:08x}", hash >> 32)
}

fn read_state(path: &Path) -> Result<Vec<ConfirmedStep>, Error> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
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
    Ok(state.confirmed)
}

fn write_state(path: &Path, confirmed: &[ConfirmedStep]) -> Result<(), Error> {
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
        confirmed: confirmed.to_vec(),
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
        std::fs::rename(&tmp, path).map_err(io("rename"))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
