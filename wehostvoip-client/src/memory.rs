//! The in-memory backend.

use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::{
    Carrier, E164, Error, Extension, InventoryNumber, Name, PhoneNumberAssignment, SecurityGroup,
    Subscriber, Tenant, TenantDomain, WeHostVoip, World,
};

/// The whole object model in memory, with the console's rules (see [`World`]).
///
/// Seed it with the tenants and subscribers that exist before the runbook starts.
#[derive(Debug, Default)]
pub struct InMemory {
    world: Mutex<World>,
}

impl InMemory {
    /// A backend over a seeded world.
    pub fn new(world: World) -> Self {
        Self {
            world: Mutex::new(world),
        }
    }

    /// A copy of the current world.
    pub fn world(&self) -> World {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        // A panic while holding the lock cannot leave the world half-changed: every method of
        // `World` checks all rules before its first write.
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait::async_trait]
impl WeHostVoip for InMemory {
    async fn list_carriers(&self) -> Result<Vec<Carrier>, Error> {
        Ok(self.lock().list_carriers())
    }
    async fn get_carrier(&self, name: &Name) -> Result<Option<Carrier>, Error> {
        Ok(self.lock().get_carrier(name))
    }
    async fn create_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        self.lock().create_carrier(carrier)
    }
    async fn update_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        self.lock().update_carrier(carrier)
    }
    async fn delete_carrier(&self, name: &Name) -> Result<(), Error> {
        self.lock().delete_carrier(name)
    }
    async fn set_caller_id(&self, carrier: &Name, caller_id: &E164) -> Result<Carrier, Error> {
        self.lock().set_caller_id(carrier, caller_id)
    }
    async fn list_tenants(&self) -> Result<Vec<Tenant>, Error> {
        Ok(self.lock().list_tenants())
    }
    async fn get_tenant(&self, domain: &TenantDomain) -> Result<Option<Tenant>, Error> {
        Ok(self.lock().get_tenant(domain))
    }
    async fn bind_tenant_carrier(
        &self,
        tenant: &TenantDomain,
        carrier: &Name,
    ) -> Result<Tenant, Error> {
        self.lock().bind_tenant_carrier(tenant, carrier)
    }
    async fn unbind_tenant_carrier(&self, tenant: &TenantDomain) -> Result<Tenant, Error> {
        self.lock().unbind_tenant_carrier(tenant)
    }
    async fn list_security_groups(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<SecurityGroup>, Error> {
        self.lock().list_security_groups(tenant)
    }
    async fn ensure_security_group(
        &self,
        tenant: &TenantDomain,
        group: &SecurityGroup,
    ) -> Result<SecurityGroup, Error> {
        self.lock().ensure_security_group(tenant, group)
    }
    async fn assign_security_group(
        &self,
        tenant: &TenantDomain,
        extension: &Extension,
        group: &Name,
    ) -> Result<Subscriber, Error> {
        self.lock().assign_security_group(tenant, extension, group)
    }
    async fn list_subscribers(&self, tenant: &TenantDomain) -> Result<Vec<Subscriber>, Error> {
        self.lock().list_subscribers(tenant)
    }
    async fn list_inventory(&self) -> Result<Vec<InventoryNumber>, Error> {
        Ok(self.lock().list_inventory())
    }
    async fn add_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        self.lock().add_inventory_number(number)
    }
    async fn update_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        self.lock().update_inventory_number(number)
    }
    async fn remove_inventory_number(&self, number: &E164) -> Result<(), Error> {
        self.lock().remove_inventory_number(number)
    }
    async fn list_phone_numbers(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<PhoneNumberAssignment>, Error> {
        self.lock().list_phone_numbers(tenant)
    }
    async fn assign_number(
        &self,
        tenant: &TenantDomain,
        number: &E164,
        extension: &Extension,
    ) -> Result<PhoneNumberAssignment, Error> {
        self.lock().assign_number(tenant, number, extension)
    }
    async fn unassign_number(&self, tenant: &TenantDomain, number: &E164) -> Result<(), Error> {
        self.lock().unassign_number(tenant, number)
    }
}
