//! The native side of the transport seam (the `warehouse-sync` command, tests and benchmarks): reqwest over rustls
//! on tokio's current-thread runtime, so one thread keeps several requests in flight; a request is dropped (its
//! connection closed) when its cancel token fires. Time is tokio's.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::future::{select, Either};
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::cancel::CancelToken;
use super::client::Client;
use super::traffic::TrafficConfig;
use super::transport::{Clock, HttpRequest, HttpResponse, Method, Transport, TransportError};

/// The client of the command line, tests and benchmarks.
pub type NativeClient = Client<HttpTransport, TokioClock>;

/// The longest a request may take, connection included, before it counts as a network failure (and is retried).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest a download of a stock file may take (up to the file size limit over a slow link).
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// A client for the account at `base_url` (see [`Client::new`]) over HTTP(S). Must be used inside a tokio runtime
/// with time enabled. `Err` only when TLS cannot be set up on this machine.
pub fn native_client(
    base_url: &str,
    api_key: &str,
    config: TrafficConfig,
) -> Result<NativeClient, String> {
    Ok(Client::new(
        base_url,
        api_key,
        HttpTransport::new()?,
        TokioClock::new(),
        config,
    ))
}

/// Sends requests with reqwest; cheap to clone (clones share the connection pool). Proxies come from the usual
/// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` variables.
#[derive(Clone, Debug)]
pub struct HttpTransport {
    http: reqwest::Client,
}

impl HttpTransport {
    pub fn new() -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("warehouse-sync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| error_text(&e))?;
        Ok(Self { http })
    }

    /// A plain GET of `url` (no API key: e.g. the stock file a warehouse system publishes), its body as bytes,
    /// refused past `limit` bytes. `Err` says why in plain words.
    pub async fn download(&self, url: &str, limit: u64) -> Result<Vec<u8>, String> {
        let mut response = self
            .http
            .get(url)
            .timeout(DOWNLOAD_TIMEOUT)
            .send()
            .await
            .map_err(|e| error_text(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("the server answered HTTP {}", status.as_u16()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| error_text(&e))? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(format!("the file is larger than {limit} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    async fn exchange(&self, req: &HttpRequest) -> Result<HttpResponse, reqwest::Error> {
        let mut builder = match req.method {
            Method::Get => self.http.get(&req.url),
            Method::Post => self.http.post(&req.url),
        };
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let headers = ["content-type", "retry-after"]
            .into_iter()
            .filter_map(|name| {
                let value = response.headers().get(name)?.to_str().ok()?;
                Some((name.to_owned(), value.to_owned()))
            })
            .collect();
        let body = response.text().await?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// A reqwest error with its causes, without the URL (the caller knows it; it never holds the key anyway).
fn error_text(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_string()
    } else if error.is_connect() {
        "could not connect".to_string()
    } else {
        "the connection failed".to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl Transport for HttpTransport {
    async fn send(
        &self,
        req: &HttpRequest,
        cancel: &CancelToken,
    ) -> Result<HttpResponse, TransportError> {
        let (fire, fired) = oneshot::channel::<()>();
        let _hook = cancel.on_cancel(move || {
            let _ = fire.send(());
        });
        let exchange = std::pin::pin!(self.exchange(req));
        match select(exchange, fired).await {
            Either::Left((Ok(response), _)) => Ok(response),
            Either::Left((Err(_), _)) if cancel.is_cancelled() => Err(TransportError::Aborted),
            Either::Left((Err(e), _)) => Err(TransportError::Network {
                detail: error_text(&e),
                probably_cors: false,
            }),
            // Dropping the exchange closes its connection.
            Either::Right(_) => Err(TransportError::Aborted),
        }
    }
}

/// tokio's monotonic clock and sleep, and the system's wall clock.
#[derive(Clone, Copy, Debug)]
pub struct TokioClock {
    origin: Instant,
}

impl TokioClock {
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TokioClock {
    fn now_ms(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * 1000.0
    }

    fn wall_ms(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }

    async fn sleep_ms(&self, ms: f64) {
        let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
        tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
    }
}

/// A current-thread tokio runtime with time and I/O: the one thread every native client runs on.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// An HTTP server on a free port that answers every request after `delay`, each connection on its own thread.
    fn slow_server(delay: Duration) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let mut buffer = [0u8; 4096];
                    let _ = stream.read(&mut buffer);
                    std::thread::sleep(delay);
                    let body = r#"{"success":true,"versions":["5.0"]}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes());
                });
            }
        });
        base
    }

    #[test]
    fn several_requests_are_in_flight_at_once_and_a_cancel_aborts() {
        let base = slow_server(Duration::from_millis(300));
        let rt = runtime().unwrap();
        let unlimited = TrafficConfig {
            requests_per_second: 1000.0,
            burst: 100,
            ..TrafficConfig::default()
        };
        let client = rt.block_on(async { native_client(&base, "k", unlimited).unwrap() });
        let started = std::time::Instant::now();
        let answers = rt.block_on(futures_util::future::join_all(
            (0..4).map(|_| client.api_versions()),
        ));
        let elapsed = started.elapsed();
        assert!(answers.iter().all(|a| a.as_ref().is_ok_and(|v| v.has_v5())));
        assert!(
            elapsed < Duration::from_millis(900),
            "4 requests of 300 ms took {elapsed:?}: not side by side"
        );

        let token = CancelToken::new();
        let cancelling = client.with_cancel(token.clone());
        let started = std::time::Instant::now();
        let answer = rt.block_on(async {
            let call = cancelling.api_versions();
            let cancel = async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                token.cancel();
            };
            futures_util::future::join(call, cancel).await.0
        });
        assert_eq!(answer, Err(ApiError::Cancelled));
        assert!(started.elapsed() < Duration::from_millis(250));
    }
}
