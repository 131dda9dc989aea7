//! Orders: list, get one, and mark shipped (`order[shipped]`, `shipmentStore`, `shipmentDate`).

use serde::{Deserialize, Serialize};

use super::encode::Params;
use super::endpoint::{paged, segment, ApiRequest, Endpoint, ListFilter, ListRequest};
use super::envelope::Pagination;
use super::error::ApiError;
use super::lenient;

/// Which identifier an order path segment is (`by=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum By {
    #[default]
    ExternalId,
    Id,
}

impl By {
    /// `externalId` or `id`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExternalId => "externalId",
            Self::Id => "id",
        }
    }
}

/// `GET /api/v5/orders`.
pub type OrdersRequest = ListRequest<OrdersFilter>;

/// The filters of [`OrdersRequest`] the panel uses (names as in api-client-php's `OrderFilter`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrdersFilter {
    pub ids: Vec<i64>,
    pub external_ids: Vec<String>,
    /// The order numbers as printed on documents (`1001A`).
    pub numbers: Vec<String>,
    pub sites: Vec<String>,
    /// `filter[shipped]`: `0` orders not shipped yet, `1` shipped ones.
    pub shipped: Option<bool>,
    /// `filter[shipmentStores][]`: the orders to ship from these warehouses.
    pub shipment_stores: Vec<String>,
    /// `filter[extendedStatus][]`: status codes (or status group codes).
    pub extended_status: Vec<String>,
}

impl ListFilter for OrdersFilter {
    const PATH: &'static str = "/api/v5/orders";
    type Response = OrdersResponse;
    fn encode(&self, q: &mut Params) {
        q.list("filter[ids]", &self.ids)
            .list("filter[externalIds]", &self.external_ids)
            .list("filter[numbers]", &self.numbers)
            .list("filter[sites]", &self.sites)
            .flag("filter[shipped]", self.shipped)
            .list("filter[shipmentStores]", &self.shipment_stores)
            .list("filter[extendedStatus]", &self.extended_status);
    }
}
paged!(OrdersRequest, orders, Order);

/// The answer of [`OrdersRequest`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct OrdersResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub pagination: Pagination,
    #[serde(default, deserialize_with = "lenient::list")]
    pub orders: Vec<Order>,
}

/// `GET /api/v5/orders/{id}?by=&site=`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderRequest {
    pub id: String,
    pub by: By,
    pub site: Option<String>,
}

impl Endpoint for OrderRequest {
    type Response = OrderResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        let id = segment(&self.id, "order identifier")?;
        let mut query = Params::new();
        query
            .push("by", self.by.as_str())
            .opt("site", self.site.as_ref());
        Ok(ApiRequest::get(format!("/api/v5/orders/{id}"), query))
    }
}

/// The answer of [`OrderRequest`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct OrderResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub order: Order,
}

/// An order as read: the fields the shipment screen shows.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub number: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub site: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub shipped: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub shipment_store: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub shipment_date: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub total_summ: Option<f64>,
}

/// The shipment fields written by an edit. `shipped: Some(false)` is sent as `false` (un-ship); `None` is left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderShipment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipped: Option<bool>,
    /// A warehouse code from `/reference/stores`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipment_store: Option<String>,
    /// `Y-m-d`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipment_date: Option<String>,
}

/// `POST /api/v5/orders/{id}/edit` with `by`, `site` and `order=<JSON>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderEditRequest {
    pub id: String,
    pub by: By,
    pub site: Option<String>,
    pub order: OrderShipment,
}

/// Whether `date` is a real `Y-m-d` calendar date.
pub fn is_ymd(date: &str) -> bool {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        date.get(r)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))?
            .parse::<u32>()
            .ok()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d)
}

impl Endpoint for OrderEditRequest {
    type Response = OrderEditResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        let id = segment(&self.id, "order identifier")?;
        if let Some(date) = &self.order.shipment_date {
            if !is_ymd(date) {
                return Err(ApiError::InvalidRequest {
                    detail: format!("shipment date {date:?} is not YYYY-MM-DD"),
                });
            }
        }
        let mut form = Params::new();
        form.push("by", self.by.as_str())
            .opt("site", self.site.as_ref());
        form.json("order", &self.order)
            .map_err(|e| ApiError::InvalidRequest {
                detail: e.to_string(),
            })?;
        Ok(ApiRequest::post(format!("/api/v5/orders/{id}/edit"), form))
    }
}

/// The answer of [`OrderEditRequest`]: the order's internal id and the order as saved.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct OrderEditResponse {
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub order: Option<Order>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::envelope::decode;
    use crate::api::transport::HttpResponse;

    #[test]
    fn list_and_get_queries() {
        let q = OrdersRequest {
            limit: Some(20),
            page: Some(1),
            filter: OrdersFilter {
                ids: vec![1, 2],
                external_ids: vec!["e1".into()],
                numbers: vec!["1235C".into()],
                sites: vec!["shop".into()],
                ..Default::default()
            },
        };
        assert_eq!(
            q.to_request().unwrap().path_and_query(),
            "/api/v5/orders?limit=20&page=1&filter%5Bids%5D%5B%5D=1&filter%5Bids%5D%5B%5D=2\
             &filter%5BexternalIds%5D%5B%5D=e1&filter%5Bnumbers%5D%5B%5D=1235C&filter%5Bsites%5D%5B%5D=shop"
        );
        let waiting = OrdersRequest {
            limit: Some(50),
            page: Some(2),
            filter: OrdersFilter {
                shipped: Some(false),
                shipment_stores: vec!["main".into()],
                extended_status: vec!["assembling".into()],
                ..Default::default()
            },
        };
        assert_eq!(
            waiting.to_request().unwrap().path_and_query(),
            "/api/v5/orders?limit=50&page=2&filter%5Bshipped%5D=0&filter%5BshipmentStores%5D%5B%5D=main\
             &filter%5BextendedStatus%5D%5B%5D=assembling"
        );
        let one = OrderRequest {
            id: "A/1".into(),
            by: By::ExternalId,
            site: Some("shop".into()),
        };
        assert_eq!(
            one.to_request().unwrap().path_and_query(),
            "/api/v5/orders/A%2F1?by=externalId&site=shop"
        );
    }

    #[test]
    fn edit_sends_false_and_the_shipment_fields() {
        let req = OrderEditRequest {
            id: "ext-7".into(),
            by: By::ExternalId,
            site: Some("shop".into()),
            order: OrderShipment {
                shipped: Some(false),
                shipment_store: Some("main".into()),
                shipment_date: Some("2024-02-29".into()),
            },
        };
        let r = req.to_request().unwrap();
        assert_eq!(r.path, "/api/v5/orders/ext-7/edit");
        assert_eq!(
            r.form.encode(),
            "by=externalId&site=shop&order=%7B%22shipped%22%3Afalse%2C%22shipmentStore%22%3A%22main%22\
             %2C%22shipmentDate%22%3A%222024-02-29%22%7D"
        );
        let only_shipped = OrderEditRequest {
            id: "5".into(),
            by: By::Id,
            order: OrderShipment {
                shipped: Some(true),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            only_shipped.to_request().unwrap().form.pairs()[1].1,
            r#"{"shipped":true}"#
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_ymd("2024-02-29") && is_ymd("2023-12-31"));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01x",
            "2024/01/01",
            "",
            "２０２４-01-01",
        ] {
            assert!(!is_ymd(bad), "{bad}");
        }
        let req = OrderEditRequest {
            id: "1".into(),
            order: OrderShipment {
                shipment_date: Some("01.02.2024".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(matches!(
            req.to_request(),
            Err(ApiError::InvalidRequest { .. })
        ));
    }

    #[test]
    fn edit_and_list_answers() {
        // Modelled on api-client-php OrdersTest::testEdit: {success, id, order}.
        let body = r#"{"success":true,"id":7,"order":{"id":7,"externalId":"ext-7","number":"7A","site":"shop",
            "status":"new","shipped":false,"shipmentStore":"main","shipmentDate":"2024-02-29","totalSumm":1500.5,
            "items":[],"customer":{"id":1},"customFields":[]}}"#;
        let r: OrderEditResponse = decode(&HttpResponse::json(200, body)).unwrap();
        let o = r.order.unwrap();
        assert_eq!(
            (r.id, o.shipped, o.total_summ),
            (Some(7), Some(false), Some(1500.5))
        );
        let list = r#"{"success":true,"pagination":{"limit":20,"totalCount":1,"currentPage":1,"totalPageCount":1},"orders":[{"id":1,"number":"1A"}]}"#;
        let l: OrdersResponse = decode(&HttpResponse::json(200, list)).unwrap();
        assert_eq!(l.orders[0].number.as_deref(), Some("1A"));
        assert_eq!(l.orders[0].shipped, None);
    }
}
