//! Reading both platforms: lists and gets only, never a change.

use std::collections::BTreeMap;

use plivo_client::{IpAcl, Number, NumberFilter, OriginationUri, Trunk, TrunkFilter};
use wehostvoip_client as whv;

use super::{Interconnect, InterconnectError};
use crate::sbc::Resolution;

/// Above this many numbers, the planner lists the account's numbers instead of reading each.
const NUMBER_GET_LIMIT: usize = 5;

/// What exists on both sides, as read at plan time.
#[derive(Debug, Clone)]
pub(crate) struct Observed {
    pub(crate) resolution: Resolution,
    pub(crate) acls: Vec<IpAcl>,
    pub(crate) trunks: Vec<Trunk>,
    pub(crate) uris: Vec<OriginationUri>,
    /// The routed numbers and the caller ID, by digits; `None`: not on the account.
    pub(crate) numbers: BTreeMap<String, Option<Number>>,
    pub(crate) carrier: Option<whv::Carrier>,
    pub(crate) tenant: Option<whv::Tenant>,
    pub(crate) groups: Vec<whv::SecurityGroup>,
    pub(crate) subscribers: Vec<whv::Subscriber>,
    pub(crate) inventory: Vec<whv::InventoryNumber>,
    pub(crate) assignments: Vec<whv::PhoneNumberAssignment>,
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

impl Interconnect {
    /// Reads everything the planner compares. Plivo reads go through the client's limiter.
    pub(crate) async fn observe(&self) -> Result<Observed, InterconnectError> {
        let spec = &self.spec;
        let resolution = spec.sbc.resolve(self.resolver.as_ref()).await?;
        let acls = self.plivo.ip_acls().all().await?;
        let mut trunks = self.plivo.trunks().all(&TrunkFilter::default()).await?;
        // The carrier's gateway is the outbound trunk's domain: read the trunk itself when a
        // list body leaves the domain out (create answers never carry it either).
        for t in &mut trunks {
            if t.trunk_domain.is_none() && t.name.as_deref() == Some(spec.names.outbound.as_str()) {
                t.trunk_domain = self.plivo.trunks().get(&t.trunk_id).await?.trunk_domain;
            }
        }
        let uris = self.plivo.uris().all().await?;

        let mut wanted: Vec<String> = spec
            .routes
            .iter()
            .map(|r| r.number.digits().to_owned())
            .collect();
        wanted.push(spec.caller_id.number().digits().to_owned());
        wanted.sort();
        wanted.dedup();
        let mut numbers: BTreeMap<String, Option<Number>> = BTreeMap::new();
        if wanted.len() > NUMBER_GET_LIMIT {
            let all = self.plivo.numbers().all(&NumberFilter::default()).await?;
            let mut by_digits: BTreeMap<String, Number> = all
                .into_iter()
                .map(|n| (n.number.trim_start_matches('+').to_owned(), n))
                .collect();
            for d in wanted {
                let found = by_digits.remove(&d);
                numbers.insert(d, found);
            }
        } else {
            for d in wanted {
                let found = self.plivo.numbers().get_opt(&d).await?;
                numbers.insert(d, found);
            }
        }

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
        Ok(Observed {
            resolution,
            acls,
            trunks,
            uris,
            numbers,
            carrier,
            tenant,
            groups,
            subscribers,
            inventory,
            assignments,
        })
    }
}
