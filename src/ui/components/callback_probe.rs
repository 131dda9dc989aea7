//! The probe of the `inventoriesUpload` callback: shows and sends the request the CRM would send, then lists
//! every problem of the reply (the checks live in `module_form::probe`).

use std::cell::Cell;
use std::rc::Rc;

use crate::api::browser::FetchTransport;
use crate::api::inventory::InventoriesRequest;
use crate::api::{CancelToken, HttpRequest, Method, Transport, TransportError};
use crate::i18n::{Lang, Text};
use crate::module::probe::{
    asked_offers, default_payload, form_body, outcome, PayloadProblem, ProbeOutcome, ReplyCheck,
    ReplyProblem, ReplyWarning, DEFAULT_FIELD, DEFAULT_TIMEOUT_MS,
};
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::locale::{t, use_locale};
use crate::ui::reactive::effect;
use crate::ui::session::use_session;
use crate::ui::task::{spawn, warehouses};
use leptos::prelude::*;

/// How many offers of the account the default payload asks about.
const SAMPLE_OFFERS: usize = 3;

/// The words for a reply problem.
fn problem_text(p: &ReplyProblem, lang: Lang) -> String {
    use ReplyProblem as P;
    let at = |offer: &usize, store: &usize| {
        vec![("offer", offer.to_string()), ("store", store.to_string())]
    };
    let (text, args): (Text, Vec<(&str, String)>) = match p {
        P::NotJson(detail) => (Text::ProbeNotJson, vec![("detail", detail.clone())]),
        P::NotObject => (Text::ProbeNotObject, vec![]),
        P::SuccessMissing => (Text::ProbeSuccessMissing, vec![]),
        P::SuccessNotBool(value) => (Text::ProbeSuccessNotBool, vec![("value", value.clone())]),
        P::ErrorMsgMissing => (Text::ProbeErrorMsgMissing, vec![]),
        P::OffersMissing => (Text::ProbeOffersMissing, vec![]),
        P::OfferNotObject { offer } => (
            Text::ProbeOfferNotObject,
            vec![("offer", offer.to_string())],
        ),
        P::OfferNoIdentifier { offer } => {
            (Text::ProbeOfferNoId, vec![("offer", offer.to_string())])
        }
        P::OfferNotAsked { offer, key } => (
            Text::ProbeOfferNotAsked,
            vec![("offer", offer.to_string()), ("key", key.clone())],
        ),
        P::StoresMissing { offer } => {
            (Text::ProbeStoresMissing, vec![("offer", offer.to_string())])
        }
        P::StoreNotObject { offer, store } => (Text::ProbeStoreNotObject, at(offer, store)),
        P::StoreCodeMissing { offer, store } => (Text::ProbeStoreCodeMissing, at(offer, store)),
        P::UnknownStore { offer, store, code } => {
            let mut args = at(offer, store);
            args.push(("code", code.clone()));
            (Text::ProbeUnknownStore, args)
        }
        P::AvailableMissing { offer, store } => (Text::ProbeAvailableMissing, at(offer, store)),
        P::AvailableNotNumber {
            offer,
            store,
            value,
        } => {
            let mut args = at(offer, store);
            args.push(("value", value.clone()));
            (Text::ProbeAvailableNotNumber, args)
        }
        P::AvailableNegative { offer, store } => (Text::ProbeAvailableNegative, at(offer, store)),
        P::PriceNotNumber {
            offer,
            store,
            value,
        } => {
            let mut args = at(offer, store);
            args.push(("value", value.clone()));
            (Text::ProbePriceNotNumber, args)
        }
        P::PriceNegative { offer, store } => (Text::ProbePriceNegative, at(offer, store)),
        P::OfferMissing { key } => (Text::ProbeOfferMissing, vec![("key", key.clone())]),
    };
    text.fill(lang, &args)
}

/// The words for a reply warning.
fn warning_text(w: &ReplyWarning, lang: Lang) -> String {
    match w {
        ReplyWarning::LegacySpelling { offer, store } => Text::ProbeLegacySpelling.fill(
            lang,
            &[("offer", offer.to_string()), ("store", store.to_string())],
        ),
        ReplyWarning::StoresNotChecked => Text::ProbeStoresNotChecked.in_lang(lang).to_owned(),
    }
}

fn payload_problem_text(p: &PayloadProblem, lang: Lang) -> String {
    match p {
        PayloadProblem::NotJson(detail) => {
            Text::ProbePayloadNotJson.fill(lang, &[("detail", detail.clone())])
        }
        PayloadProblem::NoOffers => Text::ProbePayloadNoOffers.in_lang(lang).to_owned(),
        PayloadProblem::NoFieldName => Text::ProbeNoFieldName.in_lang(lang).to_owned(),
    }
}

/// What the last probe gave: the outcome and the reply body, if any.
#[derive(Clone, Debug, PartialEq)]
struct ProbeRun {
    outcome: ProbeOutcome,
    body: Option<String>,
}

/// The probe for the callback at `address` with `client_id` (both from the module form).
#[component]
pub fn CallbackProbe(
    /// `baseUrl` + the action's url, `None` while incomplete.
    #[prop(into)]
    address: Signal<Option<String>>,
    /// The module's clientId, sent as the CRM would.
    #[prop(into)]
    client_id: Signal<String>,
) -> impl IntoView {
    let session = use_session();
    let lang = use_locale().lang;
    let leave = cancel_on_leave();
    let field = RwSignal::new(DEFAULT_FIELD.to_owned());
    let payload = RwSignal::new(String::new());
    let timeout_s = RwSignal::new((DEFAULT_TIMEOUT_MS / 1000).to_string());
    let running = RwSignal::new(false);
    let run = RwSignal::new(None::<ProbeRun>);
    let payload_error = RwSignal::new(None::<PayloadProblem>);

    let client = session.client_with_cancel(&leave);
    let stores = warehouses(session);
    // A payload asking about a few real offers of the account (the user may edit it): read with the screen, put in
    // the box by an effect (disposed with the screen) once it is known, unless the user typed one first.
    let sample = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            let site = session.site.get_untracked();
            async move {
                let req = InventoriesRequest {
                    limit: Some(20),
                    ..InventoriesRequest::default()
                };
                let offers: Vec<(String, Option<String>)> = match client.inventories(&req).await {
                    Ok(r) => r
                        .offers
                        .into_iter()
                        .filter(|o| site.is_none() || o.site == site)
                        .filter_map(|o| Some((o.external_id?, o.site)))
                        .take(SAMPLE_OFFERS)
                        .collect(),
                    Err(_) => vec![],
                };
                if offers.is_empty() {
                    vec![("offer-000001".to_owned(), site)]
                } else {
                    offers
                }
            }
        }
    });
    effect(move |_| {
        if let Some(offers) = sample.get() {
            payload.update(|p| {
                if p.is_empty() {
                    *p = default_payload(&offers);
                }
            });
        }
    });

    let request_preview = move || {
        let body = form_body(&field.get(), &client_id.get(), &payload.get())
            .map(|f| {
                f.pairs()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        format!(
            "POST {}\nContent-Type: application/x-www-form-urlencoded\n\n{body}",
            address.get().unwrap_or_default()
        )
    };

    let send = move |_| {
        let Some(url) = address.get_untracked() else {
            return;
        };
        let text = payload.get_untracked();
        let form = match form_body(&field.get_untracked(), &client_id.get_untracked(), &text) {
            Ok(form) => form,
            Err(problem) => {
                payload_error.set(Some(problem));
                return;
            }
        };
        payload_error.set(None);
        let asked = asked_offers(&text).unwrap_or_default();
        let seconds = crate::decimal::parse(&timeout_s.get_untracked().trim().replace(',', "."))
            .filter(|s| *s > 0.0)
            .unwrap_or(f64::from(DEFAULT_TIMEOUT_MS) / 1000.0);
        let ms = (seconds * 1000.0).round().min(f64::from(u32::MAX)) as u32;
        let known = stores
            .get()
            .and_then(Result::ok)
            .map(|r| r.stores.into_iter().map(|s| s.code).collect::<Vec<_>>());
        running.set(true);
        run.set(None);
        let leave = leave.clone();
        spawn(async move {
            let token = CancelToken::new();
            let timed_out = Rc::new(Cell::new(false));
            let _timer = {
                let token = token.clone();
                let timed_out = timed_out.clone();
                gloo_timers::callback::Timeout::new(ms, move || {
                    timed_out.set(true);
                    token.cancel();
                })
            };
            let _on_leave = {
                let token = token.clone();
                leave.on_cancel(move || token.cancel())
            };
            let request = HttpRequest {
                method: Method::Post,
                url,
                headers: vec![(
                    "Content-Type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                )],
                body: Some(form.encode()),
            };
            let result = FetchTransport::new().send(&request, &token).await;
            if leave.is_cancelled() {
                return;
            }
            let next = match result {
                Ok(resp) => ProbeRun {
                    outcome: outcome(resp.status, &resp.body, &asked, known.as_deref()),
                    body: Some(resp.body),
                },
                Err(TransportError::Aborted) if timed_out.get() => ProbeRun {
                    outcome: ProbeOutcome::Timeout { ms },
                    body: None,
                },
                Err(TransportError::Aborted) => return,
                Err(TransportError::Network {
                    detail,
                    probably_cors,
                }) => ProbeRun {
                    outcome: ProbeOutcome::Unreachable {
                        detail,
                        probably_cors,
                    },
                    body: None,
                },
            };
            run.set(Some(next));
            running.set(false);
        });
    };

    let sending_label = t(Text::ProbeSending);
    let send_label = t(Text::ProbeSend);
    let result_view = move || {
        let lang = lang.get();
        run.get().map(|r| {
            let check_list = |check: &ReplyCheck| {
                view! {
                    <ul class="probe-problems">
                        {check.problems.iter().map(|p| view! { <li class="probe-problem">{problem_text(p, lang)}</li> }).collect_view()}
                    </ul>
                    <ul class="probe-warnings">
                        {check.warnings.iter().map(|w| view! { <li class="probe-warning">{warning_text(w, lang)}</li> }).collect_view()}
                    </ul>
                }
            };
            let (kind, class, headline, details) = match &r.outcome {
                ProbeOutcome::Unreachable { detail, .. } => (
                    "unreachable",
                    "bad",
                    Text::ProbeUnreachable.in_lang(lang).to_owned(),
                    view! { <pre class="muted">{detail.clone()}</pre> }.into_any(),
                ),
                ProbeOutcome::Timeout { ms } => (
                    "timeout",
                    "bad",
                    Text::ProbeTimedOut.fill(lang, &[("seconds", format!("{}", f64::from(*ms) / 1000.0))]),
                    ().into_any(),
                ),
                ProbeOutcome::HttpStatus { status, check } => (
                    "http-status",
                    "bad",
                    Text::ProbeHttpStatus.fill(lang, &[("status", status.to_string())]),
                    check_list(check).into_any(),
                ),
                ProbeOutcome::BadReply(check) => (
                    "bad-reply",
                    "bad",
                    Text::ProbeBadReply.in_lang(lang).to_owned(),
                    check_list(check).into_any(),
                ),
                ProbeOutcome::ErrorReply(check) => (
                    "error-reply",
                    "warn",
                    Text::ProbeErrorReply.fill(lang, &[("message", check.error_msg.clone().unwrap_or_default())],
                    ),
                    check_list(check).into_any(),
                ),
                ProbeOutcome::Good(check) => (
                    "good",
                    "ok",
                    Text::ProbeGood.fill(lang, &[("offers", check.offers.to_string())]),
                    check_list(check).into_any(),
                ),
            };
            view! {
                <div class=format!("notice {class} probe-result") data-outcome=kind>
                    <strong>{headline}</strong>
                    {details}
                    {r.body.map(|body| view! {
                        <details>
                            <summary>{Text::ProbeReplyBody.in_lang(lang)}</summary>
                            <pre class="probe-reply">{body}</pre>
                        </details>
                    })}
                </div>
            }
        })
    };

    view! {
        <section class="card probe" id="callback-probe">
            <h2>{t(Text::ProbeTitle)}</h2>
            <p class="hint">{t(Text::ProbeIntro)}</p>
            {move || match address.get() {
                None => view! { <p class="notice warn" id="probe-no-action">{t(Text::ProbeNoAction)}</p> }.into_any(),
                Some(a) => view! {
                    <p>{t(Text::ProbeAddress)}": "<code id="probe-address">{a}</code></p>
                }.into_any(),
            }}
            <p class="muted">{t(Text::ProbeMethod)}</p>
            <div class="row">
                <div class="field">
                    <label for="probe-field">{t(Text::ProbeField)}</label>
                    <input id="probe-field" type="text" prop:value=move || field.get()
                        on:input=move |ev| field.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="probe-timeout">{t(Text::ProbeTimeout)}</label>
                    <input id="probe-timeout" type="number" min="0.1" step="0.1" prop:value=move || timeout_s.get()
                        on:input=move |ev| timeout_s.set(event_target_value(&ev))/>
                </div>
            </div>
            <div class="field">
                <label for="probe-payload">{t(Text::ProbePayload)}</label>
                <textarea id="probe-payload" rows="8" prop:value=move || payload.get()
                    on:input=move |ev| payload.set(event_target_value(&ev))></textarea>
                {move || payload_error.get().map(|p| view! {
                    <span class="field-error">{payload_problem_text(&p, lang.get())}</span>
                })}
            </div>
            <details>
                <summary>{t(Text::ProbeRequest)}</summary>
                <pre id="probe-request">{request_preview}</pre>
            </details>
            <button type="button" id="probe-send" on:click=send
                disabled=move || running.get() || address.get().is_none()>
                {move || if running.get() { sending_label() } else { send_label() }}
            </button>
            {result_view}
        </section>
    }
}
