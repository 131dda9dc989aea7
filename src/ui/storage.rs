//! The device store of the browser: localStorage where the browser allows it, else memory for the tab's life (a
//! cross-site frame, storage disabled); and sessionStorage for what lasts only as long as the tab.

use std::rc::Rc;

use crate::device::{DeviceStore, MemoryStore};

/// localStorage.
struct LocalStore(web_sys::Storage);

impl DeviceStore for LocalStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) -> bool {
        self.0.set_item(key, value).is_ok()
    }
    fn remove(&self, key: &str) {
        let _ = self.0.remove_item(key);
    }
    fn keys(&self) -> Vec<String> {
        let n = self.0.length().unwrap_or(0);
        (0..n)
            .filter_map(|i| self.0.key(i).ok().flatten())
            .collect()
    }
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

thread_local! {
    static DEVICE: Rc<dyn DeviceStore> = match local() {
        Some(storage) => Rc::new(LocalStore(storage)),
        None => Rc::new(MemoryStore::default()),
    };
}

/// The store of this device (the same one for every screen).
pub fn device() -> Rc<dyn DeviceStore> {
    DEVICE.with(Rc::clone)
}

/// A value remembered on this device.
pub fn local_get(key: &str) -> Option<String> {
    device().get(key)
}

/// Remembers a value on this device (in memory only where storage is refused).
pub fn local_set(key: &str, value: &str) {
    device().set(key, value);
}

/// Forgets a value remembered on this device.
pub fn local_remove(key: &str) {
    device().remove(key);
}

/// A value kept for this browser tab's session only.
pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok().flatten()
}

/// Keeps a value for this tab's session only.
pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(key, value);
    }
}

/// Forgets a session value.
pub fn session_remove(key: &str) {
    if let Some(s) = session() {
        let _ = s.remove_item(key);
    }
}
