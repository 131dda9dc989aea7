//! A native, blocking transport and wall clock for the panel's API client, for tests and benchmarks against the
//! crm-sandbox over real HTTP.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use warehouse_panel::api::{
    CancelToken, Client, Clock, HttpRequest, HttpResponse, Method, TrafficConfig, Transport,
    TransportError,
};

/// A blocking HTTP transport over ureq (plain HTTP, no proxy).
pub struct Ureq(ureq::Agent);

impl Ureq {
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(20)))
            .build();
        Self(config.into())
    }

    fn send_blocking(&self, req: &HttpRequest) -> Result<HttpResponse, ureq::Error> {
        let mut resp = match req.method {
            Method::Get => {
                let mut r = self.0.get(&req.url);
                for (n, v) in &req.headers {
                    r = r.header(n, v);
                }
                r.call()?
            }
            Method::Post => {
                let mut r = self.0.post(&req.url);
                for (n, v) in &req.headers {
                    r = r.header(n, v);
                }
                r.send(req.body.clone().unwrap_or_default())?
            }
        };
        let headers = ["content-type", "retry-after"]
            .into_iter()
            .filter_map(|n| {
                let v = resp.headers().get(n)?.to_str().ok()?;
                Some((n.to_owned(), v.to_owned()))
            })
            .collect();
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string()?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

impl Transport for Ureq {
    async fn send(
        &self,
        req: &HttpRequest,
        _cancel: &CancelToken,
    ) -> Result<HttpResponse, TransportError> {
        // Blocking: nothing to abort once sent, and the client checks the token before every send.
        self.send_blocking(req)
            .map_err(|e| TransportError::Network {
                detail: e.to_string(),
                probably_cors: false,
            })
    }
}

/// Wall-clock time with a blocking sleep.
pub struct StdClock(pub Instant);

impl Clock for StdClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
    fn wall_ms(&self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
    async fn sleep_ms(&self, ms: f64) {
        std::thread::sleep(Duration::from_secs_f64(ms.max(0.0) / 1000.0));
    }
}

/// Every await of a blocking transport and clock is ready at once.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// The panel's client over [`Ureq`] and [`StdClock`].
pub type NativeClient = Client<Ureq, StdClock>;

/// A native client for `base` with `key` and the given traffic control.
pub fn native_client(base: &str, key: &str, config: TrafficConfig) -> NativeClient {
    Client::new(base, key, Ureq::new(), StdClock(Instant::now()), config)
}
