//! `CancelToken`: a shared handle that stops waiting calls and aborts in-flight requests (page left, job cancelled).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

type Hook = Box<dyn FnOnce()>;

#[derive(Default)]
struct State {
    cancelled: bool,
    next_id: u64,
    hooks: Vec<(u64, Hook)>,
    /// A child's registration with its parent, dropped (unregistered) with the child.
    parent: Option<CancelHook>,
}

/// A cancellation flag shared by its clones. Cancelling is permanent: make a new token for new work.
#[derive(Clone, Default)]
pub struct CancelToken {
    state: Rc<RefCell<State>>,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels: every registered hook runs once (the browser transport aborts its fetch) and every waiting call
    /// returns [`crate::api::ApiError::Cancelled`] at its next check.
    pub fn cancel(&self) {
        let hooks = {
            let mut st = self.state.borrow_mut();
            if st.cancelled {
                return;
            }
            st.cancelled = true;
            std::mem::take(&mut st.hooks)
        };
        for (_, hook) in hooks {
            hook();
        }
    }

    /// A new token cancelled when this one is (and on its own, without cancelling this one). The parent keeps no
    /// strong reference: a dropped child is forgotten.
    pub fn child(&self) -> CancelToken {
        let child = CancelToken::new();
        let weak = Rc::downgrade(&child.state);
        let hook = self.on_cancel(move || {
            if let Some(state) = weak.upgrade() {
                CancelToken { state }.cancel();
            }
        });
        if let Ok(mut st) = child.state.try_borrow_mut() {
            st.parent = Some(hook);
        }
        child
    }

    /// Whether [`CancelToken::cancel`] was called on this token or a clone.
    pub fn is_cancelled(&self) -> bool {
        self.state.borrow().cancelled
    }

    /// Runs `hook` when the token is cancelled (at once if it already is), until the returned guard is dropped.
    pub fn on_cancel(&self, hook: impl FnOnce() + 'static) -> CancelHook {
        let already = self.state.borrow().cancelled;
        if already {
            hook();
            return CancelHook {
                token: self.clone(),
                id: None,
            };
        }
        let mut st = self.state.borrow_mut();
        let id = st.next_id;
        st.next_id += 1;
        st.hooks.push((id, Box::new(hook)));
        CancelHook {
            token: self.clone(),
            id: Some(id),
        }
    }
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// Keeps a hook of [`CancelToken::on_cancel`] registered; dropping it unregisters the hook.
pub struct CancelHook {
    token: CancelToken,
    id: Option<u64>,
}

impl Drop for CancelHook {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            if let Ok(mut st) = self.token.state.try_borrow_mut() {
                st.hooks.retain(|(h, _)| *h != id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn hooks_run_once_unless_dropped() {
        let token = CancelToken::new();
        let fired = Rc::new(Cell::new(0));
        let f1 = fired.clone();
        let _kept = token.on_cancel(move || f1.set(f1.get() + 1));
        let f2 = fired.clone();
        drop(token.on_cancel(move || f2.set(f2.get() + 10)));
        let clone = token.clone();
        clone.cancel();
        clone.cancel();
        assert!(token.is_cancelled());
        assert_eq!(fired.get(), 1);
        let f3 = fired.clone();
        let _late = token.on_cancel(move || f3.set(f3.get() + 100));
        assert_eq!(fired.get(), 101);
    }

    #[test]
    fn children_follow_their_parent_only() {
        let parent = CancelToken::new();
        let child = parent.child();
        let grandchild = child.child();
        let sibling = parent.child();
        sibling.cancel();
        assert!(!parent.is_cancelled() && !child.is_cancelled());
        drop(parent.child());
        assert_eq!(
            parent.state.borrow().hooks.len(),
            2,
            "a dropped child unregisters"
        );
        parent.cancel();
        assert!(child.is_cancelled() && grandchild.is_cancelled());
        assert!(
            parent.child().is_cancelled(),
            "a child of a cancelled token starts cancelled"
        );
    }
}
