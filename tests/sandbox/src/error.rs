//! The CRM's error body `{"success": false, "errorMsg": ..., "errors"?: ...}` with its HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// One failed API call, rendered as the CRM renders it.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub errors: Option<Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            errors: None,
        }
    }

    /// 400 `Errors in the entity format` with per-field messages (entity JSON fields).
    pub fn validation(errors: Value) -> ApiError {
        ApiError {
            errors: Some(errors),
            ..ApiError::new(StatusCode::BAD_REQUEST, "Errors in the entity format")
        }
    }

    /// 400 `Errors in the input parameters` with per-parameter messages (query/form scalars).
    pub fn input(errors: Value) -> ApiError {
        ApiError {
            errors: Some(errors),
            ..ApiError::new(StatusCode::BAD_REQUEST, "Errors in the input parameters")
        }
    }

    /// 400 `Parameter '<name>' is missing`.
    pub fn missing_parameter(name: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("Parameter '{name}' is missing"),
        )
    }

    /// 404 `Not found` (an entity that does not exist).
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "Not found")
    }

    /// 403 `Access denied.` (the key lacks the scope or the site).
    pub fn access_denied() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "Access denied.")
    }

    pub fn body(&self) -> Value {
        let mut body = json!({ "success": false, "errorMsg": self.message });
        if let Some(errors) = &self.errors {
            body["errors"] = errors.clone();
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// Result of an API handler.
pub type ApiResult<T = Response> = Result<T, ApiError>;
