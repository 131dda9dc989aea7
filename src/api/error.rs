//! `ApiError`: every way a call to the CRM can fail, with a stable kind for translation and the CRM's own words.

use std::fmt;

/// The address of the deployment guide section about reaching the CRM from the browser (CORS, same-origin proxy).
pub const CORS_GUIDE: &str = "README.md#deploying";

/// One entry of the CRM's `errors`: `{"field": "message"}` gives a field, `["message"]` does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The offending field (or the index/key the CRM used), when the CRM named one.
    pub field: Option<String>,
    /// The CRM's message, as sent.
    pub message: String,
}

/// Why a call failed. Never contains the API key.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The request did not get an HTTP response (offline, DNS, refused, dropped). `probably_cors` is set in the
    /// browser when a cross-origin fetch failed without a response: most likely the CRM does not allow this origin.
    Network { detail: String, probably_cors: bool },
    /// The CRM kept answering 503/429 (rate limit) after every allowed attempt.
    RateLimited { status: u16, attempts: u32 },
    /// `Wrong "apiKey" value.`
    WrongKey,
    /// `"apiKey" is missing.`
    MissingKey,
    /// `Access denied.`: the key lacks the right for this method.
    AccessDenied { error_msg: String },
    /// No CRM account at this address (`Account does not exist.` or the HTML page of a missing account).
    AccountNotFound,
    /// The entity or method does not exist (HTTP 404 or `Not found`).
    NotFound { error_msg: Option<String> },
    /// Any other HTTP error status, with the CRM's `errorMsg` and `errors` when the body had them.
    Http {
        status: u16,
        error_msg: Option<String>,
        errors: Vec<FieldError>,
    },
    /// A 2xx answer with `success: false`.
    Api {
        status: u16,
        error_msg: Option<String>,
        errors: Vec<FieldError>,
    },
    /// The body could not be read as the expected JSON.
    Decode { detail: String },
    /// The request was refused before sending (e.g. more than 250 offers, an empty upload, a bad date).
    InvalidRequest { detail: String },
    /// The caller cancelled (page left, job cancelled).
    Cancelled,
}

/// The stable, translation-friendly kind of an [`ApiError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Network,
    Cors,
    RateLimited,
    WrongKey,
    MissingKey,
    AccessDenied,
    AccountNotFound,
    NotFound,
    Http,
    Api,
    Decode,
    InvalidRequest,
    Cancelled,
}

impl ErrorKind {
    /// A stable key for a translation table, e.g. `"api.error.rate_limited"`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Network => "api.error.network",
            Self::Cors => "api.error.cors",
            Self::RateLimited => "api.error.rate_limited",
            Self::WrongKey => "api.error.wrong_key",
            Self::MissingKey => "api.error.missing_key",
            Self::AccessDenied => "api.error.access_denied",
            Self::AccountNotFound => "api.error.account_not_found",
            Self::NotFound => "api.error.not_found",
            Self::Http => "api.error.http",
            Self::Api => "api.error.api",
            Self::Decode => "api.error.decode",
            Self::InvalidRequest => "api.error.invalid_request",
            Self::Cancelled => "api.error.cancelled",
        }
    }
}

impl ApiError {
    /// The stable kind, for translation and for deciding what the UI offers (re-enter key, retry, ...).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Network {
                probably_cors: true,
                ..
            } => ErrorKind::Cors,
            Self::Network { .. } => ErrorKind::Network,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::WrongKey => ErrorKind::WrongKey,
            Self::MissingKey => ErrorKind::MissingKey,
            Self::AccessDenied { .. } => ErrorKind::AccessDenied,
            Self::AccountNotFound => ErrorKind::AccountNotFound,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::Http { .. } => ErrorKind::Http,
            Self::Api { .. } => ErrorKind::Api,
            Self::Decode { .. } => ErrorKind::Decode,
            Self::InvalidRequest { .. } => ErrorKind::InvalidRequest,
            Self::Cancelled => ErrorKind::Cancelled,
        }
    }

    /// The CRM's own `errorMsg`, when it sent one (the key errors are recognised by their exact text).
    pub fn error_msg(&self) -> Option<&str> {
        match self {
            Self::WrongKey => Some("Wrong \"apiKey\" value."),
            Self::MissingKey => Some("\"apiKey\" is missing."),
            Self::AccessDenied { error_msg } => Some(error_msg),
            Self::NotFound { error_msg }
            | Self::Http { error_msg, .. }
            | Self::Api { error_msg, .. } => error_msg.as_deref(),
            _ => None,
        }
    }

    /// The CRM's `errors` list (field, message), empty when it sent none.
    pub fn errors(&self) -> &[FieldError] {
        match self {
            Self::Http { errors, .. } | Self::Api { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The HTTP status, when the CRM answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::RateLimited { status, .. }
            | Self::Http { status, .. }
            | Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self.kind(), ErrorKind::Network | ErrorKind::RateLimited)
            || matches!(self, Self::Http { status, .. } if *status >= 500)
    }

    /// A failure as a report keeps it: the CRM's own `errorMsg` and field errors (`field: message`) when it sent
    /// them, else the [`ApiError::description`] (network, rate limit after the retries).
    pub fn report_text(&self) -> String {
        let mut parts: Vec<String> = self.error_msg().map(str::to_string).into_iter().collect();
        parts.extend(self.errors().iter().map(|e| match &e.field {
            Some(field) => format!("{field}: {}", e.message),
            None => e.message.clone(),
        }));
        if parts.is_empty() {
            self.description()
        } else {
            parts.join("; ")
        }
    }

    /// A plain English description (the UI translates by [`ApiError::kind`]; this is the fallback and the log text).
    pub fn description(&self) -> String {
        let crm = |msg: &Option<String>, errors: &[FieldError]| {
            let mut s = String::new();
            if let Some(m) = msg {
                s.push_str(": ");
                s.push_str(m);
            }
            for e in errors {
                s.push_str("; ");
                if let Some(f) = &e.field {
                    s.push_str(f);
                    s.push_str(": ");
                }
                s.push_str(&e.message);
            }
            s
        };
        match self {
            Self::Network { probably_cors: true, .. } => format!(
                "The browser could not read the CRM's answer: the CRM most likely does not allow requests from this \
                 page's address (CORS). Open the panel through a same-origin proxy; see {CORS_GUIDE}"
            ),
            Self::Network { detail, .. } => format!("The CRM could not be reached ({detail})"),
            Self::RateLimited { status, attempts } => format!(
                "The CRM is limiting requests (HTTP {status}); gave up after {attempts} attempts. Try again later"
            ),
            Self::WrongKey => "The API key is wrong".to_owned(),
            Self::MissingKey => "No API key was given".to_owned(),
            Self::AccessDenied { error_msg } => {
                format!("The API key has no right to do this (the CRM said: {error_msg})")
            }
            Self::AccountNotFound => "There is no CRM account at this address".to_owned(),
            Self::NotFound { error_msg } => format!("Not found{}", crm(error_msg, &[])),
            Self::Http { status, error_msg, errors } => format!("The CRM answered HTTP {status}{}", crm(error_msg, errors)),
            Self::Api { error_msg, errors, .. } => format!("The CRM refused the request{}", crm(error_msg, errors)),
            Self::Decode { detail } => format!("The CRM's answer could not be read ({detail})"),
            Self::InvalidRequest { detail } => format!("The request was not sent: {detail}"),
            Self::Cancelled => "Cancelled".to_owned(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description())
    }
}

impl std::error::Error for ApiError {}
