//! Orders: `GET /orders` (to find shipments: by number, externalId, id, site, shipped, shipment warehouse and status),
//! `GET /orders/{externalId}` and `POST /orders/{externalId}/edit`.

use crate::auth::{ApiCall, Scope};
use crate::dates;
use crate::encoding::{input_error, Params};
use crate::error::{ApiError, ApiResult};
use crate::pagination::Page;
use crate::reference::status_group;
use crate::state::{lock, num, AppState, Order, World};
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

/// `GET /orders` with the filters of api-client-php's `OrderFilter` ([PHP] `src/Model/Filter/Orders/OrderFilter.php`):
/// `ids[]`, `externalIds[]`, `numbers[]`, `sites[]`, `shipped` (0/1), `shipmentStores[]`, `extendedStatus[]` (a
/// status code or a status group code; how the CRM mixes the two is UNCONFIRMED).
pub async fn list(State(state): State<AppState>, call: ApiCall) -> ApiResult {
    call.require(Scope::OrderRead)?;
    let p = &call.params;
    let page = Page::from_params(p)?;
    let world = lock(&state.world);
    let ids = p.ids(&["filter", "ids"])?;
    let strings = |name: &str| -> Vec<String> {
        p.list(&["filter", name])
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect()
    };
    let external_ids = strings("externalIds");
    let numbers = strings("numbers");
    let mut stores = strings("shipmentStores");
    stores.extend(strings("shipmentStore"));
    // Status codes or status group codes, as the CRM's `extendedStatus` takes them.
    let statuses = strings("extendedStatus");
    let shipped = p.flag(&["filter", "shipped"])?;
    let mut sites = Vec::new();
    for code in strings("sites") {
        sites.push(
            world
                .site_index(&code)
                .ok_or_else(|| input_error(&["filter", "sites"], "Unknown site code."))?,
        );
    }
    let matching: Vec<&Order> = world
        .orders
        .iter()
        .filter(|o| ids.is_empty() || ids.contains(&o.id))
        .filter(|o| external_ids.is_empty() || external_ids.contains(&o.external_id))
        .filter(|o| numbers.is_empty() || numbers.contains(&o.number))
        .filter(|o| sites.is_empty() || sites.contains(&o.site))
        .filter(|o| {
            statuses.is_empty()
                || statuses.iter().any(|s| {
                    *s == o.status || status_group(&o.status).is_some_and(|g| g == s.as_str())
                })
        })
        .filter(|o| shipped.is_none_or(|s| s == o.shipped))
        .filter(|o| {
            stores.is_empty()
                || o.shipment_store
                    .as_ref()
                    .is_some_and(|s| stores.contains(s))
        })
        .collect();
    Ok(Json(page.reply("orders", &matching, |o| order_json(&world, o))).into_response())
}

pub async fn get(
    State(state): State<AppState>,
    Path(key): Path<String>,
    call: ApiCall,
) -> ApiResult {
    call.require(Scope::OrderRead)?;
    let world = lock(&state.world);
    let index = find(&world, &key, &call.params)?;
    let body = json!({"success": true, "order": order_json(&world, &world.orders[index])});
    Ok(Json(body).into_response())
}

/// Edits the warehouse fields of an order: `shipped`, `shipmentStore`, `shipmentDate`, plus
/// `status` and `managerComment`; other fields are accepted and ignored.
pub async fn edit(
    State(state): State<AppState>,
    Path(key): Path<String>,
    call: ApiCall,
) -> ApiResult {
    call.require(Scope::OrderWrite)?;
    let patch = call.params.json_field("order")?;
    let Value::Object(patch) = patch else {
        return Err(ApiError::validation(
            json!({"order": "This value should be an object."}),
        ));
    };
    let mut world = lock(&state.world);
    let index = find(&world, &key, &call.params)?;
    let edit = Edit::check(&patch, &world)?;
    let order = &mut world.orders[index];
    edit.apply(order);
    let id = order.id;
    let body =
        json!({"success": true, "id": id, "order": order_json(&world, &world.orders[index])});
    Ok(Json(body).into_response())
}

/// A validated order patch; `Some(None)` clears a field.
struct Edit {
    shipped: Option<bool>,
    shipment_store: Option<Option<String>>,
    shipment_date: Option<Option<String>>,
    status: Option<String>,
    manager_comment: Option<Option<String>>,
}

impl Edit {
    fn check(patch: &Map<String, Value>, world: &World) -> Result<Edit, ApiError> {
        let mut errors = Map::new();
        let mut error = |field: &str, message: &str| {
            errors.insert(field.to_string(), Value::from(message));
        };
        let shipped = match patch.get("shipped") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                error("shipped", "This value should be of type bool.");
                None
            }
        };
        if patch.contains_key("shipped") && world.warehouse_module().is_none() {
            // Exact real wording UNCONFIRMED; the rule (shipped is editable only with an active
            // warehouse module) is from the WMS integration docs.
            error(
                "shipped",
                "Field is available only when a warehouse system is registered",
            );
        }
        let shipment_store = match patch.get("shipmentStore") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(code)) if world.store_index(code).is_some() => {
                Some(Some(code.clone()))
            }
            Some(Value::String(code)) => {
                error(
                    "shipmentStore",
                    &format!("Store with code '{code}' does not exist."),
                );
                None
            }
            Some(_) => {
                error("shipmentStore", "This value should be of type string.");
                None
            }
        };
        let shipment_date = match patch.get("shipmentDate") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(d)) if dates::is_ymd(d) => Some(Some(d.clone())),
            Some(_) => {
                error("shipmentDate", "This value is not a valid date (Y-m-d).");
                None
            }
        };
        let status = match patch.get("status") {
            None => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(_) => {
                error("status", "This value should be a status code.");
                None
            }
        };
        let manager_comment = match patch.get("managerComment") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => {
                error("managerComment", "This value should be of type string.");
                None
            }
        };
        if !errors.is_empty() {
            return Err(ApiError::validation(Value::Object(errors)));
        }
        Ok(Edit {
            shipped,
            shipment_store,
            shipment_date,
            status,
            manager_comment,
        })
    }

    fn apply(self, order: &mut Order) {
        if let Some(shipped) = self.shipped {
            order.shipped = shipped;
        }
        if let Some(store) = self.shipment_store {
            order.shipment_store = store;
        }
        if let Some(date) = self.shipment_date {
            order.shipment_date = date;
        }
        if let Some(status) = self.status {
            order.status = status;
        }
        if let Some(comment) = self.manager_comment {
            order.manager_comment = comment;
        }
    }
}

/// Finds an order by `{key}` read as `by` says (`externalId` by default, or `id`). An
/// `externalId` is looked up within `site`, which a several-site account must send (UNCONFIRMED rule).
fn find(world: &World, key: &str, params: &Params) -> Result<usize, ApiError> {
    let site = match params.get(&["site"]).filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(world.site_index(code).ok_or_else(|| {
            ApiError::input(json!({"site": format!("Site with code '{code}' does not exist.")}))
        })?),
    };
    match params.get(&["by"]).unwrap_or("externalId") {
        "externalId" | "" => {
            let site = match (site, world.sites.len()) {
                (Some(site), _) => site,
                (None, 1) => 0,
                (None, _) => return Err(ApiError::missing_parameter("site")),
            };
            world
                .orders
                .iter()
                .position(|o| o.external_id == key && o.site == site)
                .ok_or_else(ApiError::not_found)
        }
        "id" => {
            let id = key.parse::<u64>().map_err(|_| ApiError::not_found())?;
            world
                .orders
                .iter()
                .position(|o| o.id == id && site.is_none_or(|s| s == o.site))
                .ok_or_else(ApiError::not_found)
        }
        _ => Err(input_error(
            &["by"],
            "The value should be 'id' or 'externalId'.",
        )),
    }
}

pub fn order_json(world: &World, order: &Order) -> Value {
    let items: Vec<Value> = order
        .items
        .iter()
        .map(|item| {
            let offer = &world.offers[item.offer];
            json!({
                "id": item.id,
                "offer": {"id": offer.id, "externalId": offer.external_id,
                          "xmlId": offer.xml_id, "name": offer.name},
                "quantity": num(item.quantity),
                "initialPrice": num(item.price),
            })
        })
        .collect();
    let total: f64 = order.items.iter().map(|i| i.price * i.quantity).sum();
    let mut value = json!({
        "id": order.id, "externalId": order.external_id, "number": order.number,
        "site": world.sites[order.site].code, "status": order.status,
        "createdAt": order.created_at, "firstName": order.first_name,
        "lastName": order.last_name, "phone": order.phone,
        "shipped": order.shipped, "totalSumm": num(total), "items": items,
    });
    if let Some(store) = &order.shipment_store {
        value["shipmentStore"] = Value::from(store.as_str());
    }
    if let Some(date) = &order.shipment_date {
        value["shipmentDate"] = Value::from(date.as_str());
    }
    if let Some(comment) = &order.manager_comment {
        value["managerComment"] = Value::from(comment.as_str());
    }
    value
}
