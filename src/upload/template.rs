//! The upload file's template: the import format's header for chosen warehouses, empty or with the CRM's current stock.

use super::export::write_inventories;
use super::offer::CurrentOffer;
use crate::sheet::csv::CsvOptions;

/// One line on the format, for the screen and the README: which columns, and what a blank cell means.
pub const FORMAT: &str =
    "externalId (or xmlId, id), site, then per warehouse <code>:quantity and <code>:purchasePrice";

/// The import format with no offers: `externalId,xmlId,id,site,<code>:quantity,<code>:purchasePrice,...`.
pub fn empty_template(codes: &[String], options: CsvOptions) -> String {
    write_inventories(&[], codes, options, Some(0.0))
}

/// The import format with the CRM's current stock of `offers` in the warehouses `codes` (0 where an offer has no
/// record in a warehouse): edit the numbers and upload it back.
pub fn stock_template(offers: &[CurrentOffer], codes: &[String], options: CsvOptions) -> String {
    write_inventories(offers, codes, options, Some(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::decode::read_text;
    use crate::upload::mapping::{suggest_mapping, Layout};
    use crate::upload::offer::CurrentStore;
    use crate::upload::warehouse::test_warehouses;

    fn plain() -> CsvOptions {
        CsvOptions {
            bom: false,
            ..CsvOptions::default()
        }
    }

    #[test]
    fn templates_map_completely_as_they_are() {
        let codes = vec!["main".to_string(), "north".to_string()];
        let empty = empty_template(&codes, plain());
        assert_eq!(
            empty,
            "externalId,xmlId,id,site,main:quantity,main:purchasePrice,north:quantity,north:purchasePrice\r\n"
        );
        let offers = vec![CurrentOffer {
            id: 3,
            external_id: Some("A".into()),
            xml_id: None,
            site: Some("s".into()),
            stores: vec![CurrentStore {
                code: "north".into(),
                quantity: 2.0,
                purchase_price: Some(1.5),
            }],
        }];
        let stock = stock_template(&offers, &codes, plain());
        let Ok((sheet, _)) = read_text(&stock, None) else {
            panic!("not read")
        };
        assert_eq!(
            sheet.rows[0].cells,
            ["A", "", "3", "s", "0", "", "2", "1.5"]
        );
        let mapping = suggest_mapping(&sheet.header, &test_warehouses());
        let Layout::Wide { columns } = mapping.layout else {
            panic!("wide")
        };
        assert_eq!(columns.len(), 4, "every warehouse column is mapped");
        assert_eq!(mapping.site_column, Some(3));
    }
}
