//! `GET /store/products` with the price and quantity ranges the wire model does not carry.

use crate::api::endpoint::{ApiRequest, Endpoint, Paged};
use crate::api::envelope::Pagination;
use crate::api::product::{ProductsRequest, ProductsResponse};
use crate::api::ApiError;
use crate::stock::export::format_number;

/// Inclusive bounds of a number filter.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Range {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A products request plus `filter[minPrice]`, `filter[maxPrice]`, `filter[minQuantity]`, `filter[maxQuantity]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductQuery {
    pub request: ProductsRequest,
    pub price: Range,
    pub quantity: Range,
}

impl Endpoint for ProductQuery {
    type Response = ProductsResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        let mut req = self.request.to_request()?;
        for (name, value) in [
            ("filter[minPrice]", self.price.min),
            ("filter[maxPrice]", self.price.max),
            ("filter[minQuantity]", self.quantity.min),
            ("filter[maxQuantity]", self.quantity.max),
        ] {
            if let Some(v) = value {
                req.query.push(name, format_number(v, false));
            }
        }
        Ok(req)
    }
}

impl Paged for ProductQuery {
    fn with_page(&self, page: u32) -> Self {
        ProductQuery {
            request: self.request.with_page(page),
            ..self.clone()
        }
    }
    fn page(&self) -> u32 {
        self.request.page()
    }
    fn pagination(resp: &ProductsResponse) -> &Pagination {
        &resp.pagination
    }
    fn item_count(resp: &ProductsResponse) -> usize {
        resp.products.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::product::ProductsFilter;

    #[test]
    fn ranges_follow_the_filters_and_paging_keeps_them() {
        let q = ProductQuery {
            request: ProductsRequest {
                limit: Some(50),
                page: Some(2),
                filter: ProductsFilter {
                    active: Some(true),
                    ..Default::default()
                },
            },
            price: Range {
                min: Some(10.5),
                max: None,
            },
            quantity: Range {
                min: None,
                max: Some(3.0),
            },
        };
        assert_eq!(
            q.to_request().unwrap().path_and_query(),
            "/api/v5/store/products?limit=50&page=2&filter%5Bactive%5D=1\
             &filter%5BminPrice%5D=10.5&filter%5BmaxQuantity%5D=3"
        );
        let next = q.with_page(3);
        assert_eq!((next.page(), next.price), (3, q.price));
    }
}
