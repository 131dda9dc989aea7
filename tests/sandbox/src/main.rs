//! crm-sandbox command line: the sandbox server (default) or the reference callback responder.

use clap::{Args, Parser, Subcommand, ValueEnum};
use crm_sandbox::{
    default_stock, load_stock, spawn, spawn_responder, CallbackMethod, Config, Faults, Mode,
    ResponderConfig, Seed,
};
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// A local stand-in for a RetailCRM (Simla.com) API v5 account: demos, end-to-end tests, benchmarks.
#[derive(Debug, Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the reference WMS endpoint that answers the inventoriesUpload callback.
    Responder(ResponderArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// API key with every scope.
    #[arg(long, default_value = "demo-key")]
    api_key: String,
    /// API key without store write and order write ("" = none).
    #[arg(long, default_value = "limited-key")]
    limited_key: String,
    /// Folder of the built panel served at / (SPA fallback to index.html).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Number of offers to seed (100000 for benchmarks).
    #[arg(long, default_value_t = 3000)]
    offers: usize,
    /// Number of warehouses (main, north, south, pickup [available], archive [inactive], ...).
    #[arg(long, default_value_t = 5)]
    stores: usize,
    /// Number of orders to seed.
    #[arg(long, default_value_t = 200)]
    orders: usize,
    /// Seed of the demo data (same seed, same data).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Start without the demo warehouse module registered.
    #[arg(long)]
    no_module: bool,
    /// Requests per second per API key, answered with 503 beyond it (0 = off).
    #[arg(long, default_value_t = 10)]
    rate_limit: u32,
    /// Fixed latency added to every /api call, in ms.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Random extra latency up to this many ms.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Share (0.0..1.0) of /api calls answered with 503.
    #[arg(long, default_value_t = 0.0, value_parser = share)]
    fail_503_share: f64,
    /// Share (0.0..1.0) of /api calls whose connection is dropped.
    #[arg(long, default_value_t = 0.0, value_parser = share)]
    drop_share: f64,
    /// Answer CORS preflights and send CORS headers (default: none, as the real CRM likely does).
    #[arg(long)]
    cors: bool,
    /// Form field carrying the callback's JSON payload (the real name is unconfirmed).
    #[arg(long, default_value = "inventoriesUpload")]
    callback_field: String,
    /// HTTP method of the callback request (the real one is unconfirmed).
    #[arg(long, value_enum, default_value_t = CallbackMethod::Post)]
    callback_method: CallbackMethod,
    /// Timeout of the callback request, in ms.
    #[arg(long, default_value_t = 5000)]
    callback_timeout_ms: u64,
    /// Stock table (JSON: {"offer-000001": [{"code": "main", "available": 5}], "*": [...]}) of
    /// the responder built in at /_responder.
    #[arg(long)]
    responder_stock: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ResponderArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on.
    #[arg(long, default_value_t = 8090)]
    port: u16,
    /// Stock table (JSON: {"offer-000001": [{"code": "main", "available": 5, "purchasePrice": 10}], "*": [...]}).
    #[arg(long)]
    stock: Option<PathBuf>,
    /// How to answer (changeable at run time with POST /mode).
    #[arg(long, value_enum, default_value_t = Mode::Ok)]
    mode: Mode,
    /// Form field carrying the callback's JSON payload.
    #[arg(long, default_value = "inventoriesUpload")]
    callback_field: String,
    /// Only accept calls with this clientId.
    #[arg(long)]
    client_id: Option<String>,
    /// How long the timeout mode sleeps, in ms.
    #[arg(long, default_value_t = 30_000)]
    timeout_sleep_ms: u64,
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err("expected a number from 0.0 to 1.0".into()),
    }
}

fn stock(path: Option<&PathBuf>) -> Result<crm_sandbox::StockTable, String> {
    match path {
        Some(path) => load_stock(path).map_err(|e| format!("{}: {e}", path.display())),
        None => Ok(default_stock()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Responder(args)) => run_responder(args).await,
        None => run_sandbox(cli.serve).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crm-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run_sandbox(args: ServeArgs) -> Result<(), String> {
    let dist_ready = args.dist.join("index.html").is_file();
    let config = Config {
        host: args.host,
        port: args.port,
        api_key: args.api_key,
        limited_key: Some(args.limited_key).filter(|k| !k.is_empty()),
        dist: Some(args.dist.clone()),
        seed: Seed {
            offers: args.offers,
            stores: args.stores,
            orders: args.orders,
            seed: args.seed,
            module: !args.no_module,
        },
        rate_limit: args.rate_limit,
        faults: Faults {
            latency_ms: args.latency_ms,
            jitter_ms: args.jitter_ms,
            fail_503_share: args.fail_503_share,
            drop_share: args.drop_share,
        },
        cors: args.cors,
        callback_field: args.callback_field,
        callback_method: args.callback_method,
        callback_timeout: Duration::from_millis(args.callback_timeout_ms),
        responder_stock: stock(args.responder_stock.as_ref())?,
    };
    let key = config.api_key.clone();
    let limited = config.limited_key.clone();
    let running = spawn(config).await.map_err(|e| e.to_string())?;
    println!("crm-sandbox listening on {}  api key: {key}", running.url());
    if let Some(limited) = limited {
        println!("  limited key (no store/order write): {limited}");
    }
    if dist_ready {
        println!("  panel: {} served at /", args.dist.display());
    } else {
        println!(
            "  panel: {} has no index.html; build the panel (trunk build) to serve it",
            args.dist.display()
        );
    }
    println!("  test endpoints: {}/_sandbox/state", running.url());
    let _ = std::io::stdout().flush();
    wait_for_ctrl_c().await;
    running.shutdown().await;
    Ok(())
}

async fn run_responder(args: ResponderArgs) -> Result<(), String> {
    let config = ResponderConfig {
        host: args.host,
        port: args.port,
        stock: stock(args.stock.as_ref())?,
        mode: args.mode,
        callback_field: args.callback_field,
        client_id: args.client_id,
        timeout_sleep: Duration::from_millis(args.timeout_sleep_ms),
    };
    let mode = config
        .mode
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let running = spawn_responder(config).await.map_err(|e| e.to_string())?;
    println!(
        "crm-sandbox responder listening on {}  mode: {mode}",
        running.url()
    );
    let _ = std::io::stdout().flush();
    wait_for_ctrl_c().await;
    running.shutdown().await;
    Ok(())
}

async fn wait_for_ctrl_c() {
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("crm-sandbox: cannot wait for Ctrl-C ({e}); stopping");
    }
}
