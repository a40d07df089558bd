//! Walking a [`Plan`]: each step in order, ambiguous creates reconciled by name, progress reported.

use plivo_client::{
    CreateIpAcl, CreateTrunk, CreateUri, IpAclId, Trunk, TrunkDirection, TrunkId, TrunkStatus,
    UpdateIpAcl, UpdateTrunk, UpdateUri, UriId,
};
use serde::{Deserialize, Serialize};
use wehostvoip_client as whv;

use super::plan::{Action, GatewayTarget, Op, Plan, Purpose, Step};
use super::{Interconnect, InterconnectError};

/// What happened to one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "detail", rename_all = "snake_case")]
pub enum StepOutcome {
    /// The step is about to run.
    Started,
    /// The step ran.
    Done,
    /// The step had nothing to do.
    Unchanged,
    /// A create's outcome was unknown and the object was found by name: no duplicate was made.
    Reconciled,
    /// The step failed; the message says why.
    Failed(String),
}

/// A progress report: step `index` of `total`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// 1-based step number.
    pub index: usize,
    /// Number of steps in the plan.
    pub total: usize,
    /// The step's action.
    pub action: Action,
    /// What the step is about.
    pub what: String,
    /// What happened.
    pub outcome: StepOutcome,
}

/// What an apply did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyReport {
    /// Steps that sent a change.
    pub applied: usize,
    /// Steps with nothing to do.
    pub unchanged: usize,
    /// Creates whose outcome was unknown and that were found by name instead of made twice.
    pub reconciled: usize,
    /// The ids of the Plivo objects created (or, after an unknown outcome, found by name), for
    /// the audit log.
    pub created: Vec<String>,
}

/// Ids learnt while walking the plan.
#[derive(Debug, Default)]
struct Context {
    acl: Option<IpAclId>,
    outbound: Option<TrunkId>,
    outbound_domain: Option<String>,
    uri: Option<UriId>,
    inbound: Option<TrunkId>,
    inbound_trunk: Option<Trunk>,
}

impl Context {
    fn from_plan(plan: &Plan) -> Context {
        let mut ctx = Context::default();
        for s in &plan.steps {
            match &s.op {
                Op::IpAcl { existing, .. } => ctx.acl.clone_from(existing),
                Op::OutboundTrunk {
                    existing,
                    trunk_domain,
                    ..
                } => {
                    ctx.outbound.clone_from(existing);
                    ctx.outbound_domain.clone_from(trunk_domain);
                }
                Op::OriginationUri { existing, .. } => ctx.uri.clone_from(existing),
                Op::InboundTrunk { existing, .. } => ctx.inbound.clone_from(existing),
                _ => {}
            }
        }
        ctx
    }
}

fn missing(what: &str) -> InterconnectError {
    InterconnectError::Unexpected(format!("{what} is not known at this step"))
}

impl Interconnect {
    /// Applies a plan, in order, and returns what was done.
    ///
    /// # Errors
    /// As [`Interconnect::apply_with_progress`].
    pub async fn apply(&self, plan: &Plan) -> Result<ApplyReport, InterconnectError> {
        self.apply_with_progress(plan, |_| {}).await
    }

    /// Applies a plan, calling `progress` before and after every step.
    ///
    /// The platforms are read again first: a plan whose steps no longer match what a fresh plan
    /// would say is refused as stale, and a plan with conflicts is refused. A create whose outcome
    /// is unknown (timeout after sending) is resolved by listing by name before anything else.
    ///
    /// # Errors
    /// [`InterconnectError::StalePlan`], [`InterconnectError::Conflicts`], or
    /// [`InterconnectError::Step`] with the first failing step; the steps before it stay applied,
    /// and planning and applying again converges.
    pub async fn apply_with_progress(
        &self,
        plan: &Plan,
        mut progress: impl FnMut(&Progress),
    ) -> Result<ApplyReport, InterconnectError> {
        let fresh = match plan.header.purpose {
            Purpose::Provision => self.plan().await?,
            Purpose::Teardown => self.teardown_plan().await?,
        };
        if let Some(reason) = staleness(plan, &fresh) {
            return Err(InterconnectError::StalePlan { reason });
        }
        if let Some(first) = plan.conflicts.first() {
            return Err(InterconnectError::Conflicts {
                count: plan.conflicts.len(),
                first: first.message.clone(),
            });
        }
        let mut ctx = Context::from_plan(plan);
        let mut report = ApplyReport::default();
        let total = plan.steps.len();
        for (i, step) in plan.steps.iter().enumerate() {
            let mut event = Progress {
                index: i + 1,
                total,
                action: step.action,
                what: step.op.describe(),
                outcome: StepOutcome::Started,
            };
            if !step.action.changes_anything() {
                report.unchanged += 1;
                event.outcome = StepOutcome::Unchanged;
                progress(&event);
                continue;
            }
            progress(&event);
            let _span = tracing::info_span!("step", index = i + 1, what = %event.what).entered();
            match self.run(step, &mut ctx, &mut report).await {
                Ok(outcome) => {
                    report.applied += 1;
                    event.outcome = outcome;
                    progress(&event);
                }
                Err(e) => {
                    event.outcome = StepOutcome::Failed(e.to_string());
                    progress(&event);
                    return Err(InterconnectError::Step {
                        step: i + 1,
                        what: event.what,
                        source: Box::new(e),
                    });
                }
            }
        }
        Ok(report)
    }

    #[allow(clippy::too_many_lines)]
    async fn run(
        &self,
        step: &Step,
        ctx: &mut Context,
        report: &mut ApplyReport,
    ) -> Result<StepOutcome, InterconnectError> {
        let create = step.action == Action::Create;
        match &step.op {
            Op::IpAcl {
                name,
                existing,
                ip_addresses,
            } => {
                if let (false, Some(id)) = (create, existing) {
                    let body = UpdateIpAcl {
                        ip_addresses: Some(ip_addresses.clone()),
                        ..UpdateIpAcl::default()
                    };
                    let acls = self.plivo.ip_acls();
                    retry_once(|| acls.update(id, &body)).await?;
                    return Ok(StepOutcome::Done);
                }
                let body = CreateIpAcl::new(ip_addresses.iter().cloned()).name(name.clone());
                let (id, outcome) = match self.plivo.ip_acls().create(&body).await {
                    Ok(c) => (c.id, StepOutcome::Done),
                    Err(e) if e.is_outcome_unknown() => {
                        let found = self.plivo.ip_acls().find_by_name(name).await?;
                        match found.as_slice() {
                            [one] => (one.ipacl_uuid.clone(), StepOutcome::Reconciled),
                            [] => (
                                self.plivo.ip_acls().create(&body).await?.id,
                                StepOutcome::Done,
                            ),
                            _ => return Err(duplicates(name, found.len())),
                        }
                    }
                    Err(e) => return Err(e.into()),
                };
                note(report, &outcome, id.to_string());
                ctx.acl = Some(id);
                Ok(outcome)
            }
            Op::OutboundTrunk { name, existing, .. } => {
                let acl = ctx.acl.clone().ok_or_else(|| missing("the IP ACL's id"))?;
                if let (false, Some(id)) = (create, existing) {
                    let body = UpdateTrunk {
                        trunk_direction: Some(TrunkDirection::Outbound),
                        trunk_status: Some(TrunkStatus::Enabled),
                        ipacl_uuid: Some(acl),
                        ..UpdateTrunk::default()
                    };
                    let trunks = self.plivo.trunks();
                    retry_once(|| trunks.update(id, &body)).await?;
                    return Ok(StepOutcome::Done);
                }
                let body = CreateTrunk::outbound().name(name.clone()).ipacl(acl);
                let (id, outcome) = self.create_trunk(name, &body).await?;
                note(report, &outcome, id.to_string());
                // Create does not return trunk_domain: read it back.
                let trunk = self.plivo.trunks().get(&id).await?;
                ctx.outbound_domain.clone_from(&trunk.trunk_domain);
                ctx.outbound = Some(id);
                Ok(outcome)
            }
            Op::Carrier {
                name,
                description,
                gateways,
            } => {
                let mut list = Vec::with_capacity(gateways.len());
                for g in gateways {
                    let address = match &g.target {
                        GatewayTarget::Address(a) => a.clone(),
                        GatewayTarget::OutboundTrunkDomain => {
                            if ctx.outbound_domain.is_none()
                                && let Some(id) = &ctx.outbound
                            {
                                // A list body without trunk_domain: read the trunk itself.
                                ctx.outbound_domain =
                                    self.plivo.trunks().get(id).await?.trunk_domain;
                            }
                            let d = ctx
                                .outbound_domain
                                .clone()
                                .ok_or_else(|| missing("the outbound trunk's domain"))?;
                            d.parse().map_err(|e: whv::Error| {
                                InterconnectError::Unexpected(format!(
                                    "trunk_domain {d:?} is no gateway address: {e}"
                                ))
                            })?
                        }
                    };
                    let mut gw = whv::Gateway::new(g.name.clone(), address);
                    gw.display.clone_from(&g.display);
                    gw.source_user.clone_from(&g.source_user);
                    list.push(gw);
                }
                let carrier = whv::Carrier {
                    name: name.clone(),
                    description: Some(description.clone()),
                    gateways: list,
                };
                if create {
                    match self.whv.create_carrier(&carrier).await {
                        Ok(_) => {}
                        Err(whv::Error::AlreadyExists { .. }) => {
                            self.whv.update_carrier(&carrier).await?;
                        }
                        Err(e) => return Err(e.into()),
                    }
                } else {
                    self.whv.update_carrier(&carrier).await?;
                }
                Ok(StepOutcome::Done)
            }
            Op::CallerId { carrier, caller_id } => {
                self.whv.set_caller_id(carrier, caller_id).await?;
                Ok(StepOutcome::Done)
            }
            Op::TenantCarrier { tenant, carrier } => {
                self.whv.bind_tenant_carrier(tenant, carrier).await?;
                Ok(StepOutcome::Done)
            }
            Op::SecurityGroup { tenant, group } => {
                self.whv.ensure_security_group(tenant, group).await?;
                Ok(StepOutcome::Done)
            }
            Op::SecurityGroupAssignment {
                tenant,
                extension,
                group,
            } => {
                self.whv
                    .assign_security_group(tenant, extension, group)
                    .await?;
                Ok(StepOutcome::Done)
            }
            Op::OriginationUri {
                name,
                existing,
                uri,
            } => {
                if let (false, Some(id)) = (create, existing) {
                    let body = UpdateUri {
                        uri: Some(uri.clone()),
                        authentication_needed: Some(false),
                        ..UpdateUri::default()
                    };
                    let uris = self.plivo.uris();
                    retry_once(|| uris.update(id, &body)).await?;
                    return Ok(StepOutcome::Done);
                }
                let body = CreateUri::new(uri.clone()).name(name.clone());
                let (id, outcome) = match self.plivo.uris().create(&body).await {
                    Ok(c) => (c.id, StepOutcome::Done),
                    Err(e) if e.is_outcome_unknown() => {
                        let found = self.plivo.uris().find_by_name(name).await?;
                        match found.as_slice() {
                            [one] => (one.uri_uuid.clone(), StepOutcome::Reconciled),
                            [] => (self.plivo.uris().create(&body).await?.id, StepOutcome::Done),
                            _ => return Err(duplicates(name, found.len())),
                        }
                    }
                    Err(e) => return Err(e.into()),
                };
                note(report, &outcome, id.to_string());
                ctx.uri = Some(id);
                Ok(outcome)
            }
            Op::InboundTrunk { name, existing } => {
                let uri = ctx
                    .uri
                    .clone()
                    .ok_or_else(|| missing("the origination URI's id"))?;
                if let (false, Some(id)) = (create, existing) {
                    let body = UpdateTrunk {
                        trunk_direction: Some(TrunkDirection::Inbound),
                        primary_uri_uuid: Some(uri),
                        ..UpdateTrunk::default()
                    };
                    let trunks = self.plivo.trunks();
                    retry_once(|| trunks.update(id, &body)).await?;
                    ctx.inbound_trunk = None;
                    return Ok(StepOutcome::Done);
                }
                let body = CreateTrunk::inbound(uri).name(name.clone());
                let (id, outcome) = self.create_trunk(name, &body).await?;
                note(report, &outcome, id.to_string());
                ctx.inbound = Some(id);
                ctx.inbound_trunk = None;
                Ok(outcome)
            }
            Op::NumberOnTrunk { number } => {
                let trunk = if let Some(t) = &ctx.inbound_trunk {
                    t.clone()
                } else {
                    let id = ctx
                        .inbound
                        .clone()
                        .ok_or_else(|| missing("the inbound trunk's id"))?;
                    let t = self.plivo.trunks().get(&id).await?;
                    ctx.inbound_trunk = Some(t.clone());
                    t
                };
                let numbers = self.plivo.numbers();
                retry_once(|| numbers.attach_to_known_trunk(number.digits(), &trunk)).await?;
                Ok(StepOutcome::Done)
            }
            Op::InventoryNumber { record, exists } => {
                if *exists {
                    self.whv.update_inventory_number(record).await?;
                } else {
                    match self.whv.add_inventory_number(record).await {
                        Ok(_) => {}
                        Err(whv::Error::AlreadyExists { .. }) => {
                            self.whv.update_inventory_number(record).await?;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(StepOutcome::Done)
            }
            Op::NumberOnExtension {
                tenant,
                number,
                extension,
                replaces,
            } => {
                if replaces.is_some() {
                    self.whv.unassign_number(tenant, number).await?;
                }
                self.whv.assign_number(tenant, number, extension).await?;
                Ok(StepOutcome::Done)
            }
            Op::UnassignNumber { tenant, number } => {
                match self.whv.unassign_number(tenant, number).await {
                    Ok(()) | Err(whv::Error::NotFound { .. }) => Ok(StepOutcome::Done),
                    Err(e) => Err(e.into()),
                }
            }
            Op::RemoveInventoryNumber { number } => {
                match self.whv.remove_inventory_number(number).await {
                    Ok(()) | Err(whv::Error::NotFound { .. }) => Ok(StepOutcome::Done),
                    Err(e) => Err(e.into()),
                }
            }
            Op::DeleteTrunk { id, .. } => {
                gone(self.plivo.trunks().delete(id).await)?;
                Ok(StepOutcome::Done)
            }
            Op::DeleteUri { id, .. } => {
                gone(self.plivo.uris().delete(id).await)?;
                Ok(StepOutcome::Done)
            }
            Op::UnbindTenant { tenant, .. } => {
                self.whv.unbind_tenant_carrier(tenant).await?;
                Ok(StepOutcome::Done)
            }
            Op::DeleteCarrier { name } => match self.whv.delete_carrier(name).await {
                Ok(()) | Err(whv::Error::NotFound { .. }) => Ok(StepOutcome::Done),
                Err(e) => Err(e.into()),
            },
            Op::DeleteIpAcl { id, .. } => {
                gone(self.plivo.ip_acls().delete(id).await)?;
                Ok(StepOutcome::Done)
            }
        }
    }

    /// Creates a trunk; an unknown outcome is resolved by listing trunks by name.
    async fn create_trunk(
        &self,
        name: &str,
        body: &CreateTrunk,
    ) -> Result<(TrunkId, StepOutcome), InterconnectError> {
        match self.plivo.trunks().create(body).await {
            Ok(c) => Ok((c.id, StepOutcome::Done)),
            Err(e) if e.is_outcome_unknown() => {
                let found = self.plivo.trunks().find_by_name(name).await?;
                match found.as_slice() {
                    [one] => Ok((one.trunk_id.clone(), StepOutcome::Reconciled)),
                    [] => Ok((
                        self.plivo.trunks().create(body).await?.id,
                        StepOutcome::Done,
                    )),
                    _ => Err(duplicates(name, found.len())),
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

fn note(report: &mut ApplyReport, outcome: &StepOutcome, id: String) {
    if *outcome == StepOutcome::Reconciled {
        report.reconciled += 1;
    }
    report.created.push(id);
}

fn duplicates(name: &str, n: usize) -> InterconnectError {
    InterconnectError::Unexpected(format!(
        "{n} Plivo objects are named {name} after an interrupted create; delete the extra ones"
    ))
}

/// A delete that finds the object already gone has done its job.
fn gone(r: Result<(), plivo_client::Error>) -> Result<(), InterconnectError> {
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Sends an idempotent update again once when its outcome was unknown.
async fn retry_once<T, F, Fut>(mut f: F) -> Result<T, InterconnectError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, plivo_client::Error>>,
{
    match f().await {
        Err(e) if e.is_outcome_unknown() => Ok(f().await?),
        r => Ok(r?),
    }
}

/// Why `plan` no longer matches a fresh plan, if it does not.
fn staleness(plan: &Plan, fresh: &Plan) -> Option<String> {
    if plan.steps.len() != fresh.steps.len() {
        return Some(format!(
            "it has {} steps, a fresh plan has {}",
            plan.steps.len(),
            fresh.steps.len()
        ));
    }
    for (i, (a, b)) in plan.steps.iter().zip(&fresh.steps).enumerate() {
        if a != b {
            return Some(format!(
                "step {} ({}) was \"{}\" and is now \"{}\"",
                i + 1,
                a.op.describe(),
                a.action,
                b.action
            ));
        }
    }
    if plan.conflicts != fresh.conflicts {
        return Some("the conflicts changed".to_owned());
    }
    None
}
