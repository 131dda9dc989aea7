//! The catalog: product groups, products with their offers, and product properties.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::encode::Params;
use super::endpoint::{paged, ListFilter, ListRequest};
use super::envelope::Pagination;
use super::lenient;

/// `GET /api/v5/store/product-groups`.
pub type ProductGroupsRequest = ListRequest<ProductGroupsFilter>;

/// The filters of [`ProductGroupsRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductGroupsFilter {
    pub ids: Vec<i64>,
    pub sites: Vec<String>,
    pub active: Option<bool>,
    pub parent_group_id: Option<i64>,
    pub min_level: Option<u32>,
    pub max_level: Option<u32>,
}

impl ListFilter for ProductGroupsFilter {
    const PATH: &'static str = "/api/v5/store/product-groups";
    type Response = ProductGroupsResponse;
    fn encode(&self, q: &mut Params) {
        q.list("filter[ids]", &self.ids)
            .list("filter[sites]", &self.sites)
            .flag("filter[active]", self.active)
            .opt("filter[parentGroupId]", self.parent_group_id)
            .opt("filter[minLevel]", self.min_level)
            .opt("filter[maxLevel]", self.max_level);
    }
}
paged!(ProductGroupsRequest, product_group, ProductGroup);

/// The answer of [`ProductGroupsRequest`]; the list key is singular: `productGroup`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductGroupsResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub pagination: Pagination,
    #[serde(default, deserialize_with = "lenient::list")]
    pub product_group: Vec<ProductGroup>,
}

/// A product group; `parent_id` builds the tree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductGroup {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub site: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub parent_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub lvl: Option<i64>,
}

/// `GET /api/v5/store/products`.
pub type ProductsRequest = ListRequest<ProductsFilter>;

/// The filters of [`ProductsRequest`] the panel uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductsFilter {
    pub ids: Vec<i64>,
    pub offer_ids: Vec<i64>,
    pub active: Option<bool>,
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub xml_id: Option<String>,
    pub offer_external_id: Option<String>,
    pub offer_xml_id: Option<String>,
    pub group_external_id: Option<String>,
    /// `filter[groups][]`: the groups whose products to list (the official clients send one value; whether the CRM
    /// also lists the products of their sub-groups is unconfirmed, so a group's sub-groups are sent too).
    pub groups: Vec<i64>,
    pub manufacturer: Option<String>,
    pub sites: Vec<String>,
    pub catalogs: Vec<i64>,
    /// `filter[properties][code]=value`.
    pub properties: BTreeMap<String, String>,
    /// `filter[minPrice]` / `filter[maxPrice]`: inclusive bounds of the product's price.
    pub min_price: Option<f64>,
    pub max_price: Option<f64>,
    /// `filter[minQuantity]` / `filter[maxQuantity]`: inclusive bounds of the product's stock.
    pub min_quantity: Option<f64>,
    pub max_quantity: Option<f64>,
    /// `filter[minPurchasePrice]` / `filter[maxPurchasePrice]`.
    pub min_purchase_price: Option<f64>,
    pub max_purchase_price: Option<f64>,
}

impl ListFilter for ProductsFilter {
    const PATH: &'static str = "/api/v5/store/products";
    type Response = ProductsResponse;
    fn encode(&self, q: &mut Params) {
        q.list("filter[ids]", &self.ids)
            .list("filter[offerIds]", &self.offer_ids)
            .flag("filter[active]", self.active)
            .opt("filter[name]", self.name.as_ref())
            .opt("filter[externalId]", self.external_id.as_ref())
            .opt("filter[xmlId]", self.xml_id.as_ref())
            .opt("filter[offerExternalId]", self.offer_external_id.as_ref())
            .opt("filter[offerXmlId]", self.offer_xml_id.as_ref())
            .opt("filter[groupExternalId]", self.group_external_id.as_ref())
            .list("filter[groups]", &self.groups)
            .opt("filter[manufacturer]", self.manufacturer.as_ref())
            .list("filter[sites]", &self.sites)
            .list("filter[catalogs]", &self.catalogs);
        for (code, value) in &self.properties {
            q.push(format!("filter[properties][{code}]"), value.clone());
        }
        q.opt("filter[minPrice]", self.min_price)
            .opt("filter[maxPrice]", self.max_price)
            .opt("filter[minQuantity]", self.min_quantity)
            .opt("filter[maxQuantity]", self.max_quantity)
            .opt("filter[minPurchasePrice]", self.min_purchase_price)
            .opt("filter[maxPurchasePrice]", self.max_purchase_price);
    }
}
paged!(ProductsRequest, products, Product);

/// The answer of [`ProductsRequest`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ProductsResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub pagination: Pagination,
    #[serde(default, deserialize_with = "lenient::list")]
    pub products: Vec<Product>,
}

/// A product with its offers.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub article: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub manufacturer: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub image_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub quantity: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub min_price: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub max_price: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub catalog_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub groups: Vec<GroupRef>,
    /// `{code: value}` (`[]` when none).
    #[serde(default, deserialize_with = "lenient::object")]
    pub properties: BTreeMap<String, Value>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub offers: Vec<ProductOffer>,
}

/// A product's group, by id and external id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRef {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
}

/// An offer (a sellable variant) of a product.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductOffer {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub external_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub xml_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub article: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub price: Option<f64>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub prices: Vec<OfferPrice>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub purchase_price: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub quantity: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    /// `{code: value}` (`[]` when none).
    #[serde(default, deserialize_with = "lenient::object")]
    pub properties: BTreeMap<String, Value>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub unit: Option<Unit>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub barcode: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub site: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub images: Vec<String>,
}

/// A price of an offer in one price type.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferPrice {
    #[serde(default, deserialize_with = "lenient::string")]
    pub price_type: String,
    #[serde(default, deserialize_with = "lenient::number")]
    pub price: f64,
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub ordering: Option<i64>,
}

/// The unit of measure of an offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Unit {
    #[serde(default, deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub sym: String,
}

/// `GET /api/v5/store/products/properties`.
pub type ProductPropertiesRequest = ListRequest<ProductPropertiesFilter>;

/// The filters of [`ProductPropertiesRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductPropertiesFilter {
    pub name: Option<String>,
    pub code: Option<String>,
    pub visible: Option<bool>,
    pub variative: Option<bool>,
    pub sites: Vec<String>,
    pub groups: Vec<i64>,
}

impl ListFilter for ProductPropertiesFilter {
    const PATH: &'static str = "/api/v5/store/products/properties";
    type Response = ProductPropertiesResponse;
    fn encode(&self, q: &mut Params) {
        q.opt("filter[name]", self.name.as_ref())
            .opt("filter[code]", self.code.as_ref())
            .flag("filter[visible]", self.visible)
            .flag("filter[variative]", self.variative)
            .list("filter[sites]", &self.sites)
            .list("filter[groups]", &self.groups);
    }
}
paged!(ProductPropertiesRequest, properties, ProductProperty);

/// The answer of [`ProductPropertiesRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ProductPropertiesResponse {
    #[serde(default, deserialize_with = "lenient::object")]
    pub pagination: Pagination,
    #[serde(default, deserialize_with = "lenient::list")]
    pub properties: Vec<ProductProperty>,
}

/// A product property definition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductProperty {
    #[serde(default, deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::list")]
    pub sites: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub groups: Vec<PropertyGroup>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_numeric: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub visible: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub variative: Option<bool>,
}

/// A product group a property belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PropertyGroup {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::endpoint::{Endpoint, Paged};
    use crate::api::envelope::decode;
    use crate::api::transport::HttpResponse;

    #[test]
    fn product_groups_fixture() {
        // Modelled on api-client-php StoreTest::testProductGroups.
        let body = r#"{"success":true,"pagination":{"limit":20,"totalCount":3,"currentPage":1,"totalPageCount":1},
          "productGroup":[{"site":"moysklad","id":1,"name":"Root","externalId":"g1","active":true,"lvl":1},
                          {"site":"moysklad","id":2,"name":"Child","externalId":"g2","active":false,"parentId":1,"lvl":2}]}"#;
        let r: ProductGroupsResponse = decode(&HttpResponse::json(200, body)).unwrap();
        assert_eq!(r.product_group[1].parent_id, Some(1));
        assert_eq!(r.product_group[0].parent_id, None);
        let q = ProductGroupsRequest {
            limit: Some(50),
            page: None,
            filter: ProductGroupsFilter {
                active: Some(true),
                parent_group_id: Some(1),
                ..Default::default()
            },
        };
        assert_eq!(
            q.to_request().unwrap().path_and_query(),
            "/api/v5/store/product-groups?limit=50&filter%5Bactive%5D=1&filter%5BparentGroupId%5D=1"
        );
    }

    #[test]
    fn products_fixture_with_offers() {
        // Modelled on api-client-php StoreTest::testProducts.
        let body = r#"{"success":true,"pagination":{"limit":20,"totalCount":1,"currentPage":1,"totalPageCount":1},
          "products":[{"minPrice":1000,"maxPrice":1199.5,"id":1,"article":"ART","name":"Shoes","url":"https://s/1",
            "imageUrl":"https://s/1.png","description":"d","popular":false,"stock":false,"novelty":false,"recommended":false,
            "properties":[],"groups":[{"id":3,"externalId":"g3"}],"externalId":"p1","manufacturer":"Acme","active":true,
            "quantity":10,"markable":false,"updatedAt":"2020-01-01 10:00:00",
            "offers":[{"name":"Shoes 42","price":1000,"images":[],"id":11,"externalId":"o11","xmlId":"x11","article":"A42",
              "prices":[{"priceType":"base","price":1000,"ordering":991}],"purchasePrice":272.64,"vatRate":"none",
              "properties":{"size":"42","color":"red"},"quantity":4,"weight":1.5,"active":true,
              "unit":{"code":"pc","name":"Piece","sym":"pc."},"barcode":"4600000000001","site":"shop"},
              {"name":"Shoes 43","id":12,"properties":[],"unit":[],"prices":[]}]}]}"#;
        let r: ProductsResponse = decode(&HttpResponse::json(200, body)).unwrap();
        let p = &r.products[0];
        assert_eq!((p.max_price, p.groups[0].id), (Some(1199.5), 3));
        assert!(p.properties.is_empty());
        assert_eq!(p.offers[0].properties["size"], "42");
        assert_eq!(
            p.offers[0].unit.as_ref().map(|u| u.sym.as_str()),
            Some("pc.")
        );
        assert_eq!(p.offers[0].prices[0].price, 1000.0);
        assert_eq!(p.offers[1].unit, None);
        let q = ProductsRequest {
            filter: ProductsFilter {
                name: Some("Shoe".into()),
                properties: [("size".to_string(), "42".to_string())].into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            q.to_request().unwrap().path_and_query(),
            "/api/v5/store/products?filter%5Bname%5D=Shoe&filter%5Bproperties%5D%5Bsize%5D=42"
        );
    }

    #[test]
    fn products_ranges_are_plain_decimals_after_the_other_filters() {
        let q = ProductsRequest {
            limit: Some(50),
            page: Some(2),
            filter: ProductsFilter {
                active: Some(true),
                min_price: Some(10.5),
                max_quantity: Some(3.0),
                ..Default::default()
            },
        };
        assert_eq!(
            q.to_request().unwrap().path_and_query(),
            "/api/v5/store/products?limit=50&page=2&filter%5Bactive%5D=1\
             &filter%5BminPrice%5D=10.5&filter%5BmaxQuantity%5D=3"
        );
        let all = ProductsFilter {
            min_price: Some(0.0),
            max_price: Some(1e21),
            min_quantity: Some(-1.0),
            max_quantity: Some(2.25),
            min_purchase_price: Some(100.0),
            max_purchase_price: Some(0.5),
            ..Default::default()
        };
        let request = ProductsRequest {
            filter: all,
            ..Default::default()
        }
        .to_request()
        .unwrap();
        let pairs: Vec<(&str, &str)> = request
            .query
            .pairs()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("filter[minPrice]", "0"),
                ("filter[maxPrice]", "1000000000000000000000"),
                ("filter[minQuantity]", "-1"),
                ("filter[maxQuantity]", "2.25"),
                ("filter[minPurchasePrice]", "100"),
                ("filter[maxPurchasePrice]", "0.5"),
            ]
        );
        let next = q.with_page(3);
        assert_eq!((next.page(), next.filter.min_price), (3, Some(10.5)));
    }

    #[test]
    fn properties_fixture() {
        // Modelled on api-client-php StoreTest::testProductProperties.
        let body = r#"{"success":true,"pagination":{"limit":20,"totalCount":1,"currentPage":1,"totalPageCount":1},
          "properties":[{"sites":["moysklad"],"groups":[{"id":1,"name":"Shoes"}],"isNumeric":false,"visible":true,
            "variative":true,"code":"size","name":"Size"}]}"#;
        let r: ProductPropertiesResponse = decode(&HttpResponse::json(200, body)).unwrap();
        assert_eq!(r.properties[0].groups[0].name, "Shoes");
        assert_eq!(r.properties[0].variative, Some(true));
        let empty: ProductPropertiesResponse = decode(&HttpResponse::json(
            200,
            r#"{"success":true,"pagination":[],"properties":[]}"#,
        ))
        .unwrap();
        assert!(empty.properties.is_empty());
    }
}
