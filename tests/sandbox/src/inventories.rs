//! Stock: `GET /store/inventories` (filters, paging, per-warehouse details) and `POST /store/inventories/upload`.

use crate::auth::{ApiCall, Scope};
use crate::encoding::input_error;
use crate::error::{ApiError, ApiResult};
use crate::pagination::Page;
use crate::request_log::OfferCount;
use crate::state::{lock, num, AppState, World};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// Most offers one upload may carry.
pub const UPLOAD_LIMIT: usize = 250;

pub async fn list(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::StoreRead)?;
    let page = Page::from_params(&call.params)?;
    let world = lock(&state.world);
    let filter = Filter::from_call(&call, &world)?;
    let details = call.params.flag(&["filter", "details"])?.unwrap_or(false);
    let (total, chosen) = filter.page(&world, page);
    let offers: Vec<Value> = chosen
        .iter()
        .map(|&i| inventory_json(&world, i, details))
        .collect();
    let count = offers.len();
    let body = json!({"success": true, "pagination": page.pagination(total), "offers": offers});
    Ok((Extension(OfferCount(count)), Json(body)).into_response())
}

/// One offer as `/store/inventories` shows it; `stores` only with `details`.
pub fn inventory_json(world: &World, index: usize, details: bool) -> Value {
    let offer = &world.offers[index];
    let mut value = json!({
        "id": offer.id,
        "externalId": offer.external_id,
        "xmlId": offer.xml_id,
        "site": world.sites[offer.site].code,
        "quantity": num(world.offer_quantity(index)),
    });
    if let Some(price) = offer.purchase_price {
        value["purchasePrice"] = num(price);
    }
    if details {
        let stores: Vec<Value> = offer
            .stock
            .iter()
            .enumerate()
            .filter_map(|(s, leftover)| {
                let leftover = leftover.as_ref()?;
                let mut item =
                    json!({"store": world.stores[s].code, "quantity": num(leftover.quantity)});
                if let Some(price) = leftover.purchase_price {
                    item["purchasePrice"] = num(price);
                }
                Some(item)
            })
            .collect();
        value["stores"] = Value::from(stores);
    }
    value
}

/// The filters of `/store/inventories`, all ANDed.
struct Filter {
    ids: Vec<u64>,
    external_ids: Vec<String>,
    xml_ids: Vec<String>,
    product_external_id: Option<String>,
    product_articles: HashSet<String>,
    offer_articles: HashSet<String>,
    product_active: Option<bool>,
    offer_active: Option<bool>,
    sites: Vec<usize>,
}

impl Filter {
    fn from_call(call: &ApiCall, world: &World) -> Result<Filter, ApiError> {
        let p = &call.params;
        let strings = |name: &str| -> Vec<String> {
            p.list(&["filter", name])
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect()
        };
        let mut sites = Vec::new();
        for code in strings("sites") {
            let site = world
                .site_index(&code)
                .ok_or_else(|| input_error(&["filter", "sites"], "Unknown site code."))?;
            sites.push(site);
        }
        Ok(Filter {
            ids: p.ids(&["filter", "ids"])?,
            external_ids: strings("offerExternalId"),
            xml_ids: strings("offerXmlId"),
            product_external_id: p
                .get(&["filter", "productExternalId"])
                .filter(|v| !v.is_empty())
                .map(str::to_string),
            product_articles: strings("productArticle").into_iter().collect(),
            offer_articles: strings("offerArticle").into_iter().collect(),
            product_active: p.flag(&["filter", "productActive"])?,
            offer_active: p.flag(&["filter", "offerActive"])?,
            sites,
        })
    }

    /// Total matches and the offer indexes of the page. Id filters go through the indexes;
    /// without any filter the page is a plain slice.
    fn page(&self, world: &World, page: Page) -> (usize, Vec<usize>) {
        let candidates: Option<Vec<usize>> = if !self.ids.is_empty() {
            Some(
                self.ids
                    .iter()
                    .filter_map(|&id| world.offer_by_id(id))
                    .collect(),
            )
        } else if !self.external_ids.is_empty() {
            Some(self.by_site_index(world, &self.external_ids, World::offer_by_external_id))
        } else if !self.xml_ids.is_empty() {
            Some(self.by_site_index(world, &self.xml_ids, World::offer_by_xml_id))
        } else {
            None
        };
        match candidates {
            Some(mut found) => {
                found.sort_unstable();
                found.dedup();
                found.retain(|&i| self.matches(world, i));
                let range = page.range(found.len());
                (found.len(), found[range].to_vec())
            }
            None if self.is_empty() => {
                let range = page.range(world.offers.len());
                (world.offers.len(), range.collect())
            }
            None => {
                let range = page.range(usize::MAX);
                let mut total = 0;
                let mut chosen = Vec::new();
                for i in (0..world.offers.len()).filter(|&i| self.matches(world, i)) {
                    if range.contains(&total) {
                        chosen.push(i);
                    }
                    total += 1;
                }
                (total, chosen)
            }
        }
    }

    fn by_site_index(
        &self,
        world: &World,
        keys: &[String],
        lookup: fn(&World, usize, &str) -> Option<usize>,
    ) -> Vec<usize> {
        let all_sites: Vec<usize> = (0..world.sites.len()).collect();
        let sites = if self.sites.is_empty() {
            &all_sites
        } else {
            &self.sites
        };
        keys.iter()
            .flat_map(|key| sites.iter().filter_map(move |&s| lookup(world, s, key)))
            .collect()
    }

    fn is_empty(&self) -> bool {
        self.ids.is_empty()
            && self.external_ids.is_empty()
            && self.xml_ids.is_empty()
            && self.product_external_id.is_none()
            && self.product_articles.is_empty()
            && self.offer_articles.is_empty()
            && self.product_active.is_none()
            && self.offer_active.is_none()
            && self.sites.is_empty()
    }

    fn matches(&self, world: &World, index: usize) -> bool {
        let offer = &world.offers[index];
        let product = &world.products[offer.product];
        (self.ids.is_empty() || self.ids.contains(&offer.id))
            && (self.external_ids.is_empty() || self.external_ids.contains(&offer.external_id))
            && (self.xml_ids.is_empty() || self.xml_ids.contains(&offer.xml_id))
            && self
                .product_external_id
                .as_ref()
                .is_none_or(|e| *e == product.external_id)
            && (self.product_articles.is_empty()
                || self.product_articles.contains(&product.article))
            && (self.offer_articles.is_empty() || self.offer_articles.contains(&offer.article))
            && self.product_active.is_none_or(|a| a == product.active)
            && self.offer_active.is_none_or(|a| a == offer.active)
            && (self.sites.is_empty() || self.sites.contains(&offer.site))
    }
}

/// How an uploaded offer names itself.
#[derive(Debug, Clone)]
pub enum OfferKey {
    Id(u64),
    ExternalId(String),
    XmlId(String),
}

impl OfferKey {
    /// Reads `id`, else `externalId`, else `xmlId` of an offer object.
    pub fn of(offer: &Map<String, Value>) -> Option<OfferKey> {
        if let Some(id) = offer.get("id").and_then(Value::as_u64) {
            return Some(OfferKey::Id(id));
        }
        if let Some(e) = offer.get("externalId").and_then(Value::as_str) {
            return Some(OfferKey::ExternalId(e.to_string()));
        }
        offer
            .get("xmlId")
            .and_then(Value::as_str)
            .map(|x| OfferKey::XmlId(x.to_string()))
    }

    pub fn needs_site(&self) -> bool {
        !matches!(self, OfferKey::Id(_))
    }

    /// Finds the offer; `externalId`/`xmlId` are looked up within `site`.
    pub fn find(&self, world: &World, site: Option<usize>) -> Option<usize> {
        match self {
            OfferKey::Id(id) => world.offer_by_id(*id),
            OfferKey::ExternalId(e) => world.offer_by_external_id(site?, e),
            OfferKey::XmlId(x) => world.offer_by_xml_id(site?, x),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            OfferKey::Id(id) => json!({"id": id}),
            OfferKey::ExternalId(e) => json!({"externalId": e}),
            OfferKey::XmlId(x) => json!({"xmlId": x}),
        }
    }
}

/// One validated `stores[]` item of an upload.
struct StoreUpdate {
    store: usize,
    available: Option<f64>,
    purchase_price: Option<f64>,
}

/// `POST /store/inventories/upload`. Sandbox rules where the real API is UNCONFIRMED: any invalid
/// item (unknown warehouse code included) rejects the whole request with 400 and nothing is
/// applied; `externalId`/`xmlId` need `site` because the account has two sites; `id` ignores `site`;
/// `available` > 0 on an `available` warehouse is stored as 1; an absent `available` or
/// `purchasePrice` leaves that value unchanged.
pub async fn upload(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::StoreWrite)?;
    let offers = call.params.json_field("offers")?;
    let Some(offers) = offers.as_array() else {
        return Err(ApiError::validation(
            json!({"offers": "This value should be of type array."}),
        ));
    };
    if offers.is_empty() {
        return Err(ApiError::validation(
            json!({"offers": "This collection should contain 1 element or more."}),
        ));
    }
    if offers.len() > UPLOAD_LIMIT {
        return Err(ApiError::validation(json!({"offers": format!(
            "This collection should contain {UPLOAD_LIMIT} elements or less (got {}).",
            offers.len()
        )})));
    }
    let mut world = lock(&state.world);
    let site = match call.params.get(&["site"]).filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(world.site_index(code).ok_or_else(|| {
            ApiError::input(json!({"site": format!("Site with code '{code}' does not exist.")}))
        })?),
    };
    let mut errors = Map::new();
    let mut parsed = Vec::new();
    for (i, offer) in offers.iter().enumerate() {
        match parse_offer(offer, &world, &mut errors, i) {
            Some(p) => parsed.push(p),
            None => continue,
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(Value::Object(errors)));
    }
    let single_site = (world.sites.len() == 1).then_some(0);
    if site.is_none() && single_site.is_none() && parsed.iter().any(|(k, _)| k.needs_site()) {
        // Exact rule UNCONFIRMED: a key covering several sites must name the site.
        return Err(ApiError::missing_parameter("site"));
    }
    let mut processed = 0;
    let mut not_found = Vec::new();
    for (key, updates) in parsed {
        let Some(index) = key.find(&world, site.or(single_site)) else {
            not_found.push(key.to_json());
            continue;
        };
        for update in updates {
            world.set_leftover(index, update.store, update.available, update.purchase_price);
        }
        processed += 1;
    }
    let mut body = json!({"success": true, "processedOffersCount": processed});
    if !not_found.is_empty() {
        body["notFoundOffers"] = Value::from(not_found);
    }
    Ok((Extension(OfferCount(offers.len())), Json(body)).into_response())
}

fn parse_offer(
    offer: &Value,
    world: &World,
    errors: &mut Map<String, Value>,
    i: usize,
) -> Option<(OfferKey, Vec<StoreUpdate>)> {
    let at = format!("offers[{i}]");
    let Some(offer) = offer.as_object() else {
        errors.insert(at, "This value should be an object.".into());
        return None;
    };
    let Some(key) = OfferKey::of(offer) else {
        errors.insert(
            at,
            "The offer needs an id, an externalId or an xmlId.".into(),
        );
        return None;
    };
    let Some(stores) = offer.get("stores").and_then(Value::as_array) else {
        errors.insert(
            format!("{at}[stores]"),
            "This value should be of type array.".into(),
        );
        return None;
    };
    let mut updates = Vec::new();
    for (j, item) in stores.iter().enumerate() {
        let at = format!("{at}[stores][{j}]");
        let Some(item) = item.as_object() else {
            errors.insert(at, "This value should be an object.".into());
            continue;
        };
        let Some(code) = item.get("code").and_then(Value::as_str) else {
            errors.insert(
                format!("{at}[code]"),
                "This value should not be blank.".into(),
            );
            continue;
        };
        let Some(store) = world.store_index(code) else {
            errors.insert(
                format!("{at}[code]"),
                format!("Store with code '{code}' does not exist.").into(),
            );
            continue;
        };
        let available = number_field(item, "available", &at, errors);
        let purchase_price = number_field(item, "purchasePrice", &at, errors);
        updates.push(StoreUpdate {
            store,
            available,
            purchase_price,
        });
    }
    Some((key, updates))
}

/// An optional non-negative number; `null` counts as absent.
fn number_field(
    item: &Map<String, Value>,
    name: &str,
    at: &str,
    errors: &mut Map<String, Value>,
) -> Option<f64> {
    match item.get(name) {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_f64() {
            Some(n) if n >= 0.0 => Some(n),
            _ => {
                errors.insert(
                    format!("{at}[{name}]"),
                    "This value should be a number greater than or equal to 0.".into(),
                );
                None
            }
        },
    }
}
