//! Step 4: the CRM's current stock for the file's offers (same key, batches under the rate limit) and the change.

use super::use_upload;
use crate::api::ApiError;
use crate::i18n::Text;
use crate::sheet::csv::CsvOptions;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::download::save_text_file;
use crate::ui::components::pager::{LocalPager, LocalPaging};
use crate::ui::components::progress::Progress;
use crate::ui::locale::{t, tr};
use crate::upload::diff::{diff, Change, CurrentStock, OfferDiff};
use crate::upload::lookup::{key_count, lookups, KEYS_PER_REQUEST};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn number(v: Option<f64>) -> String {
    v.map(|v| crate::sheet::csv::format_number(v, false))
        .unwrap_or_else(|| "–".to_string())
}

fn change_text(c: Change) -> Text {
    match c {
        Change::Changed => Text::UpChanged,
        Change::Unchanged => Text::UpUnchanged,
        Change::NotInCrm => Text::UpNotInCrm,
    }
}

/// One offer of the dry run as a table row: key, line, change, and per warehouse "before → after".
fn offer_row(o: &OfferDiff) -> impl IntoView {
    let stores = o
        .stores
        .iter()
        .map(|s| {
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
            view! { <div class:changed=s.changed()>{text}</div> }
        })
        .collect_view();
    let change = o.change;
    view! {
        <tr class="up-diff-row" data-change=format!("{change:?}")>
            <td>{o.line}</td>
            <td>{o.key.value()}</td>
            <td>{o.site.clone().unwrap_or_default()}</td>
            <td>{t(change_text(change))}</td>
            <td>{stores}</td>
        </tr>
    }
}

#[component]
pub fn DryRunStep() -> impl IntoView {
    let state = use_upload();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let keys_done = RwSignal::new(0u64);
    let keys_total = RwSignal::new(0u64);
    let paging = LocalPaging::new();
    let filter = RwSignal::new(None::<Change>);
    let start = move |_| {
        let batches = state
            .validation
            .with_untracked(|v| v.as_ref().map(|v| lookups(&v.offers, KEYS_PER_REQUEST)))
            .unwrap_or_default();
        if let Some(m) = state.mapping.get_untracked() {
            super::saved::remember_mapping(&m);
        }
        keys_total.set(key_count(&batches) as u64);
        keys_done.set(0);
        error.set(None);
        busy.set(true);
        let client = state.client();
        spawn_local(async move {
            let mut offers = Vec::new();
            let mut result = Ok(());
            for batch in &batches {
                let request = crate::upload::wire::lookup_request(batch);
                let read = client
                    .all_pages(&request, |_, page| {
                        offers.extend(
                            page.offers
                                .into_iter()
                                .map(crate::upload::wire::current_offer),
                        )
                    })
                    .await;
                if let Err(e) = read {
                    result = Err(e);
                    break;
                }
                keys_done.try_update(|n| *n += batch.keys.len() as u64);
            }
            let _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    let current = CurrentStock::new(offers);
                    let d = state
                        .validation
                        .try_with_untracked(|v| v.as_ref().map(|v| diff(&v.offers, &current)))
                        .flatten();
                    let _ = state.current.try_set(Some(current));
                    let _ = state.diff.try_set(d);
                    let _ = paging.page.try_set(1);
                }
                Err(ApiError::Cancelled) => {}
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let download_before = move |_| {
        state.diff.with_untracked(|d| {
            if let Some(d) = d {
                save_text_file(
                    "stock-before-upload.csv",
                    &d.before_as_import_file(CsvOptions::default()),
                );
            }
        });
    };
    let result = move || {
        state.diff.with(|d| {
            let d = d.as_ref()?;
            let counts = d.counts();
            let totals = d.totals().into_iter().map(|s| view! {
                <tr data-store=s.code.clone()>
                    <td>{s.code.clone()}</td>
                    <td class="num">{number(Some(s.quantity_before))}</td>
                    <td class="num">{number(Some(s.quantity_after))}</td>
                    <td class="num">{s.offers_changed}</td>
                </tr>
            }).collect_view();
            let wanted = filter.get();
            let shown: Vec<&OfferDiff> = d.offers.iter().filter(|o| wanted.is_none_or(|c| o.change == c)).collect();
            let shown_count = shown.len();
            let rows = paging.rows(&shown).into_iter().map(offer_row).collect_view();
            Some(view! {
                <p id="up-diff-counts" data-changed=counts.changed.to_string()
                    data-unchanged=counts.unchanged.to_string() data-not-in-crm=counts.not_in_crm.to_string()>
                    <span class="badge">{t(Text::UpChanged)}": "{counts.changed}</span>" "
                    <span class="badge">{t(Text::UpUnchanged)}": "{counts.unchanged}</span>" "
                    <span class="badge warn">{t(Text::UpNotInCrm)}": "{counts.not_in_crm}</span>
                </p>
                <div class="table-wrap">
                    <table id="up-diff-totals">
                        <thead><tr><th>{t(Text::UpWarehouse)}</th><th>{t(Text::UpBefore)}</th><th>{t(Text::UpAfter)}</th><th>{t(Text::UpOffersChanged)}</th></tr></thead>
                        <tbody>{totals}</tbody>
                    </table>
                </div>
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
                            <option value="">{t(Text::UpAll)}</option>
                            <option value="changed">{t(Text::UpChanged)}</option>
                            <option value="unchanged">{t(Text::UpUnchanged)}</option>
                            <option value="notInCrm">{t(Text::UpNotInCrm)}</option>
                        </select>
                    </label>
                </div>
                <div class="table-wrap">
                    <table id="up-diff-table">
                        <thead><tr><th>{t(Text::UpLine)}</th><th>{t(Text::UpKey)}</th><th>{t(Text::UpSite)}</th><th>{t(Text::UpChange)}</th><th>{t(Text::UpBeforeAfter)}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <LocalPager paging count=shown_count/>
                <div class="row">
                    <label><input type="checkbox" id="up-only-changed" prop:checked=move || state.only_changed.get()
                        on:change=move |ev| state.only_changed.set(event_target_checked(&ev))/>" "{t(Text::UpOnlyChanged)}</label>
                    <button class="secondary" id="up-before-download" on:click=download_before>{t(Text::UpDownloadBefore)}</button>
                </div>
            })
        })
    };
    let can_start = move || {
        state
            .validation
            .with(|v| v.as_ref().is_some_and(|v| !v.offers.is_empty()))
    };
    view! {
        <Show when=can_start>
            <div class="card" id="up-dry-run-card">
                <h2>{t(Text::UpStepDryRun)}</h2>
                <p class="hint">{t(Text::UpDryRunHint)}</p>
                <button id="up-dry-run" disabled=move || busy.get() on:click=start>{t(Text::UpDryRunStart)}</button>
                <Show when=move || busy.get()>
                    <Progress done=Signal::derive(move || keys_done.get()) total=Signal::derive(move || keys_total.get())
                        rate=Signal::derive(|| None) unit=Signal::derive(move || { keys_total.track(); tr(Text::UpUnitOffers).to_string() })/>
                </Show>
                {move || error.get().map(|e| view! { <ApiErrorNotice error=e/> })}
                {result}
            </div>
        </Show>
    }
}
