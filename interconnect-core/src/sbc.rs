//! WeHostVoIP session border controllers, resolving their names, and drift.
//!
//! The runbook (section 2.2) lists three shared SBCs with their addresses and adds "Ping the
//! addresses by the name, they may change with time". So each preset keeps its FQDN and its
//! last-known address with provenance, the FQDN is resolved at plan time through an injectable
//! [`Resolver`], and a resolved set that no longer holds the last-known address is reported as
//! [`Drift`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU16;
use std::str::FromStr;

use async_trait::async_trait;

use crate::acl::{AclEntry, IpAcl};
use crate::error::{ResolveError, SbcError};
use crate::host::Host;
use crate::presets::Provenance;

/// Where the shared SBC addresses come from.
const SBC_SOURCE: &str = "https://github.com/pauloantonio-git/wehostvoip-docs/blob/59c5a53/docs/plivo_trunk.md (section 2.2)";
/// The date of that runbook revision.
const SBC_VERIFIED: &str = "2023-04-10";

/// A WeHostVoIP SBC: a short label used in resource names, its FQDN, where it is, and the address
/// it had when last checked.
///
/// String form: the label of a shared SBC (`us`, `br`, `in`; its FQDN is accepted too), or
/// `label=host` / `label=host@last-known-ip` for a dedicated one.
///
/// ```
/// use interconnect_core::Sbc;
///
/// let us: Sbc = "us".parse()?;
/// assert_eq!(us.host().to_string(), "sbc-us.wehostvoip.io");
/// assert_eq!(us.last_known().unwrap().to_string(), "172.174.24.204");
/// assert_eq!("sbc-br.wehostvoip.io".parse::<Sbc>()?.label(), "br");
///
/// let own: Sbc = "acme1=sbc.acme.example@198.51.100.7".parse()?;
/// assert_eq!(own.label(), "acme1");
/// assert_eq!(own.to_string(), "acme1=sbc.acme.example@198.51.100.7");
/// # Ok::<(), interconnect_core::error::SbcError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sbc {
    label: Cow<'static, str>,
    host: Host,
    port: u16,
    location: Cow<'static, str>,
    last_known: Option<IpAddr>,
    provenance: Option<Provenance>,
}

/// The SIP port an SBC listens on unless [`Sbc::with_sip_port`] says otherwise.
pub const DEFAULT_SIP_PORT: u16 = 5060;

const fn shared(
    label: &'static str,
    fqdn: &'static str,
    location: &'static str,
    ip: Ipv4Addr,
) -> Sbc {
    Sbc {
        label: Cow::Borrowed(label),
        host: Host::from_static_domain(fqdn),
        port: DEFAULT_SIP_PORT,
        location: Cow::Borrowed(location),
        last_known: Some(IpAddr::V4(ip)),
        provenance: Some(Provenance::new(SBC_SOURCE, SBC_VERIFIED)),
    }
}

/// The three shared SBCs of the runbook.
pub static SHARED_SBCS: [Sbc; 3] = [
    shared(
        "us",
        "sbc-us.wehostvoip.io",
        "United States",
        Ipv4Addr::new(172, 174, 24, 204),
    ),
    shared(
        "br",
        "sbc-br.wehostvoip.io",
        "Brazil",
        Ipv4Addr::new(20, 226, 38, 150),
    ),
    shared(
        "in",
        "sbc-in.wehostvoip.io",
        "India",
        Ipv4Addr::new(20, 204, 231, 235),
    ),
];

impl Sbc {
    /// The shared SBCs.
    pub fn presets() -> &'static [Sbc] {
        &SHARED_SBCS
    }

    /// A shared SBC by label (`us`, `br`, `in`) or FQDN.
    pub fn preset(name: &str) -> Option<&'static Sbc> {
        let lower = name.to_ascii_lowercase();
        SHARED_SBCS
            .iter()
            .find(|s| s.label == lower || s.host.domain() == Some(lower.as_str()))
    }

    /// A dedicated SBC. The label (1-8 lowercase letters or digits) goes into resource names.
    ///
    /// # Errors
    ///
    /// [`SbcError::Label`] for a bad label.
    pub fn dedicated(label: &str, host: Host, last_known: Option<IpAddr>) -> Result<Sbc, SbcError> {
        let ok = (1..=8).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !ok {
            return Err(SbcError::Label {
                value: label.to_owned(),
            });
        }
        Ok(Sbc {
            label: Cow::Owned(label.to_owned()),
            location: Cow::Owned(format!("dedicated ({host})")),
            host,
            port: DEFAULT_SIP_PORT,
            last_known,
            provenance: None,
        })
    }

    /// A dedicated SBC labelled after its host: `d` and 7 hex digits of the FNV-1a hash of the
    /// host as displayed (FQDNs are stored lowercase), so the same SBC always gets the same
    /// label and two dedicated SBCs of one tenant get two sets of objects.
    ///
    /// ```
    /// use interconnect_core::Sbc;
    ///
    /// let a = Sbc::dedicated_host("sbc1.acme.example".parse()?, None);
    /// let b = Sbc::dedicated_host("SBC1.acme.example".parse()?, None);
    /// let c = Sbc::dedicated_host("sbc2.acme.example".parse()?, None);
    /// assert_eq!(a.label(), b.label());
    /// assert_ne!(a.label(), c.label());
    /// assert_eq!(a.label().len(), 8);
    /// # Ok::<(), interconnect_core::error::HostError>(())
    /// ```
    pub fn dedicated_host(host: Host, last_known: Option<IpAddr>) -> Sbc {
        let label = dedicated_label(&host);
        Sbc {
            label: Cow::Owned(label),
            location: Cow::Owned(format!("dedicated ({host})")),
            host,
            port: DEFAULT_SIP_PORT,
            last_known,
            provenance: None,
        }
    }

    /// The same SBC on another SIP port (the origination URI's port; default
    /// [`DEFAULT_SIP_PORT`]).
    ///
    /// ```
    /// use std::num::NonZeroU16;
    /// use interconnect_core::Sbc;
    ///
    /// let own = Sbc::dedicated_host("2001:db8::10".parse()?, None)
    ///     .with_sip_port(NonZeroU16::new(5080).unwrap());
    /// assert_eq!(own.origination_uri(), "[2001:db8::10]:5080;transport=udp");
    /// # Ok::<(), interconnect_core::error::HostError>(())
    /// ```
    #[must_use]
    pub fn with_sip_port(mut self, port: NonZeroU16) -> Sbc {
        self.port = port.get();
        self
    }

    /// The SIP port.
    pub fn sip_port(&self) -> u16 {
        self.port
    }

    /// Where Plivo sends inbound calls: `host:port;transport=udp`, an IPv6 host in brackets
    /// (`[2001:db8::10]:5060;transport=udp`).
    pub fn origination_uri(&self) -> String {
        format!("{}:{};transport=udp", self.host.uri_form(), self.port)
    }

    /// Checks the SBC's IP literal and last-known address against `policy` (no I/O; resolved
    /// addresses are checked with [`check_address`] at plan time).
    ///
    /// # Errors
    /// [`SbcAddressError`] naming the address and its class.
    pub fn check_addresses(&self, policy: AddressPolicy) -> Result<(), SbcAddressError> {
        for ip in self.host.ip().into_iter().chain(self.last_known) {
            check_address(ip, policy)?;
        }
        Ok(())
    }

    /// The short label used in resource names.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The FQDN (or IP) of the SBC.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// Where it is ("United States").
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The last-known address, if any.
    pub fn last_known(&self) -> Option<IpAddr> {
        self.last_known.or(self.host.ip())
    }

    /// Where the last-known address comes from (shared SBCs only).
    pub fn provenance(&self) -> Option<Provenance> {
        self.provenance
    }

    /// Whether this is one of the shared SBCs.
    pub fn is_shared(&self) -> bool {
        SHARED_SBCS
            .iter()
            .any(|s| s.label == self.label && s.host == self.host)
    }

    /// Resolves the SBC's host and compares the result with the last-known address.
    ///
    /// # Errors
    ///
    /// Whatever the resolver returns.
    ///
    /// ```
    /// use interconnect_core::{Sbc, sbc::StaticResolver};
    ///
    /// # tokio_test_block(async {
    /// let us = Sbc::preset("us").unwrap();
    /// let dns = StaticResolver::new().with(us.host().clone(), ["172.174.24.205".parse().unwrap()]);
    /// let r = us.resolve(&dns).await?;
    /// let drift = r.drift().expect("the address changed");
    /// assert_eq!(drift.known().to_string(), "172.174.24.204");
    /// assert_eq!(r.acl().to_string(), "172.174.24.205");
    /// # Ok::<(), interconnect_core::error::ResolveError>(())
    /// # }).unwrap();
    /// # fn tokio_test_block<F: std::future::Future>(f: F) -> F::Output {
    /// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    /// # }
    /// ```
    pub async fn resolve(&self, resolver: &dyn Resolver) -> Result<Resolution, ResolveError> {
        let mut addresses = resolver.resolve(&self.host).await?;
        addresses.sort();
        addresses.dedup();
        if addresses.is_empty() {
            return Err(ResolveError::NoAddresses {
                host: self.host.to_string(),
            });
        }
        let drift = detect_drift(&self.host, self.last_known(), &addresses);
        Ok(Resolution { addresses, drift })
    }
}

impl FromStr for Sbc {
    type Err = SbcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(p) = Sbc::preset(s) {
            return Ok(p.clone());
        }
        let unknown = || SbcError::Unknown {
            value: s.to_owned(),
        };
        let Some((label, rest)) = s.split_once('=') else {
            // A bare FQDN (with a dot) or IP literal is a dedicated SBC labelled after itself;
            // a dotless word is more likely a mistyped region than a host.
            // A shared-SBC name that is not a preset is a mistyped region, not a dedicated SBC.
            let lower = s.to_ascii_lowercase();
            let shared_pattern = lower.starts_with("sbc-")
                && lower.trim_end_matches('.').ends_with(".wehostvoip.io");
            if !shared_pattern && (s.contains('.') || s.contains(':')) {
                let host = s.parse::<Host>().map_err(|_| unknown())?;
                return Ok(Sbc::dedicated_host(host, None));
            }
            return Err(unknown());
        };
        let (host, ip) = match rest.split_once('@') {
            Some((h, ip)) => (h, Some(ip.parse::<IpAddr>().map_err(|_| unknown())?)),
            None => (rest, None),
        };
        let host = host.parse::<Host>().map_err(|_| unknown())?;
        Sbc::dedicated(label, host, ip)
    }
}

impl fmt::Display for Sbc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_shared() {
            return f.write_str(&self.label);
        }
        write!(f, "{}={}", self.label, self.host)?;
        if let Some(ip) = self.last_known {
            write!(f, "@{ip}")?;
        }
        Ok(())
    }
}

string_conversions!(
    Sbc,
    SbcError,
    "an SBC: us, br, in, a host, or label=host[@ip]"
);

/// The label of a dedicated SBC derived from its host (see [`Sbc::dedicated_host`]).
fn dedicated_label(host: &Host) -> String {
    let hash = crate::naming::fnv1a64(host.to_string().as_bytes()) >> 36;
    format!("d{hash:07x}")
}

/// Which SBC addresses are accepted.
///
/// ```
/// use interconnect_core::sbc::{AddressPolicy, check_address};
///
/// let private = "10.0.0.7".parse().unwrap();
/// assert!(check_address(private, AddressPolicy::default()).is_err());
/// assert!(check_address(private, AddressPolicy::default().allow_private(true)).is_ok());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AddressPolicy {
    allow_private: bool,
}

impl AddressPolicy {
    /// Accept private addresses (RFC 1918, shared 100.64.0.0/10, IPv6 unique local) too: for an
    /// SBC that Plivo reaches through a private interconnect. Off by default: Plivo cannot reach a
    /// private address over the internet.
    #[must_use]
    pub const fn allow_private(mut self, allow: bool) -> AddressPolicy {
        self.allow_private = allow;
        self
    }

    /// Whether private addresses are accepted.
    pub const fn allows_private(self) -> bool {
        self.allow_private
    }
}

/// Why an address cannot be an SBC's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AddressClass {
    /// `0.0.0.0` or `::`.
    Unspecified,
    /// `127.0.0.0/8` or `::1`.
    Loopback,
    /// `224.0.0.0/4` or `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `169.254.0.0/16` or `fe80::/10`.
    LinkLocal,
    /// RFC 1918, `100.64.0.0/10` or `fc00::/7` (accepted with [`AddressPolicy::allow_private`]).
    Private,
}

impl AddressClass {
    /// The class in words.
    pub const fn as_str(self) -> &'static str {
        match self {
            AddressClass::Unspecified => "unspecified",
            AddressClass::Loopback => "loopback",
            AddressClass::Multicast => "multicast",
            AddressClass::Broadcast => "broadcast",
            AddressClass::LinkLocal => "link-local",
            AddressClass::Private => "private",
        }
    }

    /// The class of `ip`, or `None` for a public (routable) address.
    pub fn of(ip: IpAddr) -> Option<AddressClass> {
        match ip {
            IpAddr::V4(v4) => {
                let [a, b, ..] = v4.octets();
                if v4.is_unspecified() {
                    Some(AddressClass::Unspecified)
                } else if v4.is_loopback() {
                    Some(AddressClass::Loopback)
                } else if v4.is_multicast() {
                    Some(AddressClass::Multicast)
                } else if v4.is_broadcast() {
                    Some(AddressClass::Broadcast)
                } else if v4.is_link_local() {
                    Some(AddressClass::LinkLocal)
                } else if v4.is_private() || (a == 100 && (64..128).contains(&b)) {
                    Some(AddressClass::Private)
                } else {
                    None
                }
            }
            IpAddr::V6(v6) => {
                if let Some(v4) = v6.to_ipv4_mapped() {
                    return AddressClass::of(IpAddr::V4(v4));
                }
                let first = v6.segments()[0];
                if v6.is_unspecified() {
                    Some(AddressClass::Unspecified)
                } else if v6.is_loopback() {
                    Some(AddressClass::Loopback)
                } else if v6.is_multicast() {
                    Some(AddressClass::Multicast)
                } else if first & 0xffc0 == 0xfe80 {
                    Some(AddressClass::LinkLocal)
                } else if first & 0xfe00 == 0xfc00 {
                    Some(AddressClass::Private)
                } else {
                    None
                }
            }
        }
    }
}

/// An SBC address Plivo could not (or must not) send calls to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid SBC address {address}: a {} address cannot receive calls from Plivo{}",
    class.as_str(),
    if *class == AddressClass::Private {
        " (allow private addresses explicitly for a private interconnect)"
    } else {
        ""
    }
)]
#[non_exhaustive]
pub struct SbcAddressError {
    /// The rejected address.
    pub address: IpAddr,
    /// What kind of address it is.
    pub class: AddressClass,
}

/// Checks one SBC address: unspecified, loopback, multicast, broadcast and link-local addresses
/// are refused; private ones only unless `policy` allows them.
///
/// # Errors
/// [`SbcAddressError`] naming the address and its class.
pub fn check_address(ip: IpAddr, policy: AddressPolicy) -> Result<(), SbcAddressError> {
    match AddressClass::of(ip) {
        None => Ok(()),
        Some(AddressClass::Private) if policy.allow_private => Ok(()),
        Some(class) => Err(SbcAddressError { address: ip, class }),
    }
}

/// The addresses an SBC resolved to, and drift from its last-known address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resolution {
    addresses: Vec<IpAddr>,
    drift: Option<Drift>,
}

impl Resolution {
    /// The resolved addresses, sorted, without duplicates, never empty.
    pub fn addresses(&self) -> &[IpAddr] {
        &self.addresses
    }

    /// The drift, if the last-known address is no longer among the resolved ones.
    pub fn drift(&self) -> Option<&Drift> {
        self.drift.as_ref()
    }

    /// The resolved addresses as an ACL (one host entry each), for Plivo's IP access list.
    pub fn acl(&self) -> IpAcl {
        let entries = self.addresses.iter().map(|ip| AclEntry::host(*ip));
        // Sorted, deduplicated host entries cannot overlap; the fallback is never taken.
        IpAcl::new(entries).unwrap_or_else(|_| {
            IpAcl::single(AclEntry::host(
                self.addresses
                    .first()
                    .copied()
                    .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            ))
        })
    }
}

/// An SBC name that now resolves to addresses without its last-known one.
///
/// ```
/// use interconnect_core::sbc::detect_drift;
///
/// let host = "sbc-in.wehostvoip.io".parse()?;
/// let known = "20.204.231.235".parse().ok();
/// assert!(detect_drift(&host, known, &["20.204.231.235".parse().unwrap()]).is_none());
/// let d = detect_drift(&host, known, &["20.204.231.236".parse().unwrap()]).unwrap();
/// assert_eq!(
///     d.to_string(),
///     "sbc-in.wehostvoip.io now resolves to 20.204.231.236, not the last-known 20.204.231.235"
/// );
/// # Ok::<(), interconnect_core::error::HostError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Drift {
    host: Host,
    known: IpAddr,
    resolved: Vec<IpAddr>,
}

impl Drift {
    /// The host that drifted.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The last-known address.
    pub fn known(&self) -> IpAddr {
        self.known
    }

    /// What the host resolves to now.
    pub fn resolved(&self) -> &[IpAddr] {
        &self.resolved
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} now resolves to {}, not the last-known {}",
            self.host,
            crate::error::join_addrs(&self.resolved),
            self.known
        )
    }
}

/// Compares resolved addresses with a last-known one: drift when there is a last-known address
/// and the resolved set does not contain it.
pub fn detect_drift(host: &Host, known: Option<IpAddr>, resolved: &[IpAddr]) -> Option<Drift> {
    let known = known?;
    if resolved.contains(&known) {
        return None;
    }
    Some(Drift {
        host: host.clone(),
        known,
        resolved: resolved.to_vec(),
    })
}

/// Turns a host into addresses. Injectable so that plans can be tested without DNS.
#[async_trait]
pub trait Resolver: Send + Sync + fmt::Debug {
    /// Resolves `host`; an IP literal resolves to itself.
    ///
    /// # Errors
    ///
    /// [`ResolveError::Lookup`] when the lookup fails, [`ResolveError::NoAddresses`] when it
    /// returns nothing, [`ResolveError::NotFound`] for a static table without the host.
    async fn resolve(&self, host: &Host) -> Result<Vec<IpAddr>, ResolveError>;
}

/// The operating system's resolver, through `tokio::net::lookup_host`.
///
/// ```no_run
/// use interconnect_core::{Sbc, sbc::SystemResolver};
///
/// # async fn run() -> Result<(), interconnect_core::error::ResolveError> {
/// let r = Sbc::preset("us").unwrap().resolve(&SystemResolver).await?;
/// if let Some(drift) = r.drift() {
///     eprintln!("{drift}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

#[async_trait]
impl Resolver for SystemResolver {
    async fn resolve(&self, host: &Host) -> Result<Vec<IpAddr>, ResolveError> {
        let Some(domain) = host.domain() else {
            return Ok(host.ip().into_iter().collect());
        };
        let addrs = tokio::net::lookup_host((domain, 0))
            .await
            .map_err(|source| ResolveError::Lookup {
                host: host.to_string(),
                source,
            })?;
        let mut ips: Vec<IpAddr> = addrs.map(|a| a.ip()).collect();
        ips.sort();
        ips.dedup();
        if ips.is_empty() {
            return Err(ResolveError::NoAddresses {
                host: host.to_string(),
            });
        }
        Ok(ips)
    }
}

/// A fixed table of answers, for tests, sandboxes and air-gapped runs.
///
/// ```
/// use interconnect_core::sbc::{Resolver, StaticResolver};
/// use interconnect_core::error::ResolveError;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let dns = StaticResolver::new().with("sbc.example.com".parse().unwrap(), ["192.0.2.1".parse().unwrap()]);
/// assert_eq!(dns.resolve(&"sbc.example.com".parse().unwrap()).await.unwrap().len(), 1);
/// assert!(matches!(
///     dns.resolve(&"other.example.com".parse().unwrap()).await,
///     Err(ResolveError::NotFound { .. })
/// ));
/// # });
/// ```
#[derive(Debug, Clone, Default)]
pub struct StaticResolver {
    table: HashMap<Host, Vec<IpAddr>>,
}

impl StaticResolver {
    /// An empty table.
    pub fn new() -> StaticResolver {
        StaticResolver::default()
    }

    /// A table answering every shared SBC with its last-known address (no drift).
    pub fn shared_sbcs() -> StaticResolver {
        SHARED_SBCS.iter().fold(StaticResolver::new(), |r, s| {
            r.with(s.host().clone(), s.last_known())
        })
    }

    /// Adds or replaces the answer for `host`.
    #[must_use]
    pub fn with(
        mut self,
        host: Host,
        addresses: impl IntoIterator<Item = IpAddr>,
    ) -> StaticResolver {
        self.insert(host, addresses);
        self
    }

    /// Adds or replaces the answer for `host`.
    pub fn insert(&mut self, host: Host, addresses: impl IntoIterator<Item = IpAddr>) {
        self.table.insert(host, addresses.into_iter().collect());
    }
}

#[async_trait]
impl Resolver for StaticResolver {
    async fn resolve(&self, host: &Host) -> Result<Vec<IpAddr>, ResolveError> {
        if let Some(ip) = host.ip() {
            return Ok(vec![ip]);
        }
        match self.table.get(host) {
            None => Err(ResolveError::NotFound {
                host: host.to_string(),
            }),
            Some(v) if v.is_empty() => Err(ResolveError::NoAddresses {
                host: host.to_string(),
            }),
            Some(v) => Ok(v.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse_back_and_match_the_runbook() {
        let want = [
            ("us", "sbc-us.wehostvoip.io", "172.174.24.204"),
            ("br", "sbc-br.wehostvoip.io", "20.226.38.150"),
            ("in", "sbc-in.wehostvoip.io", "20.204.231.235"),
        ];
        for (sbc, (label, fqdn, ip)) in Sbc::presets().iter().zip(want) {
            assert_eq!(sbc.label(), label);
            assert_eq!(sbc.host(), &fqdn.parse::<Host>().unwrap());
            assert_eq!(sbc.last_known(), Some(ip.parse().unwrap()));
            assert_eq!(sbc.to_string().parse::<Sbc>().unwrap(), *sbc);
            assert!(sbc.provenance().is_some());
        }
    }

    #[tokio::test]
    async fn no_drift_when_the_known_address_is_still_there() {
        let dns = StaticResolver::shared_sbcs();
        for sbc in Sbc::presets() {
            let r = sbc.resolve(&dns).await.unwrap();
            assert!(r.drift().is_none());
            assert_eq!(r.addresses(), [sbc.last_known().unwrap()]);
        }
    }

    #[tokio::test]
    async fn drift_names_both_values_and_extra_addresses_are_not_drift() {
        let us = Sbc::preset("us").unwrap();
        let new: IpAddr = "172.174.99.1".parse().unwrap();
        let dns = StaticResolver::new().with(us.host().clone(), [new, new]);
        let r = us.resolve(&dns).await.unwrap();
        let d = r.drift().unwrap();
        assert_eq!(d.known(), us.last_known().unwrap());
        assert_eq!(d.resolved(), [new]);
        assert_eq!(d.host(), us.host());

        let both = StaticResolver::new().with(us.host().clone(), [new, us.last_known().unwrap()]);
        let r = us.resolve(&both).await.unwrap();
        assert!(r.drift().is_none());
        assert_eq!(r.acl().len(), 2);
    }

    #[tokio::test]
    async fn empty_answer_is_an_error_and_ip_hosts_resolve_to_themselves() {
        let h: Host = "sbc.example.com".parse().unwrap();
        let dns = StaticResolver::new().with(h.clone(), []);
        let own = Sbc::dedicated("x1", h, None).unwrap();
        assert!(matches!(
            own.resolve(&dns).await,
            Err(ResolveError::NoAddresses { .. })
        ));
        let ip_sbc =
            Sbc::dedicated("x2", Host::from_ip("192.0.2.9".parse().unwrap()), None).unwrap();
        let r = ip_sbc.resolve(&StaticResolver::new()).await.unwrap();
        assert_eq!(r.addresses(), ["192.0.2.9".parse::<IpAddr>().unwrap()]);
        assert!(r.drift().is_none());
        // SystemResolver short-circuits IP literals without touching DNS.
        let r = ip_sbc.resolve(&SystemResolver).await.unwrap();
        assert_eq!(r.addresses().len(), 1);
    }
}
