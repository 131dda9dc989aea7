//! The change list shown before saving: every field of the module to send against what the CRM holds.

use serde_json::Value;

use crate::api::endpoint::ApiRequest;
use crate::api::module::IntegrationModule;

/// The form field of the edit request that carries the module.
const MODULE_FIELD: &str = "integrationModule";

/// How one field differs from the CRM's copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

impl ChangeKind {
    /// A stable name for markup and tests.
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
        }
    }
}

/// One changed field: its path (`name`, `integrations.store.actions[inventoriesUpload].callPoints`) and the
/// values before (the CRM's) and after (to be sent), as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What sending `next` changes in `held` (the CRM's copy; `None` for a module the CRM does not hold, where every
/// field is added). Unchanged fields are not listed, the rest come sorted by path; fields are compared as they go over the wire (so fields the
/// panel only reads, like `freeze`, never show up). Actions are matched by code, not by position.
pub fn change_list(held: Option<&IntegrationModule>, next: &IntegrationModule) -> Vec<Change> {
    let mut before = Vec::new();
    if let Some(held) = held {
        flatten("", &wire(held), &mut before);
    }
    let mut after = Vec::new();
    flatten("", &wire(next), &mut after);
    let mut out = Vec::new();
    for (path, new) in &after {
        match before.iter().find(|(p, _)| p == path) {
            None => out.push(change(path, ChangeKind::Added, None, Some(new))),
            Some((_, old)) if old != new => {
                out.push(change(path, ChangeKind::Changed, Some(old), Some(new)))
            }
            Some(_) => {}
        }
    }
    for (path, old) in &before {
        if !after.iter().any(|(p, _)| p == path) {
            out.push(change(path, ChangeKind::Removed, Some(old), None));
        }
    }
    crate::order::sort_by(&mut out, |a, b| a.path.cmp(&b.path));
    out
}

/// The `integrationModule` JSON of an edit request exactly as it will be sent, decoded and pretty-printed.
pub fn sent_module_json(request: &ApiRequest) -> Option<String> {
    let (_, text) = request
        .form
        .pairs()
        .iter()
        .find(|(k, _)| k == MODULE_FIELD)?;
    let value: Value = serde_json::from_str(text).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

fn change(path: &str, kind: ChangeKind, before: Option<&Value>, after: Option<&Value>) -> Change {
    Change {
        path: path.to_owned(),
        kind,
        before: before.map(text),
        after: after.map(text),
    }
}

/// The module as it is serialised for the CRM (`Null` if it cannot be, which a module always can). Through the text
/// the request carries, so the module's serialisation is compiled for one serializer only (not also for `Value`'s).
fn wire(module: &IntegrationModule) -> Value {
    serde_json::to_string(module)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null)
}

/// A value as shown: strings bare, everything else as compact JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The leaves of `value` with their paths. Objects are walked by key; lists of objects by their `code` (or
/// `#index` when a code is missing or repeated); other lists are one value.
fn flatten(path: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                flatten(&join(key), v, out);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
            let mut seen: Vec<&str> = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let key = match item.get("code").and_then(Value::as_str) {
                    Some(code) if !code.is_empty() && !seen.contains(&code) => {
                        seen.push(code);
                        code.to_owned()
                    }
                    _ => format!("#{index}"),
                };
                flatten(&format!("{path}[{key}]"), item, out);
            }
        }
        other => out.push((path.to_owned(), other.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::form::{ActionRow, ModuleForm};
    use serde_json::json;

    fn held() -> IntegrationModule {
        serde_json::from_value(json!({
            "code": "wms", "integrationCode": "wms", "active": true, "freeze": false, "name": "WMS",
            "clientId": "c1", "baseUrl": "https://wms.example.com", "logo": "https://wms.example.com/l.svg",
            "integrations": {"store": {"actions": [
                {"code": "inventoriesUpload", "url": "/cb", "callPoints": ["a", "b"]},
                {"code": "other", "url": "/o", "callPoints": ["x"]}]}}
        }))
        .unwrap()
    }

    fn paths(changes: &[Change], kind: ChangeKind) -> Vec<&str> {
        changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.path.as_str())
            .collect()
    }

    #[test]
    fn the_sent_json_is_the_request_field_pretty_printed() {
        use crate::api::module::IntegrationModuleEditRequest;
        use crate::api::Endpoint;
        let req = IntegrationModuleEditRequest { module: held() }
            .to_request()
            .unwrap();
        let json = sent_module_json(&req).unwrap();
        assert!(json.contains("\n  \"code\": \"wms\""));
        let back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, serde_json::to_value(held()).unwrap());
        assert!(!json.contains("freeze"));
    }

    #[test]
    fn an_untouched_form_changes_nothing() {
        let form = ModuleForm::from_module(&held());
        assert_eq!(change_list(Some(&held()), &form.to_module()), vec![]);
    }

    #[test]
    fn changed_added_and_removed_fields_are_listed_and_nothing_else() {
        let mut form = ModuleForm::from_module(&held());
        form.name = "WMS 2".into();
        form.logo = String::new();
        form.account_url = "https://wms.example.com/settings".into();
        form.actions[0].call_points.push("c".into());
        form.actions.remove(1);
        form.actions.push(ActionRow {
            code: "extra".into(),
            url: "/e".into(),
            call_points: vec!["y".into()],
            original: None,
        });
        let changes = change_list(Some(&held()), &form.to_module());
        assert_eq!(
            paths(&changes, ChangeKind::Changed),
            [
                "integrations.store.actions[inventoriesUpload].callPoints",
                "name"
            ]
        );
        assert_eq!(
            paths(&changes, ChangeKind::Added),
            [
                "accountUrl",
                "integrations.store.actions[extra].callPoints",
                "integrations.store.actions[extra].code",
                "integrations.store.actions[extra].url",
            ]
        );
        assert_eq!(
            paths(&changes, ChangeKind::Removed),
            [
                "integrations.store.actions[other].callPoints",
                "integrations.store.actions[other].code",
                "integrations.store.actions[other].url",
                "logo",
            ]
        );
        let name = changes.iter().find(|c| c.path == "name").unwrap();
        assert_eq!(name.before.as_deref(), Some("WMS"));
        assert_eq!(name.after.as_deref(), Some("WMS 2"));
        let points = changes
            .iter()
            .find(|c| c.path.ends_with("[inventoriesUpload].callPoints"))
            .unwrap();
        assert_eq!(points.before.as_deref(), Some(r#"["a","b"]"#));
        assert_eq!(points.after.as_deref(), Some(r#"["a","b","c"]"#));
    }

    #[test]
    fn a_new_module_lists_every_field_as_added() {
        let mut form = ModuleForm::new_module("wms");
        form.name = "WMS".into();
        let changes = change_list(None, &form.to_module());
        assert!(changes
            .iter()
            .all(|c| c.kind == ChangeKind::Added && c.before.is_none()));
        assert_eq!(
            changes.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(),
            [
                "active",
                "code",
                "integrationCode",
                "integrations.store.actions[inventoriesUpload].callPoints",
                "integrations.store.actions[inventoriesUpload].code",
                "integrations.store.actions[inventoriesUpload].url",
                "name",
            ]
        );
    }

    #[test]
    fn actions_are_matched_by_code_and_repeats_by_position() {
        let mut module = held();
        let mut moved = held();
        if let Some(store) = moved.integrations.store.as_mut() {
            store.actions.reverse();
        }
        assert_eq!(change_list(Some(&module), &moved), vec![]);
        if let Some(store) = module.integrations.store.as_mut() {
            store.actions[1].code = "inventoriesUpload".into();
        }
        let changes = change_list(Some(&held()), &module);
        assert_eq!(
            changes.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(),
            [
                "integrations.store.actions[#1].callPoints",
                "integrations.store.actions[#1].code",
                "integrations.store.actions[#1].url",
                "integrations.store.actions[other].callPoints",
                "integrations.store.actions[other].code",
                "integrations.store.actions[other].url",
            ]
        );
    }
}
