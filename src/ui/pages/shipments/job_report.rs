//! The progress, controls and report of a bulk shipment job (pasted rows, or orders chosen in the waiting list):
//! pause, resume, cancel, send the failed rows again, download the report as CSV.

use super::refusal::ShipmentError;
use crate::api::browser::BrowserClock;
use crate::api::Clock;
use crate::i18n::{Phrase, Text};
use crate::shipments::job::{BulkJob, Counts, JobState, ReportLabels, RowStatus};
use crate::ui::components::announce::announce;
use crate::ui::components::download::save_text_file;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::leave_guard::LeaveGuard;
use crate::ui::components::pager::{LocalPager, LocalPaging};
use crate::ui::components::progress::Progress;
use crate::ui::components::show::Show;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tr, use_locale};
use crate::ui::node::{el, head, td, th, El};
use crate::ui::reactive::{derive, effect};
use crate::ui::task::RunnerSlot;
use leptos::html;
use leptos::prelude::*;

/// How a job that is over ended, as said on the screen and announced.
fn ending(state: JobState, counts: Counts) -> Option<Phrase> {
    match state {
        JobState::Done => Some(
            Phrase::new(Text::ShipStateDone)
                .with("sent", counts.sent)
                .with("failed", counts.failed),
        ),
        JobState::Cancelled => Some(Phrase::new(Text::ShipStateCancelled)),
        _ => None,
    }
}

/// The job of `job` once there is one; the ids of its elements start with `prefix` (`{prefix}-controls`, ...). Its
/// heading takes the focus when a job starts (`focus`, armed by the owner) and after each of its buttons.
#[component]
pub fn JobReport(
    job: RunnerSlot<BulkJob>,
    /// The page of the report table (its owner goes back to page 1 for a new job).
    paging: LocalPaging,
    prefix: &'static str,
    /// What the job is (the progress bar's name).
    label: Text,
    focus: ResultFocus<html::H3>,
) -> impl IntoView {
    let report_paging = paging;
    let now = || BrowserClock.now_ms();
    let on_pause = move |_| {
        job.update(BulkJob::pause);
        focus.now();
    };
    let on_resume = move |_| {
        job.update(|j| j.start(now()));
        focus.now();
    };
    let on_cancel = move |_| {
        job.update(BulkJob::cancel);
        focus.now();
    };
    let on_retry = move |_| {
        job.update(|j| j.retry_failed(now()));
        focus.now();
    };
    let download_failed = RwSignal::new(false);
    let on_download = move |_| {
        let labels = ReportLabels {
            header: [
                tr(Text::ShipColLine),
                tr(Text::ShipKey),
                tr(Text::ShipColSite),
                tr(Text::ShipShipped),
                tr(Text::ShipStore),
                tr(Text::ShipDate),
                tr(Text::ShipColStatus),
                tr(Text::ShipNumber),
                tr(Text::ShipColError),
            ],
            pending: tr(Text::ShipStatusPending),
            sending: tr(Text::ShipStatusSending),
            sent: tr(Text::ShipStatusSent),
            failed: tr(Text::ShipStatusFailed),
        };
        if let Some(csv) = job.with_untracked(|j| j.report_csv(&labels)) {
            download_failed.set(!save_text_file("shipment-report.csv", &csv));
        }
    };

    let lang = use_locale().lang;
    let state = move || job.with(BulkJob::state);
    let counts = move || job.with(BulkJob::counts).unwrap_or_default();
    let report_count = derive(move || counts().total);
    effect(move |was: Option<Option<JobState>>| {
        let now = state();
        if was.is_some_and(|was| was != now) {
            if let Some(phrase) = now.and_then(|s| ending(s, counts())) {
                announce(phrase);
            }
        }
        now
    });
    view! {
    {move || job.with(|j| j.refusal().cloned()).flatten().map(|error| view! { <div id=format!("{prefix}-refusal")><ShipmentError error/></div> })}
    <LeaveGuard active=derive(move || state() == Some(JobState::Running) || job.in_flight() > 0)
        question=Text::ShipLeaveWarning/>
    <Show when=move || job.with(|_| ()).is_some()>
        <Progress
            done=derive(move || { let c = counts(); (c.sent + c.failed) as u64 })
            total=derive(move || counts().total as u64)
            rate=derive(move || job.with(BulkJob::rate).flatten())
            unit=Text::UnitOrders
            label
        />
        <div class="row" id=format!("{prefix}-controls") data-state=move || format!("{:?}", state().unwrap_or(JobState::Ready)).to_lowercase()
            data-in-flight=move || job.in_flight().to_string()>
            <Show when=move || state() == Some(JobState::Running)>
                <button id=format!("{prefix}-pause") class="secondary" on:click=on_pause>{t(Text::ShipPause)}</button>
            </Show>
            <Show when=move || state() == Some(JobState::Paused)>
                <button id=format!("{prefix}-resume") on:click=on_resume>{t(Text::ShipResume)}</button>
            </Show>
            <Show when=move || matches!(state(), Some(JobState::Running | JobState::Paused))>
                <button id=format!("{prefix}-cancel") class="secondary" on:click=on_cancel>{t(Text::ShipCancel)}</button>
            </Show>
            <Show when=move || { state() == Some(JobState::Done) && counts().failed > 0 }>
                <button id=format!("{prefix}-retry") class="secondary" on:click=on_retry>{t(Text::ShipRetryFailed)}</button>
            </Show>
            <button id=format!("{prefix}-download") class="secondary" on:click=on_download>{t(Text::ShipDownloadReport)}</button>
        </div>
        {move || match state() {
            Some(JobState::Paused) => Some(view! { <p class="notice warn" id=format!("{prefix}-state")>{t(Text::ShipStatePaused)}</p> }.into_any()),
            Some(s @ (JobState::Cancelled | JobState::Done)) => {
                let class = if s == JobState::Done { "notice ok" } else { "notice warn" };
                let phrase = move || ending(s, counts()).map(|p| p.in_lang(lang.get()));
                Some(view! { <p class=class id=format!("{prefix}-state")>{phrase}</p> }.into_any())
            }
            _ => None,
        }}
        <Show when=move || download_failed.get()>
            <p class="notice bad">{t(Text::ShipDownloadFailed)}</p>
        </Show>
        <h3 id=format!("{prefix}-report-title") tabindex="-1" node_ref=focus.node>{t(Text::ShipReportTitle)}</h3>
        <TableScroll label=Text::ShipReportTitle>
            {report_table(prefix, job, report_paging)}
        </TableScroll>
        <LocalPager paging=report_paging count=report_count/>
    </Show>
    }
}

/// The report table: a line per row of the job, with what was sent and what the CRM answered.
fn report_table(prefix: &'static str, job: RunnerSlot<BulkJob>, paging: LocalPaging) -> El {
    let rows = move || {
        let rows = job.with(|j| paging.rows(j.rows())).unwrap_or_default();
        rows.into_iter()
            .map(|r| {
                let s = r.shipment;
                let (status, class, number, error) = match r.status {
                    RowStatus::Pending => (Text::ShipStatusPending, "pending", None, String::new()),
                    RowStatus::Sending => (Text::ShipStatusSending, "sending", None, String::new()),
                    RowStatus::Sent { number } => {
                        (Text::ShipStatusSent, "sent", number, String::new())
                    }
                    RowStatus::Failed { error } => (Text::ShipStatusFailed, "failed", None, error),
                };
                let shipped = el("td");
                let shipped = match s.order.shipped {
                    Some(b) => shipped.tr(if b { Text::ShipYes } else { Text::ShipNo }),
                    None => shipped,
                };
                el("tr")
                    .attr("data-key", s.key.clone())
                    .attr("data-status", class)
                    .class(class)
                    .child(td("num", s.line.to_string()))
                    .child(td("", s.key))
                    .child(shipped)
                    .child(td("", s.order.shipment_store.unwrap_or_default()))
                    .child(td("", s.order.shipment_date.unwrap_or_default()))
                    .child(el("td").tr(status))
                    .child(td("number", number.unwrap_or_default()))
                    .child(td("field-error crm-message", error))
            })
            .collect()
    };
    el("table")
        .attr("id", format!("{prefix}-report"))
        .child(head([
            th(Text::ShipColLine).class("num"),
            th(Text::ShipKey),
            th(Text::ShipShipped),
            th(Text::ShipStore),
            th(Text::ShipDate),
            th(Text::ShipColStatus),
            th(Text::ShipNumber),
            th(Text::ShipColError),
        ]))
        .child(el("tbody").live_children(rows))
}
