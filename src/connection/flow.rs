//! The connection as the operator drives it: which address and key the form starts with, when a key may be sent (to
//! the address it was verified against, or where the operator clicks), the confirmation a plain-HTTP address needs,
//! what is kept after a check, and when to ask the browser for storage access.

use super::address::{host_label, needs_insecure_confirmation, same_address};
use super::forget::{forget_device, ForgetReport};
use super::keep::{BoundKey, Keep, Stores};
use crate::api::normalize_base_url;

/// What the browser lets the panel keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageAccess {
    /// Storage works: the key and the work are kept as chosen.
    Kept,
    /// Storage is refused (a cross-site frame, storage switched off): everything lives in memory until the page is
    /// closed or reloaded. `can_ask`: the browser offers the Storage Access API, asked on the Connect click.
    Blocked { can_ask: bool },
    /// Asked; the browser has not answered yet (it may be showing a prompt).
    Asking,
    /// The browser gave access: kept as chosen from now on.
    Granted,
    /// The browser said no, or gave nothing usable: memory only.
    Refused,
}

/// Where the flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Deciding the address (what is kept, whether the page's origin serves the API); no key is sent meanwhile.
    Starting,
    /// Waiting for the operator.
    Idle,
    /// A check is under way: the key is on its way to the address in use.
    Checking,
    /// The last check succeeded: the key works with the address in use.
    Connected,
    /// The last check failed.
    Failed,
}

/// Something for the UI (or a test) to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Ask the page's own origin, with no key, whether it serves the CRM's API (see [`super::probe`]).
    ProbeOrigin,
    /// Check `key` at `address`: the only step that sends a key anywhere.
    Check { address: String, key: String },
    /// Ask the browser for storage access (only ever on the operator's click).
    AskStorageAccess,
}

/// The connection screen's state and rules, with the stores it keeps the key in.
pub struct ConnectionFlow {
    stores: Stores,
    page_origin: String,
    /// The address the CRM named in the `account` parameter (already checked to be an http(s) address).
    account: Option<String>,
    /// The kept key and the address it was verified against.
    bound: Option<BoundKey>,
    address: String,
    key: String,
    keep: Keep,
    phase: Phase,
    /// A plain-HTTP address waiting for the operator's confirmation before the key is sent there.
    awaiting_insecure: Option<String>,
    /// A plain-HTTP address the operator confirmed.
    confirmed_insecure: Option<String>,
    /// The account the CRM named, when the page's own origin serves its API and is used instead.
    label: Option<String>,
    /// The address and key of the latest check.
    in_use: Option<BoundKey>,
    storage: StorageAccess,
    framed: bool,
}

impl ConnectionFlow {
    /// A flow for a page at `page_origin` opened with the `account` parameter (see
    /// [`super::address::account_param`]), before anything is decided; call [`ConnectionFlow::start`].
    pub fn new(
        stores: Stores,
        page_origin: &str,
        account: Option<String>,
        storage: StorageAccess,
        framed: bool,
    ) -> Self {
        Self {
            stores,
            page_origin: page_origin.to_string(),
            address: account.clone().unwrap_or_else(|| page_origin.to_string()),
            account,
            bound: None,
            key: String::new(),
            keep: Keep::Tab,
            phase: Phase::Starting,
            awaiting_insecure: None,
            confirmed_insecure: None,
            label: None,
            in_use: None,
            storage,
            framed,
        }
    }

    /// Reads what is kept and decides the address: the kept key's own address is checked again at once (also when
    /// the `account` names it); another `account` than the page's origin first asks whether the origin serves the
    /// API (a same-origin proxy).
    pub fn start(&mut self) -> Vec<Step> {
        if self.phase != Phase::Starting {
            return Vec::new();
        }
        if let Some((bound, keep)) = self.stores.bound_key() {
            self.key = bound.key.clone();
            self.keep = keep;
            self.bound = Some(bound);
        }
        let names_bound = |account: &str| {
            self.bound_address()
                .is_some_and(|bound| same_address(bound, account))
        };
        match self.account.clone() {
            Some(account)
                if !same_address(&account, &self.page_origin) && !names_bound(&account) =>
            {
                self.address = account;
                vec![Step::ProbeOrigin]
            }
            Some(account) => self.decide(account),
            None => {
                let address = self
                    .bound
                    .as_ref()
                    .map(|b| b.address.clone())
                    .or_else(|| self.stores.last_address())
                    .unwrap_or_else(|| self.page_origin.clone());
                self.decide(address)
            }
        }
    }

    /// The answer of [`Step::ProbeOrigin`]: when the page's origin serves the API it is used, and the `account`
    /// only labels the account. Ignored once the operator has acted.
    pub fn origin_probed(&mut self, serves_api: bool) -> Vec<Step> {
        let Some(account) = self.account.clone() else {
            return Vec::new();
        };
        if self.phase != Phase::Starting {
            return Vec::new();
        }
        if serves_api {
            self.label = Some(host_label(&account));
            self.decide(self.page_origin.clone())
        } else {
            self.decide(account)
        }
    }

    /// Puts `address` in the form; checks the kept key again only when it was verified against that address.
    fn decide(&mut self, address: String) -> Vec<Step> {
        self.phase = Phase::Idle;
        self.address = address;
        match &self.bound {
            Some(bound) if same_address(&bound.address, &self.address) => {
                let (address, key) = (bound.address.clone(), bound.key.clone());
                vec![self.begin_check(address, key)]
            }
            _ => Vec::new(),
        }
    }

    /// The operator typed an address.
    pub fn edit_address(&mut self, address: &str) {
        self.operator_acts();
        self.address = address.to_string();
        self.awaiting_insecure = None;
    }

    /// The operator typed a key.
    pub fn edit_key(&mut self, key: &str) {
        self.operator_acts();
        self.key = key.to_string();
    }

    /// The operator chose where the key is kept; a key that already works moves there at once.
    pub fn choose_keep(&mut self, keep: Keep) {
        self.keep = keep;
        if self.phase == Phase::Connected {
            if let Some(bound) = &self.in_use {
                self.stores.keep_key(bound, keep);
            }
        }
    }

    /// The operator clicked "check and connect": the key goes to the form's address, unless that address is plain
    /// HTTP to another computer and not confirmed yet. Inside a frame that blocks storage, the browser is asked for
    /// storage access on this click (the browser allows that question only on a click).
    pub fn connect(&mut self) -> Vec<Step> {
        self.operator_acts();
        let mut steps = Vec::new();
        if self.storage == (StorageAccess::Blocked { can_ask: true }) {
            self.storage = StorageAccess::Asking;
            steps.push(Step::AskStorageAccess);
        }
        let address = normalize_base_url(&self.address);
        self.address = address.clone();
        let confirmed = [self.confirmed_insecure.as_deref(), self.bound_address()]
            .into_iter()
            .flatten()
            .any(|a| same_address(a, &address));
        if needs_insecure_confirmation(&address) && !confirmed {
            self.awaiting_insecure = Some(address);
        } else {
            let key = self.key.trim().to_string();
            steps.push(self.begin_check(address, key));
        }
        steps
    }

    /// The operator confirmed sending the key over plain HTTP to the address waiting for it.
    pub fn confirm_insecure(&mut self) -> Vec<Step> {
        match self.awaiting_insecure.take() {
            Some(address) => {
                self.confirmed_insecure = Some(address.clone());
                let key = self.key.trim().to_string();
                vec![self.begin_check(address, key)]
            }
            None => Vec::new(),
        }
    }

    /// The operator declined sending the key over plain HTTP.
    pub fn cancel_insecure(&mut self) {
        self.awaiting_insecure = None;
    }

    /// The operator went back to the address the kept key was verified against.
    pub fn back_to_bound(&mut self) {
        if let Some(address) = self.bound_address().map(str::to_string) {
            self.edit_address(&address);
        }
    }

    fn begin_check(&mut self, address: String, key: String) -> Step {
        self.phase = Phase::Checking;
        self.awaiting_insecure = None;
        self.in_use = Some(BoundKey {
            address: address.clone(),
            key: key.clone(),
        });
        Step::Check { address, key }
    }

    fn operator_acts(&mut self) {
        if self.phase == Phase::Starting {
            self.phase = Phase::Idle;
        }
    }

    /// The outcome of the check of `key` at `address`; `works`: the CRM accepted the key and offers API v5.
    /// Only then is the key kept (where the operator chose) and bound to that address. The outcome of an older
    /// check is ignored.
    pub fn checked(&mut self, address: &str, key: &str, works: bool) {
        let latest = self
            .in_use
            .as_ref()
            .is_some_and(|b| b.address == address && b.key == key);
        if !latest || self.phase != Phase::Checking {
            return;
        }
        if works {
            let bound = BoundKey {
                address: address.to_string(),
                key: key.to_string(),
            };
            self.stores.keep_key(&bound, self.keep);
            self.bound = Some(bound);
            self.phase = Phase::Connected;
        } else {
            self.phase = Phase::Failed;
        }
    }

    /// Forgets everything the panel kept, in both stores, and the key in memory; says what was removed.
    pub fn forget(&mut self) -> ForgetReport {
        let report = forget_device(self.stores.device.as_ref(), self.stores.tab.as_ref());
        self.bound = None;
        self.key.clear();
        self.in_use = None;
        self.keep = Keep::Tab;
        self.phase = Phase::Idle;
        self.awaiting_insecure = None;
        self.confirmed_insecure = None;
        report
    }

    /// The browser's answer to [`Step::AskStorageAccess`] (or to a request made at start where access had been
    /// granted before): `granted` when its storage is now in use.
    pub fn storage_answered(&mut self, granted: bool) {
        self.storage = if granted {
            StorageAccess::Granted
        } else {
            StorageAccess::Refused
        };
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn keep(&self) -> Keep {
        self.keep
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn storage(&self) -> StorageAccess {
        self.storage
    }

    /// Whether the panel runs inside another site's page.
    pub fn framed(&self) -> bool {
        self.framed
    }

    /// The account the CRM named, shown beside the page's own origin that serves its API.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The address the kept key was verified against.
    pub fn bound_address(&self) -> Option<&str> {
        self.bound.as_ref().map(|b| b.address.as_str())
    }

    /// The plain-HTTP address waiting for the operator's confirmation.
    pub fn awaiting_insecure(&self) -> Option<&str> {
        self.awaiting_insecure.as_deref()
    }

    /// `(the form's address, the kept key's address)` when the form would send the kept key somewhere else than
    /// where it was verified (a link naming another account, or a typed address): the UI says so before the click.
    pub fn other_account(&self) -> Option<(&str, &str)> {
        let bound = self.bound.as_ref()?;
        let elsewhere = !self.address.trim().is_empty()
            && self.key.trim() == bound.key
            && !same_address(&self.address, &bound.address);
        (elsewhere && self.phase != Phase::Checking).then_some((&self.address, &bound.address))
    }
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
