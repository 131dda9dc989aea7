//! The callback probe: the request the CRM would send to `inventoriesUpload`, and the check of the reply.
//!
//! UNCONFIRMED by public sources: the method (POST assumed), the body (form fields `clientId` and one JSON field,
//! its name assumed to be `inventoriesUpload`) and which store-item spelling the CRM expects (`code`/`available`
//! assumed; `store`/`quantity` accepted with a warning).

use serde_json::{json, Map, Value};

use crate::api::encode::Params;

/// The form field assumed to carry the JSON payload (configurable in the probe).
pub const DEFAULT_FIELD: &str = "inventoriesUpload";
/// How long the probe waits for a reply by default, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// An offer the request asks about, as identified in the payload.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfferKey {
    pub id: Option<i64>,
    pub external_id: Option<String>,
    pub xml_id: Option<String>,
}

impl OfferKey {
    fn from_json(v: &Map<String, Value>) -> OfferKey {
        let text = |k: &str| match v.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        OfferKey {
            id: v.get("id").and_then(|i| {
                i.as_i64()
                    .or_else(|| i.as_str().and_then(|s| s.parse().ok()))
            }),
            external_id: text("externalId"),
            xml_id: text("xmlId"),
        }
    }

    fn is_empty(&self) -> bool {
        self.id.is_none() && self.external_id.is_none() && self.xml_id.is_none()
    }

    /// Whether both name the same offer (any identifier in common).
    fn same_offer(&self, other: &OfferKey) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        (self.id.is_some() && self.id == other.id)
            || same(&self.external_id, &other.external_id)
            || same(&self.xml_id, &other.xml_id)
    }

    /// How the offer is named in messages, e.g. `externalId offer-000001`.
    pub fn label(&self) -> String {
        if let Some(e) = &self.external_id {
            format!("externalId {e}")
        } else if let Some(x) = &self.xml_id {
            format!("xmlId {x}")
        } else if let Some(id) = self.id {
            format!("id {id}")
        } else {
            "?".to_owned()
        }
    }
}

/// The default payload: `{"offers":[{"externalId":…,"site":…}]}` for the given offers.
pub fn default_payload(offers: &[(String, Option<String>)]) -> String {
    let offers: Vec<Value> = offers
        .iter()
        .map(|(external_id, site)| match site {
            Some(site) => json!({"externalId": external_id, "site": site}),
            None => json!({ "externalId": external_id }),
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "offers": offers })).unwrap_or_default()
}

/// Why a payload cannot be sent as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayloadProblem {
    /// Not JSON (the parser's message).
    NotJson(String),
    /// JSON but not `{"offers": [...]}`.
    NoOffers,
    /// The field name is empty.
    NoFieldName,
}

/// The offers a payload asks about; the payload must be `{"offers": [...]}`.
pub fn asked_offers(payload: &str) -> Result<Vec<OfferKey>, PayloadProblem> {
    let value: Value =
        serde_json::from_str(payload).map_err(|e| PayloadProblem::NotJson(e.to_string()))?;
    let offers = value
        .get("offers")
        .and_then(Value::as_array)
        .ok_or(PayloadProblem::NoOffers)?;
    Ok(offers
        .iter()
        .filter_map(Value::as_object)
        .map(OfferKey::from_json)
        .filter(|k| !k.is_empty())
        .collect())
}

/// The form body of the probe: `clientId` and the payload under `field` (the payload compacted).
pub fn form_body(field: &str, client_id: &str, payload: &str) -> Result<Params, PayloadProblem> {
    let field = field.trim();
    if field.is_empty() {
        return Err(PayloadProblem::NoFieldName);
    }
    asked_offers(payload)?;
    let compact = serde_json::from_str::<Value>(payload)
        .map(|v| v.to_string())
        .map_err(|e| PayloadProblem::NotJson(e.to_string()))?;
    let mut form = Params::new();
    form.push("clientId", client_id.trim()).push(field, compact);
    Ok(form)
}

/// Something wrong in a reply; `offer`/`store` are 0-based positions in the reply.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplyProblem {
    /// The body is not JSON (the parser's message).
    NotJson(String),
    /// The JSON is not an object.
    NotObject,
    SuccessMissing,
    /// `success` is there but not `true`/`false` (the value as JSON).
    SuccessNotBool(String),
    /// `success: false` without an `errorMsg` text.
    ErrorMsgMissing,
    /// `success: true` without an `offers` array.
    OffersMissing,
    OfferNotObject {
        offer: usize,
    },
    OfferNoIdentifier {
        offer: usize,
    },
    OfferNotAsked {
        offer: usize,
        key: String,
    },
    StoresMissing {
        offer: usize,
    },
    StoreNotObject {
        offer: usize,
        store: usize,
    },
    StoreCodeMissing {
        offer: usize,
        store: usize,
    },
    UnknownStore {
        offer: usize,
        store: usize,
        code: String,
    },
    AvailableMissing {
        offer: usize,
        store: usize,
    },
    AvailableNotNumber {
        offer: usize,
        store: usize,
        value: String,
    },
    AvailableNegative {
        offer: usize,
        store: usize,
    },
    PriceNotNumber {
        offer: usize,
        store: usize,
        value: String,
    },
    PriceNegative {
        offer: usize,
        store: usize,
    },
    /// An offer asked for is not in the reply.
    OfferMissing {
        key: String,
    },
}

/// Something acceptable but worth telling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyWarning {
    /// `{store, quantity}` instead of `{code, available}` (which spelling the CRM expects is unconfirmed).
    LegacySpelling { offer: usize, store: usize },
    /// The warehouse list could not be read, so codes were not checked.
    StoresNotChecked,
}

/// The check of one reply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplyCheck {
    pub problems: Vec<ReplyProblem>,
    pub warnings: Vec<ReplyWarning>,
    /// Offers in the reply.
    pub offers: usize,
    /// `errorMsg` of a `success: false` reply.
    pub error_msg: Option<String>,
}

/// How a probe ended.
#[derive(Clone, Debug, PartialEq)]
pub enum ProbeOutcome {
    /// No HTTP response: network failure or CORS refusal (the browser cannot tell which for sure).
    Unreachable { detail: String, probably_cors: bool },
    /// No reply within the timeout.
    Timeout { ms: u32 },
    /// A status other than 2xx; the body is still checked.
    HttpStatus { status: u16, check: ReplyCheck },
    /// A 2xx reply with problems.
    BadReply(ReplyCheck),
    /// A well-formed `success: false` reply.
    ErrorReply(ReplyCheck),
    /// A well-formed `success: true` reply.
    Good(ReplyCheck),
}

/// Classifies an HTTP reply: status, then the body against the expected shape.
pub fn outcome(
    status: u16,
    body: &str,
    asked: &[OfferKey],
    stores: Option<&[String]>,
) -> ProbeOutcome {
    let check = check_reply(body, asked, stores);
    if !(200..300).contains(&status) {
        ProbeOutcome::HttpStatus { status, check }
    } else if !check.problems.is_empty() {
        ProbeOutcome::BadReply(check)
    } else if check.error_msg.is_some() {
        ProbeOutcome::ErrorReply(check)
    } else {
        ProbeOutcome::Good(check)
    }
}

/// Checks a reply body: `{"success": true, "offers": [{id|externalId|xmlId, "stores": [{code, available,
/// purchasePrice?}]}]}` or `{"success": false, "errorMsg": "…"}`. `stores`: the account's warehouse codes
/// (`None` when unknown: codes are then not checked).
pub fn check_reply(body: &str, asked: &[OfferKey], stores: Option<&[String]>) -> ReplyCheck {
    let mut c = ReplyCheck::default();
    let value: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            c.problems.push(ReplyProblem::NotJson(e.to_string()));
            return c;
        }
    };
    let Some(reply) = value.as_object() else {
        c.problems.push(ReplyProblem::NotObject);
        return c;
    };
    match reply.get("success") {
        None => c.problems.push(ReplyProblem::SuccessMissing),
        Some(Value::Bool(false)) => {
            match reply.get("errorMsg") {
                Some(Value::String(m)) if !m.trim().is_empty() => c.error_msg = Some(m.clone()),
                _ => c.problems.push(ReplyProblem::ErrorMsgMissing),
            }
            return c;
        }
        Some(Value::Bool(true)) => {}
        Some(other) => c
            .problems
            .push(ReplyProblem::SuccessNotBool(other.to_string())),
    }
    let Some(offers) = reply.get("offers").and_then(Value::as_array) else {
        c.problems.push(ReplyProblem::OffersMissing);
        return c;
    };
    if stores.is_none() {
        c.warnings.push(ReplyWarning::StoresNotChecked);
    }
    c.offers = offers.len();
    let mut seen: Vec<OfferKey> = Vec::new();
    for (i, offer) in offers.iter().enumerate() {
        let Some(offer) = offer.as_object() else {
            c.problems.push(ReplyProblem::OfferNotObject { offer: i });
            continue;
        };
        let key = OfferKey::from_json(offer);
        if key.is_empty() {
            c.problems
                .push(ReplyProblem::OfferNoIdentifier { offer: i });
        } else if !asked.is_empty() && !asked.iter().any(|a| a.same_offer(&key)) {
            c.problems.push(ReplyProblem::OfferNotAsked {
                offer: i,
                key: key.label(),
            });
        }
        seen.push(key);
        match offer.get("stores").and_then(Value::as_array) {
            Some(items) => {
                for (j, item) in items.iter().enumerate() {
                    check_store(&mut c, i, j, item, stores);
                }
            }
            None => c.problems.push(ReplyProblem::StoresMissing { offer: i }),
        }
    }
    for a in asked {
        if !seen.iter().any(|s| s.same_offer(a)) {
            c.problems
                .push(ReplyProblem::OfferMissing { key: a.label() });
        }
    }
    c
}

fn check_store(
    c: &mut ReplyCheck,
    offer: usize,
    store: usize,
    item: &Value,
    stores: Option<&[String]>,
) {
    let Some(item) = item.as_object() else {
        c.problems
            .push(ReplyProblem::StoreNotObject { offer, store });
        return;
    };
    let legacy = !item.contains_key("code") && item.contains_key("store");
    if legacy {
        c.warnings
            .push(ReplyWarning::LegacySpelling { offer, store });
    }
    let (code_key, amount_key) = if legacy {
        ("store", "quantity")
    } else {
        ("code", "available")
    };
    match item.get(code_key).and_then(Value::as_str).map(str::trim) {
        Some(code) if !code.is_empty() => {
            if stores.is_some_and(|known| !known.iter().any(|k| k == code)) {
                c.problems.push(ReplyProblem::UnknownStore {
                    offer,
                    store,
                    code: code.to_owned(),
                });
            }
        }
        _ => c
            .problems
            .push(ReplyProblem::StoreCodeMissing { offer, store }),
    }
    match item.get(amount_key) {
        None | Some(Value::Null) => c
            .problems
            .push(ReplyProblem::AvailableMissing { offer, store }),
        Some(Value::Number(n)) if n.as_f64().is_some_and(|v| v < 0.0) => c
            .problems
            .push(ReplyProblem::AvailableNegative { offer, store }),
        Some(Value::Number(_)) => {}
        Some(other) => c.problems.push(ReplyProblem::AvailableNotNumber {
            offer,
            store,
            value: other.to_string(),
        }),
    }
    match item.get("purchasePrice") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) if n.as_f64().is_some_and(|v| v < 0.0) => c
            .problems
            .push(ReplyProblem::PriceNegative { offer, store }),
        Some(Value::Number(_)) => {}
        Some(other) => c.problems.push(ReplyProblem::PriceNotNumber {
            offer,
            store,
            value: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked() -> Vec<OfferKey> {
        asked_offers(r#"{"offers":[{"externalId":"offer-1","site":"a"},{"externalId":"offer-2"}]}"#)
            .unwrap()
    }

    fn stores() -> Vec<String> {
        vec!["main".into(), "north".into()]
    }

    fn check(body: &str) -> ReplyCheck {
        check_reply(body, &asked(), Some(&stores()))
    }

    #[test]
    fn payload_and_form_body() {
        let payload = default_payload(&[("offer-1".into(), Some("shop-a".into()))]);
        assert_eq!(
            asked_offers(&payload).unwrap()[0].external_id.as_deref(),
            Some("offer-1")
        );
        let form = form_body(" inventoriesUpload ", "cid", &payload).unwrap();
        assert_eq!(
            form.pairs()[1],
            (
                "inventoriesUpload".to_string(),
                r#"{"offers":[{"externalId":"offer-1","site":"shop-a"}]}"#.to_string()
            )
        );
        assert_eq!(form.pairs()[0].1, "cid");
        assert_eq!(
            form_body("", "c", &payload),
            Err(PayloadProblem::NoFieldName)
        );
        assert!(matches!(
            form_body("f", "c", "{oops"),
            Err(PayloadProblem::NotJson(_))
        ));
        assert_eq!(form_body("f", "c", "[1]"), Err(PayloadProblem::NoOffers));
    }

    #[test]
    fn a_correct_reply_passes() {
        let body = r#"{"success":true,"offers":[
            {"externalId":"offer-1","stores":[{"code":"main","available":25,"purchasePrice":120.5},{"code":"north","available":0}]},
            {"externalId":"offer-2","stores":[]}]}"#;
        let c = check(body);
        assert_eq!(c.problems, vec![]);
        assert_eq!(c.offers, 2);
        assert!(matches!(
            outcome(200, body, &asked(), Some(&stores())),
            ProbeOutcome::Good(_)
        ));
    }

    #[test]
    fn wrong_shape_is_reported() {
        let c = check(r#"{"success":"yes","offers":{"count":2}}"#);
        assert_eq!(
            c.problems,
            vec![
                ReplyProblem::SuccessNotBool("\"yes\"".into()),
                ReplyProblem::OffersMissing
            ]
        );
        assert_eq!(check("<html>").problems.len(), 1);
        assert_eq!(check("[]").problems, vec![ReplyProblem::NotObject]);
        assert_eq!(check("{}").problems[0], ReplyProblem::SuccessMissing);
    }

    #[test]
    fn items_are_checked_one_by_one() {
        let body = r#"{"success":true,"offers":[
            {"externalId":"offer-1","stores":[{"code":"nowhere","available":-1},{"available":"5","purchasePrice":"x"},7,{"code":"main","available":1,"purchasePrice":-2}]},
            {"xmlId":"other"},
            5,
            {"site":"a"}]}"#;
        let c = check(body);
        assert_eq!(
            c.problems,
            vec![
                ReplyProblem::UnknownStore {
                    offer: 0,
                    store: 0,
                    code: "nowhere".into()
                },
                ReplyProblem::AvailableNegative { offer: 0, store: 0 },
                ReplyProblem::StoreCodeMissing { offer: 0, store: 1 },
                ReplyProblem::AvailableNotNumber {
                    offer: 0,
                    store: 1,
                    value: "\"5\"".into()
                },
                ReplyProblem::PriceNotNumber {
                    offer: 0,
                    store: 1,
                    value: "\"x\"".into()
                },
                ReplyProblem::StoreNotObject { offer: 0, store: 2 },
                ReplyProblem::PriceNegative { offer: 0, store: 3 },
                ReplyProblem::OfferNotAsked {
                    offer: 1,
                    key: "xmlId other".into()
                },
                ReplyProblem::StoresMissing { offer: 1 },
                ReplyProblem::OfferNotObject { offer: 2 },
                ReplyProblem::OfferNoIdentifier { offer: 3 },
                ReplyProblem::StoresMissing { offer: 3 },
                ReplyProblem::OfferMissing {
                    key: "externalId offer-2".into()
                },
            ]
        );
    }

    #[test]
    fn legacy_spelling_is_accepted_with_a_warning_and_unknown_stores_are_skipped_without_a_list() {
        let body = r#"{"success":true,"offers":[{"externalId":"offer-1","stores":[{"store":"elsewhere","quantity":3}]},
            {"externalId":"offer-2","stores":[]}]}"#;
        let c = check_reply(body, &asked(), None);
        assert_eq!(c.problems, vec![]);
        assert_eq!(
            c.warnings,
            vec![
                ReplyWarning::StoresNotChecked,
                ReplyWarning::LegacySpelling { offer: 0, store: 0 }
            ]
        );
        let c = check(body);
        assert_eq!(
            c.problems,
            vec![ReplyProblem::UnknownStore {
                offer: 0,
                store: 0,
                code: "elsewhere".into()
            }]
        );
    }

    #[test]
    fn error_replies_and_statuses() {
        let err = r#"{"success":false,"errorMsg":"Unknown clientId"}"#;
        match outcome(200, err, &asked(), None) {
            ProbeOutcome::ErrorReply(c) => {
                assert_eq!(c.error_msg.as_deref(), Some("Unknown clientId"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            check(r#"{"success":false}"#).problems,
            vec![ReplyProblem::ErrorMsgMissing]
        );
        assert!(matches!(
            outcome(500, err, &asked(), None),
            ProbeOutcome::HttpStatus { status: 500, .. }
        ));
        assert!(matches!(
            outcome(200, "nope", &asked(), None),
            ProbeOutcome::BadReply(_)
        ));
    }

    #[test]
    fn offers_match_by_any_identifier() {
        let asked = asked_offers(r#"{"offers":[{"id":7,"xmlId":"x7"}]}"#).unwrap();
        let body = r#"{"success":true,"offers":[{"id":"7","stores":[]}]}"#;
        assert_eq!(check_reply(body, &asked, Some(&[])).problems, vec![]);
        assert_eq!(asked[0].label(), "xmlId x7");
    }
}
