//! The leftovers table model: one row per offer with quantity and purchase price per warehouse, local search,
//! filter and sort over loaded rows, totals per warehouse.

use std::cmp::Ordering;

use super::amount::{exact_sum, ExactSum};
use super::filter::{split_list, InventoryFilter};
use crate::api::inventory::InventoryOffer;
use crate::api::reference::Store;

/// A warehouse column group of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarehouseColumn {
    pub code: String,
    pub name: String,
    /// `inventoryType: available`: the quantity only says "in stock or not".
    pub available_type: bool,
}

impl WarehouseColumn {
    pub fn from_store(store: &Store) -> Self {
        WarehouseColumn {
            code: store.code.clone(),
            name: if store.name.trim().is_empty() {
                store.code.clone()
            } else {
                store.name.clone()
            },
            available_type: store.is_availability_only(),
        }
    }
}

/// One offer's stock in one warehouse.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leftover {
    pub quantity: f64,
    pub purchase_price: Option<f64>,
}

/// One offer of the table; `stock` is aligned with the warehouse columns (`None`: no record in that warehouse, or
/// no breakdown per warehouse at all).
#[derive(Clone, Debug, PartialEq)]
pub struct OfferRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub xml_id: Option<String>,
    pub site: Option<String>,
    /// The offer's total quantity as the CRM gives it, else the (exact decimal) sum over its warehouses.
    pub total: f64,
    /// The offer's own purchase price (`purchasePrice` next to `quantity`), the only price of an answer without
    /// `stores[]`.
    pub purchase_price: Option<f64>,
    /// Whether the answer broke the stock down per warehouse (`stores[]`); without it, a warehouse's quantity is
    /// unknown rather than 0.
    pub per_warehouse: bool,
    pub stock: Vec<Option<Leftover>>,
}

impl OfferRow {
    /// The row of an offer as `GET /store/inventories?filter[details]=1` returned it.
    pub fn from_offer(offer: &InventoryOffer, columns: &[WarehouseColumn]) -> Self {
        let stock = columns
            .iter()
            .map(|c| {
                offer
                    .stores
                    .iter()
                    .find(|s| s.store == c.code)
                    .map(|s| Leftover {
                        quantity: s.quantity,
                        purchase_price: s.purchase_price,
                    })
            })
            .collect();
        let total = offer
            .quantity
            .unwrap_or_else(|| exact_sum(offer.stores.iter().map(|s| s.quantity)));
        OfferRow {
            id: offer.id,
            external_id: offer.external_id.clone(),
            xml_id: offer.xml_id.clone(),
            site: offer.site.clone(),
            total,
            purchase_price: offer.purchase_price,
            per_warehouse: !offer.stores.is_empty(),
            stock,
        }
    }

    /// The quantity in warehouse column `column`: `None` when the offer has no record there (0 for the CRM) or the
    /// answer had no breakdown per warehouse.
    pub fn quantity(&self, column: usize) -> Option<f64> {
        self.stock
            .get(column)
            .copied()
            .flatten()
            .map(|s| s.quantity)
    }

    /// The purchase price in warehouse column `column`, when the CRM gave one.
    pub fn store_purchase_price(&self, column: usize) -> Option<f64> {
        self.stock
            .get(column)
            .copied()
            .flatten()
            .and_then(|s| s.purchase_price)
    }
}

/// The rows of a page of offers.
pub fn rows_from_offers(offers: &[InventoryOffer], columns: &[WarehouseColumn]) -> Vec<OfferRow> {
    offers
        .iter()
        .map(|o| OfferRow::from_offer(o, columns))
        .collect()
}

/// What a table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Id,
    ExternalId,
    XmlId,
    Site,
    Total,
    /// The offer's own purchase price.
    OfferPrice,
    Quantity(usize),
    PurchasePrice(usize),
}

/// A sort column and direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Sort {
    /// The sort after a click on `key`'s header: ascending first, then descending, then unsorted.
    pub fn toggle(current: Option<Sort>, key: SortKey) -> Option<Sort> {
        match current {
            Some(s) if s.key == key && !s.descending => Some(Sort {
                key,
                descending: true,
            }),
            Some(s) if s.key == key => None,
            _ => Some(Sort {
                key,
                descending: false,
            }),
        }
    }
}

fn cmp_opt_num(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn cmp_opt_text(a: &Option<String>, b: &Option<String>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn compare(a: &OfferRow, b: &OfferRow, key: SortKey) -> Ordering {
    match key {
        SortKey::Id => a.id.cmp(&b.id),
        SortKey::ExternalId => cmp_opt_text(&a.external_id, &b.external_id),
        SortKey::XmlId => cmp_opt_text(&a.xml_id, &b.xml_id),
        SortKey::Site => cmp_opt_text(&a.site, &b.site),
        SortKey::Total => a.total.total_cmp(&b.total),
        SortKey::OfferPrice => cmp_opt_num(a.purchase_price, b.purchase_price),
        SortKey::Quantity(c) => cmp_opt_num(a.quantity(c), b.quantity(c)),
        SortKey::PurchasePrice(c) => {
            cmp_opt_num(a.store_purchase_price(c), b.store_purchase_price(c))
        }
    }
}

/// Which loaded rows to show: the search text and, over a whole loaded set, the list filters applied locally.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalQuery {
    /// The lower-cased search terms: a row matches when one of them is part of its id, externalId or xmlId (the
    /// identifiers the CRM search asks for, see [`super::search`]).
    pub search: Vec<String>,
    pub sites: Vec<String>,
    pub external_ids: Vec<String>,
    pub xml_ids: Vec<String>,
    pub ids: Vec<i64>,
}

impl LocalQuery {
    /// Only the search box (rows of one page, already filtered by the CRM).
    pub fn search_only(filter: &InventoryFilter) -> Self {
        LocalQuery {
            search: split_list(&filter.search.to_lowercase()),
            ..LocalQuery::default()
        }
    }

    /// The search box and every filter that can be checked on loaded rows (site, externalId, xmlId, ids).
    pub fn whole_set(filter: &InventoryFilter) -> Self {
        LocalQuery {
            sites: split_list(&filter.site),
            external_ids: split_list(&filter.offer_external_id),
            xml_ids: split_list(&filter.offer_xml_id),
            ids: filter.parsed_ids().0,
            ..LocalQuery::search_only(filter)
        }
    }

    pub fn matches(&self, row: &OfferRow) -> bool {
        let in_list = |list: &[String], value: &Option<String>| {
            list.is_empty() || value.as_ref().is_some_and(|v| list.contains(v))
        };
        in_list(&self.sites, &row.site)
            && in_list(&self.external_ids, &row.external_id)
            && in_list(&self.xml_ids, &row.xml_id)
            && (self.ids.is_empty() || self.ids.contains(&row.id))
            && (self.search.is_empty() || self.search_matches(row))
    }

    fn search_matches(&self, row: &OfferRow) -> bool {
        let id = row.id.to_string();
        let external_id = row
            .external_id
            .as_deref()
            .unwrap_or_default()
            .to_lowercase();
        let xml_id = row.xml_id.as_deref().unwrap_or_default().to_lowercase();
        self.search.iter().any(|term| {
            id.contains(term.as_str())
                || external_id.contains(term.as_str())
                || xml_id.contains(term.as_str())
        })
    }
}

/// Whether a set loaded with `loaded_with` holds every offer `current` asks for, so `current` can be answered
/// locally: the filters only the CRM can check (article, activity) are the same, and each list filter is either
/// the same or was not used for loading.
pub fn load_covers(loaded_with: &InventoryFilter, current: &InventoryFilter) -> bool {
    let same_or_unused = |loaded: &str, now: &str| {
        let loaded = split_list(loaded);
        loaded.is_empty() || loaded == split_list(now)
    };
    split_list(&loaded_with.offer_article) == split_list(&current.offer_article)
        && loaded_with.product_active == current.product_active
        && loaded_with.offer_active == current.offer_active
        && same_or_unused(&loaded_with.site, &current.site)
        && same_or_unused(&loaded_with.offer_external_id, &current.offer_external_id)
        && same_or_unused(&loaded_with.offer_xml_id, &current.offer_xml_id)
        && same_or_unused(&loaded_with.ids, &current.ids)
}

/// The indexes of the rows to show, in display order (stable: equal rows keep their loaded order).
pub fn view_indices(rows: &[OfferRow], query: &LocalQuery, sort: Option<Sort>) -> Vec<usize> {
    let mut indices: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| query.matches(r))
        .map(|(i, _)| i)
        .collect();
    if let Some(sort) = sort {
        crate::order::sort_positions(&mut indices, &|a, b| {
            let o = compare(&rows[a], &rows[b], sort.key);
            if sort.descending {
                o.reverse()
            } else {
                o
            }
        });
    }
    indices
}

/// Total quantity per warehouse column over the chosen rows (exact decimal sums).
pub fn warehouse_totals(rows: &[OfferRow], indices: &[usize], columns: usize) -> Vec<f64> {
    let mut totals = vec![ExactSum::default(); columns];
    for row in indices.iter().filter_map(|&i| rows.get(i)) {
        for (total, cell) in totals.iter_mut().zip(&row.stock) {
            if let Some(cell) = cell {
                total.add(cell.quantity);
            }
        }
    }
    totals.iter().map(ExactSum::value).collect()
}

/// Each total as a share (0..=100) of the largest, for a bar chart; all zero when nothing is in stock.
pub fn bar_percents(totals: &[f64]) -> Vec<f64> {
    let max = totals.iter().copied().fold(0.0_f64, f64::max);
    totals
        .iter()
        .map(|&t| {
            if max > 0.0 {
                (t.max(0.0) / max * 100.0).clamp(0.0, 100.0)
            } else {
                0.0
            }
        })
        .collect()
}

/// The warehouse codes remembered as hidden, from their stored form (a comma list), and back.
pub fn parse_hidden(stored: &str) -> Vec<String> {
    split_list(stored)
}

pub fn format_hidden(codes: &[String]) -> String {
    codes.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::inventory::StoreStock;
    use crate::sheet::csv::format_number;

    fn columns() -> Vec<WarehouseColumn> {
        ["main", "north", "pickup"]
            .iter()
            .map(|c| WarehouseColumn {
                code: c.to_string(),
                name: c.to_uppercase(),
                available_type: *c == "pickup",
            })
            .collect()
    }

    fn offer(id: i64, site: &str, stores: &[(&str, f64, Option<f64>)]) -> InventoryOffer {
        InventoryOffer {
            id,
            external_id: Some(format!("offer-{id}")),
            xml_id: Some(format!("xml-{id}")),
            site: Some(site.to_string()),
            purchase_price: None,
            quantity: None,
            stores: stores
                .iter()
                .map(|&(s, q, p)| StoreStock {
                    store: s.to_string(),
                    quantity: q,
                    purchase_price: p,
                })
                .collect(),
        }
    }

    fn sample() -> Vec<OfferRow> {
        rows_from_offers(
            &[
                offer(
                    3,
                    "shop-a",
                    &[("main", 5.0, Some(10.5)), ("pickup", 1.0, None)],
                ),
                offer(
                    1,
                    "shop-b",
                    &[("north", 7.0, Some(2.0)), ("gone", 100.0, None)],
                ),
                offer(2, "shop-a", &[]),
            ],
            &columns(),
        )
    }

    #[test]
    fn rows_align_stock_with_columns() {
        let rows = sample();
        assert_eq!(
            rows[0].stock,
            vec![
                Some(Leftover {
                    quantity: 5.0,
                    purchase_price: Some(10.5)
                }),
                None,
                Some(Leftover {
                    quantity: 1.0,
                    purchase_price: None
                })
            ]
        );
        assert_eq!(rows[0].total, 6.0);
        assert_eq!(rows[1].total, 107.0, "total counts unlisted warehouses");
        let mut with_total = offer(9, "s", &[("main", 1.0, None)]);
        with_total.quantity = Some(4.0);
        assert_eq!(OfferRow::from_offer(&with_total, &columns()).total, 4.0);
    }

    #[test]
    fn search_filters_and_sorts() {
        let rows = sample();
        let all = InventoryFilter::default();
        assert_eq!(
            view_indices(&rows, &LocalQuery::search_only(&all), None),
            [0, 1, 2]
        );
        let by_id = Some(Sort {
            key: SortKey::Id,
            descending: false,
        });
        assert_eq!(
            view_indices(&rows, &LocalQuery::default(), by_id),
            [1, 2, 0]
        );
        let main_desc = Some(Sort {
            key: SortKey::Quantity(0),
            descending: true,
        });
        // Descending reverses the order, blanks included (they sort after numbers ascending).
        assert_eq!(
            view_indices(&rows, &LocalQuery::default(), main_desc),
            [1, 2, 0]
        );
        let search = InventoryFilter {
            search: "XML-2".into(),
            ..InventoryFilter::default()
        };
        assert_eq!(
            view_indices(&rows, &LocalQuery::search_only(&search), None),
            [2]
        );
        // Several terms: a row matching any of them; the site is not an identifier.
        let terms = InventoryFilter {
            search: "offer-3, xml-1\nshop-a".into(),
            ..InventoryFilter::default()
        };
        assert_eq!(
            view_indices(&rows, &LocalQuery::search_only(&terms), None),
            [0, 1]
        );
        let site = InventoryFilter {
            site: "shop-a".into(),
            offer_external_id: "offer-2, offer-1".into(),
            ..InventoryFilter::default()
        };
        assert_eq!(
            view_indices(&rows, &LocalQuery::whole_set(&site), None),
            [2]
        );
        assert_eq!(
            view_indices(&rows, &LocalQuery::search_only(&site), None),
            [0, 1, 2],
            "list filters are the CRM's job on a page"
        );
    }

    #[test]
    fn the_offer_price_sorts_with_blanks_last() {
        let mut rows = sample();
        rows[0].purchase_price = Some(5.0);
        rows[2].purchase_price = Some(1.0);
        let by_price = |descending| {
            Some(Sort {
                key: SortKey::OfferPrice,
                descending,
            })
        };
        assert_eq!(
            view_indices(&rows, &LocalQuery::default(), by_price(false)),
            [2, 0, 1]
        );
        assert_eq!(
            view_indices(&rows, &LocalQuery::default(), by_price(true)),
            [1, 0, 2]
        );
    }

    #[test]
    fn sort_toggles_asc_desc_off() {
        let s = Sort::toggle(None, SortKey::Total);
        assert_eq!(s.map(|s| s.descending), Some(false));
        let s = Sort::toggle(s, SortKey::Total);
        assert_eq!(s.map(|s| s.descending), Some(true));
        assert_eq!(Sort::toggle(s, SortKey::Total), None);
        assert_eq!(
            Sort::toggle(s, SortKey::Id).map(|s| s.key),
            Some(SortKey::Id)
        );
    }

    #[test]
    fn totals_and_bars() {
        let rows = sample();
        let totals = warehouse_totals(&rows, &[0, 1, 2], 3);
        assert_eq!(totals, [5.0, 7.0, 1.0]);
        assert_eq!(warehouse_totals(&rows, &[1, 99], 3), [0.0, 7.0, 0.0]);
        let bars = bar_percents(&totals);
        assert_eq!(bars[1], 100.0);
        assert!((bars[0] - 500.0 / 7.0).abs() < 1e-9);
        assert_eq!(bar_percents(&[0.0, -1.0]), [0.0, 0.0]);
    }

    #[test]
    fn a_loaded_set_answers_narrower_filters_only() {
        let loaded = InventoryFilter {
            offer_active: Some(true),
            ..InventoryFilter::default()
        };
        let narrower = InventoryFilter {
            site: "shop-a".into(),
            ..loaded.clone()
        };
        assert!(load_covers(&loaded, &narrower));
        assert!(!load_covers(&narrower, &loaded));
        assert!(!load_covers(&loaded, &InventoryFilter::default()));
        assert!(load_covers(&narrower, &narrower.with_page(3)));
    }

    #[test]
    fn goods_sold_by_weight_keep_every_decimal_and_add_up_exactly() {
        let weighed = [
            offer(7, "s", &[("main", 0.1, Some(1.999)), ("north", 0.2, None)]),
            offer(
                8,
                "s",
                &[("main", 0.125, Some(0.125)), ("north", 0.1, None)],
            ),
        ];
        let rows = rows_from_offers(&weighed, &columns());
        let shown = |v: f64| format_number(v, false);
        assert_eq!(shown(rows[0].total), "0.3", "0.1 + 0.2 without float noise");
        assert_eq!(shown(rows[1].quantity(0).unwrap()), "0.125");
        assert_eq!(shown(rows[0].store_purchase_price(0).unwrap()), "1.999");
        let totals = warehouse_totals(&rows, &[0, 1], 3);
        assert_eq!(
            totals.iter().map(|&t| shown(t)).collect::<Vec<_>>(),
            ["0.225", "0.3", "0"]
        );
    }

    #[test]
    fn hidden_codes() {
        let hidden = vec!["north".to_string(), "pickup".to_string()];
        assert_eq!(parse_hidden(&format_hidden(&hidden)), hidden);
        assert!(parse_hidden("").is_empty());
    }
}
