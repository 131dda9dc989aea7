//! The module screen: look the warehouse module up by code, then edit, check, review and save it, preview the logo
//! and probe the `inventoriesUpload` callback.

mod actions;
mod editor;
mod fields;
mod review;

use crate::api::ApiError;
use crate::i18n::Text;
use crate::module::codes::{codes_on_device, remember_code, used_codes, UsedCode};
use crate::module::save::ModuleSave;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::components::show::Show;
use crate::ui::locale::{t, tf};
use crate::ui::session::{use_session, Session};
use crate::ui::storage;
use editor::ModuleEditor;
use leptos::prelude::*;

/// The account the codes are remembered for: the address the session talks to.
fn account(session: &Session) -> String {
    session.client().base_url().to_string()
}

/// Remembers `code` as used with the session's account on this device; returns the codes used on the device now.
fn remember(session: &Session, code: &str) -> Vec<UsedCode> {
    let store = storage::device();
    let account = account(session);
    remember_code(store.as_ref(), &account, code);
    codes_on_device(store.as_ref(), &account)
}

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
    let store = storage::device();
    let used = RwSignal::new(codes_on_device(store.as_ref(), &account(&session)));
    let last = used_codes(store.as_ref(), &account(&session))
        .into_iter()
        .next();
    let lookup = RwSignal::new(last.unwrap_or_default());
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
            used.set(remember(&session, &code));
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
        Opened::Open(code, save) => Some(view! { <ModuleEditor code save=*save lookup used/> }),
        _ => None,
    };
    // A first visit: no code used with this account yet, nothing looked up.
    let first_visit =
        move || asked.with(Option::is_none) && used.with(|u| u.iter().all(|c| c.account.is_some()));
    let open_code = move |code: String| {
        lookup.set(code);
        ask(false);
    };

    view! {
        <div class="card">
            <div class="field" data-field="lookup">
                <label for="mod-code-input">{t(Text::ModCodeLabel)}</label>
                <div class="field-inline">
                    <input id="mod-code-input" type="text" prop:value=move || lookup.get()
                        on:input=move |ev| lookup.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { ask(false) }/>
                    <button type="button" id="mod-load" on:click=move |_| ask(false)
                        disabled=move || lookup.get().trim().is_empty()>
                        {t(Text::ModLoad)}
                    </button>
                </div>
                <span class="hint">{t(Text::ModCodeHint)}</span>
            </div>
            <Show when=first_visit>
                <p class="notice" id="mod-first-visit">{t(Text::ModCodeWhere)}</p>
            </Show>
            <Show when=move || used.with(|u| !u.is_empty())>
                <div class="row" id="mod-used-codes">
                    <span class="muted">{t(Text::ModCodesUsed)}</span>
                    {move || used.get().into_iter().map(|u| {
                        let code = u.code.clone();
                        let other = u.account.clone().map(|account| {
                            tf(Text::ModCodeOtherAccount, move || vec![("account", account.clone())])
                        });
                        view! {
                            <button type="button" class="link mod-used-code" id=format!("mod-used-code-{}", u.code)
                                data-code=u.code.clone() data-other-account=u.account.is_some().to_string()
                                on:click=move |_| open_code(code.clone())>
                                {u.code.clone()}{other.map(|o| view! { " "<span class="muted">{o}</span> })}
                            </button>
                        }
                    }).collect_view()}
                </div>
            </Show>
            {status}
        </div>
        {editor}
    }
}
