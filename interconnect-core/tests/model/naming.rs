//! Snapshot of the exact resource names: they identify objects across versions, so a change to
//! this snapshot means existing deployments would no longer be recognised.

use std::fmt::Write as _;

use interconnect_core::naming::ResourceRole;
use interconnect_core::{ResourceName, Sbc};

#[test]
fn resource_names_are_stable() {
    // Tenants are WeHostVoIP tenant domains (the one tenant rule).
    let tenants = [
        "acme",
        "acme-corp",
        "acme.example.com",
        "a-very-long-tenant-name-that-exceeds-the-limit",
    ];
    let mut out = String::new();
    for raw in tenants {
        let tenant = raw.parse().unwrap();
        let key = ResourceName::new(&tenant, &Sbc::presets()[0], ResourceRole::IpAcl);
        writeln!(out, "{raw:?} -> {}", key.tenant_key()).unwrap();
        for sbc in Sbc::presets() {
            for role in ResourceRole::ALL {
                let name = ResourceName::new(&tenant, sbc, role);
                writeln!(out, "  {name}").unwrap();
            }
        }
    }
    insta::assert_snapshot!("resource_names", out);
}
