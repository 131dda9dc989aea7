//! The connection screen: CRM address and API key, the key's check and rights, the site to work with.

use crate::api::credentials::{Access, Capability, Right};
use crate::api::normalize_base_url;
use crate::connection::check::ConnectionCheck;
use crate::i18n::Text;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::locale::{t, tf, tr};
use crate::ui::session::{page_origin, use_session};
use leptos::prelude::*;

/// Address, key, "remember", check, rights per capability, site choice.
#[component]
pub fn ConnectionPage() -> impl IntoView {
    let session = use_session();
    let url_input = RwSignal::new(session.base_url.get_untracked());
    let key_input = RwSignal::new(session.api_key.get_untracked());
    let show_key = RwSignal::new(false);

    let check = Action::new_local(move |_: &()| async move {
        session
            .base_url
            .set(normalize_base_url(&url_input.get_untracked()));
        session
            .api_key
            .set(key_input.get_untracked().trim().to_string());
        session.save();
        session.check().await
    });
    let result = check.value();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        check.dispatch(());
    };
    let forget = move |_| {
        session.forget_key();
        key_input.set(String::new());
        result.set(None);
    };

    view! {
        <section class="page" id="page-connection">
            <h1>{t(Text::NavConnection)}</h1>
            <p class="intro">{t(Text::ConnectionIntro)}</p>
            <form class="card" on:submit=on_submit>
                <div class="field">
                    <label for="crm-url">{t(Text::ConnCrmUrl)}</label>
                    <div class="row">
                        <input type="url" id="crm-url" size="40" autocomplete="url"
                            prop:value=move || url_input.get()
                            on:input=move |ev| url_input.set(event_target_value(&ev))/>
                        <button type="button" class="secondary" id="use-page-origin"
                            on:click=move |_| url_input.set(page_origin())>{t(Text::ConnUseThisOrigin)}</button>
                    </div>
                    <span class="hint">{t(Text::ConnCrmUrlHint)}</span>
                </div>
                <div class="field">
                    <label for="api-key">{t(Text::ConnApiKey)}</label>
                    <div class="row">
                        <input id="api-key" size="40" autocomplete="off" spellcheck="false"
                            type=move || if show_key.get() { "text" } else { "password" }
                            prop:value=move || key_input.get()
                            on:input=move |ev| key_input.set(event_target_value(&ev))/>
                        <button type="button" class="secondary" id="toggle-key"
                            on:click=move |_| show_key.update(|s| *s = !*s)>
                            {move || if show_key.get() { tr(Text::ConnHideKey) } else { tr(Text::ConnShowKey) }}
                        </button>
                    </div>
                </div>
                <label class="field-inline">
                    <input type="checkbox" id="remember-key"
                        prop:checked=move || session.remember.get()
                        on:change=move |ev| {
                            session.remember.set(event_target_checked(&ev));
                            if session.verified.get_untracked() { session.save(); }
                        }/>
                    " "{t(Text::ConnRemember)}
                </label>
                <div class="row">
                    <button type="submit" id="check-connection" disabled=move || check.pending().get()>
                        {move || if check.pending().get() { tr(Text::ConnChecking) } else { tr(Text::ConnCheck) }}
                    </button>
                    <button type="button" class="secondary" id="forget-key" on:click=forget>
                        {t(Text::ConnForget)}
                    </button>
                </div>
            </form>
            {move || match result.get() {
                Some(Ok(found)) => view! { <CheckReport found/> }.into_any(),
                Some(Err(error)) => view! { <ApiErrorNotice error/> }.into_any(),
                None => match session.last_check.get() {
                    Some(found) if session.verified.get() => view! { <CheckReport found/> }.into_any(),
                    _ => ().into_any(),
                },
            }}
        </section>
    }
}

/// What the check found: v5, rights per capability, the site choice.
#[component]
fn CheckReport(found: ConnectionCheck) -> impl IntoView {
    let session = use_session();
    let has_v5 = found.versions.has_v5();
    let versions = found.versions.versions.join(", ");
    let scopes = found.credentials.scopes.join(", ");
    let capabilities = found.credentials.capabilities();
    view! {
        <div class="card" id="connection-report">
            {if has_v5 {
                view! { <div class="notice ok" id="v5-ok">{t(Text::ConnV5Ok)}</div> }.into_any()
            } else {
                view! { <div class="notice bad" id="v5-missing">
                    {tf(Text::ConnV5Missing, move || vec![("versions", versions.clone())])}
                </div> }.into_any()
            }}
            <h2>{t(Text::ConnRights)}</h2>
            <table id="capabilities">
                <tbody>
                    {capabilities.into_iter().map(|(capability, access)| view! {
                        <tr data-capability=capability.key()>
                            <td>{t(capability_text(capability))}</td>
                            <td><AccessCell access/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!scopes.is_empty()).then(|| view! {
                <p class="muted">{t(Text::ConnScopes)}": "<code id="scopes">{scopes}</code></p>
            })}
            <h2>{t(Text::ConnSite)}</h2>
            {match found.sites {
                Ok(sites) => view! {
                    <div class="field">
                        <select id="site-select" on:change=move |ev| {
                            let code = event_target_value(&ev);
                            session.site.set((!code.is_empty()).then_some(code));
                            session.save();
                        }>
                            <option value="" selected=move || session.site.get().is_none()>{t(Text::ConnAllSites)}</option>
                            {sites.into_iter().map(|site| {
                                let code = site.code.clone();
                                let selected = move || session.site.get().as_deref() == Some(code.as_str());
                                view! {
                                    <option value=site.code.clone() selected=selected>
                                        {format!("{} ({})", site.name, site.code)}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                        <span class="hint">{t(Text::ConnSiteHint)}</span>
                    </div>
                }.into_any(),
                Err(error) => view! { <ApiErrorNotice error/> }.into_any(),
            }}
        </div>
    }
}

/// "Allowed", "missing: …" or "unknown" for one capability.
#[component]
fn AccessCell(access: Access) -> impl IntoView {
    match access {
        Access::Allowed => view! { <span class="badge ok">{t(Text::ConnAllowed)}</span> }.into_any(),
        Access::Unknown => view! { <span class="badge">{t(Text::ConnUnknownRights)}</span> }.into_any(),
        Access::Missing(rights) => view! {
            <span class="badge bad">{t(Text::ConnMissing)}</span>" "
            <span class="missing-rights">
                {rights.into_iter().map(|r| view! { <span class="missing-right">{t(right_text(r))}</span> })
                    .collect_view()}
            </span>
        }
        .into_any(),
    }
}

/// The name of a capability, as the menu says it.
fn capability_text(capability: Capability) -> Text {
    match capability {
        Capability::Connect => Text::CapConnect,
        Capability::Module => Text::CapModule,
        Capability::InventoriesRead => Text::CapInventories,
        Capability::Upload => Text::CapUpload,
        Capability::Catalog => Text::CapCatalog,
        Capability::Shipments => Text::CapShipments,
    }
}

/// What a missing right takes away, in plain words.
fn right_text(right: Right) -> Text {
    match right {
        Right::ReferenceRead => Text::RightReferenceRead,
        Right::IntegrationRead => Text::RightIntegrationRead,
        Right::IntegrationWrite => Text::RightIntegrationWrite,
        Right::StoreRead => Text::RightStoreRead,
        Right::StoreWrite => Text::RightStoreWrite,
        Right::OrderRead => Text::RightOrderRead,
        Right::OrderWrite => Text::RightOrderWrite,
    }
}
