//! A cancel token that fires when the screen that made it is left, so its requests stop with it.

use crate::api::CancelToken;
use leptos::prelude::on_cleanup;

/// A token cancelled when the current component is unmounted (the user went to another screen).
pub fn cancel_on_leave() -> CancelToken {
    let token = CancelToken::new();
    let on_leave = send_wrapper::SendWrapper::new(token.clone());
    on_cleanup(move || on_leave.cancel());
    token
}
