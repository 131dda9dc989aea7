//! The products and properties filters as the screen holds them, their URL query form, and the API requests they make.

use std::collections::BTreeMap;

use crate::api::encode::percent_encode;
use crate::api::product::{
    ProductPropertiesFilter, ProductPropertiesRequest, ProductsFilter, ProductsRequest,
};
use crate::sheet::decode::parse_number;

use super::tree::{GroupTree, Subtree};

/// The page sizes the CRM accepts; anything else in a URL falls back to the first.
pub const PAGE_SIZES: [u32; 4] = [20, 50, 100, 250];

/// The URL prefix of one `filter[properties][code]=value` of the products filter.
const PRODUCT_PROPERTY_PREFIX: &str = "prop.";
/// The URL prefix of the properties list's own filters.
const PROPERTIES_PREFIX: &str = "pp.";

/// A number field of the products filter that did not read as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeField {
    MinPrice,
    MaxPrice,
    MinQuantity,
    MaxQuantity,
}

/// The products filter, as typed (numbers stay text so nothing typed is lost when one is wrong).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductFilterState {
    /// The search: `filter[name]`.
    pub name: String,
    pub group: Option<i64>,
    pub active: Option<bool>,
    pub external_id: String,
    pub xml_id: String,
    pub offer_external_id: String,
    pub offer_xml_id: String,
    pub min_price: String,
    pub max_price: String,
    pub min_quantity: String,
    pub max_quantity: String,
    pub site: String,
    /// `filter[properties][code]=value`.
    pub properties: BTreeMap<String, String>,
    pub page: u32,
    pub limit: u32,
}

impl Default for ProductFilterState {
    fn default() -> Self {
        ProductFilterState {
            name: String::new(),
            group: None,
            active: None,
            external_id: String::new(),
            xml_id: String::new(),
            offer_external_id: String::new(),
            offer_xml_id: String::new(),
            min_price: String::new(),
            max_price: String::new(),
            min_quantity: String::new(),
            max_quantity: String::new(),
            site: String::new(),
            properties: BTreeMap::new(),
            page: 1,
            limit: PAGE_SIZES[0],
        }
    }
}

/// The properties list's filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyFilterState {
    pub name: String,
    pub code: String,
    pub site: String,
    pub group: Option<i64>,
    pub visible: Option<bool>,
    pub variative: Option<bool>,
    pub page: u32,
    pub limit: u32,
}

impl Default for PropertyFilterState {
    fn default() -> Self {
        PropertyFilterState {
            name: String::new(),
            code: String::new(),
            site: String::new(),
            group: None,
            visible: None,
            variative: None,
            page: 1,
            limit: PAGE_SIZES[0],
        }
    }
}

/// Both filters and the open tab, read from and written to the page's URL query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogView {
    /// `tab=properties` shows the properties list; otherwise the products.
    pub properties_tab: bool,
    pub products: ProductFilterState,
    pub properties: PropertyFilterState,
}

impl CatalogView {
    /// Reads the URL query pairs; unknown names and unreadable values are ignored.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> CatalogView {
        let mut view = CatalogView::default();
        let (p, q) = (&mut view.products, &mut view.properties);
        for (name, value) in pairs {
            let text = value.trim().to_string();
            if let Some(code) = name.strip_prefix(PRODUCT_PROPERTY_PREFIX) {
                if !code.trim().is_empty() && !text.is_empty() {
                    p.properties.insert(code.trim().to_string(), text);
                }
                continue;
            }
            if let Some(field) = name.strip_prefix(PROPERTIES_PREFIX) {
                match field {
                    "name" => q.name = text,
                    "code" => q.code = text,
                    "site" => q.site = text,
                    "group" => q.group = text.parse().ok(),
                    "visible" => q.visible = read_flag(&text),
                    "variative" => q.variative = read_flag(&text),
                    "page" => q.page = read_page(&text),
                    "limit" => q.limit = read_limit(&text),
                    _ => {}
                }
                continue;
            }
            match name {
                "tab" => view.properties_tab = text == "properties",
                "name" => p.name = text,
                "group" => p.group = text.parse().ok(),
                "active" => p.active = read_flag(&text),
                "externalId" => p.external_id = text,
                "xmlId" => p.xml_id = text,
                "offerExternalId" => p.offer_external_id = text,
                "offerXmlId" => p.offer_xml_id = text,
                "minPrice" => p.min_price = text,
                "maxPrice" => p.max_price = text,
                "minQuantity" => p.min_quantity = text,
                "maxQuantity" => p.max_quantity = text,
                "site" => p.site = text,
                "page" => p.page = read_page(&text),
                "limit" => p.limit = read_limit(&text),
                _ => {}
            }
        }
        view
    }

    /// The URL query (without `?`) holding every value that is not the default, percent-encoded.
    pub fn to_query(&self) -> String {
        let (p, q) = (&self.products, &self.properties);
        let mut out = QueryOut::default();
        if self.properties_tab {
            out.text("tab", "properties");
        }
        out.text("name", &p.name)
            .opt("group", p.group)
            .opt("active", p.active.map(u8::from))
            .text("externalId", &p.external_id)
            .text("xmlId", &p.xml_id)
            .text("offerExternalId", &p.offer_external_id)
            .text("offerXmlId", &p.offer_xml_id)
            .text("minPrice", &p.min_price)
            .text("maxPrice", &p.max_price)
            .text("minQuantity", &p.min_quantity)
            .text("maxQuantity", &p.max_quantity)
            .text("site", &p.site);
        for (code, value) in &p.properties {
            out.text(&format!("{PRODUCT_PROPERTY_PREFIX}{code}"), value);
        }
        out.paging("", p.page, p.limit)
            .text("pp.name", &q.name)
            .text("pp.code", &q.code)
            .text("pp.site", &q.site)
            .opt("pp.group", q.group)
            .opt("pp.visible", q.visible.map(u8::from))
            .opt("pp.variative", q.variative.map(u8::from))
            .paging(PROPERTIES_PREFIX, q.page, q.limit);
        out.0.join("&")
    }
}

/// Collects `name=value` pairs, skipping blanks and defaults.
#[derive(Default)]
struct QueryOut(Vec<String>);

impl QueryOut {
    fn text(&mut self, name: &str, value: &str) -> &mut Self {
        let value = value.trim();
        if !value.is_empty() {
            self.0.push(format!(
                "{}={}",
                percent_encode(name),
                percent_encode(value)
            ));
        }
        self
    }

    fn opt(&mut self, name: &str, value: Option<impl ToString>) -> &mut Self {
        match value {
            Some(v) => self.text(name, &v.to_string()),
            None => self,
        }
    }

    fn paging(&mut self, prefix: &str, page: u32, limit: u32) -> &mut Self {
        if page > 1 {
            self.text(&format!("{prefix}page"), &page.to_string());
        }
        if limit != PAGE_SIZES[0] {
            self.text(&format!("{prefix}limit"), &limit.to_string());
        }
        self
    }
}

fn read_flag(text: &str) -> Option<bool> {
    match text {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

fn read_page(text: &str) -> u32 {
    text.parse::<u32>().ok().filter(|p| *p >= 1).unwrap_or(1)
}

fn read_limit(text: &str) -> u32 {
    text.parse::<u32>()
        .ok()
        .filter(|l| PAGE_SIZES.contains(l))
        .unwrap_or(PAGE_SIZES[0])
}

fn non_blank(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The most groups one products request carries: a group and its sub-groups take about 6 KB of the query at this
/// count, under the 8 KB a server commonly accepts in a URL.
pub const MAX_GROUPS_PER_REQUEST: usize = 200;

impl ProductFilterState {
    /// The group filter: the chosen group and its sub-groups from `tree` (the group alone without a tree).
    pub fn group_scope(&self, tree: Option<&GroupTree>) -> Option<Subtree> {
        let group = self.group?;
        Some(match tree {
            Some(tree) => tree.subtree(group, MAX_GROUPS_PER_REQUEST),
            None => Subtree {
                ids: vec![group],
                left_out: 0,
            },
        })
    }

    /// The request for the current page, the group's whole subtree (from `tree`) in the group filter; or the number
    /// fields that are not numbers.
    pub fn to_request(&self, tree: Option<&GroupTree>) -> Result<ProductsRequest, Vec<RangeField>> {
        let mut wrong = Vec::new();
        let mut number = |text: &str, field: RangeField| match parse_number(text) {
            Ok(v) => v,
            Err(_) => {
                wrong.push(field);
                None
            }
        };
        let min_price = number(&self.min_price, RangeField::MinPrice);
        let max_price = number(&self.max_price, RangeField::MaxPrice);
        let min_quantity = number(&self.min_quantity, RangeField::MinQuantity);
        let max_quantity = number(&self.max_quantity, RangeField::MaxQuantity);
        if !wrong.is_empty() {
            return Err(wrong);
        }
        Ok(ProductsRequest {
            limit: Some(self.limit),
            page: Some(self.page.max(1)),
            filter: ProductsFilter {
                active: self.active,
                name: non_blank(&self.name),
                external_id: non_blank(&self.external_id),
                xml_id: non_blank(&self.xml_id),
                offer_external_id: non_blank(&self.offer_external_id),
                offer_xml_id: non_blank(&self.offer_xml_id),
                groups: self.group_scope(tree).map(|s| s.ids).unwrap_or_default(),
                sites: non_blank(&self.site).into_iter().collect(),
                properties: self.properties.clone(),
                min_price,
                max_price,
                min_quantity,
                max_quantity,
                ..Default::default()
            },
        })
    }

    /// The same filters from the first page (after any filter change).
    pub fn first_page(mut self) -> Self {
        self.page = 1;
        self
    }
}

impl PropertyFilterState {
    /// The request for the current page.
    pub fn to_request(&self) -> ProductPropertiesRequest {
        ProductPropertiesRequest {
            limit: Some(self.limit),
            page: Some(self.page.max(1)),
            filter: ProductPropertiesFilter {
                name: non_blank(&self.name),
                code: non_blank(&self.code),
                visible: self.visible,
                variative: self.variative,
                sites: non_blank(&self.site).into_iter().collect(),
                groups: self.group.into_iter().collect(),
            },
        }
    }
}

/// `code=value` pairs typed one per line or separated by `;` (blank parts and parts without a code are skipped).
pub fn parse_properties(text: &str) -> BTreeMap<String, String> {
    text.split(['\n', ';'])
        .filter_map(|part| {
            let (code, value) = part.split_once('=')?;
            let (code, value) = (code.trim(), value.trim());
            (!code.is_empty() && !value.is_empty()).then(|| (code.to_string(), value.to_string()))
        })
        .collect()
}

/// The inverse of [`parse_properties`]: `code=value; code=value`.
pub fn format_properties(properties: &BTreeMap<String, String>) -> String {
    properties
        .iter()
        .map(|(c, v)| format!("{c}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The leftovers screen for one offer: `/inventories?offerExternalId=<externalId>&site=<site>`.
pub fn leftovers_href(external_id: &str, site: Option<&str>) -> String {
    let mut href = format!(
        "/inventories?offerExternalId={}",
        percent_encode(external_id)
    );
    if let Some(site) = site.filter(|s| !s.is_empty()) {
        href.push_str("&site=");
        href.push_str(&percent_encode(site));
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::endpoint::Endpoint;
    use crate::api::product::ProductGroup;

    /// Decodes a percent-encoded query (`a=1&b=%20x`) into pairs, as the router does.
    fn query_pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap_or((p, ""));
                (percent_decode(n), percent_decode(v))
            })
            .collect()
    }

    fn percent_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(b)) => {
                    out.push(b);
                    i += 3;
                }
                (b'+', _) => {
                    out.push(b' ');
                    i += 1;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn read(query: &str) -> CatalogView {
        let pairs = query_pairs(query);
        CatalogView::from_query(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    #[test]
    fn the_url_round_trips_every_filter() {
        let mut view = CatalogView::default();
        let p = &mut view.products;
        p.name = "Shoe & co".into();
        p.group = Some(7);
        p.active = Some(false);
        p.offer_external_id = "offer-000001".into();
        p.min_price = "10,5".into();
        p.site = "shop-a".into();
        p.properties = parse_properties("color=red; size = 42\n=x;bad");
        p.page = 3;
        p.limit = 100;
        view.properties.visible = Some(true);
        view.properties.code = "size".into();
        view.properties.page = 2;
        view.properties_tab = true;
        let query = view.to_query();
        assert_eq!(
            query,
            "tab=properties&name=Shoe%20%26%20co&group=7&active=0&offerExternalId=offer-000001\
             &minPrice=10%2C5&site=shop-a&prop.color=red&prop.size=42&page=3&limit=100\
             &pp.code=size&pp.visible=1&pp.page=2"
        );
        assert_eq!(read(&query), view);
        assert_eq!(CatalogView::default().to_query(), "");
        assert_eq!(read(""), CatalogView::default());
    }

    #[test]
    fn bad_url_values_fall_back_to_defaults() {
        let view = read("page=0&limit=33&group=x&active=maybe&pp.limit=250&unknown=1&prop.=v");
        assert_eq!(view.products, ProductFilterState::default());
        assert_eq!(view.properties.limit, 250);
        assert_eq!(read("name=%ZZ%").products.name, "%ZZ%");
        assert_eq!(read("name=%D0%AF+x").products.name, "Я x");
    }

    #[test]
    fn the_products_request_carries_the_filters() {
        let state = read("name=shoe&group=4&active=1&site=shop-a&prop.color=red&minPrice=1.5&maxQuantity=3&limit=50&page=2");
        let Ok(q) = state.products.to_request(None) else {
            panic!("valid")
        };
        assert_eq!(
            q.to_request().unwrap().path_and_query(),
            "/api/v5/store/products?limit=50&page=2&filter%5Bactive%5D=1&filter%5Bname%5D=shoe\
             &filter%5Bgroups%5D%5B%5D=4&filter%5Bsites%5D%5B%5D=shop-a&filter%5Bproperties%5D%5Bcolor%5D=red\
             &filter%5BminPrice%5D=1.5&filter%5BmaxQuantity%5D=3"
        );
        let wrong = read("minPrice=abc&maxQuantity=1e5")
            .products
            .to_request(None);
        assert_eq!(
            wrong,
            Err(vec![RangeField::MinPrice, RangeField::MaxQuantity])
        );
        assert_eq!(state.products.first_page().page, 1);
    }

    fn group(id: i64, parent: Option<i64>) -> ProductGroup {
        ProductGroup {
            id,
            name: format!("g{id}"),
            parent_id: parent,
            ..Default::default()
        }
    }

    #[test]
    fn a_group_asks_for_the_products_of_its_whole_subtree() {
        let tree = GroupTree::build(vec![
            group(1, None),
            group(2, Some(1)),
            group(3, Some(1)),
            group(4, Some(3)),
            group(5, None),
        ]);
        let groups = |query: &str, tree: Option<&GroupTree>| {
            read(query)
                .products
                .to_request(tree)
                .map(|r| r.filter.groups)
        };
        assert_eq!(groups("group=1", Some(&tree)), Ok(vec![1, 2, 3, 4]));
        assert_eq!(groups("group=3", Some(&tree)), Ok(vec![3, 4]));
        assert_eq!(groups("group=5", Some(&tree)), Ok(vec![5]));
        assert_eq!(
            groups("group=1", None),
            Ok(vec![1]),
            "no tree: the group alone"
        );
        assert_eq!(groups("", Some(&tree)), Ok(vec![]));
        let Ok(q) = read("group=3").products.to_request(Some(&tree)) else {
            panic!("valid")
        };
        assert_eq!(
            q.to_request().unwrap().path_and_query(),
            "/api/v5/store/products?limit=20&page=1&filter%5Bgroups%5D%5B%5D=3&filter%5Bgroups%5D%5B%5D=4"
        );
        // A subtree too large for one URL: the nearest groups are sent, and how many are not is said.
        let wide = GroupTree::build(
            std::iter::once(group(1, None))
                .chain((2..=300).map(|id| group(id, Some(1))))
                .collect(),
        );
        let state = read("group=1").products;
        let scope = state.group_scope(Some(&wide)).unwrap();
        assert_eq!(
            (scope.ids.len(), scope.left_out),
            (MAX_GROUPS_PER_REQUEST, 300 - MAX_GROUPS_PER_REQUEST)
        );
        let Ok(q) = state.to_request(Some(&wide)) else {
            panic!("valid")
        };
        let url = format!(
            "https://acme.retailcrm.ru{}",
            q.to_request().unwrap().path_and_query()
        );
        assert!(url.len() < 8000, "{}", url.len());
    }

    #[test]
    fn the_properties_request_carries_its_filters() {
        let view = read("pp.name=Col&pp.site=shop-b&pp.group=2&pp.variative=0");
        assert_eq!(
            view.properties
                .to_request()
                .to_request()
                .unwrap()
                .path_and_query(),
            "/api/v5/store/products/properties?limit=20&page=1&filter%5Bname%5D=Col\
             &filter%5Bvariative%5D=0&filter%5Bsites%5D%5B%5D=shop-b&filter%5Bgroups%5D%5B%5D=2"
        );
    }

    #[test]
    fn the_leftovers_link_of_an_offer() {
        assert_eq!(
            leftovers_href("offer-000001", Some("shop-a")),
            "/inventories?offerExternalId=offer-000001&site=shop-a"
        );
        assert_eq!(
            leftovers_href("a&b c", None),
            "/inventories?offerExternalId=a%26b%20c"
        );
    }

    #[test]
    fn properties_text_round_trips() {
        let map = parse_properties("a=1;b = two words\n\n c=3=4");
        assert_eq!(map.get("c").map(String::as_str), Some("3=4"));
        assert_eq!(parse_properties(&format_properties(&map)), map);
    }
}
