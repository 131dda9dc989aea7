//! The product-group tree: every page of groups loaded under the rate limit, expandable, filtered by site and active.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{use_catalog, FlagSelect, KnownGroups, SiteSelect};
use crate::api::product::{ProductGroupsFilter, ProductGroupsRequest};
use crate::catalog::tree::GroupTree;
use crate::i18n::Text;
use crate::runner::read::{every_item, ReadState};
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::fold::Fold;
use crate::ui::locale::{t, tf};
use crate::ui::reactive::{derive, effect, memo};
use crate::ui::task::follow;
use leptos::prelude::*;

/// The groups of the catalog as a tree; clicking a group filters the products by it.
#[component]
pub fn GroupTreePanel() -> impl IntoView {
    let ctx = use_catalog();
    let site = RwSignal::new(String::new());
    let active = RwSignal::new(None::<bool>);
    let expanded = RwSignal::new(BTreeSet::<i64>::new());
    // Every page of the groups of the chosen site and activity; a new choice replaces the read of the one before.
    let read = follow(ctx.session, move || {
        Some(every_item(ProductGroupsRequest {
            limit: Some(250),
            page: None,
            filter: ProductGroupsFilter {
                sites: Some(site.get())
                    .filter(|s| !s.is_empty())
                    .into_iter()
                    .collect(),
                active: active.get(),
                ..Default::default()
            },
        }))
    });
    let progress = move || read.with(|r| r.progress()).unwrap_or_default();
    let groups = memo(move || {
        read.with(|r| match r.state() {
            ReadState::Done => Some(Ok(GroupTree::build(r.sink().items().to_vec()))),
            ReadState::Failed(e) => Some(Err(e.clone())),
            _ => None,
        })
        .flatten()
    });
    // The names of the groups loaded, for the group filter's label; the tree, for a group's sub-groups.
    effect(move |_| {
        read.with(|r| {
            if *r.state() == ReadState::Done {
                let names = r.sink().items().iter().map(|g| (g.id, g.name.clone()));
                ctx.group_names.update(|known| known.extend(names));
            }
        });
        ctx.groups.set(match groups.get() {
            None => KnownGroups::Loading,
            Some(Ok(tree)) => KnownGroups::Tree(Arc::new(tree)),
            Some(Err(_)) => KnownGroups::Unavailable,
        });
    });
    let selected = move || ctx.view.with(|v| v.products.group);
    let select = move |group: Option<i64>| {
        ctx.update(|v| {
            v.properties_tab = false;
            v.products.group = group;
            v.products.page = 1;
        })
    };
    let tree_view = move || match groups.get() {
        None => {
            let loading = tf(Text::CatGroupsLoading, move || {
                let p = progress();
                vec![
                    ("page", p.pages_done.to_string()),
                    ("pages", p.pages_known.max(p.pages_done).to_string()),
                ]
            });
            view! { <p class="muted" id="cat-groups-loading">{loading}</p> }.into_any()
        }
        Some(Err(error)) => view! { <ApiErrorNotice error/> }.into_any(),
        Some(Ok(tree)) => {
            let count = tree.len();
            let all_parents = tree.parents();
            let rows = move || tree.rows(&expanded.get());
            view! {
                <div class="row cat-tree-tools">
                    <span class="muted" id="cat-groups-count">
                        {tf(Text::CatGroupsCount, move || vec![("count", count.to_string())])}
                    </span>
                    <button class="link" id="cat-expand-all"
                        on:click=move |_| expanded.set(all_parents.clone())>{t(Text::CatExpandAll)}</button>
                    <button class="link" id="cat-collapse-all"
                        on:click=move |_| expanded.set(BTreeSet::new())>{t(Text::CatCollapseAll)}</button>
                </div>
                <ul class="tree cat-tree" id="cat-tree">
                    <li>
                        <button class="link cat-group-all" class:selected=move || selected().is_none()
                            on:click=move |_| select(None)>{t(Text::CatAllGroups)}</button>
                    </li>
                    <For each=rows key=|row| (row.id, row.expanded, row.depth) let:row>
                        <GroupRow row expanded selected=derive(selected) on_select=Callback::new(select)/>
                    </For>
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <aside class="card cat-groups" id="cat-groups">
            <Fold summary=Text::CatGroups>
            <div class="row">
                <label class="field">{t(Text::CatSite)}
                    <SiteSelect id="cat-groups-site" value=site.into() on_change=Callback::new(move |s| site.set(s))/>
                </label>
                <label class="field">{t(Text::CatActive)}
                    <FlagSelect id="cat-groups-active" value=active.into() on_change=Callback::new(move |a| active.set(a))/>
                </label>
            </div>
            {tree_view}
            </Fold>
        </aside>
    }
}

/// One line of the tree: an expand toggle, the name (a filter link) and the number of subgroups.
#[component]
fn GroupRow(
    row: crate::catalog::tree::TreeRow,
    expanded: RwSignal<BTreeSet<i64>>,
    selected: Signal<Option<i64>>,
    on_select: Callback<Option<i64>>,
) -> impl IntoView {
    let id = row.id;
    let toggle = move |_| {
        expanded.update(|set| {
            if !set.remove(&id) {
                set.insert(id);
            }
        })
    };
    let subgroups = row.child_count;
    let name = row.name.clone();
    view! {
        <li class="cat-group" data-id=id.to_string() data-depth=row.depth.to_string()
            style:padding-left=format!("{}rem", row.depth as f64 * 1.1)>
            {(subgroups > 0).then(|| view! {
                <button class="link cat-group-toggle" aria-expanded=row.expanded.to_string() on:click=toggle
                    aria-label=tf(Text::CatSubgroupsOf, move || vec![("group", name.clone())])>
                    <span aria-hidden="true">{if row.expanded { "▾" } else { "▸" }}</span>
                </button>
            })}
            " "
            <button class="link cat-group-name" class:selected=move || selected.get() == Some(id)
                class:muted=!row.active
                on:click=move |_| on_select.run(Some(id))>{row.name.clone()}</button>
            {(subgroups > 0).then(|| view! {
                " "<span class="badge cat-group-children" title=tf(Text::CatSubgroups, move || vec![("count", subgroups.to_string())])>
                    {subgroups}" / "{row.descendants}
                </span>
            })}
            {row.site.clone().map(|site| view! { " "<span class="muted cat-group-site">{site}</span> })}
            {(!row.active).then(|| view! { " "<span class="muted">{t(Text::CatInactive)}</span> })}
        </li>
    }
}
