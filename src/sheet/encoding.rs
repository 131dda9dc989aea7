//! Bytes to text: the encoding stated by a BOM, or guessed (UTF-16 by its zero bytes, UTF-8 even with a few
//! bad bytes, Windows-1251 or KOI8-R by Russian letter statistics), or chosen by the operator; the file lines
//! whose bytes were not valid in it.
//!
//! The single-byte code pages are two 128-entry tables instead of `encoding_rs`: that crate dispatches every
//! encoding through one decoder enum, so linking it for two code pages adds its CJK tables to the wasm
//! (measured: +125 KB gzip, +157 KB with `chardetng`). The tables are tested against `encoding_rs` natively.

use crate::sheet::limits::LISTED_BAD_LINES;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The text encoding a file was read with (shown to the user so a wrong guess is visible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TextEncoding {
    Utf8,
    Utf8WithBom,
    /// Excel's "Unicode text" (tab-separated UTF-16 little-endian with a BOM).
    Utf16Le,
    Utf16Be,
    /// Excel's "CSV" on a Russian Windows.
    Windows1251,
    /// Older Unix and mail systems' Russian.
    Koi8R,
}

impl TextEncoding {
    /// What the operator would choose to read the file this way again.
    pub fn charset(self) -> Charset {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8WithBom => Charset::Utf8,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => Charset::Utf16,
            TextEncoding::Windows1251 => Charset::Windows1251,
            TextEncoding::Koi8R => Charset::Koi8R,
        }
    }
}

/// An encoding the operator can choose when the guess was wrong (a BOM, if any, still tells UTF-16's byte order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Charset {
    Utf8,
    Windows1251,
    Koi8R,
    Utf16,
}

impl Charset {
    /// In the order offered.
    pub const ALL: [Charset; 4] = [
        Charset::Utf8,
        Charset::Windows1251,
        Charset::Koi8R,
        Charset::Utf16,
    ];
}

/// File lines (1-based) with bytes not valid in the encoding, each read as U+FFFD.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BadLines {
    /// The first [`LISTED_BAD_LINES`] such lines, in order, each once.
    pub lines: Vec<usize>,
    /// How many lines in all.
    pub count: usize,
}

/// Counts the lines of text as it is decoded, and notes the bad ones.
struct LineCounter {
    line: usize,
    last_bad: usize,
    bad: BadLines,
}

impl LineCounter {
    fn new() -> Self {
        LineCounter {
            line: 1,
            last_bad: 0,
            bad: BadLines::default(),
        }
    }

    /// The current line had a bad byte (noted once per line).
    fn bad(&mut self) {
        if self.last_bad == self.line {
            return;
        }
        self.last_bad = self.line;
        self.bad.count += 1;
        if self.bad.lines.len() < LISTED_BAD_LINES {
            self.bad.lines.push(self.line);
        }
    }
}

/// Text decoded from a file's bytes, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// Borrowed when the bytes are valid UTF-8 (no copy of a large file).
    pub text: Cow<'a, str>,
    pub encoding: TextEncoding,
    /// Inferred from statistics, neither stated by a BOM nor certain: the operator may choose another.
    pub guessed: bool,
    pub bad_lines: BadLines,
}

/// Windows-1251 bytes 0x80..=0xFF as Unicode scalar values (0x00..0x7F are ASCII): the WHATWG index (0x98 is
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

/// KOI8-R bytes 0x80..=0xFF (the WHATWG index: box drawing, then the letters in the order of their Latin
/// transliteration, lower case first).
const KOI8R_HIGH: [u16; 128] = [
    0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524, 0x252C, 0x2534, 0x253C, 0x2580,
    0x2584, 0x2588, 0x258C, 0x2590, 0x2591, 0x2592, 0x2593, 0x2320, 0x25A0, 0x2219, 0x221A, 0x2248,
    0x2264, 0x2265, 0x00A0, 0x2321, 0x00B0, 0x00B2, 0x00B7, 0x00F7, 0x2550, 0x2551, 0x2552, 0x0451,
    0x2553, 0x2554, 0x2555, 0x2556, 0x2557, 0x2558, 0x2559, 0x255A, 0x255B, 0x255C, 0x255D, 0x255E,
    0x255F, 0x2560, 0x2561, 0x0401, 0x2562, 0x2563, 0x2564, 0x2565, 0x2566, 0x2567, 0x2568, 0x2569,
    0x256A, 0x256B, 0x256C, 0x00A9, 0x044E, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433,
    0x0445, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F, 0x044F, 0x0440, 0x0441,
    0x0442, 0x0443, 0x0436, 0x0432, 0x044C, 0x044B, 0x0437, 0x0448, 0x044D, 0x0449, 0x0447, 0x044A,
    0x042E, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413, 0x0425, 0x0418, 0x0419, 0x041A,
    0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x042F, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412,
    0x042C, 0x042B, 0x0417, 0x0428, 0x042D, 0x0429, 0x0427, 0x042A,
];

/// A single-byte code page: ASCII below 0x80, the table above.
#[derive(Clone, Copy)]
struct CodePage(&'static [u16; 128]);

impl CodePage {
    const CP1251: CodePage = CodePage(&CP1251_HIGH);
    const KOI8R: CodePage = CodePage(&KOI8R_HIGH);

    fn char(self, byte: u8) -> char {
        match byte.checked_sub(0x80) {
            None => char::from(byte),
            Some(high) => char::from_u32(u32::from(self.0[usize::from(high)]))
                .unwrap_or(char::REPLACEMENT_CHARACTER),
        }
    }

    fn decode(self, bytes: &[u8]) -> String {
        // Sized exactly first: a 100 MB file must not grow its text by doubling.
        let len = bytes.iter().map(|&b| self.char(b).len_utf8()).sum();
        let mut text = String::with_capacity(len);
        text.extend(bytes.iter().map(|&b| self.char(b)));
        text
    }
}

/// UTF-8 with invalid sequences read as U+FFFD, noting their lines.
fn decode_utf8_lossy(bytes: &[u8]) -> (String, BadLines) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut lines = LineCounter::new();
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        lines.line += valid.bytes().filter(|&b| b == b'\n').count();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            lines.bad();
        }
    }
    (text, lines.bad)
}

/// UTF-8 text, borrowed when valid.
fn decode_utf8(bytes: &[u8]) -> (Cow<'_, str>, BadLines) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), BadLines::default()),
        Err(_) => {
            let (text, bad) = decode_utf8_lossy(bytes);
            (Cow::Owned(text), bad)
        }
    }
}

/// UTF-16 with unpaired surrogates (and a trailing odd byte) read as U+FFFD, noting their lines.
fn decode_utf16(bytes: &[u8], little_endian: bool) -> (String, BadLines) {
    let (pairs, odd_byte) = bytes.split_at(bytes.len() & !1);
    let units = pairs.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::with_capacity(pairs.len() / 2);
    let mut lines = LineCounter::new();
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or_else(|_| {
            lines.bad();
            char::REPLACEMENT_CHARACTER
        });
        lines.line += usize::from(c == '\n');
        text.push(c);
    }
    if !odd_byte.is_empty() {
        text.push(char::REPLACEMENT_CHARACTER);
        lines.bad();
    }
    (text, lines.bad)
}

/// How many leading bytes are looked at to guess UTF-16 and the code page.
const SAMPLE: usize = 64 * 1024;

/// UTF-16 without a BOM, by its zero bytes: ASCII characters (digits, delimiters, line breaks) have a zero
/// high byte, odd positions in little-endian, even in big-endian; Cyrillic letters (U+04xx) have no zero
/// byte. `Some(true)`: little-endian.
fn utf16_by_zeros(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let pairs = sample.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // A tenth of the characters ASCII, and the other half-words almost never zero.
    let one_side =
        |zeros: usize, other: usize| zeros > 0 && zeros * 10 >= pairs && other * 10 <= zeros;
    if one_side(odd, even) {
        Some(true)
    } else if one_side(even, odd) {
        Some(false)
    } else {
        None
    }
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with a few bad bytes: more valid multi-byte
/// characters than invalid sequences. Single-byte Cyrillic text is almost all invalid sequences (a letter,
/// 0xC0..=0xFF, is never followed by a continuation byte, 0x80..=0xBF, but for ё, № and quotes).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > invalid
}

/// The cost of a letter after another in Russian text, in bits: −log2 of its probability, capped at 15, one
/// hex digit each. Row: the previous character, column: this one; index 0 is anything but a Russian letter
/// (a word's start or end), 1..=32 are а..я in either case (ё counted as е). Counted, with add-half
/// smoothing, from 2 million letter pairs of Russian user-interface translations (the gettext catalogues of
/// a Linux distribution).
const BIGRAM_COST: [&[u8; 33]; 33] = [
    b"f653747954c475343535558868cfcf6b8",
    b"2b6565564945453c54538976588fffe75",
    b"63abd84d95f43a53b37b4d66cd553ccd8",
    b"32f7c93fb4f5475385675f7ff99f3aff8",
    b"4498664ff3fb5641c38a4dadafffbfbcd",
    b"52d6962794f63853656a5d9a99ff6bdb9",
    b"29856576776544277343aa97787fffdba",
    b"747dd32ff2f6c928bd9c6ffffbfffbcff",
    b"4284c46bb5f78333e68e4ff9bffe5cfe5",
    b"37656649555554486544c67667affff64",
    b"1cbab69fbaf72877aa44dcda99ffcffca",
    b"42b8dd59c3fa4b72c5455eb5fbffdd9cf",
    b"447c9b36d3f78b53cf8b6cef7fff63d53",
    b"3375cc2ff4f995636d8e6dddddff4dcd4",
    b"53da852d92f7dd43ee6567a99bff38f96",
    b"3b435455575434575444ba9866afffbe8",
    b"63edff3ff4f86e8272984fd8edff7afb8",
    b"42a67925b4f7965397664a7bb7df5aed7",
    b"4577a949f4f4477447525b7a87fd65fc4",
    b"33a5fa3fb3f58953934b6bcf8fff63cca",
    b"376763456a64545a4534d79b585fff94a",
    b"81ffaf5ff3cc5aa3d59646cfffffa9dfc",
    b"15a6ec5ee4eda862d4797aaeeceecc9ec",
    b"44b5bc2ec1e6ced67e9c6ebbeeee4eece",
    b"53fdfd1af2f58b37cba47fcfb9fff8fff",
    b"53d8ee2ee1e46a46c6767eeeceeec8eeb",
    b"93eeee1ee2eeee9eeeee6eeeeeeee5eee",
    b"bbbbbb0bbbbbbbbbbbbbbbbbbbbbbbbb4",
    b"2f64963a7f2654af5574ff3d77cfffefb",
    b"1fabab8f3bf5f93acd56fbf8b6dffff68",
    b"7da879dd9b73266d7661a69bd5ddddddd",
    b"1c7eb8e7abb9b98ca783ecec2e2eeeb8e",
    b"0eb6b75b6fab965ca784ce789f8fffc67",
];

/// The index of a Russian letter in [`BIGRAM_COST`], either case; 0 for anything else.
fn letter_index(c: char) -> usize {
    let from = |first: char| c as usize - first as usize + 1;
    match c {
        'а'..='я' => from('а'),
        'А'..='Я' => from('А'),
        'ё' | 'Ё' => letter_index('е'),
        _ => 0,
    }
}

fn bigram_cost(previous: usize, index: usize) -> i64 {
    let digit = BIGRAM_COST
        .get(previous)
        .and_then(|row| row.get(index))
        .copied()
        .unwrap_or(b'f');
    char::from(digit).to_digit(16).map_or(15, i64::from)
}

/// Bits for a capital letter right after a small one ("сКЛАД"): a wrong code page swaps the cases of the
/// letters, and text is mostly small letters with capitals at the start of words.
const CASE_SWAP_COST: i64 = 6;

/// Bits for a character of the high half that Russian text does not use (box drawing, rare symbols).
const SYMBOL_COST: i64 = 6;

/// The typographic characters of the high half that Russian text uses: no evidence either way.
fn typographic(c: char) -> bool {
    matches!(
        c,
        '\u{a0}'
            | '«'
            | '»'
            | '№'
            | '–'
            | '—'
            | '“'
            | '”'
            | '„'
            | '…'
            | '©'
            | '°'
            | '‘'
            | '’'
    )
}

/// How un-Russian bytes read in a code page, in bits (lower reads better).
fn russian_cost(page: CodePage, sample: &[u8]) -> i64 {
    let mut cost = 0;
    let mut previous = 0;
    let mut previous_small = false;
    for &byte in sample {
        let c = page.char(byte);
        let index = letter_index(c);
        if index != 0 || previous != 0 {
            cost += bigram_cost(previous, index);
        }
        if index != 0 {
            if c.is_uppercase() && previous_small {
                cost += CASE_SWAP_COST;
            }
        } else if byte >= 0x80 && !typographic(c) {
            cost += SYMBOL_COST;
        }
        previous_small = c.is_lowercase();
        previous = index;
    }
    cost
}

/// How many bits better KOI8-R must read than Windows-1251 to be chosen: Windows-1251 is far more common,
/// and a lone letter (a Latin-1 `é` read as `й` or `И`) is no evidence.
const KOI8R_MARGIN: i64 = 2;

/// Windows-1251 or KOI8-R, by which reads more like Russian.
fn single_byte(bytes: &[u8]) -> TextEncoding {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let cp1251 = russian_cost(CodePage::CP1251, sample);
    let koi8r = russian_cost(CodePage::KOI8R, sample);
    if koi8r + KOI8R_MARGIN < cp1251 {
        TextEncoding::Koi8R
    } else {
        TextEncoding::Windows1251
    }
}

/// Decodes with a BOM's encoding, else a guess: UTF-16 by its zero bytes, UTF-8 (also with a few bad bytes),
/// else Windows-1251 or KOI8-R by letter statistics. `None`: NUL bytes that are not UTF-16, not text.
pub fn detect(bytes: &[u8]) -> Option<Decoded<'_>> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let (text, bad_lines) = decode_utf8(rest);
        return Some(Decoded::stated(text, TextEncoding::Utf8WithBom, bad_lines));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let (text, bad_lines) = decode_utf16(rest, true);
        return Some(Decoded::stated(
            text.into(),
            TextEncoding::Utf16Le,
            bad_lines,
        ));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let (text, bad_lines) = decode_utf16(rest, false);
        return Some(Decoded::stated(
            text.into(),
            TextEncoding::Utf16Be,
            bad_lines,
        ));
    }
    if let Some(little_endian) = utf16_by_zeros(bytes) {
        let (text, bad_lines) = decode_utf16(bytes, little_endian);
        let encoding = if little_endian {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        return Some(Decoded::guessed(text.into(), encoding, bad_lines));
    }
    if bytes.contains(&0) {
        return None;
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(Decoded::stated(
            Cow::Borrowed(text),
            TextEncoding::Utf8,
            BadLines::default(),
        ));
    }
    if mostly_utf8(bytes) {
        let (text, bad_lines) = decode_utf8_lossy(bytes);
        return Some(Decoded::guessed(text.into(), TextEncoding::Utf8, bad_lines));
    }
    let encoding = single_byte(bytes);
    Some(decode_as(bytes, encoding.charset()).into_guess())
}

/// Decodes in the operator's choice (a BOM of that encoding is skipped; UTF-16's byte order is the BOM's,
/// else the zero bytes', else little-endian).
pub fn decode_as(bytes: &[u8], charset: Charset) -> Decoded<'_> {
    match charset {
        Charset::Utf8 => {
            let (encoding, rest) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
                Some(rest) => (TextEncoding::Utf8WithBom, rest),
                None => (TextEncoding::Utf8, bytes),
            };
            let (text, bad_lines) = decode_utf8(rest);
            Decoded::stated(text, encoding, bad_lines)
        }
        Charset::Windows1251 => Decoded::stated(
            CodePage::CP1251.decode(bytes).into(),
            TextEncoding::Windows1251,
            BadLines::default(),
        ),
        Charset::Koi8R => Decoded::stated(
            CodePage::KOI8R.decode(bytes).into(),
            TextEncoding::Koi8R,
            BadLines::default(),
        ),
        Charset::Utf16 => {
            let (little_endian, rest) = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
                (true, rest)
            } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
                (false, rest)
            } else {
                (utf16_by_zeros(bytes).unwrap_or(true), bytes)
            };
            let (text, bad_lines) = decode_utf16(rest, little_endian);
            let encoding = if little_endian {
                TextEncoding::Utf16Le
            } else {
                TextEncoding::Utf16Be
            };
            Decoded::stated(text.into(), encoding, bad_lines)
        }
    }
}

impl<'a> Decoded<'a> {
    fn stated(text: Cow<'a, str>, encoding: TextEncoding, bad_lines: BadLines) -> Self {
        Decoded {
            text,
            encoding,
            guessed: false,
            bad_lines,
        }
    }

    fn guessed(text: Cow<'a, str>, encoding: TextEncoding, bad_lines: BadLines) -> Self {
        Decoded {
            guessed: true,
            ..Decoded::stated(text, encoding, bad_lines)
        }
    }

    fn into_guess(self) -> Self {
        Decoded {
            guessed: true,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if little_endian {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    }

    /// Cells of stock files, each told apart on its own line in either case (a file has many; a single word of
    /// four letters or fewer can go either way).
    const STOCK_CELLS: [&str; 32] = [
        "Склад Екатеринбург",
        "Остаток на складе",
        "Закупочная цена без НДС",
        "Наименование",
        "Количество",
        "Артикул",
        "Основной",
        "Магазин на Тверской",
        "Футболка мужская хлопковая",
        "Куртка зимняя пуховая",
        "Чемодан на колёсах большой",
        "Кружка керамическая с надписью",
        "Сковорода антипригарная",
        "Подушка ортопедическая",
        "Чайник электрический стеклянный",
        "Шуруповёрт аккумуляторный",
        "Отвёртка крестовая",
        "Кирпич облицовочный красный",
        "Шампунь для сухих волос",
        "Сок яблочный осветлённый",
        "Хлеб ржаной нарезной",
        "Гречка ядрица",
        "Чай чёрный листовой",
        "Соль поваренная йодированная",
        "Игрушка мягкая медведь",
        "Удочка телескопическая",
        "Корм для собак",
        "Штрихкод",
        "Объём упаковки",
        "Юбка джинсовая",
        "Эмаль",
        "щётка",
    ];

    #[test]
    fn code_page_tables_match_encoding_rs() {
        for byte in 0..=255u8 {
            for (page, reference) in [
                (CodePage::CP1251, encoding_rs::WINDOWS_1251),
                (CodePage::KOI8R, encoding_rs::KOI8_R),
            ] {
                let bytes = [byte];
                let (expected, _) = reference.decode_without_bom_handling(&bytes);
                assert_eq!(page.char(byte).to_string(), expected, "{byte:#x}");
            }
        }
    }

    #[test]
    fn bom_states_the_encoding() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("ключ;остаток\n".as_bytes());
        let Some(d) = detect(&bytes) else { panic!() };
        assert_eq!((d.encoding, d.guessed), (TextEncoding::Utf8WithBom, false));
        assert_eq!(d.text, "ключ;остаток\n");
        for (bom, little_endian, encoding) in [
            ([0xFF, 0xFE], true, TextEncoding::Utf16Le),
            ([0xFE, 0xFF], false, TextEncoding::Utf16Be),
        ] {
            let mut bytes = bom.to_vec();
            bytes.extend(utf16("Склад\tОстаток\r\n", little_endian));
            let Some(d) = detect(&bytes) else { panic!() };
            assert_eq!((d.encoding, d.guessed), (encoding, false));
            assert_eq!(d.text, "Склад\tОстаток\r\n");
        }
        let plain = detect("id;main\n".as_bytes());
        assert_eq!(
            plain.map(|d| (d.encoding, d.guessed, matches!(d.text, Cow::Borrowed(_)))),
            Some((TextEncoding::Utf8, false, true)),
            "valid UTF-8 is certain, and not copied"
        );
    }

    #[test]
    fn utf16_without_a_bom_by_its_zero_bytes() {
        let text = "Артикул\tСклад\tОстаток\r\nфутболка-1\tОсновной\t5\r\n";
        for (little_endian, encoding) in [
            (true, TextEncoding::Utf16Le),
            (false, TextEncoding::Utf16Be),
        ] {
            let bytes = utf16(text, little_endian);
            let Some(d) = detect(&bytes) else { panic!() };
            assert_eq!((d.encoding, d.guessed), (encoding, true));
            assert_eq!(d.text, text);
            assert!(d.bad_lines.lines.is_empty());
        }
        // An odd trailing byte and a lone surrogate are bad bytes on their lines.
        let mut bytes = utf16("a\tb\n1\t2\n3\t4\n5\t6\n", true);
        bytes.extend_from_slice(&[0x00, 0xD8, b'3', 0]);
        bytes.push(b'x');
        let Some(d) = detect(&bytes) else { panic!() };
        assert_eq!(d.encoding, TextEncoding::Utf16Le);
        assert_eq!(d.text, "a\tb\n1\t2\n3\t4\n5\t6\n\u{fffd}3\u{fffd}");
        assert_eq!(d.bad_lines.lines, vec![5]);
        // NUL bytes in no such pattern: not text.
        let junk: Vec<u8> = (0..600u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(detect(&junk), None);
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_stays_utf8_and_names_their_lines() {
        let mut bytes = "Товар;Остаток\nкоробка;5\nсин".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFE]);
        bytes.extend_from_slice("ий;7\nкрасный;".as_bytes());
        bytes.push(0xD0); // a truncated two-byte letter
        bytes.extend_from_slice(b"\n\xC0\xC1;8\n");
        let Some(d) = detect(&bytes) else { panic!() };
        assert_eq!((d.encoding, d.guessed), (TextEncoding::Utf8, true));
        assert_eq!(
            d.text,
            "Товар;Остаток\nкоробка;5\nсин\u{fffd}\u{fffd}ий;7\nкрасный;\u{fffd}\n\u{fffd}\u{fffd};8\n"
        );
        assert_eq!(
            d.bad_lines,
            BadLines {
                lines: vec![3, 4, 5],
                count: 3
            }
        );
        // Lines are listed up to a limit, all counted, each once.
        let mut many = Vec::new();
        for _ in 0..LISTED_BAD_LINES + 50 {
            many.extend_from_slice("товар;\u{444}".as_bytes());
            many.extend_from_slice(b"\xFF\xFF;\xFF\n");
        }
        let Some(d) = detect(&many) else { panic!() };
        assert_eq!(d.encoding, TextEncoding::Utf8);
        assert_eq!(d.bad_lines.count, LISTED_BAD_LINES + 50);
        assert_eq!(
            d.bad_lines.lines,
            (1..=LISTED_BAD_LINES).collect::<Vec<_>>()
        );
    }

    #[test]
    fn windows_1251_or_koi8_r_by_russian_letters() {
        let cases = STOCK_CELLS
            .iter()
            .flat_map(|cell| [cell.to_string(), cell.to_uppercase(), cell.to_lowercase()]);
        for cell in cases {
            let line = format!("A-1;{cell};5\n");
            for (encoding, expected) in [
                (encoding_rs::WINDOWS_1251, TextEncoding::Windows1251),
                (encoding_rs::KOI8_R, TextEncoding::Koi8R),
            ] {
                let (bytes, _, _) = encoding.encode(&line);
                let Some(d) = detect(&bytes) else { panic!() };
                assert_eq!((d.encoding, d.guessed), (expected, true), "{cell}");
                assert_eq!(d.text, line);
            }
        }
        // A Latin-1 "café" is no evidence for KOI8-R: the common code page is kept.
        assert_eq!(
            detect(b"caf\xe9;5\n").map(|d| d.encoding),
            Some(TextEncoding::Windows1251)
        );
    }

    #[test]
    fn the_operators_choice_is_used_as_is() {
        let (koi8, _, _) = encoding_rs::KOI8_R.encode("Склад;5\n");
        let d = decode_as(&koi8, Charset::Windows1251);
        assert_eq!((d.encoding, d.guessed), (TextEncoding::Windows1251, false));
        assert_eq!(d.text, "уЛМБД;5\n");
        assert_eq!(decode_as(&koi8, Charset::Koi8R).text, "Склад;5\n");
        let d = decode_as(&koi8, Charset::Utf8);
        assert_eq!(d.encoding, TextEncoding::Utf8);
        assert_eq!(d.bad_lines.lines, vec![1]);
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16("a;б\n", false));
        let d = decode_as(&be, Charset::Utf16);
        assert_eq!(
            (d.encoding, d.text.as_ref()),
            (TextEncoding::Utf16Be, "a;б\n")
        );
        let bare = utf16("a;б\n", false);
        let d = decode_as(&bare, Charset::Utf16);
        assert_eq!(
            (d.encoding, d.text.as_ref()),
            (TextEncoding::Utf16Be, "a;б\n")
        );
        for charset in Charset::ALL {
            assert_eq!(decode_as(&[], charset).text, "");
        }
        assert_eq!(
            TextEncoding::Utf8WithBom.charset(),
            Charset::Utf8,
            "a detected encoding maps to a choice"
        );
    }
}
