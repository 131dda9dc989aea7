//! The router of the whole sandbox, and `Running`: a server on a port that stops on drop.

use crate::responder::{self, ResponderConfig};
use crate::state::AppState;
use crate::{
    catalog, control, faults, inventories, modules, orders, panel, reference, request_log,
};
use axum::http::{header, HeaderName, Method};
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get, post};
use axum::Router;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::cors::{Any, CorsLayer};

/// A running server. Dropping it stops it at once; `shutdown` stops it gracefully.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Running {
    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://host:port`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets in-flight calls finish for up to two seconds, then stops.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), &mut self.task).await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
    }
}

/// Serves `router` on `listener` in a background task.
pub fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
        {
            eprintln!("crm-sandbox: server error: {e}");
        }
    });
    Ok(Running {
        addr,
        stop: Some(stop),
        task,
    })
}

/// All routes: `/api` (logged, fault-injected), `/_sandbox`, `/_responder`, and the panel.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/api-versions", get(reference::api_versions))
        .route("/api/credentials", get(reference::credentials))
        .route("/api/system-info", get(reference::system_info))
        .route("/api/v5/reference/sites", get(reference::sites))
        .route("/api/v5/reference/stores", get(reference::stores))
        .route("/api/v5/reference/statuses", get(reference::statuses))
        .route("/api/v5/integration-modules/{code}", get(modules::get))
        .route(
            "/api/v5/integration-modules/{code}/edit",
            post(modules::edit),
        )
        .route("/api/v5/store/inventories", get(inventories::list))
        .route(
            "/api/v5/store/inventories/upload",
            post(inventories::upload),
        )
        .route("/api/v5/store/product-groups", get(catalog::product_groups))
        .route("/api/v5/store/products", get(catalog::products))
        .route(
            "/api/v5/store/products/properties",
            get(catalog::properties),
        )
        .route("/api/v5/orders", get(orders::list))
        .route("/api/v5/orders/{key}", get(orders::get))
        .route("/api/v5/orders/{key}/edit", post(orders::edit))
        .route("/api", any(reference::unknown_method))
        .route("/api/{*rest}", any(reference::unknown_method))
        .method_not_allowed_fallback(reference::wrong_http_method)
        .layer(from_fn_with_state(state.clone(), faults::inject))
        .layer(from_fn_with_state(state.clone(), request_log::record));
    let embedded_responder = responder::router(ResponderConfig {
        stock: state.config.responder_stock.clone(),
        callback_field: state.config.callback_field.clone(),
        timeout_sleep: state.config.callback_timeout + Duration::from_secs(1),
        ..ResponderConfig::default()
    });
    let app = Router::new()
        .merge(api)
        .merge(control::router())
        .nest_service("/_responder", embedded_responder)
        .with_state(state.clone());
    let app = panel::with_panel(app, state.config.dist.as_deref());
    if state.config.cors {
        app.layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("x-api-key")]),
        )
    } else {
        app
    }
}
