//! The catalog domain: the product-group tree, the products filter and its URL form, and the catalog CSV export.
//!
//! Plain Rust with plain tests: no Leptos, no browser APIs; it builds on the wire types of `crate::api::product`.

pub mod export;
pub mod filter;
pub mod tree;
