//! `warehouse-sync upload` as library code over the panel's own engine: the connection check, then the
//! upload session (mapping, validation, dry run, plan, the job under the one runner, saved and resumed as the panel
//! saves it), the report and the exit code. The binary only parses the arguments.

use std::cell::Cell;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::rc::Rc;
use std::time::Instant;

use super::auto_map::unambiguous_mapping;
pub use super::check::check;
use super::check::{account_url, connect, counted_client, require};
pub use super::console::{read_key, Console, Exit, StdConsole};
use super::profile::MappingProfile;
use super::progress::Step;
use super::report::{dry_run_report, upload_report, ReportFormat, RunFacts, Traffic};
use super::source::{display_name, read_source};
use super::state::{beside, FileStore, LockError, PlanFile, StateLock};
use crate::api::credentials::Capability;
use crate::api::native::HttpTransport;
use crate::connection::key::{fingerprint, key_fingerprint};
use crate::device::{DeviceStore, LargeStore, MemoryStore};
use crate::i18n::words::{Word, Words};
use crate::i18n::{Lang, Text};
use crate::sheet::csv::CsvOptions;
use crate::sheet::decode::ReadError;
use crate::upload::diff::Diff;
use crate::upload::flow::Source;
use crate::upload::job::{ChunkStatus, JobState, Progress, UploadJob};
use crate::upload::offer::KeyKind;
use crate::upload::saved::JobOwner;
use crate::upload::session::UploadSession;
use crate::upload::validate::{Problem, ProblemKind};
use crate::upload::warehouse::Warehouse;
use crate::upload::wire::warehouse;

/// What `upload` was asked to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadOptions {
    /// A path, or an http(s) address.
    pub source: String,
    pub account: String,
    pub site: Option<String>,
    pub mapping: Option<PathBuf>,
    pub dry_run: bool,
    pub only_changed: bool,
    pub report: Option<PathBuf>,
    pub state: Option<PathBuf>,
}

/// A file the panel could not read as a table, in plain English (the panel's own words).
fn read_error_text(error: &ReadError) -> String {
    error.phrase().in_lang(Lang::En)
}

/// One validation problem as a line: `line 5, column 3 (main) «x»: Not a number`.
fn problem_text(p: &Problem, header: &[String]) -> String {
    let name = |c: usize| {
        format!(
            "{} ({})",
            c + 1,
            header.get(c).map(String::as_str).unwrap_or("")
        )
    };
    let at = Text::UpProblemAt.fill(
        Lang::En,
        &[
            ("line", p.line.to_string()),
            ("column", name(p.column)),
            ("value", p.value.clone()),
        ],
    );
    let mut text = format!("{at}: {}", p.kind.word().in_lang(Lang::En));
    if let Some(first) = p.first_line {
        text.push_str(&format!(" (first on line {first})"));
    }
    if let Some(first) = p.first_column {
        text.push_str(&format!(" (also column {})", name(first)));
    }
    text
}

/// How many problems, offers not found or failed chunks the console lists (the report lists them all).
const LISTED: usize = 20;

/// The exit code of a finished job: everything applied, or not.
pub fn job_exit(state: JobState, progress: &Progress) -> Exit {
    match state {
        JobState::Done if progress.not_found == 0 && progress.chunks_failed == 0 => Exit::Applied,
        _ => Exit::Partial,
    }
}

/// The upload of one file, as the stages of `upload` share it.
struct Run<'a> {
    options: &'a UploadOptions,
    console: Rc<dyn Console>,
    started: Instant,
    traffic: Rc<Cell<Traffic>>,
    name: String,
    account: String,
    site: Option<String>,
    resumed: bool,
}

impl Run<'_> {
    fn facts(&self, exit: Exit) -> RunFacts {
        RunFacts {
            file: self.name.clone(),
            account: self.account.clone(),
            site: self.site.clone(),
            dry_run: self.options.dry_run,
            only_changed: self.options.only_changed,
            resumed: self.resumed,
            exit_code: exit.code(),
            seconds: self.started.elapsed().as_secs_f64(),
            traffic: self.traffic.get(),
        }
    }

    fn traffic_text(&self) -> String {
        let t = self.traffic.get();
        format!(
            "{} requests ({} rate-limited, {} network retries) in {:.1} s",
            t.requests,
            t.rate_limited,
            t.network_retries,
            self.started.elapsed().as_secs_f64()
        )
    }

    /// Writes the report, when one was asked for.
    fn report(&self, make: impl FnOnce(ReportFormat) -> String) {
        let Some(path) = &self.options.report else {
            return;
        };
        let Some(format) = ReportFormat::of(path) else {
            return;
        };
        if let Err(e) = std::fs::write(path, make(format)) {
            self.console.note(&format!(
                "the report {} cannot be written ({e})",
                path.display()
            ));
        }
    }
}

/// The stores of the run: files when a state is given, else memory (nothing kept).
type Stores = (Rc<dyn DeviceStore>, Rc<dyn LargeStore>);

fn stores(state: Option<&Path>) -> Result<Stores, String> {
    Ok(match state {
        Some(path) => (
            Rc::new(FileStore::open(path)?),
            Rc::new(PlanFile::new(&beside(path, ".plan"))),
        ),
        None => {
            let memory = Rc::new(MemoryStore::default());
            (memory.clone(), memory)
        }
    })
}

/// `warehouse-sync upload`: the file to the CRM (see the binary's help for the options and exit codes).
pub async fn upload(options: &UploadOptions, key: &str, console: Rc<dyn Console>) -> Exit {
    let say_invalid = |text: &str| {
        console.note(text);
        Exit::Invalid
    };
    if let Some(report) = &options.report {
        if ReportFormat::of(report).is_none() {
            return say_invalid(&format!(
                "the report {} must end in .csv or .json",
                report.display()
            ));
        }
    }
    let profile = match &options.mapping {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match MappingProfile::parse(&text) {
                Ok(profile) => Some((profile, text)),
                Err(e) => return say_invalid(&format!("{}: {e}", path.display())),
            },
            Err(e) => {
                return say_invalid(&format!(
                    "the mapping {} cannot be read ({e})",
                    path.display()
                ))
            }
        },
        None => None,
    };
    let account = match account_url(&options.account) {
        Ok(url) => url,
        Err(e) => return say_invalid(&e),
    };
    let _lock = match &options.state {
        Some(path) => match StateLock::take(path) {
            Ok(lock) => Some(lock),
            Err(e @ LockError::Busy(_)) => {
                console.note(&format!("{e}: nothing done"));
                return Exit::Busy;
            }
            Err(e) => return say_invalid(&e.to_string()),
        },
        None => None,
    };
    let (store, large) = match stores(options.state.as_deref()) {
        Ok(s) => s,
        Err(e) => return say_invalid(&e),
    };
    let (client, traffic) = match counted_client(&account, key, console.as_ref()) {
        Ok(made) => made,
        Err(exit) => return exit,
    };
    let name = display_name(&options.source);
    let bytes = match HttpTransport::new() {
        Ok(http) => match read_source(&options.source, &http).await {
            Ok(bytes) => bytes,
            Err(e) => return say_invalid(&e),
        },
        Err(e) => {
            console.note(&format!("HTTPS cannot be set up here: {e}"));
            return Exit::Connection;
        }
    };
    let mut run = Run {
        options,
        console: console.clone(),
        started: Instant::now(),
        traffic,
        name,
        account: client.base_url().to_string(),
        site: None,
        resumed: false,
    };

    // The CRM: the key, its rights and sites, the warehouses.
    let check = match connect(&client, console.as_ref()).await {
        Ok(check) => check,
        Err(exit) => return exit,
    };
    let mut needed = Vec::new();
    if options.dry_run || options.only_changed {
        needed.push(Capability::InventoriesRead);
    }
    if !options.dry_run {
        needed.push(Capability::Upload);
    }
    if let Err(exit) = require(&check, &needed, console.as_ref()) {
        return exit;
    }
    let usable: Option<Vec<String>> = check
        .sites
        .as_ref()
        .ok()
        .map(|sites| sites.iter().map(|s| s.code.clone()).collect());
    if let (Some(site), Some(usable)) = (&options.site, &usable) {
        if !usable.contains(site) {
            return say_invalid(&format!(
                "the key may not use the site «{site}»; its sites: {}",
                usable.join(", ")
            ));
        }
    }
    let warehouses: Vec<Warehouse> = match client.stores().await {
        Ok(found) => found.stores.iter().map(warehouse).collect(),
        Err(e) => {
            console.note(&format!(
                "the warehouses cannot be read: {}",
                e.description()
            ));
            return Exit::Connection;
        }
    };

    // The file: read, mapped, validated, as the panel does.
    let site_default = options
        .site
        .clone()
        .or_else(|| profile.as_ref().and_then(|(p, _)| p.default_site.clone()))
        .or_else(|| check.site_choice(None));
    run.site = site_default.clone();
    let label = format!(
        "{} #{}",
        run.name,
        fingerprint([
            bytes.as_slice(),
            profile
                .as_ref()
                .map_or(b"".as_slice(), |(_, text)| text.as_bytes()),
            site_default.as_deref().unwrap_or("").as_bytes(),
            if options.only_changed {
                b"changed".as_slice()
            } else {
                b"all".as_slice()
            },
            serde_json::to_string(&warehouses)
                .unwrap_or_default()
                .as_bytes(),
        ])
    );
    let owner = JobOwner {
        account: client.base_url().to_string(),
        site: site_default.clone(),
        key: key_fingerprint(key),
    };
    let session = UploadSession::new(client.clone(), store, large, owner);
    session.set_warehouses(warehouses.clone());
    session.update_flow(|f| f.set_default_site(site_default.clone()));
    session.load(&label, Source::File(bytes));
    let header = match session.flow().read().cloned() {
        Some(Ok(info)) => info.header,
        Some(Err(e)) => return say_invalid(&format!("{}: {}", run.name, read_error_text(&e))),
        None => return say_invalid(&format!("{}: nothing to read", run.name)),
    };
    let mapped = match &profile {
        Some((p, _)) => p
            .mapping_for(&header)
            .map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>()),
        None => unambiguous_mapping(&header, &warehouses)
            .map_err(|problems| problems.iter().map(|p| p.describe(&header)).collect()),
    };
    let mut mapping = match mapped {
        Ok(m) => m,
        Err(problems) => {
            for p in &problems {
                console.note(&format!("{}: {p}", run.name));
            }
            let fix = if profile.is_some() {
                "fix the file or save the mapping again from the panel"
            } else {
                "map the file once in the panel and pass the saved profile with --mapping"
            };
            return say_invalid(&format!(
                "the columns cannot be mapped without a guess: {fix}; nothing sent"
            ));
        }
    };
    mapping.default_site = site_default.clone();
    session.update_flow(|f| f.set_mapping(mapping));
    if let Some(exit) = refuse_invalid(&session, &run, &header, usable.as_deref()) {
        return exit;
    }

    let progress_console = console.clone();
    let weak = Rc::downgrade(&session);
    let clock = client.clone();
    session.on_change(move || {
        let Some(s) = weak.upgrade() else { return };
        let step = s
            .with_job(|j| {
                let p = j.progress(clock.now_ms());
                Step {
                    phase: "uploading",
                    done: p.chunks_done + p.chunks_failed,
                    total: p.chunks_total,
                    unit: "chunks",
                    retries: p.retries,
                    eta_seconds: p.eta_seconds,
                }
            })
            .or_else(|| {
                s.with_dry_run(|j| {
                    let p = j.progress();
                    Step {
                        phase: "reading the CRM's stock",
                        done: p.pages_done,
                        total: p.pages_known,
                        unit: "requests",
                        retries: p.retries,
                        eta_seconds: None,
                    }
                })
            });
        if let Some(step) = step {
            progress_console.step(&step);
        }
    });

    // An interrupted run of this same file (and mapping, site, warehouses) goes on where it stopped.
    if !options.dry_run {
        session.recover().await;
        match session.job_file() {
            Some(file) if file == label => {
                run.resumed = true;
                let (done, total) = session
                    .with_job(|j| {
                        let p = j.progress(0.0);
                        (p.chunks_done, p.chunks_total)
                    })
                    .unwrap_or_default();
                console.note(&format!(
                    "resuming the interrupted run of {}: {done} of {total} chunks were sent before",
                    run.name
                ));
            }
            Some(_) => {
                console.note(
                    "the state held an unfinished run of another file, mapping or site: it is dropped, this file is \
                     uploaded",
                );
                session.discard();
            }
            None => {}
        }
    }

    if !run.resumed && (options.dry_run || options.only_changed) {
        session.update_flow(|f| f.set_only_changed(options.only_changed));
        if let Some(read) = session.dry_run() {
            read.await;
        }
        if let Some(e) = session.dry_run_error() {
            console.note(&format!(
                "the CRM's stock cannot be read: {}",
                e.description()
            ));
            return Exit::Connection;
        }
        let flow = session.flow();
        let Some(diff) = flow.diff() else {
            console.note("the dry run did not finish");
            return Exit::Connection;
        };
        console.say(&diff_summary(&run.name, diff, options.dry_run));
        if options.dry_run {
            console.say(&run.traffic_text());
            run.report(|format| dry_run_report(format, &run.facts(Exit::Applied), diff));
            return Exit::Applied;
        }
    }

    let work: Option<Pin<Box<dyn Future<Output = ()>>>> = if run.resumed {
        Some(Box::pin(session.resume()))
    } else {
        session
            .start()
            .map(|f| Box::pin(f) as Pin<Box<dyn Future<Output = ()>>>)
    };
    if let Some(work) = work {
        work.await;
    }
    if options.state.is_some() && !session.job_saved() {
        console.note("the state could not be written: an interrupted run would start over");
    }
    let finished = session.with_job(|job| {
        let progress = job.progress(client.now_ms());
        let exit = job_exit(job.state, &progress);
        console.say(&upload_summary(&run.name, job, &progress));
        for line in unapplied(job) {
            console.say(&line);
        }
        console.say(&run.traffic_text());
        run.report(|format| upload_report(format, &run.facts(exit), job, &progress));
        exit
    });
    finished.unwrap_or_else(|| {
        console.note("nothing was planned");
        Exit::Partial
    })
}

/// Says why the file cannot be sent as it is, if so: validation problems (every one in the report), no offers,
/// offers without a site while the key has several, sites the key may not use.
fn refuse_invalid<T, C>(
    session: &Rc<UploadSession<T, C>>,
    run: &Run<'_>,
    header: &[String],
    usable: Option<&[String]>,
) -> Option<Exit>
where
    T: crate::api::Transport + 'static,
    C: crate::api::Clock + 'static,
{
    let console = run.console.as_ref();
    let flow = session.flow();
    let validation = flow.validation()?;
    if !validation.problems.is_empty() {
        let mut problems: Vec<&Problem> = validation.problems.iter().collect();
        problems.sort_by_key(|p| (p.line, p.column, p.kind));
        for p in problems.iter().take(LISTED) {
            console.note(&format!("{}: {}", run.name, problem_text(p, header)));
        }
        if problems.len() > LISTED {
            console.note(&format!("… and {} more problems", problems.len() - LISTED));
        }
        let blocking = problems.iter().filter(|p| p.kind.blocks_row()).count();
        console.note(&format!(
            "{} problems in {} ({blocking} keep their rows out, {} are 0/1 values of availability warehouses): \
             nothing sent",
            problems.len(),
            run.name,
            problems.iter().filter(|p| p.kind == ProblemKind::NotZeroOrOne).count()
        ));
        let listed = validation.problems.clone();
        drop(flow);
        let mut rows = None;
        if run
            .options
            .report
            .as_ref()
            .and_then(|p| ReportFormat::of(p))
            == Some(ReportFormat::Csv)
        {
            session.update_flow(|f| rows = f.problem_rows_csv(CsvOptions::default()));
        }
        run.report(|format| match format {
            ReportFormat::Csv => rows.unwrap_or_default(),
            ReportFormat::Json => serde_json::to_string_pretty(
                &serde_json::json!({"run": run.facts(Exit::Invalid), "problems": listed}),
            )
            .unwrap_or_default(),
        });
        return Some(Exit::Invalid);
    }
    if validation.offers.is_empty() {
        console.note(&format!("{} has no offers: nothing sent", run.name));
        return Some(Exit::Invalid);
    }
    let usable = usable?;
    let needs_site = validation
        .offers
        .iter()
        .find(|o| o.site.is_none() && o.key.kind() != KeyKind::Id);
    if let (Some(offer), true) = (needs_site, usable.len() > 1) {
        console.note(&format!(
            "line {} and others have no site and the key may use several ({}): add a site column, pass --site or set \
             defaultSite in the mapping; nothing sent",
            offer.line,
            usable.join(", ")
        ));
        return Some(Exit::Invalid);
    }
    let foreign: Vec<String> = validation
        .offers
        .iter()
        .filter(|o| o.site.as_ref().is_some_and(|s| !usable.contains(s)))
        .take(LISTED)
        .map(|o| format!("line {}: «{}»", o.line, o.site.as_deref().unwrap_or("")))
        .collect();
    if !foreign.is_empty() {
        console.note(&format!(
            "sites the key may not use ({}): {}; nothing sent",
            usable.join(", "),
            foreign.join(", ")
        ));
        return Some(Exit::Invalid);
    }
    None
}

/// The dry run in one line per warehouse.
fn diff_summary(name: &str, diff: &Diff, dry_run: bool) -> String {
    let c = diff.counts();
    let mut text = format!(
        "{name} against the CRM: {} offers, {} change, {} unchanged, {} not in the CRM{}",
        diff.offers.len(),
        c.changed,
        c.unchanged,
        c.not_in_crm,
        if dry_run {
            " (dry run: nothing sent)"
        } else {
            ""
        }
    );
    for t in diff.totals() {
        text.push_str(&format!(
            "\n  {}: quantity {} -> {} ({} offers change)",
            t.code,
            crate::sheet::csv::format_number(t.quantity_before, false),
            crate::sheet::csv::format_number(t.quantity_after, false),
            t.offers_changed
        ));
    }
    text
}

fn upload_summary(name: &str, job: &UploadJob, p: &Progress) -> String {
    if p.chunks_total == 0 {
        return format!("{name}: nothing to send");
    }
    format!(
        "{name}: {} offers in {} chunks; {} processed, {} not found, {} chunks failed ({} offers){}",
        p.offers_total,
        p.chunks_total,
        p.processed,
        p.not_found,
        p.chunks_failed,
        p.offers_failed,
        if job.skipped_offers > 0 {
            format!("; {} offers had nothing to send", job.skipped_offers)
        } else {
            String::new()
        }
    )
}

/// The offers not found and the chunks that failed, the first [`LISTED`] of each.
fn unapplied(job: &UploadJob) -> Vec<String> {
    let mut lines: Vec<String> = job
        .report()
        .filter(|o| o.outcome == crate::upload::job::Outcome::NotFound)
        .take(LISTED)
        .map(|o| {
            format!(
                "  not found: line {} {} {}",
                o.line,
                o.key.kind().wire_name(),
                o.key.value()
            )
        })
        .collect();
    for (i, c) in job.chunks.iter().enumerate() {
        if let ChunkStatus::Failed { error, .. } = &c.status {
            if lines.len() >= 2 * LISTED {
                lines.push("  … (the report lists every offer)".to_string());
                break;
            }
            let first = c.chunk.lines.first().copied().unwrap_or(0);
            let last = c.chunk.lines.last().copied().unwrap_or(0);
            lines.push(format!(
                "  chunk {} failed (lines {first}–{last}): {error}",
                i + 1
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::flow::UploadFlow;
    use crate::upload::offer::OfferKey;
    use crate::upload::plan::PlanLimits;
    use crate::upload::warehouse::test_warehouses;

    /// A job of four offers in chunks of two, made as the panel makes it (file, mapping, validation, plan), whose
    /// first chunk ends as `first` says and the second is applied.
    fn job_where(first: impl FnOnce(&mut UploadJob, usize)) -> UploadJob {
        let mut flow = UploadFlow::new();
        flow.set_warehouses(test_warehouses(), |_| None);
        let file = "externalId;main\no0;1\no1;1\no2;1\no3;1\n";
        flow.load("s.csv", Source::Paste(file.into()), |_| None);
        let limits = PlanLimits {
            max_offers: 2,
            ..PlanLimits::default()
        };
        let mut job = UploadJob::new(flow.plan(limits).unwrap_or_default());
        job.resume(0.0);
        let a = job.next_chunk().unwrap_or(99);
        first(&mut job, a);
        let b = job.next_chunk().unwrap_or(99);
        assert_eq!(job.mark_sent(b, 2, vec![]), Ok(()));
        job
    }

    #[test]
    fn exit_codes_follow_what_was_applied() {
        let all = job_where(|j, a| assert_eq!(j.mark_sent(a, 2, vec![]), Ok(())));
        assert_eq!(job_exit(all.state, &all.progress(0.0)), Exit::Applied);
        assert!(unapplied(&all).is_empty());

        let missing = OfferKey::ExternalId("o1".into());
        let some = job_where(|j, a| assert_eq!(j.mark_sent(a, 1, vec![missing]), Ok(())));
        assert_eq!(job_exit(some.state, &some.progress(0.0)), Exit::Partial);
        assert_eq!(
            unapplied(&some),
            vec!["  not found: line 3 externalId o1".to_string()]
        );

        let error = "The CRM answered HTTP 500";
        let failed = job_where(|j, a| assert_eq!(j.mark_failed(a, error.into(), true), Ok(())));
        assert_eq!(job_exit(failed.state, &failed.progress(0.0)), Exit::Partial);
        assert_eq!(
            unapplied(&failed),
            vec![format!("  chunk 1 failed (lines 2–3): {error}")]
        );
        assert_eq!(
            [
                Exit::Applied,
                Exit::Invalid,
                Exit::Partial,
                Exit::Connection,
                Exit::Busy
            ]
            .map(Exit::code),
            [0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn problems_name_their_cells() {
        let header = vec!["externalId".to_string(), "main".to_string()];
        let p = Problem {
            kind: ProblemKind::NotANumber,
            line: 5,
            column: 1,
            value: "x".into(),
            first_line: None,
            first_column: None,
        };
        assert_eq!(
            problem_text(&p, &header),
            "line 5, column 2 (main): «x»: Not a number"
        );
        let twin = Problem {
            kind: ProblemKind::DuplicateKey,
            column: 0,
            first_line: Some(2),
            ..p
        };
        assert_eq!(
            problem_text(&twin, &header),
            "line 5, column 1 (externalId): «x»: The offer appears again (first on line 2)"
        );
    }
}
