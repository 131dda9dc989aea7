//! "Forget this device": removes every entry the panel wrote, from the device's store and the tab's, and says what
//! they held.

use std::collections::{BTreeMap, BTreeSet};

use crate::device::{forget_all, DeviceStore, PREFIX};

/// What a removed entry held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Forgotten {
    Key,
    Address,
    Site,
    ModuleCode,
    Language,
    UploadJob,
    Mappings,
    History,
    /// Anything else the panel kept (e.g. the hidden warehouses of the Leftovers screen).
    Other,
}

/// What "forget this device" removed: each kind once, with how many accounts (saved jobs, mappings, history) or
/// entries (other settings) it covered, in a fixed order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForgetReport {
    pub items: Vec<(Forgotten, usize)>,
}

impl ForgetReport {
    /// Whether nothing was stored.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Removes every `warehouse-panel.` entry of both stores (other sites' entries stay) and reports them.
pub fn forget_device(device: &dyn DeviceStore, tab: &dyn DeviceStore) -> ForgetReport {
    let mut names = forget_all(device);
    names.extend(forget_all(tab));
    let mut accounts: BTreeMap<Forgotten, BTreeSet<String>> = BTreeMap::new();
    let mut entries: BTreeMap<Forgotten, usize> = BTreeMap::new();
    for name in &names {
        let entry = name.strip_prefix(PREFIX).unwrap_or(name);
        match entry
            .strip_prefix('@')
            .and_then(|rest| rest.rsplit_once('/'))
        {
            Some((account, what)) => {
                let kind = match what {
                    "upload.plan" | "upload.status" => Forgotten::UploadJob,
                    "upload.mappings" => Forgotten::Mappings,
                    "upload.history" => Forgotten::History,
                    _ => Forgotten::Other,
                };
                accounts
                    .entry(kind)
                    .or_default()
                    .insert(account.to_string());
            }
            None => {
                let kind = match entry {
                    "api-key" => Forgotten::Key,
                    "base-url" => Forgotten::Address,
                    "site" => Forgotten::Site,
                    "module-code" => Forgotten::ModuleCode,
                    "lang" => Forgotten::Language,
                    _ => Forgotten::Other,
                };
                *entries.entry(kind).or_default() += 1;
            }
        }
    }
    let mut counts: BTreeMap<Forgotten, usize> = entries;
    for (kind, set) in accounts {
        *counts.entry(kind).or_default() += set.len();
    }
    ForgetReport {
        items: counts.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::keep::tests::memory_stores;
    use crate::connection::keep::{BoundKey, Keep};
    use crate::device::{LargeStore, MemoryStore};
    use crate::upload::history::RunRecord;
    use crate::upload::job::UploadJob;
    use crate::upload::plan::{plan_upload, PlanLimits};
    use crate::upload::saved::{remember_mapping, remember_run, save_job, JobOwner};
    use futures_util::FutureExt;
    use std::rc::Rc;

    #[test]
    fn everything_the_panel_kept_goes_and_is_named() {
        let stores = memory_stores();
        let (device, tab) = (stores.device.as_ref(), stores.tab.as_ref());
        let bound = BoundKey {
            address: "https://a.retailcrm.ru".into(),
            key: "k1".into(),
        };
        stores.keep_key(&bound, Keep::Tab);
        stores.keep_site(Some("shop-a"));
        device.set("warehouse-panel.module-code", "demo-wms");
        device.set("warehouse-panel.lang", "ru");
        device.set("warehouse-panel.inventories.hidden-warehouses", "a,b");
        device.set("another-app.token", "theirs");
        let mut job = UploadJob::new(plan_upload(&[], PlanLimits::default()));
        job.resume(0.0);
        for account in ["https://a.retailcrm.ru", "https://b.retailcrm.ru"] {
            let owner = JobOwner {
                account: account.into(),
                site: None,
                key: "f".into(),
            };
            let large: Rc<dyn LargeStore> = Rc::new(MemoryStore::default());
            let kept =
                save_job(stores.device.clone(), large, &owner, "stock.csv", &job).now_or_never();
            assert_eq!(kept, Some(true));
        }
        let header = vec!["externalId".to_string(), "main".to_string()];
        let mapping = crate::upload::mapping::suggest_mapping(
            &header,
            &crate::upload::warehouse::test_warehouses(),
        );
        remember_mapping(device, "https://a.retailcrm.ru", &mapping);
        remember_run(
            device,
            "https://b.retailcrm.ru",
            RunRecord::of(&job, "f.csv", 1.0),
        );

        let report = forget_device(device, tab);
        assert_eq!(
            report.items,
            vec![
                (Forgotten::Key, 1),
                (Forgotten::Address, 1),
                (Forgotten::Site, 1),
                (Forgotten::ModuleCode, 1),
                (Forgotten::Language, 1),
                (Forgotten::UploadJob, 2),
                (Forgotten::Mappings, 1),
                (Forgotten::History, 1),
                (Forgotten::Other, 1),
            ]
        );
        assert_eq!(device.keys(), vec!["another-app.token".to_string()]);
        assert!(tab.keys().is_empty());
        assert!(forget_device(device, tab).is_empty());
    }
}
