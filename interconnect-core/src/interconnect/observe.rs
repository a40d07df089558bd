//! Reading both platforms: lists and gets only, never a change.

use std::collections::BTreeMap;

use plivo_client::{IpAcl, Number, NumberFilter, OriginationUri, Trunk, TrunkFilter, Undecodable};
use wehostvoip_client as whv;

use super::{Interconnect, InterconnectError};
use crate::sbc::{Resolution, check_address};

/// Above this many numbers, the account's numbers are listed instead of read one by one.
pub(crate) const NUMBER_GET_LIMIT: usize = 5;

/// What exists on WeHostVoIP, as read at plan time.
#[derive(Debug, Clone, Default)]
pub(crate) struct WhvObserved {
    pub(crate) carrier: Option<whv::Carrier>,
    pub(crate) tenant: Option<whv::Tenant>,
    pub(crate) groups: Vec<whv::SecurityGroup>,
    pub(crate) subscribers: Vec<whv::Subscriber>,
    pub(crate) inventory: Vec<whv::InventoryNumber>,
    pub(crate) assignments: Vec<whv::PhoneNumberAssignment>,
}

/// What exists on both sides, as read at plan time: the planner's only input besides the spec.
#[derive(Debug, Clone)]
pub(crate) struct Observed {
    pub(crate) resolution: Resolution,
    pub(crate) acls: Vec<IpAcl>,
    pub(crate) trunks: Vec<Trunk>,
    pub(crate) uris: Vec<OriginationUri>,
    /// The routed numbers and the caller ID, by digits; `None`: not on the account.
    pub(crate) numbers: BTreeMap<String, Option<Number>>,
    /// Every number of the account, when it was listed (teardown lists them to find numbers
    /// attached to the inbound trunk by hand).
    pub(crate) all_numbers: Option<Vec<Number>>,
    /// Listed objects that could not be decoded (skipped, reported in the plan).
    pub(crate) skipped: Vec<Undecodable>,
    pub(crate) whv: WhvObserved,
}

impl Observed {
    pub(crate) fn acls_named(&self, name: &str) -> Vec<&IpAcl> {
        self.acls
            .iter()
            .filter(|a| a.name.as_deref() == Some(name))
            .collect()
    }

    pub(crate) fn trunks_named(&self, name: &str) -> Vec<&Trunk> {
        self.trunks
            .iter()
            .filter(|t| t.name.as_deref() == Some(name))
            .collect()
    }

    pub(crate) fn uris_named(&self, name: &str) -> Vec<&OriginationUri> {
        self.uris
            .iter()
            .filter(|u| u.name.as_deref() == Some(name))
            .collect()
    }

    pub(crate) fn number(&self, digits: &str) -> Option<&Number> {
        self.numbers.get(digits).and_then(Option::as_ref)
    }
}

/// How the planner reads numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberReads {
    /// The routed numbers and the caller ID only (one GET each, or one list above
    /// [`NUMBER_GET_LIMIT`]).
    Wanted,
    /// Every number of the account (one list).
    All,
}

impl Interconnect {
    /// Reads everything the planner compares. Plivo reads go through the client's limiter.
    pub(crate) async fn observe(&self, reads: NumberReads) -> Result<Observed, InterconnectError> {
        let spec = &self.spec;
        let resolution = self.resolve().await?;
        let mut skipped = Vec::new();
        let acls = self.plivo.ip_acls().all_lenient().await?;
        skipped.extend(acls.skipped);
        let trunks = self
            .plivo
            .trunks()
            .all_lenient(&TrunkFilter::default())
            .await?;
        skipped.extend(trunks.skipped);
        let mut trunks = trunks.objects;
        // The carrier's gateway is the outbound trunk's domain: read the trunk itself when a
        // list body leaves the domain out (create answers never carry it either).
        for t in &mut trunks {
            if t.trunk_domain.is_none() && t.name.as_deref() == Some(spec.names.outbound.as_str()) {
                t.trunk_domain = self.plivo.trunks().get(&t.trunk_id).await?.trunk_domain;
            }
        }
        let uris = self.plivo.uris().all_lenient().await?;
        skipped.extend(uris.skipped);

        let wanted = self.wanted_numbers();
        let (numbers, all_numbers) = if reads == NumberReads::All || wanted.len() > NUMBER_GET_LIMIT
        {
            let all = self
                .plivo
                .numbers()
                .all_lenient(&NumberFilter::default())
                .await?;
            skipped.extend(all.skipped);
            let numbers = pick(&wanted, &all.objects);
            (numbers, (reads == NumberReads::All).then_some(all.objects))
        } else {
            let mut numbers = BTreeMap::new();
            for d in wanted {
                let found = self.plivo.numbers().get_opt(&d).await?;
                numbers.insert(d, found);
            }
            (numbers, None)
        };
        Ok(Observed {
            resolution,
            acls: acls.objects,
            trunks,
            uris: uris.objects,
            numbers,
            all_numbers,
            skipped,
            whv: self.observe_whv().await?,
        })
    }

    /// Resolves the SBC and checks every resolved address against the address policy.
    pub(crate) async fn resolve(&self) -> Result<Resolution, InterconnectError> {
        let resolution = self.spec.sbc.resolve(self.resolver.as_ref()).await?;
        for ip in resolution.addresses() {
            check_address(*ip, self.spec.address_policy)?;
        }
        Ok(resolution)
    }

    /// The digits of the routed numbers and of the caller ID, sorted, without duplicates.
    pub(crate) fn wanted_numbers(&self) -> Vec<String> {
        let spec = &self.spec;
        let mut wanted: Vec<String> = spec
            .routes
            .iter()
            .map(|r| r.number.digits().to_owned())
            .collect();
        wanted.push(spec.caller_id.number().digits().to_owned());
        wanted.sort();
        wanted.dedup();
        wanted
    }

    /// Reads the WeHostVoIP side (no Plivo request).
    pub(crate) async fn observe_whv(&self) -> Result<WhvObserved, InterconnectError> {
        let spec = &self.spec;
        let carrier = self.whv.get_carrier(&spec.names.carrier).await?;
        let tenant = self.whv.get_tenant(&spec.tenant).await?;
        let (groups, subscribers, assignments) = if tenant.is_some() {
            (
                self.whv.list_security_groups(&spec.tenant).await?,
                self.whv.list_subscribers(&spec.tenant).await?,
                self.whv.list_phone_numbers(&spec.tenant).await?,
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let inventory = self.whv.list_inventory().await?;
        Ok(WhvObserved {
            carrier,
            tenant,
            groups,
            subscribers,
            inventory,
            assignments,
        })
    }
}

/// The `wanted` numbers (digits) out of a list of the account's numbers.
pub(crate) fn pick(wanted: &[String], all: &[Number]) -> BTreeMap<String, Option<Number>> {
    let by_digits: BTreeMap<&str, &Number> = all
        .iter()
        .map(|n| (n.number.trim_start_matches('+'), n))
        .collect();
    wanted
        .iter()
        .map(|d| (d.clone(), by_digits.get(d.as_str()).map(|n| (*n).clone())))
        .collect()
}
