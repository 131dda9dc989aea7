//! Deterministic demo data: warehouses, two sites, a product-group tree, products, offers, stock, orders.

use crate::dates;
use crate::reference::ORDER_STATUSES;
use crate::rng::Rng;
use crate::state::{
    Group, InventoryType, Leftover, Offer, Order, OrderItem, Product, Property, Site, Store, World,
};
use serde_json::{json, Value};

/// Sizes and switches of the seeded account.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    /// Number of offers (products get 1–3 offers each).
    pub offers: usize,
    /// Number of warehouses (at least 1; the first five are `main`, `north`, `south`,
    /// `pickup` (`available` type), `archive` (inactive)).
    pub stores: usize,
    pub orders: usize,
    /// Seed of the pseudo-random generator: same seed, same data.
    pub seed: u64,
    /// Start with the demo warehouse module registered (active, with an `inventoriesUpload` action).
    pub module: bool,
}

impl Default for Seed {
    fn default() -> Seed {
        Seed {
            offers: 3000,
            stores: 5,
            orders: 200,
            seed: 42,
            module: true,
        }
    }
}

/// The seeded module's code, client id, callback path and call points.
pub const MODULE_CODE: &str = "demo-wms";
pub const MODULE_CLIENT_ID: &str = "demo-client-id";
pub const CALLBACK_PATH: &str = "/callback/inventories";
/// Invented call-point names: the real list is UNCONFIRMED (not in any readable public source).
pub const CALL_POINTS: [&str; 2] = ["order_create", "manual"];

const STORES: [(&str, &str, &str, InventoryType, bool); 9] = [
    (
        "main",
        "Main warehouse",
        "store-type-warehouse",
        InventoryType::Integer,
        true,
    ),
    (
        "north",
        "North warehouse",
        "store-type-warehouse",
        InventoryType::Integer,
        true,
    ),
    (
        "south",
        "South warehouse",
        "store-type-warehouse",
        InventoryType::Integer,
        true,
    ),
    (
        "pickup",
        "Pickup point",
        "store-type-retail",
        InventoryType::Available,
        true,
    ),
    (
        "archive",
        "Old warehouse (closed)",
        "store-type-warehouse",
        InventoryType::Integer,
        false,
    ),
    (
        "east",
        "East warehouse",
        "store-type-warehouse",
        InventoryType::Integer,
        true,
    ),
    (
        "west",
        "West warehouse",
        "store-type-warehouse",
        InventoryType::Integer,
        true,
    ),
    (
        "online",
        "Online stock",
        "store-type-online",
        InventoryType::Integer,
        true,
    ),
    (
        "supplier",
        "Supplier stock",
        "store-type-supplier",
        InventoryType::Integer,
        true,
    ),
];
const CITIES: [&str; 5] = ["Moscow", "Kazan", "Samara", "Tver", "Perm"];
const TOP_GROUPS: [&str; 3] = ["Apparel", "Electronics", "Home"];
const MID_GROUPS: [&str; 3] = ["Basics", "Premium", "Outlet"];
const LEAF_GROUPS: [&str; 2] = ["New", "Classic"];
const NOUNS: [&str; 8] = [
    "T-shirt",
    "Hoodie",
    "Lamp",
    "Kettle",
    "Headphones",
    "Mug",
    "Backpack",
    "Charger",
];
const ADJECTIVES: [&str; 6] = ["Basic", "Smart", "Cozy", "Urban", "Compact", "Classic"];
const COLORS: [&str; 5] = ["black", "white", "red", "blue", "green"];
const SIZES: [&str; 4] = ["S", "M", "L", "XL"];
const BRANDS: [&str; 4] = ["Acme", "Nordic", "Volga", "Polar"];
const MATERIALS: [&str; 3] = ["cotton", "steel", "plastic"];
const FIRST_NAMES: [&str; 5] = ["Anna", "Ivan", "Olga", "Petr", "Maria"];
const LAST_NAMES: [&str; 5] = ["Ivanova", "Petrov", "Sidorova", "Smirnov", "Kuznetsova"];
/// 2025-01-01 00:00:00 UTC: orders are created from here on.
const EPOCH_2025: i64 = 1_735_689_600;

/// Builds the whole account from `seed`; `base_url` is where the demo module's callback points.
pub fn world(seed: &Seed, base_url: &str) -> World {
    let mut rng = Rng::new(seed.seed);
    let mut world = World {
        sites: sites(),
        stores: stores(seed.stores.max(1)),
        ..World::default()
    };
    world.groups = groups(&world.sites);
    world.properties = properties(&world.groups);
    catalog(&mut world, &mut rng, seed.offers);
    orders(&mut world, &mut rng, seed.orders);
    if seed.module {
        world
            .modules
            .insert(MODULE_CODE.to_string(), demo_module(base_url));
    }
    world
}

/// The module the sandbox starts with: active, its callback answered by the built-in responder.
pub fn demo_module(base_url: &str) -> Value {
    json!({
        "code": MODULE_CODE,
        "integrationCode": MODULE_CODE,
        "active": true,
        "freeze": false,
        "native": false,
        "name": "Demo WMS",
        "logo": format!("{base_url}/_sandbox/logo.svg"),
        "clientId": MODULE_CLIENT_ID,
        "baseUrl": format!("{base_url}/_responder"),
        "accountUrl": format!("{base_url}/"),
        "availableCountries": [],
        "integrations": {"store": {"actions": [
            {"code": "inventoriesUpload", "url": CALLBACK_PATH, "callPoints": CALL_POINTS}
        ]}}
    })
}

fn sites() -> Vec<Site> {
    vec![
        Site {
            code: "shop-a".into(),
            name: "Shop A".into(),
            url: "https://shop-a.example.com".into(),
        },
        Site {
            code: "shop-b".into(),
            name: "Shop B".into(),
            url: "https://shop-b.example.com".into(),
        },
    ]
}

fn stores(count: usize) -> Vec<Store> {
    (0..count)
        .map(|i| {
            let (code, name, kind, inventory_type, active) = STORES.get(i).copied().unwrap_or((
                "",
                "",
                "store-type-warehouse",
                InventoryType::Integer,
                true,
            ));
            let (code, name) = if code.is_empty() {
                (format!("store-{}", i + 1), format!("Warehouse {}", i + 1))
            } else {
                (code.to_string(), name.to_string())
            };
            Store {
                external_id: format!("wh-{}", i + 1),
                address: format!("{}, Warehouse street {}", CITIES[i % CITIES.len()], i + 1),
                code,
                name,
                kind,
                inventory_type,
                active,
            }
        })
        .collect()
}

/// Per site: 3 top groups, 3 children each, 2 grandchildren each (3 levels).
fn groups(sites: &[Site]) -> Vec<Group> {
    let mut groups = Vec::new();
    let add = |groups: &mut Vec<Group>, site, parent, lvl, name: String| {
        let id = groups.len() as u64 + 1;
        groups.push(Group {
            id,
            external_id: format!("group-{id:03}"),
            name,
            site,
            parent,
            lvl,
            active: !id.is_multiple_of(17),
        });
        id
    };
    for site in 0..sites.len() {
        for top in TOP_GROUPS {
            let top_id = add(&mut groups, site, None, 1, top.to_string());
            for mid in MID_GROUPS {
                let mid_id = add(&mut groups, site, Some(top_id), 2, format!("{top} {mid}"));
                for leaf in LEAF_GROUPS {
                    add(
                        &mut groups,
                        site,
                        Some(mid_id),
                        3,
                        format!("{top} {mid} {leaf}"),
                    );
                }
            }
        }
    }
    groups
}

fn properties(groups: &[Group]) -> Vec<Property> {
    let top: Vec<u64> = groups.iter().filter(|g| g.lvl == 1).map(|g| g.id).collect();
    let property =
        |code: &str, name: &str, numeric, visible, variative, groups: Vec<u64>| Property {
            code: code.into(),
            name: name.into(),
            sites: vec![0, 1],
            groups,
            is_numeric: numeric,
            visible,
            variative,
        };
    vec![
        property("color", "Color", false, true, true, Vec::new()),
        property("size", "Size", false, true, true, vec![top[0]]),
        property("brand", "Brand", false, true, false, Vec::new()),
        property("weight", "Weight, g", true, true, false, Vec::new()),
        property("material", "Material", false, false, false, top.clone()),
    ]
}

fn catalog(world: &mut World, rng: &mut Rng, offer_count: usize) {
    let leaves: Vec<Vec<u64>> = (0..world.sites.len())
        .map(|site| {
            world
                .groups
                .iter()
                .filter(|g| g.site == site && g.lvl == 3)
                .map(|g| g.id)
                .collect()
        })
        .collect();
    let store_count = world.stores.len();
    while world.offers.len() < offer_count {
        let p = world.products.len();
        let site = p % world.sites.len();
        let name = format!("{} {}", rng.pick(&ADJECTIVES), rng.pick(&NOUNS));
        let article = format!("ART-{:06}", p + 1);
        let per_product = (1 + rng.below(3) as usize).min(offer_count - world.offers.len());
        let base_price = (100 + rng.below(4900)) as f64;
        let mut offers = Vec::new();
        for k in 0..per_product {
            let index = world.offers.len();
            let n = index + 1;
            let color = *rng.pick(&COLORS);
            let size = *rng.pick(&SIZES);
            let price = base_price + (k as f64) * 50.0;
            let stock = (0..store_count)
                .map(|s| leftover(rng, &world.stores[s], price))
                .collect();
            let offer = Offer {
                id: n as u64,
                external_id: format!("offer-{n:06}"),
                xml_id: format!("xml-{n:06}"),
                article: format!("{article}-{}", k + 1),
                name: format!("{name} {color} {size}"),
                product: p,
                site,
                active: !n.is_multiple_of(23),
                price,
                purchase_price: rng.chance(0.7).then(|| round2(price * 0.6)),
                barcode: format!("46{:011}", n),
                properties: vec![("color".into(), color.into()), ("size".into(), size.into())],
                stock,
            };
            world
                .by_external_id
                .insert((site, offer.external_id.clone()), index);
            world.by_xml_id.insert((site, offer.xml_id.clone()), index);
            world.offers.push(offer);
            offers.push(index);
        }
        world.products.push(Product {
            id: p as u64 + 1,
            external_id: format!("product-{:06}", p + 1),
            name,
            article,
            group: *rng.pick(&leaves[site]),
            site,
            active: !(p + 1).is_multiple_of(29),
            manufacturer: rng.pick(&BRANDS).to_string(),
            properties: vec![
                ("brand".into(), rng.pick(&BRANDS).to_string()),
                ("weight".into(), (100 + rng.below(900)).to_string()),
                ("material".into(), rng.pick(&MATERIALS).to_string()),
            ],
            offers,
        });
    }
}

fn leftover(rng: &mut Rng, store: &Store, price: f64) -> Option<Leftover> {
    let present = if store.active { 0.85 } else { 0.3 };
    if !rng.chance(present) {
        return None;
    }
    let quantity = match store.inventory_type {
        InventoryType::Available => rng.below(2) as f64,
        InventoryType::Integer if rng.chance(0.1) => 0.0,
        InventoryType::Integer => rng.below(120) as f64,
    };
    Some(Leftover {
        quantity,
        purchase_price: rng.chance(0.6).then(|| round2(price * 0.55)),
    })
}

fn orders(world: &mut World, rng: &mut Rng, count: usize) {
    let by_site: Vec<Vec<usize>> = (0..world.sites.len())
        .map(|site| {
            (0..world.offers.len())
                .filter(|&i| world.offers[i].site == site)
                .collect()
        })
        .collect();
    let statuses: Vec<&str> = ORDER_STATUSES
        .iter()
        .filter(|s| s.active)
        .map(|s| s.code)
        .collect();
    let mut item_id = 0;
    for i in 0..count {
        let site = i % world.sites.len();
        let status = *rng.pick(&statuses);
        let shipped = status == "complete";
        let created = EPOCH_2025 + i as i64 * 11_797;
        let mut items = Vec::new();
        for _ in 0..(1 + rng.below(3)) {
            if by_site[site].is_empty() {
                break;
            }
            let offer = *rng.pick(&by_site[site]);
            item_id += 1;
            items.push(OrderItem {
                id: item_id,
                offer,
                quantity: (1 + rng.below(3)) as f64,
                price: world.offers[offer].price,
            });
        }
        world.orders.push(Order {
            id: i as u64 + 1,
            external_id: format!("order-{:06}", i + 1),
            number: format!("{}A", 1001 + i),
            site,
            status: status.to_string(),
            created_at: dates::ymd_hms(created),
            first_name: rng.pick(&FIRST_NAMES).to_string(),
            last_name: rng.pick(&LAST_NAMES).to_string(),
            phone: format!("+7900{:07}", rng.below(10_000_000)),
            shipped,
            shipment_store: shipped.then(|| world.stores[0].code.clone()),
            shipment_date: shipped.then(|| dates::ymd(created.div_euclid(86_400) + 2)),
            manager_comment: None,
            items,
        });
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_deterministic_and_sized() {
        let seed = Seed {
            offers: 500,
            orders: 20,
            ..Seed::default()
        };
        let a = world(&seed, "http://x");
        let b = world(&seed, "http://x");
        assert_eq!(a.offers.len(), 500);
        assert_eq!(a.orders.len(), 20);
        assert_eq!(a.stores.len(), 5);
        assert!(a.groups.iter().any(|g| g.lvl == 3));
        assert_eq!(a.offers[42].stock, b.offers[42].stock);
        assert_eq!(
            a.offer_by_external_id(a.offers[7].site, "offer-000008"),
            Some(7)
        );
        assert!(a.warehouse_module().is_some());
    }
}
