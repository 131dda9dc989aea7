//! Checks of the module form before it is sent, and the placing of the CRM's own field errors on the form.

use super::form::ModuleForm;
use crate::api::FieldError;

/// A field of the form a message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Code,
    IntegrationCode,
    Name,
    ClientId,
    BaseUrl,
    AccountUrl,
    Logo,
    Active,
    /// A field of store action `index`.
    Action(usize, ActionField),
}

/// A field of a store action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionField {
    Code,
    Url,
    CallPoints,
}

/// What is wrong with a field, in terms the UI translates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    /// Only Latin letters, digits, `-` and `_` are allowed.
    BadCodeCharacters,
    /// `code` must start with `integrationCode`.
    CodePrefix,
    /// Not an absolute `http(s)://host...` address.
    NotAbsoluteUrl,
    /// `http://` for a host other than localhost / 127.0.0.1.
    NotHttps,
    /// The action url must start with `/`.
    ActionUrlSlash,
    /// Another action has the same code.
    DuplicateActionCode,
    /// No call point chosen.
    NoCallPoints,
    /// The CRM's own message.
    Crm(String),
}

/// Every problem of the form, in field order. An empty list means the form may be sent.
pub fn validate(form: &ModuleForm) -> Vec<(Field, Problem)> {
    let mut out = Vec::new();
    let code = form.code.trim();
    let integration_code = form.integration_code.trim();
    for (field, value) in [
        (Field::Code, code),
        (Field::IntegrationCode, integration_code),
    ] {
        if value.is_empty() {
            out.push((field, Problem::Required));
        } else if !is_code(value) {
            out.push((field, Problem::BadCodeCharacters));
        }
    }
    if !code.is_empty() && !integration_code.is_empty() && !code.starts_with(integration_code) {
        out.push((Field::Code, Problem::CodePrefix));
    }
    for (field, value) in [
        (Field::Name, &form.name),
        (Field::ClientId, &form.client_id),
    ] {
        if value.trim().is_empty() {
            out.push((field, Problem::Required));
        }
    }
    for (field, value, required) in [
        (Field::BaseUrl, &form.base_url, true),
        (Field::AccountUrl, &form.account_url, false),
        (Field::Logo, &form.logo, false),
    ] {
        match check_url(value) {
            Err(Problem::Required) if !required => {}
            Err(problem) => out.push((field, problem)),
            Ok(()) => {}
        }
    }
    for (i, row) in form.actions.iter().enumerate() {
        let action_code = row.code.trim();
        if action_code.is_empty() {
            out.push((Field::Action(i, ActionField::Code), Problem::Required));
        } else if form.actions[..i]
            .iter()
            .any(|r| r.code.trim() == action_code)
        {
            out.push((
                Field::Action(i, ActionField::Code),
                Problem::DuplicateActionCode,
            ));
        }
        let url = row.url.trim();
        if url.is_empty() {
            out.push((Field::Action(i, ActionField::Url), Problem::Required));
        } else if !url.starts_with('/') {
            out.push((Field::Action(i, ActionField::Url), Problem::ActionUrlSlash));
        }
        if row.call_points.iter().all(|p| p.trim().is_empty()) {
            out.push((
                Field::Action(i, ActionField::CallPoints),
                Problem::NoCallPoints,
            ));
        }
    }
    out
}

/// Whether `s` is a code: Latin letters, digits, `-`, `_`.
pub fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// An absolute `https://` address with a host; `http://` only for localhost and 127.0.0.1.
pub fn check_url(value: &str) -> Result<(), Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let (scheme, rest) = value.split_once("://").ok_or(Problem::NotAbsoluteUrl)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default().to_owned()
    };
    if host.is_empty() || value.chars().any(char::is_whitespace) {
        return Err(Problem::NotAbsoluteUrl);
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_local_host(&host) => Ok(()),
        "http" => Err(Problem::NotHttps),
        _ => Err(Problem::NotAbsoluteUrl),
    }
}

fn is_local_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost" || host == "127.0.0.1" || host == "[::1]"
}

/// Places the CRM's `errors` on the form's fields (`code`, `baseUrl`, `integrations[store][actions][0][url]`,
/// ...). Errors naming no field the form has are returned apart, to be shown with the general error.
pub fn place_crm_errors(errors: &[FieldError]) -> (Vec<(Field, Problem)>, Vec<FieldError>) {
    let mut placed = Vec::new();
    let mut rest = Vec::new();
    for e in errors {
        match e.field.as_deref().and_then(crm_field) {
            Some(field) => placed.push((field, Problem::Crm(e.message.clone()))),
            None => rest.push(e.clone()),
        }
    }
    (placed, rest)
}

/// The form field a CRM error key names, if any.
pub fn crm_field(name: &str) -> Option<Field> {
    let name = name.trim();
    let name = name.strip_prefix("integrationModule").map_or(name, |rest| {
        rest.trim_start_matches(['[', '.']).trim_end_matches(']')
    });
    let simple = match name {
        "code" => Some(Field::Code),
        "integrationCode" => Some(Field::IntegrationCode),
        "name" => Some(Field::Name),
        "clientId" => Some(Field::ClientId),
        "baseUrl" => Some(Field::BaseUrl),
        "accountUrl" => Some(Field::AccountUrl),
        "logo" => Some(Field::Logo),
        "active" => Some(Field::Active),
        _ => None,
    };
    if simple.is_some() {
        return simple;
    }
    // integrations[store][actions][0][url] or integrations.store.actions[0].url
    let parts: Vec<&str> = name
        .split(['[', ']', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        ["integrations", "store", "actions", index, field] => {
            let index = index.parse().ok()?;
            let field = match *field {
                "code" => ActionField::Code,
                "url" => ActionField::Url,
                "callPoints" => ActionField::CallPoints,
                _ => return None,
            };
            Some(Field::Action(index, field))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::form::ActionRow;

    fn good() -> ModuleForm {
        ModuleForm {
            code: "my-wms-1".into(),
            integration_code: "my-wms".into(),
            name: "My WMS".into(),
            active: true,
            client_id: "c".into(),
            base_url: "https://wms.example.com".into(),
            account_url: "http://localhost:8080/".into(),
            logo: "".into(),
            actions: vec![ActionRow {
                code: "inventoriesUpload".into(),
                url: "/cb".into(),
                call_points: vec!["manual".into()],
                original: None,
            }],
            original: None,
        }
    }

    fn problems(form: &ModuleForm) -> Vec<(Field, Problem)> {
        validate(form)
    }

    #[test]
    fn a_complete_form_passes() {
        assert_eq!(problems(&good()), vec![]);
    }

    #[test]
    fn required_fields_and_code_rules() {
        let mut f = good();
        f.name = " ".into();
        f.client_id.clear();
        f.base_url.clear();
        f.code = "мой wms".into();
        let p = problems(&f);
        assert!(p.contains(&(Field::Name, Problem::Required)));
        assert!(p.contains(&(Field::ClientId, Problem::Required)));
        assert!(p.contains(&(Field::BaseUrl, Problem::Required)));
        assert!(p.contains(&(Field::Code, Problem::BadCodeCharacters)));
        let mut f = good();
        f.code = "other".into();
        assert_eq!(problems(&f), vec![(Field::Code, Problem::CodePrefix)]);
        f.integration_code.clear();
        assert_eq!(
            problems(&f),
            vec![(Field::IntegrationCode, Problem::Required)]
        );
    }

    #[test]
    fn urls_must_be_absolute_https_or_local_http() {
        assert_eq!(check_url("https://a.example/x"), Ok(()));
        assert_eq!(check_url("http://127.0.0.1:9000/"), Ok(()));
        assert_eq!(check_url("http://localhost"), Ok(()));
        assert_eq!(check_url("http://[::1]:80/"), Ok(()));
        assert_eq!(check_url("http://wms.example.com"), Err(Problem::NotHttps));
        assert_eq!(
            check_url("http://localhost.evil.com"),
            Err(Problem::NotHttps)
        );
        assert_eq!(check_url("wms.example.com"), Err(Problem::NotAbsoluteUrl));
        assert_eq!(check_url("/relative"), Err(Problem::NotAbsoluteUrl));
        assert_eq!(check_url("ftp://x"), Err(Problem::NotAbsoluteUrl));
        assert_eq!(check_url("https://"), Err(Problem::NotAbsoluteUrl));
        assert_eq!(check_url("https://a b"), Err(Problem::NotAbsoluteUrl));
        assert_eq!(check_url(""), Err(Problem::Required));
        let mut f = good();
        f.logo = "http://cdn.example/logo.svg".into();
        f.base_url = "not a url".into();
        assert_eq!(
            problems(&f),
            vec![
                (Field::BaseUrl, Problem::NotAbsoluteUrl),
                (Field::Logo, Problem::NotHttps)
            ]
        );
    }

    #[test]
    fn action_rules() {
        let mut f = good();
        let mut second = f.actions[0].clone();
        second.url = "cb".into();
        second.call_points = vec![" ".into()];
        f.actions.push(second);
        f.actions.push(ActionRow::default());
        assert_eq!(
            problems(&f),
            vec![
                (
                    Field::Action(1, ActionField::Code),
                    Problem::DuplicateActionCode
                ),
                (Field::Action(1, ActionField::Url), Problem::ActionUrlSlash),
                (
                    Field::Action(1, ActionField::CallPoints),
                    Problem::NoCallPoints
                ),
                (Field::Action(2, ActionField::Code), Problem::Required),
                (Field::Action(2, ActionField::Url), Problem::Required),
                (
                    Field::Action(2, ActionField::CallPoints),
                    Problem::NoCallPoints
                ),
            ]
        );
    }

    #[test]
    fn crm_errors_land_on_their_fields() {
        let e = |f: Option<&str>, m: &str| FieldError {
            field: f.map(str::to_owned),
            message: m.into(),
        };
        let (placed, rest) = place_crm_errors(&[
            e(Some("code"), "Code prefix must match integrationCode"),
            e(Some("integrations[store][actions][1][url]"), "blank"),
            e(Some("integrationModule[baseUrl]"), "bad"),
            e(Some("integrations.store.actions[0].callPoints"), "x"),
            e(Some("somethingElse"), "other"),
            e(None, "general"),
        ]);
        assert_eq!(
            placed,
            vec![
                (
                    Field::Code,
                    Problem::Crm("Code prefix must match integrationCode".into())
                ),
                (
                    Field::Action(1, ActionField::Url),
                    Problem::Crm("blank".into())
                ),
                (Field::BaseUrl, Problem::Crm("bad".into())),
                (
                    Field::Action(0, ActionField::CallPoints),
                    Problem::Crm("x".into())
                ),
            ]
        );
        assert_eq!(rest.len(), 2);
    }
}
