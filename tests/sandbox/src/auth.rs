//! API keys and their scopes, and the `ApiCall` extractor: parameters, key check and rate limit of a call.

use crate::encoding::Params;
use crate::error::ApiError;
use crate::state::{lock, AppState};
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};

/// Largest form body read (a 250-offer upload with many warehouses is far below this).
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Which configured key a call used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `--api-key`: every scope.
    Full,
    /// `--limited-key`: no store write, no order write (to test the panel's rights check).
    Limited,
}

/// Rights of a key. `integration_*`, `order_read` and `reference_read` appear in official client
/// tests; `store_read`, `store_write` and `order_write` are UNCONFIRMED names (no public source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    IntegrationRead,
    IntegrationWrite,
    ReferenceRead,
    StoreRead,
    StoreWrite,
    OrderRead,
    OrderWrite,
}

impl Scope {
    const ALL: [Scope; 7] = [
        Scope::IntegrationRead,
        Scope::IntegrationWrite,
        Scope::ReferenceRead,
        Scope::StoreRead,
        Scope::StoreWrite,
        Scope::OrderRead,
        Scope::OrderWrite,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scope::IntegrationRead => "integration_read",
            Scope::IntegrationWrite => "integration_write",
            Scope::ReferenceRead => "reference_read",
            Scope::StoreRead => "store_read",
            Scope::StoreWrite => "store_write",
            Scope::OrderRead => "order_read",
            Scope::OrderWrite => "order_write",
        }
    }

    /// The method paths of the deprecated `credentials` list that this scope opens.
    pub fn paths(self) -> &'static [&'static str] {
        match self {
            Scope::IntegrationRead => &["/api/integration-modules/{code}"],
            Scope::IntegrationWrite => &["/api/integration-modules/{code}/edit"],
            Scope::ReferenceRead => &[
                "/api/reference/sites",
                "/api/reference/stores",
                "/api/reference/statuses",
            ],
            Scope::StoreRead => &[
                "/api/store/inventories",
                "/api/store/product-groups",
                "/api/store/products",
                "/api/store/products/properties",
            ],
            Scope::StoreWrite => &["/api/store/inventories/upload"],
            Scope::OrderRead => &["/api/orders", "/api/orders/{externalId}"],
            Scope::OrderWrite => &["/api/orders/{externalId}/edit"],
        }
    }
}

impl KeyKind {
    pub fn scopes(self) -> Vec<Scope> {
        Scope::ALL
            .into_iter()
            .filter(|s| {
                self == KeyKind::Full || !matches!(s, Scope::StoreWrite | Scope::OrderWrite)
            })
            .collect()
    }

    /// How the key is named in logs and rate-limit buckets (never the key itself).
    pub fn label(self) -> &'static str {
        match self {
            KeyKind::Full => "full",
            KeyKind::Limited => "limited",
        }
    }
}

/// One authenticated, rate-limited API call with its parameters (query string, then form body).
#[derive(Debug)]
pub struct ApiCall {
    pub key: KeyKind,
    pub params: Params,
}

impl ApiCall {
    /// `Access denied.` (403) unless the key has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.key.scopes().contains(&scope) {
            Ok(())
        } else {
            Err(ApiError::access_denied())
        }
    }
}

impl FromRequest<AppState> for ApiCall {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<ApiCall, ApiError> {
        let (parts, body) = request.into_parts();
        let mut params = Params::parse(parts.uri.query().unwrap_or("").as_bytes());
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let boundary = content_type
            .strip_prefix("multipart/form-data")
            .and_then(|rest| {
                rest.split(';')
                    .find_map(|p| p.trim().strip_prefix("boundary="))
            })
            .map(|b| b.trim_matches('"').to_string());
        let is_form = content_type.starts_with("application/x-www-form-urlencoded");
        if is_form || boundary.is_some() {
            let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large")
            })?;
            match &boundary {
                Some(boundary) => params.extend_multipart(&bytes, boundary),
                None => params.extend(&bytes),
            }
        }
        let header_key = parts
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let key = header_key.or_else(|| params.get(&["apiKey"]).map(str::to_string));
        let kind = match key.as_deref() {
            // The status of a missing key is UNCONFIRMED; 403 like a wrong key (observed live).
            None | Some("") => {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "\"apiKey\" is missing.",
                ))
            }
            Some(k) if k == state.config.api_key => KeyKind::Full,
            Some(k) if state.config.limited_key.as_deref() == Some(k) => KeyKind::Limited,
            Some(_) => {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "Wrong \"apiKey\" value.",
                ))
            }
        };
        if !lock(&state.limiter).allow(kind.label()) {
            // The 503 body text of the real limit is UNCONFIRMED; clients must rely on the status.
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Rate limit exceeded: too many requests per second for this API key",
            ));
        }
        Ok(ApiCall { key: kind, params })
    }
}
