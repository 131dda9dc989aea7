//! Sequences of operator actions on the connection flow: links naming other accounts, reloads, wrong keys, plain
//! HTTP, frames that block storage, forgetting the device.

use super::*;
use crate::connection::forget::Forgotten;
use crate::connection::keep::tests::memory_stores;

const PANEL: &str = "https://wms-panel.example.com";
const ACME: &str = "https://acme.retailcrm.ru";
const OTHER: &str = "http://127.0.0.1:9999";

fn flow(stores: &Stores, account: Option<&str>) -> ConnectionFlow {
    ConnectionFlow::new(
        stores.clone(),
        PANEL,
        account.and_then(crate::connection::address::account_param),
        StorageAccess::Kept,
        false,
    )
}

fn check(address: &str, key: &str) -> Step {
    Step::Check {
        address: address.into(),
        key: key.into(),
    }
}

/// Types the address and key, keeps it as chosen, clicks, and the CRM accepts it.
fn connect(stores: &Stores, address: &str, key: &str, keep: Keep) {
    let mut f = flow(stores, None);
    f.start();
    f.edit_address(address);
    f.edit_key(key);
    f.choose_keep(keep);
    assert_eq!(f.connect(), vec![check(address, key)]);
    f.checked(address, key, true);
    assert_eq!(f.phase(), Phase::Connected);
}

fn checks(steps: &[Step]) -> Vec<&Step> {
    steps
        .iter()
        .filter(|s| matches!(s, Step::Check { .. }))
        .collect()
}

#[test]
fn a_link_to_another_host_prefills_the_form_and_sends_nothing_until_the_click() {
    for keep in [Keep::Device, Keep::Tab] {
        let stores = memory_stores();
        connect(&stores, ACME, "k1", keep);
        // The page is opened again with a link naming another host.
        let mut f = flow(&stores, Some(OTHER));
        assert_eq!(f.start(), vec![Step::ProbeOrigin]);
        assert_eq!(f.origin_probed(false), vec![]);
        assert_eq!(f.address(), OTHER);
        assert_eq!(f.key(), "k1");
        assert_eq!(f.other_account(), Some((OTHER, ACME)));
        assert_eq!(f.phase(), Phase::Idle);
        // The operator's click is the confirmation (127.0.0.1 needs no HTTPS confirmation).
        assert_eq!(f.connect(), vec![check(OTHER, "k1")]);
    }
}

#[test]
fn going_back_to_the_verified_address_clears_the_warning() {
    let stores = memory_stores();
    connect(&stores, ACME, "k1", Keep::Device);
    let mut f = flow(&stores, Some("evil.example"));
    f.start();
    f.origin_probed(false);
    assert_eq!(f.other_account(), Some(("https://evil.example", ACME)));
    f.back_to_bound();
    assert_eq!((f.address(), f.other_account()), (ACME, None));
    assert_eq!(f.connect(), vec![check(ACME, "k1")]);
}

#[test]
fn a_reload_checks_the_kept_key_again_only_at_its_own_address() {
    let stores = memory_stores();
    connect(&stores, ACME, "k1", Keep::Tab);
    let mut f = flow(&stores, None);
    assert_eq!(f.start(), vec![check(ACME, "k1")]);
    // The CRM opens the panel naming the same account: no question to ask, the key goes to its own address.
    let mut f = flow(&stores, Some("acme.retailcrm.ru/"));
    assert_eq!(f.start(), vec![check(ACME, "k1")]);
    assert_eq!(f.origin_probed(true), vec![], "no probe was asked for");
    assert_eq!((f.other_account(), f.label()), (None, None));
}

#[test]
fn a_same_origin_proxy_is_used_and_the_account_only_labels_it() {
    let stores = memory_stores();
    let mut f = flow(&stores, Some(ACME));
    assert_eq!(f.start(), vec![Step::ProbeOrigin]);
    assert_eq!(f.origin_probed(true), vec![]);
    assert_eq!((f.address(), f.label()), (PANEL, Some("acme.retailcrm.ru")));
    f.edit_key("k1");
    assert_eq!(f.connect(), vec![check(PANEL, "k1")]);
    f.checked(PANEL, "k1", true);
    // Next time the same link checks the kept key through the proxy at once.
    let mut f = flow(&stores, Some(ACME));
    f.start();
    assert_eq!(f.origin_probed(true), vec![check(PANEL, "k1")]);
}

#[test]
fn the_operator_typing_during_the_probe_wins() {
    let stores = memory_stores();
    let mut f = flow(&stores, Some(ACME));
    f.start();
    f.edit_key("typed");
    assert_eq!(f.origin_probed(true), vec![]);
    assert_eq!((f.address(), f.key(), f.label()), (ACME, "typed", None));
}

#[test]
fn a_key_is_kept_only_after_a_successful_check_and_where_chosen() {
    let stores = memory_stores();
    let mut f = flow(&stores, None);
    assert_eq!(f.start(), vec![]);
    assert_eq!(f.address(), PANEL);
    f.edit_address(ACME);
    f.edit_key("wrong");
    f.choose_keep(Keep::Device);
    assert_eq!(f.connect(), vec![check(ACME, "wrong")]);
    assert_eq!(stores.bound_key(), None, "nothing kept while checking");
    f.checked(ACME, "wrong", false);
    assert_eq!((f.phase(), stores.bound_key()), (Phase::Failed, None));
    assert!(stores.device.keys().is_empty() && stores.tab.keys().is_empty());
    // After a reload nothing is sent.
    let mut again = flow(&stores, None);
    assert_eq!(again.start(), vec![]);

    f.edit_key("k1");
    f.connect();
    f.checked(ACME, "k1", true);
    let bound = BoundKey {
        address: ACME.into(),
        key: "k1".into(),
    };
    assert_eq!(stores.bound_key(), Some((bound.clone(), Keep::Device)));
    // Unticking "remember" moves the working key to the tab.
    f.choose_keep(Keep::Tab);
    assert_eq!(stores.bound_key(), Some((bound, Keep::Tab)));
    assert_eq!(stores.device.get("warehouse-panel.api-key"), None);
}

#[test]
fn the_answer_of_an_older_check_changes_nothing() {
    let stores = memory_stores();
    let mut f = flow(&stores, None);
    f.start();
    f.edit_address(ACME);
    f.edit_key("k1");
    f.connect();
    f.edit_key("k2");
    f.connect();
    f.checked(ACME, "k1", true);
    assert_eq!((f.phase(), stores.bound_key()), (Phase::Checking, None));
    f.checked(ACME, "k2", true);
    assert_eq!(stores.bound_key().map(|(b, _)| b.key), Some("k2".into()));
}

#[test]
fn plain_http_to_another_computer_waits_for_a_confirmation() {
    let stores = memory_stores();
    let mut f = flow(&stores, None);
    f.start();
    f.edit_address("http://crm.example.com");
    f.edit_key("k1");
    assert_eq!(f.connect(), vec![]);
    assert_eq!(f.awaiting_insecure(), Some("http://crm.example.com"));
    // Editing the address drops the question; declining sends nothing.
    f.edit_address("http://crm.example.com/");
    assert_eq!(f.awaiting_insecure(), None);
    assert_eq!(f.confirm_insecure(), vec![]);
    assert_eq!(f.connect(), vec![]);
    f.cancel_insecure();
    assert_eq!(f.confirm_insecure(), vec![]);
    f.connect();
    assert_eq!(
        f.confirm_insecure(),
        vec![check("http://crm.example.com", "k1")]
    );
    // Once confirmed (and once the key works there) the address is not questioned again.
    assert_eq!(f.connect(), vec![check("http://crm.example.com", "k1")]);
    f.checked("http://crm.example.com", "k1", true);
    let mut reload = flow(&stores, None);
    assert_eq!(reload.start(), vec![check("http://crm.example.com", "k1")]);
    assert_eq!(
        reload.connect(),
        vec![check("http://crm.example.com", "k1")]
    );

    for quiet in [
        "http://localhost:8080",
        "http://127.0.0.1:8080",
        "http://[::1]:8080",
        ACME,
    ] {
        f.edit_address(quiet);
        assert_eq!(checks(&f.connect()).len(), 1, "{quiet}");
    }
}

#[test]
fn a_frame_that_blocks_storage_asks_for_access_once_on_the_click_and_keeps_working() {
    let stores = memory_stores();
    let mut f = ConnectionFlow::new(
        stores.clone(),
        PANEL,
        None,
        StorageAccess::Blocked { can_ask: true },
        true,
    );
    assert_eq!(f.start(), vec![], "nothing is asked without a click");
    assert_eq!(f.storage(), StorageAccess::Blocked { can_ask: true });
    f.edit_key("k1");
    assert_eq!(
        f.connect(),
        vec![Step::AskStorageAccess, check(PANEL, "k1")]
    );
    assert_eq!(f.storage(), StorageAccess::Asking);
    f.checked(PANEL, "k1", true);
    assert_eq!(f.phase(), Phase::Connected);
    f.storage_answered(false);
    assert_eq!(f.storage(), StorageAccess::Refused);
    assert_eq!(f.connect(), vec![check(PANEL, "k1")], "asked once only");

    let mut no_api = ConnectionFlow::new(
        memory_stores(),
        PANEL,
        None,
        StorageAccess::Blocked { can_ask: false },
        true,
    );
    no_api.start();
    assert!(no_api.framed());
    assert_eq!(no_api.connect(), vec![check(PANEL, "")]);
}

#[test]
fn forgetting_the_device_removes_the_key_and_everything_else() {
    let stores = memory_stores();
    connect(&stores, ACME, "k1", Keep::Device);
    stores.keep_site(Some("shop-a"));
    stores.device.set("warehouse-panel.lang", "ru");
    let mut f = flow(&stores, None);
    assert_eq!(f.start(), vec![check(ACME, "k1")]);
    f.checked(ACME, "k1", true);
    let report = f.forget();
    let kinds: Vec<Forgotten> = report.items.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        kinds,
        vec![
            Forgotten::Key,
            Forgotten::Address,
            Forgotten::Site,
            Forgotten::Language
        ]
    );
    assert_eq!(
        (f.key(), f.bound_address(), f.keep()),
        ("", None, Keep::Tab)
    );
    assert!(stores.device.keys().is_empty());
    let mut reload = flow(&stores, None);
    assert_eq!(reload.start(), vec![]);
    assert_eq!(reload.address(), PANEL);
}
