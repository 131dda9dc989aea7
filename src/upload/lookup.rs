//! The dry run's reads by key: the file's offer keys grouped by kind and site, in batches whose request address
//! stays within a byte budget (common servers refuse addresses over 8 KB).

use std::collections::HashSet;

use super::offer::{KeyKind, OfferStock};

/// The most keys one read asks for: the largest page, so one page answers a batch of distinct offers.
pub const MAX_KEYS_PER_REQUEST: usize = 250;

/// The longest request address the dry run sends.
pub const MAX_URL_BYTES: usize = 8000;

/// One read: keys of one kind, within one site (`None`: every site; `id` keys ignore sites).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub kind: KeyKind,
    pub site: Option<String>,
    pub keys: Vec<String>,
}

/// The keys of `offers` deduplicated and grouped by kind and site (groups in order of first appearance), unbatched.
pub fn key_groups(offers: &[OfferStock]) -> Vec<Lookup> {
    let mut groups: Vec<Lookup> = Vec::new();
    let mut seen: HashSet<(KeyKind, Option<&str>, String)> = HashSet::new();
    for offer in offers {
        let kind = offer.key.kind();
        let site = match kind {
            KeyKind::Id => None,
            KeyKind::ExternalId | KeyKind::XmlId => offer.site.as_deref(),
        };
        let value = offer.key.value();
        if !seen.insert((kind, site, value.clone())) {
            continue;
        }
        match groups
            .iter_mut()
            .find(|g| g.kind == kind && g.site.as_deref() == site)
        {
            Some(group) => group.keys.push(value),
            None => groups.push(Lookup {
                kind,
                site: site.map(str::to_string),
                keys: vec![value],
            }),
        }
    }
    groups
}

/// Splits `group` into batches of at most [`MAX_KEYS_PER_REQUEST`] keys whose costs (`cost(key)`: the bytes the key
/// adds to the address) sum to at most `budget`. A key over the budget on its own still gets a batch of its own.
pub fn batches(group: Lookup, budget: usize, cost: impl Fn(&str) -> usize) -> Vec<Lookup> {
    let mut out: Vec<Lookup> = Vec::new();
    let mut used = 0;
    for key in group.keys {
        let c = cost(&key);
        let fits = out
            .last()
            .is_some_and(|b| b.keys.len() < MAX_KEYS_PER_REQUEST && used + c <= budget);
        match out.last_mut() {
            Some(batch) if fits => batch.keys.push(key),
            _ => out.push(Lookup {
                kind: group.kind,
                site: group.site.clone(),
                keys: vec![key],
            }),
        }
        used = if fits { used + c } else { c };
    }
    out
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
    fn groups_by_kind_and_site_and_dedupes() {
        let mut offers: Vec<OfferStock> = (0..250)
            .map(|i| offer(OfferKey::ExternalId(format!("e{i}")), Some("a")))
            .collect();
        offers.push(offer(OfferKey::ExternalId("e1".into()), Some("a")));
        offers.push(offer(OfferKey::ExternalId("e1".into()), Some("b")));
        offers.push(offer(OfferKey::Id(7), Some("a")));
        offers.push(offer(OfferKey::Id(7), Some("b")));
        let groups = key_groups(&offers);
        let shape: Vec<(KeyKind, Option<&str>, usize)> = groups
            .iter()
            .map(|l| (l.kind, l.site.as_deref(), l.keys.len()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (KeyKind::ExternalId, Some("a"), 250),
                (KeyKind::ExternalId, Some("b"), 1),
                (KeyKind::Id, None, 1),
            ]
        );
        assert_eq!(groups[0].keys[0], "e0");
        assert!(key_groups(&[]).is_empty());
    }

    #[test]
    fn batches_keep_within_the_budget_and_the_page() {
        let group = Lookup {
            kind: KeyKind::ExternalId,
            site: None,
            keys: (0..1000).map(|i| format!("k{i:04}")).collect(),
        };
        // 10 bytes a key, 400 bytes: 40 keys a batch.
        let small = batches(group.clone(), 400, |k| k.len() + 5);
        assert_eq!(small.len(), 25);
        assert!(small.iter().all(|b| b.keys.len() == 40));
        // A generous budget is capped by the page size.
        let big = batches(group.clone(), 1_000_000, |k| k.len() + 5);
        let sizes: Vec<usize> = big.iter().map(|b| b.keys.len()).collect();
        assert_eq!(sizes, vec![250, 250, 250, 250]);
        // Every key once, in order.
        let all: Vec<String> = small.into_iter().flat_map(|b| b.keys).collect();
        assert_eq!(all, group.keys);
        // A key over the budget goes alone.
        let huge = Lookup {
            kind: KeyKind::XmlId,
            site: Some("s".into()),
            keys: vec!["a".into(), "x".repeat(50), "b".into()],
        };
        let sizes: Vec<usize> = batches(huge, 10, str::len)
            .iter()
            .map(|b| b.keys.len())
            .collect();
        assert_eq!(sizes, vec![1, 1, 1]);
    }
}
