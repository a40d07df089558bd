//! Rate limiting measured from the server's side: no sliding window ever holds more requests than
//! the budget, with many requests in flight, and the run finishes near the ceiling.

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

/// The same property with a small window (30 per 0.5 s): fast enough to run every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_window_is_never_exceeded_server_side() {
    let limit = RateLimit::new(30, Duration::from_millis(500)).unwrap();
    let r = run(120, 40, limit).await;
    eprintln!(
        "fast load: {} requests in {:?}, max {} in any {:?} window",
        r.total,
        r.elapsed,
        r.max_window,
        limit.window()
    );
    assert_eq!(r.total, 120);
    assert!(r.max_window <= 30, "window held {}", r.max_window);
    // 120 requests need 3 window turns at least; near the ceiling means not much more.
    assert!(r.elapsed >= Duration::from_millis(1500), "{:?}", r.elapsed);
    assert!(r.elapsed < Duration::from_millis(3500), "{:?}", r.elapsed);
    assert!(r.max_window >= 25, "the budget was used: {}", r.max_window);
}

/// Plivo's real budget: 1,000 requests through one client (and its clones) with 64 in flight stay
/// within 300 per any 5 s window as the server sees them. Takes about 15 s of real time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plivo_budget_300_per_5s_holds_for_1000_requests() {
    let limit = RateLimit::plivo_default();
    let r = run(1000, 64, limit).await;
    let overall = f64::from(u32::try_from(r.total).unwrap()) / r.elapsed.as_secs_f64();
    eprintln!(
        "plivo load: {} requests in {:.2?} ({overall:.1} req/s overall), max {} in any 5 s window",
        r.total, r.elapsed, r.max_window
    );
    assert_eq!(r.total, 1000);
    assert!(r.max_window <= 300, "window held {}", r.max_window);
    assert!(r.max_window >= 290, "the budget was used: {}", r.max_window);
    assert!(r.elapsed >= Duration::from_secs(15), "{:?}", r.elapsed);
    assert!(r.elapsed < Duration::from_secs(19), "{:?}", r.elapsed);
}
