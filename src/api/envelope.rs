//! The response envelope (`success`, `errorMsg`, `errors`, `pagination`) and the mapping of answers to `ApiError`.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

use super::error::{ApiError, FieldError};
use super::lenient;
use super::transport::HttpResponse;

/// The `pagination` block of list responses (`page` is 1-based).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    #[serde(default, deserialize_with = "lenient::count")]
    pub limit: u32,
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_count: u32,
    #[serde(default, deserialize_with = "lenient::count")]
    pub current_page: u32,
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_page_count: u32,
}

/// What every answer says of itself: `success`, `errorMsg`, `errors`.
struct Envelope {
    success: Option<bool>,
    error_msg: Option<String>,
    errors: Vec<FieldError>,
}

impl Envelope {
    /// The envelope of an answer already parsed (its other fields untouched).
    fn of(answer: &Value) -> Envelope {
        let field = |name: &str| answer.get(name).cloned().unwrap_or(Value::Null);
        Envelope {
            success: lenient::opt_bool(field("success")).ok().flatten(),
            error_msg: lenient::opt_string(field("errorMsg")).ok().flatten(),
            errors: field_errors(field("errors")).unwrap_or_default(),
        }
    }
}

/// `errors` as `{"field": "message"}` or `["message"]` (or anything else, kept as text) → a flat list.
fn field_errors<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<FieldError>, D::Error> {
    fn text(v: Value) -> String {
        match v {
            Value::String(s) => s,
            other => other.to_string(),
        }
    }
    Ok(match Value::deserialize(d)? {
        Value::Null => Vec::new(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| FieldError {
                field: Some(k),
                message: text(v),
            })
            .collect(),
        Value::Array(items) => items
            .into_iter()
            .map(|v| FieldError {
                field: None,
                message: text(v),
            })
            .collect(),
        other => vec![FieldError {
            field: None,
            message: text(other),
        }],
    })
}

fn looks_like_html(resp: &HttpResponse) -> bool {
    resp.header("content-type")
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
        || resp.body.trim_start().starts_with('<')
}

/// Reads a final (not retried) response as `T`, or as the [`ApiError`] it describes.
pub fn decode<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T, ApiError> {
    super::json::decode(checked_answer(resp)?).map_err(|e: serde_json::Error| ApiError::Decode {
        detail: e.to_string(),
    })
}

/// The answer as JSON once it is known not to be an error (one copy for every model, not one per model).
#[inline(never)]
fn checked_answer(resp: &HttpResponse) -> Result<Value, ApiError> {
    let status = resp.status;
    let answer: Value = match serde_json::from_str(&resp.body) {
        Ok(answer) => answer,
        Err(e) => {
            return Err(
                if looks_like_html(resp)
                    && (status == 404 || status == 405 || (200..300).contains(&status))
                {
                    // The web server's page for an address that is not a CRM account (nginx 405 for a POST).
                    ApiError::AccountNotFound
                } else if status >= 400 {
                    ApiError::Http {
                        status,
                        error_msg: None,
                        errors: Vec::new(),
                    }
                } else {
                    ApiError::Decode {
                        detail: format!("HTTP {status}, not JSON: {e}"),
                    }
                },
            );
        }
    };
    let envelope = Envelope::of(&answer);
    if status >= 400 || envelope.success == Some(false) {
        return Err(classify(status, envelope));
    }
    Ok(answer)
}

fn classify(status: u16, env: Envelope) -> ApiError {
    let msg = env
        .error_msg
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_ascii_lowercase();
    if msg.starts_with("wrong \"apikey\" value") {
        ApiError::WrongKey
    } else if msg.starts_with("\"apikey\" is missing") {
        ApiError::MissingKey
    } else if msg.starts_with("access denied") {
        ApiError::AccessDenied {
            error_msg: env.error_msg.unwrap_or_default(),
        }
    } else if msg.starts_with("account does not exist") {
        ApiError::AccountNotFound
    } else if status == 404 || msg == "not found" {
        ApiError::NotFound {
            error_msg: env.error_msg,
        }
    } else if status >= 400 {
        ApiError::Http {
            status,
            error_msg: env.error_msg,
            errors: env.errors,
        }
    } else {
        ApiError::Api {
            status,
            error_msg: env.error_msg,
            errors: env.errors,
        }
    }
}

/// The body of a successful call that returns nothing but `success` (and whatever else, ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Empty {}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ApiError {
        decode::<Empty>(&HttpResponse::json(status, body)).unwrap_err()
    }

    #[test]
    fn standard_error_messages_map_to_kinds() {
        assert_eq!(
            err(
                403,
                r#"{"success":false,"errorMsg":"Wrong \"apiKey\" value."}"#
            ),
            ApiError::WrongKey
        );
        assert_eq!(
            err(
                400,
                r#"{"success":false,"errorMsg":"\"apiKey\" is missing."}"#
            ),
            ApiError::MissingKey
        );
        assert_eq!(
            err(403, r#"{"success":false,"errorMsg":"Access denied."}"#),
            ApiError::AccessDenied {
                error_msg: "Access denied.".into()
            }
        );
        assert_eq!(
            err(
                400,
                r#"{"success":false,"errorMsg":"Account does not exist."}"#
            ),
            ApiError::AccountNotFound
        );
        assert_eq!(
            err(404, r#"{"success":false,"errorMsg":"Not found"}"#),
            ApiError::NotFound {
                error_msg: Some("Not found".into())
            }
        );
    }

    #[test]
    fn errors_as_object_or_array() {
        // Go client error_test.go: TestFailure_ApiErrorsMap / TestFailure_ApiErrorsSlice.
        let map = err(
            400,
            r#"{"success":false,"errorMsg":"Errors in the entity format","errors":{"code":"Code prefix must match integrationCode","name":"blank"}}"#,
        );
        assert_eq!(map.error_msg(), Some("Errors in the entity format"));
        assert_eq!(
            map.errors(),
            [
                FieldError {
                    field: Some("code".into()),
                    message: "Code prefix must match integrationCode".into()
                },
                FieldError {
                    field: Some("name".into()),
                    message: "blank".into()
                },
            ]
        );
        let list = err(
            400,
            r#"{"success":false,"errorMsg":"Failed to trim data","errors":["Something went wrong"]}"#,
        );
        assert_eq!(
            list.errors(),
            [FieldError {
                field: None,
                message: "Something went wrong".into()
            }]
        );
        assert!(list
            .description()
            .contains("Failed to trim data; Something went wrong"));
        let nested = err(
            400,
            r#"{"success":false,"errorMsg":"x","errors":{"offers":{"0":"bad"}}}"#,
        );
        assert_eq!(nested.errors()[0].message, r#"{"0":"bad"}"#);
    }

    #[test]
    fn success_false_with_200_is_an_api_error() {
        let e = err(
            200,
            r#"{"success":false,"errorMsg":"Validation error","errors":[]}"#,
        );
        assert_eq!(
            e,
            ApiError::Api {
                status: 200,
                error_msg: Some("Validation error".into()),
                errors: vec![]
            }
        );
    }

    #[test]
    fn html_of_a_missing_account() {
        // api-client-php ErrorTest: nginx 405 page for an address that is not an account.
        let html = "<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>";
        let resp = HttpResponse {
            status: 405,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: html.into(),
        };
        assert_eq!(
            decode::<Empty>(&resp).unwrap_err(),
            ApiError::AccountNotFound
        );
        let page_200 = HttpResponse {
            status: 200,
            headers: vec![],
            body: "<!doctype html><p>shop</p>".into(),
        };
        assert_eq!(
            decode::<Empty>(&page_200).unwrap_err(),
            ApiError::AccountNotFound
        );
        let bad_gateway = HttpResponse {
            status: 502,
            headers: vec![],
            body: "<html>502</html>".into(),
        };
        assert_eq!(
            decode::<Empty>(&bad_gateway).unwrap_err().kind(),
            crate::api::ErrorKind::Http
        );
    }

    #[test]
    fn garbage_is_a_decode_error() {
        assert_eq!(
            err(200, "{\"success\": tru").kind(),
            crate::api::ErrorKind::Decode
        );
        #[derive(Debug, Deserialize)]
        struct Needs {
            #[allow(dead_code)]
            versions: Vec<String>,
        }
        let e = decode::<Needs>(&HttpResponse::json(200, r#"{"success":true}"#)).unwrap_err();
        assert!(matches!(e, ApiError::Decode { .. }), "{e:?}");
    }

    #[test]
    fn pagination_reads_numbers_in_any_spelling() {
        let p: Pagination = serde_json::from_str(
            r#"{"limit":"20","totalCount":29,"currentPage":1.0,"totalPageCount":2}"#,
        )
        .unwrap();
        assert_eq!(
            p,
            Pagination {
                limit: 20,
                total_count: 29,
                current_page: 1,
                total_page_count: 2
            }
        );
    }
}
