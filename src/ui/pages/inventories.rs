//! The inventories screen.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;

/// The inventories screen (being built: see the issue).
#[component]
pub fn InventoriesPage() -> impl IntoView {
    view! {
        <section class="page" id="page-inventories">
            <h1>{t(Text::NavInventories)}</h1>
            <p class="intro">{t(Text::InventoriesIntro)}</p>
        </section>
    }
}
