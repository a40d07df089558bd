//! The call-path policy the INVITE checkers apply (`sip_guard`, `check-invite`): the
//! interconnect's own [`CallPolicy`] (`Interconnect::call_policy()`), with the checkers'
//! documented overrides on top.

use interconnect_core::interconnect::CallPolicy;
use sip_rules::{Acl, Policy};

/// The overrides a checker's flags apply to the interconnect's policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--source-any`: any source address instead of the interconnect's source blocks.
    pub source_any: bool,
    /// `--require-telephone-event`: an offer without telephone-event (RFC 4733) is refused.
    pub require_telephone_event: bool,
    /// No `--number` given: any Request-URI number is taken, not only the routed ones.
    pub any_number: bool,
}

/// The `sip-rules` policy of `call_policy` with `overrides` applied.
pub fn policy(call_policy: &CallPolicy, overrides: Overrides) -> Policy<'_> {
    let mut policy = call_policy.policy();
    if overrides.any_number {
        policy = policy.with_any_number();
    }
    if overrides.source_any {
        policy = policy.with_acl(Acl::Any);
    }
    policy.require_telephone_event(overrides.require_telephone_event)
}
