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
use crate::shipments::status::status_name;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::components::show::Show;
use crate::ui::locale::t;
use crate::ui::reactive::{derive, memo};
use crate::ui::session::use_session;
use leptos::prelude::*;

/// What the parts of the screen need from the CRM's reference books, and the shop they work in.
#[derive(Clone, Copy)]
pub struct References {
    pub stores: Signal<Vec<Store>>,
    /// The account's order statuses: `None` while they are read; empty when they could not be (codes are shown).
    pub statuses: Signal<Option<Vec<OrderStatus>>>,
    /// Site codes with names; empty when the key covers one site or they could not be read.
    pub sites: RwSignal<Vec<(String, String)>>,
    /// The shop orders are looked up in (by externalId), when the account has several.
    pub site: RwSignal<Option<String>>,
}

/// The name of status `code` as the account gives it, "…" while the statuses are read (never a code that has a name).
fn status_text(statuses: Signal<Option<Vec<OrderStatus>>>, code: String) -> impl Fn() -> String {
    move || {
        statuses.with(|known| match known {
            Some(known) => status_name(known, &code),
            None => "…".to_string(),
        })
    }
}

/// The warehouses as choices of a select: code, and "name (code)".
fn store_choices(stores: Signal<Vec<Store>>) -> Signal<Vec<(String, String)>> {
    derive(move || {
        stores.with(|stores| {
            stores
                .iter()
                .map(|s| (s.code.clone(), format!("{} ({})", s.name, s.code)))
                .collect()
        })
    })
}

/// A labelled select: a first choice meaning "none of them" (`""`), then the choices (value, label).
#[component]
fn Choice(
    #[prop(into)] id: String,
    label: Text,
    /// The words of the first choice (any, leave as is, ...).
    none: Text,
    choices: Signal<Vec<(String, String)>>,
    value: Signal<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <select id=id on:change=move |ev| on_change.run(event_target_value(&ev))>
                <option value="" selected=move || value.with(String::is_empty)>{t(none)}</option>
                {move || choices.get().into_iter().map(|(code, name)| {
                    let selected = code.clone();
                    view! { <option value=code.clone() selected=move || value.get() == selected>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
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
    // The warehouses, then the statuses (a status without its name shows its code).
    let answer = LocalResource::new(move || {
        let client = session.client_with_cancel(&leave);
        async move { (client.stores().await, client.statuses().await) }
    });
    let stores = memo(move || match answer.get() {
        Some((Ok(r), _)) => r.stores,
        _ => Vec::new(),
    });
    let statuses = memo(move || match answer.get() {
        None => None,
        Some((_, Ok(r))) => Some(r.statuses),
        Some((_, Err(_))) => Some(Vec::new()),
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
    let refs_error = move || answer.get().and_then(|(stores, _)| stores.err());
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
