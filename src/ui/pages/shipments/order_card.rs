//! An order's shipment fields as the CRM returned them.

use super::status_text;
use crate::api::order::Order;
use crate::api::reference::{OrderStatus, Store};
use crate::i18n::Text;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::t;
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
    let shipped = order
        .shipped
        .map(|b| t(if b { Text::ShipYes } else { Text::ShipNo }));
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
    view! {
        <TableScroll label>
        <table class="order-card" id=id>
            <tbody>
                <tr><th>{t(Text::ShipKey)}</th><td data-field="key">{key}</td></tr>
                <tr><th>{t(Text::ShipNumber)}</th><td data-field="number">{order.number.clone()}</td></tr>
                <tr><th>{t(Text::ShipSite)}</th><td data-field="site">{order.site.clone()}</td></tr>
                <tr><th>{t(Text::ShipStatus)}</th><td data-field="status" data-value=status_code>{status}</td></tr>
                <tr><th>{t(Text::ShipShipped)}</th>
                    <td data-field="shipped" data-value=order.shipped.map(|b| b.to_string()).unwrap_or_default()>
                        {move || shipped.map(|f| f()).unwrap_or("–")}
                    </td></tr>
                <tr><th>{t(Text::ShipStore)}</th>
                    <td data-field="shipmentStore" data-value=order.shipment_store.clone().unwrap_or_default()>{store}</td></tr>
                <tr><th>{t(Text::ShipDate)}</th><td data-field="shipmentDate">{order.shipment_date.clone()}</td></tr>
            </tbody>
        </table>
        </TableScroll>
    }
}
