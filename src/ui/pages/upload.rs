//! The upload screen: a stock file to the CRM in steps (import, mapping, validation, dry run, upload, report).

mod dry_run;
mod import;
mod mapping;
mod report;
mod run;
mod saved;
mod validation;

use crate::api::browser::BrowserClient;
use crate::api::{ApiError, CancelToken};
use crate::i18n::Text;
use crate::sheet::decode::{Delimiter, ReadError, ReadFile, Sheet, TextEncoding};
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::require_connection::RequireConnection;
use crate::ui::locale::t;
use crate::ui::session::{use_session, Session};
use crate::upload::diff::{CurrentStock, Diff};
use crate::upload::history::RunRecord;
use crate::upload::job::UploadJob;
use crate::upload::mapping::{suggest_mapping, Mapping};
use crate::upload::validate::{validate, Validation};
use crate::upload::warehouse::Warehouse;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the user gave: a file's bytes or pasted text.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    File(Vec<u8>),
    Paste(String),
}

impl Source {
    /// The file read (again) with `delimiter` (`None`: detected).
    fn read(&self, delimiter: Option<Delimiter>) -> Result<ReadFile, ReadError> {
        match self {
            Source::File(bytes) => crate::sheet::decode::read_file(bytes, delimiter),
            Source::Paste(text) => crate::sheet::decode::read_pasted(text, delimiter),
        }
    }
}

/// Rows shown in the import step's preview.
const PREVIEW_ROWS: usize = 10;

/// What the screen keeps of a read file: what was detected, the header and a preview. The cells of a
/// large file are not kept (a 100,000-row sheet is tens of MB of wasm memory, which never shrinks):
/// the source is read again when the cells are needed.
#[derive(Clone, Debug, PartialEq)]
struct FileInfo {
    header: Vec<String>,
    /// The first rows' cells, as wide as the header.
    preview: Vec<Vec<String>>,
    rows: usize,
    encoding: TextEncoding,
    delimiter: Delimiter,
}

impl FileInfo {
    fn of(file: &ReadFile) -> FileInfo {
        let header = file.sheet.header.clone();
        let preview = file
            .sheet
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| (0..header.len()).map(|c| r.cell(c).to_string()).collect())
            .collect();
        FileInfo {
            header,
            preview,
            rows: file.sheet.rows.len(),
            encoding: file.encoding,
            delimiter: file.delimiter,
        }
    }
}

/// The screen's state, shared by its steps through a context.
#[derive(Clone, Copy)]
struct UploadState {
    file_name: RwSignal<String>,
    source: RwSignal<Option<Source>>,
    /// The delimiter the user chose; `None`: detected.
    delimiter: RwSignal<Option<Delimiter>>,
    read: RwSignal<Option<Result<FileInfo, ReadError>>>,
    /// The sheet just read, until the validation takes it (later validations read the source again).
    sheet: StoredValue<Option<Sheet>>,
    warehouses: RwSignal<Vec<Warehouse>>,
    sites: RwSignal<Vec<String>>,
    mapping: RwSignal<Option<Mapping>>,
    validation: RwSignal<Option<Validation>>,
    /// The CRM's stock of the file's offers, read by the dry run.
    current: RwSignal<Option<CurrentStock>>,
    diff: RwSignal<Option<Diff>>,
    /// Upload only the offers the dry run found changed.
    only_changed: RwSignal<bool>,
    job: RwSignal<Option<UploadJob>>,
    /// The file the job was made from (kept with the job).
    job_file: RwSignal<String>,
    /// Whether the job is kept on the device (false: too large for the browser's storage, or refused).
    job_saved: RwSignal<bool>,
    /// The last runs on this device.
    history: RwSignal<Vec<RunRecord>>,
    session: Session,
    /// Cancelled when the screen is left: every request of the screen stops with it.
    leave: StoredValue<CancelToken, LocalStorage>,
}

impl UploadState {
    fn new() -> Self {
        let session = use_session();
        UploadState {
            file_name: RwSignal::new(String::new()),
            source: RwSignal::new(None),
            delimiter: RwSignal::new(None),
            read: RwSignal::new(None),
            sheet: StoredValue::new(None),
            warehouses: RwSignal::new(Vec::new()),
            sites: RwSignal::new(session.sites().into_iter().map(|s| s.code).collect()),
            mapping: RwSignal::new(None),
            validation: RwSignal::new(None),
            current: RwSignal::new(None),
            diff: RwSignal::new(None),
            only_changed: RwSignal::new(true),
            job: RwSignal::new(None),
            job_file: RwSignal::new(String::new()),
            job_saved: RwSignal::new(true),
            history: RwSignal::new(saved::runs()),
            session,
            leave: StoredValue::new_local(cancel_on_leave()),
        }
    }

    /// Reads the source again (new file, new paste, another delimiter) and maps it afresh.
    fn reread(self) {
        let delimiter = self.delimiter.get_untracked();
        self.sheet.set_value(None);
        let read = self
            .source
            .with_untracked(|source| source.as_ref().map(|source| source.read(delimiter)));
        let info = read.map(|read| {
            read.map(|file| {
                let info = FileInfo::of(&file);
                self.sheet.set_value(Some(file.sheet));
                info
            })
        });
        self.read.set(info);
        self.suggest(false);
    }

    /// The file's cells: the sheet just read if still there (taken), else the source read again
    /// with the delimiter it was read with.
    fn take_sheet(self) -> Option<Sheet> {
        self.sheet
            .try_update_value(Option::take)
            .flatten()
            .or_else(|| {
                let delimiter = self
                    .read
                    .with_untracked(|r| r.as_ref()?.as_ref().ok().map(|i| i.delimiter))?;
                self.source
                    .with_untracked(|s| s.as_ref()?.read(Some(delimiter)).ok())
                    .map(|file| file.sheet)
            })
    }

    /// Maps the sheet: a remembered mapping for this header, else a suggestion (always one when `fresh`).
    fn suggest(self, fresh: bool) {
        let mapping = self.read.with_untracked(|read| {
            let header = &read.as_ref()?.as_ref().ok()?.header;
            let remembered = (!fresh).then(|| saved::mapping_for(header)).flatten();
            Some(remembered.unwrap_or_else(|| {
                let mut m = self
                    .warehouses
                    .with_untracked(|w| suggest_mapping(header, w));
                if m.site_column.is_none() {
                    m.default_site = self.default_site();
                }
                m
            }))
        });
        self.mapping.set(mapping);
    }

    /// The session's site, or the only site of the account.
    fn default_site(self) -> Option<String> {
        self.session.site.get_untracked().or_else(|| {
            self.sites.with_untracked(|s| match s.as_slice() {
                [only] => Some(only.clone()),
                _ => None,
            })
        })
    }
}

impl UploadState {
    /// The shared client, stopping when the screen is left.
    fn client(self) -> BrowserClient {
        self.leave
            .with_value(|leave| self.session.client_with_cancel(leave))
    }
}

fn use_upload() -> UploadState {
    use_context::<UploadState>().unwrap_or_else(UploadState::new)
}

/// The upload screen.
#[component]
pub fn UploadPage() -> impl IntoView {
    view! {
        <section class="page" id="page-upload">
            <h1>{t(Text::NavUpload)}</h1>
            <p class="intro">{t(Text::UploadIntro)}</p>
            <RequireConnection>
                <UploadSteps/>
            </RequireConnection>
        </section>
    }
}

/// The steps, once connected: each appears when the one before has something for it.
#[component]
fn UploadSteps() -> impl IntoView {
    let state = UploadState::new();
    provide_context(state);
    let reference_error = RwSignal::new(None::<ApiError>);
    let loaded = RwSignal::new(false);
    let client = state.client();
    spawn_local(async move {
        match client.stores().await {
            Ok(stores) => {
                let warehouses = stores
                    .stores
                    .iter()
                    .map(crate::upload::wire::warehouse)
                    .collect();
                let _ = state.warehouses.try_set(warehouses);
                if state.read.try_with_untracked(Option::is_some) == Some(true) {
                    state.suggest(false);
                }
                let _ = loaded.try_set(true);
            }
            Err(ApiError::Cancelled) => {}
            Err(e) => {
                let _ = reference_error.try_set(Some(e));
            }
        }
    });
    // Validation follows the file, the mapping and the warehouses; a new one voids the dry run. The old
    // validation and dry run are dropped first, so that they are not held next to the new ones.
    Effect::new(move |_| {
        state.validation.update_untracked(|v| *v = None);
        state.diff.update_untracked(|d| *d = None);
        let result = state.read.with(|read| {
            read.as_ref()?.as_ref().ok()?;
            state.mapping.with(|m| {
                let m = m.as_ref()?;
                let sheet = state.take_sheet()?;
                Some(state.warehouses.with(|w| validate(&sheet, m, w)))
            })
        });
        state.validation.set(result);
        state.diff.set(None);
    });
    run::recover_saved_job(state);
    view! {
        {move || reference_error.get().map(|e| view! { <ApiErrorNotice error=e/> })}
        <span id="up-reference" class="muted" data-loaded=move || loaded.get().to_string()></span>
        <import::ImportStep/>
        <mapping::MappingStep/>
        <validation::ValidationStep/>
        <dry_run::DryRunStep/>
        <run::RunStep/>
        <report::ReportStep/>
        <report::HistoryList/>
    }
}
