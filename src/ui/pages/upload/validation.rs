//! Step 3: problems grouped by what to fix, each with its row and column; the rows with problems as a file; the 0/1 fix.

use super::use_upload;
use crate::i18n::words::Word;
use crate::i18n::{Phrase, Text};
use crate::ui::components::announce::announce;
use crate::ui::components::show::Show;
use crate::ui::locale::{t, tf, tp};
use crate::ui::reactive::{effect, memo};
use crate::upload::flow::Nothing;
use crate::upload::validate::ProblemKind;
use leptos::prelude::*;

/// Problems listed per group; the rest are in the downloadable file.
const SHOWN_PER_GROUP: usize = 20;

/// The verdict: offers ready, problems found.
fn summary(offers: usize, problems: usize) -> Phrase {
    Phrase::new(Text::UpValidationSummary)
        .with("offers", offers)
        .with("problems", problems)
}

#[component]
pub fn ValidationStep() -> impl IntoView {
    let state = use_upload();
    let clamped = RwSignal::new(None::<usize>);
    // The validation changes with the revision only.
    let revision = memo(move || state.flow(|f| f.revision()).unwrap_or(0));
    let shown = memo(move || state.flow(|f| f.validation().is_some()).unwrap_or(false));
    // The verdict of each new check is announced.
    let verdict = move || {
        state
            .act(|u| {
                let flow = u.flow();
                let problems = flow.validation()?.problems.len();
                Some(summary(flow.offers_to_send(), problems))
            })
            .flatten()
    };
    effect(move |_| {
        let _ = revision.get();
        if let Some(phrase) = verdict() {
            announce(phrase);
        }
    });
    let download = move |_| state.download_problem_rows();
    let clamp = move |_| {
        let mut changed = 0;
        state.act(|u| u.update_flow(|f| changed = f.clamp_available()));
        clamped.set(Some(changed));
    };
    let body = move || {
        let _ = revision.get();
        state.act(|u| {
            let flow = u.flow();
            let v = flow.validation()?;
            let header = flow.mapping().map(|m| m.header.clone()).unwrap_or_default();
            let offers = flow.offers_to_send();
            let problems = v.problems.len();
            let nothing = flow.nothing_to_upload().map(|n| {
                let code = match n {
                    Nothing::NoRows => "noRows",
                    Nothing::NoWarehouseColumns => "noWarehouseColumns",
                    Nothing::EveryRowHasProblems => "everyRowHasProblems",
                    Nothing::AllBlank => "allBlank",
                };
                view! { <p class="notice warn" id="up-nothing" data-reason=code>{t(n.word())}</p> }
            });
            let needs_site = flow.needs_site().then(|| view! {
                <p class="notice warn" id="up-needs-site">{t(Text::UpNeedsSite)}</p>
            });
            let verdict_class = if v.has_blocking() || nothing.is_some() || needs_site.is_some() { "notice warn" } else { "notice ok" };
            let summary = tp(summary(offers, problems));
            let has_zero_one = v.problems.iter().any(|p| p.kind == ProblemKind::NotZeroOrOne);
            let groups = v.grouped().into_iter().map(|(kind, list)| {
                let count = list.len();
                let items = list.iter().take(SHOWN_PER_GROUP).map(|p| {
                    let column = header.get(p.column).cloned().unwrap_or_default();
                    let (line, col, value, first) = (p.line, p.column + 1, p.value.clone(), p.first_line);
                    let twin = p.first_column.map(|c| {
                        let name = format!("{} ({})", c + 1, header.get(c).cloned().unwrap_or_default());
                        view! { " " {tf(Text::UpTwinColumn, move || vec![("column", name.clone())])} }
                    });
                    let text = tf(Text::UpProblemAt, move || vec![
                        ("line", line.to_string()),
                        ("column", format!("{col} ({column})")),
                        ("value", value.clone()),
                    ]);
                    view! {
                        <li class="up-problem" data-line=line.to_string() data-column=col.to_string()>
                            {text}
                            {first.map(|f| view! { " " {tf(Text::UpFirstSeen, move || vec![("line", f.to_string())])} })}
                            {twin}
                        </li>
                    }
                }).collect_view();
                let more = count.saturating_sub(SHOWN_PER_GROUP);
                view! {
                    <div class="up-problem-group" data-kind=kind.code() class:warn=!kind.blocks_row()>
                        <h3>{t(kind.word())}" "<span class="badge">{count}</span></h3>
                        <ul>{items}</ul>
                        {(more > 0).then(|| view! { <p class="muted">{tf(Text::UpMoreInFile, move || vec![("count", more.to_string())])}</p> })}
                    </div>
                }
            }).collect_view();
            Some(view! {
                <p id="up-validation-summary" data-offers=offers.to_string() data-problems=problems.to_string()
                    class=verdict_class>{summary}</p>
                {nothing}
                {needs_site}
                {groups}
                <div class="row">
                    {(problems > 0).then(|| view! {
                        <button class="secondary" id="up-problems-download" on:click=download>{t(Text::UpDownloadProblemRows)}</button>
                    })}
                    {has_zero_one.then(|| view! {
                        <button class="secondary" id="up-clamp" on:click=clamp>{t(Text::UpClamp)}</button>
                    })}
                </div>
                <p class="hint">{t(Text::UpBlankHint)}</p>
            })
        })
        .flatten()
    };
    view! {
        <Show when=move || shown.get()>
            <div class="card" id="up-validation">
                <h2>{t(Text::UpStepValidation)}</h2>
                {body}
                {move || clamped.get().map(|n| view! {
                    <p class="notice ok" id="up-clamped">{tf(Text::UpClamped, move || vec![("count", n.to_string())])}</p>
                })}
            </div>
        </Show>
    }
}
