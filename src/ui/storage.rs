//! The browser's stores: localStorage for the device and sessionStorage for the tab where the browser allows them,
//! else memory for the page's life (a cross-site frame, storage switched off); IndexedDB for large entries; and the
//! Storage Access API that may lift the refusal inside a frame (the stores then move, entries and all, to the
//! storage the browser grants).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use futures_util::future::LocalBoxFuture;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::connection::flow::StorageAccess;
use crate::connection::keep::Stores;
use crate::device::{copy_ours, DeviceStore, LargeStore, MemoryStore};

/// localStorage or sessionStorage.
struct WebStore(web_sys::Storage);

impl DeviceStore for WebStore {
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

/// A store whose backing may change (memory, then the storage the browser granted); the entries move along.
struct Swappable(RefCell<Rc<dyn DeviceStore>>);

impl Swappable {
    fn new(storage: Option<web_sys::Storage>) -> Rc<Swappable> {
        let backing: Rc<dyn DeviceStore> = match storage {
            Some(storage) => Rc::new(WebStore(storage)),
            None => Rc::new(MemoryStore::default()),
        };
        Rc::new(Swappable(RefCell::new(backing)))
    }

    fn backing(&self) -> Rc<dyn DeviceStore> {
        self.0.borrow().clone()
    }

    fn swap(&self, storage: web_sys::Storage) {
        let next: Rc<dyn DeviceStore> = Rc::new(WebStore(storage));
        copy_ours(self.backing().as_ref(), next.as_ref());
        *self.0.borrow_mut() = next;
    }
}

impl DeviceStore for Swappable {
    fn get(&self, key: &str) -> Option<String> {
        self.backing().get(key)
    }
    fn set(&self, key: &str, value: &str) -> bool {
        self.backing().set(key, value)
    }
    fn remove(&self, key: &str) {
        self.backing().remove(key);
    }
    fn keys(&self) -> Vec<String> {
        self.backing().keys()
    }
}

/// The page's two stores and whether the browser refused them.
struct Browser {
    device: Rc<Swappable>,
    tab: Rc<Swappable>,
    refused: bool,
}

thread_local! {
    static BROWSER: Browser = {
        let window = web_sys::window();
        // In a cross-site frame that blocks storage, reading `localStorage` throws (SecurityError).
        let local = window.as_ref().and_then(|w| w.local_storage().ok().flatten());
        let session = window.as_ref().and_then(|w| w.session_storage().ok().flatten());
        Browser {
            refused: local.is_none() || session.is_none(),
            device: Swappable::new(local),
            tab: Swappable::new(session),
        }
    };
}

/// The store of this device (the same one for every screen).
pub fn device() -> Rc<dyn DeviceStore> {
    BROWSER.with(|b| b.device.clone())
}

/// The store of this tab's session.
pub fn tab() -> Rc<dyn DeviceStore> {
    BROWSER.with(|b| b.tab.clone())
}

/// Both stores, for the connection flow.
pub fn stores() -> Stores {
    Stores {
        device: device(),
        tab: tab(),
    }
}

/// A value remembered on this device.
pub fn local_get(key: &str) -> Option<String> {
    device().get(key)
}

/// Remembers a value on this device (in memory only where storage is refused).
pub fn local_set(key: &str, value: &str) {
    device().set(key, value);
}

/// What the browser lets the panel keep, as found when the page opened.
pub fn access() -> StorageAccess {
    if BROWSER.with(|b| b.refused) {
        StorageAccess::Blocked {
            can_ask: request_function().is_some(),
        }
    } else {
        StorageAccess::Kept
    }
}

/// Whether the panel runs inside another page (the CRM's, typically).
pub fn framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.top() {
        Ok(Some(top)) => !Object::is(&top, &window),
        // The top window exists but cannot be reached from here: another site's.
        _ => true,
    }
}

/// This page's own address, to open the panel in a tab of its own.
pub fn own_address() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// `document.requestStorageAccess`, where the browser offers it.
fn request_function() -> Option<Function> {
    let document = web_sys::window()?.document()?;
    Reflect::get(&document, &JsValue::from_str("requestStorageAccess"))
        .ok()?
        .dyn_into()
        .ok()
}

/// Calls `document.requestStorageAccess({localStorage, sessionStorage})` now (it must run inside the click's
/// handler: the browser allows the question only during a click) and returns its outcome: true when the browser's
/// storage is in use from then on, with what was kept in memory moved into it.
pub fn ask_access() -> impl Future<Output = bool> {
    let promise = request_function().and_then(|request| {
        let document = web_sys::window()?.document()?;
        let types = Object::new();
        for name in ["localStorage", "sessionStorage"] {
            Reflect::set(&types, &JsValue::from_str(name), &JsValue::TRUE).ok()?;
        }
        request
            .call1(&document, &types)
            .ok()?
            .dyn_into::<Promise>()
            .ok()
    });
    async move {
        match promise {
            Some(promise) => use_granted(JsFuture::from(promise).await.ok()),
            None => false,
        }
    }
}

/// At start inside a frame that blocks storage: when the operator granted access before, asks again (the browser
/// answers without a click then). `None` when there was nothing to ask.
pub async fn restore_access() -> Option<bool> {
    if access() != (StorageAccess::Blocked { can_ask: true }) || !permission_granted().await {
        return None;
    }
    Some(ask_access().await)
}

/// Whether `navigator.permissions` says storage access was granted to this page before.
async fn permission_granted() -> bool {
    let query = || -> Option<Promise> {
        let navigator = web_sys::window()?.navigator();
        let permissions = Reflect::get(&navigator, &JsValue::from_str("permissions")).ok()?;
        let query: Function = Reflect::get(&permissions, &JsValue::from_str("query"))
            .ok()?
            .dyn_into()
            .ok()?;
        let descriptor = Object::new();
        Reflect::set(
            &descriptor,
            &JsValue::from_str("name"),
            &JsValue::from_str("storage-access"),
        )
        .ok()?;
        query.call1(&permissions, &descriptor).ok()?.dyn_into().ok()
    };
    let Some(promise) = query() else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|status| Reflect::get(&status, &JsValue::from_str("state")).ok())
        .and_then(|state| state.as_string())
        .is_some_and(|state| state == "granted")
}

/// Moves both stores to the storages of a granted handle; false when the handle gives no usable storage.
fn use_granted(handle: Option<JsValue>) -> bool {
    let storage = |name: &str| -> Option<web_sys::Storage> {
        let storage: web_sys::Storage = Reflect::get(handle.as_ref()?, &JsValue::from_str(name))
            .ok()?
            .dyn_into()
            .ok()?;
        storage.length().ok().map(|_| storage)
    };
    match (storage("localStorage"), storage("sessionStorage")) {
        (Some(local), Some(session)) => {
            BROWSER.with(|b| {
                b.device.swap(local);
                b.tab.swap(session);
            });
            true
        }
        _ => false,
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

    fn clear(&self) {
        let factory = self.factory.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = Self::request(factory, web_sys::IdbTransactionMode::Readwrite, |s| {
                s.clear()
            })
            .await;
        });
    }
}
