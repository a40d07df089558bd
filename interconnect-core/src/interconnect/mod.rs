//! The [`Interconnect`]: plan, apply, verify and tear down the whole runbook across Plivo and
//! WeHostVoIP, idempotently.
//!
//! ```text
//! Interconnect::builder()...build()?   validates every input, no I/O
//!   .plan().await?                     reads both sides, resolves the SBC, diffs -> Plan
//!   .apply(&plan).await?               runs the plan's steps in order, refuses a stale plan
//!   .plan().await?                     empty: the whole thing is idempotent
//!   .call_policy()                     the sip-rules policy for the INVITEs it will carry
//! ```
//!
//! Every remote object carries a deterministic name ([`crate::naming`]); the planner finds existing
//! objects by listing, and apply re-lists before repeating a create whose outcome is unknown, so a
//! run interrupted at any step converges on the next run without duplicates.
//!
//! ```
//! use interconnect_core::interconnect::Interconnect;
//! use interconnect_core::sbc::StaticResolver;
//! use interconnect_core::{InboundAuth, Sbc};
//! use plivo_client::sandbox::Sandbox;
//! use wehostvoip_client::{InMemory, Subscriber, World};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await;
//! sandbox.add_account_number("+14155550123")?;
//! let mut world = World::new();
//! world.add_tenant("acme.hobot.wehostvoip.io".parse()?)?;
//! world.add_subscriber(&"acme.hobot.wehostvoip.io".parse()?, Subscriber::new("1001".parse()?))?;
//!
//! let ic = Interconnect::builder()
//!     .plivo(sandbox.client()?)
//!     .wehostvoip(Box::new(InMemory::new(world)))
//!     .resolver(StaticResolver::shared_sbcs())
//!     .sbc(Sbc::preset("us").unwrap().clone())
//!     .tenant("acme.hobot.wehostvoip.io")
//!     .caller_id("+14155550123".parse()?)
//!     .number("+14155550123".parse()?, "1001")
//!     .country("US")
//!     .inbound_auth(InboundAuth::PublishedRanges)
//!     .build()?;
//! let plan = ic.plan().await?;
//! ic.apply(&plan).await?;
//! assert!(ic.plan().await?.is_empty());
//! # Ok(()) }
//! ```

mod apply;
mod observe;
pub mod plan;
mod planner;
mod policy;
mod teardown;
mod verify;

use std::fmt;
use std::sync::Arc;

use plivo_client::PlivoClient;
use wehostvoip_client as whv;

use crate::error::ResolveError;
use crate::naming::{ResourceName, ResourceRole};
use crate::sbc::{AddressPolicy, Resolver, SbcAddressError, SystemResolver};
use crate::{CallerId, CodecPolicy, Country, E164, InboundAuth, Sbc};

pub use apply::{ApplyReport, Progress, StepOutcome};
pub use plan::{
    Action, Change, Conflict, Op, Plan, PreviousRoute, Purpose, RouteKind, Side, Step, Warning,
};
pub use policy::CallPolicy;
pub use verify::{Finding, Severity, TestCall, TestCallReport, Verification};

/// Everything that can go wrong while building, planning, applying or verifying an interconnect.
///
/// Each message says only what went wrong at its own level; the cause is the
/// [`source`](std::error::Error::source), never formatted into the message as well, and a wrapped
/// client error keeps its type so a caller can match on it:
///
/// ```
/// use interconnect_core::interconnect::InterconnectError;
///
/// fn is_rate_limited(e: &InterconnectError) -> bool {
///     match e {
///         InterconnectError::Plivo(e) => e.status().is_some_and(|s| s.as_u16() == 429),
///         InterconnectError::Step { source, .. } => is_rate_limited(source),
///         _ => false,
///     }
/// }
/// # let _ = is_rate_limited;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InterconnectError {
    /// A required builder input was not given.
    #[error("missing {0}: set it on the Interconnect builder")]
    Missing(&'static str),
    /// A builder input breaks a rule of the interconnect.
    #[error("invalid {what} {value:?}: {rule}")]
    Invalid {
        /// The input.
        what: &'static str,
        /// The rejected value.
        value: String,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// A builder input is not one WeHostVoIP takes (a tenant domain, a route's extension).
    #[error("invalid {what} {value:?} for WeHostVoIP")]
    Input {
        /// The input.
        what: &'static str,
        /// The rejected value.
        value: String,
        /// The WeHostVoIP client's rule it breaks, as that client's typed error.
        #[source]
        source: whv::Error,
    },
    /// A domain value is invalid.
    #[error(transparent)]
    Domain(#[from] crate::Error),
    /// A Plivo request failed.
    #[error("a Plivo request failed")]
    Plivo(#[from] plivo_client::Error),
    /// A WeHostVoIP operation failed.
    #[error("a WeHostVoIP operation failed")]
    WeHostVoip(#[from] whv::Error),
    /// The SBC's FQDN could not be resolved.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// The SBC's address (given, last known or resolved) is one Plivo cannot send calls to.
    #[error(transparent)]
    SbcAddress(#[from] SbcAddressError),
    /// The platforms changed since the plan was made; plan again and review.
    #[error("the plan is stale: {reason}; plan again and review the new plan")]
    StalePlan {
        /// What changed.
        reason: String,
    },
    /// The plan lists conflicts a person must resolve first.
    #[error("the plan has {count} conflict(s), first: {first}")]
    Conflicts {
        /// How many.
        count: usize,
        /// The first one's message.
        first: String,
    },
    /// A step failed; the steps before it were applied, and a new plan and apply converge.
    #[error("step {step} ({what}) failed")]
    Step {
        /// The 1-based step number.
        step: usize,
        /// What the step does.
        what: String,
        /// Why it failed.
        #[source]
        source: Box<InterconnectError>,
    },
    /// Something the platforms answered contradicts what the step expected.
    #[error("unexpected state: {0}")]
    Unexpected(String),
}

impl InterconnectError {
    fn invalid(what: &'static str, value: impl Into<String>, rule: &'static str) -> Self {
        InterconnectError::Invalid {
            what,
            value: value.into(),
            rule,
        }
    }

    /// The message of this error and of each of its causes, joined by `": "`: one line for a log
    /// or a report, each cause said once.
    ///
    /// ```
    /// use interconnect_core::interconnect::InterconnectError;
    /// let e = InterconnectError::Step {
    ///     step: 2,
    ///     what: "create trunk".into(),
    ///     source: Box::new(InterconnectError::Missing("SBC")),
    /// };
    /// assert_eq!(e.to_string(), "step 2 (create trunk) failed");
    /// assert_eq!(
    ///     e.chain(),
    ///     "step 2 (create trunk) failed: missing SBC: set it on the Interconnect builder"
    /// );
    /// ```
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            next = cause.source();
        }
        text
    }
}

/// One Plivo number routed inbound, and the extension it rings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The Plivo number.
    pub number: E164,
    /// The WeHostVoIP extension.
    pub extension: whv::Extension,
}

/// How teardown treats what it finds (see [`Interconnect::teardown_plan_with`]).
///
/// ```
/// use interconnect_core::interconnect::TeardownOptions;
/// let options = TeardownOptions::default().force(true);
/// assert!(options.is_forced());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TeardownOptions {
    force: bool,
    restore: Vec<PreviousRoute>,
}

impl TeardownOptions {
    /// Delete the inbound trunk even when numbers that are not this interconnect's routes are
    /// attached to it (by hand): without it, each such number is a conflict. The plan lists every
    /// number it detaches this way.
    #[must_use]
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// The routes the numbers had before this interconnect moved them (from
    /// [`Plan::previous_routes`] or [`ApplyReport::previous_routes`], kept by the caller):
    /// teardown routes each number back before deleting the inbound trunk.
    #[must_use]
    pub fn restore(mut self, routes: impl IntoIterator<Item = PreviousRoute>) -> Self {
        self.restore.extend(routes);
        self
    }

    /// Whether [`TeardownOptions::force`] is set.
    pub fn is_forced(&self) -> bool {
        self.force
    }

    /// The routes to restore.
    pub fn routes_to_restore(&self) -> &[PreviousRoute] {
        &self.restore
    }
}

/// The names of the remote objects, computed once in `build`.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    pub(crate) acl: String,
    pub(crate) outbound: String,
    pub(crate) inbound: String,
    pub(crate) uri: String,
    pub(crate) carrier: whv::Name,
    pub(crate) security_group: whv::Name,
    /// The inventory "Source" that marks numbers this library added.
    pub(crate) inventory_source: String,
}

/// The validated inputs of an interconnect.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) sbc: Sbc,
    pub(crate) tenant: whv::TenantDomain,
    pub(crate) caller_id: CallerId,
    pub(crate) routes: Vec<Route>,
    pub(crate) country: Country,
    /// `None`: the default (North American toll-free where the country is NANP).
    pub(crate) allow_toll_free: Option<bool>,
    pub(crate) codecs: CodecPolicy,
    pub(crate) inbound_auth: InboundAuth,
    pub(crate) names: Names,
    /// Move numbers routed to another Zentrunk trunk (see [`InterconnectBuilder::take_over`]).
    pub(crate) take_over: bool,
    /// Which SBC addresses are accepted.
    pub(crate) address_policy: AddressPolicy,
}

impl Names {
    /// The names of `tenant`'s objects on `sbc`, from the typed values (no string is re-parsed
    /// except into the WeHostVoIP crate's own `Name`, whose error keeps its type).
    fn new(
        tenant: &whv::TenantDomain,
        sbc: &Sbc,
        country: Country,
    ) -> Result<Names, InterconnectError> {
        let name = |role| ResourceName::new(tenant, sbc, role).to_string();
        let whv_name = |what, value: String| {
            value
                .parse::<whv::Name>()
                .map_err(|source| InterconnectError::Input {
                    what,
                    value,
                    source,
                })
        };
        let carrier = whv_name("carrier name", name(ResourceRole::Carrier))?;
        let security_group = whv_name(
            "security group name",
            format!("plivo-{}", country.code().to_ascii_lowercase()),
        )?;
        let inbound = name(ResourceRole::InboundTrunk);
        Ok(Names {
            acl: name(ResourceRole::IpAcl),
            outbound: name(ResourceRole::OutboundTrunk),
            uri: name(ResourceRole::OriginationUri),
            inventory_source: format!("Plivo ({inbound})"),
            inbound,
            carrier,
            security_group,
        })
    }

    pub(crate) fn of(&self, role: ResourceRole) -> String {
        match role {
            ResourceRole::IpAcl => self.acl.clone(),
            ResourceRole::OutboundTrunk => self.outbound.clone(),
            ResourceRole::InboundTrunk => self.inbound.clone(),
            ResourceRole::OriginationUri => self.uri.clone(),
            _ => self.carrier.to_string(),
        }
    }
}

/// A validated interconnect between one WeHostVoIP tenant and Plivo, ready to plan and apply.
pub struct Interconnect {
    plivo: PlivoClient,
    whv: Box<dyn whv::WeHostVoip>,
    resolver: Arc<dyn Resolver>,
    spec: Spec,
}

impl fmt::Debug for Interconnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interconnect")
            .field("plivo", &self.plivo)
            .field("wehostvoip", &self.whv)
            .field("spec", &self.spec)
            .finish_non_exhaustive()
    }
}

impl Interconnect {
    /// Starts a builder.
    pub fn builder() -> InterconnectBuilder {
        InterconnectBuilder::default()
    }

    /// The Plivo client.
    pub fn plivo(&self) -> &PlivoClient {
        &self.plivo
    }

    /// The WeHostVoIP backend.
    pub fn wehostvoip(&self) -> &dyn whv::WeHostVoip {
        self.whv.as_ref()
    }

    /// The SBC.
    pub fn sbc(&self) -> &Sbc {
        &self.spec.sbc
    }

    /// The inbound routes (number and extension).
    pub fn routes(&self) -> &[Route] {
        &self.spec.routes
    }

    /// The name this library gives the remote object of `role`.
    pub fn resource_name(&self, role: ResourceRole) -> String {
        self.spec.names.of(role)
    }
}

/// Builds an [`Interconnect`]; [`InterconnectBuilder::build`] validates every input with no I/O.
#[derive(Default)]
pub struct InterconnectBuilder {
    plivo: Option<PlivoClient>,
    whv: Option<Box<dyn whv::WeHostVoip>>,
    resolver: Option<Arc<dyn Resolver>>,
    sbc: Option<Sbc>,
    tenant: Option<String>,
    caller_id: Option<CallerId>,
    routes: Vec<(E164, String)>,
    country: Option<String>,
    allow_toll_free: Option<bool>,
    codecs: Option<CodecPolicy>,
    inbound_auth: Option<InboundAuth>,
    take_over: bool,
    address_policy: AddressPolicy,
}

/// The one rule for a tenant: a WeHostVoIP tenant domain, compared without case and without a
/// trailing dot, so `acme.io.`, `ACME.io` and `acme.io` are one tenant with one set of names.
///
/// # Errors
/// [`InterconnectError::Input`] with the WeHostVoIP client's typed error for the domain rule it breaks.
///
/// ```
/// use interconnect_core::interconnect::normalize_tenant;
/// assert_eq!(normalize_tenant("ACME.io.")?.as_str(), "acme.io");
/// assert_eq!(normalize_tenant(" acme.io ")?, normalize_tenant("acme.io")?);
/// assert!(normalize_tenant("acme..io").is_err());
/// # Ok::<(), interconnect_core::InterconnectError>(())
/// ```
pub fn normalize_tenant(raw: &str) -> Result<whv::TenantDomain, InterconnectError> {
    let trimmed = raw.trim();
    let bare = trimmed.strip_suffix('.').unwrap_or(trimmed);
    bare.parse::<whv::TenantDomain>()
        .map_err(|source| InterconnectError::Input {
            what: "tenant",
            value: raw.to_owned(),
            source,
        })
}

impl fmt::Debug for InterconnectBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InterconnectBuilder")
            .field("sbc", &self.sbc)
            .field("tenant", &self.tenant)
            .field("caller_id", &self.caller_id)
            .field("routes", &self.routes)
            .field("country", &self.country)
            .finish_non_exhaustive()
    }
}

impl InterconnectBuilder {
    /// The Plivo client (required).
    #[must_use]
    pub fn plivo(mut self, client: PlivoClient) -> Self {
        self.plivo = Some(client);
        self
    }

    /// The WeHostVoIP backend (required).
    #[must_use]
    pub fn wehostvoip(mut self, backend: Box<dyn whv::WeHostVoip>) -> Self {
        self.whv = Some(backend);
        self
    }

    /// How the SBC's FQDN is resolved (default: the system resolver).
    #[must_use]
    pub fn resolver(mut self, resolver: impl Resolver + 'static) -> Self {
        self.resolver = Some(Arc::new(resolver));
        self
    }

    /// The WeHostVoIP SBC (a preset region or a dedicated SBC; required).
    #[must_use]
    pub fn sbc(mut self, sbc: Sbc) -> Self {
        self.sbc = Some(sbc);
        self
    }

    /// The WeHostVoIP tenant's domain, e.g. `acme.hobot.wehostvoip.io` (required).
    #[must_use]
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// The caller ID for outbound calls: a Plivo number on the account (required).
    #[must_use]
    pub fn caller_id(mut self, caller_id: CallerId) -> Self {
        self.caller_id = Some(caller_id);
        self
    }

    /// Routes a Plivo number inbound to an extension (repeatable).
    #[must_use]
    pub fn number(mut self, number: E164, extension: impl Into<String>) -> Self {
        self.routes.push((number, extension.into()));
        self
    }

    /// The destination country the tenant may call, ISO 3166-1 alpha-2 (required).
    #[must_use]
    pub fn country(mut self, iso: impl Into<String>) -> Self {
        self.country = Some(iso.into());
        self
    }

    /// Whether North American toll-free destinations (prefix `18`) are allowed. Default: yes when
    /// the destination country is in the NANP (the runbook's test call goes to an 800 number), and
    /// nothing is added elsewhere; asking for it outside the NANP, or refusing it inside, is warned
    /// about in the plan.
    #[must_use]
    pub fn allow_toll_free(mut self, allow: bool) -> Self {
        self.allow_toll_free = Some(allow);
        self
    }

    /// The codec policy (default: PCMU required, as the runbook says).
    #[must_use]
    pub fn codec_policy(mut self, policy: CodecPolicy) -> Self {
        self.codecs = Some(policy);
        self
    }

    /// The inbound-authorization policy (default: the runbook's alias gateway).
    #[must_use]
    pub fn inbound_auth(mut self, policy: InboundAuth) -> Self {
        self.inbound_auth = Some(policy);
        self
    }

    /// Lets apply move a number that is routed to another Zentrunk trunk (another interconnect's,
    /// or one made by hand) onto this interconnect's inbound trunk. Without it such a number is a
    /// conflict. Either way the plan shows the number's current route, and the apply report
    /// records it ([`ApplyReport::previous_routes`]) so teardown can restore it.
    #[must_use]
    pub fn take_over(mut self, take_over: bool) -> Self {
        self.take_over = take_over;
        self
    }

    /// Which SBC addresses are accepted (default: public addresses only; unspecified, loopback,
    /// multicast, broadcast and link-local ones are always refused). Checked at `build` for an
    /// SBC given by IP address or with a last-known address, and at plan time for the resolved
    /// addresses.
    #[must_use]
    pub fn sbc_address_policy(mut self, policy: AddressPolicy) -> Self {
        self.address_policy = policy;
        self
    }

    /// Validates every input; no I/O.
    ///
    /// # Errors
    /// [`InterconnectError::Missing`] for a required input, [`InterconnectError::Invalid`] or
    /// [`InterconnectError::Domain`] naming the bad value and the rule.
    pub fn build(self) -> Result<Interconnect, InterconnectError> {
        let plivo = self
            .plivo
            .ok_or(InterconnectError::Missing("Plivo client"))?;
        let whv = self
            .whv
            .ok_or(InterconnectError::Missing("WeHostVoIP backend"))?;
        let sbc = self.sbc.ok_or(InterconnectError::Missing("SBC"))?;
        sbc.check_addresses(self.address_policy)?;
        let tenant_raw = self.tenant.ok_or(InterconnectError::Missing("tenant"))?;
        let tenant = normalize_tenant(&tenant_raw)?;
        let caller_id = self
            .caller_id
            .ok_or(InterconnectError::Missing("caller ID"))?;
        let country_raw = self
            .country
            .ok_or(InterconnectError::Missing("destination country"))?;
        let country: Country = country_raw.parse().map_err(crate::Error::from)?;
        let mut routes: Vec<Route> = Vec::with_capacity(self.routes.len());
        for (number, ext) in self.routes {
            let extension: whv::Extension =
                ext.parse()
                    .map_err(|source: whv::Error| InterconnectError::Input {
                        what: "extension",
                        value: ext.clone(),
                        source,
                    })?;
            if routes.iter().any(|r| r.number == number) {
                return Err(InterconnectError::invalid(
                    "number",
                    number.to_string(),
                    "each number may be routed to one extension only",
                ));
            }
            routes.push(Route { number, extension });
        }
        let codecs = self.codecs.unwrap_or_default();
        codecs
            .check_against(&crate::presets::PLIVO.capabilities())
            .map_err(crate::Error::from)?;
        let names = Names::new(&tenant, &sbc, country)?;
        let spec = Spec {
            names,
            sbc,
            tenant,
            caller_id,
            routes,
            country,
            allow_toll_free: self.allow_toll_free,
            codecs,
            inbound_auth: self.inbound_auth.unwrap_or_default(),
            take_over: self.take_over,
            address_policy: self.address_policy,
        };
        Ok(Interconnect {
            plivo,
            whv,
            resolver: self
                .resolver
                .unwrap_or_else(|| Arc::new(SystemResolver) as Arc<dyn Resolver>),
            spec,
        })
    }
}

/// The country in the WeHostVoIP crate's own type (the same checked value).
pub(crate) fn whv_country(country: Country) -> whv::CountryCode {
    country.rule().into()
}

/// The number in the WeHostVoIP crate's own E.164 type (the same checked value).
pub(crate) fn whv_e164(number: &E164) -> whv::E164 {
    number.rule().into()
}
