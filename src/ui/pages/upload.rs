//! The upload screen: a stock file to the CRM in steps (import, mapping, validation, dry run, upload, report). The
//! workflow is `crate::upload::session::UploadSession`; the steps render it and pass the operator's actions in.

mod dry_run;
mod import;
mod mapping;
mod report;
mod run;
mod template;
mod validation;

use std::future::Future;
use std::rc::Rc;

use crate::api::browser::{BrowserClock, FetchTransport};
use crate::api::ErrorKind;
use crate::connection::key::key_fingerprint;
use crate::i18n::Text;
use crate::sheet::csv::CsvOptions;
use crate::sheet::decode::Delimiter;
use crate::ui::cancel_on_leave::cancel_on_leave;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::components::download::save_text_file;
use crate::ui::components::leave_guard::LeaveGuard;
use crate::ui::components::require_connection::RequireConnection;
use crate::ui::locale::t;
use crate::ui::reactive::{derive, effect, memo};
use crate::ui::session::use_session;
use crate::ui::storage;
use crate::ui::task::{spawn, warehouses};
use crate::upload::flow::UploadFlow;
use crate::upload::job::JobState;
use crate::upload::saved::JobOwner;
use crate::upload::session::UploadSession;
use leptos::prelude::*;

/// The upload workflow of this screen.
type Uploads = UploadSession<FetchTransport, BrowserClock>;

/// The screen's handle on its workflow, shared by the steps through a context: reads are tracked (every change of
/// the workflow re-renders what read it), actions are passed in.
#[derive(Clone, Copy)]
struct UploadView {
    uploads: StoredValue<Rc<Uploads>, LocalStorage>,
    changed: StoredValue<ArcTrigger>,
    /// The sites the key may use (for the mapping's default site).
    sites: Signal<Vec<String>>,
}

impl UploadView {
    /// Reads the workflow, tracked; `None` once the screen is gone.
    fn with<R>(self, f: impl FnOnce(&Rc<Uploads>) -> R) -> Option<R> {
        if let Some(trigger) = self.changed.try_get_value() {
            trigger.track();
        }
        self.act(f)
    }

    /// Reads the workflow's steps up to the plan, tracked.
    fn flow<R>(self, f: impl FnOnce(&UploadFlow) -> R) -> Option<R> {
        self.with(|u| f(&u.flow()))
    }

    /// Passes an action in (untracked); `None` once the screen is gone.
    fn act<R>(self, f: impl FnOnce(&Rc<Uploads>) -> R) -> Option<R> {
        self.uploads.try_with_value(f)
    }

    /// Downloads the rows with problems (the file is read again: its cells are not kept).
    fn download_problem_rows(self) {
        let csv = self.act(|u| {
            let mut csv = None;
            u.update_flow(|f| {
                let delimiter = f.file().map_or(Delimiter::Comma, |file| file.delimiter);
                csv = f.problem_rows_csv(CsvOptions {
                    delimiter,
                    ..CsvOptions::default()
                });
            });
            csv
        });
        if let Some(Some(csv)) = csv {
            save_text_file("rows-with-problems.csv", &csv);
        }
    }

    /// Runs what an action returned to run (a read or an upload).
    fn run(self, work: Option<impl Future<Output = ()> + 'static>) {
        if let Some(work) = work {
            spawn(work);
        }
    }
}

fn use_upload() -> UploadView {
    expect_context::<UploadView>()
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
    let session = use_session();
    let leave = cancel_on_leave();
    let client = session.client_with_cancel(&leave);
    let owner = JobOwner {
        account: client.base_url().to_string(),
        site: session.site.get_untracked(),
        key: key_fingerprint(&session.api_key.get_untracked()),
    };
    let sites: Vec<String> = session.sites().into_iter().map(|s| s.code).collect();
    let default_site = session
        .site
        .get_untracked()
        .or_else(|| match sites.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        });
    let uploads = UploadSession::new(client.clone(), storage::device(), storage::large(), owner);
    spawn(uploads.recover());
    uploads.update_flow(|f| {
        f.set_default_site(default_site);
        f.set_sites(sites);
    });
    let trigger = ArcTrigger::new();
    let notify = trigger.clone();
    uploads.on_change(move || notify.notify());
    let view_state = UploadView {
        uploads: StoredValue::new_local(uploads.clone()),
        changed: StoredValue::new(trigger),
        sites: derive(move || session.sites().into_iter().map(|s| s.code).collect()),
    };
    provide_context(view_state);

    // The CRM's warehouses: the mapping and the validation need them.
    let stores = warehouses(session);
    effect(move |_| {
        if let Some(Ok(found)) = stores.get() {
            let warehouses = found
                .stores
                .iter()
                .map(crate::upload::wire::warehouse)
                .collect();
            view_state.act(|u| u.set_warehouses(warehouses));
        }
    });
    let loaded = move || matches!(stores.get(), Some(Ok(_)));
    let reference_error = move || match stores.get() {
        Some(Err(e)) if e.kind() != ErrorKind::Cancelled => Some(e),
        _ => None,
    };
    let running = memo(move || {
        view_state
            .with(|u| u.with_job(|j| j.state == JobState::Running))
            .flatten()
            .unwrap_or(false)
    });
    view! {
        <LeaveGuard active=running question=Text::UpLeaveWarning/>
        {move || reference_error().map(|e| view! { <ApiErrorNotice error=e/> })}
        <span id="up-reference" class="muted" data-loaded=move || loaded().to_string()></span>
        <run::SavedElsewhere/>
        <import::ImportStep/>
        <mapping::MappingStep/>
        <validation::ValidationStep/>
        <dry_run::DryRunStep/>
        <run::RunStep/>
        <report::ReportStep/>
        <report::HistoryList/>
    }
}
