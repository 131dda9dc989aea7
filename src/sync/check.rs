//! `warehouse-sync check`, and the connection every command starts with: the account's address, a client whose
//! traffic is counted, the connection check and the key's rights.

use std::cell::Cell;
use std::rc::Rc;

use super::console::{Console, Exit};
use super::report::Traffic;
use crate::api::credentials::{Access, Capability};
use crate::api::native::{native_client, NativeClient};
use crate::api::{normalize_base_url, RetryReason, TrafficConfig, TrafficEvent};
use crate::connection::check::{check_connection, ConnectionCheck};

/// The account's address as the client uses it, or why it is not one.
pub(super) fn account_url(account: &str) -> Result<String, String> {
    let url = normalize_base_url(account);
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    if url.is_empty()
        || host.is_empty()
        || !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(format!(
            "«{account}» is not a CRM address (e.g. https://example.retailcrm.ru)"
        ));
    }
    Ok(url)
}

/// The client for `account`, and its traffic: every response and retry counted. `Err` (said on the console) when
/// HTTPS cannot be set up on this machine.
pub(super) fn counted_client(
    account: &str,
    key: &str,
    console: &dyn Console,
) -> Result<(NativeClient, Rc<Cell<Traffic>>), Exit> {
    let client = native_client(account, key, TrafficConfig::default()).map_err(|e| {
        console.note(&format!("HTTPS cannot be set up here: {e}"));
        Exit::Connection
    })?;
    let traffic = Rc::new(Cell::new(Traffic::default()));
    let counted = traffic.clone();
    let client = client.with_observer(move |event| {
        let mut t = counted.get();
        match event {
            TrafficEvent::Responded { status, .. } => {
                t.requests += 1;
                if *status == 503 || *status == 429 {
                    t.rate_limited += 1;
                }
            }
            TrafficEvent::Retrying {
                reason: RetryReason::Network { .. },
                ..
            } => t.network_retries += 1,
            _ => {}
        }
        counted.set(t);
    });
    Ok((client, traffic))
}

/// The connection check; `Err` (said on the console) when the CRM cannot be used with this key.
pub(super) async fn connect(
    client: &NativeClient,
    console: &dyn Console,
) -> Result<ConnectionCheck, Exit> {
    match check_connection(client).await {
        Ok(check) if check.is_usable() => Ok(check),
        Ok(_) => {
            console.note(&format!("{} does not offer API v5", client.base_url()));
            Err(Exit::Connection)
        }
        Err(e) => {
            console.note(&format!("{}: {}", client.base_url(), e.description()));
            Err(Exit::Connection)
        }
    }
}

fn capability_name(capability: Capability) -> &'static str {
    match capability {
        Capability::Connect => "connect",
        Capability::Module => "integration module",
        Capability::InventoriesRead => "read stock",
        Capability::Upload => "upload stock",
        Capability::Catalog => "catalog",
        Capability::Shipments => "shipments",
    }
}

/// `Err` (said on the console) when the key lacks a right one of `needed` takes.
pub(super) fn require(
    check: &ConnectionCheck,
    needed: &[Capability],
    console: &dyn Console,
) -> Result<(), Exit> {
    for &capability in needed {
        if let Access::Missing(rights) = check.credentials.access(capability) {
            let missing: Vec<String> = rights
                .iter()
                .map(|r| format!("{} ({})", r.scope(), r.description()))
                .collect();
            console.note(&format!(
                "the API key may not {}: it lacks {}",
                capability_name(capability),
                missing.join(", ")
            ));
            return Err(Exit::Connection);
        }
    }
    Ok(())
}

/// `warehouse-sync check`: the connection check and the key's rights.
pub async fn check(account: &str, key: &str, console: &dyn Console) -> Exit {
    let url = match account_url(account) {
        Ok(url) => url,
        Err(e) => {
            console.note(&e);
            return Exit::Invalid;
        }
    };
    let (client, _) = match counted_client(&url, key, console) {
        Ok(made) => made,
        Err(exit) => return exit,
    };
    let check = match connect(&client, console).await {
        Ok(check) => check,
        Err(exit) => return exit,
    };
    console.say(&format!(
        "account: {} (API {})",
        client.base_url(),
        check.versions.versions.join(", ")
    ));
    match &check.sites {
        Ok(sites) => {
            let codes: Vec<&str> = sites.iter().map(|s| s.code.as_str()).collect();
            console.say(&format!("sites the key may use: {}", codes.join(", ")));
        }
        Err(e) => console.say(&format!("sites: not readable ({})", e.description())),
    }
    console.say("rights of the key:");
    for (capability, access) in check.credentials.capabilities() {
        let text = match access {
            Access::Allowed => "allowed".to_string(),
            Access::Unknown => "unknown (the CRM lists no rights)".to_string(),
            Access::Missing(rights) => {
                let names: Vec<&str> = rights.iter().map(|r| r.scope()).collect();
                format!("missing {}", names.join(", "))
            }
        };
        console.say(&format!("  {:<20} {text}", capability_name(capability)));
    }
    match require(&check, &[Capability::Upload], console) {
        Ok(()) => Exit::Applied,
        Err(exit) => exit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_addresses() {
        assert_eq!(
            account_url("acme.retailcrm.ru/"),
            Ok("https://acme.retailcrm.ru".to_string())
        );
        assert_eq!(
            account_url("http://127.0.0.1:8080"),
            Ok("http://127.0.0.1:8080".to_string())
        );
        assert!(account_url("").is_err());
        assert!(account_url("ftp://x").is_err());
    }
}
