//! An order's shipment fields as the CRM returned them.

use super::status_text;
use crate::api::order::Order;
use crate::api::reference::{OrderStatus, Store};
use crate::i18n::Text;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::node::{el, td, th, El};
use leptos::prelude::*;

/// Number, shop, status (by its name in the account), shipped, shipment warehouse (with its name) and date of
/// `order`.
#[component]
pub fn OrderCard(
    order: Order,
    stores: Signal<Vec<Store>>,
    statuses: Signal<Option<Vec<OrderStatus>>>,
    #[prop(into)] id: String,
    /// The card's name (the heading above it).
    label: Text,
) -> impl IntoView {
    let status_code = order.status.clone().unwrap_or_default();
    let status = status_text(statuses, status_code.clone());
    let store_code = order.shipment_store.clone().unwrap_or_default();
    let store = move || {
        let name = stores.with(|s| {
            s.iter()
                .find(|s| s.code == store_code)
                .map(|s| format!(" ({})", s.name))
        });
        format!("{store_code}{}", name.unwrap_or_default())
    };
    let key = format!(
        "{} · id {}",
        order.external_id.clone().unwrap_or_default(),
        order.id
    );
    let line = |name: Text, field: &'static str, value: El| {
        el("tr")
            .child(th(name))
            .child(value.attr("data-field", field))
    };
    let shipped = match order.shipped {
        Some(b) => el("td").tr(if b { Text::ShipYes } else { Text::ShipNo }),
        None => el("td").text("–"),
    };
    let table = el("table").class("order-card").attr("id", id).child(
        el("tbody").children([
            line(Text::ShipKey, "key", td("", key)),
            line(
                Text::ShipNumber,
                "number",
                td("", order.number.unwrap_or_default()),
            ),
            line(
                Text::ShipSite,
                "site",
                td("", order.site.unwrap_or_default()),
            ),
            line(
                Text::ShipStatus,
                "status",
                el("td").attr("data-value", status_code).live_text(status),
            ),
            line(
                Text::ShipShipped,
                "shipped",
                shipped.attr(
                    "data-value",
                    order.shipped.map(|b| b.to_string()).unwrap_or_default(),
                ),
            ),
            line(
                Text::ShipStore,
                "shipmentStore",
                el("td")
                    .attr("data-value", order.shipment_store.unwrap_or_default())
                    .live_text(store),
            ),
            line(
                Text::ShipDate,
                "shipmentDate",
                td("", order.shipment_date.unwrap_or_default()),
            ),
        ]),
    );
    view! {
        <TableScroll label>
            {table}
        </TableScroll>
    }
}
