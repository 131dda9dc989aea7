//! An in-memory CRM for the upload's model tests: several accounts, each with offers and their stock per warehouse,
//! answering `GET /store/inventories` and `POST /store/inventories/upload` as the sandbox does, and logging every
//! upload it applied.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{json, Value};

use crate::api::sim::form_pairs;
use crate::api::{HttpRequest, HttpResponse, Method, TransportError};

/// One warehouse of one offer: quantity and purchase price.
pub type Cell = (f64, Option<f64>);

#[derive(Debug, Clone)]
pub struct FakeOffer {
    pub id: u64,
    pub external_id: String,
    pub site: String,
    pub stock: BTreeMap<String, Cell>,
}

/// An upload the CRM applied: when it arrived, and the values per (externalId, warehouse) it carried.
#[derive(Debug, Clone)]
pub struct Applied {
    pub at: f64,
    pub values: Vec<(String, String, Option<f64>, Option<f64>)>,
}

#[derive(Debug, Default)]
pub struct FakeAccount {
    pub offers: Vec<FakeOffer>,
    pub applied: Vec<Applied>,
}

/// Accounts by address.
#[derive(Clone, Default)]
pub struct FakeCrm {
    pub accounts: Rc<RefCell<BTreeMap<String, FakeAccount>>>,
}

fn ok(body: Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::json(200, body.to_string()))
}

impl FakeCrm {
    /// An account at `address` with `n` offers `offer-000000`.. in site `site`, stock 10 and price 1 in each warehouse.
    pub fn add_account(&self, address: &str, site: &str, n: usize, warehouses: &[&str]) {
        let offers = (0..n)
            .map(|i| FakeOffer {
                id: i as u64 + 1,
                external_id: format!("offer-{i:06}"),
                site: site.to_string(),
                stock: warehouses
                    .iter()
                    .map(|w| (w.to_string(), (10.0, Some(1.0))))
                    .collect(),
            })
            .collect();
        self.accounts.borrow_mut().insert(
            address.to_string(),
            FakeAccount {
                offers,
                applied: Vec::new(),
            },
        );
    }

    /// The stock of one offer in one warehouse of an account.
    pub fn cell(&self, address: &str, external_id: &str, warehouse: &str) -> Option<Cell> {
        let accounts = self.accounts.borrow();
        let offer = accounts
            .get(address)?
            .offers
            .iter()
            .find(|o| o.external_id == external_id)?;
        offer.stock.get(warehouse).copied()
    }

    /// Answers one request (the [`crate::api::sim::SimTransport`] handler).
    pub fn handle(&self, req: &HttpRequest, now: f64) -> Result<HttpResponse, TransportError> {
        let Some(at) = req.url.find("/api/") else {
            return Ok(HttpResponse::json(404, "{}"));
        };
        let (address, rest) = req.url.split_at(at);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut accounts = self.accounts.borrow_mut();
        let Some(account) = accounts.get_mut(address) else {
            return Err(TransportError::Network {
                detail: format!("no account at {address}"),
                probably_cors: false,
            });
        };
        match (req.method, path) {
            (Method::Get, "/api/v5/store/inventories") => {
                ok(inventories(account, &form_pairs(query)))
            }
            (Method::Post, "/api/v5/store/inventories/upload") => {
                let form = form_pairs(req.body.as_deref().unwrap_or(""));
                upload(account, &form, now)
            }
            _ => Ok(HttpResponse::json(
                404,
                r#"{"success":false,"errorMsg":"Not found"}"#,
            )),
        }
    }
}

fn inventories(account: &FakeAccount, query: &[(String, String)]) -> Value {
    let all = |name: &str| -> Vec<&str> {
        query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let one = |name: &str| all(name).first().and_then(|v| v.parse::<usize>().ok());
    let (ids, externals, sites) = (
        all("filter[ids][]"),
        all("filter[offerExternalId][]"),
        all("filter[sites][]"),
    );
    let matching: Vec<&FakeOffer> = account
        .offers
        .iter()
        .filter(|o| ids.is_empty() || ids.contains(&o.id.to_string().as_str()))
        .filter(|o| externals.is_empty() || externals.contains(&o.external_id.as_str()))
        .filter(|o| sites.is_empty() || sites.contains(&o.site.as_str()))
        .collect();
    let limit = one("limit").unwrap_or(20).max(1);
    let page = one("page").unwrap_or(1).max(1);
    let offers: Vec<Value> = matching
        .iter()
        .skip((page - 1) * limit)
        .take(limit)
        .map(|o| {
            let stores: Vec<Value> = o
                .stock
                .iter()
                .map(|(code, (q, p))| json!({"store": code, "quantity": q, "purchasePrice": p}))
                .collect();
            json!({"id": o.id, "externalId": o.external_id, "site": o.site, "stores": stores})
        })
        .collect();
    json!({
        "success": true,
        "pagination": {"limit": limit, "totalCount": matching.len(), "currentPage": page,
                       "totalPageCount": matching.len().div_ceil(limit)},
        "offers": offers,
    })
}

fn upload(
    account: &mut FakeAccount,
    form: &[(String, String)],
    now: f64,
) -> Result<HttpResponse, TransportError> {
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let site = field("site");
    let Ok(Value::Array(items)) =
        serde_json::from_str::<Value>(&field("offers").unwrap_or_default())
    else {
        return Ok(HttpResponse::json(
            400,
            r#"{"success":false,"errorMsg":"Parameter 'offers' is missing"}"#,
        ));
    };
    if items.is_empty() || items.len() > 250 {
        return Ok(HttpResponse::json(
            400,
            r#"{"success":false,"errorMsg":"Too many offers"}"#,
        ));
    }
    let mut processed = 0;
    let mut not_found = Vec::new();
    let mut values = Vec::new();
    for item in &items {
        let key = item["externalId"].as_str().unwrap_or_default().to_string();
        let offer = account
            .offers
            .iter_mut()
            .find(|o| o.external_id == key && site.as_deref().is_none_or(|s| s == o.site));
        let Some(offer) = offer else {
            not_found.push(json!({"externalId": key}));
            continue;
        };
        processed += 1;
        for store in item["stores"].as_array().into_iter().flatten() {
            let code = store["code"].as_str().unwrap_or_default().to_string();
            let available = store["available"].as_f64();
            let price = store["purchasePrice"].as_f64();
            let cell = offer.stock.entry(code.clone()).or_insert((0.0, None));
            if let Some(q) = available {
                cell.0 = q;
            }
            if price.is_some() {
                cell.1 = price;
            }
            values.push((key.clone(), code, available, price));
        }
    }
    account.applied.push(Applied { at: now, values });
    ok(json!({"success": true, "processedOffersCount": processed, "notFoundOffers": not_found}))
}
