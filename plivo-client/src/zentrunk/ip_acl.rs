//! Zentrunk IP access control lists: `Zentrunk/IPAccessControlList/`.

use futures_util::stream::BoxStream;
use serde::{Deserialize, Serialize};

use crate::client::{ApiRequest, check_limit};
use crate::common::{Created, Envelope, Updated};
use crate::ids::IpAclId;
use crate::zentrunk::{Lenient, ListParams, decode_each};
use crate::{Error, Page, PlivoClient};

/// An IP access control list: the source addresses an outbound trunk accepts INVITEs from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IpAcl {
    /// The id.
    #[serde(deserialize_with = "crate::zentrunk::lenient_id")]
    pub ipacl_uuid: IpAclId,
    /// The friendly name.
    #[serde(default)]
    pub name: Option<String>,
    /// The addresses, as sent (bare IPs or CIDRs); `null` reads as none.
    #[serde(default, deserialize_with = "crate::zentrunk::null_as_default")]
    pub ip_addresses: Vec<String>,
}

impl IpAcl {
    /// An ACL value (for tests and for callers that rebuild one they read earlier).
    ///
    /// ```
    /// let acl = plivo_client::IpAcl::new("f19c4773".into(), Some("acme".into()), vec!["203.0.113.10".into()]);
    /// assert_eq!(acl.ip_addresses.len(), 1);
    /// ```
    pub fn new(ipacl_uuid: IpAclId, name: Option<String>, ip_addresses: Vec<String>) -> Self {
        Self {
            ipacl_uuid,
            name,
            ip_addresses,
        }
    }
}

/// The body of an IP ACL create.
///
/// ```
/// let acl = plivo_client::CreateIpAcl::new(["203.0.113.10", "198.51.100.0/24"]).name("acme-sbc");
/// assert!(acl.validate().is_ok());
/// assert!(plivo_client::CreateIpAcl::new(["203.0.113.300"]).validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateIpAcl {
    /// The friendly name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The addresses (required, at least one): IPv4/IPv6 addresses or CIDRs.
    pub ip_addresses: Vec<String>,
}

impl CreateIpAcl {
    /// An ACL with these addresses.
    pub fn new<I, S>(ip_addresses: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            name: None,
            ip_addresses: ip_addresses.into_iter().map(Into::into).collect(),
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Checks the address list locally.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the list is empty or an entry is neither an IP address nor a CIDR.
    pub fn validate(&self) -> Result<(), Error> {
        validate_addresses(&self.ip_addresses)
    }
}

fn validate_addresses(list: &[String]) -> Result<(), Error> {
    if list.is_empty() {
        return Err(Error::invalid(
            "ip_addresses",
            "[]",
            "must hold at least one address",
        ));
    }
    for a in list {
        if a.parse::<std::net::IpAddr>().is_err() && a.parse::<ipnet::IpNet>().is_err() {
            return Err(Error::invalid(
                "ip_addresses",
                a.as_str(),
                "must be an IPv4/IPv6 address or a CIDR such as 198.51.100.0/24",
            ));
        }
    }
    Ok(())
}

/// The body of an IP ACL update. `ip_addresses` **replaces** the whole list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpdateIpAcl {
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The complete new address list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_addresses: Option<Vec<String>>,
}

/// IP ACL operations; from [`PlivoClient::ip_acls`].
#[derive(Debug, Clone, Copy)]
pub struct IpAcls<'c> {
    client: &'c PlivoClient,
}

const PATH: &str = "Zentrunk/IPAccessControlList/";

fn item_path(id: &IpAclId) -> Result<String, Error> {
    Ok(format!("{PATH}{}/", id.segment()?))
}

impl<'c> IpAcls<'c> {
    pub(crate) fn new(client: &'c PlivoClient) -> Self {
        Self { client }
    }

    /// Lists one page (`GET Zentrunk/IPAccessControlList/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let page = client.ip_acls().list(&Default::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a `limit` outside 1..=20; any transport or API error.
    pub async fn list(&self, params: &ListParams) -> Result<Page<IpAcl>, Error> {
        let limit = check_limit(params.limit)?;
        self.client
            .get_page(PATH.into(), Vec::new(), limit, params.offset.unwrap_or(0))
            .await
    }

    /// Streams every ACL, paging by `offset`.
    ///
    /// # Errors
    /// The stream yields the first error.
    pub fn stream(&self) -> BoxStream<'static, Result<IpAcl, Error>> {
        self.client
            .paginate(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
    }

    /// Collects every ACL.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn all(&self) -> Result<Vec<IpAcl>, Error> {
        self.client
            .collect_all(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
            .await
    }

    /// Every ACL, decoding each on its own: one this crate cannot read is skipped and reported.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn all_lenient(&self) -> Result<Lenient<IpAcl>, Error> {
        let values: Vec<serde_json::Value> = self
            .client
            .collect_all(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
            .await?;
        Ok(decode_each("IP access list", "ipacl_uuid", values))
    }

    /// Every ACL named exactly `name`.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn find_by_name(&self, name: &str) -> Result<Vec<IpAcl>, Error> {
        let mut all = self.all().await?;
        all.retain(|a| a.name.as_deref() == Some(name));
        Ok(all)
    }

    /// Reads one ACL (nested or flat body).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let acl = client.ip_acls().get(&"f19c4773".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; [`Error::Api`] 404 when absent; any transport error.
    pub async fn get(&self, id: &IpAclId) -> Result<IpAcl, Error> {
        let env: Envelope<IpAcl> = self
            .client
            .send_json(&ApiRequest::get(item_path(id)?))
            .await?;
        Ok(env.into_inner())
    }

    /// Like [`IpAcls::get`], with 404 as `None`.
    ///
    /// # Errors
    /// As [`IpAcls::get`], except 404.
    pub async fn get_opt(&self, id: &IpAclId) -> Result<Option<IpAcl>, Error> {
        match self.get(id).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates an ACL (`POST Zentrunk/IPAccessControlList/`); never retried after an unknown outcome.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::CreateIpAcl;
    /// let created = client.ip_acls().create(&CreateIpAcl::new(["203.0.113.10"]).name("acme")).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] from [`CreateIpAcl::validate`]; any transport or API error.
    pub async fn create(&self, body: &CreateIpAcl) -> Result<Created<IpAclId>, Error> {
        body.validate()?;
        self.client
            .send_create(&ApiRequest::post(PATH.into(), body)?, "ipacl_uuid")
            .await
    }

    /// Updates an ACL; `ip_addresses` replaces the whole list.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::UpdateIpAcl;
    /// let change = UpdateIpAcl { ip_addresses: Some(vec!["203.0.113.11".into()]), ..Default::default() };
    /// client.ip_acls().update(&"f19c4773".into(), &change).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id or address list; any transport or API error.
    pub async fn update(&self, id: &IpAclId, body: &UpdateIpAcl) -> Result<Updated, Error> {
        if let Some(list) = &body.ip_addresses {
            validate_addresses(list)?;
        }
        self.client
            .send_json(&ApiRequest::post(item_path(id)?, body)?)
            .await
    }

    /// Deletes an ACL (outbound trunks using it stop authenticating by IP).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.ip_acls().delete(&"f19c4773".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; any transport or API error.
    pub async fn delete(&self, id: &IpAclId) -> Result<(), Error> {
        self.client
            .send_unit(&ApiRequest::delete(item_path(id)?))
            .await
    }
}
