//! Plural forms: which form of a noun goes with a number, by the English and the Russian rules.

use super::Lang;

/// The form of a word for the number `value` in `lang`, as an index into the forms a text lists after the number's
/// name (`{count|offer|offers}`, `{count|предложение|предложения|предложений}`): English `one, other`, Russian
/// `one, few, many` (1, 21, 101 предложение; 2, 22 предложения; 0, 5, 11, 25, 111 предложений). A fraction takes
/// English `other` and Russian `few` (2,5 предложения); what is not a number takes the last form.
pub fn plural_form(lang: Lang, value: &str) -> usize {
    let value = value.trim();
    let whole = value.strip_prefix('-').unwrap_or(value).parse::<u64>().ok();
    let Some(n) = whole else {
        let fraction = crate::decimal::parse(&value.replace(',', ".")).is_some();
        return if fraction { 1 } else { usize::MAX };
    };
    match lang {
        Lang::En if n == 1 => 0,
        Lang::En => 1,
        Lang::Ru => match (n % 10, n % 100) {
            (1, h) if h != 11 => 0,
            (2..=4, h) if !(12..=14).contains(&h) => 1,
            _ => 2,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERS: [u64; 10] = [0, 1, 2, 5, 11, 21, 22, 25, 101, 111];

    fn forms(lang: Lang, words: &[&'static str]) -> Vec<&'static str> {
        NUMBERS
            .iter()
            .map(|n| words[plural_form(lang, &n.to_string()).min(words.len() - 1)])
            .collect()
    }

    #[test]
    fn english_has_one_and_other() {
        assert_eq!(
            forms(Lang::En, &["offer", "offers"]),
            [
                "offers", "offer", "offers", "offers", "offers", "offers", "offers", "offers",
                "offers", "offers"
            ]
        );
    }

    #[test]
    fn russian_has_one_few_and_many() {
        assert_eq!(
            forms(Lang::Ru, &["предложение", "предложения", "предложений"]),
            [
                "предложений",
                "предложение",
                "предложения",
                "предложений",
                "предложений",
                "предложение",
                "предложения",
                "предложений",
                "предложение",
                "предложений",
            ]
        );
        assert_eq!(plural_form(Lang::Ru, "12"), 2);
        assert_eq!(plural_form(Lang::Ru, "14"), 2);
        assert_eq!(plural_form(Lang::Ru, "1004"), 1);
    }

    #[test]
    fn fractions_and_words() {
        assert_eq!(plural_form(Lang::En, "1.5"), 1);
        assert_eq!(plural_form(Lang::Ru, "2,5"), 1);
        assert_eq!(plural_form(Lang::En, "–"), usize::MAX);
        assert_eq!(plural_form(Lang::Ru, "-1"), 0);
    }
}
