//! Many orders: rows pasted or loaded from a file, checked, sent by the runner (several orders in flight) with
//! progress, pause and cancel, and a report that can be downloaded.

use super::job_report::JobReport;
use super::References;
use crate::api::browser::BrowserClock;
use crate::api::order::By;
use crate::api::Clock;
use crate::i18n::words::Words;
use crate::i18n::{Lang, Text};
use crate::sheet::decode::{decode_text, ReadError};
use crate::shipments::job::{BulkJob, JobState};
use crate::shipments::row::rows_from_text;
use crate::shipments::validate::{check, Checked, Context, Problem};
use crate::ui::components::drop_zone::DropZone;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::pager::{LocalPager, LocalPaging};
use crate::ui::components::show::Show;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf, tp, use_locale};
use crate::ui::reactive::{derive, derived};
use crate::ui::session::use_session;
use crate::ui::task::RunnerSlot;
use leptos::html;
use leptos::prelude::*;

/// A row problem in the operator's words.
fn problem_text(problem: &Problem, lang: Lang) -> String {
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
    text.fill(lang, &args)
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
    let lang = use_locale().lang;
    let report_focus = ResultFocus::<html::H3>::new();

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
        report_focus.arm();
        job.start(&session, bulk);
        report_focus.now();
    };
    let state = move || job.with(BulkJob::state);
    let refused_count = derive(move || checked.with(|c| c.as_ref().map_or(0, |c| c.refused.len())));
    let ready_count = move || checked.with(|c| c.as_ref().map_or(0, |c| c.ready.len()));
    let summary = derived(tf(Text::ShipBulkSummary, move || {
        vec![
            ("ready", ready_count().to_string()),
            ("refused", refused_count.get().to_string()),
        ]
    }));
    let send_label = derived(tf(Text::ShipBulkSend, move || {
        vec![("count", ready_count().to_string())]
    }));
    let loaded_label = derived(tf(Text::ShipBulkLoaded, move || {
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
                    <TableScroll label=Text::ShipProblemsTitle>
                        <table id="bulk-problems">
                            <thead><tr>
                                <th class="num">{t(Text::ShipColLine)}</th>
                                <th>{t(Text::ShipKey)}</th>
                                <th>{t(Text::ShipColProblem)}</th>
                            </tr></thead>
                            <tbody>
                                {move || {
                                    let rows = checked.with(|c| c.as_ref().map(|c| problems_paging.rows(&c.refused)).unwrap_or_default());
                                    let lang = lang.get();
                                    rows.into_iter().map(|r| {
                                        let problems = r.problems.iter().map(|p| problem_text(p, lang)).collect::<Vec<_>>().join("; ");
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
                    </TableScroll>
                    <LocalPager paging=problems_paging count=refused_count/>
                </Show>
                <div class="row">
                    <button id="bulk-send"
                        disabled=move || ready_count() == 0 || matches!(state(), Some(JobState::Running | JobState::Paused))
                        on:click=on_send>{send_label}</button>
                </div>
            </Show>
            <JobReport job paging=report_paging prefix="bulk" label=Text::ShipBulkTitle focus=report_focus/>
        </div>
    }
}
