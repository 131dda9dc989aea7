//! `limit` / `page` of list methods (limit ∈ 20, 50, 100, 250; default 20) and the `pagination` object.

use crate::encoding::{input_error, Params};
use crate::error::ApiError;
use serde_json::{json, Value};
use std::ops::Range;

/// Allowed page sizes ([PHP] `PaginationLimit`; whether every method accepts 250 is UNCONFIRMED).
pub const LIMITS: [usize; 4] = [20, 50, 100, 250];

/// A validated page request.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: usize,
    pub page: usize,
}

impl Page {
    pub fn from_params(params: &Params) -> Result<Page, ApiError> {
        let limit = match params.get(&["limit"]) {
            None | Some("") => 20,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|l| LIMITS.contains(l))
                .ok_or_else(|| {
                    input_error(
                        &["limit"],
                        "The value you selected is not a valid choice. Allowed: 20, 50, 100, 250.",
                    )
                })?,
        };
        let page = match params.get(&["page"]) {
            None | Some("") => 1,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| {
                    input_error(
                        &["page"],
                        "This value should be greater than or equal to 1.",
                    )
                })?,
        };
        Ok(Page { limit, page })
    }

    /// The slice of `0..total` this page covers (empty past the last page).
    pub fn range(&self, total: usize) -> Range<usize> {
        let start = self.limit.saturating_mul(self.page - 1).min(total);
        start..(start + self.limit).min(total)
    }

    /// The answer of a list method: `success`, `pagination` over all of `items`, and this page of them under `key`.
    pub fn reply<T>(&self, key: &str, items: &[T], to_json: impl Fn(&T) -> Value) -> Value {
        let page: Vec<Value> = items[self.range(items.len())].iter().map(to_json).collect();
        json!({
            "success": true,
            "pagination": self.pagination(items.len()),
            key: page,
        })
    }

    pub fn pagination(&self, total: usize) -> Value {
        json!({
            "limit": self.limit,
            "totalCount": total,
            "currentPage": self.page,
            "totalPageCount": total.div_ceil(self.limit),
        })
    }
}
