//! The products-and-offers CSV: one row per offer (a product without offers gets one row), formula cells neutralised.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::api::product::{Product, ProductOffer};
use crate::sheet::csv::{CsvOptions, CsvWriter};

/// The header of [`products_csv`].
pub const HEADER: [&str; 22] = [
    "productId",
    "productExternalId",
    "productName",
    "productArticle",
    "manufacturer",
    "productActive",
    "groups",
    "offerId",
    "offerExternalId",
    "offerXmlId",
    "offerName",
    "article",
    "site",
    "price",
    "prices",
    "purchasePrice",
    "quantity",
    "unit",
    "barcode",
    "offerActive",
    "properties",
    "images",
];

/// A property value as text: strings as they are, anything else as its JSON.
pub fn property_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `code=value; code=value`.
pub fn properties_text(properties: &BTreeMap<String, Value>) -> String {
    properties
        .iter()
        .map(|(code, v)| format!("{code}={}", property_text(v)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn flag(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "1",
        Some(false) => "0",
        None => "",
    }
}

/// The offer columns of a row.
fn offer_cells(w: &CsvWriter, offer: &ProductOffer) -> [String; 15] {
    [
        offer.id.to_string(),
        offer.external_id.clone().unwrap_or_default(),
        offer.xml_id.clone().unwrap_or_default(),
        offer.name.clone(),
        offer.article.clone().unwrap_or_default(),
        offer.site.clone().unwrap_or_default(),
        w.optional_number(offer.price),
        offer
            .prices
            .iter()
            .map(|p| format!("{}={}", p.price_type, w.number(p.price)))
            .collect::<Vec<_>>()
            .join("; "),
        w.optional_number(offer.purchase_price),
        w.optional_number(offer.quantity),
        offer
            .unit
            .as_ref()
            .map(|u| u.code.clone())
            .unwrap_or_default(),
        offer.barcode.clone().unwrap_or_default(),
        flag(offer.active).to_string(),
        properties_text(&offer.properties),
        offer.images.join(" "),
    ]
}

/// The products and their offers as a CSV file.
pub fn products_csv(products: &[Product], options: CsvOptions) -> String {
    let mut w = CsvWriter::new(options);
    w.row(HEADER);
    for product in products {
        let head = [
            product.id.to_string(),
            product.external_id.clone().unwrap_or_default(),
            product.name.clone(),
            product.article.clone().unwrap_or_default(),
            product.manufacturer.clone().unwrap_or_default(),
            flag(product.active).to_string(),
            product
                .groups
                .iter()
                .map(|g| g.id.to_string())
                .collect::<Vec<_>>()
                .join(" "),
        ];
        if product.offers.is_empty() {
            let mut cells = head.to_vec();
            cells.resize(HEADER.len(), String::new());
            w.row(&cells);
        }
        for offer in &product.offers {
            let mut cells = head.to_vec();
            cells.extend(offer_cells(&w, offer));
            w.row(&cells);
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::product::{GroupRef, OfferPrice, Unit};
    use crate::sheet::decode::read_text;

    #[test]
    fn one_row_per_offer_with_formulas_neutralised() {
        let products = vec![
            Product {
                id: 1,
                name: "=HYPERLINK(\"x\")".into(),
                external_id: Some("p-1".into()),
                active: Some(true),
                groups: vec![GroupRef {
                    id: 4,
                    external_id: None,
                }],
                offers: vec![ProductOffer {
                    id: 11,
                    external_id: Some("offer-1".into()),
                    name: "Shoes, 42".into(),
                    price: Some(1000.5),
                    prices: vec![OfferPrice {
                        price_type: "base".into(),
                        price: 1000.5,
                        ordering: None,
                    }],
                    quantity: Some(-2.0),
                    unit: Some(Unit {
                        code: "pc".into(),
                        ..Default::default()
                    }),
                    properties: [("size".to_string(), Value::from("42"))].into(),
                    images: vec!["https://i/1.png".into()],
                    site: Some("shop-a".into()),
                    ..Default::default()
                }],
                ..Default::default()
            },
            Product {
                id: 2,
                name: "No offers".into(),
                ..Default::default()
            },
        ];
        let csv = products_csv(
            &products,
            CsvOptions {
                bom: false,
                ..CsvOptions::default()
            },
        );
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert_eq!(
            lines[1],
            "1,p-1,\"'=HYPERLINK(\"\"x\"\")\",,,1,4,11,offer-1,,\"Shoes, 42\",,shop-a,1000.5,base=1000.5,,-2,pc,,,size=42,https://i/1.png"
        );
        assert_eq!(lines[2], "2,,No offers,,,,,,,,,,,,,,,,,,,");
        let Ok((sheet, _)) = read_text(&csv, None) else {
            panic!("readable")
        };
        assert_eq!(sheet.rows.len(), 2);
        assert!(sheet.rows.iter().all(|r| r.cells.len() == HEADER.len()));
    }

    #[test]
    fn property_values_of_any_json_kind() {
        assert_eq!(property_text(&Value::from(5)), "5");
        assert_eq!(property_text(&Value::Null), "");
        assert_eq!(property_text(&serde_json::json!(["a"])), "[\"a\"]");
    }
}
