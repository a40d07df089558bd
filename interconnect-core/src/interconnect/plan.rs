//! The [`Plan`]: a pure value listing what an apply would do, for review (`Display`) and audit (serde).

use std::fmt;

use plivo_client::{IpAclId, TrunkId, UriId};
use serde::{Deserialize, Serialize};
use wehostvoip_client as whv;

use crate::E164;

/// Which platform a step changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Side {
    /// Plivo (Zentrunk and numbers APIs).
    Plivo,
    /// WeHostVoIP (ISP and tenant consoles, through a backend).
    WeHostVoip,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Plivo => "Plivo",
            Side::WeHostVoip => "WeHostVoIP",
        })
    }
}

/// What a step does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// The object does not exist yet: make it.
    Create,
    /// The object exists with other values: change them.
    Update,
    /// Link two existing objects (a number to a trunk or an extension, a tenant to a carrier).
    Attach,
    /// Remove the object (teardown).
    Delete,
    /// Already as desired: nothing is sent.
    NoChange,
}

impl Action {
    /// True when applying the step sends something.
    pub const fn changes_anything(self) -> bool {
        !matches!(self, Action::NoChange)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Attach => "attach",
            Action::Delete => "delete",
            Action::NoChange => "no change",
        })
    }
}

/// One field that differs between what exists and what is wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The field, as the platform names it.
    pub field: String,
    /// The value observed now (`None`: absent).
    pub from: Option<String>,
    /// The value the step sets (`None`: removed).
    pub to: Option<String>,
}

impl Change {
    pub(crate) fn new(field: &str, from: Option<String>, to: Option<String>) -> Change {
        Change {
            field: field.to_owned(),
            from,
            to,
        }
    }
}

/// Where a WeHostVoIP gateway points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "address", rename_all = "snake_case")]
pub enum GatewayTarget {
    /// The outbound trunk's `trunk_domain`, known once the trunk exists.
    OutboundTrunkDomain,
    /// A fixed address.
    Address(whv::HostPort),
}

impl fmt::Display for GatewayTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GatewayTarget::OutboundTrunkDomain => f.write_str("<the outbound trunk's domain>"),
            GatewayTarget::Address(a) => write!(f, "{a}"),
        }
    }
}

/// A WeHostVoIP gateway as planned (its address may be known only during apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedGateway {
    /// The gateway's name on the carrier.
    pub name: whv::Name,
    /// Where it points.
    pub target: GatewayTarget,
    /// The caller ID display text.
    pub display: Option<String>,
    /// The caller ID ("Source User").
    pub source_user: Option<whv::E164>,
}

/// The operation of one step, with everything apply needs to carry it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Op {
    /// The Plivo IP access list holding the SBC's address (runbook 2.2).
    IpAcl {
        /// Its name.
        name: String,
        /// Its id when it exists.
        existing: Option<IpAclId>,
        /// The addresses it must hold.
        ip_addresses: Vec<String>,
    },
    /// The Plivo outbound trunk using that ACL and no credential (runbook 2.1, 2.3).
    OutboundTrunk {
        /// Its name.
        name: String,
        /// Its id when it exists.
        existing: Option<TrunkId>,
        /// Its termination domain when it exists.
        trunk_domain: Option<String>,
    },
    /// The WeHostVoIP carrier and its gateways, in failover order (runbook 3.1).
    Carrier {
        /// Its name.
        name: whv::Name,
        /// Its description.
        description: String,
        /// Its gateways, in order.
        gateways: Vec<PlannedGateway>,
    },
    /// The caller ID on every gateway of the carrier (runbook 3.2).
    CallerId {
        /// The carrier.
        carrier: whv::Name,
        /// The caller ID.
        caller_id: whv::E164,
    },
    /// The tenant bound to the carrier.
    TenantCarrier {
        /// The tenant.
        tenant: whv::TenantDomain,
        /// The carrier.
        carrier: whv::Name,
    },
    /// The tenant security group allowing the destination country (runbook 3.5).
    SecurityGroup {
        /// The tenant.
        tenant: whv::TenantDomain,
        /// What the group must allow at least.
        group: whv::SecurityGroup,
    },
    /// The security group on a subscriber.
    SecurityGroupAssignment {
        /// The tenant.
        tenant: whv::TenantDomain,
        /// The subscriber.
        extension: whv::Extension,
        /// The group.
        group: whv::Name,
    },
    /// The Plivo origination URI pointing at the SBC (runbook 4.1).
    OriginationUri {
        /// Its name.
        name: String,
        /// Its id when it exists.
        existing: Option<UriId>,
        /// The target.
        uri: String,
    },
    /// The Plivo inbound trunk using that URI (runbook 4.1).
    InboundTrunk {
        /// Its name.
        name: String,
        /// Its id when it exists.
        existing: Option<TrunkId>,
    },
    /// A Plivo number routed to the inbound trunk (`POST Number/{digits}/ {"app_id": trunk_id}`).
    NumberOnTrunk {
        /// The number.
        number: E164,
        /// Where it is routed now, when that is elsewhere (recorded for teardown to restore).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous: Option<PreviousRoute>,
    },
    /// The number in the ISP's inventory (runbook 4.2).
    InventoryNumber {
        /// The inventory record.
        record: whv::InventoryNumber,
        /// Whether a record exists already (then it is updated).
        exists: bool,
    },
    /// The number on a subscriber's extension (runbook 4.3).
    NumberOnExtension {
        /// The tenant.
        tenant: whv::TenantDomain,
        /// The number.
        number: whv::E164,
        /// The extension.
        extension: whv::Extension,
        /// The extension it is on now, when that is another one.
        replaces: Option<whv::Extension>,
    },
    /// Teardown: take a number off its extension.
    UnassignNumber {
        /// The tenant.
        tenant: whv::TenantDomain,
        /// The number.
        number: whv::E164,
    },
    /// Teardown: remove a number this library put in the inventory.
    RemoveInventoryNumber {
        /// The number.
        number: whv::E164,
    },
    /// Teardown: delete a trunk this library made (an inbound trunk's numbers are detached by Plivo).
    DeleteTrunk {
        /// Its name.
        name: String,
        /// Its id.
        id: TrunkId,
        /// The numbers (digits) attached to it when the plan was made; apply refuses the plan
        /// when another number has been attached since.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        numbers: Vec<String>,
    },
    /// Teardown: route a number back to where it was before this interconnect moved it.
    RestoreRoute {
        /// The route to restore.
        route: PreviousRoute,
    },
    /// Teardown: delete an origination URI this library made (after the trunks using it).
    DeleteUri {
        /// Its name.
        name: String,
        /// Its id.
        id: UriId,
    },
    /// Teardown: take the tenant off the carrier this library made (so the carrier can go).
    UnbindTenant {
        /// The tenant.
        tenant: whv::TenantDomain,
        /// The carrier it is bound to now.
        carrier: whv::Name,
    },
    /// Teardown: delete the carrier this library made.
    DeleteCarrier {
        /// Its name.
        name: whv::Name,
    },
    /// Teardown: delete an IP access list this library made.
    DeleteIpAcl {
        /// Its name.
        name: String,
        /// Its id.
        id: IpAclId,
    },
}

impl Op {
    /// The platform the operation changes.
    pub fn side(&self) -> Side {
        match self {
            Op::IpAcl { .. }
            | Op::OutboundTrunk { .. }
            | Op::OriginationUri { .. }
            | Op::InboundTrunk { .. }
            | Op::NumberOnTrunk { .. }
            | Op::DeleteTrunk { .. }
            | Op::DeleteUri { .. }
            | Op::DeleteIpAcl { .. }
            | Op::RestoreRoute { .. } => Side::Plivo,
            _ => Side::WeHostVoip,
        }
    }

    /// The runbook section the operation comes from (empty for teardown operations).
    pub fn runbook_section(&self) -> &'static str {
        match self {
            Op::IpAcl { .. } => "2.2",
            Op::OutboundTrunk { .. } => "2.1",
            Op::Carrier { .. } => "3.1",
            Op::CallerId { .. } => "3.2",
            Op::TenantCarrier { .. }
            | Op::SecurityGroup { .. }
            | Op::SecurityGroupAssignment { .. } => "3.5",
            Op::OriginationUri { .. } | Op::InboundTrunk { .. } | Op::NumberOnTrunk { .. } => "4.1",
            Op::InventoryNumber { .. } => "4.2",
            Op::NumberOnExtension { .. } => "4.3",
            _ => "",
        }
    }

    /// A short description of the object, for people.
    pub fn describe(&self) -> String {
        match self {
            Op::IpAcl { name, .. } | Op::DeleteIpAcl { name, .. } => {
                format!("IP access list {name}")
            }
            Op::OutboundTrunk { name, .. } => format!("outbound trunk {name}"),
            Op::Carrier { name, .. } | Op::DeleteCarrier { name } => format!("carrier {name}"),
            Op::CallerId { carrier, .. } => format!("caller ID on carrier {carrier}"),
            Op::TenantCarrier { tenant, .. } | Op::UnbindTenant { tenant, .. } => {
                format!("carrier of tenant {tenant}")
            }
            Op::SecurityGroup { tenant, group } => {
                format!("security group {} of tenant {tenant}", group.name)
            }
            Op::SecurityGroupAssignment {
                extension, group, ..
            } => format!("security group {group} on extension {extension}"),
            Op::OriginationUri { name, .. } | Op::DeleteUri { name, .. } => {
                format!("origination URI {name}")
            }
            Op::InboundTrunk { name, .. } => format!("inbound trunk {name}"),
            Op::NumberOnTrunk { number, .. } => format!("number {number} on the inbound trunk"),
            Op::RestoreRoute { route } => {
                format!("number {} back on its previous route", route.number)
            }
            Op::InventoryNumber { record, .. } => {
                format!("number {} in the inventory", record.number)
            }
            Op::NumberOnExtension {
                number, extension, ..
            } => format!("number {number} on extension {extension}"),
            Op::UnassignNumber { number, .. } => {
                format!("assignment of number {number} to its extension")
            }
            Op::RemoveInventoryNumber { number } => {
                format!("inventory record of number {number}")
            }
            Op::DeleteTrunk { name, .. } => format!("trunk {name}"),
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Step {
    /// What to do.
    pub(crate) action: Action,
    /// To which object, with the values to send.
    pub(crate) op: Op,
    /// The fields that differ (empty for [`Action::NoChange`]).
    pub(crate) changes: Vec<Change>,
}

impl Step {
    /// What the step does.
    pub fn action(&self) -> Action {
        self.action
    }

    /// To which object, with the values to send.
    pub fn op(&self) -> &Op {
        &self.op
    }

    /// The fields that differ (empty for [`Action::NoChange`]).
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }
}

/// Where a number was routed before this interconnect moved it: recorded by the plan and the
/// apply report, kept by the caller (for example in a state file), and given back to
/// [`TeardownOptions::restore`](super::TeardownOptions::restore) so teardown routes the number
/// back instead of leaving it without a route.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PreviousRoute {
    /// The number.
    pub number: E164,
    /// What it was routed to: an XML application or a Zentrunk trunk.
    pub kind: RouteKind,
    /// The id to route it back with (`POST Number/{digits}/ {"app_id": ...}`): the application id
    /// or the trunk id.
    pub app_id: String,
    /// The `application` path Plivo showed (`/v1/Account/{id}/Application/{app}/` or
    /// `/v1/Account/{id}/Zentrunk/Trunk/{trunk_id}/`).
    pub application: String,
}

impl fmt::Display for PreviousRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            RouteKind::Trunk => write!(f, "trunk {}", self.app_id),
            RouteKind::Application => write!(f, "application {}", self.app_id),
        }
    }
}

/// What a number can be routed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RouteKind {
    /// A Zentrunk trunk (another interconnect's, or made by hand).
    Trunk,
    /// A Plivo (XML) application.
    Application,
}

/// Something an operator should know before saying yes; applying is still possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable key (`inbound-auth`, `sbc-drift`, `caller-id`, `codec`, `destination`, ...).
    pub code: String,
    /// What it means, in words.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Warning {
        Warning {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Something that makes the plan unsafe to apply until a person resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// A stable key (`duplicate-name`, `wrong-direction`, `missing-tenant`, ...).
    pub code: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl Conflict {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Conflict {
        Conflict {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// What the plan is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// `provision` or `teardown`.
    pub(crate) purpose: Purpose,
    /// The WeHostVoIP tenant.
    pub(crate) tenant: String,
    /// The SBC's FQDN.
    pub(crate) sbc: String,
    /// The SBC's addresses as resolved at plan time.
    pub(crate) sbc_addresses: Vec<String>,
    /// The inbound-authorization policy.
    pub(crate) inbound_auth: String,
    /// The caller ID.
    pub(crate) caller_id: String,
    /// The Plivo numbers routed inbound, with their extensions.
    pub(crate) numbers: Vec<String>,
}

impl Header {
    /// `provision` or `teardown`.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// The WeHostVoIP tenant.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The SBC's FQDN.
    pub fn sbc(&self) -> &str {
        &self.sbc
    }

    /// The SBC's addresses as resolved at plan time.
    pub fn sbc_addresses(&self) -> &[String] {
        &self.sbc_addresses
    }

    /// The inbound-authorization policy.
    pub fn inbound_auth(&self) -> &str {
        &self.inbound_auth
    }

    /// The caller ID.
    pub fn caller_id(&self) -> &str {
        &self.caller_id
    }

    /// The Plivo numbers routed inbound, with their extensions.
    pub fn numbers(&self) -> &[String] {
        &self.numbers
    }
}

/// Whether a plan builds the interconnect or removes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Purpose {
    /// Build or converge the interconnect.
    Provision,
    /// Remove what this library made.
    Teardown,
}

/// The reviewed list of what an apply will do, in order.
///
/// A plan is a pure value: it serializes to JSON for audit and prints for review. Apply walks it
/// step by step and refuses it when the objects it changes changed since it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Plan {
    /// What the plan is for.
    pub(crate) header: Header,
    /// The steps, in the order they run.
    pub(crate) steps: Vec<Step>,
    /// Things to know before applying.
    pub(crate) warnings: Vec<Warning>,
    /// Things that block applying.
    pub(crate) conflicts: Vec<Conflict>,
}

impl Plan {
    /// What the plan is for.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Whether it builds the interconnect or removes it.
    pub fn purpose(&self) -> Purpose {
        self.header.purpose
    }

    /// The steps, in the order they run.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Things to know before applying.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Things that block applying.
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// The routes the numbers have now that this plan moves them off (keep them, and give them
    /// to [`TeardownOptions::restore`](super::TeardownOptions::restore) later).
    pub fn previous_routes(&self) -> impl Iterator<Item = &PreviousRoute> {
        self.steps.iter().filter_map(|s| match &s.op {
            Op::NumberOnTrunk {
                previous: Some(p), ..
            } if s.action.changes_anything() => Some(p),
            _ => None,
        })
    }

    /// True when applying would send no change.
    pub fn is_empty(&self) -> bool {
        !self.steps.iter().any(|s| s.action.changes_anything())
    }

    /// The steps that change something.
    pub fn pending(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.action.changes_anything())
    }

    /// How many steps take each action.
    pub fn count(&self, action: Action) -> usize {
        self.steps.iter().filter(|s| s.action == action).count()
    }

    /// True when the plan names something that blocks applying.
    pub fn has_conflicts(&self) -> bool {
        !self.conflicts.is_empty()
    }
}

fn opt(v: Option<&String>) -> &str {
    v.map_or("(none)", String::as_str)
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.header;
        let what = match h.purpose {
            Purpose::Provision => "Interconnect plan",
            Purpose::Teardown => "Teardown plan",
        };
        writeln!(f, "{what} for tenant {} through SBC {}", h.tenant, h.sbc)?;
        writeln!(f, "  SBC address(es): {}", h.sbc_addresses.join(", "))?;
        writeln!(f, "  inbound authorization: {}", h.inbound_auth)?;
        writeln!(f, "  caller ID: {}", h.caller_id)?;
        if !h.numbers.is_empty() {
            writeln!(f, "  inbound numbers: {}", h.numbers.join(", "))?;
        }
        writeln!(f)?;
        if self.steps.is_empty() {
            writeln!(f, "Nothing to do.")?;
        }
        for (i, step) in self.steps.iter().enumerate() {
            let section = step.op.runbook_section();
            let section = if section.is_empty() {
                String::new()
            } else {
                format!(" (runbook {section})")
            };
            writeln!(
                f,
                "{:>3}. [{}] {}: {}{}",
                i + 1,
                step.op.side(),
                step.action,
                step.op.describe(),
                section
            )?;
            for c in &step.changes {
                writeln!(
                    f,
                    "       {}: {} -> {}",
                    c.field,
                    opt(c.from.as_ref()),
                    opt(c.to.as_ref())
                )?;
            }
        }
        if !self.warnings.is_empty() {
            writeln!(f)?;
            writeln!(f, "Warnings:")?;
            for w in &self.warnings {
                writeln!(f, "  - [{}] {}", w.code, w.message)?;
            }
        }
        if !self.conflicts.is_empty() {
            writeln!(f)?;
            writeln!(f, "Conflicts (apply is refused until they are resolved):")?;
            for c in &self.conflicts {
                writeln!(f, "  - [{}] {}", c.code, c.message)?;
            }
        }
        writeln!(f)?;
        write!(
            f,
            "Summary: {} to change ({} create, {} update, {} attach, {} delete), {} unchanged.",
            self.pending().count(),
            self.count(Action::Create),
            self.count(Action::Update),
            self.count(Action::Attach),
            self.count(Action::Delete),
            self.count(Action::NoChange)
        )
    }
}
