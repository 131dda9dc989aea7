//! The frame of a screen: its title, its introduction, and its content once a CRM key is checked.

use crate::i18n::Text;
use crate::ui::components::require_connection::RequireConnection;
use crate::ui::locale::t;
use leptos::prelude::*;

/// `<section class="page" id=id>` with the title, the intro and the children behind [`RequireConnection`].
#[component]
pub fn PageFrame(
    /// The section's id, e.g. `page-catalog`.
    id: &'static str,
    /// The screen's title (its navigation label).
    title: Text,
    /// The paragraph under the title.
    intro: Text,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <section class="page" id=id>
            <h1>{t(title)}</h1>
            <p class="intro">{t(intro)}</p>
            <RequireConnection>{children()}</RequireConnection>
        </section>
    }
}
