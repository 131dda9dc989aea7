//! The runner in simulated time: pacing, claims across pause and resume, aborts, and paged reads.

use std::cell::RefCell;
use std::rc::Rc;

use super::read::{every_item, one_page, Followup, ReadJob, ReadState};
use super::*;
use crate::api::inventory::{InventoriesRequest, InventoriesResponse};
use crate::api::reference::StoresRequest;
use crate::api::sim::{run, sim_client as client, SimClock, SimTransport};
use crate::api::{HttpRequest, HttpResponse};

/// A job of `n` units that each send one request; it records how often each was settled with success.
#[derive(Default)]
struct Units {
    pending: Vec<usize>,
    succeeded: Vec<u32>,
    paused: bool,
}

impl Units {
    fn new(n: usize) -> Self {
        Units {
            pending: (0..n).rev().collect(),
            succeeded: vec![0; n],
            paused: false,
        }
    }
}

impl Job for Units {
    type Request = StoresRequest;
    fn claim(&mut self) -> Option<(usize, StoresRequest)> {
        if self.paused {
            return None;
        }
        self.pending.pop().map(|u| (u, StoresRequest))
    }
    fn settle(&mut self, unit: usize, answer: Answer<Self>, _now: f64) {
        match answer {
            Ok(_) => self.succeeded[unit] += 1,
            Err(_) => self.pending.push(unit),
        }
    }
}

const STORES: &str = r#"{"success":true,"stores":[]}"#;

#[test]
fn holds_the_rate_limit_with_several_in_flight() {
    let (client, transport, clock) = client(200.0, |_, _| HttpResponse::json(200, STORES));
    let runner = Runner::new(client, Units::new(50));
    run(&clock, runner.clone().run());
    runner.with_job(|j| assert!(j.succeeded.iter().all(|n| *n == 1)));
    let times: Vec<f64> = transport.sent().iter().map(|(t, _)| *t).collect();
    assert_eq!(times.len(), 50);
    // 50 requests at 10/s: the last leaves at 4.9 s; one round trip later everything is in.
    assert!((4900.0..=4901.0).contains(&times[49]), "{}", times[49]);
    assert!(clock.now() <= 5200.0, "{}", clock.now());
    assert!(transport.most_in_flight() >= 2 && transport.most_in_flight() <= MAX_IN_FLIGHT);
    assert!(times.windows(2).all(|w| w[1] - w[0] >= 100.0 - 1e-6));
}

#[test]
fn one_request_at_a_time_is_latency_bound() {
    let (client, transport, clock) = client(500.0, |_, _| HttpResponse::json(200, STORES));
    let runner = Runner::new(client, Units::new(4));
    runner.choose_in_flight(Some(1));
    run(&clock, runner.clone().run());
    assert_eq!(transport.most_in_flight(), 1);
    assert!(clock.now() >= 2000.0);
}

#[test]
fn pause_and_resume_while_in_flight_send_each_unit_once() {
    let (client, transport, clock) = client(1500.0, |_, _| HttpResponse::json(200, STORES));
    let runner = Runner::new(client, Units::new(4));
    runner.choose_in_flight(Some(1));
    let r = runner.clone();
    let pauser = runner.clone();
    // Pause as soon as the first unit is claimed, resume (a second drive) while it is in flight.
    run(&clock, async move {
        let first = r.clone().run();
        let second = async {
            pauser.update_job(|j| j.paused = true);
            pauser.clock_sleep(10.0).await;
            pauser.update_job(|j| j.paused = false);
            pauser.clone().run().await;
        };
        futures_util::future::join(first, second).await;
    });
    runner.with_job(|j| assert_eq!(j.succeeded, vec![1, 1, 1, 1]));
    assert_eq!(transport.sent().len(), 4);
}

#[test]
fn abort_puts_units_back_and_a_new_drive_sends_them() {
    let (client, transport, clock) = client(400.0, |_, _| HttpResponse::json(200, STORES));
    let runner = Runner::new(client, Units::new(6));
    let aborter = runner.clone();
    let once = std::cell::Cell::new(true);
    runner.on_change(move || {
        if once.get() && aborter.with_job(|j| j.succeeded.iter().sum::<u32>()) == 2 {
            once.set(false);
            aborter.abort();
        }
    });
    run(&clock, runner.clone().run());
    let after_abort = runner.with_job(|j| j.succeeded.clone());
    assert_eq!(after_abort.iter().sum::<u32>(), 2);
    run(&clock, runner.clone().run());
    runner.with_job(|j| assert!(j.succeeded.iter().all(|n| *n == 1), "{:?}", j.succeeded));
    assert!(transport.sent().len() >= 6);
}

#[test]
fn a_higher_pace_or_a_resume_is_claimed_at_once_not_after_the_next_answer() {
    let (client, transport, clock) = client(1500.0, |_, _| HttpResponse::json(200, STORES));
    let runner = Runner::new(client, Units::new(4));
    runner.choose_in_flight(Some(1));
    let r = runner.clone();
    run(&clock, async move {
        let drive = r.clone().run();
        let raise = async {
            r.clock_sleep(10.0).await;
            r.choose_in_flight(Some(4));
        };
        futures_util::future::join(drive, raise).await;
    });
    let times: Vec<f64> = transport.sent().iter().map(|(t, _)| *t).collect();
    assert_eq!(times.len(), 4);
    assert!(times[1] < 500.0, "the second request left at {}", times[1]);
}

#[test]
fn a_closed_runner_never_drives_again() {
    let (client, transport, clock) = client(200.0, |_, _| HttpResponse::json(200, STORES));
    let runner = Runner::new(client, Units::new(5));
    // A drive spawned before the close, polled after it.
    let spawned = runner.clone().run();
    runner.close();
    run(&clock, spawned);
    run(&clock, runner.clone().run());
    assert!(transport.sent().is_empty());
}

#[test]
fn leaving_the_screen_stops_every_drive() {
    let (client, transport, clock) = client(200.0, |_, _| HttpResponse::json(200, STORES));
    let leave = CancelToken::new();
    let runner = Runner::new(client.with_cancel(leave.child()), Units::new(5));
    leave.cancel();
    run(&clock, runner.clone().run());
    assert!(transport.sent().is_empty());
}

fn page_answer(req: &HttpRequest, total: usize) -> HttpResponse {
    let query = req.url.split('?').nth(1).unwrap_or("");
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let limit = param("limit").unwrap_or(20);
    let page = param("page").unwrap_or(1);
    let pages = total.div_ceil(limit);
    let first = (page - 1) * limit;
    let offers: Vec<String> = (first..(first + limit).min(total))
        .map(|i| format!(r#"{{"id":{},"externalId":"o{i}","stores":[]}}"#, i + 1))
        .collect();
    HttpResponse::json(
        200,
        format!(
            r#"{{"success":true,"pagination":{{"limit":{limit},"totalCount":{total},"currentPage":{page},"totalPageCount":{pages}}},"offers":[{}]}}"#,
            offers.join(",")
        ),
    )
}

#[test]
fn a_paged_read_fetches_every_page_once_at_the_rate_limit() {
    let (client, transport, clock) = client(200.0, |req, _| page_answer(req, 100 * 250));
    let got: Rc<RefCell<Vec<(u32, usize)>>> = Rc::default();
    let sink = got.clone();
    let first = InventoriesRequest {
        limit: Some(250),
        ..Default::default()
    };
    let job = ReadJob::new(vec![first], move |_, page, answer: InventoriesResponse| {
        sink.borrow_mut().push((page, answer.offers.len()));
        Followup::all_pages()
    });
    let runner = Runner::new(client, job);
    run(&clock, runner.clone().run());
    runner.with_job(|j| {
        assert_eq!(j.state(), &ReadState::Done);
        assert_eq!(j.progress().items, 25_000);
        assert_eq!(j.progress().pages_done, 100);
    });
    let mut pages: Vec<u32> = got.borrow().iter().map(|(p, _)| *p).collect();
    pages.sort_unstable();
    assert_eq!(pages, (1..=100).collect::<Vec<_>>());
    assert_eq!(transport.sent().len(), 100);
    // The floor is 100 requests at 10/s (the last leaves at 9.9 s); the first page's round trip comes on top.
    assert!(clock.now() <= 10_300.0, "{}", clock.now());
}

#[test]
fn a_failed_page_stops_the_read() {
    let (client, _transport, clock) = client(50.0, |req, _| {
        if req.url.contains("page=3") {
            HttpResponse::json(400, r#"{"success":false,"errorMsg":"boom"}"#)
        } else {
            page_answer(req, 10 * 20)
        }
    });
    let job = ReadJob::new(
        vec![InventoriesRequest::default()],
        |_, _, _: InventoriesResponse| Followup::all_pages(),
    );
    let runner = Runner::new(client, job);
    run(&clock, runner.clone().run());
    runner.with_job(|j| {
        assert!(matches!(j.state(), ReadState::Failed(e) if e.error_msg() == Some("boom")));
        assert!(j.progress().pages_done < 10);
    });
}

#[test]
fn one_page_reads_the_page_asked_and_nothing_more() {
    let (client, transport, clock) = client(100.0, |req, _| page_answer(req, 10 * 20));
    let runner = Runner::new(
        client,
        one_page(InventoriesRequest {
            page: Some(3),
            ..Default::default()
        }),
    );
    assert!(runner.with_job(|j| j.answer().is_none()), "open");
    run(&clock, runner.clone().run());
    assert_eq!(transport.sent().len(), 1);
    assert!(transport.sent()[0].1.url.ends_with("?page=3"));
    runner.with_job(|j| {
        let page = j.answer().unwrap().unwrap();
        assert_eq!(page.pagination.current_page, 3);
        assert_eq!(page.offers[0].id, 41);
    });
}

#[test]
fn every_item_keeps_the_items_in_page_order_and_measures_the_rate() {
    let (client, _transport, clock) = client(300.0, |req, _| page_answer(req, 30 * 20));
    let runner = Runner::new(client, every_item(InventoriesRequest::default()));
    run(&clock, runner.clone().run());
    runner.with_job(|j| {
        let ids: Vec<i64> = j.sink().items().iter().map(|o| o.id).collect();
        assert_eq!(ids, (1..=600).collect::<Vec<_>>());
        // 29 pages after the first one, one every 100 ms once the first of them came back (3.1 s in all).
        let rate = j.progress().pages_per_second().unwrap();
        assert!((29.0 / 3.1 - 1e-9..=10.0).contains(&rate), "{rate}");
    });
}

#[test]
fn a_failed_one_page_read_answers_with_the_error() {
    let (client, _transport, clock) = client(50.0, |_, _| {
        HttpResponse::json(400, r#"{"success":false,"errorMsg":"boom"}"#)
    });
    let runner = Runner::new(client, one_page(InventoriesRequest::default()));
    run(&clock, runner.clone().run());
    runner.with_job(|j| {
        assert_eq!(
            j.answer()
                .map(|a| a.map_err(|e| e.error_msg().map(str::to_owned))),
            Some(Err(Some("boom".to_owned())))
        );
        assert_eq!(j.progress().pages_per_second(), None);
    });
}

impl<J: Job + 'static> Runner<J, SimTransport, SimClock> {
    async fn clock_sleep(&self, ms: f64) {
        self.client.clock().sleep_ms(ms).await;
    }
}
