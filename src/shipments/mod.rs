//! Order shipment as plain Rust: find one order (by number, externalId or id), list the orders waiting to be shipped
//! and choose some, read rows from a paste or a file and validate them, run the sending job, write the report, and
//! name statuses as the account does.
//!
//! No Leptos and no browser APIs: the UI hands in the text or bytes, the warehouses and the site, and the one runner
//! ([`crate::runner`]) sends the [`crate::api::order::OrderEditRequest`]s the job hands out.

pub mod job;
pub mod lookup;
pub mod refusal;
pub mod row;
pub mod status;
pub mod validate;
pub mod value;
pub mod waiting;
