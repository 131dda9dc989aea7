//! A small bar chart of stock per warehouse (plain divs).

use crate::inventories::table::{bar_percents, WarehouseColumn};
use crate::sheet::csv::format_number;
use leptos::prelude::*;

/// One bar per shown warehouse, as long as its share of the largest total.
#[component]
pub fn StockBars(
    columns: Signal<Vec<(usize, WarehouseColumn)>>,
    totals: Signal<Vec<f64>>,
) -> impl IntoView {
    move || {
        let totals = totals.get();
        let percents = bar_percents(&totals);
        view! {
            <div class="bars" id="inv-bars">
                {columns.get().into_iter().map(|(i, c)| {
                    let total = totals.get(i).copied().unwrap_or_default();
                    let width = percents.get(i).copied().unwrap_or_default();
                    view! {
                        <div class="bar" data-store=c.code.clone()>
                            <span>{c.name.clone()}</span>
                            <div class="track"><div class="fill" style:width=format!("{width:.1}%")></div></div>
                            <span class="num bar-total">{format_number(total, false)}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
        }
    }
}
