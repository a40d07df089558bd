//! Typed async client for Plivo's Zentrunk SIP trunking and numbers APIs.
//!
//! - Zentrunk: [`Trunks`], [`IpAcls`], [`Credentials`], [`Uris`] (origination URIs), [`Calls`] (CDRs
//!   and insights);
//! - numbers: [`Numbers`] (the account's numbers, attach to an inbound trunk) and [`PhoneNumbers`]
//!   (search and buy).
//!
//! The client handles the wire quirks of the real API: trunk GET nested under `object` or flat, create
//! answers without `trunk_domain` ([`Trunks::create_and_fetch`]), updates that must resend
//! `trunk_direction` or `password`, the cascading URI delete, ids as strings, `meta.next` ignored in
//! favour of offset paging, lenient error bodies, and Plivo's 300 requests per 5 seconds.
//!
//! ```no_run
//! # async fn run() -> Result<(), plivo_client::Error> {
//! use plivo_client::{CreateIpAcl, CreateTrunk, PlivoClient};
//!
//! let client = PlivoClient::from_env()?;
//! let acl = client.ip_acls().create(&CreateIpAcl::new(["203.0.113.10"]).name("acme-sbc")).await?;
//! let trunk = client
//!     .trunks()
//!     .create_and_fetch(&CreateTrunk::outbound().name("acme-out").ipacl(acl.id))
//!     .await?;
//! println!("send calls to {}", trunk.trunk_domain.unwrap_or_default());
//! # Ok(()) }
//! ```

mod client;
mod common;
mod error;
mod ids;
mod page;
mod ratelimit;

pub mod numbers;
pub mod zentrunk;

#[cfg(feature = "sandbox")]
pub mod sandbox;

/// The README's example, compiled as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The retry policy, its sleeper and the failure classes are the workspace's one definition, in
/// [`api_common`].
pub use api_common::{Classify, Failure, Repeat, RetryPolicy, Sleeper, TokioSleeper};
pub use client::{ClientBuilder, DEFAULT_BASE_URL, DEFAULT_USER_AGENT, PlivoClient};
pub use common::{Created, Updated};
pub use error::{ApiError, Error, Refusal};
pub use ids::{CallUuid, CredentialId, IpAclId, TrunkId, UriId, number_digits};
pub use numbers::number::{Number, NumberFilter, Numbers, UpdateNumber};
pub use numbers::phone_number::{
    BoughtNumber, BuyNumber, BuyResult, PhoneNumber, PhoneNumberSearch, PhoneNumbers,
};
pub use page::{MAX_PAGE_SIZE, Meta, Page};
pub use ratelimit::{RateLimit, RateLimiter};
pub use zentrunk::call::{Call, CallFilter, CallInsights, CallParty, Calls};
pub use zentrunk::credential::{CreateCredential, Credential, Credentials, UpdateCredential};
pub use zentrunk::ip_acl::{CreateIpAcl, IpAcl, IpAcls, UpdateIpAcl};
pub use zentrunk::trunk::{
    CreateTrunk, Trunk, TrunkDirection, TrunkFilter, TrunkStatus, Trunks, UpdateTrunk,
};
pub use zentrunk::uri::{CreateUri, OriginationUri, UpdateUri, Uris};
pub use zentrunk::{Lenient, ListParams, Undecodable};

impl PlivoClient {
    /// Zentrunk trunks.
    pub fn trunks(&self) -> Trunks<'_> {
        Trunks::new(self)
    }

    /// Zentrunk IP access control lists.
    pub fn ip_acls(&self) -> IpAcls<'_> {
        IpAcls::new(self)
    }

    /// Zentrunk credentials.
    pub fn credentials(&self) -> Credentials<'_> {
        Credentials::new(self)
    }

    /// Zentrunk origination URIs.
    pub fn uris(&self) -> Uris<'_> {
        Uris::new(self)
    }

    /// Zentrunk CDRs and call insights.
    pub fn calls(&self) -> Calls<'_> {
        Calls::new(self)
    }

    /// The account's rented numbers.
    pub fn numbers(&self) -> Numbers<'_> {
        Numbers::new(self)
    }

    /// The number inventory (search and buy).
    pub fn phone_numbers(&self) -> PhoneNumbers<'_> {
        PhoneNumbers::new(self)
    }
}
