//! The log of recent API calls (method, path, query without the key, status, offers count, duration), and counters
//! of every call since the last clear (the log keeps only the last [`CAPACITY`]; long benchmarks count with these).

use crate::encoding::Params;
use crate::faults::Dropped;
use crate::state::{lock, push_bounded, AppState};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// How many calls the log keeps.
pub const CAPACITY: usize = 1000;

/// Set by handlers on their response: how many offers the call carried or returned.
#[derive(Debug, Clone, Copy)]
pub struct OfferCount(pub usize);

/// The calls of one `METHOD /path` since the last clear.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct RouteCount {
    /// Calls that reached the sandbox (a call whose client left before its answer counts here only).
    pub received: u64,
    /// Answered calls by HTTP status.
    pub status: BTreeMap<u16, u64>,
    /// Answered calls whose connection fault injection dropped.
    pub dropped: u64,
}

/// Counters per `METHOD /path`.
pub type Counts = BTreeMap<String, RouteCount>;

/// Middleware for the `/api` routes (outside fault injection, so injected faults are logged too).
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let route = format!("{method} {path}");
    lock(&state.counts)
        .entry(route.clone())
        .or_default()
        .received += 1;
    let query = Params::without_api_key(request.uri().query().unwrap_or(""));
    let started = Instant::now();
    let at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let response = next.run(request).await;
    let offers = response.extensions().get::<OfferCount>().map(|c| c.0);
    let dropped = response.extensions().get::<Dropped>().is_some();
    {
        let mut counts = lock(&state.counts);
        let count = counts.entry(route).or_default();
        *count.status.entry(response.status().as_u16()).or_default() += 1;
        count.dropped += u64::from(dropped);
    }
    let entry = json!({
        "at": at,
        "method": method,
        "path": path,
        "query": query,
        "status": response.status().as_u16(),
        "offers": offers,
        "dropped": dropped,
        "durationMs": started.elapsed().as_secs_f64() * 1000.0,
    });
    push_bounded(&state.requests, entry, CAPACITY);
    response
}
