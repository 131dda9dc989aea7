//! Entry point: mounts the Leptos app in the browser.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(warehouse_panel::ui::app::App);
}

/// The native build of the binary (e.g. during `cargo test`) does nothing: the panel runs in a browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
