//! Column mapping: which columns hold the offer key, the site and the stock per warehouse, and a guess from the header.

use serde::{Deserialize, Serialize};

use super::offer::KeyKind;
use super::warehouse::{find_warehouse, Warehouse};

/// What a warehouse column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StoreField {
    Quantity,
    PurchasePrice,
}

/// A key column: the first non-blank key column of a row (in the mapping's order) names the offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyColumn {
    pub kind: KeyKind,
    pub column: usize,
}

/// A column of the wide layout: one field of one warehouse (`store` is the code as mapped; an
/// unknown code is reported by validation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreColumn {
    pub column: usize,
    pub store: String,
    pub field: StoreField,
}

/// How rows carry the stock (stored as [`LayoutWire`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LayoutWire", into = "LayoutWire")]
pub enum Layout {
    /// One row per offer, columns per warehouse and field.
    Wide { columns: Vec<StoreColumn> },
    /// One row per offer and warehouse; the warehouse cell holds a code or a name.
    Long {
        store_column: usize,
        quantity_column: Option<usize>,
        purchase_price_column: Option<usize>,
    },
}

/// A [`Layout`] as remembered: its kind in `layout` beside its fields, `{"layout":"long","storeColumn":2,…}`. A plain
/// struct rather than serde's internally tagged enum (it reads the same text), whose decoder buffers every value
/// first and so compiles a second deserializer into the wasm.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LayoutWire {
    layout: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    columns: Option<Vec<StoreColumn>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    store_column: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quantity_column: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    purchase_price_column: Option<usize>,
}

impl TryFrom<LayoutWire> for Layout {
    type Error = &'static str;

    fn try_from(w: LayoutWire) -> Result<Self, Self::Error> {
        match (w.layout.as_str(), w.columns, w.store_column) {
            ("wide", Some(columns), _) => Ok(Layout::Wide { columns }),
            ("long", _, Some(store_column)) => Ok(Layout::Long {
                store_column,
                quantity_column: w.quantity_column,
                purchase_price_column: w.purchase_price_column,
            }),
            _ => Err("a layout of an unknown kind or without its columns"),
        }
    }
}

impl From<Layout> for LayoutWire {
    fn from(layout: Layout) -> Self {
        match layout {
            Layout::Wide { columns } => LayoutWire {
                layout: "wide".to_owned(),
                columns: Some(columns),
                store_column: None,
                quantity_column: None,
                purchase_price_column: None,
            },
            Layout::Long {
                store_column,
                quantity_column,
                purchase_price_column,
            } => LayoutWire {
                layout: "long".to_owned(),
                columns: None,
                store_column: Some(store_column),
                quantity_column,
                purchase_price_column,
            },
        }
    }
}

/// The user's column mapping; serialisable so the UI can remember it (see [`Mapping::fits`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mapping {
    /// The header this mapping was made for.
    pub header: Vec<String>,
    /// Key columns in priority order (the user picks; empty means every row lacks a key).
    pub keys: Vec<KeyColumn>,
    pub site_column: Option<usize>,
    /// The site for rows without a site cell (chosen by the user when the key covers several).
    pub default_site: Option<String>,
    pub layout: Layout,
}

impl Mapping {
    /// Whether a remembered mapping applies to a file with this header.
    pub fn fits(&self, header: &[String]) -> bool {
        self.header.len() == header.len()
            && self
                .header
                .iter()
                .zip(header)
                .all(|(a, b)| normalise(a) == normalise(b))
    }
}

/// How many columns the wide layout's mapping lists at once: a file of a thousand columns stays a short form.
pub const LISTED_COLUMNS: usize = 30;

/// The columns the wide layout's mapping lists, in file order, and how many matching ones it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedColumns {
    pub columns: Vec<usize>,
    pub left_out: usize,
}

impl Mapping {
    /// The value columns (not a key or the site) whose header contains `find` (compared as [`normalise`]d; blank
    /// finds all), at most `limit` of them: mapped columns first, then the others in file order.
    pub fn listed_columns(&self, find: &str, limit: usize) -> ListedColumns {
        let find = normalise(find);
        let mapped = |i: usize| match &self.layout {
            Layout::Wide { columns } => columns.iter().any(|c| c.column == i),
            Layout::Long { .. } => false,
        };
        let matching: Vec<usize> = (0..self.header.len())
            .filter(|&i| !self.keys.iter().any(|k| k.column == i) && self.site_column != Some(i))
            .filter(|&i| find.is_empty() || normalise(&self.header[i]).contains(&find))
            .collect();
        let (first, rest): (Vec<usize>, Vec<usize>) = matching.iter().partition(|&&i| mapped(i));
        let mut columns: Vec<usize> = first.into_iter().chain(rest).take(limit).collect();
        crate::order::sort(&mut columns);
        ListedColumns {
            left_out: matching.len() - columns.len(),
            columns,
        }
    }
}

const EXTERNAL_ID_WORDS: &[&str] = &[
    "externalid",
    "external id",
    "offer externalid",
    "внешний код",
    "внешний id",
    "внешний идентификатор",
];
const XML_ID_WORDS: &[&str] = &["xmlid", "xml id", "xml-id", "offer xmlid"];
const ID_WORDS: &[&str] = &[
    "id",
    "crm id",
    "offer id",
    "offerid",
    "id в crm",
    "id предложения",
];
/// Weaker: product codes that usually equal the offer's externalId (used only without an explicit key column).
const ARTICLE_WORDS: &[&str] = &["артикул", "sku", "article", "vendor code"];
const SITE_WORDS: &[&str] = &["site", "сайт", "магазин", "shop"];
const STORE_WORDS: &[&str] = &[
    "store",
    "warehouse",
    "склад",
    "store code",
    "storecode",
    "warehouse code",
    "код склада",
];
const QUANTITY_WORDS: &[&str] = &[
    "quantity",
    "qty",
    "available",
    "stock",
    "leftover",
    "остаток",
    "остатки",
    "количество",
    "кол-во",
    "наличие",
];
const PRICE_WORDS: &[&str] = &[
    "purchaseprice",
    "purchase price",
    "закупочная цена",
    "цена закупки",
    "закупка",
    "себестоимость",
];

/// A header cell as mappings compare it: lower case, `_` as space, runs of whitespace as one space, trimmed.
pub fn normalise(s: &str) -> String {
    s.to_lowercase()
        .replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_one_of(h: &str, words: &[&str]) -> bool {
    words.contains(&h)
}

fn field_word(s: &str) -> Option<StoreField> {
    let s = s
        .trim_matches(|c: char| c.is_whitespace() || "():/-[]".contains(c))
        .trim();
    if is_one_of(s, QUANTITY_WORDS) {
        Some(StoreField::Quantity)
    } else if is_one_of(s, PRICE_WORDS) {
        Some(StoreField::PurchasePrice)
    } else {
        None
    }
}

/// A wide-layout column: `code:quantity` / `code:purchasePrice` (any code, known or not), or a
/// warehouse code or name alone (quantity), followed or preceded by a field word
/// (`main purchasePrice`, `Остаток Основной склад`).
fn wide_column(
    header: &str,
    tokens: &[(String, &Warehouse)],
    warehouses: &[Warehouse],
) -> Option<(String, StoreField)> {
    let h = normalise(header);
    if let Some((store, field)) = h.rsplit_once(':') {
        if let Some(field) = field_word(field) {
            let raw = header
                .rsplit_once(':')
                .map(|(s, _)| s.trim())
                .unwrap_or_default();
            let code = find_warehouse(warehouses, store)
                .map(|w| w.code.clone())
                .unwrap_or_else(|| raw.to_string());
            return Some((code, field));
        }
    }
    for (token, warehouse) in tokens {
        if h == *token {
            return Some((warehouse.code.clone(), StoreField::Quantity));
        }
        let after = h
            .strip_prefix(token.as_str())
            .filter(|rest| rest.starts_with([' ', '(', '-', '/']));
        let before = h
            .strip_suffix(token.as_str())
            .filter(|rest| rest.ends_with([' ', '(', '-', '/']));
        if let Some(field) = after.or(before).and_then(field_word) {
            return Some((warehouse.code.clone(), field));
        }
    }
    None
}

/// Guesses the layout, the key columns, the site column and the warehouse columns from the header
/// and the warehouses' codes and names (case-insensitive; English and Russian header words).
/// The Stock screen's CSV export maps completely.
pub fn suggest_mapping(header: &[String], warehouses: &[Warehouse]) -> Mapping {
    let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let find = |words: &[&str]| names.iter().position(|h| is_one_of(h, words));
    let mut keys: Vec<KeyColumn> = [
        (KeyKind::ExternalId, EXTERNAL_ID_WORDS),
        (KeyKind::XmlId, XML_ID_WORDS),
        (KeyKind::Id, ID_WORDS),
    ]
    .into_iter()
    .filter_map(|(kind, words)| find(words).map(|column| KeyColumn { kind, column }))
    .collect();
    if keys.is_empty() {
        if let Some(column) = find(ARTICLE_WORDS) {
            keys.push(KeyColumn {
                kind: KeyKind::ExternalId,
                column,
            });
        }
    }
    // A warehouse named like a site word (say `shop`) is a warehouse.
    let site_column =
        find(SITE_WORDS).filter(|&c| find_warehouse(warehouses, &header[c]).is_none());
    let taken = |c: usize| keys.iter().any(|k| k.column == c) || site_column == Some(c);

    let store_column = find(STORE_WORDS).filter(|c| !taken(*c));
    let quantity_column = find(QUANTITY_WORDS).filter(|c| !taken(*c));
    let purchase_price_column = find(PRICE_WORDS).filter(|c| !taken(*c));
    let layout = match store_column {
        Some(store_column) if quantity_column.is_some() || purchase_price_column.is_some() => {
            Layout::Long {
                store_column,
                quantity_column,
                purchase_price_column,
            }
        }
        _ => {
            // Longest tokens first, so `main2` is not read as `main` + "2".
            let mut tokens: Vec<(String, &Warehouse)> = warehouses
                .iter()
                .flat_map(|w| [(normalise(&w.code), w), (normalise(&w.name), w)])
                .filter(|(t, _)| !t.is_empty())
                .collect();
            crate::order::sort_by_key(&mut tokens, |(t, _)| std::cmp::Reverse(t.chars().count()));
            let columns = header
                .iter()
                .enumerate()
                .filter(|(c, _)| !taken(*c))
                .filter_map(|(column, h)| {
                    wide_column(h, &tokens, warehouses).map(|(store, field)| StoreColumn {
                        column,
                        store,
                        field,
                    })
                })
                .collect();
            Layout::Wide { columns }
        }
    };
    Mapping {
        header: header.to_vec(),
        keys,
        site_column,
        default_site: None,
        layout,
    }
}

/// Every reading the header's words allow, column by column: what [`suggest_mapping`] chooses from when several
/// columns fit one role (it takes the first). A caller that must not guess (the scheduled sync) refuses then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderCandidates {
    /// Columns named like a key (`externalId`, `xmlId`, `id` words), with the kind.
    pub keys: Vec<KeyColumn>,
    /// Columns named like a product code (`Артикул`, `sku`): the key only when no column is named like one.
    pub articles: Vec<usize>,
    pub sites: Vec<usize>,
    /// Long layout: the columns named like a warehouse, a quantity or a purchase price.
    pub store_columns: Vec<usize>,
    pub quantity_columns: Vec<usize>,
    pub price_columns: Vec<usize>,
    /// Wide layout: the columns that name a warehouse, each with every code it could stand for (each warehouse
    /// tried alone, by its code and its name), in the warehouses' order.
    pub warehouses: Vec<(usize, Vec<String>)>,
}

/// The candidates of every role in `header` (see [`HeaderCandidates`]).
pub fn header_candidates(header: &[String], warehouses: &[Warehouse]) -> HeaderCandidates {
    let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let all = |words: &[&str]| -> Vec<usize> {
        (0..names.len())
            .filter(|&c| is_one_of(&names[c], words))
            .collect()
    };
    let keys = names
        .iter()
        .enumerate()
        .filter_map(|(column, h)| {
            [
                (KeyKind::ExternalId, EXTERNAL_ID_WORDS),
                (KeyKind::XmlId, XML_ID_WORDS),
                (KeyKind::Id, ID_WORDS),
            ]
            .into_iter()
            .find(|(_, words)| is_one_of(h, words))
            .map(|(kind, _)| KeyColumn { kind, column })
        })
        .collect();
    let per_warehouse: Vec<Vec<(String, &Warehouse)>> = warehouses
        .iter()
        .map(|w| {
            let mut tokens: Vec<(String, &Warehouse)> = [normalise(&w.code), normalise(&w.name)]
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(|t| (t, w))
                .collect();
            crate::order::sort_by_key(&mut tokens, |(t, _)| std::cmp::Reverse(t.chars().count()));
            tokens
        })
        .collect();
    let warehouse_columns = header
        .iter()
        .enumerate()
        .filter_map(|(column, h)| {
            let mut codes: Vec<String> = Vec::new();
            for tokens in &per_warehouse {
                if let Some((code, _)) = wide_column(h, tokens, warehouses) {
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
            }
            (!codes.is_empty()).then_some((column, codes))
        })
        .collect();
    HeaderCandidates {
        keys,
        articles: all(ARTICLE_WORDS),
        sites: all(SITE_WORDS)
            .into_iter()
            .filter(|&c| find_warehouse(warehouses, &header[c]).is_none())
            .collect(),
        store_columns: all(STORE_WORDS),
        quantity_columns: all(QUANTITY_WORDS),
        price_columns: all(PRICE_WORDS),
        warehouses: warehouse_columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::warehouse::test_warehouses;

    fn wide_mapping(header: &[&str], keys: &[usize], mapped: &[usize]) -> Mapping {
        Mapping {
            header: header.iter().map(|h| h.to_string()).collect(),
            keys: keys
                .iter()
                .map(|&column| KeyColumn {
                    kind: KeyKind::ExternalId,
                    column,
                })
                .collect(),
            site_column: None,
            default_site: None,
            layout: Layout::Wide {
                columns: mapped
                    .iter()
                    .map(|&column| StoreColumn {
                        column,
                        store: "main".into(),
                        field: StoreField::Quantity,
                    })
                    .collect(),
            },
        }
    }

    #[test]
    fn a_wide_file_lists_its_mapped_columns_first_and_counts_the_rest() {
        let header: Vec<String> = (0..1000).map(|i| format!("col {i}")).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let m = wide_mapping(&header, &[0], &[500, 999]);
        let listed = m.listed_columns("", 30);
        assert_eq!(listed.columns.len(), 30);
        assert_eq!(
            listed.left_out,
            999 - 30,
            "every value column is listed or counted"
        );
        assert!(listed.columns.contains(&500) && listed.columns.contains(&999));
        assert!(
            !listed.columns.contains(&0),
            "the key column is not a value column"
        );
        assert_eq!(
            &listed.columns[..3],
            &[1, 2, 3],
            "then the others in file order"
        );
        assert!(listed.columns.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn finding_a_column_by_its_header_searches_the_whole_file() {
        let header: Vec<String> = (0..1000).map(|i| format!("Col_{i}")).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let m = wide_mapping(&header, &[0], &[]);
        assert_eq!(m.listed_columns("col 777", 30).columns, vec![777]);
        let tens = m.listed_columns("COL 99", 30);
        assert_eq!(
            tens.columns,
            vec![99, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999]
        );
        assert_eq!(tens.left_out, 0);
        assert_eq!(
            m.listed_columns("no such", 30),
            ListedColumns {
                columns: vec![],
                left_out: 0
            }
        );
    }

    #[test]
    fn a_narrow_file_lists_every_value_column() {
        let m = wide_mapping(&["externalId", "site", "main", "north"], &[0], &[2]);
        let m = Mapping {
            site_column: Some(1),
            ..m
        };
        assert_eq!(
            m.listed_columns("", LISTED_COLUMNS),
            ListedColumns {
                columns: vec![2, 3],
                left_out: 0
            }
        );
    }

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    fn wide(m: &Mapping) -> Vec<(usize, &str, StoreField)> {
        match &m.layout {
            Layout::Wide { columns } => columns
                .iter()
                .map(|c| (c.column, c.store.as_str(), c.field))
                .collect(),
            Layout::Long { .. } => panic!("expected wide"),
        }
    }

    #[test]
    fn export_header_maps_completely() {
        let h = header(&[
            "externalId",
            "xmlId",
            "id",
            "site",
            "main:quantity",
            "main:purchasePrice",
            "ghost:quantity",
        ]);
        let m = suggest_mapping(&h, &test_warehouses());
        assert_eq!(
            m.keys,
            vec![
                KeyColumn {
                    kind: KeyKind::ExternalId,
                    column: 0
                },
                KeyColumn {
                    kind: KeyKind::XmlId,
                    column: 1
                },
                KeyColumn {
                    kind: KeyKind::Id,
                    column: 2
                },
            ]
        );
        assert_eq!(m.site_column, Some(3));
        assert_eq!(
            wide(&m),
            vec![
                (4, "main", StoreField::Quantity),
                (5, "main", StoreField::PurchasePrice),
                (6, "ghost", StoreField::Quantity),
            ]
        );
        assert!(m.fits(&h));
        assert!(!m.fits(&h[..3]));
    }

    #[test]
    fn wide_by_codes_names_and_russian_words() {
        let h = header(&[
            "Артикул",
            "MAIN",
            "main purchase_price",
            "Остаток North",
            "Shop floor (закупочная цена)",
            "comment",
        ]);
        let m = suggest_mapping(&h, &test_warehouses());
        assert_eq!(
            m.keys,
            vec![KeyColumn {
                kind: KeyKind::ExternalId,
                column: 0
            }]
        );
        assert_eq!(
            wide(&m),
            vec![
                (1, "main", StoreField::Quantity),
                (2, "main", StoreField::PurchasePrice),
                (3, "north", StoreField::Quantity),
                (4, "shop", StoreField::PurchasePrice),
            ]
        );
        let by_name = suggest_mapping(&header(&["xmlId", "Основной склад"]), &test_warehouses());
        assert_eq!(by_name.keys[0].kind, KeyKind::XmlId);
        assert_eq!(wide(&by_name), vec![(1, "main", StoreField::Quantity)]);
    }

    #[test]
    fn long_layout_from_warehouse_and_quantity_columns() {
        let h = header(&["Внешний код", "Склад", "Количество", "Закупочная цена"]);
        let m = suggest_mapping(&h, &test_warehouses());
        assert_eq!(
            m.keys,
            vec![KeyColumn {
                kind: KeyKind::ExternalId,
                column: 0
            }]
        );
        assert_eq!(
            m.layout,
            Layout::Long {
                store_column: 1,
                quantity_column: Some(2),
                purchase_price_column: Some(3)
            }
        );
    }

    #[test]
    fn mapping_round_trips_through_json() {
        let m = suggest_mapping(&header(&["id", "store", "quantity"]), &test_warehouses());
        let json = serde_json::to_string(&m).unwrap_or_default();
        let back: Option<Mapping> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(m));
    }

    #[test]
    fn layouts_remembered_before_read_back() {
        let wide =
            r#"{"layout":"wide","columns":[{"column":1,"store":"main","field":"purchasePrice"}]}"#;
        let long =
            r#"{"layout":"long","storeColumn":2,"quantityColumn":3,"purchasePriceColumn":null}"#;
        let wide_layout = Layout::Wide {
            columns: vec![StoreColumn {
                column: 1,
                store: "main".into(),
                field: StoreField::PurchasePrice,
            }],
        };
        let long_layout = Layout::Long {
            store_column: 2,
            quantity_column: Some(3),
            purchase_price_column: None,
        };
        let read = |text: &str| crate::api::lenient::from_text::<Layout>(text).ok();
        assert_eq!(read(wide), Some(wide_layout.clone()));
        assert_eq!(read(long), Some(long_layout.clone()));
        for layout in [wide_layout, long_layout] {
            let text = serde_json::to_string(&layout).unwrap_or_default();
            assert_eq!(read(&text), Some(layout));
        }
        assert_eq!(read(r#"{"layout":"tall","storeColumn":2}"#), None);
        assert_eq!(read(r#"{"layout":"long"}"#), None);
    }

    #[test]
    fn candidates_list_every_reading_of_the_header() {
        let mut warehouses = test_warehouses();
        // A warehouse named like another one's code.
        warehouses.push(Warehouse {
            code: "n2".into(),
            name: "north".into(),
            available_type: false,
        });
        let h = header(&[
            "externalId",
            "Внешний код",
            "id",
            "Артикул",
            "site",
            "shop",
            "North",
            "main:quantity",
            "Основной склад закупочная цена",
            "comment",
        ]);
        let c = header_candidates(&h, &warehouses);
        let keys: Vec<(usize, KeyKind)> = c.keys.iter().map(|k| (k.column, k.kind)).collect();
        assert_eq!(
            keys,
            vec![
                (0, KeyKind::ExternalId),
                (1, KeyKind::ExternalId),
                (2, KeyKind::Id)
            ]
        );
        assert_eq!(c.articles, vec![3]);
        assert_eq!(c.sites, vec![4], "`shop` is a warehouse here");
        assert_eq!(
            c.warehouses,
            vec![
                (5, vec!["shop".to_string()]),
                (6, vec!["north".to_string(), "n2".to_string()]),
                (7, vec!["main".to_string()]),
                (8, vec!["main".to_string()]),
            ]
        );
        let long = header_candidates(
            &header(&["xmlId", "Склад", "store", "Количество", "qty", "закупка"]),
            &warehouses,
        );
        assert_eq!(
            (
                long.store_columns,
                long.quantity_columns,
                long.price_columns
            ),
            (vec![1, 2], vec![3, 4], vec![5])
        );
        assert_eq!(normalise("  Main_Stock \t Qty "), "main stock qty");
    }
}
