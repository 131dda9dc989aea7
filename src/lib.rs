//! warehouse-panel: a browser control panel for a warehouse system's RetailCRM (Simla.com) API v5 integration.

pub mod api;
pub mod catalog;
pub mod i18n;
pub mod inventories;
pub mod module_form;
pub mod paging;
pub mod shipment;
pub mod stock;
pub mod upload;

#[cfg(target_arch = "wasm32")]
pub mod ui;
