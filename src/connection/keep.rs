//! Where the connection is kept: the key for the tab or on the device, always with the address it was verified
//! against; the last address that worked and the chosen site on the device.

use crate::api::lenient::from_text;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::device::{device_key, DeviceStore};

const KEY: &str = "api-key";
const ADDRESS: &str = "base-url";
const SITE: &str = "site";

/// A key and the address a successful check verified it against: it is sent nowhere else without a click.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundKey {
    pub address: String,
    pub key: String,
}

/// Where a verified key is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Keep {
    /// For this tab's session only (sessionStorage).
    #[default]
    Tab,
    /// On this device, until forgotten (localStorage).
    Device,
}

/// The two stores of the browser: the device's (localStorage, or memory where refused) and the tab's
/// (sessionStorage, or memory).
#[derive(Clone)]
pub struct Stores {
    pub device: Rc<dyn DeviceStore>,
    pub tab: Rc<dyn DeviceStore>,
}

impl Stores {
    fn store(&self, keep: Keep) -> &dyn DeviceStore {
        match keep {
            Keep::Tab => self.tab.as_ref(),
            Keep::Device => self.device.as_ref(),
        }
    }

    /// The kept key and where it is (the device's first). An entry that is not a bound key (a bare key kept by
    /// an older version, bound to no address) is removed, never used.
    pub fn bound_key(&self) -> Option<(BoundKey, Keep)> {
        [Keep::Device, Keep::Tab].into_iter().find_map(|keep| {
            let store = self.store(keep);
            let raw = store.get(&device_key(KEY))?;
            match from_text::<BoundKey>(&raw) {
                Ok(bound) if !bound.address.is_empty() => Some((bound, keep)),
                _ => {
                    store.remove(&device_key(KEY));
                    None
                }
            }
        })
    }

    /// Keeps a key that a check just verified, where the operator chose (and nowhere else), and its address as
    /// the last one that worked. False when the browser refused to keep it.
    pub fn keep_key(&self, bound: &BoundKey, keep: Keep) -> bool {
        let other = match keep {
            Keep::Tab => Keep::Device,
            Keep::Device => Keep::Tab,
        };
        self.store(other).remove(&device_key(KEY));
        self.device.set(&device_key(ADDRESS), &bound.address);
        serde_json::to_string(bound).is_ok_and(|json| self.store(keep).set(&device_key(KEY), &json))
    }

    /// The last address a check succeeded with.
    pub fn last_address(&self) -> Option<String> {
        self.device
            .get(&device_key(ADDRESS))
            .filter(|a| !a.is_empty())
    }

    /// The site chosen last.
    pub fn site(&self) -> Option<String> {
        self.device.get(&device_key(SITE)).filter(|s| !s.is_empty())
    }

    /// Remembers the chosen site (none: forgets it).
    pub fn keep_site(&self, site: Option<&str>) {
        match site {
            Some(code) => {
                self.device.set(&device_key(SITE), code);
            }
            None => self.device.remove(&device_key(SITE)),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::device::MemoryStore;

    pub(crate) fn memory_stores() -> Stores {
        Stores {
            device: Rc::new(MemoryStore::default()),
            tab: Rc::new(MemoryStore::default()),
        }
    }

    fn bound(address: &str, key: &str) -> BoundKey {
        BoundKey {
            address: address.into(),
            key: key.into(),
        }
    }

    #[test]
    fn a_key_is_kept_in_one_place_with_its_address() {
        let stores = memory_stores();
        assert_eq!(stores.bound_key(), None);
        let a = bound("https://a.retailcrm.ru", "k1");
        assert!(stores.keep_key(&a, Keep::Tab));
        assert_eq!(stores.bound_key(), Some((a.clone(), Keep::Tab)));
        assert_eq!(stores.device.get("warehouse-panel.api-key"), None);
        assert!(stores.keep_key(&a, Keep::Device));
        assert_eq!(stores.bound_key(), Some((a.clone(), Keep::Device)));
        assert_eq!(stores.tab.get("warehouse-panel.api-key"), None);
        assert_eq!(
            stores.last_address().as_deref(),
            Some("https://a.retailcrm.ru")
        );
        let raw = stores.device.get("warehouse-panel.api-key").unwrap();
        assert!(raw.contains("https://a.retailcrm.ru") && raw.contains("k1"));
    }

    #[test]
    fn a_bare_key_of_an_older_version_is_dropped_not_used() {
        let stores = memory_stores();
        stores.device.set("warehouse-panel.api-key", "demo-key");
        stores
            .tab
            .set("warehouse-panel.api-key", r#"{"address":"","key":"k"}"#);
        assert_eq!(stores.bound_key(), None);
        assert!(stores.device.keys().is_empty() && stores.tab.keys().is_empty());
    }

    #[test]
    fn the_site_is_kept_and_cleared() {
        let stores = memory_stores();
        stores.keep_site(Some("shop-b"));
        assert_eq!(stores.site().as_deref(), Some("shop-b"));
        stores.keep_site(None);
        assert_eq!(stores.site(), None);
    }
}
