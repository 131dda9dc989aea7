//! Key check and reference data: `api-versions`, `credentials`, `system-info`, `reference/sites`, `reference/stores`.

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
