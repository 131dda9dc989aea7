//! The integration module: read (`integration-modules/{code}`) and create/update (`.../{code}/edit`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::encode::Params;
use super::endpoint::{segment, ApiRequest, Endpoint};
use super::error::ApiError;
use super::lenient;

/// The code of the store action the CRM calls to pull stock and purchase prices.
pub const INVENTORIES_UPLOAD_ACTION: &str = "inventoriesUpload";

/// An integration module, as read and as written. Fields the panel does not know are kept in `extra` and sent back
/// unchanged. `freeze` and `native` are read but never sent (whether they are writable is unconfirmed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IntegrationModule {
    #[serde(deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub integration_code: Option<String>,
    /// Sent as `false` too (switching a module off).
    #[serde(
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub active: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool", skip_serializing)]
    pub freeze: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool", skip_serializing)]
    pub native: Option<bool>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub logo: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub base_url: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_url: Option<String>,
    /// Module-level callbacks, e.g. `{"activity": "/actions/activity"}` (`[]` when none).
    #[serde(
        deserialize_with = "lenient::object",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub actions: BTreeMap<String, String>,
    #[serde(
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub available_countries: Vec<String>,
    #[serde(
        deserialize_with = "lenient::object",
        skip_serializing_if = "Integrations::is_empty"
    )]
    pub integrations: Integrations,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `integrationModule.integrations`: the panel edits `store`; the others (`delivery`, `embedJs`, ...) round-trip.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Integrations {
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub store: Option<StoreIntegration>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Integrations {
    fn is_empty(&self) -> bool {
        self.store.is_none() && self.extra.is_empty()
    }
}

/// `integrations.store`: the warehouse-system configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreIntegration {
    #[serde(default, deserialize_with = "lenient::list")]
    pub actions: Vec<StoreAction>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A store action: the CRM calls `{baseUrl}{url}` at the given call points (their allowed values are unconfirmed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreAction {
    #[serde(default, deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub url: String,
    #[serde(default, deserialize_with = "lenient::list")]
    pub call_points: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl IntegrationModule {
    /// The store action with this code, if configured.
    pub fn store_action(&self, code: &str) -> Option<&StoreAction> {
        self.integrations
            .store
            .as_ref()?
            .actions
            .iter()
            .find(|a| a.code == code)
    }

    /// Adds or replaces the store action with `action.code`, keeping the other actions.
    pub fn set_store_action(&mut self, action: StoreAction) {
        let store = self
            .integrations
            .store
            .get_or_insert_with(StoreIntegration::default);
        match store.actions.iter_mut().find(|a| a.code == action.code) {
            Some(existing) => *existing = action,
            None => store.actions.push(action),
        }
    }
}

/// `GET /api/v5/integration-modules/{code}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntegrationModuleRequest {
    pub code: String,
}

/// The answer of [`IntegrationModuleRequest`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationModuleResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub integration_module: IntegrationModule,
}

impl Endpoint for IntegrationModuleRequest {
    type Response = IntegrationModuleResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        let code = segment(&self.code, "module code")?;
        Ok(ApiRequest::get(
            format!("/api/v5/integration-modules/{code}"),
            Params::new(),
        ))
    }
}

/// `POST /api/v5/integration-modules/{code}/edit` with `integrationModule=<JSON>`: creates (201) or updates (200).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IntegrationModuleEditRequest {
    pub module: IntegrationModule,
}

/// The answer of [`IntegrationModuleEditRequest`]: `info` (`[]` when empty) kept as raw JSON.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct IntegrationModuleEditResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub info: Map<String, Value>,
}

impl Endpoint for IntegrationModuleEditRequest {
    type Response = IntegrationModuleEditResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        let code = segment(&self.module.code, "module code")?;
        let mut form = Params::new();
        form.json("integrationModule", &self.module)
            .map_err(|e| ApiError::InvalidRequest {
                detail: e.to_string(),
            })?;
        Ok(ApiRequest::post(
            format!("/api/v5/integration-modules/{code}/edit"),
            form,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::envelope::decode;
    use crate::api::transport::HttpResponse;

    /// api-client-php IntegrationTests::testGet, plus a store integration and an unknown field.
    const GET: &str = r#"{"success":true,"integrationModule":{
        "code":"mg-fbmessenger","integrationCode":"mg-fbmessenger","active":true,"freeze":false,
        "name":"Facebook Messenger","logo":"https://mg-tp-fbm-s1.retailcrm.pro/static/fbmessenger_logo.svg",
        "native":false,"baseUrl":"https://mg-tp-fbm-s1.retailcrm.pro/","actions":{"activity":"/actions/activity"},
        "availableCountries":[],"accountUrl":"https://mg-tp-fbm-s1.retailcrm.pro/settings/clientId",
        "futureField":{"x":1},
        "integrations":{"mgTransport":{"token":"token","isActive":true,"webhookUrl":"https://x/webhook/"},
          "store":{"actions":[{"code":"inventoriesUpload","url":"/callback/inventories","callPoints":["a","b"],"since":"2026"}]}}}}"#;

    #[test]
    fn get_fixture_reads_and_round_trips_unknown_fields() {
        let r: IntegrationModuleResponse = decode(&HttpResponse::json(200, GET)).unwrap();
        let m = r.integration_module;
        assert_eq!(m.code, "mg-fbmessenger");
        assert_eq!(m.freeze, Some(false));
        assert_eq!(m.actions["activity"], "/actions/activity");
        let action = m.store_action(INVENTORIES_UPLOAD_ACTION).unwrap();
        assert_eq!(action.call_points, ["a", "b"]);
        let written = serde_json::to_value(&m).unwrap();
        assert_eq!(written["futureField"]["x"], 1);
        assert_eq!(written["integrations"]["mgTransport"]["token"], "token");
        assert_eq!(
            written["integrations"]["store"]["actions"][0]["since"],
            "2026"
        );
        assert!(written.get("freeze").is_none() && written.get("native").is_none());
        // Only the unknown fields are kept aside (the known ones are not written twice).
        let rest = |map: &Map<String, Value>| map.keys().cloned().collect::<Vec<_>>();
        assert_eq!(rest(&m.extra), ["futureField"]);
        assert_eq!(rest(&m.integrations.extra), ["mgTransport"]);
        assert_eq!(rest(&action.extra), ["since"]);
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text.matches("\"integrationCode\"").count(), 1);
        assert_eq!(text.matches("\"callPoints\"").count(), 1);
    }

    #[test]
    fn empty_arrays_for_objects() {
        let body = r#"{"success":true,"integrationModule":{"code":"m","actions":[],"integrations":{"store":{"actions":[]}}}}"#;
        let m = decode::<IntegrationModuleResponse>(&HttpResponse::json(200, body))
            .unwrap()
            .integration_module;
        assert!(m.actions.is_empty());
        assert_eq!(m.integrations.store.unwrap().actions, vec![]);
        let no_integrations =
            r#"{"success":true,"integrationModule":{"code":"m","integrations":[]}}"#;
        let m =
            decode::<IntegrationModuleResponse>(&HttpResponse::json(200, no_integrations)).unwrap();
        assert!(m.integration_module.integrations.is_empty());
    }

    #[test]
    fn edit_encodes_one_json_field_and_sends_active_false() {
        let mut module = IntegrationModule {
            code: "my-wms".into(),
            integration_code: Some("my-wms".into()),
            active: Some(false),
            name: Some("My WMS".into()),
            base_url: Some("https://wms.example.com".into()),
            client_id: Some("c1".into()),
            ..Default::default()
        };
        module.set_store_action(StoreAction {
            code: INVENTORIES_UPLOAD_ACTION.into(),
            url: "/cb".into(),
            call_points: vec!["p".into()],
            ..Default::default()
        });
        let req = IntegrationModuleEditRequest { module }
            .to_request()
            .unwrap();
        assert_eq!(req.path, "/api/v5/integration-modules/my-wms/edit");
        let json = r#"{"code":"my-wms","integrationCode":"my-wms","active":false,"name":"My WMS","clientId":"c1","baseUrl":"https://wms.example.com","integrations":{"store":{"actions":[{"code":"inventoriesUpload","url":"/cb","callPoints":["p"]}]}}}"#;
        assert_eq!(
            req.form.pairs(),
            [("integrationModule".to_string(), json.to_string())]
        );
        assert!(req
            .form
            .encode()
            .starts_with("integrationModule=%7B%22code%22%3A%22my-wms%22"));
    }

    #[test]
    fn edit_answers_with_info_object_or_empty_array() {
        // api-client-php IntegrationTests::testPaymentEdit (`"info": []`) and testDeliveryEdit.
        let empty: IntegrationModuleEditResponse =
            decode(&HttpResponse::json(200, r#"{"success":true,"info":[]}"#)).unwrap();
        assert!(empty.info.is_empty());
        let full: IntegrationModuleEditResponse = decode(&HttpResponse::json(
            201,
            r#"{"success":true,"info":{"deliveryType":{"id":38,"code":"sdek-v-2-podkliuchenie-1"},"billingInfo":{"price":1000,"priceWithDiscount":1000,"billingType":"fixed","currency":{"name":"Рубль","shortName":"руб.","code":"RUB"}}}}"#,
        ))
        .unwrap();
        assert_eq!(full.info["deliveryType"]["id"], 38);
    }

    #[test]
    fn module_code_is_encoded_in_the_path_and_required() {
        let req = IntegrationModuleRequest {
            code: "a/b c".into(),
        }
        .to_request()
        .unwrap();
        assert_eq!(req.path, "/api/v5/integration-modules/a%2Fb%20c");
        assert!(IntegrationModuleRequest { code: " ".into() }
            .to_request()
            .is_err());
    }
}
