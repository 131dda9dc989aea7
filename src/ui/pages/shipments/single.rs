//! One order: find it by the number on the packing slip, externalId or id (an action), see its shipment fields, set
//! shipped, warehouse and date (an action); what is shown is derived from the two actions' answers.

use super::order_card::OrderCard;
use super::refusal::ShipmentError;
use super::{store_choices, today, Choice, References};
use crate::api::order::{Order, OrderEditRequest, OrderEditResponse, OrderRequest, OrderShipment};
use crate::api::reference::Store;
use crate::i18n::{Phrase, Text};
use crate::shipments::lookup::{edit_key, found_by_number, lookup, FindBy, Found, Lookup};
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::announce::announce;
use crate::ui::components::focus::ResultFocus;
use crate::ui::locale::{t, tf};
use crate::ui::reactive::{effect, memo};
use crate::ui::session::use_session;
use leptos::html;
use leptos::prelude::*;

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
    let by = RwSignal::new(FindBy::default());
    let shipped = RwSignal::new("true".to_string());
    let date = RwSignal::new(today());
    let stores = refs.stores;
    let statuses = refs.statuses;

    // The lookup is kept with the order found, so the save goes to the same order.
    let find_leave = leave.clone();
    let find = Action::new_local(move |asked: &Lookup| {
        let client = session.client_with_cancel(&find_leave);
        let asked = asked.clone();
        async move {
            match asked {
                Lookup::Key(req) => client
                    .order(&req)
                    .await
                    .map(|r| Found::Order(req, Box::new(r.order))),
                Lookup::Number {
                    request,
                    number,
                    site,
                } => client
                    .call(&request)
                    .await
                    .map(|r| found_by_number(&number, r.orders, site.as_deref())),
            }
        }
    });
    let save = Action::new_local(move |(req, edit): &(OrderRequest, OrderEditRequest)| {
        let client = session.client_with_cancel(&leave);
        let (req, edit) = (req.clone(), edit.clone());
        async move { (req, client.edit_order(&edit).await) }
    });
    let found = memo(move || match find.value().get() {
        Some(Ok(Found::Order(req, order))) => Some((req, *order)),
        _ => None,
    });
    // Several orders with the number typed: the operator picks one (nothing more is asked).
    let several = move || match find.value().get() {
        Some(Ok(Found::Several(orders))) => orders,
        _ => Vec::new(),
    };
    // What a search found, then what a save answered, takes the focus; a saved shipment is announced.
    let found_focus = ResultFocus::<html::Div>::new();
    let saved_focus = ResultFocus::<html::Div>::new();
    effect(move |_| {
        if let Some((_, Ok(_))) = save.value().get() {
            announce(Phrase::new(Text::ShipSaved));
        }
    });
    let pick = move |order: Order| {
        found_focus.arm();
        find.value()
            .set(Some(Ok(Found::Order(edit_key(&order), Box::new(order)))));
    };
    let no_number = move || match find.value().get() {
        Some(Ok(Found::NoNumber(number))) => Some(number),
        _ => None,
    };
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
        let site = refs.site.get_untracked();
        let Some(asked) = lookup(by.get_untracked(), &key.get_untracked(), site.as_deref()) else {
            return;
        };
        find.value().set(None);
        save.value().set(None);
        found_focus.arm();
        find.dispatch(asked);
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
        saved_focus.arm();
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
                    <select id="ship-by" on:change=move |ev| by.set(FindBy::from_choice(&event_target_value(&ev)))>
                        {[(FindBy::ExternalId, Text::ShipByExternalId), (FindBy::Id, Text::ShipById), (FindBy::Number, Text::ShipByNumber)]
                            .into_iter().map(|(choice, label)| view! {
                                <option value=choice.as_str() selected=move || by.get() == choice>{t(label)}</option>
                            }).collect_view()}
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
            {move || find_error().map(|error| view! {
                <div id="ship-find-error" tabindex="-1" node_ref=found_focus.node><ShipmentError error/></div>
            })}
            {move || no_number().map(|number| view! {
                <div class="notice warn" id="ship-no-number" tabindex="-1" node_ref=found_focus.node>
                    {tf(Text::ShipNoNumber, move || vec![("number", number.clone())])}
                </div>
            })}
            {move || {
                let orders = several();
                (!orders.is_empty()).then(|| view! {
                    <div class="notice warn" id="ship-several" tabindex="-1" node_ref=found_focus.node>
                        <p>{t(Text::ShipSeveral)}</p>
                        <ul>
                            {orders.into_iter().map(|order| {
                                let label = format!(
                                    "{} · {} · id {}",
                                    order.number.clone().unwrap_or_default(),
                                    order.site.clone().unwrap_or_default(),
                                    order.id
                                );
                                let id = format!("ship-pick-{}", order.id);
                                view! {
                                    <li><button type="button" class="link ship-pick" id=id
                                        on:click=move |_| pick(order.clone())>{label}</button></li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            {move || current().map(|order| view! {
                <div id="ship-found" tabindex="-1" node_ref=found_focus.node>
                    <h3 id="ship-current-title">{t(Text::ShipCurrent)}</h3>
                    <OrderCard order stores statuses id="ship-current" label=Text::ShipCurrent/>
                </div>
            })}
            {move || found.get().map(|(_, order)| view! {
                <ShipmentForm order stores shipped date saving on_save=Callback::new(on_save)/>
            })}
            {move || saved().map(|result| match result {
                Ok(answer) => view! {
                    <div id="ship-saved" tabindex="-1" node_ref=saved_focus.node>
                        <p class="notice ok">{t(Text::ShipSaved)}</p>
                        <h3>{t(Text::ShipResult)}</h3>
                        {answer.order.map(|order| view! { <OrderCard order stores statuses id="ship-result" label=Text::ShipResult/> })}
                    </div>
                }.into_any(),
                Err(error) => view! {
                    <div id="ship-save-error" tabindex="-1" node_ref=saved_focus.node><ShipmentError error/></div>
                }.into_any(),
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
            <Choice id="ship-store" label=Text::ShipStore none=Text::ShipKeep choices=store_choices(stores)
                value=store.into() on_change=Callback::new(move |v| store.set(v))/>
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
