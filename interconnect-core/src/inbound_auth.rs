//! How WeHostVoIP is told to accept calls coming from Plivo.
//!
//! WeHostVoIP matches inbound calls against the addresses of the carrier's gateways, and every
//! gateway there is also an outbound failover target. The seed runbook's "important trick" adds
//! 18.214.109.129 as a second gateway; Plivo's docs instead list 14 signalling/media CIDRs and say
//! to allow all of them; the runbook's author removed the trick the same day. Which one applies is
//! an explicit [`InboundAuth`] policy, and the plan prints its [`InboundAuth::explain`] paragraph.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::error::InboundAuthError;
use crate::host::{Gateway, GatewayAddress, Role, Transport};
use crate::presets::PLIVO;

/// The inbound-authorization policy.
///
/// ```
/// use interconnect_core::InboundAuth;
///
/// let policy = InboundAuth::default();
/// assert_eq!(policy, InboundAuth::SeedAliasGateway); // what the runbook does
/// assert_eq!(policy.gateways().len(), 1);
/// assert_eq!(InboundAuth::PublishedRanges.gateways().len(), 14);
/// assert!(InboundAuth::None.gateways().is_empty());
/// assert_eq!("published-ranges".parse::<InboundAuth>()?, InboundAuth::PublishedRanges);
/// assert_eq!("seed-alias".parse::<InboundAuth>()?, InboundAuth::SeedAliasGateway);
/// assert!(InboundAuth::PublishedRanges.explain().contains("14"));
/// # Ok::<(), interconnect_core::error::InboundAuthError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum InboundAuth {
    /// The seed runbook's trick (section 3.1): 18.214.109.129 as a second WeHostVoIP gateway.
    ///
    /// Trade-off: exactly what the runbook says, one extra gateway. But no Plivo source calls the
    /// address an alias: it is one host of the Virginia block 18.214.109.128/25, so calls from other
    /// Plivo addresses or regions may be refused; and as a WeHostVoIP gateway it is also an outbound
    /// failover target, where it cannot reach the trunk.
    #[default]
    SeedAliasGateway,
    /// Plivo's 14 published signalling/media CIDRs as inbound-only sources.
    ///
    /// Trade-off: what Plivo documents ("whitelist all of these"), robust to regional failover;
    /// needs a WeHostVoIP side that accepts CIDR sources kept apart from outbound gateways,
    /// which its console does not document.
    PublishedRanges,
    /// No inbound source besides the trunk FQDN gateway.
    ///
    /// Trade-off: the fewest moving parts, and it matches the runbook's final revision; inbound
    /// calls work only if WeHostVoIP admits Plivo by some other means (resolving the FQDN, or
    /// matching numbers), which is unconfirmed.
    None,
}

impl InboundAuth {
    /// Every policy.
    pub const ALL: [InboundAuth; 3] = [
        InboundAuth::SeedAliasGateway,
        InboundAuth::PublishedRanges,
        InboundAuth::None,
    ];

    /// The name used in configuration (`seed-alias-gateway`, `published-ranges`, `none`).
    pub const fn as_str(self) -> &'static str {
        match self {
            InboundAuth::SeedAliasGateway => "seed-alias-gateway",
            InboundAuth::PublishedRanges => "published-ranges",
            InboundAuth::None => "none",
        }
    }

    /// The gateways this policy adds to the WeHostVoIP carrier besides the trunk FQDN.
    ///
    /// The seed alias is a [`Role::Both`] gateway because that is what a WeHostVoIP gateway is;
    /// the published ranges are [`Role::Inbound`] sources on UDP 5060.
    pub fn gateways(self) -> Vec<Gateway> {
        let port = PLIVO.ports().signalling();
        match self {
            InboundAuth::SeedAliasGateway => {
                let alias = GatewayAddress::from(IpAddr::V4(PLIVO.seed_alias()));
                Gateway::new(alias, port, Transport::Udp, Role::Both)
                    .into_iter()
                    .collect()
            }
            InboundAuth::PublishedRanges => PLIVO
                .cidrs()
                .filter_map(|c| Gateway::new(c, port, Transport::Udp, Role::Inbound).ok())
                .collect(),
            InboundAuth::None => Vec::new(),
        }
    }

    /// One paragraph, for the plan, on what the policy does and what it costs.
    pub const fn explain(self) -> &'static str {
        match self {
            InboundAuth::SeedAliasGateway => {
                "Inbound authorization follows the runbook (section 3.1): 18.214.109.129 is added \
                 as a second gateway on the WeHostVoIP carrier so that calls from Plivo are \
                 accepted. The runbook calls this address an alias to all Plivo ranges, but no \
                 Plivo source says so: it is one host inside Plivo's Virginia block \
                 18.214.109.128/25, so calls from other Plivo addresses or regions may be refused, \
                 and because every WeHostVoIP gateway is also an outbound failover target, a failed \
                 outbound call may be retried towards that address, where it cannot reach the \
                 trunk. The runbook's author removed this step the same day; consider \
                 published-ranges."
            }
            InboundAuth::PublishedRanges => {
                "Inbound authorization uses Plivo's 14 published signalling/media CIDR blocks in \
                 seven regions, which Plivo says to allow in full because calls may be routed \
                 through another region during a disruption. They are modelled as inbound-only \
                 sources, never as outbound targets. This matches Plivo's documentation and \
                 survives regional failover, but WeHostVoIP's console does not document CIDR \
                 sources apart from outbound gateways, so confirm with WeHostVoIP how they are \
                 entered."
            }
            InboundAuth::None => {
                "No inbound source is added: the WeHostVoIP carrier holds only the trunk's FQDN \
                 gateway, as in the runbook's final revision. This is the simplest setup and adds \
                 no outbound failover target, but inbound calls from Plivo are accepted only if \
                 WeHostVoIP admits them by other means (for example by resolving the FQDN or by \
                 the called number), which is unconfirmed: test an inbound call before relying \
                 on it."
            }
        }
    }
}

impl FromStr for InboundAuth {
    type Err = InboundAuthError;

    /// Parses the configuration name; `seed-alias` is accepted for `seed-alias-gateway` (the
    /// command-line spelling).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "seed-alias" {
            return Ok(InboundAuth::SeedAliasGateway);
        }
        InboundAuth::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| InboundAuthError::Unknown {
                value: s.to_owned(),
            })
    }
}

impl fmt::Display for InboundAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

string_conversions!(
    InboundAuth,
    InboundAuthError,
    "seed-alias-gateway, published-ranges or none"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateways_follow_the_role_rules() {
        let seed = InboundAuth::SeedAliasGateway.gateways();
        assert_eq!(
            seed[0].to_string(),
            "18.214.109.129:5060;transport=udp;role=both"
        );
        for g in InboundAuth::PublishedRanges.gateways() {
            assert_eq!(g.role(), Role::Inbound);
            assert_eq!(g.to_string().parse::<Gateway>().unwrap(), g);
        }
    }

    #[test]
    fn explanations_are_single_paragraphs() {
        for p in InboundAuth::ALL {
            let text = p.explain();
            assert!(!text.contains('\n') && !text.contains("  "), "{p}");
            assert!(text.len() > 200, "{p}");
            assert_eq!(p.to_string().parse::<InboundAuth>().unwrap(), p);
        }
    }
}
