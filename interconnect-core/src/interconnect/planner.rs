//! Desired state versus observed state: the steps of the runbook, each Create, Update, Attach or
//! No change, in the order of DESIGN.md's data flow.

use std::collections::BTreeSet;

use plivo_client::{TrunkDirection, TrunkId};
use wehostvoip_client as whv;

use super::observe::Observed;
use super::plan::{
    Action, Change, Conflict, GatewayTarget, Header, Op, Plan, PlannedGateway, Purpose, Step,
    Warning,
};
use super::{Interconnect, InterconnectError, Spec, whv_e164};
use crate::InboundAuth;
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
        let observed = self.observe().await?;
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

fn step(action: Action, op: Op, changes: Vec<Change>) -> Step {
    Step {
        action,
        op,
        changes,
    }
}

#[allow(clippy::unnecessary_wraps, clippy::needless_pass_by_value)]
fn some(s: impl ToString) -> Option<String> {
    Some(s.to_string())
}

/// The Plivo `application` path of a trunk, for messages.
fn trunk_label(id: Option<&TrunkId>) -> Option<String> {
    id.map(|t| format!("trunk {t}"))
}

#[allow(clippy::too_many_lines)]
pub(crate) fn plan_from(spec: &Spec, observed: &Observed) -> Result<Plan, InterconnectError> {
    let names = &spec.names;
    let mut steps = Vec::new();
    let mut warnings = Vec::new();
    let mut conflicts = Vec::new();

    // 2.2 IP ACL with the SBC's address(es).
    let desired_ips = observed.resolution.acl().ip_addresses();
    let acls = observed.acls_named(&names.acl);
    if acls.len() > 1 {
        conflicts.push(duplicate("IP access list", &names.acl, acls.len()));
    }
    let acl = acls.first();
    steps.push(match acl {
        None => step(
            Action::Create,
            Op::IpAcl {
                name: names.acl.clone(),
                existing: None,
                ip_addresses: desired_ips.clone(),
            },
            vec![Change::new(
                "ip_addresses",
                None,
                some(desired_ips.join(", ")),
            )],
        ),
        Some(a) => {
            let have: BTreeSet<&str> = a.ip_addresses.iter().map(String::as_str).collect();
            let want: BTreeSet<&str> = desired_ips.iter().map(String::as_str).collect();
            let action = if have == want {
                Action::NoChange
            } else {
                Action::Update
            };
            let changes = if have == want {
                Vec::new()
            } else {
                vec![Change::new(
                    "ip_addresses",
                    some(a.ip_addresses.join(", ")),
                    some(desired_ips.join(", ")),
                )]
            };
            step(
                action,
                Op::IpAcl {
                    name: names.acl.clone(),
                    existing: Some(a.ipacl_uuid.clone()),
                    ip_addresses: desired_ips.clone(),
                },
                changes,
            )
        }
    });
    let acl_id = acl.map(|a| a.ipacl_uuid.clone());

    // 2.1 / 2.3 outbound trunk with that ACL, no credential.
    let outs = observed.trunks_named(&names.outbound);
    if outs.len() > 1 {
        conflicts.push(duplicate("trunk", &names.outbound, outs.len()));
    }
    let out = outs.first();
    if let Some(t) = out {
        if t.trunk_direction != TrunkDirection::Outbound {
            conflicts.push(Conflict::new(
                "wrong-direction",
                format!(
                    "trunk {} ({}) is named as this interconnect's outbound trunk but is {}; \
                     rename or delete it",
                    names.outbound, t.trunk_id, t.trunk_direction
                ),
            ));
        }
        if t.credential_uuid.is_some() {
            warnings.push(Warning::new(
                "credential",
                format!(
                    "outbound trunk {} also has a credential list; the runbook (2.3) leaves it \
                     empty and WeHostVoIP cannot use trunks with passwords",
                    names.outbound
                ),
            ));
        }
    }
    steps.push(match out {
        None => step(
            Action::Create,
            Op::OutboundTrunk {
                name: names.outbound.clone(),
                existing: None,
                trunk_domain: None,
            },
            vec![
                Change::new("trunk_direction", None, some("outbound")),
                Change::new(
                    "ipacl_uuid",
                    None,
                    Some(
                        acl_id
                            .as_ref()
                            .map_or_else(|| format!("<id of {}>", names.acl), ToString::to_string),
                    ),
                ),
            ],
        ),
        Some(t) => {
            let mut changes = Vec::new();
            if t.ipacl_uuid != acl_id || acl_id.is_none() {
                changes.push(Change::new(
                    "ipacl_uuid",
                    t.ipacl_uuid.as_ref().map(ToString::to_string),
                    Some(
                        acl_id
                            .as_ref()
                            .map_or_else(|| format!("<id of {}>", names.acl), ToString::to_string),
                    ),
                ));
            }
            if t.trunk_status
                .as_ref()
                .is_some_and(|s| s.to_string() != "enabled")
            {
                changes.push(Change::new(
                    "trunk_status",
                    t.trunk_status.as_ref().map(ToString::to_string),
                    some("enabled"),
                ));
            }
            step(
                if changes.is_empty() {
                    Action::NoChange
                } else {
                    Action::Update
                },
                Op::OutboundTrunk {
                    name: names.outbound.clone(),
                    existing: Some(t.trunk_id.clone()),
                    trunk_domain: t.trunk_domain.clone(),
                },
                changes,
            )
        }
    });
    let trunk_domain = out.and_then(|t| t.trunk_domain.clone());

    // 3.1 carrier with the trunk domain and the inbound-auth gateway(s).
    let caller = whv_e164(spec.caller_id.number())?;
    let display = spec.caller_id.display_name().map(ToOwned::to_owned);
    let primary_target = match &trunk_domain {
        Some(d) => GatewayTarget::Address(d.parse().map_err(|e: whv::Error| {
            InterconnectError::Unexpected(format!(
                "Plivo's trunk_domain {d:?} is no WeHostVoIP gateway address: {e}"
            ))
        })?),
        None => GatewayTarget::OutboundTrunkDomain,
    };
    let mut gateways = vec![PlannedGateway {
        name: gw_name("plivo-primary")?,
        target: primary_target,
        display: display.clone(),
        source_user: Some(caller.clone()),
    }];
    if spec.inbound_auth == InboundAuth::SeedAliasGateway {
        for (i, g) in spec.inbound_auth.gateways().iter().enumerate() {
            let address = g
                .host()
                .map_or_else(|| g.address().to_string(), ToString::to_string);
            gateways.push(PlannedGateway {
                name: gw_name(&format!(
                    "plivo-inbound{}",
                    if i == 0 {
                        String::new()
                    } else {
                        (i + 1).to_string()
                    }
                ))?,
                target: GatewayTarget::Address(address.parse().map_err(|e: whv::Error| {
                    InterconnectError::Unexpected(format!("inbound gateway {address:?}: {e}"))
                })?),
                display: display.clone(),
                source_user: Some(caller.clone()),
            });
        }
    }
    let carrier_op = Op::Carrier {
        name: names.carrier.clone(),
        description: CARRIER_DESCRIPTION.to_owned(),
        gateways: gateways.clone(),
    };
    steps.push(match &observed.carrier {
        None => step(
            Action::Create,
            carrier_op,
            vec![Change::new(
                "gateways",
                None,
                some(render_planned(&gateways)),
            )],
        ),
        Some(c) => {
            let have = render_observed(&c.gateways);
            let want = render_planned(&gateways);
            if have == want {
                step(Action::NoChange, carrier_op, Vec::new())
            } else {
                step(
                    Action::Update,
                    carrier_op,
                    vec![Change::new("gateways", some(have), some(want))],
                )
            }
        }
    });

    // 3.2 caller ID on every gateway.
    let caller_ok = observed.carrier.as_ref().is_some_and(|c| {
        c.gateways
            .iter()
            .all(|g| g.source_user.as_ref() == Some(&caller))
    });
    steps.push(step(
        if caller_ok {
            Action::NoChange
        } else {
            Action::Update
        },
        Op::CallerId {
            carrier: names.carrier.clone(),
            caller_id: caller.clone(),
        },
        if caller_ok {
            Vec::new()
        } else {
            vec![Change::new(
                "source_user",
                observed.carrier.as_ref().and_then(|c| {
                    c.gateways
                        .first()
                        .and_then(|g| g.source_user.as_ref().map(ToString::to_string))
                }),
                some(&caller),
            )]
        },
    ));
    if observed.number(spec.caller_id.number().digits()).is_none() {
        warnings.push(Warning::new(
            "caller-id",
            format!(
                "caller ID {} is not a number on this Plivo account: Plivo hangs up outbound calls \
                 with an unknown caller ID (unknown_caller_id, 4190); the runbook (3.2) recommends \
                 a Plivo number",
                spec.caller_id.number()
            ),
        ));
    }

    // 3.5 tenant bound to the carrier, country (and toll-free prefix) in the security group.
    match &observed.tenant {
        None => conflicts.push(Conflict::new(
            "missing-tenant",
            format!(
                "tenant {} does not exist on WeHostVoIP: create it in the ISP console first",
                spec.tenant
            ),
        )),
        Some(t) => {
            let bound = t.carrier.as_ref() == Some(&names.carrier);
            steps.push(step(
                if bound {
                    Action::NoChange
                } else {
                    Action::Attach
                },
                Op::TenantCarrier {
                    tenant: spec.tenant.clone(),
                    carrier: names.carrier.clone(),
                },
                if bound {
                    Vec::new()
                } else {
                    vec![Change::new(
                        "carrier",
                        t.carrier.as_ref().map(ToString::to_string),
                        some(&names.carrier),
                    )]
                },
            ));
        }
    }
    let mut group = whv::SecurityGroup::new(names.security_group.clone());
    group.countries.insert(spec.country.clone());
    let nanp =
        crate::e164::CountryCallingCode::for_region(spec.country.as_str()).any(|c| c.code() == 1);
    if spec.allow_toll_free {
        if nanp {
            group.prefixes.insert("18".parse().map_err(|e: whv::Error| {
                InterconnectError::Unexpected(format!("toll-free prefix: {e}"))
            })?);
        } else {
            warnings.push(Warning::new(
                "destination",
                format!(
                    "toll-free calling was asked for, but the North American toll-free prefix 18 \
                     does not apply to {}; no prefix is added",
                    spec.country
                ),
            ));
        }
    } else {
        warnings.push(Warning::new(
            "destination",
            "toll-free destinations are not allowed: the runbook's test call (3.6) to an 800 \
             number will be refused by the tenant's security group",
        ));
    }
    if spec
        .caller_id
        .number()
        .country_calling_code()
        .regions()
        .iter()
        .all(|r| *r != spec.country.as_str())
    {
        warnings.push(Warning::new(
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
    if observed.tenant.is_some() {
        let existing = observed
            .groups
            .iter()
            .find(|g| g.name == names.security_group);
        let (action, changes) = match existing {
            None => (
                Action::Create,
                vec![Change::new("allows", None, some(render_group(&group)))],
            ),
            Some(g) if g.allows_all_of(&group) => (Action::NoChange, Vec::new()),
            Some(g) => (
                Action::Update,
                vec![Change::new(
                    "allows",
                    some(render_group(g)),
                    some(render_group(&group.clone().merged_with(g))),
                )],
            ),
        };
        steps.push(step(
            action,
            Op::SecurityGroup {
                tenant: spec.tenant.clone(),
                group: group.clone(),
            },
            changes,
        ));
        let extensions: BTreeSet<&whv::Extension> =
            spec.routes.iter().map(|r| &r.extension).collect();
        for ext in extensions {
            match observed.subscribers.iter().find(|s| &s.extension == ext) {
                None => conflicts.push(Conflict::new(
                    "missing-extension",
                    format!(
                        "extension {ext} does not exist in tenant {}: create the subscriber in \
                         the tenant console first",
                        spec.tenant
                    ),
                )),
                Some(s) => {
                    let ok = s.security_group.as_ref() == Some(&names.security_group);
                    steps.push(step(
                        if ok { Action::NoChange } else { Action::Attach },
                        Op::SecurityGroupAssignment {
                            tenant: spec.tenant.clone(),
                            extension: ext.clone(),
                            group: names.security_group.clone(),
                        },
                        if ok {
                            Vec::new()
                        } else {
                            vec![Change::new(
                                "security_group",
                                s.security_group.as_ref().map(ToString::to_string),
                                some(&names.security_group),
                            )]
                        },
                    ));
                }
            }
        }
    }

    // 4.1 origination URI pointing at the SBC, inbound trunk using it.
    let uri_value = format!(
        "{}:{};transport=udp",
        spec.sbc.host(),
        PLIVO.ports().signalling()
    );
    let uris = observed.uris_named(&names.uri);
    if uris.len() > 1 {
        conflicts.push(duplicate("origination URI", &names.uri, uris.len()));
    }
    let uri = uris.first();
    steps.push(match uri {
        None => step(
            Action::Create,
            Op::OriginationUri {
                name: names.uri.clone(),
                existing: None,
                uri: uri_value.clone(),
            },
            vec![Change::new("uri", None, some(&uri_value))],
        ),
        Some(u) => {
            let mut changes = Vec::new();
            if u.uri != uri_value {
                changes.push(Change::new("uri", some(&u.uri), some(&uri_value)));
            }
            if u.authentication_needed {
                changes.push(Change::new(
                    "authentication_needed",
                    some("true"),
                    some("false"),
                ));
            }
            step(
                if changes.is_empty() {
                    Action::NoChange
                } else {
                    Action::Update
                },
                Op::OriginationUri {
                    name: names.uri.clone(),
                    existing: Some(u.uri_uuid.clone()),
                    uri: uri_value.clone(),
                },
                changes,
            )
        }
    });
    let uri_id = uri.map(|u| u.uri_uuid.clone());
    let ins = observed.trunks_named(&names.inbound);
    if ins.len() > 1 {
        conflicts.push(duplicate("trunk", &names.inbound, ins.len()));
    }
    let inbound = ins.first();
    if let Some(t) = inbound
        && t.trunk_direction != TrunkDirection::Inbound
    {
        conflicts.push(Conflict::new(
            "wrong-direction",
            format!(
                "trunk {} ({}) is named as this interconnect's inbound trunk but is {}; rename \
                 or delete it",
                names.inbound, t.trunk_id, t.trunk_direction
            ),
        ));
    }
    let uri_label = uri_id
        .as_ref()
        .map_or_else(|| format!("<id of {}>", names.uri), ToString::to_string);
    steps.push(match inbound {
        None => step(
            Action::Create,
            Op::InboundTrunk {
                name: names.inbound.clone(),
                existing: None,
            },
            vec![
                Change::new("trunk_direction", None, some("inbound")),
                Change::new("primary_uri_uuid", None, some(&uri_label)),
            ],
        ),
        Some(t) => {
            let ok = uri_id.is_some() && t.primary_uri_uuid == uri_id;
            step(
                if ok { Action::NoChange } else { Action::Update },
                Op::InboundTrunk {
                    name: names.inbound.clone(),
                    existing: Some(t.trunk_id.clone()),
                },
                if ok {
                    Vec::new()
                } else {
                    vec![Change::new(
                        "primary_uri_uuid",
                        t.primary_uri_uuid.as_ref().map(ToString::to_string),
                        some(&uri_label),
                    )]
                },
            )
        }
    });
    let inbound_id = inbound.map(|t| t.trunk_id.clone());

    // Each number on the inbound trunk.
    for r in &spec.routes {
        match observed.number(r.number.digits()) {
            None => conflicts.push(Conflict::new(
                "missing-number",
                format!(
                    "number {} is not on this Plivo account: buy it first (PhoneNumber search and \
                     buy); this library never buys numbers implicitly",
                    r.number
                ),
            )),
            Some(n) => {
                let current = n.trunk_id();
                let ok = inbound_id.is_some() && current == inbound_id;
                steps.push(step(
                    if ok { Action::NoChange } else { Action::Attach },
                    Op::NumberOnTrunk {
                        number: r.number.clone(),
                    },
                    if ok {
                        Vec::new()
                    } else {
                        vec![Change::new(
                            "app_id",
                            trunk_label(current.as_ref()).or_else(|| n.application.clone()),
                            Some(inbound_id.as_ref().map_or_else(
                                || format!("<id of {}>", names.inbound),
                                |t| format!("trunk {t}"),
                            )),
                        )]
                    },
                ));
            }
        }
    }

    // 4.2 numbers in the ISP inventory.
    for r in &spec.routes {
        let number = whv_e164(&r.number)?;
        let exists = observed.inventory.iter().any(|i| i.number == number);
        let plivo = observed.number(r.number.digits());
        let record = whv::InventoryNumber {
            number: number.clone(),
            source: names.inventory_source.clone(),
            number_type: if r.number.is_nanp_toll_free() {
                whv::NumberType::TollFree
            } else {
                whv::NumberType::Local
            },
            price: whv::Price::default(),
            vendor_price: plivo
                .and_then(|n| n.monthly_rental_rate.as_deref())
                .and_then(|p| p.parse().ok())
                .unwrap_or_default(),
            capabilities: whv::Capabilities {
                voice: true,
                sms: plivo.and_then(|n| n.sms_enabled).unwrap_or(false),
            },
        };
        steps.push(step(
            if exists {
                Action::NoChange
            } else {
                Action::Create
            },
            Op::InventoryNumber {
                record: record.clone(),
                exists,
            },
            if exists {
                Vec::new()
            } else {
                vec![Change::new(
                    "number",
                    None,
                    some(format!(
                        "{} ({}, {})",
                        record.number,
                        record.number_type.label(),
                        record.source
                    )),
                )]
            },
        ));
    }

    // 4.3 numbers on their extensions.
    if observed.tenant.is_some() {
        for r in &spec.routes {
            let number = whv_e164(&r.number)?;
            let current = observed
                .assignments
                .iter()
                .find(|a| a.number == number)
                .map(|a| a.extension.clone());
            let (action, replaces) = match &current {
                Some(e) if *e == r.extension => (Action::NoChange, None),
                Some(e) => (Action::Update, Some(e.clone())),
                None => (Action::Attach, None),
            };
            steps.push(step(
                action,
                Op::NumberOnExtension {
                    tenant: spec.tenant.clone(),
                    number,
                    extension: r.extension.clone(),
                    replaces,
                },
                if action == Action::NoChange {
                    Vec::new()
                } else {
                    vec![Change::new(
                        "extension",
                        current.as_ref().map(ToString::to_string),
                        some(&r.extension),
                    )]
                },
            ));
        }
    }

    warnings.extend(common_warnings(spec, observed));
    Ok(Plan {
        header: header_for(spec, observed, Purpose::Provision),
        steps,
        warnings,
        conflicts,
    })
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

fn render_planned(gateways: &[PlannedGateway]) -> String {
    gateways
        .iter()
        .map(|g| {
            format!(
                "{}={}{}",
                g.name,
                g.target,
                g.display
                    .as_ref()
                    .map_or_else(String::new, |d| format!(" \"{d}\""))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_observed(gateways: &[whv::Gateway]) -> String {
    gateways
        .iter()
        .map(|g| {
            format!(
                "{}={}{}",
                g.name,
                g.address,
                g.display
                    .as_ref()
                    .map_or_else(String::new, |d| format!(" \"{d}\""))
            )
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

trait Merge {
    fn merged_with(self, other: &whv::SecurityGroup) -> whv::SecurityGroup;
}

impl Merge for whv::SecurityGroup {
    fn merged_with(mut self, other: &whv::SecurityGroup) -> whv::SecurityGroup {
        self.countries.extend(other.countries.iter().cloned());
        self.prefixes.extend(other.prefixes.iter().cloned());
        self
    }
}
