//! Warehouses (CRM stores) as the stock import sees them, and finding one by code or name.

use serde::{Deserialize, Serialize};

/// A CRM warehouse (`GET /reference/stores`): its code, its name, and whether its
/// `inventoryType` is `available` (then only 0 and 1 make sense as a quantity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warehouse {
    pub code: String,
    pub name: String,
    pub available_type: bool,
}

/// The warehouse a cell or header refers to: exact code first, then code and name ignoring case.
pub fn find_warehouse<'a>(warehouses: &'a [Warehouse], text: &str) -> Option<&'a Warehouse> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(w) = warehouses.iter().find(|w| w.code == text) {
        return Some(w);
    }
    let wanted = text.to_lowercase();
    warehouses
        .iter()
        .find(|w| w.code.to_lowercase() == wanted)
        .or_else(|| {
            warehouses
                .iter()
                .find(|w| w.name.trim().to_lowercase() == wanted)
        })
}

#[cfg(test)]
pub(crate) fn test_warehouses() -> Vec<Warehouse> {
    vec![
        Warehouse {
            code: "main".into(),
            name: "Основной склад".into(),
            available_type: false,
        },
        Warehouse {
            code: "north".into(),
            name: "North".into(),
            available_type: false,
        },
        Warehouse {
            code: "shop".into(),
            name: "Shop floor".into(),
            available_type: true,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_code_then_case_insensitive_code_and_name() {
        let ws = test_warehouses();
        assert_eq!(
            find_warehouse(&ws, "main").map(|w| &w.code[..]),
            Some("main")
        );
        assert_eq!(
            find_warehouse(&ws, " MAIN ").map(|w| &w.code[..]),
            Some("main")
        );
        assert_eq!(
            find_warehouse(&ws, "основной СКЛАД").map(|w| &w.code[..]),
            Some("main")
        );
        assert_eq!(find_warehouse(&ws, "south"), None);
        assert_eq!(find_warehouse(&ws, ""), None);
    }
}
