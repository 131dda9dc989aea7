//! The connection screen: CRM address and API key, the key's check and rights, the site to work with.

use crate::api::credentials::{Access, Capability, Right};
use crate::api::reference::Site;
use crate::connection::address::host_label;
use crate::connection::check::ConnectionCheck;
use crate::connection::flow::{ConnectionFlow, Phase};
use crate::connection::forget::Forgotten;
use crate::connection::keep::Keep;
use crate::i18n::{Phrase, Text};
use crate::ui::components::announce::announce;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::focus::ResultFocus;
use crate::ui::locale::{t, tf};
use crate::ui::node::{el, El};
use crate::ui::session::{page_origin, use_session, Session};
use leptos::html;
use leptos::prelude::*;

/// Address, key, "remember", check, rights per capability, site choice, "forget this device".
#[component]
pub fn ConnectionPage() -> impl IntoView {
    let session = use_session();
    let show_key = RwSignal::new(false);
    let checking = move || session.with_flow(|flow| flow.phase() == Phase::Checking);
    // The check's answer (the rights, or the error) takes the focus.
    let result = ResultFocus::<html::Div>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        result.arm();
        session.act(ConnectionFlow::connect);
    };
    let (show, hide) = (t(Text::ConnShowKey), t(Text::ConnHideKey));
    let (check, checking_label) = (t(Text::ConnCheck), t(Text::ConnChecking));
    let edit = move |action: fn(&mut ConnectionFlow, &str), value: String| {
        session.update(move |flow| action(flow, &value))
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
                            prop:value=move || session.with_flow(|flow| flow.address().to_string())
                            on:input=move |ev| edit(ConnectionFlow::edit_address, event_target_value(&ev))/>
                        <button type="button" class="secondary" id="use-page-origin"
                            on:click=move |_| edit(ConnectionFlow::edit_address, page_origin())>
                            {t(Text::ConnUseThisOrigin)}
                        </button>
                    </div>
                    <span class="hint">{t(Text::ConnCrmUrlHint)}</span>
                </div>
                <ProxyNote/>
                <div class="field">
                    <label for="api-key">{t(Text::ConnApiKey)}</label>
                    <div class="row">
                        <input id="api-key" size="40" autocomplete="off" spellcheck="false"
                            type=move || if show_key.get() { "text" } else { "password" }
                            prop:value=move || session.with_flow(|flow| flow.key().to_string())
                            on:input=move |ev| edit(ConnectionFlow::edit_key, event_target_value(&ev))/>
                        <button type="button" class="secondary" id="toggle-key"
                            on:click=move |_| show_key.update(|s| *s = !*s)>
                            {move || if show_key.get() { hide() } else { show() }}
                        </button>
                    </div>
                </div>
                <label class="field-inline">
                    <input type="checkbox" id="remember-key"
                        prop:checked=move || session.with_flow(|flow| flow.keep() == Keep::Device)
                        on:change=move |ev| {
                            let keep = if event_target_checked(&ev) { Keep::Device } else { Keep::Tab };
                            session.update(move |flow| flow.choose_keep(keep));
                        }/>
                    " "{t(Text::ConnRemember)}
                </label>
                <OtherAccountNotice/>
                <InsecureNotice result/>
                <div class="row">
                    <button type="submit" id="check-connection" disabled=checking>
                        {move || if checking() { checking_label() } else { check() }}
                    </button>
                    <button type="button" class="secondary" id="forget-key"
                        on:click=move |_| session.forget_device()>
                        {t(Text::ConnForget)}
                    </button>
                </div>
                <ForgetReportNotice/>
            </form>
            {move || match (session.check_error.get(), session.last_check.get()) {
                (Some(error), _) => view! {
                    <div id="connection-error" tabindex="-1" node_ref=result.node><ApiErrorNotice error/></div>
                }.into_any(),
                (None, Some(found)) => view! { <CheckReport found result/> }.into_any(),
                (None, None) => ().into_any(),
            }}
        </section>
    }
}

/// When this page's own origin serves the CRM's API: the account the CRM named, and that the panel goes through
/// the origin.
#[component]
fn ProxyNote() -> impl IntoView {
    let session = use_session();
    let label = move || session.with_flow(|flow| flow.label().map(str::to_string));
    move || {
        label().map(|account| {
            let text = tf(Text::ConnProxyNote, move || {
                vec![
                    ("account", account.clone()),
                    ("origin", host_label(&page_origin())),
                ]
            });
            view! { <p class="notice ok" id="proxy-note">{text}</p> }
        })
    }
}

/// The form would send the kept key to another address than the one it was verified against: say so before the
/// click, and offer the way back.
#[component]
fn OtherAccountNotice() -> impl IntoView {
    let session = use_session();
    let other = move || {
        session.with_flow(|flow| {
            flow.other_account()
                .map(|(requested, bound)| (host_label(requested), host_label(bound)))
        })
    };
    move || {
        other().map(|(requested, bound)| {
            let back = bound.clone();
            let text = tf(Text::ConnOtherAccount, move || {
                vec![("requested", requested.clone()), ("bound", bound.clone())]
            });
            let back_text = tf(Text::ConnBackToBound, move || vec![("bound", back.clone())]);
            view! {
                <div class="notice warn" id="other-account">
                    <p>{text}</p>
                    <button type="button" class="secondary" id="back-to-bound"
                        on:click=move |_| session.update(ConnectionFlow::back_to_bound)>
                        {back_text}
                    </button>
                </div>
            }
        })
    }
}

/// A plain-HTTP address to another computer: the key is sent there only after this confirmation.
#[component]
fn InsecureNotice(result: ResultFocus<html::Div>) -> impl IntoView {
    let session = use_session();
    let waiting = move || session.with_flow(|flow| flow.awaiting_insecure().map(str::to_string));
    move || {
        waiting().map(|address| {
            let text = tf(Text::ConnInsecure, move || {
                vec![("address", address.clone())]
            });
            view! {
                <div class="notice bad" id="insecure-warning">
                    <p>{text}</p>
                    <div class="row">
                        <button type="button" id="confirm-insecure"
                            on:click=move |_| { result.arm(); session.act(ConnectionFlow::confirm_insecure) }>
                            {t(Text::ConnInsecureSend)}
                        </button>
                        <button type="button" class="secondary" id="cancel-insecure"
                            on:click=move |_| session.update(ConnectionFlow::cancel_insecure)>
                            {t(Text::Cancel)}
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// What "forget this device" removed, in plain words.
#[component]
fn ForgetReportNotice() -> impl IntoView {
    let session = use_session();
    move || {
        session.forgotten.get().map(|report| {
            if report.is_empty() {
                return view! { <p class="notice ok" id="forget-report">{t(Text::ForgotNothing)}</p> }.into_any();
            }
            view! {
                <div class="notice ok" id="forget-report">
                    <p>{t(Text::ForgotTitle)}</p>
                    <ul>
                        {report.items.into_iter().map(|(kind, count)| {
                            let (text, key) = forgotten_text(kind);
                            view! {
                                <li data-kind=key>
                                    {tf(text, move || vec![("count", count.to_string())])}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
            .into_any()
        })
    }
}

/// The words for a kind of removed entry, and a stable key for tests.
fn forgotten_text(kind: Forgotten) -> (Text, &'static str) {
    match kind {
        Forgotten::Key => (Text::ForgotKey, "key"),
        Forgotten::Address => (Text::ForgotAddress, "address"),
        Forgotten::Site => (Text::ForgotSite, "site"),
        Forgotten::ModuleCode => (Text::ForgotModuleCode, "module-code"),
        Forgotten::Language => (Text::ForgotLanguage, "language"),
        Forgotten::UploadJob => (Text::ForgotUploadJob, "upload-job"),
        Forgotten::Mappings => (Text::ForgotMappings, "mappings"),
        Forgotten::History => (Text::ForgotHistory, "history"),
        Forgotten::Other => (Text::ForgotOther, "other"),
    }
}

/// What the check found: v5, rights per capability, the site choice (said through the live region).
#[component]
fn CheckReport(found: ConnectionCheck, result: ResultFocus<html::Div>) -> impl IntoView {
    let session = use_session();
    let has_v5 = found.versions.has_v5();
    let versions = found.versions.versions.join(", ");
    announce(if has_v5 {
        Phrase::new(Text::ConnV5Ok)
    } else {
        Phrase::new(Text::ConnV5Missing).with("versions", &versions)
    });
    let scopes = found.credentials.scopes.join(", ");
    let v5 = if has_v5 {
        el("div")
            .class("notice ok")
            .attr("id", "v5-ok")
            .tr(Text::ConnV5Ok)
    } else {
        let missing = tf(Text::ConnV5Missing, move || {
            vec![("versions", versions.clone())]
        });
        el("div")
            .class("notice bad")
            .attr("id", "v5-missing")
            .live_text(move || missing())
    };
    let rights = found
        .credentials
        .capabilities()
        .into_iter()
        .map(|(capability, access)| {
            el("tr")
                .attr("data-capability", capability.key())
                .child(el("td").tr(capability_text(capability)))
                .child(access_cell(access))
        });
    let report = el("div")
        .class("card")
        .attr("id", "connection-report")
        .attr("tabindex", "-1")
        .node_ref(result.node)
        .child(v5)
        .child(el("h2").tr(Text::ConnRights))
        .child(
            el("table")
                .attr("id", "capabilities")
                .child(el("tbody").children(rights)),
        );
    let report = if scopes.is_empty() {
        report
    } else {
        report.child(
            el("p")
                .class("muted")
                .tr(Text::ConnScopes)
                .text(": ")
                .child(el("code").attr("id", "scopes").text(scopes)),
        )
    };
    let report =
        report.child(el("h2").child(el("label").attr("for", "site-select").tr(Text::ConnSite)));
    match found.sites {
        Ok(sites) => report.child(site_choice(session, sites)),
        Err(error) => report.view(view! { <ApiErrorNotice error/> }.into_any()),
    }
}

/// The site to work with: all, or one of the account's.
fn site_choice(session: Session, sites: Vec<Site>) -> El {
    let all = el("option")
        .attr("value", "")
        .live_attr("selected", move || {
            session.site.get().is_none().then(String::new)
        })
        .tr(Text::ConnAllSites);
    let options = sites.into_iter().map(move |site| {
        let code = site.code.clone();
        el("option")
            .attr("value", site.code.clone())
            .live_attr("selected", move || {
                (session.site.get().as_deref() == Some(code.as_str())).then(String::new)
            })
            .text(format!("{} ({})", site.name, site.code))
    });
    let select = el("select")
        .attr("id", "site-select")
        .on("change", move |ev| {
            let code = event_target_value(&ev);
            session.choose_site((!code.is_empty()).then_some(code));
        })
        .child(all)
        .children(options);
    el("div")
        .class("field")
        .child(select)
        .child(el("span").class("hint").tr(Text::ConnSiteHint))
}

/// The cell saying "allowed", "missing: …" or "unknown" for one capability.
fn access_cell(access: Access) -> El {
    let cell = el("td");
    match access {
        Access::Allowed => cell.child(el("span").class("badge ok").tr(Text::ConnAllowed)),
        Access::Unknown => cell.child(el("span").class("badge").tr(Text::ConnUnknownRights)),
        Access::Missing(rights) => cell
            .child(el("span").class("badge bad").tr(Text::ConnMissing))
            .text(" ")
            .child(
                el("span").class("missing-rights").children(
                    rights
                        .into_iter()
                        .map(|r| el("span").class("missing-right").tr(right_text(r))),
                ),
            ),
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
