//! Step 3: problems grouped by what to fix, each with its row and column; the rows with problems as a file; the 0/1 fix.

use super::use_upload;
use crate::i18n::Text;
use crate::sheet::csv::CsvOptions;
use crate::ui::components::download::save_text_file;
use crate::ui::locale::{t, tf};
use crate::upload::validate::{clamp_available, problem_rows_csv, ProblemKind};
use leptos::prelude::*;

/// Problems listed per group; the rest are in the downloadable file.
const SHOWN_PER_GROUP: usize = 20;

fn kind_text(kind: ProblemKind) -> Text {
    match kind {
        ProblemKind::MissingKey => Text::UpProbMissingKey,
        ProblemKind::InvalidId => Text::UpProbInvalidId,
        ProblemKind::DuplicateKey => Text::UpProbDuplicateKey,
        ProblemKind::MissingWarehouse => Text::UpProbMissingWarehouse,
        ProblemKind::UnknownWarehouse => Text::UpProbUnknownWarehouse,
        ProblemKind::NotANumber => Text::UpProbNotANumber,
        ProblemKind::Negative => Text::UpProbNegative,
        ProblemKind::FractionalQuantity => Text::UpProbFractional,
        ProblemKind::NotZeroOrOne => Text::UpProbNotZeroOrOne,
        ProblemKind::PriceWithoutQuantity => Text::UpProbPriceWithoutQuantity,
    }
}

#[component]
pub fn ValidationStep() -> impl IntoView {
    let state = use_upload();
    let clamped = RwSignal::new(None::<usize>);
    let download = move |_| {
        let Some(delimiter) = state
            .read
            .with_untracked(|r| r.as_ref()?.as_ref().ok().map(|file| file.delimiter))
        else {
            return;
        };
        // The cells are not kept after validation: the file is read again for the download.
        let Some(sheet) = state.take_sheet() else {
            return;
        };
        state.validation.with_untracked(|v| {
            if let Some(v) = v {
                let csv = problem_rows_csv(
                    &sheet,
                    &v.problems,
                    CsvOptions {
                        delimiter,
                        ..CsvOptions::default()
                    },
                );
                save_text_file("rows-with-problems.csv", &csv);
            }
        });
    };
    let clamp = move |_| {
        let warehouses = state.warehouses.get_untracked();
        let mut changed = 0;
        state.validation.update(|v| {
            if let Some(v) = v {
                changed = clamp_available(&mut v.offers, &warehouses);
                v.problems.retain(|p| p.kind != ProblemKind::NotZeroOrOne);
            }
        });
        state.diff.set(None);
        clamped.set(Some(changed));
    };
    let body = move || {
        state.validation.with(|v| {
            let v = v.as_ref()?;
            let header = state.mapping.with(|m| m.as_ref().map(|m| m.header.clone()).unwrap_or_default());
            let offers = v.offers.len();
            let problems = v.problems.len();
            let summary = tf(Text::UpValidationSummary, move || {
                vec![("offers", offers.to_string()), ("problems", problems.to_string())]
            });
            let has_zero_one = v.problems.iter().any(|p| p.kind == ProblemKind::NotZeroOrOne);
            let groups = v.grouped().into_iter().map(|(kind, list)| {
                let count = list.len();
                let items = list.iter().take(SHOWN_PER_GROUP).map(|p| {
                    let column = header.get(p.column).cloned().unwrap_or_default();
                    let (line, col, value, first) = (p.line, p.column + 1, p.value.clone(), p.first_line);
                    let text = tf(Text::UpProblemAt, move || vec![
                        ("line", line.to_string()),
                        ("column", format!("{col} ({column})")),
                        ("value", value.clone()),
                    ]);
                    view! {
                        <li class="up-problem" data-line=line.to_string() data-column=col.to_string()>
                            {text}
                            {first.map(|f| view! { " " {tf(Text::UpFirstSeen, move || vec![("line", f.to_string())])} })}
                        </li>
                    }
                }).collect_view();
                let more = count.saturating_sub(SHOWN_PER_GROUP);
                view! {
                    <div class="up-problem-group" data-kind=kind.code() class:warn=!kind.blocks_row()>
                        <h3>{t(kind_text(kind))}" "<span class="badge">{count}</span></h3>
                        <ul>{items}</ul>
                        {(more > 0).then(|| view! { <p class="muted">{tf(Text::UpMoreInFile, move || vec![("count", more.to_string())])}</p> })}
                    </div>
                }
            }).collect_view();
            Some(view! {
                <p id="up-validation-summary" data-offers=offers.to_string() data-problems=problems.to_string()
                    class=if v.has_blocking() { "notice warn" } else { "notice ok" }>{summary}</p>
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
    };
    view! {
        <Show when=move || state.validation.with(Option::is_some)>
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
