//! Answers of `/store/inventories` for the tests of this module.

use crate::api::inventory::{InventoriesResponse, InventoryOffer};

/// A page holding the offers `ids` (nothing else set).
pub fn answer(ids: &[i64]) -> InventoriesResponse {
    InventoriesResponse {
        offers: ids
            .iter()
            .map(|&id| InventoryOffer {
                id,
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}
