//! Helpers shared by the sandbox's integration tests: start it, call it over real HTTP.
#![allow(dead_code)] // each test binary uses a different subset

use crm_sandbox::{spawn, Config, Running};
use serde_json::Value;

pub const KEY: &str = "demo-key";

pub struct Sandbox {
    pub running: Running,
    pub http: reqwest::Client,
}

pub async fn start(config: Config) -> Sandbox {
    let running = spawn(config).await.expect("sandbox starts");
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    Sandbox { running, http }
}

pub async fn start_default() -> Sandbox {
    start(Config::for_tests()).await
}

async fn decode(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

impl Sandbox {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.url())
    }

    /// GET with the full key in `X-API-KEY`; `query` is appended as is (brackets unencoded).
    pub async fn get(&self, path_and_query: &str) -> (u16, Value) {
        self.get_with_key(path_and_query, Some(KEY)).await
    }

    pub async fn get_with_key(&self, path_and_query: &str, key: Option<&str>) -> (u16, Value) {
        let mut request = self.http.get(self.url(path_and_query));
        if let Some(key) = key {
            request = request.header("X-API-KEY", key);
        }
        decode(request.send().await.expect("send")).await
    }

    /// POST `application/x-www-form-urlencoded` with the full key in `X-API-KEY`.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        self.post_with_key(path, fields, Some(KEY)).await
    }

    pub async fn post_with_key(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        key: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self.http.post(self.url(path)).form(fields);
        if let Some(key) = key {
            request = request.header("X-API-KEY", key);
        }
        decode(request.send().await.expect("send")).await
    }

    /// POST a JSON body to a test-only endpoint.
    pub async fn control(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(self.url(path))
            .body(body.to_string())
            .send()
            .await
            .expect("send");
        decode(response).await
    }

    /// GET a test-only endpoint.
    pub async fn peek(&self, path: &str) -> Value {
        let response = self.http.get(self.url(path)).send().await.expect("send");
        decode(response).await.1
    }

    /// Per-warehouse stock of one offer, from `/_sandbox/inventories`.
    pub async fn stock(&self, external_id: &str) -> Value {
        let state = self
            .peek(&format!("/_sandbox/inventories?externalId={external_id}"))
            .await;
        state["offers"][0].clone()
    }

    /// Quantity of `store` in `offer` (None if the offer has no entry there).
    pub async fn quantity(&self, external_id: &str, store: &str) -> Option<f64> {
        let offer = self.stock(external_id).await;
        offer["stores"]
            .as_array()?
            .iter()
            .find(|s| s["store"] == store)
            .and_then(|s| s["quantity"].as_f64())
    }
}

/// The JSON array of `n` upload offers for externalIds `offer-000001...`.
pub fn offers_json(n: usize, store: &str, available: u32) -> String {
    let offers: Vec<Value> = (1..=n)
        .map(|i| {
            serde_json::json!({
                "externalId": format!("offer-{i:06}"),
                "stores": [{"code": store, "available": available}],
            })
        })
        .collect();
    Value::from(offers).to_string()
}
