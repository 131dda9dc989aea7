//! The CRM session: the connection flow (the form, the kept key, confirmations, storage access) and what it leads
//! to: the address and key in use, the chosen site, the result of the check, and the one shared client.

use crate::api::browser::{browser_client, BrowserClient};
use crate::api::reference::Site;
use crate::api::ApiError;
use crate::api::{CancelToken, TrafficConfig, TrafficEvent};
use crate::connection::address::{account_param, host_label};
use crate::connection::check::{check_connection, ConnectionCheck};
use crate::connection::flow::{ConnectionFlow, Step, StorageAccess};
use crate::connection::forget::ForgetReport;
use crate::connection::probe::serves_crm_api;
use crate::ui::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Who the panel talks to; provided once by the app.
#[derive(Clone, Copy)]
pub struct Session {
    /// The CRM address in use, e.g. `https://acme.retailcrm.ru`, or this page's origin (sandbox, proxy). Set only
    /// when the flow sends a key there (see [`Step::Check`]).
    pub base_url: RwSignal<String>,
    /// The API key in use; never put in a URL or a log line.
    pub api_key: RwSignal<String>,
    /// The site (shop) code the key works with, when it covers several.
    pub site: RwSignal<Option<String>>,
    /// Whether the key was checked against the CRM and works.
    pub verified: RwSignal<bool>,
    /// The result of the last successful connection check (rights, sites), for every screen to consult.
    pub last_check: RwSignal<Option<ConnectionCheck>>,
    /// Why the last check failed.
    pub check_error: RwSignal<Option<ApiError>>,
    /// What the last "forget this device" removed.
    pub forgotten: RwSignal<Option<ForgetReport>>,
    /// What traffic control is doing right now (rate-limit waits, retries), for the status line.
    pub traffic: RwSignal<Option<TrafficEvent>>,
    flow: StoredValue<ConnectionFlow, LocalStorage>,
    changed: Trigger,
    /// Counts connection checks, so that only the latest one's result is applied.
    checks: StoredValue<u64>,
    /// The one client of this address and key: every screen shares its rate limit.
    client: StoredValue<Option<(String, String, BrowserClient)>, LocalStorage>,
}

impl Session {
    /// The session of this page, before anything is sent: call [`Session::start`].
    pub fn restore() -> Session {
        let stores = storage::stores();
        let account = account_from_query().as_deref().and_then(account_param);
        let flow = ConnectionFlow::new(
            stores.clone(),
            &page_origin(),
            account,
            storage::access(),
            storage::framed(),
        );
        Session {
            base_url: RwSignal::new(String::new()),
            api_key: RwSignal::new(String::new()),
            site: RwSignal::new(stores.site()),
            verified: RwSignal::new(false),
            last_check: RwSignal::new(None),
            check_error: RwSignal::new(None),
            forgotten: RwSignal::new(None),
            traffic: RwSignal::new(None),
            flow: StoredValue::new_local(flow),
            changed: Trigger::new(),
            client: StoredValue::new_local(None),
            checks: StoredValue::new(0),
        }
    }

    /// Starts the flow (a key kept for its own address is checked again, so a reload or a bookmarked screen works
    /// without a visit to the connection screen). Inside a frame, storage access granted before is restored first;
    /// `restored` runs when that brought the device's storage back.
    pub fn start(self, restored: impl FnOnce() + 'static) {
        if storage::access() == (StorageAccess::Blocked { can_ask: true }) {
            spawn_local(async move {
                if let Some(granted) = storage::restore_access().await {
                    self.update(|flow| flow.storage_answered(granted));
                    if granted {
                        self.site.set(storage::stores().site());
                        restored();
                    }
                }
                self.act(ConnectionFlow::start);
            });
        } else {
            self.act(ConnectionFlow::start);
        }
    }

    /// Reads the flow (tracked: views follow every change).
    pub fn with_flow<R>(&self, read: impl FnOnce(&ConnectionFlow) -> R) -> R {
        self.changed.track();
        self.flow.with_value(read)
    }

    /// Applies a change that asks for no step (an edit, an answer) to the flow.
    pub fn update(&self, change: impl FnOnce(&mut ConnectionFlow)) {
        self.act(|flow| {
            change(flow);
            Vec::new()
        });
    }

    /// Applies an operator's action (or an answer) to the flow and carries out the steps it asks for. Runs inside
    /// the click's handler, so that the browser sees the storage-access question as the operator's.
    pub fn act(&self, action: impl FnOnce(&mut ConnectionFlow) -> Vec<Step>) {
        let steps = self.flow.try_update_value(action).unwrap_or_default();
        self.changed.notify();
        for step in steps {
            self.carry_out(step);
        }
    }

    fn carry_out(self, step: Step) {
        match step {
            Step::ProbeOrigin => spawn_local(async move {
                let keyless = browser_client(&page_origin(), "", TrafficConfig::default());
                let serves = serves_crm_api(&keyless).await;
                self.act(|flow| flow.origin_probed(serves));
            }),
            Step::Check { address, key } => spawn_local(self.check(address, key)),
            Step::AskStorageAccess => {
                let answer = storage::ask_access();
                spawn_local(async move {
                    let granted = answer.await;
                    self.update(|flow| flow.storage_answered(granted));
                });
            }
        }
    }

    /// Checks `key` at `address` (see [`check_connection`]). On success the session is marked verified, the site
    /// chosen and the flow keeps the key; only the latest check changes the session.
    async fn check(self, address: String, key: String) {
        if self.base_url.get_untracked() != address || self.api_key.get_untracked() != key {
            self.verified.set(false);
            self.base_url.set(address.clone());
            self.api_key.set(key.clone());
        }
        self.checks.update_value(|n| *n += 1);
        let number = self.checks.get_value();
        self.check_error.set(None);
        self.forgotten.set(None);
        let outcome = check_connection(&self.client()).await;
        if self.checks.try_get_value() != Some(number) {
            return;
        }
        let works = matches!(&outcome, Ok(check) if check.is_usable());
        match outcome {
            Ok(check) => {
                // The check first, then "verified": screens shown on "verified" find the sites already there.
                self.last_check.set(Some(check.clone()));
                let site = check.site_choice(self.site.get_untracked());
                if works {
                    storage::stores().keep_site(site.as_deref());
                }
                self.site.set(site);
                self.verified.set(works);
            }
            Err(error) => {
                self.verified.set(false);
                self.last_check.set(None);
                self.check_error.set(Some(error));
            }
        }
        self.update(|flow| flow.checked(&address, &key, works));
    }

    /// The shared client for the address and key in use (created on first use, renewed when either changes).
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

    /// The operator chose a site: used from now on and remembered on the device.
    pub fn choose_site(&self, site: Option<String>) {
        storage::stores().keep_site(site.as_deref());
        self.site.set(site);
    }

    /// Forgets everything the panel kept on this device and the key in use; the report says what was removed.
    pub fn forget_device(&self) {
        let report = self.flow.try_update_value(ConnectionFlow::forget);
        // The upload plans kept in IndexedDB go with the rest.
        storage::large().clear();
        self.checks.update_value(|n| *n += 1);
        self.api_key.set(String::new());
        self.verified.set(false);
        self.last_check.set(None);
        self.check_error.set(None);
        self.site.set(None);
        self.forgotten.set(report);
        self.changed.notify();
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

    /// The account in use as shown to the user: its host, without the scheme.
    pub fn account_label(&self) -> String {
        host_label(&self.base_url.get())
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

/// The raw `account` query parameter of the page address (the CRM adds it when it opens the module's settings).
fn account_from_query() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("account")
}
