//! Reactive values as one type per value, and memos, derived signals and effects compiled once per value type: the
//! function is boxed before Leptos sees it, so Leptos' code for them is not compiled again for every closure.

use leptos::prelude::*;
use std::sync::Arc;

/// A value that views read reactively, as one type whatever closure computes it (`ui::node` keeps its live parts as
/// these, so one copy of their rendering code serves every closure).
pub type Reactive<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// A [`Reactive`] value as a derived signal (for components that take a `Signal`).
pub fn derived<T: Send + Sync + 'static>(f: Reactive<T>) -> Signal<T> {
    Signal::derive(move || f())
}

/// A memo of what `f` computes: readers are notified only when the value changes.
pub fn memo<T>(f: impl Fn() -> T + Send + Sync + 'static) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    boxed_memo(Arc::new(f))
}

fn boxed_memo<T>(f: Reactive<T>) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| f())
}

/// A signal whose value `f` computes each time it is read (`Signal::derive`, boxed).
pub fn derive<T: Send + Sync + 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> Signal<T> {
    derived(Arc::new(f))
}

/// An effect (`Effect::new`): `f` runs now and again whenever what it read changes, given what it returned the time
/// before. Boxed, so the effect's loop is compiled once per returned type.
pub fn effect<T: 'static>(f: impl FnMut(Option<T>) -> T + 'static) {
    boxed_effect(Box::new(f));
}

fn boxed_effect<T: 'static>(f: Box<dyn FnMut(Option<T>) -> T>) {
    Effect::new(f);
}
