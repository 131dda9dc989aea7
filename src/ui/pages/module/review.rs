//! What a save sends, reviewed before it is sent (the change list and the exact JSON), and the CRM's answer.

use crate::i18n::{Phrase, Text};
use crate::module::changes::ChangeKind;
use crate::module::save::{Outcome, Review};
use crate::ui::components::announce::announce;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, use_locale};
use crate::ui::node::{el, head, td, th};
use leptos::html;
use leptos::prelude::*;

/// The words for a kind of change.
fn change_kind_text(kind: ChangeKind) -> Text {
    match kind {
        ChangeKind::Added => Text::ModChangeAdded,
        ChangeKind::Changed => Text::ModChangeChanged,
        ChangeKind::Removed => Text::ModChangeRemoved,
    }
}

/// The change list and the exact request, with "Confirm and send" and "Back to editing"; its heading takes the focus
/// when a save opens it (`focus`, armed by the save button).
#[component]
pub fn ReviewPanel(
    review: Review,
    on_confirm: Callback<()>,
    on_back: Callback<()>,
    focus: ResultFocus<html::H3>,
) -> impl IntoView {
    let lang = use_locale().lang;
    let Review {
        request,
        new,
        changes,
        json,
        ..
    } = review;
    let summary = if new {
        Text::ModReviewNew
    } else if changes.is_empty() {
        Text::ModReviewNoChanges
    } else {
        Text::ModReviewChanges
    };
    let rows = changes.into_iter().map(|c| {
        el("tr")
            .class("mod-change")
            .attr("data-path", c.path.clone())
            .attr("data-kind", c.kind.key())
            .child(el("td").child(el("code").text(c.path)))
            .child(el("td").tr(change_kind_text(c.kind)))
            .child(td("mod-change-before", c.before.unwrap_or_default()))
            .child(td("mod-change-after", c.after.unwrap_or_default()))
    });
    let table = el("table")
        .attr("id", "mod-changes")
        .child(head([
            th(Text::ModChangeField),
            th(Text::ModChangeKind),
            th(Text::ModChangeBefore),
            th(Text::ModChangeAfter),
        ]))
        .child(el("tbody").children(rows));
    let path = request.path;
    view! {
        <div class="card" id="mod-review">
            <h3 id="mod-review-title" tabindex="-1" node_ref=focus.node>{t(Text::ModReviewTitle)}</h3>
            <p id="mod-review-summary">{t(summary)}</p>
            <TableScroll label=Text::ModReviewTitle>
                {table}
            </TableScroll>
            <p>{move || Text::ModReviewRequest.fill(lang.get(), &[("path", path.clone())])}</p>
            <pre id="mod-review-json">{json}</pre>
            <p class="muted" id="mod-review-key">{t(Text::ModReviewKeyHidden)}</p>
            <div class="field-inline">
                <button type="button" id="mod-confirm" on:click=move |_| on_confirm.run(())>
                    {t(Text::ModConfirmSend)}
                </button>
                <button type="button" class="secondary" id="mod-review-back" on:click=move |_| on_back.run(())>
                    {t(Text::ModReviewBack)}
                </button>
            </div>
        </div>
    }
}

/// What a save's answer says first, to announce (a failure is announced by its error notice).
fn outcome_phrase(outcome: &Outcome) -> Option<Phrase> {
    Some(match outcome {
        Outcome::Blocked(count) => Phrase::new(Text::ModFixErrors).with("count", count),
        Outcome::Saved { status: 201, .. } => Phrase::new(Text::ModCreated),
        Outcome::Saved { status: 200, .. } => Phrase::new(Text::ModUpdated),
        Outcome::Saved { status, .. } => Phrase::new(Text::ModSaved).with("status", status),
        Outcome::Failed(_) => return None,
    })
}

/// The answer to the last save: blocked by the panel's checks, saved (created or updated, with the CRM's `info`),
/// or failed; its first words are announced.
#[component]
pub fn SaveOutcomeNotice(outcome: Outcome) -> impl IntoView {
    let lang = use_locale().lang;
    if let Some(phrase) = outcome_phrase(&outcome) {
        announce(phrase);
    }
    move || {
        let lang = lang.get();
        match outcome.clone() {
            Outcome::Blocked(count) => view! {
                <p class="notice bad" id="mod-save-result" data-result="blocked">
                    {Text::ModFixErrors.fill(lang, &[("count", count.to_string())])}
                </p>
            }
            .into_any(),
            Outcome::Saved { status, info } => {
                let text = match status {
                    201 => Text::ModCreated.in_lang(lang).to_owned(),
                    200 => Text::ModUpdated.in_lang(lang).to_owned(),
                    other => Text::ModSaved.fill(lang, &[("status", other.to_string())]),
                };
                view! {
                    <div class="notice ok" id="mod-save-result" data-result="saved" data-status=status>
                        <strong>{text}</strong>
                        {(!info.is_empty()).then(|| view! {
                            <pre>{Text::ModCrmInfo.fill(lang, &[("info", info.clone())])}</pre>
                        })}
                    </div>
                }
                .into_any()
            }
            Outcome::Failed(error) => view! {
                <div id="mod-save-result" data-result="failed"><ApiErrorNotice error/></div>
            }
            .into_any(),
        }
    }
}
