#![allow(clippy::cast_precision_loss)] // request counts and rates, far below 2^52
//! Bulk: attach 1,000 Plivo numbers to the inbound trunk through the sandbox at Plivo's real
//! limit (300 requests per 5 s), and report requests per second and 429s.
//!
//! `cargo bench -p interconnect-core --bench bulk` (about 20 s per sample, 10 samples).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interconnect_core::interconnect::Interconnect;
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{E164, InboundAuth, Sbc};
use plivo_client::sandbox::Sandbox;
use wehostvoip_client::{InMemory, Subscriber, World};

const NUMBERS: u32 = 1_000;

/// What one first apply measured.
struct Run {
    requests: usize,
    throttled: usize,
    elapsed: Duration,
    /// Requests per second after the first 5 s window (the limiter's initial burst of 300).
    sustained: f64,
}

/// One first apply of a 1,000-number interconnect.
async fn first_apply() -> Run {
    let sandbox = Sandbox::start().await; // Plivo's real limit: 300 requests per 5 s.
    let numbers: Vec<E164> = (0..NUMBERS)
        .map(|i| format!("+1415550{i:04}").parse().expect("number"))
        .collect();
    for n in &numbers {
        sandbox.add_account_number(n.as_str()).expect("seed");
    }
    let plivo = sandbox.client_builder().build().expect("client");
    let tenant = "acme.hobot.wehostvoip.io";
    let mut world = World::new();
    world
        .add_tenant(tenant.parse().expect("tenant"))
        .expect("tenant");
    world
        .add_subscriber(
            &tenant.parse().expect("tenant"),
            Subscriber::new("1001".parse().expect("ext")),
        )
        .expect("subscriber");
    let mut builder = Interconnect::builder()
        .plivo(plivo)
        .wehostvoip(Box::new(InMemory::new(world)))
        .resolver(StaticResolver::shared_sbcs())
        .sbc(Sbc::preset("us").expect("preset").clone())
        .tenant(tenant)
        .caller_id(numbers[0].clone().into())
        .country("US")
        .inbound_auth(InboundAuth::PublishedRanges);
    for n in &numbers {
        builder = builder.number(n.clone(), "1001");
    }
    let ic = builder.build().expect("interconnect");
    sandbox.reset_log();
    let started = Instant::now();
    // Sample the server's request count every 50 ms while the apply runs.
    let work = async {
        let plan = ic.plan().await.expect("plan");
        ic.apply(&plan).await.expect("apply");
    };
    tokio::pin!(work);
    let mut samples: Vec<(Duration, usize)> = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    loop {
        tokio::select! {
            () = &mut work => break,
            _ = tick.tick() => samples.push((started.elapsed(), sandbox.requests().len())),
        }
    }
    let elapsed = started.elapsed();
    let log = sandbox.requests();
    let throttled = log.iter().filter(|r| r.status == Some(429)).count();
    let window = Duration::from_secs(5);
    let at_window = samples
        .iter()
        .find(|(t, _)| *t >= window)
        .copied()
        .unwrap_or((elapsed, log.len()));
    let sustained =
        (log.len() - at_window.1) as f64 / (elapsed.saturating_sub(at_window.0)).as_secs_f64();
    Run {
        requests: log.len(),
        throttled,
        elapsed,
        sustained,
    }
}

fn bulk(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let run = rt.block_on(first_apply());
    println!(
        "bulk: {NUMBERS} numbers, {} requests in {:.1} s = {:.1} requests/s on average, \
         {:.1} requests/s sustained after the first 5 s (Plivo's limit: 300 per 5 s = 60/s), \
         {} answered 429",
        run.requests,
        run.elapsed.as_secs_f64(),
        run.requests as f64 / run.elapsed.as_secs_f64(),
        run.sustained,
        run.throttled
    );
    assert_eq!(run.throttled, 0, "the client must never provoke a 429");
    let requests = run.requests;

    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(200));
    group.throughput(Throughput::Elements(requests as u64));
    group.bench_function("attach_1000_numbers_first_apply", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let run = rt.block_on(first_apply());
                assert_eq!(run.throttled, 0);
                total += black_box(run.elapsed);
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, bulk);
criterion_main!(benches);
