//! The shipments screen.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;

/// The shipments screen (being built: see the issue).
#[component]
pub fn ShipmentsPage() -> impl IntoView {
    view! {
        <section class="page" id="page-shipments">
            <h1>{t(Text::NavShipments)}</h1>
            <p class="intro">{t(Text::ShipmentsIntro)}</p>
        </section>
    }
}
