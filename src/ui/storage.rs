//! The device stores of the browser: localStorage (small entries) and IndexedDB (large ones) where the browser allows
//! them, else memory for the tab's life (a cross-site frame, storage disabled); and sessionStorage for what lasts only
//! as long as the tab.

use std::rc::Rc;

use futures_util::future::LocalBoxFuture;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::device::{DeviceStore, LargeStore, MemoryStore};

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

/// The large-value store: IndexedDB where the browser offers it, else the same memory as [`device`]'s fallback.
pub fn large() -> Rc<dyn LargeStore> {
    LARGE.with(Rc::clone)
}

thread_local! {
    static LARGE: Rc<dyn LargeStore> = match web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) {
        Some(factory) => Rc::new(IdbStore { factory }),
        None => Rc::new(MemoryStore::default()),
    };
}

/// The IndexedDB database and its one object store of strings.
const IDB_NAME: &str = "warehouse-panel";
const IDB_STORE: &str = "values";

/// Large values in IndexedDB (a database of one object store, keys = the device store's entry names).
struct IdbStore {
    factory: web_sys::IdbFactory,
}

/// The result of an IndexedDB request, once it succeeds or fails.
async fn settled(request: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |event: web_sys::Event| {
            let result = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let failed = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(failed.unchecked_ref()));
    });
    wasm_bindgen_futures::JsFuture::from(promise).await
}

impl IdbStore {
    async fn database(factory: web_sys::IdbFactory) -> Result<web_sys::IdbDatabase, JsValue> {
        let open = factory.open_with_u32(IDB_NAME, 1)?;
        let upgrade = Closure::once_into_js(move |event: web_sys::Event| {
            let db = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok());
            // Version 1 is the first: the store is new (an error if it exists changes nothing).
            if let Some(db) = db {
                let _ = db.create_object_store(IDB_STORE);
            }
        });
        open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        settled(&open).await?.dyn_into::<web_sys::IdbDatabase>()
    }

    async fn request(
        factory: web_sys::IdbFactory,
        mode: web_sys::IdbTransactionMode,
        make: impl FnOnce(&web_sys::IdbObjectStore) -> Result<web_sys::IdbRequest, JsValue>,
    ) -> Result<JsValue, JsValue> {
        let db = Self::database(factory).await?;
        let store = db
            .transaction_with_str_and_mode(IDB_STORE, mode)?
            .object_store(IDB_STORE)?;
        let result = settled(&make(&store)?).await;
        db.close();
        result
    }
}

impl LargeStore for IdbStore {
    fn put(&self, key: &str, value: String) -> LocalBoxFuture<'static, bool> {
        let (factory, key) = (self.factory.clone(), JsValue::from_str(key));
        Box::pin(async move {
            Self::request(factory, web_sys::IdbTransactionMode::Readwrite, |s| {
                s.put_with_key(&JsValue::from_str(&value), &key)
            })
            .await
            .is_ok()
        })
    }

    fn get(&self, key: &str) -> LocalBoxFuture<'static, Option<String>> {
        let (factory, key) = (self.factory.clone(), JsValue::from_str(key));
        Box::pin(async move {
            Self::request(factory, web_sys::IdbTransactionMode::Readonly, |s| {
                s.get(&key)
            })
            .await
            .ok()?
            .as_string()
        })
    }

    fn remove(&self, key: &str) {
        let (factory, key) = (self.factory.clone(), JsValue::from_str(key));
        wasm_bindgen_futures::spawn_local(async move {
            let _ = Self::request(factory, web_sys::IdbTransactionMode::Readwrite, |s| {
                s.delete(&key)
            })
            .await;
        });
    }
}
