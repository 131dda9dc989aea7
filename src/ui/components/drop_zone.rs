//! A file drop zone with a "choose file" button; hands over the file's name and bytes.

use crate::i18n::Text;
use crate::sheet::decode::ReadError;
use crate::ui::locale::t;
use crate::ui::task::spawn;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Drop a file here or pick one; `on_file` gets `(file name, bytes)`.
#[component]
pub fn DropZone(
    /// Called with the file's name and contents once it is read.
    on_file: Callback<(String, Vec<u8>)>,
    /// The `accept` attribute of the file input, e.g. `.csv,.tsv,.txt`.
    #[prop(into)]
    accept: String,
    /// The text shown in the zone.
    label: Text,
    /// The `id` of the file input, for tests and labels.
    #[prop(into)]
    input_id: String,
    /// Files larger than this are refused before they are read (with `on_refused`).
    #[prop(optional)]
    max_bytes: Option<u64>,
    /// Called with the file's name and why it was not read: larger than `max_bytes`, or the browser failed.
    #[prop(optional)]
    on_refused: Option<Callback<(String, ReadError)>>,
) -> impl IntoView {
    let over = RwSignal::new(false);
    let refuse = move |name: String, error: ReadError| {
        if let Some(on_refused) = on_refused {
            // `try_`: the screen may have been left (and the callback disposed) while reading.
            let _ = on_refused.try_run((name, error));
        }
    };
    let read = move |file: web_sys::File| {
        let name = file.name();
        let size = file.size() as u64;
        if let Some(limit) = max_bytes.filter(|limit| size > *limit) {
            refuse(name, ReadError::TooLarge { bytes: size, limit });
            return;
        }
        spawn(async move {
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let _ = on_file.try_run((name, bytes));
                }
                Err(_) => refuse(name, ReadError::Unreadable),
            }
        });
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0))
        {
            read(file);
        }
    };
    let on_change = move |ev: web_sys::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                read(file);
            }
            input.set_value("");
        }
    };
    view! {
        <div
            class="dropzone"
            class:over=move || over.get()
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop
        >
            <label class="dropzone-label" for=input_id.clone()>{t(label)}</label>
            <input type="file" id=input_id accept=accept on:change=on_change/>
        </div>
    }
}
