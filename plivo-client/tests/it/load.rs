//! Rate limiting measured from the server's side: no sliding window ever holds more requests than
//! the budget, with many requests in flight. How fast the budget is used is measured by a
//! benchmark, and the limiter's timing by unit tests on tokio's paused clock (`ratelimit.rs`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use plivo_client::{PlivoClient, RateLimit, RetryPolicy};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::{AUTH_ID, TOKEN, fixture, server};

#[derive(Clone)]
struct Stamp {
    seen: Arc<Mutex<Vec<Instant>>>,
    body: serde_json::Value,
}

impl Respond for Stamp {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.seen.lock().unwrap().push(Instant::now());
        ResponseTemplate::new(200).set_body_json(self.body.clone())
    }
}

/// The most arrivals inside any window of length `window`.
fn max_in_window(times: &mut [Instant], window: Duration) -> usize {
    times.sort();
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi].duration_since(times[lo]) >= window {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

struct Report {
    total: usize,
    elapsed: Duration,
    max_window: usize,
}

async fn run(requests: usize, concurrency: usize, limit: RateLimit) -> Report {
    let server = server().await;
    let seen = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/Account/[A-Z0-9]+/Zentrunk/Trunk/\d+/$"))
        .respond_with(Stamp {
            seen: Arc::clone(&seen),
            body: fixture("cli_zentrunkTrunkGetResponse_prod.json"),
        })
        .expect(requests as u64)
        .mount(&server)
        .await;
    let client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::none())
        .rate_limit(limit)
        .build()
        .unwrap();
    let start = Instant::now();
    let results: Vec<_> = futures_util::stream::iter(0..requests)
        .map(|i| {
            // Clones share the limiter.
            let client = client.clone();
            async move { client.trunks().get(&i.to_string().as_str().into()).await }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let elapsed = start.elapsed();
    assert!(results.iter().all(Result::is_ok), "every request succeeded");
    let mut times = seen.lock().unwrap().clone();
    Report {
        total: times.len(),
        elapsed,
        max_window: max_in_window(&mut times, limit.window()),
    }
}

/// No window of the server's arrivals holds more requests than the budget, with many requests
/// in flight through one client and its clones. This holds exactly, not statistically: a slot
/// returns one window after its response arrived, so two arrivals on one slot are at least a
/// window apart. A 100 ms window keeps the test short; the 1,000-request run at Plivo's real
/// budget is a benchmark (`cargo bench -p interconnect-core --bench bulk`), not a test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_is_never_exceeded_server_side() {
    let limit = RateLimit::new(30, Duration::from_millis(100)).unwrap();
    let r = run(120, 40, limit).await;
    eprintln!(
        "load: {} requests in {:?}, max {} in any {:?} window",
        r.total,
        r.elapsed,
        r.max_window,
        limit.window()
    );
    assert_eq!(r.total, 120);
    assert!(r.max_window <= 30, "window held {}", r.max_window);
}
