//! The leftovers table: identifiers, total, the offer's purchase price, and a quantity / purchase price column pair
//! per shown warehouse.

use crate::i18n::Text;
use crate::inventories::table::{OfferRow, Sort, SortKey, WarehouseColumn};
use crate::sheet::csv::format_number;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::t;
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
    let amount = |v: f64| format_number(v, false);
    let cell = move |v: Option<f64>| v.map(amount).unwrap_or_default();
    view! {
        <TableScroll label=Text::NavInventories id="inv-table-wrap">
            <table id="inv-table">
                <thead>
                    <tr>
                        <SortHeader key=SortKey::Id label=Text::InvColId sort rowspan=2/>
                        <SortHeader key=SortKey::ExternalId label_text="externalId" sort rowspan=2/>
                        <SortHeader key=SortKey::XmlId label_text="xmlId" sort rowspan=2/>
                        <SortHeader key=SortKey::Site label=Text::InvColSite sort rowspan=2/>
                        <SortHeader key=SortKey::Total label=Text::InvColTotal sort rowspan=2 num=true/>
                        <SortHeader key=SortKey::OfferPrice label=Text::InvColOfferPrice sort rowspan=2 num=true/>
                        {move || columns.get().into_iter().map(|(_, c)| view! {
                            <th colspan="2" class="inv-store" data-store=c.code.clone()>
                                {c.name.clone()}
                                {c.available_type.then(|| view! {
                                    " "<span class="badge warn inv-available">{t(Text::InvAvailableType)}</span>
                                })}
                            </th>
                        }).collect_view()}
                    </tr>
                    <tr>
                        {move || columns.get().into_iter().map(|(i, _)| view! {
                            <SortHeader key=SortKey::Quantity(i) label=Text::InvColQuantity sort num=true/>
                            <SortHeader key=SortKey::PurchasePrice(i) label=Text::InvColPrice sort num=true/>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let cols = columns.get();
                        rows.get().into_iter().map(|row| {
                            let stock = cols.iter().map(|(i, c)| {
                                let s = row.stock.get(*i).copied().flatten();
                                view! {
                                    <td class="num qty" data-store=c.code.clone()>{cell(s.map(|s| s.quantity))}</td>
                                    <td class="num price" data-store=c.code.clone()>{cell(s.and_then(|s| s.purchase_price))}</td>
                                }
                            }).collect_view();
                            view! {
                                <tr class="inv-row" data-id=row.id.to_string()
                                    data-external-id=row.external_id.clone().unwrap_or_default()
                                    data-site=row.site.clone().unwrap_or_default()>
                                    <td class="num id">{row.id}</td>
                                    <td class="external-id">{row.external_id.clone()}</td>
                                    <td class="xml-id">{row.xml_id.clone()}</td>
                                    <td class="site">{row.site.clone()}</td>
                                    <td class="num total">{amount(row.total)}</td>
                                    <td class="num offer-price">{cell(row.purchase_price)}</td>
                                    {stock}
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
                <tfoot>
                    <tr id="inv-totals-row">
                        <th colspan="6">{t(Text::InvTotalsRow)}</th>
                        {move || {
                            let totals = totals.get();
                            columns.get().into_iter().map(|(i, c)| view! {
                                <td class="num qty-total" data-store=c.code.clone()>
                                    {amount(totals.get(i).copied().unwrap_or_default())}
                                </td>
                                <td></td>
                            }).collect_view()
                        }}
                    </tr>
                </tfoot>
            </table>
        </TableScroll>
    }
}

/// A header cell with the button that sorts the table by `key`: ascending, descending, then unsorted.
#[component]
fn SortHeader(
    key: SortKey,
    sort: RwSignal<Option<Sort>>,
    #[prop(optional)] label: Option<Text>,
    #[prop(optional)] label_text: &'static str,
    #[prop(optional)] rowspan: Option<u32>,
    #[prop(optional)] num: bool,
) -> impl IntoView {
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
    let text = label.map(t);
    view! {
        <th class="sortable" class:num=num rowspan=rowspan.map(|r| r.to_string()) aria-sort=state
            data-sort=sort_name(key)>
            <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = Sort::toggle(*s, key))>
                {move || text.map_or(label_text, |text| text())}<span aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
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
