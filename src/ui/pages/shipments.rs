//! The shipments screen: find one order and mark it shipped (shipped flag, shipment warehouse and date), mark the
//! orders waiting to be shipped, or many orders from pasted rows or a file.

mod bulk;
mod job_report;
mod order_card;
mod refusal;
mod single;
mod waiting;

use crate::api::reference::{OrderStatus, Store};
use crate::i18n::Text;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::locale::t;
use crate::ui::session::use_session;
use leptos::prelude::*;

/// What the parts of the screen need from the CRM's reference books, and the shop they work in.
#[derive(Clone, Copy)]
pub struct References {
    pub stores: Signal<Vec<Store>>,
    /// The account's order statuses (empty when they could not be read: codes are shown).
    pub statuses: Signal<Vec<OrderStatus>>,
    /// Site codes with names; empty when the key covers one site or they could not be read.
    pub sites: RwSignal<Vec<(String, String)>>,
    /// The shop orders are looked up in (by externalId), when the account has several.
    pub site: RwSignal<Option<String>>,
}

/// Today in the browser's time zone as `Y-m-d` (the date pickers' default).
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// The shipments screen.
#[component]
pub fn ShipmentsPage() -> impl IntoView {
    view! {
        <PageFrame id="page-shipments" title=Text::NavShipments intro=Text::ShipmentsIntro>
            <ShipmentsScreen/>
        </PageFrame>
    }
}

/// The screen once connected: loads warehouses and shops, then shows the one-order and many-orders parts.
#[component]
fn ShipmentsScreen() -> impl IntoView {
    let session = use_session();
    let codes: Vec<(String, String)> = session
        .sites()
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let leave = cancel_on_leave();
    let answer = LocalResource::new({
        let leave = leave.clone();
        move || {
            let client = session.client_with_cancel(&leave);
            async move { client.stores().await }
        }
    });
    let stores = Memo::new(move |_| match answer.get() {
        Some(Ok(r)) => r.stores,
        _ => Vec::new(),
    });
    let status_answer = LocalResource::new({
        let leave = leave.clone();
        move || {
            let client = session.client_with_cancel(&leave);
            async move { client.statuses().await }
        }
    });
    let statuses = Memo::new(move |_| match status_answer.get() {
        Some(Ok(r)) => r.statuses,
        _ => Vec::new(),
    });
    let refs = References {
        stores: stores.into(),
        statuses: statuses.into(),
        site: RwSignal::new(
            session
                .site
                .get_untracked()
                .or_else(|| codes.first().map(|(code, _)| code.clone())),
        ),
        sites: RwSignal::new(codes),
    };
    let refs_error = move || answer.get().and_then(Result::err);
    view! {
        {move || refs_error().map(|error| view! {
            <p class="notice warn">{t(Text::ShipRefsFailed)}</p>
            <ApiErrorNotice error/>
        })}
        <Show when=move || { refs.sites.with(|s| s.len() > 1) }>
            <div class="field">
                <label for="ship-site">{t(Text::ShipSite)}</label>
                <select id="ship-site" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    refs.site.set((!v.is_empty()).then_some(v));
                }>
                    {move || refs.sites.get().into_iter().map(|(code, name)| {
                        let selected = refs.site.get_untracked().as_deref() == Some(code.as_str());
                        view! { <option value=code.clone() selected=selected>{format!("{name} ({code})")}</option> }
                    }).collect_view()}
                </select>
                <p class="hint">{t(Text::ShipSiteHint)}</p>
            </div>
        </Show>
        <single::SingleShipment refs/>
        <waiting::WaitingOrders refs/>
        <bulk::BulkShipment refs/>
    }
}
