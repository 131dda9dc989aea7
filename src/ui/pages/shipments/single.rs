//! One order: find it by externalId or id (an action), see its shipment fields, set shipped, warehouse and date (an
//! action); what is shown is derived from the two actions' answers.

use super::order_card::OrderCard;
use super::refusal::ShipmentError;
use super::References;
use crate::api::order::{
    By, Order, OrderEditRequest, OrderEditResponse, OrderRequest, OrderShipment,
};
use crate::api::reference::Store;
use crate::i18n::Text;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::locale::t;
use crate::ui::session::use_session;
use leptos::prelude::*;

/// Today in the browser's time zone as `Y-m-d` (the date picker's default).
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// `"true"`, `"false"` or `""` (leave as is) from the shipped select.
fn shipped_choice(value: &str) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The one-order part of the screen.
#[component]
pub fn SingleShipment(refs: References) -> impl IntoView {
    let session = use_session();
    let leave = cancel_on_leave();
    let key = RwSignal::new(String::new());
    let by = RwSignal::new(By::ExternalId);
    let shipped = RwSignal::new("true".to_string());
    let date = RwSignal::new(today());
    let stores = refs.stores;

    // The lookup is kept with the order found, so the save goes to the same order.
    let find_leave = leave.clone();
    let find = Action::new_local(move |req: &OrderRequest| {
        let client = session.client_with_cancel(&find_leave);
        let req = req.clone();
        async move {
            let answer = client.order(&req).await;
            answer.map(|r| (req, r.order))
        }
    });
    let save = Action::new_local(move |(req, edit): &(OrderRequest, OrderEditRequest)| {
        let client = session.client_with_cancel(&leave);
        let (req, edit) = (req.clone(), edit.clone());
        async move { (req, client.edit_order(&edit).await) }
    });
    let found = Memo::new(move |_| match find.value().get() {
        Some(Ok(found)) => Some(found),
        _ => None,
    });
    // The answer to the last save of the order found (a save of an order looked up before is not shown).
    let saved = move || {
        let lookup = found.with(|f| f.as_ref().map(|(req, _)| req.clone()))?;
        save.value()
            .get()
            .filter(|(req, _)| *req == lookup)
            .map(|(_, answer)| answer)
    };
    // "The order now": as found, then as the CRM returned it after a save.
    let current = move || match saved() {
        Some(Ok(OrderEditResponse {
            order: Some(order), ..
        })) => Some(order),
        _ => found.get().map(|(_, order)| order),
    };
    let on_find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = key.get_untracked().trim().to_string();
        if id.is_empty() {
            return;
        }
        find.value().set(None);
        save.value().set(None);
        find.dispatch(OrderRequest {
            id,
            by: by.get_untracked(),
            site: refs.site.get_untracked(),
        });
    };
    let on_save = move |store: String| {
        let Some((req, _)) = found.get_untracked() else {
            return;
        };
        let text = |s: String| Some(s).filter(|v| !v.is_empty());
        let edit = OrderEditRequest {
            id: req.id.clone(),
            by: req.by,
            site: req.site.clone(),
            order: OrderShipment {
                shipped: shipped_choice(&shipped.get_untracked()),
                shipment_store: text(store),
                shipment_date: text(date.get_untracked()),
            },
        };
        save.dispatch((req, edit));
    };
    let find_error = move || match find.value().get() {
        Some(Err(error)) => Some(error),
        _ => None,
    };
    let saving = save.pending();

    view! {
        <div class="card" id="ship-one">
            <h2>{t(Text::ShipOneTitle)}</h2>
            <form class="row" on:submit=on_find>
                <div class="field">
                    <label for="ship-by">{t(Text::ShipBy)}</label>
                    <select id="ship-by" on:change=move |ev| by.set(if event_target_value(&ev) == "id" { By::Id } else { By::ExternalId })>
                        <option value="externalId" selected=move || by.get() == By::ExternalId>{t(Text::ShipByExternalId)}</option>
                        <option value="id" selected=move || by.get() == By::Id>{t(Text::ShipById)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="ship-key">{t(Text::ShipKey)}</label>
                    <input id="ship-key" type="text" autocomplete="off" bind:value=key/>
                </div>
                <button id="ship-find" type="submit" disabled=move || find.pending().get()>
                    {move || if find.pending().get() { t(Text::ShipFinding)() } else { t(Text::ShipFind)() }}
                </button>
            </form>
            {move || find_error().map(|error| view! { <ShipmentError error/> })}
            {move || current().map(|order| view! {
                <h3>{t(Text::ShipCurrent)}</h3>
                <OrderCard order stores id="ship-current"/>
            })}
            {move || found.get().map(|(_, order)| view! {
                <ShipmentForm order stores shipped date saving on_save=Callback::new(on_save)/>
            })}
            {move || saved().map(|result| match result {
                Ok(answer) => view! {
                    <div id="ship-saved">
                        <p class="notice ok">{t(Text::ShipSaved)}</p>
                        <h3>{t(Text::ShipResult)}</h3>
                        {answer.order.map(|order| view! { <OrderCard order stores id="ship-result"/> })}
                    </div>
                }.into_any(),
                Err(error) => view! { <div id="ship-save-error"><ShipmentError error/></div> }.into_any(),
            })}
        </div>
    }
}

/// The shipment fields to set on the order found; the warehouse starts as the order's own.
#[component]
fn ShipmentForm(
    order: Order,
    stores: Signal<Vec<Store>>,
    shipped: RwSignal<String>,
    date: RwSignal<String>,
    saving: Memo<bool>,
    on_save: Callback<String>,
) -> impl IntoView {
    let store = RwSignal::new(order.shipment_store.unwrap_or_default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_save.run(store.get_untracked());
    };
    view! {
        <form class="row" id="ship-form" on:submit=submit>
            <div class="field">
                <label for="ship-shipped">{t(Text::ShipShipped)}</label>
                <select id="ship-shipped" on:change=move |ev| shipped.set(event_target_value(&ev))>
                    <option value="true" selected=move || shipped.get() == "true">{t(Text::ShipYes)}</option>
                    <option value="false" selected=move || shipped.get() == "false">{t(Text::ShipNo)}</option>
                    <option value="" selected=move || shipped.get().is_empty()>{t(Text::ShipKeep)}</option>
                </select>
            </div>
            <div class="field">
                <label for="ship-store">{t(Text::ShipStore)}</label>
                <select id="ship-store" on:change=move |ev| store.set(event_target_value(&ev))>
                    <option value="" selected=move || store.get().is_empty()>{t(Text::ShipKeep)}</option>
                    {move || stores.get().into_iter().map(|s| {
                        let code = s.code.clone();
                        let selected = move || store.get() == code;
                        view! { <option value=s.code.clone() selected=selected>{format!("{} ({})", s.name, s.code)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="ship-date">{t(Text::ShipDate)}</label>
                <input id="ship-date" type="date" bind:value=date/>
            </div>
            <button id="ship-save" type="submit" disabled=move || saving.get()>
                {move || if saving.get() { t(Text::ShipSaving)() } else { t(Text::ShipSave)() }}
            </button>
        </form>
    }
}
