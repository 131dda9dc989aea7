//! "Load all": walks every page of the current filters under the shared rate limit, with progress and cancel.

use std::sync::Arc;

use crate::api::browser::BrowserClock;
use crate::api::{ApiError, CancelToken, Clock};
use crate::i18n::Text;
use crate::inventories::filter::InventoryFilter;
use crate::inventories::table::{rows_from_offers, OfferRow, WarehouseColumn};
use crate::ui::components::progress::Progress;
use crate::ui::locale::{tf, tr};
use crate::ui::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Every offer of one filter, loaded page by page; `complete` is false when the walk was stopped.
#[derive(Clone, Debug)]
pub struct LoadedSet {
    /// The filter it was loaded with (its CRM-side part).
    pub filter: InventoryFilter,
    pub rows: Arc<Vec<OfferRow>>,
    pub total_offers: u32,
    pub complete: bool,
    pub elapsed_ms: f64,
}

/// Where a running walk is.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LoadProgress {
    pub pages: u32,
    pub total_pages: u32,
    pub offers: usize,
    pub total_offers: u32,
    pub elapsed_ms: f64,
}

/// The state of "load all" on the screen.
#[derive(Clone, Copy)]
pub struct LoadAll {
    pub loaded: RwSignal<Option<Arc<LoadedSet>>>,
    pub progress: RwSignal<Option<LoadProgress>>,
    pub error: RwSignal<Option<ApiError>>,
    running: StoredValue<Option<CancelToken>, LocalStorage>,
}

impl LoadAll {
    pub fn new() -> Self {
        LoadAll {
            loaded: RwSignal::new(None),
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
            running: StoredValue::new_local(None),
        }
    }

    /// Starts walking every page of `filter`; stops when cancelled or when `page_token` fires (the screen is left).
    /// What was loaded before a stop or an error is kept.
    pub fn start(
        self,
        session: Session,
        page_token: CancelToken,
        filter: InventoryFilter,
        columns: Vec<WarehouseColumn>,
    ) {
        let token = CancelToken::new();
        self.running.set_value(Some(token.clone()));
        self.error.set(None);
        self.progress.set(Some(LoadProgress::default()));
        let client = session.client_with_cancel(&token);
        spawn_local(async move {
            let _leave = page_token.on_cancel({
                let token = token.clone();
                move || token.cancel()
            });
            let started = BrowserClock.now_ms();
            let mut rows: Vec<OfferRow> = Vec::new();
            let mut total_offers = 0;
            let progress = self.progress;
            let result = client
                .all_pages(&filter.load_all_request(), |p, resp| {
                    rows.extend(rows_from_offers(&resp.offers, &columns));
                    total_offers = p.total_items;
                    progress.try_set(Some(LoadProgress {
                        pages: p.page,
                        total_pages: p.total_pages,
                        offers: rows.len(),
                        total_offers: p.total_items,
                        elapsed_ms: BrowserClock.now_ms() - started,
                    }));
                })
                .await;
            if page_token.is_cancelled() {
                return;
            }
            let complete = result.is_ok();
            if let Err(e) = result {
                if !matches!(e, ApiError::Cancelled) {
                    self.error.try_set(Some(e));
                }
            }
            self.running.try_set_value(None);
            self.progress.try_set(None);
            if complete || !rows.is_empty() {
                self.loaded.try_set(Some(Arc::new(LoadedSet {
                    filter: filter.scope(),
                    rows: Arc::new(rows),
                    total_offers,
                    complete,
                    elapsed_ms: BrowserClock.now_ms() - started,
                })));
            }
        });
    }

    /// Stops a running walk (what was loaded so far is kept).
    pub fn cancel(self) {
        if let Some(token) = self.running.get_value() {
            token.cancel();
        }
    }

    pub fn is_running(self) -> bool {
        self.progress.with(Option::is_some)
    }
}

/// The progress of a running walk: pages done / total with rate and time left, and offers so far.
#[component]
pub fn LoadAllProgress(load: LoadAll) -> impl IntoView {
    let p = move || load.progress.get().unwrap_or_default();
    let offers = tf(Text::InvOffersLoaded, move || {
        vec![
            ("count", p().offers.to_string()),
            ("total", p().total_offers.to_string()),
        ]
    });
    let rate = Signal::derive(move || {
        let p = p();
        (p.elapsed_ms > 0.0 && p.pages > 0).then(|| f64::from(p.pages) / (p.elapsed_ms / 1000.0))
    });
    view! {
        <div class="card" id="inv-load-progress">
            <Progress
                done=Signal::derive(move || u64::from(p().pages))
                total=Signal::derive(move || u64::from(p().total_pages))
                rate=rate
                unit=Signal::derive(move || tr(Text::InvPagesUnit).to_string())
            />
            <p class="muted" id="inv-load-offers">{offers}</p>
            <button class="secondary" id="inv-load-cancel" on:click=move |_| load.cancel()>
                {move || tr(Text::InvCancel)}
            </button>
        </div>
    }
}
