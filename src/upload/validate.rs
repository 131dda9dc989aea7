//! Validation: applies a mapping to a sheet, giving the offers' stock and the problems grouped by what to fix.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::mapping::{Layout, Mapping, StoreColumn, StoreField};
use super::offer::{intern, OfferKey, OfferStock, StoreCode, StoreValue};
use super::warehouse::{find_warehouse, Warehouse};
use crate::sheet::csv::{strip_formula_guard, CsvOptions, CsvWriter};
use crate::sheet::decode::{parse_number, Row, Sheet};

/// What is wrong with a cell, in the order the UI lists the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProblemKind {
    /// No key column has a value in this row.
    MissingKey,
    /// An `id` key that is not a whole number.
    InvalidId,
    /// The key was already on an earlier row (long layout: the key and warehouse were).
    DuplicateKey,
    /// Long layout: the warehouse cell is blank.
    MissingWarehouse,
    /// A warehouse code or name the CRM does not have (wide: a header cell; long: a row's cell).
    UnknownWarehouse,
    NotANumber,
    Negative,
    /// A quantity with a fraction for an `integer` warehouse.
    FractionalQuantity,
    /// A quantity other than 0 or 1 for an `available` warehouse; fixable by [`clamp_available`].
    NotZeroOrOne,
    /// Wide layout: two columns set the same field of the same warehouse (`main;north;main`, `main;Main`). Which one
    /// is meant cannot be told, so nothing is uploaded until the mapping leaves one of them out.
    DuplicateWarehouseColumn,
}

impl ProblemKind {
    /// Whether the row is left out of the upload until the file is fixed. The others (0/1 values
    /// and prices without quantity) keep the row and have a fix in the panel.
    pub fn blocks_row(self) -> bool {
        !matches!(self, ProblemKind::NotZeroOrOne)
    }

    /// A stable code for files (the problems column of [`problem_rows_csv`]).
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::MissingKey => "missing_key",
            ProblemKind::InvalidId => "invalid_id",
            ProblemKind::DuplicateKey => "duplicate_key",
            ProblemKind::MissingWarehouse => "missing_warehouse",
            ProblemKind::UnknownWarehouse => "unknown_warehouse",
            ProblemKind::NotANumber => "not_a_number",
            ProblemKind::Negative => "negative",
            ProblemKind::FractionalQuantity => "fractional_quantity",
            ProblemKind::NotZeroOrOne => "not_zero_or_one",
            ProblemKind::DuplicateWarehouseColumn => "duplicate_warehouse_column",
        }
    }
}

/// One problem: the file line of the row (the header line for a header cell), the 0-based column,
/// the cell as written, for a duplicate key the line it first appeared on, and for a duplicate
/// warehouse column the column that came first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub kind: ProblemKind,
    pub line: usize,
    pub column: usize,
    pub value: String,
    pub first_line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_column: Option<usize>,
}

/// The result of validation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Validation {
    /// Offers from rows without blocking problems, in file order.
    pub offers: Vec<OfferStock>,
    /// Rows left out for their problems (not uploaded until the file is fixed).
    pub rows_skipped: usize,
    /// Every problem, in file order.
    pub problems: Vec<Problem>,
}

impl Validation {
    /// Problems grouped by kind, groups in [`ProblemKind`] order, each in file order.
    pub fn grouped(&self) -> Vec<(ProblemKind, Vec<&Problem>)> {
        let mut groups: Vec<(ProblemKind, Vec<&Problem>)> = Vec::new();
        let mut sorted: Vec<&Problem> = self.problems.iter().collect();
        crate::order::sort_by_key(&mut sorted, |p| (p.kind, p.line, p.column));
        for p in sorted {
            match groups.last_mut() {
                Some((kind, list)) if *kind == p.kind => list.push(p),
                _ => groups.push((p.kind, vec![p])),
            }
        }
        groups
    }

    pub fn has_blocking(&self) -> bool {
        self.problems.iter().any(|p| p.kind.blocks_row())
    }
}

struct Checker {
    problems: Vec<Problem>,
    rows_skipped: usize,
}

impl Checker {
    fn report(&mut self, kind: ProblemKind, row: &Row, column: usize, first_line: Option<usize>) {
        self.problems.push(Problem {
            kind,
            line: row.line,
            column,
            value: row.cell(column).to_string(),
            first_line,
            first_column: None,
        });
    }

    /// The row's key; reports and returns `None` when missing or invalid.
    fn key(&mut self, row: &Row, mapping: &Mapping) -> Option<OfferKey> {
        for k in &mapping.keys {
            let text = strip_formula_guard(row.cell(k.column).trim());
            if !text.is_empty() {
                let key = OfferKey::parse(k.kind, text);
                if key.is_none() {
                    self.report(ProblemKind::InvalidId, row, k.column, None);
                }
                return key;
            }
        }
        let column = mapping.keys.first().map(|k| k.column).unwrap_or(0);
        self.report(ProblemKind::MissingKey, row, column, None);
        None
    }

    /// A number cell; `Err(())` when a blocking problem was reported.
    fn number(
        &mut self,
        row: &Row,
        column: usize,
        field: StoreField,
        warehouse: &Warehouse,
    ) -> Result<Option<f64>, ()> {
        let Ok(value) = parse_number(row.cell(column)) else {
            self.report(ProblemKind::NotANumber, row, column, None);
            return Err(());
        };
        let Some(v) = value else { return Ok(None) };
        if v < 0.0 {
            self.report(ProblemKind::Negative, row, column, None);
            return Err(());
        }
        if field == StoreField::Quantity {
            if warehouse.available_type {
                if v != 0.0 && v != 1.0 {
                    self.report(ProblemKind::NotZeroOrOne, row, column, None);
                }
            } else if v.fract() != 0.0 {
                self.report(ProblemKind::FractionalQuantity, row, column, None);
                return Err(());
            }
        }
        Ok(Some(v))
    }

    fn site(row: &Row, mapping: &Mapping) -> Option<String> {
        mapping
            .site_column
            .map(|c| strip_formula_guard(row.cell(c).trim()).to_string())
            .filter(|s| !s.is_empty())
            .or_else(|| mapping.default_site.clone())
    }
}

fn set(stores: &mut Vec<StoreValue>, code: StoreCode, field: StoreField, value: Option<f64>) {
    let index = match stores.iter().position(|s| s.code == code) {
        Some(i) => i,
        None => {
            stores.push(StoreValue {
                code,
                quantity: None,
                purchase_price: None,
            });
            stores.len() - 1
        }
    };
    if let (Some(v), Some(store)) = (value, stores.get_mut(index)) {
        match field {
            StoreField::Quantity => store.quantity = Some(v),
            StoreField::PurchasePrice => store.purchase_price = Some(v),
        }
    }
}

/// Applies `mapping` to `sheet` against the CRM's `warehouses`. Blank cells are "leave unchanged"
/// (`None`), `0` is zero. A row with a blocking problem (see [`ProblemKind::blocks_row`]) is left
/// out of `offers`; a wide column for an unknown warehouse is reported once, on the header, and
/// ignored. Duplicate keys are found per key kind (the same offer named once by `externalId` and
/// once by `id` is not detected).
pub fn validate(sheet: &Sheet, mapping: &Mapping, warehouses: &[Warehouse]) -> Validation {
    let mut checker = Checker {
        problems: Vec::new(),
        rows_skipped: 0,
    };
    let mut codes = Vec::new();
    let offers = match &mapping.layout {
        Layout::Wide { columns } => {
            let mut known: Vec<(&StoreColumn, &Warehouse)> = Vec::new();
            let mut ambiguous = false;
            for c in columns {
                let header_problem = |kind, first_column| Problem {
                    kind,
                    line: sheet.header_line,
                    column: c.column,
                    value: sheet.header.get(c.column).cloned().unwrap_or_default(),
                    first_line: None,
                    first_column,
                };
                match find_warehouse(warehouses, &c.store) {
                    Some(w) => {
                        let twin = known
                            .iter()
                            .find(|(k, kw)| k.field == c.field && kw.code == w.code);
                        if let Some((first, _)) = twin {
                            checker.problems.push(header_problem(
                                ProblemKind::DuplicateWarehouseColumn,
                                Some(first.column),
                            ));
                            ambiguous = true;
                        } else {
                            known.push((c, w));
                        }
                    }
                    None => checker
                        .problems
                        .push(header_problem(ProblemKind::UnknownWarehouse, None)),
                }
            }
            // Warehouses per offer (a quantity and a price column share one), to size each offer's list exactly.
            let mut distinct: Vec<&str> = known.iter().map(|(_, w)| w.code.as_str()).collect();
            crate::order::sort(&mut distinct);
            distinct.dedup();
            let mut seen: HashMap<OfferKey, usize> = HashMap::with_capacity(sheet.rows.len());
            let mut offers = Vec::with_capacity(sheet.rows.len());
            for row in &sheet.rows {
                let key = checker.key(row, mapping);
                let mut ok = key.is_some();
                if let Some(k) = &key {
                    if let Some(&first) = seen.get(k) {
                        let column = mapping.keys.first().map(|k| k.column).unwrap_or(0);
                        checker.report(ProblemKind::DuplicateKey, row, column, Some(first));
                        ok = false;
                    } else {
                        seen.insert(k.clone(), row.line);
                    }
                }
                let mut stores = Vec::with_capacity(distinct.len());
                for (c, w) in &known {
                    match checker.number(row, c.column, c.field, w) {
                        Ok(v) => set(&mut stores, intern(&mut codes, &w.code), c.field, v),
                        Err(()) => ok = false,
                    }
                }
                if let (true, false, Some(key)) = (ok, ambiguous, key) {
                    offers.push(OfferStock {
                        key,
                        site: Checker::site(row, mapping),
                        line: row.line,
                        stores,
                    });
                } else {
                    checker.rows_skipped += 1;
                }
            }
            offers
        }
        Layout::Long {
            store_column,
            quantity_column,
            purchase_price_column,
        } => {
            let mut seen: HashMap<(OfferKey, StoreCode), usize> = HashMap::new();
            let mut index: HashMap<OfferKey, usize> = HashMap::new();
            let mut offers: Vec<OfferStock> = Vec::new();
            for row in &sheet.rows {
                let key = checker.key(row, mapping);
                let mut ok = key.is_some();
                let store_text = strip_formula_guard(row.cell(*store_column).trim());
                let warehouse = if store_text.is_empty() {
                    checker.report(ProblemKind::MissingWarehouse, row, *store_column, None);
                    None
                } else {
                    let w = find_warehouse(warehouses, store_text);
                    if w.is_none() {
                        checker.report(ProblemKind::UnknownWarehouse, row, *store_column, None);
                    }
                    w
                };
                let Some(warehouse) = warehouse else {
                    checker.rows_skipped += 1;
                    continue;
                };
                if let Some(k) = &key {
                    let pair = (k.clone(), intern(&mut codes, &warehouse.code));
                    if let Some(&first) = seen.get(&pair) {
                        let column = mapping.keys.first().map(|k| k.column).unwrap_or(0);
                        checker.report(ProblemKind::DuplicateKey, row, column, Some(first));
                        ok = false;
                    } else {
                        seen.insert(pair, row.line);
                    }
                }
                let mut value = |column: Option<usize>, field| match column {
                    Some(c) => checker.number(row, c, field, warehouse),
                    None => Ok(None),
                };
                let quantity = value(*quantity_column, StoreField::Quantity);
                let price = value(*purchase_price_column, StoreField::PurchasePrice);
                let (Ok(quantity), Ok(purchase_price), true, Some(key)) =
                    (quantity, price, ok, key)
                else {
                    checker.rows_skipped += 1;
                    continue;
                };
                let store = StoreValue {
                    code: intern(&mut codes, &warehouse.code),
                    quantity,
                    purchase_price,
                };
                match index.get(&key).and_then(|&i| offers.get_mut(i)) {
                    Some(offer) => offer.stores.push(store),
                    None => {
                        index.insert(key.clone(), offers.len());
                        offers.push(OfferStock {
                            key,
                            site: Checker::site(row, mapping),
                            line: row.line,
                            stores: vec![store],
                        });
                    }
                }
            }
            offers
        }
    };
    Validation {
        offers,
        rows_skipped: checker.rows_skipped,
        problems: checker.problems,
    }
}

/// The fix for [`ProblemKind::NotZeroOrOne`]: quantities of `available` warehouses become 1 when
/// above 0, else 0. Returns how many values changed.
pub fn clamp_available(offers: &mut [OfferStock], warehouses: &[Warehouse]) -> usize {
    let mut changed = 0;
    for store in offers.iter_mut().flat_map(|o| o.stores.iter_mut()) {
        let available = warehouses
            .iter()
            .any(|w| *w.code == *store.code && w.available_type);
        if let (true, Some(q)) = (available, store.quantity) {
            let clamped = if q > 0.0 { 1.0 } else { 0.0 };
            if clamped != q {
                store.quantity = Some(clamped);
                changed += 1;
            }
        }
    }
    changed
}

/// The rows that have problems, as a CSV file to fix and upload again: the original header and
/// cells, plus a last column `problems` listing `code@header` for each problem of the row.
/// Header-level problems (an unknown warehouse column) belong to no row and are not listed.
pub fn problem_rows_csv(sheet: &Sheet, problems: &[Problem], options: CsvOptions) -> String {
    let mut by_line: HashMap<usize, Vec<&Problem>> = HashMap::new();
    for p in problems {
        by_line.entry(p.line).or_default().push(p);
    }
    let describe = |line: usize| -> String {
        by_line
            .get(&line)
            .map(|ps| {
                ps.iter()
                    .map(|p| {
                        let column = sheet.header.get(p.column).map(String::as_str).unwrap_or("");
                        format!("{}@{}", p.kind.code(), column)
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    let lines: BTreeSet<usize> = by_line.keys().copied().collect();
    let mut w = CsvWriter::new(options);
    let mut header = sheet.header.clone();
    header.push("problems".to_string());
    w.row(&header);
    for row in sheet.rows.iter().filter(|r| lines.contains(&r.line)) {
        let mut cells: Vec<&str> = (0..sheet.header.len()).map(|c| row.cell(c)).collect();
        let described = describe(row.line);
        cells.push(&described);
        w.row(&cells);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::decode::read_text;
    use crate::upload::mapping::suggest_mapping;
    use crate::upload::warehouse::test_warehouses;

    fn run(text: &str) -> (Sheet, Validation) {
        let Ok((sheet, _)) = read_text(text, None) else {
            panic!("not read")
        };
        let ws = test_warehouses();
        let mapping = suggest_mapping(&sheet.header, &ws);
        let v = validate(&sheet, &mapping, &ws);
        (sheet, v)
    }

    fn problems(v: &Validation) -> Vec<(ProblemKind, usize, usize)> {
        v.problems
            .iter()
            .map(|p| (p.kind, p.line, p.column))
            .collect()
    }

    fn sv(code: &str, quantity: Option<f64>, purchase_price: Option<f64>) -> StoreValue {
        StoreValue {
            code: code.into(),
            quantity,
            purchase_price,
        }
    }

    #[test]
    fn wide_layout_blank_leaves_unchanged_and_zero_is_zero() {
        let (_, v) = run("externalId;main;main:purchasePrice;north\nA;5;10,5;\nB;0;;0\n");
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.offers.len(), 2);
        assert_eq!(v.offers[0].key, OfferKey::ExternalId("A".into()));
        assert_eq!(v.offers[0].line, 2);
        assert_eq!(
            v.offers[0].stores,
            vec![sv("main", Some(5.0), Some(10.5)), sv("north", None, None)]
        );
        assert_eq!(
            v.offers[1].stores,
            vec![sv("main", Some(0.0), None), sv("north", Some(0.0), None)]
        );
    }

    #[test]
    fn long_layout_groups_rows_by_offer() {
        let (_, v) = run("id,store,quantity,purchasePrice\n1,main,3,2.5\n2,north,4,\n1,North,7,\n");
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.offers.len(), 2);
        assert_eq!(v.offers[0].key, OfferKey::Id(1));
        assert_eq!(
            v.offers[0].stores,
            vec![
                sv("main", Some(3.0), Some(2.5)),
                sv("north", Some(7.0), None)
            ]
        );
        assert_eq!(v.offers[1].stores, vec![sv("north", Some(4.0), None)]);
    }

    #[test]
    fn every_wide_problem_with_its_row_and_column() {
        let text = "externalId,main,main:purchasePrice,shop,ghost:quantity\n\
                    A,x,,1,\n\
                    B,-1,,0,\n\
                    ,1,,,\n\
                    A,2,,,\n\
                    C,1.5,,,\n\
                    D,1,,3,\n\
                    E,,5,,\n";
        let (sheet, v) = run(text);
        assert_eq!(
            problems(&v),
            vec![
                (ProblemKind::UnknownWarehouse, 1, 4),
                (ProblemKind::NotANumber, 2, 1),
                (ProblemKind::Negative, 3, 1),
                (ProblemKind::MissingKey, 4, 0),
                (ProblemKind::DuplicateKey, 5, 0),
                (ProblemKind::FractionalQuantity, 6, 1),
                (ProblemKind::NotZeroOrOne, 7, 3),
            ]
        );
        assert_eq!(v.problems[4].first_line, Some(2));
        // Fixable problems keep their rows; blocking ones do not. A price with a blank quantity is no problem.
        let kept: Vec<usize> = v.offers.iter().map(|o| o.line).collect();
        assert_eq!(kept, vec![7, 8]);
        assert_eq!(v.rows_skipped, 5, "rows 2-6 are left out");
        assert_eq!(v.offers[1].stores[0], sv("main", None, Some(5.0)));
        assert!(v.has_blocking());
        let groups = v.grouped();
        assert_eq!(groups.len(), 7);
        assert_eq!(groups[0].0, ProblemKind::MissingKey);

        let mut offers = v.offers.clone();
        assert_eq!(clamp_available(&mut offers, &test_warehouses()), 1);
        assert_eq!(offers[0].stores[1], sv("shop", Some(1.0), None));

        let csv = problem_rows_csv(
            &sheet,
            &v.problems,
            CsvOptions {
                bom: false,
                ..CsvOptions::default()
            },
        );
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "externalId,main,main:purchasePrice,shop,ghost:quantity,problems"
        );
        assert_eq!(lines[1], "A,x,,1,,not_a_number@main");
        assert_eq!(lines[2], "B,-1,,0,,negative@main");
        assert_eq!(
            lines.len(),
            2 + 6,
            "six problem rows and the trailing line end"
        );
    }

    #[test]
    fn a_warehouse_named_twice_is_a_problem_naming_both_columns() {
        for header in ["externalId;main;north;main", "externalId;main;Main; MAIN "] {
            let (_, v) = run(&format!("{header}\nA;1;2;3\n"));
            let twins: Vec<(usize, Option<usize>)> = v
                .problems
                .iter()
                .filter(|p| p.kind == ProblemKind::DuplicateWarehouseColumn)
                .map(|p| (p.column, p.first_column))
                .collect();
            assert!(!twins.is_empty(), "{header}: {:?}", v.problems);
            assert!(
                twins.iter().all(|(c, first)| *first == Some(1) && *c > 1),
                "{twins:?}"
            );
            assert!(
                v.offers.is_empty(),
                "nothing is uploaded while it is ambiguous"
            );
            assert!(v.has_blocking());
        }
        // The same warehouse for a quantity and a price is no twin.
        let (_, v) = run("externalId;main;main:purchasePrice\nA;1;2\n");
        assert!(v.problems.is_empty(), "{:?}", v.problems);
    }

    #[test]
    fn every_long_problem_with_its_row_and_column() {
        let text = "xmlId;склад;остаток;закупочная цена\n\
                    a;main;1;\n\
                    a;Основной склад;2;\n\
                    b;;1;\n\
                    c;south;1;\n\
                    d;shop;2;\n\
                    e;north;;3\n\
                    f;north;1,5;\n";
        let (_, v) = run(text);
        assert_eq!(
            problems(&v),
            vec![
                (ProblemKind::DuplicateKey, 3, 0),
                (ProblemKind::MissingWarehouse, 4, 1),
                (ProblemKind::UnknownWarehouse, 5, 1),
                (ProblemKind::NotZeroOrOne, 6, 2),
                (ProblemKind::FractionalQuantity, 8, 2),
            ]
        );
        let keys: Vec<String> = v.offers.iter().map(|o| o.key.value()).collect();
        assert_eq!(keys, vec!["a", "d", "e"]);
        assert_eq!(v.rows_skipped, 4, "rows 3, 4, 5 and 8 are left out");
        assert_eq!(v.offers[2].stores, vec![sv("north", None, Some(3.0))]);
    }

    #[test]
    fn invalid_id_and_key_fallback_order() {
        let (_, v) = run("externalId,id,main\n,12,1\nX,,2\n,1x,3\n");
        assert_eq!(problems(&v), vec![(ProblemKind::InvalidId, 4, 1)]);
        assert_eq!(v.offers[0].key, OfferKey::Id(12));
        assert_eq!(v.offers[1].key, OfferKey::ExternalId("X".into()));
    }

    #[test]
    fn many_rows_parse_and_validate_quickly() {
        let rows = 100_000;
        let mut text = String::from("externalId;main;main:purchasePrice;north;shop\n");
        for i in 0..rows {
            text.push_str(&format!(
                "offer-{i};{};{},5;{};{}\n",
                i % 50,
                i % 7,
                i % 3,
                i % 2
            ));
        }
        let started = std::time::Instant::now();
        let Ok((sheet, _)) = read_text(&text, None) else {
            panic!("not read")
        };
        let parsed = started.elapsed();
        let ws = test_warehouses();
        let v = validate(&sheet, &suggest_mapping(&sheet.header, &ws), &ws);
        let elapsed = started.elapsed();
        println!("parse {rows} rows x 5 cells: {parsed:?}; parse+validate: {elapsed:?}");
        assert!(v.problems.is_empty());
        assert_eq!(v.offers.len(), rows);
    }
}
