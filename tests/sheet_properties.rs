//! Property tests of reading files: any bytes give a sheet or a named reason within the limits, never a panic;
//! what is written reads back in every supported encoding, detected or chosen; no number is a negative zero.
#![cfg(not(target_arch = "wasm32"))]

use encoding_rs::{Encoding, KOI8_R, WINDOWS_1251};
use proptest::prelude::*;
use warehouse_panel::sheet::csv::{strip_formula_guard, CsvOptions, CsvWriter};
use warehouse_panel::sheet::decode::{
    parse_number, read_file, Delimiter, ReadError, ReadFile, TextEncoding,
};
use warehouse_panel::sheet::encoding::Charset;
use warehouse_panel::sheet::limits::{LISTED_BAD_LINES, MAX_COLUMNS, MAX_ROWS};

/// The ways a file can be encoded, with the encoding it reads back as and what the operator would choose.
#[derive(Debug, Clone, Copy)]
enum Written {
    Utf8 { bom: bool },
    Utf16 { little_endian: bool, bom: bool },
    SingleByte(&'static Encoding),
}

impl Written {
    const ALL: [Written; 8] = [
        Written::Utf8 { bom: false },
        Written::Utf8 { bom: true },
        Written::Utf16 {
            little_endian: true,
            bom: true,
        },
        Written::Utf16 {
            little_endian: false,
            bom: true,
        },
        Written::Utf16 {
            little_endian: true,
            bom: false,
        },
        Written::Utf16 {
            little_endian: false,
            bom: false,
        },
        Written::SingleByte(WINDOWS_1251),
        Written::SingleByte(KOI8_R),
    ];

    fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Written::Utf8 { bom } => {
                let mut bytes = if bom { vec![0xEF, 0xBB, 0xBF] } else { vec![] };
                bytes.extend_from_slice(text.as_bytes());
                bytes
            }
            Written::Utf16 { little_endian, bom } => std::iter::once(0xFEFF)
                .filter(|_| bom)
                .chain(text.encode_utf16())
                .flat_map(|u| {
                    if little_endian {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect(),
            Written::SingleByte(encoding) => encoding.encode(text).0.into_owned(),
        }
    }

    fn encoding(self) -> TextEncoding {
        match self {
            Written::Utf8 { bom: false } => TextEncoding::Utf8,
            Written::Utf8 { bom: true } => TextEncoding::Utf8WithBom,
            Written::Utf16 {
                little_endian: true,
                ..
            } => TextEncoding::Utf16Le,
            Written::Utf16 {
                little_endian: false,
                ..
            } => TextEncoding::Utf16Be,
            Written::SingleByte(e) if e == KOI8_R => TextEncoding::Koi8R,
            Written::SingleByte(_) => TextEncoding::Windows1251,
        }
    }

    /// Whether the encoding is stated (a BOM) or certain (valid UTF-8), not a guess.
    fn stated(self) -> bool {
        matches!(
            self,
            Written::Utf8 { .. } | Written::Utf16 { bom: true, .. }
        )
    }
}

fn written() -> impl Strategy<Value = Written> {
    prop::sample::select(Written::ALL.to_vec())
}

fn delimiter() -> impl Strategy<Value = Delimiter> {
    prop::sample::select(Delimiter::ALL.to_vec())
}

/// Cells with what CSV must survive (delimiters, quotes, line breaks, formula starts) in characters that
/// every supported encoding has.
fn any_cell() -> impl Strategy<Value = String> {
    "[a-zA-Zа-яёА-ЯЁ0-9 ,;\t\"\r\n=+@'.-]{0,8}"
}

/// Cells of real stock files: product names, places, quantities and prices.
fn stock_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Футболка мужская хлопковая",
            "Брюки классические чёрные",
            "Кроссовки беговые белые",
            "Рюкзак школьный синий",
            "Тарелка глубокая фарфоровая",
            "Кастрюля из нержавеющей стали",
            "Полотенце махровое банное",
            "Лампа настольная светодиодная",
            "Наушники беспроводные",
            "Клавиатура механическая",
            "Тетрадь в клетку",
            "Молоток слесарный",
            "Ламинат дубовый",
            "Зубная паста отбеливающая",
            "Стиральный порошок",
            "Молоко пастеризованное",
            "Колбаса варёная докторская",
            "Кофе молотый арабика",
            "Конфеты шоколадные ассорти",
            "Палатка туристическая",
            "Склад Новосибирск",
            "Пункт выдачи Казань",
            "Розничная цена",
            "Страна происхождения",
        ])
        .prop_map(str::to_string),
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0u32..100_000).prop_map(|n| format!("{},{:02}", n / 100, n % 100)),
    ]
}

/// Writes rows under a fixed header, each with a key first (so no row is blank and skipped).
fn write(delimiter: Delimiter, rows: &[Vec<String>]) -> (String, Vec<Vec<String>>) {
    let mut w = CsvWriter::new(CsvOptions {
        delimiter,
        bom: false,
        decimal_comma: false,
    });
    w.row(["Артикул", "Наименование", "Остаток"]);
    let rows: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![format!("A-{i}")];
            row.extend(r.iter().cloned());
            row
        })
        .collect();
    for r in &rows {
        w.row(r);
    }
    (w.finish(), rows)
}

fn cells_of(file: &ReadFile) -> Vec<Vec<String>> {
    file.sheet
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| strip_formula_guard(c).to_string())
                .collect()
        })
        .collect()
}

/// What must hold of any read: within the limits, the bad lines real lines, listed in order.
fn check_read(bytes: &[u8], read: &Result<ReadFile, ReadError>) -> Result<(), TestCaseError> {
    match read {
        Ok(file) => {
            prop_assert!(!file.sheet.header.is_empty());
            prop_assert!(file.sheet.header.len() <= MAX_COLUMNS);
            prop_assert!(file.sheet.rows.len() <= MAX_ROWS);
            prop_assert!(file.sheet.rows.iter().all(|r| r.cells.len() <= MAX_COLUMNS));
            let bad = &file.bad_lines;
            prop_assert!(bad.lines.len() <= bad.count.min(LISTED_BAD_LINES));
            prop_assert!(bad.lines.windows(2).all(|w| w[0] < w[1]));
            let line_breaks = bytes.iter().filter(|&&b| b == b'\n').count();
            prop_assert!(bad.lines.iter().all(|&l| l >= 1 && l <= line_breaks + 1));
        }
        Err(ReadError::UnclosedQuote { line }) => prop_assert!(*line >= 1),
        Err(ReadError::TooManyColumns { columns, limit, .. }) => prop_assert!(columns > limit),
        Err(ReadError::TooManyRows { rows, limit }) => prop_assert!(rows > limit),
        Err(ReadError::TooManyCells { cells, limit }) => prop_assert!(cells > limit),
        Err(ReadError::TooLarge { bytes, limit }) => prop_assert!(bytes > limit),
        Err(ReadError::Empty | ReadError::NotATable { .. }) => {}
        Err(ReadError::Unreadable) => prop_assert!(false, "bytes in memory are always readable"),
    }
    Ok(())
}

/// Bytes that start like the files the panel meets: BOMs, magic numbers, JSON, HTML, UTF-16 text.
fn file_start() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(vec![
        &b""[..],
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"\xFE\xFF",
        b"i\0d\0;\0",
        b"\0i\0d\0;",
        b"%PDF-",
        b"PK\x03\x04",
        b"\x89PNG\r\n\x1a\n",
        b"BM\0\0\0\0\0\0",
        b"{\"",
        b"<html>",
        b"sep=;\n",
        b"\"",
    ])
    .prop_map(<[u8]>::to_vec)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any bytes, detected or read in any chosen encoding: a sheet within the limits or a named reason.
    #[test]
    fn any_bytes_give_a_sheet_or_a_named_error(
        start in file_start(),
        body in prop::collection::vec(any::<u8>(), 0..600),
        text_like in prop::collection::vec(prop::sample::select(b"a1;,\t\"\r\n \xd0\xb0\xc0\xff\0=".to_vec()), 0..300),
        d in prop::option::of(delimiter()),
        charset in prop::option::of(prop::sample::select(Charset::ALL.to_vec())),
    ) {
        for rest in [&body, &text_like] {
            let mut bytes = start.clone();
            bytes.extend_from_slice(rest);
            let read = match charset {
                None => read_file(&bytes, d),
                Some(c) => warehouse_panel::sheet::decode::read_file_in(&bytes, c, d),
            };
            check_read(&bytes, &read)?;
            if let (Some(_), Ok(file)) = (charset, &read) {
                prop_assert!(!file.encoding_guessed, "a chosen encoding is not a guess");
            }
        }
    }

    /// What the panel writes reads back cell for cell in every encoding, when it is chosen.
    #[test]
    fn written_cells_read_back_in_the_chosen_encoding(
        how in written(),
        d in delimiter(),
        rows in prop::collection::vec(prop::collection::vec(any_cell(), 0..5), 1..10),
    ) {
        let (text, rows) = write(d, &rows);
        let bytes = how.encode(&text);
        let read = warehouse_panel::sheet::decode::read_file_in(&bytes, how.encoding().charset(), Some(d));
        let file = read.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(file.encoding, how.encoding());
        prop_assert_eq!(&file.sheet.header, &["Артикул", "Наименование", "Остаток"]);
        prop_assert_eq!(cells_of(&file), rows);
        prop_assert!(file.bad_lines.lines.is_empty());
    }

    /// A stock file reads back in every encoding with nothing chosen: the encoding and the delimiter are
    /// detected, and said to be a guess exactly when no BOM or valid UTF-8 states it.
    #[test]
    fn stock_files_read_back_detected(
        how in written(),
        d in delimiter(),
        rows in prop::collection::vec(prop::collection::vec(stock_cell(), 2), 1..12),
    ) {
        let (text, rows) = write(d, &rows);
        let bytes = how.encode(&text);
        let file = read_file(&bytes, None).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(file.encoding, how.encoding());
        prop_assert_eq!(file.encoding_guessed, !how.stated());
        prop_assert_eq!(file.delimiter, d);
        prop_assert_eq!(cells_of(&file), rows);
    }

    /// No text parses as a negative zero (it would show as "-0" and read as a change).
    #[test]
    fn no_negative_zero(s in prop_oneof!["[-+]?[0 ,.]{0,7}", "\\PC{0,12}"]) {
        if let Ok(Some(v)) = parse_number(&s) {
            prop_assert!(v != 0.0 || v.is_sign_positive(), "{s:?} gave -0");
        }
    }
}
