//! The leftovers filters: the URL query they live in, and the `GET /store/inventories` request they make.

use crate::api::encode::percent_encode;
use crate::api::inventory::{InventoriesFilter, InventoriesRequest};

/// The page sizes the CRM accepts; anything else in a URL falls back to the first.
pub const PAGE_SIZES: [u32; 4] = [20, 50, 100, 250];

/// The page size used to walk every page ("load all").
pub const LOAD_ALL_LIMIT: u32 = 250;

/// What the user asked to see. The list fields hold the text as typed (comma or newline separated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryFilter {
    pub site: String,
    pub offer_external_id: String,
    pub offer_xml_id: String,
    pub offer_article: String,
    pub ids: String,
    pub product_active: Option<bool>,
    pub offer_active: Option<bool>,
    /// The local search over loaded rows (never sent to the CRM).
    pub search: String,
    pub page: u32,
    pub limit: u32,
}

impl Default for InventoryFilter {
    fn default() -> Self {
        InventoryFilter {
            site: String::new(),
            offer_external_id: String::new(),
            offer_xml_id: String::new(),
            offer_article: String::new(),
            ids: String::new(),
            product_active: None,
            offer_active: None,
            search: String::new(),
            page: 1,
            limit: PAGE_SIZES[0],
        }
    }
}

/// The items of a list typed by the user: split on commas and line breaks, trimmed, blanks dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n', '\r', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `1`/`true`/`yes` is yes, `0`/`false`/`no` is no, anything else is "either".
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

fn flag_text(flag: Option<bool>) -> Option<&'static str> {
    flag.map(|f| if f { "1" } else { "0" })
}

impl InventoryFilter {
    /// The filter named by a URL query, given as a lookup of its parameters; unknown or bad values are ignored.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str| get(name).unwrap_or_default();
        let page = get("page")
            .and_then(|p| p.trim().parse::<u32>().ok())
            .filter(|&p| p >= 1)
            .unwrap_or(1);
        let limit = get("limit")
            .and_then(|l| l.trim().parse::<u32>().ok())
            .filter(|l| PAGE_SIZES.contains(l))
            .unwrap_or(PAGE_SIZES[0]);
        InventoryFilter {
            site: text("site").trim().to_string(),
            offer_external_id: text("offerExternalId"),
            offer_xml_id: text("offerXmlId"),
            offer_article: text("offerArticle"),
            ids: text("ids"),
            product_active: parse_flag(&text("productActive")),
            offer_active: parse_flag(&text("offerActive")),
            search: text("q"),
            page,
            limit,
        }
    }

    /// The URL query (without `?`) naming this filter; empty fields and defaults are left out.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (name, value) in [
            ("site", self.site.trim()),
            ("offerExternalId", self.offer_external_id.trim()),
            ("offerXmlId", self.offer_xml_id.trim()),
            ("offerArticle", self.offer_article.trim()),
            ("ids", self.ids.trim()),
            ("q", self.search.trim()),
        ] {
            if !value.is_empty() {
                pairs.push((name, value.to_string()));
            }
        }
        for (name, flag) in [
            ("productActive", self.product_active),
            ("offerActive", self.offer_active),
        ] {
            if let Some(f) = flag_text(flag) {
                pairs.push((name, f.to_string()));
            }
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.limit != PAGE_SIZES[0] {
            pairs.push(("limit", self.limit.to_string()));
        }
        pairs
            .iter()
            .map(|(n, v)| format!("{n}={}", percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The ids typed, as numbers; the items that are not whole numbers are returned apart.
    pub fn parsed_ids(&self) -> (Vec<i64>, Vec<String>) {
        let mut ids = Vec::new();
        let mut bad = Vec::new();
        for item in split_list(&self.ids) {
            match item.parse::<i64>() {
                Ok(id) => ids.push(id),
                Err(_) => bad.push(item),
            }
        }
        (ids, bad)
    }

    /// The CRM request for one page, with per-warehouse details.
    pub fn to_request(&self) -> InventoriesRequest {
        InventoriesRequest {
            limit: Some(self.limit),
            page: Some(self.page.max(1)),
            filter: self.api_filter(),
        }
    }

    /// The CRM request that starts walking every page ("load all").
    pub fn load_all_request(&self) -> InventoriesRequest {
        InventoriesRequest {
            limit: Some(LOAD_ALL_LIMIT),
            page: Some(1),
            filter: self.api_filter(),
        }
    }

    /// The CRM-side filters (with per-warehouse details), without paging.
    pub(super) fn api_filter(&self) -> InventoriesFilter {
        InventoriesFilter {
            ids: self.parsed_ids().0,
            offer_external_id: split_list(&self.offer_external_id),
            offer_xml_id: split_list(&self.offer_xml_id),
            offer_article: split_list(&self.offer_article),
            product_active: self.product_active,
            offer_active: self.offer_active,
            details: Some(true),
            sites: split_list(&self.site),
            ..InventoriesFilter::default()
        }
    }

    /// The same filter on another page.
    pub fn with_page(&self, page: u32) -> Self {
        InventoryFilter {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// The same filter with another page size, back on page 1.
    pub fn with_limit(&self, limit: u32) -> Self {
        InventoryFilter {
            limit,
            page: 1,
            ..self.clone()
        }
    }

    /// What decides which offers the CRM returns (not the page, the size or the local search):
    /// a set loaded with one scope is stale for another.
    pub fn scope(&self) -> InventoryFilter {
        InventoryFilter {
            search: String::new(),
            page: 1,
            limit: PAGE_SIZES[0],
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Endpoint;

    fn query(q: &str) -> InventoryFilter {
        let pairs: Vec<(String, String)> = q
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.replace("%2C", ",").replace("%0A", "\n")))
            .collect();
        InventoryFilter::from_query(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn catalog_link_names_are_read() {
        let f = query("offerExternalId=offer-000001&site=shop-a");
        assert_eq!(f.offer_external_id, "offer-000001");
        assert_eq!(f.site, "shop-a");
        assert_eq!((f.page, f.limit), (1, 20));
        let r = f.to_request().to_request().map(|r| r.path_and_query());
        assert_eq!(
            r.ok().as_deref(),
            Some(
                "/api/v5/store/inventories?limit=20&page=1&filter%5BofferExternalId%5D%5B%5D=offer-000001\
                 &filter%5Bdetails%5D=1&filter%5Bsites%5D%5B%5D=shop-a"
            )
        );
    }

    #[test]
    fn query_round_trip_with_lists_flags_and_paging() {
        let f = InventoryFilter {
            site: "shop-b".into(),
            offer_external_id: "a, b\nc".into(),
            offer_xml_id: "x-1".into(),
            offer_article: "art 1".into(),
            ids: "1,2".into(),
            product_active: Some(true),
            offer_active: Some(false),
            search: "рус".into(),
            page: 3,
            limit: 100,
        };
        let q = f.to_query();
        assert!(q.contains("offerActive=0") && q.contains("page=3") && q.contains("limit=100"));
        let decoded: Vec<(String, String)> = q
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), percent_decode(v)))
            .collect();
        let back = InventoryFilter::from_query(|name| {
            decoded
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, f);
        assert_eq!(InventoryFilter::default().to_query(), "");
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 3 <= bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn bad_values_fall_back() {
        let f = query("page=0&limit=33&productActive=maybe&ids=1,x,3");
        assert_eq!((f.page, f.limit, f.product_active), (1, 20, None));
        assert_eq!(f.parsed_ids(), (vec![1, 3], vec!["x".to_string()]));
        let f = query("page=abc&limit=250");
        assert_eq!((f.page, f.limit), (1, 250));
    }

    #[test]
    fn lists_split_on_commas_and_lines() {
        assert_eq!(split_list(" a,b\n\nc ;d,"), ["a", "b", "c", "d"]);
        assert!(split_list(" , \n").is_empty());
    }

    #[test]
    fn load_all_walks_with_the_biggest_page_and_scope_ignores_paging() {
        let f = query("offerActive=1&page=4&limit=50&q=zzz");
        let r = f.load_all_request();
        assert_eq!((r.limit, r.page), (Some(250), Some(1)));
        assert_eq!(r.filter.offer_active, Some(true));
        assert_eq!(f.scope(), query("offerActive=1"));
        assert_eq!(f.with_limit(100).page, 1);
        assert_eq!(f.with_page(0).page, 1);
    }
}
