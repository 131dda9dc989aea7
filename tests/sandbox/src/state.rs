//! The account held in memory (sites, warehouses, catalog, stock, orders, modules) and the server state.

use crate::faults::Faults;
use crate::rate_limit::RateLimiter;
use crate::rng::Rng;
use crate::Config;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

/// A shop ("site") of the account.
#[derive(Debug, Clone)]
pub struct Site {
    pub code: String,
    pub name: String,
    pub url: String,
}

/// How a warehouse counts stock: real quantities, or only "in stock" (1) / "not in stock" (0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InventoryType {
    Integer,
    Available,
}

impl InventoryType {
    pub fn as_str(self) -> &'static str {
        match self {
            InventoryType::Integer => "integer",
            InventoryType::Available => "available",
        }
    }
}

/// A warehouse (`/reference/stores`).
#[derive(Debug, Clone)]
pub struct Store {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub inventory_type: InventoryType,
    pub active: bool,
    pub external_id: String,
    pub address: String,
}

/// A product group; the tree is built through `parent`.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: u64,
    pub external_id: String,
    pub name: String,
    pub site: usize,
    pub parent: Option<u64>,
    pub lvl: u32,
    pub active: bool,
}

/// A product property definition (`/store/products/properties`).
#[derive(Debug, Clone)]
pub struct Property {
    pub code: String,
    pub name: String,
    pub sites: Vec<usize>,
    pub groups: Vec<u64>,
    pub is_numeric: bool,
    pub visible: bool,
    pub variative: bool,
}

/// A product; its offers are indexes into `World::offers`.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: u64,
    pub external_id: String,
    pub name: String,
    pub article: String,
    pub group: u64,
    pub site: usize,
    pub active: bool,
    pub manufacturer: String,
    pub properties: Vec<(String, String)>,
    pub offers: Vec<usize>,
}

/// Stock of one offer in one warehouse.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leftover {
    pub quantity: f64,
    pub purchase_price: Option<f64>,
}

/// An offer (SKU); `stock[i]` is its leftover in `World::stores[i]`.
#[derive(Debug, Clone)]
pub struct Offer {
    pub id: u64,
    pub external_id: String,
    pub xml_id: String,
    pub article: String,
    pub name: String,
    pub product: usize,
    pub site: usize,
    pub active: bool,
    pub price: f64,
    pub purchase_price: Option<f64>,
    pub barcode: String,
    pub properties: Vec<(String, String)>,
    pub stock: Vec<Option<Leftover>>,
}

/// A line of an order.
#[derive(Debug, Clone)]
pub struct OrderItem {
    pub id: u64,
    pub offer: usize,
    pub quantity: f64,
    pub price: f64,
}

/// An order with the shipment fields a warehouse system edits.
#[derive(Debug, Clone)]
pub struct Order {
    pub id: u64,
    pub external_id: String,
    pub number: String,
    pub site: usize,
    pub status: String,
    pub created_at: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub shipped: bool,
    pub shipment_store: Option<String>,
    pub shipment_date: Option<String>,
    pub manager_comment: Option<String>,
    pub items: Vec<OrderItem>,
}

/// Everything the account holds.
#[derive(Debug, Default)]
pub struct World {
    pub sites: Vec<Site>,
    pub stores: Vec<Store>,
    pub groups: Vec<Group>,
    pub properties: Vec<Property>,
    pub products: Vec<Product>,
    pub offers: Vec<Offer>,
    pub orders: Vec<Order>,
    /// Registered integration modules by code, stored as given (unknown fields kept).
    pub modules: BTreeMap<String, Value>,
    pub by_external_id: HashMap<(usize, String), usize>,
    pub by_xml_id: HashMap<(usize, String), usize>,
}

impl World {
    /// Offer ids are dense (`id = index + 1`), so this is O(1).
    pub fn offer_by_id(&self, id: u64) -> Option<usize> {
        let index = usize::try_from(id.checked_sub(1)?).ok()?;
        self.offers.get(index).filter(|o| o.id == id).map(|_| index)
    }

    pub fn offer_by_external_id(&self, site: usize, external_id: &str) -> Option<usize> {
        self.by_external_id
            .get(&(site, external_id.to_string()))
            .copied()
    }

    pub fn offer_by_xml_id(&self, site: usize, xml_id: &str) -> Option<usize> {
        self.by_xml_id.get(&(site, xml_id.to_string())).copied()
    }

    pub fn site_index(&self, code: &str) -> Option<usize> {
        self.sites.iter().position(|s| s.code == code)
    }

    pub fn store_index(&self, code: &str) -> Option<usize> {
        self.stores.iter().position(|s| s.code == code)
    }

    /// Offer-level quantity: the sum over warehouses.
    pub fn offer_quantity(&self, offer: usize) -> f64 {
        self.offers[offer]
            .stock
            .iter()
            .flatten()
            .map(|l| l.quantity)
            .sum()
    }

    /// The active module that declares a warehouse integration (`integrations.store`), if any.
    pub fn warehouse_module(&self) -> Option<&Value> {
        self.modules.values().find(|m| {
            m.get("active").and_then(Value::as_bool).unwrap_or(false)
                && m.pointer("/integrations/store")
                    .is_some_and(|s| !s.is_null())
        })
    }

    /// Sets the stock of an offer in a warehouse. `available` goes through the warehouse's rule
    /// (an `available` warehouse keeps only 0 or 1); an absent value leaves the field unchanged.
    /// A purchase price also becomes the offer-level `purchasePrice` (sandbox choice).
    pub fn set_leftover(
        &mut self,
        offer: usize,
        store: usize,
        available: Option<f64>,
        purchase_price: Option<f64>,
    ) {
        let inventory_type = self.stores[store].inventory_type;
        let target = &mut self.offers[offer];
        let mut leftover = target.stock[store].unwrap_or(Leftover {
            quantity: 0.0,
            purchase_price: None,
        });
        if let Some(available) = available {
            leftover.quantity = match inventory_type {
                InventoryType::Available if available > 0.0 => 1.0,
                InventoryType::Available => 0.0,
                InventoryType::Integer => available,
            };
        }
        if let Some(price) = purchase_price {
            leftover.purchase_price = Some(price);
            target.purchase_price = Some(price);
        }
        target.stock[store] = Some(leftover);
    }
}

/// The whole server: configuration, the account, and the test-time knobs.
#[derive(Debug)]
pub struct Sandbox {
    pub config: Config,
    /// `http://host:port` as bound (the seed module's callback points here).
    pub base_url: String,
    pub world: Mutex<World>,
    pub faults: Mutex<Faults>,
    pub limiter: Mutex<RateLimiter>,
    pub requests: Mutex<VecDeque<Value>>,
    pub counts: Mutex<crate::request_log::Counts>,
    pub callbacks: Mutex<VecDeque<Value>>,
    pub dice: Mutex<Rng>,
    pub http: reqwest::Client,
}

pub type AppState = Arc<Sandbox>;

/// Locks a mutex; a panic elsewhere must not take the whole sandbox down with it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Appends to a bounded log, dropping the oldest entries.
pub fn push_bounded(log: &Mutex<VecDeque<Value>>, entry: Value, cap: usize) {
    let mut log = lock(log);
    if log.len() >= cap {
        log.pop_front();
    }
    log.push_back(entry);
}

/// A JSON number as the CRM writes it: integers without a fractional part.
pub fn num(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}
