//! The CRM session: account address, API key (this tab only unless remembered), chosen site.

use crate::api::browser::{browser_client, BrowserClient};
use crate::api::reference::Site;
use crate::api::ApiError;
use crate::api::{CancelToken, TrafficConfig, TrafficEvent};
use crate::connection::check::{check_connection, ConnectionCheck};
use crate::ui::storage;
use leptos::prelude::*;

const KEY_BASE_URL: &str = "warehouse-panel.base-url";
const KEY_API_KEY: &str = "warehouse-panel.api-key";
const KEY_SITE: &str = "warehouse-panel.site";

/// Who the panel talks to; provided once by the app.
#[derive(Clone, Copy)]
pub struct Session {
    /// The CRM address, e.g. `https://acme.retailcrm.ru`, or this page's origin (sandbox, proxy).
    pub base_url: RwSignal<String>,
    /// The API key; never put in a URL or a log line.
    pub api_key: RwSignal<String>,
    /// The site (shop) code the key works with, when it covers several.
    pub site: RwSignal<Option<String>>,
    /// Whether the key is remembered on this device (otherwise for this tab's session only).
    pub remember: RwSignal<bool>,
    /// Whether the key was checked against the CRM and works.
    pub verified: RwSignal<bool>,
    /// The result of the last successful connection check (rights, sites), for every screen to consult.
    pub last_check: RwSignal<Option<ConnectionCheck>>,
    /// What traffic control is doing right now (rate-limit waits, retries), for the status line.
    pub traffic: RwSignal<Option<TrafficEvent>>,
    /// Counts connection checks, so that only the latest one's result is applied.
    checks: StoredValue<u64>,
    /// The one client of this address and key: every screen shares its rate limit.
    client: StoredValue<Option<(String, String, BrowserClient)>, LocalStorage>,
}

impl Session {
    /// The session as this tab or device kept it; the `account` query parameter (set by the CRM when it
    /// opens the panel as the module's settings page) wins over a stored address.
    pub fn restore() -> Session {
        let remembered_key = storage::local_get(KEY_API_KEY);
        let remember = remembered_key.is_some();
        let api_key = remembered_key
            .or_else(|| storage::session_get(KEY_API_KEY))
            .unwrap_or_default();
        let base_url = account_from_query()
            .or_else(|| storage::local_get(KEY_BASE_URL))
            .unwrap_or_else(page_origin);
        Session {
            base_url: RwSignal::new(base_url),
            api_key: RwSignal::new(api_key),
            site: RwSignal::new(storage::local_get(KEY_SITE).filter(|s| !s.is_empty())),
            remember: RwSignal::new(remember),
            verified: RwSignal::new(false),
            last_check: RwSignal::new(None),
            traffic: RwSignal::new(None),
            client: StoredValue::new_local(None),
            checks: StoredValue::new(0),
        }
    }

    /// Checks the address and key (see [`check_connection`]). On success the session is marked verified and the
    /// site chosen; only the latest check changes the session: one that ends after a newer one started is ignored.
    pub async fn check(&self) -> Result<ConnectionCheck, ApiError> {
        self.checks.update_value(|n| *n += 1);
        let number = self.checks.get_value();
        let outcome = check_connection(&self.client()).await;
        if self.checks.try_get_value() != Some(number) {
            return outcome;
        }
        match &outcome {
            Ok(check) => {
                // The check first, then "verified": screens shown on "verified" find the sites already there.
                self.last_check.set(Some(check.clone()));
                self.site.set(check.site_choice(self.site.get_untracked()));
                self.verified.set(check.is_usable());
            }
            Err(_) => self.verified.set(false),
        }
        outcome
    }

    /// The shared client for the current address and key (created on first use, renewed when either changes).
    /// Clones share one token bucket, so all screens together stay under the CRM's rate limit.
    pub fn client(&self) -> BrowserClient {
        let base_url = self.base_url.get_untracked();
        let api_key = self.api_key.get_untracked();
        if let Some(client) = self.client.with_value(|c| match c {
            Some((b, k, client)) if *b == base_url && *k == api_key => Some(client.clone()),
            _ => None,
        }) {
            return client;
        }
        let traffic = self.traffic;
        let client = browser_client(&base_url, &api_key, TrafficConfig::default()).with_observer(
            move |event: &TrafficEvent| match event {
                TrafficEvent::Responded { .. } => traffic.set(None),
                other => traffic.set(Some(other.clone())),
            },
        );
        self.client
            .set_value(Some((base_url, api_key, client.clone())));
        client
    }

    /// A client whose calls stop when `cancel` fires (the page was left, the job was cancelled).
    pub fn client_with_cancel(&self, cancel: &CancelToken) -> BrowserClient {
        self.client().with_cancel(cancel.clone())
    }

    /// Keeps the address and site on the device and the key where the user asked.
    pub fn save(&self) {
        storage::local_set(KEY_BASE_URL, &self.base_url.get_untracked());
        storage::local_set(KEY_SITE, &self.site.get_untracked().unwrap_or_default());
        let key = self.api_key.get_untracked();
        if self.remember.get_untracked() {
            storage::local_set(KEY_API_KEY, &key);
            storage::session_remove(KEY_API_KEY);
        } else {
            storage::session_set(KEY_API_KEY, &key);
            storage::local_remove(KEY_API_KEY);
        }
    }

    /// Forgets the key everywhere (one click on the connection screen).
    pub fn forget_key(&self) {
        self.api_key.set(String::new());
        self.verified.set(false);
        self.last_check.set(None);
        self.remember.set(false);
        storage::local_remove(KEY_API_KEY);
        storage::session_remove(KEY_API_KEY);
    }

    /// The sites (shops) the key may use, as the last connection check found them (tracked; empty before a check
    /// or when the key may not list them). Screens take them from here instead of asking the CRM again.
    pub fn sites(&self) -> Vec<Site> {
        self.last_check
            .with(|c| c.as_ref().and_then(|c| c.sites.clone().ok()))
            .unwrap_or_default()
    }

    /// Whether a checked key is in use.
    pub fn is_connected(&self) -> bool {
        self.verified.get() && !self.api_key.get().is_empty()
    }

    /// The account as shown to the user: its host, without the scheme.
    pub fn account_label(&self) -> String {
        let url = self.base_url.get();
        let without_scheme = url.split("://").nth(1).unwrap_or(&url);
        without_scheme.trim_end_matches('/').to_string()
    }
}

/// The session context; the app always provides it.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(Session::restore)
}

/// This page's own origin, e.g. `http://127.0.0.1:8080`.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The `account` query parameter of the page address, normalised to an https URL when it has no scheme.
fn account_from_query() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let account = params.get("account")?.trim().to_string();
    if account.is_empty() {
        None
    } else if account.contains("://") {
        Some(account.trim_end_matches('/').to_string())
    } else {
        Some(format!("https://{}", account.trim_end_matches('/')))
    }
}
