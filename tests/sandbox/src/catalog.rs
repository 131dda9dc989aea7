//! The catalog: `GET /store/product-groups`, `/store/products` and `/store/products/properties`.

use crate::auth::{ApiCall, Scope};
use crate::encoding::{input_error, Params};
use crate::error::{ApiError, ApiResult};
use crate::pagination::Page;
use crate::state::{lock, num, AppState, Product, World};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

pub async fn product_groups(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::StoreRead)?;
    let p = &call.params;
    let page = Page::from_params(p)?;
    let world = lock(&state.world);
    let ids = p.ids(&["filter", "ids"])?;
    let sites = site_filter(p, &world)?;
    let active = p.flag(&["filter", "active"])?;
    let parent = p.number(&["filter", "parentGroupId"])?.map(|n| n as u64);
    let min_level = p.number(&["filter", "minLevel"])?.map(|n| n as u32);
    let max_level = p.number(&["filter", "maxLevel"])?.map(|n| n as u32);
    let matching: Vec<Value> = world
        .groups
        .iter()
        .filter(|g| ids.is_empty() || ids.contains(&g.id))
        .filter(|g| sites.is_empty() || sites.contains(&g.site))
        .filter(|g| active.is_none_or(|a| a == g.active))
        .filter(|g| parent.is_none_or(|p| g.parent == Some(p)))
        .filter(|g| min_level.is_none_or(|l| g.lvl >= l) && max_level.is_none_or(|l| g.lvl <= l))
        .map(|g| {
            let mut group = json!({
                "site": world.sites[g.site].code, "id": g.id, "name": g.name,
                "externalId": g.external_id, "active": g.active, "lvl": g.lvl,
            });
            if let Some(parent) = g.parent {
                group["parentId"] = Value::from(parent);
            }
            group
        })
        .collect();
    Ok(Json(page.reply("productGroup", &matching, Value::clone)).into_response())
}

pub async fn products(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::StoreRead)?;
    let page = Page::from_params(&call.params)?;
    let world = lock(&state.world);
    let filter = ProductFilter::from_params(&call.params, &world)?;
    let matching: Vec<&Product> = world
        .products
        .iter()
        .filter(|p| filter.matches(&world, p))
        .collect();
    let body = page.reply("products", &matching, |p| {
        product_json(&world, p, &state.base_url)
    });
    Ok(Json(body).into_response())
}

pub async fn properties(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::StoreRead)?;
    let p = &call.params;
    let page = Page::from_params(p)?;
    let world = lock(&state.world);
    let name = p.get(&["filter", "name"]).map(str::to_lowercase);
    let code = p.get(&["filter", "code"]).filter(|c| !c.is_empty());
    let visible = p.flag(&["filter", "visible"])?;
    let variative = p.flag(&["filter", "variative"])?;
    let sites = site_filter(p, &world)?;
    let groups = p.ids(&["filter", "groups"])?;
    let matching: Vec<Value> = world
        .properties
        .iter()
        .filter(|q| {
            name.as_ref()
                .is_none_or(|n| q.name.to_lowercase().contains(n))
        })
        .filter(|q| code.is_none_or(|c| q.code == c))
        .filter(|q| visible.is_none_or(|v| v == q.visible))
        .filter(|q| variative.is_none_or(|v| v == q.variative))
        .filter(|q| sites.is_empty() || sites.iter().any(|s| q.sites.contains(s)))
        .filter(|q| groups.is_empty() || groups.iter().any(|g| q.groups.contains(g)))
        .map(|q| {
            let groups: Vec<Value> = q
                .groups
                .iter()
                .filter_map(|id| world.groups.iter().find(|g| g.id == *id))
                .map(|g| json!({"id": g.id, "name": g.name}))
                .collect();
            json!({
                "code": q.code, "name": q.name,
                "sites": q.sites.iter().map(|s| &world.sites[*s].code).collect::<Vec<_>>(),
                "groups": groups, "isNumeric": q.is_numeric,
                "visible": q.visible, "variative": q.variative,
            })
        })
        .collect();
    Ok(Json(page.reply("properties", &matching, Value::clone)).into_response())
}

/// `filter[sites][]` as site indexes; an unknown code is a 400.
fn site_filter(p: &Params, world: &World) -> Result<Vec<usize>, ApiError> {
    p.list(&["filter", "sites"])
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| {
            world
                .site_index(c)
                .ok_or_else(|| input_error(&["filter", "sites"], "Unknown site code."))
        })
        .collect()
}

/// The filters of `/store/products`, all ANDed.
struct ProductFilter {
    name: Option<String>,
    active: Option<bool>,
    groups: Vec<u64>,
    group_external_id: Option<String>,
    ids: Vec<u64>,
    offer_ids: Vec<u64>,
    external_id: Option<String>,
    offer_external_id: Option<String>,
    offer_xml_id: Option<String>,
    min_price: Option<f64>,
    max_price: Option<f64>,
    min_quantity: Option<f64>,
    max_quantity: Option<f64>,
    sites: Vec<usize>,
    properties: Vec<(String, String)>,
}

impl ProductFilter {
    fn from_params(p: &Params, world: &World) -> Result<ProductFilter, ApiError> {
        let text = |name: &str| {
            p.get(&["filter", name])
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        // `filter[groups]` may be a list or one comma-separated value.
        let mut groups = Vec::new();
        for value in p.list(&["filter", "groups"]) {
            for part in value.split(',').filter(|s| !s.trim().is_empty()) {
                let id = part.trim().parse::<u64>().map_err(|_| {
                    input_error(&["filter", "groups"], "This value should be a group id.")
                })?;
                groups.push(id);
            }
        }
        Ok(ProductFilter {
            name: text("name").map(|n| n.to_lowercase()),
            active: p.flag(&["filter", "active"])?,
            groups,
            group_external_id: text("groupExternalId"),
            ids: p.ids(&["filter", "ids"])?,
            offer_ids: p.ids(&["filter", "offerIds"])?,
            external_id: text("externalId"),
            offer_external_id: text("offerExternalId"),
            offer_xml_id: text("offerXmlId"),
            min_price: p.number(&["filter", "minPrice"])?,
            max_price: p.number(&["filter", "maxPrice"])?,
            min_quantity: p.number(&["filter", "minQuantity"])?,
            max_quantity: p.number(&["filter", "maxQuantity"])?,
            sites: site_filter(p, world)?,
            properties: p.map(&["filter", "properties"]),
        })
    }

    fn matches(&self, world: &World, product: &Product) -> bool {
        let offers = || product.offers.iter().map(|&i| &world.offers[i]);
        let group = world.groups.iter().find(|g| g.id == product.group);
        self.name
            .as_ref()
            .is_none_or(|n| product.name.to_lowercase().contains(n))
            && self.active.is_none_or(|a| a == product.active)
            && (self.groups.is_empty() || self.groups.contains(&product.group))
            && self
                .group_external_id
                .as_ref()
                .is_none_or(|e| group.is_some_and(|g| &g.external_id == e))
            && (self.ids.is_empty() || self.ids.contains(&product.id))
            && (self.offer_ids.is_empty() || offers().any(|o| self.offer_ids.contains(&o.id)))
            && self
                .external_id
                .as_ref()
                .is_none_or(|e| *e == product.external_id)
            && self
                .offer_external_id
                .as_ref()
                .is_none_or(|e| offers().any(|o| o.external_id == *e))
            && self
                .offer_xml_id
                .as_ref()
                .is_none_or(|x| offers().any(|o| o.xml_id == *x))
            && (self.min_price.is_none() && self.max_price.is_none()
                || offers().any(|o| {
                    self.min_price.is_none_or(|m| o.price >= m)
                        && self.max_price.is_none_or(|m| o.price <= m)
                }))
            && (self.min_quantity.is_none() && self.max_quantity.is_none() || {
                let q = product_quantity(world, product);
                self.min_quantity.is_none_or(|m| q >= m) && self.max_quantity.is_none_or(|m| q <= m)
            })
            && (self.sites.is_empty() || self.sites.contains(&product.site))
            && self.properties.iter().all(|(code, value)| {
                has_property(&product.properties, code, value)
                    || offers().any(|o| has_property(&o.properties, code, value))
            })
    }
}

fn has_property(properties: &[(String, String)], code: &str, value: &str) -> bool {
    properties.iter().any(|(c, v)| c == code && v == value)
}

fn product_quantity(world: &World, product: &Product) -> f64 {
    product
        .offers
        .iter()
        .map(|&i| world.offer_quantity(i))
        .sum()
}

fn property_map(properties: &[(String, String)]) -> Map<String, Value> {
    properties
        .iter()
        .map(|(c, v)| (c.clone(), Value::from(v.as_str())))
        .collect()
}

/// The picture of every offer with an even id (served by the sandbox itself, see `/_sandbox/image/{n}.svg`).
fn offer_images(base_url: &str, offer_id: u64) -> Vec<String> {
    if offer_id.is_multiple_of(2) {
        vec![format!("{base_url}/_sandbox/image/{offer_id}.svg")]
    } else {
        Vec::new()
    }
}

fn product_json(world: &World, product: &Product, base_url: &str) -> Value {
    let site = &world.sites[product.site].code;
    let prices: Vec<f64> = product
        .offers
        .iter()
        .map(|&i| world.offers[i].price)
        .collect();
    let min_price = prices.iter().copied().fold(f64::INFINITY, f64::min);
    let max_price = prices.iter().copied().fold(0.0, f64::max);
    let group = world.groups.iter().find(|g| g.id == product.group);
    let offers: Vec<Value> = product
        .offers
        .iter()
        .map(|&i| {
            let o = &world.offers[i];
            let mut offer = json!({
                "id": o.id, "externalId": o.external_id, "xmlId": o.xml_id,
                "name": o.name, "article": o.article, "price": num(o.price),
                "prices": [{"priceType": "base", "price": num(o.price), "ordering": 990}],
                "vatRate": "none", "properties": property_map(&o.properties),
                "quantity": num(world.offer_quantity(i)), "active": o.active,
                "unit": {"code": "pc", "name": "Piece", "sym": "pc."},
                "barcode": o.barcode, "site": site, "images": offer_images(base_url, o.id),
            });
            if let Some(price) = o.purchase_price {
                offer["purchasePrice"] = num(price);
            }
            offer
        })
        .collect();
    // Like the CRM, `imageUrl` is there only when the product has a picture: here its first offer's.
    let image_url = product.offers.iter().find_map(|&i| {
        offer_images(base_url, world.offers[i].id)
            .into_iter()
            .next()
    });
    let mut body = json!({
        "id": product.id, "externalId": product.external_id, "article": product.article,
        "name": product.name, "type": "product", "active": product.active,
        "manufacturer": product.manufacturer, "site": site,
        "url": format!("{}/products/{}", world.sites[product.site].url, product.external_id),
        "minPrice": num(if min_price.is_finite() { min_price } else { 0.0 }),
        "maxPrice": num(max_price),
        "quantity": num(product_quantity(world, product)),
        "markable": false,
        "groups": group.map(|g| vec![json!({"id": g.id, "externalId": g.external_id})]).unwrap_or_default(),
        "properties": property_map(&product.properties),
        "offers": offers,
    });
    if let Some(url) = image_url {
        body["imageUrl"] = Value::from(url);
    }
    body
}
