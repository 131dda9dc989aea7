//! The screen for an address the panel does not know.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;
use leptos_router::components::A;

/// "Page not found", with a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page" id="not-found">
            <h1>{t(Text::NotFoundTitle)}</h1>
            <p>{t(Text::NotFoundBody)}</p>
            <A href="/">{t(Text::NotFoundBack)}</A>
        </section>
    }
}
