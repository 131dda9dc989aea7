//! The warehouse module's settings form and the `inventoriesUpload` callback probe, as plain Rust.
//!
//! [`form`] turns an `integrationModule` into editable rows and back (unknown fields kept), [`validate`] checks
//! the form before it is sent and places the CRM's own field errors, [`changes`] lists what a save changes
//! against the CRM's copy, [`save`] is the save itself (review, send, the answer), [`probe`] builds the request
//! the CRM would send to the callback and checks the reply, [`codes`] remembers the codes used per account on the
//! device, [`logo`] tells what the logo preview found.

pub mod changes;
pub mod codes;
pub mod form;
pub mod logo;
pub mod probe;
pub mod save;
pub mod validate;
