//! Shared set-up: a Plivo sandbox, an in-memory WeHostVoIP and the runbook's interconnect.

use std::time::Duration;

use interconnect_core::interconnect::{Interconnect, InterconnectBuilder};
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{InboundAuth, Sbc};
use plivo_client::sandbox::Sandbox;
use plivo_client::{PlivoClient, RetryPolicy};
use wehostvoip_client::{InMemory, Subscriber, WeHostVoip, World};

pub const TENANT: &str = "acme.hobot.wehostvoip.io";
pub const NUMBER: &str = "+14155550123";
pub const EXTENSION: &str = "1001";

/// A sandbox with the runbook's number rented, and a client tuned for tests: short timeout,
/// fast retries.
pub async fn sandbox() -> Sandbox {
    let sandbox = Sandbox::builder()
        .response_hold(Duration::from_secs(5))
        .start()
        .await;
    sandbox.add_account_number(NUMBER).expect("seed number");
    sandbox
}

pub fn client(sandbox: &Sandbox) -> PlivoClient {
    sandbox
        .client_builder()
        .timeout(Duration::from_millis(400))
        .retry(
            RetryPolicy::default()
                .min_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

pub fn world() -> World {
    let mut world = World::new();
    let tenant = TENANT.parse().expect("tenant");
    world.add_tenant(tenant).expect("add tenant");
    world
        .add_subscriber(
            &TENANT.parse().expect("tenant"),
            Subscriber::new(EXTENSION.parse().expect("extension")),
        )
        .expect("add subscriber");
    world
}

/// The runbook's inputs on the US SBC (no inbound-auth policy set: the default applies).
pub fn builder(plivo: PlivoClient, backend: Box<dyn WeHostVoip>) -> InterconnectBuilder {
    Interconnect::builder()
        .plivo(plivo)
        .wehostvoip(backend)
        .resolver(StaticResolver::shared_sbcs())
        .sbc(Sbc::preset("us").expect("us preset").clone())
        .tenant(TENANT)
        .caller_id(NUMBER.parse().expect("caller id"))
        .number(NUMBER.parse().expect("number"), EXTENSION)
        .country("US")
}

/// The runbook's interconnect on the US SBC, with `policy` for inbound authorization.
pub fn interconnect(sandbox: &Sandbox, backend: InMemory, policy: InboundAuth) -> Interconnect {
    builder(client(sandbox), Box::new(backend))
        .inbound_auth(policy)
        .build()
        .expect("valid interconnect")
}

/// Counts of requests by method.
pub fn count(sandbox: &Sandbox, method: &str) -> usize {
    sandbox
        .requests()
        .iter()
        .filter(|r| r.method == method)
        .count()
}
