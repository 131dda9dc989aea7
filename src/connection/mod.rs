//! Connecting to a CRM account as plain Rust: the check of an address and key, and the key's fingerprint.

pub mod check;
pub mod key;
