//! Reading one cell of a shipment row: the shipped flag (1/0, true/false, yes/no, да/нет) and the date (Y-m-d or d.m.Y).

use crate::api::order::is_ymd;

/// The cell does not hold a value of the expected kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadValue;

/// A shipped cell: blank → `Ok(None)` (leave unchanged), `1 true yes да` → `true`, `0 false no нет` → `false`.
pub fn parse_shipped(raw: &str) -> Result<Option<bool>, BadValue> {
    let s = raw.trim().to_lowercase();
    match s.as_str() {
        "" => Ok(None),
        "1" | "true" | "yes" | "y" | "да" => Ok(Some(true)),
        "0" | "false" | "no" | "n" | "нет" => Ok(Some(false)),
        _ => Err(BadValue),
    }
}

/// A date cell as `Y-m-d`: blank → `Ok(None)` (leave unchanged); `2024-02-29` as is; `29.02.2024` or `9.2.2024`
/// converted. Anything else, or a day that does not exist, is an error.
pub fn parse_date(raw: &str) -> Result<Option<String>, BadValue> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let ymd = if is_ymd(s) {
        s.to_string()
    } else {
        let mut parts = s.split('.');
        let (Some(d), Some(m), Some(y), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(BadValue);
        };
        let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
            len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        if !(digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4)) {
            return Err(BadValue);
        }
        format!("{y}-{m:0>2}-{d:0>2}")
    };
    if is_ymd(&ymd) {
        Ok(Some(ymd))
    } else {
        Err(BadValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_values() {
        for yes in ["1", "true", "TRUE", " yes ", "Да", "да"] {
            assert_eq!(parse_shipped(yes), Ok(Some(true)), "{yes}");
        }
        for no in ["0", "false", "No", "нет", "НЕТ"] {
            assert_eq!(parse_shipped(no), Ok(Some(false)), "{no}");
        }
        assert_eq!(parse_shipped("  "), Ok(None));
        for bad in ["2", "shipped", "-", "да!"] {
            assert_eq!(parse_shipped(bad), Err(BadValue), "{bad}");
        }
    }

    #[test]
    fn dates_in_both_forms() {
        assert_eq!(parse_date("2024-02-29"), Ok(Some("2024-02-29".into())));
        assert_eq!(parse_date(" 29.02.2024 "), Ok(Some("2024-02-29".into())));
        assert_eq!(parse_date("1.3.2024"), Ok(Some("2024-03-01".into())));
        assert_eq!(parse_date(""), Ok(None));
        for bad in [
            "29.02.2023",
            "2024-02-30",
            "31.04.2024",
            "2024/01/01",
            "01.02.24",
            "1.2.3.2024",
            "..",
            "аа.бб.вввв",
            "٠١.٠٢.٢٠٢٤",
        ] {
            assert_eq!(parse_date(bad), Err(BadValue), "{bad}");
        }
    }
}
