//! The mapping of a file without a profile: the panel's suggestion, refused when the header leaves it a guess.
//!
//! A header is ambiguous when, by the words the suggestion knows ([`header_candidates`]):
//! - no column names the offer ([`Ambiguity::NoKeyColumn`]);
//! - more than one column could name the offer, whatever their kinds (`externalId` and `Внешний код`, `id` and
//!   `Артикул`...) ([`Ambiguity::SeveralKeyColumns`]): the panel would take the first by a priority a person
//!   confirms on screen;
//! - more than one column is named like the site ([`Ambiguity::SeveralSiteColumns`]);
//! - one warehouse per row (long layout) and more than one column is named like the warehouse, the quantity or
//!   the purchase price ([`Ambiguity::SeveralColumns`]);
//! - one column per warehouse (wide layout) and a column could stand for two warehouses (a code of one is the name
//!   of another, two warehouses share a name) ([`Ambiguity::ColumnOfSeveralWarehouses`]);
//! - no column holds a quantity or a price of any warehouse ([`Ambiguity::NoWarehouseColumn`]).
//!
//! Two columns for the same warehouse and field are not ambiguous here: validation refuses them
//! (`duplicate_warehouse_column`), as in the panel.

use crate::upload::mapping::{header_candidates, suggest_mapping, Layout, Mapping};
use crate::upload::offer::KeyKind;
use crate::upload::warehouse::Warehouse;

/// A role of the long layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongRole {
    Warehouse,
    Quantity,
    PurchasePrice,
}

/// Why the header cannot be mapped without a person (see the module's doc). Columns are 0-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ambiguity {
    NoKeyColumn,
    /// The columns that could name the offer, with the kind each would be read as.
    SeveralKeyColumns(Vec<(usize, KeyKind)>),
    SeveralSiteColumns(Vec<usize>),
    SeveralColumns {
        role: LongRole,
        columns: Vec<usize>,
    },
    ColumnOfSeveralWarehouses {
        column: usize,
        codes: Vec<String>,
    },
    NoWarehouseColumn,
}

/// `column 3 «Остаток»` (1-based, as a person counts).
fn column_text(header: &[String], column: usize) -> String {
    let name = header.get(column).map(String::as_str).unwrap_or("");
    format!("column {} «{name}»", column + 1)
}

fn columns_text(header: &[String], columns: &[usize]) -> String {
    columns
        .iter()
        .map(|&c| column_text(header, c))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Ambiguity {
    /// The problem in plain English, naming the columns of `header`.
    pub fn describe(&self, header: &[String]) -> String {
        match self {
            Self::NoKeyColumn => {
                "no column names the offer (externalId, xmlId, id or an article column)".to_string()
            }
            Self::SeveralKeyColumns(columns) => {
                let list: Vec<String> = columns
                    .iter()
                    .map(|(c, kind)| format!("{} as {}", column_text(header, *c), kind.wire_name()))
                    .collect();
                format!("several columns could name the offer: {}", list.join(", "))
            }
            Self::SeveralSiteColumns(columns) => format!(
                "several columns could hold the site: {}",
                columns_text(header, columns)
            ),
            Self::SeveralColumns { role, columns } => {
                let role = match role {
                    LongRole::Warehouse => "the warehouse",
                    LongRole::Quantity => "the quantity",
                    LongRole::PurchasePrice => "the purchase price",
                };
                format!(
                    "several columns could hold {role}: {}",
                    columns_text(header, columns)
                )
            }
            Self::ColumnOfSeveralWarehouses { column, codes } => format!(
                "{} could be the stock of several warehouses: {}",
                column_text(header, *column),
                codes.join(", ")
            ),
            Self::NoWarehouseColumn => {
                "no column holds a quantity or a purchase price of a warehouse the CRM has"
                    .to_string()
            }
        }
    }
}

/// The panel's suggestion for `header` with the CRM's `warehouses`, or every reason it would be a guess.
pub fn unambiguous_mapping(
    header: &[String],
    warehouses: &[Warehouse],
) -> Result<Mapping, Vec<Ambiguity>> {
    let mapping = suggest_mapping(header, warehouses);
    let found = header_candidates(header, warehouses);
    let mut problems = Vec::new();

    let mut keys: Vec<(usize, KeyKind)> = found.keys.iter().map(|k| (k.column, k.kind)).collect();
    for &column in &found.articles {
        if !keys.iter().any(|(c, _)| *c == column) {
            keys.push((column, KeyKind::ExternalId));
        }
    }
    keys.sort_unstable();
    match keys.len() {
        0 => problems.push(Ambiguity::NoKeyColumn),
        1 => {}
        _ => problems.push(Ambiguity::SeveralKeyColumns(keys)),
    }
    if found.sites.len() > 1 {
        problems.push(Ambiguity::SeveralSiteColumns(found.sites));
    }
    let taken =
        |c: usize| mapping.keys.iter().any(|k| k.column == c) || mapping.site_column == Some(c);
    match &mapping.layout {
        Layout::Long { .. } => {
            for (role, columns) in [
                (LongRole::Warehouse, found.store_columns),
                (LongRole::Quantity, found.quantity_columns),
                (LongRole::PurchasePrice, found.price_columns),
            ] {
                let columns: Vec<usize> = columns.into_iter().filter(|&c| !taken(c)).collect();
                if columns.len() > 1 {
                    problems.push(Ambiguity::SeveralColumns { role, columns });
                }
            }
        }
        Layout::Wide { columns } => {
            for (column, codes) in found.warehouses {
                if codes.len() > 1 && !taken(column) {
                    problems.push(Ambiguity::ColumnOfSeveralWarehouses { column, codes });
                }
            }
            let known = |code: &str| warehouses.iter().any(|w| w.code == code);
            if !columns.iter().any(|c| known(&c.store)) {
                problems.push(Ambiguity::NoWarehouseColumn);
            }
        }
    }
    if problems.is_empty() {
        Ok(mapping)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::mapping::StoreField;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    fn warehouses() -> Vec<Warehouse> {
        let w = |code: &str, name: &str| Warehouse {
            code: code.into(),
            name: name.into(),
            available_type: false,
        };
        // `n2` is named like `north`'s code.
        vec![
            w("main", "Основной склад"),
            w("north", "North"),
            w("sever", "Север"),
            w("n2", "north"),
        ]
    }

    fn problems(cells: &[&str]) -> Vec<Ambiguity> {
        unambiguous_mapping(&header(cells), &warehouses())
            .err()
            .unwrap_or_default()
    }

    #[test]
    fn a_clear_header_gets_the_panels_suggestion() {
        for cells in [
            &[
                "externalId",
                "site",
                "main",
                "north:quantity",
                "Север закупочная цена",
            ][..],
            &["Артикул", "Основной склад", "comment"],
            &["xmlId", "Склад", "Количество", "Закупочная цена"],
        ] {
            let h = header(cells);
            assert_eq!(
                unambiguous_mapping(&h, &warehouses()),
                Ok(suggest_mapping(&h, &warehouses())),
                "{cells:?}"
            );
        }
        let m =
            unambiguous_mapping(&header(&["id", "Север закупочная цена"]), &warehouses()).unwrap();
        assert!(
            matches!(&m.layout, Layout::Wide { columns } if columns[0].store == "sever" && columns[0].field == StoreField::PurchasePrice)
        );
    }

    #[test]
    fn no_key_and_several_keys_are_refused() {
        assert_eq!(problems(&["name", "main"]), vec![Ambiguity::NoKeyColumn]);
        assert_eq!(
            problems(&["externalId", "Внешний код", "main"]),
            vec![Ambiguity::SeveralKeyColumns(vec![
                (0, KeyKind::ExternalId),
                (1, KeyKind::ExternalId)
            ])]
        );
        // A warehouse system's own row id next to the article: which one is the CRM's?
        assert_eq!(
            problems(&["ID", "Артикул", "main"]),
            vec![Ambiguity::SeveralKeyColumns(vec![
                (0, KeyKind::Id),
                (1, KeyKind::ExternalId)
            ])]
        );
        let text =
            problems(&["ID", "Артикул", "main"])[0].describe(&header(&["ID", "Артикул", "main"]));
        assert_eq!(
            text,
            "several columns could name the offer: column 1 «ID» as id, column 2 «Артикул» as externalId"
        );
    }

    #[test]
    fn sites_long_roles_and_warehouses_are_refused_when_doubled_or_missing() {
        assert_eq!(
            problems(&["externalId", "site", "магазин", "main"]),
            vec![Ambiguity::SeveralSiteColumns(vec![1, 2])]
        );
        assert_eq!(
            problems(&["externalId", "Склад", "Количество", "Остаток"]),
            vec![Ambiguity::SeveralColumns {
                role: LongRole::Quantity,
                columns: vec![2, 3]
            }]
        );
        assert_eq!(
            problems(&["externalId", "north"]),
            vec![Ambiguity::ColumnOfSeveralWarehouses {
                column: 1,
                codes: vec!["north".into(), "n2".into()]
            }]
        );
        assert_eq!(
            problems(&["externalId", "price", "comment"]),
            vec![Ambiguity::NoWarehouseColumn]
        );
        // A column for a warehouse the CRM does not have maps nothing.
        assert_eq!(
            problems(&["externalId", "ghost:quantity"]),
            vec![Ambiguity::NoWarehouseColumn]
        );
    }
}
