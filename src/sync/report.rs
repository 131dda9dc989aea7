//! The report file of a run (`--report PATH.csv|.json`): every offer with what happened to it (or, for a dry run,
//! how it compares with the CRM), and in JSON the run's figures too.

use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};

use crate::sheet::csv::{CsvOptions, CsvWriter};
use crate::upload::diff::{Change, Diff};
use crate::upload::job::{OfferOutcome, Outcome, Progress, UploadJob};
use crate::upload::offer::{KeyKind, OfferKey};

/// The report's format, by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Csv,
    Json,
}

impl ReportFormat {
    /// `.csv` or `.json` (any case); `None` for anything else.
    pub fn of(path: &Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(ReportFormat::Csv),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }
}

/// What the run was and how it went, besides the offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunFacts {
    pub file: String,
    pub account: String,
    pub site: Option<String>,
    pub dry_run: bool,
    pub only_changed: bool,
    pub resumed: bool,
    pub exit_code: i32,
    pub seconds: f64,
    pub traffic: Traffic,
}

/// The requests the run sent (the connection check included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Traffic {
    /// Responses received (each attempt counts).
    pub requests: u32,
    /// Of them, the CRM's "too many requests" (503 or 429), each retried.
    pub rate_limited: u32,
    /// Attempts that got no response (retried).
    pub network_retries: u32,
}

/// The key as the JSON report writes it: `"externalId": "x"`.
fn key_fields(key: &OfferKey) -> (&'static str, Value) {
    match key {
        OfferKey::Id(id) => (KeyKind::Id.wire_name(), json!(id)),
        OfferKey::ExternalId(k) | OfferKey::XmlId(k) => (key.kind().wire_name(), json!(k)),
    }
}

fn offer_json(o: &OfferOutcome) -> Value {
    let (kind, key) = key_fields(&o.key);
    let mut value = json!({"line": o.line, kind: key, "site": o.site, "outcome": o.outcome.code()});
    if let Outcome::Failed { error } = &o.outcome {
        value["error"] = json!(error);
    }
    value
}

/// The report of an upload job.
pub fn upload_report(
    format: ReportFormat,
    facts: &RunFacts,
    job: &UploadJob,
    progress: &Progress,
) -> String {
    match format {
        ReportFormat::Csv => job.report_csv(CsvOptions::default()),
        ReportFormat::Json => {
            let offers: Vec<Value> = job.report().map(|o| offer_json(&o)).collect();
            let body =
                json!({"run": facts, "state": job.state, "progress": progress, "offers": offers});
            serde_json::to_string_pretty(&body).unwrap_or_default()
        }
    }
}

fn change_code(change: Change) -> &'static str {
    match change {
        Change::Changed => "changed",
        Change::Unchanged => "unchanged",
        Change::NotInCrm => "not_in_crm",
    }
}

/// The report of a dry run: every offer of the file with how it compares (`changed`, `unchanged`, `not_in_crm`).
pub fn dry_run_report(format: ReportFormat, facts: &RunFacts, diff: &Diff) -> String {
    match format {
        ReportFormat::Csv => {
            let mut w = CsvWriter::new(CsvOptions::default());
            let [external_id, xml_id, id] = KeyKind::ALL.map(KeyKind::wire_name);
            w.row(["line", external_id, xml_id, id, "site", "change"]);
            for o in &diff.offers {
                let mut row = vec![o.line.to_string()];
                row.extend(o.key.as_cells());
                row.extend([
                    o.site.clone().unwrap_or_default(),
                    change_code(o.change).to_string(),
                ]);
                w.row(row);
            }
            w.finish()
        }
        ReportFormat::Json => {
            let offers: Vec<Value> = diff
                .offers
                .iter()
                .map(|o| {
                    let (kind, key) = key_fields(&o.key);
                    json!({"line": o.line, kind: key, "site": o.site, "change": change_code(o.change), "stores": o.stores})
                })
                .collect();
            let body = json!({"run": facts, "counts": diff.counts(), "totals": diff.totals(), "offers": offers});
            serde_json::to_string_pretty(&body).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::diff::{diff, CurrentStock};
    use crate::upload::offer::{CurrentOffer, OfferStock, StoreValue};
    use crate::upload::plan::{plan_upload, PlanLimits};

    fn offers() -> Vec<OfferStock> {
        ["a", "b"]
            .iter()
            .enumerate()
            .map(|(i, k)| OfferStock {
                key: OfferKey::ExternalId(k.to_string()),
                site: Some("shop-a".into()),
                line: i + 2,
                stores: vec![StoreValue {
                    code: "main".into(),
                    quantity: Some(5.0),
                    purchase_price: None,
                }],
            })
            .collect()
    }

    fn facts() -> RunFacts {
        RunFacts {
            file: "stock.csv".into(),
            account: "https://a.retailcrm.ru".into(),
            site: None,
            dry_run: false,
            only_changed: false,
            resumed: false,
            exit_code: 2,
            seconds: 1.5,
            traffic: Traffic {
                requests: 5,
                rate_limited: 1,
                network_retries: 0,
            },
        }
    }

    #[test]
    fn the_upload_report_lists_every_offer_with_its_outcome() {
        let mut job = UploadJob::new(plan_upload(&offers(), PlanLimits::default()));
        job.resume(0.0);
        let chunk = job.next_chunk().unwrap_or(99);
        assert_eq!(
            job.mark_sent(chunk, 1, vec![OfferKey::ExternalId("b".into())]),
            Ok(())
        );
        let progress = job.progress(10.0);
        let text = upload_report(ReportFormat::Json, &facts(), &job, &progress);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["run"]["exitCode"], 2);
        assert_eq!(value["run"]["traffic"]["rateLimited"], 1);
        assert_eq!(value["state"], "done");
        assert_eq!(value["progress"]["notFound"], 1);
        assert_eq!(
            value["offers"],
            json!([
                {"line": 2, "externalId": "a", "site": "shop-a", "outcome": "processed"},
                {"line": 3, "externalId": "b", "site": "shop-a", "outcome": "not_found"}
            ])
        );
        let csv = upload_report(ReportFormat::Csv, &facts(), &job, &progress);
        assert!(csv.contains("3,b,,,shop-a,not_found,"), "{csv}");
        assert_eq!(
            ReportFormat::of(Path::new("r.JSON")),
            Some(ReportFormat::Json)
        );
        assert_eq!(
            ReportFormat::of(Path::new("r.csv")),
            Some(ReportFormat::Csv)
        );
        assert_eq!(ReportFormat::of(Path::new("r.txt")), None);
    }

    #[test]
    fn the_dry_run_report_lists_every_offer_with_its_change() {
        let current = CurrentStock::new(vec![CurrentOffer {
            id: 1,
            external_id: Some("a".into()),
            xml_id: None,
            site: Some("shop-a".into()),
            stores: vec![],
        }]);
        let d = diff(&offers(), &current);
        let csv = dry_run_report(ReportFormat::Csv, &facts(), &d);
        assert!(csv.ends_with("line,externalId,xmlId,id,site,change\r\n2,a,,,shop-a,changed\r\n3,b,,,shop-a,not_in_crm\r\n"), "{csv}");
        let value: Value =
            serde_json::from_str(&dry_run_report(ReportFormat::Json, &facts(), &d)).unwrap();
        assert_eq!(
            value["counts"],
            json!({"changed": 1, "unchanged": 0, "notInCrm": 1})
        );
        assert_eq!(value["offers"][0]["stores"][0]["quantityAfter"], 5.0);
    }
}
