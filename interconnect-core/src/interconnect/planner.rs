//! Desired state versus observed state: the steps of the runbook, each Create, Update, Attach or
//! No change, in the order of DESIGN.md's data flow.

use std::collections::BTreeSet;

use ipnet::IpNet;
use plivo_client::{IpAclId, Number, Trunk, TrunkDirection, TrunkId, UriId};
use wehostvoip_client as whv;

use super::observe::{NumberReads, Observed};
use super::plan::{
    Action, Change, Conflict, GatewayTarget, Header, Op, Plan, PlannedGateway, PreviousRoute,
    Purpose, RouteKind, Step, Warning,
};
use super::{Interconnect, InterconnectError, Spec, whv_country, whv_e164};
use crate::InboundAuth;
use crate::naming::ResourceName;
use crate::presets::PLIVO;

/// The description set on the carrier this library makes.
pub(crate) const CARRIER_DESCRIPTION: &str = "Plivo Zentrunk (managed by interconnect-core)";

impl Interconnect {
    /// Reads both sides (lists and gets only), resolves the SBC's FQDN and returns the [`Plan`]:
    /// the runbook's steps, each with what differs, plus warnings and conflicts.
    ///
    /// # Errors
    /// Any read that fails on either side, or the SBC's FQDN not resolving.
    pub async fn plan(&self) -> Result<Plan, InterconnectError> {
        let observed = self.observe(NumberReads::Wanted).await?;
        plan_from(&self.spec, &observed)
    }
}

pub(crate) fn header_for(spec: &Spec, observed: &Observed, purpose: Purpose) -> Header {
    Header {
        purpose,
        tenant: spec.tenant.to_string(),
        sbc: spec.sbc.host().to_string(),
        sbc_addresses: observed
            .resolution
            .addresses()
            .iter()
            .map(ToString::to_string)
            .collect(),
        inbound_auth: spec.inbound_auth.as_str().to_owned(),
        caller_id: spec.caller_id.to_string(),
        numbers: spec
            .routes
            .iter()
            .map(|r| format!("{} -> extension {}", r.number, r.extension))
            .collect(),
    }
}

/// A step that takes `action` when anything differs, and is [`Action::NoChange`] otherwise.
fn diff(action: Action, op: Op, changes: Vec<Change>) -> Step {
    Step {
        action: if changes.is_empty() {
            Action::NoChange
        } else {
            action
        },
        op,
        changes,
    }
}

/// A one-field change, or none when `from` already is `to`.
fn change(field: &str, from: Option<String>, to: String) -> Vec<Change> {
    if from.as_deref() == Some(to.as_str()) {
        Vec::new()
    } else {
        vec![Change::new(field, from, Some(to))]
    }
}

#[allow(clippy::unnecessary_wraps)] // for `Change`'s optional fields
fn text(s: &impl ToString) -> Option<String> {
    Some(s.to_string())
}

/// The id of an object this plan creates, as shown before it exists.
fn id_of(name: &str) -> String {
    format!("<id of {name}>")
}

pub(crate) fn duplicate(kind: &str, name: &str, count: usize) -> Conflict {
    Conflict::new(
        "duplicate-name",
        format!(
            "{count} Plivo {kind}s are named {name}; this library expects at most one: delete \
             the extra ones, then plan again"
        ),
    )
}

fn gw_name(s: &str) -> Result<whv::Name, InterconnectError> {
    s.parse()
        .map_err(|e: whv::Error| InterconnectError::Unexpected(format!("gateway name {s:?}: {e}")))
}

fn gateway_address(value: &str) -> Result<whv::HostPort, InterconnectError> {
    value.parse().map_err(|e: whv::Error| {
        InterconnectError::Unexpected(format!("{value:?} is no WeHostVoIP gateway address: {e}"))
    })
}

fn render_gateways<'a>(
    gateways: impl Iterator<Item = (String, String, Option<&'a str>)>,
) -> String {
    gateways
        .map(|(name, address, display)| match display {
            Some(d) => format!("{name}={address} \"{d}\""),
            None => format!("{name}={address}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_group(g: &whv::SecurityGroup) -> String {
    let mut parts: Vec<String> = g.countries.iter().map(ToString::to_string).collect();
    parts.extend(g.prefixes.iter().map(|p| format!("prefix {p}")));
    if parts.is_empty() {
        "nothing".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Builds the provisioning plan, one runbook step at a time.
struct Planner<'a> {
    spec: &'a Spec,
    observed: &'a Observed,
    steps: Vec<Step>,
    warnings: Vec<Warning>,
    conflicts: Vec<Conflict>,
}

pub(crate) fn plan_from(spec: &Spec, observed: &Observed) -> Result<Plan, InterconnectError> {
    let mut p = Planner {
        spec,
        observed,
        steps: Vec::new(),
        warnings: Vec::new(),
        conflicts: Vec::new(),
    };
    let acl = p.ip_acl();
    let outbound = p.outbound_trunk(acl.as_ref());
    p.carrier(outbound)?;
    p.caller_id();
    p.tenant()?;
    let uri = p.origination_uri();
    let inbound = p.inbound_trunk(uri.as_ref());
    p.numbers_on_trunk(inbound.as_ref());
    p.inventory();
    p.extensions();
    p.foreign_setups();
    p.warnings.extend(common_warnings(spec, observed));
    Ok(Plan {
        header: header_for(spec, observed, Purpose::Provision),
        steps: p.steps,
        warnings: p.warnings,
        conflicts: p.conflicts,
    })
}

impl<'a> Planner<'a> {
    /// The one object named `name`; several are a conflict (the first is used for diffing).
    fn unique<T>(&mut self, found: Vec<&'a T>, kind: &str, name: &str) -> Option<&'a T> {
        if found.len() > 1 {
            self.conflicts.push(duplicate(kind, name, found.len()));
        }
        found.into_iter().next()
    }

    /// The trunk named `name`, which must go `direction`.
    fn trunk(&mut self, name: &str, direction: &TrunkDirection) -> Option<&'a Trunk> {
        let found = self.observed.trunks_named(name);
        let trunk = self.unique(found, "trunk", name)?;
        if &trunk.trunk_direction != direction {
            self.conflicts.push(Conflict::new(
                "wrong-direction",
                format!(
                    "trunk {name} ({}) should be {direction} but is {}; rename or delete it",
                    trunk.trunk_id, trunk.trunk_direction
                ),
            ));
        }
        Some(trunk)
    }

    /// Runbook 2.2: the IP ACL holding the SBC's address(es).
    fn ip_acl(&mut self) -> Option<IpAclId> {
        let name = &self.spec.names.acl;
        let want = self.observed.resolution.acl().ip_addresses();
        let found = self.observed.acls_named(name);
        let acl = self.unique(found, "IP access list", name);
        let have = acl.map(|a| (address_set(&a.ip_addresses), a.ip_addresses.join(", ")));
        let same = have
            .as_ref()
            .is_some_and(|(set, _)| *set == address_set(&want));
        let changes = if same {
            Vec::new()
        } else {
            vec![Change::new(
                "ip_addresses",
                have.map(|(_, joined)| joined),
                Some(want.join(", ")),
            )]
        };
        let existing = acl.map(|a| a.ipacl_uuid.clone());
        self.steps.push(diff(
            if acl.is_some() {
                Action::Update
            } else {
                Action::Create
            },
            Op::IpAcl {
                name: name.clone(),
                existing: existing.clone(),
                ip_addresses: want,
            },
            changes,
        ));
        existing
    }

    /// Runbook 2.1 and 2.3: the outbound trunk with that ACL and no credential.
    fn outbound_trunk(&mut self, acl: Option<&IpAclId>) -> Option<&'a Trunk> {
        let name = &self.spec.names.outbound;
        let trunk = self.trunk(name, &TrunkDirection::Outbound);
        let acl_label = acl.map_or_else(|| id_of(&self.spec.names.acl), ToString::to_string);
        let step = match trunk {
            None => diff(
                Action::Create,
                Op::OutboundTrunk {
                    name: name.clone(),
                    existing: None,
                    trunk_domain: None,
                },
                vec![
                    Change::new("trunk_direction", None, text(&"outbound")),
                    Change::new("ipacl_uuid", None, Some(acl_label)),
                ],
            ),
            Some(t) => {
                if t.credential_uuid.is_some() {
                    self.warnings.push(Warning::new(
                        "credential",
                        format!(
                            "outbound trunk {name} also has a credential list; the runbook (2.3) \
                             leaves it empty and WeHostVoIP cannot use trunks with passwords"
                        ),
                    ));
                }
                let mut changes = change(
                    "ipacl_uuid",
                    t.ipacl_uuid.as_ref().map(ToString::to_string),
                    acl_label,
                );
                if let Some(status) = &t.trunk_status {
                    changes.extend(change("trunk_status", text(status), "enabled".to_owned()));
                }
                diff(
                    Action::Update,
                    Op::OutboundTrunk {
                        name: name.clone(),
                        existing: Some(t.trunk_id.clone()),
                        trunk_domain: t.trunk_domain.clone(),
                    },
                    changes,
                )
            }
        };
        self.steps.push(step);
        trunk
    }

    /// Runbook 3.1: the carrier whose first gateway is the trunk's domain, plus the inbound-auth
    /// gateway the policy adds.
    fn carrier(&mut self, outbound: Option<&Trunk>) -> Result<(), InterconnectError> {
        let spec = self.spec;
        let caller = whv_e164(spec.caller_id.number());
        let display = spec.caller_id.display_name().map(ToOwned::to_owned);
        let primary = match outbound.and_then(|t| t.trunk_domain.as_deref()) {
            Some(d) => GatewayTarget::Address(gateway_address(d)?),
            None => GatewayTarget::OutboundTrunkDomain,
        };
        let mut gateways = vec![PlannedGateway {
            name: gw_name("plivo-primary")?,
            target: primary,
            display: display.clone(),
            source_user: Some(caller.clone()),
        }];
        if spec.inbound_auth == InboundAuth::SeedAliasGateway {
            for (i, g) in spec.inbound_auth.gateways().iter().enumerate() {
                let address = g
                    .host()
                    .map_or_else(|| g.address().to_string(), ToString::to_string);
                let name = if i == 0 {
                    "plivo-inbound".to_owned()
                } else {
                    format!("plivo-inbound{}", i + 1)
                };
                gateways.push(PlannedGateway {
                    name: gw_name(&name)?,
                    target: GatewayTarget::Address(gateway_address(&address)?),
                    display: display.clone(),
                    source_user: Some(caller.clone()),
                });
            }
        }
        let want = render_gateways(gateways.iter().map(|g| {
            (
                g.name.to_string(),
                g.target.to_string(),
                g.display.as_deref(),
            )
        }));
        let have = self.observed.whv.carrier.as_ref().map(|c| {
            render_gateways(c.gateways.iter().map(|g| {
                (
                    g.name.to_string(),
                    g.address.to_string(),
                    g.display.as_deref(),
                )
            }))
        });
        self.steps.push(diff(
            if have.is_some() {
                Action::Update
            } else {
                Action::Create
            },
            Op::Carrier {
                name: spec.names.carrier.clone(),
                description: CARRIER_DESCRIPTION.to_owned(),
                gateways,
            },
            change("gateways", have, want),
        ));
        Ok(())
    }

    /// Runbook 3.2: the caller ID ("Source User") on every gateway of the carrier.
    fn caller_id(&mut self) {
        let spec = self.spec;
        let caller = whv_e164(spec.caller_id.number());
        let carrier = self.observed.whv.carrier.as_ref();
        let all_set = carrier.is_some_and(|c| {
            c.gateways
                .iter()
                .all(|g| g.source_user.as_ref() == Some(&caller))
        });
        let from = carrier
            .and_then(|c| {
                c.gateways
                    .iter()
                    .find(|g| g.source_user.as_ref() != Some(&caller))
            })
            .and_then(|g| g.source_user.as_ref().map(ToString::to_string));
        self.steps.push(diff(
            Action::Update,
            Op::CallerId {
                carrier: spec.names.carrier.clone(),
                caller_id: caller.clone(),
            },
            if all_set {
                Vec::new()
            } else {
                vec![Change::new("source_user", from, text(&caller))]
            },
        ));
        if self
            .observed
            .number(spec.caller_id.number().digits())
            .is_none()
        {
            self.warnings.push(Warning::new(
                "caller-id",
                format!(
                    "caller ID {} is not a number on this Plivo account: Plivo hangs up outbound \
                     calls with an unknown caller ID (unknown_caller_id, 4190); the runbook (3.2) \
                     recommends a Plivo number",
                    spec.caller_id.number()
                ),
            ));
        }
    }

    /// Runbook 3.5: the tenant bound to the carrier, the destination country (and toll-free
    /// prefix) in its security group, the group on the routed extensions.
    fn tenant(&mut self) -> Result<(), InterconnectError> {
        let spec = self.spec;
        let names = &spec.names;
        let group = self.desired_group()?;
        let Some(tenant) = &self.observed.whv.tenant else {
            self.conflicts.push(Conflict::new(
                "missing-tenant",
                format!(
                    "tenant {} does not exist on WeHostVoIP: create it in the ISP console first",
                    spec.tenant
                ),
            ));
            return Ok(());
        };
        self.steps.push(diff(
            Action::Attach,
            Op::TenantCarrier {
                tenant: spec.tenant.clone(),
                carrier: names.carrier.clone(),
            },
            change(
                "carrier",
                tenant.carrier.as_ref().map(ToString::to_string),
                names.carrier.to_string(),
            ),
        ));

        let existing = self
            .observed
            .whv
            .groups
            .iter()
            .find(|g| g.name == names.security_group);
        let (action, changes) = match existing {
            None => (
                Action::Create,
                vec![Change::new("allows", None, Some(render_group(&group)))],
            ),
            Some(g) if g.allows_all_of(&group) => (Action::NoChange, Vec::new()),
            Some(g) => {
                let mut merged = group.clone();
                merged.countries.extend(g.countries.iter().cloned());
                merged.prefixes.extend(g.prefixes.iter().cloned());
                (
                    Action::Update,
                    vec![Change::new(
                        "allows",
                        Some(render_group(g)),
                        Some(render_group(&merged)),
                    )],
                )
            }
        };
        self.steps.push(diff(
            action,
            Op::SecurityGroup {
                tenant: spec.tenant.clone(),
                group,
            },
            changes,
        ));

        let extensions: BTreeSet<&whv::Extension> =
            spec.routes.iter().map(|r| &r.extension).collect();
        for ext in extensions {
            let Some(sub) = self
                .observed
                .whv
                .subscribers
                .iter()
                .find(|s| &s.extension == ext)
            else {
                self.conflicts.push(Conflict::new(
                    "missing-extension",
                    format!(
                        "extension {ext} does not exist in tenant {}: create the subscriber in \
                         the tenant console first",
                        spec.tenant
                    ),
                ));
                continue;
            };
            self.steps.push(diff(
                Action::Attach,
                Op::SecurityGroupAssignment {
                    tenant: spec.tenant.clone(),
                    extension: ext.clone(),
                    group: names.security_group.clone(),
                },
                change(
                    "security_group",
                    sub.security_group.as_ref().map(ToString::to_string),
                    names.security_group.to_string(),
                ),
            ));
        }
        Ok(())
    }

    /// What the security group must allow, with the warnings about destinations.
    fn desired_group(&mut self) -> Result<whv::SecurityGroup, InterconnectError> {
        let spec = self.spec;
        let mut group = whv::SecurityGroup::new(spec.names.security_group.clone());
        group.countries.insert(whv_country(spec.country));
        let nanp = spec.country.calling_codes().any(|c| c.code() == 1);
        match (spec.allow_toll_free, nanp) {
            (None | Some(true), true) => {
                group.prefixes.insert("18".parse().map_err(|e: whv::Error| {
                    InterconnectError::Unexpected(format!("toll-free prefix: {e}"))
                })?);
            }
            (Some(true), false) => self.warnings.push(Warning::new(
                "destination",
                format!(
                    "toll-free calling was asked for, but the North American toll-free prefix 18 \
                     does not apply to {}; no prefix is added",
                    spec.country
                ),
            )),
            (Some(false), true) => self.warnings.push(Warning::new(
                "destination",
                "toll-free destinations are not allowed: the runbook's test call (3.6) to an 800 \
                 number will be refused by the tenant's security group",
            )),
            (None | Some(false), false) => {}
        }
        let caller_regions = spec.caller_id.number().country_calling_code().regions();
        if !caller_regions.contains(&spec.country.code()) {
            self.warnings.push(Warning::new(
                "destination",
                format!(
                    "the tenant may call {} while the caller ID {} belongs to another country: \
                     Plivo's geo permissions (console only, no API) must allow {} too",
                    spec.country,
                    spec.caller_id.number(),
                    spec.country
                ),
            ));
        }
        Ok(group)
    }

    /// Runbook 4.1: the origination URI pointing at the SBC.
    fn origination_uri(&mut self) -> Option<UriId> {
        let spec = self.spec;
        let name = &spec.names.uri;
        let want = spec.sbc.origination_uri();
        let found = self.observed.uris_named(name);
        let uri = self.unique(found, "origination URI", name);
        let step = match uri {
            None => diff(
                Action::Create,
                Op::OriginationUri {
                    name: name.clone(),
                    existing: None,
                    uri: want.clone(),
                },
                vec![Change::new("uri", None, Some(want))],
            ),
            Some(u) => {
                let mut changes = if same_uri(&u.uri, &want) {
                    Vec::new()
                } else {
                    vec![Change::new("uri", text(&u.uri), Some(want.clone()))]
                };
                changes.extend(change(
                    "authentication_needed",
                    text(&u.authentication_needed),
                    "false".to_owned(),
                ));
                diff(
                    Action::Update,
                    Op::OriginationUri {
                        name: name.clone(),
                        existing: Some(u.uri_uuid.clone()),
                        uri: want,
                    },
                    changes,
                )
            }
        };
        self.steps.push(step);
        uri.map(|u| u.uri_uuid.clone())
    }

    /// Runbook 4.1: the inbound trunk using that URI.
    fn inbound_trunk(&mut self, uri: Option<&UriId>) -> Option<TrunkId> {
        let name = &self.spec.names.inbound;
        let trunk = self.trunk(name, &TrunkDirection::Inbound);
        let uri_label = uri.map_or_else(|| id_of(&self.spec.names.uri), ToString::to_string);
        let step = match trunk {
            None => diff(
                Action::Create,
                Op::InboundTrunk {
                    name: name.clone(),
                    existing: None,
                },
                vec![
                    Change::new("trunk_direction", None, text(&"inbound")),
                    Change::new("primary_uri_uuid", None, Some(uri_label)),
                ],
            ),
            Some(t) => diff(
                Action::Update,
                Op::InboundTrunk {
                    name: name.clone(),
                    existing: Some(t.trunk_id.clone()),
                },
                change(
                    "primary_uri_uuid",
                    t.primary_uri_uuid.as_ref().map(ToString::to_string),
                    uri_label,
                ),
            ),
        };
        self.steps.push(step);
        trunk.map(|t| t.trunk_id.clone())
    }

    /// Each number on the inbound trunk (`POST Number/{digits}/ {"app_id": trunk_id}`).
    fn numbers_on_trunk(&mut self, inbound: Option<&TrunkId>) {
        let spec = self.spec;
        let trunk_label =
            inbound.map_or_else(|| id_of(&spec.names.inbound), |t| format!("trunk {t}"));
        for r in &spec.routes {
            let Some(n) = self.observed.number(r.number.digits()) else {
                self.conflicts.push(Conflict::new(
                    "missing-number",
                    format!(
                        "number {} is not on this Plivo account: buy it first (PhoneNumber search \
                         and buy); this library never buys numbers implicitly",
                        r.number
                    ),
                ));
                continue;
            };
            let current = n.trunk_id();
            let on_trunk = inbound.is_some() && current.as_ref() == inbound;
            let previous = if on_trunk {
                None
            } else {
                self.previous_route(r, n, current.as_ref())
            };
            self.steps.push(diff(
                Action::Attach,
                Op::NumberOnTrunk {
                    number: r.number.clone(),
                    previous: previous.clone(),
                },
                if on_trunk {
                    Vec::new()
                } else {
                    vec![Change::new(
                        "app_id",
                        previous.as_ref().map(ToString::to_string),
                        Some(trunk_label.clone()),
                    )]
                },
            ));
        }
    }

    /// The route a number has now, with the conflict (another Zentrunk trunk without take-over)
    /// or warning it calls for.
    fn previous_route(
        &mut self,
        r: &super::Route,
        n: &Number,
        trunk: Option<&TrunkId>,
    ) -> Option<PreviousRoute> {
        let app_id = n.app_id()?;
        let kind = if trunk.is_some() {
            RouteKind::Trunk
        } else {
            RouteKind::Application
        };
        let route = PreviousRoute {
            number: r.number.clone(),
            kind,
            app_id,
            application: n.application.clone().unwrap_or_default(),
        };
        let whose = trunk
            .and_then(|t| self.observed.trunks.iter().find(|x| &x.trunk_id == t))
            .and_then(|t| t.name.as_deref())
            .map_or_else(String::new, |name| format!(" ({name})"));
        match kind {
            RouteKind::Trunk if !self.spec.take_over => self.conflicts.push(Conflict::new(
                "number-routed-elsewhere",
                format!(
                    "number {} is routed to Zentrunk trunk {}{whose}, which this interconnect did                      not make: moving it would cut that route; move it by hand, or allow the                      take-over explicitly (its route is then recorded for teardown to restore)",
                    r.number, route.app_id
                ),
            )),
            RouteKind::Trunk => self.warnings.push(Warning::new(
                "take-over",
                format!(
                    "number {} is taken over from Zentrunk trunk {}{whose}; its previous route                      is recorded in the plan and the apply report: give it back to teardown to                      restore it",
                    r.number, route.app_id
                ),
            )),
            _ => self.warnings.push(Warning::new(
                "previous-route",
                format!(
                    "number {} is routed to application {} now; apply moves it to the inbound                      trunk and records the previous route for teardown to restore",
                    r.number, route.app_id
                ),
            )),
        }
        Some(route)
    }

    /// Hand-made objects for the same SBC (an ACL holding its address, a URI pointing at it,
    /// under other names) and the trunks using them: named in a warning, never duplicated
    /// silently and never touched.
    fn foreign_setups(&mut self) {
        let spec = self.spec;
        let ours = |name: Option<&str>| {
            name.and_then(|n| n.parse::<ResourceName>().ok())
                .is_some_and(|n| n.is_for(&spec.tenant, &spec.sbc))
        };
        let sbc: BTreeSet<IpNet> = self
            .observed
            .resolution
            .addresses()
            .iter()
            .map(|ip| IpNet::from(*ip))
            .collect();
        for acl in &self.observed.acls {
            if ours(acl.name.as_deref()) || address_set(&acl.ip_addresses).is_disjoint(&sbc) {
                continue;
            }
            let users = self.users(|t| t.uses_acl(&acl.ipacl_uuid));
            self.warnings.push(Warning::new(
                "hand-made-setup",
                format!(
                    "IP access list {}{} already holds the SBC's address{users}; this plan makes                      its own ({}) and leaves that one as it is",
                    acl.ipacl_uuid,
                    label(acl.name.as_deref()),
                    spec.names.acl
                ),
            ));
        }
        let host = spec.sbc.host().to_string();
        for uri in &self.observed.uris {
            if ours(uri.name.as_deref()) || !uri_points_at(&uri.uri, &host, &sbc) {
                continue;
            }
            let users = self.users(|t| t.uses_uri(&uri.uri_uuid));
            self.warnings.push(Warning::new(
                "hand-made-setup",
                format!(
                    "origination URI {}{} ({}) already points at the SBC{users}; this plan makes                      its own ({}) and leaves that one as it is",
                    uri.uri_uuid,
                    label(uri.name.as_deref()),
                    uri.uri,
                    spec.names.uri
                ),
            ));
        }
        for u in &self.observed.skipped {
            self.warnings
                .push(Warning::new("unreadable-object", u.to_string()));
        }
    }

    /// `", used by trunk(s) a (name), b"`, or nothing.
    fn users(&self, uses: impl Fn(&Trunk) -> bool) -> String {
        let found: Vec<String> = self
            .observed
            .trunks
            .iter()
            .filter(|t| uses(t))
            .map(|t| format!("{}{}", t.trunk_id, label(t.name.as_deref())))
            .collect();
        if found.is_empty() {
            String::new()
        } else {
            format!(", used by trunk(s) {}", found.join(", "))
        }
    }

    /// Runbook 4.2: each number in the ISP's inventory.
    fn inventory(&mut self) {
        let spec = self.spec;
        for r in &spec.routes {
            let number = whv_e164(&r.number);
            // An existing record is the ISP's to price: it is left as it is.
            let exists = self
                .observed
                .whv
                .inventory
                .iter()
                .any(|i| i.number == number);
            let plivo = self.observed.number(r.number.digits());
            let record = whv::InventoryNumber {
                number,
                source: spec.names.inventory_source.clone(),
                number_type: if r.number.is_nanp_toll_free() {
                    whv::NumberType::TollFree
                } else {
                    whv::NumberType::Local
                },
                price: whv::Price::default(),
                vendor_price: plivo
                    .and_then(|n| n.monthly_rental_rate.as_deref())
                    .and_then(|p| price(p).ok())
                    .unwrap_or_default(),
                capabilities: whv::Capabilities {
                    voice: true,
                    sms: plivo.and_then(|n| n.sms_enabled).unwrap_or(false),
                },
            };
            let changes = if exists {
                Vec::new()
            } else {
                vec![Change::new(
                    "number",
                    None,
                    Some(format!(
                        "{} ({}, {})",
                        record.number,
                        record.number_type.label(),
                        record.source
                    )),
                )]
            };
            self.steps.push(diff(
                Action::Create,
                Op::InventoryNumber { record, exists },
                changes,
            ));
        }
    }

    /// Runbook 4.3: each number on its extension.
    fn extensions(&mut self) {
        let spec = self.spec;
        if self.observed.whv.tenant.is_none() {
            return;
        }
        for r in &spec.routes {
            let number = whv_e164(&r.number);
            let current = self
                .observed
                .whv
                .assignments
                .iter()
                .find(|a| a.number == number)
                .map(|a| a.extension.clone());
            let changes = change(
                "extension",
                current.as_ref().map(ToString::to_string),
                r.extension.to_string(),
            );
            let replaces = current.filter(|e| *e != r.extension);
            self.steps.push(diff(
                if replaces.is_some() {
                    Action::Update
                } else {
                    Action::Attach
                },
                Op::NumberOnExtension {
                    tenant: spec.tenant.clone(),
                    number,
                    extension: r.extension.clone(),
                    replaces,
                },
                changes,
            ));
        }
    }
}

/// A Plivo rate (`"0.80000"`: Plivo writes five decimals) as a WeHostVoIP price (at most four):
/// trailing zeros are not precision.
fn price(rate: &str) -> Result<whv::Price, whv::Error> {
    let rate = rate.trim();
    match rate.split_once('.') {
        Some((int, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.parse()
            } else {
                format!("{int}.{frac}").parse()
            }
        }
        None => rate.parse(),
    }
}

/// `" (name)"`, or nothing.
pub(crate) fn label(name: Option<&str>) -> String {
    name.map_or_else(String::new, |n| format!(" ({n})"))
}

/// An ACL's entries as networks, so `172.174.24.204/32` and `172.174.24.204` are one entry (a
/// value that is neither an address nor a network is kept as a host route of nothing: never
/// equal to a real one).
pub(crate) fn address_set(entries: &[String]) -> BTreeSet<IpNet> {
    entries
        .iter()
        .filter_map(|e| {
            let e = e.trim();
            e.parse::<IpNet>()
                .map(|n| n.trunc())
                .or_else(|_| e.parse::<std::net::IpAddr>().map(IpNet::from))
                .ok()
        })
        .collect()
}

/// An origination URI in a form that compares by meaning: host without case, the default port
/// (5060) and transport (`udp`) written out, parameters without case.
pub(crate) fn normalize_uri(uri: &str) -> String {
    let uri = uri.trim();
    let uri = uri
        .strip_prefix("sip:")
        .or_else(|| uri.strip_prefix("SIP:"))
        .unwrap_or(uri);
    let (target, params) = uri.split_once(';').unwrap_or((uri, ""));
    let (user, hostport) = match target.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, target),
    };
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        match rest.split_once(']') {
            Some((h, p)) => (format!("[{h}]"), p.strip_prefix(':').unwrap_or("")),
            None => (hostport.to_owned(), ""),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p),
            None => (hostport.to_owned(), ""),
        }
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let port = if port.is_empty() { "5060" } else { port };
    let mut params: Vec<String> = params
        .split(';')
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if !params.iter().any(|p| p.starts_with("transport=")) {
        params.push("transport=udp".to_owned());
    }
    params.sort();
    let user = user.map_or_else(String::new, |u| format!("{u}@"));
    format!("{user}{host}:{port};{}", params.join(";"))
}

/// Whether two origination URIs mean the same target.
pub(crate) fn same_uri(a: &str, b: &str) -> bool {
    normalize_uri(a) == normalize_uri(b)
}

/// Whether a URI's host is the SBC's FQDN (without case) or one of its addresses.
fn uri_points_at(uri: &str, fqdn: &str, addresses: &BTreeSet<IpNet>) -> bool {
    let normal = normalize_uri(uri);
    let target = normal.split(';').next().unwrap_or("");
    let target = target.rsplit_once('@').map_or(target, |(_, h)| h);
    let host = target.rsplit_once(':').map_or(target, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == fqdn.to_ascii_lowercase()
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| addresses.contains(&IpNet::from(ip)))
}

/// Warnings every plan carries: the inbound-auth trade-off, SBC drift, codecs.
pub(crate) fn common_warnings(spec: &Spec, observed: &Observed) -> Vec<Warning> {
    let mut w = vec![Warning::new("inbound-auth", spec.inbound_auth.explain())];
    if spec.inbound_auth == InboundAuth::PublishedRanges {
        let ranges: Vec<String> = PLIVO.cidrs().map(|c| c.to_string()).collect();
        w.push(Warning::new(
            "inbound-auth",
            format!(
                "WeHostVoIP gateways hold host[:port] only, so the published ranges are not \
                 written to the carrier: ask WeHostVoIP to admit these inbound sources: {}",
                ranges.join(", ")
            ),
        ));
    }
    if let Some(drift) = observed.resolution.drift() {
        w.push(Warning::new("sbc-drift", drift.to_string()));
    }
    if let Ok(report) = spec.codecs.check_against(&PLIVO.capabilities()) {
        for cw in report.warnings() {
            w.push(Warning::new("codec", cw.to_string()));
        }
    }
    w
}

#[cfg(test)]
mod tests {
    //! Every diff rule over hand-built observed state: no HTTP, no sandbox.
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use plivo_client::{IpAcl, Number, OriginationUri, PlivoClient, Trunk, TrunkDirection};
    use wehostvoip_client::{InMemory, Subscriber, World};

    use super::super::observe::{Observed, WhvObserved};
    use super::super::teardown::teardown_from;
    use super::super::{Interconnect, TeardownOptions};
    use super::*;
    use crate::sbc::StaticResolver;
    use crate::{InboundAuth, Sbc};

    const NUMBER: &str = "+14155550123";

    fn interconnect(take_over: bool) -> Interconnect {
        let plivo = PlivoClient::builder()
            .auth_id("MAUNITTEST0000000001")
            .auth_token("unit-test-token")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let mut world = World::new();
        world.add_tenant("acme.io".parse().unwrap()).unwrap();
        world
            .add_subscriber(
                &"acme.io".parse().unwrap(),
                Subscriber::new("1001".parse().unwrap()),
            )
            .unwrap();
        Interconnect::builder()
            .plivo(plivo)
            .wehostvoip(Box::new(InMemory::new(world)))
            .sbc(Sbc::preset("us").unwrap().clone())
            .tenant("acme.io")
            .caller_id(NUMBER.parse().unwrap())
            .number(NUMBER.parse().unwrap(), "1001")
            .country("US")
            .inbound_auth(InboundAuth::None)
            .take_over(take_over)
            .build()
            .unwrap()
    }

    async fn observed(ic: &Interconnect) -> Observed {
        let resolution = ic
            .spec
            .sbc
            .resolve(&StaticResolver::shared_sbcs())
            .await
            .unwrap();
        let mut numbers = BTreeMap::new();
        numbers.insert("14155550123".to_owned(), Some(Number::new("14155550123")));
        Observed {
            resolution,
            acls: Vec::new(),
            trunks: Vec::new(),
            uris: Vec::new(),
            numbers,
            all_numbers: None,
            skipped: Vec::new(),
            whv: WhvObserved::default(),
        }
    }

    fn step<'p>(plan: &'p Plan, what: &str) -> &'p Step {
        plan.steps
            .iter()
            .find(|s| s.op.describe().starts_with(what))
            .unwrap()
    }

    fn ours(ic: &Interconnect, o: &mut Observed) {
        let n = &ic.spec.names;
        o.acls.push(IpAcl::new(
            "acl-1".into(),
            Some(n.acl.clone()),
            vec!["172.174.24.204".into()],
        ));
        let mut out = Trunk::new("1".into(), TrunkDirection::Outbound);
        out.name = Some(n.outbound.clone());
        out.ipacl_uuid = Some("acl-1".into());
        out.trunk_domain = Some("1.zt.plivo.com".into());
        let mut u = OriginationUri::new("uri-1".into(), "sbc-us.wehostvoip.io:5060;transport=udp");
        u.name = Some(n.uri.clone());
        let mut inb = Trunk::new("2".into(), TrunkDirection::Inbound);
        inb.name = Some(n.inbound.clone());
        inb.primary_uri_uuid = Some("uri-1".into());
        o.trunks.extend([out, inb]);
        o.uris.push(u);
    }

    #[tokio::test]
    async fn an_empty_account_creates_everything() {
        let ic = interconnect(false);
        let plan = plan_from(&ic.spec, &observed(&ic).await).unwrap();
        assert_eq!(step(&plan, "IP access list").action, Action::Create);
        assert_eq!(step(&plan, "outbound trunk").action, Action::Create);
        assert_eq!(step(&plan, "origination URI").action, Action::Create);
        let attach = step(&plan, "number");
        assert_eq!(attach.action, Action::Attach);
        assert_eq!(attach.changes[0].from, None);
        // No tenant on the (empty) WeHostVoIP side: a conflict, never a guess.
        assert!(plan.conflicts.iter().any(|c| c.code == "missing-tenant"));
    }

    #[tokio::test]
    async fn equivalent_acl_and_uri_values_are_no_change() {
        let ic = interconnect(false);
        let mut o = observed(&ic).await;
        ours(&ic, &mut o);
        o.acls[0].ip_addresses = vec!["172.174.24.204/32".into()];
        o.uris[0].uri = "SBC-US.WeHostVoIP.io".into();
        let plan = plan_from(&ic.spec, &o).unwrap();
        assert_eq!(step(&plan, "IP access list").action, Action::NoChange);
        assert_eq!(step(&plan, "origination URI").action, Action::NoChange);
        o.acls[0].ip_addresses = vec!["172.174.24.205".into()];
        o.uris[0].uri = "sbc-us.wehostvoip.io:5070".into();
        let plan = plan_from(&ic.spec, &o).unwrap();
        assert_eq!(step(&plan, "IP access list").action, Action::Update);
        assert_eq!(step(&plan, "origination URI").action, Action::Update);
    }

    #[tokio::test]
    async fn a_number_on_another_trunk_needs_take_over() {
        for take_over in [false, true] {
            let ic = interconnect(take_over);
            let mut o = observed(&ic).await;
            let mut n = Number::new("14155550123");
            n.application = Some("/v1/Account/A/Zentrunk/Trunk/99/".into());
            o.numbers.insert("14155550123".into(), Some(n));
            let plan = plan_from(&ic.spec, &o).unwrap();
            let conflict = plan
                .conflicts
                .iter()
                .any(|c| c.code == "number-routed-elsewhere");
            assert_eq!(conflict, !take_over);
            let previous: Vec<_> = plan.previous_routes().collect();
            assert_eq!(previous[0].app_id, "99");
            assert_eq!(previous[0].kind, RouteKind::Trunk);
        }
    }

    #[tokio::test]
    async fn a_number_on_an_application_is_a_warning_with_its_route() {
        let ic = interconnect(false);
        let mut o = observed(&ic).await;
        let mut n = Number::new("14155550123");
        n.application = Some("/v1/Account/A/Application/77/".into());
        o.numbers.insert("14155550123".into(), Some(n));
        let plan = plan_from(&ic.spec, &o).unwrap();
        assert!(plan.warnings.iter().any(|w| w.code == "previous-route"));
        assert!(
            !plan
                .conflicts
                .iter()
                .any(|c| c.code == "number-routed-elsewhere")
        );
        assert_eq!(
            plan.previous_routes().next().unwrap().kind,
            RouteKind::Application
        );
    }

    #[tokio::test]
    async fn duplicates_hand_made_setups_and_unreadable_objects_are_reported() {
        let ic = interconnect(false);
        let mut o = observed(&ic).await;
        ours(&ic, &mut o);
        o.acls.push(o.acls[0].clone());
        o.acls.push(IpAcl::new(
            "office".into(),
            Some("office".into()),
            vec!["172.174.24.204/32".into()],
        ));
        let plan = plan_from(&ic.spec, &o).unwrap();
        assert!(plan.conflicts.iter().any(|c| c.code == "duplicate-name"));
        assert!(
            plan.warnings
                .iter()
                .any(|w| w.code == "hand-made-setup" && w.message.contains("office"))
        );
    }

    #[tokio::test]
    async fn teardown_keeps_shared_objects_and_guards_foreign_numbers() {
        let ic = interconnect(false);
        let mut o = observed(&ic).await;
        ours(&ic, &mut o);
        let mut office = Trunk::new("3".into(), TrunkDirection::Outbound);
        office.ipacl_uuid = Some("acl-1".into());
        o.trunks.push(office);
        let mut foreign = Number::new("14155550999");
        foreign.application = Some("/v1/Account/A/Zentrunk/Trunk/2/".into());
        let mut routed = Number::new("14155550123");
        routed.application = Some("/v1/Account/A/Zentrunk/Trunk/2/".into());
        o.all_numbers = Some(vec![foreign, routed]);

        let plan = teardown_from(&ic.spec, &o, &TeardownOptions::default());
        assert!(
            !plan
                .steps
                .iter()
                .any(|s| matches!(s.op, Op::DeleteIpAcl { .. }))
        );
        assert!(plan.warnings.iter().any(|w| w.code == "kept-shared"));
        assert!(
            plan.conflicts
                .iter()
                .any(|c| c.code == "foreign-number-on-trunk")
        );
        assert!(plan.warnings.iter().any(|w| w.code == "route-not-restored"));

        let route = PreviousRoute {
            number: NUMBER.parse().unwrap(),
            kind: RouteKind::Application,
            app_id: "77".into(),
            application: "/v1/Account/A/Application/77/".into(),
        };
        let options = TeardownOptions::default().force(true).restore([route]);
        let plan = teardown_from(&ic.spec, &o, &options);
        assert!(plan.conflicts.is_empty());
        assert!(plan.warnings.iter().any(|w| w.code == "forced-detach"));
        let restore = plan
            .steps
            .iter()
            .position(|s| matches!(s.op, Op::RestoreRoute { .. }))
            .unwrap();
        let delete = plan
            .steps
            .iter()
            .position(|s| matches!(&s.op, Op::DeleteTrunk { id, .. } if id.as_str() == "2"))
            .unwrap();
        assert!(
            restore < delete,
            "the route is restored before the trunk goes"
        );
    }
}
