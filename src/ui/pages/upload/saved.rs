//! What the upload screen keeps on the device: remembered mappings, the unfinished job, the run history.

use crate::stock::history::{self, RunRecord};
use crate::stock::job::UploadJob;
use crate::stock::mapping::Mapping;
use crate::ui::storage;
use serde::{Deserialize, Serialize};

const KEY_MAPPINGS: &str = "warehouse-panel.upload.mappings";
const KEY_JOB: &str = "warehouse-panel.upload.job";
const KEY_HISTORY: &str = "warehouse-panel.upload.history";

/// The job with the name of the file it came from.
#[derive(Serialize, Deserialize)]
pub struct SavedJob {
    pub file: String,
    pub job: UploadJob,
}

fn load<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    serde_json::from_str(&storage::local_get(key)?).ok()
}

fn store<T: Serialize>(key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        storage::local_set(key, &json);
    }
}

/// The remembered mapping for a file with this header.
pub fn mapping_for(header: &[String]) -> Option<Mapping> {
    let list: Vec<Mapping> = load(KEY_MAPPINGS).unwrap_or_default();
    history::mapping_for(&list, header).cloned()
}

/// Remembers a mapping for files with its header.
pub fn remember_mapping(mapping: &Mapping) {
    let mut list: Vec<Mapping> = load(KEY_MAPPINGS).unwrap_or_default();
    history::remember_mapping(&mut list, mapping.clone());
    store(KEY_MAPPINGS, &list);
}

/// [`SavedJob`] as written, without copying the job.
#[derive(Serialize)]
struct SavedJobRef<'a> {
    file: &'a str,
    job: &'a UploadJob,
}

/// Keeps the job on the device (after every chunk), so a reload can resume it.
pub fn save_job(file: &str, job: &UploadJob) {
    store(KEY_JOB, &SavedJobRef { file, job });
}

pub fn load_job() -> Option<SavedJob> {
    load(KEY_JOB)
}

pub fn forget_job() {
    storage::local_remove(KEY_JOB);
}

pub fn runs() -> Vec<RunRecord> {
    load(KEY_HISTORY).unwrap_or_default()
}

pub fn remember_run(run: RunRecord) -> Vec<RunRecord> {
    let mut list = runs();
    history::remember_run(&mut list, run);
    store(KEY_HISTORY, &list);
    list
}
