//! Property tests of the stock import's CSV reading and validation: round trips, arbitrary bytes, no panics.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use warehouse_panel::sheet::csv::{strip_formula_guard, CsvOptions, CsvWriter};
use warehouse_panel::sheet::decode::{parse_number, read_file, read_text, Delimiter, Row, Sheet};
use warehouse_panel::upload::mapping::{
    suggest_mapping, KeyColumn, Layout, Mapping, StoreColumn, StoreField,
};
use warehouse_panel::upload::offer::KeyKind;
use warehouse_panel::upload::validate::validate;
use warehouse_panel::upload::warehouse::Warehouse;

fn delimiter() -> impl Strategy<Value = Delimiter> {
    prop::sample::select(Delimiter::ALL.to_vec())
}

/// Cells with everything CSV must survive: delimiters, quotes, line breaks, formula starts, Cyrillic.
fn cell() -> impl Strategy<Value = String> {
    "[a-zA-Zа-яё0-9 ,;\t\"\r\n=+@'.-]{0,8}"
}

fn warehouses() -> Vec<Warehouse> {
    [("main", "Main"), ("north", "North"), ("shop", "Shop")]
        .iter()
        .map(|(code, name)| Warehouse {
            code: code.to_string(),
            name: name.to_string(),
            available_type: *code == "shop",
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// What the panel writes, it reads back cell for cell, with any delimiter (formula guards undone).
    #[test]
    fn written_cells_read_back(
        d in delimiter(),
        bom in any::<bool>(),
        rows in prop::collection::vec(prop::collection::vec(cell(), 0..6), 1..12),
    ) {
        let mut w = CsvWriter::new(CsvOptions { delimiter: d, bom, decimal_comma: false });
        w.row(["key", "a", "b"]);
        // A first cell that is never blank, so no row is skipped as empty.
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r.insert(0, format!("k{i}"));
                r
            })
            .collect();
        for r in &rows {
            w.row(r);
        }
        let text = w.finish();
        let (sheet, used) = read_text(&text, Some(d)).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(used, d);
        prop_assert_eq!(&sheet.header, &["key", "a", "b"]);
        let back: Vec<Vec<String>> = sheet
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| strip_formula_guard(c).to_string()).collect())
            .collect();
        prop_assert_eq!(back, rows);
    }

    /// Any bytes at all: a sheet or a reason, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        d in prop::option::of(delimiter()),
    ) {
        if let Ok(file) = read_file(&bytes, d) {
            let width = file.sheet.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            prop_assert!(file.sheet.header.len() + width > 0);
        }
    }

    /// Text-like bytes (quotes, separators, line breaks, CP1251 and UTF-8 high bytes) parse or fail cleanly.
    #[test]
    fn csv_like_bytes_never_panic(
        bytes in prop::collection::vec(prop::sample::select(b"a1;,\t\"\r\n \xd0\xb0\xc0\xff=".to_vec()), 0..300),
    ) {
        let _ = read_file(&bytes, None);
    }

    #[test]
    fn numbers_never_panic(s in "\\PC{0,16}") {
        if let Ok(Some(v)) = parse_number(&s) {
            prop_assert!(v.is_finite());
        }
    }

    /// Validation of any sheet under the suggested mapping, or an arbitrary one within the header, never
    /// panics, and every problem points to the header or an existing row, and to a column of the header.
    #[test]
    fn validation_points_to_real_cells(
        header in prop::collection::vec(prop::sample::select(vec![
            "externalId", "id", "xmlId", "site", "main", "main:quantity", "main:purchasePrice", "north",
            "shop:quantity", "Склад", "unknown:quantity", "store", "quantity", "",
        ]), 1..7),
        rows in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![
            "", " ", "0", "1", "5", "-1", "1,5", "2.5", "abc", "=1+1", "'=1", "offer-1", "offer-2", "1 000",
            "shop-a", "main", "north", "shop", "Main", "ё", "18446744073709551616", "1e5",
        ]), 0..9), 0..25),
        key_kind in prop::sample::select(KeyKind::ALL.to_vec()),
        columns in prop::collection::vec((0usize..8, any::<bool>()), 0..5),
        long in any::<bool>(),
    ) {
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let sheet = Sheet {
            header_line: 1,
            header: header.clone(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Row { line: i + 2, cells: r.iter().map(|c| c.to_string()).collect() })
                .collect(),
        };
        let width = header.len();
        let stores = ["main", "north", "shop", "nowhere"];
        let arbitrary = Mapping {
            header: header.clone(),
            keys: vec![KeyColumn { kind: key_kind, column: 0 }],
            site_column: (width > 1).then_some(1),
            default_site: None,
            layout: if long {
                Layout::Long {
                    store_column: width - 1,
                    quantity_column: columns.first().map(|(c, _)| c % width),
                    purchase_price_column: columns.get(1).map(|(c, _)| c % width),
                }
            } else {
                Layout::Wide {
                    columns: columns
                        .iter()
                        .map(|(c, price)| StoreColumn {
                            column: c % width,
                            store: stores[c % stores.len()].to_string(),
                            field: if *price { StoreField::PurchasePrice } else { StoreField::Quantity },
                        })
                        .collect(),
                }
            },
        };
        let w = warehouses();
        for mapping in [suggest_mapping(&header, &w), arbitrary] {
            let v = validate(&sheet, &mapping, &w);
            for p in &v.problems {
                let row_exists = p.line == sheet.header_line || sheet.rows.iter().any(|r| r.line == p.line);
                prop_assert!(row_exists, "{p:?}");
                prop_assert!(p.column < width, "{p:?} width {width}");
            }
            for o in &v.offers {
                prop_assert!(sheet.rows.iter().any(|r| r.line == o.line));
            }
            let _ = v.grouped();
        }
    }
}
