//! The interconnect the operator's inputs describe, built offline: for the tools that only
//! read its model (the call-path policy), never plan or apply it.

use interconnect_core::Interconnect;
use interconnect_core::sbc::StaticResolver;
use wehostvoip_client::{InMemory, World};

use crate::inputs::{InputError, Parsed};

/// The [`Interconnect`] of `parsed`, with the same builder steps as the main tool's
/// `session::build` but no account behind it: the Plivo client points at a closed local port
/// with a placeholder identity, WeHostVoIP is an empty in-memory tenant and names resolve to the
/// shared SBCs' last-known addresses (or the `--resolve` pins). Nothing is sent by building it.
pub fn interconnect(parsed: &Parsed) -> Result<Interconnect, InputError> {
    let plivo = plivo_client::PlivoClient::builder()
        .auth_id("OFFLINE")
        .auth_token("offline")
        .base_url("http://127.0.0.1:9/")
        .build()
        .map_err(|e| InputError::about("Plivo client", e))?;
    let mut resolver = StaticResolver::shared_sbcs();
    let host = parsed.sbc.host().clone();
    let pinned: Vec<_> = parsed
        .pins
        .iter()
        .filter(|(h, _)| *h == host)
        .map(|(_, ip)| *ip)
        .collect();
    if !pinned.is_empty() {
        resolver = StaticResolver::new().with(host, pinned);
    }
    let mut builder = Interconnect::builder()
        .plivo(plivo)
        .wehostvoip(Box::new(InMemory::new(World::new())))
        .resolver(resolver)
        .sbc(parsed.sbc.clone())
        .tenant(parsed.tenant.to_string())
        .caller_id(parsed.caller_id.clone())
        .country(parsed.country.clone())
        .inbound_auth(parsed.inbound_auth);
    if parsed.no_toll_free {
        builder = builder.allow_toll_free(false);
    }
    for (number, ext) in &parsed.routes {
        builder = builder.number(number.clone(), ext.clone());
    }
    builder
        .build()
        .map_err(|e| InputError::about("--number", e))
}
