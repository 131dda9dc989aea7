//! Model-based test of the upload: random sequences of operator actions (pick a file, change the mapping, dry run,
//! upload, pause, resume, cancel, discard, reload, switch account, wait) against an in-memory CRM with two accounts,
//! in simulated time with several requests in flight. After every sequence:
//! - every value an account received is one the file of its current upload states (no value from another file, a
//!   dry run, or another account's job; a blank cell is never sent);
//! - no chunk is sent again after its success reached the panel (across pause, resume and reload);
//! - an upload that ends "done" leaves the account with every value its file states.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::stream::{FuturesUnordered, StreamExt};
use proptest::prelude::*;

use super::fake_crm::FakeCrm;
use super::flow::Source;
use super::job::JobState;
use super::mapping::Layout;
use super::saved::JobOwner;
use super::session::UploadSession;
use super::warehouse::Warehouse;
use crate::api::sim::{run, SimClock, SimTransport};
use crate::api::{CancelToken, Client, Clock, Method, TrafficConfig};
use crate::connection::key::key_fingerprint;
use crate::device::{DeviceStore, LargeStore, MemoryStore};
use futures_util::FutureExt;

const ACCOUNTS: [&str; 2] = ["https://a.example", "https://b.example"];
const KEYS: [&str; 2] = ["key-a", "key-b"];
const SITE: &str = "s1";
const OFFERS: usize = 700;
const WAREHOUSES: [&str; 2] = ["main", "north"];
/// The file's value columns: (warehouse, is price).
const COLUMNS: [(&str, bool); 4] = [
    ("main", false),
    ("main", true),
    ("north", false),
    ("north", true),
];

#[derive(Debug, Clone)]
enum Action {
    Pick(u64),
    DropColumn(usize),
    Suggest,
    DryRun,
    OnlyChanged(bool),
    Upload,
    Pause,
    Resume,
    Cancel,
    Discard,
    Wait(u32),
    Reload,
    Switch,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => any::<u64>().prop_map(Action::Pick),
        1 => (0usize..4).prop_map(Action::DropColumn),
        1 => Just(Action::Suggest),
        2 => Just(Action::DryRun),
        1 => any::<bool>().prop_map(Action::OnlyChanged),
        3 => Just(Action::Upload),
        2 => Just(Action::Pause),
        2 => Just(Action::Resume),
        1 => Just(Action::Cancel),
        1 => Just(Action::Discard),
        5 => (50u32..4000).prop_map(Action::Wait),
        1 => Just(Action::Reload),
        1 => Just(Action::Switch),
    ]
}

/// A tiny deterministic generator for the files' contents.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A generated stock file: its text and the cells it states per (externalId, column).
#[derive(Debug, Clone)]
struct FileSpec {
    text: String,
    /// Which of [`COLUMNS`] the file has.
    columns: Vec<usize>,
    cells: BTreeMap<(String, usize), f64>,
}

fn file(seed: u64) -> FileSpec {
    let mut rng = Rng(seed | 1);
    let mut columns: Vec<usize> = (0..4).filter(|_| rng.next(3) > 0).collect();
    if columns.is_empty() {
        columns.push(1); // a price-only file
    }
    let rows = 1 + rng.next(600) as usize;
    let start = rng.next(OFFERS as u64) as usize;
    let header: Vec<String> = std::iter::once("externalId".to_string())
        .chain(columns.iter().map(|&c| {
            let (w, price) = COLUMNS[c];
            if price {
                format!("{w}:purchasePrice")
            } else {
                w.to_string()
            }
        }))
        .collect();
    let mut text = header.join(";") + "\n";
    let mut cells = BTreeMap::new();
    for r in 0..rows {
        // Some keys the CRM does not have.
        let key = if rng.next(40) == 0 {
            format!("ghost-{r}")
        } else {
            format!("offer-{:06}", (start + r) % OFFERS)
        };
        if cells.keys().any(|(k, _): &(String, usize)| *k == key) {
            continue;
        }
        let mut row = vec![key.clone()];
        for &c in &columns {
            if rng.next(4) == 0 {
                row.push(String::new());
            } else {
                let v = if COLUMNS[c].1 {
                    rng.next(10_000) as f64 / 100.0
                } else {
                    rng.next(50) as f64
                };
                cells.insert((key.clone(), c), v);
                row.push(v.to_string().replace('.', ","));
            }
        }
        text.push_str(&row.join(";"));
        text.push('\n');
    }
    FileSpec {
        text,
        columns,
        cells,
    }
}

/// One upload as the operator started it: when, on which account, and what its file (as mapped) states.
#[derive(Debug)]
struct Generation {
    account: usize,
    start: f64,
    /// (externalId, warehouse) -> (quantity, price) as stated.
    stated: BTreeMap<(String, String), (Option<f64>, Option<f64>)>,
    checked: bool,
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

struct World {
    clock: SimClock,
    transport: SimTransport,
    crm: FakeCrm,
    store: Rc<MemoryStore>,
    account: usize,
    leave: CancelToken,
    session: Rc<UploadSession<SimTransport, SimClock>>,
    file: Option<FileSpec>,
    dropped: BTreeSet<usize>,
    generations: Vec<Generation>,
    tasks: FuturesUnordered<Task>,
}

fn warehouses() -> Vec<Warehouse> {
    WAREHOUSES
        .iter()
        .map(|w| Warehouse {
            code: w.to_string(),
            name: w.to_uppercase(),
            available_type: false,
        })
        .collect()
}

impl World {
    fn new() -> World {
        let clock = SimClock::default();
        let crm = FakeCrm::default();
        for a in ACCOUNTS {
            crm.add_account(a, SITE, OFFERS, &WAREHOUSES);
        }
        let handler = crm.clone();
        let transport = SimTransport::new(&clock, 300.0, move |req, now| handler.handle(req, now));
        let store = Rc::new(MemoryStore::default());
        let leave = CancelToken::new();
        let session = Self::open(&clock, &transport, &store, 0, &leave);
        World {
            clock,
            transport,
            crm,
            store,
            account: 0,
            leave,
            session,
            file: None,
            dropped: BTreeSet::new(),
            generations: Vec::new(),
            tasks: FuturesUnordered::new(),
        }
    }

    /// The screen opened (again) on account `account`.
    fn open(
        clock: &SimClock,
        transport: &SimTransport,
        store: &Rc<MemoryStore>,
        account: usize,
        leave: &CancelToken,
    ) -> Rc<UploadSession<SimTransport, SimClock>> {
        let client = Client::new(
            ACCOUNTS[account],
            KEYS[account],
            transport.clone(),
            clock.clone(),
            TrafficConfig::default(),
        )
        .with_cancel(leave.child());
        let owner = JobOwner {
            account: ACCOUNTS[account].to_string(),
            site: Some(SITE.to_string()),
            key: key_fingerprint(KEYS[account]),
        };
        let device: Rc<dyn DeviceStore> = store.clone();
        let large: Rc<dyn LargeStore> = store.clone();
        let session = UploadSession::new(client, device, large, owner);
        // The memory store answers at once: the saved job is back before the operator's next action.
        assert_eq!(session.recover().now_or_never(), Some(()));
        session.update_flow(|f| f.set_default_site(Some(SITE.to_string())));
        session.set_warehouses(warehouses());
        session
    }

    /// The screen is left (its requests stop) and opened again on `account`.
    fn reopen(&mut self, account: usize) {
        self.leave.cancel();
        self.leave = CancelToken::new();
        self.account = account;
        self.session = Self::open(
            &self.clock,
            &self.transport,
            &self.store,
            account,
            &self.leave,
        );
        self.file = None;
        self.dropped.clear();
    }

    fn spawn(&mut self, task: Option<impl Future<Output = ()> + 'static>) {
        if let Some(t) = task {
            self.tasks.push(Box::pin(t));
        }
    }

    /// What the current file states, as mapped (dropped columns left out).
    fn stated(&self) -> BTreeMap<(String, String), (Option<f64>, Option<f64>)> {
        let mut out: BTreeMap<(String, String), (Option<f64>, Option<f64>)> = BTreeMap::new();
        if let Some(f) = &self.file {
            for ((key, c), v) in &f.cells {
                if self.dropped.contains(c) {
                    continue;
                }
                let (w, price) = COLUMNS[*c];
                let cell = out.entry((key.clone(), w.to_string())).or_default();
                if price {
                    cell.1 = Some(*v);
                } else {
                    cell.0 = Some(*v);
                }
            }
        }
        out
    }

    /// The file's value columns the mapping leaves out (a mapping remembered for the same header may leave some).
    fn unmapped(&self) -> BTreeSet<usize> {
        let Some(f) = &self.file else {
            return BTreeSet::new();
        };
        let mapped: Vec<usize> = match self.session.flow().mapping().map(|m| m.layout.clone()) {
            Some(Layout::Wide { columns }) => columns.iter().map(|c| c.column).collect(),
            _ => Vec::new(),
        };
        f.columns
            .iter()
            .enumerate()
            .filter(|(position, _)| !mapped.contains(&(position + 1)))
            .map(|(_, c)| *c)
            .collect()
    }

    fn drop_column(&mut self, c: usize) {
        let Some(f) = &self.file else { return };
        let Some(position) = f.columns.iter().position(|x| *x == c) else {
            return;
        };
        let column = position + 1;
        let Some(mut mapping) = self.session.flow().mapping().cloned() else {
            return;
        };
        if let Layout::Wide { columns } = &mut mapping.layout {
            columns.retain(|sc| sc.column != column);
        }
        self.dropped.insert(c);
        self.session.update_flow(|flow| flow.set_mapping(mapping));
    }

    async fn wait(&mut self, ms: f64) {
        let clock = self.clock.clone();
        {
            let sleep = clock.sleep_ms(ms);
            futures_util::pin_mut!(sleep);
            loop {
                if self.tasks.is_empty() {
                    sleep.as_mut().await;
                    break;
                }
                match futures_util::future::select(sleep.as_mut(), self.tasks.next()).await {
                    futures_util::future::Either::Left(_) => break,
                    futures_util::future::Either::Right(_) => self.check_done(),
                }
            }
        }
        self.check_done();
    }

    /// An upload that just ended "done" left every value its file states in the CRM.
    fn check_done(&mut self) {
        let done = self.session.with_job(|j| j.state == JobState::Done) == Some(true);
        let account = self.account;
        let Some(g) = self
            .generations
            .iter_mut()
            .rev()
            .find(|g| g.account == account)
        else {
            return;
        };
        if !done || g.checked {
            return;
        }
        g.checked = true;
        for ((key, w), (q, p)) in &g.stated {
            let Some((cq, cp)) = self.crm.cell(ACCOUNTS[account], key, w) else {
                continue; // an offer the CRM does not have
            };
            if let Some(q) = q {
                assert_eq!(cq, *q, "{key} {w}: quantity after a done upload");
            }
            if let Some(p) = p {
                assert_eq!(cp, Some(*p), "{key} {w}: price after a done upload");
            }
        }
    }

    async fn act(&mut self, action: &Action) {
        let s = self.session.clone();
        match action {
            Action::Pick(seed) => {
                let f = file(*seed);
                s.load("stock.csv", Source::File(f.text.clone().into_bytes()));
                self.file = Some(f);
                self.dropped = self.unmapped();
            }
            Action::DropColumn(c) => self.drop_column(*c),
            Action::Suggest => {
                s.update_flow(|f| f.suggest());
                self.dropped = self.unmapped();
            }
            Action::DryRun => self.spawn(s.dry_run()),
            Action::OnlyChanged(on) => s.update_flow(|f| f.set_only_changed(*on)),
            Action::Upload => {
                let task = s.start();
                if task.is_some() {
                    self.generations.push(Generation {
                        account: self.account,
                        start: self.clock.now(),
                        stated: self.stated(),
                        checked: false,
                    });
                }
                self.spawn(task);
            }
            Action::Pause => s.pause(),
            Action::Resume => self.spawn(Some(s.resume())),
            Action::Cancel => s.cancel(),
            Action::Discard => s.discard(),
            Action::Wait(ms) => self.wait(f64::from(*ms)).await,
            Action::Reload => self.reopen(self.account),
            Action::Switch => self.reopen(1 - self.account),
        }
    }

    /// Finishes every open upload on both accounts.
    async fn finish(&mut self) {
        for account in [self.account, 1 - self.account] {
            self.reopen(account);
            let s = self.session.clone();
            if s.with_job(|j| j.is_open()) == Some(true) {
                self.spawn(Some(s.resume()));
                while s.with_job(|j| j.is_open()) == Some(true) {
                    self.wait(1000.0).await;
                }
            }
        }
    }

    /// Every value an account received belongs to the file of the upload then current on that account; and no chunk
    /// went again after its success reached the panel.
    fn check_wire(&self) {
        let accounts = self.crm.accounts.borrow();
        for (a, address) in ACCOUNTS.iter().enumerate() {
            for applied in &accounts[*address].applied {
                let g = self
                    .generations
                    .iter()
                    .rev()
                    .find(|g| g.account == a && g.start <= applied.at)
                    .unwrap_or_else(|| {
                        let first: Vec<_> = applied.values.iter().take(3).collect();
                        panic!("{address} got an upload nobody started, e.g. {first:?}")
                    });
                for (key, w, q, p) in &applied.values {
                    let stated = g.stated.get(&(key.clone(), w.clone()));
                    assert!(stated.is_some(), "{address}: {key} {w} was not in the file");
                    let (sq, sp) = stated.copied().unwrap_or_default();
                    assert_eq!(
                        *q, sq,
                        "{address}: {key} {w} quantity sent {q:?}, file {sq:?}"
                    );
                    assert_eq!(*p, sp, "{address}: {key} {w} price sent {p:?}, file {sp:?}");
                }
            }
        }
        let sent = self.transport.sent();
        let delivered = self.transport.delivered();
        for (i, (at, req)) in sent.iter().enumerate() {
            if req.method != Method::Post || delivered[i] != Some(200) {
                continue;
            }
            let again = sent.iter().skip(i + 1).find(|(later, other)| {
                other.body == req.body && other.url == req.url && {
                    // Only within the same upload: the same file uploaded again later is a new upload.
                    let generation = |t: f64| {
                        self.generations
                            .iter()
                            .filter(|g| req.url.starts_with(ACCOUNTS[g.account]) && g.start <= t)
                            .count()
                    };
                    generation(*later) == generation(*at)
                }
            });
            assert!(
                again.is_none(),
                "a chunk was sent again after its success (request {i})"
            );
        }
    }
}

fn play(actions: &[Action]) {
    let mut world = World::new();
    let clock = world.clock.clone();
    run(&clock, async {
        for a in actions {
            world.act(a).await;
        }
        world.finish().await;
    });
    world.check_wire();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn operators_never_send_stale_doubled_or_misdirected_values(actions in prop::collection::vec(action(), 5..40)) {
        play(&actions);
    }
}

/// A seed whose file has at least `rows` offers the CRM has (so that its upload takes several chunks).
fn seed_with_rows(rows: usize) -> u64 {
    (1..)
        .find(|s| {
            file(*s)
                .cells
                .keys()
                .filter(|(k, _)| k.starts_with("offer"))
                .count()
                / 2
                >= rows
        })
        .unwrap_or(1)
}

#[test]
fn the_issue_sequences() {
    use Action::*;
    // A reload after some chunks succeeded, then resume: those are not sent again.
    let big = seed_with_rows(500);
    play(&[Pick(big), Upload, Wait(450), Reload, Resume, Wait(30_000)]);
    play(&[
        Pick(big),
        Upload,
        Wait(350),
        Pause,
        Wait(500),
        Reload,
        Resume,
        Wait(30_000),
    ]);
    // Case 1: a dry run of one file, then a price-only file uploaded without a new dry run.
    play(&[Pick(7), DryRun, Wait(3000), Pick(11), Upload, Wait(20_000)]);
    // Only what changed after a dry run of the same file: blank quantities stay unsent.
    play(&[Pick(big), DryRun, Wait(5000), Upload, Wait(30_000)]);
    // Case 2-like: pause and resume while requests are in flight, reload mid-way, resume.
    play(&[
        Pick(3),
        Upload,
        Wait(150),
        Pause,
        Wait(100),
        Resume,
        Wait(400),
        Reload,
        Resume,
        Wait(30_000),
    ]);
    // Case 3: a job left on account A is not resumed from account B.
    play(&[
        Pick(5),
        Upload,
        Wait(250),
        Switch,
        Resume,
        Pick(9),
        Upload,
        Wait(30_000),
    ]);
}
