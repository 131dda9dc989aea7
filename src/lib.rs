//! warehouse-panel: a browser control panel for a warehouse system's RetailCRM (Simla.com) API v5 integration.

pub mod api;
pub mod catalog;
pub mod connection;
pub mod decimal;
pub mod device;
pub mod i18n;
pub mod inventories;
pub mod link;
pub mod module;
pub mod order;
pub mod runner;
pub mod sheet;
pub mod shipments;
pub mod sync;
pub mod upload;

#[cfg(target_arch = "wasm32")]
pub mod ui;
