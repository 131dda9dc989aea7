//! Checking a CRM address and key: API v5 available, the key's rights per capability, the sites it may use.

use crate::api::credentials::{ApiVersionsResponse, CredentialsResponse};
use crate::api::reference::Site;
use crate::api::{ApiError, Client, Clock, ErrorKind, Transport};

/// What a successful check found.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionCheck {
    pub versions: ApiVersionsResponse,
    pub credentials: CredentialsResponse,
    /// The sites the key may use (all the CRM's when access is full), or the failure to list them.
    pub sites: Result<Vec<Site>, ApiError>,
}

/// Calls `/api/api-versions`, `/api/credentials` and `/api/v5/reference/sites` with the client's address and key.
/// A failure to list the sites is kept in the result (the key may lack that right); any other failure ends the check.
pub async fn check_connection<T: Transport, C: Clock>(
    client: &Client<T, C>,
) -> Result<ConnectionCheck, ApiError> {
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

impl ConnectionCheck {
    /// Whether the key works with API v5 here.
    pub fn is_usable(&self) -> bool {
        self.versions.has_v5()
    }

    /// The site to work with after this check: `chosen` while the key may still use it, else the only site the
    /// key may use, else none.
    pub fn site_choice(&self, chosen: Option<String>) -> Option<String> {
        let Ok(sites) = &self.sites else {
            return chosen;
        };
        let still_usable = chosen
            .as_ref()
            .is_some_and(|c| sites.iter().any(|s| &s.code == c));
        if still_usable {
            chosen
        } else {
            match sites.as_slice() {
                [only] => Some(only.code.clone()),
                _ => None,
            }
        }
    }
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
