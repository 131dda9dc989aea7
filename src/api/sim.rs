//! Simulated time for tests of concurrent work: a clock whose sleeps wait for virtual deadlines, an executor that
//! jumps to the next deadline when nothing else can run, and a transport that answers after a latency.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::cancel::CancelToken;
use super::client::Client;
use super::traffic::TrafficConfig;
use super::transport::{Clock, HttpRequest, HttpResponse, Transport, TransportError};

/// A sleeper's deadline, its "fired" flag and its waker.
type Timer = (f64, Rc<Cell<bool>>, Option<Waker>);

#[derive(Default)]
struct Timers {
    now: Cell<f64>,
    pending: RefCell<Vec<Timer>>,
}

/// Virtual time: `sleep_ms` completes when [`run`] has advanced the time to its deadline.
#[derive(Clone, Default)]
pub struct SimClock {
    timers: Rc<Timers>,
}

impl SimClock {
    pub fn now(&self) -> f64 {
        self.timers.now.get()
    }

    /// Fires the earliest timers; `false` when there is none.
    fn advance(&self) -> bool {
        let mut pending = self.timers.pending.borrow_mut();
        let Some(next) = pending.iter().map(|(t, _, _)| *t).reduce(f64::min) else {
            return false;
        };
        if next > self.timers.now.get() {
            self.timers.now.set(next);
        }
        let now = self.timers.now.get();
        let mut fired = Vec::new();
        pending.retain_mut(|(t, flag, waker)| {
            if *t <= now {
                flag.set(true);
                fired.extend(waker.take());
                false
            } else {
                true
            }
        });
        drop(pending);
        for w in fired {
            w.wake();
        }
        true
    }
}

struct Sleep {
    timers: Rc<Timers>,
    flag: Option<Rc<Cell<bool>>>,
    deadline: f64,
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.deadline <= self.timers.now.get() {
            return Poll::Ready(());
        }
        match &self.flag {
            Some(flag) if flag.get() => Poll::Ready(()),
            Some(flag) => {
                let flag = flag.clone();
                for entry in self.timers.pending.borrow_mut().iter_mut() {
                    if Rc::ptr_eq(&entry.1, &flag) {
                        entry.2 = Some(cx.waker().clone());
                    }
                }
                Poll::Pending
            }
            None => {
                let flag = Rc::new(Cell::new(false));
                self.timers.pending.borrow_mut().push((
                    self.deadline,
                    flag.clone(),
                    Some(cx.waker().clone()),
                ));
                self.flag = Some(flag);
                Poll::Pending
            }
        }
    }
}

impl Clock for SimClock {
    fn now_ms(&self) -> f64 {
        self.now()
    }
    fn wall_ms(&self) -> f64 {
        self.now()
    }
    async fn sleep_ms(&self, ms: f64) {
        Sleep {
            timers: self.timers.clone(),
            flag: None,
            deadline: self.now() + ms.max(0.0),
        }
        .await
    }
}

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs `f` to completion in virtual time: polls while something woke it, else jumps to the next deadline.
/// Panics when it stalls (pending with no timer), which in a test means a lost wake-up.
pub fn run<F: Future>(clock: &SimClock, f: F) -> F::Output {
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut f = pin!(f);
    loop {
        if flag.0.swap(false, Ordering::SeqCst) {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
            continue;
        }
        assert!(clock.advance(), "stalled: pending with no timer");
    }
}

type Handler = Box<dyn Fn(&HttpRequest, f64) -> Result<HttpResponse, TransportError>>;

struct SimInner {
    clock: SimClock,
    latency_ms: Cell<f64>,
    handler: RefCell<Handler>,
    sent: RefCell<Vec<(f64, HttpRequest)>>,
    /// Per request sent: the status handed back to the client, `None` while in flight or when aborted.
    delivered: RefCell<Vec<Option<u16>>>,
    in_flight: Cell<usize>,
    most_in_flight: Cell<usize>,
}

/// A transport that waits `latency_ms` of virtual time, then answers from a handler (an in-memory CRM).
/// The handler sees the request and the time it arrives.
#[derive(Clone)]
pub struct SimTransport {
    inner: Rc<SimInner>,
}

impl SimTransport {
    pub fn new(
        clock: &SimClock,
        latency_ms: f64,
        handler: impl Fn(&HttpRequest, f64) -> Result<HttpResponse, TransportError> + 'static,
    ) -> Self {
        Self {
            inner: Rc::new(SimInner {
                clock: clock.clone(),
                latency_ms: Cell::new(latency_ms),
                handler: RefCell::new(Box::new(handler)),
                sent: RefCell::new(Vec::new()),
                delivered: RefCell::new(Vec::new()),
                in_flight: Cell::new(0),
                most_in_flight: Cell::new(0),
            }),
        }
    }

    pub fn set_latency(&self, ms: f64) {
        self.inner.latency_ms.set(ms);
    }

    /// Every request sent, with the virtual time it left.
    pub fn sent(&self) -> Vec<(f64, HttpRequest)> {
        self.inner.sent.borrow().clone()
    }

    /// Per request of [`SimTransport::sent`]: the status the client received (`None`: aborted or in flight).
    pub fn delivered(&self) -> Vec<Option<u16>> {
        self.inner.delivered.borrow().clone()
    }

    /// The most requests that were in flight at once.
    pub fn most_in_flight(&self) -> usize {
        self.inner.most_in_flight.get()
    }
}

impl Transport for SimTransport {
    async fn send(
        &self,
        req: &HttpRequest,
        cancel: &CancelToken,
    ) -> Result<HttpResponse, TransportError> {
        let inner = &self.inner;
        let index = {
            let mut sent = inner.sent.borrow_mut();
            sent.push((inner.clock.now(), req.clone()));
            inner.delivered.borrow_mut().push(None);
            sent.len() - 1
        };
        inner.in_flight.set(inner.in_flight.get() + 1);
        inner
            .most_in_flight
            .set(inner.most_in_flight.get().max(inner.in_flight.get()));
        // Half the latency to arrive, half to come back; an abort on the way out never reaches the CRM.
        let half = inner.latency_ms.get() / 2.0;
        inner.clock.sleep_ms(half).await;
        let outcome = if cancel.is_cancelled() {
            Err(TransportError::Aborted)
        } else {
            let answer = (inner.handler.borrow())(req, inner.clock.now());
            inner.clock.sleep_ms(half).await;
            if cancel.is_cancelled() {
                Err(TransportError::Aborted)
            } else {
                answer
            }
        };
        inner.in_flight.set(inner.in_flight.get() - 1);
        if let (Ok(resp), Some(slot)) = (&outcome, inner.delivered.borrow_mut().get_mut(index)) {
            *slot = Some(resp.status);
        }
        outcome
    }
}

/// A client of the account `https://acme.retailcrm.ru` (key `key`, default traffic settings) over `transport`.
pub fn client(transport: &SimTransport, clock: &SimClock) -> Client<SimTransport, SimClock> {
    Client::new(
        "https://acme.retailcrm.ru",
        "key",
        transport.clone(),
        clock.clone(),
        TrafficConfig::default(),
    )
}

/// A client of an in-memory CRM (`handler`) answering after `latency_ms`, at the default rate limit, with its
/// transport and clock.
pub fn sim_client(
    latency_ms: f64,
    handler: impl Fn(&HttpRequest, f64) -> HttpResponse + 'static,
) -> (Client<SimTransport, SimClock>, SimTransport, SimClock) {
    let clock = SimClock::default();
    let transport = SimTransport::new(&clock, latency_ms, move |req, now| Ok(handler(req, now)));
    (client(&transport, &clock), transport, clock)
}

/// `application/x-www-form-urlencoded` text (a form body or a query) decoded into its pairs, as an in-memory CRM
/// reads what the panel sends.
pub fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("3F");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    text.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}
