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
    /// The most requests the server received in any 5 s window (Plivo allows 300).
    busiest_window: usize,
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
    let plan = ic.plan().await.expect("plan");
    ic.apply(&plan).await.expect("apply");
    let elapsed = started.elapsed();
    let log = sandbox.requests();
    let throttled = log.iter().filter(|r| r.status == Some(429)).count();
    // Server-side arrival times: the most requests inside any 5 s window.
    let window = Duration::from_secs(5);
    let times: Vec<Duration> = log.iter().map(|r| r.received).collect();
    let busiest_window = times
        .iter()
        .enumerate()
        .map(|(i, &t)| times[i..].iter().take_while(|&&u| u < t + window).count())
        .max()
        .unwrap_or(0);
    Run {
        requests: log.len(),
        throttled,
        elapsed,
        busiest_window,
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
        "bulk: {NUMBERS} numbers, {} requests in {:.1} s = {:.1} requests/s on average; busiest \
         5 s window {} requests = {:.1} requests/s (Plivo's limit: 300 per 5 s = 60/s); {} \
         answered 429",
        run.requests,
        run.elapsed.as_secs_f64(),
        run.requests as f64 / run.elapsed.as_secs_f64(),
        run.busiest_window,
        run.busiest_window as f64 / 5.0,
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
