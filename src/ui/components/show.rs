//! `Show` compiled once: its condition and children boxed, so each use adds only its own closures (Leptos' `Show` is
//! generic over both and compiles its memo, its branch and the children's rendering again for every use).

use crate::ui::reactive::memo;
use crate::ui::reactive::Reactive;
use leptos::prelude::*;
use std::sync::Arc;

/// Shows `children` while `when` gives true, `fallback` (nothing by default) otherwise.
#[component(transparent)]
pub fn Show(
    children: ChildrenFn,
    when: impl Fn() -> bool + Send + Sync + 'static,
    #[prop(optional, into)] fallback: ViewFn,
) -> impl IntoView {
    shown(Arc::new(when), children, fallback)
}

/// The branch, the same function for every use.
fn shown(when: Reactive<bool>, children: ChildrenFn, fallback: ViewFn) -> AnyView {
    let when = memo(move || when());
    (move || {
        if when.get() {
            children()
        } else {
            fallback.run()
        }
    })
    .into_any()
}
