//! The panel's API client against the crm-sandbox over real HTTP: every endpoint once, plus the error kinds,
//! so the two independent implementations of the wire contract are held against each other.
#![cfg(not(target_arch = "wasm32"))]

use crm_sandbox::Config;
use warehouse_panel::api::credentials::Access;
use warehouse_panel::api::inventory::{
    InventoriesFilter, InventoriesRequest, InventoriesUploadRequest, OfferRef, OfferStockUpload,
    StoreStockUpload,
};
use warehouse_panel::api::module::{
    IntegrationModuleEditRequest, StoreAction, INVENTORIES_UPLOAD_ACTION,
};
use warehouse_panel::api::order::{
    By, OrderEditRequest, OrderRequest, OrderShipment, OrdersFilter, OrdersRequest,
};
use warehouse_panel::api::product::{
    ProductGroupsRequest, ProductPropertiesRequest, ProductsFilter, ProductsRequest,
};
use warehouse_panel::api::{ApiError, ErrorKind, TrafficConfig, TrafficEvent};
use warehouse_panel::runner::read::{every_item, ReadState};
use warehouse_panel::runner::Runner;

use warehouse_panel::api::native::{native_client, NativeClient};

fn client(base: &str, key: &str) -> NativeClient {
    native_client(base, key, TrafficConfig::default()).expect("HTTP client")
}

#[test]
fn every_endpoint_against_the_sandbox() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    // The sandbox's own rate limit is on (10 rps per key): the client must stay under it or retry.
    let config = Config {
        rate_limit: 10,
        ..Config::for_tests()
    };
    let (key, limited) = (
        config.api_key.clone(),
        config.limited_key.clone().expect("limited key"),
    );
    let sandbox = runtime
        .block_on(crm_sandbox::spawn(config))
        .expect("sandbox starts");
    let base = sandbox.url();
    let retries = std::rc::Rc::new(std::cell::Cell::new(0));
    let seen = retries.clone();

    // The client runs on this thread (its futures are not Send), its connections on the runtime's workers.
    runtime.block_on(async {
        let crm = client(&base, &key).with_observer(move |e| {
            if matches!(e, TrafficEvent::Retrying { .. }) {
                seen.set(seen.get() + 1);
            }
        });
        // Connect.
        assert!(crm.api_versions().await.unwrap().has_v5());
        let creds = crm.credentials().await.unwrap();
        assert!(
            creds
                .capabilities()
                .iter()
                .all(|(_, a)| *a == Access::Allowed),
            "{creds:?}"
        );
        let sites = crm.sites().await.unwrap().sites;
        assert!(sites.len() >= 2, "{sites:?}");
        let site = sites[0].code.clone();

        // Warehouses.
        let stores = crm.stores().await.unwrap().stores;
        assert!(stores.iter().any(|s| s.is_availability_only()));
        let main = stores
            .iter()
            .find(|s| !s.is_availability_only() && s.active == Some(true))
            .unwrap();

        // The module: read, change the name, read back; unknown fields survive the round trip.
        let code = "demo-wms";
        let mut module = crm
            .integration_module(code)
            .await
            .unwrap()
            .integration_module;
        assert!(
            module.store_action(INVENTORIES_UPLOAD_ACTION).is_some(),
            "{module:?}"
        );
        module.name = Some("Renamed WMS".into());
        module.active = Some(true);
        module.set_store_action(StoreAction {
            code: INVENTORIES_UPLOAD_ACTION.into(),
            url: "/callback/inventories".into(),
            call_points: vec!["manual".into()],
            ..Default::default()
        });
        let edited = crm
            .call(&IntegrationModuleEditRequest {
                module: module.clone(),
            })
            .await
            .unwrap();
        assert!(edited.info.is_empty());
        let back = crm
            .integration_module(code)
            .await
            .unwrap()
            .integration_module;
        assert_eq!(back.name.as_deref(), Some("Renamed WMS"));
        assert_eq!(
            back.store_action(INVENTORIES_UPLOAD_ACTION)
                .unwrap()
                .call_points,
            ["manual"]
        );

        // Stock: every page, with details, read side by side by the runner; kept in page order.
        let first = InventoriesRequest {
            limit: Some(100),
            filter: InventoriesFilter {
                details: Some(true),
                ..Default::default()
            },
            ..Default::default()
        };
        let read = Runner::new(crm.clone(), every_item(first));
        read.clone().run().await;
        let (state, progress) = read.with_job(|j| (j.state().clone(), j.progress()));
        assert_eq!(state, ReadState::Done);
        assert!(progress.pages_done >= 2, "{progress:?}");
        let offers = read.with_job(|j| j.sink().items().to_vec());
        assert_eq!(offers.len(), progress.items_announced);
        let ids: Vec<i64> = offers.iter().map(|o| o.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "every offer once");
        let offer = offers
            .iter()
            .find(|o| o.external_id.is_some() && o.site.as_deref() == Some(&*site))
            .unwrap();
        let ext = offer.external_id.clone().unwrap();

        // Upload: one known offer, one unknown.
        let upload = InventoriesUploadRequest {
            offers: vec![
                OfferStockUpload {
                    offer: OfferRef::ExternalId(ext.clone()),
                    stores: vec![StoreStockUpload {
                        code: main.code.clone(),
                        available: Some(7.0),
                        purchase_price: Some(12.5),
                    }],
                },
                OfferStockUpload {
                    offer: OfferRef::ExternalId("no-such-offer".into()),
                    stores: vec![StoreStockUpload {
                        code: main.code.clone(),
                        available: Some(1.0),
                        purchase_price: None,
                    }],
                },
            ],
            site: Some(site.clone()),
        };
        let up = crm.call(&upload).await.unwrap();
        assert_eq!(up.processed_offers_count, Some(1));
        assert_eq!(up.not_found_offers.len(), 1);
        assert_eq!(
            up.not_found_offers[0].external_id.as_deref(),
            Some("no-such-offer")
        );
        let check = InventoriesRequest {
            filter: InventoriesFilter {
                offer_external_id: vec![ext.clone()],
                sites: vec![site.clone()],
                details: Some(true),
                ..Default::default()
            },
            ..Default::default()
        };
        let after = crm.inventories(&check).await.unwrap().offers;
        let stock = after[0]
            .stores
            .iter()
            .find(|s| s.store == main.code)
            .unwrap();
        assert_eq!((stock.quantity, stock.purchase_price), (7.0, Some(12.5)));

        // Catalog.
        let groups = crm.call(&ProductGroupsRequest::default()).await.unwrap();
        assert!(!groups.product_group.is_empty());
        let products = crm
            .call(&ProductsRequest {
                limit: Some(20),
                filter: ProductsFilter {
                    sites: vec![site.clone()],
                    ..Default::default()
                },
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(products.products.iter().all(|p| !p.offers.is_empty()));
        let properties = crm
            .call(&ProductPropertiesRequest::default())
            .await
            .unwrap();
        assert!(!properties.properties.is_empty());

        // Orders: list, get, un-ship (false is sent) and ship.
        let orders = crm
            .call(&OrdersRequest {
                limit: Some(20),
                ..Default::default()
            })
            .await
            .unwrap()
            .orders;
        let order = orders.iter().find(|o| o.external_id.is_some()).unwrap();
        let order_ext = order.external_id.clone().unwrap();
        let order_site = order.site.clone();
        let got = crm
            .order(&OrderRequest {
                id: order_ext.clone(),
                by: By::ExternalId,
                site: order_site.clone(),
            })
            .await
            .unwrap()
            .order;
        assert_eq!(got.id, order.id);
        // Its number finds it too, and its status has a name in the account.
        let by_number = crm
            .call(&OrdersRequest {
                filter: OrdersFilter {
                    numbers: vec![order.number.clone().unwrap()],
                    ..Default::default()
                },
                ..Default::default()
            })
            .await
            .unwrap()
            .orders;
        assert_eq!(
            by_number.iter().map(|o| o.id).collect::<Vec<_>>(),
            [order.id]
        );
        let statuses = crm.statuses().await.unwrap().statuses;
        let status = statuses
            .iter()
            .find(|s| Some(&s.code) == order.status.as_ref())
            .unwrap();
        assert!(!status.name.is_empty() && status.name != status.code);
        let edit = |shipment: OrderShipment| OrderEditRequest {
            id: order_ext.clone(),
            by: By::ExternalId,
            site: order_site.clone(),
            order: shipment,
        };
        let unshipped = crm
            .edit_order(&edit(OrderShipment {
                shipped: Some(false),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(unshipped.order.unwrap().shipped, Some(false));
        let shipped = crm
            .edit_order(&edit(OrderShipment {
                shipped: Some(true),
                shipment_store: Some(main.code.clone()),
                shipment_date: Some("2025-03-01".into()),
            }))
            .await
            .unwrap()
            .order
            .unwrap();
        assert_eq!(shipped.shipped, Some(true));
        assert_eq!(shipped.shipment_store.as_deref(), Some(main.code.as_str()));
        assert_eq!(shipped.shipment_date.as_deref(), Some("2025-03-01"));
        let by_id = crm
            .order(&OrderRequest {
                id: order.id.to_string(),
                by: By::Id,
                site: None,
            })
            .await
            .unwrap()
            .order;
        assert_eq!(by_id.shipped, Some(true));

        // Errors, as the sandbox renders them.
        let bad_store = crm
            .edit_order(&edit(OrderShipment {
                shipment_store: Some("nowhere".into()),
                ..Default::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(bad_store.status(), Some(400));
        assert!(
            bad_store
                .errors()
                .iter()
                .any(|e| e.field.as_deref() == Some("shipmentStore")),
            "{bad_store:?}"
        );
        assert_eq!(
            crm.integration_module("no-such-module")
                .await
                .unwrap_err()
                .kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            client(&base, "wrong-key").stores().await.unwrap_err(),
            ApiError::WrongKey
        );
        let denied = client(&base, &limited).call(&upload).await.unwrap_err();
        assert_eq!(denied.kind(), ErrorKind::AccessDenied, "{denied:?}");
        let limited_creds = client(&base, &limited).credentials().await.unwrap();
        assert!(matches!(
            limited_creds.access(warehouse_panel::api::credentials::Capability::Upload),
            Access::Missing(_)
        ));
    });
    eprintln!(
        "retries against the sandbox's rate limit: {}",
        retries.get()
    );
    drop(sandbox);
}
