//! Connecting to a CRM account as plain Rust: the check of an address and key, and the site to work with.

pub mod check;
