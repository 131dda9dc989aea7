//! Checking a CRM address and key: API v5 available, the key's rights per capability, the sites it may use.

use crate::api::credentials::{ApiVersionsResponse, CredentialsResponse};
use crate::api::reference::Site;
use crate::api::{ApiError, ErrorKind};
use crate::ui::session::Session;
use leptos::prelude::*;

/// What a successful check found.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionCheck {
    pub versions: ApiVersionsResponse,
    pub credentials: CredentialsResponse,
    /// The sites the key may use (all the CRM's when access is full), or the failure to list them.
    pub sites: Result<Vec<Site>, ApiError>,
}

/// Calls `/api/api-versions`, `/api/credentials` and `/api/v5/reference/sites` with the session's address and key.
/// On success the session is marked verified and, when the key may use exactly one site, that site is chosen.
/// Only the latest check changes the session: one that ends after a newer one has started is ignored.
pub async fn check_connection(session: Session) -> Result<ConnectionCheck, ApiError> {
    let number = session.begin_check();
    let client = session.client();
    let outcome = async {
        let versions = client.api_versions().await?;
        let credentials = client.credentials().await?;
        let sites = match client.sites().await {
            Ok(found) => Ok(usable_sites(found.sites, &credentials)),
            Err(e) if e.kind() == ErrorKind::Cancelled => return Err(e),
            Err(e) => Err(e),
        };
        Ok(ConnectionCheck {
            versions,
            credentials,
            sites,
        })
    }
    .await;
    if !session.is_latest_check(number) {
        return outcome;
    }
    match &outcome {
        Ok(check) => {
            // The check first, then "verified": screens shown on "verified" find the sites already there.
            session.last_check.set(Some(check.clone()));
            if let Ok(sites) = &check.sites {
                let chosen = session.site.get_untracked();
                let still_usable = chosen
                    .as_ref()
                    .is_some_and(|c| sites.iter().any(|s| &s.code == c));
                if !still_usable {
                    session
                        .site
                        .set((sites.len() == 1).then(|| sites[0].code.clone()));
                }
            }
            session.verified.set(check.versions.has_v5());
        }
        Err(_) => session.verified.set(false),
    }
    outcome
}

/// The sites a key may use: all of them with full access, else those the CRM lists as available.
fn usable_sites(all: Vec<Site>, credentials: &CredentialsResponse) -> Vec<Site> {
    let selective = credentials.site_access.as_deref() == Some("access_selective");
    if selective && !credentials.sites_available.is_empty() {
        all.into_iter()
            .filter(|s| credentials.sites_available.contains(&s.code))
            .collect()
    } else {
        all
    }
}
