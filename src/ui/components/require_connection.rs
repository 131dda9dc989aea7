//! Shows a screen's content only once a CRM key is checked; otherwise points to the connection screen.

use crate::i18n::Text;
use crate::ui::locale::t;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The children when connected, else a notice with a link to the connection screen.
#[component]
pub fn RequireConnection(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    move || {
        if session.is_connected() {
            children().into_any()
        } else {
            view! {
                <div class="notice warn need-connection">
                    {t(Text::NeedConnection)}" "
                    <A href="/">{t(Text::GoConnect)}</A>
                </div>
            }
            .into_any()
        }
    }
}
