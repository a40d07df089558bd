//! Domain model of a WeHostVoIP to Plivo Zentrunk interconnect, and the [`Interconnect`] that
//! plans, applies, verifies and tears it down across both platforms.
//!
//! # Builder → plan → apply
//!
//! Build validates every input with no I/O; `plan()` reads both sides (lists and gets only) and
//! returns a [`Plan`] to review (`Display` for people, serde for audit); `apply(&plan)` carries it
//! out in order and refuses it when the platforms changed since; a second `plan()` is empty.
//! Here against the offline Plivo sandbox and the in-memory WeHostVoIP backend (with an operator
//! checklist instead, the WeHostVoIP steps become console steps to confirm):
//!
//! ```
//! use interconnect_core::interconnect::Interconnect;
//! use interconnect_core::sbc::StaticResolver;
//! use interconnect_core::{InboundAuth, Sbc};
//! use plivo_client::sandbox::Sandbox;
//! use wehostvoip_client::{InMemory, Subscriber, World};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await; // or PlivoClient::from_env()? for the real API
//! sandbox.add_account_number("+14155550123")?;
//! let mut world = World::new(); // what exists on WeHostVoIP: the tenant and its extension
//! world.add_tenant("acme.hobot.wehostvoip.io".parse()?)?;
//! world.add_subscriber(&"acme.hobot.wehostvoip.io".parse()?, Subscriber::new("1001".parse()?))?;
//!
//! let ic = Interconnect::builder()
//!     .plivo(sandbox.client()?)
//!     .wehostvoip(Box::new(InMemory::new(world)))
//!     .resolver(StaticResolver::shared_sbcs()) // no DNS in this example
//!     .sbc(Sbc::preset("us").unwrap().clone())
//!     .tenant("acme.hobot.wehostvoip.io")
//!     .caller_id("+14155550123".parse()?)
//!     .number("+14155550123".parse()?, "1001")
//!     .country("US")
//!     .inbound_auth(InboundAuth::PublishedRanges)
//!     .build()?;
//! let plan = ic.plan().await?;
//! println!("{plan}"); // review
//! let report = ic.apply(&plan).await?;
//! assert!(report.applied() > 0);
//! assert!(ic.plan().await?.is_empty()); // idempotent
//! # Ok(()) }
//! ```
//!
//! The `interconnect` command-line tool in the repository's `examples/` wraps this loop for
//! operators (plan, apply, confirm the console steps, status, teardown).
//!
//! # The model
//!
//! The runbook this project automates connects an ISP's hosted VoIP platform (WeHostVoIP) to a
//! Plivo SIP trunk: an IP access list and an outbound trunk on Plivo, a carrier on WeHostVoIP
//! whose gateway is the trunk's domain, then an inbound trunk and numbers. This crate holds the
//! values every step is made of, parsed once and valid from then on ("parse, don't validate"):
//!
//! | Concept | Types | Module |
//! |---|---|---|
//! | Telephone numbers, countries | [`E164`], [`e164::CountryCallingCode`], [`Country`] | [`e164`] |
//! | IP access lists | [`AclEntry`], [`IpAcl`], [`AclPolicy`] | [`acl`] |
//! | Peers | [`Host`], [`Gateway`], [`Transport`], [`Role`] | [`host`] |
//! | Media | [`Codec`], [`CodecPolicy`] | [`codec`] |
//! | Caller ID | [`CallerId`] | [`caller_id`] |
//! | WeHostVoIP SBCs | [`Sbc`], [`Resolver`], [`sbc::Drift`] | [`sbc`] |
//! | Plivo facts with provenance | [`presets::PLIVO`] | [`presets`] |
//! | Inbound authorization | [`InboundAuth`] | [`inbound_auth`] |
//! | Names of remote objects | [`ResourceName`] | [`naming`] |
//!
//! Every type has private fields, parses with `FromStr` / `TryFrom<&str>`, prints with `Display`,
//! and (de)serializes as that same string through the same parser. Errors are typed per concept
//! ([`error`]) and name the rejected value and the rule. Nothing here does I/O, except
//! [`sbc::SystemResolver`], the default [`Resolver`], which asks the operating system.
//!
//! # Phone numbers: a compact table rather than the `phonenumber` crate
//!
//! Both platforms take `+E.164` as is, so the model needs the canonical form, Plivo's digits-only
//! path form, the ITU country calling code with its ISO 3166 region(s), and NANP toll-free
//! detection. A table of the ITU-T E.164 assignments ([`e164::COUNTRY_CALLING_CODES`], provenance
//! in [`e164`]) answers all of that with no dependencies; `phonenumber` would add regex, nom,
//! quick-xml and libphonenumber's metadata for national formatting this project never does.
//!
//! ```
//! use interconnect_core::{CallerId, CodecPolicy, E164, InboundAuth, ResourceName, Sbc};
//! use interconnect_core::naming::ResourceRole;
//! use interconnect_core::presets::PLIVO;
//!
//! let sbc: Sbc = "us".parse()?;
//! let caller_id: CallerId = "+15105550100".parse()?;
//! let test_call = E164::parse_lenient("+1 800 555 0100")?;
//! assert!(test_call.is_nanp_toll_free());
//! let codecs = CodecPolicy::default().check_against(&PLIVO.capabilities())?;
//! assert!(codecs.warnings().is_empty());
//! let acl_name = ResourceName::new(&"acme".parse()?, &sbc, ResourceRole::IpAcl);
//! assert_eq!(acl_name.to_string(), "whv-acme-us-acl");
//! assert_eq!(caller_id.number().digits(), "15105550100");
//! assert_eq!(InboundAuth::default().gateways().len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
/// The README's example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[macro_use]
mod macros;

pub mod acl;
pub mod caller_id;
pub mod codec;
pub mod e164;
pub mod error;
pub mod host;
pub mod inbound_auth;
pub mod interconnect;
pub mod naming;
pub mod presets;
pub mod sbc;

pub use acl::{AclEntry, AclPolicy, IpAcl};
pub use caller_id::CallerId;
pub use codec::{Codec, CodecPolicy, Dtmf};
pub use e164::{Country, E164};
pub use error::Error;
pub use host::{Gateway, GatewayAddress, Host, Role, Transport};
pub use inbound_auth::InboundAuth;
pub use interconnect::{Interconnect, InterconnectError, Plan};
pub use naming::ResourceName;
pub use sbc::{Resolver, Sbc};
