//! Snapshot of the exact resource names: they identify objects across versions, so a change to
//! this snapshot means existing deployments would no longer be recognised.

use std::fmt::Write as _;

use interconnect_core::naming::{ResourceRole, tenant_key};
use interconnect_core::{ResourceName, Sbc};

#[test]
fn resource_names_are_stable() {
    let tenants = [
        "acme",
        "acme-corp",
        "Acme Corp",
        "acme.example.com",
        "Açaí Telecom Ltda.",
        "東京テレコム",
        "customer_42",
        "a-very-long-tenant-name-that-exceeds-the-limit",
    ];
    let mut out = String::new();
    for tenant in tenants {
        writeln!(out, "{tenant:?} -> {}", tenant_key(tenant).unwrap()).unwrap();
        for sbc in Sbc::presets() {
            for role in ResourceRole::ALL {
                let name = ResourceName::new(tenant, sbc, role).unwrap();
                writeln!(out, "  {name}").unwrap();
            }
        }
    }
    insta::assert_snapshot!("resource_names", out);
}
