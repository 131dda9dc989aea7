//! The one live region of the panel: results said to screen readers (a check's verdict, a dry run's result, an
//! upload done or failed, a shipment saved, an error), in the language shown.

use crate::i18n::Phrase;
use crate::ui::locale::use_locale;
use leptos::prelude::*;

/// What was last announced; provided by the app.
#[derive(Clone, Copy)]
pub struct Announcer(RwSignal<Option<Phrase>>);

/// Says `phrase` through the live region (nothing outside the app).
pub fn announce(phrase: Phrase) {
    if let Some(Announcer(said)) = use_context::<Announcer>() {
        said.set(Some(phrase));
    }
}

/// Provides the [`Announcer`] to the whole app (before [`LiveRegion`] and the screens).
pub fn provide_announcer() {
    provide_context(Announcer(RwSignal::new(None)));
}

/// The live region (visually hidden).
#[component]
pub fn LiveRegion() -> impl IntoView {
    let said = use_context::<Announcer>().map_or_else(|| RwSignal::new(None), |a| a.0);
    let lang = use_locale().lang;
    view! {
        <div class="visually-hidden" id="announcer" role="status" aria-live="polite">
            {move || said.with(|p| p.as_ref().map(|p| p.in_lang(lang.get())))}
        </div>
    }
}
