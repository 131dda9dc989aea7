//! The CRM side of the `inventoriesUpload` callback: fire a call point, call the module, check and apply the reply.
//!
//! The request format is UNCONFIRMED by public sources. By analogy with the CRM's other module
//! callbacks the sandbox sends `clientId=<module clientId>` plus one form field holding JSON
//! (`inventoriesUpload={"offers":[{"id","externalId","xmlId","site"}...]}`); the method (POST) and
//! the field name are configurable (`--callback-method`, `--callback-field`).

use crate::inventories::OfferKey;
use crate::state::{lock, push_bounded, AppState, World};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Instant;

/// How many exchanges `GET /_sandbox/callbacks` keeps.
const LOG_CAPACITY: usize = 100;
/// How much of a reply body the report keeps.
const REPLY_EXCERPT: usize = 4000;
/// How many offers are sent when the firing request names none.
const DEFAULT_OFFERS: usize = 10;

/// HTTP method of the callback request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CallbackMethod {
    /// Form body (`application/x-www-form-urlencoded`).
    Post,
    /// The same fields in the query string.
    Get,
}

/// Optional JSON body of `POST /_sandbox/callpoints/{callPoint}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FireOptions {
    /// External ids of the offers concerned (default: the first ten offers).
    offers: Option<Vec<String>>,
    /// Site of those offers (default: any site).
    site: Option<String>,
    /// Code of the module to call (default: the first module with a warehouse integration).
    module: Option<String>,
}

/// Everything needed to make the call, read from the state before any await.
struct Plan {
    module: String,
    url: String,
    client_id: String,
    offers: Vec<usize>,
    payload: String,
}

/// `POST /_sandbox/callpoints/{callPoint}`: answers with the exchange report (also logged).
pub async fn fire(
    State(state): State<AppState>,
    Path(call_point): Path<String>,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    let options: FireOptions = if body.iter().all(u8::is_ascii_whitespace) {
        FireOptions::default()
    } else {
        match serde_json::from_slice::<Option<FireOptions>>(&body) {
            Ok(options) => options.unwrap_or_default(),
            Err(e) => {
                let error = json!({"error": format!("Body must be JSON like {{\"offers\": [\"offer-000001\"]}}: {e}")});
                return (StatusCode::BAD_REQUEST, Json(error));
            }
        }
    };
    let plan = plan(&lock(&state.world), &call_point, &options);
    let report = match plan {
        Err(reason) => json!({
            "callPoint": call_point, "called": false, "reason": reason,
            "problems": [], "warnings": [], "applied": 0,
        }),
        Ok(plan) => call(&state, &call_point, plan).await,
    };
    push_bounded(&state.callbacks, report.clone(), LOG_CAPACITY);
    (StatusCode::OK, Json(report))
}

/// `GET /_sandbox/callbacks`: the recent exchanges, oldest first.
pub async fn log(State(state): State<AppState>) -> Json<Value> {
    let entries: Vec<Value> = lock(&state.callbacks).iter().cloned().collect();
    Json(json!({"callbacks": entries}))
}

/// Decides whether the call point triggers a call, and to where; `Err` says why not.
fn plan(world: &World, call_point: &str, options: &FireOptions) -> Result<Plan, String> {
    let (code, module) = match &options.module {
        Some(code) => world
            .modules
            .get_key_value(code)
            .ok_or_else(|| format!("no module with code '{code}' is registered"))?,
        None => world
            .modules
            .iter()
            .find(|(_, m)| m.pointer("/integrations/store").is_some())
            .ok_or("no module with a warehouse integration (integrations.store) is registered")?,
    };
    if !module
        .get("active")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        return Err(format!("module '{code}' is not active"));
    }
    let action = module
        .pointer("/integrations/store/actions")
        .and_then(Value::as_array)
        .and_then(|actions| {
            actions
                .iter()
                .find(|a| a.get("code").and_then(Value::as_str) == Some("inventoriesUpload"))
        })
        .ok_or_else(|| format!("module '{code}' has no inventoriesUpload action"))?;
    let points: Vec<&str> = action
        .get("callPoints")
        .and_then(Value::as_array)
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !points.contains(&call_point) {
        return Err(format!(
            "call point '{call_point}' is not among the action's callPoints {points:?}"
        ));
    }
    let base = module.get("baseUrl").and_then(Value::as_str).unwrap_or("");
    let path = action.get("url").and_then(Value::as_str).unwrap_or("");
    if base.is_empty() {
        return Err(format!("module '{code}' has no baseUrl"));
    }
    let url = if base.ends_with('/') && path.starts_with('/') {
        format!("{base}{}", &path[1..])
    } else {
        format!("{base}{path}")
    };
    let site = match &options.site {
        Some(code) => Some(
            world
                .site_index(code)
                .ok_or_else(|| format!("unknown site '{code}'"))?,
        ),
        None => None,
    };
    let offers = match &options.offers {
        None => (0..world.offers.len())
            .filter(|&i| site.is_none_or(|s| world.offers[i].site == s))
            .take(DEFAULT_OFFERS)
            .collect(),
        Some(ids) => {
            let mut found = Vec::new();
            for id in ids {
                let index = (0..world.sites.len())
                    .filter(|s| site.is_none_or(|only| only == *s))
                    .find_map(|s| world.offer_by_external_id(s, id))
                    .ok_or_else(|| format!("unknown offer externalId '{id}'"))?;
                found.push(index);
            }
            found
        }
    };
    let payload: Vec<Value> = offers
        .iter()
        .map(|&i| {
            let o = &world.offers[i];
            json!({"id": o.id, "externalId": o.external_id, "xmlId": o.xml_id,
                   "site": world.sites[o.site].code})
        })
        .collect();
    Ok(Plan {
        module: code.clone(),
        url,
        client_id: module
            .get("clientId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        offers,
        payload: json!({ "offers": payload }).to_string(),
    })
}

/// Makes the call, checks the reply, applies the valid stock, and builds the report.
async fn call(state: &AppState, call_point: &str, plan: Plan) -> Value {
    let config = &state.config;
    let fields = [
        ("clientId", plan.client_id.as_str()),
        (config.callback_field.as_str(), plan.payload.as_str()),
    ];
    let request = match config.callback_method {
        CallbackMethod::Post => state.http.post(&plan.url).form(&fields),
        CallbackMethod::Get => state.http.get(&plan.url).query(&fields),
    };
    let started = Instant::now();
    let sent = request.timeout(config.callback_timeout).send().await;
    let mut report = json!({
        "callPoint": call_point, "called": true, "module": plan.module,
        "method": match config.callback_method { CallbackMethod::Post => "POST", CallbackMethod::Get => "GET" },
        "url": plan.url,
        "request": {"clientId": plan.client_id, config.callback_field.clone(): plan.payload},
    });
    let reply = match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            match response.text().await {
                Ok(text) => Ok((status, text)),
                Err(e) => Err(failure(&e, config.callback_timeout.as_millis())),
            }
        }
        Err(e) => Err(failure(&e, config.callback_timeout.as_millis())),
    };
    report["durationMs"] = json!(started.elapsed().as_millis() as u64);
    let (status, text) = match reply {
        Ok(reply) => reply,
        Err((outcome, problem)) => {
            report["outcome"] = json!(outcome);
            report["problems"] = json!([problem]);
            report["warnings"] = json!([]);
            report["applied"] = json!(0);
            return report;
        }
    };
    let mut world = lock(&state.world);
    let checked = check_reply(&world, &plan.offers, status, &text);
    let mut applied = BTreeSet::new();
    for (offer, store, available, price) in &checked.updates {
        world.set_leftover(*offer, *store, *available, *price);
        applied.insert(*offer);
    }
    report["status"] = json!(status);
    report["outcome"] = json!(if checked.problems.is_empty() {
        "ok"
    } else {
        "bad-reply"
    });
    report["problems"] = json!(checked.problems);
    report["warnings"] = json!(checked.warnings);
    report["applied"] = json!(applied.len());
    report["reply"] = json!(text.chars().take(REPLY_EXCERPT).collect::<String>());
    report
}

/// Tells a timeout and an unreachable endpoint apart from a bad reply.
fn failure(error: &reqwest::Error, timeout_ms: u128) -> (&'static str, String) {
    if error.is_timeout() {
        (
            "timeout",
            format!("no reply within {timeout_ms} ms (timeout)"),
        )
    } else if error.is_connect() {
        ("unreachable", format!("could not connect: {error}"))
    } else {
        ("unreachable", format!("request failed: {error}"))
    }
}

/// What the reply says, and the stock updates it validly carries.
#[derive(Debug, Default)]
struct Checked {
    problems: Vec<String>,
    warnings: Vec<String>,
    updates: Vec<(usize, usize, Option<f64>, Option<f64>)>,
}

/// Checks a reply against `{"success": true, "offers": [{id|externalId|xmlId, "stores": [{code,
/// available, purchasePrice?}]}]}`; the `{store, quantity}` spelling is accepted with a warning.
fn check_reply(world: &World, requested: &[usize], status: u16, text: &str) -> Checked {
    let mut c = Checked::default();
    if !(200..300).contains(&status) {
        c.problems
            .push(format!("HTTP status {status} (expected 200)"));
        return c;
    }
    let reply: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            c.problems.push(format!("the reply is not JSON: {e}"));
            return c;
        }
    };
    match reply.get("success") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => {
            let msg = reply
                .get("errorMsg")
                .and_then(Value::as_str)
                .unwrap_or("(no errorMsg)");
            c.problems
                .push(format!("the endpoint answered success: false: {msg}"));
            return c;
        }
        _ => c
            .problems
            .push("`success` is missing or not a boolean".into()),
    }
    let Some(offers) = reply.get("offers").and_then(Value::as_array) else {
        c.problems
            .push("`offers` is missing or not an array".into());
        return c;
    };
    let mut answered = BTreeSet::new();
    for (i, offer) in offers.iter().enumerate() {
        let Some(offer) = offer.as_object() else {
            c.problems.push(format!("offers[{i}] is not an object"));
            continue;
        };
        let Some(key) = OfferKey::of(offer) else {
            c.problems
                .push(format!("offers[{i}] has no id, externalId or xmlId"));
            continue;
        };
        let found = requested
            .iter()
            .copied()
            .find(|&r| key.find(world, Some(world.offers[r].site)) == Some(r));
        let Some(index) = found else {
            c.problems
                .push(format!("offers[{i}] ({}) was not asked for", key.to_json()));
            continue;
        };
        answered.insert(index);
        let Some(stores) = offer.get("stores").and_then(Value::as_array) else {
            c.problems
                .push(format!("offers[{i}].stores is missing or not an array"));
            continue;
        };
        for (j, item) in stores.iter().enumerate() {
            check_store_item(
                world,
                &mut c,
                index,
                &format!("offers[{i}].stores[{j}]"),
                item,
            );
        }
    }
    for &r in requested {
        if !answered.contains(&r) {
            c.problems.push(format!(
                "offer {} was asked for but is missing from the reply",
                world.offers[r].external_id
            ));
        }
    }
    c
}

fn check_store_item(world: &World, c: &mut Checked, offer: usize, at: &str, item: &Value) {
    let Some(item) = item.as_object() else {
        c.problems.push(format!("{at} is not an object"));
        return;
    };
    let code = match (item.get("code"), item.get("store")) {
        (Some(Value::String(code)), _) => code,
        (None, Some(Value::String(code))) => {
            c.warnings
                .push(format!("{at} uses `store`; the upload spelling is `code`"));
            code
        }
        _ => {
            c.problems
                .push(format!("{at}.code is missing or not a string"));
            return;
        }
    };
    let Some(store) = world.store_index(code) else {
        c.problems
            .push(format!("{at}: unknown warehouse code '{code}'"));
        return;
    };
    let available = match (item.get("available"), item.get("quantity")) {
        (Some(v), _) => Some(("available", v)),
        (None, Some(v)) => {
            c.warnings.push(format!(
                "{at} uses `quantity`; the upload spelling is `available`"
            ));
            Some(("quantity", v))
        }
        (None, None) => None,
    };
    let mut number = |field: &str, value: Option<&Value>| -> Result<Option<f64>, ()> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match v.as_f64() {
                Some(n) if n >= 0.0 => Ok(Some(n)),
                _ => {
                    c.problems
                        .push(format!("{at}.{field} must be a number >= 0, got {v}"));
                    Err(())
                }
            },
        }
    };
    let (field, value) = available.map_or(("available", None), |(f, v)| (f, Some(v)));
    let Ok(available) = number(field, value) else {
        return;
    };
    let Ok(price) = number("purchasePrice", item.get("purchasePrice")) else {
        return;
    };
    if available.is_none() && price.is_none() {
        c.problems
            .push(format!("{at} carries neither available nor purchasePrice"));
        return;
    }
    c.updates.push((offer, store, available, price));
}
