//! Integration tests of plivo-client against loopback wiremock servers (one test binary).

#![allow(
    clippy::unwrap_used,
    clippy::missing_panics_doc,
    clippy::too_many_lines,
    reason = "test code: a panic is a test failure"
)]

mod calls;
mod errors;
mod fixtures;
mod load;
mod numbers;
mod resources;
mod secrets;
mod trunks;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use plivo_client::{PlivoClient, RateLimit, RetryPolicy, Sleeper};
use wiremock::matchers::{any, basic_auth, method, path};
use wiremock::{Match, Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// The test account id.
pub const AUTH_ID: &str = "MA0TESTACCOUNT0000001";
/// The test auth token (must never show up in output).
pub const TOKEN: &str = "tok-SECRET-9f8e7d6c5b4a";

/// The account prefix of every path.
pub fn account(path: &str) -> String {
    format!("/v1/Account/{AUTH_ID}/{path}")
}

/// Loads a fixture copied from the shared research folder (see tests/fixtures/PROVENANCE.md).
pub fn fixture(name: &str) -> serde_json::Value {
    let p = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A sleeper that records the delays and returns at once: retry tests never sleep.
#[derive(Debug, Default, Clone)]
pub struct RecordingSleeper(pub Arc<Mutex<Vec<Duration>>>);

impl Sleeper for RecordingSleeper {
    fn sleep(
        &self,
        delay: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(delay);
        Box::pin(async {})
    }
}

impl RecordingSleeper {
    /// The delays slept so far.
    pub fn delays(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// A deterministic retry policy that records its sleeps.
pub fn test_policy(sleeper: &RecordingSleeper) -> RetryPolicy {
    RetryPolicy::default()
        .jitter(false)
        .min_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(2))
        .max_retries(2)
        .sleeper(Arc::new(sleeper.clone()))
}

/// A client for `server` with a recording sleeper and a generous rate limit.
pub fn client_for(server: &MockServer) -> (PlivoClient, RecordingSleeper) {
    let sleeper = RecordingSleeper::default();
    let client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_secs(5))
        .retry(test_policy(&sleeper))
        .rate_limit(RateLimit::new(1000, Duration::from_millis(10)).unwrap())
        .build()
        .unwrap();
    (client, sleeper)
}

/// Starts a server with a catch-all (mounted at the lowest priority) naming any unexpected request.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|req: &Request| {
            ResponseTemplate::new(418).set_body_json(serde_json::json!({
                "error": format!("unexpected request: {} {}", req.method, req.url)
            }))
        })
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

/// A mock for `verb` on the account path `p` that also checks the Basic auth header.
pub fn on(verb: &str, p: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(account(p)))
        .and(basic_auth(AUTH_ID, TOKEN))
}

/// Matches the whole query string (as a set of pairs), not just some parameters.
#[derive(Debug)]
pub struct ExactQuery(pub Vec<(&'static str, String)>);

impl Match for ExactQuery {
    fn matches(&self, req: &Request) -> bool {
        let mut got: Vec<(String, String)> = req.url.query_pairs().into_owned().collect();
        let mut want: Vec<(String, String)> = self
            .0
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        got.sort();
        want.sort();
        got == want
    }
}

/// Shorthand for an exact query.
pub fn query(pairs: &[(&'static str, &str)]) -> ExactQuery {
    ExactQuery(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

/// The paging pairs of a first page.
pub fn first_page() -> [(&'static str, &'static str); 2] {
    [("limit", "20"), ("offset", "0")]
}
