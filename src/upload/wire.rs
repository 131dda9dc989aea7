//! The upload domain against the API's wire types: warehouses, current offers, lookup and upload requests.

use crate::api::encode::percent_encode;
use crate::api::inventory::{
    InventoriesFilter, InventoriesRequest, InventoriesUploadRequest, InventoryOffer, NotFoundOffer,
    OfferRef, OfferStockUpload, StoreStockUpload,
};
use crate::api::reference::Store;
use crate::api::ApiError;
use crate::api::Endpoint;
use crate::upload::lookup::{batches, key_groups, Lookup, MAX_KEYS_PER_REQUEST, MAX_URL_BYTES};
use crate::upload::offer::OfferStock;
use crate::upload::offer::{CurrentOffer, CurrentStore, KeyKind, OfferKey};
use crate::upload::plan::Chunk;
use crate::upload::warehouse::Warehouse;

/// A CRM store as the stock import sees it.
pub fn warehouse(store: &Store) -> Warehouse {
    Warehouse {
        code: store.code.clone(),
        name: store.name.clone(),
        available_type: store.is_availability_only(),
    }
}

/// An offer read with `filter[details]=1` as the dry run compares it.
pub fn current_offer(offer: InventoryOffer) -> CurrentOffer {
    CurrentOffer {
        id: u64::try_from(offer.id).unwrap_or(0),
        external_id: offer.external_id,
        xml_id: offer.xml_id,
        site: offer.site,
        stores: offer
            .stores
            .into_iter()
            .map(|s| CurrentStore {
                code: s.store,
                quantity: s.quantity,
                purchase_price: s.purchase_price,
            })
            .collect(),
    }
}

/// `GET /store/inventories` for one batch of keys, with the stock per warehouse (first page; a batch of keys that
/// exist in several sites may have more). Ids that are not numbers are left out (validation reports them).
pub fn lookup_request(lookup: &Lookup) -> InventoriesRequest {
    let mut filter = InventoriesFilter {
        details: Some(true),
        sites: lookup.site.iter().cloned().collect(),
        ..InventoriesFilter::default()
    };
    match lookup.kind {
        KeyKind::ExternalId => filter.offer_external_id = lookup.keys.clone(),
        KeyKind::XmlId => filter.offer_xml_id = lookup.keys.clone(),
        KeyKind::Id => filter.ids = lookup.keys.iter().filter_map(|k| k.parse().ok()).collect(),
    }
    InventoriesRequest {
        limit: Some(MAX_KEYS_PER_REQUEST as u32),
        page: Some(1),
        filter,
    }
}

/// The length of a request's path and query.
fn query_len(request: &InventoriesRequest) -> usize {
    request
        .to_request()
        .map(|r| r.path_and_query().len())
        .unwrap_or(0)
}

/// The reads that fetch the current stock of `offers` by key from the account at `base_url`: every address within
/// [`MAX_URL_BYTES`].
pub fn lookup_requests(offers: &[OfferStock], base_url: &str) -> Vec<InventoriesRequest> {
    key_groups(offers)
        .into_iter()
        .flat_map(|group| {
            let empty = Lookup {
                keys: Vec::new(),
                ..group.clone()
            };
            let one = Lookup {
                keys: vec![String::new()],
                ..group.clone()
            };
            let fixed = base_url.len() + query_len(&lookup_request(&empty));
            // What one more key adds: its parameter name and separators, plus the key encoded.
            let per_key = query_len(&lookup_request(&one)).saturating_sub(fixed - base_url.len());
            let budget = MAX_URL_BYTES.saturating_sub(fixed);
            batches(group, budget, |key| per_key + percent_encode(key).len())
        })
        .map(|lookup| lookup_request(&lookup))
        .collect()
}

fn offer_ref(key: &OfferKey) -> Result<OfferRef, ApiError> {
    Ok(match key {
        OfferKey::ExternalId(s) => OfferRef::ExternalId(s.clone()),
        OfferKey::XmlId(s) => OfferRef::XmlId(s.clone()),
        OfferKey::Id(id) => {
            OfferRef::Id(i64::try_from(*id).map_err(|_| ApiError::InvalidRequest {
                detail: format!("offer id {id} is too large"),
            })?)
        }
    })
}

/// `POST /store/inventories/upload` for one chunk of the plan.
pub fn upload_request(chunk: &Chunk) -> Result<InventoriesUploadRequest, ApiError> {
    let offers = chunk
        .items
        .iter()
        .map(|item| {
            Ok(OfferStockUpload {
                offer: offer_ref(&item.key)?,
                stores: item
                    .stores
                    .iter()
                    .map(|s| StoreStockUpload {
                        code: s.code.to_string(),
                        available: s.available,
                        purchase_price: s.purchase_price,
                    })
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(InventoriesUploadRequest {
        offers,
        site: chunk.site.clone(),
    })
}

/// The keys of the chunk's offers the CRM reported as not found (matched by each item's own key
/// kind, so the report names them as the file did).
pub fn not_found_keys(chunk: &Chunk, not_found: &[NotFoundOffer]) -> Vec<OfferKey> {
    chunk
        .items
        .iter()
        .filter(|item| {
            not_found.iter().any(|n| match &item.key {
                OfferKey::ExternalId(k) => n.external_id.as_deref() == Some(k.as_str()),
                OfferKey::XmlId(k) => n.xml_id.as_deref() == Some(k.as_str()),
                OfferKey::Id(id) => n.id.and_then(|i| u64::try_from(i).ok()) == Some(*id),
            })
        })
        .map(|item| item.key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::inventory::StoreStock;
    use crate::upload::plan::{UploadItem, UploadStore};

    fn chunk() -> Chunk {
        Chunk {
            site: Some("shop-a".into()),
            items: vec![
                UploadItem {
                    key: OfferKey::ExternalId("a".into()),
                    stores: vec![UploadStore {
                        code: "main".into(),
                        available: Some(5.0),
                        purchase_price: Some(1.5),
                    }],
                },
                UploadItem {
                    key: OfferKey::Id(7),
                    stores: vec![UploadStore {
                        code: "main".into(),
                        available: Some(0.0),
                        purchase_price: None,
                    }],
                },
            ],
            lines: vec![2, 3],
        }
    }

    #[test]
    fn upload_request_carries_keys_stores_and_site() {
        let req = upload_request(&chunk()).unwrap();
        assert_eq!(req.site.as_deref(), Some("shop-a"));
        assert_eq!(req.offers[1].offer, OfferRef::Id(7));
        let body = req.to_request().unwrap().form.encode();
        assert!(body.contains("site=shop-a"), "{body}");
        let mut big = chunk();
        big.items[1].key = OfferKey::Id(u64::MAX);
        assert!(upload_request(&big).is_err());
    }

    #[test]
    fn not_found_is_matched_by_each_items_key() {
        let nf = vec![
            NotFoundOffer {
                external_id: Some("a".into()),
                ..NotFoundOffer::default()
            },
            NotFoundOffer {
                id: Some(8),
                ..NotFoundOffer::default()
            },
        ];
        assert_eq!(
            not_found_keys(&chunk(), &nf),
            vec![OfferKey::ExternalId("a".into())]
        );
    }

    #[test]
    fn lookups_stay_under_the_address_limit() {
        let base = "https://acme.retailcrm.ru";
        let offers: Vec<OfferStock> = (0..1000)
            .map(|i| OfferStock {
                key: OfferKey::ExternalId(format!("offer-{i:06}")),
                site: Some("shop-a".into()),
                line: i + 2,
                stores: Vec::new(),
            })
            .collect();
        let requests = lookup_requests(&offers, base);
        let mut keys = 0;
        for (i, r) in requests.iter().enumerate() {
            let url = format!("{base}{}", r.to_request().unwrap().path_and_query());
            assert!(url.len() <= MAX_URL_BYTES, "{}", url.len());
            // Every batch but the last is full: one more key (about 50 bytes) would not fit.
            assert!(
                i + 1 == requests.len() || url.len() > MAX_URL_BYTES - 60,
                "{}",
                url.len()
            );
            keys += r.filter.offer_external_id.len();
        }
        assert_eq!(keys, 1000);
        assert_eq!(requests[0].filter.sites, vec!["shop-a".to_string()]);
        // Short ids fill a batch up to the page size.
        let ids: Vec<OfferStock> = (0..600)
            .map(|i| OfferStock {
                key: OfferKey::Id(i),
                site: None,
                line: 2,
                stores: Vec::new(),
            })
            .collect();
        let sizes: Vec<usize> = lookup_requests(&ids, base)
            .iter()
            .map(|r| r.filter.ids.len())
            .collect();
        assert_eq!(sizes, vec![250, 250, 100]);
    }

    #[test]
    fn lookup_and_offer_conversion() {
        let l = Lookup {
            kind: KeyKind::Id,
            site: None,
            keys: vec!["1".into(), "x".into()],
        };
        let r = lookup_request(&l);
        assert_eq!(r.filter.ids, vec![1]);
        assert_eq!(r.filter.details, Some(true));
        assert!(r.filter.sites.is_empty());
        let l = Lookup {
            kind: KeyKind::XmlId,
            site: Some("s".into()),
            keys: vec!["x".into()],
        };
        let r = lookup_request(&l);
        assert_eq!((r.filter.offer_xml_id.len(), r.filter.sites.len()), (1, 1));
        let o = current_offer(InventoryOffer {
            id: 3,
            stores: vec![StoreStock {
                store: "main".into(),
                quantity: 2.0,
                purchase_price: None,
            }],
            ..InventoryOffer::default()
        });
        assert_eq!(o.store("main").map(|s| s.quantity), Some(2.0));
    }
}
