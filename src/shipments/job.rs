//! The bulk shipment job: one order edit at a time, each row pending, sent or failed with the CRM's error, pause and
//! cancel, and the report as CSV.

use crate::api::order::{Order, OrderEditRequest};
use crate::api::ApiError;
use crate::sheet::csv::{CsvOptions, CsvWriter};

use super::validate::Shipment;

/// Where the job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Built, nothing sent yet.
    Ready,
    Running,
    /// Stopped between two orders; [`BulkJob::start`] goes on.
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
}

/// The bulk job over the rows that passed the checks. Times are passed in by the caller (no clock inside).
#[derive(Debug, Clone, PartialEq)]
pub struct BulkJob {
    rows: Vec<JobRow>,
    state: JobState,
    /// When the job last started running, and how many rows were finished then (for the rate).
    run_start: Option<(f64, usize)>,
}

/// The translated words of the report file.
#[derive(Debug, Clone, Copy)]
pub struct ReportLabels<'a> {
    /// line, order, site, shipped, warehouse, date, status, number (as the CRM returned it), error.
    pub header: [&'a str; 9],
    pub pending: &'a str,
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
        }
    }

    pub fn state(&self) -> JobState {
        self.state
    }

    pub fn rows(&self) -> &[JobRow] {
        &self.rows
    }

    /// Starts or resumes sending (from ready or paused; a finished or cancelled job stays as it is).
    pub fn start(&mut self, now_ms: f64) {
        if matches!(self.state, JobState::Ready | JobState::Paused) {
            self.state = JobState::Running;
            let c = self.counts();
            self.run_start = Some((now_ms, c.sent + c.failed));
            self.finish_if_done();
        }
    }

    /// Stops after the order being sent.
    pub fn pause(&mut self) {
        if self.state == JobState::Running {
            self.state = JobState::Paused;
        }
    }

    /// Stops for good; what was not sent stays pending.
    pub fn cancel(&mut self) {
        if !matches!(self.state, JobState::Done) {
            self.state = JobState::Cancelled;
        }
    }

    /// The next row to send while running: its index and request.
    pub fn next(&self) -> Option<(usize, OrderEditRequest)> {
        if self.state != JobState::Running {
            return None;
        }
        self.rows
            .iter()
            .position(|r| r.status == RowStatus::Pending)
            .map(|i| (i, self.rows[i].shipment.request()))
    }

    /// Records the CRM's acceptance of row `index`, with the order as it returned it.
    pub fn record_sent(&mut self, index: usize, order: Option<&Order>) {
        let number = order.and_then(|o| o.number.clone());
        self.record(index, RowStatus::Sent { number });
    }

    /// Records the refusal of row `index`.
    pub fn record_failed(&mut self, index: usize, error: String) {
        self.record(index, RowStatus::Failed { error });
    }

    fn record(&mut self, index: usize, status: RowStatus) {
        if let Some(row) = self.rows.get_mut(index) {
            row.status = status;
        }
        self.finish_if_done();
    }

    fn finish_if_done(&mut self) {
        if self.state == JobState::Running && self.counts().pending == 0 {
            self.state = JobState::Done;
        }
    }

    /// Puts failed rows back to pending and pauses, so [`BulkJob::start`] sends them again.
    pub fn retry_failed(&mut self) {
        let mut any = false;
        for row in &mut self.rows {
            if matches!(row.status, RowStatus::Failed { .. }) {
                row.status = RowStatus::Pending;
                any = true;
            }
        }
        if any && matches!(self.state, JobState::Done | JobState::Running) {
            self.state = JobState::Paused;
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
                RowStatus::Sent { .. } => c.sent += 1,
                RowStatus::Failed { .. } => c.failed += 1,
            }
        }
        c
    }

    /// Rows finished per second since the job last started, once at least one was.
    pub fn rate(&self, now_ms: f64) -> Option<f64> {
        let (start, done_then) = self.run_start?;
        let c = self.counts();
        let done = (c.sent + c.failed).saturating_sub(done_then);
        let seconds = (now_ms - start) / 1000.0;
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::order::{By, OrderShipment};

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
        sent: "sent",
        failed: "failed",
    };

    #[test]
    fn runs_pauses_resumes_and_reports() {
        let mut job = BulkJob::new(vec![
            shipment(2, "o-1"),
            shipment(3, "nope"),
            shipment(4, "=cmd"),
        ]);
        assert_eq!(job.state(), JobState::Ready);
        assert_eq!(job.next(), None, "nothing is sent before start");
        job.start(0.0);
        let Some((i, req)) = job.next() else {
            panic!("no next")
        };
        assert_eq!(
            (i, req.id.as_str(), req.site.as_deref()),
            (0, "o-1", Some("shop-a"))
        );
        job.record_sent(
            i,
            Some(&Order {
                number: Some("1001A".into()),
                ..Order::default()
            }),
        );
        job.pause();
        assert_eq!(job.next(), None);
        job.start(1000.0);
        let Some((i, _)) = job.next() else {
            panic!("no next")
        };
        job.record_failed(i, "Not found".into());
        assert_eq!(job.rate(1500.0), Some(2.0));
        job.cancel();
        assert_eq!(job.state(), JobState::Cancelled);
        assert_eq!(job.next(), None);
        assert_eq!(
            job.counts(),
            Counts {
                total: 3,
                sent: 1,
                failed: 1,
                pending: 1
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
        let refused = ApiError::Http {
            status: 400,
            error_msg: Some("Errors in the entity format".into()),
            errors: vec![crate::api::FieldError {
                field: Some("shipmentStore".into()),
                message: "Store with code 'x' does not exist.".into(),
            }],
        };
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
    fn finishes_and_retries_failed_rows() {
        let mut job = BulkJob::new(vec![shipment(2, "a"), shipment(3, "b")]);
        job.start(0.0);
        job.record_failed(0, "503".into());
        job.record_sent(1, None);
        assert_eq!(job.state(), JobState::Done);
        job.retry_failed();
        assert_eq!(job.state(), JobState::Paused);
        job.start(10.0);
        assert_eq!(job.next().map(|(i, _)| i), Some(0));
        job.record_sent(0, None);
        assert_eq!(job.state(), JobState::Done);
        // Late or stale calls never panic.
        job.record_sent(99, None);
        assert_eq!(BulkJob::new(Vec::new()).state(), JobState::Done);
    }
}
