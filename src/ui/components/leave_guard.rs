//! Asks before the operator leaves while work is under way: the browser's own question on reload or close, and a
//! confirmation on a link to another screen.

use crate::i18n::Text;
use crate::ui::locale::tr;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// While `active` is true, leaving the page or following a link to another screen asks first (`question` for links).
#[component]
pub fn LeaveGuard(#[prop(into)] active: Signal<bool>, question: Text) -> impl IntoView {
    let before_unload = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        if active.try_get_untracked() == Some(true) {
            event.prevent_default();
            // Older browsers ask only when `returnValue` is set.
            let _ = js_sys::Reflect::set(&event, &"returnValue".into(), &JsValue::from_str(""));
        }
    });
    let on_click =
        Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
            if active.try_get_untracked() != Some(true) {
                return;
            }
            let link = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a[href]").ok().flatten());
            let Some(link) = link else { return };
            let here = web_sys::window()
                .and_then(|w| w.location().pathname().ok())
                .unwrap_or_default();
            if link.get_attribute("href").as_deref() == Some(here.as_str()) {
                return;
            }
            let leave = web_sys::window()
                .and_then(|w| w.confirm_with_message(tr(question)).ok())
                .unwrap_or(true);
            if !leave {
                event.prevent_default();
                event.stop_immediate_propagation();
            }
        });
    if let (Some(window), Some(document)) = (
        web_sys::window(),
        web_sys::window().and_then(|w| w.document()),
    ) {
        let _ = window.add_event_listener_with_callback(
            "beforeunload",
            before_unload.as_ref().unchecked_ref(),
        );
        let _ = document.add_event_listener_with_callback_and_bool(
            "click",
            on_click.as_ref().unchecked_ref(),
            true,
        );
    }
    let listeners = SendWrapper::new((before_unload, on_click));
    on_cleanup(move || {
        let (before_unload, on_click) = &*listeners;
        if let (Some(window), Some(document)) = (
            web_sys::window(),
            web_sys::window().and_then(|w| w.document()),
        ) {
            let _ = window.remove_event_listener_with_callback(
                "beforeunload",
                before_unload.as_ref().unchecked_ref(),
            );
            let _ = document.remove_event_listener_with_callback_and_bool(
                "click",
                on_click.as_ref().unchecked_ref(),
                true,
            );
        }
    });
}
