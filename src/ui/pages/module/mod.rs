//! The module screen: look the warehouse module up by code, then edit, check, review and save it, preview the logo
//! and probe the `inventoriesUpload` callback.

mod actions;
mod editor;
mod fields;
mod review;

use crate::api::ApiError;
use crate::i18n::Text;
use crate::module::save::ModuleSave;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::locale::t;
use crate::ui::session::use_session;
use crate::ui::storage;
use editor::ModuleEditor;
use leptos::prelude::*;

/// Where the last module code is remembered on this device.
const KEY_MODULE_CODE: &str = "warehouse-panel.module-code";

/// One press of "Load" (or "Start new", which asks the CRM nothing): the code, numbered so that an answer is known
/// to be the one of the last press.
#[derive(Clone, Debug, PartialEq)]
struct Lookup {
    number: u32,
    code: String,
    fresh: bool,
}

/// Where the screen is with the lookup.
enum Opened {
    Nothing,
    Loading,
    Failed(ApiError),
    Open(String, Box<ModuleSave>),
}

/// The module screen.
#[component]
pub fn ModulePage() -> impl IntoView {
    view! {
        <PageFrame id="page-module" title=Text::NavModule intro=Text::ModuleIntro>
            <ModuleScreen/>
        </PageFrame>
    }
}

/// The lookup by code, and the editor of the module it opened.
#[component]
fn ModuleScreen() -> impl IntoView {
    let session = use_session();
    let leave = cancel_on_leave();
    let lookup = RwSignal::new(storage::local_get(KEY_MODULE_CODE).unwrap_or_default());
    let first = lookup.with_untracked(|code| {
        let code = code.trim();
        (!code.is_empty()).then(|| Lookup {
            number: 1,
            code: code.to_owned(),
            fresh: false,
        })
    });
    let asked = RwSignal::new(first);
    let answer = LocalResource::new(move || {
        let asked = asked.get();
        let client = session.client_with_cancel(&leave);
        async move {
            let asked = asked?;
            let opened = if asked.fresh {
                Ok(ModuleSave::open(&asked.code, None))
            } else {
                let answer = client.integration_module(&asked.code).await;
                ModuleSave::opened(&asked.code, answer.map(|r| r.integration_module))
            };
            Some((asked, opened))
        }
    });
    let ask = move |fresh: bool| {
        let code = lookup.get_untracked().trim().to_owned();
        if code.is_empty() {
            return;
        }
        if !fresh {
            storage::local_set(KEY_MODULE_CODE, &code);
        }
        asked.update(|a| {
            let number = a.as_ref().map_or(0, |l| l.number) + 1;
            *a = Some(Lookup {
                number,
                code,
                fresh,
            });
        });
    };
    let opened = move || {
        let Some(number) = asked.with(|a| a.as_ref().map(|l| l.number)) else {
            return Opened::Nothing;
        };
        match answer.get().flatten() {
            Some((lookup, result)) if lookup.number == number => match result {
                Ok(save) => Opened::Open(lookup.code, Box::new(save)),
                Err(error) => Opened::Failed(error),
            },
            _ => Opened::Loading,
        }
    };
    let status = move || match opened() {
        Opened::Loading => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
        Opened::Failed(error) => view! {
            <ApiErrorNotice error/>
            <button type="button" class="secondary" id="mod-start-new" on:click=move |_| ask(true)>
                {t(Text::ModStartNew)}
            </button>
        }
        .into_any(),
        Opened::Nothing | Opened::Open(..) => ().into_any(),
    };
    let editor = move || match opened() {
        Opened::Open(code, save) => Some(view! { <ModuleEditor code save=*save lookup/> }),
        _ => None,
    };

    view! {
        <div class="card">
            <div class="field" data-field="lookup">
                <label for="mod-code-input">{t(Text::ModCodeLabel)}</label>
                <div class="field-inline">
                    <input id="mod-code-input" prop:value=move || lookup.get()
                        on:input=move |ev| lookup.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { ask(false) }/>
                    <button type="button" id="mod-load" on:click=move |_| ask(false)
                        disabled=move || lookup.get().trim().is_empty()>
                        {t(Text::ModLoad)}
                    </button>
                </div>
                <span class="hint">{t(Text::ModCodeHint)}</span>
            </div>
            {status}
        </div>
        {editor}
    }
}
