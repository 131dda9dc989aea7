//! Step 5: the chunked upload with the shared client: progress, pause/resume/cancel, retry of failed chunks, resume after a reload.

use super::{saved, use_upload, UploadState};
use crate::api::{ApiError, TrafficEvent};
use crate::i18n::Text;
use crate::stock::diff::fill_missing_quantities;
use crate::stock::history::RunRecord;
use crate::stock::job::{JobState, UploadJob};
use crate::stock::plan::{plan_upload, PlanLimits};
use crate::ui::components::progress::Progress;
use crate::ui::locale::{t, tf, tr};
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

fn state_text(s: JobState) -> Text {
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
    let Some(mut saved) = saved::load_job() else {
        return false;
    };
    if !is_open(saved.job.state) {
        return false;
    }
    saved.job.recover();
    state.job_file.set(saved.file);
    state.job.set(Some(saved.job));
    true
}

fn save(state: UploadState) {
    let file = state.job_file.try_get_untracked().unwrap_or_default();
    state.job.try_with_untracked(|job| {
        if let Some(job) = job {
            saved::save_job(&file, job);
        }
    });
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

/// Sends chunks one after the other until the job has none to hand out (paused, cancelled, done).
async fn worker(
    state: UploadState,
    workers: StoredValue<usize, LocalStorage>,
    history: RwSignal<Vec<RunRecord>>,
) {
    let session = state.session;
    let client = state.client();
    while let Some(Some(index)) = state
        .job
        .try_update(|j| j.as_mut().and_then(UploadJob::next_chunk))
    {
        save(state);
        let request = state
            .job
            .try_with_untracked(|j| {
                j.as_ref()
                    .and_then(|j| j.chunks.get(index))
                    .map(|c| crate::upload::upload_request(&c.chunk))
            })
            .flatten();
        let Some(request) = request else { break };
        let job = state.job;
        let traffic = session.traffic;
        let observed = client.with_observer(move |event: &TrafficEvent| {
            match event {
                TrafficEvent::Responded { .. } => traffic.set(None),
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
            // The screen was left: the chunk stays "sending" on the device and is sent again on resume.
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
                        .map(|c| crate::upload::not_found_keys(&c.chunk, &resp.not_found_offers))
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
            Some(Some(false)) => {}
            _ => break,
        }
    }
    workers.update_value(|n| *n = n.saturating_sub(1));
}

/// Starts workers up to `in_flight` (some may still be finishing a chunk after a pause).
fn run_workers(
    state: UploadState,
    workers: StoredValue<usize, LocalStorage>,
    in_flight: usize,
    history: RwSignal<Vec<RunRecord>>,
) {
    let running = workers.get_value();
    for _ in running..in_flight.max(1) {
        workers.update_value(|n| *n += 1);
        spawn_local(worker(state, workers, history));
    }
}

#[component]
pub fn RunStep() -> impl IntoView {
    let state = use_upload();
    let history = state.history;
    let workers = StoredValue::new_local(0usize);
    let in_flight = RwSignal::new(1usize);
    let recovered = RwSignal::new(
        state
            .job
            .with_untracked(|j| j.as_ref().is_some_and(|j| j.state == JobState::Paused)),
    );
    let start = move |_| {
        let offers = state.diff.with_untracked(|d| match d {
            Some(d) if state.only_changed.get_untracked() => Some(d.to_upload()),
            _ => None,
        });
        let offers = offers.or_else(|| {
            state.validation.with_untracked(|v| {
                let mut offers = v.as_ref()?.offers.clone();
                state.current.with_untracked(|c| {
                    c.as_ref().map(|c| fill_missing_quantities(&mut offers, c))
                });
                Some(offers)
            })
        });
        let Some(offers) = offers else { return };
        if let Some(m) = state.mapping.get_untracked() {
            saved::remember_mapping(&m);
        }
        let mut job = UploadJob::new(plan_upload(&offers, PlanLimits::default()));
        job.resume(now_ms());
        state.job_file.set(state.file_name.get_untracked());
        state.job.set(Some(job));
        recovered.set(false);
        save(state);
        run_workers(state, workers, in_flight.get_untracked(), history);
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
        run_workers(state, workers, in_flight.get_untracked(), history);
    };
    let cancel = move |_| {
        state.job.update(|j| {
            if let Some(j) = j {
                j.cancel()
            }
        });
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
        run_workers(state, workers, in_flight.get_untracked(), history);
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
                ("processed", p.processed.to_string()),
                ("notFound", p.not_found.to_string()),
            ]
        })()
    };
    view! {
        <Show when=move || can_start() || job_state().is_some()>
            <div class="card" id="up-run">
                <h2>{t(Text::UpStepUpload)}</h2>
                {move || recovered.get().then(|| view! {
                    <p class="notice warn" id="up-recovered">{tf(Text::UpRecovered, move || vec![("file", state.job_file.get())])}</p>
                })}
                <div class="row">
                    <label class="field">{t(Text::UpInFlight)}
                        <select id="up-in-flight" on:change=move |ev| in_flight.set(event_target_value(&ev).parse().unwrap_or(1))>
                            <option value="1" selected=true>"1"</option>
                            <option value="2">"2"</option>
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
