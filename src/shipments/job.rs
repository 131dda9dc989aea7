//! The bulk shipment job on the one runner: each order claimed when handed out, settled once, never sent again after
//! it succeeded; pause, resume, cancel, retry the failed rows; the "no warehouse system" refusal; the report as CSV.

use crate::api::order::{Order, OrderEditRequest};
use crate::api::ApiError;
use crate::runner::{Answer, Job};
use crate::sheet::csv::{CsvOptions, CsvWriter};

use super::refusal::is_no_warehouse_system;
use super::validate::Shipment;

/// Where the job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Built, nothing sent yet.
    Ready,
    Running,
    /// Nothing new is sent (orders already on their way are still recorded); [`BulkJob::start`] goes on.
    Paused,
    /// Every row was tried.
    Done,
    /// Stopped for good; rows not sent stay pending in the report.
    Cancelled,
}

/// Where one row is.
#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    Pending,
    /// Handed out: its edit request is on its way (claimed, not answered yet).
    Sending,
    /// The CRM accepted the edit; the order number it returned.
    Sent {
        number: Option<String>,
    },
    /// The CRM (or the transport, after its retries) refused: the error as text, the CRM's own words included.
    Failed {
        error: String,
    },
}

/// A row of the job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRow {
    pub shipment: Shipment,
    pub status: RowStatus,
}

/// How many rows are where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub sent: usize,
    pub failed: usize,
    pub pending: usize,
    pub sending: usize,
}

/// The bulk job over the rows that passed the checks. Times are passed in by the caller (no clock inside).
#[derive(Debug, Clone, PartialEq)]
pub struct BulkJob {
    rows: Vec<JobRow>,
    state: JobState,
    /// When the job last started running, and how many rows were finished then (for the rate).
    run_start: Option<(f64, usize)>,
    /// When the last answer came.
    last_answer_ms: Option<f64>,
    /// The CRM's refusal of `shipped` for want of a warehouse system, which paused the job.
    refusal: Option<ApiError>,
}

/// The translated words of the report file.
#[derive(Debug, Clone, Copy)]
pub struct ReportLabels<'a> {
    /// line, order, site, shipped, warehouse, date, status, number (as the CRM returned it), error.
    pub header: [&'a str; 9],
    pub pending: &'a str,
    pub sending: &'a str,
    pub sent: &'a str,
    pub failed: &'a str,
}

/// A refusal as the report keeps it: the CRM's own `errorMsg` and field errors when it sent them, else the
/// transport's description (network, rate limit after the retries).
pub fn failure_text(error: &ApiError) -> String {
    let mut parts: Vec<String> = error.error_msg().map(str::to_string).into_iter().collect();
    parts.extend(error.errors().iter().map(|e| match &e.field {
        Some(field) => format!("{field}: {}", e.message),
        None => e.message.clone(),
    }));
    if parts.is_empty() {
        error.description()
    } else {
        parts.join("; ")
    }
}

impl BulkJob {
    pub fn new(shipments: Vec<Shipment>) -> Self {
        let rows = shipments
            .into_iter()
            .map(|shipment| JobRow {
                shipment,
                status: RowStatus::Pending,
            })
            .collect::<Vec<_>>();
        let state = if rows.is_empty() {
            JobState::Done
        } else {
            JobState::Ready
        };
        BulkJob {
            rows,
            state,
            run_start: None,
            last_answer_ms: None,
            refusal: None,
        }
    }

    pub fn state(&self) -> JobState {
        self.state
    }

    pub fn rows(&self) -> &[JobRow] {
        &self.rows
    }

    /// The refusal that paused the job ("no warehouse system"), until it is resumed.
    pub fn refusal(&self) -> Option<&ApiError> {
        self.refusal.as_ref()
    }

    /// Starts or resumes sending (from ready or paused; a finished or cancelled job stays as it is).
    pub fn start(&mut self, now_ms: f64) {
        if matches!(self.state, JobState::Ready | JobState::Paused) {
            self.state = JobState::Running;
            self.refusal = None;
            let c = self.counts();
            self.run_start = Some((now_ms, c.sent + c.failed));
            self.last_answer_ms = None;
            self.finish_if_done();
        }
    }

    /// Sends nothing new; the orders on their way are still recorded when they are answered.
    pub fn pause(&mut self) {
        if self.state == JobState::Running {
            self.state = JobState::Paused;
        }
    }

    /// Stops for good: nothing new is sent and what was not sent stays pending; the orders on their way are still
    /// recorded when they are answered (the CRM may already have applied them, so the report says what it holds).
    pub fn cancel(&mut self) {
        if self.state != JobState::Done {
            self.state = JobState::Cancelled;
        }
    }

    /// Puts the failed rows back to pending and sends them (the rows sent are never sent again).
    pub fn retry_failed(&mut self, now_ms: f64) {
        if !matches!(self.state, JobState::Done | JobState::Paused) {
            return;
        }
        let mut any = false;
        for row in &mut self.rows {
            if matches!(row.status, RowStatus::Failed { .. }) {
                row.status = RowStatus::Pending;
                any = true;
            }
        }
        if any {
            self.state = JobState::Paused;
            self.start(now_ms);
        }
    }

    fn finish_if_done(&mut self) {
        let c = self.counts();
        if matches!(self.state, JobState::Running | JobState::Paused)
            && c.pending == 0
            && c.sending == 0
        {
            self.state = JobState::Done;
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            total: self.rows.len(),
            ..Counts::default()
        };
        for row in &self.rows {
            match row.status {
                RowStatus::Pending => c.pending += 1,
                RowStatus::Sending => c.sending += 1,
                RowStatus::Sent { .. } => c.sent += 1,
                RowStatus::Failed { .. } => c.failed += 1,
            }
        }
        c
    }

    /// Rows finished per second between the last start and the last answer, once at least one was.
    pub fn rate(&self) -> Option<f64> {
        let (start, done_then) = self.run_start?;
        let c = self.counts();
        let done = (c.sent + c.failed).saturating_sub(done_then);
        let seconds = (self.last_answer_ms? - start) / 1000.0;
        (done > 0 && seconds > 0.0).then(|| done as f64 / seconds)
    }

    /// The report: one line per row with what was asked, its status, the order number the CRM returned, the error.
    pub fn report_csv(&self, labels: &ReportLabels<'_>) -> String {
        let mut csv = CsvWriter::new(CsvOptions::default());
        csv.row(labels.header);
        for row in &self.rows {
            let s = &row.shipment;
            let (status, number, error) = match &row.status {
                RowStatus::Pending => (labels.pending, String::new(), String::new()),
                RowStatus::Sending => (labels.sending, String::new(), String::new()),
                RowStatus::Sent { number } => (
                    labels.sent,
                    number.clone().unwrap_or_default(),
                    String::new(),
                ),
                RowStatus::Failed { error } => (labels.failed, String::new(), error.clone()),
            };
            csv.row([
                s.line.to_string(),
                s.key.clone(),
                s.site.clone().unwrap_or_default(),
                s.order.shipped.map(|b| b.to_string()).unwrap_or_default(),
                s.order.shipment_store.clone().unwrap_or_default(),
                s.order.shipment_date.clone().unwrap_or_default(),
                status.to_string(),
                number,
                error,
            ]);
        }
        csv.finish()
    }

    fn record(&mut self, index: usize, status: RowStatus) {
        if let Some(row) = self.rows.get_mut(index) {
            row.status = status;
        }
    }

    fn record_sent(&mut self, index: usize, order: Option<&Order>) {
        let number = order.and_then(|o| o.number.clone());
        self.record(index, RowStatus::Sent { number });
    }
}

impl Job for BulkJob {
    type Request = OrderEditRequest;

    /// The first pending row while running, marked as being sent.
    fn claim(&mut self) -> Option<(usize, OrderEditRequest)> {
        if self.state != JobState::Running {
            return None;
        }
        let index = self
            .rows
            .iter()
            .position(|r| r.status == RowStatus::Pending)?;
        let row = &mut self.rows[index];
        row.status = RowStatus::Sending;
        Some((index, row.shipment.request()))
    }

    /// Records the answer of a row being sent (any other row is left alone): sent, failed, back to pending when
    /// aborted, or back to pending with the job paused when the CRM refuses `shipped` for want of a warehouse
    /// system (every row would be refused the same way).
    fn settle(&mut self, unit: usize, answer: Answer<Self>, now_ms: f64) {
        if self.rows.get(unit).map(|r| &r.status) != Some(&RowStatus::Sending) {
            return;
        }
        self.last_answer_ms = Some(now_ms);
        match answer {
            Ok(answer) => self.record_sent(unit, answer.order.as_ref()),
            Err(ApiError::Cancelled) => self.record(unit, RowStatus::Pending),
            Err(error) if is_no_warehouse_system(&error) => {
                self.record(unit, RowStatus::Pending);
                self.pause();
                self.refusal = Some(error);
            }
            Err(error) => self.record(
                unit,
                RowStatus::Failed {
                    error: failure_text(&error),
                },
            ),
        }
        self.finish_if_done();
    }
}

#[cfg(test)]
mod tests;
