//! The shipments screen: mark one order or many as shipped (shipped flag, shipment warehouse and date).

mod bulk;
mod order_card;
mod refusal;
mod single;

use crate::api::reference::Store;
use crate::i18n::Text;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::locale::t;
use crate::ui::session::use_session;
use leptos::prelude::*;

/// What both parts of the screen need from the CRM's reference books, and the shop they work in.
#[derive(Clone, Copy)]
pub struct References {
    pub stores: Signal<Vec<Store>>,
    /// Site codes with names; empty when the key covers one site or they could not be read.
    pub sites: RwSignal<Vec<(String, String)>>,
    /// The shop orders are looked up in (by externalId), when the account has several.
    pub site: RwSignal<Option<String>>,
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
    let answer = LocalResource::new(move || {
        let client = session.client_with_cancel(&leave);
        async move { client.stores().await }
    });
    let stores = Memo::new(move |_| match answer.get() {
        Some(Ok(r)) => r.stores,
        _ => Vec::new(),
    });
    let refs = References {
        stores: stores.into(),
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
        <bulk::BulkShipment refs/>
    }
}
