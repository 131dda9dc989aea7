//! The box a wide table scrolls sideways in (not the page), reachable and scrollable by keyboard, named after its table.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;

/// `children` (a table) in a scrolling box named `label` that takes the keyboard focus (arrow keys scroll it).
#[component]
pub fn TableScroll(
    label: Text,
    /// The box's id, when tests or other parts need it.
    #[prop(optional)]
    id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap" id=id tabindex="0" role="region" aria-label=t(label)>
            {children()}
        </div>
    }
}
