//! Reference books: warehouses (`/reference/stores`), shops (`/reference/sites`) and order statuses
//! (`/reference/statuses`).

use serde::Deserialize;

use super::encode::Params;
use super::endpoint::{ApiRequest, Endpoint};
use super::error::ApiError;
use super::lenient;

/// `GET /api/v5/reference/stores`: every warehouse (not paginated).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoresRequest;

/// The answer of [`StoresRequest`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct StoresResponse {
    #[serde(default, deserialize_with = "lenient::list")]
    pub stores: Vec<Store>,
}

impl Endpoint for StoresRequest {
    type Response = StoresResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        Ok(ApiRequest::get("/api/v5/reference/stores", Params::new()))
    }
}

/// A warehouse.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    #[serde(default, deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub xml_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// `store-type-warehouse`, `store-type-retail`, `store-type-online`, `store-type-supplier`.
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub store_type: Option<String>,
    /// `integer` (real quantities) or `available` (0/1 only; inferred, not confirmed).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub inventory_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub address: StoreAddress,
}

impl Store {
    /// Whether the warehouse only tracks "in stock or not" (`inventoryType: available`).
    pub fn is_availability_only(&self) -> bool {
        self.inventory_type.as_deref() == Some("available")
    }
}

/// The parts of a warehouse address the panel shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct StoreAddress {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub city: Option<String>,
}

/// `GET /api/v5/reference/sites`: the shops of the account (answered as an object keyed by code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SitesRequest;

/// The answer of [`SitesRequest`], as a list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SitesResponse {
    #[serde(default, deserialize_with = "lenient::list")]
    pub sites: Vec<Site>,
}

impl Endpoint for SitesRequest {
    type Response = SitesResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        Ok(ApiRequest::get("/api/v5/reference/sites", Params::new()))
    }
}

/// A shop.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    #[serde(default, deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub catalog_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub default_for_crm: Option<bool>,
}

/// `GET /api/v5/reference/statuses`: the order statuses of the account (answered as an object keyed by code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusesRequest;

/// The answer of [`StatusesRequest`], as a list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct StatusesResponse {
    #[serde(default, deserialize_with = "lenient::list")]
    pub statuses: Vec<OrderStatus>,
}

impl Endpoint for StatusesRequest {
    type Response = StatusesResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        Ok(ApiRequest::get("/api/v5/reference/statuses", Params::new()))
    }
}

/// An order status: its code (what an order's `status` holds) and the name the account gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct OrderStatus {
    #[serde(default, deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub ordering: Option<i64>,
    /// The status group (`new`, `approval`, `assembling`, `delivery`, `complete`, `cancel`, ...).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub group: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::envelope::decode;
    use crate::api::transport::HttpResponse;

    #[test]
    fn stores_fixture_with_quirks() {
        // Modelled on api-client-php ReferencesTest::testStores: phone {}, address object, unknown fields.
        let body = r#"{"success":true,"stores":[
          {"type":"store-type-warehouse","inventoryType":"integer","code":"main","name":"Main","active":true,
           "externalId":"42","phone":{},"workTime":{"mo":[]},
           "address":{"countryIso":"RU","city":"Moscow","text":"Tverskaya 1","coordinates":{"latitude":55.7,"longitude":37.6}}},
          {"type":"store-type-retail","inventoryType":"available","code":"shop","name":"Shop","active":false,"address":[]}]}"#;
        let r: StoresResponse = decode(&HttpResponse::json(200, body)).unwrap();
        assert_eq!(r.stores.len(), 2);
        assert_eq!(r.stores[0].address.city.as_deref(), Some("Moscow"));
        assert_eq!(r.stores[0].external_id.as_deref(), Some("42"));
        assert!(!r.stores[0].is_availability_only());
        assert!(r.stores[1].is_availability_only());
        assert_eq!(r.stores[1].address, StoreAddress::default());
        assert_eq!(r.stores[1].active, Some(false));
    }

    #[test]
    fn statuses_keyed_by_code() {
        // The shape of api-client-php ReferencesTest::testStatuses: an object keyed by code.
        let body = r#"{"success":true,"statuses":{
          "new":{"name":"Новый","code":"new","active":true,"ordering":10,"group":"new"},
          "assembling":{"name":"Комплектуется","code":"assembling","active":true,"ordering":40,"group":"assembling"},
          "old":{"name":"Old","code":"old","active":false,"ordering":"90"}}}"#;
        let r: StatusesResponse = decode(&HttpResponse::json(200, body)).unwrap();
        let by_code = |code: &str| r.statuses.iter().find(|s| s.code == code).unwrap();
        assert_eq!(r.statuses.len(), 3);
        assert_eq!(by_code("assembling").name, "Комплектуется");
        assert_eq!(by_code("assembling").group.as_deref(), Some("assembling"));
        let old = by_code("old");
        assert_eq!(
            (old.active, old.ordering, old.group.as_deref()),
            (Some(false), Some(90), None)
        );
        assert_eq!(
            StatusesRequest.to_request().unwrap().path_and_query(),
            "/api/v5/reference/statuses"
        );
    }

    #[test]
    fn sites_keyed_by_code_or_listed() {
        let keyed = r#"{"success":true,"sites":{"shop-a":{"code":"shop-a","name":"A","url":"https://a.example","defaultForCrm":true},"shop-b":{"code":"shop-b","name":"B"}}}"#;
        let r: SitesResponse = decode(&HttpResponse::json(200, keyed)).unwrap();
        assert_eq!(
            r.sites.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
            ["shop-a", "shop-b"]
        );
        let empty: SitesResponse =
            decode(&HttpResponse::json(200, r#"{"success":true,"sites":[]}"#)).unwrap();
        assert!(empty.sites.is_empty());
    }
}
