//! One file per screen.

pub mod catalog;
pub mod connection;
pub mod inventories;
pub mod module;
pub mod not_found;
pub mod shipments;
pub mod upload;
