//! Step 5: the chunked upload: progress, pause/resume/cancel, retry of failed chunks, resume after a reload; and the
//! notice of unfinished uploads that belong to another account, site or key.

use super::use_upload;
use crate::i18n::words::Word;
use crate::i18n::Text;
use crate::runner::MAX_IN_FLIGHT;
use crate::ui::components::focus::ResultFocus;
use crate::ui::components::progress::Progress;
use crate::ui::components::show::Show;
use crate::ui::locale::{t, tf};
use crate::ui::reactive::{derive, memo};
use crate::upload::job::{JobState, Progress as JobProgress};
use leptos::html;
use leptos::prelude::*;

fn is_open(state: JobState) -> bool {
    matches!(
        state,
        JobState::Planned | JobState::Running | JobState::Paused
    )
}

/// The job as the step shows it.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
struct Shown {
    state: Option<JobState>,
    progress: JobProgress,
    in_flight: usize,
    can_start: bool,
    saved: bool,
    recovered: bool,
}

/// Unfinished uploads kept on this device for another account, site or key: said, never resumed here.
#[component]
pub fn SavedElsewhere() -> impl IntoView {
    let state = use_upload();
    let others = state.act(|u| u.jobs_of_others()).unwrap_or_default();
    others
        .into_iter()
        .map(|(owner, file)| {
            let account = owner.account.clone();
            let site = owner.site.clone().unwrap_or_else(|| "—".to_string());
            view! {
                <p class="notice warn up-job-elsewhere" data-account=owner.account>
                    {tf(Text::UpJobElsewhere, move || vec![
                        ("file", file.clone()),
                        ("account", account.clone()),
                        ("site", site.clone()),
                    ])}
                </p>
            }
        })
        .collect_view()
}

#[component]
pub fn RunStep() -> impl IntoView {
    let state = use_upload();
    let shown = memo(move || {
        state
            .with(|u| {
                let now = js_sys::Date::now();
                Shown {
                    state: u.with_job(|j| j.state),
                    progress: u.with_job(|j| j.progress(now)).unwrap_or_default(),
                    in_flight: u.in_flight(),
                    can_start: u.can_start(),
                    saved: u.job_saved(),
                    recovered: u.recovered(),
                }
            })
            .unwrap_or_default()
    });
    // What the plan depends on: the file and mapping, "only what changed" and whether the dry run is done.
    let planned = memo(move || {
        state
            .flow(|f| (f.revision(), f.only_changed(), f.diff().is_some()))
            .unwrap_or_default()
    });
    let estimate = memo(move || {
        let _ = planned.get();
        state
            .act(|u| (u.upload_requests(), u.rate()))
            .unwrap_or((0, 10.0))
    });
    // The job's state takes the focus when the upload starts, and keeps it as the buttons change under it.
    let focus = ResultFocus::<html::Span>::new();
    let start = move |_| {
        focus.arm();
        state.act(|u| state.run(u.start()));
        focus.now();
    };
    let pause = move |_| {
        state.act(|u| u.pause());
        focus.now();
    };
    let resume = move |_| {
        state.act(|u| state.run(Some(u.resume())));
        focus.now();
    };
    let cancel = move |_| {
        state.act(|u| u.cancel());
        focus.now();
    };
    let retry_failed = move |_| {
        state.act(|u| state.run(Some(u.retry_failed())));
        focus.now();
    };
    let discard = move |_| {
        state.act(|u| u.discard());
    };
    // The controls render again only when the job's state changes, not with every chunk.
    let job_state = memo(move || shown.with(|s| s.state));
    let job_state = move || job_state.get();
    let progress = move || shown.with(|s| s.progress);
    let figures = move || {
        tf(Text::UpRunFigures, move || {
            let p = progress();
            vec![
                ("chunks", p.chunks_done.to_string()),
                ("total", p.chunks_total.to_string()),
                ("failed", p.chunks_failed.to_string()),
                ("retries", p.retries.to_string()),
                ("inFlight", shown.with(|s| s.in_flight).to_string()),
                ("processed", p.processed.to_string()),
                ("notFound", p.not_found.to_string()),
            ]
        })()
    };
    let file = move || {
        let _ = shown.get();
        state.act(|u| u.job_file()).flatten().unwrap_or_default()
    };
    view! {
        <Show when=move || shown.with(|s| s.can_start || s.state.is_some())>
            <div class="card" id="up-run">
                <h2>{t(Text::UpStepUpload)}</h2>
                {move || (job_state().is_some_and(is_open) && !shown.with(|s| s.saved)).then(|| view! {
                    <p class="notice warn" id="up-not-saved">{t(Text::UpNotSaved)}</p>
                })}
                {move || shown.with(|s| s.recovered && s.state == Some(JobState::Paused)).then(|| view! {
                    <p class="notice warn" id="up-recovered">{tf(Text::UpRecovered, move || vec![("file", file())])}</p>
                })}
                <div class="row">
                    <label class="field">{t(Text::UpInFlight)}
                        <select id="up-in-flight" on:change=move |ev| {
                            let chosen = event_target_value(&ev).parse().ok();
                            state.act(|u| u.choose_in_flight(chosen));
                        }>
                            <option value="auto" selected=true>{t(Text::UpInFlightAuto)}</option>
                            {(1..=MAX_IN_FLIGHT).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                        </select>
                    </label>
                    <Show when=move || shown.with(|s| s.can_start)>
                        <button id="up-start" on:click=start>{t(Text::UpStart)}</button>
                        <span class="hint" id="up-estimate">{move || super::dry_run::estimate_text(estimate.get())}</span>
                    </Show>
                </div>
                <Show when=move || job_state().is_some()>
                    <p>
                        <span class="badge" id="up-job-state" tabindex="-1" node_ref=focus.node
                            data-state=move || job_state().map(|s| format!("{s:?}"))>
                            {move || job_state().map(|s| t(s.word())())}
                        </span>" "
                        <span id="up-run-figures">{figures}</span>
                    </p>
                    <Progress done=derive(move || progress().offers_done as u64)
                        total=derive(move || progress().offers_total as u64)
                        rate=derive(move || progress().rate)
                        unit=Text::UnitOffers label=Text::UpStepUpload/>
                </Show>
                {move || job_state().map(|s| view! {
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
