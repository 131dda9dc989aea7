//! The products list: the API's filters (kept in the URL), pages, opening a product, and the CSV export.

use std::collections::BTreeSet;

use super::detail::OffersDetail;
use super::{use_catalog, yes_no_cell, FlagSelect, KnownGroups, ListPager, SiteSelect};
use crate::api::product::{Product, ProductsRequest, ProductsResponse};
use crate::api::{ApiError, Paged};
use crate::catalog::export::products_csv;
use crate::catalog::filter::{
    format_properties, parse_properties, ProductFilterState, RangeField, MAX_GROUPS_PER_REQUEST,
};
use crate::i18n::Text;
use crate::link::web_link;
use crate::runner::read::{every_item, one_page, ItemsRead, ReadState};
use crate::sheet::csv::{format_number, CsvOptions};
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::download::save_text_file;
use crate::ui::components::fold::Fold;
use crate::ui::components::progress::Progress;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf};
use crate::ui::node::{el, td};
use crate::ui::reactive::{derive, effect, memo};
use crate::ui::task::{follow, RunnerSlot};
use leptos::prelude::*;

/// The filters form, the list of the current page and the export.
#[component]
pub fn ProductsPanel() -> impl IntoView {
    let ctx = use_catalog();
    let state = memo(move || ctx.view.with(|v| v.products.clone()));
    // A group lists the products of its whole subtree: with a group chosen, the list waits for the group tree.
    let query: Memo<Option<ProductsQuery>> = memo(move || {
        let state = state.get();
        ctx.groups.with(|groups| match groups {
            KnownGroups::Loading if state.group.is_some() => None,
            known => Some(state.to_request(known.tree())),
        })
    });
    // The page of the URL: a new URL replaces the read of the one before, so the rows always answer the URL.
    let products = follow(ctx.session, move || {
        query.get().and_then(Result::ok).map(one_page)
    });
    let answer = memo(move || {
        products
            .with(|read| read.answer().map(|a| a.cloned().map_err(Clone::clone)))
            .flatten()
    });
    let answered_pages = derive(move || match answer.get() {
        Some(Ok(r)) => Some(r.pagination.total_page_count),
        _ => None,
    });
    let expanded = RwSignal::new(BTreeSet::<i64>::new());
    let list = move || match (query.get(), answer.get()) {
        (Some(Err(fields)), _) => view! { <BadNumbers fields/> }.into_any(),
        (None, _) | (_, None) => {
            view! { <p class="muted" id="cat-products-loading">"…"</p> }.into_any()
        }
        (_, Some(Err(error))) => view! { <ApiErrorNotice error/> }.into_any(),
        (_, Some(Ok(response))) => view! { <ProductTable response expanded/> }.into_any(),
    };
    let page_products = derive(move || match answer.get() {
        Some(Ok(r)) => r.products,
        _ => Vec::new(),
    });
    view! {
        <div class="cat-products" id="cat-products">
            <ProductFilters/>
            <ExportBar page_products query/>
            {list}
            <ListPager answered_pages
                page=derive(move || state.with(|s| s.page))
                limit=derive(move || state.with(|s| s.limit))
                paging=|v| (&mut v.products.page, &mut v.products.limit)/>
        </div>
    }
}

/// The products request of the filters, or the number fields that are not numbers.
type ProductsQuery = Result<ProductsRequest, Vec<RangeField>>;

/// The operator's words for the number fields that are not numbers.
#[component]
fn BadNumbers(fields: Vec<RangeField>) -> impl IntoView {
    view! {
        <div class="notice bad" id="cat-bad-numbers">
            {fields.into_iter().map(|f| view! { <div>{t(range_label(f))}": "{t(Text::CatNotANumber)}</div> }).collect_view()}
        </div>
    }
}

fn range_label(field: RangeField) -> Text {
    match field {
        RangeField::MinPrice => Text::CatMinPrice,
        RangeField::MaxPrice => Text::CatMaxPrice,
        RangeField::MinQuantity => Text::CatMinQuantity,
        RangeField::MaxQuantity => Text::CatMaxQuantity,
    }
}

/// Reads or writes one text field of the filter.
type Field = fn(&mut ProductFilterState) -> &mut String;

/// The filters as typed; "Apply" (or Enter) puts them in the URL, which the list follows.
#[component]
fn ProductFilters() -> impl IntoView {
    let ctx = use_catalog();
    let draft = RwSignal::new(ctx.view.get_untracked().products);
    let properties = RwSignal::new(String::new());
    // The URL wins whenever it changes (group click, pager, back button, reload).
    effect(move |_| {
        let current = ctx.view.with(|v| v.products.clone());
        properties.set(format_properties(&current.properties));
        draft.set(current);
    });
    let apply = move || {
        let mut next = draft.get_untracked();
        next.properties = parse_properties(&properties.get_untracked());
        ctx.update(|v| v.products = next.first_page());
    };
    let reset = move |_| {
        ctx.update(|v| {
            v.products = ProductFilterState {
                limit: v.products.limit,
                ..ProductFilterState::default()
            }
        })
    };
    let group_name = move || {
        let id = ctx.view.with(|v| v.products.group)?;
        Some(
            ctx.group_names
                .with(|n| n.get(&id).cloned())
                .unwrap_or_else(|| id.to_string()),
        )
    };
    // The chosen group's sub-groups, whose products are listed too.
    let scope = memo(move || {
        let products = ctx.view.with(|v| v.products.clone());
        ctx.groups
            .with(|groups| products.group_scope(groups.tree()))
    });
    let subgroups = move || {
        scope.with(|s| {
            s.as_ref()
                .map_or(0, |s| s.ids.len() + s.left_out)
                .saturating_sub(1)
        })
    };
    let left_out = move || scope.with(|s| s.as_ref().map_or(0, |s| s.left_out));
    let text = move |id: &'static str, label: Text, field: Field| {
        view! {
            <label class="field">{t(label)}
                <input id=id type="text"
                    prop:value=move || draft.with(|d| field(&mut d.clone()).clone())
                    on:input=move |ev| draft.update(|d| *field(d) = event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <form class="card cat-filters" id="cat-filters" on:submit=move |ev| {
            ev.prevent_default();
            apply();
        }>
            <Fold summary=Text::FiltersSentToCrm>
            <div class="row">
                {text("cat-f-name", Text::CatSearch, |d| &mut d.name)}
                <label class="field">{t(Text::CatSite)}
                    <SiteSelect id="cat-f-site" value=derive(move || draft.with(|d| d.site.clone()))
                        on_change=Callback::new(move |s| draft.update(|d| d.site = s))/>
                </label>
                <label class="field">{t(Text::CatActive)}
                    <FlagSelect id="cat-f-active" value=derive(move || draft.with(|d| d.active))
                        on_change=Callback::new(move |a| draft.update(|d| d.active = a))/>
                </label>
            </div>
            <div class="row">
                {text("cat-f-external-id", Text::CatProductExternalId, |d| &mut d.external_id)}
                {text("cat-f-xml-id", Text::CatProductXmlId, |d| &mut d.xml_id)}
                {text("cat-f-offer-external-id", Text::CatOfferExternalId, |d| &mut d.offer_external_id)}
                {text("cat-f-offer-xml-id", Text::CatOfferXmlId, |d| &mut d.offer_xml_id)}
            </div>
            <div class="row">
                {text("cat-f-min-price", Text::CatMinPrice, |d| &mut d.min_price)}
                {text("cat-f-max-price", Text::CatMaxPrice, |d| &mut d.max_price)}
                {text("cat-f-min-quantity", Text::CatMinQuantity, |d| &mut d.min_quantity)}
                {text("cat-f-max-quantity", Text::CatMaxQuantity, |d| &mut d.max_quantity)}
            </div>
            <div class="row">
                <label class="field cat-f-properties">{t(Text::CatPropertyFilter)}
                    <input id="cat-f-properties" type="text" prop:value=move || properties.get()
                        on:input=move |ev| properties.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="row">
                <button type="submit" id="cat-apply">{t(Text::CatApply)}</button>
                <button type="button" class="secondary" id="cat-reset" on:click=reset>{t(Text::CatReset)}</button>
                {move || group_name().map(|name| view! {
                    <span class="badge" id="cat-group-filter" data-subgroups=move || subgroups().to_string()>
                        {tf(Text::CatGroupFilter, move || vec![("name", name.clone())])}
                        {move || (subgroups() > 0).then(|| view! {
                            " "{tf(Text::CatGroupWithSubgroups, move || vec![("count", subgroups().to_string())])}
                        })}" "
                        <button type="button" class="link" id="cat-clear-group"
                            on:click=move |_| ctx.update(|v| { v.products.group = None; v.products.page = 1; })>"×"</button>
                    </span>
                })}
            </div>
            {move || (left_out() > 0).then(|| view! {
                <p class="notice warn" id="cat-groups-left-out">
                    {tf(Text::CatGroupsLeftOut, move || vec![
                        ("count", left_out().to_string()),
                        ("limit", MAX_GROUPS_PER_REQUEST.to_string()),
                    ])}
                </p>
            })}
            </Fold>
        </form>
    }
}

/// One page of products; a row opens to its offers.
#[component]
fn ProductTable(response: ProductsResponse, expanded: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let total = response.pagination.total_count;
    if response.products.is_empty() {
        return view! {
            <p class="notice warn" id="cat-products-total" data-total="0">{t(Text::CatNoProducts)}</p>
        }
        .into_any();
    }
    view! {
        <p class="muted" id="cat-products-total" data-total=total.to_string()>
            {tf(Text::CatProductsFound, move || vec![("count", total.to_string())])}
        </p>
        <TableScroll label=Text::CatTabProducts>
            <table class="cat-products-table" id="cat-products-table">
                <thead><tr>
                    <th></th><th>"id"</th><th>{t(Text::CatColImage)}</th><th>{t(Text::CatColName)}</th>
                    <th>{t(Text::CatColArticle)}</th><th>"externalId"</th><th>{t(Text::CatActive)}</th>
                    <th>{t(Text::CatColPrice)}</th><th>{t(Text::CatColQuantity)}</th><th>{t(Text::CatColOffers)}</th>
                </tr></thead>
                <tbody>
                    {response.products.into_iter().map(|p| view! { <ProductRow product=p expanded/> }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}

/// A product's line, and its offers below it when open.
#[component]
fn ProductRow(product: Product, expanded: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let id = product.id;
    let open = move || expanded.with(|e| e.contains(&id));
    let toggle = move |_| {
        expanded.update(|e| {
            if !e.remove(&id) {
                e.insert(id);
            }
        })
    };
    let price = match (product.min_price, product.max_price) {
        (Some(a), Some(b)) if a != b => {
            format!("{}–{}", format_number(a, false), format_number(b, false))
        }
        (Some(a), _) | (None, Some(a)) => format_number(a, false),
        (None, None) => String::new(),
    };
    let shown = product.clone();
    let (show, hide) = (t(Text::CatShowOffers), t(Text::CatHideOffers));
    let label = move || Some(if open() { hide() } else { show() }.to_string());
    let toggle = el("button")
        .class("link cat-product-toggle")
        .live_attr("aria-expanded", move || Some(open().to_string()))
        .live_attr("aria-label", label)
        .live_attr("title", label)
        .on("click", toggle)
        .child(
            el("span")
                .attr("aria-hidden", "true")
                .live_text(move || if open() { "▾" } else { "▸" }.to_string()),
        );
    let image = product.image_url.as_deref().and_then(web_link).map(|src| {
        el("img")
            .class("cat-thumb")
            .attr("loading", "lazy")
            .attr("src", src)
            .attr("alt", "")
    });
    let row = el("tr")
        .class("cat-product")
        .attr("data-id", id.to_string())
        .child(el("td").child(toggle))
        .child(td("num", id.to_string()))
        .child(el("td").children(image))
        .child(td("cat-product-name", product.name.clone()))
        .child(td("", product.article.clone().unwrap_or_default()))
        .child(td("", product.external_id.clone().unwrap_or_default()))
        .child(yes_no_cell(product.active))
        .child(td("num", price))
        .child(td(
            "num",
            product
                .quantity
                .map(|q| format_number(q, false))
                .unwrap_or_default(),
        ))
        .child(td("num", product.offers.len().to_string()));
    view! {
        {row}
        {move || open().then(|| view! {
            <tr class="cat-detail" data-product=id.to_string()>
                <td colspan="10"><OffersDetail product=shown.clone()/></td>
            </tr>
        })}
    }
}

/// What the last export of every page came to.
#[derive(Clone)]
enum ExportOutcome {
    Saved(usize),
    Failed(ApiError),
    Refused,
}

/// Downloads the current page, or every page of the same filters (under the rate limit, with progress; the rows in
/// page order whatever order the pages arrive in).
#[component]
fn ExportBar(
    page_products: Signal<Vec<Product>>,
    /// The request of the list shown (`None` while it waits for the group tree).
    query: Memo<Option<ProductsQuery>>,
) -> impl IntoView {
    let ctx = use_catalog();
    let export: RunnerSlot<ItemsRead<ProductsRequest>> = RunnerSlot::new();
    let outcome = RwSignal::new(None::<ExportOutcome>);
    let save = move |products: &[Product]| {
        let csv = products_csv(products, CsvOptions::default());
        outcome.set(Some(if save_text_file("products.csv", &csv) {
            ExportOutcome::Saved(products.len())
        } else {
            ExportOutcome::Refused
        }));
    };
    // When every page is in, the file is saved and the read forgotten.
    effect(move |_| {
        if export.with(|read| !read.is_open()) != Some(true) {
            return;
        }
        let finished = export.finish(|read| {
            let failed = read.state().failure().cloned();
            let done = *read.state() == ReadState::Done;
            (done.then(|| read.sink_mut().take()), failed)
        });
        match finished {
            Some((Some(products), _)) => save(&products),
            Some((None, Some(error))) => outcome.set(Some(ExportOutcome::Failed(error))),
            _ => {}
        }
    });
    let export_page = move |_| save(&page_products.get_untracked());
    let export_all = move |_| {
        let Some(Ok(query)) = query.get_untracked() else {
            return;
        };
        let mut first = query.with_page(1);
        first.limit = Some(250);
        outcome.set(None);
        export.start(&ctx.session, every_item(first));
    };
    let cancel = move |_| {
        export.update(|read| read.cancel());
        export.abort();
    };
    let is_running = move || export.with(|read| read.is_open()).unwrap_or(false);
    let progress = move || export.with(|read| read.progress()).unwrap_or_default();
    view! {
        <div class="row cat-export">
            <button type="button" class="secondary" id="cat-export-page" disabled=is_running
                on:click=export_page>{t(Text::CatExportPage)}</button>
            <button type="button" class="secondary" id="cat-export-all" disabled=is_running
                on:click=export_all>{t(Text::CatExportAll)}</button>
            {move || is_running().then(|| view! {
                <button type="button" class="secondary" id="cat-export-cancel" on:click=cancel>{t(Text::CatExportCancel)}</button>
            })}
        </div>
        {move || if is_running() {
            view! {
                <Progress
                    done=derive(move || progress().pages_done as u64)
                    total=derive(move || progress().pages_known as u64)
                    rate=derive(move || progress().pages_per_second())
                    unit=Text::UnitPages label=Text::CatExportAll/>
            }.into_any()
        } else {
            match outcome.get() {
                None => ().into_any(),
                Some(ExportOutcome::Saved(count)) => view! {
                    <p class="notice ok" id="cat-export-saved">
                        {tf(Text::CatExportSaved, move || vec![("count", count.to_string())])}
                    </p>
                }.into_any(),
                Some(ExportOutcome::Failed(error)) => view! { <ApiErrorNotice error/> }.into_any(),
                Some(ExportOutcome::Refused) => view! { <p class="notice bad">{t(Text::CatDownloadRefused)}</p> }.into_any(),
            }
        }}
    }
}
