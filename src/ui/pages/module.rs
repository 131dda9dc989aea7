//! The module screen: load the warehouse module by code, edit and check it, save it to the CRM, preview the logo
//! and probe the `inventoriesUpload` callback.

use crate::api::envelope::decode;
use crate::api::module::{IntegrationModuleEditRequest, IntegrationModuleEditResponse};
use crate::api::{ApiError, ApiRequest, Endpoint, ErrorKind};
use crate::i18n::{fill, Lang, Text};
use crate::module::changes::{change_list, sent_module_json, Change, ChangeKind};
use crate::module::form::{
    panel_address, parse_call_points, ActionRow, ModuleForm, SUGGESTED_CALL_POINTS,
};
use crate::module::validate::{place_crm_errors, validate, ActionField, Field, Problem};
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::callback_probe::CallbackProbe;
use crate::ui::components::logo_preview::LogoPreview;
use crate::ui::components::page_frame::PageFrame;
use crate::ui::locale::{t, use_locale};
use crate::ui::session::{page_origin, use_session};
use crate::ui::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the last module code is remembered on this device.
const KEY_MODULE_CODE: &str = "warehouse-panel.module-code";

/// Where the screen is with the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loaded {
    Nothing,
    Loading,
    Found,
    NotRegistered,
    Failed,
}

/// The answer to the last save.
#[derive(Clone, Debug, PartialEq)]
enum SaveOutcome {
    /// Nothing sent: the panel's checks found this many problems.
    Blocked(usize),
    Saved {
        status: u16,
        info: String,
    },
    Failed(ApiError),
}

/// What the user reviews before a save: the change list and the exact request that "Confirm and send" sends.
#[derive(Clone, Debug, PartialEq)]
struct Review {
    request: ApiRequest,
    /// The module's code, to read it back after the save.
    code: String,
    /// `true` when the CRM does not hold the module yet.
    new: bool,
    changes: Vec<Change>,
    json: String,
}

/// The words for a kind of change.
fn change_kind_text(kind: ChangeKind) -> Text {
    match kind {
        ChangeKind::Added => Text::ModChangeAdded,
        ChangeKind::Changed => Text::ModChangeChanged,
        ChangeKind::Removed => Text::ModChangeRemoved,
    }
}

/// The words for a field problem.
fn problem_text(p: &Problem, lang: Lang) -> String {
    let text = match p {
        Problem::Required => Text::ModErrRequired,
        Problem::BadCodeCharacters => Text::ModErrCodeChars,
        Problem::CodePrefix => Text::ModErrCodePrefix,
        Problem::NotAbsoluteUrl => Text::ModErrNotAbsoluteUrl,
        Problem::NotHttps => Text::ModErrNotHttps,
        Problem::ActionUrlSlash => Text::ModErrActionUrl,
        Problem::DuplicateActionCode => Text::ModErrDuplicateAction,
        Problem::NoCallPoints => Text::ModErrNoCallPoints,
        Problem::Crm(message) => {
            return fill(
                Text::ModErrCrm.in_lang(lang),
                &[("message", message.clone())],
            )
        }
    };
    text.in_lang(lang).to_owned()
}

/// The module screen.
#[component]
pub fn ModulePage() -> impl IntoView {
    view! {
        <PageFrame id="page-module" title=Text::NavModule intro=Text::ModuleIntro>
            <ModuleEditor/>
        </PageFrame>
    }
}

/// The messages of one field, under it.
#[component]
fn FieldProblems(field: Field, problems: RwSignal<Vec<(Field, Problem)>>) -> impl IntoView {
    let lang = use_locale().lang;
    move || {
        problems.with(|list| {
            list.iter()
                .filter(|(f, _)| *f == field)
                .map(|(_, p)| view! { <span class="field-error">{problem_text(p, lang.get())}</span> })
                .collect_view()
        })
    }
}

/// One text field of the module, bound to the form through `get`/`set`.
#[allow(clippy::too_many_arguments)]
fn text_field(
    form: RwSignal<ModuleForm>,
    problems: RwSignal<Vec<(Field, Problem)>>,
    field: Field,
    key: &'static str,
    label: Text,
    get: fn(&ModuleForm) -> String,
    set: fn(&mut ModuleForm, String),
    extra: AnyView,
) -> impl IntoView {
    let id = format!("mod-f-{key}");
    view! {
        <div class="field" data-field=key>
            <label for=id.clone()>{t(label)}</label>
            <div class="field-inline">
                <input id=id prop:value=move || form.with(get)
                    on:input=move |ev| {
                        form.update(|f| set(f, event_target_value(&ev)));
                        problems.update(|p| p.retain(|(f, _)| *f != field));
                    }/>
                {extra}
            </div>
            <FieldProblems field problems/>
        </div>
    }
}

/// Lookup by code, the form, the logo preview and the probe.
#[component]
fn ModuleEditor() -> impl IntoView {
    let session = use_session();
    let lang = use_locale().lang;
    let leave = StoredValue::new_local(cancel_on_leave());
    let lookup = RwSignal::new(storage::local_get(KEY_MODULE_CODE).unwrap_or_default());
    let loaded = RwSignal::new(Loaded::Nothing);
    let load_error = RwSignal::new(None::<ApiError>);
    let form = RwSignal::new(ModuleForm::default());
    let problems = RwSignal::new(Vec::<(Field, Problem)>::new());
    let save_state = RwSignal::new(None::<SaveOutcome>);
    let review = RwSignal::new(None::<Review>);
    // A review is of the form as it was: any edit closes it.
    Effect::new(move |_| {
        form.track();
        review.set(None);
    });
    let saving = RwSignal::new(false);
    let skip_checks = RwSignal::new(false);
    let client = move || session.client_with_cancel(&leave.get_value());

    let load = move |code: String| {
        let code = code.trim().to_owned();
        if code.is_empty() {
            return;
        }
        storage::local_set(KEY_MODULE_CODE, &code);
        loaded.set(Loaded::Loading);
        load_error.set(None);
        let client = client();
        spawn_local(async move {
            match client.integration_module(&code).await {
                Ok(r) => {
                    form.set(ModuleForm::from_module(&r.integration_module));
                    loaded.set(Loaded::Found);
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    form.set(ModuleForm::new_module(&code));
                    loaded.set(Loaded::NotRegistered);
                }
                Err(ApiError::Cancelled) => {}
                Err(e) => {
                    load_error.set(Some(e));
                    loaded.set(Loaded::Failed);
                }
            }
        });
    };
    if !lookup.get_untracked().trim().is_empty() {
        load(lookup.get_untracked());
    }
    let start_new = move |_| {
        form.set(ModuleForm::new_module(&lookup.get_untracked()));
        loaded.set(Loaded::NotRegistered);
    };

    // "Save": check the form, then show what will change and the exact request.
    let save = move |_| {
        let current = form.get_untracked();
        let found = validate(&current);
        if !skip_checks.get_untracked() && !found.is_empty() {
            save_state.set(Some(SaveOutcome::Blocked(found.len())));
            problems.set(found);
            return;
        }
        problems.set(vec![]);
        let module = current.to_module();
        let changes = change_list(current.original.as_ref(), &module);
        let code = module.code.clone();
        match (IntegrationModuleEditRequest { module }).to_request() {
            Ok(request) => {
                save_state.set(None);
                review.set(Some(Review {
                    json: sent_module_json(&request).unwrap_or_default(),
                    request,
                    code,
                    new: current.original.is_none(),
                    changes,
                }));
            }
            Err(e) => save_state.set(Some(SaveOutcome::Failed(e))),
        }
    };

    // "Confirm and send": sends the reviewed request.
    let confirm = move |_| {
        let Some(Review { request, code, .. }) = review.get_untracked() else {
            return;
        };
        let current = form.get_untracked();
        review.set(None);
        saving.set(true);
        let client = client();
        spawn_local(async move {
            let result = async {
                let resp = client.execute(&request).await?;
                let body: IntegrationModuleEditResponse = decode(&resp)?;
                Ok::<_, ApiError>((resp.status, body))
            }
            .await;
            match result {
                Ok((status, body)) => {
                    lookup.set(code.clone());
                    storage::local_set(KEY_MODULE_CODE, &code);
                    // Read back what the CRM now holds, so the next save starts from it; what was typed while
                    // saving is kept.
                    if let Ok(r) = client.integration_module(&code).await {
                        if form.try_get_untracked().is_some_and(|f| f == current) {
                            form.set(ModuleForm::from_module(&r.integration_module));
                        } else {
                            form.update(|f| f.original = Some(r.integration_module));
                        }
                        loaded.set(Loaded::Found);
                    }
                    let info = if body.info.is_empty() {
                        String::new()
                    } else {
                        serde_json::Value::Object(body.info).to_string()
                    };
                    save_state.set(Some(SaveOutcome::Saved { status, info }));
                }
                Err(ApiError::Cancelled) => {}
                Err(e) => {
                    let (placed, _) = place_crm_errors(e.errors());
                    problems.set(placed);
                    save_state.set(Some(SaveOutcome::Failed(e)));
                }
            }
            saving.set(false);
        });
    };

    let generate = move |_| {
        let uuid = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .map(|c| c.random_uuid());
        if let Some(uuid) = uuid {
            form.update(|f| f.client_id = uuid);
            problems.update(|p| p.retain(|(f, _)| *f != Field::ClientId));
        }
    };
    let use_panel_address = move |_| {
        form.update(|f| f.account_url = panel_address(&page_origin()));
        problems.update(|p| p.retain(|(f, _)| *f != Field::AccountUrl));
    };

    let not_registered = move || {
        fill(
            Text::ModNotRegistered.in_lang(lang.get()),
            &[("code", lookup.get())],
        )
    };
    let status_view = move || match loaded.get() {
        Loaded::Nothing => ().into_any(),
        Loaded::Loading => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
        Loaded::Found => {
            view! { <p class="notice ok" id="mod-loaded">{t(Text::ModLoadedFromCrm)}</p> }
                .into_any()
        }
        Loaded::NotRegistered => {
            view! { <p class="notice warn" id="mod-empty-state">{not_registered}</p> }.into_any()
        }
        Loaded::Failed => view! {
            {load_error.get().map(|error| view! { <ApiErrorNotice error/> })}
            <button type="button" class="secondary" id="mod-start-new" on:click=start_new>
                {t(Text::ModStartNew)}
            </button>
        }
        .into_any(),
    };
    let save_view = move || {
        let lang = lang.get();
        save_state.get().map(|s| match s {
            SaveOutcome::Blocked(count) => view! {
                <p class="notice bad" id="mod-save-result" data-result="blocked">
                    {fill(Text::ModFixErrors.in_lang(lang), &[("count", count.to_string())])}
                </p>
            }
            .into_any(),
            SaveOutcome::Saved { status, info } => {
                let text = match status {
                    201 => Text::ModCreated.in_lang(lang).to_owned(),
                    200 => Text::ModUpdated.in_lang(lang).to_owned(),
                    other => fill(Text::ModSaved.in_lang(lang), &[("status", other.to_string())]),
                };
                view! {
                    <div class="notice ok" id="mod-save-result" data-result="saved" data-status=status>
                        <strong>{text}</strong>
                        {(!info.is_empty()).then(|| view! {
                            <pre>{fill(Text::ModCrmInfo.in_lang(lang), &[("info", info.clone())])}</pre>
                        })}
                    </div>
                }
                .into_any()
            }
            SaveOutcome::Failed(error) => view! {
                <div id="mod-save-result" data-result="failed"><ApiErrorNotice error/></div>
            }
            .into_any(),
        })
    };

    let shows_form = move || matches!(loaded.get(), Loaded::Found | Loaded::NotRegistered);
    let probe_address = Memo::new(move |_| {
        form.with(|f| f.inventories_action().and_then(|i| f.callback_address(i)))
    });
    let probe_client_id = Memo::new(move |_| form.with(|f| f.client_id.clone()));
    let logo = Memo::new(move |_| form.with(|f| f.logo.clone()));

    view! {
        <div class="card">
            <div class="field" data-field="lookup">
                <label for="mod-code-input">{t(Text::ModCodeLabel)}</label>
                <div class="field-inline">
                    <input id="mod-code-input" prop:value=move || lookup.get()
                        on:input=move |ev| lookup.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { load(lookup.get_untracked()) }/>
                    <button type="button" id="mod-load" on:click=move |_| load(lookup.get_untracked())
                        disabled=move || lookup.get().trim().is_empty()>
                        {t(Text::ModLoad)}
                    </button>
                </div>
                <span class="hint">{t(Text::ModCodeHint)}</span>
            </div>
            {status_view}
        </div>
        <Show when=shows_form>
            <form class="card" id="module-form" on:submit=|ev| ev.prevent_default()>
                <div class="row">
                    {text_field(form, problems, Field::Code, "code", Text::ModFieldCode,
                        |f| f.code.clone(), |f, v| f.code = v, ().into_any())}
                    {text_field(form, problems, Field::IntegrationCode, "integrationCode", Text::ModFieldIntegrationCode,
                        |f| f.integration_code.clone(), |f, v| f.integration_code = v, ().into_any())}
                </div>
                {text_field(form, problems, Field::Name, "name", Text::ModFieldName,
                    |f| f.name.clone(), |f, v| f.name = v, ().into_any())}
                <div class="field-inline" data-field="active">
                    <input type="checkbox" id="mod-f-active" prop:checked=move || form.with(|f| f.active)
                        on:change=move |ev| form.update(|f| f.active = event_target_checked(&ev))/>
                    <label for="mod-f-active">{t(Text::ModFieldActive)}</label>
                    <FieldProblems field=Field::Active problems/>
                </div>
                {text_field(form, problems, Field::ClientId, "clientId", Text::ModFieldClientId,
                    |f| f.client_id.clone(), |f, v| f.client_id = v,
                    view! { <button type="button" class="secondary" id="mod-generate-client-id" on:click=generate>
                        {t(Text::ModGenerate)}</button> }.into_any())}
                {text_field(form, problems, Field::BaseUrl, "baseUrl", Text::ModFieldBaseUrl,
                    |f| f.base_url.clone(), |f, v| f.base_url = v, ().into_any())}
                {text_field(form, problems, Field::AccountUrl, "accountUrl", Text::ModFieldAccountUrl,
                    |f| f.account_url.clone(), |f, v| f.account_url = v,
                    view! { <button type="button" class="secondary" id="mod-use-panel-address" on:click=use_panel_address>
                        {t(Text::ModUsePanelAddress)}</button> }.into_any())}
                {text_field(form, problems, Field::Logo, "logo", Text::ModFieldLogo,
                    |f| f.logo.clone(), |f, v| f.logo = v, ().into_any())}
                <LogoPreview url=logo/>
                <ActionsEditor form problems/>
                <div class="field-inline">
                    <input type="checkbox" id="mod-skip-checks" prop:checked=move || skip_checks.get()
                        on:change=move |ev| skip_checks.set(event_target_checked(&ev))/>
                    <label for="mod-skip-checks">{t(Text::ModSkipChecks)}</label>
                </div>
                <button type="button" id="mod-save" on:click=save disabled=move || saving.get()>
                    {move || if saving.get() { Text::ModSaving.in_lang(lang.get()) } else { Text::ModSave.in_lang(lang.get()) }}
                </button>
                {move || review.get().map(|r| view! {
                    <ReviewPanel review=r on_confirm=Callback::new(confirm)
                        on_back=Callback::new(move |_| review.set(None))/>
                })}
                {save_view}
            </form>
            <CallbackProbe address=probe_address client_id=probe_client_id/>
        </Show>
    }
}

/// The change list and the exact request, with "Confirm and send" and "Back to editing".
#[component]
fn ReviewPanel(review: Review, on_confirm: Callback<()>, on_back: Callback<()>) -> impl IntoView {
    let lang = use_locale().lang;
    let Review {
        request,
        new,
        changes,
        json,
        ..
    } = review;
    let summary = if new {
        Text::ModReviewNew
    } else if changes.is_empty() {
        Text::ModReviewNoChanges
    } else {
        Text::ModReviewChanges
    };
    let rows = changes
        .into_iter()
        .map(|c| {
            let key = c.path.clone();
            view! {
                <tr class="mod-change" data-path=key data-kind=c.kind.key()>
                    <td><code>{c.path}</code></td>
                    <td>{t(change_kind_text(c.kind))}</td>
                    <td class="mod-change-before">{c.before}</td>
                    <td class="mod-change-after">{c.after}</td>
                </tr>
            }
        })
        .collect_view();
    let path = request.path;
    view! {
        <div class="card" id="mod-review">
            <h3>{t(Text::ModReviewTitle)}</h3>
            <p id="mod-review-summary">{t(summary)}</p>
            <div class="table-wrap">
                <table id="mod-changes">
                    <thead><tr>
                        <th>{t(Text::ModChangeField)}</th><th>{t(Text::ModChangeKind)}</th>
                        <th>{t(Text::ModChangeBefore)}</th><th>{t(Text::ModChangeAfter)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p>{move || fill(Text::ModReviewRequest.in_lang(lang.get()), &[("path", path.clone())])}</p>
            <pre id="mod-review-json">{json}</pre>
            <p class="muted" id="mod-review-key">{t(Text::ModReviewKeyHidden)}</p>
            <div class="field-inline">
                <button type="button" id="mod-confirm" on:click=move |_| on_confirm.run(())>
                    {t(Text::ModConfirmSend)}
                </button>
                <button type="button" class="secondary" id="mod-review-back" on:click=move |_| on_back.run(())>
                    {t(Text::ModReviewBack)}
                </button>
            </div>
        </div>
    }
}

/// The store actions: code, url, call points, and the address the CRM will call.
#[component]
fn ActionsEditor(
    form: RwSignal<ModuleForm>,
    problems: RwSignal<Vec<(Field, Problem)>>,
) -> impl IntoView {
    let count = move || form.with(|f| f.actions.len());
    let suggestions = move || {
        let mut values: Vec<String> = SUGGESTED_CALL_POINTS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        form.with(|f| {
            for p in f.actions.iter().flat_map(|a| a.call_points.iter()) {
                if !values.contains(p) {
                    values.push(p.clone());
                }
            }
        });
        values
    };
    let add = move |_| {
        form.update(|f| f.actions.push(ActionRow::default()));
    };
    view! {
        <fieldset class="mod-actions" data-field="actions">
            <legend>{t(Text::ModActions)}</legend>
            <p class="hint" id="mod-callpoints-unconfirmed">{t(Text::ModCallPointsUnconfirmed)}</p>
            <datalist id="mod-callpoint-suggestions">
                {move || suggestions().into_iter().map(|s| view! { <option value=s/> }).collect_view()}
            </datalist>
            <For each=move || 0..count() key=|i| *i let:index>
                <ActionRowEditor form problems index/>
            </For>
            <button type="button" class="secondary" id="mod-add-action" on:click=add>{t(Text::ModAddAction)}</button>
        </fieldset>
    }
}

/// One store action.
#[component]
fn ActionRowEditor(
    form: RwSignal<ModuleForm>,
    problems: RwSignal<Vec<(Field, Problem)>>,
    index: usize,
) -> impl IntoView {
    let new_point = RwSignal::new(String::new());
    let read = move |get: fn(&ActionRow) -> String| {
        form.with(|f| f.actions.get(index).map(get).unwrap_or_default())
    };
    let edit = move |field: ActionField, change: Box<dyn FnOnce(&mut ActionRow)>| {
        form.update(|f| {
            if let Some(row) = f.actions.get_mut(index) {
                change(row);
            }
        });
        problems.update(|p| p.retain(|(f, _)| *f != Field::Action(index, field)));
    };
    let add_point = move || {
        let points = parse_call_points(&new_point.get_untracked());
        if !points.is_empty() {
            edit(
                ActionField::CallPoints,
                Box::new(move |row| {
                    for p in points {
                        if !row.call_points.contains(&p) {
                            row.call_points.push(p);
                        }
                    }
                }),
            );
            new_point.set(String::new());
        }
    };
    let remove = move |_| {
        form.update(|f| {
            if index < f.actions.len() {
                f.actions.remove(index);
            }
        });
        problems.update(|p| p.retain(|(f, _)| !matches!(f, Field::Action(..))));
    };
    let address = move || form.with(|f| f.callback_address(index));
    let points = move || {
        form.with(|f| {
            f.actions
                .get(index)
                .map(|a| a.call_points.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="mod-action card" data-index=index>
            <div class="row">
                <div class="field" data-field=format!("actions.{index}.code")>
                    <label>{t(Text::ModActionCode)}</label>
                    <input class="mod-action-code" prop:value=move || read(|a| a.code.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(ActionField::Code, Box::new(move |row| row.code = v)); }/>
                    <FieldProblems field=Field::Action(index, ActionField::Code) problems/>
                </div>
                <div class="field" data-field=format!("actions.{index}.url")>
                    <label>{t(Text::ModActionUrl)}</label>
                    <input class="mod-action-url" prop:value=move || read(|a| a.url.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(ActionField::Url, Box::new(move |row| row.url = v)); }/>
                    <FieldProblems field=Field::Action(index, ActionField::Url) problems/>
                </div>
            </div>
            <div class="field" data-field=format!("actions.{index}.callPoints")>
                <label>{t(Text::ModActionCallPoints)}</label>
                <div class="mod-callpoints">
                    {move || points().into_iter().map(|p| {
                        let value = p.clone();
                        let label = p.clone();
                        view! {
                            <span class="badge mod-callpoint" data-value=p>
                                {label}" "
                                <button type="button" class="link remove" aria-label="remove"
                                    on:click=move |_| { let v = value.clone(); edit(ActionField::CallPoints, Box::new(move |row| row.call_points.retain(|c| *c != v))); }>
                                    "×"
                                </button>
                            </span>
                        }
                    }).collect_view()}
                </div>
                <div class="field-inline">
                    <input class="mod-callpoint-input" list="mod-callpoint-suggestions" prop:value=move || new_point.get()
                        on:input=move |ev| new_point.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add_point(); }/>
                    <button type="button" class="secondary mod-callpoint-add" on:click=move |_| add_point()>
                        {t(Text::ModAddCallPoint)}
                    </button>
                </div>
                <FieldProblems field=Field::Action(index, ActionField::CallPoints) problems/>
            </div>
            <p class="mod-callback">
                {move || match address() {
                    Some(a) => view! { {t(Text::ModCallbackAddress)}" "<code class="mod-callback-address">{a}</code> }.into_any(),
                    None => view! { <span class="muted">{t(Text::ModCallbackIncomplete)}</span> }.into_any(),
                }}
            </p>
            <button type="button" class="secondary mod-remove-action" on:click=remove>{t(Text::ModRemoveAction)}</button>
        </div>
    }
}
