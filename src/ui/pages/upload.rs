//! The upload screen.

use crate::i18n::Text;
use crate::ui::locale::t;
use leptos::prelude::*;

/// The upload screen (being built: see the issue).
#[component]
pub fn UploadPage() -> impl IntoView {
    view! {
        <section class="page" id="page-upload">
            <h1>{t(Text::NavUpload)}</h1>
            <p class="intro">{t(Text::UploadIntro)}</p>
        </section>
    }
}
