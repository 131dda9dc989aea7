//! The dry run's read of the CRM's current stock: the cheaper of paging through every inventory or asking by key,
//! folded into the current stock of the file's offers as the pages arrive.

use std::collections::HashSet;

use super::diff::CurrentStock;
use super::offer::{CurrentOffer, KeyKind, OfferKey, OfferStock};
use super::wire::{current_offer, lookup_requests};
use crate::api::inventory::{InventoriesFilter, InventoriesRequest, InventoriesResponse};
use crate::runner::read::{Followup, PageSink};

/// The page size of the read (the API's largest).
pub const PAGE_LIMIT: u32 = 250;

/// How the dry run reads the current stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// `filter[offerExternalId][]` (or xmlId, ids) in batches: ceil(N/k) requests for the file's N offers.
    ByKey,
    /// Every inventory of the account, page by page: ceil(M/250) requests for its M offers.
    AllPages,
}

/// The chosen way and the requests it takes (the probe, when there was one, included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadPlan {
    pub strategy: Strategy,
    pub requests: usize,
}

/// The keys the file names, to keep only its offers of what is read.
#[derive(Debug, Default)]
struct Wanted {
    external_ids: HashSet<String>,
    xml_ids: HashSet<String>,
    ids: HashSet<u64>,
}

impl Wanted {
    fn of(offers: &[OfferStock]) -> Wanted {
        let mut wanted = Wanted::default();
        for o in offers {
            match &o.key {
                OfferKey::ExternalId(k) => {
                    wanted.external_ids.insert(k.clone());
                }
                OfferKey::XmlId(k) => {
                    wanted.xml_ids.insert(k.clone());
                }
                OfferKey::Id(id) => {
                    wanted.ids.insert(*id);
                }
            }
        }
        wanted
    }

    fn names(&self, offer: &CurrentOffer) -> bool {
        self.ids.contains(&offer.id)
            || offer
                .external_id
                .as_ref()
                .is_some_and(|k| self.external_ids.contains(k))
            || offer
                .xml_id
                .as_ref()
                .is_some_and(|k| self.xml_ids.contains(k))
    }
}

/// The read of one dry run: the requests to start with, then the sink that decides after the first answer and keeps
/// the file's offers of every page.
#[derive(Debug)]
pub struct DryRunRead {
    wanted: Wanted,
    found: Vec<CurrentOffer>,
    by_key: Vec<InventoriesRequest>,
    /// Whether request 0 is the probe: the first page of every inventory, which tells how many there are.
    probing: bool,
    plan: Option<ReadPlan>,
}

/// The site every offer of the file is in, when there is exactly one and no offer is named by `id` (which ignores
/// sites): paging through every inventory can then stay within it.
fn only_site(offers: &[OfferStock]) -> Option<String> {
    let mut site: Option<&str> = None;
    for o in offers {
        if o.key.kind() == KeyKind::Id {
            return None;
        }
        match (site, o.site.as_deref()) {
            (_, None) => return None,
            (None, Some(s)) => site = Some(s),
            (Some(a), Some(b)) if a != b => return None,
            _ => {}
        }
    }
    site.map(str::to_string)
}

impl DryRunRead {
    /// The read of `offers` in the account at `base_url`, and the requests to start with: by key when that takes
    /// one request at most, else the probe.
    pub fn new(offers: &[OfferStock], base_url: &str) -> (DryRunRead, Vec<InventoriesRequest>) {
        let by_key = lookup_requests(offers, base_url);
        let mut read = DryRunRead {
            wanted: Wanted::of(offers),
            found: Vec::new(),
            by_key,
            probing: false,
            plan: None,
        };
        let first = if read.by_key.len() <= 1 {
            read.plan = Some(ReadPlan {
                strategy: Strategy::ByKey,
                requests: read.by_key.len(),
            });
            std::mem::take(&mut read.by_key)
        } else {
            read.probing = true;
            vec![InventoriesRequest {
                limit: Some(PAGE_LIMIT),
                page: Some(1),
                filter: InventoriesFilter {
                    details: Some(true),
                    sites: only_site(offers).into_iter().collect(),
                    ..InventoriesFilter::default()
                },
            }]
        };
        (read, first)
    }

    /// The way chosen and its request count; `None` until the probe's answer.
    pub fn plan(&self) -> Option<ReadPlan> {
        self.plan
    }

    /// Requests a key batch would take (shown while the probe is out).
    pub fn by_key_requests(&self) -> usize {
        self.by_key.len()
    }

    /// The current stock of the file's offers read so far (all of it once the read is done).
    pub fn take_current(&mut self) -> CurrentStock {
        CurrentStock::new(std::mem::take(&mut self.found))
    }

    /// Chooses after the probe: the rest of every page against the key batches.
    fn choose(&mut self, total_pages: u32) -> Followup<InventoriesRequest> {
        let rest = total_pages.saturating_sub(1) as usize;
        if self.by_key.len() < rest {
            let more = std::mem::take(&mut self.by_key);
            self.plan = Some(ReadPlan {
                strategy: Strategy::ByKey,
                requests: 1 + more.len(),
            });
            Followup {
                rest_of_pages: false,
                more,
            }
        } else {
            self.by_key.clear();
            self.plan = Some(ReadPlan {
                strategy: Strategy::AllPages,
                requests: 1 + rest,
            });
            Followup::all_pages()
        }
    }
}

impl PageSink<InventoriesRequest> for DryRunRead {
    fn page(
        &mut self,
        request: usize,
        _page: u32,
        answer: InventoriesResponse,
    ) -> Followup<InventoriesRequest> {
        let total_pages = answer.pagination.total_page_count;
        for offer in answer.offers {
            let offer = current_offer(offer);
            if self.wanted.names(&offer) {
                self.found.push(offer);
            }
        }
        if self.probing && request == 0 && self.plan.is_none() {
            self.choose(total_pages)
        } else {
            Followup::all_pages()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::offer::StoreValue;

    fn offers(n: usize, site: &str) -> Vec<OfferStock> {
        (0..n)
            .map(|i| OfferStock {
                key: OfferKey::ExternalId(format!("offer-{i:06}")),
                site: Some(site.into()),
                line: i + 2,
                stores: vec![StoreValue {
                    code: "main".into(),
                    quantity: Some(1.0),
                    purchase_price: None,
                }],
            })
            .collect()
    }

    fn answer(total_count: u32, offers: &[(u64, &str)]) -> InventoriesResponse {
        let offers: Vec<String> = offers
            .iter()
            .map(|(id, k)| {
                format!(
                    r#"{{"id":{id},"externalId":"{k}","stores":[{{"store":"main","quantity":3}}]}}"#
                )
            })
            .collect();
        let body = format!(
            r#"{{"success":true,"pagination":{{"limit":250,"totalCount":{total_count},"currentPage":1,"totalPageCount":{}}},"offers":[{}]}}"#,
            total_count.div_ceil(250),
            offers.join(",")
        );
        serde_json::from_str(&body).unwrap()
    }

    #[test]
    fn a_small_file_is_read_by_key_without_a_probe() {
        let (read, first) = DryRunRead::new(&offers(100, "s"), "https://a.retailcrm.ru");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].filter.offer_external_id.len(), 100);
        assert_eq!(
            read.plan(),
            Some(ReadPlan {
                strategy: Strategy::ByKey,
                requests: 1
            })
        );
    }

    #[test]
    fn the_probe_chooses_the_cheaper_way() {
        // 1,000 offers of a 100,000-offer account: by key (about 6 batches) beats 399 more pages.
        let file = offers(1000, "s");
        let (mut read, first) = DryRunRead::new(&file, "https://a.retailcrm.ru");
        assert_eq!(first.len(), 1, "the probe");
        assert_eq!(first[0].filter.sites, vec!["s".to_string()]);
        let batches = read.by_key_requests();
        assert!((5..=8).contains(&batches), "{batches}");
        let follow = read.page(
            0,
            1,
            answer(100_000, &[(1, "offer-000001"), (2, "elsewhere")]),
        );
        assert!(!follow.rest_of_pages);
        assert_eq!(follow.more.len(), batches);
        assert_eq!(
            read.plan().map(|p| (p.strategy, p.requests)),
            Some((Strategy::ByKey, 1 + batches))
        );
        // The probe's matching offer is kept, the other one is not.
        assert_eq!(read.take_current().len(), 1);

        // The whole file of a 1,200-offer account: 4 more pages beat the batches.
        let (mut read, _) = DryRunRead::new(&file, "https://a.retailcrm.ru");
        let follow = read.page(0, 1, answer(1200, &[]));
        assert!(follow.rest_of_pages && follow.more.is_empty());
        assert_eq!(
            read.plan(),
            Some(ReadPlan {
                strategy: Strategy::AllPages,
                requests: 5
            })
        );
        // Later pages only add offers.
        let follow = read.page(0, 2, answer(1200, &[(7, "offer-000007")]));
        assert!(follow.rest_of_pages && follow.more.is_empty());
        assert_eq!(read.plan().map(|p| p.requests), Some(5));
    }

    #[test]
    fn paging_stays_in_the_files_only_site() {
        assert_eq!(only_site(&offers(3, "a")), Some("a".into()));
        let mut mixed = offers(2, "a");
        mixed.extend(offers(1, "b"));
        assert_eq!(only_site(&mixed), None);
        let mut with_id = offers(2, "a");
        with_id[0].key = OfferKey::Id(5);
        assert_eq!(only_site(&with_id), None);
    }
}
