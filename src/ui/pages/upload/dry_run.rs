//! Step 4: the CRM's current stock for the file's offers (the cheaper of reading by key or page by page, under the
//! shared rate limit) and the change.

use super::use_upload;
use crate::i18n::words::Word;
use crate::i18n::{Phrase, Text};
use crate::sheet::csv::CsvOptions;
use crate::ui::components::announce::announce;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::download::save_text_file;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::pager::{LocalPager, LocalPaging};
use crate::ui::components::progress::{format_duration, Progress};
use crate::ui::components::show::Show;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf};
use crate::ui::node::{el, head, td, th, El};
use crate::ui::reactive::{derive, effect, memo};
use crate::upload::diff::{Change, OfferDiff};
use crate::upload::dry_run::Strategy;
use crate::upload::flow::DryRun;
use leptos::html;
use leptos::prelude::*;

fn number(v: Option<f64>) -> String {
    v.map(|v| crate::sheet::csv::format_number(v, false))
        .unwrap_or_else(|| "–".to_string())
}

/// One offer of the dry run as a table row: key, line, change, and per warehouse "before → after".
fn offer_row(o: &OfferDiff) -> El {
    let stores = o.stores.iter().map(|s| {
        let mut text = format!(
            "{}: {} → {}",
            s.code,
            number(s.quantity_before),
            number(s.quantity_after)
        );
        if s.price_changed() {
            text.push_str(&format!(
                " ({} → {})",
                number(s.price_before),
                number(s.price_after)
            ));
        }
        el("div")
            .attr_opt("class", s.changed().then(|| "changed".to_string()))
            .text(text)
    });
    let change = o.change;
    el("tr")
        .class("up-diff-row")
        .attr("data-change", format!("{change:?}"))
        .child(td("", o.line.to_string()))
        .child(td("", o.key.value()))
        .child(td("", o.site.clone().unwrap_or_default()))
        .child(el("td").tr(change.word()))
        .child(el("td").children(stores))
}

/// Where the dry run is, as the step shows it: cheap to compare, so the step renders only when it changes.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
struct Status {
    revision: u64,
    reading: bool,
    done: bool,
    pages_done: usize,
    pages_known: usize,
    plan: Option<(Strategy, usize)>,
}

/// "N requests: about T at R requests per second", for work not started yet.
pub(super) fn estimate_text((requests, rate): (usize, f64)) -> String {
    let seconds = requests as f64 / rate.max(0.1);
    tf(Text::UpEstimate, move || {
        vec![
            ("requests", requests.to_string()),
            ("time", format_duration(seconds)),
            ("rate", rate.to_string()),
        ]
    })()
}

#[component]
pub fn DryRunStep() -> impl IntoView {
    let state = use_upload();
    let paging = LocalPaging::new();
    let filter = RwSignal::new(None::<Change>);
    let status = memo(move || {
        state
            .with(|u| {
                let flow = u.flow();
                let reading = matches!(flow.dry_run(), DryRun::Reading { .. });
                let (progress, plan) = u
                    .with_dry_run(|j| (j.progress(), j.sink().plan()))
                    .unwrap_or_default();
                Status {
                    revision: flow.revision(),
                    reading,
                    done: flow.diff().is_some(),
                    pages_done: progress.pages_done,
                    pages_known: progress.pages_known,
                    plan: plan.map(|p| (p.strategy, p.requests)),
                }
            })
            .unwrap_or_default()
    });
    let error = memo(move || {
        let _ = status.get();
        state.act(|u| u.dry_run_error()).flatten()
    });
    // The dry run's result heading takes the focus when the result is in; the result is announced.
    let focus = ResultFocus::<html::H3>::new();
    effect(move |was_done: Option<bool>| {
        let done = status.with(|s| s.done);
        if done && was_done == Some(false) {
            if let Some(counts) = state.act(|u| u.flow().diff().map(|d| d.counts())).flatten() {
                announce(
                    Phrase::new(Text::UpDryRunDone)
                        .with("changed", counts.changed)
                        .with("unchanged", counts.unchanged)
                        .with("notInCrm", counts.not_in_crm),
                );
            }
        }
        done
    });
    let start = move |_| {
        paging.page.set(1);
        focus.arm();
        state.act(|u| state.run(u.dry_run()));
    };
    let stop = move |_| {
        state.act(|u| u.cancel_dry_run());
    };
    let download_before = move |_| {
        let csv = state.act(|u| {
            u.flow()
                .diff()
                .map(|d| d.before_as_import_file(CsvOptions::default()))
        });
        if let Some(Some(csv)) = csv {
            save_text_file("stock-before-upload.csv", &csv);
        }
    };
    let plan_text = move || {
        let s = status.get();
        match s.plan {
            None if s.reading => Some(t(Text::UpDryRunChoosing)().to_string()),
            None => None,
            Some((strategy, requests)) => Some(tf(strategy.word(), move || {
                vec![("requests", requests.to_string())]
            })()),
        }
    };
    // The offers of the change chosen; only the rows of the page render again on a page or a choice.
    let is_shown = move |o: &&OfferDiff| filter.get().is_none_or(|c| o.change == c);
    let shown_count = derive(move || {
        let _ = status.get();
        state
            .act(|u| {
                u.flow()
                    .diff()
                    .map(|d| d.offers.iter().filter(is_shown).count())
            })
            .flatten()
            .unwrap_or(0)
    });
    let shown_rows = move || {
        state
            .act(|u| {
                u.flow().diff().map(|d| {
                    let shown: Vec<&OfferDiff> = d.offers.iter().filter(is_shown).collect();
                    paging
                        .rows(&shown)
                        .into_iter()
                        .map(offer_row)
                        .collect::<Vec<El>>()
                })
            })
            .flatten()
    };
    let result = move || {
        if !status.with(|s| s.done) {
            return None;
        }
        state.act(|u| {
            let flow = u.flow();
            let d = flow.diff()?;
            let counts = d.counts();
            let totals = d.totals().into_iter().map(|s| {
                el("tr")
                    .attr("data-store", s.code.clone())
                    .child(td("", s.code))
                    .child(td("num", number(Some(s.quantity_before))))
                    .child(td("num", number(Some(s.quantity_after))))
                    .child(td("num", s.offers_changed.to_string()))
            });
            let totals = el("table")
                .attr("id", "up-diff-totals")
                .child(head([th(Text::UpWarehouse), th(Text::UpBefore), th(Text::UpAfter), th(Text::UpOffersChanged)]))
                .child(el("tbody").children(totals));
            let only_changed = flow.only_changed();
            let wanted = filter.get_untracked();
            Some(view! {
                <h3 id="up-dry-run-result" tabindex="-1" node_ref=focus.node>{t(Text::UpDryRunResult)}</h3>
                <p id="up-diff-counts" data-changed=counts.changed.to_string()
                    data-unchanged=counts.unchanged.to_string() data-not-in-crm=counts.not_in_crm.to_string()>
                    <span class="badge">{t(Text::UpChanged)}": "{counts.changed}</span>" "
                    <span class="badge">{t(Text::UpUnchanged)}": "{counts.unchanged}</span>" "
                    <span class="badge warn">{t(Text::UpNotInCrm)}": "{counts.not_in_crm}</span>
                </p>
                <TableScroll label=Text::UpDryRunTotals>
                    {totals}
                </TableScroll>
                <div class="row">
                    <label class="field">{t(Text::UpShow)}
                        <select id="up-diff-filter" on:change=move |ev| {
                            filter.set(match event_target_value(&ev).as_str() {
                                "changed" => Some(Change::Changed),
                                "unchanged" => Some(Change::Unchanged),
                                "notInCrm" => Some(Change::NotInCrm),
                                _ => None,
                            });
                            paging.page.set(1);
                        }>
                            <option value="" selected=wanted.is_none()>{t(Text::UpAll)}</option>
                            <option value="changed" selected=wanted == Some(Change::Changed)>{t(Text::UpChanged)}</option>
                            <option value="unchanged" selected=wanted == Some(Change::Unchanged)>{t(Text::UpUnchanged)}</option>
                            <option value="notInCrm" selected=wanted == Some(Change::NotInCrm)>{t(Text::UpNotInCrm)}</option>
                        </select>
                    </label>
                </div>
                <TableScroll label=Text::UpStepDryRun>
                    {el("table")
                        .attr("id", "up-diff-table")
                        .child(head([th(Text::UpLine), th(Text::UpKey), th(Text::UpSite), th(Text::UpChange), th(Text::UpBeforeAfter)]))
                        .child(el("tbody").live_children(move || shown_rows().unwrap_or_default()))}
                </TableScroll>
                <LocalPager paging count=shown_count/>
                <div class="row">
                    <label><input type="checkbox" id="up-only-changed" prop:checked=only_changed
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            state.act(|u| u.update_flow(|f| f.set_only_changed(on)));
                        }/>" "{t(Text::UpOnlyChanged)}</label>
                    <button class="secondary" id="up-before-download" on:click=download_before>{t(Text::UpDownloadBefore)}</button>
                </div>
            })
        })
        .flatten()
    };
    let can_start = memo(move || state.flow(|f| f.has_offers()).unwrap_or(false));
    // How long a dry run may take, said before it starts (computed once per file and mapping).
    let revision = memo(move || state.flow(|f| f.revision()).unwrap_or(0));
    let estimate = memo(move || {
        let _ = revision.get();
        state
            .act(|u| (u.dry_run_requests_by_key(), u.rate()))
            .unwrap_or((0, 10.0))
    });
    let reading = move || status.with(|s| s.reading);
    view! {
        <Show when=move || can_start.get()>
            <div class="card" id="up-dry-run-card">
                <h2>{t(Text::UpStepDryRun)}</h2>
                <p class="hint">{t(Text::UpDryRunHint)}</p>
                <div class="row">
                    <button id="up-dry-run" disabled=reading on:click=start>{t(Text::UpDryRunStart)}</button>
                    <Show when=reading>
                        <button class="secondary" id="up-dry-run-stop" on:click=stop>{t(Text::Cancel)}</button>
                    </Show>
                </div>
                <p class="hint" id="up-dry-run-estimate" data-requests=move || estimate.get().0.to_string()>
                    {move || estimate_text(estimate.get())}
                </p>
                <p class="hint" id="up-dry-run-plan">{plan_text}</p>
                <Show when=reading>
                    <Progress done=derive(move || status.with(|s| s.pages_done as u64))
                        total=derive(move || status.with(|s| s.pages_known as u64))
                        rate=derive(|| None)
                        unit=Text::UnitRequests label=Text::UpStepDryRun/>
                </Show>
                {move || error.get().map(|e| view! { <ApiErrorNotice error=e/> })}
                {result}
            </div>
        </Show>
    }
}
