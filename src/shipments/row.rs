//! Shipment rows as written in a paste or a file: which column is which (by header or by position), and the raw cells.

use crate::api::order::By;
use crate::sheet::decode::{read_text, ReadError, Row, Sheet};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The order key; `Some` when the header says which identifier it is (`id` or `externalId`).
    Key(Option<By>),
    Site,
    Warehouse,
    Date,
    Shipped,
}

/// Columns without a header, in this order: order key, warehouse, date, shipped (then site).
const POSITIONAL: [Column; 5] = [
    Column::Key(None),
    Column::Warehouse,
    Column::Date,
    Column::Shipped,
    Column::Site,
];

/// The column a header cell names (case, spaces, `_` and `-` ignored; English and Russian).
pub fn column_of(header: &str) -> Option<Column> {
    let name: String = header
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect();
    let column = match name.as_str() {
        "id" | "orderid" | "idзаказа" => Column::Key(Some(By::Id)),
        "externalid" | "orderexternalid" | "внешнийid" | "внешнийкод" | "внешнийidзаказа" => {
            Column::Key(Some(By::ExternalId))
        }
        "order" | "заказ" | "key" | "ключ" => Column::Key(None),
        "site" | "shop" | "сайт" | "магазин" => Column::Site,
        "warehouse" | "store" | "shipmentstore" | "склад" | "складотгрузки" => {
            Column::Warehouse
        }
        "date" | "shipmentdate" | "дата" | "датаотгрузки" => Column::Date,
        "shipped" | "отгружен" | "отгружено" | "отгрузка" => {
            Column::Shipped
        }
        _ => return None,
    };
    Some(column)
}

/// One row as written: its line in the text and its cells by meaning (blank when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    pub line: usize,
    pub key: String,
    pub site: String,
    pub warehouse: String,
    pub date: String,
    pub shipped: String,
}

/// The rows of a paste or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRows {
    pub rows: Vec<RawRow>,
    /// Whether the first line was a header naming the columns (else the columns are taken by position).
    pub has_header: bool,
    /// The identifier the header named for the key column, if it named one.
    pub by: Option<By>,
}

fn raw_row(row: &Row, columns: &[Option<Column>]) -> RawRow {
    let mut raw = RawRow {
        line: row.line,
        ..RawRow::default()
    };
    for (i, column) in columns.iter().enumerate() {
        let cell = row.cell(i).trim().to_string();
        let slot = match column {
            Some(Column::Key(_)) => &mut raw.key,
            Some(Column::Site) => &mut raw.site,
            Some(Column::Warehouse) => &mut raw.warehouse,
            Some(Column::Date) => &mut raw.date,
            Some(Column::Shipped) => &mut raw.shipped,
            None => continue,
        };
        if slot.is_empty() {
            *slot = cell;
        }
    }
    raw
}

/// The rows of a sheet: with a header when its first line names a key column, else by position.
pub fn rows_of(sheet: &Sheet) -> RawRows {
    let named: Vec<Option<Column>> = sheet.header.iter().map(|h| column_of(h)).collect();
    let key = named.iter().flatten().find_map(|c| match c {
        Column::Key(by) => Some(*by),
        _ => None,
    });
    if let Some(by) = key {
        return RawRows {
            rows: sheet.rows.iter().map(|r| raw_row(r, &named)).collect(),
            has_header: true,
            by,
        };
    }
    let positional: Vec<Option<Column>> = POSITIONAL.iter().copied().map(Some).collect();
    let header = Row {
        line: sheet.header_line,
        cells: sheet.header.clone(),
    };
    RawRows {
        rows: std::iter::once(&header)
            .chain(&sheet.rows)
            .map(|r| raw_row(r, &positional))
            .collect(),
        has_header: false,
        by: None,
    }
}

/// Rows from pasted text, or a file's text from [`crate::sheet::decode::decode_text`] (the delimiter is detected).
pub fn rows_from_text(text: &str) -> Result<RawRows, ReadError> {
    read_text(text, None).map(|(sheet, _)| rows_of(&sheet))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::decode::decode_text;

    #[test]
    fn header_names_the_columns_in_any_order() {
        let text =
            "Склад;externalId;Дата отгрузки;Отгружен;site\nmain;order-1;01.02.2024;да;shop-a\n";
        let Ok(rows) = rows_from_text(text) else {
            panic!("not read")
        };
        assert!(rows.has_header);
        assert_eq!(rows.by, Some(By::ExternalId));
        assert_eq!(
            rows.rows,
            vec![RawRow {
                line: 2,
                key: "order-1".into(),
                site: "shop-a".into(),
                warehouse: "main".into(),
                date: "01.02.2024".into(),
                shipped: "да".into(),
            }]
        );
    }

    #[test]
    fn without_a_header_the_first_line_is_data_by_position() {
        let Ok(rows) = rows_from_text("order-1\tmain\t2024-01-02\t1\norder-2\tnorth\n") else {
            panic!("not read")
        };
        assert!(!rows.has_header);
        assert_eq!(rows.by, None);
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(rows.rows[0].line, 1);
        assert_eq!(rows.rows[0].shipped, "1");
        assert_eq!(rows.rows[1].warehouse, "north");
        assert_eq!(rows.rows[1].date, "");
    }

    #[test]
    fn id_header_and_cp1251_file() {
        // "id;Склад\n7;main" in Windows-1251.
        let mut bytes = b"id;".to_vec();
        bytes.extend_from_slice(&[0xD1, 0xEA, 0xEB, 0xE0, 0xE4]);
        bytes.extend_from_slice(b"\n7;main\n");
        let Ok((text, _)) = decode_text(&bytes) else {
            panic!("not decoded")
        };
        let Ok(rows) = rows_from_text(&text) else {
            panic!("not read")
        };
        assert_eq!(rows.by, Some(By::Id));
        assert_eq!(
            (rows.rows[0].key.as_str(), rows.rows[0].warehouse.as_str()),
            ("7", "main")
        );
        assert_eq!(rows_from_text(" \n"), Err(ReadError::Empty));
    }
}
