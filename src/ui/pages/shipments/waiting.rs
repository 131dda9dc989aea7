//! The orders waiting to be shipped: filters (warehouse, shop, status), the CRM's pages, a choice of orders kept across
//! pages, and "mark shipped" for the chosen ones through the bulk job, with its progress and report.

use super::job_report::JobReport;
use super::{status_text, store_choices, today, Choice, References};
use crate::api::browser::BrowserClock;
use crate::api::order::Order;
use crate::api::{ApiError, Clock};
use crate::i18n::Text;
use crate::runner::read::one_page;
use crate::shipments::job::{BulkJob, JobState};
use crate::shipments::status::status_choices;
use crate::shipments::waiting::{PageChoice, Selection, WaitingFilter};
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::pager::{LocalPaging, Pager};
use crate::ui::components::show::Show;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf};
use crate::ui::node::{el, head, td, th};
use crate::ui::reactive::{derive, derived, effect, memo};
use crate::ui::session::use_session;
use crate::ui::task::{follow, RunnerSlot};
use leptos::html;
use leptos::prelude::*;

/// The waiting list and its "mark shipped".
#[component]
pub fn WaitingOrders(refs: References) -> impl IntoView {
    let session = use_session();
    let filter = RwSignal::new(WaitingFilter::default());
    // Read again after a job is over: the orders marked shipped leave the list.
    let reads = RwSignal::new(0u32);
    let read = follow(session, move || {
        reads.track();
        Some(one_page(filter.get().to_request()))
    });
    let answer = memo(move || {
        read.with(|r| r.answer().map(|a| a.cloned().map_err(Clone::clone)))
            .flatten()
    });
    let orders: Memo<Vec<Order>> = memo(move || match answer.get() {
        Some(Ok(r)) => r.orders,
        _ => Vec::new(),
    });
    let chosen = RwSignal::new(Selection::default());
    let ship_store = RwSignal::new(String::new());
    let ship_date = RwSignal::new(today());
    let job = RunnerSlot::<BulkJob>::new();
    let report_paging = LocalPaging::new();
    let report_focus = ResultFocus::<html::H3>::new();
    effect(move |was_over: Option<bool>| {
        let over = job
            .with(|j| matches!(j.state(), JobState::Done | JobState::Cancelled))
            .unwrap_or(false);
        if over && was_over == Some(false) {
            reads.update(|n| *n += 1);
        }
        over
    });

    let set_filter = move |change: fn(&mut WaitingFilter, String), value: String| {
        filter.update(|f| *f = f.changed(|f| change(f, value)));
    };
    let store_choices = store_choices(refs.stores);
    let site_choices = derive(move || {
        refs.sites.with(|sites| {
            sites
                .iter()
                .map(|(code, name)| (code.clone(), format!("{name} ({code})")))
                .collect()
        })
    });
    let status_list = derive(move || {
        refs.statuses.with(|statuses| {
            status_choices(statuses.as_deref().unwrap_or_default())
                .into_iter()
                .map(|s| (s.code, s.name))
                .collect()
        })
    });
    let running = move || {
        job.with(|j| matches!(j.state(), JobState::Running | JobState::Paused))
            .unwrap_or(false)
    };
    let on_mark = move |_| {
        let store = ship_store.get_untracked();
        let date = ship_date.get_untracked();
        let shipments = chosen.with_untracked(|c| {
            c.shipments(
                Some(store.as_str()).filter(|s| !s.is_empty()),
                Some(date.as_str()).filter(|d| !d.is_empty()),
            )
        });
        if shipments.is_empty() {
            return;
        }
        report_paging.page.set(1);
        let mut bulk = BulkJob::new(shipments);
        bulk.start(BrowserClock.now_ms());
        report_focus.arm();
        job.start(&session, bulk);
        report_focus.now();
        chosen.set(Selection::default());
    };
    let chosen_count = move || chosen.with(Selection::len);
    let mark_label = tf(Text::ShipWaitMark, move || {
        vec![("count", chosen_count().to_string())]
    });
    let count_label = derived(tf(Text::ShipWaitCount, move || {
        let n = match answer.get() {
            Some(Ok(r)) => r.pagination.total_count,
            _ => 0,
        };
        vec![("count", n.to_string())]
    }));
    let list = move || match answer.get() {
        None => view! { <p class="muted" id="wait-loading">{t(Text::Loading)}</p> }.into_any(),
        Some(Err(error)) => view! { <WaitError error/> }.into_any(),
        Some(Ok(r)) if r.orders.is_empty() => {
            view! { <p class="notice" id="wait-empty">{t(Text::ShipWaitNone)}</p> }.into_any()
        }
        Some(Ok(_)) => view! {
            <p class="muted" id="wait-count">{count_label}</p>
            <WaitingTable orders refs chosen/>
        }
        .into_any(),
    };

    view! {
        <div class="card" id="ship-waiting">
            <h2>{t(Text::ShipWaitTitle)}</h2>
            <p class="hint">{t(Text::ShipWaitHint)}</p>
            <div class="row">
                <Choice id="wait-store" label=Text::ShipStore none=Text::ShipWaitAnyStore choices=store_choices
                    value=derive(move || filter.with(|f| f.store.clone()))
                    on_change=Callback::new(move |v| set_filter(|f, v| f.store = v, v))/>
                <Show when=move || refs.sites.with(|s| s.len() > 1)>
                    <Choice id="wait-site" label=Text::ShipSite none=Text::ShipWaitAnySite choices=site_choices
                        value=derive(move || filter.with(|f| f.site.clone()))
                        on_change=Callback::new(move |v| set_filter(|f, v| f.site = v, v))/>
                </Show>
                <Choice id="wait-status" label=Text::ShipStatus none=Text::ShipWaitAnyStatus choices=status_list
                    value=derive(move || filter.with(|f| f.status.clone()))
                    on_change=Callback::new(move |v| set_filter(|f, v| f.status = v, v))/>
            </div>
            {list}
            <Pager
                page=derive(move || filter.with(|f| f.page))
                total_pages=derive(move || match answer.get() {
                    Some(Ok(r)) => r.pagination.total_page_count,
                    _ => 0,
                })
                limit=derive(move || filter.with(|f| f.limit))
                on_page=Callback::new(move |p| filter.update(|f| f.page = p))
                on_limit=Callback::new(move |l| filter.update(|f| *f = f.changed(|f| f.limit = l)))
            />
            <form class="row" id="wait-mark-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                on_mark(());
            }>
                <Choice id="wait-ship-store" label=Text::ShipStore none=Text::ShipWaitOwnStore choices=store_choices
                    value=ship_store.into() on_change=Callback::new(move |v| ship_store.set(v))/>
                <div class="field">
                    <label for="wait-ship-date">{t(Text::ShipDate)}</label>
                    <input id="wait-ship-date" type="date" bind:value=ship_date/>
                </div>
                <button type="submit" id="wait-mark" disabled=move || chosen_count() == 0 || running()>{mark_label}</button>
                <button type="button" class="secondary" id="wait-clear" disabled=move || chosen_count() == 0
                    on:click=move |_| chosen.set(Selection::default())>{t(Text::ShipWaitClear)}</button>
                <span class="muted" id="wait-chosen">
                    {tf(Text::ShipWaitChosen, move || vec![("count", chosen_count().to_string())])}
                </span>
            </form>
            <JobReport job paging=report_paging prefix="wait" label=Text::ShipWaitTitle focus=report_focus/>
        </div>
    }
}

/// A failed read of the list.
#[component]
fn WaitError(error: ApiError) -> impl IntoView {
    view! { <div id="wait-error"><ApiErrorNotice error/></div> }
}

/// The orders of the page, each with its checkbox; the header's checkbox chooses the whole page.
#[component]
fn WaitingTable(
    orders: Memo<Vec<Order>>,
    refs: References,
    chosen: RwSignal<Selection>,
) -> impl IntoView {
    let page_choice = move || orders.with(|page| chosen.with(|c| c.page_choice(page)));
    let store_name = move |code: &str| {
        refs.stores.with(|stores| {
            stores
                .iter()
                .find(|s| s.code == code)
                .map_or_else(|| code.to_string(), |s| s.name.clone())
        })
    };
    let page_box = el("input")
        .attr("type", "checkbox")
        .attr("id", "wait-select-page")
        .tr_attr("aria-label", Text::ShipWaitChoosePage)
        .live_flag("checked", move || page_choice() == PageChoice::All)
        .live_flag("indeterminate", move || page_choice() == PageChoice::Some)
        .on("change", move |ev| {
            let on = event_target_checked(&ev);
            orders.with_untracked(|page| chosen.update(|c| c.set_page(page, on)));
        });
    let rows = move || {
        orders
            .get()
            .into_iter()
            .map(|order| {
                let id = order.id;
                let number = order.number.clone().unwrap_or_default();
                let code = order.status.clone().unwrap_or_default();
                let status = status_text(refs.statuses, code.clone());
                let customer = [order.first_name.clone(), order.last_name.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                let store = order.shipment_store.as_deref().map(store_name);
                let choose_label = tf(Text::ShipWaitChooseOrder, {
                    let number = number.clone();
                    move || vec![("number", number.clone())]
                });
                let toggled = order.clone();
                let checkbox = el("input")
                    .attr("type", "checkbox")
                    .class("wait-select")
                    .attr("id", format!("wait-select-{id}"))
                    .live_attr("aria-label", move || Some(choose_label()))
                    .live_flag("checked", move || chosen.with(|c| c.contains(id)))
                    .on("change", move |_| chosen.update(|c| c.toggle(&toggled)));
                el("tr")
                    .class("wait-order")
                    .attr("data-id", id.to_string())
                    .attr("data-number", number.clone())
                    .attr("data-status", code)
                    .child(el("td").child(checkbox))
                    .child(td("wait-number", number))
                    .child(td("", order.external_id.unwrap_or_default()))
                    .child(td("", order.site.unwrap_or_default()))
                    .child(el("td").class("wait-status").live_text(status))
                    .child(td("", order.created_at.unwrap_or_default()))
                    .child(td("", customer))
                    .child(td("", store.unwrap_or_default()))
            })
            .collect()
    };
    let table = el("table")
        .attr("id", "wait-table")
        .child(head([
            el("th").child(page_box),
            th(Text::ShipNumber),
            el("th").text("externalId"),
            th(Text::ShipSite),
            th(Text::ShipStatus),
            th(Text::ShipColCreated),
            th(Text::ShipColCustomer),
            th(Text::ShipStore),
        ]))
        .child(el("tbody").live_children(rows));
    view! {
        <TableScroll label=Text::ShipWaitTitle>
            {table}
        </TableScroll>
    }
}
