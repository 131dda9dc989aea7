//! `Client`: one connection to a CRM account (address + key) that sends every call through traffic control.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use super::cancel::CancelToken;
use super::credentials::{
    ApiVersionsRequest, ApiVersionsResponse, CredentialsRequest, CredentialsResponse,
};
use super::endpoint::{ApiRequest, Endpoint};
use super::envelope::decode;
use super::error::ApiError;
use super::inventory::{InventoriesRequest, InventoriesResponse};
use super::module::{IntegrationModuleRequest, IntegrationModuleResponse};
use super::order::{OrderEditRequest, OrderEditResponse, OrderRequest, OrderResponse};
use super::reference::{
    SitesRequest, SitesResponse, StatusesRequest, StatusesResponse, StoresRequest, StoresResponse,
};
use super::traffic::{Jitter, Observer, RetryReason, TokenBucket, TrafficConfig, TrafficEvent};
use super::transport::{
    Clock, HttpRequest, HttpResponse, Method, Transport, TransportError, API_KEY_HEADER,
};

/// The longest single sleep while waiting, so a cancellation is noticed within this many milliseconds.
const WAIT_SLICE_MS: f64 = 50.0;

/// The traffic state shared by every clone of a client: one bucket and one jitter source per connection.
struct Shared {
    bucket: TokenBucket,
    jitter: Jitter,
}

/// Normalises what a user typed as the CRM address: trims spaces and trailing `/`, adds `https://` when no scheme
/// is given. An empty address stays empty: requests then go to the panel's own origin (a same-origin proxy).
pub fn normalize_base_url(input: &str) -> String {
    let t = input.trim().trim_end_matches('/');
    if t.is_empty() || t.contains("://") {
        t.to_owned()
    } else {
        format!("https://{t}")
    }
}

/// A connection to one CRM account. Cheap to clone; clones share the rate limit.
pub struct Client<T, C> {
    base_url: Rc<str>,
    api_key: Rc<str>,
    transport: Rc<T>,
    clock: Rc<C>,
    config: Rc<TrafficConfig>,
    shared: Rc<RefCell<Shared>>,
    cancel: CancelToken,
    /// Listeners of the traffic, in the order they were added; each `with_observer` adds one.
    observers: Rc<[Observer]>,
}

impl<T, C> Clone for Client<T, C> {
    fn clone(&self) -> Self {
        Self {
            base_url: self.base_url.clone(),
            api_key: self.api_key.clone(),
            transport: self.transport.clone(),
            clock: self.clock.clone(),
            config: self.config.clone(),
            shared: self.shared.clone(),
            cancel: self.cancel.clone(),
            observers: self.observers.clone(),
        }
    }
}

impl<T, C> fmt::Debug for Client<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("api_key", &"<hidden>")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<T: Transport, C: Clock> Client<T, C> {
    /// A client for the account at `base_url` (see [`normalize_base_url`]) with `api_key` (sent only in the
    /// `X-API-KEY` header; an empty key sends no header, for a proxy that adds it).
    pub fn new(
        base_url: &str,
        api_key: &str,
        transport: T,
        clock: C,
        config: TrafficConfig,
    ) -> Self {
        let now = clock.now_ms();
        let seed = now.to_bits() ^ 0xA076_1D64_78BD_642F;
        let shared = Shared {
            bucket: TokenBucket::new(config.requests_per_second, config.burst, now),
            jitter: Jitter::new(seed),
        };
        Self {
            base_url: normalize_base_url(base_url).into(),
            api_key: api_key.trim().into(),
            transport: Rc::new(transport),
            clock: Rc::new(clock),
            config: Rc::new(config),
            shared: Rc::new(RefCell::new(shared)),
            cancel: CancelToken::new(),
            observers: Rc::new([]),
        }
    }

    /// The same connection (same rate limit) whose calls stop when `cancel` is cancelled.
    pub fn with_cancel(&self, cancel: CancelToken) -> Self {
        Self {
            cancel,
            ..self.clone()
        }
    }

    /// The same connection reporting its traffic to `observer` too (throttling, retries, responses), after the
    /// observers it already has.
    pub fn with_observer(&self, observer: impl Fn(&TrafficEvent) + 'static) -> Self {
        let observers: Rc<[Observer]> = self
            .observers
            .iter()
            .cloned()
            .chain(std::iter::once(Rc::new(observer) as Observer))
            .collect();
        Self {
            observers,
            ..self.clone()
        }
    }

    /// The token that stops this client's calls.
    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }

    /// The client's clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// The client's time in milliseconds.
    pub fn now_ms(&self) -> f64
    where
        C: Clock,
    {
        self.clock.now_ms()
    }

    /// The normalised account address.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The traffic policy.
    pub fn config(&self) -> &TrafficConfig {
        &self.config
    }

    /// The full URL of a request (no key in it).
    pub fn url(&self, req: &ApiRequest) -> String {
        format!("{}{}", self.base_url, req.path_and_query())
    }

    fn http_request(&self, req: &ApiRequest) -> HttpRequest {
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        if !self.api_key.is_empty() {
            headers.push((API_KEY_HEADER.to_owned(), self.api_key.to_string()));
        }
        let body = match req.method {
            Method::Get => None,
            Method::Post => {
                headers.push((
                    "Content-Type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                ));
                Some(req.form.encode())
            }
        };
        HttpRequest {
            method: req.method,
            url: self.url(req),
            headers,
            body,
        }
    }

    fn emit(&self, event: TrafficEvent) {
        for observer in self.observers.iter() {
            observer(&event);
        }
    }

    /// Sleeps `ms` in slices, returning `Cancelled` as soon as the token fires.
    async fn wait(&self, ms: f64) -> Result<(), ApiError> {
        let until = self.clock.now_ms() + ms;
        loop {
            if self.cancel.is_cancelled() {
                return Err(ApiError::Cancelled);
            }
            let left = until - self.clock.now_ms();
            if left <= 0.0 {
                return Ok(());
            }
            self.clock.sleep_ms(left.min(WAIT_SLICE_MS)).await;
        }
    }

    /// Waits for a rate-limit slot; gives the slot back when cancelled meanwhile.
    async fn take_slot(&self) -> Result<(), ApiError> {
        let wait_ms = self.shared.borrow_mut().bucket.reserve(self.clock.now_ms());
        if wait_ms > 0.0 {
            self.emit(TrafficEvent::Throttled { wait_ms });
            if let Err(e) = self.wait(wait_ms).await {
                self.shared.borrow_mut().bucket.refund(self.clock.now_ms());
                return Err(e);
            }
        }
        Ok(())
    }

    /// Sends `req` under the rate limit, retrying 503/429 and network failures with capped, jittered backoff.
    /// Returns the first response that is not a rate-limit answer, whatever its status.
    pub async fn execute(&self, req: &ApiRequest) -> Result<HttpResponse, ApiError> {
        let http = self.http_request(req);
        let max_attempts = self.config.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            if self.cancel.is_cancelled() {
                return Err(ApiError::Cancelled);
            }
            self.take_slot().await?;
            if self.cancel.is_cancelled() {
                return Err(ApiError::Cancelled);
            }
            let started = self.clock.now_ms();
            let (reason, retry_after, failure) =
                match self.transport.send(&http, &self.cancel).await {
                    Err(TransportError::Aborted) => return Err(ApiError::Cancelled),
                    Err(TransportError::Network { .. }) if self.cancel.is_cancelled() => {
                        return Err(ApiError::Cancelled)
                    }
                    Err(TransportError::Network {
                        detail,
                        probably_cors,
                    }) => (
                        RetryReason::Network {
                            detail: detail.clone(),
                        },
                        None,
                        ApiError::Network {
                            detail,
                            probably_cors,
                        },
                    ),
                    Ok(resp) => {
                        self.emit(TrafficEvent::Responded {
                            method: http.method.as_str(),
                            url: http.url.clone(),
                            status: resp.status,
                            elapsed_ms: self.clock.now_ms() - started,
                        });
                        if resp.status != 503 && resp.status != 429 {
                            return Ok(resp);
                        }
                        self.shared
                            .borrow_mut()
                            .bucket
                            .penalize(self.clock.now_ms());
                        (
                            RetryReason::RateLimited {
                                status: resp.status,
                            },
                            resp.retry_after_ms(),
                            ApiError::RateLimited {
                                status: resp.status,
                                attempts: attempt,
                            },
                        )
                    }
                };
            // A CORS refusal will not heal by retrying.
            if attempt >= max_attempts
                || matches!(
                    failure,
                    ApiError::Network {
                        probably_cors: true,
                        ..
                    }
                )
            {
                return Err(failure);
            }
            let wait_ms = {
                let mut shared = self.shared.borrow_mut();
                self.config
                    .backoff_ms(attempt, retry_after, &mut shared.jitter)
            };
            attempt += 1;
            self.emit(TrafficEvent::Retrying {
                attempt,
                max_attempts,
                wait_ms,
                reason,
            });
            self.wait(wait_ms).await?;
        }
    }

    /// Sends any endpoint and decodes its answer.
    pub async fn call<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, ApiError> {
        let req = endpoint.to_request()?;
        // Boxed: one copy of the send-and-retry machine for every endpoint, not one inlined into each.
        let sending: Pin<Box<dyn Future<Output = _> + '_>> = Box::pin(self.execute(&req));
        let resp = sending.await?;
        decode(&resp)
    }

    /// `GET /api/api-versions`.
    pub async fn api_versions(&self) -> Result<ApiVersionsResponse, ApiError> {
        self.call(&ApiVersionsRequest).await
    }

    /// `GET /api/credentials`.
    pub async fn credentials(&self) -> Result<CredentialsResponse, ApiError> {
        self.call(&CredentialsRequest).await
    }

    /// `GET /api/v5/reference/sites`.
    pub async fn sites(&self) -> Result<SitesResponse, ApiError> {
        self.call(&SitesRequest).await
    }

    /// `GET /api/v5/reference/stores`.
    pub async fn stores(&self) -> Result<StoresResponse, ApiError> {
        self.call(&StoresRequest).await
    }

    /// `GET /api/v5/reference/statuses`.
    pub async fn statuses(&self) -> Result<StatusesResponse, ApiError> {
        self.call(&StatusesRequest).await
    }

    /// `GET /api/v5/integration-modules/{code}`.
    pub async fn integration_module(
        &self,
        code: &str,
    ) -> Result<IntegrationModuleResponse, ApiError> {
        self.call(&IntegrationModuleRequest {
            code: code.to_owned(),
        })
        .await
    }

    /// `GET /api/v5/store/inventories`.
    pub async fn inventories(
        &self,
        req: &InventoriesRequest,
    ) -> Result<InventoriesResponse, ApiError> {
        self.call(req).await
    }

    /// `GET /api/v5/orders/{id}?by=&site=`.
    pub async fn order(&self, req: &OrderRequest) -> Result<OrderResponse, ApiError> {
        self.call(req).await
    }

    /// `POST /api/v5/orders/{id}/edit`.
    pub async fn edit_order(&self, req: &OrderEditRequest) -> Result<OrderEditResponse, ApiError> {
        self.call(req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::fake::{block_on, FakeClock, FakeTransport, Step};
    use crate::api::inventory::{
        InventoriesUploadRequest, OfferRef, OfferStockUpload, StoreStockUpload,
    };
    use crate::api::module::{IntegrationModule, IntegrationModuleEditRequest};
    use crate::api::order::{OrderShipment, OrdersRequest};
    use crate::api::product::{ProductGroupsRequest, ProductPropertiesRequest, ProductsRequest};
    use std::cell::RefCell;

    const KEY: &str = "s3cr3t-KEY-value";
    const OK: &str = r#"{"success":true}"#;
    const BUSY: &str = r#"{"success":false,"errorMsg":"Rate limit exceeded"}"#;

    fn setup(
        config: TrafficConfig,
    ) -> (Client<FakeTransport, FakeClock>, FakeTransport, FakeClock) {
        let clock = FakeClock::default();
        clock.advance(1_000_000.0);
        let transport = FakeTransport::new(&clock);
        let client = Client::new(
            "https://acme.retailcrm.ru/ ",
            KEY,
            transport.clone(),
            clock.clone(),
            config,
        );
        (client, transport, clock)
    }

    fn events(
        client: &Client<FakeTransport, FakeClock>,
    ) -> (
        Client<FakeTransport, FakeClock>,
        Rc<RefCell<Vec<TrafficEvent>>>,
    ) {
        let log = Rc::new(RefCell::new(Vec::new()));
        let sink = log.clone();
        (
            client.with_observer(move |e| sink.borrow_mut().push(e.clone())),
            log,
        )
    }

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(
            normalize_base_url(" acme.retailcrm.ru/ "),
            "https://acme.retailcrm.ru"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(normalize_base_url(""), "");
    }

    #[test]
    fn burst_then_the_sustained_rate() {
        let (client, transport, _clock) = setup(TrafficConfig {
            burst: 10,
            ..TrafficConfig::default()
        });
        transport.always_json(200, OK);
        let start = transport.clone();
        for _ in 0..25 {
            block_on(client.stores()).unwrap();
        }
        let times = start.sent_times();
        assert_eq!(times.len(), 25);
        assert!(
            times[24] - times[0] >= 1500.0 - 1e-6,
            "{}",
            times[24] - times[0]
        );
    }

    #[test]
    fn default_never_exceeds_ten_in_any_second_even_shared_between_clones() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        transport.always_json(200, OK);
        let other = client.with_cancel(CancelToken::new());
        for i in 0..40 {
            let c = if i % 2 == 0 { &client } else { &other };
            block_on(c.api_versions()).unwrap();
        }
        let times = transport.sent_times();
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u < t + 1000.0 - 1e-6)
                .count();
            assert!(in_window <= 10, "{in_window} requests within 1 s from {t}");
        }
    }

    #[test]
    fn retries_a_503_storm_to_success() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        transport
            .then_json(503, BUSY)
            .then_json(503, BUSY)
            .then_json(429, BUSY)
            .then_json(200, r#"{"success":true,"versions":["5.0"]}"#);
        let (client, log) = events(&client);
        let r = block_on(client.api_versions()).unwrap();
        assert!(r.has_v5());
        assert_eq!(transport.sent().len(), 4);
        let retries: Vec<u32> = log
            .borrow()
            .iter()
            .filter_map(|e| match e {
                TrafficEvent::Retrying {
                    attempt,
                    reason: RetryReason::RateLimited { .. },
                    wait_ms,
                    ..
                } => {
                    assert!(*wait_ms >= 100.0 && *wait_ms <= 5000.0);
                    Some(*attempt)
                }
                _ => None,
            })
            .collect();
        assert_eq!(retries, [2, 3, 4]);
        // Each retry waited at least one rate interval after the previous attempt.
        let t = transport.sent_times();
        assert!(t.windows(2).all(|w| w[1] - w[0] >= 100.0 - 1e-6));
    }

    #[test]
    fn bad_requests_are_not_retried() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        transport.always_json(
            400,
            r#"{"success":false,"errorMsg":"Parameter 'offers' is missing"}"#,
        );
        let err = block_on(client.stores()).unwrap_err();
        assert_eq!(err.error_msg(), Some("Parameter 'offers' is missing"));
        assert_eq!(err.status(), Some(400));
        assert_eq!(transport.sent().len(), 1);
        transport.always_json(404, r#"{"success":false,"errorMsg":"Not found"}"#);
        assert_eq!(
            block_on(client.integration_module("x")).unwrap_err().kind(),
            crate::api::ErrorKind::NotFound
        );
        assert_eq!(transport.sent().len(), 2);
    }

    #[test]
    fn attempts_are_bounded_then_rate_limited() {
        let (client, transport, clock) = setup(TrafficConfig {
            max_attempts: 4,
            ..TrafficConfig::default()
        });
        transport.always_json(503, BUSY);
        let before = clock.now();
        let err = block_on(client.stores()).unwrap_err();
        assert_eq!(
            err,
            ApiError::RateLimited {
                status: 503,
                attempts: 4
            }
        );
        assert_eq!(transport.sent().len(), 4);
        // 3 backoffs, each at most 200, 400, 800 ms (but at least 100 ms).
        let spent = clock.now() - before;
        assert!((300.0..=1400.0 + 1e-6).contains(&spent), "{spent}");
    }

    #[test]
    fn retry_after_is_honoured() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        let mut busy = HttpResponse::json(503, BUSY);
        busy.headers.push(("Retry-After".into(), "2".into()));
        transport.then(Step::Respond(busy)).then_json(200, OK);
        block_on(client.stores()).unwrap();
        let t = transport.sent_times();
        assert!(t[1] - t[0] >= 2000.0 - 1e-6);
    }

    #[test]
    fn network_errors_are_retried_but_cors_is_not() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        let down = TransportError::Network {
            detail: "connection refused".into(),
            probably_cors: false,
        };
        transport
            .then(Step::Fail(down.clone()))
            .then(Step::Fail(down))
            .then_json(200, OK);
        block_on(client.stores()).unwrap();
        assert_eq!(transport.sent().len(), 3);

        let cors = TransportError::Network {
            detail: "TypeError: Failed to fetch".into(),
            probably_cors: true,
        };
        transport.then(Step::Fail(cors));
        let err = block_on(client.stores()).unwrap_err();
        assert_eq!(err.kind(), crate::api::ErrorKind::Cors);
        assert!(err.to_string().contains(crate::api::error::CORS_GUIDE));
        assert_eq!(transport.sent().len(), 4);
    }

    #[test]
    fn cancelling_stops_waiting_and_sending() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        transport.always_json(503, BUSY);
        let token = CancelToken::new();
        let cancel_on_retry = token.clone();
        let client = client.with_cancel(token.clone()).with_observer(move |e| {
            if matches!(e, TrafficEvent::Retrying { attempt: 3, .. }) {
                cancel_on_retry.cancel();
            }
        });
        assert_eq!(block_on(client.stores()), Err(ApiError::Cancelled));
        assert_eq!(transport.sent().len(), 2);
        // A cancelled token sends nothing at all.
        assert_eq!(block_on(client.stores()), Err(ApiError::Cancelled));
        assert_eq!(transport.sent().len(), 2);
    }

    #[test]
    fn cancelling_during_a_throttle_wait_gives_the_slot_back() {
        let (client, transport, clock) = setup(TrafficConfig {
            requests_per_second: 1.0,
            ..TrafficConfig::default()
        });
        transport.always_json(200, OK);
        block_on(client.stores()).unwrap();
        let token = CancelToken::new();
        let at = clock.now() + 300.0;
        let hook_token = token.clone();
        clock.on_sleep(move |now| {
            if now >= at {
                hook_token.cancel();
            }
        });
        let waiting = client.with_cancel(token);
        let before = clock.now();
        assert_eq!(block_on(waiting.stores()), Err(ApiError::Cancelled));
        assert!(clock.now() - before < 400.0, "noticed within a slice");
        assert_eq!(transport.sent().len(), 1);
        // The refunded slot: the next caller waits only for the rest of the interval.
        let before = clock.now();
        block_on(client.stores()).unwrap();
        assert!(clock.now() - before <= 700.0 + 1e-6);
    }

    #[test]
    fn cancelling_in_flight_aborts() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        transport.then(Step::CancelInFlight);
        let client = client.with_cancel(CancelToken::new());
        assert_eq!(block_on(client.stores()), Err(ApiError::Cancelled));
        assert_eq!(transport.sent().len(), 1);
    }

    #[test]
    fn the_key_is_only_in_the_header() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        transport.always_json(
            403,
            r#"{"success":false,"errorMsg":"Wrong \"apiKey\" value."}"#,
        );
        let err = block_on(client.edit_order(&OrderEditRequest {
            id: "1".into(),
            order: OrderShipment {
                shipped: Some(true),
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap_err();
        assert_eq!(err, ApiError::WrongKey);
        let req = &transport.sent()[0];
        assert_eq!(req.header("x-api-key"), Some(KEY));
        assert_eq!(
            req.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.url, "https://acme.retailcrm.ru/api/v5/orders/1/edit");
        for text in [
            req.url.clone(),
            req.body.clone().unwrap_or_default(),
            format!("{req:?}"),
            format!("{client:?}"),
            format!("{err:?}"),
            err.to_string(),
        ] {
            assert!(!text.contains(KEY), "key leaked in {text}");
        }
        // No key → no header (a proxy may add it).
        let clock = FakeClock::default();
        let bare = FakeTransport::new(&clock);
        bare.always_json(200, OK);
        block_on(Client::new("", "", bare.clone(), clock, TrafficConfig::default()).stores())
            .unwrap();
        assert_eq!(bare.sent()[0].header(API_KEY_HEADER), None);
        assert_eq!(bare.sent()[0].url, "/api/v5/reference/stores");
    }

    #[test]
    fn every_endpoint_method_and_path() {
        let (client, transport, _clock) = setup(TrafficConfig::default());
        transport.always_json(200, OK);
        let upload = InventoriesUploadRequest {
            offers: vec![OfferStockUpload {
                offer: OfferRef::ExternalId("a".into()),
                stores: vec![StoreStockUpload {
                    code: "main".into(),
                    available: Some(1.0),
                    purchase_price: None,
                }],
            }],
            site: None,
        };
        let module = IntegrationModule {
            code: "wms".into(),
            ..Default::default()
        };
        block_on(async {
            client.api_versions().await.unwrap();
            client.credentials().await.unwrap();
            client.sites().await.unwrap();
            client.stores().await.unwrap();
            client.integration_module("wms").await.unwrap();
            client
                .call(&IntegrationModuleEditRequest {
                    module: module.clone(),
                })
                .await
                .unwrap();
            client
                .inventories(&InventoriesRequest::default())
                .await
                .unwrap();
            client.call(&upload).await.unwrap();
            client.call(&ProductGroupsRequest::default()).await.unwrap();
            client.call(&ProductsRequest::default()).await.unwrap();
            client
                .call(&ProductPropertiesRequest::default())
                .await
                .unwrap();
            client.call(&OrdersRequest::default()).await.unwrap();
            client
                .order(&OrderRequest {
                    id: "7".into(),
                    ..Default::default()
                })
                .await
                .unwrap();
            client
                .edit_order(&OrderEditRequest {
                    id: "7".into(),
                    ..Default::default()
                })
                .await
                .unwrap();
        });
        let got: Vec<String> = transport
            .sent()
            .iter()
            .map(|r| format!("{} {}", r.method.as_str(), r.url))
            .collect();
        let base = "https://acme.retailcrm.ru";
        let want = [
            "GET /api/api-versions",
            "GET /api/credentials",
            "GET /api/v5/reference/sites",
            "GET /api/v5/reference/stores",
            "GET /api/v5/integration-modules/wms",
            "POST /api/v5/integration-modules/wms/edit",
            "GET /api/v5/store/inventories",
            "POST /api/v5/store/inventories/upload",
            "GET /api/v5/store/product-groups",
            "GET /api/v5/store/products",
            "GET /api/v5/store/products/properties",
            "GET /api/v5/orders",
            "GET /api/v5/orders/7?by=externalId",
            "POST /api/v5/orders/7/edit",
        ];
        let want: Vec<String> = want
            .iter()
            .map(|w| w.replacen(' ', &format!(" {base}"), 1))
            .collect();
        assert_eq!(got, want);
        assert_eq!(
            transport.sent()[13].body.as_deref(),
            Some("by=externalId&order=%7B%7D")
        );
    }
}
