//! Teardown: a plan that removes what this library made, found by its naming scheme, in reverse
//! order, and nothing else. Numbers are never unrented; a shared object (an ACL or URI a trunk
//! this library did not make uses) is kept, and the plan says why.

use std::collections::BTreeSet;

use plivo_client::{Trunk, TrunkDirection};

use super::observe::{NumberReads, Observed};
use super::plan::{Action, Change, Conflict, Op, Plan, Purpose, Step, Warning};
use super::planner::{duplicate, header_for, label};
use super::{Interconnect, InterconnectError, Spec, TeardownOptions, whv_e164};
use crate::naming::ResourceName;

fn delete(op: Op) -> Step {
    Step {
        action: Action::Delete,
        op,
        changes: Vec::new(),
    }
}

impl Interconnect {
    /// [`Interconnect::teardown_plan_with`] with the default options: no force, no route to
    /// restore.
    ///
    /// # Errors
    /// Any read that fails on either side.
    pub async fn teardown_plan(&self) -> Result<Plan, InterconnectError> {
        self.teardown_plan_with(&TeardownOptions::default()).await
    }

    /// Plans the removal of this interconnect: numbers off their extensions and out of the
    /// inventory (only those this library added), numbers routed back to their previous route
    /// (those given in `options`), the inbound trunk (Plivo detaches its numbers), the origination
    /// URI, the carrier, the outbound trunk and the IP ACL. Objects are recognised by the names
    /// this library gives them; nothing else is touched, and no number is unrented.
    ///
    /// - An ACL or URI that a trunk this library did not make uses is kept (deleting the ACL
    ///   would break that trunk's IP authentication; deleting the URI would delete the trunk),
    ///   with a `kept-shared` warning naming the trunk.
    /// - A number attached to the inbound trunk that is not one of this interconnect's routes is
    ///   a conflict, unless [`TeardownOptions::force`]; the plan then warns about each.
    /// - A routed number with no route to restore is left without one: the plan says so.
    ///
    /// Apply the returned plan with [`Interconnect::apply`].
    ///
    /// # Errors
    /// Any read that fails on either side.
    pub async fn teardown_plan_with(
        &self,
        options: &TeardownOptions,
    ) -> Result<Plan, InterconnectError> {
        let observed = self.observe(NumberReads::All).await?;
        Ok(teardown_from(&self.spec, &observed, options))
    }
}

/// The teardown plan over observed state: a pure function of its inputs.
#[allow(clippy::too_many_lines)]
pub(crate) fn teardown_from(spec: &Spec, observed: &Observed, options: &TeardownOptions) -> Plan {
    let names = &spec.names;
    let mut steps = Vec::new();
    let mut warnings = Vec::new();
    let mut conflicts = Vec::new();
    let ours = |name: Option<&str>| {
        name.and_then(|n| n.parse::<ResourceName>().ok())
            .is_some_and(|n| n.is_for(&spec.tenant, &spec.sbc))
    };
    let whv = &observed.whv;

    // WeHostVoIP numbers first (they ring extensions through the inbound trunk).
    for r in &spec.routes {
        let number = whv_e164(&r.number);
        if whv
            .assignments
            .iter()
            .any(|a| a.number == number && a.extension == r.extension)
        {
            steps.push(delete(Op::UnassignNumber {
                tenant: spec.tenant.clone(),
                number: number.clone(),
            }));
        }
        if whv
            .inventory
            .iter()
            .any(|i| i.number == number && i.source == names.inventory_source)
        {
            steps.push(delete(Op::RemoveInventoryNumber { number }));
        }
    }

    // Plivo inbound side: numbers back to their routes, then the trunks, then the URIs they use
    // (deleting a URI in use deletes its trunks; here the trunk goes first on purpose).
    let (inbound, outbound): (Vec<&Trunk>, Vec<&Trunk>) = observed
        .trunks
        .iter()
        .filter(|t| ours(t.name.as_deref()))
        .partition(|t| t.trunk_direction != TrunkDirection::Outbound);
    let all_numbers = observed.all_numbers.as_deref().unwrap_or_default();
    let routed: BTreeSet<&str> = spec.routes.iter().map(|r| r.number.digits()).collect();
    let mut restored = BTreeSet::new();
    for t in &inbound {
        let attached: Vec<&plivo_client::Number> = all_numbers
            .iter()
            .filter(|n| n.trunk_id().as_ref() == Some(&t.trunk_id))
            .collect();
        let mut detached = 0;
        for n in &attached {
            let digits = n.number.trim_start_matches('+');
            if let Some(route) = options
                .routes_to_restore()
                .iter()
                .find(|p| p.number.digits() == digits)
            {
                restored.insert(digits.to_owned());
                steps.push(Step {
                    action: Action::Update,
                    changes: vec![Change::new(
                        "app_id",
                        Some(format!("trunk {}", t.trunk_id)),
                        Some(route.to_string()),
                    )],
                    op: Op::RestoreRoute {
                        route: route.clone(),
                    },
                });
                continue;
            }
            detached += 1;
            if routed.contains(digits) {
                warnings.push(Warning::new(
                    "route-not-restored",
                    format!(
                        "number +{digits} is left without a route when trunk {}{} is deleted: no \
                         previous route was given to restore; if it had one before this \
                         interconnect (the plan and apply report that moved it name it), route \
                         it back by hand",
                        t.trunk_id,
                        label(t.name.as_deref())
                    ),
                ));
            } else if options.is_forced() {
                warnings.push(Warning::new(
                    "forced-detach",
                    format!(
                        "number +{digits} is not a route of this interconnect but is attached to \
                         trunk {}{}: deleting the trunk detaches it (forced)",
                        t.trunk_id,
                        label(t.name.as_deref())
                    ),
                ));
            } else {
                conflicts.push(Conflict::new(
                    "foreign-number-on-trunk",
                    format!(
                        "number +{digits} is not a route of this interconnect but is attached to \
                         inbound trunk {}{}: deleting the trunk would detach it; move it to \
                         another trunk or application first, or tear down with force",
                        t.trunk_id,
                        label(t.name.as_deref())
                    ),
                ));
            }
        }
        let mut step = delete(Op::DeleteTrunk {
            name: t.name.clone().unwrap_or_default(),
            id: t.trunk_id.clone(),
            numbers: attached
                .iter()
                .map(|n| n.number.trim_start_matches('+').to_owned())
                .collect(),
        });
        if detached > 0 {
            step.changes.push(Change::new(
                "numbers",
                Some(format!("{detached} attached")),
                Some("detached by Plivo with the trunk".to_owned()),
            ));
        }
        steps.push(step);
    }
    for route in options.routes_to_restore() {
        if !restored.contains(route.number.digits()) {
            warnings.push(Warning::new(
                "restore-skipped",
                format!(
                    "number {} is no longer on this interconnect's inbound trunk, so it is not \
                     routed back to {route}: it is left as it is",
                    route.number
                ),
            ));
        }
    }
    for u in observed.uris.iter().filter(|u| ours(u.name.as_deref())) {
        let users = foreign_users(observed, |t| t.uses_uri(&u.uri_uuid), &ours);
        if users.is_empty() {
            steps.push(delete(Op::DeleteUri {
                name: u.name.clone().unwrap_or_default(),
                id: u.uri_uuid.clone(),
            }));
        } else {
            warnings.push(Warning::new(
                "kept-shared",
                format!(
                    "origination URI {} ({}) is kept: trunk(s) this library did not make use it \
                     ({users}), and deleting a URI deletes the trunks that use it",
                    u.uri_uuid,
                    u.name.as_deref().unwrap_or_default(),
                ),
            ));
        }
    }

    // WeHostVoIP carrier: the tenant lets go of it first.
    if let Some(c) = &whv.carrier {
        if whv
            .tenant
            .as_ref()
            .is_some_and(|t| t.carrier.as_ref() == Some(&c.name))
        {
            steps.push(Step {
                action: Action::Update,
                op: Op::UnbindTenant {
                    tenant: spec.tenant.clone(),
                    carrier: c.name.clone(),
                },
                changes: vec![Change::new("carrier", Some(c.name.to_string()), None)],
            });
            warnings.push(Warning::new(
                "tenant-without-carrier",
                format!(
                    "tenant {} is left without a carrier: its outbound calls fail until it is \
                     bound to another carrier in the ISP console",
                    spec.tenant
                ),
            ));
        }
        steps.push(delete(Op::DeleteCarrier {
            name: c.name.clone(),
        }));
    }
    if whv.groups.iter().any(|g| g.name == names.security_group) {
        warnings.push(Warning::new(
            "security-group",
            format!(
                "security group {} stays: it may allow other subscribers' calls, and the consoles \
                 offer no safe way to tell; remove it by hand if nothing else uses it",
                names.security_group
            ),
        ));
    }

    // Plivo outbound side.
    for t in &outbound {
        steps.push(delete(Op::DeleteTrunk {
            name: t.name.clone().unwrap_or_default(),
            id: t.trunk_id.clone(),
            numbers: Vec::new(),
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
        let users = foreign_users(observed, |t| t.uses_acl(&a.ipacl_uuid), &ours);
        if users.is_empty() {
            steps.push(delete(Op::DeleteIpAcl {
                name: a.name.clone().unwrap_or_default(),
                id: a.ipacl_uuid.clone(),
            }));
        } else {
            warnings.push(Warning::new(
                "kept-shared",
                format!(
                    "IP access list {} ({}) is kept: trunk(s) this library did not make use it \
                     ({users}), and deleting it would break their IP authentication",
                    a.ipacl_uuid,
                    a.name.as_deref().unwrap_or_default(),
                ),
            ));
        }
    }
    for u in &observed.skipped {
        warnings.push(Warning::new("unreadable-object", u.to_string()));
    }

    Plan {
        header: header_for(spec, observed, Purpose::Teardown),
        steps,
        warnings,
        conflicts,
    }
}

/// The trunks this library did not make that `uses` something, as `id (name), ...`.
fn foreign_users(
    observed: &Observed,
    uses: impl Fn(&Trunk) -> bool,
    ours: &impl Fn(Option<&str>) -> bool,
) -> String {
    observed
        .trunks
        .iter()
        .filter(|t| uses(t) && !ours(t.name.as_deref()))
        .map(|t| format!("{}{}", t.trunk_id, label(t.name.as_deref())))
        .collect::<Vec<_>>()
        .join(", ")
}
