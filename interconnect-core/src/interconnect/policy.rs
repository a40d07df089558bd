//! The call-path policy derived from the same model that provisioning uses.

use sip_rules::{Acl, Cidr, Codec, Numbers, NumbersError, Plus, Policy};

use super::Interconnect;
use crate::InboundAuth;
use crate::presets::PLIVO;

/// The owned inputs of the `sip-rules` [`Policy`] for this interconnect: the source blocks
/// INVITEs may come from, the numbers routed inbound (sorted), and the codec rules.
///
/// Build it once when the interconnect is configured, then borrow a [`Policy`] from it for the
/// call path; checking an INVITE allocates nothing.
///
/// ```
/// # use interconnect_core::interconnect::CallPolicy;
/// # fn demo(call_policy: &CallPolicy) -> Result<(), sip_rules::NumbersError> {
/// let numbers = call_policy.number_refs();
/// let policy = call_policy.policy(&numbers)?;
/// assert!(policy.numbers().is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPolicy {
    sources: Vec<Cidr>,
    numbers: Vec<String>,
    required: Codec,
}

impl CallPolicy {
    /// The source blocks INVITEs may come from.
    pub fn sources(&self) -> &[Cidr] {
        &self.sources
    }

    /// The numbers routed inbound, `+E.164`, sorted.
    pub fn numbers(&self) -> &[String] {
        &self.numbers
    }

    /// The numbers as the borrowed slice [`CallPolicy::policy`] takes.
    pub fn number_refs(&self) -> Vec<&str> {
        self.numbers.iter().map(String::as_str).collect()
    }

    /// The codec every INVITE must offer (the codec policy's required codec, PCMU by default).
    pub fn required_codec(&self) -> Codec {
        self.required
    }

    /// The `sip-rules` policy: source in [`CallPolicy::sources`], Request-URI one of the numbers
    /// (when any are routed), the required codec offered. DTMF is negotiated, not enforced:
    /// an offer without telephone-event is still a call.
    ///
    /// # Errors
    /// [`NumbersError`] when `numbers` is not the sorted `+E.164` list from
    /// [`CallPolicy::number_refs`].
    pub fn policy<'p>(&'p self, numbers: &'p [&'p str]) -> Result<Policy<'p>, NumbersError> {
        let mut policy = Policy::new(Acl::Cidrs(&self.sources))
            .with_plus(Plus::Optional)
            .with_required_codec(Some(self.required));
        if !numbers.is_empty() {
            policy = policy.with_numbers(Numbers::new(numbers)?);
        }
        Ok(policy)
    }
}

impl Interconnect {
    /// The `sip-rules` inputs for the INVITEs this interconnect carries from Plivo.
    ///
    /// Sources follow the inbound-auth policy: the runbook's alias gateway admits that one
    /// address; the published-ranges and none policies admit Plivo's 14 published blocks (with no
    /// inbound gateway, Plivo's documented ranges are still the only legitimate sources).
    pub fn call_policy(&self) -> CallPolicy {
        let sources: Vec<Cidr> = match self.spec.inbound_auth {
            InboundAuth::SeedAliasGateway => {
                vec![Cidr::host(core::net::IpAddr::V4(PLIVO.seed_alias()))]
            }
            _ => PLIVO.cidrs().map(|c| c.cidr()).collect(),
        };
        let mut numbers: Vec<String> = self
            .spec
            .routes
            .iter()
            .map(|r| r.number.to_string())
            .collect();
        numbers.sort();
        numbers.dedup();
        CallPolicy {
            sources,
            numbers,
            required: self.spec.codecs.required().rule(),
        }
    }
}
