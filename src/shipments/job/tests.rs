//! The bulk shipment job: its states and report, and the job on the runner against an in-memory CRM in simulated
//! time (pause and resume mid-flight, cancel, retry, the refusal, random sequences of operator actions).

use std::cell::RefCell;
use std::collections::HashMap;
use std::pin::pin;
use std::rc::Rc;

use futures_util::future::{select, Either};
use futures_util::stream::{FuturesUnordered, StreamExt};

use super::*;
use crate::api::order::{By, OrderEditResponse, OrderShipment};
use crate::api::sim::{self, run, SimClock, SimTransport};
use crate::api::traffic::Jitter;
use crate::api::{Clock, FieldError, HttpRequest, HttpResponse};
use crate::runner::Runner;

fn shipment(line: usize, key: &str) -> Shipment {
    Shipment {
        line,
        by: By::ExternalId,
        key: key.into(),
        site: Some("shop-a".into()),
        order: OrderShipment {
            shipped: Some(true),
            shipment_store: Some("main".into()),
            shipment_date: Some("2024-02-01".into()),
        },
    }
}

fn shipments(n: usize) -> Vec<Shipment> {
    (0..n).map(|i| shipment(i + 2, &format!("o-{i}"))).collect()
}

const LABELS: ReportLabels<'static> = ReportLabels {
    header: [
        "line",
        "order",
        "site",
        "shipped",
        "warehouse",
        "date",
        "status",
        "number",
        "error",
    ],
    pending: "pending",
    sending: "sending",
    sent: "sent",
    failed: "failed",
};

fn accepted(number: &str) -> Answer<BulkJob> {
    Ok(OrderEditResponse {
        id: Some(1),
        order: Some(Order {
            number: Some(number.into()),
            ..Order::default()
        }),
    })
}

fn refused(status: u16, field: &str, message: &str) -> ApiError {
    ApiError::Http {
        status,
        error_msg: Some("Errors in the entity format".into()),
        errors: vec![FieldError {
            field: Some(field.into()),
            message: message.into(),
        }],
    }
}

#[test]
fn claims_settle_once_and_the_report_says_where_each_row_is() {
    let mut job = BulkJob::new(vec![
        shipment(2, "o-1"),
        shipment(3, "nope"),
        shipment(4, "=cmd"),
    ]);
    assert_eq!(job.state(), JobState::Ready);
    assert_eq!(job.claim(), None, "nothing is sent before start");
    job.start(0.0);
    let Some((first, req)) = job.claim() else {
        panic!("nothing claimed")
    };
    assert_eq!(
        (first, req.id.as_str(), req.site.as_deref()),
        (0, "o-1", Some("shop-a"))
    );
    let Some((second, _)) = job.claim() else {
        panic!("nothing claimed")
    };
    assert_eq!(second, 1, "a row being sent is never handed out again");
    assert_eq!(job.counts().sending, 2);
    job.settle(first, accepted("1001A"), 500.0);
    job.settle(first, accepted("again"), 600.0);
    assert_eq!(
        job.rows()[0].status,
        RowStatus::Sent {
            number: Some("1001A".into())
        },
        "a second answer for a settled row is ignored"
    );
    job.pause();
    assert_eq!(job.claim(), None, "a paused job hands out nothing");
    job.settle(
        second,
        Err(ApiError::NotFound {
            error_msg: Some("Not found".into()),
        }),
        1000.0,
    );
    assert_eq!(
        job.state(),
        JobState::Paused,
        "an answer while paused counts"
    );
    assert_eq!(job.rate(), Some(2.0));
    job.cancel();
    assert_eq!(job.state(), JobState::Cancelled);
    job.start(2000.0);
    assert_eq!(job.claim(), None, "a cancelled job stays cancelled");
    assert_eq!(
        job.counts(),
        Counts {
            total: 3,
            sent: 1,
            failed: 1,
            pending: 1,
            sending: 0,
        }
    );
    let csv = job.report_csv(&LABELS);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "line,order,site,shipped,warehouse,date,status,number,error"
    );
    assert_eq!(lines[1], "2,o-1,shop-a,true,main,2024-02-01,sent,1001A,");
    assert_eq!(
        lines[2],
        "3,nope,shop-a,true,main,2024-02-01,failed,,Not found"
    );
    assert_eq!(
        lines[3], "4,'=cmd,shop-a,true,main,2024-02-01,pending,,",
        "formula neutralised"
    );
}

#[test]
fn failures_keep_the_crms_words() {
    let refused = refused(400, "shipmentStore", "Store with code 'x' does not exist.");
    assert_eq!(
        failure_text(&refused),
        "Errors in the entity format; shipmentStore: Store with code 'x' does not exist."
    );
    let not_found = ApiError::NotFound {
        error_msg: Some("Not found".into()),
    };
    assert_eq!(failure_text(&not_found), "Not found");
    let limited = ApiError::RateLimited {
        status: 503,
        attempts: 5,
    };
    assert_eq!(failure_text(&limited), limited.description());
}

#[test]
fn an_abort_puts_the_row_back_and_the_refusal_pauses() {
    let mut job = BulkJob::new(shipments(3));
    job.start(0.0);
    let claimed: Vec<usize> = std::iter::from_fn(|| job.claim().map(|(i, _)| i)).collect();
    assert_eq!(claimed, [0, 1, 2]);
    job.settle(0, Err(ApiError::Cancelled), 10.0);
    assert_eq!(job.rows()[0].status, RowStatus::Pending);
    let no_module = refused(
        400,
        "shipped",
        "Поле доступно только при подключенной складской системе",
    );
    job.settle(1, Err(no_module.clone()), 20.0);
    assert_eq!(job.state(), JobState::Paused);
    assert_eq!(job.rows()[1].status, RowStatus::Pending);
    assert_eq!(job.refusal(), Some(&no_module));
    job.settle(2, accepted("3A"), 30.0);
    assert_eq!(job.state(), JobState::Paused, "two rows are still to send");
    job.start(40.0);
    assert_eq!(job.refusal(), None, "resuming clears the refusal");
    assert_eq!(job.claim().map(|(i, _)| i), Some(0));
}

#[test]
fn finishes_and_retries_only_the_failed_rows() {
    let mut job = BulkJob::new(shipments(2));
    job.start(0.0);
    while let Some((i, _)) = job.claim() {
        let answer = if i == 0 {
            Err(refused(400, "shipmentDate", "bad"))
        } else {
            accepted("2A")
        };
        job.settle(i, answer, 10.0);
    }
    assert_eq!(job.state(), JobState::Done);
    job.retry_failed(10.0);
    assert_eq!(job.state(), JobState::Running);
    assert_eq!(job.claim().map(|(i, _)| i), Some(0));
    assert_eq!(job.claim(), None, "the row sent is not sent again");
    job.settle(0, accepted("1A"), 20.0);
    assert_eq!(job.state(), JobState::Done);
    // Late or stale calls never panic.
    job.settle(99, accepted("x"), 30.0);
    job.retry_failed(30.0);
    assert_eq!(job.state(), JobState::Done);
    assert_eq!(BulkJob::new(Vec::new()).state(), JobState::Done);
}

// ---- the job on the runner, against an in-memory CRM

/// What the in-memory CRM does with one edit of one order.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reply {
    Accept,
    /// 400 with a field error.
    Refuse,
    /// 404.
    Unknown,
    /// 503, which the transport retries.
    Busy,
    /// The "no warehouse system" refusal of `shipped`.
    NoModule,
}

/// One edit as the CRM saw it.
#[derive(Clone, Debug, PartialEq)]
struct Edit {
    at: f64,
    reply: Reply,
}

type Policy = Box<dyn Fn(&str, usize, f64) -> Reply>;

/// An in-memory CRM: every edit it received, per order key; `policy(key, attempt, now)` decides each reply.
struct Crm {
    edits: RefCell<HashMap<String, Vec<Edit>>>,
    policy: Policy,
}

impl Crm {
    fn answer(&self, req: &HttpRequest, now: f64) -> HttpResponse {
        let key = req
            .url
            .split("/api/v5/orders/")
            .nth(1)
            .and_then(|rest| rest.strip_suffix("/edit"))
            .unwrap_or("")
            .to_string();
        let attempt = self.edits.borrow().get(&key).map_or(0, Vec::len);
        let reply = (self.policy)(&key, attempt, now);
        self.edits
            .borrow_mut()
            .entry(key.clone())
            .or_default()
            .push(Edit { at: now, reply });
        match reply {
            Reply::Accept => HttpResponse::json(
                200,
                format!(r#"{{"success":true,"id":1,"order":{{"id":1,"number":"N-{key}"}}}}"#),
            ),
            Reply::Refuse => HttpResponse::json(
                400,
                r#"{"success":false,"errorMsg":"Errors in the entity format","errors":{"shipmentStore":"Store with code 'x' does not exist."}}"#,
            ),
            Reply::Unknown => {
                HttpResponse::json(404, r#"{"success":false,"errorMsg":"Not found"}"#)
            }
            Reply::Busy => HttpResponse::json(503, r#"{"success":false}"#),
            Reply::NoModule => HttpResponse::json(
                400,
                r#"{"success":false,"errorMsg":"Errors in the entity format","errors":{"shipped":"Field is available only with a warehouse system"}}"#,
            ),
        }
    }

    fn edits_of(&self, key: &str) -> Vec<Edit> {
        self.edits.borrow().get(key).cloned().unwrap_or_default()
    }

    fn accepted(&self, key: &str) -> usize {
        self.edits_of(key)
            .iter()
            .filter(|e| e.reply == Reply::Accept)
            .count()
    }
}

type SimRunner = Runner<BulkJob, SimTransport, SimClock>;

struct Bench {
    runner: SimRunner,
    transport: SimTransport,
    clock: SimClock,
    crm: Rc<Crm>,
}

fn bench(
    rows: usize,
    latency_ms: f64,
    in_flight: Option<usize>,
    policy: impl Fn(&str, usize, f64) -> Reply + 'static,
) -> Bench {
    let clock = SimClock::default();
    let crm = Rc::new(Crm {
        edits: RefCell::default(),
        policy: Box::new(policy),
    });
    let handler = crm.clone();
    let transport = SimTransport::new(&clock, latency_ms, move |req, now| {
        Ok(handler.answer(req, now))
    });
    let runner = Runner::new(
        sim::client(&transport, &clock),
        BulkJob::new(shipments(rows)),
    );
    runner.choose_in_flight(in_flight);
    Bench {
        runner,
        transport,
        clock,
        crm,
    }
}

/// What the operator does, as the screen passes it in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Act {
    Start,
    Pause,
    Resume,
    Cancel,
    Retry,
}

impl Bench {
    /// Plays `script` (each action at its virtual time) the way the screen does: change the job, then drive the
    /// runner (a drive while another is under way returns at once).
    /// Returns when every drive has ended.
    fn play(&self, script: &[(f64, Act)]) {
        let runner = self.runner.clone();
        let clock = self.clock.clone();
        run(&self.clock, async move {
            let mut drives = FuturesUnordered::new();
            for &(at, act) in script {
                while clock.now() < at {
                    let left = at - clock.now();
                    if drives.is_empty() {
                        clock.sleep_ms(left).await;
                        continue;
                    }
                    let sleep = pin!(clock.sleep_ms(left));
                    if let Either::Left(_) = select(sleep, drives.next()).await {
                        break;
                    }
                }
                let now = clock.now();
                runner.update_job(|job| match act {
                    Act::Start | Act::Resume => job.start(now),
                    Act::Pause => job.pause(),
                    Act::Cancel => job.cancel(),
                    Act::Retry => job.retry_failed(now),
                });
                drives.push(runner.clone().run());
            }
            while drives.next().await.is_some() {}
        });
    }

    fn statuses(&self) -> Vec<RowStatus> {
        self.runner
            .with_job(|j| j.rows().iter().map(|r| r.status.clone()).collect())
    }

    fn edit_requests(&self) -> usize {
        self.transport
            .sent()
            .iter()
            .filter(|(_, r)| r.url.ends_with("/edit"))
            .count()
    }
}

fn sent(key: &str) -> RowStatus {
    RowStatus::Sent {
        number: Some(format!("N-{key}")),
    }
}

#[test]
fn pause_then_resume_while_the_first_order_is_in_flight_edits_each_order_once() {
    // Issue 13, case 2: 4 orders, 1.5 s latency, Pause then Resume while the first request is in flight.
    for in_flight in [Some(1), None] {
        let b = bench(4, 1500.0, in_flight, |_, _, _| Reply::Accept);
        b.play(&[(0.0, Act::Start), (10.0, Act::Pause), (20.0, Act::Resume)]);
        assert_eq!(b.edit_requests(), 4, "{in_flight:?}");
        for i in 0..4 {
            let key = format!("o-{i}");
            assert_eq!(b.crm.edits_of(&key).len(), 1, "{key} {in_flight:?}");
        }
        assert_eq!(
            b.statuses(),
            (0..4).map(|i| sent(&format!("o-{i}"))).collect::<Vec<_>>()
        );
        assert_eq!(b.runner.with_job(BulkJob::state), JobState::Done);
    }
}

#[test]
fn automatic_pace_keeps_several_orders_in_flight_under_the_rate_limit() {
    let b = bench(12, 1500.0, None, |_, _, _| Reply::Accept);
    b.play(&[(0.0, Act::Start)]);
    assert!(
        b.transport.most_in_flight() >= 3,
        "{}",
        b.transport.most_in_flight()
    );
    let times: Vec<f64> = b.transport.sent().iter().map(|(t, _)| *t).collect();
    assert!(times.windows(2).all(|w| w[1] - w[0] >= 100.0 - 1e-6));
    assert_eq!(b.runner.with_job(BulkJob::counts).sent, 12);
    // Sequential sending would take 12 × 1.5 s.
    assert!(b.clock.now() < 12.0 * 1500.0 / 2.0, "{}", b.clock.now());
}

#[test]
fn cancel_mid_flight_records_the_orders_on_their_way_and_leaves_the_rest_pending() {
    // Three in flight from the start (sent at 0, 100 and 200 ms, reaching the CRM half a round trip later); the
    // first is answered at 1.5 s, then the fourth leaves. Cancel at 1.55 s: nothing new leaves, the three on their
    // way are answered and recorded as the CRM holds them.
    let b = bench(6, 1500.0, Some(3), |_, _, _| Reply::Accept);
    b.play(&[
        (0.0, Act::Start),
        (1550.0, Act::Cancel),
        (4000.0, Act::Resume),
    ]);
    let job_state = b.runner.with_job(BulkJob::state);
    assert_eq!(job_state, JobState::Cancelled);
    let statuses = b.statuses();
    assert_eq!(
        statuses,
        [
            sent("o-0"),
            sent("o-1"),
            sent("o-2"),
            sent("o-3"),
            RowStatus::Pending,
            RowStatus::Pending
        ]
    );
    assert_eq!(b.edit_requests(), 4);
    assert_eq!(
        (0..6)
            .map(|i| b.crm.edits_of(&format!("o-{i}")).len())
            .collect::<Vec<_>>(),
        [1, 1, 1, 1, 0, 0]
    );
    assert!(b.transport.sent().iter().all(|(t, _)| *t <= 1550.0));
}

#[test]
fn retry_sends_only_the_failed_rows_again() {
    let b = bench(4, 300.0, None, |key, attempt, _| match (key, attempt) {
        ("o-1", 0) => Reply::Refuse,
        ("o-3", _) => Reply::Unknown,
        ("o-2", 0) => Reply::Busy,
        _ => Reply::Accept,
    });
    b.play(&[(0.0, Act::Start)]);
    b.runner.with_job(|j| {
        assert_eq!(j.state(), JobState::Done);
        assert_eq!(
            j.rows()[1].status,
            RowStatus::Failed {
                error: "Errors in the entity format; shipmentStore: Store with code 'x' does not exist."
                    .into()
            }
        );
        assert_eq!(j.rows()[2].status, sent("o-2"), "a 503 is retried, not failed");
        assert_eq!(
            j.rows()[3].status,
            RowStatus::Failed {
                error: "Not found".into()
            }
        );
    });
    let at = b.clock.now() + 100.0;
    b.play(&[(at, Act::Retry)]);
    assert_eq!(
        (0..4)
            .map(|i| b.crm.edits_of(&format!("o-{i}")).len())
            .collect::<Vec<_>>(),
        [1, 2, 2, 2],
        "o-2 twice by the transport's retry of the 503, o-1 and o-3 twice by the retry"
    );
    b.runner.with_job(|j| {
        assert_eq!(j.state(), JobState::Done);
        assert_eq!(j.rows()[1].status, sent("o-1"));
        assert_eq!(j.counts().failed, 1);
    });
}

#[test]
fn the_no_warehouse_system_refusal_pauses_with_the_rows_pending() {
    // The module is registered at 5 s.
    let b = bench(4, 400.0, None, |_, _, now| {
        if now < 5000.0 {
            Reply::NoModule
        } else {
            Reply::Accept
        }
    });
    b.play(&[(0.0, Act::Start)]);
    b.runner.with_job(|j| {
        assert_eq!(j.state(), JobState::Paused);
        assert!(j.refusal().is_some_and(is_no_warehouse_system));
        assert_eq!(j.counts().pending, 4, "nothing lost, nothing failed");
    });
    let refused = b.edit_requests();
    assert!(refused < 4, "the job stopped at the refusal: {refused}");
    b.play(&[(6000.0, Act::Resume)]);
    b.runner.with_job(|j| {
        assert_eq!(j.state(), JobState::Done);
        assert_eq!(j.refusal(), None);
        assert_eq!(j.counts().sent, 4);
    });
    assert_eq!(b.edit_requests(), refused + 4);
    assert!((0..4).all(|i| b.crm.accepted(&format!("o-{i}")) == 1));
}

/// A random script: start, then up to 12 actions at random times within 8 s.
fn random_script(rng: &mut Jitter) -> Vec<(f64, Act)> {
    let mut at = 0.0;
    let mut script = vec![(0.0, Act::Start)];
    let count = (rng.next_unit() * 13.0) as usize;
    for _ in 0..count {
        at += (rng.next_unit() * 1500.0).floor();
        let act = match (rng.next_unit() * 10.0) as u32 {
            0..=2 => Act::Pause,
            3..=5 => Act::Resume,
            6..=7 => Act::Retry,
            8 => Act::Cancel,
            _ => Act::Start,
        };
        script.push((at, act));
    }
    script
}

#[test]
fn random_sequences_of_actions_never_edit_an_order_again_after_it_succeeded() {
    for seed in 1..=300u64 {
        let mut rng = Jitter::new(seed);
        let rows = 1 + (rng.next_unit() * 12.0) as usize;
        let latency = 50.0 + (rng.next_unit() * 1450.0).floor();
        let in_flight = match (rng.next_unit() * 4.0) as usize {
            0 => None,
            n => Some(n),
        };
        // Per order: refused on its first attempt, always unknown, busy once; and a time window without module.
        let first_refused: Vec<bool> = (0..rows).map(|_| rng.next_unit() < 0.2).collect();
        let unknown: Vec<bool> = (0..rows).map(|_| rng.next_unit() < 0.1).collect();
        let busy: Vec<bool> = (0..rows).map(|_| rng.next_unit() < 0.2).collect();
        let no_module_until = if rng.next_unit() < 0.3 {
            rng.next_unit() * 4000.0
        } else {
            0.0
        };
        let script = random_script(&mut rng);
        let b = bench(rows, latency, in_flight, move |key, attempt, now| {
            let i: usize = key
                .strip_prefix("o-")
                .and_then(|n| n.parse().ok())
                .unwrap_or(usize::MAX);
            if now < no_module_until {
                Reply::NoModule
            } else if unknown.get(i) == Some(&true) {
                Reply::Unknown
            } else if attempt == 0 && first_refused.get(i) == Some(&true) {
                Reply::Refuse
            } else if attempt == 0 && busy.get(i) == Some(&true) {
                Reply::Busy
            } else {
                Reply::Accept
            }
        });
        b.play(&script);
        let case = format!("seed {seed}: {rows} rows, {latency} ms, {in_flight:?}, {script:?}");
        let (state, counts) = b.runner.with_job(|j| (j.state(), j.counts()));
        assert_eq!(counts.sending, 0, "{case}: nothing left in flight");
        assert_eq!(counts.pending + counts.sent + counts.failed, rows, "{case}");
        assert_ne!(
            state,
            JobState::Running,
            "{case}: a running job with nothing in flight"
        );
        assert!(state != JobState::Done || counts.pending == 0, "{case}");
        for (i, status) in b.statuses().into_iter().enumerate() {
            let key = format!("o-{i}");
            let edits = b.crm.edits_of(&key);
            if let Some(first) = edits.iter().position(|e| e.reply == Reply::Accept) {
                assert_eq!(
                    edits.len(),
                    first + 1,
                    "{case}: {key} edited again after it succeeded: {edits:?}"
                );
            }
            let accepted = b.crm.accepted(&key);
            match status {
                RowStatus::Sent { .. } => {
                    assert_eq!((status, accepted), (sent(&key), 1), "{case}: {key}")
                }
                RowStatus::Failed { .. } => {
                    assert_eq!(accepted, 0, "{case}: {key}");
                    assert!(
                        edits.last().is_some_and(|e| e.reply != Reply::Accept),
                        "{case}: {key}"
                    );
                }
                // Cancel lets the orders on their way be answered: a pending order was never accepted.
                RowStatus::Pending => assert_eq!(
                    accepted, 0,
                    "{case}: {key} pending though the CRM accepted it: {edits:?}"
                ),
                RowStatus::Sending => unreachable!(),
            }
        }
    }
}
