//! warehouse-panel: a browser control panel for a warehouse system's RetailCRM (Simla.com) API v5 integration.

pub mod api;
pub mod i18n;
pub mod stock;

#[cfg(target_arch = "wasm32")]
pub mod ui;
