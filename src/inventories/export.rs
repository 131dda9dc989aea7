//! The leftovers CSV: the columns the upload screen reads (keys, site, quantity and purchase price per warehouse),
//! then the offer's own purchase price.

use super::table::{OfferRow, WarehouseColumn};
use crate::sheet::csv::{CsvOptions, CsvWriter};
use crate::upload::offer::KeyKind;

/// The last column: the offer's own purchase price (an answer without `stores[]` has no other). It names no
/// warehouse, so the upload screen leaves it out.
pub const OFFER_PRICE_COLUMN: &str = "purchasePrice";

/// `rows` with the warehouse columns `shown` (each with its position in the rows' stock):
/// `externalId,xmlId,id,site,<code>:quantity,<code>:purchasePrice,...,purchasePrice`. A warehouse the offer has no
/// record in is written as quantity 0 (what the CRM means by it); when the answer had no breakdown per warehouse,
/// the quantities are left blank (unknown: "leave unchanged" when uploaded back), and so is a missing price.
pub fn leftovers_csv(
    rows: &[OfferRow],
    shown: &[(usize, WarehouseColumn)],
    options: CsvOptions,
) -> String {
    let mut w = CsvWriter::new(options);
    let header = KeyKind::ALL
        .iter()
        .map(|k| k.wire_name().to_string())
        .chain(["site".to_string()])
        .chain(shown.iter().flat_map(|(_, c)| {
            [
                format!("{}:quantity", c.code),
                format!("{}:purchasePrice", c.code),
            ]
        }))
        .chain([OFFER_PRICE_COLUMN.to_string()]);
    w.row(header);
    for row in rows {
        let missing = row.per_warehouse.then_some(0.0);
        let stock = shown.iter().flat_map(|&(i, _)| {
            [
                w.optional_number(row.quantity(i).or(missing)),
                w.optional_number(row.store_purchase_price(i)),
            ]
        });
        let cells: Vec<String> = [
            row.external_id.clone().unwrap_or_default(),
            row.xml_id.clone().unwrap_or_default(),
            row.id.to_string(),
            row.site.clone().unwrap_or_default(),
        ]
        .into_iter()
        .chain(stock)
        .chain([w.optional_number(row.purchase_price)])
        .collect();
        w.row(cells);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::envelope::decode;
    use crate::api::inventory::InventoriesResponse;
    use crate::api::HttpResponse;
    use crate::inventories::table::rows_from_offers;

    fn columns() -> Vec<(usize, WarehouseColumn)> {
        ["main", "north", "pickup"]
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    i,
                    WarehouseColumn {
                        code: c.to_string(),
                        name: c.to_uppercase(),
                        available_type: false,
                    },
                )
            })
            .collect()
    }

    fn rows(body: &str) -> Vec<OfferRow> {
        let answer: InventoriesResponse = decode(&HttpResponse::json(200, body)).unwrap();
        let all: Vec<WarehouseColumn> = columns().into_iter().map(|(_, c)| c).collect();
        rows_from_offers(&answer.offers, &all)
    }

    fn csv(rows: &[OfferRow], shown: &[(usize, WarehouseColumn)]) -> String {
        leftovers_csv(
            rows,
            shown,
            CsvOptions {
                bom: false,
                ..CsvOptions::default()
            },
        )
    }

    /// api-client-php `StoreTest::testInventories` (abridged): no `stores[]`, the price on the offer.
    const PHP_FIXTURE: &str = r#"{"success":true,"pagination":{"limit":20,"totalCount":29,"currentPage":1,"totalPageCount":2},
      "offers":[{"id":1818323,"externalId":"1","xmlId":"1","site":"aliexpress","purchasePrice":100000,"quantity":100000},
                {"id":67459,"externalId":"02nwfIWEgNXZnA6mODvJt0","xmlId":"02nwfIWEgNXZnA6mODvJt0","site":"moysklad","quantity":0},
                {"id":66747,"externalId":"-SiN3js4iac5MUlTH31OM2","xmlId":"-SiN3js4iac5MUlTH31OM2","site":"moysklad","purchasePrice":1000,"quantity":0}]}"#;

    #[test]
    fn an_answer_without_stores_keeps_the_offer_price_and_leaves_warehouses_unknown() {
        let rows = rows(PHP_FIXTURE);
        assert_eq!(rows[0].purchase_price, Some(100000.0));
        assert_eq!(rows[0].total, 100000.0);
        assert!(!rows[0].per_warehouse);
        assert!(rows[0].stock.iter().all(Option::is_none));
        assert_eq!(rows[1].purchase_price, None);
        let text = csv(&rows, &columns());
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "externalId,xmlId,id,site,main:quantity,main:purchasePrice,north:quantity,north:purchasePrice,\
             pickup:quantity,pickup:purchasePrice,purchasePrice"
        );
        assert_eq!(lines[1], "1,1,1818323,aliexpress,,,,,,,100000");
        assert_eq!(
            lines[2],
            "02nwfIWEgNXZnA6mODvJt0,02nwfIWEgNXZnA6mODvJt0,67459,moysklad,,,,,,,"
        );
        // A leading '-' is neutralised like any formula start.
        assert!(
            lines[3].starts_with("'-SiN3js4iac5MUlTH31OM2,"),
            "{}",
            lines[3]
        );
        assert!(lines[3].ends_with(",moysklad,,,,,,,1000"), "{}", lines[3]);
    }

    #[test]
    fn a_breakdown_per_warehouse_writes_0_where_the_offer_has_no_record() {
        let rows = rows(
            r#"{"success":true,"offers":[{"id":3,"externalId":"offer-3","xmlId":"xml-3","site":"shop-a","purchasePrice":9,
              "quantity":6,"stores":[{"store":"main","quantity":5,"purchasePrice":10.5},{"store":"pickup","quantity":1}]}]}"#,
        );
        assert!(rows[0].per_warehouse);
        assert_eq!(
            csv(&rows, &columns()).split("\r\n").nth(1),
            Some("offer-3,xml-3,3,shop-a,5,10.5,0,,1,,9")
        );
        // Only the warehouses shown, each from its own position in the row.
        let pickup = vec![columns().remove(2)];
        assert_eq!(
            csv(&rows, &pickup),
            "externalId,xmlId,id,site,pickup:quantity,pickup:purchasePrice,purchasePrice\r\n\
             offer-3,xml-3,3,shop-a,1,,9\r\n"
        );
    }

    #[test]
    fn the_export_uploads_back_as_it_is() {
        use crate::sheet::decode::read_file;
        use crate::upload::mapping::suggest_mapping;
        use crate::upload::validate::validate;
        use crate::upload::warehouse::test_warehouses;

        let rows = rows(
            r#"{"success":true,"offers":[{"id":3,"externalId":"offer-3","site":"shop-a","purchasePrice":9,
              "quantity":6,"stores":[{"store":"main","quantity":5,"purchasePrice":10.5}]},
              {"id":4,"externalId":"offer-4","site":"shop-a","purchasePrice":2,"quantity":7}]}"#,
        );
        let shown: Vec<(usize, WarehouseColumn)> = columns().into_iter().take(2).collect();
        let text = leftovers_csv(&rows, &shown, CsvOptions::default());
        let file = read_file(text.as_bytes(), None).unwrap();
        let ws = test_warehouses();
        let mapping = suggest_mapping(&file.sheet.header, &ws);
        let v = validate(&file.sheet, &mapping, &ws);
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        let stores = |n: usize| -> Vec<(String, Option<f64>, Option<f64>)> {
            v.offers[n]
                .stores
                .iter()
                .map(|s| (s.code.to_string(), s.quantity, s.purchase_price))
                .collect()
        };
        // The offer's own price names no warehouse: it is not read as one's.
        assert_eq!(
            stores(0),
            [
                ("main".to_string(), Some(5.0), Some(10.5)),
                ("north".to_string(), Some(0.0), None)
            ]
        );
        // Without a breakdown, nothing is stated for a warehouse: uploading it back changes nothing.
        assert!(stores(1).iter().all(|(_, q, p)| q.is_none() && p.is_none()));
    }
}
