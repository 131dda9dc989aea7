//! What the panel remembers on the device between visits: recent column mappings and a short history of upload runs.

use serde::{Deserialize, Serialize};

use super::job::{JobState, UploadJob};
use super::mapping::Mapping;

/// How many runs the history keeps.
pub const MAX_RUNS: usize = 10;
/// How many mappings are remembered (one per distinct header).
pub const MAX_MAPPINGS: usize = 10;

/// One upload run as the history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    /// When the run ended, in ms since the Unix epoch.
    pub at_ms: f64,
    pub file: String,
    pub offers: usize,
    pub processed: u64,
    pub not_found: usize,
    pub failed: usize,
    /// Rows of the file left out for their problems.
    #[serde(default)]
    pub rows_skipped: usize,
    pub state: JobState,
}

impl RunRecord {
    /// The record of `job` for the file `file`, ended at `at_ms`.
    pub fn of(job: &UploadJob, file: &str, at_ms: f64) -> RunRecord {
        let p = job.progress(at_ms);
        RunRecord {
            at_ms,
            file: file.to_string(),
            offers: p.offers_total,
            processed: p.processed,
            not_found: p.not_found,
            failed: p.offers_failed,
            rows_skipped: job.rows_skipped,
            state: job.state,
        }
    }
}

/// Puts `item` first in `list`, dropping an earlier one that is `same`, and keeps at most `max`.
pub fn remember<T>(list: &mut Vec<T>, item: T, max: usize, same: impl Fn(&T, &T) -> bool) {
    list.retain(|old| !same(old, &item));
    list.insert(0, item);
    list.truncate(max);
}

/// Adds a mapping to the remembered ones (replacing one made for the same header).
pub fn remember_mapping(list: &mut Vec<Mapping>, mapping: Mapping) {
    remember(list, mapping, MAX_MAPPINGS, |a, b| a.fits(&b.header));
}

/// The most recent remembered mapping that fits `header`.
pub fn mapping_for<'a>(list: &'a [Mapping], header: &[String]) -> Option<&'a Mapping> {
    list.iter().find(|m| m.fits(header))
}

/// Adds a run to the history (newest first, at most [`MAX_RUNS`]).
pub fn remember_run(list: &mut Vec<RunRecord>, run: RunRecord) {
    remember(list, run, MAX_RUNS, |_, _| false);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::mapping::Layout;

    fn mapping(header: &[&str]) -> Mapping {
        Mapping {
            header: header.iter().map(|h| h.to_string()).collect(),
            keys: Vec::new(),
            site_column: None,
            default_site: None,
            layout: Layout::Wide {
                columns: Vec::new(),
            },
        }
    }

    #[test]
    fn mappings_replace_same_header_and_are_found_by_header() {
        let mut list = Vec::new();
        remember_mapping(&mut list, mapping(&["a", "b"]));
        remember_mapping(&mut list, mapping(&["c"]));
        let mut again = mapping(&["A", "b"]);
        again.site_column = Some(1);
        remember_mapping(&mut list, again);
        assert_eq!(list.len(), 2);
        let header = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            mapping_for(&list, &header).and_then(|m| m.site_column),
            Some(1)
        );
        assert!(mapping_for(&list, &["x".to_string()]).is_none());
    }

    #[test]
    fn history_keeps_the_newest_ten() {
        let mut runs = Vec::new();
        for i in 0..12 {
            let job = UploadJob::new(crate::upload::plan::Plan::default());
            remember_run(
                &mut runs,
                RunRecord::of(&job, &format!("f{i}.csv"), i as f64),
            );
        }
        assert_eq!(runs.len(), MAX_RUNS);
        assert_eq!(runs[0].file, "f11.csv");
        assert_eq!(runs[9].file, "f2.csv");
        let json = serde_json::to_string(&runs).unwrap_or_default();
        let back: Vec<RunRecord> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, runs);
    }
}
