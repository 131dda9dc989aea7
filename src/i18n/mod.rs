//! The one translation table of every text the user sees, in English and Russian.

mod plural;
mod table;
pub mod words;

pub use plural::plural_form;
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

    /// The text in `lang` with its values filled in (see [`fill`]).
    pub fn fill(self, lang: Lang, args: &[(&str, String)]) -> String {
        fill(lang, self.in_lang(lang), args)
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
        self.text.fill(lang, &self.args)
    }
}

/// Fills `template` (a text in `lang`): `{name}` becomes the value of `name`, and `{name|form|form…}` the form of a
/// word that goes with that value by the plural rules of `lang` ([`plural_form`]); a name without a value stays.
fn fill(lang: Lang, template: &str, args: &[(&str, String)]) -> String {
    let value = |name: &str| {
        args.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    let braces = |s: &str| {
        let start = s.find('{')?;
        Some((start, s[start..].find('}')?))
    };
    while let Some((start, len)) = braces(rest) {
        out.push_str(&rest[..start]);
        let inner = &rest[start + 1..start + len];
        let mut parts = inner.split('|');
        let name = parts.next().unwrap_or_default();
        let forms: Vec<&str> = parts.collect();
        match value(name) {
            Some(v) if forms.is_empty() => out.push_str(v),
            Some(v) => {
                let form = plural_form(lang, v).min(forms.len() - 1);
                out.push_str(forms[form]);
            }
            None => out.push_str(&rest[start..=start + len]),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
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

    /// The names of the values a text uses (a word's forms left out).
    fn placeholders(s: &str) -> Vec<&str> {
        let mut found: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(inner, _)| inner))
            .map(|inner| inner.split('|').next().unwrap_or_default())
            .collect();
        crate::order::sort(&mut found);
        found.dedup();
        found
    }

    /// The number of forms of each word that follows a number: `{count|offer|offers}` has 2.
    fn form_counts(s: &str) -> Vec<usize> {
        s.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(inner, _)| inner))
            .filter(|inner| inner.contains('|'))
            .map(|inner| inner.split('|').count() - 1)
            .collect()
    }

    #[test]
    fn words_after_numbers_have_every_form_of_their_language() {
        for text in Text::ALL {
            assert!(
                form_counts(text.en()).iter().all(|n| *n == 2),
                "{text:?}: English has one and other"
            );
            assert!(
                form_counts(text.ru()).iter().all(|n| *n == 3),
                "{text:?}: Russian has one, few and many"
            );
        }
    }

    #[test]
    fn a_count_meets_its_noun_in_both_languages() {
        let said = |lang, n: u64| Text::ShipBulkSend.fill(lang, &[("count", n.to_string())]);
        assert_eq!(said(Lang::En, 1), "Send 1 order");
        assert_eq!(said(Lang::En, 0), "Send 0 orders");
        assert_eq!(said(Lang::En, 21), "Send 21 orders");
        let ru: Vec<String> = [0, 1, 2, 5, 11, 21, 22, 25, 101, 111]
            .into_iter()
            .map(|n| said(Lang::Ru, n))
            .collect();
        assert_eq!(
            ru,
            [
                "Отправить 0 заказов",
                "Отправить 1 заказ",
                "Отправить 2 заказа",
                "Отправить 5 заказов",
                "Отправить 11 заказов",
                "Отправить 21 заказ",
                "Отправить 22 заказа",
                "Отправить 25 заказов",
                "Отправить 101 заказ",
                "Отправить 111 заказов",
            ]
        );
        // «1 из 1 предложения», not «1 из 1 (предложений)».
        let unit = Text::UnitOffers.fill(Lang::Ru, &[("count", "1".into())]);
        let figures = Text::ProgressFigures.fill(
            Lang::Ru,
            &[("done", "1".into()), ("total", "1".into()), ("unit", unit)],
        );
        assert_eq!(figures, "1 из 1 предложения");
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
                Lang::En,
                "{done} of {total}",
                &[("done", "3".into()), ("total", "10".into())]
            ),
            "3 of 10"
        );
        // A value is put in once, never read again as a template; a name without a value stays.
        assert_eq!(
            fill(
                Lang::En,
                "{a} {b} {c}",
                &[("a", "{b}".into()), ("b", "x".into())]
            ),
            "{b} x {c}"
        );
        assert_eq!(fill(Lang::En, "open {", &[]), "open {");
    }
}
