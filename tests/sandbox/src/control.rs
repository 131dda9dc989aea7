//! Test-only endpoints under `/_sandbox/`: read and reset state, set faults and stock, fire call points.

use crate::callback;
use crate::faults::Faults;
use crate::inventories::{inventory_json, OfferKey};
use crate::orders::order_json;
use crate::reference::store_json;
use crate::seed::{self, Seed};
use crate::state::{lock, AppState, Leftover, World};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// How many offers `GET /_sandbox/state` shows.
const STATE_SLICE: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_sandbox/state", get(state))
        .route("/_sandbox/inventories", get(inventories))
        .route("/_sandbox/orders/{external_id}", get(order))
        .route("/_sandbox/requests", get(requests).delete(clear_requests))
        .route("/_sandbox/requests/counts", get(counts))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/faults", get(faults).post(set_faults))
        .route("/_sandbox/stock", post(set_stock))
        .route("/_sandbox/callpoints/{call_point}", post(callback::fire))
        .route("/_sandbox/callbacks", get(callback::log))
        .route("/_sandbox/logo.svg", get(logo))
        .route("/_sandbox/image/{file}", get(image))
        .route("/_sandbox", any(unknown))
        .route("/_sandbox/{*rest}", any(unknown))
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
        .into_response()
}

/// Parses an optional JSON body (empty = defaults).
fn json_body<T: for<'de> Deserialize<'de> + Default>(body: &Bytes) -> Result<T, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice::<Option<T>>(body)
        .map(Option::unwrap_or_default)
        .map_err(|e| format!("invalid JSON body: {e}"))
}

async fn unknown(uri: Uri) -> Response {
    let error = json!({"error": format!("no test endpoint {}", uri.path())});
    (StatusCode::NOT_FOUND, Json(error)).into_response()
}

async fn state(State(state): State<AppState>) -> Json<Value> {
    let world = lock(&state.world);
    let inventories: Vec<Value> = (0..world.offers.len().min(STATE_SLICE))
        .map(|i| inventory_json(&world, i, true))
        .collect();
    Json(json!({
        "summary": {
            "sites": world.sites.len(), "stores": world.stores.len(),
            "productGroups": world.groups.len(), "products": world.products.len(),
            "offers": world.offers.len(), "orders": world.orders.len(),
            "modules": world.modules.len(), "requests": lock(&state.requests).len(),
        },
        "baseUrl": state.base_url,
        "sites": world.sites.iter().map(|s| &s.code).collect::<Vec<_>>(),
        "stores": world.stores.iter().map(store_json).collect::<Vec<_>>(),
        "module": world.warehouse_module().or_else(|| world.modules.values().next()),
        "modules": world.modules,
        "inventories": inventories,
        "faults": *lock(&state.faults),
        "rateLimit": lock(&state.limiter).rps,
    }))
}

/// `GET /_sandbox/inventories?externalId=a&externalId=b` (also `id=`, `xmlId=`, comma lists,
/// `site=`): the exact stock of those offers, per warehouse.
async fn inventories(State(state): State<AppState>, uri: Uri) -> Response {
    let query = crate::encoding::Params::parse(uri.query().unwrap_or("").as_bytes());
    let values = |name: &str| -> Vec<String> {
        query
            .list(&[name])
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut keys: Vec<OfferKey> = Vec::new();
    for id in values("id") {
        match id.parse() {
            Ok(id) => keys.push(OfferKey::Id(id)),
            Err(_) => return bad_request(format!("id '{id}' is not a number")),
        }
    }
    keys.extend(values("externalId").into_iter().map(OfferKey::ExternalId));
    keys.extend(values("xmlId").into_iter().map(OfferKey::XmlId));
    if keys.is_empty() {
        return bad_request("name offers with externalId=, xmlId= or id=");
    }
    let world = lock(&state.world);
    let site = query.get(&["site"]).and_then(|s| world.site_index(s));
    let (mut offers, mut not_found) = (Vec::new(), Vec::new());
    for key in keys {
        match find_any_site(&world, &key, site) {
            Some(i) => offers.push(inventory_json(&world, i, true)),
            None => not_found.push(key.to_json()),
        }
    }
    Json(json!({"offers": offers, "notFound": not_found})).into_response()
}

/// Finds an offer in `site`, or in any site when none is given.
fn find_any_site(world: &World, key: &OfferKey, site: Option<usize>) -> Option<usize> {
    match site {
        Some(s) => key.find(world, Some(s)),
        None => (0..world.sites.len()).find_map(|s| key.find(world, Some(s))),
    }
}

async fn order(State(state): State<AppState>, Path(external_id): Path<String>) -> Response {
    let world = lock(&state.world);
    match world.orders.iter().find(|o| o.external_id == external_id) {
        Some(order) => Json(json!({"order": order_json(&world, order)})).into_response(),
        None => {
            let error = json!({"error": format!("no order '{external_id}'")});
            (StatusCode::NOT_FOUND, Json(error)).into_response()
        }
    }
}

#[derive(Deserialize)]
struct RequestsQuery {
    limit: Option<usize>,
}

/// `GET /_sandbox/requests?limit=N`: the last N API calls (default all kept), oldest first.
async fn requests(State(state): State<AppState>, Query(q): Query<RequestsQuery>) -> Json<Value> {
    let log = lock(&state.requests);
    let skip = q.limit.map_or(0, |n| log.len().saturating_sub(n));
    Json(json!({"requests": log.iter().skip(skip).collect::<Vec<_>>()}))
}

/// `GET /_sandbox/requests/counts`: per `METHOD /path`, the calls received and answered (by status) since the last
/// clear, however many (the log above keeps only the last 1000).
async fn counts(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"counts": *lock(&state.counts)}))
}

/// Clears the log and the counters.
async fn clear_requests(State(state): State<AppState>) -> Json<Value> {
    lock(&state.requests).clear();
    lock(&state.counts).clear();
    Json(json!({"requests": []}))
}

/// Body of `POST /_sandbox/reset`; absent fields keep the values the sandbox was started with.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResetOptions {
    offers: Option<usize>,
    stores: Option<usize>,
    orders: Option<usize>,
    seed: Option<u64>,
    module: Option<bool>,
}

/// Back to the seed: new data, no logs, the start-up faults and rate limit.
async fn reset(State(state): State<AppState>, body: Bytes) -> Response {
    let options: ResetOptions = match json_body(&body) {
        Ok(o) => o,
        Err(error) => return bad_request(error),
    };
    let start = &state.config.seed;
    let seed = Seed {
        offers: options.offers.unwrap_or(start.offers),
        stores: options.stores.unwrap_or(start.stores),
        orders: options.orders.unwrap_or(start.orders),
        seed: options.seed.unwrap_or(start.seed),
        module: options.module.unwrap_or(start.module),
    };
    let fresh = seed::world(&seed, &state.base_url);
    *lock(&state.world) = fresh;
    *lock(&state.faults) = state.config.faults.clone();
    lock(&state.limiter).set_rps(state.config.rate_limit);
    lock(&state.requests).clear();
    lock(&state.counts).clear();
    lock(&state.callbacks).clear();
    let world = lock(&state.world);
    Json(json!({
        "reset": true, "offers": world.offers.len(), "stores": world.stores.len(),
        "orders": world.orders.len(), "module": !world.modules.is_empty(),
    }))
    .into_response()
}

async fn faults(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"faults": *lock(&state.faults), "rateLimit": lock(&state.limiter).rps}))
}

/// Body of `POST /_sandbox/faults`; absent fields stay as they are.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct FaultsPatch {
    latency_ms: Option<u64>,
    jitter_ms: Option<u64>,
    fail_503_share: Option<f64>,
    drop_share: Option<f64>,
    rate_limit: Option<u32>,
}

async fn set_faults(State(state): State<AppState>, body: Bytes) -> Response {
    let patch: FaultsPatch = match json_body(&body) {
        Ok(p) => p,
        Err(error) => return bad_request(error),
    };
    let share_ok = |s: Option<f64>| s.is_none_or(|s| (0.0..=1.0).contains(&s));
    if !share_ok(patch.fail_503_share) || !share_ok(patch.drop_share) {
        return bad_request("shares must be between 0.0 and 1.0");
    }
    let faults = {
        let mut faults = lock(&state.faults);
        let current = faults.clone();
        *faults = Faults {
            latency_ms: patch.latency_ms.unwrap_or(current.latency_ms),
            jitter_ms: patch.jitter_ms.unwrap_or(current.jitter_ms),
            fail_503_share: patch.fail_503_share.unwrap_or(current.fail_503_share),
            drop_share: patch.drop_share.unwrap_or(current.drop_share),
        };
        faults.clone()
    };
    if let Some(rps) = patch.rate_limit {
        lock(&state.limiter).set_rps(rps);
    }
    Json(json!({"faults": faults, "rateLimit": lock(&state.limiter).rps})).into_response()
}

/// Body of `POST /_sandbox/stock`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StockBody {
    site: Option<String>,
    offers: Vec<serde_json::Map<String, Value>>,
}

/// Sets stock exactly as given (no `available`-type rounding): `{"offers": [{"externalId": ...,
/// "stores": [{"code": "main", "quantity": 5, "purchasePrice": 10}]}]}` (`available` also read);
/// a `null` quantity removes the warehouse entry.
async fn set_stock(State(state): State<AppState>, body: Bytes) -> Response {
    let request: StockBody = match json_body(&body) {
        Ok(r) => r,
        Err(error) => return bad_request(error),
    };
    let mut world = lock(&state.world);
    let site = match request.site.as_deref() {
        None => None,
        Some(code) => match world.site_index(code) {
            Some(s) => Some(s),
            None => return bad_request(format!("unknown site '{code}'")),
        },
    };
    let mut changes = Vec::new();
    let mut not_found = Vec::new();
    for (i, offer) in request.offers.iter().enumerate() {
        let Some(key) = OfferKey::of(offer) else {
            return bad_request(format!("offers[{i}] needs id, externalId or xmlId"));
        };
        let Some(index) = find_any_site(&world, &key, site) else {
            not_found.push(key.to_json());
            continue;
        };
        let stores = offer
            .get("stores")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (j, item) in stores.iter().enumerate() {
            let code = item
                .get("code")
                .or_else(|| item.get("store"))
                .and_then(Value::as_str);
            let Some(store) = code.and_then(|c| world.store_index(c)) else {
                return bad_request(format!("offers[{i}].stores[{j}]: unknown or missing code"));
            };
            let quantity = item.get("quantity").or_else(|| item.get("available"));
            let leftover = match quantity {
                Some(Value::Null) => None,
                other => Some(Leftover {
                    quantity: other.and_then(Value::as_f64).unwrap_or(0.0),
                    purchase_price: item.get("purchasePrice").and_then(Value::as_f64),
                }),
            };
            changes.push((index, store, leftover));
        }
    }
    let applied = changes.len();
    for (offer, store, leftover) in changes {
        world.offers[offer].stock[store] = leftover;
    }
    Json(json!({"applied": applied, "notFound": not_found})).into_response()
}

/// A small generated SVG picture for `{n}.svg` (an offer's images), its colour taken from `n`; 404 otherwise.
async fn image(Path(file): Path<String>) -> Response {
    let Some(n) = file
        .strip_suffix(".svg")
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return (StatusCode::NOT_FOUND, "no such image").into_response();
    };
    let hue = n.wrapping_mul(47) % 360;
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" rx="6" fill="hsl({hue},60%,55%)"/><text x="24" y="29" font-size="12" text-anchor="middle" fill="#fff">{n}</text></svg>"##
    );
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

/// A small SVG logo for the seeded module.
async fn logo() -> Response {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#2f6fde"/><path d="M14 26 32 16l18 10v22H14z" fill="#fff"/><rect x="26" y="34" width="12" height="14" fill="#2f6fde"/></svg>"##;
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}
