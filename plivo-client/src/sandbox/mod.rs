//! A stateful offline emulator of the Plivo endpoints this crate uses.
//!
//! [`Sandbox`] is a small HTTP/1.1 server on `127.0.0.1` (an ephemeral port) that answers the Plivo REST
//! API the way the real service does: the same paths (`/v1/Account/{auth_id}/...`, always with a trailing
//! slash), JSON bodies, status codes, error bodies `{"api_id": ..., "error": ...}` and list envelopes
//! `{"api_id", "meta": {limit, offset, next, previous, total_count}, "objects": [...]}`. It keeps state, so
//! a trunk created by one request is listed by the next, and it reproduces the undocumented behaviours
//! of the real API (see `SANDBOX.md` in the crate for the full list):
//!
//! * `GET Zentrunk/Trunk/{id}/` nests the trunk under `object` (selectable with
//!   [`SandboxBuilder::trunk_get_shape`]); `POST Zentrunk/Trunk/` returns no `trunk_domain`;
//! * a trunk update without `trunk_direction` is rejected with 400;
//! * a credential update without `password` blanks the password;
//! * a URI password change must restate `authentication_needed` and `username`;
//! * deleting a URI deletes the trunks that use it; deleting a trunk detaches its numbers;
//! * an outbound trunk without authentication is refused with an error that does not name the field;
//! * `GET Zentrunk/URI/{id}/` carries an undocumented `sip_user`;
//! * CDR filters `from_number`/`to_number` match only without `+`, empty filters and `end_time__lte`
//!   without `end_time__gte` are rejected;
//! * offset paging with `limit` 1 to 20 (more is a 400), `meta.next` without a leading slash on Zentrunk
//!   lists and with one on number lists;
//! * 429 once more than 300 requests (configurable) arrive within any 5 s window.
//!
//! It can also be told to fail the n-th request ([`Fault`]) so that retry and reconciliation code can be
//! tested offline, and it exposes its state ([`Sandbox::state`]) and a request log ([`Sandbox::requests`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use plivo_client::sandbox::Sandbox;
//! use secrecy::ExposeSecret;
//!
//! let sandbox = Sandbox::start().await;
//! let url = sandbox.base_url().join(&format!("v1/Account/{}/Zentrunk/Trunk/", sandbox.auth_id()))?;
//! let response = reqwest::Client::new()
//!     .get(url)
//!     .basic_auth(sandbox.auth_id(), Some(sandbox.auth_token().expose_secret()))
//!     .send()
//!     .await?;
//! assert_eq!(response.status(), 200);
//! let body: serde_json::Value = response.json().await?;
//! assert_eq!(body["meta"]["total_count"], 0);
//! # Ok(())
//! # }
//! ```

mod api;
mod model;
mod server;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

pub use model::{
    CallRecord, CredentialRecord, IpAclRecord, NumberRecord, SandboxState, TrunkRecord, UriRecord,
};

use api::{InventoryNumber, State};
use server::{Inner, Shared};

/// The Auth ID of the sandbox's account unless [`SandboxBuilder::auth_id`] sets another.
///
/// Shaped like a real one: 20 upper-case letters and digits, starting with `MA`.
pub const DEFAULT_AUTH_ID: &str = "MASANDBOXACCOUNT0001";

/// The Auth Token of the sandbox's account unless [`SandboxBuilder::auth_token`] sets another.
///
/// It is a well-known value on purpose: the sandbox guards nothing but the realism of its replies.
pub const DEFAULT_AUTH_TOKEN: &str = "sandbox-auth-token-0123456789";

/// An application id that exists in every sandbox, so a number can be moved off a trunk
/// (`POST Number/{digits}/ {"app_id": DEFAULT_APP_ID}`), as the real API expects to detach one.
pub const DEFAULT_APP_ID: &str = "29986316244302815";

/// The default rate limit: at most this many requests in any [`DEFAULT_RATE_WINDOW`].
pub const DEFAULT_RATE_LIMIT: usize = 300;

/// The default window of the rate limit (Plivo: 300 requests per 5 seconds per account).
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(5);

/// The default time a [`Fault::TimeoutAfterApply`] response is held before it is sent.
pub const DEFAULT_RESPONSE_HOLD: Duration = Duration::from_secs(120);

/// Errors of the sandbox itself (never of the emulated API, which answers with HTTP statuses).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The loopback listener could not be bound.
    #[error("cannot bind the sandbox listener on 127.0.0.1")]
    Bind(#[source] std::io::Error),
    /// A seeded phone number is not a valid E.164 number.
    #[error("invalid sandbox phone number {value:?}: {rule}")]
    InvalidNumber {
        /// The rejected value, as given.
        value: String,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// A seeded number is already on the account or in the inventory.
    #[error("phone number {number:?} is already in the sandbox")]
    DuplicateNumber {
        /// The number, digits only.
        number: String,
    },
}

/// A failure the sandbox injects instead of (or on top of) a normal answer, for fault tests.
///
/// Schedule one with [`Sandbox::fail_nth`] or [`Sandbox::fail_next`].
///
/// ```
/// use plivo_client::sandbox::Fault;
///
/// let fault = Fault::ServerError(503);
/// assert_ne!(fault, Fault::ConnectionReset);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status (a 5xx normally) and a Plivo error body, WITHOUT applying the request.
    ServerError(u16),
    /// Apply the request, then hold the response longer than any client timeout
    /// ([`SandboxBuilder::response_hold`]): the client cannot know whether its request took effect.
    TimeoutAfterApply,
    /// Read the request, then reset the connection without answering or applying anything.
    ConnectionReset,
}

/// A list endpoint, for [`Sandbox::seed_listed_json`].
///
/// ```
/// use plivo_client::sandbox::Listing;
/// assert_ne!(Listing::Trunk, Listing::IpAcl);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Listing {
    /// `GET Zentrunk/Trunk/`.
    Trunk,
    /// `GET Zentrunk/IPAccessControlList/`.
    IpAcl,
    /// `GET Zentrunk/URI/`.
    Uri,
    /// `GET Number/`.
    Number,
}

/// Which shape `GET Zentrunk/Trunk/{trunk_id}/` answers with.
///
/// ```
/// use plivo_client::sandbox::TrunkGetShape;
///
/// assert_eq!(TrunkGetShape::default(), TrunkGetShape::Nested);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrunkGetShape {
    /// `{"api_id": ..., "object": {...trunk...}}`, as production answers.
    #[default]
    Nested,
    /// `{"api_id": ..., ...trunk...}`, as the documentation shows.
    Flat,
}

/// One request the sandbox received, in arrival order.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use plivo_client::sandbox::Sandbox;
///
/// let sandbox = Sandbox::start().await;
/// reqwest::get(sandbox.base_url().join("v1/")?).await?;
/// let log = sandbox.requests();
/// assert_eq!(log[0].method, "GET");
/// assert_eq!(log[0].path, "/v1/");
/// assert_eq!(log[0].status, Some(401));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestRecord {
    /// When it arrived, on the sandbox's clock, counted from the sandbox's start (for rate
    /// measurements from the server's side).
    pub received: Duration,
    /// The HTTP method, upper case.
    pub method: String,
    /// The request path, without the query string.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The status sent (or, for [`Fault::TimeoutAfterApply`], held); `None` when the connection was reset.
    pub status: Option<u16>,
    /// The fault injected into this request, if any.
    pub fault: Option<Fault>,
}

/// Configures a [`Sandbox`] before it starts. Obtain one with [`Sandbox::builder`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use plivo_client::sandbox::{Sandbox, TrunkGetShape};
///
/// let sandbox = Sandbox::builder()
///     .auth_id("MAXXXXXXXXXXXXXXXXXX")
///     .auth_token("my-test-token")
///     .rate_limit(10, Duration::from_secs(1))
///     .trunk_get_shape(TrunkGetShape::Flat)
///     .account_number("+14155550123")
///     .try_start()
///     .await?;
/// assert_eq!(sandbox.auth_id(), "MAXXXXXXXXXXXXXXXXXX");
/// assert_eq!(sandbox.state().numbers[0].number, "14155550123");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use]
pub struct SandboxBuilder {
    auth_id: String,
    auth_token: SecretString,
    rate_limit: Option<(usize, Duration)>,
    hold: Duration,
    trunk_get_shape: TrunkGetShape,
    account_numbers: Vec<String>,
    inventory: Vec<(String, String, String)>,
    default_inventory: bool,
    applications: Vec<String>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            auth_id: DEFAULT_AUTH_ID.to_owned(),
            auth_token: SecretString::from(DEFAULT_AUTH_TOKEN),
            rate_limit: Some((DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW)),
            hold: DEFAULT_RESPONSE_HOLD,
            trunk_get_shape: TrunkGetShape::default(),
            account_numbers: Vec::new(),
            inventory: Vec::new(),
            default_inventory: true,
            applications: vec![DEFAULT_APP_ID.to_owned()],
        }
    }
}

impl SandboxBuilder {
    /// Sets the account's Auth ID (default [`DEFAULT_AUTH_ID`]).
    ///
    /// ```
    /// let builder = plivo_client::sandbox::Sandbox::builder().auth_id("MAXXXXXXXXXXXXXXXXXX");
    /// # drop(builder);
    /// ```
    pub fn auth_id(mut self, auth_id: impl Into<String>) -> Self {
        self.auth_id = auth_id.into();
        self
    }

    /// Sets the account's Auth Token (default [`DEFAULT_AUTH_TOKEN`]).
    ///
    /// ```
    /// let builder = plivo_client::sandbox::Sandbox::builder().auth_token("token");
    /// # drop(builder);
    /// ```
    pub fn auth_token(mut self, auth_token: impl Into<SecretString>) -> Self {
        self.auth_token = auth_token.into();
        self
    }

    /// Answers 429 once more than `max_requests` requests arrive within any `window`
    /// (default [`DEFAULT_RATE_LIMIT`] per [`DEFAULT_RATE_WINDOW`]). Requests answered 429 do not count.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = plivo_client::sandbox::Sandbox::builder().rate_limit(3, Duration::from_secs(1));
    /// # drop(builder);
    /// ```
    pub fn rate_limit(mut self, max_requests: usize, window: Duration) -> Self {
        self.rate_limit = Some((max_requests, window));
        self
    }

    /// Turns the rate limit off.
    ///
    /// ```
    /// let builder = plivo_client::sandbox::Sandbox::builder().no_rate_limit();
    /// # drop(builder);
    /// ```
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// How long a [`Fault::TimeoutAfterApply`] response is held (default [`DEFAULT_RESPONSE_HOLD`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = plivo_client::sandbox::Sandbox::builder().response_hold(Duration::from_secs(30));
    /// # drop(builder);
    /// ```
    pub fn response_hold(mut self, hold: Duration) -> Self {
        self.hold = hold;
        self
    }

    /// Selects the shape of `GET Zentrunk/Trunk/{id}/` (default [`TrunkGetShape::Nested`]).
    ///
    /// ```
    /// use plivo_client::sandbox::{Sandbox, TrunkGetShape};
    /// let builder = Sandbox::builder().trunk_get_shape(TrunkGetShape::Flat);
    /// # drop(builder);
    /// ```
    pub fn trunk_get_shape(mut self, shape: TrunkGetShape) -> Self {
        self.trunk_get_shape = shape;
        self
    }

    /// Rents a number to the account from the start (E.164, with or without `+`); validated by
    /// [`try_start`](Self::try_start).
    ///
    /// ```
    /// let builder = plivo_client::sandbox::Sandbox::builder().account_number("+14155550123");
    /// # drop(builder);
    /// ```
    pub fn account_number(mut self, number: impl Into<String>) -> Self {
        self.account_numbers.push(number.into());
        self
    }

    /// Adds a number to the inventory that `GET PhoneNumber/` searches and `POST PhoneNumber/{n}/` buys.
    /// `number_type` is Plivo's (`local`, `tollfree`, `mobile`, `national`, `fixed`).
    ///
    /// ```
    /// let builder = plivo_client::sandbox::Sandbox::builder()
    ///     .available_number("+442071838750", "GB", "local");
    /// # drop(builder);
    /// ```
    pub fn available_number(
        mut self,
        number: impl Into<String>,
        country_iso: impl Into<String>,
        number_type: impl Into<String>,
    ) -> Self {
        self.inventory
            .push((number.into(), country_iso.into(), number_type.into()));
        self
    }

    /// Starts with an empty inventory instead of the default one (25 US local numbers `+1415555010x`
    /// to `+14155550124`, 3 US toll-free numbers `+1833555000x` and 2 GB local numbers).
    ///
    /// ```
    /// let builder = plivo_client::sandbox::Sandbox::builder().empty_inventory();
    /// # drop(builder);
    /// ```
    pub fn empty_inventory(mut self) -> Self {
        self.default_inventory = false;
        self
    }

    /// Declares an (XML) application id that numbers may be attached to, besides [`DEFAULT_APP_ID`].
    ///
    /// ```
    /// let builder = plivo_client::sandbox::Sandbox::builder().application("16632559604105954");
    /// # drop(builder);
    /// ```
    pub fn application(mut self, app_id: impl Into<String>) -> Self {
        self.applications.push(app_id.into());
        self
    }

    /// Binds `127.0.0.1:0` and starts serving. Must be called inside a Tokio runtime.
    ///
    /// # Errors
    /// [`SandboxError::Bind`] when the loopback listener cannot be bound;
    /// [`SandboxError::InvalidNumber`] or [`SandboxError::DuplicateNumber`] for a bad seeded number.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), plivo_client::sandbox::SandboxError> {
    /// let sandbox = plivo_client::sandbox::Sandbox::builder().try_start().await?;
    /// assert_eq!(sandbox.base_url().host_str(), Some("127.0.0.1"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn try_start(self) -> Result<Sandbox, SandboxError> {
        let mut state = State::new(self.auth_id.clone(), self.applications);
        let mut inventory = Vec::new();
        if self.default_inventory {
            inventory.extend(default_inventory());
        }
        for (number, country, kind) in self.inventory {
            let digits = model::normalize_number(&number)?;
            inventory.push(InventoryNumber::new(digits, country, kind));
        }
        for item in inventory {
            state.add_inventory(item)?;
        }
        for number in &self.account_numbers {
            state.add_account_number(&model::normalize_number(number)?, 0)?;
        }
        let shared = Arc::new(Shared {
            auth_id: self.auth_id,
            auth_token: self.auth_token,
            rate_limit: self.rate_limit,
            hold: self.hold,
            trunk_get_shape: self.trunk_get_shape,
            inner: Mutex::new(Inner::new(state)),
        });
        let (addr, task) = server::spawn(Arc::clone(&shared)).await?;
        let base_url = Url::parse(&format!("http://{addr}/")).map_err(|_| {
            SandboxError::Bind(std::io::Error::other("listener address is not a URL"))
        })?;
        Ok(Sandbox {
            shared,
            addr,
            base_url,
            task,
        })
    }

    /// Like [`try_start`](Self::try_start), for tests that have no use for the error.
    ///
    /// # Panics
    /// When [`try_start`](Self::try_start) fails (no loopback interface, or a bad seeded number).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::builder().no_rate_limit().start().await;
    /// assert!(sandbox.requests().is_empty());
    /// # }
    /// ```
    pub async fn start(self) -> Sandbox {
        match self.try_start().await {
            Ok(sandbox) => sandbox,
            Err(error) => panic!("the Plivo sandbox did not start: {error}"),
        }
    }
}

fn default_inventory() -> Vec<InventoryNumber> {
    let mut numbers: Vec<InventoryNumber> = (0..25)
        .map(|i| InventoryNumber::new(format!("1415555{:04}", 100 + i), "US", "local"))
        .collect();
    numbers.extend(
        (1..=3).map(|i| InventoryNumber::new(format!("183355500{i:02}"), "US", "tollfree")),
    );
    numbers
        .extend((1..=2).map(|i| InventoryNumber::new(format!("4420718387{i:02}"), "GB", "local")));
    numbers
}

/// A running Plivo emulator on `127.0.0.1`. It shuts down (closing every connection) when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sandbox = plivo_client::sandbox::Sandbox::start().await;
/// assert_eq!(sandbox.base_url().scheme(), "http");
/// drop(sandbox); // the port is closed now
/// # }
/// ```
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: Url,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("auth_id", &self.shared.auth_id)
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sandbox {
    /// Starts a sandbox with every default (see [`SandboxBuilder`]). Must be called inside a Tokio runtime.
    ///
    /// # Panics
    /// When no listener can be bound on `127.0.0.1`; use [`SandboxBuilder::try_start`] to get the error.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// assert_eq!(sandbox.auth_id(), plivo_client::sandbox::DEFAULT_AUTH_ID);
    /// # }
    /// ```
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// A builder to configure the account, rate limit, seeded numbers and trunk GET shape.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::builder().auth_id("MAXXXXXXXXXXXXXXXXXX").start().await;
    /// assert_eq!(sandbox.auth_id(), "MAXXXXXXXXXXXXXXXXXX");
    /// # }
    /// ```
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The server's root, `http://127.0.0.1:PORT/`: the API lives under `v1/Account/{auth_id}/`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// assert_eq!(sandbox.base_url().port(), Some(sandbox.addr().port()));
    /// # }
    /// ```
    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    /// The socket address the sandbox listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// assert!(sandbox.addr().ip().is_loopback());
    /// # }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The account's Auth ID (HTTP Basic user name, and the `{auth_id}` in every path).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// assert_eq!(sandbox.auth_id(), "MASANDBOXACCOUNT0001");
    /// # }
    /// ```
    pub fn auth_id(&self) -> &str {
        &self.shared.auth_id
    }

    /// The account's Auth Token (HTTP Basic password).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use secrecy::ExposeSecret;
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// assert_eq!(sandbox.auth_token().expose_secret(), plivo_client::sandbox::DEFAULT_AUTH_TOKEN);
    /// # }
    /// ```
    pub fn auth_token(&self) -> SecretString {
        self.shared.auth_token.clone()
    }

    /// A client builder already pointed at this sandbox with its account's credentials; set a
    /// timeout, retry policy or rate limit on it, then `build()`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), plivo_client::Error> {
    /// use std::time::Duration;
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// let client = sandbox.client_builder().timeout(Duration::from_secs(2)).build()?;
    /// assert!(client.trunks().all(&Default::default()).await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::PlivoClient::builder()
            .auth_id(self.auth_id())
            .auth_token(self.auth_token())
            .base_url(self.base_url().as_str())
    }

    /// A client of this sandbox with the default settings (see [`Sandbox::client_builder`]).
    ///
    /// # Errors
    /// [`crate::Error`] only if the client cannot be built (no TLS backend, for instance).
    pub fn client(&self) -> Result<crate::PlivoClient, crate::Error> {
        self.client_builder().build()
    }

    /// Rents a number to the account (E.164, with or without `+`), with no application attached.
    ///
    /// # Errors
    /// [`SandboxError::InvalidNumber`] when `number` is not E.164 ([`sip_rules::e164::is_e164_digits`]);
    /// [`SandboxError::DuplicateNumber`] when the account already has it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), plivo_client::sandbox::SandboxError> {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// sandbox.add_account_number("+14155550123")?;
    /// assert_eq!(sandbox.state().numbers[0].number, "14155550123");
    /// assert!(sandbox.add_account_number("+0123").is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_account_number(&self, number: &str) -> Result<(), SandboxError> {
        let digits = model::normalize_number(number)?;
        let mut inner = self.lock();
        let now = inner.now_unix();
        inner.state.add_account_number(&digits, now)
    }

    /// Adds a Zentrunk CDR that `GET Zentrunk/Call/` lists and `GET Zentrunk/Call/{call_uuid}/` returns.
    /// Numbers are stored as `+E.164`; an empty `call_uuid` is replaced by a generated one.
    /// Returns the CDR's `call_uuid`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use plivo_client::sandbox::{CallRecord, Sandbox};
    /// let sandbox = Sandbox::start().await;
    /// let uuid = sandbox.seed_call(CallRecord::new("inbound", "+919902443540", "17322179088"));
    /// assert_eq!(sandbox.state().calls[0].call_uuid, uuid);
    /// assert_eq!(sandbox.state().calls[0].to_number, "+17322179088");
    /// # }
    /// ```
    pub fn seed_call(&self, call: CallRecord) -> String {
        self.lock().state.seed_call(call)
    }

    /// Adds an object that the list `listing` returns verbatim, after the account's own objects:
    /// a hand-made object with the shapes real accounts hold (`null` where a list or flag is
    /// expected, a numeric `trunk_id`, a missing required field). It is served as given by the
    /// list only: it cannot be read by id, changed or deleted, and [`Sandbox::state`] leaves it out.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), plivo_client::Error> {
    /// use plivo_client::sandbox::{Listing, Sandbox};
    /// let sandbox = Sandbox::start().await;
    /// sandbox.seed_listed_json(
    ///     Listing::IpAcl,
    ///     serde_json::json!({"ipacl_uuid": "hand-made", "name": "office", "ip_addresses": null}),
    /// );
    /// let acls = sandbox.client()?.ip_acls().all().await?;
    /// assert_eq!(acls[0].ip_addresses, Vec::<String>::new());
    /// # Ok(())
    /// # }
    /// ```
    pub fn seed_listed_json(&self, listing: Listing, object: serde_json::Value) {
        self.lock().state.seed_listed(listing, object);
    }

    /// A snapshot of every resource the account holds, in creation order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// let before = sandbox.state();
    /// assert!(before.trunks.is_empty());
    /// assert_eq!(before, sandbox.state());
    /// # }
    /// ```
    pub fn state(&self) -> SandboxState {
        self.lock().state.snapshot()
    }

    /// The log of requests received since the start or the last [`reset_log`](Self::reset_log).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// assert!(sandbox.requests().iter().all(|r| r.method != "POST"));
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.lock().log.clone()
    }

    /// Clears the request log (faults and rate-limit history are kept).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// reqwest::get(sandbox.base_url()).await?;
    /// sandbox.reset_log();
    /// assert!(sandbox.requests().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn reset_log(&self) {
        self.lock().log.clear();
    }

    /// Injects `fault` into the `n`-th request from now (1-based: `1` is the next request to arrive;
    /// `0` is treated as `1`). A later call for the same request replaces the earlier fault.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use plivo_client::sandbox::{Fault, Sandbox};
    /// let sandbox = Sandbox::start().await;
    /// sandbox.fail_nth(2, Fault::ServerError(503));
    /// assert_eq!(reqwest::get(sandbox.base_url()).await?.status(), 401);
    /// assert_eq!(reqwest::get(sandbox.base_url()).await?.status(), 503);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_nth(&self, n: u64, fault: Fault) {
        let mut inner = self.lock();
        let at = inner.seen + n.max(1);
        inner.faults.insert(at, fault);
    }

    /// Injects `fault` into the next request; same as `fail_nth(1, fault)`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use plivo_client::sandbox::{Fault, Sandbox};
    /// let sandbox = Sandbox::start().await;
    /// sandbox.fail_next(Fault::ConnectionReset);
    /// assert!(reqwest::get(sandbox.base_url()).await.is_err());
    /// # }
    /// ```
    pub fn fail_next(&self, fault: Fault) {
        self.fail_nth(1, fault);
    }

    /// Moves the sandbox's clock forward (rate-limit window and timestamps), so tests of the 429 window
    /// never sleep.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sandbox = plivo_client::sandbox::Sandbox::start().await;
    /// sandbox.advance_clock(std::time::Duration::from_secs(5));
    /// # }
    /// ```
    pub fn advance_clock(&self, by: Duration) {
        self.lock().clock_offset += by;
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
