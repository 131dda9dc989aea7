//! The orders waiting to be shipped: the list's filters (warehouse, shop, status) as the CRM's order filter, the
//! operator's choice of orders across pages, and the shipments that mark the chosen orders shipped through the bulk
//! job ([`super::job::BulkJob`]).

use std::collections::BTreeMap;

use crate::api::order::{By, Order, OrderShipment, OrdersFilter, OrdersRequest};

use super::validate::Shipment;

/// The page sizes the CRM accepts.
pub const PAGE_SIZES: [u32; 4] = [20, 50, 100, 250];

/// What the list shows: orders not shipped yet, of a warehouse, shop and status when chosen (blank: any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingFilter {
    /// A warehouse code (`shipmentStore` of the order).
    pub store: String,
    pub site: String,
    /// A status code.
    pub status: String,
    pub page: u32,
    pub limit: u32,
}

impl Default for WaitingFilter {
    fn default() -> Self {
        WaitingFilter {
            store: String::new(),
            site: String::new(),
            status: String::new(),
            page: 1,
            limit: PAGE_SIZES[0],
        }
    }
}

fn chosen(value: &str) -> Vec<String> {
    let value = value.trim();
    if value.is_empty() {
        Vec::new()
    } else {
        vec![value.to_string()]
    }
}

impl WaitingFilter {
    /// `GET /orders` of the page: `filter[shipped]=0` and the choices made.
    pub fn to_request(&self) -> OrdersRequest {
        OrdersRequest {
            limit: Some(if PAGE_SIZES.contains(&self.limit) {
                self.limit
            } else {
                PAGE_SIZES[0]
            }),
            page: Some(self.page.max(1)),
            filter: OrdersFilter {
                shipped: Some(false),
                shipment_stores: chosen(&self.store),
                sites: chosen(&self.site),
                extended_status: chosen(&self.status),
                ..OrdersFilter::default()
            },
        }
    }

    /// The same choices with `change` made, from the first page (a new choice is a new list).
    pub fn changed(&self, change: impl FnOnce(&mut WaitingFilter)) -> WaitingFilter {
        let mut next = self.clone();
        change(&mut next);
        next.page = 1;
        next
    }
}

/// Whether the orders of a page are chosen: none, some or all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageChoice {
    None,
    Some,
    All,
}

/// The orders the operator chose, kept (by id) while the pages change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    orders: BTreeMap<i64, Order>,
}

impl Selection {
    /// Chooses `order`, or leaves it out when it was chosen.
    pub fn toggle(&mut self, order: &Order) {
        if self.orders.remove(&order.id).is_none() {
            self.orders.insert(order.id, order.clone());
        }
    }

    pub fn contains(&self, id: i64) -> bool {
        self.orders.contains_key(&id)
    }

    /// Chooses every order of a page, or leaves every one out.
    pub fn set_page(&mut self, page: &[Order], chosen: bool) {
        for order in page {
            if chosen {
                self.orders.insert(order.id, order.clone());
            } else {
                self.orders.remove(&order.id);
            }
        }
    }

    /// How much of `page` is chosen (for the page's checkbox).
    pub fn page_choice(&self, page: &[Order]) -> PageChoice {
        let chosen = page.iter().filter(|o| self.contains(o.id)).count();
        match chosen {
            0 => PageChoice::None,
            n if n == page.len() => PageChoice::All,
            _ => PageChoice::Some,
        }
    }

    pub fn len(&self) -> usize {
        self.orders.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    /// The shipments that mark the chosen orders shipped (by id, in their shop), from warehouse `store` (`None`:
    /// the order's own) on `date` (`Y-m-d`; `None`: left as it is); in the order of their ids.
    pub fn shipments(&self, store: Option<&str>, date: Option<&str>) -> Vec<Shipment> {
        self.orders
            .values()
            .enumerate()
            .map(|(i, order)| Shipment {
                line: i + 1,
                by: By::Id,
                key: order.id.to_string(),
                site: order.site.clone(),
                order: OrderShipment {
                    shipped: Some(true),
                    shipment_store: store.map(str::to_string).or(order.shipment_store.clone()),
                    shipment_date: date.map(str::to_string),
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::order::OrderEditRequest;
    use crate::api::sim::{run, sim_client};
    use crate::api::{Endpoint, HttpResponse};
    use crate::runner::Runner;
    use crate::shipments::job::{BulkJob, JobState};

    fn order(id: i64, site: &str, store: Option<&str>) -> Order {
        Order {
            id,
            external_id: Some(format!("order-{id}")),
            number: Some(format!("{}A", 1000 + id)),
            site: Some(site.into()),
            shipment_store: store.map(str::to_string),
            ..Order::default()
        }
    }

    #[test]
    fn the_list_asks_for_orders_not_shipped_with_the_choices_made() {
        let all = WaitingFilter::default();
        assert_eq!(
            all.to_request().to_request().unwrap().path_and_query(),
            "/api/v5/orders?limit=20&page=1&filter%5Bshipped%5D=0"
        );
        let chosen = WaitingFilter {
            store: "north".into(),
            site: "shop-b".into(),
            status: "assembling".into(),
            page: 3,
            limit: 50,
        };
        assert_eq!(
            chosen.to_request().to_request().unwrap().path_and_query(),
            "/api/v5/orders?limit=50&page=3&filter%5Bsites%5D%5B%5D=shop-b&filter%5Bshipped%5D=0\
             &filter%5BshipmentStores%5D%5B%5D=north&filter%5BextendedStatus%5D%5B%5D=assembling"
        );
        let other = chosen.changed(|f| f.status.clear());
        assert_eq!(
            (other.page, other.limit, other.status.as_str()),
            (1, 50, "")
        );
        let odd = WaitingFilter {
            limit: 33,
            page: 0,
            ..WaitingFilter::default()
        };
        assert_eq!(
            (odd.to_request().limit, odd.to_request().page),
            (Some(20), Some(1))
        );
    }

    #[test]
    fn a_choice_spans_pages_and_becomes_shipments() {
        let page1 = [order(1, "shop-a", None), order(2, "shop-b", Some("main"))];
        let page2 = [order(3, "shop-a", None), order(4, "shop-a", None)];
        let mut chosen = Selection::default();
        chosen.toggle(&page1[1]);
        assert_eq!(chosen.page_choice(&page1), PageChoice::Some);
        // On to page 2: all of it, then one less.
        chosen.set_page(&page2, true);
        assert_eq!(chosen.page_choice(&page2), PageChoice::All);
        chosen.toggle(&page2[0]);
        assert_eq!(chosen.page_choice(&page2), PageChoice::Some);
        assert_eq!(chosen.len(), 2);
        // Back on page 1, the order chosen there is still chosen.
        assert!(chosen.contains(2) && !chosen.contains(1));
        let shipments = chosen.shipments(None, Some("2025-06-01"));
        assert_eq!(
            shipments
                .iter()
                .map(Shipment::request)
                .collect::<Vec<OrderEditRequest>>(),
            [
                OrderEditRequest {
                    id: "2".into(),
                    by: By::Id,
                    site: Some("shop-b".into()),
                    order: OrderShipment {
                        shipped: Some(true),
                        shipment_store: Some("main".into()),
                        shipment_date: Some("2025-06-01".into()),
                    },
                },
                OrderEditRequest {
                    id: "4".into(),
                    by: By::Id,
                    site: Some("shop-a".into()),
                    order: OrderShipment {
                        shipped: Some(true),
                        shipment_store: None,
                        shipment_date: Some("2025-06-01".into()),
                    },
                },
            ]
        );
        // A warehouse chosen for all of them wins over the order's own.
        let from_north = chosen.shipments(Some("north"), None);
        assert!(from_north
            .iter()
            .all(|s| s.order.shipment_store.as_deref() == Some("north")
                && s.order.shipment_date.is_none()));
        chosen.set_page(&page1, false);
        chosen.set_page(&page2, false);
        assert!(chosen.is_empty());
        assert_eq!(chosen.page_choice(&page2), PageChoice::None);
    }

    #[test]
    fn the_chosen_orders_are_marked_shipped_in_one_go_each_once() {
        let orders: Vec<Order> = (1..=12).map(|id| order(id, "shop-a", None)).collect();
        let mut chosen = Selection::default();
        chosen.set_page(&orders, true);
        chosen.toggle(&orders[4]);
        let (client, transport, clock) = sim_client(150.0, |req, _| {
            let id = req
                .url
                .split("/orders/")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_default()
                .to_string();
            HttpResponse::json(
                200,
                format!(
                    r#"{{"success":true,"id":{id},"order":{{"id":{id},"number":"{id}A","shipped":true}}}}"#
                ),
            )
        });
        let mut job = BulkJob::new(chosen.shipments(Some("main"), Some("2025-06-01")));
        job.start(clock.now());
        let runner = Runner::new(client, job);
        run(&clock, runner.clone().run());
        runner.with_job(|job| {
            assert_eq!(job.state(), JobState::Done);
            assert_eq!(job.counts().sent, 11);
        });
        let mut edited: Vec<String> = transport
            .sent()
            .iter()
            .map(|(_, r)| {
                r.url
                    .split("/api/v5")
                    .nth(1)
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        edited.sort();
        let mut want: Vec<String> = (1..=12)
            .filter(|&id| id != 5)
            .map(|id| format!("/orders/{id}/edit"))
            .collect();
        want.sort();
        assert_eq!(edited, want, "every chosen order once, by id");
        let body = transport.sent()[0].1.body.clone().unwrap_or_default();
        assert!(body.starts_with("by=id&site=shop-a&order="), "{body}");
    }
}
