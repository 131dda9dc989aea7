//! The catalog screen.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;

/// The catalog screen (being built: see the issue).
#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <section class="page" id="page-catalog">
            <h1>{t(Text::NavCatalog)}</h1>
            <p class="intro">{t(Text::CatalogIntro)}</p>
        </section>
    }
}
