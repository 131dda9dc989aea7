//! Saving text the panel made (CSV reports, exports) as a file on the user's device.

use wasm_bindgen::JsCast;

/// Offers `contents` for download as `file_name` (a CSV unless the name says otherwise).
/// Returns false when the browser refused; nothing is lost, the caller may say so.
pub fn save_text_file(file_name: &str, contents: &str) -> bool {
    try_save(file_name, contents).is_some()
}

fn try_save(file_name: &str, contents: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(if file_name.ends_with(".json") {
        "application/json"
    } else {
        "text/csv;charset=utf-8"
    });
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    // Hidden by the attribute, not an inline style (the Content-Security-Policy allows no inline styles).
    anchor.set_hidden(true);
    let body = document.body()?;
    body.append_child(&anchor).ok()?;
    anchor.click();
    let _ = body.remove_child(&anchor);
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}
