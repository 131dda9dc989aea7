//! `Endpoint`: a typed request that knows its method, path, query and form, and the type of its answer.

use serde::de::DeserializeOwned;

use super::encode::{list_query, percent_encode, Params};
use super::envelope::Pagination;
use super::error::ApiError;
use super::transport::Method;

/// A request before the base URL and the key are added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRequest {
    pub method: Method,
    /// Path from the account root, e.g. `/api/v5/store/inventories`, segments already encoded.
    pub path: String,
    pub query: Params,
    /// The form body of a POST (empty for GET).
    pub form: Params,
}

impl ApiRequest {
    /// A GET of `path` with `query`.
    pub fn get(path: impl Into<String>, query: Params) -> Self {
        Self {
            method: Method::Get,
            path: path.into(),
            query,
            form: Params::new(),
        }
    }

    /// A POST of `form` to `path`.
    pub fn post(path: impl Into<String>, form: Params) -> Self {
        Self {
            method: Method::Post,
            path: path.into(),
            query: Params::new(),
            form,
        }
    }

    /// `path?query` (the query only when there is one).
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query.encode())
        }
    }
}

/// One API method: how to build its request and what it answers.
pub trait Endpoint {
    type Response: DeserializeOwned;
    /// The request, or [`ApiError::InvalidRequest`] when it must not be sent as it is.
    fn to_request(&self) -> Result<ApiRequest, ApiError>;
}

/// A paginated list method: `limit`, `page` and the method's `filter[...]` fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRequest<F> {
    pub limit: Option<u32>,
    pub page: Option<u32>,
    pub filter: F,
}

/// The filter of a list method: the list's path, its answer, and how its fields go into the query.
pub trait ListFilter {
    /// The path of the list, e.g. `/api/v5/store/inventories`.
    const PATH: &'static str;
    type Response: DeserializeOwned;
    /// Appends the `filter[...]` fields that are set (empty lists and `None` are not sent).
    fn encode(&self, q: &mut Params);
}

impl<F: ListFilter> Endpoint for ListRequest<F> {
    type Response = F::Response;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        let query = list_query(self.limit, self.page, |q| self.filter.encode(q));
        Ok(ApiRequest::get(F::PATH, query))
    }
}

/// A list method with `page` and `pagination`, read page by page (`crate::runner::read`).
pub trait Paged: Endpoint + Clone {
    /// The same request for another page (1-based).
    fn with_page(&self, page: u32) -> Self;
    /// The page this request asks for (1 when unset).
    fn page(&self) -> u32;
    /// The `pagination` of an answer.
    fn pagination(resp: &Self::Response) -> &Pagination;
    /// How many items an answer holds.
    fn item_count(resp: &Self::Response) -> usize;
    /// What the list holds.
    type Item;
    /// The items of an answer.
    fn into_items(resp: Self::Response) -> Vec<Self::Item>;
}

/// Implements [`Paged`] for a request with `page: Option<u32>` whose response has `pagination` and a list field
/// `$items` of `$item`.
macro_rules! paged {
    ($req:ty, $items:ident, $item:ty) => {
        impl $crate::api::endpoint::Paged for $req {
            type Item = $item;
            fn with_page(&self, page: u32) -> Self {
                Self {
                    page: Some(page),
                    ..self.clone()
                }
            }
            fn page(&self) -> u32 {
                self.page.unwrap_or(1)
            }
            fn pagination(resp: &Self::Response) -> &$crate::api::envelope::Pagination {
                &resp.pagination
            }
            fn item_count(resp: &Self::Response) -> usize {
                resp.$items.len()
            }
            fn into_items(resp: Self::Response) -> Vec<$item> {
                resp.$items
            }
        }
    };
}
pub(crate) use paged;

/// A path segment (an entity code or id) percent-encoded; `""`, `.` and `..` refused (a browser reads `.`, `..`
/// and their encoded forms as "this" and "the parent" path, so the request would go to another method).
pub fn segment(value: &str, what: &str) -> Result<String, ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::InvalidRequest {
            detail: format!("the {what} is empty"),
        });
    }
    if value == "." || value == ".." {
        return Err(ApiError::InvalidRequest {
            detail: format!("the {what} cannot be “{value}”"),
        });
    }
    Ok(percent_encode(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_and_dot_segments_refused() {
        assert_eq!(segment("a/b c", "code").unwrap(), "a%2Fb%20c");
        assert_eq!(segment("v1.2", "code").unwrap(), "v1.2");
        assert_eq!(segment("...", "code").unwrap(), "...");
        for refused in ["", " ", ".", ".."] {
            let error = segment(refused, "module code").unwrap_err();
            assert_eq!(
                error.kind(),
                crate::api::ErrorKind::InvalidRequest,
                "{refused:?}"
            );
        }
    }
}
