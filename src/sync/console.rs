//! What a `warehouse-sync` command says and how it ends: the console (results on stdout, the rest on stderr, the key
//! never shown), the exit codes, and where the key comes from.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use super::progress::{Meter, Step};

/// How a run ended: the process's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything applied (a dry run or a check: nothing wrong found).
    Applied,
    /// Invalid input (arguments, file, mapping, validation): nothing sent.
    Invalid,
    /// Applied, but some offers were not found or some chunks failed (listed in the report).
    Partial,
    /// The CRM could not be reached, or refused the key, or the key lacks a right.
    Connection,
    /// Another run holds the state's lock: nothing done.
    Busy,
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Applied => 0,
            Exit::Invalid => 1,
            Exit::Partial => 2,
            Exit::Connection => 3,
            Exit::Busy => 4,
        }
    }
}

/// Where the command's text goes.
pub trait Console {
    /// A line of the result (stdout).
    fn say(&self, line: &str);
    /// A line about the run: a warning, or why it stopped (stderr).
    fn note(&self, line: &str);
    /// How far the run is (stderr).
    fn step(&self, step: &Step);
}

/// The console of the command: results on stdout, the rest on stderr (progress as a bar on a terminal, plain lines
/// otherwise), and the key, should any text ever hold it, replaced by `***`.
pub struct StdConsole {
    secret: Option<String>,
    meter: RefCell<Meter>,
    started: Instant,
}

impl StdConsole {
    pub fn new(secret: Option<String>) -> StdConsole {
        StdConsole {
            secret: secret
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            meter: RefCell::new(Meter::new(std::io::stderr().is_terminal())),
            started: Instant::now(),
        }
    }

    fn clean(&self, text: &str) -> String {
        match &self.secret {
            Some(secret) => text.replace(secret.as_str(), "***"),
            None => text.to_string(),
        }
    }
}

impl Console for StdConsole {
    fn say(&self, line: &str) {
        let end = self.meter.borrow_mut().finish();
        eprint!("{end}");
        println!("{}", self.clean(line));
    }

    fn note(&self, line: &str) {
        let end = self.meter.borrow_mut().finish();
        eprintln!("{end}{}", self.clean(line));
    }

    fn step(&self, step: &Step) {
        let now = self.started.elapsed().as_secs_f64();
        if let Some(text) = self.meter.borrow_mut().step(step, now) {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(self.clean(&text).as_bytes());
            let _ = err.flush();
        }
    }
}

/// The API key: the content of `key_file` when given, else `env_value` (`RETAILCRM_API_KEY`), trimmed.
pub fn read_key(env_value: Option<String>, key_file: Option<&Path>) -> Result<String, String> {
    let key = match key_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("the key file {} cannot be read ({e})", path.display()))?,
        None => env_value.ok_or(
            "no API key: set RETAILCRM_API_KEY or pass --key-file (never the key itself as an argument)",
        )?,
    };
    let key = key.trim().to_string();
    if key.is_empty() {
        return Err("the API key is empty".to_string());
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_comes_from_a_file_or_the_environment_never_empty() {
        assert_eq!(
            read_key(Some(" k-1 \n".into()), None),
            Ok("k-1".to_string())
        );
        assert!(read_key(None, None)
            .unwrap_err()
            .contains("RETAILCRM_API_KEY"));
        assert_eq!(
            read_key(Some("  ".into()), None),
            Err("the API key is empty".to_string())
        );
        let path = std::env::temp_dir().join(format!("warehouse-sync-key-{}", std::process::id()));
        std::fs::write(&path, "from-file\n").unwrap();
        assert_eq!(
            read_key(Some("from-env".into()), Some(&path)),
            Ok("from-file".to_string())
        );
        std::fs::remove_file(&path).unwrap();
        let missing = read_key(None, Some(&path)).unwrap_err();
        assert!(missing.starts_with("the key file"), "{missing}");
    }
}
