//! An API failure shown where it happened: plain words for the operator, the CRM's own message for the developer.

use crate::api::ApiError;
use crate::i18n::words::Word;
use crate::i18n::{Phrase, Text};
use crate::ui::components::announce::announce;
use crate::ui::locale::t;
use leptos::prelude::*;

/// A red notice for `error`, with the CRM's `errorMsg`, `errors` and HTTP status in an expandable part; its plain
/// words are announced.
#[component]
pub fn ApiErrorNotice(error: ApiError) -> impl IntoView {
    let kind = error.kind();
    announce(Phrase::new(kind.word()));
    let status = error.status();
    let error_msg = error.error_msg().map(str::to_string);
    let errors = error.errors().to_vec();
    let technical = error.description();
    view! {
        <div class="notice bad api-error" data-kind=kind.key()>
            <strong>{t(kind.word())}</strong>
            {error_msg.clone().map(|m| view! { <div class="crm-message">{m}</div> })}
            {(!errors.is_empty()).then(|| view! {
                <ul class="crm-errors">
                    {errors.iter().map(|e| view! {
                        <li>{e.field.clone().map(|f| format!("{f}: ")).unwrap_or_default()}{e.message.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <details>
                <summary>{t(Text::TechnicalDetails)}</summary>
                <pre>{status.map(|s| format!("HTTP {s}\n")).unwrap_or_default()}{technical}</pre>
            </details>
        </div>
    }
}
