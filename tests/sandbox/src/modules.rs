//! Integration modules: `GET /integration-modules/{code}` and `POST /integration-modules/{code}/edit`.

use crate::auth::{ApiCall, Scope};
use crate::error::{ApiError, ApiResult};
use crate::state::{lock, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

pub async fn get(
    State(state): State<AppState>,
    Path(code): Path<String>,
    call: ApiCall,
) -> ApiResult {
    call.require(Scope::IntegrationRead)?;
    let world = lock(&state.world);
    let module = world.modules.get(&code).ok_or_else(ApiError::not_found)?;
    Ok(Json(json!({"success": true, "integrationModule": module})).into_response())
}

/// Creates (201) or updates (200) a module. The body is kept as given, unknown fields included;
/// an update is merged into the stored module (objects merged, other values replaced).
pub async fn edit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    call: ApiCall,
) -> ApiResult {
    call.require(Scope::IntegrationWrite)?;
    let body = call.params.json_field("integrationModule")?;
    let Value::Object(body) = body else {
        return Err(ApiError::validation(
            json!({"integrationModule": "This value should be an object."}),
        ));
    };
    let mut errors = Map::new();
    check_types(&body, &mut errors);
    if let Some(body_code) = body.get("code").and_then(Value::as_str) {
        if body_code != code {
            errors.insert(
                "code".into(),
                format!("The code '{body_code}' differs from the code '{code}' in the URL.").into(),
            );
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(Value::Object(errors)));
    }
    let mut world = lock(&state.world);
    let existing = world.modules.get(&code).cloned();
    let created = existing.is_none();
    let mut module = existing.unwrap_or_else(|| {
        // Defaults of a new module; `active` defaulting to true is a sandbox choice (UNCONFIRMED).
        json!({"code": code, "active": true, "freeze": false, "native": false})
    });
    merge(&mut module, Value::Object(body));
    if module
        .get("integrationCode")
        .and_then(Value::as_str)
        .is_none()
    {
        module["integrationCode"] = Value::from(code.clone());
    }
    check_complete(&module, &code, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(Value::Object(errors)));
    }
    world.modules.insert(code, module);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    // `info` is an empty JSON array, as the PHP backend writes an empty object.
    Ok((status, Json(json!({"success": true, "info": []}))).into_response())
}

/// Field types of the entity as sent.
fn check_types(body: &Map<String, Value>, errors: &mut Map<String, Value>) {
    for field in [
        "code",
        "integrationCode",
        "name",
        "logo",
        "clientId",
        "baseUrl",
        "accountUrl",
    ] {
        if body.get(field).is_some_and(|v| !v.is_string()) {
            errors.insert(field.into(), "This value should be of type string.".into());
        }
    }
    for field in ["active", "freeze", "native"] {
        if body.get(field).is_some_and(|v| !v.is_boolean()) {
            errors.insert(field.into(), "This value should be of type bool.".into());
        }
    }
    for field in ["baseUrl", "accountUrl", "logo"] {
        if let Some(url) = body.get(field).and_then(Value::as_str) {
            if !url.is_empty() && !url.starts_with("http://") && !url.starts_with("https://") {
                errors.insert(field.into(), "This value is not a valid URL.".into());
            }
        }
    }
    match body.get("integrations") {
        None | Some(Value::Object(_)) => {}
        Some(Value::Array(a)) if a.is_empty() => {}
        Some(_) => {
            errors.insert(
                "integrations".into(),
                "This value should be an object.".into(),
            );
        }
    }
    let Some(actions) = body
        .get("integrations")
        .and_then(|i| i.pointer("/store/actions"))
    else {
        return;
    };
    let Some(actions) = actions.as_array() else {
        errors.insert(
            "integrations[store][actions]".into(),
            "This value should be of type array.".into(),
        );
        return;
    };
    for (i, action) in actions.iter().enumerate() {
        let at = format!("integrations[store][actions][{i}]");
        for field in ["code", "url"] {
            if is_blank(action.get(field)) {
                errors.insert(
                    format!("{at}[{field}]"),
                    "This value should not be blank.".into(),
                );
            }
        }
        let points_ok = action
            .get("callPoints")
            .is_none_or(|p| p.as_array().is_some_and(|a| a.iter().all(Value::is_string)));
        if !points_ok {
            errors.insert(
                format!("{at}[callPoints]"),
                "This value should be an array of strings.".into(),
            );
        }
    }
}

/// Rules on the merged module: required fields and the code prefix.
fn check_complete(module: &Value, code: &str, errors: &mut Map<String, Value>) {
    for field in ["name", "baseUrl", "clientId"] {
        if is_blank(module.get(field)) {
            errors.insert(field.into(), "This value should not be blank.".into());
        }
    }
    let prefix = module
        .get("integrationCode")
        .and_then(Value::as_str)
        .unwrap_or(code);
    if !code.starts_with(prefix) {
        // Message from the official PHP client's tests; the exact server rule is UNCONFIRMED.
        errors.insert(
            "code".into(),
            "Code prefix must match integrationCode".into(),
        );
    }
}

/// True unless `value` is a string with something other than spaces.
fn is_blank(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
}

/// Merges `patch` into `target`: objects key by key, everything else replaced.
fn merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                match target.get_mut(&key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, patch) => *target = patch,
    }
}
