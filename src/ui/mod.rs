//! The Leptos user interface (wasm only): the app shell, one page per screen, small components.

pub mod app;
pub mod cancel_on_leave;
pub mod components;
pub mod locale;
pub mod node;
pub mod pages;
pub mod reactive;
pub mod session;
pub mod storage;
pub mod task;
