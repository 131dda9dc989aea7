//! One paced runner for every bulk read and write: units claimed before they are sent, several requests in flight
//! under the key's shared token bucket, pause (by the job), abort and progress notifications.
//!
//! A [`Job`] hands out units one at a time and marks each in flight as it does ("claimed"); the [`Runner`] sends them
//! through the shared [`Client`] (so every screen and job together stay under the CRM's rate limit, and retries are
//! the transport's), keeps [`Pace::target`] of them in flight, and gives each answer back to the job exactly once.
//! Pausing is the job's: a paused job claims nothing, requests in flight settle and count once. Only one driver runs
//! per runner: [`Runner::run`] while another drive is under way returns at once and the running one picks the work up.

pub mod pace;
pub mod read;

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use futures_util::stream::{FuturesUnordered, StreamExt};

use crate::api::{ApiError, CancelToken, Client, Clock, Endpoint, TrafficEvent, Transport};

pub use pace::{Pace, MAX_IN_FLIGHT};

/// The answer to one unit's request.
pub type Answer<J> = Result<<<J as Job>::Request as Endpoint>::Response, ApiError>;

/// Records one answer in its job at a time (ms): what a unit on its way comes back with.
type Settle = Box<dyn FnOnce(f64)>;
/// One unit on its way. The drive loop sees only these, so it exists once for every job type.
type Flight = Pin<Box<dyn Future<Output = Settle>>>;

/// A bulk job as the runner sees it: units claimed one at a time, each answered once.
pub trait Job {
    /// The request one unit sends.
    type Request: Endpoint + 'static;
    /// Claims the next unit to send and marks it in flight; `None` when nothing is to be sent now (paused,
    /// cancelled, done, or waiting for an answer that decides what comes next).
    fn claim(&mut self) -> Option<(usize, Self::Request)>;
    /// What came back for claimed unit `unit`, at `now_ms`. `Err(ApiError::Cancelled)`: it was aborted, so the job
    /// puts it back (or records the cancellation) — it may or may not have reached the CRM.
    fn settle(&mut self, unit: usize, answer: Answer<Self>, now_ms: f64);
    /// The transport is sending claimed unit `unit` again (503, 429, network error).
    fn retrying(&mut self, _unit: usize) {}
}

type Listener = Rc<dyn Fn()>;

struct Control {
    driving: Cell<bool>,
    /// Closed for good: no drive starts any more.
    closed: Cell<bool>,
    in_flight: Cell<usize>,
    pace: RefCell<Pace>,
    /// The token of the requests of the current drive; a child of the client's own token.
    run_token: RefCell<CancelToken>,
    listeners: RefCell<Vec<Listener>>,
    /// Set when the job may hand out more (resumed, retried, a higher pace): the drive claims at once instead of
    /// after the next answer.
    kicked: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// What the drive waits for next.
impl Control {
    /// Tells the listeners that the job or the traffic changed.
    fn changed(&self) {
        let listeners: Vec<Listener> = self.listeners.borrow().clone();
        for listener in listeners {
            listener();
        }
    }

    /// The drive loop, the same for every job: keeps the pace's target of units in flight (`claim` hands out the next
    /// one, `None` when nothing is to be sent now), settles each answer as it comes, wakes on a kick, and returns
    /// when nothing is claimed and nothing is in flight.
    async fn drive(
        &self,
        rate: f64,
        token: &CancelToken,
        claim: &mut dyn FnMut() -> Option<Flight>,
        now: &dyn Fn() -> f64,
    ) {
        let mut flying = FuturesUnordered::new();
        loop {
            let target = self.pace.borrow().target(rate);
            let mut claimed = false;
            while flying.len() < target && !token.is_cancelled() {
                let Some(flight) = claim() else { break };
                claimed = true;
                flying.push(flight);
            }
            self.in_flight.set(flying.len());
            if claimed {
                self.changed();
            }
            let next = poll_fn(|cx| {
                if self.kicked.replace(false) {
                    return Poll::Ready(Next::Kicked);
                }
                match flying.poll_next_unpin(cx) {
                    Poll::Ready(Some(settle)) => Poll::Ready(Next::Answer(settle)),
                    Poll::Ready(None) => Poll::Ready(Next::Idle),
                    Poll::Pending => {
                        *self.waker.borrow_mut() = Some(cx.waker().clone());
                        Poll::Pending
                    }
                }
            })
            .await;
            let settle = match next {
                Next::Answer(settle) => settle,
                Next::Kicked => continue,
                Next::Idle => break,
            };
            settle(now());
            self.in_flight.set(flying.len());
            self.changed();
        }
    }
}

enum Next {
    Answer(Settle),
    /// The job may hand out more: claim again.
    Kicked,
    /// Nothing in flight.
    Idle,
}

/// Drives one [`Job`] through one connection. Cheap to clone: clones share the job and the control.
pub struct Runner<J, T, C> {
    job: Rc<RefCell<J>>,
    client: Client<T, C>,
    control: Rc<Control>,
}

impl<J, T, C> Clone for Runner<J, T, C> {
    fn clone(&self) -> Self {
        Self {
            job: self.job.clone(),
            client: self.client.clone(),
            control: self.control.clone(),
        }
    }
}

impl<J: Job + 'static, T: Transport + 'static, C: Clock + 'static> Runner<J, T, C> {
    /// A runner of `job` over `client` (whose cancel token, e.g. "the screen was left", stops every drive).
    pub fn new(client: Client<T, C>, job: J) -> Self {
        let run_token = client.cancel_token().child();
        Self {
            job: Rc::new(RefCell::new(job)),
            client,
            control: Rc::new(Control {
                driving: Cell::new(false),
                closed: Cell::new(false),
                in_flight: Cell::new(0),
                pace: RefCell::new(Pace::default()),
                run_token: RefCell::new(run_token),
                listeners: RefCell::new(Vec::new()),
                kicked: Cell::new(false),
                waker: RefCell::new(None),
            }),
        }
    }

    /// Reads the job.
    pub fn with_job<R>(&self, f: impl FnOnce(&J) -> R) -> R {
        f(&self.job.borrow())
    }

    /// Changes the job (pause, resume, cancel, retry the failed units) and tells the listeners; call
    /// [`Runner::run`] afterwards when the change may have made units claimable.
    pub fn update_job<R>(&self, f: impl FnOnce(&mut J) -> R) -> R {
        let out = f(&mut self.job.borrow_mut());
        self.kick();
        self.changed();
        out
    }

    /// Wakes a drive waiting for an answer so that it claims what the job may now hand out.
    fn kick(&self) {
        self.control.kicked.set(true);
        let waker = self.control.waker.borrow_mut().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Calls `listener` after every change: units claimed, an answer settled, a drive started or ended.
    pub fn on_change(&self, listener: impl Fn() + 'static) {
        self.control.listeners.borrow_mut().push(Rc::new(listener));
    }

    /// Requests in flight to aim for: `Some(n)` as the user chose, `None` for automatic.
    pub fn choose_in_flight(&self, chosen: Option<usize>) {
        self.control.pace.borrow_mut().choose(chosen);
        self.kick();
    }

    /// Requests in flight right now.
    pub fn in_flight(&self) -> usize {
        self.control.in_flight.get()
    }

    /// Whether a drive is under way.
    pub fn is_driving(&self) -> bool {
        self.control.driving.get()
    }

    /// The connection the runner sends through.
    pub fn client(&self) -> &Client<T, C> {
        &self.client
    }

    /// Aborts the requests in flight (each settles as `Cancelled`) and claims nothing more in this drive; a later
    /// [`Runner::run`] starts a new drive.
    pub fn abort(&self) {
        self.control.run_token.borrow().cancel();
    }

    /// Aborts and closes the runner for good (its job was replaced or thrown away): no drive starts any more, not
    /// even one spawned before.
    pub fn close(&self) {
        self.control.closed.set(true);
        self.abort();
    }

    fn changed(&self) {
        self.control.changed();
    }

    fn send(&self, unit: usize, request: J::Request, token: CancelToken) -> Flight {
        let job = self.job.clone();
        let settled = self.job.clone();
        let control = self.control.clone();
        let client = self
            .client
            .with_cancel(token)
            .with_observer(move |event| match event {
                TrafficEvent::Retrying { .. } => job.borrow_mut().retrying(unit),
                TrafficEvent::Responded { elapsed_ms, .. } => {
                    control.pace.borrow_mut().observe(*elapsed_ms)
                }
                TrafficEvent::Throttled { .. } => {}
            });
        Box::pin(async move {
            let answer = client.call(&request).await;
            Box::new(move |now| settled.borrow_mut().settle(unit, answer, now)) as Settle
        })
    }

    /// Sends what the job hands out until it has nothing to send and nothing is in flight (done, paused or
    /// cancelled), keeping [`Pace::target`] requests in flight. Returns at once if another drive is under way.
    pub async fn run(self) {
        if self.control.closed.get() {
            return;
        }
        if self.control.driving.replace(true) {
            self.kick();
            return;
        }
        let token = {
            let mut current = self.control.run_token.borrow_mut();
            if current.is_cancelled() && !self.control.closed.get() {
                *current = self.client.cancel_token().child();
            }
            current.clone()
        };
        self.changed();
        let rate = self.client.config().requests_per_second;
        let mut claim = || {
            let (unit, request) = self.job.borrow_mut().claim()?;
            Some(self.send(unit, request, token.clone()))
        };
        let now = || self.client.now_ms();
        self.control.drive(rate, &token, &mut claim, &now).await;
        self.control.driving.set(false);
        self.changed();
    }
}

#[cfg(test)]
mod tests;
