//! The one way components run async work: a task tied to the screen (stopped when it is left), and a slot holding
//! the runner of a bulk job whose every change re-renders what reads it.

use std::future::Future;

use crate::api::browser::{BrowserClock, FetchTransport};
use crate::api::reference::StoresResponse;
use crate::api::{ApiError, CancelToken};
use crate::runner::{Job, Runner};
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::reactive::effect;
use crate::ui::session::Session;
use leptos::prelude::*;

/// A runner over the browser's fetch and clock.
pub type BrowserRunner<J> = Runner<J, FetchTransport, BrowserClock>;

/// Runs `work` in the background. Its requests should use a client cancelled with the screen (see
/// [`RunnerSlot`] or `Session::client_with_cancel`), so nothing it does outlives the screen.
pub fn spawn(work: impl Future<Output = ()> + 'static) {
    leptos::task::spawn_local(work);
}

struct Slot<J: 'static> {
    runner: Option<BrowserRunner<J>>,
    leave: CancelToken,
    /// The user's choice of requests in flight, kept for the next runner too.
    chosen: Option<usize>,
}

/// The runner of the screen's current bulk job (none at first). A new job gets a new runner: answers still in flight
/// for the old job can never land in the new one. Reads through [`RunnerSlot::with`] are tracked.
pub struct RunnerSlot<J: 'static> {
    slot: StoredValue<Slot<J>, LocalStorage>,
    changed: StoredValue<ArcTrigger>,
}

impl<J> Clone for RunnerSlot<J> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<J> Copy for RunnerSlot<J> {}

impl<J: Job + 'static> RunnerSlot<J> {
    /// An empty slot whose runners stop when the calling component is unmounted.
    pub fn new() -> Self {
        RunnerSlot {
            slot: StoredValue::new_local(Slot {
                runner: None,
                leave: cancel_on_leave(),
                chosen: None,
            }),
            changed: StoredValue::new(ArcTrigger::new()),
        }
    }

    fn notify(&self) {
        if let Some(trigger) = self.changed.try_get_value() {
            trigger.notify();
        }
    }

    /// Makes `job` the current one (aborting the previous job's requests) and starts sending.
    pub fn start(&self, session: &Session, job: J) {
        let Some((leave, chosen)) = self.slot.try_with_value(|s| (s.leave.clone(), s.chosen))
        else {
            return;
        };
        let runner = Runner::new(session.client_with_cancel(&leave.child()), job);
        runner.choose_in_flight(chosen);
        if let Some(trigger) = self.changed.try_get_value() {
            runner.on_change(move || trigger.notify());
        }
        let previous = self
            .slot
            .try_update_value(|s| s.runner.replace(runner.clone()))
            .flatten();
        if let Some(previous) = previous {
            previous.close();
        }
        self.notify();
        spawn(runner.run());
    }

    /// Hands the current job to `f` (to take its result), then forgets it and its runner (aborting anything still in
    /// flight). `None` without a job.
    pub fn finish<R>(&self, f: impl FnOnce(&mut J) -> R) -> Option<R> {
        let out = self.runner()?.update_job(f);
        self.clear();
        Some(out)
    }

    /// Forgets the current job and its runner (aborting anything still in flight).
    pub fn clear(&self) {
        let previous = self.slot.try_update_value(|s| s.runner.take()).flatten();
        if let Some(previous) = previous {
            previous.close();
        }
        self.notify();
    }

    /// Reads the current job (tracked: re-runs on every change of the job); `None` without one.
    pub fn with<R>(&self, f: impl FnOnce(&J) -> R) -> Option<R> {
        if let Some(trigger) = self.changed.try_get_value() {
            trigger.track();
        }
        self.with_untracked(f)
    }

    /// Reads the current job without tracking.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&J) -> R) -> Option<R> {
        self.slot
            .try_with_value(|s| s.runner.as_ref().map(|r| r.with_job(f)))
            .flatten()
    }

    /// Changes the current job (pause, resume, cancel, retry) and sends what it now hands out.
    pub fn update<R>(&self, f: impl FnOnce(&mut J) -> R) -> Option<R> {
        let runner = self.runner()?;
        let out = runner.update_job(f);
        spawn(runner.run());
        Some(out)
    }

    /// Aborts the requests in flight (cancel); the job records them as not sent.
    pub fn abort(&self) {
        if let Some(runner) = self.runner() {
            runner.abort();
        }
    }

    /// Requests in flight to aim for: `Some(n)` as the user chose, `None` for automatic.
    pub fn choose_in_flight(&self, chosen: Option<usize>) {
        self.slot.try_update_value(|s| s.chosen = chosen);
        if let Some(runner) = self.runner() {
            runner.choose_in_flight(chosen);
        }
    }

    /// Requests in flight right now (tracked).
    pub fn in_flight(&self) -> usize {
        if let Some(trigger) = self.changed.try_get_value() {
            trigger.track();
        }
        self.runner().map_or(0, |r| r.in_flight())
    }

    fn runner(&self) -> Option<BrowserRunner<J>> {
        self.slot.try_with_value(|s| s.runner.clone()).flatten()
    }
}

/// A slot whose job follows `job` (tracked): whenever what `job` reads changes, its new job replaces the one before
/// (whose answers in flight can then never land), so the slot always holds the read of the current request; `None`
/// empties the slot. An effect drives it, not a resource: a resource that is checked by a reader while its previous
/// future is still pending can miss the change and never run again.
pub fn follow<J: Job + 'static>(
    session: Session,
    job: impl Fn() -> Option<J> + 'static,
) -> RunnerSlot<J> {
    let slot = RunnerSlot::new();
    effect(move |_| match job() {
        Some(job) => slot.start(&session, job),
        None => slot.clear(),
    });
    slot
}

/// The account's warehouses, read once as the screen opens, the read stopped when the screen is left. One function
/// for every screen that needs them, so the resource is compiled once.
pub fn warehouses(session: Session) -> LocalResource<Result<StoresResponse, ApiError>> {
    let client = session.client_with_cancel(&cancel_on_leave());
    LocalResource::new(move || {
        let client = client.clone();
        async move { client.stores().await }
    })
}

impl<J: Job + 'static> Default for RunnerSlot<J> {
    fn default() -> Self {
        Self::new()
    }
}
