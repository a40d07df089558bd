//! Rule tests: the RFC 4475 corpus, Plivo-shaped INVITEs with single faults, and property tests.

// Test and bench helpers panic on purpose: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

mod corpus;
mod foreign;
mod plivo;
mod props;
mod shapes_corpus;

/// The benchmark corpus, shared with the bench and the `instructions` example.
#[path = "../../benches/shapes/mod.rs"]
mod shapes;

use sip_rules::{Accepted, Header, Policy, Rejection, Status};

/// A valid inbound INVITE as a Plivo SBC sends it (see `data/PROVENANCE.md`).
pub(crate) const PLIVO_INVITE: &[u8] = include_bytes!("../data/plivo_invite.sip");

/// Runs `policy` over `msg` from a documentation source address with 64 header slots.
pub(crate) fn run<'a>(
    policy: &Policy<'_>,
    msg: &'a [u8],
) -> Result<Status<Accepted<'a>>, Rejection<'a>> {
    let mut headers = [Header::EMPTY; 64];
    policy.check("18.214.109.129".parse().unwrap(), msg, &mut headers)
}

/// The status of a rejection, or 200 for an accepted message, or 0 for `Partial`.
pub(crate) fn status(policy: &Policy<'_>, msg: &[u8]) -> u16 {
    match run(policy, msg) {
        Ok(Status::Complete(_)) => 200,
        Ok(Status::Partial) => 0,
        Err(e) => e.status(),
    }
}
