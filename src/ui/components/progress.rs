//! A progress bar with the figures long work must show: done / total, rate and time left.

use crate::i18n::Text;
use crate::ui::locale::{t, tf, use_locale};
use leptos::prelude::*;

/// Done / total as a bar named `label`, with the rate per second and the time left when known.
#[component]
pub fn Progress(
    done: Signal<u64>,
    total: Signal<u64>,
    /// Items per second, when measured.
    #[prop(into)]
    rate: Signal<Option<f64>>,
    /// What is counted: a text with the forms of its word for `{count}` (e.g. [`Text::UnitOffers`]).
    unit: Text,
    /// What is under way (the bar's name for screen readers).
    label: Text,
) -> impl IntoView {
    let lang = use_locale().lang;
    let percent = move || {
        let total = total.get();
        if total == 0 {
            0.0
        } else {
            (done.get() as f64 / total as f64 * 100.0).clamp(0.0, 100.0)
        }
    };
    let figures = move || {
        let lang = lang.get();
        let total = total.get().to_string();
        Text::ProgressFigures.fill(
            lang,
            &[
                ("done", done.get().to_string()),
                ("unit", unit.fill(lang, &[("count", total.clone())])),
                ("total", total),
            ],
        )
    };
    let rate_text = tf(Text::ProgressRate, move || {
        let left = total.get().saturating_sub(done.get()) as f64;
        let (rate, eta) = match rate.get() {
            Some(r) if r > 0.0 => (format!("{r:.1}"), format_duration(left / r)),
            _ => ("–".to_string(), "–".to_string()),
        };
        vec![("rate", rate), ("eta", eta)]
    });
    view! {
        <div class="progress-block">
            <div class="progress" role="progressbar" aria-label=t(label) aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=move || format!("{:.0}", percent()) aria-valuetext=figures>
                <div style:width=move || format!("{:.1}%", percent())></div>
            </div>
            <div class="progress-figures">{figures}" · "{rate_text}</div>
        </div>
    }
}

/// `83` seconds as `1:23`, an hour or more as `1:02:03`.
pub fn format_duration(seconds: f64) -> String {
    let s = if seconds.is_finite() {
        seconds.max(0.0).round() as u64
    } else {
        0
    };
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
