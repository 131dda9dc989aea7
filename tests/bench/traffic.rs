//! Benchmark of the client's traffic control against the crm-sandbox over real HTTP: prints, per strategy, the
//! wall time, the achieved request rate, the busiest one-second window, the 503s provoked and the failures.
//! Run: `cargo bench --bench traffic`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use crm_sandbox::{Config, Faults};
use warehouse_panel::api::inventory::{InventoriesFilter, InventoriesRequest};
use warehouse_panel::api::native::native_client;
use warehouse_panel::api::{RetryReason, TrafficConfig, TrafficEvent};

const REQUESTS: u32 = 60;

struct Outcome {
    seconds: f64,
    ok: u32,
    failed: u32,
    server_503: u32,
    network_retries: u32,
    busiest_second: usize,
}

fn run(name: &str, traffic: TrafficConfig, faults: Faults, runtime: &tokio::runtime::Runtime) {
    let config = Config {
        rate_limit: 10,
        faults,
        ..Config::for_tests()
    };
    let key = config.api_key.clone();
    let sandbox = match runtime.block_on(crm_sandbox::spawn(config)) {
        Ok(s) => s,
        Err(e) => {
            println!("{name}: sandbox did not start: {e}");
            return;
        }
    };
    let responses = Rc::new(RefCell::new(Vec::<Instant>::new()));
    let (server_503, network_retries) = (Rc::new(RefCell::new(0)), Rc::new(RefCell::new(0)));
    let (r, s, n) = (
        responses.clone(),
        server_503.clone(),
        network_retries.clone(),
    );
    let client = match native_client(&sandbox.url(), &key, traffic) {
        Ok(c) => c,
        Err(e) => {
            println!("{name}: no HTTP client: {e}");
            return;
        }
    };
    let client = client.with_observer(move |e| match e {
        TrafficEvent::Responded { .. } => r.borrow_mut().push(Instant::now()),
        TrafficEvent::Retrying {
            reason: RetryReason::RateLimited { .. },
            ..
        } => *s.borrow_mut() += 1,
        TrafficEvent::Retrying { .. } => *n.borrow_mut() += 1,
        TrafficEvent::Throttled { .. } => {}
    });
    let start = Instant::now();
    let (mut ok, mut failed) = (0, 0);
    runtime.block_on(async {
        for page in 1..=REQUESTS {
            let request = InventoriesRequest {
                filter: InventoriesFilter {
                    details: Some(true),
                    ..Default::default()
                },
                page: Some(page % 10 + 1),
                limit: Some(20),
            };
            match client.inventories(&request).await {
                Ok(_) => ok += 1,
                Err(e) => {
                    failed += 1;
                    println!("  failed: {}", e.description());
                }
            }
        }
    });
    let times = responses.borrow();
    let busiest_second = times
        .iter()
        .map(|t0| {
            times
                .iter()
                .filter(|t| **t >= *t0 && t.duration_since(*t0).as_millis() < 1000)
                .count()
        })
        .max()
        .unwrap_or(0);
    let outcome = Outcome {
        seconds: start.elapsed().as_secs_f64(),
        ok,
        failed,
        server_503: *server_503.borrow(),
        network_retries: *network_retries.borrow(),
        busiest_second,
    };
    println!(
        "{name:<44} {:>6.2} s  {:>5.2} req/s  busiest 1 s: {:>3} responses  503s provoked/answered: {:>3}  network retries: {:>3}  ok {:>3}  failed {:>2}",
        outcome.seconds,
        f64::from(outcome.ok + outcome.failed) / outcome.seconds,
        outcome.busiest_second,
        outcome.server_503,
        outcome.network_retries,
        outcome.ok,
        outcome.failed,
    );
}

fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            println!("no tokio runtime: {e}");
            return;
        }
    };
    println!("{REQUESTS} inventories pages per strategy; the sandbox limits the key to 10 requests/s (503 above it)");
    let ours = TrafficConfig::default();
    let no_limiter = TrafficConfig {
        requests_per_second: 1000.0,
        burst: 1000,
        ..TrafficConfig::default()
    };
    run(
        "panel client (token bucket 10/s, burst 1)",
        ours.clone(),
        Faults::default(),
        &runtime,
    );
    run(
        "retry only, no client-side limiter",
        no_limiter,
        Faults::default(),
        &runtime,
    );
    let storm = Faults {
        latency_ms: 20,
        jitter_ms: 40,
        fail_503_share: 0.2,
        drop_share: 0.05,
    };
    run(
        "panel client, 20% 503 + 5% drops + jitter",
        ours,
        storm,
        &runtime,
    );
}
