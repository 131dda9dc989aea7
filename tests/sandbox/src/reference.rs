//! Key check and reference data: `api-versions`, `credentials`, `system-info`, `reference/sites`, `reference/stores`,
//! `reference/statuses`.

use crate::auth::{ApiCall, Scope};
use crate::error::{ApiError, ApiResult};
use crate::state::{lock, AppState, Store};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

pub async fn api_versions(_call: ApiCall) -> Response {
    Json(json!({"success": true, "versions": ["3.0", "4.0", "5.0"]})).into_response()
}

pub async fn credentials(State(state): State<AppState>, call: ApiCall) -> Response {
    let scopes = call.key.scopes();
    let paths: Vec<&str> = scopes
        .iter()
        .flat_map(|s| s.paths().iter().copied())
        .collect();
    let sites: Vec<String> = lock(&state.world)
        .sites
        .iter()
        .map(|s| s.code.clone())
        .collect();
    Json(json!({
        "success": true,
        "scopes": scopes.iter().map(|s| s.name()).collect::<Vec<_>>(),
        "credentials": paths,
        "siteAccess": "access_full",
        "sitesAvailable": sites,
    }))
    .into_response()
}

pub async fn system_info(State(state): State<AppState>, _call: ApiCall) -> Response {
    Json(json!({
        "success": true,
        "systemVersion": concat!("crm-sandbox ", env!("CARGO_PKG_VERSION")),
        "publicUrl": state.base_url,
        "technicalUrl": state.base_url,
    }))
    .into_response()
}

pub async fn sites(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::ReferenceRead)?;
    let world = lock(&state.world);
    let sites: Map<String, Value> = world
        .sites
        .iter()
        .map(|s| {
            let site = json!({
                "code": s.code, "name": s.name, "url": s.url,
                "defaultForCrm": s.code == world.sites[0].code,
                "currency": "RUB", "countryIso": "RU",
            });
            (s.code.clone(), site)
        })
        .collect();
    Ok(Json(json!({"success": true, "sites": sites})).into_response())
}

pub async fn stores(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::ReferenceRead)?;
    let world = lock(&state.world);
    let stores: Vec<Value> = world.stores.iter().map(store_json).collect();
    Ok(Json(json!({"success": true, "stores": stores})).into_response())
}

/// An order status of the account: code, name, group, whether it is in use.
pub struct OrderStatus {
    pub code: &'static str,
    pub name: &'static str,
    pub group: &'static str,
    pub active: bool,
}

/// The order statuses, in their order (a default account's codes, with English names as a Simla.com account has).
pub const ORDER_STATUSES: [OrderStatus; 6] = [
    status("new", "New", "new", true),
    status(
        "availability-confirmed",
        "Availability confirmed",
        "approval",
        false,
    ),
    status("assembling", "Being assembled", "assembling", true),
    status("delivering", "Being delivered", "delivery", true),
    status("complete", "Complete", "complete", true),
    status("cancel-other", "Cancelled: other reason", "cancel", true),
];

const fn status(
    code: &'static str,
    name: &'static str,
    group: &'static str,
    active: bool,
) -> OrderStatus {
    OrderStatus {
        code,
        name,
        group,
        active,
    }
}

/// The group of status `code`, if the account has it.
pub fn status_group(code: &str) -> Option<&'static str> {
    ORDER_STATUSES
        .iter()
        .find(|s| s.code == code)
        .map(|s| s.group)
}

/// `GET /reference/statuses`: an object keyed by code, like `/reference/sites`, each `{name, code, active, ordering,
/// group}` ([PHP] `src/Model/Response/References/StatusesResponse.php`, `src/Model/Entity/References/Status.php`).
pub async fn statuses(call: ApiCall) -> ApiResult {
    call.require(Scope::ReferenceRead)?;
    let statuses: Map<String, Value> = ORDER_STATUSES
        .iter()
        .zip(1..)
        .map(|(s, n)| {
            let status = json!({
                "name": s.name, "code": s.code, "active": s.active,
                "ordering": n * 10, "group": s.group,
            });
            (s.code.to_string(), status)
        })
        .collect();
    Ok(Json(json!({"success": true, "statuses": statuses})).into_response())
}

pub fn store_json(store: &Store) -> Value {
    json!({
        "code": store.code,
        "name": store.name,
        "externalId": store.external_id,
        "type": store.kind,
        "inventoryType": store.inventory_type.as_str(),
        "active": store.active,
        "address": {"text": store.address},
        "phone": {},
    })
}

/// Unknown `/api/...` methods: 404, like the live CRM for `/api/v5/fake-method`.
pub async fn unknown_method(_call: ApiCall) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "API method not found")
}

/// A known path with the wrong HTTP method.
pub async fn wrong_http_method() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}
