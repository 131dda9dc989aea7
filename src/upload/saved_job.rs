//! The upload job in a compact form for the browser's small storage: the plan written once, a small status record after each chunk.
//!
//! A 100,000-offer job as plain JSON is ~8 MB, over localStorage's quota. Here each chunk keeps its store
//! codes once, its keys as a common prefix and suffixes, its file lines as run-length deltas and its
//! values as one short text; the status record names not-found offers by their index in the chunk.

use serde::{Deserialize, Serialize};

use super::job::{ChunkStatus, JobChunk, JobState, UploadJob};
use super::offer::{KeyKind, OfferKey, StoreCode};
use super::plan::{Chunk, UploadItem, UploadStore};

/// One chunk of the plan, compact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SavedChunk {
    /// The site (`None`: the connection's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    s: Option<String>,
    /// The key kind.
    k: KeyKind,
    /// The keys' common prefix.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    p: String,
    /// The keys after the prefix.
    x: Vec<String>,
    /// The store codes used in this chunk.
    c: Vec<String>,
    /// The values (see [`encode_values`]).
    v: String,
    /// File lines as deltas from the previous (the first from 0), runs as `delta*count`, `,`-separated.
    l: String,
}

/// The plan part, written once when the job starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPlan {
    chunks: Vec<SavedChunk>,
}

/// One chunk's status, compact: `p` pending (also what was sending), `d` done, `f` failed (stored as [`StatusWire`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StatusWire", into = "StatusWire")]
enum SavedStatus {
    Pending {
        a: u32,
    },
    Done {
        a: u32,
        n: u64,
        /// Indices of the not-found offers within the chunk.
        nf: Vec<u32>,
    },
    Failed {
        a: u32,
        e: String,
        r: bool,
    },
}

/// A [`SavedStatus`] as stored: its tag `t` beside its fields, `{"t":"d","a":1,"n":250}`. A plain struct rather than
/// serde's internally tagged enum (same text), whose decoder buffers every value first and so compiles a second
/// deserializer into the wasm.
#[derive(Serialize, Deserialize)]
struct StatusWire {
    t: String,
    a: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    nf: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<bool>,
}

impl TryFrom<StatusWire> for SavedStatus {
    type Error = &'static str;

    fn try_from(w: StatusWire) -> Result<Self, Self::Error> {
        match (w.t.as_str(), w.n, w.e, w.r) {
            ("p", ..) => Ok(SavedStatus::Pending { a: w.a }),
            ("d", Some(n), ..) => Ok(SavedStatus::Done {
                a: w.a,
                n,
                nf: w.nf,
            }),
            ("f", _, Some(e), Some(r)) => Ok(SavedStatus::Failed { a: w.a, e, r }),
            _ => Err("a chunk status of an unknown kind or without its fields"),
        }
    }
}

impl From<SavedStatus> for StatusWire {
    fn from(status: SavedStatus) -> Self {
        let wire = |t: &str, a| StatusWire {
            t: t.to_owned(),
            a,
            n: None,
            nf: Vec::new(),
            e: None,
            r: None,
        };
        match status {
            SavedStatus::Pending { a } => wire("p", a),
            SavedStatus::Done { a, n, nf } => StatusWire {
                n: Some(n),
                nf,
                ..wire("d", a)
            },
            SavedStatus::Failed { a, e, r } => StatusWire {
                e: Some(e),
                r: Some(r),
                ..wire("f", a)
            },
        }
    }
}

/// The status part, written after every change (a few bytes per chunk).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedStatusRecord {
    state: JobState,
    skipped: usize,
    /// Rows left out for their problems.
    #[serde(default)]
    rs: usize,
    retries: u32,
    chunks: Vec<SavedStatus>,
}

fn common_prefix<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    let mut prefix: Option<&str> = None;
    for k in keys {
        prefix = Some(match prefix {
            None => k,
            Some(p) => {
                let len = p
                    .char_indices()
                    .zip(k.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(p.len().min(k.len()), |((i, _), _)| i);
                // `len` is a char boundary of `p`; and the same bytes in `k`.
                p.get(..len).unwrap_or("")
            }
        });
    }
    prefix.unwrap_or("").to_string()
}

fn encode_lines(lines: &[usize]) -> String {
    let mut runs: Vec<(i64, usize)> = Vec::new();
    let mut previous = 0i64;
    for &line in lines {
        let line = i64::try_from(line).unwrap_or(i64::MAX);
        let delta = line.saturating_sub(previous);
        previous = line;
        match runs.last_mut() {
            Some((d, n)) if *d == delta => *n += 1,
            _ => runs.push((delta, 1)),
        }
    }
    runs.iter()
        .map(|(d, n)| {
            if *n == 1 {
                d.to_string()
            } else {
                format!("{d}*{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn decode_lines(text: &str) -> Option<Vec<usize>> {
    let mut lines = Vec::new();
    let mut line = 0i64;
    for run in text.split(',').filter(|r| !r.is_empty()) {
        let (delta, count) = match run.split_once('*') {
            Some((d, n)) => (d.parse::<i64>().ok()?, n.parse::<usize>().ok()?),
            None => (run.parse::<i64>().ok()?, 1),
        };
        for _ in 0..count {
            line = line.checked_add(delta)?;
            lines.push(usize::try_from(line).ok()?);
        }
    }
    Some(lines)
}

/// Per offer, `;`-separated: per store code, `,`-separated: empty (not sent), `q`, `q/price` or `/price`; an offer whose
/// stores are in another order than `codes` starts with `@i.j.k:` (their indices in `codes`).
/// `None` when an offer names a store twice.
fn encode_values(items: &[UploadItem], codes: &[String]) -> Option<String> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        let order: Vec<usize> = item
            .stores
            .iter()
            .filter_map(|s| codes.iter().position(|c| **c == *s.code))
            .collect();
        if !order.windows(2).all(|w| w[0] < w[1]) {
            if (1..order.len()).any(|k| order[..k].contains(&order[k])) {
                return None;
            }
            let order: Vec<String> = order.iter().map(usize::to_string).collect();
            out.push('@');
            out.push_str(&order.join("."));
            out.push(':');
        }
        for (j, code) in codes.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            if let Some(s) = item.stores.iter().find(|s| *s.code == **code) {
                if let Some(available) = s.available {
                    out.push_str(&available.to_string());
                }
                if let Some(price) = s.purchase_price {
                    out.push('/');
                    out.push_str(&price.to_string());
                }
            }
        }
    }
    Some(out)
}

fn decode_stores(text: &str, codes: &[StoreCode]) -> Option<Vec<UploadStore>> {
    let (order, text) = match text.strip_prefix('@') {
        Some(rest) => {
            let (order, cells) = rest.split_once(':')?;
            let order = order
                .split('.')
                .map(|i| i.parse::<usize>().ok())
                .collect::<Option<Vec<_>>>()?;
            (Some(order), cells)
        }
        None => (None, text),
    };
    if codes.is_empty() && text.is_empty() {
        return Some(Vec::new());
    }
    let cells: Vec<&str> = text.split(',').collect();
    if cells.len() != codes.len() {
        return None;
    }
    let mut stores: Vec<(usize, UploadStore)> = Vec::new();
    for (index, (cell, code)) in cells.into_iter().zip(codes).enumerate() {
        if cell.is_empty() {
            continue;
        }
        let quantity = |q: &str| -> Option<Option<f64>> {
            if q.is_empty() {
                Some(None)
            } else {
                crate::decimal::parse(q).map(Some)
            }
        };
        let (available, price) = match cell.split_once('/') {
            Some((q, p)) => (quantity(q)?, Some(crate::decimal::parse(p)?)),
            None => (Some(crate::decimal::parse(cell)?), None),
        };
        let store = UploadStore {
            code: code.clone(),
            available,
            purchase_price: price,
        };
        stores.push((index, store));
    }
    match order {
        None => Some(stores.into_iter().map(|(_, s)| s).collect()),
        Some(order) if order.len() == stores.len() => order
            .iter()
            .map(|i| stores.iter().find(|(j, _)| j == i).map(|(_, s)| s.clone()))
            .collect(),
        Some(_) => None,
    }
}

impl SavedChunk {
    /// `None` when the chunk mixes key kinds or an offer names a store twice.
    fn of(chunk: &Chunk) -> Option<SavedChunk> {
        let kind = chunk
            .items
            .first()
            .map_or(KeyKind::ExternalId, |i| i.key.kind());
        if chunk.items.iter().any(|i| i.key.kind() != kind) {
            return None;
        }
        let keys: Vec<String> = chunk.items.iter().map(|i| i.key.value()).collect();
        let prefix = common_prefix(keys.iter().map(String::as_str));
        let mut codes: Vec<String> = Vec::new();
        for item in &chunk.items {
            for s in &item.stores {
                if !codes.iter().any(|c| **c == *s.code) {
                    codes.push(s.code.to_string());
                }
            }
        }
        Some(SavedChunk {
            s: chunk.site.clone(),
            k: kind,
            x: keys
                .iter()
                .map(|k| k.get(prefix.len()..).unwrap_or(k).to_string())
                .collect(),
            p: prefix,
            v: encode_values(&chunk.items, &codes)?,
            c: codes,
            l: encode_lines(&chunk.lines),
        })
    }

    fn restore(&self) -> Option<Chunk> {
        let values: Vec<&str> = if self.x.is_empty() {
            Vec::new()
        } else {
            self.v.split(';').collect()
        };
        let lines = decode_lines(&self.l)?;
        let codes: Vec<StoreCode> = self.c.iter().map(|c| StoreCode::from(c.as_str())).collect();
        if values.len() != self.x.len() || lines.len() != self.x.len() {
            return None;
        }
        let items = self
            .x
            .iter()
            .zip(values)
            .map(|(suffix, cells)| {
                Some(UploadItem {
                    key: OfferKey::parse(self.k, &format!("{}{suffix}", self.p))?,
                    stores: decode_stores(cells, &codes)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Chunk {
            site: self.s.clone(),
            items,
            lines,
        })
    }
}

impl SavedPlan {
    /// The plan of `job` as the JSON of its [`SavedPlan`], made one chunk at a time (a large plan's compact
    /// form is never held whole next to its text); `None` if a chunk mixes key kinds (never from one file)
    /// or an offer names a store twice (validation refuses that).
    pub fn json(job: &UploadJob) -> Option<String> {
        let mut out = String::from(r#"{"chunks":["#);
        for (i, c) in job.chunks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(&SavedChunk::of(&c.chunk)?).ok()?);
        }
        out.push_str("]}");
        Some(out)
    }

    /// The plan of `job`, compact and lossless; `None` as for [`SavedPlan::json`].
    #[cfg(test)]
    fn of(job: &UploadJob) -> Option<SavedPlan> {
        Some(SavedPlan {
            chunks: job
                .chunks
                .iter()
                .map(|c| SavedChunk::of(&c.chunk))
                .collect::<Option<_>>()?,
        })
    }
}

impl SavedStatusRecord {
    /// Whether the job was still to finish when saved.
    pub fn is_open(&self) -> bool {
        matches!(
            self.state,
            JobState::Planned | JobState::Running | JobState::Paused
        )
    }

    /// The status of `job`: a chunk in flight is saved as pending, as [`UploadJob::recover`] would make it.
    pub fn of(job: &UploadJob) -> SavedStatusRecord {
        let chunks = job
            .chunks
            .iter()
            .map(|c| match &c.status {
                ChunkStatus::Pending | ChunkStatus::Sending { .. } => {
                    SavedStatus::Pending { a: c.attempts }
                }
                ChunkStatus::Done {
                    processed,
                    not_found,
                } => SavedStatus::Done {
                    a: c.attempts,
                    n: *processed,
                    nf: c
                        .chunk
                        .items
                        .iter()
                        .enumerate()
                        .filter(|(_, i)| not_found.contains(&i.key))
                        .filter_map(|(index, _)| u32::try_from(index).ok())
                        .collect(),
                },
                ChunkStatus::Failed { error, retryable } => SavedStatus::Failed {
                    a: c.attempts,
                    e: error.clone(),
                    r: *retryable,
                },
            })
            .collect();
        SavedStatusRecord {
            state: job.state,
            skipped: job.skipped_offers,
            rs: job.rows_skipped,
            retries: job.retries,
            chunks,
        }
    }
}

/// The job again from its two parts, recovered (see [`UploadJob::recover`]); `None` when they do not fit
/// together (a status from another plan, a damaged value).
pub fn restore(plan: &SavedPlan, status: &SavedStatusRecord) -> Option<UploadJob> {
    if plan.chunks.len() != status.chunks.len() {
        return None;
    }
    let chunks = plan
        .chunks
        .iter()
        .zip(&status.chunks)
        .map(|(saved, st)| {
            let chunk = saved.restore()?;
            let (status, attempts) = match st {
                SavedStatus::Pending { a } => (ChunkStatus::Pending, *a),
                SavedStatus::Done { a, n, nf } => {
                    let not_found = nf
                        .iter()
                        .map(|&i| {
                            let i = usize::try_from(i).ok()?;
                            chunk.items.get(i).map(|item| item.key.clone())
                        })
                        .collect::<Option<Vec<_>>>()?;
                    (
                        ChunkStatus::Done {
                            processed: *n,
                            not_found,
                        },
                        *a,
                    )
                }
                SavedStatus::Failed { a, e, r } => (
                    ChunkStatus::Failed {
                        error: e.clone(),
                        retryable: *r,
                    },
                    *a,
                ),
            };
            Some(JobChunk {
                chunk,
                status,
                attempts,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let mut job = UploadJob::restored(status.state, chunks, status.skipped, status.retries);
    job.rows_skipped = status.rs;
    job.recover();
    Some(job)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::offer::{OfferStock, StoreValue};
    use crate::upload::plan::{plan_upload, PlanLimits};

    fn offers(n: usize, stores: usize, prices: bool) -> Vec<OfferStock> {
        (0..n)
            .map(|i| OfferStock {
                key: OfferKey::ExternalId(format!("offer-{:06}", i + 1)),
                site: Some(if i % 3 == 0 { "shop-a" } else { "shop-b" }.into()),
                line: i + 2 + i / 7,
                stores: (0..stores)
                    .map(|s| StoreValue {
                        code: format!("store-{s}").into(),
                        quantity: if (i + s) % 11 == 0 {
                            None
                        } else {
                            Some(((i * 7 + s * 13) % 1000) as f64)
                        },
                        purchase_price: prices.then_some(((i * 31 + s) % 100_000) as f64 / 100.0),
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn chunk_statuses_keep_their_stored_text() {
        let stored = [
            (SavedStatus::Pending { a: 1 }, r#"{"t":"p","a":1}"#),
            (
                SavedStatus::Done {
                    a: 2,
                    n: 250,
                    nf: vec![],
                },
                r#"{"t":"d","a":2,"n":250}"#,
            ),
            (
                SavedStatus::Done {
                    a: 1,
                    n: 248,
                    nf: vec![3, 9],
                },
                r#"{"t":"d","a":1,"n":248,"nf":[3,9]}"#,
            ),
            (
                SavedStatus::Failed {
                    a: 3,
                    e: "HTTP 500".into(),
                    r: true,
                },
                r#"{"t":"f","a":3,"e":"HTTP 500","r":true}"#,
            ),
        ];
        for (status, text) in stored {
            assert_eq!(serde_json::to_string(&status).unwrap(), text);
            assert_eq!(
                crate::api::lenient::from_text::<SavedStatus>(text).unwrap(),
                status
            );
        }
        for bad in [
            r#"{"t":"x","a":1}"#,
            r#"{"t":"d","a":1}"#,
            r#"{"t":"f","a":1,"e":"x"}"#,
        ] {
            assert!(
                crate::api::lenient::from_text::<SavedStatus>(bad).is_err(),
                "{bad}"
            );
        }
    }

    fn round_trip(job: &UploadJob) -> Option<UploadJob> {
        let plan = SavedPlan::json(job)?;
        assert_eq!(
            Some(&plan),
            serde_json::to_string(&SavedPlan::of(job)?).ok().as_ref()
        );
        let status = serde_json::to_string(&SavedStatusRecord::of(job)).ok()?;
        restore(
            &serde_json::from_str(&plan).ok()?,
            &serde_json::from_str(&status).ok()?,
        )
    }

    #[test]
    fn lossless_and_recovered_after_a_reload() {
        let mut job = UploadJob::new(plan_upload(&offers(1000, 5, true), PlanLimits::default()));
        job.resume(0.0);
        let a = job.next_chunk().unwrap_or(99);
        let b = job.next_chunk().unwrap_or(99);
        let c = job.next_chunk().unwrap_or(99);
        let missing = job.chunks[a].chunk.items[3].key.clone();
        assert_eq!(job.mark_sent(a, 249, vec![missing]), Ok(()));
        assert_eq!(job.mark_failed(b, "Upstream: 500".into(), true), Ok(()));
        let restored = round_trip(&job);
        let mut expected = job.clone();
        expected.recover();
        assert_eq!(restored.as_ref(), Some(&expected));
        let Some(restored) = restored else { return };
        assert_eq!(restored.state, JobState::Paused);
        assert_eq!(
            restored.chunks[c].status,
            ChunkStatus::Pending,
            "in flight: pending again"
        );
        assert!(restored.report().eq(expected.report()));
    }

    #[test]
    fn ids_xml_ids_odd_keys_and_lines_round_trip() {
        let mut all = offers(10, 2, false);
        for (i, o) in all.iter_mut().enumerate() {
            o.key = OfferKey::Id(1_000_000 + i as u64 * 3);
            o.line = [5, 2, 9, 100, 101, 102, 103, 50, 51, 1][i];
        }
        let job = UploadJob::new(plan_upload(&all, PlanLimits::default()));
        assert_eq!(round_trip(&job), Some(job));
        let weird: Vec<OfferStock> = ["é,;/*x", "é,;/*y", "", "ж"]
            .iter()
            .enumerate()
            .map(|(i, k)| OfferStock {
                key: OfferKey::XmlId(k.to_string()),
                site: None,
                line: i + 2,
                stores: vec![StoreValue {
                    code: "a,b;c/d".into(),
                    quantity: Some(0.1 + 0.2),
                    purchase_price: Some(-1e-300),
                }],
            })
            .collect();
        let job = UploadJob::new(plan_upload(&weird, PlanLimits::default()));
        assert_eq!(round_trip(&job), Some(job));
    }

    #[test]
    fn a_hundred_thousand_offers_fit_the_quota() {
        let job = UploadJob::new(plan_upload(
            &offers(100_000, 5, false),
            PlanLimits::default(),
        ));
        let plan = serde_json::to_string(&SavedPlan::of(&job)).unwrap_or_default();
        let status = serde_json::to_string(&SavedStatusRecord::of(&job)).unwrap_or_default();
        let full = serde_json::to_string(&job).unwrap_or_default();
        assert!(plan.len() < 4_000_000, "plan {} chars", plan.len());
        assert!(status.len() < 20_000, "status {} chars", status.len());
        assert!(
            plan.len() * 3 < full.len(),
            "{} vs {}",
            plan.len(),
            full.len()
        );
    }

    #[test]
    fn mismatched_or_damaged_parts_are_refused() -> Result<(), &'static str> {
        let job = UploadJob::new(plan_upload(&offers(300, 1, false), PlanLimits::default()));
        let other = UploadJob::new(plan_upload(&offers(600, 1, false), PlanLimits::default()));
        assert_eq!(
            restore(
                &SavedPlan::of(&job).ok_or("mixed")?,
                &SavedStatusRecord::of(&other)
            ),
            None
        );
        let mut plan = SavedPlan::of(&job).ok_or("mixed")?;
        plan.chunks[0].l = "1*3".into();
        assert_eq!(restore(&plan, &SavedStatusRecord::of(&job)), None);
        let mut plan = SavedPlan::of(&job).ok_or("mixed")?;
        plan.chunks[0].v = "x".into();
        assert_eq!(restore(&plan, &SavedStatusRecord::of(&job)), None);
        Ok(())
    }
}
