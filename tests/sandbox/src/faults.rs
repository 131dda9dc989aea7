//! Fault injection on `/api/`: added latency (fixed + jitter), a share of 503s, a share of dropped connections.

use crate::error::ApiError;
use crate::state::{lock, AppState};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::time::Duration;

/// Fault settings; changeable at run time through `POST /_sandbox/faults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Faults {
    /// Fixed delay added to every API call, in milliseconds.
    pub latency_ms: u64,
    /// Extra random delay in `0..=jitter_ms`.
    pub jitter_ms: u64,
    /// Share (0.0..=1.0) of API calls answered with 503.
    pub fail_503_share: f64,
    /// Share (0.0..=1.0) of API calls whose connection is dropped without a complete answer.
    pub drop_share: f64,
}

/// Marks a response whose connection fault injection dropped (for the request log).
#[derive(Debug, Clone, Copy)]
pub struct Dropped;

/// Middleware for the `/api` routes.
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let faults = lock(&state.faults).clone();
    let (jitter, drop, fail) = {
        let mut dice = lock(&state.dice);
        (
            dice.below(faults.jitter_ms.saturating_add(1)),
            dice.chance(faults.drop_share),
            dice.chance(faults.fail_503_share),
        )
    };
    let delay = faults.latency_ms.saturating_add(jitter);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if drop {
        return dropped();
    }
    if fail {
        // The body text of a real 503 is UNCONFIRMED; clients must rely on the status.
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service temporarily unavailable",
        )
        .into_response();
    }
    next.run(request).await
}

/// A response whose body fails at once: hyper aborts the connection, the client sees it cut.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by fault injection",
        ))
    });
    let mut response = Response::new(Body::from_stream(failing));
    response.extensions_mut().insert(Dropped);
    response
}
