//! The leftovers search through the CRM, for when not every offer is loaded: a typed term is looked for as an offer's
//! id (when it is a whole number), externalId and xmlId, matched exactly — one request per identifier, within the
//! other filters, every page read — and the offers found are merged, each once.

use std::collections::{BTreeMap, BTreeSet};

use super::filter::{split_list, InventoryFilter, LOAD_ALL_LIMIT};
use crate::api::inventory::{
    InventoriesFilter, InventoriesRequest, InventoriesResponse, InventoryOffer,
};
use crate::api::ApiError;
use crate::runner::read::{Followup, PageSink, ReadJob, ReadState};

/// The terms of a search text: comma, semicolon or line separated, trimmed, blanks dropped.
pub fn search_terms(text: &str) -> Vec<String> {
    split_list(text)
}

/// The terms the filter still allows for one identifier: all of them when the filter does not name that identifier,
/// else those it names too (`None`: no offer can match both, so nothing is asked).
fn within<T: Clone + PartialEq>(terms: &[T], named: &[T]) -> Option<Vec<T>> {
    let allowed: Vec<T> = terms
        .iter()
        .filter(|t| named.is_empty() || named.contains(t))
        .cloned()
        .collect();
    (!allowed.is_empty()).then_some(allowed)
}

/// The requests a search asks the CRM (the first page of each, 250 offers a page): the filter's CRM-side part with
/// the terms as ids, as externalIds and as xmlIds. Empty when there is no term.
pub fn search_requests(filter: &InventoryFilter) -> Vec<InventoriesRequest> {
    let terms = search_terms(&filter.search);
    let base = filter.api_filter();
    let ids: Vec<i64> = terms.iter().filter_map(|t| t.parse().ok()).collect();
    let request = |filter| InventoriesRequest {
        limit: Some(LOAD_ALL_LIMIT),
        page: Some(1),
        filter,
    };
    let mut requests = Vec::new();
    if let Some(ids) = within(&ids, &base.ids) {
        requests.push(request(InventoriesFilter {
            ids,
            ..base.clone()
        }));
    }
    if let Some(external) = within(&terms, &base.offer_external_id) {
        requests.push(request(InventoriesFilter {
            offer_external_id: external,
            ..base.clone()
        }));
    }
    if let Some(xml) = within(&terms, &base.offer_xml_id) {
        requests.push(request(InventoriesFilter {
            offer_xml_id: xml,
            ..base
        }));
    }
    requests
}

/// The offers of every answer, by request and page, for the filter searched.
#[derive(Debug, Default)]
pub struct Found {
    searched: InventoryFilter,
    pages: BTreeMap<(usize, u32), Vec<InventoryOffer>>,
}

impl PageSink<InventoriesRequest> for Found {
    fn page(
        &mut self,
        request: usize,
        page: u32,
        answer: InventoriesResponse,
    ) -> Followup<InventoriesRequest> {
        self.pages.insert((request, page), answer.offers);
        Followup::all_pages()
    }
}

impl Found {
    /// The offers found, each once (by id), in the order of the requests and their pages.
    pub fn offers(&self) -> Vec<InventoryOffer> {
        let mut seen = BTreeSet::new();
        self.pages
            .values()
            .flatten()
            .filter(|o| seen.insert(o.id))
            .cloned()
            .collect()
    }
}

/// A search as a runner job.
pub type SearchJob = ReadJob<InventoriesRequest, Found>;

/// The search of `filter`'s terms within its other filters (page and page size aside); `None` without a term, or
/// when no identifier can match.
pub fn search(filter: &InventoryFilter) -> Option<SearchJob> {
    let searched = searched(filter);
    let requests = search_requests(&searched);
    (!requests.is_empty()).then(|| {
        ReadJob::new(
            requests,
            Found {
                searched,
                pages: BTreeMap::new(),
            },
        )
    })
}

/// What decides a search's answer: the CRM-side filters and the search text.
fn searched(filter: &InventoryFilter) -> InventoryFilter {
    InventoryFilter {
        search: filter.search.clone(),
        ..filter.scope()
    }
}

/// The answer to searching `filter`, given the search job at hand (`None`: no job): the offers found, or why the
/// search failed; `None` while it runs (or while the job at hand is that of another search).
pub fn search_answer(
    job: Option<&SearchJob>,
    filter: &InventoryFilter,
) -> Option<Result<Vec<InventoryOffer>, ApiError>> {
    let searched = searched(filter);
    let Some(job) = job else {
        // No job: nothing to ask (no identifier can match), unless the job is yet to start.
        return search_requests(&searched)
            .is_empty()
            .then(|| Ok(Vec::new()));
    };
    if job.sink().searched != searched {
        return None;
    }
    match job.state() {
        ReadState::Done => Some(Ok(job.sink().offers())),
        ReadState::Failed(error) => Some(Err(error.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::encode::percent_encode;
    use crate::api::sim::{run, sim_client};
    use crate::api::{Endpoint, HttpRequest, HttpResponse};
    use crate::inventories::fixtures::answer;
    use crate::runner::Runner;

    fn searching(text: &str) -> InventoryFilter {
        InventoryFilter {
            search: text.into(),
            ..InventoryFilter::default()
        }
    }

    fn queries(filter: &InventoryFilter) -> Vec<String> {
        search_requests(filter)
            .iter()
            .map(|r| {
                r.to_request()
                    .map(|r| r.path_and_query())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn a_term_is_an_exact_id_external_id_or_xml_id() {
        assert_eq!(
            queries(&searching(" offer-000999 ")),
            [
                "/api/v5/store/inventories?limit=250&page=1&filter%5BofferExternalId%5D%5B%5D=offer-000999\
                 &filter%5Bdetails%5D=1",
                "/api/v5/store/inventories?limit=250&page=1&filter%5BofferXmlId%5D%5B%5D=offer-000999\
                 &filter%5Bdetails%5D=1",
            ]
        );
        // A whole number may be an id as well; several terms go in one request per identifier.
        let both = search_requests(&searching("42, A-1"));
        assert_eq!(both.len(), 3);
        assert_eq!(both[0].filter.ids, [42]);
        assert_eq!(both[1].filter.offer_external_id, ["42", "A-1"]);
        assert_eq!(both[2].filter.offer_xml_id, ["42", "A-1"]);
        assert!(search(&searching(" , ")).is_none());
        assert!(search_requests(&InventoryFilter::default()).is_empty());
    }

    #[test]
    fn the_other_filters_still_apply() {
        let filter = InventoryFilter {
            site: "shop-b".into(),
            offer_active: Some(true),
            offer_external_id: "offer-1\noffer-2".into(),
            ..searching("offer-2, offer-3")
        };
        let requests = search_requests(&filter);
        // As externalId: only the term the externalId filter names too; as xmlId: both, within that filter.
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].filter.offer_external_id, ["offer-2"]);
        assert_eq!(requests[1].filter.offer_xml_id, ["offer-2", "offer-3"]);
        assert_eq!(requests[1].filter.offer_external_id, ["offer-1", "offer-2"]);
        for r in &requests {
            assert_eq!(r.filter.sites, ["shop-b"]);
            assert_eq!(r.filter.offer_active, Some(true));
        }
        // Ids outside the ids filter: nothing to ask as ids.
        let ids = InventoryFilter {
            ids: "7".into(),
            ..searching("8")
        };
        assert!(search_requests(&ids).iter().all(|r| r.filter.ids == [7]));
    }

    /// The values of query parameter `name` of a request (the values used here need no decoding).
    fn values(req: &HttpRequest, name: &str) -> Vec<String> {
        let key = format!("{}=", percent_encode(name));
        req.url
            .split(['?', '&'])
            .filter_map(|kv| kv.strip_prefix(&key))
            .map(str::to_string)
            .collect()
    }

    /// A CRM of `total` offers (`offer-NNNNNN`, xmlId `xml-N`, offer 7's xmlId equal to offer 8's externalId),
    /// answering `/store/inventories` with its filters and pages.
    fn crm(req: &HttpRequest, total: usize) -> HttpResponse {
        let offer = |i: usize| {
            let xml = if i == 7 {
                "offer-000008".to_string()
            } else {
                format!("xml-{i}")
            };
            (i as i64, format!("offer-{i:06}"), xml)
        };
        let (ids, external, xml) = (
            values(req, "filter[ids][]"),
            values(req, "filter[offerExternalId][]"),
            values(req, "filter[offerXmlId][]"),
        );
        let matching: Vec<_> = (1..=total)
            .map(offer)
            .filter(|(id, e, x)| {
                (ids.is_empty() || ids.contains(&id.to_string()))
                    && (external.is_empty() || external.contains(e))
                    && (xml.is_empty() || xml.contains(x))
            })
            .collect();
        let number = |name: &str, default: usize| {
            values(req, name)
                .first()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        let (limit, page) = (number("limit", 20), number("page", 1));
        let offers: Vec<String> = matching
            .iter()
            .skip((page - 1) * limit)
            .take(limit)
            .map(|(id, e, x)| {
                format!(r#"{{"id":{id},"externalId":"{e}","xmlId":"{x}","quantity":0.125}}"#)
            })
            .collect();
        HttpResponse::json(
            200,
            format!(
                r#"{{"success":true,"pagination":{{"limit":{limit},"totalCount":{},"currentPage":{page},"totalPageCount":{}}},"offers":[{}]}}"#,
                matching.len(),
                matching.len().div_ceil(limit).max(1),
                offers.join(",")
            ),
        )
    }

    fn found(text: &str, total: usize) -> (Vec<InventoryOffer>, usize) {
        let (client, transport, clock) = sim_client(100.0, move |req, _| crm(req, total));
        let filter = searching(text);
        let runner = Runner::new(client, search(&filter).unwrap());
        assert_eq!(
            runner.with_job(|job| search_answer(Some(job), &filter)),
            None
        );
        run(&clock, runner.clone().run());
        let answer = runner.with_job(|job| search_answer(Some(job), &filter));
        // The answer is that of the search asked: another page of it is the same, another text is not.
        let other_page = runner.with_job(|job| search_answer(Some(job), &filter.with_page(3)));
        assert_eq!(other_page, answer);
        let other_text = runner.with_job(|job| search_answer(Some(job), &searching("x")));
        assert_eq!(other_text, None);
        let Some(Ok(offers)) = answer else {
            panic!("{answer:?}")
        };
        (offers, transport.sent().len())
    }

    #[test]
    fn an_offer_on_page_50_of_150_is_found_without_reading_the_pages() {
        // 3000 offers are 150 pages of 20; offer-000999 is on page 50.
        let (offers, sent) = found("offer-000999", 3000);
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0].external_id.as_deref(), Some("offer-000999"));
        assert_eq!(offers[0].quantity, Some(0.125));
        assert_eq!(sent, 2, "one request as externalId, one as xmlId");
        // By id, and an offer found under two identifiers once.
        let (offers, sent) = found("999", 3000);
        assert_eq!((offers.len(), offers[0].id, sent), (1, 999, 3));
        let (offers, _) = found("offer-000008", 3000);
        assert_eq!(offers.iter().map(|o| o.id).collect::<Vec<_>>(), [8, 7]);
        let (offers, _) = found("offer-009999", 3000);
        assert!(offers.is_empty());
    }

    #[test]
    fn a_failed_search_says_why_and_no_job_is_nothing_found_or_not_started() {
        let (client, _t, clock) = sim_client(50.0, |_, _| {
            HttpResponse::json(403, r#"{"success":false,"errorMsg":"Access denied."}"#)
        });
        let filter = searching("offer-1");
        let runner = Runner::new(client, search(&filter).unwrap());
        run(&clock, runner.clone().run());
        let answer = runner.with_job(|job| search_answer(Some(job), &filter));
        assert!(matches!(answer, Some(Err(ApiError::AccessDenied { .. }))));
        // No identifier can match: found nothing, without asking.
        let impossible = InventoryFilter {
            ids: "7".into(),
            offer_external_id: "a".into(),
            offer_xml_id: "b".into(),
            ..searching("8")
        };
        assert!(search(&impossible).is_none());
        assert_eq!(search_answer(None, &impossible), Some(Ok(Vec::new())));
        assert_eq!(search_answer(None, &filter), None, "not started yet");
    }

    #[test]
    fn many_matches_are_read_to_the_last_page() {
        let mut sink = Found::default();
        assert!(sink.page(1, 2, answer(&[5, 6])).rest_of_pages);
        let _ = sink.page(0, 1, answer(&[1, 5]));
        let _ = sink.page(1, 1, answer(&[3, 4]));
        assert_eq!(
            sink.offers().iter().map(|o| o.id).collect::<Vec<_>>(),
            [1, 5, 3, 4, 6]
        );
    }
}
