//! The module form: the fields a warehouse system edits, read from and written back into an `integrationModule`.

use crate::api::module::{
    IntegrationModule, StoreAction, StoreIntegration, INVENTORIES_UPLOAD_ACTION,
};

/// Call points offered as suggestions. The public sources do not confirm the allowed values: the form accepts
/// any text and keeps whatever the CRM returns.
pub const SUGGESTED_CALL_POINTS: &[&str] = &["order_create", "order_edit", "manual", "inventories"];

/// The url a new `inventoriesUpload` action gets.
pub const DEFAULT_ACTION_URL: &str = "/callback/inventories";

/// One store action as edited: call points are kept as a list of free values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActionRow {
    pub code: String,
    pub url: String,
    pub call_points: Vec<String>,
    /// The action as the CRM returned it (unknown fields are sent back), `None` for a new row.
    pub original: Option<StoreAction>,
}

/// The editable fields of a module; `original` is the module as the CRM holds it (or `None` when new).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModuleForm {
    pub code: String,
    pub integration_code: String,
    pub name: String,
    pub active: bool,
    pub client_id: String,
    pub base_url: String,
    pub account_url: String,
    pub logo: String,
    pub actions: Vec<ActionRow>,
    pub original: Option<IntegrationModule>,
}

impl ModuleForm {
    /// A form for a module the CRM does not hold yet: active, integration code = code, one `inventoriesUpload`
    /// action with no call points chosen.
    pub fn new_module(code: &str) -> ModuleForm {
        ModuleForm {
            code: code.trim().to_owned(),
            integration_code: code.trim().to_owned(),
            active: true,
            actions: vec![ActionRow {
                code: INVENTORIES_UPLOAD_ACTION.to_owned(),
                url: DEFAULT_ACTION_URL.to_owned(),
                ..ActionRow::default()
            }],
            ..ModuleForm::default()
        }
    }

    /// The form for a module the CRM returned.
    pub fn from_module(module: &IntegrationModule) -> ModuleForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let actions = module
            .integrations
            .store
            .as_ref()
            .map(|s| {
                s.actions
                    .iter()
                    .map(|a| ActionRow {
                        code: a.code.clone(),
                        url: a.url.clone(),
                        call_points: a.call_points.clone(),
                        original: Some(a.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ModuleForm {
            code: module.code.clone(),
            integration_code: text(&module.integration_code),
            name: text(&module.name),
            active: module.active.unwrap_or(false),
            client_id: text(&module.client_id),
            base_url: text(&module.base_url),
            account_url: text(&module.account_url),
            logo: text(&module.logo),
            actions,
            original: Some(module.clone()),
        }
    }

    /// The module to send: the CRM's copy with the edited fields put in, so fields the panel does not edit
    /// (other integrations, countries, unknown fields) go back unchanged. Texts are trimmed; empty optional
    /// texts are left out.
    pub fn to_module(&self) -> IntegrationModule {
        let mut module = self.original.clone().unwrap_or_default();
        let opt = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        };
        module.code = self.code.trim().to_owned();
        module.integration_code = opt(&self.integration_code);
        module.name = opt(&self.name);
        module.active = Some(self.active);
        module.client_id = opt(&self.client_id);
        module.base_url = opt(&self.base_url);
        module.account_url = opt(&self.account_url);
        module.logo = opt(&self.logo);
        let actions: Vec<StoreAction> = self
            .actions
            .iter()
            .map(|row| {
                let mut action = row.original.clone().unwrap_or_default();
                action.code = row.code.trim().to_owned();
                action.url = row.url.trim().to_owned();
                action.call_points = clean_call_points(&row.call_points);
                action
            })
            .collect();
        let keep_store = module.integrations.store.is_some() || !actions.is_empty();
        if keep_store {
            module
                .integrations
                .store
                .get_or_insert_with(StoreIntegration::default)
                .actions = actions;
        }
        module
    }

    /// The full callback address of action `index` as the CRM composes it, when both parts are there.
    pub fn callback_address(&self, index: usize) -> Option<String> {
        let row = self.actions.get(index)?;
        callback_address(&self.base_url, &row.url)
    }

    /// The index of the `inventoriesUpload` action, if the form has one.
    pub fn inventories_action(&self) -> Option<usize> {
        self.actions
            .iter()
            .position(|a| a.code.trim() == INVENTORIES_UPLOAD_ACTION)
    }
}

/// `baseUrl` + the action's `url`. One `/` is dropped where both have it (as the sandbox does; the CRM's exact
/// joining rule is not documented).
pub fn callback_address(base_url: &str, url: &str) -> Option<String> {
    let base = base_url.trim();
    let path = url.trim();
    if base.is_empty() || path.is_empty() {
        return None;
    }
    Some(match (base.ends_with('/'), path.strip_prefix('/')) {
        (true, Some(rest)) => format!("{base}{rest}"),
        _ => format!("{base}{path}"),
    })
}

/// Call points trimmed, without blanks and repeats, in the order given.
pub fn clean_call_points(points: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in points {
        let p = p.trim();
        if !p.is_empty() && !out.iter().any(|o| o == p) {
            out.push(p.to_owned());
        }
    }
    out
}

/// Splits what the user typed in a call-point box (commas, spaces or new lines) into values.
pub fn parse_call_points(text: &str) -> Vec<String> {
    clean_call_points(
        &text
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    )
}

/// "Use this panel's address": the page origin with a trailing `/`.
pub fn panel_address(origin: &str) -> String {
    format!("{}/", origin.trim().trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture() -> IntegrationModule {
        serde_json::from_value(json!({
            "code": "demo-wms", "integrationCode": "demo-wms", "active": true, "freeze": false,
            "name": "Demo", "clientId": "c1", "baseUrl": "https://wms.example.com/",
            "availableCountries": ["RU"], "futureField": 7,
            "integrations": {"delivery": {"x": 1}, "store": {"other": true, "actions": [
                {"code": "inventoriesUpload", "url": "/cb", "callPoints": ["p1", "p2"], "since": 1}]}}
        }))
        .unwrap()
    }

    #[test]
    fn round_trip_keeps_unknown_fields_and_edits() {
        let mut form = ModuleForm::from_module(&fixture());
        assert_eq!(form.actions[0].call_points, ["p1", "p2"]);
        form.name = "  New name ".into();
        form.actions[0].call_points.push("p3".into());
        let out = serde_json::to_value(form.to_module()).unwrap();
        assert_eq!(out["name"], "New name");
        assert_eq!(out["futureField"], 7);
        assert_eq!(out["availableCountries"], json!(["RU"]));
        assert_eq!(out["integrations"]["delivery"]["x"], 1);
        assert_eq!(out["integrations"]["store"]["other"], true);
        let action = &out["integrations"]["store"]["actions"][0];
        assert_eq!(action["callPoints"], json!(["p1", "p2", "p3"]));
        assert_eq!(action["since"], 1);
        assert!(out.get("freeze").is_none());
    }

    #[test]
    fn new_module_has_an_inventories_action_and_removing_all_actions_sends_an_empty_list() {
        let mut form = ModuleForm::new_module(" my-wms ");
        assert_eq!(form.code, "my-wms");
        assert_eq!(form.inventories_action(), Some(0));
        assert!(form.active);
        let out = serde_json::to_value(form.to_module()).unwrap();
        assert_eq!(
            out["integrations"]["store"]["actions"][0]["url"],
            DEFAULT_ACTION_URL
        );
        assert_eq!(out["active"], true);
        assert!(out.get("logo").is_none());
        form.actions.clear();
        let out = serde_json::to_value(form.to_module()).unwrap();
        assert!(out.get("integrations").is_none());
        let mut held = ModuleForm::from_module(&fixture());
        held.actions.clear();
        let out = serde_json::to_value(held.to_module()).unwrap();
        assert_eq!(out["integrations"]["store"]["actions"], json!([]));
    }

    #[test]
    fn callback_address_joins_one_slash() {
        assert_eq!(
            callback_address("https://w.example/", "/cb").as_deref(),
            Some("https://w.example/cb")
        );
        assert_eq!(
            callback_address("https://w.example/api", "/cb").as_deref(),
            Some("https://w.example/api/cb")
        );
        assert_eq!(callback_address(" ", "/cb"), None);
        assert_eq!(callback_address("https://w", ""), None);
    }

    #[test]
    fn call_points_are_split_trimmed_and_deduplicated() {
        assert_eq!(parse_call_points(" a, b\nc  a,,"), ["a", "b", "c"]);
        assert!(parse_call_points("  ").is_empty());
        assert_eq!(
            panel_address("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(panel_address("http://h"), "http://h/");
    }
}
