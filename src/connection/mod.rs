//! Connecting to a CRM account as plain Rust: the address to use, when a key may be sent and where it is kept, the
//! check of an address and key, "forget this device", and the key's fingerprint.

pub mod address;
pub mod check;
pub mod flow;
pub mod forget;
pub mod keep;
pub mod key;
pub mod probe;
