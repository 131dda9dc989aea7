//! The module form: its fields, the save button with the review, the answer of the CRM, the logo preview and the
//! callback probe. The save workflow ([`ModuleSave`]) holds everything; this renders it and passes actions in.

use super::actions::ActionsEditor;
use super::fields::{text_field, FieldProblems};
use super::remember;
use super::review::{ReviewPanel, SaveOutcomeNotice};
use crate::i18n::Text;
use crate::module::codes::UsedCode;
use crate::module::form::panel_address;
use crate::module::save::{ModuleSave, Sending};
use crate::module::validate::Field;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::callback_probe::CallbackProbe;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::logo_preview::LogoPreview;
use crate::ui::locale::{t, use_locale};
use crate::ui::reactive::{effect, memo};
use crate::ui::session::{page_origin, use_session};
use leptos::html;
use leptos::prelude::*;

/// The editor of the module `code` as the lookup opened it (`save`); a save under another code becomes the code
/// looked up (`lookup`) and is remembered with the codes used on this device (`used`).
#[component]
pub fn ModuleEditor(
    code: String,
    save: ModuleSave,
    lookup: RwSignal<String>,
    used: RwSignal<Vec<UsedCode>>,
) -> impl IntoView {
    let session = use_session();
    let lang = use_locale().lang;
    let leave = cancel_on_leave();
    let save = RwSignal::new(save);
    let skip_checks = RwSignal::new(false);

    let send = Action::new_local(move |sending: &Sending| {
        let client = session.client_with_cancel(&leave);
        let sending = sending.clone();
        async move { sending.send(&client).await }
    });
    // The answer is recorded by an effect (disposed with the screen), not by code after the await.
    effect(move |_| {
        let Some(answer) = send.value().get() else {
            return;
        };
        let saved = save.write().record(answer);
        if let Some(saved) = saved {
            used.set(remember(&session, &saved));
            lookup.set(saved);
        }
    });
    // "Save" opens the review (or says what blocks it), "Confirm" shows the CRM's answer: each takes the focus.
    let review_focus = ResultFocus::<html::H3>::new();
    let outcome_focus = ResultFocus::<html::Div>::new();
    let review = move |_| {
        review_focus.arm();
        outcome_focus.arm();
        save.update(|s| s.start_review(skip_checks.get_untracked()));
    };
    let confirm = Callback::new(move |_| {
        outcome_focus.arm();
        let sending = save.write().confirm();
        if let Some(sending) = sending {
            send.dispatch(sending);
        }
    });
    let back = Callback::new(move |_| save.update(ModuleSave::back));
    let generate = move |_| {
        let uuid = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .map(|c| c.random_uuid());
        if let Some(uuid) = uuid {
            save.update(|s| s.edit(Field::ClientId, |f| f.client_id = uuid));
        }
    };
    let use_panel_address = move |_| {
        let address = panel_address(&page_origin());
        save.update(|s| s.edit(Field::AccountUrl, |f| f.account_url = address));
    };

    let registered = memo(move || save.with(ModuleSave::is_registered));
    let status = move || {
        if registered.get() {
            view! { <p class="notice ok" id="mod-loaded">{t(Text::ModLoadedFromCrm)}</p> }
                .into_any()
        } else {
            let text = Text::ModNotRegistered.fill(lang.get(), &[("code", code.clone())]);
            view! { <p class="notice warn" id="mod-empty-state">{text}</p> }.into_any()
        }
    };
    let sending = memo(move || save.with(ModuleSave::is_sending));
    let open_review = memo(move || save.with(|s| s.review().cloned()));
    let outcome = memo(move || save.with(|s| s.outcome().cloned()));
    let probe_address = memo(move || {
        save.with(|s| {
            let f = s.form();
            f.inventories_action().and_then(|i| f.callback_address(i))
        })
    });
    let probe_client_id = memo(move || save.with(|s| s.form().client_id.clone()));
    let logo = memo(move || save.with(|s| s.form().logo.clone()));

    view! {
        <form class="card" id="module-form" on:submit=|ev| ev.prevent_default()>
            {status}
            <div class="row">
                {text_field(save, Field::Code, "code", Text::ModFieldCode,
                    |f| f.code.clone(), |f, v| f.code = v, ().into_any())}
                {text_field(save, Field::IntegrationCode, "integrationCode", Text::ModFieldIntegrationCode,
                    |f| f.integration_code.clone(), |f, v| f.integration_code = v, ().into_any())}
            </div>
            {text_field(save, Field::Name, "name", Text::ModFieldName,
                |f| f.name.clone(), |f, v| f.name = v, ().into_any())}
            <div class="field-inline" data-field="active">
                <input type="checkbox" id="mod-f-active" prop:checked=move || save.with(|s| s.form().active)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        save.update(|s| s.edit(Field::Active, |f| f.active = on));
                    }/>
                <label for="mod-f-active">{t(Text::ModFieldActive)}</label>
                <FieldProblems field=Field::Active save/>
            </div>
            {text_field(save, Field::ClientId, "clientId", Text::ModFieldClientId,
                |f| f.client_id.clone(), |f, v| f.client_id = v,
                view! { <button type="button" class="secondary" id="mod-generate-client-id" on:click=generate>
                    {t(Text::ModGenerate)}</button> }.into_any())}
            {text_field(save, Field::BaseUrl, "baseUrl", Text::ModFieldBaseUrl,
                |f| f.base_url.clone(), |f, v| f.base_url = v, ().into_any())}
            {text_field(save, Field::AccountUrl, "accountUrl", Text::ModFieldAccountUrl,
                |f| f.account_url.clone(), |f, v| f.account_url = v,
                view! { <button type="button" class="secondary" id="mod-use-panel-address" on:click=use_panel_address>
                    {t(Text::ModUsePanelAddress)}</button> }.into_any())}
            {text_field(save, Field::Logo, "logo", Text::ModFieldLogo,
                |f| f.logo.clone(), |f, v| f.logo = v, ().into_any())}
            <LogoPreview url=logo/>
            <ActionsEditor save/>
            <div class="field-inline">
                <input type="checkbox" id="mod-skip-checks" prop:checked=move || skip_checks.get()
                    on:change=move |ev| skip_checks.set(event_target_checked(&ev))/>
                <label for="mod-skip-checks">{t(Text::ModSkipChecks)}</label>
            </div>
            <button type="button" id="mod-save" on:click=review disabled=sending>
                {move || if sending.get() { Text::ModSaving.in_lang(lang.get()) } else { Text::ModSave.in_lang(lang.get()) }}
            </button>
            {move || open_review.get().map(|review| view! {
                <ReviewPanel review on_confirm=confirm on_back=back focus=review_focus/>
            })}
            {move || outcome.get().map(|outcome| view! {
                <div class="mod-outcome" tabindex="-1" node_ref=outcome_focus.node><SaveOutcomeNotice outcome/></div>
            })}
        </form>
        <CallbackProbe address=probe_address client_id=probe_client_id/>
    }
}
