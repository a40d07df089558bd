//! The object model with the console's rules, shared by the in-memory and checklist backends.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    Carrier, E164, Error, Extension, InventoryNumber, Kind, Name, PhoneNumberAssignment,
    SecurityGroup, Subscriber, Tenant, TenantDomain,
};

#[derive(Debug, Clone, PartialEq, Eq)]
struct TenantState {
    tenant: Tenant,
    subscribers: BTreeMap<Extension, Subscriber>,
    security_groups: BTreeMap<Name, SecurityGroup>,
    phone_numbers: BTreeMap<E164, Extension>,
}

/// Every WeHostVoIP object of one ISP, with the console's rules: unique names, a carrier exists before
/// a tenant binds to it, a number is in the inventory before it is assigned, nothing in use is removed.
///
/// Tenants and subscribers exist before the runbook starts, so a `World` is seeded with them:
///
/// ```
/// use wehostvoip_client::{Subscriber, World};
/// let mut world = World::new();
/// world.add_tenant("acme.hobot.wehostvoip.io".parse()?)?;
/// world.add_subscriber(&"acme.hobot.wehostvoip.io".parse()?, Subscriber::new("1001".parse()?))?;
/// assert_eq!(world.list_subscribers(&"acme.hobot.wehostvoip.io".parse()?)?.len(), 1);
/// # Ok::<(), wehostvoip_client::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    carriers: BTreeMap<Name, Carrier>,
    tenants: BTreeMap<TenantDomain, TenantState>,
    inventory: BTreeMap<E164, InventoryNumber>,
}

fn not_found(kind: Kind, name: &dyn std::fmt::Display) -> Error {
    Error::NotFound {
        kind,
        name: name.to_string(),
    }
}

impl World {
    /// An empty world.
    pub fn new() -> Self {
        Self::default()
    }

    /// Seeds a tenant with no carrier.
    ///
    /// # Errors
    /// [`Error::AlreadyExists`] when the domain is taken.
    pub fn add_tenant(&mut self, domain: TenantDomain) -> Result<(), Error> {
        if self.tenants.contains_key(&domain) {
            return Err(Error::AlreadyExists {
                kind: Kind::Tenant,
                name: domain.to_string(),
            });
        }
        let state = TenantState {
            tenant: Tenant {
                domain: domain.clone(),
                carrier: None,
            },
            subscribers: BTreeMap::new(),
            security_groups: BTreeMap::new(),
            phone_numbers: BTreeMap::new(),
        };
        self.tenants.insert(domain, state);
        Ok(())
    }

    /// Seeds a subscriber (extension) of a tenant.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant, [`Error::AlreadyExists`] for a taken extension.
    pub fn add_subscriber(
        &mut self,
        tenant: &TenantDomain,
        subscriber: Subscriber,
    ) -> Result<(), Error> {
        let groups_ok = subscriber.security_group.as_ref().is_none_or(|g| {
            self.tenants
                .get(tenant)
                .is_some_and(|t| t.security_groups.contains_key(g))
        });
        let state = self.tenant_mut(tenant)?;
        if !groups_ok {
            return Err(not_found(
                Kind::SecurityGroup,
                &subscriber.security_group.as_ref().map_or("", Name::as_str),
            ));
        }
        if state.subscribers.contains_key(&subscriber.extension) {
            return Err(Error::AlreadyExists {
                kind: Kind::Subscriber,
                name: subscriber.extension.to_string(),
            });
        }
        state
            .subscribers
            .insert(subscriber.extension.clone(), subscriber);
        Ok(())
    }

    fn tenant(&self, domain: &TenantDomain) -> Result<&TenantState, Error> {
        self.tenants
            .get(domain)
            .ok_or_else(|| not_found(Kind::Tenant, &domain))
    }

    fn tenant_mut(&mut self, domain: &TenantDomain) -> Result<&mut TenantState, Error> {
        self.tenants
            .get_mut(domain)
            .ok_or_else(|| not_found(Kind::Tenant, &domain))
    }

    /// All carriers, sorted by name.
    pub fn list_carriers(&self) -> Vec<Carrier> {
        self.carriers.values().cloned().collect()
    }

    /// One carrier.
    pub fn get_carrier(&self, name: &Name) -> Option<Carrier> {
        self.carriers.get(name).cloned()
    }

    /// Creates a carrier.
    ///
    /// # Errors
    /// [`Error::Invalid`] from [`Carrier::validate`], [`Error::AlreadyExists`] for a taken name.
    pub fn create_carrier(&mut self, carrier: &Carrier) -> Result<Carrier, Error> {
        carrier.validate()?;
        if self.carriers.contains_key(&carrier.name) {
            return Err(Error::AlreadyExists {
                kind: Kind::Carrier,
                name: carrier.name.to_string(),
            });
        }
        self.carriers.insert(carrier.name.clone(), carrier.clone());
        Ok(carrier.clone())
    }

    /// Replaces a carrier's description and gateways (in the given order).
    ///
    /// # Errors
    /// [`Error::Invalid`] from [`Carrier::validate`], [`Error::NotFound`] for an unknown carrier.
    pub fn update_carrier(&mut self, carrier: &Carrier) -> Result<Carrier, Error> {
        carrier.validate()?;
        let slot = self
            .carriers
            .get_mut(&carrier.name)
            .ok_or_else(|| not_found(Kind::Carrier, &carrier.name))?;
        *slot = carrier.clone();
        Ok(carrier.clone())
    }

    /// Deletes a carrier that no tenant uses.
    ///
    /// # Errors
    /// [`Error::NotFound`], or [`Error::InUse`] naming the tenant bound to it.
    pub fn delete_carrier(&mut self, name: &Name) -> Result<(), Error> {
        if !self.carriers.contains_key(name) {
            return Err(not_found(Kind::Carrier, &name));
        }
        if let Some(t) = self
            .tenants
            .values()
            .find(|t| t.tenant.carrier.as_ref() == Some(name))
        {
            return Err(Error::InUse {
                kind: Kind::Carrier,
                name: name.to_string(),
                used_by: format!("tenant {}", t.tenant.domain),
            });
        }
        self.carriers.remove(name);
        Ok(())
    }

    /// Sets the caller ID (the "Source User") on every gateway of a carrier.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown carrier.
    pub fn set_caller_id(&mut self, carrier: &Name, caller_id: &E164) -> Result<Carrier, Error> {
        let c = self
            .carriers
            .get_mut(carrier)
            .ok_or_else(|| not_found(Kind::Carrier, &carrier))?;
        for gw in &mut c.gateways {
            gw.source_user = Some(caller_id.clone());
        }
        Ok(c.clone())
    }

    /// All tenants, sorted by domain.
    pub fn list_tenants(&self) -> Vec<Tenant> {
        self.tenants.values().map(|t| t.tenant.clone()).collect()
    }

    /// One tenant.
    pub fn get_tenant(&self, domain: &TenantDomain) -> Option<Tenant> {
        self.tenants.get(domain).map(|t| t.tenant.clone())
    }

    /// Binds a tenant to an existing carrier.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant or carrier.
    pub fn bind_tenant_carrier(
        &mut self,
        tenant: &TenantDomain,
        carrier: &Name,
    ) -> Result<Tenant, Error> {
        self.tenant(tenant)?;
        if !self.carriers.contains_key(carrier) {
            return Err(not_found(Kind::Carrier, &carrier));
        }
        let t = self.tenant_mut(tenant)?;
        t.tenant.carrier = Some(carrier.clone());
        Ok(t.tenant.clone())
    }

    /// Clears a tenant's carrier, so the carrier can be deleted (teardown).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant.
    pub fn unbind_tenant_carrier(&mut self, tenant: &TenantDomain) -> Result<Tenant, Error> {
        let t = self.tenant_mut(tenant)?;
        t.tenant.carrier = None;
        Ok(t.tenant.clone())
    }

    /// The security groups of a tenant, sorted by name.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant.
    pub fn list_security_groups(&self, tenant: &TenantDomain) -> Result<Vec<SecurityGroup>, Error> {
        Ok(self
            .tenant(tenant)?
            .security_groups
            .values()
            .cloned()
            .collect())
    }

    /// Makes sure the group exists and allows at least `wanted`'s countries and prefixes (it adds,
    /// never removes). Returns the group as it now is.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant.
    pub fn ensure_security_group(
        &mut self,
        tenant: &TenantDomain,
        wanted: &SecurityGroup,
    ) -> Result<SecurityGroup, Error> {
        let t = self.tenant_mut(tenant)?;
        let g = t
            .security_groups
            .entry(wanted.name.clone())
            .or_insert_with(|| SecurityGroup::new(wanted.name.clone()));
        g.countries.extend(wanted.countries.iter().cloned());
        g.prefixes.extend(wanted.prefixes.iter().cloned());
        Ok(g.clone())
    }

    /// Assigns a security group to a subscriber.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant, subscriber or group.
    pub fn assign_security_group(
        &mut self,
        tenant: &TenantDomain,
        extension: &Extension,
        group: &Name,
    ) -> Result<Subscriber, Error> {
        let t = self.tenant_mut(tenant)?;
        if !t.security_groups.contains_key(group) {
            return Err(not_found(Kind::SecurityGroup, &group));
        }
        let s = t
            .subscribers
            .get_mut(extension)
            .ok_or_else(|| not_found(Kind::Subscriber, &extension))?;
        s.security_group = Some(group.clone());
        Ok(s.clone())
    }

    /// The subscribers of a tenant, sorted by extension.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant.
    pub fn list_subscribers(&self, tenant: &TenantDomain) -> Result<Vec<Subscriber>, Error> {
        Ok(self.tenant(tenant)?.subscribers.values().cloned().collect())
    }

    /// The number inventory, sorted by number.
    pub fn list_inventory(&self) -> Vec<InventoryNumber> {
        self.inventory.values().cloned().collect()
    }

    /// Adds a number to the inventory.
    ///
    /// # Errors
    /// [`Error::Invalid`] from [`InventoryNumber::validate`], [`Error::AlreadyExists`].
    pub fn add_inventory_number(
        &mut self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        number.validate()?;
        if self.inventory.contains_key(&number.number) {
            return Err(Error::AlreadyExists {
                kind: Kind::InventoryNumber,
                name: number.number.to_string(),
            });
        }
        self.inventory.insert(number.number.clone(), number.clone());
        Ok(number.clone())
    }

    /// Replaces the fields of an inventory number.
    ///
    /// # Errors
    /// [`Error::Invalid`] from [`InventoryNumber::validate`], [`Error::NotFound`].
    pub fn update_inventory_number(
        &mut self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        number.validate()?;
        let slot = self
            .inventory
            .get_mut(&number.number)
            .ok_or_else(|| not_found(Kind::InventoryNumber, &number.number))?;
        *slot = number.clone();
        Ok(number.clone())
    }

    /// Removes a number that no tenant has assigned.
    ///
    /// # Errors
    /// [`Error::NotFound`], or [`Error::InUse`] naming the tenant and extension.
    pub fn remove_inventory_number(&mut self, number: &E164) -> Result<(), Error> {
        if !self.inventory.contains_key(number) {
            return Err(not_found(Kind::InventoryNumber, &number));
        }
        for t in self.tenants.values() {
            if let Some(ext) = t.phone_numbers.get(number) {
                return Err(Error::InUse {
                    kind: Kind::InventoryNumber,
                    name: number.to_string(),
                    used_by: format!("extension {ext} of tenant {}", t.tenant.domain),
                });
            }
        }
        self.inventory.remove(number);
        Ok(())
    }

    /// The phone numbers assigned in a tenant, sorted by number.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant.
    pub fn list_phone_numbers(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<PhoneNumberAssignment>, Error> {
        Ok(self
            .tenant(tenant)?
            .phone_numbers
            .iter()
            .map(|(n, e)| PhoneNumberAssignment {
                number: n.clone(),
                extension: e.clone(),
            })
            .collect())
    }

    /// Assigns an inventory number to a subscriber. Assigning it again to the same extension is a no-op.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant or extension, [`Error::NotInInventory`], or
    /// [`Error::AlreadyAssigned`] when another extension (in any tenant) holds the number.
    pub fn assign_number(
        &mut self,
        tenant: &TenantDomain,
        number: &E164,
        extension: &Extension,
    ) -> Result<PhoneNumberAssignment, Error> {
        let t = self.tenant(tenant)?;
        if !t.subscribers.contains_key(extension) {
            return Err(not_found(Kind::Subscriber, &extension));
        }
        if !self.inventory.contains_key(number) {
            return Err(Error::NotInInventory {
                number: number.to_string(),
            });
        }
        for (domain, other) in &self.tenants {
            if let Some(ext) = other.phone_numbers.get(number)
                && (domain != tenant || ext != extension)
            {
                return Err(Error::AlreadyAssigned {
                    number: number.to_string(),
                    extension: format!("{ext} of tenant {domain}"),
                });
            }
        }
        self.tenant_mut(tenant)?
            .phone_numbers
            .insert(number.clone(), extension.clone());
        Ok(PhoneNumberAssignment {
            number: number.clone(),
            extension: extension.clone(),
        })
    }

    /// Removes a number from the tenant's phone numbers (it stays in the inventory).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown tenant or a number not assigned in it.
    pub fn unassign_number(&mut self, tenant: &TenantDomain, number: &E164) -> Result<(), Error> {
        self.tenant_mut(tenant)?
            .phone_numbers
            .remove(number)
            .map(|_| ())
            .ok_or_else(|| not_found(Kind::PhoneNumber, &number))
    }

    /// Carries out one recorded operation.
    ///
    /// # Errors
    /// The error of the operation's method.
    pub fn apply(&mut self, op: &Operation) -> Result<(), Error> {
        match op {
            Operation::CreateCarrier { carrier } => self.create_carrier(carrier).map(drop),
            Operation::UpdateCarrier { carrier } => self.update_carrier(carrier).map(drop),
            Operation::DeleteCarrier { carrier } => self.delete_carrier(carrier),
            Operation::SetCallerId { carrier, caller_id } => {
                self.set_caller_id(carrier, caller_id).map(drop)
            }
            Operation::BindTenantCarrier { tenant, carrier } => {
                self.bind_tenant_carrier(tenant, carrier).map(drop)
            }
            Operation::UnbindTenantCarrier { tenant, .. } => {
                self.unbind_tenant_carrier(tenant).map(drop)
            }
            Operation::EnsureSecurityGroup { tenant, group } => {
                self.ensure_security_group(tenant, group).map(drop)
            }
            Operation::AssignSecurityGroup {
                tenant,
                extension,
                group,
            } => self
                .assign_security_group(tenant, extension, group)
                .map(drop),
            Operation::AddInventoryNumber { number } => self.add_inventory_number(number).map(drop),
            Operation::UpdateInventoryNumber { number } => {
                self.update_inventory_number(number).map(drop)
            }
            Operation::RemoveInventoryNumber { number } => self.remove_inventory_number(number),
            Operation::AssignNumber {
                tenant,
                number,
                extension,
            } => self.assign_number(tenant, number, extension).map(drop),
            Operation::UnassignNumber { tenant, number } => self.unassign_number(tenant, number),
        }
    }
}

/// One change to WeHostVoIP, as a value (what a checklist step asks the operator to do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Operation {
    /// Create a carrier with its gateways.
    CreateCarrier {
        /// The carrier.
        carrier: Carrier,
    },
    /// Replace a carrier's description and gateways.
    UpdateCarrier {
        /// The carrier as it must be.
        carrier: Carrier,
    },
    /// Delete a carrier.
    DeleteCarrier {
        /// Its name.
        carrier: Name,
    },
    /// Set the caller ID (Source User) on every gateway of a carrier.
    SetCallerId {
        /// The carrier.
        carrier: Name,
        /// The caller ID.
        caller_id: E164,
    },
    /// Bind a tenant to a carrier.
    BindTenantCarrier {
        /// The tenant.
        tenant: TenantDomain,
        /// The carrier.
        carrier: Name,
    },
    /// Clear a tenant's carrier.
    UnbindTenantCarrier {
        /// The tenant.
        tenant: TenantDomain,
        /// The carrier it had when the step was written, to tell the operator (not checked).
        #[serde(default)]
        previous: Option<Name>,
    },
    /// Make a security group allow countries and prefixes.
    EnsureSecurityGroup {
        /// The tenant.
        tenant: TenantDomain,
        /// What the group must allow (at least).
        group: SecurityGroup,
    },
    /// Assign a security group to a subscriber.
    AssignSecurityGroup {
        /// The tenant.
        tenant: TenantDomain,
        /// The subscriber.
        extension: Extension,
        /// The group.
        group: Name,
    },
    /// Add a number to the inventory.
    AddInventoryNumber {
        /// The number and its fields.
        number: InventoryNumber,
    },
    /// Update an inventory number.
    UpdateInventoryNumber {
        /// The number and its new fields.
        number: InventoryNumber,
    },
    /// Remove a number from the inventory.
    RemoveInventoryNumber {
        /// The number.
        number: E164,
    },
    /// Assign an inventory number to an extension.
    AssignNumber {
        /// The tenant.
        tenant: TenantDomain,
        /// The number.
        number: E164,
        /// The extension.
        extension: Extension,
    },
    /// Take a number off a tenant's phone numbers.
    UnassignNumber {
        /// The tenant.
        tenant: TenantDomain,
        /// The number.
        number: E164,
    },
}
