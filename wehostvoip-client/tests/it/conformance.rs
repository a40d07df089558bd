//! One suite of scenarios, run against every backend: in-memory, checklist (with an operator who
//! confirms each step as soon as it appears) and HTTP (through the test's own server of the contract).

use std::future::Future;
use std::pin::Pin;

use wehostvoip_client::{
    Carrier, Checklist, Confirmation, E164, Error, Extension, Gateway, InMemory, InventoryNumber,
    Kind, Name, PhoneNumberAssignment, SecurityGroup, Subscriber, Tenant, TenantDomain, WeHostVoip,
    World,
};

use crate::fixtures::{
    NUMBER, inventory_number, other_tenant, plivo_carrier, security_group, seed, tenant,
};

type Scenario = for<'a> fn(&'a dyn WeHostVoip) -> Pin<Box<dyn Future<Output = ()> + 'a>>;

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        const SCENARIOS: &[(&str, Scenario)] = &[$((stringify!($name), |b| Box::pin($name(b)))),*];
    };
}

scenarios!(
    carriers_keep_gateway_order,
    caller_id_lands_on_every_gateway,
    duplicate_carrier_is_refused,
    unknown_carrier_is_reported,
    invalid_carriers_change_nothing,
    tenant_binds_only_to_existing_carrier,
    carrier_in_use_cannot_be_deleted,
    security_group_only_grows,
    security_group_assignment_needs_group_and_subscriber,
    inventory_add_update_remove,
    assignment_needs_inventory,
    assignment_is_exclusive_and_blocks_removal,
    unknown_tenant_is_reported,
);

async fn run_suite(make: impl Fn(World) -> Box<dyn WeHostVoip>) {
    for (name, scenario) in SCENARIOS {
        let backend = make(seed());
        eprintln!("scenario {name} on {backend:?}");
        scenario(backend.as_ref()).await;
    }
}

#[tokio::test]
async fn in_memory_backend_conforms() {
    run_suite(|world| Box::new(InMemory::new(world))).await;
}

#[tokio::test]
async fn checklist_backend_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    run_suite(|world| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.path().join(format!("state-{n}.json"));
        Box::new(AutoConfirm(Checklist::open(path, world).unwrap()))
    })
    .await;
}

/// Also the check of `openapi.yaml`: every exchange of the run (what the client sent, what the
/// contract's server answered) must be one the file allows, and together they must exercise every
/// operation in it.
#[tokio::test]
async fn http_backend_conforms() {
    let recording = crate::server::Recording::default();
    for (name, scenario) in SCENARIOS {
        let server = crate::server::start(seed(), &recording).await;
        let backend = crate::server::client(&server);
        eprintln!("scenario {name} over HTTP");
        scenario(&backend).await;
    }
    let coverage = crate::contract::assert_conforms(&recording.exchanges(), true);
    eprintln!("openapi.yaml: {coverage}");
}

fn name(s: &str) -> Name {
    s.parse().unwrap()
}

fn ext(s: &str) -> Extension {
    s.parse().unwrap()
}

fn number() -> E164 {
    NUMBER.parse().unwrap()
}

async fn carriers_keep_gateway_order(b: &dyn WeHostVoip) {
    let carrier = plivo_carrier();
    assert_eq!(b.create_carrier(&carrier).await.unwrap(), carrier);
    assert_eq!(
        b.get_carrier(&carrier.name).await.unwrap(),
        Some(carrier.clone())
    );
    assert_eq!(b.list_carriers().await.unwrap(), vec![carrier.clone()]);

    let mut swapped = carrier.clone();
    swapped.gateways.reverse();
    swapped.description = None;
    assert_eq!(b.update_carrier(&swapped).await.unwrap(), swapped);
    let read = b.get_carrier(&carrier.name).await.unwrap().unwrap();
    let order: Vec<&str> = read.gateways.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(order, ["plivo-inbound", "plivo-primary"]);
    assert_eq!(read, swapped);

    let second = Carrier {
        name: name("aws-chime"),
        description: Some("AWS-CHIME".into()),
        gateways: vec![Gateway::new(
            name("chime"),
            "abc.voiceconnector.chime.aws".parse().unwrap(),
        )],
    };
    b.create_carrier(&second).await.unwrap();
    let names: Vec<String> = b
        .list_carriers()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name.to_string())
        .collect();
    assert_eq!(names, ["aws-chime", "plivo-acme"]);

    b.delete_carrier(&carrier.name).await.unwrap();
    assert_eq!(b.get_carrier(&carrier.name).await.unwrap(), None);
    assert_eq!(b.list_carriers().await.unwrap(), vec![second]);
}

async fn caller_id_lands_on_every_gateway(b: &dyn WeHostVoip) {
    let carrier = plivo_carrier();
    b.create_carrier(&carrier).await.unwrap();
    let caller_id: E164 = "+14155550199".parse().unwrap();
    let updated = b.set_caller_id(&carrier.name, &caller_id).await.unwrap();
    assert!(
        updated
            .gateways
            .iter()
            .all(|g| g.source_user.as_ref() == Some(&caller_id))
    );
    let read = b.get_carrier(&carrier.name).await.unwrap().unwrap();
    assert_eq!(read, updated);
    // Setting the same caller ID again is harmless.
    assert_eq!(
        b.set_caller_id(&carrier.name, &caller_id).await.unwrap(),
        updated
    );
}

async fn duplicate_carrier_is_refused(b: &dyn WeHostVoip) {
    let carrier = plivo_carrier();
    b.create_carrier(&carrier).await.unwrap();
    let mut other = carrier.clone();
    other.gateways.truncate(1);
    let err = b.create_carrier(&other).await.unwrap_err();
    assert!(
        matches!(&err, Error::AlreadyExists { kind: Kind::Carrier, name } if name == "plivo-acme"),
        "{err:?}"
    );
    assert!(err.to_string().contains("plivo-acme"), "{err}");
    assert_eq!(b.get_carrier(&carrier.name).await.unwrap(), Some(carrier));
}

async fn unknown_carrier_is_reported(b: &dyn WeHostVoip) {
    let missing = plivo_carrier();
    assert_eq!(b.get_carrier(&missing.name).await.unwrap(), None);
    for err in [
        b.update_carrier(&missing).await.unwrap_err(),
        b.delete_carrier(&missing.name).await.unwrap_err(),
        b.set_caller_id(&missing.name, &number()).await.unwrap_err(),
    ] {
        assert!(
            matches!(&err, Error::NotFound { kind: Kind::Carrier, name } if name == "plivo-acme"),
            "{err:?}"
        );
    }
}

async fn invalid_carriers_change_nothing(b: &dyn WeHostVoip) {
    // An invalid gateway address cannot even be built...
    for bad in [
        "sip:21784177285.zt.plivo.com",
        "18.214.109.129:99999",
        "plivo .com",
        "",
    ] {
        let err = bad.parse::<wehostvoip_client::HostPort>().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Invalid {
                    what: "gateway address",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
    }
    // ...nor can a carrier without gateways or with two gateways of the same name be saved.
    let mut empty = plivo_carrier();
    empty.gateways.clear();
    let err = b.create_carrier(&empty).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                what: "carrier",
                ..
            }
        ),
        "{err:?}"
    );
    let mut twins = plivo_carrier();
    twins.gateways[1].name = twins.gateways[0].name.clone();
    let err = b.create_carrier(&twins).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Invalid {
                what: "gateway name",
                ..
            }
        ),
        "{err:?}"
    );
    let mut control = plivo_carrier();
    control.gateways[0].display = Some("ACME\ninjected".into());
    assert!(matches!(
        b.create_carrier(&control).await.unwrap_err(),
        Error::Invalid {
            what: "gateway display",
            ..
        }
    ));
    assert_eq!(b.list_carriers().await.unwrap(), vec![]);
}

async fn tenant_binds_only_to_existing_carrier(b: &dyn WeHostVoip) {
    let tenants = b.list_tenants().await.unwrap();
    assert_eq!(
        tenants,
        vec![
            Tenant {
                domain: tenant(),
                carrier: None
            },
            Tenant {
                domain: other_tenant(),
                carrier: None
            },
        ]
    );
    assert_eq!(
        b.get_tenant(&tenant()).await.unwrap(),
        Some(tenants[0].clone())
    );
    let carrier = plivo_carrier();
    let err = b
        .bind_tenant_carrier(&tenant(), &carrier.name)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: Kind::Carrier,
                ..
            }
        ),
        "{err:?}"
    );
    b.create_carrier(&carrier).await.unwrap();
    let bound = b
        .bind_tenant_carrier(&tenant(), &carrier.name)
        .await
        .unwrap();
    assert_eq!(bound.carrier.as_ref(), Some(&carrier.name));
    assert_eq!(b.get_tenant(&tenant()).await.unwrap(), Some(bound.clone()));
    assert_eq!(
        b.bind_tenant_carrier(&tenant(), &carrier.name)
            .await
            .unwrap(),
        bound
    );
}

async fn carrier_in_use_cannot_be_deleted(b: &dyn WeHostVoip) {
    let carrier = plivo_carrier();
    b.create_carrier(&carrier).await.unwrap();
    b.bind_tenant_carrier(&tenant(), &carrier.name)
        .await
        .unwrap();
    let err = b.delete_carrier(&carrier.name).await.unwrap_err();
    assert!(
        matches!(&err, Error::InUse { kind: Kind::Carrier, used_by, .. } if used_by.contains(crate::fixtures::TENANT)),
        "{err:?}"
    );
    assert!(b.get_carrier(&carrier.name).await.unwrap().is_some());
    // Teardown: unbind, then delete.
    let unbound = b.unbind_tenant_carrier(&tenant()).await.unwrap();
    assert_eq!(unbound.carrier, None);
    assert_eq!(b.get_tenant(&tenant()).await.unwrap(), Some(unbound));
    b.delete_carrier(&carrier.name).await.unwrap();
    assert_eq!(b.list_carriers().await.unwrap(), vec![]);
}

async fn security_group_only_grows(b: &dyn WeHostVoip) {
    assert_eq!(b.list_security_groups(&tenant()).await.unwrap(), vec![]);
    let first = security_group(&["US"], &["18"]);
    assert_eq!(
        b.ensure_security_group(&tenant(), &first).await.unwrap(),
        first
    );
    let more = security_group(&["BR"], &[]);
    let merged = b.ensure_security_group(&tenant(), &more).await.unwrap();
    assert_eq!(merged, security_group(&["BR", "US"], &["18"]));
    assert!(merged.allows_all_of(&first) && merged.allows_all_of(&more));
    assert_eq!(
        b.ensure_security_group(&tenant(), &first).await.unwrap(),
        merged
    );
    assert_eq!(
        b.list_security_groups(&tenant()).await.unwrap(),
        vec![merged]
    );
    assert_eq!(
        b.list_security_groups(&other_tenant()).await.unwrap(),
        vec![]
    );
}

async fn security_group_assignment_needs_group_and_subscriber(b: &dyn WeHostVoip) {
    let group = security_group(&["US"], &["18"]);
    let err = b
        .assign_security_group(&tenant(), &ext("1001"), &group.name)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: Kind::SecurityGroup,
                ..
            }
        ),
        "{err:?}"
    );
    b.ensure_security_group(&tenant(), &group).await.unwrap();
    let err = b
        .assign_security_group(&tenant(), &ext("9999"), &group.name)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { kind: Kind::Subscriber, name } if name == "9999"),
        "{err:?}"
    );
    let sub = b
        .assign_security_group(&tenant(), &ext("1001"), &group.name)
        .await
        .unwrap();
    assert_eq!(sub.security_group.as_ref(), Some(&group.name));
    let subs = b.list_subscribers(&tenant()).await.unwrap();
    let mut alice = Subscriber::new(ext("1002"));
    alice.username = Some("alice".into());
    assert_eq!(subs, vec![sub, alice]);
}

async fn inventory_add_update_remove(b: &dyn WeHostVoip) {
    let n = inventory_number();
    assert_eq!(b.add_inventory_number(&n).await.unwrap(), n);
    let err = b.add_inventory_number(&n).await.unwrap_err();
    assert!(
        matches!(&err, Error::AlreadyExists { kind: Kind::InventoryNumber, name } if name == NUMBER),
        "{err:?}"
    );
    let mut toll_free = InventoryNumber {
        number: "+18005550100".parse().unwrap(),
        number_type: wehostvoip_client::NumberType::TollFree,
        ..n.clone()
    };
    let err = b.update_inventory_number(&toll_free).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: Kind::InventoryNumber,
                ..
            }
        ),
        "{err:?}"
    );
    b.add_inventory_number(&toll_free).await.unwrap();
    toll_free.capabilities.sms = true;
    toll_free.vendor_price = "1.25".parse().unwrap();
    assert_eq!(
        b.update_inventory_number(&toll_free).await.unwrap(),
        toll_free
    );
    assert_eq!(
        b.list_inventory().await.unwrap(),
        vec![n.clone(), toll_free.clone()]
    );
    let bad = InventoryNumber {
        source: String::new(),
        ..n.clone()
    };
    assert!(matches!(
        b.update_inventory_number(&bad).await.unwrap_err(),
        Error::Invalid {
            what: "number source",
            ..
        }
    ));
    b.remove_inventory_number(&toll_free.number).await.unwrap();
    let err = b
        .remove_inventory_number(&toll_free.number)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: Kind::InventoryNumber,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(b.list_inventory().await.unwrap(), vec![n]);
}

async fn assignment_needs_inventory(b: &dyn WeHostVoip) {
    let err = b
        .assign_number(&tenant(), &number(), &ext("1001"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotInInventory { number } if number == NUMBER),
        "{err:?}"
    );
    assert!(err.to_string().contains(NUMBER));
    assert_eq!(b.list_phone_numbers(&tenant()).await.unwrap(), vec![]);
    b.add_inventory_number(&inventory_number()).await.unwrap();
    let err = b
        .assign_number(&tenant(), &number(), &ext("4242"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: Kind::Subscriber,
                ..
            }
        ),
        "{err:?}"
    );
    let assignment = b
        .assign_number(&tenant(), &number(), &ext("1001"))
        .await
        .unwrap();
    let expected = PhoneNumberAssignment {
        number: number(),
        extension: ext("1001"),
    };
    assert_eq!(assignment, expected);
    assert_eq!(
        b.assign_number(&tenant(), &number(), &ext("1001"))
            .await
            .unwrap(),
        expected
    );
    assert_eq!(
        b.list_phone_numbers(&tenant()).await.unwrap(),
        vec![expected]
    );
}

async fn assignment_is_exclusive_and_blocks_removal(b: &dyn WeHostVoip) {
    b.add_inventory_number(&inventory_number()).await.unwrap();
    b.assign_number(&tenant(), &number(), &ext("1001"))
        .await
        .unwrap();
    let err = b
        .assign_number(&tenant(), &number(), &ext("1002"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AlreadyAssigned { extension, .. } if extension.starts_with("1001")),
        "{err:?}"
    );
    let err = b
        .assign_number(&other_tenant(), &number(), &ext("2001"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyAssigned { .. }), "{err:?}");
    let err = b.remove_inventory_number(&number()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InUse {
                kind: Kind::InventoryNumber,
                ..
            }
        ),
        "{err:?}"
    );
    b.unassign_number(&tenant(), &number()).await.unwrap();
    let err = b.unassign_number(&tenant(), &number()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: Kind::PhoneNumber,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(b.list_inventory().await.unwrap(), vec![inventory_number()]);
    b.assign_number(&other_tenant(), &number(), &ext("2001"))
        .await
        .unwrap();
    assert_eq!(b.list_phone_numbers(&tenant()).await.unwrap(), vec![]);
    assert_eq!(
        b.list_phone_numbers(&other_tenant()).await.unwrap().len(),
        1
    );
}

async fn unknown_tenant_is_reported(b: &dyn WeHostVoip) {
    let ghost: TenantDomain = "ghost.hobot.wehostvoip.io".parse().unwrap();
    assert_eq!(b.get_tenant(&ghost).await.unwrap(), None);
    let carrier = plivo_carrier();
    b.create_carrier(&carrier).await.unwrap();
    b.add_inventory_number(&inventory_number()).await.unwrap();
    let group = security_group(&["US"], &[]);
    let errors = [
        b.bind_tenant_carrier(&ghost, &carrier.name)
            .await
            .unwrap_err(),
        b.unbind_tenant_carrier(&ghost).await.unwrap_err(),
        b.list_security_groups(&ghost).await.unwrap_err(),
        b.ensure_security_group(&ghost, &group).await.unwrap_err(),
        b.assign_security_group(&ghost, &ext("1001"), &group.name)
            .await
            .unwrap_err(),
        b.list_subscribers(&ghost).await.unwrap_err(),
        b.list_phone_numbers(&ghost).await.unwrap_err(),
        b.assign_number(&ghost, &number(), &ext("1001"))
            .await
            .unwrap_err(),
        b.unassign_number(&ghost, &number()).await.unwrap_err(),
    ];
    for err in errors {
        assert!(
            matches!(&err, Error::NotFound { kind: Kind::Tenant, name } if name == "ghost.hobot.wehostvoip.io"),
            "{err:?}"
        );
    }
}

/// The checklist with an operator who does and confirms every step as soon as it appears.
#[derive(Debug)]
struct AutoConfirm(Checklist);

impl AutoConfirm {
    fn confirm_all(&self) {
        for step in self.0.pending() {
            self.0
                .confirm(
                    &step.id,
                    Confirmation {
                        by: "conformance".into(),
                        note: None,
                    },
                )
                .unwrap();
        }
    }

    fn done<T>(&self, r: Result<T, Error>) -> Result<T, Error> {
        if r.is_ok() {
            self.confirm_all();
        }
        assert!(self.0.pending().is_empty());
        r
    }
}

#[async_trait::async_trait]
impl WeHostVoip for AutoConfirm {
    async fn list_carriers(&self) -> Result<Vec<Carrier>, Error> {
        self.0.list_carriers().await
    }
    async fn get_carrier(&self, name: &Name) -> Result<Option<Carrier>, Error> {
        self.0.get_carrier(name).await
    }
    async fn create_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        self.done(self.0.create_carrier(carrier).await)
    }
    async fn update_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        self.done(self.0.update_carrier(carrier).await)
    }
    async fn delete_carrier(&self, name: &Name) -> Result<(), Error> {
        self.done(self.0.delete_carrier(name).await)
    }
    async fn set_caller_id(&self, carrier: &Name, caller_id: &E164) -> Result<Carrier, Error> {
        self.done(self.0.set_caller_id(carrier, caller_id).await)
    }
    async fn list_tenants(&self) -> Result<Vec<Tenant>, Error> {
        self.0.list_tenants().await
    }
    async fn get_tenant(&self, domain: &TenantDomain) -> Result<Option<Tenant>, Error> {
        self.0.get_tenant(domain).await
    }
    async fn bind_tenant_carrier(
        &self,
        tenant: &TenantDomain,
        carrier: &Name,
    ) -> Result<Tenant, Error> {
        self.done(self.0.bind_tenant_carrier(tenant, carrier).await)
    }
    async fn unbind_tenant_carrier(&self, tenant: &TenantDomain) -> Result<Tenant, Error> {
        self.done(self.0.unbind_tenant_carrier(tenant).await)
    }
    async fn list_security_groups(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<SecurityGroup>, Error> {
        self.0.list_security_groups(tenant).await
    }
    async fn ensure_security_group(
        &self,
        tenant: &TenantDomain,
        group: &SecurityGroup,
    ) -> Result<SecurityGroup, Error> {
        self.done(self.0.ensure_security_group(tenant, group).await)
    }
    async fn assign_security_group(
        &self,
        tenant: &TenantDomain,
        extension: &Extension,
        group: &Name,
    ) -> Result<Subscriber, Error> {
        self.done(self.0.assign_security_group(tenant, extension, group).await)
    }
    async fn list_subscribers(&self, tenant: &TenantDomain) -> Result<Vec<Subscriber>, Error> {
        self.0.list_subscribers(tenant).await
    }
    async fn list_inventory(&self) -> Result<Vec<InventoryNumber>, Error> {
        self.0.list_inventory().await
    }
    async fn add_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        self.done(self.0.add_inventory_number(number).await)
    }
    async fn update_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        self.done(self.0.update_inventory_number(number).await)
    }
    async fn remove_inventory_number(&self, number: &E164) -> Result<(), Error> {
        self.done(self.0.remove_inventory_number(number).await)
    }
    async fn list_phone_numbers(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<PhoneNumberAssignment>, Error> {
        self.0.list_phone_numbers(tenant).await
    }
    async fn assign_number(
        &self,
        tenant: &TenantDomain,
        number: &E164,
        extension: &Extension,
    ) -> Result<PhoneNumberAssignment, Error> {
        self.done(self.0.assign_number(tenant, number, extension).await)
    }
    async fn unassign_number(&self, tenant: &TenantDomain, number: &E164) -> Result<(), Error> {
        self.done(self.0.unassign_number(tenant, number).await)
    }
}
