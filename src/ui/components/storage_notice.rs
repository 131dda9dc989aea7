//! The notice shown when the browser refuses storage (a cross-site frame, storage switched off): what that means
//! for the key and the work, the storage-access question on the Connect click, and a link to open the panel in a
//! tab of its own.

use crate::connection::flow::StorageAccess;
use crate::i18n::Text;
use crate::ui::locale::t;
use crate::ui::session::use_session;
use crate::ui::storage::own_address;
use leptos::prelude::*;

/// Nothing while storage works; otherwise the plain words for the state of storage access.
#[component]
pub fn StorageNotice() -> impl IntoView {
    let session = use_session();
    let state = move || session.with_flow(|flow| (flow.storage(), flow.framed()));
    move || {
        let (access, framed) = state();
        let (key, class, lines): (&str, &str, Vec<Text>) = match access {
            StorageAccess::Kept => return None,
            StorageAccess::Blocked { can_ask } => {
                let mut lines = vec![if framed {
                    Text::StorageBlockedFrame
                } else {
                    Text::StorageBlocked
                }];
                if can_ask {
                    lines.push(Text::StorageAskOnConnect);
                }
                ("blocked", "warn", lines)
            }
            StorageAccess::Asking => ("asking", "warn", vec![Text::StorageAsking]),
            StorageAccess::Granted => ("granted", "ok", vec![Text::StorageGranted]),
            StorageAccess::Refused => ("refused", "warn", vec![Text::StorageRefused]),
        };
        let offer_tab = framed && access != StorageAccess::Granted;
        Some(view! {
            <div class=format!("notice {class}") id="storage-notice" data-state=key>
                {lines.into_iter().map(|text| view! { <p>{t(text)}</p> }).collect_view()}
                {offer_tab.then(|| view! {
                    <p>
                        <a id="open-in-tab" href=own_address() target="_blank" rel="noopener">
                            {t(Text::StorageOpenInTab)}
                        </a>
                    </p>
                })}
            </div>
        })
    }
}
