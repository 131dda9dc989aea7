//! Reading a stock file or a spreadsheet paste: bytes to text, the delimiter, the cells, and numbers.

use serde::{Deserialize, Serialize};

/// The text encoding a file was read with (shown to the user so a wrong guess is visible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TextEncoding {
    Utf8,
    Utf8WithBom,
    /// Excel's "Unicode text" (tab-separated UTF-16 little-endian with a BOM).
    Utf16Le,
    Utf16Be,
    /// Chosen when the bytes are not valid UTF-8 (Excel's "CSV" on a Russian Windows).
    Windows1251,
}

/// The cell separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    /// In the order detection prefers them when equally consistent.
    pub const ALL: [Delimiter; 3] = [Delimiter::Tab, Delimiter::Semicolon, Delimiter::Comma];

    pub fn as_byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }

    fn from_char(c: char) -> Option<Delimiter> {
        match c {
            ',' => Some(Delimiter::Comma),
            ';' => Some(Delimiter::Semicolon),
            '\t' => Some(Delimiter::Tab),
            _ => None,
        }
    }
}

/// Why a file cannot be read at all (the UI translates each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReadError {
    /// No cells at all (empty file or only blank lines).
    Empty,
    /// An `.xlsx`/`.ods` (zip) file: it must be saved as CSV first.
    Spreadsheet,
    /// Binary data (NUL bytes), not text.
    Binary,
    /// A quoted cell that opens on `line` and never closes.
    UnclosedQuote { line: usize },
}

/// One record of the file: the 1-based line it starts on, and its cells as written (unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `column`, or `""` when the row is short (a missing cell is a blank one).
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map(String::as_str).unwrap_or("")
    }
}

/// A parsed file: the header (first non-blank record, cells trimmed) and the non-blank data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub header_line: usize,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// A file read from bytes: the sheet and what was detected on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFile {
    pub sheet: Sheet,
    pub encoding: TextEncoding,
    pub delimiter: Delimiter,
}

/// Windows-1251 bytes 0x80..=0xFF as Unicode scalar values (0x00..0x7F are ASCII).
///
/// A 128-entry table (256 bytes of data) instead of `encoding_rs`: that crate dispatches every
/// encoding through one decoder enum, so linking it for one code page pulls its CJK index tables
/// (hundreds of KB) into the wasm; this table is the WHATWG `windows-1251` index (0x98 is
/// unassigned there and maps to U+0098, as the browser's `TextDecoder` does).
const CP1251_HIGH: [u16; 128] = [
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039,
    0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408,
    0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB,
    0x0458, 0x0405, 0x0455, 0x0457, 0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x0420, 0x0421, 0x0422, 0x0423,
    0x0424, 0x0425, 0x0426, 0x0427, 0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437, 0x0438, 0x0439, 0x043A, 0x043B,
    0x043C, 0x043D, 0x043E, 0x043F, 0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
];

fn decode_cp1251(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b)
            } else {
                let code = CP1251_HIGH[usize::from(b - 0x80)];
                char::from_u32(u32::from(code)).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
        })
        .collect()
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> String {
    let units = bytes.chunks(2).map(|pair| match (pair, little_endian) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD, // a trailing odd byte
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Bytes to text: UTF-16 with a BOM, UTF-8 with or without a BOM, else Windows-1251.
pub fn decode_text(bytes: &[u8]) -> Result<(String, TextEncoding), ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::Spreadsheet);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok((decode_utf16(rest, true), TextEncoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok((decode_utf16(rest, false), TextEncoding::Utf16Be));
    }
    if bytes.contains(&0) {
        return Err(ReadError::Binary);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return Ok((
            String::from_utf8_lossy(rest).into_owned(),
            TextEncoding::Utf8WithBom,
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), TextEncoding::Utf8)),
        Err(_) => Ok((decode_cp1251(bytes), TextEncoding::Windows1251)),
    }
}

/// Records of CSV text, quote-aware (RFC 4180, lenient): a field that starts with `"` runs to the
/// next lone `"`, with `""` for a quote and delimiters and line breaks kept; text after the closing
/// quote is appended as written; a `"` inside an unquoted field is an ordinary character.
struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    delimiter: u8,
    /// Cells of the last record: the next one's list starts that size (no growth slack per row).
    width: usize,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: Delimiter, first_line: usize) -> Self {
        Records {
            text,
            pos: 0,
            line: first_line,
            delimiter: delimiter.as_byte(),
            width: 0,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Row, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        let bytes = text.as_bytes();
        let len = bytes.len();
        if self.pos >= len {
            return None;
        }
        let start_line = self.line;
        let mut cells = Vec::with_capacity(self.width);
        let mut cell = String::new();
        let mut i = self.pos;
        // Every slice below starts and ends next to an ASCII byte, so it is on a char boundary.
        loop {
            if i < len && bytes[i] == b'"' {
                i += 1;
                let mut from = i;
                loop {
                    if i >= len {
                        self.pos = len;
                        return Some(Err(ReadError::UnclosedQuote { line: start_line }));
                    }
                    match bytes[i] {
                        b'"' => {
                            cell.push_str(&text[from..i]);
                            if bytes.get(i + 1) == Some(&b'"') {
                                cell.push('"');
                                i += 2;
                                from = i;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        b'\n' => {
                            self.line += 1;
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
            }
            let from = i;
            while i < len && bytes[i] != self.delimiter && bytes[i] != b'\n' && bytes[i] != b'\r' {
                i += 1;
            }
            cell.push_str(&text[from..i]);
            cells.push(std::mem::take(&mut cell));
            if i >= len {
                self.pos = len;
                break;
            }
            if bytes[i] == self.delimiter {
                i += 1;
                continue;
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            self.pos = i + 1;
            self.line += 1;
            break;
        }
        // Exact, also after a wider record (a ragged file must not give every row a long list).
        cells.shrink_to_fit();
        self.width = cells.len();
        Some(Ok(Row {
            line: start_line,
            cells,
        }))
    }
}

fn is_blank(row: &Row) -> bool {
    row.cells.iter().all(|c| c.trim().is_empty())
}

/// The delimiter whose first records (up to 50, quotes respected) have the most consistent field
/// counts: the header must split into at least two fields, then the most records with the header's
/// count win, then the most fields; ties go tab, `;`, `,`.
pub fn detect_delimiter(text: &str) -> Delimiter {
    let mut best = (Delimiter::Comma, (false, 0usize, 0usize));
    for delimiter in Delimiter::ALL.into_iter().rev() {
        let mut records = Records::new(text, delimiter, 1)
            .filter(|r| !matches!(r, Ok(row) if is_blank(row)))
            .take(50);
        let Some(Ok(header)) = records.next() else {
            continue;
        };
        let width = header.cells.len();
        let consistent = records
            .filter(|r| matches!(r, Ok(row) if row.cells.len() == width))
            .count();
        let score = (width > 1, consistent, width);
        if score >= best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// Parses CSV/TSV text into a sheet. Blank lines are skipped; `sep=;` on the first line (Excel's
/// hint) chooses the delimiter unless one is given.
pub fn read_text(
    text: &str,
    delimiter: Option<Delimiter>,
) -> Result<(Sheet, Delimiter), ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (text, hinted, first_line) = match sep_hint(text) {
        Some((d, rest)) => (rest, Some(d), 2),
        None => (text, None, 1),
    };
    let delimiter = delimiter
        .or(hinted)
        .unwrap_or_else(|| detect_delimiter(text));
    let mut records = Records::new(text, delimiter, first_line);
    let header = loop {
        match records.next() {
            None => return Err(ReadError::Empty),
            Some(Err(e)) => return Err(e),
            Some(Ok(row)) if is_blank(&row) => continue,
            Some(Ok(row)) => break row,
        }
    };
    let mut rows = Vec::new();
    for record in records {
        let row = record?;
        if !is_blank(&row) {
            rows.push(row);
        }
    }
    let sheet = Sheet {
        header_line: header.line,
        header: header.cells.iter().map(|c| c.trim().to_string()).collect(),
        rows,
    };
    Ok((sheet, delimiter))
}

fn sep_hint(text: &str) -> Option<(Delimiter, &str)> {
    let rest = text.strip_prefix("sep=")?;
    let mut chars = rest.chars();
    let delimiter = Delimiter::from_char(chars.next()?)?;
    let rest = chars.as_str();
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    Some((delimiter, rest))
}

/// Reads an uploaded file: decodes it, detects (or takes) the delimiter, and parses it.
pub fn read_file(bytes: &[u8], delimiter: Option<Delimiter>) -> Result<ReadFile, ReadError> {
    let (text, encoding) = decode_text(bytes)?;
    let (sheet, delimiter) = read_text(&text, delimiter)?;
    Ok(ReadFile {
        sheet,
        encoding,
        delimiter,
    })
}

/// The cell is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A quantity or price cell: blank → `Ok(None)` ("leave unchanged"), `"0"` → `Ok(Some(0.0))`.
///
/// Accepts an optional sign, a decimal comma or point, and spaces (NBSP, thin spaces too) as
/// thousands separators in groups of three. One `,` or one `.` alone is the decimal separator
/// (`1,234` is 1.234, the Russian reading); several of one kind are thousands separators
/// (`1.234.567`); with both kinds the last one is the decimal separator (`1,234.50`, `1.234,50`).
/// Anything else (letters, currency signs, exponents, `1,2,3.4.5`) is not a number.
pub fn parse_number(raw: &str) -> Result<Option<f64>, NotANumber> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() < 16 && s.bytes().all(|b| b.is_ascii_digit()) {
        // The common case, without the general path's allocations.
        return s.parse::<f64>().map(Some).map_err(|_| NotANumber);
    }
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    let decimal_at = match (commas, points) {
        (0, 0) => None,
        (1, 0) => body.find(','),
        (0, 1) => body.find('.'),
        (_, 0) | (0, _) => None,
        _ => {
            let last_comma = body.rfind(',').unwrap_or(0);
            let last_point = body.rfind('.').unwrap_or(0);
            let (at, count) = if last_comma > last_point {
                (last_comma, commas)
            } else {
                (last_point, points)
            };
            if count != 1 {
                return Err(NotANumber);
            }
            Some(at)
        }
    };
    let (int_part, frac_part) = match decimal_at {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NotANumber);
    }
    let groups: Vec<&str> = int_part
        .split(|c: char| c == ',' || c == '.' || c.is_whitespace())
        .collect();
    let grouped = groups.len() > 1;
    let mut digits = String::with_capacity(int_part.len() + frac_part.len() + 2);
    if negative {
        digits.push('-');
    }
    for (i, group) in groups.iter().enumerate() {
        let ok = group.bytes().all(|b| b.is_ascii_digit())
            && match (grouped, i) {
                (false, _) => true,
                (true, 0) => (1..=3).contains(&group.len()),
                (true, _) => group.len() == 3,
            };
        if !ok {
            return Err(NotANumber);
        }
        digits.push_str(group);
    }
    if digits.trim_start_matches('-').is_empty() && frac_part.is_empty() {
        return Err(NotANumber);
    }
    if digits.trim_start_matches('-').is_empty() {
        digits.push('0');
    }
    if !frac_part.is_empty() {
        digits.push('.');
        digits.push_str(frac_part);
    }
    match digits.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(sheet: &Sheet) -> Vec<Vec<&str>> {
        sheet
            .rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = read_file("key,main\na,1\n".as_bytes(), None);
        assert_eq!(plain.as_ref().map(|f| f.encoding), Ok(TextEncoding::Utf8));
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("ключ,main\nа,1\n".as_bytes());
        let Ok(f) = read_file(&bytes, None) else {
            panic!("not read")
        };
        assert_eq!(f.encoding, TextEncoding::Utf8WithBom);
        assert_eq!(f.sheet.header, vec!["ключ", "main"]);
    }

    #[test]
    fn windows_1251_when_not_utf8() {
        // "Склад;Остаток\nа;1" in Windows-1251.
        let mut bytes = vec![0xD1, 0xEA, 0xEB, 0xE0, 0xE4, b';'];
        bytes.extend_from_slice(&[
            0xCE, 0xF1, 0xF2, 0xE0, 0xF2, 0xEE, 0xEA, b'\n', 0xE0, b';', b'1',
        ]);
        let Ok(f) = read_file(&bytes, None) else {
            panic!("not read")
        };
        assert_eq!(f.encoding, TextEncoding::Windows1251);
        assert_eq!(f.delimiter, Delimiter::Semicolon);
        assert_eq!(f.sheet.header, vec!["Склад", "Остаток"]);
        assert_eq!(cells(&f.sheet), vec![vec!["а", "1"]]);
        // Every high byte decodes to something, and Ё/ё/№ land where the code page puts them.
        assert_eq!(decode_cp1251(&[0xA8, 0xB8, 0xB9]), "Ёё№");
    }

    #[test]
    fn utf16_le_from_excel_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a\tb\r\n1\t2\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let Ok(f) = read_file(&bytes, None) else {
            panic!("not read")
        };
        assert_eq!(f.encoding, TextEncoding::Utf16Le);
        assert_eq!(f.delimiter, Delimiter::Tab);
        assert_eq!(cells(&f.sheet), vec![vec!["1", "2"]]);
    }

    #[test]
    fn junk_and_empty_files_are_errors_not_panics() {
        assert_eq!(read_file(b"", None), Err(ReadError::Empty));
        assert_eq!(read_file(b"\n\r\n  \n", None), Err(ReadError::Empty));
        assert_eq!(
            read_file(b" ,,\n,", Some(Delimiter::Comma)),
            Err(ReadError::Empty)
        );
        assert_eq!(
            read_file(b"PK\x03\x04rest", None),
            Err(ReadError::Spreadsheet)
        );
        assert_eq!(read_file(&[1, 0, 255, 7], None), Err(ReadError::Binary));
        assert_eq!(
            read_file(b"a,b\n1,\"2\n3,4\n", None),
            Err(ReadError::UnclosedQuote { line: 2 })
        );
        // Any bytes at all: never a panic.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let alphabet = b"ab,;\t\"\r\n1 .\xd1\xef";
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let _ = read_file(&bytes, None);
        }
    }

    #[test]
    fn semicolon_with_decimal_comma() {
        let Ok((sheet, d)) = read_text("externalId;main\nA;1,5\nB;2\n", None) else {
            panic!("not read")
        };
        assert_eq!(d, Delimiter::Semicolon);
        assert_eq!(cells(&sheet), vec![vec!["A", "1,5"], vec!["B", "2"]]);
        assert_eq!(parse_number(sheet.rows[0].cell(1)), Ok(Some(1.5)));
    }

    #[test]
    fn quoted_fields_with_delimiters_newlines_and_quotes() {
        let text =
            "key,name,main\r\n\"a,1\",\"two\r\nlines \"\"q\"\"\",3\r\n\"b\",plain \"x\",4\r\n";
        let Ok((sheet, d)) = read_text(text, None) else {
            panic!("not read")
        };
        assert_eq!(d, Delimiter::Comma);
        assert_eq!(
            cells(&sheet),
            vec![
                vec!["a,1", "two\r\nlines \"q\"", "3"],
                vec!["b", "plain \"x\"", "4"]
            ]
        );
        assert_eq!(sheet.rows[0].line, 2);
        assert_eq!(sheet.rows[1].line, 4, "the embedded line break counts");
    }

    #[test]
    fn paste_from_a_spreadsheet_is_tab_separated() {
        let pasted = "externalId\tmain\tnorth\nA-1\t1 234\t\nA-2\t0\t7\n";
        let Ok((sheet, d)) = read_text(pasted, None) else {
            panic!("not read")
        };
        assert_eq!(d, Delimiter::Tab);
        assert_eq!(sheet.header, vec!["externalId", "main", "north"]);
        assert_eq!(
            cells(&sheet),
            vec![vec!["A-1", "1 234", ""], vec!["A-2", "0", "7"]]
        );
    }

    #[test]
    fn delimiter_detection_respects_quotes_and_can_be_overridden() {
        let text = "a,b,c\n\"x;y;z\",1,2\n\"p;q\",3,4\n";
        assert_eq!(detect_delimiter(text), Delimiter::Comma);
        let Ok((sheet, d)) = read_text(text, Some(Delimiter::Semicolon)) else {
            panic!("not read")
        };
        assert_eq!(d, Delimiter::Semicolon);
        assert_eq!(sheet.header, vec!["a,b,c"]);
        let Ok((hinted, d)) = read_text("sep=;\na;b\n1;2\n", None) else {
            panic!("not read")
        };
        assert_eq!(d, Delimiter::Semicolon);
        assert_eq!(hinted.rows[0].line, 3);
    }

    #[test]
    fn blank_lines_skipped_and_short_rows_read_blank() {
        let Ok((sheet, _)) = read_text("a,b,c\n\n1\n,,\n2,3,4,5\n", None) else {
            panic!("not read")
        };
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].line, 3);
        assert_eq!(sheet.rows[0].cell(2), "");
        assert_eq!(sheet.rows[1].line, 5);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("1 234,50"), Ok(Some(1234.5)));
        assert_eq!(parse_number("1\u{a0}234.5"), Ok(Some(1234.5)));
        assert_eq!(
            parse_number("1\u{202f}234\u{202f}567"),
            Ok(Some(1_234_567.0))
        );
        assert_eq!(parse_number("1,234.50"), Ok(Some(1234.5)));
        assert_eq!(parse_number("1.234,50"), Ok(Some(1234.5)));
        assert_eq!(parse_number("1.234.567"), Ok(Some(1_234_567.0)));
        assert_eq!(parse_number("12,5"), Ok(Some(12.5)));
        assert_eq!(parse_number(" 0 "), Ok(Some(0.0)));
        assert_eq!(parse_number("-3"), Ok(Some(-3.0)));
        assert_eq!(parse_number("+3"), Ok(Some(3.0)));
        assert_eq!(parse_number(",5"), Ok(Some(0.5)));
        assert_eq!(parse_number("5."), Ok(Some(5.0)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number(" \u{a0}"), Ok(None));
        for garbage in [
            "abc",
            "1a",
            "12 34",
            "1,2,3.4.5",
            "1e3",
            "-",
            ".",
            "1.2.3,4,5",
            "5 ₽",
            "--1",
            "NaN",
            "inf",
            "1 234 5",
            "- 5",
        ] {
            assert_eq!(parse_number(garbage), Err(NotANumber), "{garbage}");
        }
    }
}
