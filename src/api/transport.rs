//! The `Transport` and `Clock` seams: what the client needs from HTTP and from time, so tests can fake both.

use std::fmt;

use super::cancel::CancelToken;

/// The header that carries the API key (the only place the key is ever put).
pub const API_KEY_HEADER: &str = "X-API-KEY";

/// The HTTP methods the CRM API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// One HTTP request, ready to send. Its `Debug` hides the API key.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// The full URL with the encoded query; never contains the key.
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The form body of a POST.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The first header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let shown = if n.eq_ignore_ascii_case(API_KEY_HEADER) {
                    "<hidden>"
                } else {
                    v.as_str()
                };
                (n.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// One HTTP response: status, headers (at least `content-type` and `retry-after` when present) and text body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// A response with a JSON body.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: body.into(),
        }
    }

    /// The first header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// `Retry-After` in milliseconds, when given in seconds.
    pub fn retry_after_ms(&self) -> Option<f64> {
        let secs = crate::decimal::parse(self.header("retry-after")?.trim())?;
        (secs.is_finite() && secs >= 0.0).then_some(secs * 1000.0)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a transport produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// No response (connection refused, DNS, dropped, offline). `probably_cors`: a cross-origin browser fetch
    /// that failed with a bare `TypeError`, the signature of a CORS refusal.
    Network { detail: String, probably_cors: bool },
    /// The request was aborted through its [`CancelToken`].
    Aborted,
}

/// Sends one HTTP request. Implementations: the browser's fetch (`browser.rs`), fakes and native clients in tests.
/// Futures need not be `Send` (wasm futures are not).
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends `req`; should abort and return [`TransportError::Aborted`] when `cancel` fires while in flight.
    /// The client checks `cancel` itself right before every send, so a transport need not check it first.
    async fn send(
        &self,
        req: &HttpRequest,
        cancel: &CancelToken,
    ) -> Result<HttpResponse, TransportError>;
}

/// Time for traffic control: a monotonic clock in milliseconds and a sleep.
#[allow(async_fn_in_trait)]
pub trait Clock {
    /// Milliseconds since an arbitrary, fixed origin; never goes back.
    fn now_ms(&self) -> f64;
    /// Milliseconds since the Unix epoch (for dates shown to people, e.g. the run history).
    fn wall_ms(&self) -> f64;
    /// Waits about `ms` milliseconds.
    async fn sleep_ms(&self, ms: f64);
}
