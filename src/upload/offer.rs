//! Offers: the key that names one in the CRM, the stock values read for it, and its current stock.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Which identifier of an offer a key column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyKind {
    ExternalId,
    XmlId,
    Id,
}

impl KeyKind {
    pub const ALL: [KeyKind; 3] = [KeyKind::ExternalId, KeyKind::XmlId, KeyKind::Id];

    /// The field name on the wire and in the export header (`externalId`, `xmlId`, `id`).
    pub fn wire_name(self) -> &'static str {
        match self {
            KeyKind::ExternalId => "externalId",
            KeyKind::XmlId => "xmlId",
            KeyKind::Id => "id",
        }
    }
}

/// One offer's identifier. Serialises as the wire does: `{"externalId":"x"}`, `{"xmlId":"x"}`, `{"id":1}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OfferKey {
    ExternalId(String),
    XmlId(String),
    Id(u64),
}

impl OfferKey {
    /// A key of `kind` from a (trimmed, non-empty) cell; `None` when an `id` is not a whole number.
    pub fn parse(kind: KeyKind, text: &str) -> Option<OfferKey> {
        match kind {
            KeyKind::ExternalId => Some(OfferKey::ExternalId(text.to_string())),
            KeyKind::XmlId => Some(OfferKey::XmlId(text.to_string())),
            KeyKind::Id => text.parse().ok().map(OfferKey::Id),
        }
    }

    pub fn kind(&self) -> KeyKind {
        match self {
            OfferKey::ExternalId(_) => KeyKind::ExternalId,
            OfferKey::XmlId(_) => KeyKind::XmlId,
            OfferKey::Id(_) => KeyKind::Id,
        }
    }

    /// The identifier as text, without its kind.
    pub fn value(&self) -> String {
        match self {
            OfferKey::ExternalId(s) | OfferKey::XmlId(s) => s.clone(),
            OfferKey::Id(id) => id.to_string(),
        }
    }

    /// The `externalId`, `xmlId`, `id` cells (in [`KeyKind::ALL`] order) of a CSV row naming this offer.
    pub fn as_cells(&self) -> [String; 3] {
        KeyKind::ALL.map(|kind| {
            if kind == self.kind() {
                self.value()
            } else {
                String::new()
            }
        })
    }
}

/// A warehouse code shared by every value of that warehouse (one allocation per warehouse, not per
/// offer: a 100,000-offer file holds half a million of them), serialised as a plain string.
pub type StoreCode = Arc<str>;

/// Serde for a [`StoreCode`] as a plain string (`#[serde(with = "shared_code")]`).
pub mod shared_code {
    use super::*;

    pub fn serialize<S: Serializer>(code: &StoreCode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<StoreCode, D::Error> {
        String::deserialize(d).map(StoreCode::from)
    }
}

/// One shared [`StoreCode`] per distinct code: `intern(&mut codes, "main")` twice gives the same allocation.
pub fn intern(codes: &mut Vec<StoreCode>, code: &str) -> StoreCode {
    match codes.iter().find(|c| &***c == code) {
        Some(c) => c.clone(),
        None => {
            let c = StoreCode::from(code);
            codes.push(c.clone());
            c
        }
    }
}

/// The values read from the file for one offer in one warehouse. `None` means "leave unchanged".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreValue {
    #[serde(with = "shared_code")]
    pub code: StoreCode,
    pub quantity: Option<f64>,
    pub purchase_price: Option<f64>,
}

impl StoreValue {
    /// Whether the file states a value here (a quantity or a price): only those are sent.
    pub fn is_stated(&self) -> bool {
        self.quantity.is_some() || self.purchase_price.is_some()
    }
}

/// The validated stock of one offer from the file, with the file line it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferStock {
    pub key: OfferKey,
    pub site: Option<String>,
    pub line: usize,
    pub stores: Vec<StoreValue>,
}

/// An offer's stock in one warehouse as the CRM has it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentStore {
    pub code: String,
    pub quantity: f64,
    pub purchase_price: Option<f64>,
}

/// An offer as `GET /store/inventories` returns it: its identifiers, its site and its stock per warehouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentOffer {
    pub id: u64,
    pub external_id: Option<String>,
    pub xml_id: Option<String>,
    pub site: Option<String>,
    pub stores: Vec<CurrentStore>,
}

impl CurrentOffer {
    pub fn store(&self, code: &str) -> Option<&CurrentStore> {
        self.stores.iter().find(|s| s.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_serialises_like_the_wire() {
        let k = OfferKey::ExternalId("a-1".into());
        assert_eq!(
            serde_json::to_string(&k).ok().as_deref(),
            Some(r#"{"externalId":"a-1"}"#)
        );
        assert_eq!(
            serde_json::to_string(&OfferKey::Id(7)).ok().as_deref(),
            Some(r#"{"id":7}"#)
        );
        assert_eq!(OfferKey::parse(KeyKind::Id, "12x"), None);
        assert_eq!(OfferKey::parse(KeyKind::Id, "12"), Some(OfferKey::Id(12)));
        assert_eq!(OfferKey::XmlId("x".into()).as_cells()[1], "x");
        let mut codes = Vec::new();
        let (a, b) = (intern(&mut codes, "main"), intern(&mut codes, "main"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(codes.len(), 1);
    }
}
