//! Reading a stock file or a spreadsheet paste: what the file is, bytes to text, the limits, the delimiter, the
//! cells, and numbers.

use crate::sheet::encoding::{self, BadLines, Charset, Decoded};
use crate::sheet::kind::{sniff_bytes, sniff_text, FileKind};
use crate::sheet::limits::{MAX_BYTES, MAX_CELLS, MAX_COLUMNS, MAX_ROWS};
use serde::{Deserialize, Serialize};

pub use crate::sheet::encoding::TextEncoding;

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
    /// Not a text table: a PDF, an image, a workbook, JSON, binary data...
    NotATable { kind: FileKind },
    /// A quoted cell that opens on `line` and never closes.
    UnclosedQuote { line: usize },
    /// The file is larger than the panel reads (refused before reading).
    TooLarge { bytes: u64, limit: u64 },
    /// The record on `line` has more cells than the panel reads (refused before any cell is built).
    TooManyColumns {
        line: usize,
        columns: usize,
        limit: usize,
    },
    /// More data rows than the panel reads.
    TooManyRows { rows: usize, limit: usize },
    /// More cells in the data rows than the panel reads.
    TooManyCells { cells: usize, limit: usize },
    /// The browser could not read the file (moved, deleted, no permission) — nothing of it was seen.
    Unreadable,
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
    /// The encoding was inferred from statistics (no BOM, not valid UTF-8): the screen says so and offers
    /// [`Charset::ALL`] to read the file again with [`read_file_in`].
    pub encoding_guessed: bool,
    /// File lines with bytes not valid in the encoding (read as U+FFFD).
    pub bad_lines: BadLines,
    pub delimiter: Delimiter,
}

/// Refuses a file by its size alone, so it can be checked before the file is read.
pub fn check_size(bytes: u64) -> Result<(), ReadError> {
    if bytes > MAX_BYTES {
        return Err(ReadError::TooLarge {
            bytes,
            limit: MAX_BYTES,
        });
    }
    Ok(())
}

/// Bytes to text, after the checks that need no decoding (the size, the kind of file); `charset`: the
/// operator's choice, `None`: detected.
fn decode(bytes: &[u8], charset: Option<Charset>) -> Result<Decoded<'_>, ReadError> {
    check_size(bytes.len() as u64)?;
    if let Some(kind) = sniff_bytes(bytes) {
        return Err(ReadError::NotATable { kind });
    }
    match charset {
        Some(charset) => Ok(encoding::decode_as(bytes, charset)),
        None => encoding::detect(bytes).ok_or(ReadError::NotATable {
            kind: FileKind::Binary,
        }),
    }
}

/// Bytes to text: a file of another kind or too large is refused; the encoding is detected (see
/// [`encoding::detect`]).
pub fn decode_text(bytes: &[u8]) -> Result<(String, TextEncoding), ReadError> {
    let decoded = decode(bytes, None)?;
    Ok((decoded.text.into_owned(), decoded.encoding))
}

/// Where a record's cells go: kept ([`Keep`]) or only counted ([`Count`], the cheap first pass).
trait CellSink {
    /// A piece of the current cell's text (a quoted cell comes in pieces around its `""`).
    fn piece(&mut self, piece: &str);
    /// The current cell is complete.
    fn end_cell(&mut self);
}

/// The cells of a record, kept.
struct Keep {
    cells: Vec<String>,
    cell: String,
}

impl CellSink for Keep {
    fn piece(&mut self, piece: &str) {
        if self.cell.is_empty() {
            // Allocated at its size (a blank cell not at all), not grown from a small buffer.
            self.cell = piece.to_owned();
        } else {
            self.cell.push_str(piece);
        }
    }

    fn end_cell(&mut self) {
        self.cells.push(std::mem::take(&mut self.cell));
    }
}

/// The cells of a record, counted, and whether all are blank.
struct Count {
    cells: usize,
    blank: bool,
}

impl CellSink for Count {
    fn piece(&mut self, piece: &str) {
        self.blank = self.blank && piece.trim().is_empty();
    }

    fn end_cell(&mut self) {
        self.cells += 1;
    }
}

/// Records of CSV text, quote-aware (RFC 4180, lenient): a field that starts with `"` runs to the
/// next lone `"`, with `""` for a quote and delimiters and line breaks kept; text after the closing
/// quote is appended as written; a `"` inside an unquoted field is an ordinary character.
struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    delimiter: u8,
}

impl<'a> Tokenizer<'a> {
    fn new(text: &'a str, delimiter: Delimiter, first_line: usize) -> Self {
        Tokenizer {
            text,
            pos: 0,
            line: first_line,
            delimiter: delimiter.as_byte(),
        }
    }

    /// The next record's cells into `sink`, and the line it starts on; `None` at the end of the text.
    fn record(&mut self, sink: &mut impl CellSink) -> Option<Result<usize, ReadError>> {
        let text = self.text;
        let bytes = text.as_bytes();
        let len = bytes.len();
        if self.pos >= len {
            return None;
        }
        let start_line = self.line;
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
                            sink.piece(&text[from..i]);
                            if bytes.get(i + 1) == Some(&b'"') {
                                sink.piece("\"");
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
            sink.piece(&text[from..i]);
            sink.end_cell();
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
        Some(Ok(start_line))
    }
}

/// The records of a text, with their cells.
struct Records<'a> {
    tokens: Tokenizer<'a>,
    /// Cells of the last record: the next one's list starts that size (no growth slack per row).
    width: usize,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: Delimiter, first_line: usize) -> Self {
        Records {
            tokens: Tokenizer::new(text, delimiter, first_line),
            width: 0,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Row, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut keep = Keep {
            cells: Vec::with_capacity(self.width),
            cell: String::new(),
        };
        let line = match self.tokens.record(&mut keep)? {
            Ok(line) => line,
            Err(e) => return Some(Err(e)),
        };
        let mut cells = keep.cells;
        // Exact, also after a wider record (a ragged file must not give every row a long list).
        cells.shrink_to_fit();
        self.width = cells.len();
        Some(Ok(Row { line, cells }))
    }
}

/// The line and the number of cells of each non-blank record, counted without building any cell.
struct Widths<'a>(Tokenizer<'a>);

impl Iterator for Widths<'_> {
    type Item = Result<(usize, usize), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut count = Count {
                cells: 0,
                blank: true,
            };
            match self.0.record(&mut count)? {
                Err(e) => return Some(Err(e)),
                Ok(_) if count.blank => continue,
                Ok(line) => return Some(Ok((line, count.cells))),
            }
        }
    }
}

/// The first pass over the text, counting without building: a record wider than [`MAX_COLUMNS`] is refused
/// as soon as it is met, then too many rows or cells; the number of data rows.
fn count_rows(text: &str, delimiter: Delimiter, first_line: usize) -> Result<usize, ReadError> {
    let (mut records, mut cells) = (0usize, 0usize);
    for width in Widths(Tokenizer::new(text, delimiter, first_line)) {
        let (line, columns) = width?;
        if columns > MAX_COLUMNS {
            return Err(ReadError::TooManyColumns {
                line,
                columns,
                limit: MAX_COLUMNS,
            });
        }
        if records > 0 {
            cells += columns;
        }
        records += 1;
    }
    let rows = records.checked_sub(1).ok_or(ReadError::Empty)?;
    if rows > MAX_ROWS {
        return Err(ReadError::TooManyRows {
            rows,
            limit: MAX_ROWS,
        });
    }
    if cells > MAX_CELLS {
        return Err(ReadError::TooManyCells {
            cells,
            limit: MAX_CELLS,
        });
    }
    Ok(rows)
}

fn is_blank(row: &Row) -> bool {
    row.cells.iter().all(|c| c.trim().is_empty())
}

/// The delimiter whose first records (up to 50, quotes respected) have the most consistent field
/// counts: the header must split into at least two fields, then the most records with the header's
/// count win, then the most fields; ties go tab, `;`, `,`. Counts only: no cell is built.
pub fn detect_delimiter(text: &str) -> Delimiter {
    let mut best = (Delimiter::Comma, (false, 0usize, 0usize));
    for delimiter in Delimiter::ALL.into_iter().rev() {
        let mut widths = Widths(Tokenizer::new(text, delimiter, 1)).take(50);
        let Some(Ok((_, width))) = widths.next() else {
            continue;
        };
        let consistent = widths
            .filter(|w| matches!(w, Ok((_, cells)) if *cells == width))
            .count();
        let score = (width > 1, consistent, width);
        if score >= best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// Parses CSV/TSV text into a sheet. Blank lines are skipped; `sep=;` on the first line (Excel's
/// hint) chooses the delimiter unless one is given. JSON, HTML, XML and binary junk are refused by their
/// start; then a first pass counts the cells (see [`crate::sheet::limits`]) before any is built.
pub fn read_text(
    text: &str,
    delimiter: Option<Delimiter>,
) -> Result<(Sheet, Delimiter), ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(kind) = sniff_text(text) {
        return Err(ReadError::NotATable { kind });
    }
    let (text, hinted, first_line) = match sep_hint(text) {
        Some((d, rest)) => (rest, Some(d), 2),
        None => (text, None, 1),
    };
    let delimiter = delimiter
        .or(hinted)
        .unwrap_or_else(|| detect_delimiter(text));
    let row_count = count_rows(text, delimiter, first_line)?;
    let mut records = Records::new(text, delimiter, first_line);
    let header = loop {
        match records.next() {
            None => return Err(ReadError::Empty),
            Some(Err(e)) => return Err(e),
            Some(Ok(row)) if is_blank(&row) => continue,
            Some(Ok(row)) => break row,
        }
    };
    let mut rows = Vec::with_capacity(row_count);
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

fn read_decoded(decoded: Decoded, delimiter: Option<Delimiter>) -> Result<ReadFile, ReadError> {
    let (sheet, delimiter) = read_text(&decoded.text, delimiter)?;
    Ok(ReadFile {
        sheet,
        encoding: decoded.encoding,
        encoding_guessed: decoded.guessed,
        bad_lines: decoded.bad_lines,
        delimiter,
    })
}

/// Reads an uploaded file: refuses it by its size or kind, decodes it, detects (or takes) the delimiter,
/// and parses it within the limits.
pub fn read_file(bytes: &[u8], delimiter: Option<Delimiter>) -> Result<ReadFile, ReadError> {
    read_decoded(decode(bytes, None)?, delimiter)
}

/// Reads an uploaded file again in the encoding the operator chose.
pub fn read_file_in(
    bytes: &[u8],
    charset: Charset,
    delimiter: Option<Delimiter>,
) -> Result<ReadFile, ReadError> {
    read_decoded(decode(bytes, Some(charset))?, delimiter)
}

/// Reads pasted text (a spreadsheet paste is tab-separated) as a file.
pub fn read_pasted(text: &str, delimiter: Option<Delimiter>) -> Result<ReadFile, ReadError> {
    check_size(text.len() as u64)?;
    let (sheet, delimiter) = read_text(text, delimiter)?;
    Ok(ReadFile {
        sheet,
        encoding: TextEncoding::Utf8,
        encoding_guessed: false,
        bad_lines: BadLines::default(),
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
        return crate::decimal::parse(s).map(Some).ok_or(NotANumber);
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
    match crate::decimal::parse(&digits) {
        // `-0` is 0 (the pattern matches both zeros): a negative zero would show as "-0".
        Some(0.0) => Ok(Some(0.0)),
        Some(v) => Ok(Some(v)),
        None => Err(NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_limit_is_inclusive() {
        assert_eq!(check_size(MAX_BYTES), Ok(()));
        assert_eq!(
            check_size(MAX_BYTES + 1),
            Err(ReadError::TooLarge {
                bytes: MAX_BYTES + 1,
                limit: MAX_BYTES
            })
        );
    }
    use crate::sheet::limits::MAX_BYTES;

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
        assert_eq!(
            encoding::decode_as(&[0xA8, 0xB8, 0xB9], Charset::Windows1251).text,
            "Ёё№"
        );
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
            Err(ReadError::NotATable {
                kind: FileKind::Archive
            })
        );
        assert_eq!(
            read_file(&[1, 0, 255, 7], None),
            Err(ReadError::NotATable {
                kind: FileKind::Binary
            })
        );
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
        for zero in ["-0", "-0,00", "-0.0", "-,0", "-000", "+0", "-0 000,0"] {
            let parsed = parse_number(zero);
            assert_eq!(parsed, Ok(Some(0.0)), "{zero}");
            assert!(
                parsed.ok().flatten().is_some_and(f64::is_sign_positive),
                "{zero} is a positive zero"
            );
        }
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

    fn not_a_table(bytes: &[u8]) -> Option<FileKind> {
        match read_file(bytes, None) {
            Err(ReadError::NotATable { kind }) => Some(kind),
            _ => None,
        }
    }

    #[test]
    fn other_kinds_of_file_are_named_before_parsing() {
        assert_eq!(not_a_table(b"%PDF-1.4\n1 0 obj\n"), Some(FileKind::Pdf));
        assert_eq!(
            not_a_table(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileKind::Image(crate::sheet::kind::ImageFormat::Png))
        );
        let mut xlsx = b"PK\x03\x04\x14\0\x06\0".to_vec();
        xlsx.extend_from_slice(b"\0\0\0\0[Content_Types].xml....xl/workbook.xml");
        assert_eq!(not_a_table(&xlsx), Some(FileKind::ExcelWorkbook));
        assert_eq!(
            not_a_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0"),
            Some(FileKind::OldExcelWorkbook)
        );
        assert_eq!(
            not_a_table("\u{feff}[{\"offer\": 1, \"main\": 5}]".as_bytes()),
            Some(FileKind::Json)
        );
        assert_eq!(
            not_a_table(b"<html><body><table><tr><td>1</td></tr></table>"),
            Some(FileKind::Html)
        );
        // UTF-16 JSON: told after decoding.
        let mut json16 = vec![0xFF, 0xFE];
        for u in "{\"a\": 1}".encode_utf16() {
            json16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(not_a_table(&json16), Some(FileKind::Json));
        // decode_text (the shipments' file) refuses them too.
        assert_eq!(
            decode_text(b"%PDF-1.4"),
            Err(ReadError::NotATable {
                kind: FileKind::Pdf
            })
        );
    }

    #[test]
    fn encodings_detected_or_chosen() {
        // UTF-16 little-endian without a BOM (Excel's "Unicode text" with the BOM cut off).
        let mut bytes = Vec::new();
        for u in "id\tmain\r\n1\t5\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let Ok(f) = read_file(&bytes, None) else {
            panic!("not read")
        };
        assert_eq!(
            (f.encoding, f.encoding_guessed),
            (TextEncoding::Utf16Le, true)
        );
        assert_eq!(cells(&f.sheet), vec![vec!["1", "5"]]);
        // KOI8-R: "Артикул;Остаток\nА-1;5".
        let koi8 = b"\xe1\xd2\xd4\xc9\xcb\xd5\xcc;\xef\xd3\xd4\xc1\xd4\xcf\xcb\n\xe1-1;5\n";
        let Ok(f) = read_file(koi8, None) else {
            panic!("not read")
        };
        assert_eq!(
            (f.encoding, f.encoding_guessed),
            (TextEncoding::Koi8R, true)
        );
        assert_eq!(f.sheet.header, vec!["Артикул", "Остаток"]);
        // The operator's choice wins, and is not a guess.
        let Ok(f) = read_file_in(koi8, Charset::Windows1251, None) else {
            panic!("not read")
        };
        assert_eq!(
            (f.encoding, f.encoding_guessed),
            (TextEncoding::Windows1251, false)
        );
        assert_eq!(f.sheet.header, vec!["бТФЙЛХМ", "пУФБФПЛ"]);
        // UTF-8 with one bad byte stays UTF-8, and names the file line.
        let mut bytes = "Артикул;Остаток\nкоробка;5\nсин".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice("ий;7\n".as_bytes());
        let Ok(f) = read_file(&bytes, None) else {
            panic!("not read")
        };
        assert_eq!((f.encoding, f.encoding_guessed), (TextEncoding::Utf8, true));
        assert_eq!(f.bad_lines.lines, vec![3]);
        assert_eq!(f.sheet.rows[1].cell(0), "син\u{fffd}ий");
        assert_eq!(f.sheet.rows[1].line, 3, "the row and the bad line agree");
        // Pasted text is text.
        let Ok(f) = read_pasted("a\tb\n1\t2\n", None) else {
            panic!("not read")
        };
        assert_eq!(
            (f.encoding, f.encoding_guessed, f.delimiter),
            (TextEncoding::Utf8, false, Delimiter::Tab)
        );
    }

    #[test]
    fn a_million_columns_are_refused_at_once() {
        let started = std::time::Instant::now();
        let wide = format!("{}\n1\n", "c;".repeat(1_000_000));
        assert_eq!(
            read_file(wide.as_bytes(), None),
            Err(ReadError::TooManyColumns {
                line: 1,
                columns: 1_000_001,
                limit: MAX_COLUMNS
            })
        );
        // Counting only: a debug build does it in tens of milliseconds, building the cells took seconds.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // A wide record further down is refused too; the limit itself is read.
        let header = vec!["h"; MAX_COLUMNS].join(";");
        let at_limit = format!("{header}\n{header}\n");
        let Ok((sheet, _)) = read_text(&at_limit, None) else {
            panic!("not read")
        };
        assert_eq!(sheet.header.len(), MAX_COLUMNS);
        let over = format!("{header}\n1\n\n1{}\n", ";".repeat(MAX_COLUMNS));
        assert_eq!(
            read_text(&over, None),
            Err(ReadError::TooManyColumns {
                line: 4,
                columns: MAX_COLUMNS + 1,
                limit: MAX_COLUMNS
            })
        );
    }

    #[test]
    fn rows_cells_and_bytes_are_limited() {
        let rows = format!("key\n{}", "1\n\n".repeat(MAX_ROWS + 1));
        assert_eq!(
            read_text(&rows, None).map(|_| ()),
            Err(ReadError::TooManyRows {
                rows: MAX_ROWS + 1,
                limit: MAX_ROWS
            })
        );
        // The data rows' cells count (the header's do not).
        let row = format!("1{}\n", ";".repeat(MAX_COLUMNS - 1));
        let full = MAX_CELLS / MAX_COLUMNS;
        assert_eq!(
            read_text(&row.repeat(1 + full + 1), None).map(|_| ()),
            Err(ReadError::TooManyCells {
                cells: (full + 1) * MAX_COLUMNS,
                limit: MAX_CELLS
            })
        );
        let Ok((sheet, _)) = read_text(&row.repeat(1 + full), None) else {
            panic!("the limit itself is read")
        };
        assert_eq!(sheet.rows.len(), full);
        let large = vec![b'1'; MAX_BYTES as usize + 1];
        assert_eq!(
            read_file(&large, None).map(|_| ()),
            Err(ReadError::TooLarge {
                bytes: MAX_BYTES + 1,
                limit: MAX_BYTES
            })
        );
        assert_eq!(
            decode_text(&large).map(|_| ()),
            Err(ReadError::TooLarge {
                bytes: MAX_BYTES + 1,
                limit: MAX_BYTES
            })
        );
    }
}
