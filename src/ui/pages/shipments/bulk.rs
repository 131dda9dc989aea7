//! Many orders: rows pasted or loaded from a file, checked, sent by the runner (several orders in flight) with
//! progress, pause and cancel, and a report that can be downloaded.

use super::refusal::ShipmentError;
use super::References;
use crate::api::browser::BrowserClock;
use crate::api::order::By;
use crate::api::Clock;
use crate::i18n::words::Words;
use crate::i18n::Text;
use crate::sheet::decode::{decode_text, ReadError};
use crate::shipments::job::{BulkJob, JobState, ReportLabels, RowStatus};
use crate::shipments::row::rows_from_text;
use crate::shipments::validate::{check, Checked, Context, Problem};
use crate::ui::components::download::save_text_file;
use crate::ui::components::drop_zone::DropZone;
use crate::ui::components::pager::{LocalPager, LocalPaging};
use crate::ui::components::progress::Progress;
use crate::ui::locale::{t, tf, tp, tr};
use crate::ui::session::use_session;
use crate::ui::task::RunnerSlot;
use leptos::prelude::*;

/// A row problem in the operator's words.
fn problem_text(problem: &Problem) -> String {
    let (text, args) = match problem {
        Problem::MissingKey => (Text::ShipPMissingKey, vec![]),
        Problem::BadId(v) => (Text::ShipPBadId, vec![("value", v.clone())]),
        Problem::UnknownWarehouse(v) => (Text::ShipPUnknownWarehouse, vec![("value", v.clone())]),
        Problem::UnknownSite(v) => (Text::ShipPUnknownSite, vec![("value", v.clone())]),
        Problem::BadDate(v) => (Text::ShipPBadDate, vec![("value", v.clone())]),
        Problem::BadShipped(v) => (Text::ShipPBadShipped, vec![("value", v.clone())]),
        Problem::NothingToSet => (Text::ShipPNothing, vec![]),
        Problem::Duplicate { first_line } => {
            (Text::ShipPDuplicate, vec![("line", first_line.to_string())])
        }
    };
    crate::i18n::fill(tr(text), &args)
}

/// The many-orders part of the screen.
#[component]
pub fn BulkShipment(refs: References) -> impl IntoView {
    let session = use_session();
    let text = RwSignal::new(String::new());
    let file_name = RwSignal::new(None::<String>);
    let by = RwSignal::new(By::ExternalId);
    let read_error = RwSignal::new(None::<ReadError>);
    let checked = RwSignal::new(None::<Checked>);
    let job = RunnerSlot::<BulkJob>::new();
    let problems_paging = LocalPaging::new();
    let report_paging = LocalPaging::new();
    let now = || BrowserClock.now_ms();

    let on_file =
        Callback::new(
            move |(name, bytes): (String, Vec<u8>)| match decode_text(&bytes) {
                Ok((decoded, _)) => {
                    text.set(decoded);
                    file_name.set(Some(name));
                    read_error.set(None);
                }
                Err(e) => read_error.set(Some(e)),
            },
        );
    let on_check = move |_| {
        checked.set(None);
        job.clear();
        match rows_from_text(&text.get_untracked()) {
            Ok(rows) => {
                read_error.set(None);
                let stores = refs.stores.get_untracked();
                let sites: Vec<String> = refs
                    .sites
                    .get_untracked()
                    .into_iter()
                    .map(|(code, _)| code)
                    .collect();
                let site = refs.site.get_untracked();
                let ctx = Context {
                    by: rows.by.unwrap_or(by.get_untracked()),
                    stores: &stores,
                    sites: &sites,
                    default_site: site.as_deref(),
                };
                problems_paging.page.set(1);
                checked.set(Some(check(&rows.rows, ctx)));
            }
            Err(e) => read_error.set(Some(e)),
        }
    };
    let on_send = move |_| {
        let Some(ready) = checked.with_untracked(|c| c.as_ref().map(|c| c.ready.clone())) else {
            return;
        };
        report_paging.page.set(1);
        let mut bulk = BulkJob::new(ready);
        bulk.start(now());
        job.start(&session, bulk);
    };
    let on_pause = move |_| {
        job.update(BulkJob::pause);
    };
    let on_resume = move |_| {
        job.update(|j| j.start(now()));
    };
    let on_cancel = move |_| {
        job.update(BulkJob::cancel);
        job.abort();
    };
    let on_retry = move |_| {
        job.update(|j| j.retry_failed(now()));
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

    let state = move || job.with(BulkJob::state);
    let counts = move || job.with(BulkJob::counts).unwrap_or_default();
    let refused_count =
        Signal::derive(move || checked.with(|c| c.as_ref().map_or(0, |c| c.refused.len())));
    let ready_count = move || checked.with(|c| c.as_ref().map_or(0, |c| c.ready.len()));
    let report_count = Signal::derive(move || counts().total);
    let summary = Signal::derive(tf(Text::ShipBulkSummary, move || {
        vec![
            ("ready", ready_count().to_string()),
            ("refused", refused_count.get().to_string()),
        ]
    }));
    let send_label = Signal::derive(tf(Text::ShipBulkSend, move || {
        vec![("count", ready_count().to_string())]
    }));
    let done_label = Signal::derive(tf(Text::ShipStateDone, move || {
        let c = counts();
        vec![
            ("sent", c.sent.to_string()),
            ("failed", c.failed.to_string()),
        ]
    }));
    let loaded_label = Signal::derive(tf(Text::ShipBulkLoaded, move || {
        vec![("name", file_name.get().unwrap_or_default())]
    }));

    view! {
        <div class="card" id="ship-bulk">
            <h2>{t(Text::ShipBulkTitle)}</h2>
            <p class="hint">{t(Text::ShipBulkHint)}</p>
            <div class="field">
                <label for="bulk-text">{t(Text::ShipBulkRows)}</label>
                <textarea id="bulk-text" rows="8" spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <DropZone on_file accept=".csv,.tsv,.txt" label=Text::ShipBulkDrop input_id="bulk-file"
                max_bytes=crate::sheet::limits::MAX_BYTES
                on_refused=Callback::new(move |(_, e): (String, ReadError)| read_error.set(Some(e)))/>
            <Show when=move || file_name.with(Option::is_some)>
                <p class="hint" id="bulk-loaded">{loaded_label}</p>
            </Show>
            <div class="row">
                <div class="field">
                    <label for="bulk-by">{t(Text::ShipBulkByHint)}</label>
                    <select id="bulk-by" on:change=move |ev| by.set(if event_target_value(&ev) == "id" { By::Id } else { By::ExternalId })>
                        <option value="externalId">{t(Text::ShipByExternalId)}</option>
                        <option value="id">{t(Text::ShipById)}</option>
                    </select>
                </div>
                // The check needs the warehouses: until they are loaded it would refuse every row.
                <button id="bulk-check" class="secondary"
                    disabled=move || state() == Some(JobState::Running) || refs.stores.with(Vec::is_empty)
                    on:click=on_check>{t(Text::ShipBulkCheck)}</button>
            </div>
            {move || read_error.get().map(|e| view! { <p class="notice bad" id="bulk-read-error">{tp(e.phrase())}</p> })}
            <Show when=move || checked.with(Option::is_some)>
                <p class="notice" id="bulk-summary">{summary}</p>
                <Show when=move || { refused_count.get() > 0 }>
                    <h3>{t(Text::ShipProblemsTitle)}</h3>
                    <div class="table-wrap">
                        <table id="bulk-problems">
                            <thead><tr>
                                <th class="num">{t(Text::ShipColLine)}</th>
                                <th>{t(Text::ShipKey)}</th>
                                <th>{t(Text::ShipColProblem)}</th>
                            </tr></thead>
                            <tbody>
                                {move || {
                                    let rows = checked.with(|c| c.as_ref().map(|c| problems_paging.rows(&c.refused)).unwrap_or_default());
                                    rows.into_iter().map(|r| {
                                        let problems = r.problems.iter().map(problem_text).collect::<Vec<_>>().join("; ");
                                        view! {
                                            <tr data-line=r.row.line.to_string() data-key=r.row.key.clone()>
                                                <td class="num">{r.row.line}</td>
                                                <td>{r.row.key.clone()}</td>
                                                <td class="field-error">{problems}</td>
                                            </tr>
                                        }
                                    }).collect_view()
                                }}
                            </tbody>
                        </table>
                    </div>
                    <LocalPager paging=problems_paging count=refused_count/>
                </Show>
                <div class="row">
                    <button id="bulk-send"
                        disabled=move || ready_count() == 0 || matches!(state(), Some(JobState::Running | JobState::Paused))
                        on:click=on_send>{send_label}</button>
                </div>
            </Show>
            {move || job.with(|j| j.refusal().cloned()).flatten().map(|error| view! { <div id="bulk-refusal"><ShipmentError error/></div> })}
            <Show when=move || job.with(|_| ()).is_some()>
                <Progress
                    done=Signal::derive(move || { let c = counts(); (c.sent + c.failed) as u64 })
                    total=Signal::derive(move || counts().total as u64)
                    rate=Signal::derive(move || job.with(BulkJob::rate).flatten())
                    unit=Signal::derive(move || t(Text::ShipUnitOrders)().to_string())
                />
                <div class="row" id="bulk-controls" data-state=move || format!("{:?}", state().unwrap_or(JobState::Ready)).to_lowercase()
                    data-in-flight=move || job.in_flight().to_string()>
                    <Show when=move || state() == Some(JobState::Running)>
                        <button id="bulk-pause" class="secondary" on:click=on_pause>{t(Text::ShipPause)}</button>
                    </Show>
                    <Show when=move || state() == Some(JobState::Paused)>
                        <button id="bulk-resume" on:click=on_resume>{t(Text::ShipResume)}</button>
                    </Show>
                    <Show when=move || matches!(state(), Some(JobState::Running | JobState::Paused))>
                        <button id="bulk-cancel" class="secondary" on:click=on_cancel>{t(Text::ShipCancel)}</button>
                    </Show>
                    <Show when=move || { state() == Some(JobState::Done) && counts().failed > 0 }>
                        <button id="bulk-retry" class="secondary" on:click=on_retry>{t(Text::ShipRetryFailed)}</button>
                    </Show>
                    <button id="bulk-download" class="secondary" on:click=on_download>{t(Text::ShipDownloadReport)}</button>
                </div>
                {move || match state() {
                    Some(JobState::Paused) => Some(view! { <p class="notice warn" id="bulk-state">{t(Text::ShipStatePaused)}</p> }.into_any()),
                    Some(JobState::Cancelled) => Some(view! { <p class="notice warn" id="bulk-state">{t(Text::ShipStateCancelled)}</p> }.into_any()),
                    Some(JobState::Done) => Some(view! { <p class="notice ok" id="bulk-state">{done_label}</p> }.into_any()),
                    _ => None,
                }}
                <Show when=move || download_failed.get()>
                    <p class="notice bad">{t(Text::ShipDownloadFailed)}</p>
                </Show>
                <h3>{t(Text::ShipReportTitle)}</h3>
                <div class="table-wrap">
                    <table id="bulk-report">
                        <thead><tr>
                            <th class="num">{t(Text::ShipColLine)}</th>
                            <th>{t(Text::ShipKey)}</th>
                            <th>{t(Text::ShipShipped)}</th>
                            <th>{t(Text::ShipStore)}</th>
                            <th>{t(Text::ShipDate)}</th>
                            <th>{t(Text::ShipColStatus)}</th>
                            <th>{t(Text::ShipColError)}</th>
                        </tr></thead>
                        <tbody>
                            {move || {
                                let rows = job.with(|j| report_paging.rows(j.rows())).unwrap_or_default();
                                rows.into_iter().map(|r| {
                                    let s = r.shipment;
                                    let (status, class, error) = match r.status {
                                        RowStatus::Pending => (Text::ShipStatusPending, "pending", String::new()),
                                        RowStatus::Sending => (Text::ShipStatusSending, "sending", String::new()),
                                        RowStatus::Sent { .. } => (Text::ShipStatusSent, "sent", String::new()),
                                        RowStatus::Failed { error } => (Text::ShipStatusFailed, "failed", error),
                                    };
                                    let shipped = s.order.shipped.map(|b| t(if b { Text::ShipYes } else { Text::ShipNo }));
                                    view! {
                                        <tr data-key=s.key.clone() data-status=class class=class>
                                            <td class="num">{s.line}</td>
                                            <td>{s.key.clone()}</td>
                                            <td>{move || shipped.map(|f| f()).unwrap_or("")}</td>
                                            <td>{s.order.shipment_store.clone()}</td>
                                            <td>{s.order.shipment_date.clone()}</td>
                                            <td>{t(status)}</td>
                                            <td class="field-error">{error}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
                <LocalPager paging=report_paging count=report_count/>
            </Show>
        </div>
    }
}
