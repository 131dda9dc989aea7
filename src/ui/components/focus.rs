//! Keyboard focus that follows an action to what it produced, so it never falls back to the start of the page.

use crate::ui::reactive::effect;
use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The element an action's result is shown in (`node_ref=focus.node`, with `tabindex="-1"`): focused when it appears
/// after [`ResultFocus::arm`], or at once with [`ResultFocus::now`].
pub struct ResultFocus<E>
where
    E: ElementType,
    E::Output: 'static,
{
    pub node: NodeRef<E>,
    armed: RwSignal<bool>,
}

impl<E> Clone for ResultFocus<E>
where
    E: ElementType,
    E::Output: 'static,
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for ResultFocus<E>
where
    E: ElementType,
    E::Output: 'static,
{
}

impl<E> ResultFocus<E>
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    /// Created in the component that shows the result.
    pub fn new() -> Self {
        let focus = ResultFocus {
            node: NodeRef::new(),
            armed: RwSignal::new(false),
        };
        effect(move |_| {
            if let Some(el) = focus.node.get() {
                if focus.armed.get_untracked() {
                    focus.armed.set(false);
                    focus_element(&el);
                }
            }
        });
        focus
    }

    /// The action started: the next element shown as its result takes the focus.
    pub fn arm(self) {
        self.armed.set(true);
    }

    /// Focuses the element shown now (a result that stays in place while it changes); when none is shown, the next
    /// one to appear is focused if the focus was armed.
    pub fn now(self) {
        if let Some(el) = self.node.get_untracked() {
            self.armed.set(false);
            focus_element(&el);
        }
    }
}

impl<E> Default for ResultFocus<E>
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

fn focus_element<T: JsCast>(el: &T) {
    let _ = el.unchecked_ref::<web_sys::HtmlElement>().focus();
}
