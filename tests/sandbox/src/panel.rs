//! Serves the built panel (`dist/`) at `/` with a fallback to `index.html`, or a page saying how to build it.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Adds the panel as the fallback of every path the API and test routes do not claim.
pub fn with_panel(app: Router, dist: Option<&Path>) -> Router {
    match dist.filter(|d| d.join("index.html").is_file()) {
        Some(dist) => {
            let spa = ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")));
            app.fallback_service(spa)
        }
        None => app.fallback(not_built),
    }
}

async fn not_built(uri: axum::http::Uri) -> Response {
    if uri.path() != "/" && uri.path() != "/index.html" {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    Html(concat!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>crm-sandbox</title></head><body>",
        "<h1>crm-sandbox is running</h1>",
        "<p>The panel is not built yet. Build it with <code>trunk build</code> (it writes <code>dist/</code>), ",
        "then restart the sandbox (or pass <code>--dist PATH</code>).</p>",
        "<p>The API answers under <code>/api/</code>; test endpoints under <code>/_sandbox/</code> ",
        "(try <a href=\"/_sandbox/state\">/_sandbox/state</a>).</p></body></html>"
    ))
    .into_response()
}
