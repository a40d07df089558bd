//! Zentrunk trunks: `Zentrunk/Trunk/`.

use futures_util::stream::BoxStream;
use serde::{Deserialize, Serialize};

use crate::client::{ApiRequest, check_limit, to_query};
use crate::common::{Created, Envelope, Updated, string_enum};
use crate::ids::{CredentialId, IpAclId, TrunkId, UriId};
use crate::zentrunk::{Lenient, decode_each};
use crate::{Error, Page, PlivoClient};

string_enum!(
    /// Which way a trunk carries calls.
    TrunkDirection {
        /// Calls from Plivo numbers to the customer's platform (through origination URIs).
        Inbound => "inbound",
        /// Calls from the customer's platform to the PSTN (authenticated by IP ACL and/or credentials).
        Outbound => "outbound",
    }
);

string_enum!(
    /// Whether a trunk carries calls.
    TrunkStatus {
        /// The trunk carries calls.
        Enabled => "enabled",
        /// The trunk is switched off.
        Disabled => "disabled",
    }
);

/// A Zentrunk trunk. Unknown fields are ignored; unused links are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Trunk {
    /// The trunk id (a numeric string above 2^53; a bare JSON number is read as its digits).
    #[serde(deserialize_with = "crate::zentrunk::lenient_id")]
    pub trunk_id: TrunkId,
    /// The friendly name.
    #[serde(default)]
    pub name: Option<String>,
    /// The termination SIP domain, `<trunk_id>.zt.plivo.com`; read it, never build it.
    #[serde(default)]
    pub trunk_domain: Option<String>,
    /// Enabled or disabled.
    #[serde(default)]
    pub trunk_status: Option<TrunkStatus>,
    /// Inbound or outbound.
    pub trunk_direction: TrunkDirection,
    /// Secure trunking (TLS signalling and SRTP media).
    #[serde(default)]
    pub secure: Option<bool>,
    /// The IP access control list (outbound trunks).
    #[serde(default, deserialize_with = "crate::zentrunk::lenient_opt_id")]
    pub ipacl_uuid: Option<IpAclId>,
    /// The credential (outbound trunks).
    #[serde(default, deserialize_with = "crate::zentrunk::lenient_opt_id")]
    pub credential_uuid: Option<CredentialId>,
    /// The primary origination URI (inbound trunks).
    #[serde(default, deserialize_with = "crate::zentrunk::lenient_opt_id")]
    pub primary_uri_uuid: Option<UriId>,
    /// The fallback origination URI (inbound trunks).
    #[serde(default, deserialize_with = "crate::zentrunk::lenient_opt_id")]
    pub fallback_uri_uuid: Option<UriId>,
    /// Creation time as sent (undocumented, seen in production bodies).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last update time as sent (undocumented, seen in production bodies).
    #[serde(default)]
    pub updated_at: Option<String>,
}

impl Trunk {
    /// A trunk with only an id and a direction; set the other (public) fields as needed. For
    /// tests and for callers that rebuild a trunk they read earlier.
    ///
    /// ```
    /// use plivo_client::{Trunk, TrunkDirection};
    /// let mut t = Trunk::new("42741122632602585".into(), TrunkDirection::Inbound);
    /// t.name = Some("acme-in".into());
    /// assert_eq!(t.trunk_domain, None);
    /// ```
    pub fn new(trunk_id: TrunkId, trunk_direction: TrunkDirection) -> Self {
        Self {
            trunk_id,
            name: None,
            trunk_domain: None,
            trunk_status: None,
            trunk_direction,
            secure: None,
            ipacl_uuid: None,
            credential_uuid: None,
            primary_uri_uuid: None,
            fallback_uri_uuid: None,
            created_at: None,
            updated_at: None,
        }
    }

    /// True when the trunk uses this IP access list.
    pub fn uses_acl(&self, acl: &IpAclId) -> bool {
        self.ipacl_uuid.as_ref() == Some(acl)
    }

    /// True when the trunk references this origination URI as primary or fallback.
    pub fn uses_uri(&self, uri: &UriId) -> bool {
        self.primary_uri_uuid.as_ref() == Some(uri) || self.fallback_uri_uuid.as_ref() == Some(uri)
    }
}

/// Filters for listing trunks (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TrunkFilter {
    /// Only trunks with this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trunk_status: Option<TrunkStatus>,
    /// Only trunks with this direction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trunk_direction: Option<TrunkDirection>,
    /// Only secure (or only non-secure) trunks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// Only trunks using this IP ACL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipacl_uuid: Option<IpAclId>,
    /// Only trunks using this credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_uuid: Option<CredentialId>,
    /// Only trunks with this primary URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_uri_uuid: Option<UriId>,
    /// Only trunks with this fallback URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_uri_uuid: Option<UriId>,
    /// Page size, 1 to 20 (default 20).
    #[serde(skip)]
    pub limit: Option<u32>,
    /// Offset of the page (default 0; ignored by `all` and `stream`).
    #[serde(skip)]
    pub offset: Option<u32>,
}

/// The body of a trunk create. Booleans and links travel only when set.
///
/// ```
/// use plivo_client::{CreateTrunk, TrunkDirection, UriId};
/// let inbound = CreateTrunk::inbound(UriId::new("8fde2db4")).name("acme-in");
/// assert_eq!(inbound.trunk_direction, TrunkDirection::Inbound);
/// assert!(inbound.validate().is_ok());
/// assert!(CreateTrunk::outbound().validate().is_err()); // needs an ACL or a credential
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateTrunk {
    /// The friendly name (use a deterministic one: names are how a create is reconciled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Inbound or outbound (required).
    pub trunk_direction: TrunkDirection,
    /// Enabled (default) or disabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trunk_status: Option<TrunkStatus>,
    /// Secure trunking; sent only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// IP ACL (outbound).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipacl_uuid: Option<IpAclId>,
    /// Credential (outbound).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_uuid: Option<CredentialId>,
    /// Primary origination URI (inbound, required there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_uri_uuid: Option<UriId>,
    /// Fallback origination URI (inbound).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_uri_uuid: Option<UriId>,
}

impl CreateTrunk {
    /// An inbound trunk routing to `primary_uri`.
    pub fn inbound(primary_uri: UriId) -> Self {
        Self {
            primary_uri_uuid: Some(primary_uri),
            ..Self::empty(TrunkDirection::Inbound)
        }
    }

    /// An outbound trunk; add [`CreateTrunk::ipacl`] and/or [`CreateTrunk::credential`].
    pub fn outbound() -> Self {
        Self::empty(TrunkDirection::Outbound)
    }

    fn empty(trunk_direction: TrunkDirection) -> Self {
        Self {
            name: None,
            trunk_direction,
            trunk_status: None,
            secure: None,
            ipacl_uuid: None,
            credential_uuid: None,
            primary_uri_uuid: None,
            fallback_uri_uuid: None,
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the status.
    #[must_use]
    pub fn status(mut self, status: TrunkStatus) -> Self {
        self.trunk_status = Some(status);
        self
    }

    /// Sets secure trunking.
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = Some(secure);
        self
    }

    /// Sets the IP ACL.
    #[must_use]
    pub fn ipacl(mut self, id: IpAclId) -> Self {
        self.ipacl_uuid = Some(id);
        self
    }

    /// Sets the credential.
    #[must_use]
    pub fn credential(mut self, id: CredentialId) -> Self {
        self.credential_uuid = Some(id);
        self
    }

    /// Sets the fallback URI.
    #[must_use]
    pub fn fallback_uri(mut self, id: UriId) -> Self {
        self.fallback_uri_uuid = Some(id);
        self
    }

    /// Checks the documented direction rules locally (the API's own error does not say which field
    /// is missing).
    ///
    /// # Errors
    /// [`Error::InvalidInput`]: an inbound trunk without a primary URI or with ACL/credential links; an
    /// outbound trunk without an ACL and without a credential, or with URI links; an unknown direction.
    pub fn validate(&self) -> Result<(), Error> {
        match &self.trunk_direction {
            TrunkDirection::Inbound => {
                if self.primary_uri_uuid.is_none() {
                    return Err(Error::invalid(
                        "primary_uri_uuid",
                        "",
                        "an inbound trunk needs a primary origination URI",
                    ));
                }
                if let Some(id) = self
                    .ipacl_uuid
                    .as_ref()
                    .map(IpAclId::as_str)
                    .or(self.credential_uuid.as_ref().map(CredentialId::as_str))
                {
                    return Err(Error::invalid(
                        "ipacl_uuid/credential_uuid",
                        id,
                        "only outbound trunks take an IP ACL or credential",
                    ));
                }
            }
            TrunkDirection::Outbound => {
                if self.ipacl_uuid.is_none() && self.credential_uuid.is_none() {
                    return Err(Error::invalid(
                        "ipacl_uuid/credential_uuid",
                        "",
                        "an outbound trunk needs an IP ACL, a credential, or both",
                    ));
                }
                if let Some(id) = self
                    .primary_uri_uuid
                    .as_ref()
                    .or(self.fallback_uri_uuid.as_ref())
                {
                    return Err(Error::invalid(
                        "primary_uri_uuid/fallback_uri_uuid",
                        id.as_str(),
                        "only inbound trunks take origination URIs",
                    ));
                }
            }
            TrunkDirection::Other(d) => {
                return Err(Error::invalid(
                    "trunk_direction",
                    d.as_str(),
                    "must be inbound or outbound",
                ));
            }
        }
        if let Some(TrunkStatus::Other(s)) = &self.trunk_status {
            return Err(Error::invalid(
                "trunk_status",
                s.as_str(),
                "must be enabled or disabled",
            ));
        }
        Ok(())
    }
}

/// The body of a trunk update. Fields left `None` are not sent. `trunk_direction` is always sent: when
/// it is `None`, [`Trunks::update`] reads the trunk first and resends its current direction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpdateTrunk {
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The direction (the API requires it on every update).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trunk_direction: Option<TrunkDirection>,
    /// New status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trunk_status: Option<TrunkStatus>,
    /// New secure flag; sent only when set (so `Some(false)` is sent, `None` is not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// New IP ACL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipacl_uuid: Option<IpAclId>,
    /// New credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_uuid: Option<CredentialId>,
    /// New primary URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_uri_uuid: Option<UriId>,
    /// New fallback URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_uri_uuid: Option<UriId>,
}

/// Trunk operations; from [`PlivoClient::trunks`].
#[derive(Debug, Clone, Copy)]
pub struct Trunks<'c> {
    client: &'c PlivoClient,
}

const PATH: &str = "Zentrunk/Trunk/";

fn item_path(id: &TrunkId) -> Result<String, Error> {
    Ok(format!("{PATH}{}/", id.segment()?))
}

impl<'c> Trunks<'c> {
    pub(crate) fn new(client: &'c PlivoClient) -> Self {
        Self { client }
    }

    /// Lists one page of trunks (`GET Zentrunk/Trunk/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::{TrunkDirection, TrunkFilter};
    /// let filter = TrunkFilter { trunk_direction: Some(TrunkDirection::Inbound), ..Default::default() };
    /// let page = client.trunks().list(&filter).await?;
    /// for t in &page.objects { println!("{} {:?}", t.trunk_id, t.name); }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a `limit` outside 1..=20; any transport or API error.
    pub async fn list(&self, filter: &TrunkFilter) -> Result<Page<Trunk>, Error> {
        let limit = check_limit(filter.limit)?;
        self.client
            .get_page(
                PATH.into(),
                to_query(filter),
                limit,
                filter.offset.unwrap_or(0),
            )
            .await
    }

    /// Streams every matching trunk, paging by `offset` until a short page.
    ///
    /// # Errors
    /// The stream yields [`Error::InvalidInput`] for a bad `limit`, or the first transport/API error.
    pub fn stream(&self, filter: &TrunkFilter) -> BoxStream<'static, Result<Trunk, Error>> {
        match check_limit(filter.limit) {
            Ok(limit) => self.client.paginate(PATH.into(), to_query(filter), limit),
            Err(e) => Box::pin(futures_util::stream::once(async { Err(e) })),
        }
    }

    /// Collects every matching trunk.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let all = client.trunks().all(&Default::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Trunks::list`].
    pub async fn all(&self, filter: &TrunkFilter) -> Result<Vec<Trunk>, Error> {
        let limit = check_limit(filter.limit)?;
        self.client
            .collect_all(PATH.into(), to_query(filter), limit)
            .await
    }

    /// Every matching trunk, decoding each on its own: a trunk this crate cannot read (a foreign
    /// object of an unknown shape) is skipped and reported instead of failing the whole list.
    ///
    /// # Errors
    /// As [`Trunks::list`].
    pub async fn all_lenient(&self, filter: &TrunkFilter) -> Result<Lenient<Trunk>, Error> {
        let limit = check_limit(filter.limit)?;
        let values: Vec<serde_json::Value> = self
            .client
            .collect_all(PATH.into(), to_query(filter), limit)
            .await?;
        Ok(decode_each("trunk", "trunk_id", values))
    }

    /// Every trunk whose name is exactly `name` (names are not unique on Plivo).
    ///
    /// # Errors
    /// As [`Trunks::list`].
    pub async fn find_by_name(&self, name: &str) -> Result<Vec<Trunk>, Error> {
        let mut all = self.all(&TrunkFilter::default()).await?;
        all.retain(|t| t.name.as_deref() == Some(name));
        Ok(all)
    }

    /// Reads one trunk (`GET Zentrunk/Trunk/{id}/`), accepting the nested and the flat body.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let t = client.trunks().get(&"42741122632602585".into()).await?;
    /// println!("{:?}", t.trunk_domain);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an id unusable in a path; [`Error::Api`] with 404 when it does not
    /// exist; any transport error.
    pub async fn get(&self, id: &TrunkId) -> Result<Trunk, Error> {
        let env: Envelope<Trunk> = self
            .client
            .send_json(&ApiRequest::get(item_path(id)?))
            .await?;
        Ok(env.into_inner())
    }

    /// Like [`Trunks::get`], with 404 as `None`.
    ///
    /// # Errors
    /// As [`Trunks::get`], except 404.
    pub async fn get_opt(&self, id: &TrunkId) -> Result<Option<Trunk>, Error> {
        match self.get(id).await {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates a trunk (`POST Zentrunk/Trunk/`). The answer carries only the id; see
    /// [`Trunks::create_and_fetch`] for the full trunk with its `trunk_domain`. Never retried after an
    /// unknown outcome: list by name first.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::{CreateTrunk, IpAclId};
    /// let created = client.trunks()
    ///     .create(&CreateTrunk::outbound().name("acme-out").ipacl(IpAclId::new("90b6eb07")))
    ///     .await?;
    /// println!("{}", created.id);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] from [`CreateTrunk::validate`]; [`Error::OutcomeUnknown`] when the
    /// request was sent but no answer came; any transport or API error.
    pub async fn create(&self, body: &CreateTrunk) -> Result<Created<TrunkId>, Error> {
        body.validate()?;
        self.client
            .send_create(&ApiRequest::post(PATH.into(), body)?, "trunk_id")
            .await
    }

    /// Creates a trunk and reads it back, so the result carries `trunk_domain`.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::{CreateTrunk, UriId};
    /// let trunk = client.trunks()
    ///     .create_and_fetch(&CreateTrunk::inbound(UriId::new("8fde2db4")).name("acme-in"))
    ///     .await?;
    /// println!("{:?}", trunk.trunk_domain);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Trunks::create`] and [`Trunks::get`]; if the read fails the trunk exists anyway.
    pub async fn create_and_fetch(&self, body: &CreateTrunk) -> Result<Trunk, Error> {
        let created = self.create(body).await?;
        self.get(&created.id).await
    }

    /// Updates a trunk (`POST Zentrunk/Trunk/{id}/`). The API rejects updates without
    /// `trunk_direction`, so when `body.trunk_direction` is `None` the trunk is read first and its
    /// current direction is resent.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::{TrunkStatus, UpdateTrunk};
    /// let change = UpdateTrunk { trunk_status: Some(TrunkStatus::Disabled), ..Default::default() };
    /// client.trunks().update(&"42741122632602585".into(), &change).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; any transport or API error of the read or the update.
    pub async fn update(&self, id: &TrunkId, body: &UpdateTrunk) -> Result<Updated, Error> {
        let path = item_path(id)?;
        let mut body = body.clone();
        if body.trunk_direction.is_none() {
            body.trunk_direction = Some(self.get(id).await?.trunk_direction);
        }
        let req = ApiRequest::post(path, &body)?;
        self.client.send_json(&req).await
    }

    /// Deletes a trunk (`DELETE Zentrunk/Trunk/{id}/`); numbers routed to it are detached.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.trunks().delete(&"42741122632602585".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; any transport or API error.
    pub async fn delete(&self, id: &TrunkId) -> Result<(), Error> {
        self.client
            .send_unit(&ApiRequest::delete(item_path(id)?))
            .await
    }
}
