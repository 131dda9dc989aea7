//! A part of a screen that folds away on a narrow screen (filters above a list): open on a wide screen, one line
//! to open on a phone, so the list starts near the top.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::ev;
use leptos::prelude::*;

/// Below this width (CSS pixels) the panel lays out for a phone (as `style/main.css` does).
const NARROW_MAX: f64 = 800.0;

/// Whether the window is wide now.
fn wide() -> bool {
    window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_none_or(|w| w > NARROW_MAX)
}

/// `children` under the line `summary`: open on a wide screen, folded on a narrow one. The operator opens or
/// closes it at will; it opens or folds again only when the window crosses from wide to narrow or back.
#[component]
pub fn Fold(summary: Text, children: Children) -> impl IntoView {
    let open = RwSignal::new(wide());
    let resized = window_event_listener(ev::resize, move |_| {
        let now = wide();
        if open.get_untracked() != now {
            open.set(now);
        }
    });
    on_cleanup(move || resized.remove());
    view! {
        <details class="fold" prop:open=move || open.get()>
            <summary class="fold-summary">{t(summary)}</summary>
            {children()}
        </details>
    }
}
