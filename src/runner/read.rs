//! Paged and batched reads as a runner [`Job`]: each request walked to its last page, pages fetched side by side
//! once the first page has told how many there are, every answer handed to a [`PageSink`] as it arrives.

use std::collections::VecDeque;

use crate::api::{ApiError, Paged};

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

/// How far a read is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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

    fn settle(&mut self, index: usize, answer: Answer<Self>, _now_ms: f64) {
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
