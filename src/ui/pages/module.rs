//! The module screen.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;

/// The module screen (being built: see the issue).
#[component]
pub fn ModulePage() -> impl IntoView {
    view! {
        <section class="page" id="page-module">
            <h1>{t(Text::NavModule)}</h1>
            <p class="intro">{t(Text::ModuleIntro)}</p>
        </section>
    }
}
