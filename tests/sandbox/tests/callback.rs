//! The inventoriesUpload callback end to end: the sandbox fires a call point, the reference responder answers.

mod common;

use common::{start, Sandbox};
use crm_sandbox::{spawn_responder, Config, ResponderConfig, StockItem, StockTable};
use serde_json::{json, Value};
use std::time::Duration;

/// A responder whose table gives offer-000001 and offer-000003 fixed stock, everything else `*`.
async fn responder() -> crm_sandbox::Running {
    let item = |code: &str, available: f64, price: Option<f64>| StockItem {
        code: code.into(),
        available,
        purchase_price: price,
    };
    let stock: StockTable = [
        (
            "offer-000001".to_string(),
            vec![item("main", 11.0, Some(50.0)), item("pickup", 3.0, None)],
        ),
        ("offer-000003".to_string(), vec![item("south", 33.0, None)]),
        ("*".to_string(), vec![item("north", 2.0, None)]),
    ]
    .into_iter()
    .collect();
    spawn_responder(ResponderConfig {
        port: 0,
        stock,
        client_id: Some("client-7".into()),
        timeout_sleep: Duration::from_secs(2),
        ..ResponderConfig::default()
    })
    .await
    .expect("responder starts")
}

/// A sandbox without the demo module, then a module pointing at `responder`.
async fn sandbox_calling(responder: &crm_sandbox::Running, active: bool) -> Sandbox {
    let mut config = Config::for_tests();
    config.seed.module = false;
    config.callback_timeout = Duration::from_millis(400);
    let sb = start(config).await;
    let module = json!({
        "code": "wms-test", "integrationCode": "wms-test", "active": active, "name": "WMS",
        "clientId": "client-7", "baseUrl": responder.url(),
        "integrations": {"store": {"actions": [
            {"code": "inventoriesUpload", "url": "/callback/inventories", "callPoints": ["manual", "order_create"]}
        ]}}
    });
    let (status, _) = sb
        .post(
            "/api/v5/integration-modules/wms-test/edit",
            &[("integrationModule", &module.to_string())],
        )
        .await;
    assert_eq!(status, 201);
    sb
}

async fn fire(sb: &Sandbox, call_point: &str) -> Value {
    let body = json!({"offers": ["offer-000001", "offer-000002", "offer-000003"]});
    let (status, report) = sb
        .control(&format!("/_sandbox/callpoints/{call_point}"), body)
        .await;
    assert_eq!(status, 200);
    report
}

async fn set_mode(sb: &Sandbox, responder: &crm_sandbox::Running, mode: &str) {
    let response = sb
        .http
        .post(format!("{}/mode", responder.url()))
        .body(json!({ "mode": mode }).to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 200, "mode {mode}");
}

fn problems(report: &Value) -> Vec<String> {
    report["problems"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn ok_reply_is_applied_and_logged() {
    let responder = responder().await;
    let sb = sandbox_calling(&responder, true).await;
    let report = fire(&sb, "manual").await;
    assert_eq!(report["called"], true, "{report}");
    assert_eq!(report["status"], 200);
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(report["applied"], 3);
    assert_eq!(
        report["url"],
        format!("{}/callback/inventories", responder.url())
    );
    let sent: Value = serde_json::from_str(
        report["request"]["inventoriesUpload"]
            .as_str()
            .unwrap_or(""),
    )
    .expect("payload is JSON");
    assert_eq!(sent["offers"][0]["externalId"], "offer-000001");
    assert!(sent["offers"][0]["id"].is_u64() && sent["offers"][0]["site"].is_string());
    assert_eq!(sb.quantity("offer-000001", "main").await, Some(11.0));
    assert_eq!(
        sb.quantity("offer-000001", "pickup").await,
        Some(1.0),
        "available-type store"
    );
    assert_eq!(sb.quantity("offer-000003", "south").await, Some(33.0));
    assert_eq!(sb.quantity("offer-000002", "north").await, Some(2.0));
    let log = sb.peek("/_sandbox/callbacks").await;
    assert_eq!(log["callbacks"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn every_bad_reply_is_a_problem() {
    let responder = responder().await;
    let sb = sandbox_calling(&responder, true).await;
    let expectations = [
        ("wrong-shape", "success"),
        ("unknown-store", "unknown warehouse code 'no-such-store'"),
        ("status-500", "HTTP status 500"),
        ("timeout", "timeout"),
        ("missing-offers", "missing from the reply"),
    ];
    for (mode, expected) in expectations {
        set_mode(&sb, &responder, mode).await;
        let report = fire(&sb, "manual").await;
        let found = problems(&report);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{mode}: {found:?}"
        );
    }
    // The timeout is told apart from a bad reply.
    set_mode(&sb, &responder, "timeout").await;
    assert_eq!(fire(&sb, "manual").await["outcome"], "timeout");
    // The other spelling is accepted with warnings.
    set_mode(&sb, &responder, "legacy-spelling").await;
    let report = fire(&sb, "manual").await;
    assert_eq!(problems(&report), Vec::<String>::new());
    assert!(report["warnings"].as_array().is_some_and(|w| !w.is_empty()));
    assert_eq!(report["applied"], 3);
}

#[tokio::test]
async fn not_called_when_inactive_or_not_a_call_point() {
    let responder = responder().await;
    let sb = sandbox_calling(&responder, false).await;
    let report = fire(&sb, "manual").await;
    assert_eq!(report["called"], false);
    assert!(report["reason"]
        .as_str()
        .unwrap_or("")
        .contains("not active"));
    let activate = json!({"active": true}).to_string();
    sb.post(
        "/api/v5/integration-modules/wms-test/edit",
        &[("integrationModule", &activate)],
    )
    .await;
    let report = fire(&sb, "order_ship").await;
    assert_eq!(report["called"], false);
    assert!(report["reason"]
        .as_str()
        .unwrap_or("")
        .contains("order_ship"));
    let about: Value = sb
        .http
        .get(responder.url())
        .send()
        .await
        .expect("send")
        .json_or_text()
        .await;
    assert_eq!(about["calls"], 0, "the responder was never called");
}

#[tokio::test]
async fn the_seeded_module_calls_the_built_in_responder() {
    let sb = start(Config::for_tests()).await;
    let (status, report) = sb.control("/_sandbox/callpoints/manual", Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(report["outcome"], "ok", "{report}");
    assert_eq!(report["applied"], 10);
    assert_eq!(sb.quantity("offer-000004", "main").await, Some(25.0));
}

#[tokio::test]
async fn responder_sends_cors_headers_and_checks_client_id() {
    let responder = responder().await;
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let preflight = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/callback/inventories", responder.url()),
        )
        .header("Origin", "http://panel.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("send");
    assert_eq!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    let payload = json!({"offers": [{"externalId": "offer-000003"}]}).to_string();
    let reply: Value = http
        .post(format!("{}/callback/inventories?mode=ok", responder.url()))
        .form(&[
            ("clientId", "client-7"),
            ("inventoriesUpload", payload.as_str()),
        ])
        .send()
        .await
        .expect("send")
        .json_or_text()
        .await;
    assert_eq!(
        reply,
        json!({"success": true, "offers": [{"externalId": "offer-000003", "stores": [{"code": "south", "available": 33}]}]})
    );
    let refused = http
        .post(format!("{}/callback/inventories", responder.url()))
        .form(&[
            ("clientId", "someone-else"),
            ("inventoriesUpload", payload.as_str()),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status().as_u16(), 403);
}

/// Reads a body as JSON (or a JSON string when it is not JSON).
trait JsonOrText {
    async fn json_or_text(self) -> Value;
}

impl JsonOrText for reqwest::Response {
    async fn json_or_text(self) -> Value {
        let text = self.text().await.unwrap_or_default();
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }
}
