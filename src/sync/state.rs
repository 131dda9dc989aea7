//! The command's state on disk (`--state PATH`): the panel's device stores as files, so the upload job is saved
//! and resumed exactly as the panel saves it (`upload::saved`), and the lock that keeps two runs apart.
//!
//! `PATH` holds the small entries (the job's status, rewritten after every change), `PATH.plan` the large one (the
//! job's plan, written once), `PATH.lock` is the lock. Each write goes to a temporary file renamed over the old
//! one, so a run killed at any moment leaves the previous or the new version, never half of one.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use futures_util::future::{ready, LocalBoxFuture};

use crate::device::{DeviceStore, LargeStore};

/// String entries kept in one JSON file, read once and written through on every change.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    entries: RefCell<BTreeMap<String, String>>,
}

/// `PATH` with `suffix` added to its file name (`sync.state` -> `sync.state.plan`).
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

impl FileStore {
    /// The store in `path`: its entries when the file exists, none when it does not. `Err` when it exists but
    /// cannot be read or is not such a store (it is left alone).
    pub fn open(path: &Path) -> Result<FileStore, String> {
        let entries = match fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("{} is not a state file ({e})", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(format!("{} cannot be read ({e})", path.display())),
        };
        Ok(FileStore {
            path: path.to_path_buf(),
            entries: RefCell::new(entries),
        })
    }

    /// Writes every entry: to `PATH.tmp`, then renamed over `PATH`.
    fn write(&self) -> bool {
        let Ok(text) = serde_json::to_string(&*self.entries.borrow()) else {
            return false;
        };
        let temporary = beside(&self.path, ".tmp");
        let written = File::create(&temporary)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .and_then(|()| fs::rename(&temporary, &self.path));
        written.is_ok()
    }
}

impl DeviceStore for FileStore {
    fn get(&self, key: &str) -> Option<String> {
        self.entries.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) -> bool {
        let old = self
            .entries
            .borrow_mut()
            .insert(key.to_string(), value.to_string());
        if self.write() {
            return true;
        }
        // Not kept on disk: not kept at all, as a browser that refuses a value.
        let mut entries = self.entries.borrow_mut();
        match old {
            Some(old) => entries.insert(key.to_string(), old),
            None => entries.remove(key),
        };
        false
    }

    fn remove(&self, key: &str) {
        if self.entries.borrow_mut().remove(key).is_some() {
            self.write();
        }
    }

    fn keys(&self) -> Vec<String> {
        self.entries.borrow().keys().cloned().collect()
    }
}

/// The large store of a state: one value (the job's plan, megabytes for a large file) in a file of its own, its
/// key on the first line and the value as it is after it. A state serves one account, so one value at a time: a
/// `put` under another key replaces it.
#[derive(Debug)]
pub struct PlanFile {
    path: PathBuf,
}

impl PlanFile {
    pub fn new(path: &Path) -> PlanFile {
        PlanFile {
            path: path.to_path_buf(),
        }
    }

    /// The key and value in the file, if it holds one.
    fn read(&self) -> Option<(String, String)> {
        let text = fs::read_to_string(&self.path).ok()?;
        let (key, value) = text.split_once('\n')?;
        Some((key.to_string(), value.to_string()))
    }
}

impl LargeStore for PlanFile {
    fn put(&self, key: &str, value: String) -> LocalBoxFuture<'static, bool> {
        if key.contains('\n') {
            return Box::pin(ready(false));
        }
        let temporary = beside(&self.path, ".tmp");
        let written = File::create(&temporary)
            .and_then(|mut f| {
                f.write_all(key.as_bytes())?;
                f.write_all(b"\n")?;
                f.write_all(value.as_bytes())
            })
            .and_then(|()| fs::rename(&temporary, &self.path));
        Box::pin(ready(written.is_ok()))
    }

    fn get(&self, key: &str) -> LocalBoxFuture<'static, Option<String>> {
        let value = self.read().filter(|(k, _)| k == key).map(|(_, v)| v);
        Box::pin(ready(value))
    }

    fn remove(&self, key: &str) {
        if self.read().is_some_and(|(k, _)| k == key) {
            let _ = fs::remove_file(&self.path);
        }
    }

    fn clear(&self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The lock of a state: held while the value lives, released by the system when the process ends however it ends
/// (a killed run never leaves a stale lock behind).
#[derive(Debug)]
pub struct StateLock {
    _file: File,
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another run holds it.
    Busy(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Busy(path) => write!(f, "another warehouse-sync run holds {}", path.display()),
            Self::Io(path, e) => write!(f, "{} cannot be locked ({e})", path.display()),
        }
    }
}

impl StateLock {
    /// Takes the lock of the state at `state` (`PATH.lock`) without waiting.
    pub fn take(state: &Path) -> Result<StateLock, LockError> {
        let path = beside(state, ".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| LockError::Io(path.clone(), e))?;
        match file.try_lock() {
            Ok(()) => Ok(StateLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::Busy(path)),
            Err(TryLockError::Error(e)) => Err(LockError::Io(path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("warehouse-sync-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn entries_survive_a_new_process_and_bad_files_are_left_alone() {
        let dir = temp_dir("store");
        let path = dir.join("sync.state");
        let store = FileStore::open(&path).unwrap();
        assert!(DeviceStore::set(&store, "a", "1") && DeviceStore::set(&store, "b", "2"));
        DeviceStore::remove(&store, "a");
        let again = FileStore::open(&path).unwrap();
        assert_eq!(again.keys(), vec!["b".to_string()]);
        assert_eq!(DeviceStore::get(&again, "b").as_deref(), Some("2"));
        assert!(!beside(&path, ".tmp").exists());

        fs::write(dir.join("other.csv"), "externalId;main").unwrap();
        let refused = FileStore::open(&dir.join("other.csv")).unwrap_err();
        assert!(refused.contains("is not a state file"), "{refused}");

        // A store whose folder is gone keeps nothing, as a browser that refuses a value.
        let lost = FileStore::open(&dir.join("gone").join("s")).unwrap();
        assert!(!DeviceStore::set(&lost, "a", "1"));
        assert_eq!(DeviceStore::get(&lost, "a"), None);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_plan_file_holds_one_value_under_its_key() {
        use futures_util::FutureExt;
        let dir = temp_dir("plan");
        let plan = PlanFile::new(&dir.join("sync.state.plan"));
        let put = |key: &str, value: &str| plan.put(key, value.to_string()).now_or_never();
        let get = |key: &str| plan.get(key).now_or_never().flatten();
        assert_eq!(get("a"), None);
        assert_eq!(put("a", "{\"chunks\":[]}\nmore"), Some(true));
        assert_eq!(get("a").as_deref(), Some("{\"chunks\":[]}\nmore"));
        assert_eq!(get("b"), None);
        plan.remove("b");
        assert_eq!(put("b", "2"), Some(true), "another key replaces it");
        assert_eq!(get("a"), None);
        plan.remove("b");
        assert!(!dir.join("sync.state.plan").exists());
        assert_eq!(
            put("x\ny", "1"),
            Some(false),
            "a key of two lines is refused"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn one_run_at_a_time_and_the_lock_goes_with_its_holder() {
        let dir = temp_dir("lock");
        let state = dir.join("sync.state");
        let held = StateLock::take(&state).unwrap();
        assert!(matches!(StateLock::take(&state), Err(LockError::Busy(_))));
        drop(held);
        assert!(StateLock::take(&state).is_ok());
        assert_eq!(beside(&state, ".plan"), dir.join("sync.state.plan"));
        fs::remove_dir_all(dir).unwrap();
    }
}
