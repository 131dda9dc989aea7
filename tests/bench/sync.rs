//! Benchmark of `warehouse-sync upload` against the crm-sandbox over HTTP: 100,000 offers x 5 warehouses at the
//! CRM's 10 requests/s with 200 ms latency. Prints the wall time of the command, the requests it sent (uploads and
//! the rest), the ratio to the floor (upload requests / 10 per second: 400 requests = 40 s) and the 503s.
//! Run: `cargo bench --bench sync` (the command is built with the bench profile too).

use std::process::{Command, Stdio};
use std::time::Instant;

use crm_sandbox::{Config, Faults, Seed};
use serde_json::Value;

const OFFERS: usize = 100_000;
const RATE: f64 = 10.0;
const KEY: &str = "bench-key";

fn main() {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return println!("no tokio runtime: {e}"),
    };
    let config = Config {
        api_key: KEY.into(),
        rate_limit: 0,
        seed: Seed {
            offers: OFFERS,
            stores: 5,
            orders: 10,
            ..Seed::default()
        },
        ..Config::for_tests()
    };
    let sandbox = match rt.block_on(crm_sandbox::spawn(config)) {
        Ok(s) => s,
        Err(e) => return println!("the sandbox did not start: {e}"),
    };
    let base = sandbox.url();
    let http = reqwest::Client::builder().no_proxy().build();
    let Ok(http) = http else {
        return println!("no HTTP client");
    };
    let call = |method: reqwest::Method, path: &str, body: Option<String>| -> Value {
        rt.block_on(async {
            let mut request = http
                .request(method, format!("{base}{path}"))
                .header("X-API-KEY", KEY)
                .header("content-type", "application/json");
            if let Some(body) = body {
                request = request.body(body);
            }
            match request.send().await {
                Ok(response) => serde_json::from_str(&response.text().await.unwrap_or_default())
                    .unwrap_or(Value::Null),
                Err(_) => Value::Null,
            }
        })
    };

    // The file: every offer of the account with a value in each of the 5 warehouses.
    let started = Instant::now();
    let mut text = String::from("externalId;site;main;north;south;pickup;archive\n");
    let mut rows = 0;
    for page in 1..=OFFERS.div_ceil(250) {
        let answer = call(
            reqwest::Method::GET,
            &format!("/api/v5/store/inventories?limit=250&page={page}"),
            None,
        );
        for o in answer["offers"].as_array().into_iter().flatten() {
            let (key, site) = (o["externalId"].as_str(), o["site"].as_str());
            if let (Some(key), Some(site)) = (key, site) {
                let q = rows * 7 % 100;
                text.push_str(&format!(
                    "{key};{site};{q};{};{};{};{}\n",
                    q / 2,
                    q % 10,
                    q % 2,
                    q / 3
                ));
                rows += 1;
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("warehouse-sync-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let (file, report) = (dir.join("stock.csv"), dir.join("report.json"));
    if std::fs::write(&file, &text).is_err() {
        return println!("cannot write {}", file.display());
    }
    println!(
        "{rows} offers x 5 warehouses ({} MB) written in {:.1} s; the sandbox now limits the key to {RATE} requests/s with 200 ms latency",
        text.len() / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    let faults = Faults {
        latency_ms: 200,
        ..Faults::default()
    };
    call(
        reqwest::Method::POST,
        "/_sandbox/faults",
        Some(format!(
            r#"{{"rateLimit": {RATE}, "latencyMs": {}}}"#,
            faults.latency_ms
        )),
    );
    call(reqwest::Method::DELETE, "/_sandbox/requests", None);

    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_warehouse-sync"))
        .args(["upload", &file.to_string_lossy(), "--account", &base])
        .args(["--report", &report.to_string_lossy(), "--state"])
        .arg(dir.join("sync.state"))
        .env("RETAILCRM_API_KEY", KEY)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let seconds = started.elapsed().as_secs_f64();
    let output = match output {
        Ok(o) => o,
        Err(e) => return println!("warehouse-sync did not run: {e}"),
    };
    let log = call(reqwest::Method::GET, "/_sandbox/requests", None);
    let requests: Vec<&Value> = log["requests"].as_array().into_iter().flatten().collect();
    let uploads = requests
        .iter()
        .filter(|r| r["path"] == "/api/v5/store/inventories/upload")
        .count();
    let answered_503 = requests.iter().filter(|r| r["status"] == 503).count();
    let floor = uploads as f64 / RATE;
    println!("{}", String::from_utf8_lossy(&output.stdout).trim_end());
    println!(
        "warehouse-sync upload: exit {}  {seconds:.1} s  requests {} ({uploads} uploads)  floor {floor:.1} s  ratio {:.3}  503s {answered_503}",
        output.status.code().unwrap_or(-1),
        requests.len(),
        seconds / floor
    );
    let _ = std::fs::remove_dir_all(&dir);
    drop(sandbox);
}
