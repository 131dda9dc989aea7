//! The upload job: a serialisable state machine over the chunk plan that survives a page reload, with progress and a per-offer report.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::offer::{KeyKind, OfferKey};
use super::plan::{Chunk, Plan};
use super::wire::{not_found_keys, upload_request};
use crate::api::inventory::InventoriesUploadRequest;
use crate::api::ApiError;
use crate::runner::{Answer, Job};
use crate::sheet::csv::{CsvOptions, CsvWriter};

/// Where the job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    Planned,
    Running,
    Paused,
    Done,
    /// Every chunk was tried and some failed ([`UploadJob::retry_failed`] tries them again).
    Failed,
    Cancelled,
}

/// Where one chunk is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum ChunkStatus {
    Pending,
    /// Handed to the transport; `attempt` counts from 1 over the chunk's whole life.
    Sending {
        attempt: u32,
    },
    /// The CRM answered: its `processedOffersCount` and `notFoundOffers`.
    #[serde(rename_all = "camelCase")]
    Done {
        processed: u64,
        not_found: Vec<OfferKey>,
    },
    /// The transport gave up: the CRM's error (or the transport's), and whether trying again may help.
    Failed {
        error: String,
        retryable: bool,
    },
}

/// A chunk of the plan and its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobChunk {
    pub chunk: Chunk,
    pub status: ChunkStatus,
    pub attempts: u32,
}

/// Why a job method refused (a late or stale call from the UI; never a panic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobError {
    UnknownChunk,
    NotSending,
}

/// Progress figures. Times in milliseconds are passed in by the caller (no clock inside).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub offers_total: usize,
    /// Offers of answered chunks (processed or not found).
    pub offers_done: usize,
    pub offers_failed: usize,
    pub chunks_total: usize,
    pub chunks_done: usize,
    pub chunks_failed: usize,
    pub chunks_in_flight: usize,
    /// Sum of the CRM's `processedOffersCount`.
    pub processed: u64,
    pub not_found: usize,
    pub retries: u32,
    /// Offers per second since the job last (re)started running.
    pub rate: Option<f64>,
    /// Seconds left at that rate.
    pub eta_seconds: Option<f64>,
}

/// What happened to one offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum Outcome {
    Processed,
    NotFound,
    Failed { error: String },
    NotSent,
}

impl Outcome {
    /// A stable code for the report file.
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Processed => "processed",
            Outcome::NotFound => "not_found",
            Outcome::Failed { .. } => "failed",
            Outcome::NotSent => "not_sent",
        }
    }
}

/// One offer of the per-offer report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferOutcome {
    pub key: OfferKey,
    pub line: usize,
    pub site: Option<String>,
    pub outcome: Outcome,
}

/// The upload job. Store it as JSON after every change; after a reload, deserialise and call
/// [`UploadJob::recover`], then offer to resume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadJob {
    pub state: JobState,
    pub chunks: Vec<JobChunk>,
    pub skipped_offers: usize,
    /// Rows of the file left out for their problems.
    #[serde(default)]
    pub rows_skipped: usize,
    pub retries: u32,
    /// When the current running stretch began, and how many offers were done then (for the rate).
    run_started_ms: Option<f64>,
    offers_done_at_run_start: usize,
}

impl UploadJob {
    pub fn new(plan: Plan) -> Self {
        UploadJob {
            state: JobState::Planned,
            chunks: plan
                .chunks
                .into_iter()
                .map(|chunk| JobChunk {
                    chunk,
                    status: ChunkStatus::Pending,
                    attempts: 0,
                })
                .collect(),
            skipped_offers: plan.skipped_offers,
            rows_skipped: 0,
            retries: 0,
            run_started_ms: None,
            offers_done_at_run_start: 0,
        }
    }

    /// A job put back together from storage (see `saved_job`); call [`UploadJob::recover`] next.
    pub fn restored(
        state: JobState,
        chunks: Vec<JobChunk>,
        skipped_offers: usize,
        retries: u32,
    ) -> Self {
        UploadJob {
            state,
            chunks,
            skipped_offers,
            rows_skipped: 0,
            retries,
            run_started_ms: None,
            offers_done_at_run_start: 0,
        }
    }

    /// Whether the job is still to finish (planned, running or paused).
    pub fn is_open(&self) -> bool {
        matches!(
            self.state,
            JobState::Planned | JobState::Running | JobState::Paused
        )
    }

    fn offers_done(&self) -> usize {
        self.chunks
            .iter()
            .filter(|c| matches!(c.status, ChunkStatus::Done { .. }))
            .map(|c| c.chunk.items.len())
            .sum()
    }

    fn start_run(&mut self, now_ms: f64) {
        self.state = JobState::Running;
        self.run_started_ms = Some(now_ms);
        self.offers_done_at_run_start = self.offers_done();
        self.finish_if_settled();
    }

    /// Starts a planned or paused job (also: "resume").
    pub fn resume(&mut self, now_ms: f64) {
        if matches!(self.state, JobState::Planned | JobState::Paused) {
            self.start_run(now_ms);
        }
    }

    /// Stops handing out chunks; those in flight still report back.
    pub fn pause(&mut self) {
        if self.state == JobState::Running {
            self.state = JobState::Paused;
            self.run_started_ms = None;
        }
    }

    /// Stops the job for good; results of chunks in flight are still recorded.
    pub fn cancel(&mut self) {
        if !matches!(self.state, JobState::Done | JobState::Cancelled) {
            self.state = JobState::Cancelled;
            self.run_started_ms = None;
        }
    }

    /// The next chunk to send, marked sending; `None` unless running with chunks pending.
    /// Call repeatedly to keep several requests in flight.
    pub fn next_chunk(&mut self) -> Option<usize> {
        if self.state != JobState::Running {
            return None;
        }
        let (index, chunk) = self
            .chunks
            .iter_mut()
            .enumerate()
            .find(|(_, c)| c.status == ChunkStatus::Pending)?;
        chunk.attempts += 1;
        chunk.status = ChunkStatus::Sending {
            attempt: chunk.attempts,
        };
        Some(index)
    }

    fn sending(&mut self, index: usize) -> Result<&mut JobChunk, JobError> {
        let chunk = self.chunks.get_mut(index).ok_or(JobError::UnknownChunk)?;
        match chunk.status {
            ChunkStatus::Sending { .. } => Ok(chunk),
            _ => Err(JobError::NotSending),
        }
    }

    /// The transport is trying the chunk again (503, 429, network error).
    pub fn mark_retrying(&mut self, index: usize) -> Result<(), JobError> {
        let chunk = self.sending(index)?;
        chunk.attempts += 1;
        chunk.status = ChunkStatus::Sending {
            attempt: chunk.attempts,
        };
        self.retries += 1;
        Ok(())
    }

    /// The CRM accepted the chunk.
    pub fn mark_sent(
        &mut self,
        index: usize,
        processed: u64,
        not_found: Vec<OfferKey>,
    ) -> Result<(), JobError> {
        self.sending(index)?.status = ChunkStatus::Done {
            processed,
            not_found,
        };
        self.finish_if_settled();
        Ok(())
    }

    /// The transport gave up on the chunk.
    pub fn mark_failed(
        &mut self,
        index: usize,
        error: String,
        retryable: bool,
    ) -> Result<(), JobError> {
        self.sending(index)?.status = ChunkStatus::Failed { error, retryable };
        self.finish_if_settled();
        Ok(())
    }

    /// Running or paused with nothing pending or in flight: done, or failed if a chunk failed.
    fn finish_if_settled(&mut self) {
        if !matches!(self.state, JobState::Running | JobState::Paused) {
            return;
        }
        let open = self
            .chunks
            .iter()
            .any(|c| matches!(c.status, ChunkStatus::Pending | ChunkStatus::Sending { .. }));
        if !open {
            let failed = self
                .chunks
                .iter()
                .any(|c| matches!(c.status, ChunkStatus::Failed { .. }));
            self.state = if failed {
                JobState::Failed
            } else {
                JobState::Done
            };
            self.run_started_ms = None;
        }
    }

    /// Puts the failed chunks back to pending and runs again; returns how many.
    pub fn retry_failed(&mut self, now_ms: f64) -> usize {
        if self.state == JobState::Cancelled {
            return 0;
        }
        let mut count = 0;
        for c in &mut self.chunks {
            if matches!(c.status, ChunkStatus::Failed { .. }) {
                c.status = ChunkStatus::Pending;
                count += 1;
            }
        }
        if count > 0 {
            self.start_run(now_ms);
        }
        count
    }

    /// Puts a chunk in flight back to pending (its request was aborted: it may or may not have reached the CRM,
    /// and sending it again sets the same values).
    fn put_back(&mut self, index: usize) {
        if let Ok(chunk) = self.sending(index) {
            chunk.status = ChunkStatus::Pending;
        }
    }

    /// After a reload: chunks that were in flight go back to pending (an upload sets absolute
    /// values, so sending one again is harmless), and a running job becomes paused so the user
    /// chooses to resume.
    pub fn recover(&mut self) {
        for c in &mut self.chunks {
            if matches!(c.status, ChunkStatus::Sending { .. }) {
                c.status = ChunkStatus::Pending;
            }
        }
        if self.state == JobState::Running {
            self.state = JobState::Paused;
        }
        self.run_started_ms = None;
    }

    pub fn progress(&self, now_ms: f64) -> Progress {
        let mut p = Progress {
            chunks_total: self.chunks.len(),
            retries: self.retries,
            ..Progress::default()
        };
        for c in &self.chunks {
            let n = c.chunk.items.len();
            p.offers_total += n;
            match &c.status {
                ChunkStatus::Pending => {}
                ChunkStatus::Sending { .. } => p.chunks_in_flight += 1,
                ChunkStatus::Done {
                    processed,
                    not_found,
                } => {
                    p.chunks_done += 1;
                    p.offers_done += n;
                    p.processed += processed;
                    p.not_found += not_found.len();
                }
                ChunkStatus::Failed { .. } => {
                    p.chunks_failed += 1;
                    p.offers_failed += n;
                }
            }
        }
        if let Some(started) = self.run_started_ms {
            let seconds = (now_ms - started) / 1000.0;
            let done = p.offers_done.saturating_sub(self.offers_done_at_run_start);
            if seconds > 0.0 && done > 0 {
                let rate = done as f64 / seconds;
                let left = p
                    .offers_total
                    .saturating_sub(p.offers_done + p.offers_failed);
                p.rate = Some(rate);
                p.eta_seconds = Some(left as f64 / rate);
            }
        }
        p
    }

    /// Every planned offer with what happened to it, in plan order; made one at a time (a large
    /// job's full report is never held at once unless collected).
    pub fn report(&self) -> impl Iterator<Item = OfferOutcome> + '_ {
        self.chunks.iter().flat_map(|c| {
            let not_found: HashSet<&OfferKey> = match &c.status {
                ChunkStatus::Done { not_found, .. } => not_found.iter().collect(),
                _ => HashSet::new(),
            };
            c.chunk.items.iter().enumerate().map(move |(i, item)| {
                let outcome = match &c.status {
                    ChunkStatus::Done { .. } if not_found.contains(&item.key) => Outcome::NotFound,
                    ChunkStatus::Done { .. } => Outcome::Processed,
                    ChunkStatus::Failed { error, .. } => Outcome::Failed {
                        error: error.clone(),
                    },
                    ChunkStatus::Pending | ChunkStatus::Sending { .. } => Outcome::NotSent,
                };
                OfferOutcome {
                    key: item.key.clone(),
                    line: c.chunk.lines.get(i).copied().unwrap_or(0),
                    site: c.chunk.site.clone(),
                    outcome,
                }
            })
        })
    }

    /// The report as CSV: `line,externalId,xmlId,id,site,outcome,error`.
    pub fn report_csv(&self, options: CsvOptions) -> String {
        let mut w = CsvWriter::new(options);
        let mut header = vec!["line"];
        header.extend(KeyKind::ALL.map(KeyKind::wire_name));
        header.extend(["site", "outcome", "error"]);
        w.row(header);
        for o in self.report() {
            let [external_id, xml_id, id] = o.key.as_cells();
            let error = match &o.outcome {
                Outcome::Failed { error } => error.as_str(),
                _ => "",
            };
            w.row([
                o.line.to_string().as_str(),
                &external_id,
                &xml_id,
                &id,
                o.site.as_deref().unwrap_or(""),
                o.outcome.code(),
                error,
            ]);
        }
        w.finish()
    }
}

impl Job for UploadJob {
    type Request = InventoriesUploadRequest;

    /// The next pending chunk as its upload request, marked sending. A chunk that cannot be put into a request
    /// (an id beyond the API's range) fails at once without being sent.
    fn claim(&mut self) -> Option<(usize, InventoriesUploadRequest)> {
        loop {
            let index = self.next_chunk()?;
            let request = self.chunks.get(index).map(|c| upload_request(&c.chunk));
            match request {
                Some(Ok(request)) => return Some((index, request)),
                Some(Err(error)) => {
                    let _ = self.mark_failed(index, error.report_text(), false);
                }
                None => return None,
            }
        }
    }

    fn settle(&mut self, index: usize, answer: Answer<Self>, _now_ms: f64) {
        let _ = match answer {
            Ok(resp) => {
                let not_found = self
                    .chunks
                    .get(index)
                    .map(|c| not_found_keys(&c.chunk, &resp.not_found_offers))
                    .unwrap_or_default();
                let processed = resp
                    .processed_offers_count
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(0);
                self.mark_sent(index, processed, not_found)
            }
            Err(ApiError::Cancelled) => {
                self.put_back(index);
                Ok(())
            }
            Err(error) => self.mark_failed(index, error.report_text(), error.is_transient()),
        };
    }

    fn retrying(&mut self, index: usize) {
        let _ = self.mark_retrying(index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::offer::{OfferStock, StoreValue};
    use crate::upload::plan::{plan_upload, PlanLimits};

    fn job(offers: usize, per_chunk: usize) -> UploadJob {
        let offers: Vec<OfferStock> = (0..offers)
            .map(|i| OfferStock {
                key: OfferKey::ExternalId(format!("o{i}")),
                site: None,
                line: i + 2,
                stores: vec![StoreValue {
                    code: "main".into(),
                    quantity: Some(1.0),
                    purchase_price: None,
                }],
            })
            .collect();
        UploadJob::new(plan_upload(
            &offers,
            PlanLimits {
                max_offers: per_chunk,
                ..PlanLimits::default()
            },
        ))
    }

    #[test]
    fn runs_to_done_with_progress_rate_and_eta() {
        let mut j = job(10, 2);
        assert_eq!(j.state, JobState::Planned);
        assert_eq!(j.next_chunk(), None, "not started");
        j.resume(0.0);
        assert_eq!(j.next_chunk(), Some(0));
        assert_eq!(j.next_chunk(), Some(1), "several in flight");
        assert_eq!(j.mark_retrying(1), Ok(()));
        assert_eq!(j.chunks[1].status, ChunkStatus::Sending { attempt: 2 });
        assert_eq!(j.mark_sent(0, 2, vec![]), Ok(()));
        assert_eq!(j.mark_sent(0, 2, vec![]), Err(JobError::NotSending));
        assert_eq!(j.mark_sent(99, 2, vec![]), Err(JobError::UnknownChunk));
        assert_eq!(
            j.mark_sent(1, 1, vec![OfferKey::ExternalId("o3".into())]),
            Ok(())
        );
        let p = j.progress(2000.0);
        assert_eq!(
            (p.offers_done, p.offers_total, p.chunks_done, p.chunks_total),
            (4, 10, 2, 5)
        );
        assert_eq!((p.processed, p.not_found, p.retries), (3, 1, 1));
        assert_eq!(p.rate, Some(2.0));
        assert_eq!(p.eta_seconds, Some(3.0));
        while let Some(i) = j.next_chunk() {
            assert_eq!(j.mark_sent(i, 2, vec![]), Ok(()));
        }
        assert_eq!(j.state, JobState::Done);
        let report: Vec<_> = j.report().collect();
        assert_eq!(report.len(), 10);
        assert_eq!(report[3].outcome, Outcome::NotFound);
        assert_eq!(report[3].line, 5);
        assert_eq!(report[2].outcome, Outcome::Processed);
    }

    #[test]
    fn a_refused_chunk_keeps_the_crms_field_errors_and_an_aborted_one_goes_back() {
        use crate::api::FieldError;
        let mut j = job(3, 2);
        j.resume(0.0);
        let (a, _) = Job::claim(&mut j).unwrap();
        let (b, _) = Job::claim(&mut j).unwrap();
        let refusal = ApiError::Api {
            status: 200,
            error_msg: Some("Errors in the entity format".into()),
            errors: vec![FieldError {
                field: Some("offers[0].stores[0].code".into()),
                message: "Store with code ghost not found".into(),
            }],
        };
        Job::settle(&mut j, a, Err(refusal), 1.0);
        let ChunkStatus::Failed { error, retryable } = &j.chunks[a].status else {
            panic!("failed")
        };
        assert_eq!(
            error,
            "Errors in the entity format; offers[0].stores[0].code: Store with code ghost not found"
        );
        assert!(!retryable);
        let report: Vec<OfferOutcome> = j.report().collect();
        assert!(matches!(&report[0].outcome, Outcome::Failed { error } if error.contains("ghost")));
        // Aborted in flight: pending again, sent on the next drive.
        Job::settle(&mut j, b, Err(ApiError::Cancelled), 2.0);
        assert_eq!(j.chunks[b].status, ChunkStatus::Pending);
        assert_eq!(Job::claim(&mut j).map(|(i, _)| i), Some(b));
    }

    #[test]
    fn failures_pause_cancel_and_retry_failed_only() {
        let mut j = job(6, 2);
        j.resume(0.0);
        let a = j.next_chunk().unwrap_or(99);
        let b = j.next_chunk().unwrap_or(99);
        assert_eq!(j.mark_failed(a, "Upstream: 500".into(), true), Ok(()));
        j.pause();
        assert_eq!(j.next_chunk(), None, "paused");
        assert_eq!(j.mark_sent(b, 2, vec![]), Ok(()), "in flight still reports");
        j.resume(10.0);
        let c = j.next_chunk().unwrap_or(99);
        assert_eq!(j.mark_sent(c, 2, vec![]), Ok(()));
        assert_eq!(j.state, JobState::Failed);
        let csv = j.report_csv(CsvOptions {
            bom: false,
            ..CsvOptions::default()
        });
        assert!(csv.starts_with(
            "line,externalId,xmlId,id,site,outcome,error\r\n2,o0,,,,failed,Upstream: 500\r\n"
        ));
        assert_eq!(j.retry_failed(20.0), 1);
        assert_eq!(j.state, JobState::Running);
        assert_eq!(j.next_chunk(), Some(a), "only the failed chunk again");
        assert_eq!(j.chunks[a].status, ChunkStatus::Sending { attempt: 2 });
        assert_eq!(j.next_chunk(), None);
        j.cancel();
        assert_eq!(j.state, JobState::Cancelled);
        assert_eq!(
            j.mark_sent(a, 2, vec![]),
            Ok(()),
            "a late answer is still recorded"
        );
        assert_eq!(j.state, JobState::Cancelled);
        assert_eq!(j.retry_failed(30.0), 0);
    }

    #[test]
    fn json_round_trip_and_resume_after_reload() {
        let mut j = job(7, 2);
        j.resume(0.0);
        let first = j.next_chunk().unwrap_or(99);
        assert_eq!(
            j.mark_sent(first, 2, vec![OfferKey::ExternalId("o1".into())]),
            Ok(())
        );
        let in_flight = j.next_chunk().unwrap_or(99);
        // The page dies here: only the stored JSON survives.
        let stored = serde_json::to_string(&j).unwrap_or_default();
        let restored: Option<UploadJob> = serde_json::from_str(&stored).ok();
        assert_eq!(restored.as_ref(), Some(&j), "lossless round trip");
        let Some(mut j) = restored else { return };
        j.recover();
        assert_eq!(j.state, JobState::Paused);
        assert_eq!(j.chunks[in_flight].status, ChunkStatus::Pending);
        j.resume(5000.0);
        let mut sent = Vec::new();
        while let Some(i) = j.next_chunk() {
            sent.push(i);
            assert_eq!(j.mark_sent(i, 2, vec![]), Ok(()));
        }
        assert_eq!(sent, vec![1, 2, 3], "the done chunk is not sent again");
        assert_eq!(j.state, JobState::Done);
        let p = j.progress(6000.0);
        assert_eq!((p.offers_done, p.not_found, p.rate), (7, 1, None));
    }
}
