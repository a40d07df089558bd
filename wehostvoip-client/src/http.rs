//! The HTTP backend: a client of the REST contract in `openapi.yaml`.

use std::time::Duration;

use api_common::{Repeat, RetryPolicy, retry_after};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use url::Url;

use crate::{
    ApiError, Carrier, E164, Error, Extension, InventoryNumber, Kind, Name, PhoneNumberAssignment,
    SecurityGroup, Subscriber, Tenant, TenantDomain, WeHostVoip,
};

/// Settings of the [`Http`] backend.
pub struct HttpConfig {
    /// Base URL of the API, e.g. `https://whv-api.example.net/v1/` (paths are joined onto it).
    pub base_url: Url,
    /// Bearer token.
    pub token: SecretString,
    /// Retry policy (the workspace's one, [`api_common::RetryPolicy`]): every request that was
    /// never sent or was answered 429 is retried; a read also after 500, 502, 503, 504 or an
    /// unknown outcome; a write that may have run never is.
    pub retry: RetryPolicy,
    /// Timeout of each attempt.
    pub timeout: Duration,
}

impl HttpConfig {
    /// Settings with the default retry policy and a 30 s timeout.
    pub fn new(base_url: Url, token: SecretString) -> Self {
        Self {
            base_url,
            token,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpConfig")
            .field("base_url", &self.base_url.as_str())
            .field("token", &"[redacted]")
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A client of the REST contract this crate defines in `openapi.yaml`.
///
/// WeHostVoIP publishes no API; this backend is for deployments that put one in front of their
/// console that follows this project's contract.
///
/// ```no_run
/// use wehostvoip_client::{Http, HttpConfig, WeHostVoip};
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let config = HttpConfig::new(
///     "https://whv-api.example.net/v1/".parse()?,
///     std::env::var("WHV_API_TOKEN")?.into(),
/// );
/// let backend = Http::new(config)?;
/// for carrier in backend.list_carriers().await? {
///     println!("{} has {} gateways", carrier.name, carrier.gateways.len());
/// }
/// # Ok(()) }
/// ```
pub struct Http {
    client: reqwest::Client,
    base_url: Url,
    token: SecretString,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("base_url", &self.base_url.as_str())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// One request, as a value a test can inspect without a server.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiRequest {
    pub method: Method,
    /// Path segments under the base URL, unencoded.
    pub segments: Vec<String>,
    pub body: Option<serde_json::Value>,
}

impl ApiRequest {
    fn new(method: Method, segments: &[&str]) -> Self {
        Self {
            method,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            body: None,
        }
    }

    fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    fn path(&self) -> String {
        let mut p = String::new();
        for s in &self.segments {
            p.push('/');
            p.push_str(s);
        }
        p
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
    kind: Option<Kind>,
    name: Option<String>,
    used_by: Option<String>,
    extension: Option<String>,
}

#[derive(Deserialize)]
struct Items<T> {
    items: Vec<T>,
}

impl Http {
    /// A client for `config.base_url`.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the base URL is not http(s) or cannot be a base, or the token is not a
    /// valid header value (the token itself never appears in the error); [`Error::Client`] when the
    /// HTTP client cannot be built.
    pub fn new(config: HttpConfig) -> Result<Self, Error> {
        let mut base_url = config.base_url;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::invalid(
                "API base URL",
                base_url.as_str(),
                "must be an http or https URL",
            ));
        }
        if !base_url.path().ends_with('/') {
            let p = format!("{}/", base_url.path());
            base_url.set_path(&p);
        }
        if HeaderValue::from_str(&format!("Bearer {}", config.token.expose_secret())).is_err() {
            return Err(Error::invalid(
                "API token",
                "[redacted]",
                "must be printable ASCII",
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(Error::Client)?;
        Ok(Self {
            client,
            base_url,
            token: config.token,
            retry: config.retry,
        })
    }

    fn url(&self, req: &ApiRequest) -> Url {
        let mut url = self.base_url.clone();
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty();
            for s in &req.segments {
                segs.push(s);
            }
        }
        url
    }

    /// Sends once; maps the answer.
    async fn send_once(&self, req: &ApiRequest) -> Result<Vec<u8>, Error> {
        let method = req.method.to_string();
        let path = req.path();
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.token.expose_secret()))
            .map_err(|_| Error::invalid("API token", "[redacted]", "must be printable ASCII"))?;
        auth.set_sensitive(true);
        let mut builder = self
            .client
            .request(req.method.clone(), self.url(req))
            .header(AUTHORIZATION, auth);
        if let Some(body) = &req.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(|source| {
            if source.is_connect() || source.is_builder() {
                Error::NotSent {
                    method: method.clone(),
                    path: path.clone(),
                    source,
                }
            } else {
                Error::OutcomeUnknown {
                    method: method.clone(),
                    path: path.clone(),
                    source,
                }
            }
        })?;
        let status = response.status();
        let retry_after = retry_after(response.headers(), std::time::SystemTime::now());
        let bytes = response
            .bytes()
            .await
            .map_err(|source| Error::OutcomeUnknown {
                method: method.clone(),
                path: path.clone(),
                source,
            })?;
        tracing::debug!(%method, %path, status = status.as_u16(), "wehostvoip api response");
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        Err(map_error(
            req.method.clone(),
            path,
            status,
            &bytes,
            retry_after,
        ))
    }

    /// Sends a request, retrying reads per the policy, inside a span that records the method, the
    /// path, the number of attempts and the final status (never headers or bodies).
    async fn execute(&self, req: ApiRequest) -> Result<Vec<u8>, Error> {
        let span = tracing::debug_span!(
            "wehostvoip_api",
            method = %req.method,
            path = %req.path(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        // Reads repeat safely; a write is repeated only when it certainly did not run.
        let repeat = if req.method == Method::GET {
            Repeat::Safe
        } else {
            Repeat::Unsafe
        };
        let outcome = self
            .retry
            .run(repeat, || self.send_once(&req))
            .instrument(span.clone())
            .await;
        span.record("attempts", outcome.attempts);
        match &outcome.result {
            Err(err) => span.record("status", err.status().unwrap_or(0)),
            Ok(_) => span.record("status", 200),
        };
        outcome.result
    }

    /// GET of one object: a 404 means "does not exist".
    async fn get_optional<T: DeserializeOwned>(&self, req: ApiRequest) -> Result<Option<T>, Error> {
        match self.expect_json(req).await {
            Ok(v) => Ok(Some(v)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(Error::Api(api)) if api.status == 404 => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Sends and decodes a JSON body.
    async fn expect_json<T: DeserializeOwned>(&self, req: ApiRequest) -> Result<T, Error> {
        let method = req.method.to_string();
        let path = req.path();
        let body = self.execute(req).await?;
        serde_json::from_slice(&body).map_err(|source| Error::Decode {
            method,
            path,
            source,
        })
    }

    async fn list<T: DeserializeOwned>(&self, segments: &[&str]) -> Result<Vec<T>, Error> {
        let items: Items<T> = self
            .expect_json(ApiRequest::new(Method::GET, segments))
            .await?;
        Ok(items.items)
    }

    async fn no_content(&self, req: ApiRequest) -> Result<(), Error> {
        self.execute(req).await.map(drop)
    }
}

fn map_error(
    method: Method,
    path: String,
    status: reqwest::StatusCode,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Error {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    if let Some(b) = &parsed {
        let name = b.name.clone().unwrap_or_default();
        match (b.code.as_deref(), b.kind) {
            (Some("not_found"), Some(kind)) => return Error::NotFound { kind, name },
            (Some("already_exists"), Some(kind)) => return Error::AlreadyExists { kind, name },
            (Some("in_use"), Some(kind)) => {
                return Error::InUse {
                    kind,
                    name,
                    used_by: b.used_by.clone().unwrap_or_default(),
                };
            }
            (Some("not_in_inventory"), _) => return Error::NotInInventory { number: name },
            (Some("already_assigned"), _) => {
                return Error::AlreadyAssigned {
                    number: name,
                    extension: b.extension.clone().unwrap_or_default(),
                };
            }
            _ => {}
        }
    }
    let message = parsed
        .as_ref()
        .and_then(|b| b.message.clone())
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(body);
            text.chars().take(200).collect()
        });
    let mut api = ApiError::new("WeHostVoIP", method, path, status)
        .with_message(message)
        .with_retry_after(retry_after);
    if let Some(code) = parsed.and_then(|b| b.code) {
        api = api.with_code(code);
    }
    Error::Api(Box::new(api))
}

fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

#[async_trait::async_trait]
impl WeHostVoip for Http {
    async fn list_carriers(&self) -> Result<Vec<Carrier>, Error> {
        self.list(&["carriers"]).await
    }
    async fn get_carrier(&self, name: &Name) -> Result<Option<Carrier>, Error> {
        self.get_optional(ApiRequest::new(Method::GET, &["carriers", name.as_str()]))
            .await
    }
    async fn create_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        carrier.validate()?;
        self.expect_json(ApiRequest::new(Method::POST, &["carriers"]).json(to_json(carrier)))
            .await
    }
    async fn update_carrier(&self, carrier: &Carrier) -> Result<Carrier, Error> {
        carrier.validate()?;
        self.expect_json(
            ApiRequest::new(Method::PUT, &["carriers", carrier.name.as_str()])
                .json(to_json(carrier)),
        )
        .await
    }
    async fn delete_carrier(&self, name: &Name) -> Result<(), Error> {
        self.no_content(ApiRequest::new(
            Method::DELETE,
            &["carriers", name.as_str()],
        ))
        .await
    }
    async fn set_caller_id(&self, carrier: &Name, caller_id: &E164) -> Result<Carrier, Error> {
        self.expect_json(
            ApiRequest::new(Method::PUT, &["carriers", carrier.as_str(), "caller-id"])
                .json(serde_json::json!({ "caller_id": caller_id })),
        )
        .await
    }
    async fn list_tenants(&self) -> Result<Vec<Tenant>, Error> {
        self.list(&["tenants"]).await
    }
    async fn get_tenant(&self, domain: &TenantDomain) -> Result<Option<Tenant>, Error> {
        self.get_optional(ApiRequest::new(Method::GET, &["tenants", domain.as_str()]))
            .await
    }
    async fn bind_tenant_carrier(
        &self,
        tenant: &TenantDomain,
        carrier: &Name,
    ) -> Result<Tenant, Error> {
        self.expect_json(
            ApiRequest::new(Method::PUT, &["tenants", tenant.as_str(), "carrier"])
                .json(serde_json::json!({ "carrier": carrier })),
        )
        .await
    }
    async fn unbind_tenant_carrier(&self, tenant: &TenantDomain) -> Result<Tenant, Error> {
        self.expect_json(ApiRequest::new(
            Method::DELETE,
            &["tenants", tenant.as_str(), "carrier"],
        ))
        .await
    }
    async fn list_security_groups(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<SecurityGroup>, Error> {
        self.list(&["tenants", tenant.as_str(), "security-groups"])
            .await
    }
    async fn ensure_security_group(
        &self,
        tenant: &TenantDomain,
        group: &SecurityGroup,
    ) -> Result<SecurityGroup, Error> {
        self.expect_json(
            ApiRequest::new(
                Method::PATCH,
                &[
                    "tenants",
                    tenant.as_str(),
                    "security-groups",
                    group.name.as_str(),
                ],
            )
            .json(to_json(group)),
        )
        .await
    }
    async fn assign_security_group(
        &self,
        tenant: &TenantDomain,
        extension: &Extension,
        group: &Name,
    ) -> Result<Subscriber, Error> {
        self.expect_json(
            ApiRequest::new(
                Method::PUT,
                &[
                    "tenants",
                    tenant.as_str(),
                    "subscribers",
                    extension.as_str(),
                    "security-group",
                ],
            )
            .json(serde_json::json!({ "security_group": group })),
        )
        .await
    }
    async fn list_subscribers(&self, tenant: &TenantDomain) -> Result<Vec<Subscriber>, Error> {
        self.list(&["tenants", tenant.as_str(), "subscribers"])
            .await
    }
    async fn list_inventory(&self) -> Result<Vec<InventoryNumber>, Error> {
        self.list(&["numbers"]).await
    }
    async fn add_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        number.validate()?;
        self.expect_json(ApiRequest::new(Method::POST, &["numbers"]).json(to_json(number)))
            .await
    }
    async fn update_inventory_number(
        &self,
        number: &InventoryNumber,
    ) -> Result<InventoryNumber, Error> {
        number.validate()?;
        self.expect_json(
            ApiRequest::new(Method::PUT, &["numbers", number.number.as_str()])
                .json(to_json(number)),
        )
        .await
    }
    async fn remove_inventory_number(&self, number: &E164) -> Result<(), Error> {
        self.no_content(ApiRequest::new(
            Method::DELETE,
            &["numbers", number.as_str()],
        ))
        .await
    }
    async fn list_phone_numbers(
        &self,
        tenant: &TenantDomain,
    ) -> Result<Vec<PhoneNumberAssignment>, Error> {
        self.list(&["tenants", tenant.as_str(), "phone-numbers"])
            .await
    }
    async fn assign_number(
        &self,
        tenant: &TenantDomain,
        number: &E164,
        extension: &Extension,
    ) -> Result<PhoneNumberAssignment, Error> {
        self.expect_json(
            ApiRequest::new(
                Method::PUT,
                &["tenants", tenant.as_str(), "phone-numbers", number.as_str()],
            )
            .json(serde_json::json!({ "extension": extension })),
        )
        .await
    }
    async fn unassign_number(&self, tenant: &TenantDomain, number: &E164) -> Result<(), Error> {
        self.no_content(ApiRequest::new(
            Method::DELETE,
            &["tenants", tenant.as_str(), "phone-numbers", number.as_str()],
        ))
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend() -> Http {
        Http::new(HttpConfig::new(
            "http://127.0.0.1:9/api/v1".parse().unwrap(),
            SecretString::from("s3cr3t-token"),
        ))
        .unwrap()
    }

    #[test]
    fn requests_are_values() {
        let http = backend();
        let req = ApiRequest::new(Method::PUT, &["numbers", "+14155550100"]);
        assert_eq!(req.path(), "/numbers/+14155550100");
        assert_eq!(
            http.url(&req).as_str(),
            "http://127.0.0.1:9/api/v1/numbers/+14155550100"
        );
        let req = ApiRequest::new(Method::GET, &["carriers", "Plivo Zentrunk"]);
        assert_eq!(
            http.url(&req).as_str(),
            "http://127.0.0.1:9/api/v1/carriers/Plivo%20Zentrunk"
        );
    }

    #[test]
    fn error_bodies_map_to_variants() {
        let e = map_error(
            Method::POST,
            "/carriers".into(),
            reqwest::StatusCode::CONFLICT,
            br#"{"code":"already_exists","kind":"carrier","name":"plivo","message":"exists"}"#,
            None,
        );
        assert!(
            matches!(e, Error::AlreadyExists { kind: Kind::Carrier, ref name } if name == "plivo")
        );
        let e = map_error(
            Method::GET,
            "/x".into(),
            reqwest::StatusCode::INTERNAL_SERVER_ERROR,
            b"<html>boom</html>",
            None,
        );
        assert_eq!(e.status(), Some(500));
        assert_eq!(
            e.to_string(),
            "GET /x: WeHostVoIP answered 500 Internal Server Error: <html>boom</html>"
        );
    }

    #[test]
    fn debug_hides_the_token() {
        let config = HttpConfig::new(
            "https://x.example/".parse().unwrap(),
            SecretString::from("s3cr3t-token"),
        );
        assert!(!format!("{config:?}").contains("s3cr3t"));
        assert!(!format!("{:?}", backend()).contains("s3cr3t"));
    }
}
