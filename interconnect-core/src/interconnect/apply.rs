//! Walking a [`Plan`]: each step in order, ambiguous creates reconciled by name, progress reported.

use std::collections::BTreeMap;

use plivo_client::{
    CreateIpAcl, CreateTrunk, CreateUri, IpAcl, IpAclId, Number, NumberFilter, OriginationUri,
    Trunk, TrunkDirection, TrunkFilter, TrunkId, TrunkStatus, UpdateIpAcl, UpdateTrunk, UpdateUri,
    UriId,
};
use serde::{Deserialize, Serialize};
use wehostvoip_client as whv;

use super::observe::{NUMBER_GET_LIMIT, Observed, pick};
use super::plan::{Action, GatewayTarget, Op, Plan, PreviousRoute, Purpose, Step};
use super::planner::plan_from;
use super::{Interconnect, InterconnectError};
use crate::E164;

/// What happened to one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Progress {
    pub(crate) index: usize,
    pub(crate) total: usize,
    pub(crate) action: Action,
    pub(crate) what: String,
    pub(crate) outcome: StepOutcome,
}

impl Progress {
    /// The 1-based step number.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The number of steps in the plan.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The step's action.
    pub fn action(&self) -> Action {
        self.action
    }

    /// What the step is about.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// What happened.
    pub fn outcome(&self) -> &StepOutcome {
        &self.outcome
    }
}

/// What an apply did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApplyReport {
    pub(crate) applied: usize,
    pub(crate) unchanged: usize,
    pub(crate) reconciled: usize,
    pub(crate) created: Vec<String>,
    #[serde(default)]
    pub(crate) previous_routes: Vec<PreviousRoute>,
}

impl ApplyReport {
    /// Steps that sent a change.
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// Steps with nothing to do.
    pub fn unchanged(&self) -> usize {
        self.unchanged
    }

    /// Creates whose outcome was unknown and that were found by name instead of made twice.
    pub fn reconciled(&self) -> usize {
        self.reconciled
    }

    /// The ids of the Plivo objects created (or, after an unknown outcome, found by name), for
    /// the audit log.
    pub fn created(&self) -> &[String] {
        &self.created
    }

    /// The routes of the numbers this apply moved onto the inbound trunk, as they were before:
    /// keep them (a state file) and give them to
    /// [`TeardownOptions::restore`](super::TeardownOptions::restore) so teardown routes the
    /// numbers back.
    pub fn previous_routes(&self) -> &[PreviousRoute] {
        &self.previous_routes
    }
}

/// Ids learnt while walking the plan.
#[derive(Debug, Default)]
struct Context {
    acl: Option<IpAclId>,
    outbound: Option<TrunkId>,
    outbound_domain: Option<String>,
    uri: Option<UriId>,
    inbound: Option<TrunkId>,
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
    /// Apply walks the plan it is given; it does not plan again. A plan with conflicts is
    /// refused. Before the first change, only the objects the plan changes are read again (a
    /// GET of each existing Plivo object it updates, the numbers it attaches, a list of trunks
    /// and numbers for a teardown, and the WeHostVoIP side): if one of them changed since the
    /// plan was made, the plan is refused as stale. A plan with nothing to change sends nothing.
    /// What the plan read is reused (the outbound trunk's domain, the inbound trunk's id and
    /// direction); an object just created is read back only for a field the create does not
    /// return (the outbound trunk's `trunk_domain`). A create whose outcome is unknown (timeout
    /// after sending) is resolved by listing by name before anything else.
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
        if let Some(first) = plan.conflicts.first() {
            return Err(InterconnectError::Conflicts {
                count: plan.conflicts.len(),
                first: first.message.clone(),
            });
        }
        let mut ctx = Context::from_plan(plan);
        if !plan.is_empty() {
            let stale = match plan.header.purpose {
                Purpose::Provision => self.stale_provision(plan, &mut ctx).await?,
                Purpose::Teardown => self.stale_teardown(plan).await?,
            };
            if let Some(reason) = stale {
                return Err(InterconnectError::StalePlan { reason });
            }
        }
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
                    event.outcome = StepOutcome::Failed(e.chain());
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

    /// Reads again only what a provisioning plan changes, rebuilds the rest from the plan itself,
    /// plans over that, and says why the result differs from `plan`, if it does.
    async fn stale_provision(
        &self,
        plan: &Plan,
        ctx: &mut Context,
    ) -> Result<Option<String>, InterconnectError> {
        let spec = &self.spec;
        let resolution = self.resolve().await?;
        let whv = self.observe_whv().await?;
        let (mut acls, mut trunks, mut uris) = (Vec::new(), Vec::new(), Vec::new());
        let mut attach = Vec::new();
        for step in &plan.steps {
            let touched = step.action.changes_anything();
            match &step.op {
                Op::IpAcl {
                    name,
                    existing: Some(id),
                    ip_addresses,
                } => {
                    if touched {
                        acls.extend(self.plivo.ip_acls().get_opt(id).await?);
                    } else {
                        acls.push(IpAcl::new(
                            id.clone(),
                            Some(name.clone()),
                            ip_addresses.clone(),
                        ));
                    }
                }
                Op::OutboundTrunk {
                    name,
                    existing: Some(id),
                    trunk_domain,
                } => {
                    if touched {
                        if let Some(t) = self.plivo.trunks().get_opt(id).await? {
                            if t.trunk_domain.is_some() {
                                ctx.outbound_domain.clone_from(&t.trunk_domain);
                            }
                            trunks.push(t);
                        }
                    } else {
                        let mut t = Trunk::new(id.clone(), TrunkDirection::Outbound);
                        t.name = Some(name.clone());
                        t.trunk_domain.clone_from(trunk_domain);
                        t.trunk_status = Some(TrunkStatus::Enabled);
                        t.ipacl_uuid.clone_from(&ctx.acl);
                        trunks.push(t);
                    }
                }
                Op::OriginationUri {
                    name,
                    existing: Some(id),
                    uri,
                } => {
                    if touched {
                        uris.extend(self.plivo.uris().get_opt(id).await?);
                    } else {
                        let mut u = OriginationUri::new(id.clone(), uri.clone());
                        u.name = Some(name.clone());
                        uris.push(u);
                    }
                }
                Op::InboundTrunk {
                    name,
                    existing: Some(id),
                } => {
                    if touched {
                        trunks.extend(self.plivo.trunks().get_opt(id).await?);
                    } else {
                        let mut t = Trunk::new(id.clone(), TrunkDirection::Inbound);
                        t.name = Some(name.clone());
                        t.primary_uri_uuid.clone_from(&ctx.uri);
                        trunks.push(t);
                    }
                }
                Op::NumberOnTrunk { number, .. } => attach.push((number, touched)),
                _ => {}
            }
        }
        let numbers = self.reread_numbers(plan, &attach, ctx).await?;
        let refreshed = Observed {
            resolution,
            acls,
            trunks,
            uris,
            numbers,
            all_numbers: None,
            skipped: Vec::new(),
            whv,
        };
        let fresh = plan_from(spec, &refreshed)?;
        Ok(staleness(plan, &fresh))
    }

    /// The numbers a plan attaches: read again when their step changes something (one GET each,
    /// or one list above the GET limit), rebuilt from the plan when it does not.
    async fn reread_numbers(
        &self,
        plan: &Plan,
        attach: &[(&E164, bool)],
        ctx: &Context,
    ) -> Result<BTreeMap<String, Option<Number>>, InterconnectError> {
        let touched: Vec<String> = attach
            .iter()
            .filter(|(_, t)| *t)
            .map(|(n, _)| n.digits().to_owned())
            .collect();
        let mut numbers = if touched.len() > NUMBER_GET_LIMIT {
            let all = self
                .plivo
                .numbers()
                .all_lenient(&NumberFilter::default())
                .await?;
            pick(&touched, &all.objects)
        } else {
            let mut found = BTreeMap::new();
            for d in touched {
                let n = self.plivo.numbers().get_opt(&d).await?;
                found.insert(d, n);
            }
            found
        };
        for (number, touched) in attach {
            if *touched {
                continue;
            }
            let mut n = Number::new(number.digits());
            if let Some(id) = &ctx.inbound {
                n.application = Some(format!(
                    "/v1/Account/{}/Zentrunk/Trunk/{id}/",
                    self.plivo.auth_id()
                ));
            }
            if let Some(record) = plan.steps.iter().find_map(|s| match &s.op {
                Op::InventoryNumber { record, .. } if record.number.as_str() == number.as_str() => {
                    Some(record)
                }
                _ => None,
            }) {
                n.monthly_rental_rate = Some(record.vendor_price.to_string());
                n.sms_enabled = Some(record.capabilities.sms);
            }
            numbers.insert(number.digits().to_owned(), Some(n));
        }
        let caller = self.spec.caller_id.number().digits();
        numbers
            .entry(caller.to_owned())
            .or_insert_with(|| Some(Number::new(caller)));
        Ok(numbers)
    }

    /// Reads again what a teardown plan relies on (the trunks using the ACL and URI it deletes,
    /// the numbers on the trunks it deletes) and says what changed, if anything.
    async fn stale_teardown(&self, plan: &Plan) -> Result<Option<String>, InterconnectError> {
        let spec = &self.spec;
        let ours = |name: Option<&str>| {
            name.and_then(|n| n.parse::<crate::ResourceName>().ok())
                .is_some_and(|n| n.is_for(&spec.tenant, &spec.sbc))
        };
        let pending: Vec<&Op> = plan.pending().map(|s| &s.op).collect();
        let shared_deletes = pending
            .iter()
            .any(|op| matches!(op, Op::DeleteIpAcl { .. } | Op::DeleteUri { .. }));
        if shared_deletes {
            let trunks = self
                .plivo
                .trunks()
                .all_lenient(&TrunkFilter::default())
                .await?
                .objects;
            for op in &pending {
                let (what, user) = match op {
                    Op::DeleteIpAcl { name, id } => (
                        format!("IP access list {name}"),
                        trunks
                            .iter()
                            .find(|t| t.uses_acl(id) && !ours(t.name.as_deref())),
                    ),
                    Op::DeleteUri { name, id } => (
                        format!("origination URI {name}"),
                        trunks
                            .iter()
                            .find(|t| t.uses_uri(id) && !ours(t.name.as_deref())),
                    ),
                    _ => continue,
                };
                if let Some(t) = user {
                    return Ok(Some(format!(
                        "trunk {} now uses {what}, which the plan deletes",
                        t.trunk_id
                    )));
                }
            }
        }
        if pending
            .iter()
            .any(|op| matches!(op, Op::DeleteTrunk { .. }))
        {
            let numbers = self
                .plivo
                .numbers()
                .all_lenient(&NumberFilter::default())
                .await?
                .objects;
            for op in &pending {
                let Op::DeleteTrunk {
                    name,
                    id,
                    numbers: seen,
                } = op
                else {
                    continue;
                };
                if let Some(n) = numbers.iter().find(|n| {
                    n.trunk_id().as_ref() == Some(id)
                        && !seen.iter().any(|d| d == n.number.trim_start_matches('+'))
                }) {
                    return Ok(Some(format!(
                        "number {} was attached to trunk {name} since the plan was made",
                        n.number
                    )));
                }
            }
        }
        Ok(None)
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
                    return Ok(StepOutcome::Done);
                }
                let body = CreateTrunk::inbound(uri).name(name.clone());
                let (id, outcome) = self.create_trunk(name, &body).await?;
                note(report, &outcome, id.to_string());
                ctx.inbound = Some(id);
                Ok(outcome)
            }
            Op::NumberOnTrunk { number, previous } => {
                // The plan checked the trunk's direction (or this apply created it inbound).
                let id = ctx
                    .inbound
                    .clone()
                    .ok_or_else(|| missing("the inbound trunk's id"))?;
                let numbers = self.plivo.numbers();
                retry_once(|| numbers.attach_to_inbound_trunk(number.digits(), &id)).await?;
                report.previous_routes.extend(previous.iter().cloned());
                Ok(StepOutcome::Done)
            }
            Op::RestoreRoute { route } => {
                let numbers = self.plivo.numbers();
                retry_once(|| numbers.detach(route.number.digits(), &route.app_id)).await?;
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
                // The check before the first change listed the trunks: none but ours (deleted
                // by an earlier step) used this URI, so the cascade deletes nothing else and
                // the client's own reference check (one more list) is not repeated.
                gone(self.plivo.uris().force_delete(id).await)?;
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

/// Why `plan` no longer matches the plan made over what was read again, if it does not.
fn staleness(plan: &Plan, fresh: &Plan) -> Option<String> {
    for (i, a) in plan.steps.iter().enumerate() {
        match fresh.steps.get(i) {
            Some(b) if a == b => {}
            Some(b) if a.op.describe() == b.op.describe() => {
                let now: Vec<String> = b
                    .changes
                    .iter()
                    .map(|c| format!("{} is {}", c.field, c.from.as_deref().unwrap_or("absent")))
                    .collect();
                return Some(format!(
                    "step {} ({}) was \"{}\" and is now \"{}\"{}",
                    i + 1,
                    a.op.describe(),
                    a.action,
                    b.action,
                    if now.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", now.join(", "))
                    }
                ));
            }
            _ => {
                return Some(format!(
                    "step {} ({}) no longer applies as planned",
                    i + 1,
                    a.op.describe()
                ));
            }
        }
    }
    if fresh.steps.len() != plan.steps.len() {
        return Some(format!(
            "it has {} steps, a plan over the platforms now has {}",
            plan.steps.len(),
            fresh.steps.len()
        ));
    }
    None
}
