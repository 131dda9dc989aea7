//! Step 6: what the CRM did with each offer (processed, not found, failed with its error), as a table and a file; the run history.

use super::use_upload;
use crate::i18n::words::Word;
use crate::i18n::{Phrase, Text};
use crate::sheet::csv::CsvOptions;
use crate::ui::components::announce::announce;
use crate::ui::components::download::save_text_file;
use crate::ui::components::pager::{LocalPager, LocalPaging};
use crate::ui::components::show::Show;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf, use_locale};
use crate::ui::node::{el, head, td, th};
use crate::ui::reactive::{effect, memo};
use crate::upload::job::{JobState, OfferOutcome, Outcome, UploadJob};
use leptos::prelude::*;

/// The report's verdict on `job`: its words, its notice class and a stable code.
fn verdict(job: &UploadJob) -> (Text, &'static str, &'static str) {
    let p = job.progress(0.0);
    let all_applied = job.state == JobState::Done
        && p.not_found == 0
        && p.offers_failed == 0
        && job.rows_skipped == 0;
    match job.state {
        JobState::Done if all_applied => (Text::UpReportAllApplied, "notice ok", "allApplied"),
        JobState::Done => (
            Text::UpReportDoneWithIssues,
            "notice warn",
            "doneWithIssues",
        ),
        JobState::Cancelled => (Text::UpReportCancelled, "notice warn", "cancelled"),
        _ => (Text::UpReportFailed, "notice bad", "failed"),
    }
}

/// The offers that need a look (not found, failed, not sent), paginated, and the full report as CSV.
#[component]
pub fn ReportStep() -> impl IntoView {
    let state = use_upload();
    let paging = LocalPaging::new();
    // Shown once chunks were answered and the job is not running: the report walks every offer, too much to redo
    // after each chunk of a large file.
    let version = memo(move || {
        state
            .with(|u| {
                u.with_job(|j| {
                    let p = j.progress(0.0);
                    (j.state, p.chunks_done + p.chunks_failed)
                })
            })
            .flatten()
            .filter(|(s, answered)| *s != JobState::Running && *answered > 0)
    });
    let download = move |_| {
        if let Some(Some(csv)) = state.act(|u| u.with_job(|j| j.report_csv(CsvOptions::default())))
        {
            save_text_file("upload-report.csv", &csv);
        }
    };
    let download_skipped = move |_| state.download_problem_rows();
    // An upload that ends (done, failed or cancelled) is announced with the report's verdict.
    effect(move |was: Option<Option<(JobState, usize)>>| {
        let now = version.get();
        let ended = now.is_some_and(|(s, _)| {
            matches!(s, JobState::Done | JobState::Failed | JobState::Cancelled)
        });
        if ended && was.is_some_and(|was| was != now) {
            if let Some(Some((text, ..))) = state.act(|u| u.with_job(verdict)) {
                announce(Phrase::new(text));
            }
        }
        now
    });
    let body = move || {
        version.get()?;
        // The rows left out can be downloaded while the file they came from is still on the screen.
        let has_file = state.act(|u| u.flow().file().is_some()).unwrap_or(false);
        state.act(|u| u.with_job(|j| {
            let p = j.progress(0.0);
            let attention: Vec<OfferOutcome> = j
                .report()
                .filter(|o| o.outcome != Outcome::Processed)
                .collect();
            let attention_count = attention.len();
            let rows = paging.rows(&attention).into_iter().map(|o| {
                let error = match &o.outcome {
                    Outcome::Failed { error } => error.clone(),
                    _ => String::new(),
                };
                el("tr").class("up-report-row").attr("data-outcome", o.outcome.code()).attr("data-key", o.key.value())
                    .child(td("", o.line.to_string())).child(td("", o.key.value()))
                    .child(td("", o.site.clone().unwrap_or_default()))
                    .child(el("td").tr(o.outcome.word())).child(td("crm-message", error))
            });
            let table = el("table").attr("id", "up-report-table")
                .child(head([th(Text::UpLine), th(Text::UpKey), th(Text::UpSite), th(Text::UpOutcome), th(Text::UpError)]))
                .child(el("tbody").children(rows));
            let (processed, not_found, failed) = (p.processed, p.not_found, p.offers_failed);
            let skipped = j.rows_skipped;
            let (verdict, class, code) = verdict(j);
            Some(view! {
                <p id="up-report-verdict" class=class data-verdict=code>{t(verdict)}</p>
                <p id="up-report-summary" data-processed=processed.to_string() data-not-found=not_found.to_string()
                    data-failed=failed.to_string() data-skipped=skipped.to_string()>
                    {tf(Text::UpReportSummary, move || vec![
                        ("processed", processed.to_string()),
                        ("notFound", not_found.to_string()),
                        ("failed", failed.to_string()),
                        ("skipped", skipped.to_string()),
                    ])}
                </p>
                {(skipped > 0 && has_file).then(|| view! {
                    <button class="secondary" id="up-report-skipped-download" on:click=download_skipped>
                        {t(Text::UpDownloadProblemRows)}
                    </button>
                })}
                <TableScroll label=Text::UpStepReport>
                    {table}
                </TableScroll>
                <LocalPager paging count=attention_count/>
                <button class="secondary" id="up-report-download" on:click=download>{t(Text::DownloadCsv)}</button>
            })
        }))
        .flatten()
        .flatten()
    };
    view! {
        <Show when=move || version.with(Option::is_some)>
            <div class="card" id="up-report">
                <h2>{t(Text::UpStepReport)}</h2>
                {body}
            </div>
        </Show>
    }
}

/// The last runs on this device.
#[component]
pub fn HistoryList() -> impl IntoView {
    let state = use_upload();
    let history = memo(move || state.with(|u| u.history()).unwrap_or_default());
    let lang = use_locale().lang;
    let rows = move || {
        let lang = lang.get().code();
        history
            .get()
            .into_iter()
            .map(|r| {
                let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(r.at_ms));
                let when =
                    String::from(date.to_locale_string(lang, &wasm_bindgen::JsValue::UNDEFINED));
                el("tr")
                    .class("up-history-row")
                    .child(td("", when))
                    .child(td("", r.file.clone()))
                    .child(td("num", r.offers.to_string()))
                    .child(td("num", r.processed.to_string()))
                    .child(td("num", r.not_found.to_string()))
                    .child(td("num", r.failed.to_string()))
                    .child(td("num", r.rows_skipped.to_string()))
                    .child(el("td").tr(r.state.word()))
            })
            .collect()
    };
    let table = move || {
        el("table")
            .child(head([
                th(Text::UpDate),
                th(Text::UpFile),
                th(Text::UpOffers),
                th(Text::UpOutcomeProcessed),
                th(Text::UpOutcomeNotFound),
                th(Text::UpOutcomeFailed),
                th(Text::UpSkippedRows),
                th(Text::UpState),
            ]))
            .child(el("tbody").live_children(rows))
    };
    view! {
        <Show when=move || history.with(|h| !h.is_empty())>
            <div class="card" id="up-history">
                <h2>{t(Text::UpHistory)}</h2>
                <TableScroll label=Text::UpHistory>
                    {table()}
                </TableScroll>
            </div>
        </Show>
    }
}
