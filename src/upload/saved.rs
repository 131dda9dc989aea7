//! What the upload keeps on the device, per account: the unfinished job (offered for resume only to the account, site
//! and key it belongs to), the remembered column mappings and the run history.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::history::{self, RunRecord};
use super::job::UploadJob;
use super::mapping::Mapping;
use super::saved_job::{restore, SavedPlan, SavedStatusRecord};
use crate::device::{account_key, accounts_with, DeviceStore};

const PLAN: &str = "upload.plan";
const STATUS: &str = "upload.status";
const MAPPINGS: &str = "upload.mappings";
const HISTORY: &str = "upload.history";

/// Who a job belongs to: the account's address, the site it was planned for, and the fingerprint of the key that
/// started it (never the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobOwner {
    pub account: String,
    pub site: Option<String>,
    pub key: String,
}

/// The status part of a saved job, with its owner and file.
#[derive(Serialize, Deserialize)]
struct SavedStatus {
    owner: JobOwner,
    file: String,
    status: SavedStatusRecord,
}

/// An unfinished job found on the device.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedJob {
    pub owner: JobOwner,
    pub file: String,
    pub job: UploadJob,
}

fn load<T: DeserializeOwned>(store: &dyn DeviceStore, key: &str) -> Option<T> {
    serde_json::from_str(&store.get(key)?).ok()
}

fn save<T: Serialize>(store: &dyn DeviceStore, key: &str, value: &T) -> bool {
    serde_json::to_string(value).is_ok_and(|json| store.set(key, &json))
}

/// Keeps a new job of `owner` on the device (its plan once, its status); false when it does not fit, leaving no
/// stale job of that account behind.
pub fn save_job(store: &dyn DeviceStore, owner: &JobOwner, file: &str, job: &UploadJob) -> bool {
    forget_job(store, &owner.account);
    let saved = SavedPlan::json(job)
        .is_some_and(|plan| store.set(&account_key(&owner.account, PLAN), &plan))
        && save_status(store, owner, file, job);
    if !saved {
        forget_job(store, &owner.account);
    }
    saved
}

/// Updates the saved job's status (a few bytes per chunk); false when refused.
pub fn save_status(store: &dyn DeviceStore, owner: &JobOwner, file: &str, job: &UploadJob) -> bool {
    save(
        store,
        &account_key(&owner.account, STATUS),
        &SavedStatus {
            owner: owner.clone(),
            file: file.to_string(),
            status: SavedStatusRecord::of(job),
        },
    )
}

fn saved_job(store: &dyn DeviceStore, account: &str) -> Option<SavedJob> {
    let status: SavedStatus = load(store, &account_key(account, STATUS))?;
    let plan: SavedPlan = load(store, &account_key(account, PLAN))?;
    Some(SavedJob {
        job: restore(&plan, &status.status)?,
        owner: status.owner,
        file: status.file,
    })
}

/// The unfinished job of `owner` (same account, site and key), recovered to be resumed.
pub fn load_job(store: &dyn DeviceStore, owner: &JobOwner) -> Option<SavedJob> {
    saved_job(store, &owner.account).filter(|saved| saved.owner == *owner && saved.job.is_open())
}

/// Unfinished jobs on the device that belong to someone else (another account, or this one with another site or
/// key): their owners and files.
pub fn jobs_of_others(store: &dyn DeviceStore, owner: &JobOwner) -> Vec<(JobOwner, String)> {
    accounts_with(store, STATUS)
        .iter()
        .filter_map(|account| saved_job(store, account))
        .filter(|saved| saved.owner != *owner && saved.job.is_open())
        .map(|saved| (saved.owner, saved.file))
        .collect()
}

/// Forgets the saved job of the account at `account`.
pub fn forget_job(store: &dyn DeviceStore, account: &str) {
    store.remove(&account_key(account, PLAN));
    store.remove(&account_key(account, STATUS));
}

/// The remembered mapping of the account for a file with this header.
pub fn mapping_for(store: &dyn DeviceStore, account: &str, header: &[String]) -> Option<Mapping> {
    let list: Vec<Mapping> = load(store, &account_key(account, MAPPINGS)).unwrap_or_default();
    history::mapping_for(&list, header).cloned()
}

/// Remembers a mapping for the account's files with its header.
pub fn remember_mapping(store: &dyn DeviceStore, account: &str, mapping: &Mapping) {
    let key = account_key(account, MAPPINGS);
    let mut list: Vec<Mapping> = load(store, &key).unwrap_or_default();
    history::remember_mapping(&mut list, mapping.clone());
    save(store, &key, &list);
}

/// The account's last runs, newest first.
pub fn runs(store: &dyn DeviceStore, account: &str) -> Vec<RunRecord> {
    load(store, &account_key(account, HISTORY)).unwrap_or_default()
}

/// Adds a run to the account's history; returns the history.
pub fn remember_run(store: &dyn DeviceStore, account: &str, run: RunRecord) -> Vec<RunRecord> {
    let mut list = runs(store, account);
    history::remember_run(&mut list, run);
    save(store, &account_key(account, HISTORY), &list);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::MemoryStore;
    use crate::upload::offer::{OfferKey, OfferStock, StoreValue};
    use crate::upload::plan::{plan_upload, PlanLimits};

    fn job(n: usize) -> UploadJob {
        let offers: Vec<OfferStock> = (0..n)
            .map(|i| OfferStock {
                key: OfferKey::ExternalId(format!("o{i}")),
                site: Some("s".into()),
                line: i + 2,
                stores: vec![StoreValue {
                    code: "main".into(),
                    quantity: Some(1.0),
                    purchase_price: Some(2.5),
                }],
            })
            .collect();
        UploadJob::new(plan_upload(&offers, PlanLimits::default()))
    }

    fn owner(account: &str, site: &str, key: &str) -> JobOwner {
        JobOwner {
            account: account.into(),
            site: Some(site.into()),
            key: key.into(),
        }
    }

    #[test]
    fn a_job_is_offered_only_to_its_owner() {
        let store = MemoryStore::default();
        let a = owner("https://a.retailcrm.ru", "s", "k1");
        let mut j = job(600);
        j.resume(0.0);
        assert!(save_job(&store, &a, "stock.csv", &j));
        let found = load_job(&store, &a).expect("resumable by its owner");
        assert_eq!(
            (found.file.as_str(), found.job.chunks.len()),
            ("stock.csv", 3)
        );
        for other in [
            owner("https://b.retailcrm.ru", "s", "k1"),
            owner("https://a.retailcrm.ru", "t", "k1"),
            owner("https://a.retailcrm.ru", "s", "k2"),
        ] {
            assert_eq!(load_job(&store, &other), None, "{other:?}");
            assert_eq!(
                jobs_of_others(&store, &other),
                vec![(a.clone(), "stock.csv".to_string())]
            );
        }
        assert!(jobs_of_others(&store, &a).is_empty());
        // Another account's job lives beside it; forgetting one leaves the other.
        let b = owner("https://b.retailcrm.ru", "s", "k1");
        assert!(save_job(&store, &b, "b.csv", &j));
        forget_job(&store, &a.account);
        assert_eq!(load_job(&store, &a), None);
        assert!(load_job(&store, &b).is_some());
    }

    #[test]
    fn a_refused_save_leaves_nothing_and_finished_jobs_are_not_offered() {
        struct Full;
        impl DeviceStore for Full {
            fn get(&self, _: &str) -> Option<String> {
                None
            }
            fn set(&self, _: &str, _: &str) -> bool {
                false
            }
            fn remove(&self, _: &str) {}
            fn keys(&self) -> Vec<String> {
                Vec::new()
            }
        }
        let a = owner("https://a.retailcrm.ru", "s", "k1");
        assert!(!save_job(&Full, &a, "f", &job(1)));
        let store = MemoryStore::default();
        let mut done = job(1);
        done.resume(0.0);
        while let Some(i) = done.next_chunk() {
            let _ = done.mark_sent(i, 1, vec![]);
        }
        assert!(save_job(&store, &a, "f", &done));
        assert_eq!(load_job(&store, &a), None);
        assert!(jobs_of_others(&store, &owner("x", "s", "k")).is_empty());
    }

    #[test]
    fn mappings_and_history_are_per_account() {
        let store = MemoryStore::default();
        let header = vec!["externalId".to_string(), "main".to_string()];
        let mapping = crate::upload::mapping::suggest_mapping(
            &header,
            &crate::upload::warehouse::test_warehouses(),
        );
        remember_mapping(&store, "https://a.retailcrm.ru", &mapping);
        assert_eq!(
            mapping_for(&store, "https://a.retailcrm.ru", &header),
            Some(mapping)
        );
        assert_eq!(mapping_for(&store, "https://b.retailcrm.ru", &header), None);
        let run = RunRecord::of(&job(1), "f.csv", 5.0);
        assert_eq!(remember_run(&store, "https://a.retailcrm.ru", run).len(), 1);
        assert!(runs(&store, "https://b.retailcrm.ru").is_empty());
    }
}
