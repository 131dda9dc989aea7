//! "Load all" of the leftovers: every page of one filter read side by side through the runner, the rows kept by page
//! and put in page order at the end, with the figures its progress shows.

use std::sync::Arc;

use super::filter::InventoryFilter;
use super::table::{rows_from_offers, OfferRow, WarehouseColumn};
use crate::api::inventory::{InventoriesRequest, InventoriesResponse};
use crate::runner::read::{Followup, InOrder, PageSink, ReadJob, ReadState};

/// The rows of each page as they arrive, for the warehouse columns of the screen.
pub struct LoadedPages {
    /// The filter the set is loaded with (its CRM-side part).
    filter: InventoryFilter,
    columns: Vec<WarehouseColumn>,
    rows: InOrder<OfferRow>,
    /// When the load started (the client's clock, ms).
    started_ms: f64,
}

impl PageSink<InventoriesRequest> for LoadedPages {
    fn page(
        &mut self,
        _request: usize,
        page: u32,
        answer: InventoriesResponse,
    ) -> Followup<InventoriesRequest> {
        let rows = rows_from_offers(&answer.offers, &self.columns);
        self.rows.put(page, rows, answer.pagination.total_count)
    }
}

/// "Load all" as a runner job: page 1, then the other pages side by side.
pub type LoadAllJob = ReadJob<InventoriesRequest, LoadedPages>;

/// A load of every offer `filter` selects (250 per page), started at `now_ms`.
pub fn load_all(
    filter: &InventoryFilter,
    columns: Vec<WarehouseColumn>,
    now_ms: f64,
) -> LoadAllJob {
    ReadJob::new(
        vec![filter.load_all_request()],
        LoadedPages {
            filter: filter.scope(),
            columns,
            rows: InOrder::default(),
            started_ms: now_ms,
        },
    )
}

/// What the progress of a load shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LoadFigures {
    pub pages_done: usize,
    pub pages_total: usize,
    pub offers: usize,
    /// The offers the CRM announced (`pagination.totalCount` of page 1; 0 before it arrived).
    pub offers_total: usize,
    /// Pages per second once measured (the time left follows from it).
    pub pages_per_second: Option<f64>,
    pub paused: bool,
}

/// The figures of `job` now.
pub fn figures(job: &LoadAllJob) -> LoadFigures {
    let p = job.progress();
    LoadFigures {
        pages_done: p.pages_done,
        pages_total: p.pages_known,
        offers: p.items,
        offers_total: p.items_announced,
        pages_per_second: p.pages_per_second(),
        paused: *job.state() == ReadState::Paused,
    }
}

/// Every offer of one filter, or those loaded before the load stopped (`complete` false).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedSet {
    /// The filter it was loaded with (its CRM-side part).
    pub filter: InventoryFilter,
    /// The rows in page order.
    pub rows: Arc<Vec<OfferRow>>,
    pub total_offers: usize,
    pub complete: bool,
    /// From the start to the last page's answer.
    pub elapsed_ms: f64,
}

/// The set of a load that is over (done, cancelled or failed), its rows taken out of `job` in page order. `None` while
/// the load is still open, or when it stopped before any row arrived.
pub fn take_loaded(job: &mut LoadAllJob) -> Option<LoadedSet> {
    if job.is_open() {
        return None;
    }
    let complete = *job.state() == ReadState::Done;
    let progress = job.progress();
    let sink = job.sink_mut();
    let rows = sink.rows.take();
    (complete || !rows.is_empty()).then(|| LoadedSet {
        filter: sink.filter.clone(),
        rows: Arc::new(rows),
        total_offers: progress.items_announced,
        complete,
        elapsed_ms: progress
            .last_answer_ms
            .map_or(0.0, |last| last - sink.started_ms),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::sim::{run, sim_client, SimClock, SimTransport};
    use crate::api::{ApiError, HttpRequest, HttpResponse};
    use crate::inventories::fixtures::answer;
    use crate::runner::Runner;

    fn columns() -> Vec<WarehouseColumn> {
        ["main", "north"]
            .iter()
            .map(|c| WarehouseColumn {
                code: c.to_string(),
                name: c.to_string(),
                available_type: false,
            })
            .collect()
    }

    fn query(req: &HttpRequest, name: &str) -> Option<usize> {
        req.url
            .split(['?', '&'])
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
    }

    /// A page of `total` offers with stock in two warehouses, as `GET /store/inventories?filter[details]=1` gives it.
    fn page_answer(req: &HttpRequest, total: usize) -> HttpResponse {
        let limit = query(req, "limit").unwrap_or(20);
        let page = query(req, "page").unwrap_or(1);
        let first = (page - 1) * limit;
        let offers: Vec<String> = (first..(first + limit).min(total))
            .map(|i| {
                format!(
                    r#"{{"id":{},"externalId":"offer-{i}","site":"shop","quantity":{},"stores":[{{"store":"main","quantity":{i},"purchasePrice":1.5}},{{"store":"north","quantity":1}}]}}"#,
                    i + 1,
                    i + 1
                )
            })
            .collect();
        HttpResponse::json(
            200,
            format!(
                r#"{{"success":true,"pagination":{{"limit":{limit},"totalCount":{total},"currentPage":{page},"totalPageCount":{}}},"offers":[{}]}}"#,
                total.div_ceil(limit),
                offers.join(",")
            ),
        )
    }

    type LoadRunner = Runner<LoadAllJob, SimTransport, SimClock>;

    /// A load of every offer of a CRM holding `pages` pages of 250, answering after `latency_ms`.
    fn loading(latency_ms: f64, pages: usize) -> (LoadRunner, SimTransport, SimClock) {
        let (client, transport, clock) =
            sim_client(latency_ms, move |req, _| page_answer(req, pages * 250));
        let job = load_all(&InventoryFilter::default(), columns(), clock.now());
        (Runner::new(client, job), transport, clock)
    }

    /// The loaded set of a finished runner's job.
    fn loaded(runner: &LoadRunner) -> LoadedSet {
        runner.update_job(take_loaded).unwrap()
    }

    fn ids(set: &LoadedSet) -> Vec<i64> {
        set.rows.iter().map(|r| r.id).collect()
    }

    #[test]
    fn pages_arriving_out_of_order_are_put_in_page_order() {
        let mut job = load_all(&InventoryFilter::default(), columns(), 0.0);
        let sink = job.sink_mut();
        let _ = sink.page(0, 1, answer(&[1, 2]));
        let _ = sink.page(0, 4, answer(&[7]));
        let _ = sink.page(0, 3, answer(&[5, 6]));
        assert_eq!(sink.rows.items().len(), 2, "pages 3 and 4 wait for page 2");
        let _ = sink.page(0, 2, answer(&[3, 4]));
        assert_eq!(sink.rows.items().len(), 7);
        let _ = sink.page(0, 6, answer(&[9]));
        job.cancel();
        // Stopped before page 5: what came is kept, in page order.
        let set = take_loaded(&mut job).unwrap();
        assert_eq!(ids(&set), [1, 2, 3, 4, 5, 6, 7, 9]);
        assert!(!set.complete);
        assert_eq!(set.rows[0].stock.len(), 2, "rows have the screen's columns");
    }

    #[test]
    fn load_all_holds_the_rate_limit_at_real_latency() {
        // 40 pages of 250 offers at 10 requests/s and 200 ms: the floor is 40 requests = 4 s.
        let total = 40 * 250;
        let (runner, transport, clock) = loading(200.0, 40);
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let (watch, log) = (runner.clone(), seen.clone());
        runner.on_change(move || log.borrow_mut().push(watch.with_job(figures)));
        run(&clock, runner.clone().run());
        assert_eq!(transport.sent().len(), 40, "every page once");
        assert!(transport.most_in_flight() >= 2, "pages side by side");
        assert!(clock.now() <= 4_000.0 * 1.1, "{} ms", clock.now());
        let set = loaded(&runner);
        assert!(set.complete);
        assert_eq!(set.total_offers, total);
        assert_eq!(ids(&set), (1..=total as i64).collect::<Vec<_>>());
        assert_eq!(
            set.rows[7].stock[0].map(|s| (s.quantity, s.purchase_price)),
            Some((7.0, Some(1.5)))
        );
        assert!((set.elapsed_ms - clock.now()).abs() < 1e-6);
        // The progress: pages and offers only grow, the rate settles near the limit.
        let seen = seen.borrow();
        assert!(seen.windows(2).all(|w| w[1].pages_done >= w[0].pages_done));
        let mid = seen.iter().find(|f| f.pages_done == 20).unwrap();
        assert_eq!((mid.pages_total, mid.offers_total), (40, total));
        assert_eq!(mid.offers, 20 * 250);
        let rate = mid.pages_per_second.unwrap();
        assert!((9.0..=10.5).contains(&rate), "{rate}");
        let last = seen.last().unwrap();
        assert_eq!((last.pages_done, last.offers), (40, total));
    }

    #[test]
    fn pause_sends_nothing_more_and_resume_finishes_with_every_page_once() {
        let total = 12 * 250;
        let (runner, transport, clock) = loading(200.0, 12);
        let pauser = runner.clone();
        runner.on_change(move || {
            if pauser.with_job(|j| j.progress().pages_done == 4 && *j.state() == ReadState::Running)
            {
                pauser.update_job(|j| j.pause());
            }
        });
        run(&clock, runner.clone().run());
        let paused = runner.with_job(figures);
        assert!(paused.paused);
        let sent_while_paused = transport.sent().len();
        assert!(paused.pages_done >= 4 && paused.pages_done == sent_while_paused);
        assert!(sent_while_paused < 12, "the pause stopped the sending");
        runner.update_job(|j| j.resume());
        run(&clock, runner.clone().run());
        assert_eq!(transport.sent().len(), 12);
        let set = loaded(&runner);
        assert!(set.complete);
        assert_eq!(ids(&set), (1..=total as i64).collect::<Vec<_>>());
    }

    #[test]
    fn cancel_keeps_the_pages_loaded_in_order() {
        let total = 10 * 250;
        let (runner, transport, clock) = loading(400.0, 10);
        let stopper = runner.clone();
        runner.on_change(move || {
            if stopper.with_job(|j| j.progress().pages_done == 3 && j.is_open()) {
                stopper.update_job(|j| j.cancel());
                stopper.abort();
            }
        });
        run(&clock, runner.clone().run());
        let set = loaded(&runner);
        assert!(!set.complete);
        assert_eq!(set.total_offers, total);
        // Whatever arrived is kept, in page order, each offer once.
        let got = ids(&set);
        assert_eq!(got.len() % 250, 0);
        assert!(got.len() >= 3 * 250 && got.len() < total);
        assert!(got.windows(2).all(|w| w[0] < w[1]));
        assert!(transport.sent().len() < 10);
    }

    #[test]
    fn a_failed_page_keeps_what_was_loaded_and_nothing_is_an_empty_set() {
        let (client, _transport, clock) = sim_client(50.0, |req, _| {
            if query(req, "page") == Some(2) {
                HttpResponse::json(400, r#"{"success":false,"errorMsg":"boom"}"#)
            } else {
                page_answer(req, 3 * 250)
            }
        });
        let runner = Runner::new(
            client,
            load_all(&InventoryFilter::default(), columns(), 0.0),
        );
        runner.choose_in_flight(Some(1));
        run(&clock, runner.clone().run());
        runner.with_job(|j| {
            assert!(matches!(j.state(), ReadState::Failed(e) if e.error_msg() == Some("boom")))
        });
        let set = loaded(&runner);
        assert!(!set.complete);
        assert_eq!(set.rows.len(), 250);

        // A load refused at once leaves no set; an open load gives none yet.
        let (client, _t, clock) = sim_client(50.0, |_, _| {
            HttpResponse::json(403, r#"{"success":false,"errorMsg":"Access denied."}"#)
        });
        let runner = Runner::new(
            client,
            load_all(&InventoryFilter::default(), columns(), 0.0),
        );
        assert_eq!(runner.update_job(take_loaded), None, "still open");
        run(&clock, runner.clone().run());
        runner.with_job(|j| {
            assert!(matches!(
                j.state(),
                ReadState::Failed(ApiError::AccessDenied { .. })
            ))
        });
        assert_eq!(runner.update_job(take_loaded), None);
    }
}
