//! Bulk order shipment as plain Rust: read rows from a paste or a file, validate them, run the sending job, write the report.
//!
//! No Leptos and no browser APIs: the UI hands in the text or bytes, the warehouses and the site, and the one runner
//! ([`crate::runner`]) sends the [`crate::api::order::OrderEditRequest`]s the job hands out.

pub mod job;
pub mod refusal;
pub mod row;
pub mod validate;
pub mod value;
