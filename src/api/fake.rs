//! Test doubles: a scripted in-memory transport that records requests, a fake clock, and a tiny `block_on`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::cancel::CancelToken;
use super::transport::{Clock, HttpRequest, HttpResponse, Transport, TransportError};

/// Runs a future whose every await is ready at once (fake transport and clock); panics if it ever stalls.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000_000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("future stalled");
}

type SleepHook = Box<dyn FnMut(f64)>;

/// A clock that only moves when slept on; hooks see the time after each sleep.
#[derive(Clone, Default)]
pub struct FakeClock {
    now: Rc<Cell<f64>>,
    hooks: Rc<RefCell<Vec<SleepHook>>>,
}

impl FakeClock {
    pub fn now(&self) -> f64 {
        self.now.get()
    }
    pub fn advance(&self, ms: f64) {
        self.now.set(self.now.get() + ms);
    }
    /// Runs `hook(now)` after every sleep (e.g. to cancel at some time).
    pub fn on_sleep(&self, hook: impl FnMut(f64) + 'static) {
        self.hooks.borrow_mut().push(Box::new(hook));
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn wall_ms(&self) -> f64 {
        self.now.get()
    }
    async fn sleep_ms(&self, ms: f64) {
        self.advance(ms.max(0.0));
        let now = self.now();
        for hook in self.hooks.borrow_mut().iter_mut() {
            hook(now);
        }
    }
}

/// What the fake transport does for one request.
#[derive(Clone, Debug)]
pub enum Step {
    Respond(HttpResponse),
    Fail(TransportError),
    /// The token is cancelled while the request is in flight; the transport aborts.
    CancelInFlight,
}

#[derive(Default)]
struct Inner {
    script: RefCell<VecDeque<Step>>,
    fallback: RefCell<Option<Step>>,
    sent: RefCell<Vec<(f64, HttpRequest)>>,
}

/// Answers from a script (then the fallback, then a 500), recording each request with the fake time it was sent.
#[derive(Clone)]
pub struct FakeTransport {
    clock: FakeClock,
    inner: Rc<Inner>,
}

impl FakeTransport {
    pub fn new(clock: &FakeClock) -> Self {
        Self {
            clock: clock.clone(),
            inner: Rc::default(),
        }
    }
    pub fn then(&self, step: Step) -> &Self {
        self.inner.script.borrow_mut().push_back(step);
        self
    }
    pub fn then_json(&self, status: u16, body: &str) -> &Self {
        self.then(Step::Respond(HttpResponse::json(status, body)))
    }
    pub fn always_json(&self, status: u16, body: &str) -> &Self {
        *self.inner.fallback.borrow_mut() = Some(Step::Respond(HttpResponse::json(status, body)));
        self
    }
    pub fn sent(&self) -> Vec<HttpRequest> {
        self.inner
            .sent
            .borrow()
            .iter()
            .map(|(_, r)| r.clone())
            .collect()
    }
    pub fn sent_times(&self) -> Vec<f64> {
        self.inner.sent.borrow().iter().map(|(t, _)| *t).collect()
    }
}

impl Transport for FakeTransport {
    async fn send(
        &self,
        req: &HttpRequest,
        cancel: &CancelToken,
    ) -> Result<HttpResponse, TransportError> {
        self.inner
            .sent
            .borrow_mut()
            .push((self.clock.now(), req.clone()));
        let step = self
            .inner
            .script
            .borrow_mut()
            .pop_front()
            .or_else(|| self.inner.fallback.borrow().clone());
        match step {
            Some(Step::Respond(resp)) => Ok(resp),
            Some(Step::Fail(e)) => Err(e),
            Some(Step::CancelInFlight) => {
                cancel.cancel();
                Err(TransportError::Aborted)
            }
            None => Ok(HttpResponse::json(
                500,
                r#"{"success":false,"errorMsg":"script exhausted"}"#,
            )),
        }
    }
}
