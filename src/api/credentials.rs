//! The key check: `api-versions`, `credentials`, and what the key's rights allow the panel to do.

use serde::Deserialize;

use super::encode::Params;
use super::endpoint::{ApiRequest, Endpoint};
use super::error::ApiError;
use super::lenient;

/// `GET /api/api-versions` (unversioned): the API versions the account offers; also a cheap key check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ApiVersionsRequest;

/// The answer of [`ApiVersionsRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ApiVersionsResponse {
    #[serde(default, deserialize_with = "lenient::list")]
    pub versions: Vec<String>,
}

impl ApiVersionsResponse {
    /// Whether API v5 is offered (`"5.0"`, `"5.1"`, ...).
    pub fn has_v5(&self) -> bool {
        self.versions
            .iter()
            .any(|v| v == "5" || v.starts_with("5."))
    }
}

impl Endpoint for ApiVersionsRequest {
    type Response = ApiVersionsResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        Ok(ApiRequest::get("/api/api-versions", Params::new()))
    }
}

/// `GET /api/credentials` (unversioned): the rights of the key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CredentialsRequest;

/// The answer of [`CredentialsRequest`]: `scopes` (current model) and/or `credentials` (older list of method paths).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialsResponse {
    #[serde(default, deserialize_with = "lenient::list")]
    pub scopes: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub credentials: Vec<String>,
    /// `access_full` or `access_selective`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub site_access: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub sites_available: Vec<String>,
}

impl Endpoint for CredentialsRequest {
    type Response = CredentialsResponse;
    fn to_request(&self) -> Result<ApiRequest, ApiError> {
        Ok(ApiRequest::get("/api/credentials", Params::new()))
    }
}

/// A right a key can hold: a scope name, or (older keys) the list of method paths it stands for.
/// The store and order scope names are not publicly confirmed; these are the names the sandbox uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Right {
    ReferenceRead,
    IntegrationRead,
    IntegrationWrite,
    StoreRead,
    StoreWrite,
    OrderRead,
    OrderWrite,
}

impl Right {
    /// The scope name.
    pub fn scope(self) -> &'static str {
        match self {
            Self::ReferenceRead => "reference_read",
            Self::IntegrationRead => "integration_read",
            Self::IntegrationWrite => "integration_write",
            Self::StoreRead => "store_read",
            Self::StoreWrite => "store_write",
            Self::OrderRead => "order_read",
            Self::OrderWrite => "order_write",
        }
    }

    /// The method paths (without `/api/` and version) that make up this right in an older `credentials` list.
    pub fn paths(self) -> &'static [&'static str] {
        match self {
            Self::ReferenceRead => &["reference/stores", "reference/sites"],
            Self::IntegrationRead => &["integration-modules/{}"],
            Self::IntegrationWrite => &["integration-modules/{}/edit"],
            Self::StoreRead => &[
                "store/inventories",
                "store/product-groups",
                "store/products",
                "store/products/properties",
            ],
            Self::StoreWrite => &["store/inventories/upload"],
            Self::OrderRead => &["orders", "orders/{}"],
            Self::OrderWrite => &["orders/{}/edit"],
        }
    }

    /// A translation key, e.g. `"api.right.store_write"`.
    pub fn key(self) -> &'static str {
        match self {
            Self::ReferenceRead => "api.right.reference_read",
            Self::IntegrationRead => "api.right.integration_read",
            Self::IntegrationWrite => "api.right.integration_write",
            Self::StoreRead => "api.right.store_read",
            Self::StoreWrite => "api.right.store_write",
            Self::OrderRead => "api.right.order_read",
            Self::OrderWrite => "api.right.order_write",
        }
    }

    /// Plain English: what the right lets the panel do.
    pub fn description(self) -> &'static str {
        match self {
            Self::ReferenceRead => "read warehouses and shops",
            Self::IntegrationRead => "read the integration module",
            Self::IntegrationWrite => "register and change the integration module",
            Self::StoreRead => "read stock, purchase prices and the catalog",
            Self::StoreWrite => "change stock and purchase prices",
            Self::OrderRead => "read orders",
            Self::OrderWrite => "change orders",
        }
    }
}

/// What the panel can do, each needing some rights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    Connect,
    Module,
    InventoriesRead,
    Upload,
    Catalog,
    Shipments,
}

impl Capability {
    /// Every capability, in the order of the panel's menu.
    pub const ALL: [Capability; 6] = [
        Self::Connect,
        Self::Module,
        Self::InventoriesRead,
        Self::Upload,
        Self::Catalog,
        Self::Shipments,
    ];

    /// The rights it needs.
    pub fn rights(self) -> &'static [Right] {
        match self {
            Self::Connect => &[Right::ReferenceRead],
            Self::Module => &[Right::IntegrationRead, Right::IntegrationWrite],
            Self::InventoriesRead => &[Right::ReferenceRead, Right::StoreRead],
            Self::Upload => &[Right::ReferenceRead, Right::StoreWrite],
            Self::Catalog => &[Right::StoreRead],
            Self::Shipments => &[Right::ReferenceRead, Right::OrderRead, Right::OrderWrite],
        }
    }

    /// A translation key, e.g. `"api.capability.upload"`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Connect => "api.capability.connect",
            Self::Module => "api.capability.module",
            Self::InventoriesRead => "api.capability.inventories_read",
            Self::Upload => "api.capability.upload",
            Self::Catalog => "api.capability.catalog",
            Self::Shipments => "api.capability.shipments",
        }
    }
}

/// Whether a key allows one capability.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// Lacks these rights.
    Missing(Vec<Right>),
    /// The CRM listed neither scopes nor method paths: try and see.
    Unknown,
}

/// Normalises `/api/v5/store/inventories/upload` or `/api/integration-modules/{code}` to `store/inventories/upload`,
/// `integration-modules/{}`.
fn normalise_path(path: &str) -> String {
    let p = path.trim().trim_matches('/');
    let p = p.strip_prefix("api/").unwrap_or(p);
    let p = match p.split_once('/') {
        Some((v, rest))
            if v.len() > 1 && v.starts_with('v') && v[1..].chars().all(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => p,
    };
    p.split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl CredentialsResponse {
    /// Whether the key holds `right`: its scope is listed, or every one of its method paths is.
    pub fn has(&self, right: Right) -> bool {
        if self.scopes.iter().any(|s| s == right.scope()) {
            return true;
        }
        let held: Vec<String> = self.credentials.iter().map(|p| normalise_path(p)).collect();
        right.paths().iter().all(|p| held.iter().any(|h| h == p))
    }

    /// Whether the key allows `capability`, and if not which rights are missing.
    pub fn access(&self, capability: Capability) -> Access {
        if self.scopes.is_empty() && self.credentials.is_empty() {
            return Access::Unknown;
        }
        let missing: Vec<Right> = capability
            .rights()
            .iter()
            .copied()
            .filter(|r| !self.has(*r))
            .collect();
        if missing.is_empty() {
            Access::Allowed
        } else {
            Access::Missing(missing)
        }
    }

    /// [`CredentialsResponse::access`] for every capability.
    pub fn capabilities(&self) -> Vec<(Capability, Access)> {
        Capability::ALL
            .iter()
            .map(|c| (*c, self.access(*c)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::envelope::decode;
    use crate::api::transport::HttpResponse;

    #[test]
    fn api_versions_fixture() {
        // api-client-php ApiTest::testApiVersions.
        let r: ApiVersionsResponse = decode(&HttpResponse::json(
            200,
            r#"{"success":true,"versions":["3.0","4.0","5.0"]}"#,
        ))
        .unwrap();
        assert!(r.has_v5());
        assert!(!ApiVersionsResponse {
            versions: vec!["4.0".into()]
        }
        .has_v5());
    }

    #[test]
    fn credentials_fixture_with_paths_and_scopes() {
        // api-client-php ApiTest::testCredentials (+ sitesAvailable from the models).
        let body = r#"{"success":true,"scopes":["order_read","customer_read","reference_read"],
            "credentials":["/api/integration-modules/{code}","/api/integration-modules/{code}/edit"],
            "siteAccess":"access_full","sitesAvailable":["shop-a"]}"#;
        let r: CredentialsResponse = decode(&HttpResponse::json(200, body)).unwrap();
        assert_eq!(r.site_access.as_deref(), Some("access_full"));
        assert_eq!(r.sites_available, ["shop-a"]);
        assert_eq!(r.access(Capability::Connect), Access::Allowed);
        assert_eq!(r.access(Capability::Module), Access::Allowed);
        assert_eq!(
            r.access(Capability::Upload),
            Access::Missing(vec![Right::StoreWrite])
        );
        assert_eq!(
            r.access(Capability::Shipments),
            Access::Missing(vec![Right::OrderWrite])
        );
    }

    #[test]
    fn old_path_lists_with_versions() {
        let r = CredentialsResponse {
            credentials: vec![
                "/api/v5/store/inventories/upload".into(),
                "/api/v5/reference/stores".into(),
                "/api/v5/reference/sites".into(),
            ],
            ..Default::default()
        };
        assert_eq!(r.access(Capability::Upload), Access::Allowed);
        assert_eq!(
            r.access(Capability::Catalog),
            Access::Missing(vec![Right::StoreRead])
        );
    }

    #[test]
    fn sandbox_scopes_allow_everything() {
        let scopes = [
            "store_read",
            "store_write",
            "order_read",
            "order_write",
            "integration_read",
            "integration_write",
            "reference_read",
        ];
        let r = CredentialsResponse {
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert!(r.capabilities().iter().all(|(_, a)| *a == Access::Allowed));
        assert_eq!(
            CredentialsResponse::default().access(Capability::Upload),
            Access::Unknown
        );
    }
}
