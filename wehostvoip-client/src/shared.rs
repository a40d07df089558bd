//! A shared backend: `Arc<B>` is a backend too, so a caller can hand one to an orchestrator and
//! keep a handle (to render a checklist afterwards, or inspect an in-memory world).

use std::sync::Arc;

use crate::{
    Carrier, E164, Error, Extension, InventoryNumber, Name, PhoneNumberAssignment, SecurityGroup,
    Subscriber, Tenant, TenantDomain, WeHostVoip,
};

#[async_trait::async_trait]
impl<B: WeHostVoip + ?Sized> WeHostVoip for Arc<B> {
    async fn list_carriers(&self) -> Result<Vec<Carrier>, Error> {
        (**self).list_carriers().await
    }
    async fn get_carrier(&self, name: &Name) -> Result<Option<Carrier>, Error> {
        (**self).get_carrier(name).await
    }
    async fn create_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        (**self).create_carrier(carrier).await
    }
    async fn update_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        (**self).update_carrier(carrier).await
    }
    async fn delete_carrier(&self, name: &Name) -> Result<(), Error> {
        (**self).delete_carrier(name).await
    }
    async fn set_caller_id(&self, carrier: &Name, caller_id: &E164) -> Result<Carrier, Error> {
        (**self).set_caller_id(carrier, caller_id).await
    }
    async fn list_tenants(&self) -> Result<Vec<Tenant>, Error> {
        (**self).list_tenants().await
    }
    async fn get_tenant(&self, domain: &TenantDomain) -> Result<Option<Tenant>, Error> {
        (**self).get_tenant(domain).await
    }
    async fn bind_tenant_carrier(
        &self,
        tenant: &TenantDomain,
        carrier: &Name,
    ) -> Result<Tenant, Error> {
        (**self).bind_tenant_carrier(tenant, carrier).await
    }
    async fn unbind_tenant_carrier(&self, tenant: &TenantDomain) -> Result<Tenant, Error> {
        (**self).unbind_tenant_carrier(tenant).await
    }
    async fn list_security_groups(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<SecurityGroup>, Error> {
        (**self).list_security_groups(tenant).await
    }
    async fn ensure_security_group(
        &self,
        tenant: &TenantDomain,
        group: &SecurityGroup,
    ) -> Result<SecurityGroup, Error> {
        (**self).ensure_security_group(tenant, group).await
    }
    async fn assign_security_group(
        &self,
        tenant: &TenantDomain,
        extension: &Extension,
        group: &Name,
    ) -> Result<Subscriber, Error> {
        (**self)
            .assign_security_group(tenant, extension, group)
            .await
    }
    async fn list_subscribers(&self, tenant: &TenantDomain) -> Result<Vec<Subscriber>, Error> {
        (**self).list_subscribers(tenant).await
    }
    async fn list_inventory(&self) -> Result<Vec<InventoryNumber>, Error> {
        (**self).list_inventory().await
    }
    async fn add_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        (**self).add_inventory_number(number).await
    }
    async fn update_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        (**self).update_inventory_number(number).await
    }
    async fn remove_inventory_number(&self, number: &E164) -> Result<(), Error> {
        (**self).remove_inventory_number(number).await
    }
    async fn list_phone_numbers(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<PhoneNumberAssignment>, Error> {
        (**self).list_phone_numbers(tenant).await
    }
    async fn assign_number(
        &self,
        tenant: &TenantDomain,
        number: &E164,
        extension: &Extension,
    ) -> Result<PhoneNumberAssignment, Error> {
        (**self).assign_number(tenant, number, extension).await
    }
    async fn unassign_number(&self, tenant: &TenantDomain, number: &E164) -> Result<(), Error> {
        (**self).unassign_number(tenant, number).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::{InMemory, WeHostVoip, World};

    #[tokio::test]
    async fn an_arc_shares_one_backend() {
        let mut world = World::new();
        world
            .add_tenant("acme.example.net".parse().unwrap())
            .unwrap();
        let shared = Arc::new(InMemory::new(world));
        let boxed: Box<dyn WeHostVoip> = Box::new(Arc::clone(&shared));
        let tenant = "acme.example.net".parse().unwrap();
        let group = crate::SecurityGroup::new("plivo-us".parse().unwrap());
        boxed.ensure_security_group(&tenant, &group).await.unwrap();
        assert_eq!(
            shared.list_security_groups(&tenant).await.unwrap(),
            vec![group]
        );
    }
}
