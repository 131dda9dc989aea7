//! "Load all": the screen's runner of the load job, its progress with pause / resume / cancel, and the loaded set.

use std::sync::Arc;

use crate::api::ApiError;
use crate::i18n::{Phrase, Text};
use crate::inventories::filter::InventoryFilter;
use crate::inventories::load::{figures, load_all, take_loaded, LoadAllJob, LoadedSet};
use crate::inventories::table::WarehouseColumn;
use crate::ui::components::announce::announce;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::progress::Progress;
use crate::ui::locale::{t, tf};
use crate::ui::reactive::{derive, effect};
use crate::ui::session::Session;
use crate::ui::task::RunnerSlot;
use leptos::html;
use leptos::prelude::*;

/// What a loaded set is: every offer (with the time it took), or the part loaded before the load stopped.
pub fn loaded_phrase(set: &LoadedSet) -> Phrase {
    if set.complete {
        Phrase::new(Text::InvLoadedAll)
            .with("count", set.rows.len())
            .with("seconds", format!("{:.1}", set.elapsed_ms / 1000.0))
    } else {
        Phrase::new(Text::InvLoadedPart)
            .with("count", set.rows.len())
            .with("total", set.total_offers)
    }
}

/// The state of "load all" on the screen: the running load, and the set of the last one.
#[derive(Clone, Copy)]
pub struct LoadAll {
    slot: RunnerSlot<LoadAllJob>,
    pub loaded: RwSignal<Option<Arc<LoadedSet>>>,
    /// Why the last load stopped early, if a page could not be read.
    pub error: RwSignal<Option<ApiError>>,
}

impl LoadAll {
    /// Created in the screen's component: a load stops when the screen is left. When a load is over, its rows (in
    /// page order) become the loaded set.
    pub fn new() -> Self {
        let load = LoadAll {
            slot: RunnerSlot::new(),
            loaded: RwSignal::new(None),
            error: RwSignal::new(None),
        };
        effect(move |_| {
            if load.slot.with(|job| !job.is_open()) != Some(true) {
                return;
            }
            let finished = load
                .slot
                .finish(|job| (take_loaded(job), job.state().failure().cloned()));
            if let Some((set, failed)) = finished {
                if let Some(set) = set {
                    announce(loaded_phrase(&set));
                    load.loaded.set(Some(Arc::new(set)));
                }
                load.error.set(failed);
            }
        });
        load
    }

    /// Starts loading every page of `filter` (page 1 first, then the others side by side).
    pub fn start(self, session: &Session, filter: &InventoryFilter, columns: Vec<WarehouseColumn>) {
        self.error.set(None);
        let now = session.client().now_ms();
        self.slot.start(session, load_all(filter, columns, now));
    }

    /// Whether a load is under way (tracked).
    pub fn is_running(self) -> bool {
        self.slot.with(|job| job.is_open()).unwrap_or(false)
    }

    fn pause(self) {
        self.slot.update(|job| job.pause());
    }

    fn resume(self) {
        self.slot.update(|job| job.resume());
    }

    /// Stops the load: the requests in flight are aborted, what was loaded is kept.
    fn cancel(self) {
        self.slot.update(|job| job.cancel());
        self.slot.abort();
    }
}

/// The progress of a running load: pages done / total with rate and time left, offers so far, and its buttons.
#[component]
pub fn LoadAllProgress(load: LoadAll, focus: ResultFocus<html::Div>) -> impl IntoView {
    let f = move || load.slot.with(figures).unwrap_or_default();
    let offers = tf(Text::InvOffersLoaded, move || {
        vec![
            ("count", f().offers.to_string()),
            ("total", f().offers_total.to_string()),
        ]
    });
    let paused = move || f().paused;
    view! {
        <div class="card" id="inv-load-progress" tabindex="-1" node_ref=focus.node>
            <Progress
                done=derive(move || f().pages_done as u64)
                total=derive(move || f().pages_total as u64)
                rate=derive(move || f().pages_per_second)
                unit=Text::UnitPages
                label=Text::InvLoadAll
            />
            <p class="muted" id="inv-load-offers">{offers}</p>
            <div class="row">
                {move || if paused() {
                    view! {
                        <button class="secondary" id="inv-load-resume" on:click=move |_| load.resume()>
                            {t(Text::Resume)}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button class="secondary" id="inv-load-pause" on:click=move |_| load.pause()>
                            {t(Text::Pause)}
                        </button>
                    }.into_any()
                }}
                <button class="secondary" id="inv-load-cancel" on:click=move |_| load.cancel()>
                    {t(Text::InvCancel)}
                </button>
            </div>
        </div>
    }
}
