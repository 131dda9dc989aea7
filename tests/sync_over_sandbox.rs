//! `warehouse-sync` as cron runs it, against the crm-sandbox over HTTP: a 3,000-offer file ends with the sandbox
//! equal to the file (also under 503s and dropped connections), a killed run resumed with `--state` sends nothing
//! the state holds as sent, bad input sends nothing, each exit code, and the key never in any output.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crm_sandbox::{Config, Faults, Running, Seed};
use serde_json::{json, Value};

const KEY: &str = "sync-test-key-7f3a9c";
const LIMITED: &str = "sync-limited-key-51e0";

/// A sandbox of 3,000 offers with its own runtime, and an HTTP client for its test endpoints.
struct Crm {
    rt: tokio::runtime::Runtime,
    sandbox: Option<Running>,
    base: String,
    http: reqwest::Client,
}

impl Drop for Crm {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.rt.block_on(sandbox.shutdown());
        }
    }
}

impl Crm {
    fn start(faults: Faults) -> Crm {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let config = Config {
            api_key: KEY.into(),
            limited_key: Some(LIMITED.into()),
            rate_limit: 10,
            faults,
            seed: Seed {
                offers: 3000,
                orders: 10,
                ..Seed::default()
            },
            ..Config::for_tests()
        };
        let sandbox = rt.block_on(crm_sandbox::spawn(config)).unwrap();
        let base = sandbox.url();
        Crm {
            rt,
            sandbox: Some(sandbox),
            base,
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.rt.block_on(async {
            let mut request = self
                .http
                .request(method, format!("{}{path}", self.base))
                .header("X-API-KEY", KEY);
            if let Some(body) = body {
                request = request
                    .header("content-type", "application/json")
                    .body(body.to_string());
            }
            let text = request.send().await.unwrap().text().await.unwrap();
            serde_json::from_str(&text).unwrap_or(Value::Null)
        })
    }

    fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None)
    }

    fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body))
    }

    /// Sets the faults and the rate limit (the sandbox's own reads go unlimited and unfaulted).
    fn faults(&self, patch: Value) {
        self.post("/_sandbox/faults", patch);
    }

    /// Every offer with its stock per warehouse: externalId -> (site, stores JSON).
    fn stock(&self) -> HashMap<String, (String, Vec<Value>)> {
        let saved = self.get("/_sandbox/faults");
        self.faults(json!({"rateLimit": 0, "fail503Share": 0.0, "dropShare": 0.0, "latencyMs": 0}));
        let mut all = HashMap::new();
        for page in 1..=12 {
            let answer = self.get(&format!(
                "/api/v5/store/inventories?limit=250&page={page}&filter%5Bdetails%5D=1"
            ));
            for o in answer["offers"].as_array().unwrap() {
                all.insert(
                    o["externalId"].as_str().unwrap().to_string(),
                    (
                        o["site"].as_str().unwrap().to_string(),
                        o["stores"].as_array().cloned().unwrap_or_default(),
                    ),
                );
            }
        }
        let mut restore = saved["faults"].clone();
        restore["rateLimit"] = saved["rateLimit"].clone();
        self.faults(restore);
        assert_eq!(all.len(), 3000);
        all
    }

    /// The upload requests of the request log: (status, offers).
    fn uploads(&self) -> Vec<(u64, u64)> {
        self.get("/_sandbox/requests")["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["path"] == "/api/v5/store/inventories/upload")
            .map(|r| {
                (
                    r["status"].as_u64().unwrap(),
                    r["offers"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    }
}

/// What the file says of one offer: main, north, south quantities and main's purchase price.
type Values = (u64, u64, u64, f64);

/// A stock file of every offer (quantities from 1000, so no seeded value equals them by chance).
fn stock_file(crm: &Crm, dir: &Path) -> (PathBuf, HashMap<String, Values>) {
    let mut offers: Vec<(String, String)> = crm
        .stock()
        .into_iter()
        .map(|(k, (site, _))| (k, site))
        .collect();
    offers.sort();
    let mut text = String::from("externalId;site;main;north;south;main:purchasePrice\n");
    let mut values = HashMap::new();
    for (i, (key, site)) in offers.iter().enumerate() {
        let v = (
            1000 + (i * 7 % 900) as u64,
            1000 + (i * 13 % 500) as u64,
            1000 + (i % 3) as u64,
            10.5 + (i % 40) as f64,
        );
        text.push_str(&format!(
            "{key};{site};{};{};{};{}\n",
            v.0,
            v.1,
            v.2,
            v.3.to_string().replace('.', ",")
        ));
        values.insert(key.clone(), v);
    }
    let path = dir.join("stock.csv");
    std::fs::write(&path, text).unwrap();
    (path, values)
}

fn quantity(stores: &[Value], code: &str) -> Option<f64> {
    stores
        .iter()
        .find(|s| s["store"] == code)
        .and_then(|s| s["quantity"].as_f64())
}

fn price(stores: &[Value], code: &str) -> Option<f64> {
    stores
        .iter()
        .find(|s| s["store"] == code)
        .and_then(|s| s["purchasePrice"].as_f64())
}

/// Whether the sandbox holds exactly what the file says of this offer.
fn equals_file(stores: &[Value], v: &Values) -> bool {
    quantity(stores, "main") == Some(v.0 as f64)
        && quantity(stores, "north") == Some(v.1 as f64)
        && quantity(stores, "south") == Some(v.2 as f64)
        && price(stores, "main") == Some(v.3)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warehouse-sync-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sync(key: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_warehouse-sync"));
    command
        .args(args)
        .env("RETAILCRM_API_KEY", key)
        .env("NO_PROXY", "*")
        .stdin(Stdio::null());
    command
}

/// Runs the command; checks the key is in none of its output.
fn run(key: &str, args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = sync(key, args).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    );
    for secret in [KEY, LIMITED] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "the key in the output:\n{stdout}\n{stderr}"
        );
    }
    (status.code().unwrap_or(-1), stdout, stderr)
}

fn assert_no_key_in(paths: &[PathBuf]) {
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        assert!(!text.contains(KEY), "the key in {}", path.display());
    }
}

fn upload_args<'a>(crm: &'a Crm, file: &'a Path, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "upload",
        file.to_str().unwrap(),
        "--account",
        crm.base.as_str(),
    ];
    args.extend_from_slice(more);
    args
}

#[test]
fn a_file_of_3000_offers_ends_with_the_crm_equal_to_it() {
    let crm = Crm::start(Faults::default());
    let dir = temp_dir("whole");
    let (file, values) = stock_file(&crm, &dir);
    let report = dir.join("report.json");
    let (code, stdout, stderr) = run(
        KEY,
        &upload_args(&crm, &file, &["--report", report.to_str().unwrap()]),
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("3000 offers in 13 chunks; 3000 processed, 0 not found, 0 chunks failed"),
        "{stdout}"
    );
    assert!(
        stderr.contains("uploading 13/13 chunks"),
        "plain progress lines off a terminal: {stderr}"
    );
    let stock = crm.stock();
    let differing: Vec<&String> = values
        .iter()
        .filter(|(k, v)| !equals_file(&stock[*k].1, v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty(),
        "{} offers differ, e.g. {:?}",
        differing.len(),
        differing.first()
    );
    let report_json: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report_json["run"]["exitCode"], 0);
    assert_eq!(report_json["offers"].as_array().unwrap().len(), 3000);
    assert_eq!(report_json["progress"]["processed"], 3000);
    assert_eq!(crm.uploads().iter().map(|(_, n)| n).sum::<u64>(), 3000);
    assert_no_key_in(&[report]);

    // Again with --only-changed: the CRM already equals the file, so nothing is sent.
    let before = crm.uploads().len();
    let (code, stdout, _) = run(KEY, &upload_args(&crm, &file, &["--only-changed"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("0 change, 3000 unchanged"), "{stdout}");
    assert!(stdout.contains("stock.csv: nothing to send"), "{stdout}");
    assert_eq!(crm.uploads().len(), before, "nothing sent");

    // Someone changes three offers in the CRM: --only-changed sends those three and nothing else.
    let mut keys: Vec<&String> = values.keys().collect();
    keys.sort();
    let changed: Vec<Value> = keys[..3]
        .iter()
        .map(|k| json!({"externalId": k, "stores": [{"code": "north", "quantity": 1}]}))
        .collect();
    crm.post("/_sandbox/stock", json!({ "offers": changed }));
    crm.call(reqwest::Method::DELETE, "/_sandbox/requests", None);
    let (code, stdout, _) = run(KEY, &upload_args(&crm, &file, &["--only-changed"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("3 change, 2997 unchanged"), "{stdout}");
    assert_eq!(crm.uploads().iter().map(|(_, n)| n).sum::<u64>(), 3);
    let reads = crm.get("/_sandbox/requests")["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/api/v5/store/inventories")
        .count();
    assert_eq!(
        reads, 12,
        "the cheaper read: 12 pages of the 3,000-offer account, not 3,000 keys in batches"
    );
    let stock = crm.stock();
    assert!(values.iter().all(|(k, v)| equals_file(&stock[k].1, v)));
}

#[test]
fn the_same_under_503s_and_dropped_connections() {
    let crm = Crm::start(Faults::default());
    let dir = temp_dir("faults");
    let (file, values) = stock_file(&crm, &dir);
    crm.faults(json!({"fail503Share": 0.2, "dropShare": 0.05}));
    let report = dir.join("report.json");
    let (code, stdout, stderr) = run(
        KEY,
        &upload_args(&crm, &file, &["--report", report.to_str().unwrap()]),
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let stock = crm.stock();
    assert!(values.iter().all(|(k, v)| equals_file(&stock[k].1, v)));
    let report_json: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let traffic = &report_json["run"]["traffic"];
    assert!(traffic["rateLimited"].as_u64().unwrap() > 0, "{traffic}");
    let failed_uploads = crm
        .uploads()
        .iter()
        .filter(|(status, _)| *status != 200)
        .count();
    assert!(failed_uploads > 0, "the faults hit uploads too");
}

#[test]
fn a_killed_run_resumed_with_its_state_sends_nothing_it_had_sent() {
    let crm = Crm::start(Faults {
        latency_ms: 400,
        ..Faults::default()
    });
    let dir = temp_dir("resume");
    let (file, values) = stock_file(&crm, &dir);
    crm.faults(json!({"latencyMs": 400}));
    let state = dir.join("sync.state");
    let args = upload_args(&crm, &file, &["--state", state.to_str().unwrap()]);
    let mut child = sync(KEY, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while crm.uploads().iter().filter(|(s, _)| *s == 200).count() < 4 {
        assert!(Instant::now() < deadline, "no uploads");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: nothing is saved on the way out.
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(600)); // Requests that reached the sandbox finish there.

    // Mark every offer the first run applied; the resumed run must leave alone those the state holds as sent.
    let applied: Vec<String> = {
        let stock = crm.stock();
        values
            .iter()
            .filter(|(k, v)| equals_file(&stock[*k].1, v))
            .map(|(k, _)| k.clone())
            .collect()
    };
    assert!(
        !applied.is_empty() && applied.len() < 3000,
        "{} applied",
        applied.len()
    );
    let marks: Vec<Value> = applied
        .iter()
        .map(|k| json!({"externalId": k, "stores": [{"code": "main", "quantity": 7}]}))
        .collect();
    crm.post("/_sandbox/stock", json!({"offers": marks}));
    crm.call(reqwest::Method::DELETE, "/_sandbox/requests", None);

    let (code, stdout, stderr) = run(KEY, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("resuming the interrupted run of stock.csv"),
        "{stderr}"
    );
    let stock = crm.stock();
    let kept: Vec<&String> = applied
        .iter()
        .filter(|k| quantity(&stock[*k].1, "main") == Some(7.0))
        .collect();
    for (k, v) in &values {
        let (main, rest) = (quantity(&stock[k].1, "main"), &stock[k].1);
        let marked = main == Some(7.0) && quantity(rest, "north") == Some(v.1 as f64);
        assert!(
            equals_file(rest, v) || marked,
            "{k} is neither the file's nor marked"
        );
    }
    assert!(!kept.is_empty(), "the state held no chunk as sent");
    let resent: u64 = crm
        .uploads()
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        resent,
        3000 - kept.len() as u64,
        "the resumed run sent exactly what the state did not hold as sent"
    );
    // Only chunks in flight at the kill (their answers lost) may have reached the CRM twice.
    let twice = applied.len() - kept.len();
    assert!(twice <= 8 * 250, "{twice} offers sent twice");
    eprintln!("killed after {} offers applied, {} held as sent, {twice} sent again (in flight at the kill)", applied.len(), kept.len());
    assert_no_key_in(&[
        state.clone(),
        PathBuf::from(format!("{}.plan", state.display())),
    ]);

    // The run is over: the next one with the same state starts afresh (and sends the whole file again).
    crm.call(reqwest::Method::DELETE, "/_sandbox/requests", None);
    let (code, _, stderr) = run(KEY, &args);
    assert_eq!(code, 0);
    assert!(!stderr.contains("resuming"), "{stderr}");
    assert_eq!(crm.uploads().iter().map(|(_, n)| n).sum::<u64>(), 3000);
}

#[test]
fn bad_input_sends_nothing_and_each_exit_code_means_one_thing() {
    let crm = Crm::start(Faults::default());
    let dir = temp_dir("codes");
    let path = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let s = |p: &Path| p.to_str().unwrap().to_string();

    // 1: a file with problems: each listed with its line and column, nothing sent.
    let bad = path("bad.csv", "externalId;site;main;north\noffer-000001;shop-a;5;x\noffer-000002;shop-a;-1;2\noffer-000001;shop-a;1;1\n");
    let report = dir.join("problems.json");
    let (code, stdout, stderr) = run(
        KEY,
        &upload_args(&crm, &bad, &["--report", report.to_str().unwrap()]),
    );
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("line 2, column 4 (north): «x»: Not a number"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3, column 3 (main): «-1»: Negative value"),
        "{stderr}"
    );
    assert!(stderr.contains("line 4, column 1 (externalId): «offer-000001»: The offer appears again (first on line 2)"), "{stderr}");
    assert!(stderr.contains("3 problems in bad.csv"), "{stderr}");
    let problems: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(problems["problems"].as_array().unwrap().len(), 3);

    // 1: a header that leaves the mapping a guess, and the same file with a profile that says what it means.
    let guess = path(
        "guess.csv",
        "ID;Артикул;site;main\n1;offer-000001;shop-a;5\n",
    );
    let (code, _, stderr) = run(KEY, &upload_args(&crm, &guess, &[]));
    assert_eq!(code, 1);
    assert!(stderr.contains("several columns could name the offer: column 1 «ID» as id, column 2 «Артикул» as externalId"), "{stderr}");
    let profile = path(
        "profile.json",
        r#"{"format":"warehouse-sync mapping 1","keys":[{"kind":"externalId","column":"артикул"}],"siteColumn":"Site","layout":"wide","columns":[{"column":"main","store":"main","field":"quantity"}]}"#,
    );
    // 1: a file that is not a table; an unknown report kind; a missing mapping file.
    let pdf = path("stock.pdf", "%PDF-1.7\n...");
    let (code, _, stderr) = run(KEY, &upload_args(&crm, &pdf, &[]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("stock.pdf: This is a PDF document, not a table"),
        "{stderr}"
    );
    assert_eq!(
        run(KEY, &upload_args(&crm, &bad, &["--report", "r.txt"])).0,
        1
    );
    assert_eq!(
        run(
            KEY,
            &upload_args(&crm, &bad, &["--mapping", "/no/such.json"])
        )
        .0,
        1
    );
    assert_eq!(
        run(KEY, &["upload", "--account", &crm.base]).0,
        1,
        "a missing argument"
    );
    assert!(
        crm.uploads().is_empty(),
        "invalid input sent nothing: {:?}",
        crm.uploads()
    );

    // 0, with the profile.
    let (code, stdout, stderr) = run(
        KEY,
        &upload_args(&crm, &guess, &["--mapping", &s(&profile)]),
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(crm.uploads(), vec![(200, 1)]);

    // 2: offers the CRM does not have, listed on stdout and in the report.
    let unknown = path(
        "unknown.csv",
        "externalId;site;main\noffer-000001;shop-a;3\nno-such-offer;shop-a;4\n",
    );
    let report = dir.join("report.csv");
    let (code, stdout, stderr) = run(
        KEY,
        &upload_args(&crm, &unknown, &["--report", report.to_str().unwrap()]),
    );
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("not found: line 3 externalId no-such-offer"),
        "{stdout}"
    );
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("3,no-such-offer,,,shop-a,not_found,"));

    // 3: a wrong key, a key without the right to upload, nothing listening; `check` says the same.
    let (code, _, stderr) = run("wrong-key", &upload_args(&crm, &unknown, &[]));
    assert_eq!(code, 3);
    assert!(stderr.contains("The API key is wrong"), "{stderr}");
    let (code, _, stderr) = run(LIMITED, &upload_args(&crm, &unknown, &[]));
    assert_eq!(code, 3);
    assert!(
        stderr.contains("the API key may not upload stock: it lacks store_write"),
        "{stderr}"
    );
    let (code, _, stderr) = run(
        KEY,
        &["upload", &s(&unknown), "--account", "http://127.0.0.1:9"],
    );
    assert_eq!(code, 3, "{stderr}");
    let (code, stdout, _) = run(LIMITED, &["check", "--account", &crm.base]);
    assert_eq!(code, 3);
    assert!(
        stdout.contains("upload stock         missing store_write"),
        "{stdout}"
    );
    let (code, stdout, _) = run(KEY, &["check", "--account", &crm.base]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("sites the key may use: shop-a, shop-b"),
        "{stdout}"
    );
    let (code, _, stderr) = run(" ", &["check", "--account", &crm.base]);
    assert_eq!(code, 3, "no key");
    assert!(stderr.contains("the API key is empty"), "{stderr}");

    // 4: another run holds the state.
    let state = dir.join("busy.state");
    let _held = warehouse_panel::sync::state::StateLock::take(&state).unwrap();
    let (code, _, stderr) = run(KEY, &upload_args(&crm, &unknown, &["--state", &s(&state)]));
    assert_eq!(code, 4);
    assert!(
        stderr.contains("another warehouse-sync run holds"),
        "{stderr}"
    );

    // --dry-run prints the comparison and sends nothing.
    let before = crm.uploads().len();
    let (code, stdout, _) = run(KEY, &upload_args(&crm, &unknown, &["--dry-run"]));
    assert_eq!(code, 0);
    assert!(
        stdout
            .contains("2 offers, 0 change, 1 unchanged, 1 not in the CRM (dry run: nothing sent)"),
        "{stdout}"
    );
    assert_eq!(crm.uploads().len(), before);
}
