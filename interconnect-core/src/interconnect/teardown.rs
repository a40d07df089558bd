//! Teardown: a plan that removes what this library made, found by its naming scheme, in reverse
//! order, and nothing else. Numbers are never unrented.

use plivo_client::TrunkDirection;

use super::plan::{Action, Conflict, Op, Plan, Purpose, Step, Warning};
use super::planner::{duplicate, header_for};
use super::{Interconnect, InterconnectError, whv_e164};
use crate::naming::ResourceName;

fn delete(op: Op) -> Step {
    Step {
        action: Action::Delete,
        op,
        changes: Vec::new(),
    }
}

impl Interconnect {
    /// Plans the removal of this interconnect: numbers off their extensions and out of the
    /// inventory (only those this library added), the inbound trunk (Plivo detaches its numbers),
    /// the origination URI, the carrier, the outbound trunk and the IP ACL. Objects are recognised
    /// by the names this library gives them; nothing else is touched, and no number is unrented.
    ///
    /// Apply the returned plan with [`Interconnect::apply`].
    ///
    /// # Errors
    /// Any read that fails on either side.
    #[allow(clippy::too_many_lines)]
    pub async fn teardown_plan(&self) -> Result<Plan, InterconnectError> {
        let observed = self.observe().await?;
        let spec = &self.spec;
        let names = &spec.names;
        let mut steps = Vec::new();
        let mut warnings = Vec::new();
        let mut conflicts = Vec::new();
        let ours = |name: Option<&str>| {
            name.and_then(|n| n.parse::<ResourceName>().ok())
                .is_some_and(|n| n.is_for(spec.tenant.as_str(), &spec.sbc))
        };

        // WeHostVoIP numbers first (they ring extensions through the inbound trunk).
        for r in &spec.routes {
            let number = whv_e164(&r.number)?;
            if observed
                .assignments
                .iter()
                .any(|a| a.number == number && a.extension == r.extension)
            {
                steps.push(delete(Op::UnassignNumber {
                    tenant: spec.tenant.clone(),
                    number: number.clone(),
                }));
            }
            if observed
                .inventory
                .iter()
                .any(|i| i.number == number && i.source == names.inventory_source)
            {
                steps.push(delete(Op::RemoveInventoryNumber { number }));
            }
        }

        // Plivo inbound side: trunks before the URIs they use (deleting a URI in use deletes its
        // trunks; here the trunk goes first on purpose).
        let mut trunks: Vec<_> = observed
            .trunks
            .iter()
            .filter(|t| ours(t.name.as_deref()))
            .collect();
        // Inbound trunks first, then outbound (reverse of creation).
        trunks.sort_by_key(|t| t.trunk_direction == TrunkDirection::Outbound);
        let (inbound, outbound): (Vec<_>, Vec<_>) = trunks
            .into_iter()
            .partition(|t| t.trunk_direction != TrunkDirection::Outbound);
        for t in &inbound {
            let attached = spec
                .routes
                .iter()
                .filter(|r| {
                    observed
                        .number(r.number.digits())
                        .and_then(plivo_client::Number::trunk_id)
                        .as_ref()
                        == Some(&t.trunk_id)
                })
                .count();
            let mut step = delete(Op::DeleteTrunk {
                name: t.name.clone().unwrap_or_default(),
                id: t.trunk_id.clone(),
            });
            if attached > 0 {
                step.changes.push(super::plan::Change::new(
                    "numbers",
                    Some(format!("{attached} attached")),
                    Some("detached by Plivo with the trunk".to_owned()),
                ));
            }
            steps.push(step);
        }
        let uris: Vec<_> = observed
            .uris
            .iter()
            .filter(|u| ours(u.name.as_deref()))
            .collect();
        for u in uris {
            let users: Vec<_> = observed
                .trunks
                .iter()
                .filter(|t| t.uses_uri(&u.uri_uuid) && !ours(t.name.as_deref()))
                .collect();
            if users.is_empty() {
                steps.push(delete(Op::DeleteUri {
                    name: u.name.clone().unwrap_or_default(),
                    id: u.uri_uuid.clone(),
                }));
            } else {
                conflicts.push(Conflict::new(
                    "uri-in-use",
                    format!(
                        "origination URI {} is used by trunk(s) this library did not make ({}); \
                         deleting it would delete them too, so it is kept",
                        u.name.as_deref().unwrap_or_default(),
                        users
                            .iter()
                            .map(|t| t.trunk_id.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }

        // WeHostVoIP carrier: the tenant lets go of it first.
        if let Some(c) = &observed.carrier {
            if observed
                .tenant
                .as_ref()
                .is_some_and(|t| t.carrier.as_ref() == Some(&c.name))
            {
                let mut step = delete(Op::UnbindTenant {
                    tenant: spec.tenant.clone(),
                    carrier: c.name.clone(),
                });
                step.action = Action::Update;
                step.changes.push(super::plan::Change::new(
                    "carrier",
                    Some(c.name.to_string()),
                    None,
                ));
                steps.push(step);
                warnings.push(Warning::new(
                    "tenant-without-carrier",
                    format!(
                        "tenant {} is left without a carrier: its outbound calls fail until it \
                         is bound to another carrier in the ISP console",
                        spec.tenant
                    ),
                ));
            }
            steps.push(delete(Op::DeleteCarrier {
                name: c.name.clone(),
            }));
        }
        if observed
            .groups
            .iter()
            .any(|g| g.name == names.security_group)
        {
            warnings.push(Warning::new(
                "security-group",
                format!(
                    "security group {} stays: it may allow other subscribers' calls, and the \
                     consoles offer no safe way to tell; remove it by hand if nothing else uses it",
                    names.security_group
                ),
            ));
        }

        // Plivo outbound side.
        for t in &outbound {
            steps.push(delete(Op::DeleteTrunk {
                name: t.name.clone().unwrap_or_default(),
                id: t.trunk_id.clone(),
            }));
        }
        let acls: Vec<_> = observed
            .acls
            .iter()
            .filter(|a| ours(a.name.as_deref()))
            .collect();
        if acls.len() > 1 {
            warnings.push(Warning::new(
                "duplicate-name",
                duplicate("IP access list", &names.acl, acls.len()).message,
            ));
        }
        for a in acls {
            steps.push(delete(Op::DeleteIpAcl {
                name: a.name.clone().unwrap_or_default(),
                id: a.ipacl_uuid.clone(),
            }));
        }

        Ok(Plan {
            header: header_for(spec, &observed, Purpose::Teardown),
            steps,
            warnings,
            conflicts,
        })
    }
}
