//! The product properties list: code, name, sites, groups and flags, with the API's filters and pages.

use super::{use_catalog, yes_no_cell, FlagSelect, ListPager, SiteSelect};
use crate::api::product::ProductProperty;
use crate::catalog::filter::PropertyFilterState;
use crate::i18n::Text;
use crate::runner::read::one_page;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::fold::Fold;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf};
use crate::ui::node::{el, head, td, th, El};
use crate::ui::reactive::{derive, effect, memo};
use crate::ui::task::follow;
use leptos::prelude::*;

/// The properties, filtered as the URL says.
#[component]
pub fn PropertiesList() -> impl IntoView {
    let ctx = use_catalog();
    let state = memo(move || ctx.view.with(|v| v.properties.clone()));
    let draft = RwSignal::new(state.get_untracked());
    effect(move |_| draft.set(state.get()));
    // The page of the URL: a new URL replaces the read of the one before, so the rows always answer the URL.
    let read = follow(ctx.session, move || {
        Some(one_page(state.get().to_request()))
    });
    let properties = memo(move || {
        read.with(|read| read.answer().map(|a| a.cloned().map_err(Clone::clone)))
            .flatten()
    });
    let answered_pages = derive(move || match properties.get() {
        Some(Ok(r)) => Some(r.pagination.total_page_count),
        _ => None,
    });
    let apply = move || {
        let mut next = draft.get_untracked();
        next.page = 1;
        ctx.update(|v| v.properties = next);
    };
    let text =
        move |id: &'static str, label: Text, field: fn(&mut PropertyFilterState) -> &mut String| {
            view! {
                <label class="field">{t(label)}
                    <input id=id type="text"
                        prop:value=move || draft.with(|d| field(&mut d.clone()).clone())
                        on:input=move |ev| draft.update(|d| *field(d) = event_target_value(&ev))/>
                </label>
            }
        };
    let list = move || {
        match properties.get() {
        None => view! { <p class="muted" id="cat-properties-loading">"…"</p> }.into_any(),
        Some(Err(error)) => view! { <ApiErrorNotice error/> }.into_any(),
        Some(Ok(r)) if r.properties.is_empty() => view! {
            <p class="notice warn" id="cat-properties-total" data-total="0">{t(Text::CatNoProperties)}</p>
        }.into_any(),
        Some(Ok(r)) => {
            let total = r.pagination.total_count;
            view! {
                <p class="muted" id="cat-properties-total" data-total=total.to_string()>
                    {tf(Text::CatPropertiesFound, move || vec![("count", total.to_string())])}
                </p>
                <TableScroll label=Text::CatTabProperties>
                    {properties_table(r.properties)}
                </TableScroll>
            }.into_any()
        }
    }
    };
    view! {
        <div class="cat-properties" id="cat-properties">
            <form class="card" id="cat-properties-filters" on:submit=move |ev| { ev.prevent_default(); apply(); }>
                <Fold summary=Text::FiltersSentToCrm>
                <div class="row">
                    {text("cat-p-name", Text::CatColName, |d| &mut d.name)}
                    {text("cat-p-code", Text::CatCode, |d| &mut d.code)}
                    <label class="field">{t(Text::CatSite)}
                        <SiteSelect id="cat-p-site" value=derive(move || draft.with(|d| d.site.clone()))
                            on_change=Callback::new(move |s| draft.update(|d| d.site = s))/>
                    </label>
                    <label class="field">{t(Text::CatGroupId)}
                        <input id="cat-p-group" type="text" inputmode="numeric"
                            prop:value=move || draft.with(|d| d.group.map(|g| g.to_string()).unwrap_or_default())
                            on:input=move |ev| draft.update(|d| d.group = event_target_value(&ev).trim().parse().ok())/>
                    </label>
                    <label class="field">{t(Text::CatVisible)}
                        <FlagSelect id="cat-p-visible" value=derive(move || draft.with(|d| d.visible))
                            on_change=Callback::new(move |f| draft.update(|d| d.visible = f))/>
                    </label>
                    <label class="field">{t(Text::CatVariative)}
                        <FlagSelect id="cat-p-variative" value=derive(move || draft.with(|d| d.variative))
                            on_change=Callback::new(move |f| draft.update(|d| d.variative = f))/>
                    </label>
                </div>
                <div class="row">
                    <button type="submit" id="cat-p-apply">{t(Text::CatApply)}</button>
                </div>
                </Fold>
            </form>
            {list}
            <ListPager answered_pages
                page=derive(move || state.with(|s| s.page))
                limit=derive(move || state.with(|s| s.limit))
                paging=|v| (&mut v.properties.page, &mut v.properties.limit)/>
        </div>
    }
}

/// The properties of the page as a table.
fn properties_table(properties: Vec<ProductProperty>) -> El {
    let rows = properties.into_iter().map(|p| {
        let groups = p
            .groups
            .iter()
            .map(|g| format!("{} ({})", g.name, g.id))
            .collect::<Vec<_>>()
            .join(", ");
        el("tr")
            .class("cat-property")
            .attr("data-code", p.code.clone())
            .child(td("cat-property-code", p.code))
            .child(td("cat-property-name", p.name))
            .child(td("cat-property-sites", p.sites.join(", ")))
            .child(td("cat-property-groups", groups))
            .child(yes_no_cell(p.is_numeric))
            .child(yes_no_cell(p.visible))
            .child(yes_no_cell(p.variative))
    });
    el("table")
        .attr("id", "cat-properties-table")
        .child(head([
            th(Text::CatCode),
            th(Text::CatColName),
            th(Text::CatSites),
            th(Text::CatPropertyGroups),
            th(Text::CatNumeric),
            th(Text::CatVisible),
            th(Text::CatVariative),
        ]))
        .child(el("tbody").children(rows))
}
