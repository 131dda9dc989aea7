//! The stock-import domain: decode, map, validate, diff, plan chunks, run the upload job.
//!
//! Plain Rust with plain tests: no Leptos, no browser APIs, no dependency on `crate::api`
//! (the UI glue converts the API models into [`warehouse::Warehouse`] and [`offer::CurrentOffer`]).

pub mod decode;
pub mod diff;
pub mod export;
pub mod history;
pub mod job;
pub mod lookup;
pub mod mapping;
pub mod offer;
pub mod plan;
pub mod saved_job;
pub mod validate;
pub mod warehouse;
