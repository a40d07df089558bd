//! Zentrunk origination URIs (where inbound calls are sent): `Zentrunk/URI/`.

use std::fmt;

use futures_util::stream::BoxStream;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::client::{ApiRequest, check_limit};
use crate::common::{Created, Envelope, Updated};
use crate::error::Refusal;
use crate::ids::{TrunkId, UriId};
use crate::zentrunk::credential::expose_opt;
use crate::zentrunk::{Lenient, ListParams, decode_each};
use crate::{Error, Page, PlivoClient, TrunkFilter};

/// An origination URI. The password is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OriginationUri {
    /// The id.
    #[serde(deserialize_with = "crate::zentrunk::lenient_id")]
    pub uri_uuid: UriId,
    /// The friendly name.
    #[serde(default)]
    pub name: Option<String>,
    /// The target: host or IP, optional `:port` and `;transport=udp|tcp|tls`, or `sip:user@host`
    /// (`null` reads as empty).
    #[serde(default, deserialize_with = "crate::zentrunk::null_as_default")]
    pub uri: String,
    /// Whether Plivo answers a digest challenge from the target (`null` reads as `false`).
    #[serde(default, deserialize_with = "crate::zentrunk::null_as_default")]
    pub authentication_needed: bool,
    /// The digest user name (when authentication is needed).
    #[serde(default)]
    pub username: Option<String>,
    /// Undocumented field returned by the API.
    #[serde(default)]
    pub sip_user: Option<String>,
}

impl OriginationUri {
    /// A URI value without authentication (for tests and for callers that rebuild one).
    ///
    /// ```
    /// let u = plivo_client::OriginationUri::new("8fde2db4".into(), "sbc.example.net:5060");
    /// assert!(!u.authentication_needed);
    /// ```
    pub fn new(uri_uuid: UriId, uri: impl Into<String>) -> Self {
        Self {
            uri_uuid,
            name: None,
            uri: uri.into(),
            authentication_needed: false,
            username: None,
            sip_user: None,
        }
    }
}

fn validate_uri(uri: &str) -> Result<(), Error> {
    if uri.trim().is_empty() {
        return Err(Error::invalid("uri", uri, "must not be empty"));
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "uri",
            uri,
            "must not contain whitespace or control characters",
        ));
    }
    Ok(())
}

/// The body of an origination URI create.
///
/// ```
/// let u = plivo_client::CreateUri::new("sbc.example.net:5060;transport=udp").name("acme-sbc");
/// assert!(u.validate().is_ok());
/// let with_auth = plivo_client::CreateUri::new("sbc.example.net").authentication("plivo", "pw");
/// assert!(with_auth.validate().is_ok());
/// assert!(!format!("{with_auth:?}").contains("\"pw\""));
/// ```
#[derive(Clone, Serialize)]
pub struct CreateUri {
    /// The friendly name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The target (required).
    pub uri: String,
    /// Whether Plivo must authenticate; sent only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_needed: Option<bool>,
    /// Digest user name (required with authentication).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Digest password (required with authentication).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_opt")]
    pub password: Option<SecretString>,
}

impl fmt::Debug for CreateUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateUri")
            .field("name", &self.name)
            .field("uri", &self.uri)
            .field("authentication_needed", &self.authentication_needed)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl CreateUri {
    /// A URI pointing at `uri`, without authentication.
    pub fn new(uri: impl Into<String>) -> Self {
        Self {
            name: None,
            uri: uri.into(),
            authentication_needed: None,
            username: None,
            password: None,
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Turns on authentication with these credentials.
    #[must_use]
    pub fn authentication(
        mut self,
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.authentication_needed = Some(true);
        self.username = Some(username.into());
        self.password = Some(password.into());
        self
    }

    /// Checks the body locally.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an empty URI, or authentication without a user name and password.
    pub fn validate(&self) -> Result<(), Error> {
        validate_uri(&self.uri)?;
        if self.authentication_needed == Some(true) {
            if self.username.as_deref().is_none_or(str::is_empty) {
                return Err(Error::invalid(
                    "username",
                    "",
                    "is required when authentication_needed is true",
                ));
            }
            if self.password.is_none() {
                return Err(Error::invalid(
                    "password",
                    "",
                    "is required when authentication_needed is true",
                ));
            }
        }
        Ok(())
    }
}

/// The body of an origination URI update. A password change must restate
/// `authentication_needed` and `username`: [`Uris::update`] fills them in (reading the URI for its
/// user name) when the caller leaves them out.
#[derive(Clone, Default, Serialize)]
pub struct UpdateUri {
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Authentication flag; sent only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_needed: Option<bool>,
    /// Digest user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// New digest password.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_opt")]
    pub password: Option<SecretString>,
}

impl fmt::Debug for UpdateUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateUri")
            .field("name", &self.name)
            .field("uri", &self.uri)
            .field("authentication_needed", &self.authentication_needed)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// Origination URI operations; from [`PlivoClient::uris`].
#[derive(Debug, Clone, Copy)]
pub struct Uris<'c> {
    client: &'c PlivoClient,
}

const PATH: &str = "Zentrunk/URI/";

fn item_path(id: &UriId) -> Result<String, Error> {
    Ok(format!("{PATH}{}/", id.segment()?))
}

impl<'c> Uris<'c> {
    pub(crate) fn new(client: &'c PlivoClient) -> Self {
        Self { client }
    }

    /// Lists one page (`GET Zentrunk/URI/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let page = client.uris().list(&Default::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a `limit` outside 1..=20; any transport or API error.
    pub async fn list(&self, params: &ListParams) -> Result<Page<OriginationUri>, Error> {
        let limit = check_limit(params.limit)?;
        self.client
            .get_page(PATH.into(), Vec::new(), limit, params.offset.unwrap_or(0))
            .await
    }

    /// Streams every URI, paging by `offset`.
    ///
    /// # Errors
    /// The stream yields the first error.
    pub fn stream(&self) -> BoxStream<'static, Result<OriginationUri, Error>> {
        self.client
            .paginate(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
    }

    /// Collects every URI.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn all(&self) -> Result<Vec<OriginationUri>, Error> {
        self.client
            .collect_all(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
            .await
    }

    /// Every URI, decoding each on its own: one this crate cannot read is skipped and reported.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn all_lenient(&self) -> Result<Lenient<OriginationUri>, Error> {
        let values: Vec<serde_json::Value> = self
            .client
            .collect_all(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
            .await?;
        Ok(decode_each("origination URI", "uri_uuid", values))
    }

    /// Every URI named exactly `name`.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn find_by_name(&self, name: &str) -> Result<Vec<OriginationUri>, Error> {
        let mut all = self.all().await?;
        all.retain(|u| u.name.as_deref() == Some(name));
        Ok(all)
    }

    /// Reads one URI (nested or flat body).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let u = client.uris().get(&"f19c4773".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; [`Error::Api`] 404 when absent; any transport error.
    pub async fn get(&self, id: &UriId) -> Result<OriginationUri, Error> {
        let env: Envelope<OriginationUri> = self
            .client
            .send_json(&ApiRequest::get(item_path(id)?))
            .await?;
        Ok(env.into_inner())
    }

    /// Like [`Uris::get`], with 404 as `None`.
    ///
    /// # Errors
    /// As [`Uris::get`], except 404.
    pub async fn get_opt(&self, id: &UriId) -> Result<Option<OriginationUri>, Error> {
        match self.get(id).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates a URI; never retried after an unknown outcome.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::CreateUri;
    /// let created = client.uris().create(&CreateUri::new("sbc.example.net;transport=udp")).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] from [`CreateUri::validate`]; any transport or API error.
    pub async fn create(&self, body: &CreateUri) -> Result<Created<UriId>, Error> {
        body.validate()?;
        self.client
            .send_create(&ApiRequest::post(PATH.into(), body)?, "uri_uuid")
            .await
    }

    /// Updates a URI. With a password, `authentication_needed` (true) and `username` are always sent;
    /// a missing user name is read from the URI.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::UpdateUri;
    /// let change = UpdateUri { password: Some("n3w-pass".into()), ..Default::default() };
    /// client.uris().update(&"f19c4773".into(), &change).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id or URI, a password with `authentication_needed: false`, or
    /// a password for a URI without a user name; any transport or API error.
    pub async fn update(&self, id: &UriId, body: &UpdateUri) -> Result<Updated, Error> {
        let path = item_path(id)?;
        if let Some(uri) = &body.uri {
            validate_uri(uri)?;
        }
        let mut body = body.clone();
        if body.password.is_some() {
            if body.authentication_needed == Some(false) {
                return Err(Error::invalid(
                    "authentication_needed",
                    "false",
                    "a password change needs authentication_needed true",
                ));
            }
            body.authentication_needed = Some(true);
            if body.username.is_none() {
                let current = self.get(id).await?;
                let username = current.username.filter(|u| !u.is_empty()).ok_or_else(|| {
                    Error::invalid(
                        "username",
                        "",
                        "a password change must restate the user name and the URI has none",
                    )
                })?;
                body.username = Some(username);
            }
        }
        self.client.send_json(&ApiRequest::post(path, &body)?).await
    }

    /// The trunks that use this URI as primary or fallback.
    ///
    /// # Errors
    /// Any transport or API error while listing trunks.
    pub async fn referencing_trunks(&self, id: &UriId) -> Result<Vec<TrunkId>, Error> {
        let trunks = self.client.trunks().all(&TrunkFilter::default()).await?;
        Ok(trunks
            .into_iter()
            .filter(|t| t.uses_uri(id))
            .map(|t| t.trunk_id)
            .collect())
    }

    /// Deletes a URI, refusing while a trunk references it: Plivo would delete those trunks too.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.uris().delete(&"f19c4773".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Refused`] with [`Refusal::UriInUse`] naming the trunks; [`Error::InvalidInput`] for a
    /// bad id; any transport or API error.
    pub async fn delete(&self, id: &UriId) -> Result<(), Error> {
        let path = item_path(id)?;
        let trunks = self.referencing_trunks(id).await?;
        if !trunks.is_empty() {
            return Err(Error::Refused(Refusal::UriInUse {
                uri_id: id.clone(),
                trunks,
            }));
        }
        self.client.send_unit(&ApiRequest::delete(path)).await
    }

    /// Deletes a URI without checking references: **every trunk using it is deleted with it**.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.uris().force_delete(&"f19c4773".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; any transport or API error.
    pub async fn force_delete(&self, id: &UriId) -> Result<(), Error> {
        self.client
            .send_unit(&ApiRequest::delete(item_path(id)?))
            .await
    }
}
