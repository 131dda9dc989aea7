//! A view as data: an element with its attributes, children and handlers, rendered by one `Render` implementation
//! for every screen that uses it (each typed `view!` tree gets a copy of the rendering code of its own).

use crate::i18n::Text;
use crate::ui::locale::t;
use crate::ui::reactive::Reactive;
use leptos::html::ElementType;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::node_ref::NodeRefContainer;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use send_wrapper::SendWrapper;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// An element to render: its tag, attributes, children and event handlers.
pub struct El {
    tag: &'static str,
    attrs: Vec<(&'static str, Value)>,
    children: Vec<Child>,
    handlers: Vec<(&'static str, Handler)>,
    node_ref: Option<Loader>,
}

type Handler = SendWrapper<Box<dyn FnMut(web_sys::Event)>>;

/// Fills a `NodeRef` with the created element.
type Loader = SendWrapper<Box<dyn FnOnce(&web_sys::Element)>>;

enum Value {
    Fixed(String),
    Live(Reactive<Option<String>>),
    /// A property of the element (`checked`, `indeterminate`), not an attribute.
    Flag(Reactive<bool>),
}

enum Child {
    El(El),
    Text(String),
    Live(Reactive<String>),
    /// Children rebuilt whenever what they read changes (a table's rows).
    LiveEls(Reactive<Vec<El>>),
    View(AnyView),
}

/// A new element `<tag>`.
pub fn el(tag: &'static str) -> El {
    El {
        tag,
        attrs: Vec::new(),
        children: Vec::new(),
        handlers: Vec::new(),
        node_ref: None,
    }
}

/// A header cell saying `text`.
pub fn th(text: Text) -> El {
    el("th").tr(text)
}

/// A table's head: one row of `cells`.
pub fn head(cells: impl IntoIterator<Item = El>) -> El {
    el("thead").child(el("tr").children(cells))
}

/// A cell of class `class` (none when empty) holding `text`.
pub fn td(class: &'static str, text: impl Into<String>) -> El {
    let cell = el("td");
    let cell = if class.is_empty() {
        cell
    } else {
        cell.class(class)
    };
    cell.text(text)
}

impl El {
    /// Sets the attribute `name`.
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> El {
        self.attrs.push((name, Value::Fixed(value.into())));
        self
    }

    /// Sets the attribute `name` when there is a value.
    pub fn attr_opt(self, name: &'static str, value: Option<String>) -> El {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    /// Sets the `class` attribute.
    pub fn class(self, class: &'static str) -> El {
        self.attr("class", class)
    }

    /// An attribute that follows what `value` reads (absent while it gives `None`).
    pub fn live_attr(
        mut self,
        name: &'static str,
        value: impl Fn() -> Option<String> + Send + Sync + 'static,
    ) -> El {
        self.attrs.push((name, Value::Live(Arc::new(value))));
        self
    }

    /// An attribute saying a text of the translation table, in the current language.
    pub fn tr_attr(self, name: &'static str, text: Text) -> El {
        let text = t(text);
        self.live_attr(name, move || Some(text().to_string()))
    }

    /// A boolean property of the element (`checked`, `indeterminate`) that follows what `value` reads.
    pub fn live_flag(
        mut self,
        name: &'static str,
        value: impl Fn() -> bool + Send + Sync + 'static,
    ) -> El {
        self.attrs.push((name, Value::Flag(Arc::new(value))));
        self
    }

    /// Appends a text.
    pub fn text(mut self, text: impl Into<String>) -> El {
        self.children.push(Child::Text(text.into()));
        self
    }

    /// Appends a text of the translation table, in the current language.
    pub fn tr(self, text: Text) -> El {
        let text = t(text);
        self.live_text(move || text().to_string())
    }

    /// Appends a text that follows what `text` reads.
    pub fn live_text(mut self, text: impl Fn() -> String + Send + Sync + 'static) -> El {
        self.children.push(Child::Live(Arc::new(text)));
        self
    }

    /// Appends a child element.
    pub fn child(mut self, child: El) -> El {
        self.children.push(Child::El(child));
        self
    }

    /// Appends child elements.
    pub fn children(mut self, children: impl IntoIterator<Item = El>) -> El {
        self.children.extend(children.into_iter().map(Child::El));
        self
    }

    /// Appends child elements built again whenever what `children` reads changes.
    pub fn live_children(mut self, children: impl Fn() -> Vec<El> + Send + Sync + 'static) -> El {
        self.children.push(Child::LiveEls(Arc::new(children)));
        self
    }

    /// Appends a view of `view!` or a component.
    pub fn view(mut self, view: AnyView) -> El {
        self.children.push(Child::View(view));
        self
    }

    /// Handles the event `name` (`click`, `change`, …).
    pub fn on(mut self, name: &'static str, handler: impl FnMut(web_sys::Event) + 'static) -> El {
        self.handlers
            .push((name, SendWrapper::new(Box::new(handler))));
        self
    }

    /// Fills `node_ref` with the element once it is created (as `node_ref=` does in `view!`).
    pub fn node_ref<E>(mut self, node_ref: NodeRef<E>) -> El
    where
        E: ElementType + 'static,
        E::Output: JsCast + 'static,
    {
        self.node_ref = Some(SendWrapper::new(Box::new(move |element| {
            node_ref.load(element)
        })));
        self
    }

    /// Creates the element and its subtree; what stays live goes into `parts`. A tag the browser refuses becomes a
    /// comment naming it.
    fn create(self, parts: &mut Parts) -> web_sys::Node {
        let Ok(element) = document().create_element(self.tag) else {
            return document().create_comment(self.tag).into();
        };
        for (name, value) in self.attrs {
            match value {
                Value::Fixed(value) => {
                    let _ = element.set_attribute(name, &value);
                }
                Value::Live(value) => {
                    let element = element.clone();
                    parts.effects.push(RenderEffect::new(move |_| {
                        let _ = match value() {
                            Some(v) => element.set_attribute(name, &v),
                            None => element.remove_attribute(name),
                        };
                    }));
                }
                Value::Flag(value) => {
                    let element = element.clone();
                    parts.effects.push(RenderEffect::new(move |_| {
                        let _ = js_sys::Reflect::set(&element, &name.into(), &value().into());
                    }));
                }
            }
        }
        for child in self.children {
            append(&element, child, parts);
        }
        for (name, handler) in self.handlers {
            let callback = Closure::wrap(handler.take());
            let _ =
                element.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
            parts.listeners.push((element.clone(), name, callback));
        }
        if let Some(load) = self.node_ref {
            load.take()(&element);
        }
        element.into()
    }
}

/// Appends `child` to `parent`.
fn append(parent: &web_sys::Element, child: Child, parts: &mut Parts) {
    match child {
        Child::El(el) => {
            let _ = parent.append_child(&el.create(parts));
        }
        Child::Text(text) => {
            let _ = parent.append_child(&document().create_text_node(&text));
        }
        Child::Live(text) => {
            let node = document().create_text_node("");
            let _ = parent.append_child(&node);
            parts
                .effects
                .push(RenderEffect::new(move |_| node.set_data(&text())));
        }
        Child::LiveEls(children) => {
            // The children sit between two markers, so siblings before and after them stay where they are.
            let end = document().create_comment("");
            let _ = parent.append_child(&end);
            let shown: SendWrapper<std::cell::RefCell<Vec<(web_sys::Node, Parts)>>> =
                SendWrapper::new(Default::default());
            parts.effects.push(RenderEffect::new(move |_| {
                let built: Vec<(web_sys::Node, Parts)> = children()
                    .into_iter()
                    .map(|el| {
                        let mut parts = Parts::default();
                        (el.create(&mut parts), parts)
                    })
                    .collect();
                let mut shown = shown.borrow_mut();
                for (node, _) in shown.drain(..) {
                    remove(&node);
                }
                if let Some(parent) = end.parent_node() {
                    for (node, _) in &built {
                        let _ = parent.insert_before(node, Some(&end));
                    }
                }
                *shown = built;
            }));
        }
        Child::View(view) => {
            let mut state = view.build();
            state.mount(parent, None);
            parts.views.push(state);
        }
    }
}

/// Takes `node` out of the page.
fn remove(node: &web_sys::Node) {
    if let Some(parent) = node.parent_node() {
        let _ = parent.remove_child(node);
    }
}

/// An event listener on an element: its event's name and the callback the browser holds.
type Listener = (
    web_sys::Element,
    &'static str,
    Closure<dyn FnMut(web_sys::Event)>,
);

/// What keeps a built element live: its effects, the views inside it and its event listeners (removed when it goes).
#[derive(Default)]
struct Parts {
    effects: Vec<RenderEffect<()>>,
    views: Vec<AnyViewState>,
    listeners: Vec<Listener>,
}

impl Drop for Parts {
    fn drop(&mut self) {
        for (element, name, callback) in &self.listeners {
            let _ = element
                .remove_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        }
    }
}

/// A built [`El`]: the element in the page and what keeps it live.
pub struct ElState {
    node: web_sys::Node,
    _parts: Parts,
}

impl Mountable for ElState {
    fn unmount(&mut self) {
        remove(&self.node);
    }

    fn mount(&mut self, parent: &web_sys::Element, marker: Option<&web_sys::Node>) {
        let _ = parent.insert_before(&self.node, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        match self.node.parent_element() {
            Some(parent) => {
                child.mount(&parent, Some(&self.node));
                true
            }
            None => false,
        }
    }

    fn elements(&self) -> Vec<web_sys::Element> {
        self.node
            .dyn_ref::<web_sys::Element>()
            .cloned()
            .into_iter()
            .collect()
    }
}

impl Render for El {
    type State = ElState;

    fn build(self) -> ElState {
        let mut parts = Parts::default();
        let node = self.create(&mut parts);
        ElState {
            node,
            _parts: parts,
        }
    }

    fn rebuild(self, state: &mut ElState) {
        let mut new = self.build();
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

leptos::tachys::no_attrs!(El);

/// The panel renders in the browser only: there is no HTML to write on a server and nothing to hydrate.
impl RenderHtml for El {
    type AsyncOutput = El;
    type Owned = El;
    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> El {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        _cursor: &Cursor,
        _position: &PositionState,
    ) -> ElState {
        self.build()
    }

    fn into_owned(self) -> El {
        self
    }
}
