//! Paged and batched reads as a runner [`Job`]: each request walked to its last page, pages fetched side by side
//! once the first page has told how many there are, every answer handed to a [`PageSink`] as it arrives.

use std::collections::{BTreeMap, VecDeque};

use crate::api::{ApiError, Endpoint, Paged};

use super::{Answer, Job};

/// Where a read is.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadState {
    Running,
    /// Claims nothing; requests in flight still arrive.
    Paused,
    /// Every page arrived.
    Done,
    /// A page could not be read (after the transport's retries): the read stops there.
    Failed(ApiError),
    Cancelled,
}

impl ReadState {
    /// Why the read failed, if it did.
    pub fn failure(&self) -> Option<&ApiError> {
        match self {
            ReadState::Failed(e) => Some(e),
            _ => None,
        }
    }
}

/// What to read after a first page: the rest of its pages, and more requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Followup<E> {
    /// Queue the request's other pages (`pagination.totalPageCount`).
    pub rest_of_pages: bool,
    /// Requests to read next (each walked to its last page).
    pub more: Vec<E>,
}

impl<E> Followup<E> {
    /// Every page of the request, nothing else.
    pub fn all_pages() -> Self {
        Followup {
            rest_of_pages: true,
            more: Vec::new(),
        }
    }

    /// Nothing more: the page asked for is all that is read.
    pub fn nothing() -> Self {
        Followup {
            rest_of_pages: false,
            more: Vec::new(),
        }
    }
}

/// Takes the pages of a read as they arrive (in any order when several are in flight).
pub trait PageSink<E: Paged> {
    /// Page `page` of request `request` (its index in the order requests were added). For a request's first page,
    /// the answer says what to read next.
    fn page(&mut self, request: usize, page: u32, answer: E::Response) -> Followup<E>;
}

impl<E: Paged, F: FnMut(usize, u32, E::Response) -> Followup<E>> PageSink<E> for F {
    fn page(&mut self, request: usize, page: u32, answer: E::Response) -> Followup<E> {
        self(request, page, answer)
    }
}

/// The answer of a read of one page.
#[derive(Debug, Clone, PartialEq)]
pub struct OnePage<R> {
    answer: Option<R>,
}

impl<E: Paged> PageSink<E> for OnePage<E::Response> {
    fn page(&mut self, _request: usize, _page: u32, answer: E::Response) -> Followup<E> {
        self.answer = Some(answer);
        Followup::nothing()
    }
}

/// A read of one page.
pub type PageRead<E> = ReadJob<E, OnePage<<E as Endpoint>::Response>>;

impl<E: Paged + 'static> PageRead<E> {
    /// The answer of a read that is over: the page, or why it failed; `None` while it runs or once cancelled.
    pub fn answer(&self) -> Option<Result<&E::Response, &ApiError>> {
        match &self.state {
            ReadState::Done => self.sink.answer.as_ref().map(Ok),
            ReadState::Failed(e) => Some(Err(e)),
            _ => None,
        }
    }
}

/// A read of the one page `request` asks for.
pub fn one_page<E: Paged + 'static>(request: E) -> PageRead<E> {
    ReadJob::new(vec![request], OnePage { answer: None })
}

/// The items of every page of one request in page order, whatever order the pages arrive in: a page's items join the
/// list as soon as the pages before it are in (a page that comes early waits), so a long read holds its items once,
/// in one list sized by the count the first page announced.
#[derive(Debug, Clone, PartialEq)]
pub struct InOrder<T> {
    items: Vec<T>,
    /// The page whose items come next (`None` before the first page).
    next: Option<u32>,
    early: BTreeMap<u32, Vec<T>>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        InOrder {
            items: Vec::new(),
            next: None,
            early: BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    /// Takes page `page`'s items; `announced` is the total the answer announced (`pagination.totalCount`). The first
    /// page put is the request's first page (a read hands it over before asking for the others).
    pub fn put<E>(&mut self, page: u32, items: Vec<T>, announced: u32) -> Followup<E> {
        let next = *self.next.get_or_insert_with(|| {
            // Room for what the CRM announced, if there is (a wrong count only costs the room).
            let _ = self.items.try_reserve_exact(announced as usize);
            page
        });
        self.early.insert(page, items);
        let mut next = next;
        while let Some(items) = self.early.remove(&next) {
            self.items.extend(items);
            next += 1;
        }
        self.next = Some(next);
        Followup::all_pages()
    }

    /// The items of the pages in so far without a gap, in page order (every item once the read is done).
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Takes every item in page order, those of pages after a missing one (a stopped read) last.
    pub fn take(&mut self) -> Vec<T> {
        let mut items = std::mem::take(&mut self.items);
        for (_, page) in std::mem::take(&mut self.early) {
            items.extend(page);
        }
        items
    }
}

impl<E: Paged> PageSink<E> for InOrder<E::Item> {
    fn page(&mut self, _request: usize, page: u32, answer: E::Response) -> Followup<E> {
        let announced = E::pagination(&answer).total_count;
        self.put(page, E::into_items(answer), announced)
    }
}

/// A read of the items of every page of one request.
pub type ItemsRead<E> = ReadJob<E, InOrder<<E as Paged>::Item>>;

/// A read of the items of every page of `request`, from its page on, kept in page order.
pub fn every_item<E: Paged + 'static>(request: E) -> ItemsRead<E> {
    ReadJob::new(vec![request], InOrder::default())
}

/// How far a read is.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadProgress {
    /// Pages (requests) answered.
    pub pages_done: usize,
    /// Pages known so far: grows as first pages tell their page counts.
    pub pages_known: usize,
    /// Items received.
    pub items: usize,
    /// The items the first pages announced (`pagination.totalCount`, summed).
    pub items_announced: usize,
    /// Retries the transport made.
    pub retries: u32,
    pub in_flight: usize,
    /// When the first and the latest answer arrived (the client's clock, ms).
    pub first_answer_ms: Option<f64>,
    pub last_answer_ms: Option<f64>,
}

impl ReadProgress {
    /// Pages answered per second since the first answer (so the first round trip does not count), once two arrived.
    pub fn pages_per_second(&self) -> Option<f64> {
        let (first, last) = (self.first_answer_ms?, self.last_answer_ms?);
        let seconds = (last - first) / 1000.0;
        (self.pages_done >= 2 && seconds > 0.0).then(|| (self.pages_done - 1) as f64 / seconds)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitState {
    Pending,
    InFlight,
    Done,
}

#[derive(Debug, Clone)]
struct Unit {
    request: usize,
    page: u32,
    first: bool,
    state: UnitState,
}

/// A read of one or more paged requests.
pub struct ReadJob<E, S> {
    requests: Vec<E>,
    units: Vec<Unit>,
    queue: VecDeque<usize>,
    state: ReadState,
    sink: S,
    progress: ReadProgress,
}

impl<E: Paged + 'static, S: PageSink<E>> ReadJob<E, S> {
    /// A read of `requests` (each from its own page on), answers to `sink`.
    pub fn new(requests: Vec<E>, sink: S) -> Self {
        let mut job = ReadJob {
            requests: Vec::new(),
            units: Vec::new(),
            queue: VecDeque::new(),
            state: ReadState::Running,
            sink,
            progress: ReadProgress::default(),
        };
        for request in requests {
            job.add(request);
        }
        job.finish_if_done();
        job
    }

    fn add(&mut self, request: E) {
        let page = request.page();
        self.requests.push(request);
        self.push_unit(self.requests.len() - 1, page, true);
    }

    fn push_unit(&mut self, request: usize, page: u32, first: bool) {
        self.units.push(Unit {
            request,
            page,
            first,
            state: UnitState::Pending,
        });
        self.queue.push_back(self.units.len() - 1);
        self.progress.pages_known += 1;
    }

    pub fn state(&self) -> &ReadState {
        &self.state
    }

    pub fn progress(&self) -> ReadProgress {
        self.progress
    }

    pub fn sink(&self) -> &S {
        &self.sink
    }

    pub fn sink_mut(&mut self) -> &mut S {
        &mut self.sink
    }

    /// The sink, once the read is over.
    pub fn into_sink(self) -> S {
        self.sink
    }

    /// Whether the read is still to finish (running or paused).
    pub fn is_open(&self) -> bool {
        matches!(self.state, ReadState::Running | ReadState::Paused)
    }

    pub fn pause(&mut self) {
        if self.state == ReadState::Running {
            self.state = ReadState::Paused;
        }
    }

    pub fn resume(&mut self) {
        if self.state == ReadState::Paused {
            self.state = ReadState::Running;
            self.finish_if_done();
        }
    }

    /// Stops for good (abort the runner to stop the requests in flight too).
    pub fn cancel(&mut self) {
        if self.is_open() {
            self.state = ReadState::Cancelled;
        }
    }

    fn finish_if_done(&mut self) {
        let open = self.units.iter().any(|u| u.state != UnitState::Done);
        if self.state == ReadState::Running && !open {
            self.state = ReadState::Done;
        }
    }
}

impl<E: Paged + 'static, S: PageSink<E>> Job for ReadJob<E, S> {
    type Request = E;

    fn claim(&mut self) -> Option<(usize, E)> {
        if self.state != ReadState::Running {
            return None;
        }
        let index = self.queue.pop_front()?;
        let unit = self.units.get_mut(index)?;
        unit.state = UnitState::InFlight;
        self.progress.in_flight += 1;
        let request = self.requests.get(unit.request)?.with_page(unit.page);
        Some((index, request))
    }

    fn settle(&mut self, index: usize, answer: Answer<Self>, now_ms: f64) {
        let Some(unit) = self.units.get_mut(index) else {
            return;
        };
        if unit.state != UnitState::InFlight {
            return;
        }
        self.progress.in_flight = self.progress.in_flight.saturating_sub(1);
        let (request, page, first) = (unit.request, unit.page, unit.first);
        match answer {
            Ok(response) => {
                unit.state = UnitState::Done;
                self.progress.pages_done += 1;
                self.progress.first_answer_ms.get_or_insert(now_ms);
                self.progress.last_answer_ms = Some(now_ms);
                let pagination = E::pagination(&response).clone();
                let count = E::item_count(&response);
                self.progress.items += count;
                if first {
                    self.progress.items_announced += pagination.total_count as usize;
                }
                let follow = self.sink.page(request, page, response);
                if first && self.is_open() {
                    if follow.rest_of_pages && count > 0 {
                        for p in page + 1..=pagination.total_page_count {
                            self.push_unit(request, p, false);
                        }
                    }
                    for more in follow.more {
                        self.add(more);
                    }
                }
            }
            Err(ApiError::Cancelled) => {
                // Aborted: read again on the next drive.
                unit.state = UnitState::Pending;
                self.queue.push_front(index);
            }
            Err(error) => {
                unit.state = UnitState::Done;
                if self.is_open() {
                    self.state = ReadState::Failed(error);
                }
            }
        }
        self.finish_if_done();
    }

    fn retrying(&mut self, _unit: usize) {
        self.progress.retries += 1;
    }
}
