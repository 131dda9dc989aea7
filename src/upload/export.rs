//! The import format written back: the dry run's "before" file (uploading it undoes an upload).

use super::offer::{CurrentOffer, KeyKind};
use crate::sheet::csv::{CsvOptions, CsvWriter};

/// Offers in the import format: one row per offer, `externalId,xmlId,id,site,<code>:quantity,<code>:purchasePrice,...`
/// for `store_codes`; `missing_quantity` (blank when `None`) for a warehouse the offer has no record in, and a missing
/// purchase price blank ("leave unchanged" when imported).
pub(super) fn write_inventories(
    offers: &[CurrentOffer],
    store_codes: &[String],
    options: CsvOptions,
    missing_quantity: Option<f64>,
) -> String {
    let mut w = CsvWriter::new(options);
    let mut header: Vec<String> = KeyKind::ALL
        .iter()
        .map(|k| k.wire_name().to_string())
        .collect();
    header.push("site".to_string());
    for code in store_codes {
        header.push(format!("{code}:quantity"));
        header.push(format!("{code}:purchasePrice"));
    }
    w.row(&header);
    for offer in offers {
        let mut cells = vec![
            offer.external_id.clone().unwrap_or_default(),
            offer.xml_id.clone().unwrap_or_default(),
            offer.id.to_string(),
            offer.site.clone().unwrap_or_default(),
        ];
        for code in store_codes {
            let store = offer.store(code);
            cells.push(w.optional_number(store.map(|s| s.quantity).or(missing_quantity)));
            cells.push(w.optional_number(store.and_then(|s| s.purchase_price)));
        }
        w.row(&cells);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::decode::Delimiter;
    use crate::upload::offer::CurrentStore;

    #[test]
    fn inventories_format() {
        let offers = vec![CurrentOffer {
            id: 7,
            external_id: Some("A-1".into()),
            xml_id: None,
            site: Some("shop-1".into()),
            stores: vec![CurrentStore {
                code: "main".into(),
                quantity: 5.0,
                purchase_price: Some(10.5),
            }],
        }];
        let csv = write_inventories(
            &offers,
            &["main".to_string(), "north".to_string()],
            CsvOptions {
                bom: false,
                ..CsvOptions::default()
            },
            Some(0.0),
        );
        assert_eq!(
            csv,
            "externalId,xmlId,id,site,main:quantity,main:purchasePrice,north:quantity,north:purchasePrice\r\n\
             A-1,,7,shop-1,5,10.5,0,\r\n"
        );
    }

    #[test]
    fn export_imports_as_is_with_the_suggested_mapping() {
        use crate::sheet::decode::read_file;
        use crate::upload::mapping::suggest_mapping;
        use crate::upload::offer::{OfferKey, StoreValue};
        use crate::upload::validate::validate;
        use crate::upload::warehouse::test_warehouses;

        let offers = vec![
            CurrentOffer {
                id: 1,
                external_id: Some("=HYPERLINK(\"x\")".into()),
                xml_id: Some("x-1".into()),
                site: Some("shop-1".into()),
                stores: vec![
                    CurrentStore {
                        code: "main".into(),
                        quantity: 1234.0,
                        purchase_price: Some(10.25),
                    },
                    CurrentStore {
                        code: "shop".into(),
                        quantity: 1.0,
                        purchase_price: None,
                    },
                ],
            },
            CurrentOffer {
                id: 2,
                external_id: None,
                xml_id: None,
                site: Some("shop-1".into()),
                stores: vec![],
            },
        ];
        let codes = ["main".to_string(), "north".to_string(), "shop".to_string()];
        for options in [
            CsvOptions::default(),
            CsvOptions {
                delimiter: Delimiter::Semicolon,
                bom: true,
                decimal_comma: true,
            },
            CsvOptions {
                delimiter: Delimiter::Tab,
                bom: false,
                decimal_comma: false,
            },
        ] {
            let csv = write_inventories(&offers, &codes, options, Some(0.0));
            let Ok(file) = read_file(csv.as_bytes(), None) else {
                panic!("not read")
            };
            assert_eq!(file.delimiter, options.delimiter);
            let ws = test_warehouses();
            let mapping = suggest_mapping(&file.sheet.header, &ws);
            let v = validate(&file.sheet, &mapping, &ws);
            assert!(v.problems.is_empty(), "{:?}", v.problems);
            assert_eq!(v.offers.len(), 2);
            assert_eq!(
                v.offers[0].key,
                OfferKey::ExternalId("=HYPERLINK(\"x\")".into())
            );
            assert_eq!(v.offers[0].site.as_deref(), Some("shop-1"));
            let value = |code: &str, quantity: f64, purchase_price: Option<f64>| StoreValue {
                code: code.into(),
                quantity: Some(quantity),
                purchase_price,
            };
            assert_eq!(
                v.offers[0].stores,
                vec![
                    value("main", 1234.0, Some(10.25)),
                    value("north", 0.0, None),
                    value("shop", 1.0, None)
                ]
            );
            assert_eq!(v.offers[1].key, OfferKey::Id(2), "falls back to id");
        }
    }
}
