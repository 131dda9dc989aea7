//! The module codes used on this device, remembered per account (newest first), for the module screen to offer.

use crate::api::lenient::from_text;
use crate::device::{account_key, accounts_with, DeviceStore};

/// The name of an account's entry of codes.
const CODES: &str = "module.codes";

/// How many codes an account keeps.
pub const MAX_CODES: usize = 10;

/// The codes used with the account at `account`, newest first (none when nothing readable is stored).
pub fn used_codes(store: &dyn DeviceStore, account: &str) -> Vec<String> {
    store
        .get(&account_key(account, CODES))
        .and_then(|text| from_text::<Vec<String>>(&text).ok())
        .unwrap_or_default()
}

/// Remembers `code` as the newest used with `account` (at most [`MAX_CODES`] kept); `false` when the store refused it.
pub fn remember_code(store: &dyn DeviceStore, account: &str, code: &str) -> bool {
    let code = code.trim();
    if code.is_empty() {
        return true;
    }
    let mut codes = used_codes(store, account);
    codes.retain(|c| c != code);
    codes.insert(0, code.to_string());
    codes.truncate(MAX_CODES);
    serde_json::to_string(&codes)
        .map(|text| store.set(&account_key(account, CODES), &text))
        .unwrap_or(false)
}

/// A code used on this device; `account` names the other account it was used with (none: this one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsedCode {
    pub code: String,
    pub account: Option<String>,
}

/// The codes used on this device: those of the account at `account` first (newest first), then those used with the
/// device's other accounts (each code once).
pub fn codes_on_device(store: &dyn DeviceStore, account: &str) -> Vec<UsedCode> {
    let this = account_key(account, CODES);
    let mut out: Vec<UsedCode> = used_codes(store, account)
        .into_iter()
        .map(|code| UsedCode {
            code,
            account: None,
        })
        .collect();
    for other in accounts_with(store, CODES) {
        if account_key(&other, CODES) == this {
            continue;
        }
        for code in used_codes(store, &other) {
            if !out.iter().any(|u| u.code == code) {
                out.push(UsedCode {
                    code,
                    account: Some(other.clone()),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::MemoryStore;

    const ACME: &str = "https://acme.retailcrm.ru";
    const DEMO: &str = "http://127.0.0.1:8080";

    #[test]
    fn a_first_visit_has_no_code_then_codes_are_kept_newest_first_per_account() {
        let store = MemoryStore::default();
        assert!(used_codes(&store, ACME).is_empty());
        assert!(codes_on_device(&store, ACME).is_empty());
        for code in ["acme-wms", "acme-wms-test", " acme-wms ", ""] {
            assert!(remember_code(&store, ACME, code));
        }
        assert_eq!(used_codes(&store, ACME), ["acme-wms", "acme-wms-test"]);
        // The same account with a trailing slash is the same account.
        assert_eq!(
            used_codes(&store, "https://acme.retailcrm.ru/"),
            ["acme-wms", "acme-wms-test"]
        );
        assert!(used_codes(&store, DEMO).is_empty());
        for i in 0..MAX_CODES + 3 {
            remember_code(&store, DEMO, &format!("code-{i}"));
        }
        let demo = used_codes(&store, DEMO);
        assert_eq!(demo.len(), MAX_CODES);
        assert_eq!(demo[0], format!("code-{}", MAX_CODES + 2));
    }

    #[test]
    fn the_device_lists_this_accounts_codes_then_the_others() {
        let store = MemoryStore::default();
        remember_code(&store, DEMO, "demo-wms");
        remember_code(&store, DEMO, "shared");
        remember_code(&store, ACME, "shared");
        remember_code(&store, ACME, "acme-wms");
        assert_eq!(
            codes_on_device(&store, ACME),
            [
                UsedCode {
                    code: "acme-wms".into(),
                    account: None
                },
                UsedCode {
                    code: "shared".into(),
                    account: None
                },
                UsedCode {
                    code: "demo-wms".into(),
                    account: Some("127.0.0.1:8080".into())
                },
            ]
        );
        // A new account: only the others' codes, said as such.
        let fresh = codes_on_device(&store, "https://new.retailcrm.ru");
        assert!(fresh.iter().all(|u| u.account.is_some()));
        assert_eq!(fresh.len(), 3);
        // Something unreadable stored is no code at all.
        store.set(&account_key(ACME, CODES), "not json");
        assert!(used_codes(&store, ACME).is_empty());
        assert!(remember_code(&store, ACME, "again"));
        assert_eq!(used_codes(&store, ACME), ["again"]);
    }
}
