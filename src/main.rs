//! Entry point: mounts the Leptos app in the browser.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // The "Loading…" text of index.html gives way to the panel.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(warehouse_panel::ui::app::App);
}

/// The native build of the binary (e.g. during `cargo test`) does nothing: the panel runs in a browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
