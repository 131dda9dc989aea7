//! The leftovers screen: offers with quantity and purchase price per warehouse, filters in the URL, load all, export.

mod bars;
mod filters;
mod load_all;
mod table;

use std::sync::Arc;

use crate::api::inventory::InventoriesResponse;
use crate::api::ApiError;
use crate::i18n::Text;
use crate::inventories::export::leftovers_csv;
use crate::inventories::filter::InventoryFilter;
use crate::inventories::search::{search, search_answer, search_terms};
use crate::inventories::table::{
    format_hidden, load_covers, parse_hidden, rows_from_offers, view_indices, warehouse_totals,
    LocalQuery, OfferRow, Sort, WarehouseColumn,
};
use crate::runner::read::one_page;
use crate::sheet::csv::CsvOptions;
use crate::sheet::paging::{page_count, page_range};
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::download::save_text_file;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::fold::Fold;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::components::pager::Pager;
use crate::ui::locale::{t, tf, tp};
use crate::ui::reactive::{derive, derived, memo};
use crate::ui::session::use_session;
use crate::ui::storage;
use crate::ui::task::{follow, warehouses};
use bars::StockBars;
use filters::FilterForm;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use load_all::{loaded_phrase, LoadAll, LoadAllProgress};
use table::LeftoversTable;

const KEY_HIDDEN: &str = "warehouse-panel.inventories.hidden-warehouses";

/// The leftovers screen.
#[component]
pub fn InventoriesPage() -> impl IntoView {
    view! {
        <PageFrame id="page-inventories" title=Text::NavInventories intro=Text::InventoriesIntro>
            <Leftovers/>
        </PageFrame>
    }
}

/// The screen's content once connected.
#[component]
fn Leftovers() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = memo(move || query.with(|q| InventoryFilter::from_query(|k| q.get(k))));
    let go = Callback::new(move |(f, replace): (InventoryFilter, bool)| {
        let q = f.to_query();
        let url = if q.is_empty() {
            "/inventories".to_string()
        } else {
            format!("/inventories?{q}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });

    let stores = warehouses(session);
    let columns = memo(move || match stores.get() {
        Some(Ok(r)) => r.stores.iter().map(WarehouseColumn::from_store).collect(),
        _ => Vec::new(),
    });
    let hidden = RwSignal::new(parse_hidden(
        &storage::local_get(KEY_HIDDEN).unwrap_or_default(),
    ));
    let toggle_hidden = move |code: String| {
        hidden.update(|h| {
            if let Some(pos) = h.iter().position(|c| *c == code) {
                h.remove(pos);
            } else {
                h.push(code);
            }
        });
        storage::local_set(KEY_HIDDEN, &format_hidden(&hidden.get_untracked()));
    };
    let visible = derive(move || {
        let hidden = hidden.get();
        columns
            .get()
            .into_iter()
            .enumerate()
            .filter(|(_, c)| !hidden.contains(&c.code))
            .collect::<Vec<_>>()
    });

    let load = LoadAll::new();
    let active_set = derive(move || {
        load.loaded
            .get()
            .filter(|s| load_covers(&s.filter, &filter.get()))
    });
    // Memos, so that typing in the search box (a change of the filter) does not fetch the page again.
    let covered = memo(move || active_set.with(Option::is_some));
    let request = memo(move || filter.get().to_request());
    // The page of the URL, unless a loaded set answers it: a new URL replaces the read of the one before.
    let page_read = follow(session, move || {
        (!covered.get()).then(|| one_page(request.get()))
    });
    let page: Memo<Option<Result<InventoriesResponse, ApiError>>> = memo(move || {
        page_read
            .with(|read| read.answer().map(|a| a.cloned().map_err(Clone::clone)))
            .flatten()
    });
    let page_rows = memo(move || {
        let cols = columns.get();
        match page.get() {
            Some(Ok(r)) => Arc::new(rows_from_offers(&r.offers, &cols)),
            _ => Arc::new(Vec::new()),
        }
    });

    // The search: over a whole loaded set it is local (part of an identifier); otherwise the CRM is asked for the
    // exact identifiers in the whole account.
    let complete_set = memo(move || active_set.with(|s| s.as_ref().is_some_and(|s| s.complete)));
    let crm_search = memo(move || {
        let f = filter.get();
        (!complete_set.get() && !search_terms(&f.search).is_empty()).then(|| f.with_page(1))
    });
    let search_read = follow(session, move || crm_search.get().as_ref().and_then(search));
    let searched = memo(move || {
        let f = crm_search.get()?;
        let answer = search_read.with(|job| search_answer(Some(job), &f));
        answer.unwrap_or_else(|| search_answer(None, &f))
    });
    let searched_rows = memo(move || {
        let cols = columns.get();
        match searched.get() {
            Some(Ok(offers)) => Arc::new(rows_from_offers(&offers, &cols)),
            _ => Arc::new(Vec::new()),
        }
    });
    let crm_searching = memo(move || crm_search.with(Option::is_some));

    let sort: RwSignal<Option<Sort>> = RwSignal::new(None);
    // The filter without its page: changing the page must not filter and sort a whole loaded set again.
    let view_filter = memo(move || filter.get().with_page(1));
    // The rows to show and what is checked on them here (the CRM checked the rest).
    let source = derive(move || match (crm_searching.get(), active_set.get()) {
        (true, _) => (searched_rows.get(), LocalQuery::default()),
        (false, Some(set)) => (set.rows.clone(), LocalQuery::whole_set(&view_filter.get())),
        (false, None) => (page_rows.get(), LocalQuery::search_only(&view_filter.get())),
    });
    // Rows paged here, not by the CRM: a loaded set, or what a search found.
    let paged_here = move || crm_searching.get() || active_set.with(Option::is_some);
    let matching = memo(move || {
        let (rows, query) = source.get();
        view_indices(&rows, &query, sort.get())
    });
    let shown_rows = derive(move || {
        let (rows, _) = source.get();
        let f = filter.get();
        matching.with(|idx| {
            let range = if paged_here() {
                page_range(idx.len(), f.page, f.limit)
            } else {
                0..idx.len()
            };
            idx[range]
                .iter()
                .filter_map(|&i| rows.get(i).cloned())
                .collect::<Vec<OfferRow>>()
        })
    });
    let totals = derive(move || {
        let (rows, _) = source.get();
        let n = columns.with(Vec::len);
        matching.with(|idx| warehouse_totals(&rows, idx, n))
    });
    let total_pages = derive(move || match paged_here() {
        true => page_count(matching.with(Vec::len), filter.get().limit),
        false => match page.get() {
            Some(Ok(r)) => r.pagination.total_page_count,
            _ => 0,
        },
    });

    let export_failed = RwSignal::new(false);
    let export = move |rows: Vec<OfferRow>, name: &str| {
        let csv = leftovers_csv(&rows, &visible.get_untracked(), CsvOptions::default());
        export_failed.set(!save_text_file(name, &csv));
    };
    let export_shown = move |_| {
        let page = filter.get_untracked().page;
        export(
            shown_rows.get_untracked(),
            &format!("leftovers-page-{page}.csv"),
        );
    };
    let export_all = move |_| {
        if let Some(set) = active_set.get_untracked() {
            let rows: Vec<OfferRow> = matching.with_untracked(|idx| {
                idx.iter()
                    .filter_map(|&i| set.rows.get(i).cloned())
                    .collect()
            });
            export(rows, "leftovers-all.csv");
        }
    };
    // "Load all" is busy while it runs: the focus goes to its progress, then to what was loaded.
    let progress_focus = ResultFocus::<html::Div>::new();
    let loaded_focus = ResultFocus::<html::Div>::new();
    let start_load = move |_| {
        progress_focus.arm();
        loaded_focus.arm();
        load.start(&session, &filter.get_untracked(), columns.get_untracked());
    };

    let found = tf(Text::InvFound, move || {
        let n = match page.get() {
            Some(Ok(r)) => r.pagination.total_count,
            _ => 0,
        };
        vec![("count", n.to_string())]
    });
    let showing = tf(Text::InvShowing, move || {
        vec![("count", matching.with(Vec::len).to_string())]
    });
    let found_in_account = derived(tf(Text::InvSearchFound, move || {
        vec![("count", matching.with(Vec::len).to_string())]
    }));
    // In the CRM's pages a search is sent on Enter (or the button); over a whole loaded set it follows the typing.
    let search_box = NodeRef::<leptos::html::Input>::new();
    let search_for = move |search: String| {
        go.run((
            InventoryFilter {
                search,
                page: 1,
                ..filter.get_untracked()
            },
            complete_set.get_untracked(),
        ))
    };
    let on_search_input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        if complete_set.get_untracked() || typed.trim().is_empty() {
            search_for(typed);
        }
    };
    let on_search_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = search_box.get_untracked() {
            search_for(input.value());
        }
    };
    let search_hint = move || {
        if complete_set.get() {
            t(Text::InvSearchLocalHint)()
        } else {
            t(Text::InvSearchCrmHint)()
        }
    };
    view! {
        <FilterForm filter on_apply=Callback::new(move |f| go.run((f, false)))/>
        {move || match stores.get() {
            Some(Err(e)) => view! { <ApiErrorNotice error=e/> }.into_any(),
            Some(Ok(r)) if r.stores.is_empty() => view! {
                <div class="notice warn" id="inv-no-warehouses">{t(Text::InvNoWarehouses)}</div>
            }.into_any(),
            _ => ().into_any(),
        }}
        <div class="card inv-warehouses" id="inv-warehouses">
            <Fold summary=Text::InvWarehouses>
            <div class="inv-warehouse-list">
            {move || columns.get().into_iter().map(|c| {
                let code = c.code.clone();
                let code_for_check = c.code.clone();
                view! {
                    <label class="inv-warehouse" data-store=c.code.clone()>
                        <input type="checkbox"
                            prop:checked=move || !hidden.with(|h| h.contains(&code_for_check))
                            on:change=move |_| toggle_hidden(code.clone())/>
                        " "{c.name.clone()}
                        {c.available_type.then(|| view! {
                            " "<span class="badge warn inv-available">{t(Text::InvAvailableType)}</span>
                        })}
                    </label>
                }
            }).collect_view()}
            </div>
            </Fold>
        </div>
        <form class="row inv-search-form" id="inv-search-form" on:submit=on_search_submit>
            <input id="inv-search" type="search" class="inv-search" node_ref=search_box
                placeholder=t(Text::InvSearch) aria-label=t(Text::InvSearch)
                aria-describedby="inv-search-hint"
                prop:value=move || filter.get().search
                on:input=on_search_input/>
            <button type="submit" class="secondary" id="inv-search-go">{t(Text::InvSearchGo)}</button>
        </form>
        <p class="hint" id="inv-search-hint">{search_hint}</p>
        <div class="row inv-actions">
            <button id="inv-load-all" disabled=move || load.is_running() on:click=start_load
                title=t(Text::InvLoadAllHint)>{t(Text::InvLoadAll)}</button>
            <button class="secondary" id="inv-export-shown" on:click=export_shown>{t(Text::InvExportShown)}</button>
            {move || active_set.with(Option::is_some).then(|| view! {
                <button class="secondary" id="inv-export-all" on:click=export_all>{t(Text::InvExportAll)}</button>
                <button class="link" id="inv-back-to-pages" on:click=move |_| load.loaded.set(None)>
                    {t(Text::InvBackToPages)}
                </button>
            })}
        </div>
        <p class="hint">{t(Text::InvExportHint)}</p>
        {move || export_failed.get().then(|| view! { <p class="notice bad">{t(Text::InvExportFailed)}</p> })}
        {move || load.is_running().then(|| view! { <LoadAllProgress load focus=progress_focus/> })}
        {move || load.error.get().map(|e| view! { <ApiErrorNotice error=e/> })}
        {move || active_set.get().map(|set| {
            let (class, id) = if set.complete { ("notice ok", "inv-loaded") } else { ("notice warn", "inv-loaded-part") };
            view! { <div class=class id=id tabindex="-1" node_ref=loaded_focus.node>{tp(loaded_phrase(&set))}</div> }
        })}
        {move || active_set.with(Option::is_some).then(|| view! {
            <div class="card" id="inv-totals">
                <h2>{t(Text::InvTotals)}</h2>
                <StockBars columns=visible totals/>
            </div>
        })}
        {move || crm_searching.get().then(|| match searched.get() {
            None => view! { <p class="muted" id="inv-searching">{t(Text::InvSearching)}</p> }.into_any(),
            Some(Err(e)) => view! { <ApiErrorNotice error=e/> }.into_any(),
            Some(Ok(_)) if shown_rows.with(Vec::is_empty) => view! {
                <div class="notice warn" id="inv-empty">{t(Text::InvSearchNone)}</div>
            }.into_any(),
            Some(Ok(_)) => view! { <p class="muted" id="inv-count">{found_in_account}</p> }.into_any(),
        })}
        {move || match (active_set.with(Option::is_some), page.get()) {
            _ if crm_searching.get() => ().into_any(),
            (false, None) => view! { <p class="muted" id="inv-loading">{t(Text::InvLoading)}</p> }.into_any(),
            (false, Some(Err(e))) => view! { <ApiErrorNotice error=e/> }.into_any(),
            _ if shown_rows.with(Vec::is_empty) => view! {
                <div class="notice warn" id="inv-empty">{t(Text::InvEmpty)}</div>
            }.into_any(),
            (loaded, _) => view! {
                <p class="muted" id="inv-count">{if loaded { showing() } else { found() }}</p>
            }.into_any(),
        }}
        <Pager
            page=derive(move || filter.get().page)
            total_pages
            limit=derive(move || filter.get().limit)
            on_page=Callback::new(move |p| go.run((filter.get_untracked().with_page(p), false)))
            on_limit=Callback::new(move |l| go.run((filter.get_untracked().with_limit(l), false)))
        />
        <LeftoversTable columns=visible rows=shown_rows totals sort/>
    }
}
