//! The browser side of the seam: fetch through gloo-net (aborted via `AbortController`), gloo-timers sleeps and
//! `performance.now()`.

use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use web_sys::AbortController;

use super::cancel::CancelToken;
use super::client::Client;
use super::traffic::TrafficConfig;
use super::transport::{Clock, HttpRequest, HttpResponse, Method, Transport, TransportError};

/// The client the app uses.
pub type BrowserClient = Client<FetchTransport, BrowserClock>;

/// A client for the account at `base_url` over the browser's fetch.
pub fn browser_client(base_url: &str, api_key: &str, config: TrafficConfig) -> BrowserClient {
    Client::new(
        base_url,
        api_key,
        FetchTransport::new(),
        BrowserClock,
        config,
    )
}

/// Sends requests with `fetch`. Knows the page's origin to recognise a CORS refusal.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    page_origin: Option<String>,
}

impl FetchTransport {
    /// A transport for the current page.
    pub fn new() -> Self {
        let page_origin = web_sys::window().and_then(|w| w.location().origin().ok());
        Self { page_origin }
    }

    fn is_cross_origin(&self, url: &str) -> bool {
        let absolute = url.starts_with("http://") || url.starts_with("https://");
        match &self.page_origin {
            Some(origin) => absolute && !(url == origin || url.starts_with(&format!("{origin}/"))),
            None => absolute,
        }
    }

    fn failure(&self, url: &str, cancel: &CancelToken, err: gloo_net::Error) -> TransportError {
        if cancel.is_cancelled() {
            return TransportError::Aborted;
        }
        let (detail, type_error) = match err {
            gloo_net::Error::JsError(js) => {
                let is_type_error = js.name == "TypeError";
                (format!("{}: {}", js.name, js.message), is_type_error)
            }
            other => (other.to_string(), false),
        };
        TransportError::Network {
            detail,
            probably_cors: type_error && self.is_cross_origin(url),
        }
    }
}

impl Transport for FetchTransport {
    async fn send(
        &self,
        req: &HttpRequest,
        cancel: &CancelToken,
    ) -> Result<HttpResponse, TransportError> {
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let _abort_on_cancel = controller.map(|c| cancel.on_cancel(move || c.abort()));

        let method = match req.method {
            Method::Get => FetchMethod::GET,
            Method::Post => FetchMethod::POST,
        };
        let mut builder = RequestBuilder::new(&req.url)
            .method(method)
            .abort_signal(signal.as_ref());
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        let request = match &req.body {
            Some(body) => builder.body(body.as_str()),
            None => builder.build(),
        }
        .map_err(|e| self.failure(&req.url, cancel, e))?;

        let response = request
            .send()
            .await
            .map_err(|e| self.failure(&req.url, cancel, e))?;
        let status = response.status();
        let response_headers = response.headers();
        let headers = ["content-type", "retry-after"]
            .into_iter()
            .filter_map(|name| response_headers.get(name).map(|v| (name.to_owned(), v)))
            .collect();
        let body = response
            .text()
            .await
            .map_err(|e| self.failure(&req.url, cancel, e))?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// Browser time: `performance.now()` (monotonic), or `Date.now()` where there is no `performance`.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or_else(js_sys::Date::now, |p| p.now())
    }

    fn wall_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    async fn sleep_ms(&self, ms: f64) {
        let ms = ms.ceil().clamp(0.0, f64::from(u32::MAX)) as u32;
        gloo_timers::future::TimeoutFuture::new(ms).await;
    }
}
