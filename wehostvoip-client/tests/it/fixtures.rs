//! Values shared by the tests: the tenant and extensions that exist before the runbook starts, and
//! the objects of the Plivo runbook.

use wehostvoip_client::{
    ApplyTo, Capabilities, Carrier, Gateway, InventoryNumber, NumberType, SecurityGroup,
    Subscriber, TenantDomain, World,
};

pub const TENANT: &str = "acme.hobot.wehostvoip.io";
pub const OTHER_TENANT: &str = "other.hobot.wehostvoip.io";
pub const NUMBER: &str = "+14155550100";

pub fn tenant() -> TenantDomain {
    TENANT.parse().unwrap()
}

pub fn other_tenant() -> TenantDomain {
    OTHER_TENANT.parse().unwrap()
}

/// A tenant with extensions 1001 and 1002, and another tenant with 2001.
pub fn seed() -> World {
    let mut world = World::new();
    world.add_tenant(tenant()).unwrap();
    world
        .add_subscriber(&tenant(), Subscriber::new("1001".parse().unwrap()))
        .unwrap();
    let mut alice = Subscriber::new("1002".parse().unwrap());
    alice.username = Some("alice".into());
    world.add_subscriber(&tenant(), alice).unwrap();
    world.add_tenant(other_tenant()).unwrap();
    world
        .add_subscriber(&other_tenant(), Subscriber::new("2001".parse().unwrap()))
        .unwrap();
    world
}

/// The runbook's carrier: the trunk FQDN first, then the seed's inbound-authorisation gateway.
pub fn plivo_carrier() -> Carrier {
    let mut primary = Gateway::new(
        "plivo-primary".parse().unwrap(),
        "21784177285.zt.plivo.com".parse().unwrap(),
    );
    primary.display = Some("ACME".into());
    primary.source_domain = Some("21784177285.zt.plivo.com".parse().unwrap());
    primary.apply_to = ApplyTo::E164;
    let inbound = Gateway::new(
        "plivo-inbound".parse().unwrap(),
        "18.214.109.129".parse().unwrap(),
    );
    Carrier {
        name: "plivo-acme".parse().unwrap(),
        description: Some("Plivo Zentrunk for acme".into()),
        gateways: vec![primary, inbound],
    }
}

pub fn security_group(countries: &[&str], prefixes: &[&str]) -> SecurityGroup {
    let mut g = SecurityGroup::new("plivo-outbound".parse().unwrap());
    g.countries = countries.iter().map(|c| c.parse().unwrap()).collect();
    g.prefixes = prefixes.iter().map(|p| p.parse().unwrap()).collect();
    g
}

pub fn inventory_number() -> InventoryNumber {
    InventoryNumber {
        number: NUMBER.parse().unwrap(),
        source: "Plivo".into(),
        number_type: NumberType::Local,
        price: "2.00".parse().unwrap(),
        vendor_price: "0.80".parse().unwrap(),
        capabilities: Capabilities {
            voice: true,
            sms: false,
        },
    }
}
