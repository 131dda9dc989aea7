//! The one translation table of every text the user sees, in English and Russian.

mod table;
pub mod words;

pub use table::Text;

/// A language the panel ships.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// Every shipped language, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The BCP 47 code, also what is remembered on the device.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language for a stored or browser-reported code (`ru-RU` → Russian); English otherwise.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("ru") {
            Lang::Ru
        } else {
            Lang::En
        }
    }
}

impl Text {
    /// The text in `lang`.
    pub fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en(),
            Lang::Ru => self.ru(),
        }
    }
}

/// A text with its `{name}` values: what a domain value says, before the language is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub text: Text,
    pub args: Vec<(&'static str, String)>,
}

impl Phrase {
    /// A text without values.
    pub fn new(text: Text) -> Phrase {
        Phrase {
            text,
            args: Vec::new(),
        }
    }

    /// The same phrase with `{name}` filled by `value`.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Phrase {
        self.args.push((name, value.to_string()));
        self
    }

    /// The phrase in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        fill(self.text.in_lang(lang), &self.args)
    }
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_same_placeholders() {
        for text in Text::ALL {
            let (en, ru) = (text.en(), text.ru());
            assert!(!en.trim().is_empty(), "{text:?} has no English");
            assert!(!ru.trim().is_empty(), "{text:?} has no Russian");
            assert_eq!(
                placeholders(en),
                placeholders(ru),
                "{text:?} placeholders differ"
            );
        }
    }

    fn placeholders(s: &str) -> Vec<&str> {
        let mut found: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn language_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), lang);
        }
        assert_eq!(Lang::from_code("ru-RU"), Lang::Ru);
        assert_eq!(Lang::from_code("de"), Lang::En);
    }

    #[test]
    fn fill_replaces_named_placeholders() {
        assert_eq!(
            fill(
                "{done} of {total}",
                &[("done", "3".into()), ("total", "10".into())]
            ),
            "3 of 10"
        );
    }
}
