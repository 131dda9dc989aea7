//! A failed shipment call shown to the operator: the "no warehouse system registered" refusal in plain words with a
//! link to the module screen, and the CRM's own error below it.

use crate::api::ApiError;
use crate::i18n::Text;
use crate::shipments::refusal::is_no_warehouse_system;
use crate::ui::components::api_error::ApiErrorNotice;
use crate::ui::locale::t;
use leptos::prelude::*;
use leptos_router::components::A;

/// The error of a shipment call, with the module hint when the CRM refused `shipped` for want of a warehouse system.
#[component]
pub fn ShipmentError(error: ApiError) -> impl IntoView {
    let no_module = is_no_warehouse_system(&error);
    view! {
        {no_module.then(|| view! {
            <div class="notice bad ship-no-module">
                <strong>{t(Text::ShipNoModule)}</strong>" "
                <A href="/module">{t(Text::ShipGoModule)}</A>
            </div>
        })}
        <ApiErrorNotice error/>
    }
}
