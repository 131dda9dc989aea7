//! crm-sandbox: a local RetailCRM (Simla.com) API v5 account for demos, end-to-end tests and benchmarks.
//!
//! Start it in-process with [`spawn`] (port 0 picks a free port) and call it over HTTP; the
//! reference WMS endpoint for the `inventoriesUpload` callback starts with [`spawn_responder`].

mod auth;
mod callback;
mod catalog;
mod control;
mod dates;
mod encoding;
mod error;
mod faults;
mod inventories;
mod modules;
mod orders;
mod pagination;
mod panel;
mod rate_limit;
mod reference;
mod request_log;
mod responder;
mod rng;
mod seed;
mod server;
mod state;

pub use callback::CallbackMethod;
pub use faults::Faults;
pub use responder::{
    default_stock, load_stock, spawn_responder, Mode, ResponderConfig, StockItem, StockTable,
};
pub use seed::Seed;
pub use server::Running;

use rate_limit::RateLimiter;
use state::Sandbox;
use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Everything the sandbox can be started with. `Default` = the command line's defaults.
#[derive(Debug, Clone)]
pub struct Config {
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// The key with every scope.
    pub api_key: String,
    /// A key without store write and order write (`None`: no such key).
    pub limited_key: Option<String>,
    /// Folder of the built panel, served at `/` (`None` or missing: a page saying how to build it).
    pub dist: Option<PathBuf>,
    pub seed: Seed,
    /// Requests per second per key (0 = no limit).
    pub rate_limit: u32,
    pub faults: Faults,
    /// Answer CORS preflights and add CORS headers (the real CRM's behaviour is UNCONFIRMED).
    pub cors: bool,
    /// Form field of the callback payload (UNCONFIRMED name).
    pub callback_field: String,
    pub callback_method: CallbackMethod,
    pub callback_timeout: Duration,
    /// Stock table of the responder mounted at `/_responder` (the seeded module's callback target).
    pub responder_stock: StockTable,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            api_key: "demo-key".into(),
            limited_key: Some("limited-key".into()),
            dist: Some(PathBuf::from("dist")),
            seed: Seed::default(),
            rate_limit: 10,
            faults: Faults::default(),
            cors: false,
            callback_field: "inventoriesUpload".into(),
            callback_method: CallbackMethod::Post,
            callback_timeout: Duration::from_secs(5),
            responder_stock: default_stock(),
        }
    }
}

impl Config {
    /// For tests: a free port, no panel, no rate limit, a small seed (300 offers, 30 orders).
    pub fn for_tests() -> Config {
        Config {
            port: 0,
            dist: None,
            rate_limit: 0,
            seed: Seed {
                offers: 300,
                orders: 30,
                ..Seed::default()
            },
            ..Config::default()
        }
    }
}

/// Binds, seeds and starts the sandbox; it runs until the returned [`Running`] is dropped.
pub async fn spawn(config: Config) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(config.host, config.port)).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(std::io::Error::other)?;
    let state = Arc::new(Sandbox {
        world: Mutex::new(seed::world(&config.seed, &base_url)),
        faults: Mutex::new(config.faults.clone()),
        limiter: Mutex::new(RateLimiter::new(config.rate_limit)),
        requests: Mutex::new(VecDeque::new()),
        counts: Mutex::new(Default::default()),
        callbacks: Mutex::new(VecDeque::new()),
        dice: Mutex::new(rng::Rng::new(config.seed.seed ^ 0x5EED)),
        http,
        base_url,
        config,
    });
    server::serve(listener, server::app(state))
}
