//! The upload as one plain-Rust workflow: file -> mapping -> validation -> dry run -> plan. Each step is made from
//! the ones before it and is dropped when they change, so a dry run or a mapping of an earlier file never reaches
//! the plan of another.

use super::diff::{diff, CurrentStock, Diff};
use super::dry_run::DryRunRead;
use super::mapping::{suggest_mapping, Layout, Mapping};
use super::offer::StoreValue;
use super::plan::{count_requests, plan_upload, Plan, PlanLimits};
use super::validate::{clamp_available, problem_rows_csv, validate, ProblemKind, Validation};
use super::warehouse::Warehouse;
use crate::api::inventory::InventoriesRequest;
use crate::api::ApiError;
use crate::sheet::csv::CsvOptions;
use crate::sheet::decode::{
    read_file, read_file_in, read_pasted, Delimiter, ReadError, ReadFile, Sheet, TextEncoding,
};
use crate::sheet::encoding::{BadLines, Charset};

/// What the operator gave: a file's bytes or pasted text.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    File(Vec<u8>),
    Paste(String),
}

impl Source {
    /// The source read (again) in `charset` and with `delimiter` (`None`: detected).
    fn read(
        &self,
        charset: Option<Charset>,
        delimiter: Option<Delimiter>,
    ) -> Result<ReadFile, ReadError> {
        match (self, charset) {
            (Source::File(bytes), None) => read_file(bytes, delimiter),
            (Source::File(bytes), Some(charset)) => read_file_in(bytes, charset, delimiter),
            (Source::Paste(text), _) => read_pasted(text, delimiter),
        }
    }
}

/// Rows shown in the preview of a read file.
pub const PREVIEW_ROWS: usize = 10;

/// Columns shown in the preview (a wider file's other columns are counted, not shown).
pub const PREVIEW_COLUMNS: usize = 20;

/// What the workflow keeps of a read file: what was detected, the header and a preview. The cells of a large file
/// are not kept (a 100,000-row sheet is tens of MB of wasm memory, which never shrinks): the source is read again
/// when they are needed.
#[derive(Clone, Debug, PartialEq)]
pub struct FileInfo {
    pub header: Vec<String>,
    /// The first rows' first [`PREVIEW_COLUMNS`] cells.
    pub preview: Vec<Vec<String>>,
    pub rows: usize,
    pub encoding: TextEncoding,
    /// The encoding is a guess from the bytes' statistics: the screen says so and offers the others.
    pub encoding_guessed: bool,
    /// File lines with bytes not valid in the encoding.
    pub bad_lines: BadLines,
    pub delimiter: Delimiter,
}

impl FileInfo {
    fn of(file: &ReadFile) -> FileInfo {
        let header = file.sheet.header.clone();
        let shown = header.len().min(PREVIEW_COLUMNS);
        let preview = file
            .sheet
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| (0..shown).map(|c| r.cell(c).to_string()).collect())
            .collect();
        FileInfo {
            header,
            preview,
            rows: file.sheet.rows.len(),
            encoding: file.encoding,
            encoding_guessed: file.encoding_guessed,
            bad_lines: file.bad_lines.clone(),
            delimiter: file.delimiter,
        }
    }
}

/// Why a file that was read has nothing to upload (an explicit verdict, never a green "0 ready").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nothing {
    /// A header and no data rows.
    NoRows,
    /// No column is mapped to a warehouse's quantity or price.
    NoWarehouseColumns,
    /// Every row has a problem.
    EveryRowHasProblems,
    /// Every value of every row is blank ("leave unchanged").
    AllBlank,
}

/// Where the dry run of the current file and mapping is.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum DryRun {
    #[default]
    None,
    /// Reading the CRM's stock for revision `revision`.
    Reading {
        revision: u64,
    },
    Done {
        diff: Diff,
    },
    Failed {
        error: ApiError,
    },
}

/// The upload screen's workflow up to the plan. Every change of the file, the delimiter, the mapping or the
/// warehouses is a new revision: the validation is made again and the dry run dropped.
#[derive(Clone, Debug, Default)]
pub struct UploadFlow {
    revision: u64,
    name: String,
    source: Option<Source>,
    /// The delimiter the operator chose; `None`: detected.
    delimiter: Option<Delimiter>,
    /// The encoding the operator chose; `None`: detected.
    charset: Option<Charset>,
    read: Option<Result<FileInfo, ReadError>>,
    /// The sheet just read, until the validation takes it (later validations read the source again).
    sheet: Option<Sheet>,
    warehouses: Vec<Warehouse>,
    /// The site for rows without one (the session's, or the account's only site).
    default_site: Option<String>,
    /// The sites the key may use.
    sites: Vec<String>,
    mapping: Option<Mapping>,
    validation: Option<Validation>,
    dry_run: DryRun,
    /// Upload only the offers the dry run found changed.
    only_changed: bool,
}

impl UploadFlow {
    pub fn new() -> Self {
        UploadFlow {
            only_changed: true,
            ..UploadFlow::default()
        }
    }

    /// The revision: it changes whenever what the plan is made from changes.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The name of the file (empty for a paste).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn read(&self) -> Option<&Result<FileInfo, ReadError>> {
        self.read.as_ref()
    }

    pub fn file(&self) -> Option<&FileInfo> {
        self.read.as_ref()?.as_ref().ok()
    }

    pub fn delimiter_choice(&self) -> Option<Delimiter> {
        self.delimiter
    }

    pub fn charset_choice(&self) -> Option<Charset> {
        self.charset
    }

    pub fn warehouses(&self) -> &[Warehouse] {
        &self.warehouses
    }

    pub fn mapping(&self) -> Option<&Mapping> {
        self.mapping.as_ref()
    }

    pub fn validation(&self) -> Option<&Validation> {
        self.validation.as_ref()
    }

    pub fn dry_run(&self) -> &DryRun {
        &self.dry_run
    }

    /// The dry run's comparison, when it belongs to the current file and mapping.
    pub fn diff(&self) -> Option<&Diff> {
        match &self.dry_run {
            DryRun::Done { diff } => Some(diff),
            _ => None,
        }
    }

    pub fn only_changed(&self) -> bool {
        self.only_changed
    }

    /// Whether there is anything to dry-run or upload: offers without blocking problems.
    pub fn has_offers(&self) -> bool {
        self.offers_to_send() > 0 && !self.needs_site()
    }

    /// Offers with a value to send.
    pub fn offers_to_send(&self) -> usize {
        self.validation.as_ref().map_or(0, |v| {
            v.offers
                .iter()
                .filter(|o| o.stores.iter().any(StoreValue::is_stated))
                .count()
        })
    }

    /// Why the validated file has nothing to upload; `None` when it has something (or is not validated).
    pub fn nothing_to_upload(&self) -> Option<Nothing> {
        let v = self.validation.as_ref()?;
        if self.offers_to_send() > 0 {
            return None;
        }
        let no_columns = self.mapping.as_ref().is_some_and(|m| match &m.layout {
            Layout::Wide { columns } => columns.is_empty(),
            Layout::Long {
                quantity_column,
                purchase_price_column,
                ..
            } => quantity_column.is_none() && purchase_price_column.is_none(),
        });
        Some(if self.file().is_some_and(|f| f.rows == 0) {
            Nothing::NoRows
        } else if no_columns {
            Nothing::NoWarehouseColumns
        } else if v.offers.is_empty() {
            Nothing::EveryRowHasProblems
        } else {
            Nothing::AllBlank
        })
    }

    fn next_revision(&mut self) {
        self.revision += 1;
        self.dry_run = DryRun::None;
    }

    /// A new file or paste: read it, map it (`remembered`, the mapping this account last used for the same header,
    /// else a suggestion) and validate it.
    pub fn load(
        &mut self,
        name: &str,
        source: Source,
        remembered: impl FnOnce(&[String]) -> Option<Mapping>,
    ) {
        self.name = name.to_string();
        self.source = Some(source);
        self.delimiter = None;
        self.charset = None;
        self.reread(remembered);
    }

    /// A file that could not be read at all (too large, or the browser failed to read it): the previous file, its
    /// mapping, validation and dry run are gone, and the error is shown.
    pub fn refuse(&mut self, name: &str, error: ReadError) {
        self.next_revision();
        self.name = name.to_string();
        self.source = None;
        self.sheet = None;
        self.mapping = None;
        self.validation = None;
        self.read = Some(Err(error));
    }

    /// Reads the file again in another encoding (`None`: detected).
    pub fn set_charset(
        &mut self,
        charset: Option<Charset>,
        remembered: impl FnOnce(&[String]) -> Option<Mapping>,
    ) {
        self.charset = charset;
        self.reread(remembered);
    }

    /// Reads the file again with another delimiter (`None`: detected).
    pub fn set_delimiter(
        &mut self,
        delimiter: Option<Delimiter>,
        remembered: impl FnOnce(&[String]) -> Option<Mapping>,
    ) {
        self.delimiter = delimiter;
        self.reread(remembered);
    }

    fn reread(&mut self, remembered: impl FnOnce(&[String]) -> Option<Mapping>) {
        self.next_revision();
        self.validation = None;
        self.sheet = None;
        let read = self
            .source
            .as_ref()
            .map(|s| s.read(self.charset, self.delimiter));
        self.read = read.map(|read| {
            read.map(|file| {
                let info = FileInfo::of(&file);
                self.sheet = Some(file.sheet);
                info
            })
        });
        self.mapping = self
            .file()
            .map(|f| remembered(&f.header).unwrap_or_else(|| self.suggestion(&f.header)));
        self.validate();
    }

    fn suggestion(&self, header: &[String]) -> Mapping {
        let mut m = suggest_mapping(header, &self.warehouses);
        if m.site_column.is_none() {
            m.default_site = self.default_site.clone();
        }
        m
    }

    /// Maps the file afresh from the header (the operator's "suggest again").
    pub fn suggest(&mut self) {
        if let Some(header) = self.file().map(|f| f.header.clone()) {
            self.set_mapping(self.suggestion(&header));
        }
    }

    /// The operator's mapping.
    pub fn set_mapping(&mut self, mapping: Mapping) {
        self.next_revision();
        self.mapping = Some(mapping);
        self.validate();
    }

    /// The CRM's warehouses (loaded after the screen opens, possibly after a file was picked): a mapping not chosen
    /// by hand is suggested again with them.
    pub fn set_warehouses(
        &mut self,
        warehouses: Vec<Warehouse>,
        remembered: impl FnOnce(&[String]) -> Option<Mapping>,
    ) {
        self.warehouses = warehouses;
        if self.source.is_some() {
            self.reread(remembered);
        }
    }

    /// The site for rows without a site cell, used by later suggestions.
    pub fn set_default_site(&mut self, site: Option<String>) {
        self.default_site = site;
    }

    /// The sites the key may use (with several, rows named by externalId or xmlId need one).
    pub fn set_sites(&mut self, sites: Vec<String>) {
        self.sites = sites;
    }

    /// Whether the operator must choose a site first: the key covers several sites and some offer named by
    /// `externalId` or `xmlId` has none (the CRM would refuse it).
    pub fn needs_site(&self) -> bool {
        self.sites.len() > 1
            && self.validation.as_ref().is_some_and(|v| {
                v.offers
                    .iter()
                    .any(|o| o.site.is_none() && o.key.kind() != super::offer::KeyKind::Id)
            })
    }

    pub fn set_only_changed(&mut self, only_changed: bool) {
        self.only_changed = only_changed;
    }

    /// The file's cells: the sheet just read if still there (taken), else the source read again as before.
    fn take_sheet(&mut self) -> Option<Sheet> {
        if let Some(sheet) = self.sheet.take() {
            return Some(sheet);
        }
        let delimiter = self.file()?.delimiter;
        self.source
            .as_ref()?
            .read(self.charset, Some(delimiter))
            .ok()
            .map(|f| f.sheet)
    }

    fn validate(&mut self) {
        // The old validation goes first, so that it is not held next to the new one.
        self.validation = None;
        if self.mapping.is_none() || self.file().is_none() {
            return;
        }
        let Some(sheet) = self.take_sheet() else {
            return;
        };
        self.validation = self
            .mapping
            .as_ref()
            .map(|m| validate(&sheet, m, &self.warehouses));
    }

    /// The fix for quantities other than 0/1 on `available` warehouses: they become 1 when above 0, else 0; returns
    /// how many values changed. The values change, so the dry run is dropped.
    pub fn clamp_available(&mut self) -> usize {
        let Some(v) = self.validation.as_mut() else {
            return 0;
        };
        let changed = clamp_available(&mut v.offers, &self.warehouses);
        v.problems.retain(|p| p.kind != ProblemKind::NotZeroOrOne);
        self.next_revision();
        changed
    }

    /// The rows with problems as a file to fix (the source is read again).
    pub fn problem_rows_csv(&mut self, options: CsvOptions) -> Option<String> {
        let sheet = self.take_sheet()?;
        let problems = &self.validation.as_ref()?.problems;
        Some(problem_rows_csv(&sheet, problems, options))
    }

    /// Starts a dry run of the current offers in the account at `base_url`: the read and its first requests, and
    /// the revision it belongs to (hand it back to [`UploadFlow::finish_dry_run`]).
    pub fn begin_dry_run(
        &mut self,
        base_url: &str,
    ) -> Option<(u64, DryRunRead, Vec<InventoriesRequest>)> {
        let offers = &self.validation.as_ref()?.offers;
        if offers.is_empty() {
            return None;
        }
        let (read, first) = DryRunRead::new(offers, base_url);
        self.dry_run = DryRun::Reading {
            revision: self.revision,
        };
        Some((self.revision, read, first))
    }

    /// The end of the dry run begun at `revision`: its comparison when it still belongs to the current file and
    /// mapping; dropped (returns false) when they changed meanwhile.
    pub fn finish_dry_run(&mut self, revision: u64, read: Result<CurrentStock, ApiError>) -> bool {
        let current = matches!(self.dry_run, DryRun::Reading { revision: r } if r == revision);
        if !current || revision != self.revision {
            return false;
        }
        self.dry_run = match read {
            Ok(stock) => match &self.validation {
                Some(v) => DryRun::Done {
                    diff: diff(&v.offers, &stock),
                },
                None => DryRun::None,
            },
            Err(error) => DryRun::Failed { error },
        };
        true
    }

    /// The CRM's stock changed under the dry run (an upload applied a chunk): its snapshot, read or being read, is
    /// no longer the stock "before", so it is dropped.
    pub fn stock_changed(&mut self) {
        self.dry_run = DryRun::None;
    }

    /// Gives up the dry run under way (stopped, or the screen's read was cancelled).
    pub fn abandon_dry_run(&mut self, revision: u64) {
        if matches!(self.dry_run, DryRun::Reading { revision: r } if r == revision) {
            self.dry_run = DryRun::None;
        }
    }

    /// The requests of [`UploadFlow::plan`], counted without making the plan (which for a large file is tens of
    /// MB of wasm memory, and the memory never shrinks).
    pub fn upload_requests(&self, limits: PlanLimits) -> usize {
        let Some(v) = self.validation.as_ref() else {
            return 0;
        };
        let stated = |stores: &mut dyn Iterator<Item = &StoreValue>| {
            stores.filter(|s| s.is_stated()).count()
        };
        match self.diff() {
            Some(d) if self.only_changed => count_requests(
                d.sent(&v.offers)
                    .map(|(o, mut stores)| (o.site.as_deref(), stated(&mut stores))),
                limits,
            ),
            _ => count_requests(
                v.offers
                    .iter()
                    .map(|o| (o.site.as_deref(), stated(&mut o.stores.iter()))),
                limits,
            ),
        }
    }

    /// The upload plan of the current file and mapping: only the changed offers when the operator asked for that
    /// and the dry run of this revision is done, else every offer; only values the file states.
    pub fn plan(&self, limits: PlanLimits) -> Option<Plan> {
        let offers = &self.validation.as_ref()?.offers;
        if offers.is_empty() {
            return None;
        }
        Some(match self.diff() {
            Some(d) if self.only_changed => plan_upload(&d.to_upload(offers), limits),
            _ => plan_upload(offers, limits),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::offer::{CurrentOffer, CurrentStore, OfferKey};
    use crate::upload::plan::UploadStore;
    use crate::upload::warehouse::test_warehouses;

    fn flow() -> UploadFlow {
        let mut f = UploadFlow::new();
        f.set_warehouses(test_warehouses(), |_| None);
        f
    }

    fn paste(f: &mut UploadFlow, text: &str) {
        f.load("", Source::Paste(text.to_string()), |_| None);
    }

    fn stock(key: &str, main: f64) -> CurrentStock {
        CurrentStock::new(vec![CurrentOffer {
            id: 21,
            external_id: Some(key.into()),
            xml_id: None,
            site: None,
            stores: vec![CurrentStore {
                code: "main".into(),
                quantity: main,
                purchase_price: None,
            }],
        }])
    }

    fn sent(plan: &Plan) -> Vec<(String, Vec<UploadStore>)> {
        plan.chunks
            .iter()
            .flat_map(|c| c.items.iter().map(|i| (i.key.value(), i.stores.clone())))
            .collect()
    }

    /// Issue 13, case 1: a dry run of one file never fills the quantities of the next.
    #[test]
    fn a_price_only_file_after_a_dry_run_of_another_sends_no_quantity() {
        let mut f = flow();
        paste(&mut f, "externalId;main\noffer-000021;55\n");
        let (revision, _, _) = f.begin_dry_run("https://a").unwrap();
        assert!(f.finish_dry_run(revision, Ok(stock("offer-000021", 50.0))));
        assert!(f.diff().is_some());
        paste(&mut f, "externalId;main:purchasePrice\noffer-000021;9,99\n");
        assert!(f.diff().is_none(), "the new file has no dry run");
        let plan = f.plan(PlanLimits::default()).unwrap();
        assert_eq!(
            sent(&plan),
            vec![(
                "offer-000021".to_string(),
                vec![UploadStore {
                    code: "main".into(),
                    available: None,
                    purchase_price: Some(9.99)
                }]
            )]
        );
    }

    #[test]
    fn a_dry_run_that_ends_after_a_change_is_dropped() {
        let mut f = flow();
        paste(&mut f, "externalId;main\nA;5\n");
        let (revision, _, first) = f.begin_dry_run("https://a").unwrap();
        assert_eq!(first.len(), 1);
        // The operator changes the mapping while the read is out.
        let mut m = f.mapping().cloned().unwrap();
        m.default_site = Some("other".into());
        f.set_mapping(m);
        assert!(!f.finish_dry_run(revision, Ok(stock("A", 1.0))));
        assert_eq!(f.dry_run(), &DryRun::None);
        // Only changed offers without a dry run means every offer.
        assert_eq!(f.plan(PlanLimits::default()).map(|p| p.offers()), Some(1));
    }

    #[test]
    fn only_changed_uses_the_dry_run_of_this_file() {
        let mut f = flow();
        paste(&mut f, "externalId;main\nA;5\nB;7\n");
        // One offer a request: the requests counted are the offers sent.
        let one = PlanLimits {
            max_offers: 1,
            ..PlanLimits::default()
        };
        f.set_only_changed(true);
        assert_eq!(f.upload_requests(one), 2, "no dry run yet: every offer");
        let (revision, _, _) = f.begin_dry_run("https://a").unwrap();
        let current = CurrentStock::new(vec![
            CurrentOffer {
                id: 1,
                external_id: Some("A".into()),
                xml_id: None,
                site: None,
                stores: vec![CurrentStore {
                    code: "main".into(),
                    quantity: 5.0,
                    purchase_price: None,
                }],
            },
            CurrentOffer {
                id: 2,
                external_id: Some("B".into()),
                xml_id: None,
                site: None,
                stores: Vec::new(),
            },
        ]);
        assert!(f.finish_dry_run(revision, Ok(current)));
        let keys: Vec<String> = sent(&f.plan(PlanLimits::default()).unwrap())
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, vec!["B"]);
        assert_eq!(f.upload_requests(one), 1);
        f.set_only_changed(false);
        assert_eq!(f.plan(PlanLimits::default()).map(|p| p.offers()), Some(2));
        assert_eq!(f.upload_requests(one), 2);
        // An upload that changes the stock meanwhile makes the snapshot stale.
        f.set_only_changed(true);
        f.stock_changed();
        assert_eq!(f.plan(PlanLimits::default()).map(|p| p.offers()), Some(2));
        assert_eq!(f.upload_requests(one), 2);
        // A failed read leaves no comparison.
        let (revision, _, _) = f.begin_dry_run("https://a").unwrap();
        assert!(f.finish_dry_run(revision, Err(ApiError::Cancelled)));
        assert!(f.diff().is_none());
    }

    #[test]
    fn nothing_to_upload_is_a_verdict_with_its_reason() {
        let mut f = flow();
        paste(&mut f, "externalId;main\n");
        assert_eq!(f.nothing_to_upload(), Some(Nothing::NoRows));
        paste(&mut f, "externalId\nA\nB\n");
        assert_eq!(f.nothing_to_upload(), Some(Nothing::NoWarehouseColumns));
        paste(&mut f, "externalId;main\nA;x\n");
        assert_eq!(f.nothing_to_upload(), Some(Nothing::EveryRowHasProblems));
        paste(&mut f, "externalId;main\nA;\nB;\n");
        assert_eq!(f.nothing_to_upload(), Some(Nothing::AllBlank));
        assert!(f
            .plan(PlanLimits::default())
            .is_none_or(|p| p.offers() == 0));
        paste(&mut f, "externalId;main\nA;-0\n");
        assert_eq!(f.nothing_to_upload(), None);
        assert_eq!(f.offers_to_send(), 1);
    }

    #[test]
    fn a_refused_file_drops_the_previous_one_and_another_encoding_reads_again() {
        let mut f = flow();
        paste(&mut f, "externalId;main\nA;5\n");
        assert!(f.has_offers());
        f.refuse("big.csv", ReadError::TooLarge { bytes: 1, limit: 0 });
        assert!(
            !f.has_offers() && f.mapping().is_none() && f.plan(PlanLimits::default()).is_none()
        );
        assert!(matches!(f.read(), Some(Err(ReadError::TooLarge { .. }))));
        // A KOI8-R file read as Windows-1251 by choice, then back to detection.
        let koi8: Vec<u8> = b"externalId;main\n\xf4\xc5\xd3\xd4;5\n".to_vec();
        f.load("k.csv", Source::File(koi8), |_| None);
        let detected = f.validation().map(|v| v.offers[0].key.value());
        f.set_charset(Some(Charset::Windows1251), |_| None);
        let chosen = f.validation().map(|v| v.offers[0].key.value());
        assert_ne!(detected, chosen);
        assert_eq!(f.charset_choice(), Some(Charset::Windows1251));
        assert_eq!(
            f.file().map(|i| i.encoding),
            Some(TextEncoding::Windows1251)
        );
    }

    #[test]
    fn several_sites_need_one_chosen_for_rows_without_a_site() {
        let mut f = flow();
        f.set_sites(vec!["a".into(), "b".into()]);
        paste(&mut f, "externalId;main\nA;5\n");
        assert!(f.needs_site() && !f.has_offers());
        assert_eq!(
            f.nothing_to_upload(),
            None,
            "something to upload, once a site is chosen"
        );
        let mut m = f.mapping().cloned().unwrap();
        m.default_site = Some("a".into());
        f.set_mapping(m);
        assert!(!f.needs_site() && f.has_offers());
        paste(&mut f, "id;main\n7;5\n");
        assert!(!f.needs_site(), "ids need no site");
    }

    #[test]
    fn the_preview_of_a_wide_file_is_bounded() {
        let mut f = flow();
        let header: Vec<String> = (0..500).map(|i| format!("c{i}")).collect();
        let row: Vec<String> = (0..500).map(|i| i.to_string()).collect();
        paste(
            &mut f,
            &format!("{}\n{}\n", header.join(";"), row.join(";")),
        );
        let info = f.file().unwrap();
        assert_eq!(info.header.len(), 500);
        assert!(info.preview.iter().all(|r| r.len() == PREVIEW_COLUMNS));
    }

    #[test]
    fn warehouses_arriving_late_map_the_file_again() {
        let mut f = UploadFlow::new();
        paste(&mut f, "externalId;main\nA;5\n");
        let stores = |f: &UploadFlow| f.validation().map(|v| v.offers[0].stores.len());
        assert_eq!(stores(&f), Some(0), "no warehouse known yet");
        f.set_warehouses(test_warehouses(), |_| None);
        assert_eq!(stores(&f), Some(1));
        assert_eq!(
            f.validation().map(|v| v.offers[0].key.clone()),
            Some(OfferKey::ExternalId("A".into()))
        );
    }

    #[test]
    fn a_remembered_mapping_wins_and_rows_with_problems_are_written() {
        let mut f = flow();
        paste(&mut f, "externalId;main\nA;x\nB;2\n");
        let mut remembered = f.mapping().cloned().unwrap();
        remembered.default_site = Some("shop-a".into());
        f.load(
            "b.csv",
            Source::File(b"externalId;main\nA;x\nB;2\n".to_vec()),
            |_| Some(remembered.clone()),
        );
        assert_eq!(f.name(), "b.csv");
        assert_eq!(f.mapping(), Some(&remembered));
        let csv = f
            .problem_rows_csv(CsvOptions {
                bom: false,
                ..CsvOptions::default()
            })
            .unwrap();
        assert_eq!(csv, "externalId,main,problems\r\nA,x,not_a_number@main\r\n");
        f.set_delimiter(Some(Delimiter::Comma), |_| None);
        assert!(!f.has_offers(), "read with the wrong delimiter: one column");
    }
}
