//! The upload as a screen runs it, in plain Rust: the workflow, the dry run's read and the upload job under the one
//! runner, the job saved on the device for its owner (account, site, key) and resumed only by that owner.
//!
//! The screen (or a test) holds one [`UploadSession`] per connection: it passes the operator's actions in and spawns
//! the futures some of them return. Leaving the screen cancels the client's token: every drive stops and the job
//! stays saved, paused on the next visit.

use std::cell::{Cell, Ref, RefCell};
use std::future::Future;
use std::rc::Rc;

use super::dry_run::DryRunRead;
use super::flow::{Source, UploadFlow};
use super::history::RunRecord;
use super::job::UploadJob;
use super::plan::PlanLimits;
use super::saved::{self, JobOwner};
use crate::api::inventory::InventoriesRequest;
use crate::api::{ApiError, Client, Clock, Transport};
use crate::device::{DeviceStore, LargeStore};
use crate::runner::read::{ReadJob, ReadState};
use crate::runner::Runner;

/// The dry run's read under the runner.
pub type DryRunJob = ReadJob<InventoriesRequest, DryRunRead>;

/// An upload job under way (or finished), with the file it came from.
struct Running<T, C> {
    runner: Runner<UploadJob, T, C>,
    file: String,
}

type Listener = Rc<dyn Fn()>;

/// One connection's upload screen state. Share it with `Rc`.
pub struct UploadSession<T, C> {
    client: Client<T, C>,
    store: Rc<dyn DeviceStore>,
    large: Rc<dyn LargeStore>,
    owner: JobOwner,
    flow: RefCell<UploadFlow>,
    dry_run: RefCell<Option<Runner<DryRunJob, T, C>>>,
    job: RefCell<Option<Running<T, C>>>,
    /// Whether the job is kept on the device (false: too large for the storage, or refused).
    job_saved: Cell<bool>,
    /// The job came back from the device after a reload.
    recovered: Cell<bool>,
    chosen_in_flight: Cell<Option<usize>>,
    history: RefCell<Vec<RunRecord>>,
    listeners: RefCell<Vec<Listener>>,
}

impl<T: Transport + 'static, C: Clock + 'static> UploadSession<T, C> {
    /// The session of `owner` (whose account `client` talks to), with its history. Its unfinished job comes back
    /// with [`UploadSession::recover`].
    pub fn new(
        client: Client<T, C>,
        store: Rc<dyn DeviceStore>,
        large: Rc<dyn LargeStore>,
        owner: JobOwner,
    ) -> Rc<Self> {
        let history = saved::runs(store.as_ref(), &owner.account);
        Rc::new(UploadSession {
            client,
            store,
            large,
            owner,
            flow: RefCell::new(UploadFlow::new()),
            dry_run: RefCell::new(None),
            job: RefCell::new(None),
            job_saved: Cell::new(true),
            recovered: Cell::new(false),
            chosen_in_flight: Cell::new(None),
            history: RefCell::new(history),
            listeners: RefCell::new(Vec::new()),
        })
    }

    /// Brings back the unfinished job the device holds for exactly this owner (paused, to be resumed); run it once
    /// after [`UploadSession::new`].
    pub fn recover(self: &Rc<Self>) -> impl Future<Output = ()> + 'static {
        let me = Rc::downgrade(self);
        let (store, large, owner) = (self.store.clone(), self.large.clone(), self.owner.clone());
        async move {
            let found = saved::load_job(store.as_ref(), large.as_ref(), &owner).await;
            let Some(session) = me.upgrade() else { return };
            if let (Some(found), None) = (found, session.job_file()) {
                session.recovered.set(true);
                session.adopt(found.job, found.file);
                session.changed();
            }
        }
    }

    /// Calls `listener` after every change of the session (the screen re-renders).
    pub fn on_change(&self, listener: impl Fn() + 'static) {
        self.listeners.borrow_mut().push(Rc::new(listener));
    }

    fn changed(&self) {
        let listeners: Vec<Listener> = self.listeners.borrow().clone();
        for l in listeners {
            l();
        }
    }

    pub fn owner(&self) -> &JobOwner {
        &self.owner
    }

    /// The workflow up to the plan.
    pub fn flow(&self) -> Ref<'_, UploadFlow> {
        self.flow.borrow()
    }

    /// Unfinished jobs on the device that belong to another account, site or key, with their files.
    pub fn jobs_of_others(&self) -> Vec<(JobOwner, String)> {
        saved::jobs_of_others(self.store.as_ref(), &self.owner)
    }

    pub fn history(&self) -> Vec<RunRecord> {
        self.history.borrow().clone()
    }

    pub fn job_saved(&self) -> bool {
        self.job_saved.get()
    }

    pub fn recovered(&self) -> bool {
        self.recovered.get()
    }

    /// The current job's file name.
    pub fn job_file(&self) -> Option<String> {
        self.job.borrow().as_ref().map(|r| r.file.clone())
    }

    /// Reads the current job.
    pub fn with_job<R>(&self, f: impl FnOnce(&UploadJob) -> R) -> Option<R> {
        let runner = self.job.borrow().as_ref().map(|r| r.runner.clone())?;
        Some(runner.with_job(f))
    }

    /// Requests of the job in flight right now.
    pub fn in_flight(&self) -> usize {
        self.job
            .borrow()
            .as_ref()
            .map_or(0, |r| r.runner.in_flight())
    }

    /// Reads the dry run's read under way (or just ended).
    pub fn with_dry_run<R>(&self, f: impl FnOnce(&DryRunJob) -> R) -> Option<R> {
        let runner = self.dry_run.borrow().as_ref().cloned()?;
        Some(runner.with_job(f))
    }

    fn remembered(&self) -> impl FnOnce(&[String]) -> Option<super::mapping::Mapping> + '_ {
        |header| saved::mapping_for(self.store.as_ref(), &self.owner.account, header)
    }

    /// Changes the workflow without a remembered mapping at hand (mapping, site, "only changed").
    pub fn update_flow(&self, f: impl FnOnce(&mut UploadFlow)) {
        f(&mut self.flow.borrow_mut());
        self.changed();
    }

    /// A new file or paste.
    pub fn load(&self, name: &str, source: Source) {
        let remembered = self.remembered();
        self.flow.borrow_mut().load(name, source, remembered);
        self.changed();
    }

    /// A file that could not be read (too large, or the browser failed): the previous file is dropped.
    pub fn refuse(&self, name: &str, error: crate::sheet::decode::ReadError) {
        self.flow.borrow_mut().refuse(name, error);
        self.changed();
    }

    /// Reads the file again in another encoding (`None`: detected).
    pub fn set_charset(&self, charset: Option<crate::sheet::encoding::Charset>) {
        let remembered = self.remembered();
        self.flow.borrow_mut().set_charset(charset, remembered);
        self.changed();
    }

    /// Reads the file again with another delimiter.
    pub fn set_delimiter(&self, delimiter: Option<crate::sheet::decode::Delimiter>) {
        let remembered = self.remembered();
        self.flow.borrow_mut().set_delimiter(delimiter, remembered);
        self.changed();
    }

    /// The CRM's warehouses, once loaded.
    pub fn set_warehouses(&self, warehouses: Vec<super::warehouse::Warehouse>) {
        let remembered = self.remembered();
        self.flow
            .borrow_mut()
            .set_warehouses(warehouses, remembered);
        self.changed();
    }

    fn remember_mapping(&self) {
        if let Some(m) = self.flow.borrow().mapping() {
            saved::remember_mapping(self.store.as_ref(), &self.owner.account, m);
        }
    }

    /// Starts the dry run of the current file and mapping; the future reads (spawn it) and hands the result to the
    /// workflow, which keeps it only if the file and mapping are still the same.
    pub fn dry_run(self: &Rc<Self>) -> Option<impl Future<Output = ()> + 'static> {
        let base_url = self.client.base_url().to_string();
        let (revision, read, first) = self.flow.borrow_mut().begin_dry_run(&base_url)?;
        self.remember_mapping();
        if let Some(old) = self.dry_run.borrow_mut().take() {
            old.close();
        }
        let runner = Runner::new(self.client.clone(), ReadJob::new(first, read));
        runner.choose_in_flight(self.chosen_in_flight.get());
        let me = Rc::downgrade(self);
        runner.on_change(move || {
            if let Some(s) = me.upgrade() {
                s.changed();
            }
        });
        *self.dry_run.borrow_mut() = Some(runner.clone());
        self.changed();
        let me = Rc::downgrade(self);
        Some(async move {
            runner.clone().run().await;
            let Some(session) = me.upgrade() else { return };
            let result = runner.update_job(|job| match job.state().clone() {
                ReadState::Done => Some(Ok(job.sink_mut().take_current())),
                ReadState::Failed(error) => Some(Err(error)),
                _ => None,
            });
            match result {
                Some(result) => {
                    session.flow.borrow_mut().finish_dry_run(revision, result);
                }
                None => session.flow.borrow_mut().abandon_dry_run(revision),
            }
            session.changed();
        })
    }

    /// Stops the dry run under way.
    pub fn cancel_dry_run(&self) {
        if let Some(runner) = self.dry_run.borrow().as_ref() {
            runner.update_job(ReadJob::cancel);
            runner.abort();
        }
    }

    fn adopt(self: &Rc<Self>, job: UploadJob, file: String) {
        let runner = Runner::new(self.client.clone(), job);
        runner.choose_in_flight(self.chosen_in_flight.get());
        let me = Rc::downgrade(self);
        let was_open = Cell::new(runner.with_job(UploadJob::is_open));
        let chunks_done = Cell::new(runner.with_job(|j| j.progress(0.0).chunks_done));
        runner.on_change(move || {
            let Some(s) = me.upgrade() else { return };
            s.save_status();
            let done = s.with_job(|j| j.progress(0.0).chunks_done).unwrap_or(0);
            if chunks_done.replace(done) != done {
                s.flow.borrow_mut().stock_changed();
            }
            let open = s.with_job(UploadJob::is_open).unwrap_or(false);
            if was_open.replace(open) && !open {
                s.record_run();
            }
            s.changed();
        });
        if let Some(old) = self.job.borrow_mut().replace(Running { runner, file }) {
            old.runner.close();
        }
    }

    fn save_status(&self) {
        if !self.job_saved.get() {
            return;
        }
        let saved = self.job.borrow().as_ref().map(|r| {
            let file = r.file.clone();
            r.runner
                .with_job(|job| saved::save_status(self.store.as_ref(), &self.owner, &file, job))
        });
        if saved == Some(false) {
            self.job_saved.set(false);
        }
    }

    fn record_run(&self) {
        let run = self.job.borrow().as_ref().map(|r| {
            let file = r.file.clone();
            r.runner
                .with_job(|job| RunRecord::of(job, &file, self.client.clock().wall_ms()))
        });
        if let Some(run) = run {
            let list = saved::remember_run(self.store.as_ref(), &self.owner.account, run);
            *self.history.borrow_mut() = list;
        }
    }

    /// The requests a dry run by key would take (the upper bound of the dry run: paging through every inventory is
    /// chosen only when it is cheaper).
    pub fn dry_run_requests_by_key(&self) -> usize {
        let flow = self.flow.borrow();
        flow.validation().map_or(0, |v| {
            super::wire::lookup_requests(&v.offers, self.client.base_url()).len()
        })
    }

    /// The requests the upload of the current file and mapping takes (only the changed offers when so chosen after
    /// a dry run).
    pub fn upload_requests(&self) -> usize {
        self.flow.borrow().upload_requests(PlanLimits::default())
    }

    /// The key's rate limit (requests per second), for estimates.
    pub fn rate(&self) -> f64 {
        self.client.config().requests_per_second
    }

    /// Whether a new upload may start: offers to send and no job open.
    pub fn can_start(&self) -> bool {
        self.flow.borrow().has_offers() && !self.with_job(UploadJob::is_open).unwrap_or(false)
    }

    /// Plans the upload of the current file and mapping and starts it (spawn the future: it sends the chunks and
    /// keeps the job on the device). Nothing when a job is still open or there is nothing to send.
    pub fn start(self: &Rc<Self>) -> Option<impl Future<Output = ()> + 'static> {
        if !self.can_start() {
            return None;
        }
        let plan = self.flow.borrow().plan(PlanLimits::default())?;
        self.remember_mapping();
        let mut job = UploadJob::new(plan);
        job.rows_skipped = self
            .flow
            .borrow()
            .validation()
            .map_or(0, |v| v.rows_skipped);
        job.resume(self.client.now_ms());
        let file = self.flow.borrow().name().to_string();
        let save = saved::save_job(
            self.store.clone(),
            self.large.clone(),
            &self.owner,
            &file,
            &job,
        );
        self.job_saved.set(true);
        self.recovered.set(false);
        self.adopt(job, file);
        self.changed();
        let me = Rc::downgrade(self);
        let keep = async move {
            let kept = save.await;
            if let Some(session) = me.upgrade() {
                if !kept {
                    session.job_saved.set(false);
                    session.changed();
                }
            }
        };
        let drive = self.drive();
        Some(async move {
            futures_util::future::join(keep, drive).await;
        })
    }

    fn drive(&self) -> impl Future<Output = ()> + 'static {
        let runner = self.job.borrow().as_ref().map(|r| r.runner.clone());
        async move {
            if let Some(runner) = runner {
                runner.run().await;
            }
        }
    }

    fn update_job(&self, f: impl FnOnce(&mut UploadJob)) {
        let runner = self.job.borrow().as_ref().map(|r| r.runner.clone());
        if let Some(runner) = runner {
            runner.update_job(f);
        }
    }

    /// Stops handing out chunks; those in flight still report.
    pub fn pause(&self) {
        self.update_job(UploadJob::pause);
    }

    /// Goes on with a paused (or recovered) job (spawn the future).
    pub fn resume(&self) -> impl Future<Output = ()> + 'static {
        let now = self.client.now_ms();
        self.recovered.set(false);
        self.update_job(|j| j.resume(now));
        self.drive()
    }

    /// Stops the job for good: no chunk leaves after it; the chunks on their way are recorded when answered (the
    /// CRM may already have applied them, so the report says what it holds).
    pub fn cancel(&self) {
        self.update_job(UploadJob::cancel);
    }

    /// Sends the failed chunks again (spawn the future).
    pub fn retry_failed(&self) -> impl Future<Output = ()> + 'static {
        let now = self.client.now_ms();
        self.update_job(|j| {
            j.retry_failed(now);
        });
        self.drive()
    }

    /// Forgets the job (finished, or paused and not wanted): on the device too.
    pub fn discard(&self) {
        if let Some(old) = self.job.borrow_mut().take() {
            old.runner.close();
        }
        saved::forget_job(
            self.store.as_ref(),
            self.large.as_ref(),
            &self.owner.account,
        );
        self.recovered.set(false);
        self.changed();
    }

    /// Requests in flight to aim for (`None`: automatic), for the dry run and the upload.
    pub fn choose_in_flight(&self, chosen: Option<usize>) {
        self.chosen_in_flight.set(chosen);
        if let Some(r) = self.job.borrow().as_ref() {
            r.runner.choose_in_flight(chosen);
        }
        if let Some(r) = self.dry_run.borrow().as_ref() {
            r.choose_in_flight(chosen);
        }
    }

    /// The error of the last dry run, if it failed.
    pub fn dry_run_error(&self) -> Option<ApiError> {
        match self.flow.borrow().dry_run() {
            super::flow::DryRun::Failed { error } => Some(error.clone()),
            _ => None,
        }
    }
}
