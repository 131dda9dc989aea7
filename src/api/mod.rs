//! The RetailCRM API v5 wire contract and the transport that carries it.
//!
//! Requests and models per resource ([`credentials`], [`reference`], [`module`], [`inventory`], [`product`],
//! [`order`]), their encoding ([`encode`]) and tolerant decoding ([`lenient`], [`envelope`]), one error type
//! ([`ApiError`]), and a [`Client`] that sends through a [`Transport`] under traffic control ([`traffic`]).
//!
//! Choices made where the sources disagree or say nothing (see `shared/retailcrm-api-v5.md`):
//! - arrays are sent as `filter[x][]=` (Go client), not `filter[x][0]=` (PHP); every byte outside the unreserved
//!   set is percent-encoded, brackets included;
//! - `by` is always sent on order get/edit, `externalId` included (the Python client omits the default);
//! - `shipped: false` and `active: false` are sent (the Go client cannot send them);
//! - whole quantities and prices are written as integers (`15`, not `15.0`), as in every official fixture;
//! - `freeze` and `native` of a module are read but never written back (writability unconfirmed);
//! - 503 and 429 are both treated as the rate limit (only 503 is documented); 460 is an error;
//! - an HTML body with 404/405/2xx means "no account here" (PHP and Go); with 5xx it is an HTTP error;
//! - the key goes only in `X-API-KEY`, never `?apiKey=` (both are documented); an empty key sends no header;
//! - store and order scope names (`store_read`, `store_write`, `order_read`, `order_write`) are unconfirmed;
//!   rights are also read from the older `credentials` path list;
//! - rate: 10 requests/s per key (Go's comment) with a default burst of 1, so no one-second window exceeds it.

pub mod cancel;
pub mod client;
pub mod credentials;
pub mod encode;
pub mod endpoint;
pub mod envelope;
pub mod error;
pub mod inventory;
pub mod json;
pub mod lenient;
pub mod module;
pub mod order;
pub mod product;
pub mod reference;
pub mod traffic;
pub mod transport;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;

#[cfg(test)]
mod fake;
#[cfg(test)]
pub(crate) mod sim;

pub use cancel::CancelToken;
pub use client::{normalize_base_url, Client};
pub use endpoint::{ApiRequest, Endpoint, Paged};
pub use envelope::Pagination;
pub use error::{ApiError, ErrorKind, FieldError};
pub use traffic::{Observer, RetryReason, TrafficConfig, TrafficEvent};
pub use transport::{Clock, HttpRequest, HttpResponse, Method, Transport, TransportError};
