//! The upload of stock and purchase prices from a file: map, validate, diff, plan chunks, run the upload job.
//!
//! Plain Rust with plain tests: no Leptos, no browser APIs. Only [`wire`] knows the API's types (it converts them into
//! [`warehouse::Warehouse`] and [`offer::CurrentOffer`] and the chunks into upload requests).
pub mod diff;
pub mod dry_run;
pub mod export;
pub mod flow;
pub mod history;
pub mod job;
pub mod lookup;
pub mod mapping;
pub mod offer;
pub mod plan;
pub mod saved;
pub mod saved_job;
pub mod session;
pub mod template;
pub mod validate;
pub mod warehouse;
pub mod wire;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod fake_crm;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod model_tests;
