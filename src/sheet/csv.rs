//! CSV writing for every downloadable table: quoting, BOM, decimal comma, formula neutralisation.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::sheet::decode::Delimiter;

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvOptions {
    pub delimiter: Delimiter,
    /// Start with a UTF-8 BOM so Excel reads the file as UTF-8.
    pub bom: bool,
    /// Write numbers with a decimal comma (for `;` files opened by a Russian Excel).
    pub decimal_comma: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: Delimiter::Comma,
            bom: true,
            decimal_comma: false,
        }
    }
}

/// Builds a CSV file row by row: CRLF line ends, cells quoted when they hold the delimiter, a
/// quote or a line break, and every cell passed through [`neutralise_formula`].
#[derive(Debug, Clone)]
pub struct CsvWriter {
    out: String,
    options: CsvOptions,
}

impl CsvWriter {
    pub fn new(options: CsvOptions) -> Self {
        let mut out = String::new();
        if options.bom {
            out.push('\u{feff}');
        }
        CsvWriter { out, options }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let delimiter = char::from(self.options.delimiter.as_byte());
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.out.push(delimiter);
            }
            let cell = neutralise_formula(cell.as_ref());
            if cell.contains([delimiter, '"', '\n', '\r']) {
                self.out.push('"');
                self.out.push_str(&cell.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(&cell);
            }
        }
        self.out.push_str("\r\n");
    }

    /// A number as this file writes it (see [`format_number`]).
    pub fn number(&self, value: f64) -> String {
        format_number(value, self.options.decimal_comma)
    }

    /// An optional number; `None` is a blank cell.
    pub fn optional_number(&self, value: Option<f64>) -> String {
        value.map(|v| self.number(v)).unwrap_or_default()
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Shortest decimal form without an exponent (`5`, `10.5`), with a comma if asked; a negative zero is `0`.
pub fn format_number(value: f64, decimal_comma: bool) -> String {
    let value = if value == 0.0 { 0.0 } else { value };
    let text = value.to_string();
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `-5`, `-0.5`, `-1,5`: a minus, digits, at most one decimal separator and more digits.
fn is_plain_negative_number(cell: &str) -> bool {
    let Some(body) = cell.strip_prefix('-') else {
        return false;
    };
    let mut parts = body.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or_default();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && parts.next().is_none_or(digits)
}

/// Spreadsheet formula-injection neutralisation (OWASP "CSV injection").
///
/// Rule: a cell whose text, after any leading apostrophes, starts with `=`, `+`, `-`, `@`, a tab
/// or a CR gets one more leading `'`, so a spreadsheet shows it as text instead of running it;
/// except a plain negative number (`-5`, `-1.5`, `-1,5`), which stays a number. Counting the
/// apostrophes makes the rule reversible: [`strip_formula_guard`] removes exactly the one added,
/// so an exported key like `=A1` imports back as `=A1`.
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    let rest = cell.trim_start_matches('\'');
    if rest.starts_with(FORMULA_STARTS) && !is_plain_negative_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The inverse of [`neutralise_formula`], applied to text cells (keys, sites, warehouses) on import.
pub fn strip_formula_guard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_bom_and_delimiters() {
        let mut w = CsvWriter::new(CsvOptions {
            delimiter: Delimiter::Semicolon,
            bom: true,
            decimal_comma: true,
        });
        w.row(["a;b", "say \"hi\"", "two\nlines", "plain, comma"]);
        w.row([
            w.number(1.5),
            w.number(3.0),
            w.number(-0.0),
            w.number(-0.25),
        ]);
        assert_eq!(
            w.finish(),
            "\u{feff}\"a;b\";\"say \"\"hi\"\"\";\"two\nlines\";plain, comma\r\n1,5;3;0;-0,25\r\n"
        );
        let mut plain = CsvWriter::new(CsvOptions {
            bom: false,
            ..CsvOptions::default()
        });
        plain.row(["x,y", "10.5"]);
        assert_eq!(plain.finish(), "\"x,y\",10.5\r\n");
    }

    #[test]
    fn formula_neutralisation() {
        for (cell, written) in [
            ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
            ("+7 900", "'+7 900"),
            ("@cmd", "'@cmd"),
            ("-1+2", "'-1+2"),
            ("-", "'-"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("-5", "-5"),
            ("-0.5", "-0.5"),
            ("-1,5", "-1,5"),
            ("5", "5"),
            ("'quoted", "'quoted"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise_formula(cell), written, "{cell:?}");
            assert_eq!(
                strip_formula_guard(&neutralise_formula(cell)),
                cell,
                "{cell:?}"
            );
        }
        let mut w = CsvWriter::new(CsvOptions {
            bom: false,
            ..CsvOptions::default()
        });
        w.row(["=1+1", "-5"]);
        assert_eq!(w.finish(), "'=1+1,-5\r\n");
    }

    #[test]
    fn any_cells_survive_write_then_read() {
        use crate::sheet::decode::read_text;

        let alphabet = [
            "a", "Я", ",", ";", "\t", "\"", "\r\n", "\n", " ", "=", "-", "'", "1", "\u{a0}",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for delimiter in Delimiter::ALL {
            for _ in 0..300 {
                let width = 1 + (next() % 4) as usize;
                let rows: Vec<Vec<String>> = (0..1 + next() % 4)
                    .map(|r| {
                        (0..width)
                            .map(|c| {
                                let len = next() % 6;
                                // A first cell that is never blank keeps every row non-blank.
                                let mut cell = format!("k{r}{c}");
                                for _ in 0..len {
                                    cell.push_str(
                                        alphabet[(next() % alphabet.len() as u64) as usize],
                                    );
                                }
                                cell
                            })
                            .collect()
                    })
                    .collect();
                let mut w = CsvWriter::new(CsvOptions {
                    delimiter,
                    bom: next() % 2 == 0,
                    decimal_comma: false,
                });
                for row in &rows {
                    w.row(row);
                }
                let text = w.finish();
                let Ok((sheet, _)) = read_text(&text, Some(delimiter)) else {
                    panic!("not read: {text:?}")
                };
                let read: Vec<Vec<String>> = std::iter::once(&sheet.header)
                    .chain(sheet.rows.iter().map(|r| &r.cells))
                    .map(|cells| {
                        cells
                            .iter()
                            .map(|c| strip_formula_guard(c).to_string())
                            .collect()
                    })
                    .collect();
                // The header is trimmed on reading.
                let expected: Vec<Vec<String>> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        r.iter()
                            .map(|c| {
                                if i == 0 {
                                    c.trim().to_string()
                                } else {
                                    c.clone()
                                }
                            })
                            .collect()
                    })
                    .collect();
                assert_eq!(read, expected, "{text:?}");
            }
        }
    }
}
