//! The dry run's reads: the file's offer keys grouped by kind and site, in batches of one `GET /store/inventories` each.

use std::collections::HashSet;

use super::offer::{KeyKind, OfferStock};

/// Keys per read request (the CRM's page limit of 100 also bounds the answer).
pub const KEYS_PER_REQUEST: usize = 100;

/// One read: keys of one kind, within one site (`None`: every site; `id` keys ignore sites).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub kind: KeyKind,
    pub site: Option<String>,
    pub keys: Vec<String>,
}

/// The reads that fetch the current stock of `offers`: keys deduplicated, grouped by kind and site
/// (groups in order of first appearance), at most `per_request` (clamped to 1..=100) keys each.
pub fn lookups(offers: &[OfferStock], per_request: usize) -> Vec<Lookup> {
    let per_request = per_request.clamp(1, KEYS_PER_REQUEST);
    let mut groups: Vec<(KeyKind, Option<String>, Vec<String>)> = Vec::new();
    let mut seen: HashSet<(KeyKind, Option<String>, String)> = HashSet::new();
    for offer in offers {
        let kind = offer.key.kind();
        let site = match kind {
            KeyKind::Id => None,
            KeyKind::ExternalId | KeyKind::XmlId => offer.site.clone(),
        };
        let value = offer.key.value();
        if !seen.insert((kind, site.clone(), value.clone())) {
            continue;
        }
        match groups.iter_mut().find(|(k, s, _)| *k == kind && *s == site) {
            Some((_, _, keys)) => keys.push(value),
            None => groups.push((kind, site, vec![value])),
        }
    }
    groups
        .into_iter()
        .flat_map(|(kind, site, keys)| {
            keys.chunks(per_request)
                .map(|batch| Lookup {
                    kind,
                    site: site.clone(),
                    keys: batch.to_vec(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// How many keys `lookups` covers (for the progress of the dry run).
pub fn key_count(lookups: &[Lookup]) -> usize {
    lookups.iter().map(|l| l.keys.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::offer::OfferKey;

    fn offer(key: OfferKey, site: Option<&str>) -> OfferStock {
        OfferStock {
            key,
            site: site.map(str::to_string),
            line: 2,
            stores: Vec::new(),
        }
    }

    #[test]
    fn groups_by_kind_and_site_dedupes_and_batches() {
        let mut offers: Vec<OfferStock> = (0..250)
            .map(|i| offer(OfferKey::ExternalId(format!("e{i}")), Some("a")))
            .collect();
        offers.push(offer(OfferKey::ExternalId("e1".into()), Some("a")));
        offers.push(offer(OfferKey::ExternalId("e1".into()), Some("b")));
        offers.push(offer(OfferKey::Id(7), Some("a")));
        offers.push(offer(OfferKey::Id(7), Some("b")));
        let l = lookups(&offers, 100);
        let shape: Vec<(KeyKind, Option<&str>, usize)> = l
            .iter()
            .map(|l| (l.kind, l.site.as_deref(), l.keys.len()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (KeyKind::ExternalId, Some("a"), 100),
                (KeyKind::ExternalId, Some("a"), 100),
                (KeyKind::ExternalId, Some("a"), 50),
                (KeyKind::ExternalId, Some("b"), 1),
                (KeyKind::Id, None, 1),
            ]
        );
        assert_eq!(key_count(&l), 252);
        assert_eq!(l[0].keys[0], "e0");
    }

    #[test]
    fn batch_size_is_clamped() {
        let offers: Vec<OfferStock> = (0..3).map(|i| offer(OfferKey::Id(i), None)).collect();
        assert_eq!(lookups(&offers, 0).len(), 3);
        assert_eq!(lookups(&offers, 1000).len(), 1);
        assert!(lookups(&[], 100).is_empty());
    }
}
