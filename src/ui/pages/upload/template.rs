//! The file format in one line, and the template to download: empty, or with the CRM's current stock of the chosen
//! warehouses (every page read under the shared rate limit).

use super::use_upload;
use crate::api::inventory::{InventoriesFilter, InventoriesRequest};
use crate::i18n::Text;
use crate::runner::read::{every_item, ItemsRead, ReadState};
use crate::sheet::csv::CsvOptions;
use crate::ui::components::download::save_text_file;
use crate::ui::components::progress::Progress;
use crate::ui::components::show::Show;
use crate::ui::locale::t;
use crate::ui::reactive::{derive, effect, memo};
use crate::ui::session::use_session;
use crate::ui::task::RunnerSlot;
use crate::upload::template::{empty_template, stock_template, FORMAT};
use crate::upload::wire::current_offer;
use leptos::prelude::*;

#[component]
pub fn TemplateBox() -> impl IntoView {
    let state = use_upload();
    let session = use_session();
    let read: RunnerSlot<ItemsRead<InventoriesRequest>> = RunnerSlot::new();
    let warehouses = memo(move || {
        state
            .flow(|f| {
                f.warehouses()
                    .iter()
                    .map(|w| w.code.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // Warehouses left out of the template (all are in by default).
    let left_out = RwSignal::new(Vec::<String>::new());
    let chosen = move || {
        let out = left_out.get();
        warehouses
            .get()
            .into_iter()
            .filter(|c| !out.contains(c))
            .collect::<Vec<_>>()
    };
    let empty = move |_| {
        save_text_file(
            "upload-template.csv",
            &empty_template(&chosen(), CsvOptions::default()),
        );
    };
    let with_stock = move |_| {
        let first = InventoriesRequest {
            limit: Some(250),
            page: Some(1),
            filter: InventoriesFilter {
                details: Some(true),
                ..InventoriesFilter::default()
            },
        };
        read.start(&session, every_item(first));
    };
    let reading = move || read.with(|j| j.is_open()).unwrap_or(false);
    // The read is over: its offers become the file, and the read is forgotten.
    effect(move |_| {
        if read.with(|j| *j.state() == ReadState::Done) != Some(true) {
            return;
        }
        let offers = read
            .finish(|j| j.sink_mut().take())
            .unwrap_or_default()
            .into_iter()
            .map(current_offer)
            .collect::<Vec<_>>();
        let codes = chosen();
        save_text_file(
            "stock-template.csv",
            &stock_template(&offers, &codes, CsvOptions::default()),
        );
    });
    let progress = move || read.with(|j| j.progress()).unwrap_or_default();
    view! {
        <details class="up-template" id="up-template">
            <summary>{t(Text::UpTemplateSummary)}</summary>
            <p class="hint" id="up-format">{t(Text::UpFormatLine)}" "<code>{FORMAT}</code></p>
            <fieldset class="row">
                <legend>{t(Text::UpTemplateWarehouses)}</legend>
                {move || warehouses.get().into_iter().map(|code| {
                    let c = code.clone();
                    let label = code.clone();
                    view! {
                        <label><input type="checkbox" class="up-template-store" value=code.clone()
                            prop:checked=move || !left_out.with(|o| o.contains(&c))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let code = code.clone();
                                left_out.update(|o| {
                                    o.retain(|x| *x != code);
                                    if !on {
                                        o.push(code);
                                    }
                                });
                            }/>" "{label}</label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="row">
                <button class="secondary" id="up-template-empty" on:click=empty>{t(Text::UpTemplateEmpty)}</button>
                <button class="secondary" id="up-template-stock" disabled=reading on:click=with_stock>{t(Text::UpTemplateStock)}</button>
                <Show when=reading>
                    <button class="link" id="up-template-cancel" on:click=move |_| read.clear()>{t(Text::Cancel)}</button>
                </Show>
            </div>
            <Show when=reading>
                <Progress done=derive(move || progress().pages_done as u64)
                    total=derive(move || progress().pages_known as u64)
                    rate=derive(move || progress().pages_per_second())
                    unit=Text::UnitRequests label=Text::UpTemplateStock/>
            </Show>
            {move || read.with(|j| j.state().failure().cloned()).flatten().map(|e| view! {
                <crate::ui::components::api_error::ApiErrorNotice error=e/>
            })}
        </details>
    }
}
