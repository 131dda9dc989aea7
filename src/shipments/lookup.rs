//! Finding one order: by externalId or id (`GET /orders/{key}?by=`), or by its number as printed on the packing slip
//! (`GET /orders?filter[numbers][]=`); what the search found; and the key a found order is edited by.

use crate::api::order::{By, Order, OrderRequest, OrdersFilter, OrdersRequest};

/// Which identifier the operator typed (externalId unless chosen otherwise, as before the number could be).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FindBy {
    /// The number on documents (`1001A`).
    Number,
    #[default]
    ExternalId,
    Id,
}

impl FindBy {
    /// `number`, `externalId` or `id` (the values of the screen's choice).
    pub fn as_str(self) -> &'static str {
        match self {
            FindBy::Number => "number",
            FindBy::ExternalId => "externalId",
            FindBy::Id => "id",
        }
    }

    /// The choice named by `value`; anything unknown is the externalId.
    pub fn from_choice(value: &str) -> Self {
        match value {
            "number" => FindBy::Number,
            "id" => FindBy::Id,
            _ => FindBy::ExternalId,
        }
    }
}

/// What to ask the CRM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// One order by externalId (within the shop) or id.
    Key(OrderRequest),
    /// The orders with this number (any shop); the shop chosen breaks a tie.
    Number {
        request: OrdersRequest,
        number: String,
        site: Option<String>,
    },
}

/// The lookup of `key` typed as `by`, in shop `site`; `None` for a blank key.
pub fn lookup(by: FindBy, key: &str, site: Option<&str>) -> Option<Lookup> {
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    let site = site.map(str::to_string);
    let one = |by| {
        Lookup::Key(OrderRequest {
            id: key.to_string(),
            by,
            site: site.clone(),
        })
    };
    Some(match by {
        FindBy::ExternalId => one(By::ExternalId),
        FindBy::Id => one(By::Id),
        FindBy::Number => Lookup::Number {
            request: OrdersRequest {
                limit: Some(20),
                page: Some(1),
                filter: OrdersFilter {
                    numbers: vec![key.to_string()],
                    ..OrdersFilter::default()
                },
            },
            number: key.to_string(),
            site,
        },
    })
}

/// What a lookup found.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// The order, and the request that reads it again (and edits it).
    Order(OrderRequest, Box<Order>),
    /// Several orders carry the number: the operator picks one.
    Several(Vec<Order>),
    /// No order carries the number.
    NoNumber(String),
}

/// How an order found is read again and edited: by its id, in its own shop.
pub fn edit_key(order: &Order) -> OrderRequest {
    OrderRequest {
        id: order.id.to_string(),
        by: By::Id,
        site: order.site.clone(),
    }
}

/// The order of `number` among the orders the CRM listed for it: the only one, or the only one in shop `site`.
pub fn found_by_number(number: &str, orders: Vec<Order>, site: Option<&str>) -> Found {
    let same: Vec<Order> = orders
        .into_iter()
        .filter(|o| o.number.as_deref() == Some(number))
        .collect();
    let in_site: Vec<&Order> = same
        .iter()
        .filter(|o| site.is_some() && o.site.as_deref() == site)
        .collect();
    let one = match (same.as_slice(), in_site.as_slice()) {
        ([], _) => return Found::NoNumber(number.to_string()),
        ([one], _) => one.clone(),
        (_, [one]) => (*one).clone(),
        _ => return Found::Several(same),
    };
    Found::Order(edit_key(&one), Box::new(one))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Endpoint;

    fn order(id: i64, number: &str, site: &str) -> Order {
        Order {
            id,
            number: Some(number.into()),
            site: Some(site.into()),
            ..Order::default()
        }
    }

    #[test]
    fn the_identifier_typed_decides_the_request() {
        let Some(Lookup::Number {
            request, number, ..
        }) = lookup(FindBy::Number, " 1001A ", Some("shop-a"))
        else {
            panic!("a number lookup")
        };
        assert_eq!(number, "1001A");
        assert_eq!(
            request.to_request().unwrap().path_and_query(),
            "/api/v5/orders?limit=20&page=1&filter%5Bnumbers%5D%5B%5D=1001A",
            "any shop: the number is printed on the slip"
        );
        let by_external = lookup(FindBy::ExternalId, "order-1", Some("shop-b"));
        assert_eq!(
            by_external,
            Some(Lookup::Key(OrderRequest {
                id: "order-1".into(),
                by: By::ExternalId,
                site: Some("shop-b".into()),
            }))
        );
        assert!(matches!(
            lookup(FindBy::Id, "7", None),
            Some(Lookup::Key(OrderRequest { by: By::Id, .. }))
        ));
        assert_eq!(lookup(FindBy::Number, "  ", None), None);
        for by in [FindBy::Number, FindBy::ExternalId, FindBy::Id] {
            assert_eq!(FindBy::from_choice(by.as_str()), by);
        }
        assert_eq!(FindBy::default(), FindBy::ExternalId);
    }

    #[test]
    fn a_number_finds_one_order_or_asks_which() {
        let a = order(1, "1001A", "shop-a");
        let b = order(2, "1001A", "shop-b");
        assert_eq!(
            found_by_number("1001A", vec![a.clone()], Some("shop-b")),
            Found::Order(
                OrderRequest {
                    id: "1".into(),
                    by: By::Id,
                    site: Some("shop-a".into())
                },
                Box::new(a.clone())
            ),
            "the only order of that number, whatever the shop chosen"
        );
        assert_eq!(
            found_by_number("1001A", vec![a.clone(), b.clone()], Some("shop-b")),
            Found::Order(edit_key(&b), Box::new(b.clone()))
        );
        assert_eq!(
            found_by_number("1001A", vec![a.clone(), b.clone()], None),
            Found::Several(vec![a.clone(), b])
        );
        assert_eq!(
            found_by_number("1001A", vec![order(3, "1001AB", "shop-a")], None),
            Found::NoNumber("1001A".into()),
            "only the exact number counts"
        );
        assert_eq!(
            found_by_number("1", vec![], None),
            Found::NoNumber("1".into())
        );
    }
}
