//! The WeHostVoIP side of a Plivo interconnect behind one async trait.
//!
//! WeHostVoIP publishes no API: every step is a screen of the ISP console (`isp.wehostvoip.io`) or the
//! tenant console (`console.wehostvoip.io`). [`WeHostVoip`] gives those steps one typed interface, and
//! three backends carry them out:
//!
//! - [`Checklist`]: every call becomes a numbered operator step (console, menu, field → value, how to
//!   verify), rendered as Markdown or JSON; confirmed steps are kept in a state file.
//! - [`InMemory`]: the whole object model with the console's rules, for tests and sandboxes.
//! - [`Http`]: a client of the REST contract in this crate's `openapi.yaml`, which is this project's own
//!   contract for deployments that put an API in front of their console.
//!
//! ```
//! use wehostvoip_client::{Carrier, Gateway, InMemory, WeHostVoip, World};
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), wehostvoip_client::Error> {
//! let mut world = World::new();
//! world.add_tenant("acme.hobot.wehostvoip.io".parse()?)?;
//! let backend: Box<dyn WeHostVoip> = Box::new(InMemory::new(world));
//! let carrier = Carrier {
//!     name: "plivo".parse()?,
//!     description: Some("Plivo Zentrunk".into()),
//!     gateways: vec![Gateway::new("primary".parse()?, "acme.zt.plivo.com".parse()?)],
//! };
//! backend.create_carrier(&carrier).await?;
//! backend.bind_tenant_carrier(&"acme.hobot.wehostvoip.io".parse()?, &carrier.name).await?;
//! assert_eq!(backend.list_carriers().await?, vec![carrier]);
//! # Ok(()) }
//! ```

/// The README's example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod checklist;
mod error;
mod http;
mod memory;
mod model;
mod shared;
mod types;
mod world;

pub use api_common::{RetryPolicy, Sleeper, TokioSleeper};
pub use checklist::{
    Checklist, Confirmation, ConfirmedStep, Console, Field, Form, ManualTask, StateLock, Step,
};
pub use error::{ApiError, Error, Kind};
pub use http::{Http, HttpConfig};
pub use memory::InMemory;
pub use model::{
    ApplyTo, Capabilities, Carrier, Gateway, InventoryNumber, NumberType, PhoneNumberAssignment,
    SecurityGroup, Subscriber, Tenant,
};
pub use types::{
    CountryCode, DialPrefix, DigitPrefix, E164, Extension, HostPort, Name, Price, Strip,
    TenantDomain,
};
pub use world::{Operation, World};

/// The WeHostVoIP operations of the runbook, whatever carries them out.
///
/// Every input is a validated type, and every backend checks the rules of whole objects
/// ([`Carrier::validate`], [`InventoryNumber::validate`]) before doing anything. Reads return whole
/// objects so a planner can compare desired and observed values; `list_*` reads exist for every kind
/// so teardown can find what exists.
#[async_trait::async_trait]
pub trait WeHostVoip: Send + Sync + std::fmt::Debug {
    /// All carriers, sorted by name.
    ///
    /// # Errors
    /// Backend errors (HTTP transport or status, checklist state).
    async fn list_carriers(&self) -> Result<Vec<Carrier>, Error>;

    /// One carrier by name, `None` when it does not exist.
    ///
    /// # Errors
    /// Backend errors.
    async fn get_carrier(&self, name: &Name) -> Result<Option<Carrier>, Error>;

    /// Creates a carrier with its gateways, in order (the second is the failover of the first).
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::AlreadyExists`], backend errors.
    async fn create_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error>;

    /// Replaces a carrier's description and gateways, in order.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::NotFound`], backend errors.
    async fn update_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error>;

    /// Deletes a carrier that no tenant is bound to.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::InUse`], backend errors.
    async fn delete_carrier(&self, name: &Name) -> Result<(), Error>;

    /// Sets the caller ID ("Source User") on every gateway of the carrier (runbook step 3.2).
    ///
    /// # Errors
    /// [`Error::NotFound`], backend errors.
    async fn set_caller_id(&self, carrier: &Name, caller_id: &E164) -> Result<Carrier, Error>;

    /// All tenants, sorted by domain.
    ///
    /// # Errors
    /// Backend errors.
    async fn list_tenants(&self) -> Result<Vec<Tenant>, Error>;

    /// One tenant by domain, `None` when it does not exist.
    ///
    /// # Errors
    /// Backend errors.
    async fn get_tenant(&self, domain: &TenantDomain) -> Result<Option<Tenant>, Error>;

    /// Binds the tenant to an existing carrier.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the tenant or the carrier, backend errors.
    async fn bind_tenant_carrier(
        &self,
        tenant: &TenantDomain,
        carrier: &Name,
    ) -> Result<Tenant, Error>;

    /// Clears the tenant's carrier (teardown: a carrier a tenant uses cannot be deleted).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the tenant, backend errors.
    async fn unbind_tenant_carrier(&self, tenant: &TenantDomain) -> Result<Tenant, Error>;

    /// The tenant's security groups, sorted by name.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the tenant, backend errors.
    async fn list_security_groups(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<SecurityGroup>, Error>;

    /// Makes the group exist and allow at least the given countries and prefixes (adds, never removes).
    ///
    /// # Errors
    /// [`Error::NotFound`] for the tenant, backend errors.
    async fn ensure_security_group(
        &self,
        tenant: &TenantDomain,
        group: &SecurityGroup,
    ) -> Result<SecurityGroup, Error>;

    /// Assigns a security group to a subscriber.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the tenant, the subscriber or the group, backend errors.
    async fn assign_security_group(
        &self,
        tenant: &TenantDomain,
        extension: &Extension,
        group: &Name,
    ) -> Result<Subscriber, Error>;

    /// The tenant's subscribers, sorted by extension.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the tenant, backend errors.
    async fn list_subscribers(&self, tenant: &TenantDomain) -> Result<Vec<Subscriber>, Error>;

    /// The ISP number inventory, sorted by number.
    ///
    /// # Errors
    /// Backend errors.
    async fn list_inventory(&self) -> Result<Vec<InventoryNumber>, Error>;

    /// Adds a number to the inventory.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::AlreadyExists`], backend errors.
    async fn add_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error>;

    /// Replaces an inventory number's fields.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::NotFound`], backend errors.
    async fn update_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error>;

    /// Removes a number from the inventory; it must not be assigned.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::InUse`], backend errors.
    async fn remove_inventory_number(&self, number: &E164) -> Result<(), Error>;

    /// The tenant's phone numbers (assignments), sorted by number.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the tenant, backend errors.
    async fn list_phone_numbers(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<PhoneNumberAssignment>, Error>;

    /// Assigns an inventory number to an extension (a repeat to the same extension is a no-op).
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::NotInInventory`], [`Error::AlreadyAssigned`], backend errors.
    async fn assign_number(
        &self,
        tenant: &TenantDomain,
        number: &E164,
        extension: &Extension,
    ) -> Result<PhoneNumberAssignment, Error>;

    /// Takes a number off the tenant's phone numbers; it stays in the inventory.
    ///
    /// # Errors
    /// [`Error::NotFound`], backend errors.
    async fn unassign_number(&self, tenant: &TenantDomain, number: &E164) -> Result<(), Error>;
}
