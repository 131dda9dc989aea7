//! The app shell: contexts (language, CRM session), the navigation and the routes of every screen.

use crate::i18n::{Lang, Text};
use crate::ui::components::announce::{provide_announcer, LiveRegion};
use crate::ui::components::storage_notice::StorageNotice;
use crate::ui::components::traffic_status::TrafficStatus;
use crate::ui::locale::{t, tf, use_locale, Locale};
use crate::ui::pages::{
    catalog::CatalogPage, connection::ConnectionPage, inventories::InventoriesPage,
    module::ModulePage, not_found::NotFoundPage, shipments::ShipmentsPage, upload::UploadPage,
};
use crate::ui::reactive::effect;
use crate::ui::session::{use_session, Session};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The whole panel.
#[component]
pub fn App() -> impl IntoView {
    let locale = Locale::from_device();
    provide_context(locale);
    let session = Session::restore();
    provide_context(session);
    provide_announcer();
    session.start(move || locale.reload());
    effect(move |_| {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", locale.lang.get().code());
        }
        document().set_title(Text::AppTitle.in_lang(locale.lang.get()));
    });

    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>{t(Text::SkipToContent)}</a>
            <header class="topbar">
                <div class="brand">
                    <span class="brand-title">{t(Text::AppTitle)}</span>
                    <span class="brand-tagline">{t(Text::AppTagline)}</span>
                </div>
                <TrafficStatus/>
                <AccountBadge/>
                <LanguageSwitch/>
            </header>
            <nav class="sidenav" aria-label=t(Text::NavMain)>
                <A href="/">{t(Text::NavConnection)}</A>
                <A href="/module">{t(Text::NavModule)}</A>
                <A href="/inventories">{t(Text::NavInventories)}</A>
                <A href="/upload">{t(Text::NavUpload)}</A>
                <A href="/catalog">{t(Text::NavCatalog)}</A>
                <A href="/shipments">{t(Text::NavShipments)}</A>
            </nav>
            <main class="content" id="main" tabindex="-1">
                <StorageNotice/>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=ConnectionPage/>
                    <Route path=path!("/module") view=ModulePage/>
                    <Route path=path!("/inventories") view=InventoriesPage/>
                    <Route path=path!("/upload") view=UploadPage/>
                    <Route path=path!("/catalog") view=CatalogPage/>
                    <Route path=path!("/shipments") view=ShipmentsPage/>
                </Routes>
            </main>
            <footer class="footer">
                <span id="version">
                    {tf(Text::Version, || vec![("version", env!("CARGO_PKG_VERSION").to_string())])}
                </span>
            </footer>
            <LiveRegion/>
        </Router>
    }
}

/// The skip link: the focus goes to the screen's content. The link's own handler runs before the router's (on the
/// window) and keeps the router from following `#main`.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        use wasm_bindgen::JsCast;
        let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// Which CRM account the panel is connected to, shown on every screen.
#[component]
fn AccountBadge() -> impl IntoView {
    let session = use_session();
    let connected = tf(Text::ConnectedTo, move || {
        vec![("account", session.account_label())]
    });
    // The account the CRM named, when this page's own origin serves its API: shown, never used as an address.
    let label = move || session.with_flow(|flow| flow.label().map(str::to_string));
    view! {
        <div class="account" id="account-badge">
            {move || if session.is_connected() {
                view! {
                    <span class="ok">{connected()}</span>
                    {label().map(|label| view! { " " <span class="muted" id="account-label">{label}</span> })}
                }.into_any()
            } else {
                view! { <span class="muted">{t(Text::NotConnected)}</span> }.into_any()
            }}
        </div>
    }
}

/// English / Russian switch; the choice is remembered on the device.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="lang-switch" role="group" aria-label=t(Text::Language)>
            {Lang::ALL.into_iter().map(|lang| view! {
                <button
                    class:active=move || locale.lang.get() == lang
                    aria-pressed=move || (locale.lang.get() == lang).to_string()
                    lang=lang.code()
                    data-lang=lang.code()
                    on:click=move |_| locale.set(lang)
                >{lang.code().to_uppercase()}</button>
            }).collect_view()}
        </div>
    }
}
