//! What the panel keeps on the device: a small key-value store (the browser's, or memory where the browser refuses
//! storage) and the names of its entries, each of an account's data under that account's own prefix.

use std::cell::RefCell;
use std::collections::BTreeMap;

use futures_util::future::{ready, LocalBoxFuture};

/// The prefix of every entry the panel writes (so that "forget this device" finds them all).
pub const PREFIX: &str = "warehouse-panel.";

/// A string store that never panics. `set` is `false` when the value was refused (over the quota, blocked).
pub trait DeviceStore {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str);
    /// Every key of the store.
    fn keys(&self) -> Vec<String>;
}

/// A store for large values (the browser's IndexedDB, whose quota is far above localStorage's few MB); asynchronous.
/// `put` is `false` when the value was refused; `remove` and `clear` complete on their own.
pub trait LargeStore {
    fn put(&self, key: &str, value: String) -> LocalBoxFuture<'static, bool>;
    fn get(&self, key: &str) -> LocalBoxFuture<'static, Option<String>>;
    fn remove(&self, key: &str);
    /// Removes every entry the panel wrote ("forget this device").
    fn clear(&self);
}

/// Entries in memory: for tests, and where the browser refuses storage (a cross-site frame), for the tab's life.
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: RefCell<BTreeMap<String, String>>,
}

impl DeviceStore for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.entries.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) -> bool {
        self.entries
            .borrow_mut()
            .insert(key.to_string(), value.to_string());
        true
    }
    fn remove(&self, key: &str) {
        self.entries.borrow_mut().remove(key);
    }
    fn keys(&self) -> Vec<String> {
        self.entries.borrow().keys().cloned().collect()
    }
}

impl LargeStore for MemoryStore {
    fn put(&self, key: &str, value: String) -> LocalBoxFuture<'static, bool> {
        Box::pin(ready(DeviceStore::set(self, key, &value)))
    }
    fn get(&self, key: &str) -> LocalBoxFuture<'static, Option<String>> {
        Box::pin(ready(DeviceStore::get(self, key)))
    }
    fn remove(&self, key: &str) {
        DeviceStore::remove(self, key);
    }
    fn clear(&self) {
        forget_all(self);
    }
}

/// The name of a device-wide entry, e.g. `warehouse-panel.lang`.
pub fn device_key(name: &str) -> String {
    format!("{PREFIX}{name}")
}

/// The prefix of an account's entries: its address without the scheme, e.g. `warehouse-panel.@acme.retailcrm.ru/`.
pub fn account_prefix(account: &str) -> String {
    let address = account.split_once("://").map_or(account, |(_, rest)| rest);
    format!("{PREFIX}@{}/", address.trim_end_matches('/'))
}

/// The name of entry `name` of the account at `account`.
pub fn account_key(account: &str, name: &str) -> String {
    format!("{}{name}", account_prefix(account))
}

/// The accounts that have entries named `name` (their addresses without scheme), in key order.
pub fn accounts_with(store: &dyn DeviceStore, name: &str) -> Vec<String> {
    let start = format!("{PREFIX}@");
    let end = format!("/{name}");
    store
        .keys()
        .iter()
        .filter_map(|k| {
            k.strip_prefix(&start)?
                .strip_suffix(&end)
                .map(str::to_string)
        })
        .collect()
}

/// Copies every entry the panel wrote from one store into another (memory into the storage a browser just granted);
/// false when the other store refused one.
pub fn copy_ours(from: &dyn DeviceStore, to: &dyn DeviceStore) -> bool {
    from.keys()
        .iter()
        .filter(|k| k.starts_with(PREFIX))
        .filter_map(|k| Some((k, from.get(k)?)))
        .fold(true, |all, (k, v)| to.set(k, &v) && all)
}

/// Removes every entry the panel wrote; returns their names.
pub fn forget_all(store: &dyn DeviceStore) -> Vec<String> {
    let ours: Vec<String> = store
        .keys()
        .into_iter()
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for k in &ours {
        store.remove(k);
    }
    ours
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_have_their_own_entries() {
        let store = MemoryStore::default();
        let a = account_key("https://a.retailcrm.ru/", "upload.job");
        let b = account_key("http://127.0.0.1:8080", "upload.job");
        assert_eq!(a, "warehouse-panel.@a.retailcrm.ru/upload.job");
        assert_ne!(a, b);
        assert!(store.set(&a, "1") && store.set(&b, "2"));
        store.set(&device_key("lang"), "ru");
        store.set("someone-else", "x");
        assert_eq!(
            accounts_with(&store, "upload.job"),
            vec!["127.0.0.1:8080".to_string(), "a.retailcrm.ru".to_string()]
        );
        let copy = MemoryStore::default();
        assert!(copy_ours(&store, &copy));
        assert_eq!(copy.keys().len(), 3);
        assert_eq!(DeviceStore::get(&copy, &a).as_deref(), Some("1"));
        let forgotten = forget_all(&store);
        assert_eq!(forgotten.len(), 3);
        assert_eq!(store.keys(), vec!["someone-else".to_string()]);
    }
}
