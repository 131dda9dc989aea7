//! A status line saying when the panel waits for the CRM's rate limit or retries, so a wait is not taken for a hang
//! (shown, not announced: it changes several times a second; results are announced by the live region).

use crate::api::{RetryReason, TrafficEvent};
use crate::i18n::Text;
use crate::ui::locale::use_locale;
use crate::ui::session::use_session;
use leptos::prelude::*;

/// "Waiting for the rate limit…" / "CRM busy (503), retry 2 of 6 in 1.3 s" while it lasts.
#[component]
pub fn TrafficStatus() -> impl IntoView {
    let session = use_session();
    let lang = use_locale().lang;
    let text = move || {
        let lang = lang.get();
        match session.traffic.get()? {
            TrafficEvent::Throttled { wait_ms } if wait_ms >= 300.0 => Some(
                Text::TrafficThrottled
                    .fill(lang, &[("seconds", format!("{:.1}", wait_ms / 1000.0))]),
            ),
            TrafficEvent::Retrying {
                attempt,
                max_attempts,
                wait_ms,
                reason,
            } => {
                let template = match reason {
                    RetryReason::RateLimited { .. } => Text::TrafficRetryRateLimited,
                    RetryReason::Network { .. } => Text::TrafficRetryNetwork,
                };
                Some(template.fill(
                    lang,
                    &[
                        ("attempt", attempt.saturating_sub(1).to_string()),
                        ("max", max_attempts.saturating_sub(1).to_string()),
                        ("seconds", format!("{:.1}", wait_ms / 1000.0)),
                    ],
                ))
            }
            _ => None,
        }
    };
    view! {
        <div class="traffic-status">
            {move || text().map(|t| view! { <span class="badge warn" id="traffic-status">{t}</span> })}
        </div>
    }
}
