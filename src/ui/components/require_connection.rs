//! Shows a screen's content only once a CRM key is checked; otherwise points to the connection screen.

use crate::i18n::Text;
use crate::ui::components::show::Show;
use crate::ui::locale::t;
use crate::ui::reactive::memo;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The children when connected, else a notice with a link to the connection screen. The children are built
/// once per change of "connected", not on every re-check of the key, so nothing typed on the screen is lost.
#[component]
pub fn RequireConnection(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let connected = memo(move || session.is_connected());
    view! {
        <Show
            when=move || connected.get()
            fallback=|| view! {
                <div class="notice warn need-connection">
                    {t(Text::NeedConnection)}" "
                    <A href="/">{t(Text::GoConnect)}</A>
                </div>
            }
        >
            {children()}
        </Show>
    }
}
