//! The leftovers table: identifiers, total, the offer's purchase price, and a quantity / purchase price column pair
//! per shown warehouse.

use crate::i18n::Text;
use crate::inventories::table::{OfferRow, Sort, SortKey, WarehouseColumn};
use crate::sheet::csv::format_number;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::node::{el, El};
use leptos::prelude::*;

/// The rows given, with sortable headers and a totals line.
#[component]
pub fn LeftoversTable(
    /// The warehouse columns shown, with their position among all warehouses.
    columns: Signal<Vec<(usize, WarehouseColumn)>>,
    rows: Signal<Vec<OfferRow>>,
    /// Quantity per warehouse (by position among all warehouses) over the rows the totals line sums.
    totals: Signal<Vec<f64>>,
    sort: RwSignal<Option<Sort>>,
) -> impl IntoView {
    let header = |key, label| sort_header(key, label, sort, true);
    let store_headers = move || {
        columns
            .get()
            .into_iter()
            .map(|(_, c)| {
                let th = el("th")
                    .attr("colspan", "2")
                    .class("inv-store")
                    .attr("data-store", c.code)
                    .text(c.name);
                if c.available_type {
                    th.text(" ").child(
                        el("span")
                            .class("badge warn inv-available")
                            .tr(Text::InvAvailableType),
                    )
                } else {
                    th
                }
            })
            .collect()
    };
    let field_headers = move || {
        columns
            .get()
            .into_iter()
            .flat_map(|(i, _)| {
                [
                    sort_header(
                        SortKey::Quantity(i),
                        Label::Text(Text::InvColQuantity),
                        sort,
                        false,
                    )
                    .class("sortable num"),
                    sort_header(
                        SortKey::PurchasePrice(i),
                        Label::Text(Text::InvColPrice),
                        sort,
                        false,
                    )
                    .class("sortable num"),
                ]
            })
            .collect()
    };
    let body = move || {
        let cols = columns.get();
        rows.get()
            .into_iter()
            .map(|row| offer_row(&cols, row))
            .collect()
    };
    let totals_cells = move || {
        let totals = totals.get();
        columns
            .get()
            .into_iter()
            .flat_map(|(i, c)| {
                [
                    el("td")
                        .class("num qty-total")
                        .attr("data-store", c.code)
                        .text(amount(totals.get(i).copied().unwrap_or_default())),
                    el("td"),
                ]
            })
            .collect()
    };
    let table = el("table")
        .attr("id", "inv-table")
        .child(
            el("thead")
                .child(
                    el("tr")
                        .children([
                            header(SortKey::Id, Label::Text(Text::InvColId)).class("sortable"),
                            header(SortKey::ExternalId, Label::Fixed("externalId"))
                                .class("sortable"),
                            header(SortKey::XmlId, Label::Fixed("xmlId")).class("sortable"),
                            header(SortKey::Site, Label::Text(Text::InvColSite)).class("sortable"),
                            header(SortKey::Total, Label::Text(Text::InvColTotal))
                                .class("sortable num"),
                            header(SortKey::OfferPrice, Label::Text(Text::InvColOfferPrice))
                                .class("sortable num"),
                        ])
                        .live_children(store_headers),
                )
                .child(el("tr").live_children(field_headers)),
        )
        .child(el("tbody").live_children(body))
        .child(
            el("tfoot").child(
                el("tr")
                    .attr("id", "inv-totals-row")
                    .child(el("th").attr("colspan", "6").tr(Text::InvTotalsRow))
                    .live_children(totals_cells),
            ),
        );
    view! {
        <TableScroll label=Text::NavInventories id="inv-table-wrap">
            {table}
        </TableScroll>
    }
}

fn amount(v: f64) -> String {
    format_number(v, false)
}

fn cell(v: Option<f64>) -> String {
    v.map(amount).unwrap_or_default()
}

/// One offer's line: its identifiers, total, purchase price and a quantity / price pair per shown warehouse.
fn offer_row(columns: &[(usize, WarehouseColumn)], row: OfferRow) -> El {
    let stock = columns.iter().flat_map(|(i, c)| {
        let s = row.stock.get(*i).copied().flatten();
        [
            el("td")
                .class("num qty")
                .attr("data-store", c.code.clone())
                .text(cell(s.map(|s| s.quantity))),
            el("td")
                .class("num price")
                .attr("data-store", c.code.clone())
                .text(cell(s.and_then(|s| s.purchase_price))),
        ]
    });
    let stock: Vec<El> = stock.collect();
    el("tr")
        .class("inv-row")
        .attr("data-id", row.id.to_string())
        .attr(
            "data-external-id",
            row.external_id.clone().unwrap_or_default(),
        )
        .attr("data-site", row.site.clone().unwrap_or_default())
        .child(el("td").class("num id").text(row.id.to_string()))
        .child(
            el("td")
                .class("external-id")
                .text(row.external_id.unwrap_or_default()),
        )
        .child(
            el("td")
                .class("xml-id")
                .text(row.xml_id.unwrap_or_default()),
        )
        .child(el("td").class("site").text(row.site.unwrap_or_default()))
        .child(el("td").class("num total").text(amount(row.total)))
        .child(
            el("td")
                .class("num offer-price")
                .text(cell(row.purchase_price)),
        )
        .children(stock)
}

/// What a sort header says: a text of the table, or a fixed name (the CRM's field names).
#[derive(Clone, Copy)]
enum Label {
    Text(Text),
    Fixed(&'static str),
}

/// A header cell with the button that sorts the table by `key`: ascending, descending, then unsorted. The caller sets
/// its class (`sortable`, and `num` for a figure's column).
fn sort_header(key: SortKey, label: Label, sort: RwSignal<Option<Sort>>, two_rows: bool) -> El {
    let state = move || match sort.get() {
        Some(s) if s.key == key && s.descending => "descending",
        Some(s) if s.key == key => "ascending",
        _ => "none",
    };
    let arrow = move || match state() {
        "descending" => " ▼",
        "ascending" => " ▲",
        _ => "",
    };
    let button = el("button").attr("type", "button").class("sort");
    let button = match label {
        Label::Text(text) => button.tr(text),
        Label::Fixed(name) => button.text(name),
    };
    el("th")
        .attr_opt("rowspan", two_rows.then(|| "2".to_string()))
        .live_attr("aria-sort", move || Some(state().to_string()))
        .attr("data-sort", sort_name(key))
        .child(
            button
                .on("click", move |_| {
                    sort.update(|s| *s = Sort::toggle(*s, key))
                })
                .child(
                    el("span")
                        .attr("aria-hidden", "true")
                        .live_text(move || arrow().to_string()),
                ),
        )
}

/// A stable name of a sort column for the markup (`id`, `quantity-2`, ...).
fn sort_name(key: SortKey) -> String {
    match key {
        SortKey::Id => "id".into(),
        SortKey::ExternalId => "externalId".into(),
        SortKey::XmlId => "xmlId".into(),
        SortKey::Site => "site".into(),
        SortKey::Total => "total".into(),
        SortKey::OfferPrice => "purchasePrice".into(),
        SortKey::Quantity(i) => format!("quantity-{i}"),
        SortKey::PurchasePrice(i) => format!("purchasePrice-{i}"),
    }
}
