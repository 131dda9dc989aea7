//! Checking shipment rows before anything is sent: missing key, unknown warehouse or site, bad date or shipped value, duplicates.

use std::collections::HashMap;

use crate::api::order::{By, OrderEditRequest, OrderShipment};
use crate::api::reference::Store;

use super::row::RawRow;
use super::value::{parse_date, parse_shipped};

/// What is wrong with a row (the UI translates each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    MissingKey,
    /// `by=id` with a key that is not a number.
    BadId(String),
    UnknownWarehouse(String),
    UnknownSite(String),
    BadDate(String),
    BadShipped(String),
    /// Neither shipped, warehouse nor date is given.
    NothingToSet,
    /// The same order is on an earlier line; only that line is sent.
    Duplicate {
        first_line: usize,
    },
}

/// A row that was refused, with every problem it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblems {
    pub row: RawRow,
    pub problems: Vec<Problem>,
}

/// A row ready to send: which order and what to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    pub line: usize,
    pub by: By,
    pub key: String,
    pub site: Option<String>,
    pub order: OrderShipment,
}

impl Shipment {
    /// The edit request for this order.
    pub fn request(&self) -> OrderEditRequest {
        OrderEditRequest {
            id: self.key.clone(),
            by: self.by,
            site: self.site.clone(),
            order: self.order.clone(),
        }
    }
}

/// The outcome of checking: rows to send and rows refused, each in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    pub ready: Vec<Shipment>,
    pub refused: Vec<RowProblems>,
}

/// What rows are checked against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The identifier of keys when the header did not name one.
    pub by: By,
    /// The warehouses of the account (a row may name one by code or by name, any case).
    pub stores: &'a [Store],
    /// The site codes of the account (empty when they could not be read: a row's site is then not checked).
    pub sites: &'a [String],
    /// The site used for rows without one.
    pub default_site: Option<&'a str>,
}

fn store_code(stores: &[Store], written: &str) -> Option<String> {
    stores
        .iter()
        .find(|s| s.code == written)
        .or_else(|| {
            stores.iter().find(|s| {
                s.code.to_lowercase() == written.to_lowercase()
                    || s.name.trim().to_lowercase() == written.to_lowercase()
            })
        })
        .map(|s| s.code.clone())
}

/// Checks every row; see [`Problem`].
pub fn check(rows: &[RawRow], ctx: Context<'_>) -> Checked {
    let mut checked = Checked::default();
    let mut seen: HashMap<(String, Option<String>), usize> = HashMap::new();
    for row in rows {
        let mut problems = Vec::new();
        let key = row.key.trim().to_string();
        if key.is_empty() {
            problems.push(Problem::MissingKey);
        } else if ctx.by == By::Id && !key.bytes().all(|b| b.is_ascii_digit()) {
            problems.push(Problem::BadId(key.clone()));
        }
        let site = match row.site.trim() {
            "" => ctx.default_site.map(str::to_string),
            s if ctx.sites.is_empty() || ctx.sites.iter().any(|c| c == s) => Some(s.to_string()),
            s => {
                problems.push(Problem::UnknownSite(s.to_string()));
                None
            }
        };
        let warehouse = match row.warehouse.trim() {
            "" => None,
            w => {
                let code = store_code(ctx.stores, w);
                if code.is_none() {
                    problems.push(Problem::UnknownWarehouse(w.to_string()));
                }
                code
            }
        };
        let date = parse_date(&row.date).unwrap_or_else(|_| {
            problems.push(Problem::BadDate(row.date.trim().to_string()));
            None
        });
        let shipped = parse_shipped(&row.shipped).unwrap_or_else(|_| {
            problems.push(Problem::BadShipped(row.shipped.trim().to_string()));
            None
        });
        if problems.is_empty() && warehouse.is_none() && date.is_none() && shipped.is_none() {
            problems.push(Problem::NothingToSet);
        }
        if !key.is_empty() {
            let first = *seen.entry((key.clone(), site.clone())).or_insert(row.line);
            if first != row.line {
                problems.push(Problem::Duplicate { first_line: first });
            }
        }
        if problems.is_empty() {
            checked.ready.push(Shipment {
                line: row.line,
                by: ctx.by,
                key,
                site,
                order: OrderShipment {
                    shipped,
                    shipment_store: warehouse,
                    shipment_date: date,
                },
            });
        } else {
            checked.refused.push(RowProblems {
                row: row.clone(),
                problems,
            });
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(code: &str, name: &str) -> Store {
        Store {
            code: code.into(),
            name: name.into(),
            ..Store::default()
        }
    }

    fn row(line: usize, key: &str, warehouse: &str, date: &str, shipped: &str) -> RawRow {
        RawRow {
            line,
            key: key.into(),
            warehouse: warehouse.into(),
            date: date.into(),
            shipped: shipped.into(),
            ..RawRow::default()
        }
    }

    #[test]
    fn good_rows_become_requests_and_bad_rows_say_why() {
        let stores = [store("main", "Main warehouse"), store("north", "Север")];
        let sites = ["shop-a".to_string(), "shop-b".to_string()];
        let ctx = Context {
            by: By::ExternalId,
            stores: &stores,
            sites: &sites,
            default_site: Some("shop-a"),
        };
        let mut other_site = row(9, "o-1", "main", "", "");
        other_site.site = "shop-b".into();
        let mut bad_site = row(10, "o-9", "main", "", "");
        bad_site.site = "shop-z".into();
        let rows = [
            row(2, "o-1", "main", "01.02.2024", "да"),
            row(3, "o-2", "север", "", "0"),
            row(4, "", "main", "", "1"),
            row(5, "o-3", "south", "2024-13-01", "maybe"),
            row(6, "o-1", "main", "", "1"),
            row(7, "o-4", "", "", ""),
            row(8, "o-5", "MAIN", "", "false"),
            other_site,
            bad_site,
        ];
        let checked = check(&rows, ctx);
        let lines: Vec<usize> = checked.ready.iter().map(|s| s.line).collect();
        assert_eq!(lines, [2, 3, 8, 9]);
        assert_eq!(
            checked.ready[0].request(),
            OrderEditRequest {
                id: "o-1".into(),
                by: By::ExternalId,
                site: Some("shop-a".into()),
                order: OrderShipment {
                    shipped: Some(true),
                    shipment_store: Some("main".into()),
                    shipment_date: Some("2024-02-01".into()),
                },
            }
        );
        assert_eq!(
            checked.ready[1].order.shipment_store.as_deref(),
            Some("north")
        );
        assert_eq!(checked.ready[1].order.shipped, Some(false));
        assert_eq!(
            checked.ready[2].order.shipment_store.as_deref(),
            Some("main")
        );
        assert_eq!(checked.ready[3].site.as_deref(), Some("shop-b"));
        let problems: Vec<(usize, Vec<Problem>)> = checked
            .refused
            .iter()
            .map(|r| (r.row.line, r.problems.clone()))
            .collect();
        assert_eq!(
            problems,
            vec![
                (4, vec![Problem::MissingKey]),
                (
                    5,
                    vec![
                        Problem::UnknownWarehouse("south".into()),
                        Problem::BadDate("2024-13-01".into()),
                        Problem::BadShipped("maybe".into()),
                    ]
                ),
                (6, vec![Problem::Duplicate { first_line: 2 }]),
                (7, vec![Problem::NothingToSet]),
                (10, vec![Problem::UnknownSite("shop-z".into())]),
            ]
        );
    }

    #[test]
    fn ids_must_be_numbers_and_sites_unchecked_when_unknown() {
        let stores = [store("main", "Main")];
        let ctx = Context {
            by: By::Id,
            stores: &stores,
            sites: &[],
            default_site: None,
        };
        let mut with_site = row(3, "8", "main", "", "");
        with_site.site = "any".into();
        let checked = check(&[row(2, "7a", "main", "", ""), with_site], ctx);
        assert_eq!(
            checked.refused[0].problems,
            vec![Problem::BadId("7a".into())]
        );
        assert_eq!(checked.ready[0].site.as_deref(), Some("any"));
        assert_eq!(checked.ready[0].by, By::Id);
    }
}
