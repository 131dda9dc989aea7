//! The language context: which language the panel speaks, remembered on the device.

use crate::i18n::{Lang, Phrase, Text};
use crate::ui::reactive::Reactive;
use crate::ui::storage;
use leptos::prelude::*;
use std::sync::Arc;

const STORAGE_KEY: &str = "warehouse-panel.lang";

/// The current language, provided once by the app.
#[derive(Clone, Copy)]
pub struct Locale {
    pub lang: RwSignal<Lang>,
}

impl Locale {
    /// The language remembered on this device, or else the browser's.
    pub fn from_device() -> Locale {
        let code = storage::local_get(STORAGE_KEY)
            .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
            .unwrap_or_default();
        Locale {
            lang: RwSignal::new(Lang::from_code(&code)),
        }
    }

    /// Takes the language remembered on the device again (after the browser granted its storage to a frame).
    pub fn reload(self) {
        if let Some(code) = storage::local_get(STORAGE_KEY) {
            self.lang.set(Lang::from_code(&code));
        }
    }

    /// Switches the language and remembers the choice on this device.
    pub fn set(self, lang: Lang) {
        self.lang.set(lang);
        storage::local_set(STORAGE_KEY, lang.code());
    }
}

/// The language context; the app always provides it.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(|| Locale {
        lang: RwSignal::new(Lang::En),
    })
}

/// A reactive text for views: `{t(Text::NavModule)}` follows the language switch.
pub fn t(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_locale().lang;
    move || text.in_lang(lang.get())
}

/// The text in the current language, read once (for attributes, titles, messages built in code).
pub fn tr(text: Text) -> &'static str {
    text.in_lang(use_locale().lang.get_untracked())
}

/// A reactive phrase (a domain value's words with their values): follows the language switch.
pub fn tp(phrase: Phrase) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_locale().lang;
    move || phrase.in_lang(lang.get())
}

/// A reactive text with `{name}` values filled in. One type for every call site (the values' closure boxed), so the
/// views that show it share one copy of the rendering code.
pub fn tf(
    text: Text,
    args: impl Fn() -> Vec<(&'static str, String)> + Send + Sync + 'static,
) -> Reactive<String> {
    let lang = use_locale().lang;
    let args: Box<dyn Fn() -> Vec<(&'static str, String)> + Send + Sync> = Box::new(args);
    Arc::new(move || text.fill(lang.get(), &args()))
}
