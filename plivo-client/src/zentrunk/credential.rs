//! Zentrunk credentials (SIP digest user name and password): `Zentrunk/Credential/`.

use std::fmt;

use futures_util::stream::BoxStream;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use crate::client::{ApiRequest, check_limit};
use crate::common::{Created, Envelope, Updated};
use crate::ids::CredentialId;
use crate::zentrunk::ListParams;
use crate::{Error, Page, PlivoClient};

/// A credential. The password is never returned by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Credential {
    /// The id.
    pub credential_uuid: CredentialId,
    /// The friendly name (not used in SIP authentication).
    #[serde(default)]
    pub name: Option<String>,
    /// The SIP digest user name.
    #[serde(default)]
    pub username: Option<String>,
}

pub(crate) fn expose<S: Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

#[allow(
    clippy::ref_option,
    reason = "serde's serialize_with passes &Option<T>"
)]
pub(crate) fn expose_opt<S: Serializer>(
    secret: &Option<SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(v) => s.serialize_str(v.expose_secret()),
        None => s.serialize_none(),
    }
}

/// Checks a credential user name: 5 to 20 ASCII letters and digits.
fn validate_username(username: &str) -> Result<(), Error> {
    if !(5..=20).contains(&username.len()) || !username.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "username",
            username,
            "must be 5 to 20 ASCII letters and digits",
        ));
    }
    Ok(())
}

const PASSWORD_SPECIALS: &str = "~!@#$%^&*()_+";

/// Checks a credential password without ever copying it into the error.
fn validate_password(password: &SecretString) -> Result<(), Error> {
    let p = password.expose_secret();
    let len = p.chars().count();
    if !(5..=20).contains(&len) {
        return Err(Error::invalid(
            "password",
            format!("<{len} characters>"),
            "must be 5 to 20 characters",
        ));
    }
    if !p
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || PASSWORD_SPECIALS.contains(c))
    {
        return Err(Error::invalid(
            "password",
            "<redacted>",
            "may hold only ASCII letters, digits and ~!@#$%^&*()_+",
        ));
    }
    if !p.chars().any(|c| PASSWORD_SPECIALS.contains(c)) {
        return Err(Error::invalid(
            "password",
            "<redacted>",
            "must hold at least one of ~!@#$%^&*()_+",
        ));
    }
    Ok(())
}

/// The body of a credential create.
///
/// ```
/// let c = plivo_client::CreateCredential::new("acmeuser1", "s3cret!pw").name("acme");
/// assert!(c.validate().is_ok());
/// assert!(!format!("{c:?}").contains("s3cret!pw"));
/// ```
#[derive(Clone, Serialize)]
pub struct CreateCredential {
    /// The friendly name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The SIP user name: 5 to 20 letters and digits.
    pub username: String,
    /// The SIP password: 5 to 20 characters from letters, digits and `~!@#$%^&*()_+`, at least one
    /// special character.
    #[serde(serialize_with = "expose")]
    pub password: SecretString,
}

impl fmt::Debug for CreateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateCredential")
            .field("name", &self.name)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish()
    }
}

impl CreateCredential {
    /// A credential with this user name and password.
    pub fn new(username: impl Into<String>, password: impl Into<SecretString>) -> Self {
        Self {
            name: None,
            username: username.into(),
            password: password.into(),
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Checks the documented user name and password rules locally.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the broken rule (the password itself is never echoed).
    pub fn validate(&self) -> Result<(), Error> {
        validate_username(&self.username)?;
        validate_password(&self.password)
    }
}

/// The body of a credential update. The API rewrites the password on every update (an update
/// without one blanks it), so the password is required here.
#[derive(Clone, Serialize)]
pub struct UpdateCredential {
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The password (current or new): always sent.
    #[serde(serialize_with = "expose")]
    pub password: SecretString,
}

impl fmt::Debug for UpdateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateCredential")
            .field("name", &self.name)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish()
    }
}

impl UpdateCredential {
    /// An update carrying `password` (the current one to keep it, or a new one).
    pub fn new(password: impl Into<SecretString>) -> Self {
        Self {
            name: None,
            username: None,
            password: password.into(),
        }
    }

    /// Sets a new name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets a new user name.
    #[must_use]
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }
}

/// Credential operations; from [`PlivoClient::credentials`].
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'c> {
    client: &'c PlivoClient,
}

const PATH: &str = "Zentrunk/Credential/";

fn item_path(id: &CredentialId) -> Result<String, Error> {
    Ok(format!("{PATH}{}/", id.segment()?))
}

impl<'c> Credentials<'c> {
    pub(crate) fn new(client: &'c PlivoClient) -> Self {
        Self { client }
    }

    /// Lists one page (`GET Zentrunk/Credential/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let page = client.credentials().list(&Default::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a `limit` outside 1..=20; any transport or API error.
    pub async fn list(&self, params: &ListParams) -> Result<Page<Credential>, Error> {
        let limit = check_limit(params.limit)?;
        self.client
            .get_page(PATH.into(), Vec::new(), limit, params.offset.unwrap_or(0))
            .await
    }

    /// Streams every credential, paging by `offset`.
    ///
    /// # Errors
    /// The stream yields the first error.
    pub fn stream(&self) -> BoxStream<'static, Result<Credential, Error>> {
        self.client
            .paginate(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
    }

    /// Collects every credential.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn all(&self) -> Result<Vec<Credential>, Error> {
        self.client
            .collect_all(PATH.into(), Vec::new(), crate::page::MAX_PAGE_SIZE)
            .await
    }

    /// Every credential named exactly `name`.
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn find_by_name(&self, name: &str) -> Result<Vec<Credential>, Error> {
        let mut all = self.all().await?;
        all.retain(|c| c.name.as_deref() == Some(name));
        Ok(all)
    }

    /// Reads one credential (nested or flat body).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let c = client.credentials().get(&"f19c4773".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; [`Error::Api`] 404 when absent; any transport error.
    pub async fn get(&self, id: &CredentialId) -> Result<Credential, Error> {
        let env: Envelope<Credential> = self
            .client
            .send_json(&ApiRequest::get(item_path(id)?))
            .await?;
        Ok(env.into_inner())
    }

    /// Like [`Credentials::get`], with 404 as `None`.
    ///
    /// # Errors
    /// As [`Credentials::get`], except 404.
    pub async fn get_opt(&self, id: &CredentialId) -> Result<Option<Credential>, Error> {
        match self.get(id).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates a credential; never retried after an unknown outcome.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::CreateCredential;
    /// let created = client.credentials().create(&CreateCredential::new("acmeuser1", "s3cret!pw")).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] from [`CreateCredential::validate`]; any transport or API error.
    pub async fn create(&self, body: &CreateCredential) -> Result<Created<CredentialId>, Error> {
        body.validate()?;
        self.client
            .send_create(&ApiRequest::post(PATH.into(), body)?, "credential_uuid")
            .await
    }

    /// Updates a credential, always sending the password.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::UpdateCredential;
    /// client.credentials().update(&"f19c4773".into(), &UpdateCredential::new("n3w!pass")).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id, user name or password; any transport or API error.
    pub async fn update(
        &self,
        id: &CredentialId,
        body: &UpdateCredential,
    ) -> Result<Updated, Error> {
        if let Some(u) = &body.username {
            validate_username(u)?;
        }
        validate_password(&body.password)?;
        self.client
            .send_json(&ApiRequest::post(item_path(id)?, body)?)
            .await
    }

    /// Deletes a credential (outbound trunks using it stop authenticating by digest).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.credentials().delete(&"f19c4773".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; any transport or API error.
    pub async fn delete(&self, id: &CredentialId) -> Result<(), Error> {
        self.client
            .send_unit(&ApiRequest::delete(item_path(id)?))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_rules() {
        assert!(CreateCredential::new("abcd", "pa$$w").validate().is_err());
        assert!(CreateCredential::new("abc_de", "pa$$w").validate().is_err());
        let e = CreateCredential::new("abcde", "password1")
            .validate()
            .unwrap_err();
        assert!(!e.to_string().contains("password1"), "{e}");
        let e = CreateCredential::new("abcde", "pass word!")
            .validate()
            .unwrap_err();
        assert!(!e.to_string().contains("pass word!"), "{e}");
        assert!(CreateCredential::new("abcde", "p!").validate().is_err());
        assert!(
            CreateCredential::new("abcde", "pass!word")
                .validate()
                .is_ok()
        );
    }
}
