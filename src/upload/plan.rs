//! The chunk plan: the upload split into requests of at most 250 offers and a cap on offers x warehouses, per site.

use std::collections::HashMap;

use serde::{Deserialize, Serialize, Serializer};

use super::offer::{OfferKey, OfferStock, StoreCode};

/// The API's limit of offers per `POST /store/inventories/upload`.
pub const MAX_OFFERS_PER_REQUEST: usize = 250;

/// Limits of one request: offers (at most [`MAX_OFFERS_PER_REQUEST`]) and offers x warehouses
/// cells. An offer with more warehouses than `max_cells` goes alone in its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanLimits {
    pub max_offers: usize,
    pub max_cells: usize,
}

impl Default for PlanLimits {
    fn default() -> Self {
        PlanLimits {
            max_offers: MAX_OFFERS_PER_REQUEST,
            max_cells: 2500,
        }
    }
}

/// Whole numbers as JSON integers (`5`, not `5.0`), others as they are.
fn whole_as_integer<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    // 2^53: every whole f64 below it is exactly an i64.
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        s.serialize_i64(*value as i64)
    } else {
        s.serialize_f64(*value)
    }
}

fn optional_whole_as_integer<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => whole_as_integer(v, s),
        None => s.serialize_none(),
    }
}

/// A store item of the upload: `{"code":"main","available":5,"purchasePrice":10.5}`. Only what the file states is
/// sent: a price with a blank quantity goes without `available` (assumed to leave the quantity unchanged, as it does
/// in the sandbox; see the README), a quantity with a blank price without `purchasePrice`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadStore {
    #[serde(with = "super::offer::shared_code")]
    pub code: StoreCode,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_whole_as_integer"
    )]
    pub available: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_whole_as_integer"
    )]
    pub purchase_price: Option<f64>,
}

/// An offer of the upload: `{"externalId":"x","stores":[...]}` (or `xmlId`, or `id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadItem {
    #[serde(flatten)]
    pub key: OfferKey,
    pub stores: Vec<UploadStore>,
}

/// One request: its site (`None`: the connection's site) and its offers, with the file line of each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chunk {
    pub site: Option<String>,
    pub items: Vec<UploadItem>,
    /// `lines[i]` is the file line of `items[i]`.
    pub lines: Vec<usize>,
}

impl Chunk {
    /// A chunk of `site` with no offers yet, with room for `capacity` of them.
    fn empty(site: Option<String>, capacity: usize) -> Chunk {
        Chunk {
            site,
            items: Vec::with_capacity(capacity),
            lines: Vec::with_capacity(capacity),
        }
    }

    /// The `offers` form field of the request.
    pub fn offers_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(&self.items)
    }

    /// Offers x warehouses in this request.
    pub fn cells(&self) -> usize {
        self.items.iter().map(|i| i.stores.len()).sum()
    }
}

/// The requests of an upload, and what was left out.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub chunks: Vec<Chunk>,
    /// Offers with nothing to send (every value blank).
    pub skipped_offers: usize,
}

impl Plan {
    pub fn offers(&self) -> usize {
        self.chunks.iter().map(|c| c.items.len()).sum()
    }
}

/// One site's chunks while planning: those full, and the one being filled with its cell count.
struct SiteChunks {
    full: Vec<Chunk>,
    open: Chunk,
    cells: usize,
}

/// Whether an offer of `cells` warehouses starts a new request after one of `items` offers and `used` cells.
fn starts_new_chunk(
    items: usize,
    used: usize,
    cells: usize,
    max_offers: usize,
    max_cells: usize,
) -> bool {
    items > 0 && (items >= max_offers || used + cells > max_cells)
}

/// The requests [`plan_upload`] makes of offers given as (site, warehouses with a stated value), counted without
/// making them.
pub fn count_requests<'a>(
    offers: impl IntoIterator<Item = (Option<&'a str>, usize)>,
    limits: PlanLimits,
) -> usize {
    let max_offers = limits.max_offers.clamp(1, MAX_OFFERS_PER_REQUEST);
    let max_cells = limits.max_cells.max(1);
    // Per site, the open request's offers and cells.
    let mut open: HashMap<Option<&str>, (usize, usize)> = HashMap::new();
    let mut requests = 0;
    for (site, cells) in offers {
        if cells == 0 {
            continue;
        }
        let (items, used) = open.entry(site).or_insert_with(|| {
            requests += 1;
            (0, 0)
        });
        if starts_new_chunk(*items, *used, cells, max_offers, max_cells) {
            requests += 1;
            (*items, *used) = (0, 0);
        }
        *items += 1;
        *used += cells;
    }
    requests
}

/// Splits `offers` into requests within `limits` (the offer limit is clamped to 1..=250, the
/// cell limit to at least 1), never mixing sites; sites in order of first appearance, offers in
/// file order. Every value the file states is sent, and only those: a warehouse with both cells blank is left out,
/// and so is an offer left with none.
/// Items go straight into their chunk (no copy of the whole upload on the way).
pub fn plan_upload(offers: &[OfferStock], limits: PlanLimits) -> Plan {
    let max_offers = limits.max_offers.clamp(1, MAX_OFFERS_PER_REQUEST);
    let max_cells = limits.max_cells.max(1);
    let capacity = max_offers.min(max_cells);
    let mut plan = Plan::default();
    let mut sites: Vec<SiteChunks> = Vec::new();
    let mut site_index: HashMap<Option<&str>, usize> = HashMap::new();
    for offer in offers {
        let mut stores = Vec::with_capacity(offer.stores.len());
        for s in &offer.stores {
            if s.is_stated() {
                stores.push(UploadStore {
                    code: s.code.clone(),
                    available: s.quantity,
                    purchase_price: s.purchase_price,
                });
            }
        }
        if stores.is_empty() {
            plan.skipped_offers += 1;
            continue;
        }
        let index = *site_index.entry(offer.site.as_deref()).or_insert_with(|| {
            sites.push(SiteChunks {
                full: Vec::new(),
                open: Chunk::empty(offer.site.clone(), capacity),
                cells: 0,
            });
            sites.len() - 1
        });
        let Some(site) = sites.get_mut(index) else {
            continue;
        };
        let n = stores.len();
        if starts_new_chunk(site.open.items.len(), site.cells, n, max_offers, max_cells) {
            let next = Chunk::empty(site.open.site.clone(), capacity);
            site.full.push(std::mem::replace(&mut site.open, next));
            site.cells = 0;
        }
        site.cells += n;
        site.open.items.push(UploadItem {
            key: offer.key.clone(),
            stores,
        });
        site.open.lines.push(offer.line);
    }
    for site in sites {
        plan.chunks.extend(site.full);
        plan.chunks.push(site.open);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::offer::StoreValue;

    fn offers(n: usize, stores: usize, site: Option<&str>) -> Vec<OfferStock> {
        (0..n)
            .map(|i| OfferStock {
                key: OfferKey::ExternalId(format!("o{i}")),
                site: site.map(str::to_string),
                line: i + 2,
                stores: (0..stores)
                    .map(|s| StoreValue {
                        code: format!("w{s}").into(),
                        quantity: Some(1.0),
                        purchase_price: None,
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn thousand_and_one_offers_make_five_chunks() {
        let plan = plan_upload(&offers(1001, 1, None), PlanLimits::default());
        let sizes: Vec<usize> = plan.chunks.iter().map(|c| c.items.len()).collect();
        assert_eq!(sizes, vec![250, 250, 250, 250, 1]);
        assert_eq!(plan.offers(), 1001);
        assert_eq!(plan.chunks[4].lines, vec![1002]);
        let lower = plan_upload(
            &offers(1001, 1, None),
            PlanLimits {
                max_offers: 100,
                ..PlanLimits::default()
            },
        );
        assert_eq!(lower.chunks.len(), 11);
        let too_high = plan_upload(
            &offers(600, 1, None),
            PlanLimits {
                max_offers: 1000,
                max_cells: 100_000,
            },
        );
        assert!(too_high.chunks.iter().all(|c| c.items.len() <= 250));
    }

    #[test]
    fn cell_cap_splits_wide_offers() {
        // 250 offers x 20 warehouses = 5000 cells: 125 offers per request under 2500.
        let plan = plan_upload(&offers(250, 20, None), PlanLimits::default());
        let sizes: Vec<(usize, usize)> = plan
            .chunks
            .iter()
            .map(|c| (c.items.len(), c.cells()))
            .collect();
        assert_eq!(sizes, vec![(125, 2500), (125, 2500)]);
        let alone = plan_upload(
            &offers(2, 5, None),
            PlanLimits {
                max_offers: 250,
                max_cells: 3,
            },
        );
        assert_eq!(
            alone.chunks.len(),
            2,
            "an offer larger than the cap goes alone"
        );
    }

    #[test]
    fn requests_are_counted_as_planned() {
        let mut all = offers(700, 3, Some("a"));
        all.extend(offers(300, 20, Some("b")));
        all.extend(offers(90, 1, None));
        all.extend(offers(400, 7, Some("a")));
        all[5].stores.iter_mut().for_each(|s| s.quantity = None);
        all[6].stores[0].quantity = None;
        for limits in [
            PlanLimits::default(),
            PlanLimits {
                max_offers: 100,
                max_cells: 300,
            },
            PlanLimits {
                max_offers: 250,
                max_cells: 5,
            },
        ] {
            let planned = plan_upload(&all, limits).chunks.len();
            let counted = count_requests(
                all.iter().map(|o| {
                    let stated = o.stores.iter().filter(|s| s.is_stated()).count();
                    (o.site.as_deref(), stated)
                }),
                limits,
            );
            assert_eq!(counted, planned, "{limits:?}");
        }
        assert_eq!(count_requests([], PlanLimits::default()), 0);
    }

    #[test]
    fn sites_are_never_mixed() {
        let mut all = offers(3, 1, Some("a"));
        all.extend(offers(2, 1, Some("b")));
        all.extend(offers(1, 1, Some("a")));
        let plan = plan_upload(&all, PlanLimits::default());
        let chunks: Vec<(Option<&str>, usize)> = plan
            .chunks
            .iter()
            .map(|c| (c.site.as_deref(), c.items.len()))
            .collect();
        assert_eq!(chunks, vec![(Some("a"), 4), (Some("b"), 2)]);
    }

    #[test]
    fn wire_json_and_dropped_values() {
        let all = vec![
            OfferStock {
                key: OfferKey::ExternalId("x".into()),
                site: None,
                line: 2,
                stores: vec![
                    StoreValue {
                        code: "main".into(),
                        quantity: Some(5.0),
                        purchase_price: Some(10.5),
                    },
                    StoreValue {
                        code: "north".into(),
                        quantity: Some(2.5),
                        purchase_price: Some(3.0),
                    },
                    StoreValue {
                        code: "shop".into(),
                        quantity: None,
                        purchase_price: Some(1.0),
                    },
                ],
            },
            OfferStock {
                key: OfferKey::Id(7),
                site: None,
                line: 3,
                stores: vec![StoreValue {
                    code: "main".into(),
                    quantity: None,
                    purchase_price: None,
                }],
            },
        ];
        let plan = plan_upload(&all, PlanLimits::default());
        assert_eq!(plan.skipped_offers, 1);
        assert_eq!(plan.chunks.len(), 1);
        let json = plan.chunks[0].offers_json().unwrap_or_default();
        assert_eq!(
            json,
            r#"[{"externalId":"x","stores":[{"code":"main","available":5,"purchasePrice":10.5},{"code":"north","available":2.5,"purchasePrice":3},{"code":"shop","purchasePrice":1}]}]"#
        );
        let back: Vec<UploadItem> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, plan.chunks[0].items);
        let id = serde_json::to_string(&UploadItem {
            key: OfferKey::Id(7),
            stores: vec![],
        });
        assert_eq!(id.ok().as_deref(), Some(r#"{"id":7,"stores":[]}"#));
    }
}
