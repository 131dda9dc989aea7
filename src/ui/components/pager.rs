//! Page navigation and page size for lists paginated by the CRM (`limit` 20/50/100/250).

use crate::i18n::Text;
use crate::sheet::paging::{page_count, page_range};
use crate::ui::locale::{t, tf};
use crate::ui::reactive::derive;
use leptos::prelude::*;

/// The page sizes the CRM accepts.
pub const PAGE_SIZES: [u32; 4] = [20, 50, 100, 250];

/// First / previous / next / last and a page size picker.
#[component]
pub fn Pager(
    /// The current page, 1-based.
    page: Signal<u32>,
    /// The number of pages (0 when nothing was found).
    total_pages: Signal<u32>,
    /// The current page size.
    limit: Signal<u32>,
    /// Called with the page to go to.
    on_page: Callback<u32>,
    /// Called with the new page size.
    on_limit: Callback<u32>,
) -> impl IntoView {
    let last = move || total_pages.get().max(1);
    let label = tf(Text::PageOfPages, move || {
        vec![
            ("page", page.get().to_string()),
            ("pages", last().to_string()),
        ]
    });
    view! {
        <div class="pager">
            <button class="secondary" disabled={move || page.get() <= 1} on:click=move |_| on_page.run(1)>"«"</button>
            <button class="secondary pager-prev" disabled={move || page.get() <= 1}
                on:click=move |_| on_page.run(page.get().saturating_sub(1).max(1))>"‹"</button>
            <span class="pager-label">{label}</span>
            <button class="secondary pager-next" disabled={move || page.get() >= last()}
                on:click=move |_| on_page.run(page.get() + 1)>"›"</button>
            <button class="secondary" disabled={move || page.get() >= last()} on:click=move |_| on_page.run(last())>"»"</button>
            <label>
                {t(Text::PageSize)}" "
                <select class="pager-limit" on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<u32>() { on_limit.run(n) }
                }>
                    {PAGE_SIZES.into_iter().map(|n| view! {
                        <option value=n.to_string() selected=move || limit.get() == n>{n}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// The page and page size of a table whose rows are all in memory.
#[derive(Clone, Copy)]
pub struct LocalPaging {
    pub page: RwSignal<u32>,
    pub limit: RwSignal<u32>,
}

impl LocalPaging {
    /// Page 1 of 20 rows.
    pub fn new() -> Self {
        LocalPaging {
            page: RwSignal::new(1),
            limit: RwSignal::new(PAGE_SIZES[0]),
        }
    }

    /// The rows of the current page (tracked).
    pub fn rows<T: Clone>(&self, all: &[T]) -> Vec<T> {
        all[page_range(all.len(), self.page.get(), self.limit.get())].to_vec()
    }
}

impl Default for LocalPaging {
    fn default() -> Self {
        Self::new()
    }
}

/// A [`Pager`] under a table of `count` rows held in memory; a new page size goes back to page 1.
#[component]
pub fn LocalPager(paging: LocalPaging, #[prop(into)] count: Signal<usize>) -> impl IntoView {
    view! {
        <Pager
            page=paging.page.into()
            total_pages=derive(move || page_count(count.get(), paging.limit.get()))
            limit=paging.limit.into()
            on_page=Callback::new(move |p| paging.page.set(p))
            on_limit=Callback::new(move |l| { paging.limit.set(l); paging.page.set(1); })
        />
    }
}
