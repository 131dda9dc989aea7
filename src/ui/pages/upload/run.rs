//! Step 5: the chunked upload with the shared client: progress, pause/resume/cancel, retry of failed chunks, resume after a reload.

use super::{saved, use_upload, UploadState};
use crate::api::cancel::CancelHook;
use crate::api::{ApiError, CancelToken, TrafficEvent};
use crate::i18n::Text;
use crate::ui::components::progress::Progress;
use crate::ui::locale::{t, tf, tr};
use crate::upload::diff::fill_missing_quantities;
use crate::upload::history::RunRecord;
use crate::upload::job::{JobState, Latency, UploadJob, MAX_IN_FLIGHT};
use crate::upload::plan::{plan_upload, PlanLimits};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn is_open(state: JobState) -> bool {
    matches!(
        state,
        JobState::Planned | JobState::Running | JobState::Paused
    )
}

/// The words for the state of an upload job.
pub(super) fn state_text(s: JobState) -> Text {
    match s {
        JobState::Planned => Text::UpJobPlanned,
        JobState::Running => Text::UpJobRunning,
        JobState::Paused => Text::UpJobPaused,
        JobState::Done => Text::UpJobDone,
        JobState::Failed => Text::UpJobFailed,
        JobState::Cancelled => Text::UpJobCancelled,
    }
}

/// After a reload: an unfinished job kept on the device comes back paused, to be resumed.
pub fn recover_saved_job(state: UploadState) -> bool {
    let Some((file, job)) = saved::load_job() else {
        return false;
    };
    if !is_open(job.state) {
        return false;
    }
    state.job_file.set(file);
    state.job.set(Some(job));
    state.job_saved.set(true);
    true
}

/// Saves the job's small status record (the plan was saved when the job started).
fn save(state: UploadState) {
    if state.job_saved.try_get_untracked() != Some(true) {
        return;
    }
    let file = state.job_file.try_get_untracked().unwrap_or_default();
    let saved = state
        .job
        .try_with_untracked(|job| job.as_ref().map(|job| saved::save_status(&file, job)));
    if saved == Some(Some(false)) {
        let _ = state.job_saved.try_set(false);
    }
}

/// Adds the job as it is now to the run history.
fn record_run(state: UploadState, history: RwSignal<Vec<RunRecord>>) {
    let file = state.job_file.try_get_untracked().unwrap_or_default();
    let run = state
        .job
        .try_with_untracked(|job| job.as_ref().map(|j| RunRecord::of(j, &file, now_ms())))
        .flatten();
    if let Some(run) = run {
        let _ = history.try_set(saved::remember_run(run));
    }
}

/// The tasks sending chunks: how many run, how many should (from the observed round trip, or the user's
/// choice), and the token that aborts their requests (cancel, or leaving the screen).
struct Runner {
    workers: usize,
    latency: Latency,
    /// The user's choice of requests in flight; `None`: automatic.
    chosen: Option<usize>,
    cancel: CancelToken,
    /// Cancels `cancel` when the screen is left.
    _on_leave: Option<CancelHook>,
}

type RunnerCell = StoredValue<Runner, LocalStorage>;

impl Runner {
    fn target(&self, requests_per_second: f64) -> usize {
        self.chosen
            .unwrap_or_else(|| self.latency.in_flight(requests_per_second))
            .clamp(1, MAX_IN_FLIGHT)
    }
}

/// Sends chunks one after the other until the job has none to hand out (paused, cancelled, done) or more
/// tasks run than needed.
async fn worker(state: UploadState, runner: RunnerCell, history: RwSignal<Vec<RunRecord>>) {
    let session = state.session;
    let Some(cancel) = runner.try_with_value(|r| r.cancel.clone()) else {
        return;
    };
    let client = session.client_with_cancel(&cancel);
    let rate = client.config().requests_per_second;
    loop {
        let surplus = runner
            .try_with_value(|r| r.workers > r.target(rate))
            .unwrap_or(true);
        if surplus {
            break;
        }
        let Some(Some(index)) = state
            .job
            .try_update(|j| j.as_mut().and_then(UploadJob::next_chunk))
        else {
            break;
        };
        let request = state
            .job
            .try_with_untracked(|j| {
                j.as_ref()
                    .and_then(|j| j.chunks.get(index))
                    .map(|c| crate::upload::wire::upload_request(&c.chunk))
            })
            .flatten();
        let Some(request) = request else { break };
        let job = state.job;
        let traffic = session.traffic;
        let observed = client.with_observer(move |event: &TrafficEvent| {
            match event {
                TrafficEvent::Responded { elapsed_ms, .. } => {
                    traffic.set(None);
                    runner.update_value(|r| r.latency.observe(*elapsed_ms));
                }
                other => traffic.set(Some(other.clone())),
            }
            if matches!(event, TrafficEvent::Retrying { .. }) {
                job.try_update(|j| j.as_mut().map(|j| j.mark_retrying(index)));
            }
        });
        let result = match request {
            Ok(request) => observed.upload_inventories(&request).await,
            Err(e) => Err(e),
        };
        if matches!(result, Err(ApiError::Cancelled)) {
            // Cancelled or the screen was left: the chunk is saved as pending and sent again on resume.
            break;
        }
        let finished = state.job.try_update(|j| {
            let j = j.as_mut()?;
            let was_open = is_open(j.state);
            let marked = match &result {
                Ok(resp) => {
                    let not_found = j
                        .chunks
                        .get(index)
                        .map(|c| {
                            crate::upload::wire::not_found_keys(&c.chunk, &resp.not_found_offers)
                        })
                        .unwrap_or_default();
                    let processed = resp
                        .processed_offers_count
                        .and_then(|n| u64::try_from(n).ok())
                        .unwrap_or(0);
                    j.mark_sent(index, processed, not_found)
                }
                Err(e) => {
                    let message = e
                        .error_msg()
                        .map(str::to_string)
                        .unwrap_or_else(|| e.description());
                    j.mark_failed(index, message, e.is_transient())
                }
            };
            Some(marked.is_ok() && was_open && !is_open(j.state))
        });
        save(state);
        match finished {
            Some(Some(true)) => record_run(state, history),
            Some(Some(false)) => run_workers(state, runner, history),
            _ => break,
        }
    }
    runner.try_update_value(|r| r.workers = r.workers.saturating_sub(1));
}

/// Starts tasks up to the wanted number of requests in flight (some may still be finishing a chunk
/// after a pause); a fresh cancel token if the last one was used.
fn run_workers(state: UploadState, runner: RunnerCell, history: RwSignal<Vec<RunRecord>>) {
    let rate = state.session.client().config().requests_per_second;
    let Some(start) = runner.try_update_value(|r| {
        if r.cancel.is_cancelled() {
            r.cancel = CancelToken::new();
            let cancel = r.cancel.clone();
            r._on_leave = state
                .leave
                .try_with_value(|leave| leave.on_cancel(move || cancel.cancel()));
        }
        let start = r.target(rate).saturating_sub(r.workers);
        r.workers += start;
        start
    }) else {
        return;
    };
    for _ in 0..start {
        spawn_local(worker(state, runner, history));
    }
}

#[component]
pub fn RunStep() -> impl IntoView {
    let state = use_upload();
    let history = state.history;
    let cancelled = CancelToken::new();
    cancelled.cancel();
    let runner: RunnerCell = StoredValue::new_local(Runner {
        workers: 0,
        latency: Latency::default(),
        chosen: None,
        cancel: cancelled,
        _on_leave: None,
    });
    let recovered = RwSignal::new(
        state
            .job
            .with_untracked(|j| j.as_ref().is_some_and(|j| j.state == JobState::Paused)),
    );
    let start = move |_| {
        let limits = PlanLimits::default();
        let plan = state.diff.with_untracked(|d| match d {
            Some(d) if state.only_changed.get_untracked() => {
                Some(plan_upload(&d.to_upload(), limits))
            }
            _ => None,
        });
        // Every offer of the file, planned in place (no copy of a large file's offers) unless the dry
        // run's stock fills prices without quantities.
        let plan = plan.or_else(|| {
            state.validation.with_untracked(|v| {
                let offers = &v.as_ref()?.offers;
                Some(state.current.with_untracked(|c| match c {
                    Some(c) => {
                        let mut offers = offers.clone();
                        fill_missing_quantities(&mut offers, c);
                        plan_upload(&offers, limits)
                    }
                    None => plan_upload(offers, limits),
                }))
            })
        });
        let Some(plan) = plan else { return };
        if let Some(m) = state.mapping.get_untracked() {
            saved::remember_mapping(&m);
        }
        let mut job = UploadJob::new(plan);
        job.resume(now_ms());
        let file = state.file_name.get_untracked();
        state.job_saved.set(saved::save_job(&file, &job));
        state.job_file.set(file);
        state.job.set(Some(job));
        recovered.set(false);
        run_workers(state, runner, history);
    };
    let pause = move |_| {
        state.job.update(|j| {
            if let Some(j) = j {
                j.pause()
            }
        });
        save(state);
    };
    let resume = move |_| {
        state.job.update(|j| {
            if let Some(j) = j {
                j.resume(now_ms())
            }
        });
        recovered.set(false);
        save(state);
        run_workers(state, runner, history);
    };
    let cancel = move |_| {
        state.job.update(|j| {
            if let Some(j) = j {
                j.cancel()
            }
        });
        runner.with_value(|r| r.cancel.cancel());
        save(state);
        record_run(state, history);
    };
    let retry_failed = move |_| {
        state.job.update(|j| {
            if let Some(j) = j {
                j.retry_failed(now_ms());
            }
        });
        save(state);
        run_workers(state, runner, history);
    };
    let discard = move |_| {
        saved::forget_job();
        state.job.set(None);
        recovered.set(false);
    };
    let job_state = move || state.job.with(|j| j.as_ref().map(|j| j.state));
    let progress = move || {
        state
            .job
            .with(|j| j.as_ref().map(|j| j.progress(now_ms())).unwrap_or_default())
    };
    let can_start = move || {
        state
            .validation
            .with(|v| v.as_ref().is_some_and(|v| !v.offers.is_empty()))
            && job_state().is_none_or(|s| !is_open(s))
    };
    let figures = move || {
        tf(Text::UpRunFigures, move || {
            let p = progress();
            vec![
                ("chunks", p.chunks_done.to_string()),
                ("total", p.chunks_total.to_string()),
                ("failed", p.chunks_failed.to_string()),
                ("retries", p.retries.to_string()),
                ("inFlight", p.chunks_in_flight.to_string()),
                ("processed", p.processed.to_string()),
                ("notFound", p.not_found.to_string()),
            ]
        })()
    };
    view! {
        <Show when=move || can_start() || job_state().is_some()>
            <div class="card" id="up-run">
                <h2>{t(Text::UpStepUpload)}</h2>
                {move || (job_state().is_some_and(is_open) && !state.job_saved.get()).then(|| view! {
                    <p class="notice warn" id="up-not-saved">{t(Text::UpNotSaved)}</p>
                })}
                {move || recovered.get().then(|| view! {
                    <p class="notice warn" id="up-recovered">{tf(Text::UpRecovered, move || vec![("file", state.job_file.get())])}</p>
                })}
                <div class="row">
                    <label class="field">{t(Text::UpInFlight)}
                        <select id="up-in-flight" on:change=move |ev| {
                            let chosen = event_target_value(&ev).parse().ok();
                            runner.update_value(|r| r.chosen = chosen);
                        }>
                            <option value="auto" selected=true>{t(Text::UpInFlightAuto)}</option>
                            {(1..=MAX_IN_FLIGHT).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </label>
                    <Show when=can_start>
                        <button id="up-start" on:click=start>{t(Text::UpStart)}</button>
                    </Show>
                </div>
                {move || job_state().map(|s| view! {
                    <p>
                        <span class="badge" id="up-job-state" data-state=format!("{s:?}")>{t(state_text(s))}</span>" "
                        <span id="up-run-figures">{figures}</span>
                    </p>
                    <Progress done=Signal::derive(move || progress().offers_done as u64)
                        total=Signal::derive(move || progress().offers_total as u64)
                        rate=Signal::derive(move || progress().rate)
                        unit=Signal::derive(move || { state.job.track(); tr(Text::UpUnitOffers).to_string() })/>
                    <div class="row">
                        {(s == JobState::Running).then(|| view! { <button class="secondary" id="up-pause" on:click=pause>{t(Text::Pause)}</button> })}
                        {matches!(s, JobState::Paused | JobState::Planned).then(|| view! { <button id="up-resume" on:click=resume>{t(Text::Resume)}</button> })}
                        {is_open(s).then(|| view! { <button class="secondary" id="up-cancel" on:click=cancel>{t(Text::Cancel)}</button> })}
                        {(s == JobState::Failed).then(|| view! { <button id="up-retry-failed" on:click=retry_failed>{t(Text::UpRetryFailed)}</button> })}
                        {(!is_open(s) || s == JobState::Paused).then(|| view! { <button class="link" id="up-discard" on:click=discard>{t(Text::UpDiscard)}</button> })}
                    </div>
                })}
            </div>
        </Show>
    }
}
