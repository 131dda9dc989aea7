//! The dry run: the file's stock against the CRM's current stock, per offer and warehouse, before and after.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::export::write_inventories;
use super::offer::{CurrentOffer, CurrentStore, OfferKey, OfferStock, StoreCode, StoreValue};
use crate::sheet::csv::CsvOptions;

/// The CRM's current stock for the offers of a file, indexed by every key kind.
#[derive(Debug, Clone, Default)]
pub struct CurrentStock {
    offers: Vec<CurrentOffer>,
    by_external_id: HashMap<String, Vec<usize>>,
    by_xml_id: HashMap<String, Vec<usize>>,
    by_id: HashMap<u64, usize>,
}

impl CurrentStock {
    pub fn new(offers: Vec<CurrentOffer>) -> Self {
        let mut stock = CurrentStock::default();
        for (i, offer) in offers.iter().enumerate() {
            if let Some(k) = &offer.external_id {
                stock.by_external_id.entry(k.clone()).or_default().push(i);
            }
            if let Some(k) = &offer.xml_id {
                stock.by_xml_id.entry(k.clone()).or_default().push(i);
            }
            stock.by_id.insert(offer.id, i);
        }
        stock.offers = offers;
        stock
    }

    /// The offer `key` names. An `externalId` or `xmlId` is unique per site only: with `site`
    /// given, the offer of that site; without, the first one fetched.
    pub fn find(&self, key: &OfferKey, site: Option<&str>) -> Option<&CurrentOffer> {
        let candidates: &[usize] = match key {
            OfferKey::Id(id) => return self.by_id.get(id).and_then(|&i| self.offers.get(i)),
            OfferKey::ExternalId(k) => self.by_external_id.get(k).map(Vec::as_slice).unwrap_or(&[]),
            OfferKey::XmlId(k) => self.by_xml_id.get(k).map(Vec::as_slice).unwrap_or(&[]),
        };
        let mut offers = candidates.iter().filter_map(|&i| self.offers.get(i));
        match site {
            Some(site) => offers.find(|o| o.site.as_deref().is_none_or(|s| s == site)),
            None => offers.next(),
        }
    }

    pub fn len(&self) -> usize {
        self.offers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offers.is_empty()
    }
}

/// How an offer of the file compares with the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    Changed,
    Unchanged,
    NotInCrm,
}

/// One warehouse of one offer: before (the CRM; `None` when the offer is not in the CRM; a
/// quantity of 0 when it has no record in that warehouse) and after the upload (the file's value,
/// or the value before when the file's cell is blank).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreChange {
    #[serde(with = "super::offer::shared_code")]
    pub code: StoreCode,
    pub quantity_before: Option<f64>,
    pub quantity_after: Option<f64>,
    pub price_before: Option<f64>,
    pub price_after: Option<f64>,
}

fn differ(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() > 1e-9,
        (None, None) => false,
        _ => true,
    }
}

impl StoreChange {
    pub fn quantity_changed(&self) -> bool {
        differ(self.quantity_before, self.quantity_after)
    }

    pub fn price_changed(&self) -> bool {
        differ(self.price_before, self.price_after)
    }

    pub fn changed(&self) -> bool {
        self.quantity_changed() || self.price_changed()
    }
}

/// One offer of the file in the dry run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferDiff {
    pub key: OfferKey,
    pub site: Option<String>,
    pub line: usize,
    pub change: Change,
    pub stores: Vec<StoreChange>,
    /// The CRM's offer with its stock in the file's warehouses (the "before"); `None` if not in the CRM.
    pub crm: Option<CurrentOffer>,
}

/// Per warehouse: the sum of quantities before and after, and how many offers change there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreTotals {
    pub code: String,
    pub quantity_before: f64,
    pub quantity_after: f64,
    pub offers_changed: usize,
}

/// How many offers are in each [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeCounts {
    pub changed: usize,
    pub unchanged: usize,
    pub not_in_crm: usize,
}

/// The dry run of a file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    pub offers: Vec<OfferDiff>,
}

/// Compares the validated offers with the CRM's current stock.
pub fn diff(offers: &[OfferStock], current: &CurrentStock) -> Diff {
    let offers = offers
        .iter()
        .map(|offer| {
            let crm = current.find(&offer.key, offer.site.as_deref());
            let stores: Vec<StoreChange> = offer
                .stores
                .iter()
                .map(|s| {
                    let before = crm.map(|c| c.store(&s.code));
                    let quantity_before = before.map(|b| b.map(|b| b.quantity).unwrap_or(0.0));
                    let price_before = before.and_then(|b| b.and_then(|b| b.purchase_price));
                    StoreChange {
                        code: s.code.clone(),
                        quantity_before,
                        quantity_after: s.quantity.or(quantity_before),
                        price_before,
                        price_after: s.purchase_price.or(price_before),
                    }
                })
                .collect();
            let change = match crm {
                None => Change::NotInCrm,
                Some(_) if stores.iter().any(StoreChange::changed) => Change::Changed,
                Some(_) => Change::Unchanged,
            };
            let crm = crm.map(|c| CurrentOffer {
                stores: stores
                    .iter()
                    .map(|s| CurrentStore {
                        code: s.code.to_string(),
                        quantity: s.quantity_before.unwrap_or(0.0),
                        purchase_price: s.price_before,
                    })
                    .collect(),
                ..c.clone()
            });
            OfferDiff {
                key: offer.key.clone(),
                site: offer.site.clone(),
                line: offer.line,
                change,
                stores,
                crm,
            }
        })
        .collect();
    Diff { offers }
}

impl Diff {
    pub fn counts(&self) -> ChangeCounts {
        let mut counts = ChangeCounts::default();
        for o in &self.offers {
            match o.change {
                Change::Changed => counts.changed += 1,
                Change::Unchanged => counts.unchanged += 1,
                Change::NotInCrm => counts.not_in_crm += 1,
            }
        }
        counts
    }

    /// Totals per warehouse over the offers the CRM has (an offer it does not have changes nothing there),
    /// warehouses in order of first appearance.
    pub fn totals(&self) -> Vec<StoreTotals> {
        let mut totals: Vec<StoreTotals> = Vec::new();
        let in_crm = self.offers.iter().filter(|o| o.change != Change::NotInCrm);
        for s in in_crm.flat_map(|o| &o.stores) {
            let index = match totals.iter().position(|t| *t.code == *s.code) {
                Some(i) => i,
                None => {
                    totals.push(StoreTotals {
                        code: s.code.to_string(),
                        quantity_before: 0.0,
                        quantity_after: 0.0,
                        offers_changed: 0,
                    });
                    totals.len() - 1
                }
            };
            if let Some(t) = totals.get_mut(index) {
                t.quantity_before += s.quantity_before.unwrap_or(0.0);
                t.quantity_after += s.quantity_after.unwrap_or(0.0);
                t.offers_changed += usize::from(s.changed());
            }
        }
        totals
    }

    /// Only the offers that change.
    pub fn changed_only(&self) -> Diff {
        Diff {
            offers: self
                .offers
                .iter()
                .filter(|o| o.change == Change::Changed)
                .cloned()
                .collect(),
        }
    }

    /// What to upload so the CRM ends as the file says, sending no more than needed and nothing the file did not
    /// state: unchanged offers are left out; for offers in the CRM only the changed warehouses are sent, each with
    /// the file's own values (a blank cell stays unsent, never filled from the CRM's "before"); offers not in the
    /// CRM are sent as read (the CRM reports them not found).
    pub fn to_upload(&self, file: &[OfferStock]) -> Vec<OfferStock> {
        self.sent(file)
            .map(|(stated, stores)| OfferStock {
                key: stated.key.clone(),
                site: stated.site.clone(),
                line: stated.line,
                stores: stores.cloned().collect(),
            })
            .collect()
    }

    /// The offers of `file` that [`Diff::to_upload`] sends, each with the values it sends.
    pub fn sent<'a>(
        &'a self,
        file: &'a [OfferStock],
    ) -> impl Iterator<Item = (&'a OfferStock, impl Iterator<Item = &'a StoreValue>)> {
        self.offers
            .iter()
            .zip(file)
            .filter(|(o, stated)| o.change != Change::Unchanged && o.key == stated.key)
            .map(|(o, stated)| {
                let stores = stated
                    .stores
                    .iter()
                    .zip(&o.stores)
                    .filter(|(_, s)| o.change == Change::NotInCrm || s.changed())
                    .map(|(value, _)| value);
                (stated, stores)
            })
    }

    /// The "before" of the offers in the CRM as a file in the import format: uploading it undoes
    /// the upload (a purchase price the CRM did not have cannot be removed and stays). A warehouse
    /// that was not in an offer's row of the file is left blank ("leave unchanged").
    pub fn before_as_import_file(&self, options: CsvOptions) -> String {
        let mut codes: Vec<String> = Vec::new();
        for s in self.offers.iter().flat_map(|o| &o.stores) {
            if !codes.iter().any(|c| **c == *s.code) {
                codes.push(s.code.to_string());
            }
        }
        let before: Vec<CurrentOffer> = self.offers.iter().filter_map(|o| o.crm.clone()).collect();
        write_inventories(&before, &codes, options, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::offer::StoreValue;

    fn offer(key: &str, line: usize, stores: &[(&str, Option<f64>, Option<f64>)]) -> OfferStock {
        OfferStock {
            key: OfferKey::ExternalId(key.into()),
            site: None,
            line,
            stores: stores
                .iter()
                .map(|(c, q, p)| StoreValue {
                    code: (*c).into(),
                    quantity: *q,
                    purchase_price: *p,
                })
                .collect(),
        }
    }

    fn crm(id: u64, key: &str, stores: &[(&str, f64, Option<f64>)]) -> CurrentOffer {
        CurrentOffer {
            id,
            external_id: Some(key.into()),
            xml_id: None,
            site: Some("s1".into()),
            stores: stores
                .iter()
                .map(|(c, q, p)| CurrentStore {
                    code: c.to_string(),
                    quantity: *q,
                    purchase_price: *p,
                })
                .collect(),
        }
    }

    fn current() -> CurrentStock {
        CurrentStock::new(vec![
            crm(1, "A", &[("main", 5.0, Some(10.0)), ("north", 1.0, None)]),
            crm(2, "B", &[("main", 3.0, None)]),
            crm(3, "C", &[("main", 2.0, Some(4.0))]),
        ])
    }

    fn file() -> Vec<OfferStock> {
        vec![
            offer(
                "A",
                2,
                &[("main", Some(5.0), Some(10.0)), ("north", Some(4.0), None)],
            ),
            offer("B", 3, &[("main", Some(3.0), None), ("north", None, None)]),
            offer("Z", 4, &[("main", Some(1.0), None)]),
            offer("C", 5, &[("main", None, Some(4.5))]),
        ]
    }

    #[test]
    fn categories_before_after_and_totals() {
        let d = diff(&file(), &current());
        let changes: Vec<Change> = d.offers.iter().map(|o| o.change).collect();
        assert_eq!(
            changes,
            vec![
                Change::Changed,
                Change::Unchanged,
                Change::NotInCrm,
                Change::Changed
            ]
        );
        assert_eq!(
            d.counts(),
            ChangeCounts {
                changed: 2,
                unchanged: 1,
                not_in_crm: 1
            }
        );
        let a_north = &d.offers[0].stores[1];
        assert_eq!(
            (a_north.quantity_before, a_north.quantity_after),
            (Some(1.0), Some(4.0))
        );
        let b_north = &d.offers[1].stores[1];
        assert_eq!(
            (b_north.quantity_before, b_north.quantity_after),
            (Some(0.0), Some(0.0))
        );
        assert_eq!(d.offers[2].stores[0].quantity_before, None);
        let totals = d.totals();
        assert_eq!(totals[0].code, "main");
        // Z is not in the CRM: its 1 would change nothing there.
        assert_eq!(totals[0].quantity_before, 5.0 + 3.0 + 2.0);
        assert_eq!(totals[0].quantity_after, 5.0 + 3.0 + 2.0);
        assert_eq!(
            totals[0].offers_changed, 1,
            "C's price; Z is not in the CRM"
        );
        assert_eq!(totals[1].offers_changed, 1);
        assert_eq!(d.changed_only().offers.len(), 2);
    }

    #[test]
    fn upload_only_changes_sends_only_what_the_file_states() {
        let up = diff(&file(), &current()).to_upload(&file());
        let keys: Vec<String> = up.iter().map(|o| o.key.value()).collect();
        assert_eq!(keys, vec!["A", "Z", "C"]);
        assert_eq!(
            up[0].stores,
            vec![StoreValue {
                code: "north".into(),
                quantity: Some(4.0),
                purchase_price: None
            }]
        );
        // A price-only change goes as a price: the CRM's current quantity is not sent back.
        assert_eq!(up[2].stores[0].quantity, None);
        assert_eq!(up[2].stores[0].purchase_price, Some(4.5));
        // A diff of another file sends nothing of this one.
        let other = vec![offer("Q", 2, &[("main", Some(9.0), None)])];
        assert!(diff(&file(), &current()).to_upload(&other).is_empty());
    }

    #[test]
    fn before_file_is_in_the_import_format() {
        let csv = diff(&file(), &current()).before_as_import_file(CsvOptions {
            bom: false,
            ..CsvOptions::default()
        });
        assert_eq!(
            csv,
            "externalId,xmlId,id,site,main:quantity,main:purchasePrice,north:quantity,north:purchasePrice\r\n\
             A,,1,s1,5,10,1,\r\n\
             B,,2,s1,3,,0,\r\n\
             C,,3,s1,2,4,,\r\n"
        );
    }

    #[test]
    fn find_by_key_kind_and_site() {
        let mut other_site = crm(9, "A", &[]);
        other_site.site = Some("s2".into());
        other_site.xml_id = Some("x9".into());
        let stock = CurrentStock::new(vec![crm(1, "A", &[]), other_site]);
        let a = OfferKey::ExternalId("A".into());
        assert_eq!(stock.find(&a, Some("s2")).map(|o| o.id), Some(9));
        assert_eq!(stock.find(&a, None).map(|o| o.id), Some(1));
        assert_eq!(
            stock
                .find(&OfferKey::XmlId("x9".into()), None)
                .map(|o| o.id),
            Some(9)
        );
        assert_eq!(stock.find(&OfferKey::Id(1), None).map(|o| o.id), Some(1));
        assert_eq!(stock.find(&OfferKey::Id(5), None), None);
        assert_eq!(stock.len(), 2);
    }
}
