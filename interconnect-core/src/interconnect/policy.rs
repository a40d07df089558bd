//! The call-path policy derived from the same model that provisioning uses.

use sip_rules::e164::Number;
use sip_rules::{Acl, Cidr, Codec, Numbers, Plus, Policy};

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
/// # fn demo(call_policy: &CallPolicy) {
/// let policy = call_policy.policy();
/// assert_eq!(policy.numbers().is_some(), !call_policy.numbers().is_empty());
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPolicy {
    sources: Vec<Cidr>,
    numbers: Vec<Number>,
    required: Codec,
}

impl CallPolicy {
    /// The source blocks INVITEs may come from.
    pub fn sources(&self) -> &[Cidr] {
        &self.sources
    }

    /// The numbers routed inbound, sorted: the checked numbers of the routes themselves, so
    /// every number `build()` accepted is one the policy can hold.
    pub fn numbers(&self) -> &[Number] {
        &self.numbers
    }

    /// The codec every INVITE must offer (the codec policy's required codec, PCMU by default).
    pub fn required_codec(&self) -> Codec {
        self.required
    }

    /// The `sip-rules` policy: source in [`CallPolicy::sources`], Request-URI one of the numbers
    /// (when any are routed), the required codec offered. DTMF is negotiated, not enforced:
    /// an offer without telephone-event is still a call.
    /// Nothing can fail here: the numbers are checked values, sorted when this was made.
    pub fn policy(&self) -> Policy<'_> {
        let policy = Policy::new(Acl::Cidrs(&self.sources))
            .with_plus(Plus::Optional)
            .with_required_codec(Some(self.required));
        if self.numbers.is_empty() {
            policy
        } else {
            policy.with_numbers(Numbers::from_sorted(&self.numbers))
        }
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
        let mut numbers: Vec<Number> = self.spec.routes.iter().map(|r| r.number.rule()).collect();
        numbers.sort();
        numbers.dedup();
        CallPolicy {
            sources,
            numbers,
            required: self.spec.codecs.required().rule(),
        }
    }
}
