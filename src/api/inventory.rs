//! Stock and purchase prices: read (`GET /store/inventories`) and write (`POST /store/inventories/upload`).

use serde::{Deserialize, Serialize};

use super::encode::Params;
use super::endpoint::{paged, ApiRequest, Endpoint, ListFilter, ListRequest};
use super::envelope::Pagination;
use super::error::ApiError;
use super::lenient;

/// The most offers one upload may carry.
pub const MAX_UPLOAD_OFFERS: usize = 250;

/// `GET /api/v5/store/inventories`: offers with their stock, per warehouse when `filter.details` is set.
pub type InventoriesRequest = ListRequest<InventoriesFilter>;

/// The filters of [`InventoriesRequest`]; empty lists and `None` are not sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InventoriesFilter {
    pub ids: Vec<i64>,
    pub product_external_id: Option<String>,
    pub product_article: Vec<String>,
    pub offer_external_id: Vec<String>,
    pub offer_xml_id: Vec<String>,
    pub offer_article: Vec<String>,
    pub product_active: Option<bool>,
    pub offer_active: Option<bool>,
    /// `filter[details]=1`: include `stores[]` per offer.
    pub details: Option<bool>,
    pub sites: Vec<String>,
    pub catalogs: Vec<i64>,
}

impl ListFilter for InventoriesFilter {
    const PATH: &'static str = "/api/v5/store/inventories";
    type Response = InventoriesResponse;
    fn encode(&self, q: &mut Params) {
        q.list("filter[ids]", &self.ids)
            .opt(
                "filter[productExternalId]",
                self.product_external_id.as_ref(),
            )
            .list("filter[productArticle]", &self.product_article)
            .list("filter[offerExternalId]", &self.offer_external_id)
            .list("filter[offerXmlId]", &self.offer_xml_id)
            .list("filter[offerArticle]", &self.offer_article)
            .flag("filter[productActive]", self.product_active)
            .flag("filter[offerActive]", self.offer_active)
            .flag("filter[details]", self.details)
            .list("filter[sites]", &self.sites)
            .list("filter[catalogs]", &self.catalogs);
    }
}
paged!(InventoriesRequest, offers, InventoryOffer);

/// The answer of [`InventoriesRequest`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct InventoriesResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub pagination: Pagination,
    #[serde(default, deserialize_with = "lenient::list")]
    pub offers: Vec<InventoryOffer>,
}

/// An offer's stock as read: totals, and `stores[]` with `filter[details]=1`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryOffer {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub xml_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub site: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub purchase_price: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub quantity: Option<f64>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub stores: Vec<StoreStock>,
}

/// One warehouse's stock of an offer as read: `store` (code) and `quantity`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreStock {
    #[serde(default, deserialize_with = "lenient::string")]
    pub store: String,
    #[serde(default, deserialize_with = "lenient::number")]
    pub quantity: f64,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub purchase_price: Option<f64>,
}

/// How an uploaded offer is identified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OfferRef {
    Id(i64),
    ExternalId(String),
    XmlId(String),
}

/// An offer's stock as written: one identifier and `stores[]` of `code`/`available`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OfferStockUpload {
    #[serde(flatten)]
    pub offer: OfferRef,
    pub stores: Vec<StoreStockUpload>,
}

/// One warehouse's stock as written. A field left `None` is left out (that value stays as it is).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreStockUpload {
    pub code: String,
    #[serde(
        serialize_with = "lenient::write_opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub available: Option<f64>,
    #[serde(
        serialize_with = "lenient::write_opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_price: Option<f64>,
}

/// `POST /api/v5/store/inventories/upload` with `offers=<JSON>` and `site`: at most 250 offers, at least one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InventoriesUploadRequest {
    pub offers: Vec<OfferStockUpload>,
    /// The shop, needed for `externalId`/`xmlId` with a key that covers several shops.
    pub site: Option<String>,
}

impl Endpoint for InventoriesUploadRequest {
    type Response = InventoriesUploadResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        let n = self.offers.len();
        if n == 0 || n > MAX_UPLOAD_OFFERS {
            return Err(ApiError::InvalidRequest {
                detail: format!("an upload carries 1 to {MAX_UPLOAD_OFFERS} offers, not {n}"),
            });
        }
        let mut form = Params::new();
        form.json("offers", &self.offers)
            .map_err(|e| ApiError::InvalidRequest {
                detail: e.to_string(),
            })?;
        form.opt("site", self.site.as_ref());
        Ok(ApiRequest::post("/api/v5/store/inventories/upload", form))
    }
}

/// The answer of an upload: how many offers were processed and which were not found.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoriesUploadResponse {
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub processed_offers_count: Option<i64>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub not_found_offers: Vec<NotFoundOffer>,
}

/// An uploaded offer the CRM did not find, by the identifiers it echoed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotFoundOffer {
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub xml_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::endpoint::Paged;
    use crate::api::envelope::decode;
    use crate::api::transport::HttpResponse;

    #[test]
    fn list_query_with_bracketed_filters() {
        let req = InventoriesRequest {
            limit: Some(100),
            page: Some(2),
            filter: InventoriesFilter {
                offer_external_id: vec!["a".into(), "b c".into()],
                details: Some(true),
                product_active: Some(false),
                sites: vec!["shop".into()],
                ids: vec![7],
                ..Default::default()
            },
        };
        let r = req.to_request().unwrap();
        assert_eq!(
            r.path_and_query(),
            "/api/v5/store/inventories?limit=100&page=2&filter%5Bids%5D%5B%5D=7\
             &filter%5BofferExternalId%5D%5B%5D=a&filter%5BofferExternalId%5D%5B%5D=b%20c\
             &filter%5BproductActive%5D=0&filter%5Bdetails%5D=1&filter%5Bsites%5D%5B%5D=shop"
        );
        assert_eq!(
            InventoriesRequest::default()
                .to_request()
                .unwrap()
                .path_and_query(),
            "/api/v5/store/inventories"
        );
        assert_eq!(req.with_page(3).page(), 3);
    }

    #[test]
    fn php_fixture_ints_and_missing_purchase_price() {
        // api-client-php StoreTest::testInventories (abridged).
        let body = r#"{"success":true,"pagination":{"limit":20,"totalCount":29,"currentPage":1,"totalPageCount":2},
          "offers":[{"id":1818323,"externalId":"1","xmlId":"1","site":"aliexpress","purchasePrice":100000,"quantity":100000},
                    {"id":67459,"externalId":"02nwfIWEgNXZnA6mODvJt0","xmlId":"02nwfIWEgNXZnA6mODvJt0","site":"moysklad","quantity":0}]}"#;
        let r: InventoriesResponse = decode(&HttpResponse::json(200, body)).unwrap();
        assert_eq!(r.pagination.total_page_count, 2);
        assert_eq!(r.offers[0].purchase_price, Some(100000.0));
        assert_eq!(r.offers[1].purchase_price, None);
        assert_eq!(r.offers[1].quantity, Some(0.0));
        assert!(r.offers[1].stores.is_empty());
    }

    #[test]
    fn details_shape_with_floats_and_unknown_fields() {
        let body = r#"{"success":true,"pagination":{"limit":20,"totalCount":1,"currentPage":1,"totalPageCount":1},
          "offers":[{"id":5,"externalId":"sku-5","site":"shop","quantity":12.5,"new":true,
            "stores":[{"store":"main","quantity":10,"purchasePrice":272.64},{"store":"south","quantity":2.5}]}]}"#;
        let r: InventoriesResponse = decode(&HttpResponse::json(200, body)).unwrap();
        let s = &r.offers[0].stores;
        assert_eq!(
            (s[0].store.as_str(), s[0].quantity, s[0].purchase_price),
            ("main", 10.0, Some(272.64))
        );
        assert_eq!((s[1].quantity, s[1].purchase_price), (2.5, None));
    }

    #[test]
    fn upload_form_body() {
        // api-client-php StoreTest::testInventoriesUpload.
        let req = InventoriesUploadRequest {
            offers: vec![
                OfferStockUpload {
                    offer: OfferRef::XmlId("1".into()),
                    stores: vec![StoreStockUpload {
                        code: "main12".into(),
                        available: Some(15.0),
                        purchase_price: Some(15.0),
                    }],
                },
                OfferStockUpload {
                    offer: OfferRef::Id(9),
                    stores: vec![StoreStockUpload {
                        code: "s".into(),
                        available: Some(0.5),
                        purchase_price: None,
                    }],
                },
            ],
            site: Some("aliexpress".into()),
        };
        let r = req.to_request().unwrap();
        assert_eq!(r.path, "/api/v5/store/inventories/upload");
        assert_eq!(
            r.form.pairs()[0].1,
            r#"[{"xmlId":"1","stores":[{"code":"main12","available":15,"purchasePrice":15}]},{"id":9,"stores":[{"code":"s","available":0.5}]}]"#
        );
        assert!(r.form.encode().ends_with("&site=aliexpress"));
        assert!(r
            .form
            .encode()
            .starts_with("offers=%5B%7B%22xmlId%22%3A%221%22"));
    }

    #[test]
    fn upload_size_is_checked_before_sending() {
        let one = OfferStockUpload {
            offer: OfferRef::ExternalId("x".into()),
            stores: vec![],
        };
        let too_many = InventoriesUploadRequest {
            offers: vec![one; MAX_UPLOAD_OFFERS + 1],
            site: None,
        };
        assert!(matches!(
            too_many.to_request(),
            Err(ApiError::InvalidRequest { .. })
        ));
        assert!(InventoriesUploadRequest::default().to_request().is_err());
    }

    #[test]
    fn upload_answers() {
        let ok: InventoriesUploadResponse = decode(&HttpResponse::json(
            200,
            r#"{"success":true,"processedOffersCount":1}"#,
        ))
        .unwrap();
        assert_eq!(
            (ok.processed_offers_count, ok.not_found_offers.len()),
            (Some(1), 0)
        );
        let some = r#"{"success":true,"processedOffersCount":1,"notFoundOffers":[{"externalId":"nope"},{"id":3,"xmlId":"x"}]}"#;
        let r: InventoriesUploadResponse = decode(&HttpResponse::json(200, some)).unwrap();
        assert_eq!(r.not_found_offers[0].external_id.as_deref(), Some("nope"));
        assert_eq!(r.not_found_offers[1].id, Some(3));
        // api-client-python sends notFoundOffers as an object: tolerated.
        let py = r#"{"success":"true","processedOffersCount":"2","notFoundOffers":{"0":{"externalId":"q"}}}"#;
        let r: InventoriesUploadResponse = decode(&HttpResponse::json(200, py)).unwrap();
        assert_eq!(
            (r.processed_offers_count, r.not_found_offers.len()),
            (Some(2), 1)
        );
    }
}
