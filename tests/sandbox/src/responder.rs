//! The reference responder: a small WMS endpoint answering the `inventoriesUpload` callback from a stock table.

use crate::encoding::Params;
use crate::server::{serve, Running};
use crate::state::{lock, num};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower_http::cors::{Any, CorsLayer};

/// How the responder answers; switchable at run time (`POST /mode`, or `?mode=` on a call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// A correct reply from the stock table.
    #[default]
    Ok,
    /// `success` as a string and `offers` as an object.
    WrongShape,
    /// A warehouse code the account does not have.
    UnknownStore,
    /// HTTP 500.
    #[serde(rename = "status-500")]
    #[value(name = "status-500")]
    Status500,
    /// Sleeps past the caller's timeout, then answers.
    Timeout,
    /// Leaves out half of the offers asked for (at least one).
    MissingOffers,
    /// The `{store, quantity}` spelling instead of `{code, available}`.
    LegacySpelling,
}

/// Stock of one offer in one warehouse, as the responder reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockItem {
    pub code: String,
    pub available: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_price: Option<f64>,
}

/// Offer externalId → stock per warehouse; the key `"*"` answers for any offer not listed.
pub type StockTable = BTreeMap<String, Vec<StockItem>>;

/// The table used when none is given: every offer gets the same stock in `main` and `north`.
pub fn default_stock() -> StockTable {
    let items = vec![
        StockItem {
            code: "main".into(),
            available: 25.0,
            purchase_price: Some(120.5),
        },
        StockItem {
            code: "north".into(),
            available: 4.0,
            purchase_price: None,
        },
    ];
    BTreeMap::from([("*".to_string(), items)])
}

/// Reads a stock table from a JSON file shaped like [`StockTable`].
pub fn load_stock(path: &Path) -> std::io::Result<StockTable> {
    let text = std::fs::read_to_string(path)?;
    serde_json::from_str(&text).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Settings of a responder.
#[derive(Debug, Clone)]
pub struct ResponderConfig {
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub stock: StockTable,
    pub mode: Mode,
    /// Form field holding the JSON payload (must match the sandbox's `--callback-field`).
    pub callback_field: String,
    /// When set, calls with another `clientId` get 403.
    pub client_id: Option<String>,
    /// How long `timeout` mode sleeps before answering.
    pub timeout_sleep: Duration,
}

impl Default for ResponderConfig {
    fn default() -> ResponderConfig {
        ResponderConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8090,
            stock: default_stock(),
            mode: Mode::Ok,
            callback_field: "inventoriesUpload".into(),
            client_id: None,
            timeout_sleep: Duration::from_secs(30),
        }
    }
}

#[derive(Debug)]
struct Responder {
    config: ResponderConfig,
    mode: Mutex<Mode>,
    calls: AtomicUsize,
}

type Shared = Arc<Responder>;

/// Starts a responder on its own port.
pub async fn spawn_responder(config: ResponderConfig) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(config.host, config.port)).await?;
    serve(listener, router(config))
}

/// The responder as a router (the sandbox also mounts one under `/_responder`).
pub fn router(config: ResponderConfig) -> Router {
    let shared = Arc::new(Responder {
        mode: Mutex::new(config.mode),
        config,
        calls: AtomicUsize::new(0),
    });
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any);
    Router::new()
        .route("/", get(about))
        .route("/mode", get(mode).post(set_mode))
        .fallback(answer)
        .layer(cors)
        .with_state(shared)
}

async fn about(State(shared): State<Shared>) -> Json<Value> {
    Json(json!({
        "name": "crm-sandbox reference responder",
        "about": "Answers the RetailCRM inventoriesUpload callback (POST, form fields clientId and a JSON payload) from a stock table. Any path other than / and /mode is the callback.",
        "mode": *lock(&shared.mode),
        "callbackField": shared.config.callback_field,
        "offersInTable": shared.config.stock.len(),
        "calls": shared.calls.load(Ordering::Relaxed),
    }))
}

async fn mode(State(shared): State<Shared>) -> Json<Value> {
    Json(json!({"mode": *lock(&shared.mode)}))
}

#[derive(Deserialize)]
struct ModeBody {
    mode: Mode,
}

/// `POST /mode` with `{"mode": "timeout"}` or `?mode=timeout`.
async fn set_mode(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let parsed = match query.get("mode") {
        Some(m) => serde_json::from_value::<Mode>(Value::from(m.as_str())),
        None => serde_json::from_slice::<ModeBody>(&body).map(|b| b.mode),
    };
    match parsed {
        Ok(mode) => {
            *lock(&shared.mode) = mode;
            Json(json!({"mode": mode})).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": format!("expected {{\"mode\": \"ok|wrong-shape|unknown-store|status-500|timeout|missing-offers|legacy-spelling\"}}: {e}")})),
        )
            .into_response(),
    }
}

/// The callback itself, on any other path.
async fn answer(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.calls.fetch_add(1, Ordering::Relaxed);
    let mut params = Params::parse(uri.query().unwrap_or("").as_bytes());
    let is_form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        params.extend(&body);
    }
    let mode = params
        .get(&["mode"])
        .and_then(|m| serde_json::from_value::<Mode>(Value::from(m)).ok())
        .unwrap_or_else(|| *lock(&shared.mode));
    let fail = |status: StatusCode, msg: String| {
        (status, Json(json!({"success": false, "errorMsg": msg}))).into_response()
    };
    if let Some(expected) = &shared.config.client_id {
        if params.get(&["clientId"]) != Some(expected.as_str()) {
            return fail(StatusCode::FORBIDDEN, "Unknown clientId".into());
        }
    }
    let field = shared.config.callback_field.as_str();
    let payload = match params.get(&[field]).map(serde_json::from_str::<Value>) {
        Some(Ok(payload)) => payload,
        Some(Err(e)) => {
            return fail(
                StatusCode::BAD_REQUEST,
                format!("'{field}' is not JSON: {e}"),
            )
        }
        None => {
            return fail(
                StatusCode::BAD_REQUEST,
                format!("Parameter '{field}' is missing"),
            )
        }
    };
    let asked: Vec<Value> = payload
        .get("offers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if mode == Mode::Status500 {
        return fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error (responder mode status-500)".into(),
        );
    }
    if mode == Mode::Timeout {
        tokio::time::sleep(shared.config.timeout_sleep).await;
    }
    Json(reply(&shared.config.stock, &asked, mode)).into_response()
}

/// Builds the reply for the offers asked for.
fn reply(stock: &StockTable, asked: &[Value], mode: Mode) -> Value {
    let keep = match mode {
        Mode::MissingOffers => asked.len() / 2,
        _ => asked.len(),
    };
    let offers: Vec<Value> = asked
        .iter()
        .take(keep)
        .filter_map(|offer| {
            let external_id = offer.get("externalId").and_then(Value::as_str);
            let items = external_id
                .and_then(|e| stock.get(e))
                .or_else(|| stock.get("*"))?;
            let stores: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, item)| store_json(item, i, mode))
                .collect();
            let mut reply = json!({ "stores": stores });
            match external_id {
                Some(e) => reply["externalId"] = Value::from(e),
                None => {
                    for key in ["id", "xmlId"] {
                        if let Some(v) = offer.get(key) {
                            reply[key] = v.clone();
                        }
                    }
                }
            }
            Some(reply)
        })
        .collect();
    if mode == Mode::WrongShape {
        return json!({"success": "yes", "offers": {"count": offers.len()}});
    }
    json!({"success": true, "offers": offers})
}

fn store_json(item: &StockItem, index: usize, mode: Mode) -> Value {
    let code = if mode == Mode::UnknownStore && index == 0 {
        "no-such-store"
    } else {
        item.code.as_str()
    };
    let mut value = if mode == Mode::LegacySpelling {
        json!({"store": code, "quantity": num(item.available)})
    } else {
        json!({"code": code, "available": num(item.available)})
    };
    if let Some(price) = item.purchase_price {
        value["purchasePrice"] = num(price);
    }
    value
}
