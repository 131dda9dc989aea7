//! Live logo preview in `<img>` boxes at the Marketplace sizes: loading, shown, or why not (not found, not an image,
//! not checkable — asked of the address when the `<img>` fails), and not HTTPS ([`crate::module::logo`] decides);
//! a local file can be dropped to preview it (as a `blob:` address) before it is hosted.

use crate::i18n::Text;
use crate::link::web_link;
use crate::module::logo::{can_probe, is_not_https, logo_state, Loaded, LogoState, Probe};
use crate::ui::components::drop_zone::DropZone;
use crate::ui::components::show::Show;
use crate::ui::locale::{t, use_locale};
use crate::ui::reactive::memo;
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The square boxes the Marketplace list draws a logo in, in CSS pixels.
const SIZES: [u32; 3] = [32, 64, 128];

/// Asks `url` for its status and type (`HEAD`, or `GET` where `HEAD` is refused), without credentials or the API key.
async fn probe(url: String) -> Probe {
    let mut answer = None;
    for method in [Method::HEAD, Method::GET] {
        let Ok(request) = RequestBuilder::new(&url).method(method).build() else {
            return Probe::Unreadable;
        };
        match request.send().await {
            Ok(response) if matches!(response.status(), 405 | 501) => {
                answer = Some(response);
            }
            Ok(response) => {
                answer = Some(response);
                break;
            }
            Err(_) => break,
        }
    }
    match answer {
        Some(response) => Probe::Answer {
            status: response.status(),
            content_type: response.headers().get("content-type"),
        },
        None => Probe::Unreadable,
    }
}

/// A dropped file shown instead of the address: its name and `blob:` address (revoked when replaced).
#[derive(Clone, Debug, PartialEq)]
struct LocalLogo {
    name: String,
    object_url: String,
}

fn revoke(local: Option<LocalLogo>) {
    if let Some(local) = local {
        let _ = web_sys::Url::revoke_object_url(&local.object_url);
    }
}

/// A `blob:` address for the file's bytes; SVG is typed so `<img>` renders it.
fn object_url(name: &str, bytes: &[u8]) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    if name.to_ascii_lowercase().ends_with(".svg") {
        options.set_type("image/svg+xml");
    }
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The preview of `url` (the module's `logo` field).
#[component]
pub fn LogoPreview(
    /// The logo address as typed.
    #[prop(into)]
    url: Signal<String>,
) -> impl IntoView {
    let local = RwSignal::new(None::<LocalLogo>);
    let src = memo(move || match local.get() {
        Some(l) => l.object_url,
        // Only a web address is loaded (a `javascript:` or `data:` one from the CRM is not).
        None => web_link(&url.get()).unwrap_or_default().to_owned(),
    });
    let not_web =
        move || local.get().is_none() && !url.get().trim().is_empty() && src.get().is_empty();
    // What the first box's `<img>` did, with the address it did it with.
    let loaded = RwSignal::new(None::<(String, Loaded)>);
    // A web address that did not load is asked why.
    let failed = memo(move || {
        loaded.with(|l| match l {
            Some((src, Loaded::Failed)) if local.with(Option::is_none) && can_probe(src) => {
                Some(src.clone())
            }
            _ => None,
        })
    });
    let asked = LocalResource::new(move || {
        let failed = failed.get();
        async move {
            match failed {
                Some(url) => Some((url.clone(), probe(url).await)),
                None => None,
            }
        }
    });
    let state = memo(move || {
        let src = src.get();
        let took = loaded.with(|l| l.as_ref().filter(|(s, _)| *s == src).map(|(_, l)| *l));
        let answer = asked.get().flatten().filter(|(u, _)| *u == src);
        logo_state(
            &src,
            local.with(Option::is_some),
            took,
            answer.as_ref().map(|(_, p)| p),
        )
    });
    on_cleanup(move || revoke(local.try_get_untracked().flatten()));
    let on_file = Callback::new(move |(name, bytes): (String, Vec<u8>)| {
        let next = object_url(&name, &bytes).map(|object_url| LocalLogo { name, object_url });
        revoke(local.get_untracked());
        local.set(next);
    });
    let on_load = move |ev: web_sys::Event| {
        let img = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlImageElement>().ok());
        if let Some(img) = img {
            let shown = Loaded::Shown {
                width: img.natural_width(),
                height: img.natural_height(),
            };
            loaded.set(Some((src.get_untracked(), shown)));
        }
    };
    let on_error = move |_| loaded.set(Some((src.get_untracked(), Loaded::Failed)));
    let not_https = move || local.with(Option::is_none) && is_not_https(&url.get());
    let lang = use_locale().lang;
    let status_text = move || {
        let lang = lang.get();
        match state.get() {
            LogoState::Empty => Text::ModLogoEmpty.in_lang(lang).to_owned(),
            LogoState::Loading => Text::ModLogoLoading.in_lang(lang).to_owned(),
            LogoState::Shown { width, height } => Text::ModLogoOk.fill(
                lang,
                &[("width", width.to_string()), ("height", height.to_string())],
            ),
            LogoState::Checking => Text::ModLogoChecking.in_lang(lang).to_owned(),
            LogoState::NotFound { status } => {
                Text::ModLogoNotFound.fill(lang, &[("status", status.to_string())])
            }
            LogoState::NotAnImage {
                content_type: Some(kind),
            } => Text::ModLogoNotImage.fill(lang, &[("type", kind)]),
            LogoState::NotAnImage { content_type: None } => {
                Text::ModLogoNotImageFile.in_lang(lang).to_owned()
            }
            LogoState::Unchecked => Text::ModLogoUnchecked.in_lang(lang).to_owned(),
        }
    };
    let local_text = move || {
        let name = local.get().map(|l| l.name).unwrap_or_default();
        Text::ModLogoLocal.fill(lang.get(), &[("name", name)])
    };
    view! {
        <div class="logo-block" id="logo-preview">
            <div class="label">{t(Text::ModLogoPreview)}</div>
            <div class="logo-preview">
                {SIZES.iter().map(|&size| {
                    let side = format!("{size}px");
                    view! {
                        <figure>
                            <div class="logo-box" style:width=side.clone() style:height=side>
                                <Show when=move || !src.get().is_empty()>
                                    // Only the first box reports the state: all three load the same address.
                                    {move || if size == SIZES[0] {
                                        view! {
                                            <img src=move || src.get() alt="" data-size=size
                                                on:load=on_load on:error=on_error/>
                                        }.into_any()
                                    } else {
                                        view! { <img src=move || src.get() alt="" data-size=size/> }.into_any()
                                    }}
                                </Show>
                            </div>
                            <figcaption>{format!("{size}×{size}")}</figcaption>
                        </figure>
                    }
                }).collect_view()}
            </div>
            <p class="logo-status" data-state=move || state.with(LogoState::key)>
                {status_text}
            </p>
            <Show when=not_web>
                <p class="notice warn logo-not-web">{t(Text::ModLogoNotWeb)}</p>
            </Show>
            <Show when=not_https>
                <p class="notice warn logo-not-https">{t(Text::ModLogoNotHttps)}</p>
            </Show>
            <Show when=move || local.get().is_some()>
                <p class="notice warn logo-local">
                    {local_text}" "
                    <button type="button" class="link" id="logo-back-to-url"
                        on:click=move |_| { revoke(local.get_untracked()); local.set(None); }>
                        {t(Text::ModLogoBackToUrl)}
                    </button>
                </p>
            </Show>
            <DropZone on_file=on_file accept=".svg,image/svg+xml,image/*" label=Text::ModLogoDrop
                input_id="logo-file"/>
        </div>
    }
}
