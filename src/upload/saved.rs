//! What the upload keeps on the device, per account: the unfinished job (offered for resume only to the account, site
//! and key it belongs to), the remembered column mappings and the run history. The job's plan (megabytes for a large
//! file) goes to the large store once; its small status record to the device store after every change.

use crate::api::lenient::from_text;
use std::future::Future;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::history::{self, RunRecord};
use super::job::UploadJob;
use super::mapping::Mapping;
use super::saved_job::{restore, SavedPlan, SavedStatusRecord};
use crate::device::{account_key, accounts_with, DeviceStore, LargeStore};

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
    from_text(&store.get(key)?).ok()
}

fn save<T: Serialize>(store: &dyn DeviceStore, key: &str, value: &T) -> bool {
    serde_json::to_string(value).is_ok_and(|json| store.set(key, &json))
}

/// Keeps a new job of `owner` on the device: its status at once, its plan (written by the returned future) in the
/// large store. The future says whether both were kept; when not, nothing of that account's job is left behind.
pub fn save_job(
    store: Rc<dyn DeviceStore>,
    large: Rc<dyn LargeStore>,
    owner: &JobOwner,
    file: &str,
    job: &UploadJob,
) -> impl Future<Output = bool> + 'static {
    forget_job(store.as_ref(), large.as_ref(), &owner.account);
    let plan = SavedPlan::json(job);
    let status_kept = save_status(store.as_ref(), owner, file, job);
    let key = account_key(&owner.account, PLAN);
    let account = owner.account.clone();
    async move {
        let kept = match plan {
            Some(plan) if status_kept => large.put(&key, plan).await,
            _ => false,
        };
        if !kept {
            forget_job(store.as_ref(), large.as_ref(), &account);
        }
        kept
    }
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

/// The unfinished job of `owner` (same account, site and key), recovered to be resumed.
pub async fn load_job(
    store: &dyn DeviceStore,
    large: &dyn LargeStore,
    owner: &JobOwner,
) -> Option<SavedJob> {
    let status: SavedStatus = load(store, &account_key(&owner.account, STATUS))?;
    if status.owner != *owner || !status.status.is_open() {
        return None;
    }
    let plan: SavedPlan = from_text(&large.get(&account_key(&owner.account, PLAN)).await?).ok()?;
    Some(SavedJob {
        job: restore(&plan, &status.status)?,
        owner: status.owner,
        file: status.file,
    })
}

/// Unfinished jobs on the device that belong to someone else (another account, or this one with another site or
/// key): their owners and files.
pub fn jobs_of_others(store: &dyn DeviceStore, owner: &JobOwner) -> Vec<(JobOwner, String)> {
    accounts_with(store, STATUS)
        .iter()
        .filter_map(|account| load::<SavedStatus>(store, &account_key(account, STATUS)))
        .filter(|saved| saved.owner != *owner && saved.status.is_open())
        .map(|saved| (saved.owner, saved.file))
        .collect()
}

/// Forgets the saved job of the account at `account`.
pub fn forget_job(store: &dyn DeviceStore, large: &dyn LargeStore, account: &str) {
    store.remove(&account_key(account, STATUS));
    large.remove(&account_key(account, PLAN));
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
    use futures_util::future::LocalBoxFuture;
    use futures_util::FutureExt;

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

    fn saved(store: &Rc<MemoryStore>, owner: &JobOwner, file: &str, job: &UploadJob) -> bool {
        save_job(store.clone(), store.clone(), owner, file, job)
            .now_or_never()
            .unwrap_or(false)
    }

    fn loaded(store: &Rc<MemoryStore>, owner: &JobOwner) -> Option<SavedJob> {
        load_job(store.as_ref(), store.as_ref(), owner)
            .now_or_never()
            .flatten()
    }

    #[test]
    fn a_job_is_offered_only_to_its_owner() {
        let store = Rc::new(MemoryStore::default());
        let a = owner("https://a.retailcrm.ru", "s", "k1");
        let mut j = job(600);
        j.resume(0.0);
        assert!(saved(&store, &a, "stock.csv", &j));
        let found = loaded(&store, &a).expect("resumable by its owner");
        assert_eq!(
            (found.file.as_str(), found.job.chunks.len()),
            ("stock.csv", 3)
        );
        for other in [
            owner("https://b.retailcrm.ru", "s", "k1"),
            owner("https://a.retailcrm.ru", "t", "k1"),
            owner("https://a.retailcrm.ru", "s", "k2"),
        ] {
            assert_eq!(loaded(&store, &other), None, "{other:?}");
            assert_eq!(
                jobs_of_others(store.as_ref(), &other),
                vec![(a.clone(), "stock.csv".to_string())]
            );
        }
        assert!(jobs_of_others(store.as_ref(), &a).is_empty());
        // Another account's job lives beside it; forgetting one leaves the other.
        let b = owner("https://b.retailcrm.ru", "s", "k1");
        assert!(saved(&store, &b, "b.csv", &j));
        forget_job(store.as_ref(), store.as_ref(), &a.account);
        assert_eq!(loaded(&store, &a), None);
        assert!(loaded(&store, &b).is_some());
    }

    #[test]
    fn a_refused_save_leaves_nothing_and_finished_jobs_are_not_offered() {
        struct Full;
        impl LargeStore for Full {
            fn put(&self, _: &str, _: String) -> LocalBoxFuture<'static, bool> {
                Box::pin(async { false })
            }
            fn get(&self, _: &str) -> LocalBoxFuture<'static, Option<String>> {
                Box::pin(async { None })
            }
            fn remove(&self, _: &str) {}
            fn clear(&self) {}
        }
        let store = Rc::new(MemoryStore::default());
        let a = owner("https://a.retailcrm.ru", "s", "k1");
        let kept = save_job(store.clone(), Rc::new(Full), &a, "f", &job(1)).now_or_never();
        assert_eq!(kept, Some(false));
        assert!(store.keys().is_empty(), "no status left without its plan");
        let mut done = job(1);
        done.resume(0.0);
        while let Some(i) = done.next_chunk() {
            let _ = done.mark_sent(i, 1, vec![]);
        }
        assert!(saved(&store, &a, "f", &done));
        assert_eq!(loaded(&store, &a), None);
        assert!(jobs_of_others(store.as_ref(), &owner("x", "s", "k")).is_empty());
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
