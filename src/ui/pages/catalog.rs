//! The catalog screen: the product-group tree, products with their offers, and product properties.

mod detail;
mod groups;
mod products;
mod properties;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::catalog::filter::CatalogView;
use crate::catalog::tree::GroupTree;
use crate::i18n::Text;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::components::pager::Pager;
use crate::ui::locale::t;
use crate::ui::node::{el, El};
use crate::ui::reactive::{effect, memo};
use crate::ui::session::{use_session, Session};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The catalog screen.
#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <PageFrame id="page-catalog" title=Text::NavCatalog intro=Text::CatalogIntro>
            <CatalogContent/>
        </PageFrame>
    }
}

/// Goes to a URL of the app (the router's navigate, kept on this thread).
type Navigate = StoredValue<Box<dyn Fn(&str)>, LocalStorage>;

/// What the catalog's parts share: the view held in the URL, the session and the group names.
#[derive(Clone, Copy)]
struct CatalogCtx {
    /// The filters and the open tab, read from the URL query (so a reload keeps them).
    view: Memo<CatalogView>,
    navigate: Navigate,
    session: Session,
    /// Group names by id, once the tree is loaded (for the group filter's label).
    group_names: RwSignal<BTreeMap<i64, String>>,
    /// The group tree shown, for the sub-groups of the group chosen.
    groups: RwSignal<KnownGroups>,
}

/// What is known of the group tree: a group's products are those of its subtree, so the list waits for the tree.
#[derive(Clone, Debug, PartialEq)]
enum KnownGroups {
    Loading,
    Tree(Arc<GroupTree>),
    /// The tree could not be read: a group's own products are listed.
    Unavailable,
}

impl KnownGroups {
    fn tree(&self) -> Option<&GroupTree> {
        match self {
            KnownGroups::Tree(tree) => Some(tree),
            _ => None,
        }
    }
}

impl CatalogCtx {
    /// Puts `view` in the URL (the lists follow it).
    fn set(&self, view: &CatalogView) {
        let query = view.to_query();
        let url = if query.is_empty() {
            "/catalog".to_string()
        } else {
            format!("/catalog?{query}")
        };
        self.navigate.with_value(|navigate| navigate(&url));
    }

    /// Changes the view in the URL.
    fn update(&self, change: impl FnOnce(&mut CatalogView)) {
        let mut view = self.view.get_untracked();
        change(&mut view);
        self.set(&view);
    }
}

fn use_catalog() -> CatalogCtx {
    use_context::<CatalogCtx>().unwrap_or_else(provide_catalog)
}

fn provide_catalog() -> CatalogCtx {
    let query = use_query_map();
    let view = memo(move || {
        query.with(|q| CatalogView::from_query(q.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    let go = use_navigate();
    let navigate: Box<dyn Fn(&str)> = Box::new(move |url: &str| {
        go(
            url,
            NavigateOptions {
                scroll: false,
                ..NavigateOptions::default()
            },
        )
    });
    let session = use_session();
    let ctx = CatalogCtx {
        view,
        navigate: StoredValue::new_local(navigate),
        session,
        group_names: RwSignal::new(BTreeMap::new()),
        groups: RwSignal::new(KnownGroups::Loading),
    };
    provide_context(ctx);
    ctx
}

#[component]
fn CatalogContent() -> impl IntoView {
    let ctx = provide_catalog();
    let properties_tab = memo(move || ctx.view.with(|v| v.properties_tab));
    let show = move |properties: bool| ctx.update(|v| v.properties_tab = properties);
    view! {
        <div class="cat-tabs" role="tablist">
            <button id="cat-tab-products" role="tab" class:active=move || !properties_tab.get()
                aria-selected=move || (!properties_tab.get()).to_string()
                on:click=move |_| show(false)>{t(Text::CatTabProducts)}</button>
            <button id="cat-tab-properties" role="tab" class:active=properties_tab
                aria-selected=move || properties_tab.get().to_string()
                on:click=move |_| show(true)>{t(Text::CatTabProperties)}</button>
        </div>
        {move || if properties_tab.get() {
            view! { <properties::PropertiesList/> }.into_any()
        } else {
            view! {
                <div class="cat-layout">
                    <groups::GroupTreePanel/>
                    <products::ProductsPanel/>
                </div>
            }.into_any()
        }}
    }
}

/// A site picker: "any site" plus the account's sites (the current value stays listed even if unknown).
#[component]
fn SiteSelect(
    #[prop(into)] id: String,
    value: Signal<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    let ctx = use_catalog();
    let codes = move || {
        let mut codes: Vec<(String, String)> = ctx
            .session
            .sites()
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
        let current = value.get();
        if !current.is_empty() && !codes.iter().any(|(c, _)| *c == current) {
            codes.push((current.clone(), current));
        }
        codes
    };
    view! {
        <select id=id on:change=move |ev| on_change.run(event_target_value(&ev))>
            <option value="" selected=move || value.get().is_empty()>{t(Text::CatAnySite)}</option>
            {move || codes().into_iter().map(|(code, name)| {
                let selected = code.clone();
                view! {
                    <option value=code.clone() selected=move || value.get() == selected>
                        {format!("{name} ({code})")}
                    </option>
                }
            }).collect_view()}
        </select>
    }
}

/// A yes / no / any picker for a flag filter (`1` / `0` / blank).
#[component]
fn FlagSelect(
    #[prop(into)] id: String,
    value: Signal<Option<bool>>,
    on_change: Callback<Option<bool>>,
) -> impl IntoView {
    view! {
        <select id=id on:change=move |ev| on_change.run(match event_target_value(&ev).as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        })>
            <option value="" selected=move || value.get().is_none()>{t(Text::CatAny)}</option>
            <option value="1" selected=move || value.get() == Some(true)>{t(Text::CatYes)}</option>
            <option value="0" selected=move || value.get() == Some(false)>{t(Text::CatNo)}</option>
        </select>
    }
}

/// The pager of a catalog list: `paging` picks the list's page and page size in the view (kept in the URL); a new
/// page size goes back to page 1. The page count shown is the last one the CRM answered (`None` while loading).
#[component]
fn ListPager(
    answered_pages: Signal<Option<u32>>,
    page: Signal<u32>,
    limit: Signal<u32>,
    paging: fn(&mut CatalogView) -> (&mut u32, &mut u32),
) -> impl IntoView {
    let ctx = use_catalog();
    let total_pages = RwSignal::new(0u32);
    effect(move |_| {
        if let Some(pages) = answered_pages.get() {
            total_pages.set(pages);
        }
    });
    view! {
        <Pager page total_pages=total_pages.into() limit
            on_page=Callback::new(move |to| ctx.update(|v| *paging(v).0 = to))
            on_limit=Callback::new(move |to| ctx.update(|v| {
                let (page, limit) = paging(v);
                *limit = to;
                *page = 1;
            }))
        />
    }
}

/// A table cell saying yes, no or "–" (unknown).
fn yes_no_cell(value: Option<bool>) -> El {
    match value {
        Some(true) => el("td").tr(Text::CatYes),
        Some(false) => el("td").tr(Text::CatNo),
        None => el("td").text("–"),
    }
}
