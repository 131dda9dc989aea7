//! The connection screen.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;

/// The connection screen (being built: see the issue).
#[component]
pub fn ConnectionPage() -> impl IntoView {
    view! {
        <section class="page" id="page-connection">
            <h1>{t(Text::NavConnection)}</h1>
            <p class="intro">{t(Text::ConnectionIntro)}</p>
        </section>
    }
}
