//! What the upload screen keeps on the device: remembered mappings, the unfinished job, the run history.

use crate::ui::storage;
use crate::upload::history::{self, RunRecord};
use crate::upload::job::UploadJob;
use crate::upload::mapping::Mapping;
use crate::upload::saved_job::{self, SavedPlan, SavedStatusRecord};
use serde::{Deserialize, Serialize};

const KEY_MAPPINGS: &str = "warehouse-panel.upload.mappings";
/// The job's plan (written once) and status (after every chunk), compact: see `stock::saved_job`.
const KEY_JOB_PLAN: &str = "warehouse-panel.upload.job-plan";
const KEY_JOB_STATUS: &str = "warehouse-panel.upload.job-status";
/// Where older versions kept the whole job as one value.
const KEY_JOB_LEGACY: &str = "warehouse-panel.upload.job";
const KEY_HISTORY: &str = "warehouse-panel.upload.history";

/// The status part with the name of the file the job came from.
#[derive(Serialize, Deserialize)]
struct SavedStatus {
    file: String,
    status: SavedStatusRecord,
}

fn load<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    serde_json::from_str(&storage::local_get(key)?).ok()
}

fn store<T: Serialize>(key: &str, value: &T) {
    try_store(key, value);
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

/// Writes `value` under `key`; false when the browser refuses (over its storage quota, storage disabled).
fn try_store<T: Serialize>(key: &str, value: &T) -> bool {
    serde_json::to_string(value).is_ok_and(|json| try_store_json(key, &json))
}

fn try_store_json(key: &str, json: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some_and(|s| s.set_item(key, json).is_ok())
}

/// Keeps a new job on the device (its plan and status), so a reload can resume it; false when it does not
/// fit (the screen then says a reload cannot resume it), leaving no stale job behind.
pub fn save_job(file: &str, job: &UploadJob) -> bool {
    forget_job();
    let saved = SavedPlan::json(job).is_some_and(|plan| try_store_json(KEY_JOB_PLAN, &plan))
        && save_status(file, job);
    if !saved {
        forget_job();
    }
    saved
}

/// Updates the saved job's status (a few bytes per chunk: cheap after every chunk); false when refused.
pub fn save_status(file: &str, job: &UploadJob) -> bool {
    try_store(
        KEY_JOB_STATUS,
        &SavedStatus {
            file: file.to_string(),
            status: SavedStatusRecord::of(job),
        },
    )
}

/// The unfinished job kept on the device, recovered, with its file name.
pub fn load_job() -> Option<(String, UploadJob)> {
    let plan: SavedPlan = load(KEY_JOB_PLAN)?;
    let saved: SavedStatus = load(KEY_JOB_STATUS)?;
    Some((saved.file, saved_job::restore(&plan, &saved.status)?))
}

pub fn forget_job() {
    storage::local_remove(KEY_JOB_LEGACY);
    storage::local_remove(KEY_JOB_PLAN);
    storage::local_remove(KEY_JOB_STATUS);
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
