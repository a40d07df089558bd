//! IP access-control entries and lists, as Plivo's `IPAccessControlList` and WeHostVoIP's inbound
//! gateways need them.
//!
//! An [`AclEntry`] is one IPv4/IPv6 address or network with no host bits set. An [`IpAcl`] is a
//! non-empty set of entries with no duplicates and no overlaps, rendered the way Plivo's
//! `ip_addresses` field wants it (a bare address for a single host). How wide an entry may be is an
//! explicit [`AclPolicy`]: by default nothing wider than an IPv4 /16 or an IPv6 /48, and never
//! `0.0.0.0/0` or `::/0`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net};
use sip_rules::Cidr;

use crate::error::AclError;

/// How wide an ACL entry may be.
///
/// ```
/// use interconnect_core::acl::AclPolicy;
/// use interconnect_core::error::AclError;
///
/// let strict = AclPolicy::default();
/// assert!(matches!(strict.parse("10.0.0.0/8"), Err(AclError::TooWide { limit: 16, .. })));
/// assert!(AclPolicy::default().with_min_prefix_v4(8).parse("10.0.0.0/8").is_ok());
/// assert!(matches!(strict.parse("0.0.0.0/0"), Err(AclError::MatchesEverything { .. })));
/// assert!(AclPolicy::allow_any().parse("0.0.0.0/0").is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AclPolicy {
    min_prefix_v4: u8,
    min_prefix_v6: u8,
    allow_any: bool,
}

impl AclPolicy {
    /// The default: IPv4 /16 or narrower, IPv6 /48 or narrower, no catch-all.
    pub const DEFAULT: AclPolicy = AclPolicy {
        min_prefix_v4: 16,
        min_prefix_v6: 48,
        allow_any: false,
    };

    /// A policy that accepts any width, including `0.0.0.0/0` and `::/0`. Use it only when the
    /// operator asked for it explicitly.
    pub const fn allow_any() -> AclPolicy {
        AclPolicy {
            min_prefix_v4: 0,
            min_prefix_v6: 0,
            allow_any: true,
        }
    }

    /// Sets the widest IPv4 prefix accepted (`8` accepts a /8). Catch-all ranges stay refused
    /// unless the policy came from [`AclPolicy::allow_any`].
    #[must_use]
    pub const fn with_min_prefix_v4(mut self, prefix_len: u8) -> AclPolicy {
        self.min_prefix_v4 = prefix_len;
        self
    }

    /// Sets the widest IPv6 prefix accepted.
    #[must_use]
    pub const fn with_min_prefix_v6(mut self, prefix_len: u8) -> AclPolicy {
        self.min_prefix_v6 = prefix_len;
        self
    }

    /// The widest IPv4 prefix length accepted.
    pub const fn min_prefix_v4(&self) -> u8 {
        self.min_prefix_v4
    }

    /// The widest IPv6 prefix length accepted.
    pub const fn min_prefix_v6(&self) -> u8 {
        self.min_prefix_v6
    }

    /// Parses an entry and checks it against this policy.
    ///
    /// # Errors
    ///
    /// [`AclError::Empty`], [`AclError::Syntax`], [`AclError::HostBitsSet`] for bad input;
    /// [`AclError::MatchesEverything`] and [`AclError::TooWide`] for ranges the policy refuses.
    pub fn parse(&self, value: &str) -> Result<AclEntry, AclError> {
        let entry = AclEntry::parse_unchecked(value)?;
        self.check(entry, value)
    }

    /// Checks an already parsed entry against this policy; `value` is what the error reports.
    ///
    /// # Errors
    ///
    /// [`AclError::MatchesEverything`] or [`AclError::TooWide`].
    pub fn check(&self, entry: AclEntry, value: &str) -> Result<AclEntry, AclError> {
        if self.allow_any {
            return Ok(entry);
        }
        let prefix_len = entry.net.prefix_len();
        if prefix_len == 0 {
            return Err(AclError::MatchesEverything {
                value: value.to_owned(),
            });
        }
        let limit = match entry.net {
            IpNet::V4(_) => self.min_prefix_v4,
            IpNet::V6(_) => self.min_prefix_v6,
        };
        if prefix_len < limit {
            return Err(AclError::TooWide {
                value: value.to_owned(),
                prefix_len,
                limit,
            });
        }
        Ok(entry)
    }
}

impl Default for AclPolicy {
    fn default() -> Self {
        AclPolicy::DEFAULT
    }
}

/// One IPv4/IPv6 address or network (no host bits set), accepted by the default [`AclPolicy`]
/// when parsed from a string.
///
/// Displays as a bare address for a single host (`/32`, `/128`) and as `network/prefix`
/// otherwise, which is what Plivo's `ip_addresses` expects. `FromStr` and serde apply
/// [`AclPolicy::DEFAULT`]; parse wider ranges with an explicit [`AclPolicy::parse`].
///
/// ```
/// use interconnect_core::AclEntry;
/// use interconnect_core::error::AclError;
///
/// let sbc: AclEntry = "172.174.24.204/32".parse()?;
/// assert_eq!(sbc.to_string(), "172.174.24.204");
/// let plivo: AclEntry = "18.214.109.128/25".parse()?;
/// assert!(plivo.contains("18.214.109.129".parse().unwrap()));
/// match "18.214.109.129/25".parse::<AclEntry>() {
///     Err(AclError::HostBitsSet { network, .. }) => assert_eq!(network.to_string(), "18.214.109.128/25"),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), AclError>(())
/// ```
///
/// The block is checked by the one CIDR rule of [`sip_rules::Cidr`] and kept in both forms, so
/// [`AclEntry::cidr`] (what the call path checks) and [`AclEntry::net`] (what Plivo is sent) are
/// the same block and converting cannot fail or drop an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AclEntry {
    net: IpNet,
    /// The same block as `net`, checked by `Cidr::new`.
    cidr: Cidr,
}

impl PartialOrd for AclEntry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AclEntry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.net.cmp(&other.net)
    }
}

impl AclEntry {
    /// Builds an IPv4 entry at compile time; fails to compile if host bits are set.
    pub(crate) const fn v4_const(a: u8, b: u8, c: u8, d: u8, prefix_len: u8) -> AclEntry {
        let ip = Ipv4Addr::new(a, b, c, d);
        match Cidr::new(IpAddr::V4(ip), prefix_len) {
            Ok(cidr) => AclEntry {
                net: IpNet::V4(Ipv4Net::new_assert(ip, prefix_len)),
                cidr,
            },
            Err(_) => panic!("not a CIDR block: host bits set or prefix too long"),
        }
    }

    /// The entry for a single address (`/32` or `/128`).
    pub fn host(ip: IpAddr) -> AclEntry {
        AclEntry {
            net: IpNet::from(ip),
            cidr: Cidr::host(ip),
        }
    }

    /// Wraps a network; errors if it has host bits set.
    ///
    /// # Errors
    ///
    /// [`AclError::HostBitsSet`], naming the network that was probably meant.
    pub fn from_net(net: IpNet) -> Result<AclEntry, AclError> {
        Self::checked(net, || net.to_string())
    }

    /// `net` under the rule of [`sip_rules::Cidr::new`]; ipnet already bounds the prefix, so the
    /// only refusal is host bits, reported against `value`.
    fn checked(net: IpNet, value: impl FnOnce() -> String) -> Result<AclEntry, AclError> {
        match Cidr::new(net.addr(), net.prefix_len()) {
            Ok(cidr) => Ok(AclEntry { net, cidr }),
            Err(_) => Err(AclError::HostBitsSet {
                value: value(),
                network: net.trunc(),
            }),
        }
    }

    /// The block as the call path checks it: the same network, converted without loss.
    ///
    /// ```
    /// use interconnect_core::AclEntry;
    /// let e: AclEntry = "18.214.109.128/25".parse()?;
    /// assert_eq!(e.cidr().to_string(), "18.214.109.128/25");
    /// assert_eq!((e.cidr().addr(), e.cidr().prefix()), (e.net().addr(), e.net().prefix_len()));
    /// # Ok::<(), interconnect_core::error::AclError>(())
    /// ```
    pub const fn cidr(&self) -> Cidr {
        self.cidr
    }

    fn parse_unchecked(value: &str) -> Result<AclEntry, AclError> {
        if value.is_empty() {
            return Err(AclError::Empty {
                value: value.to_owned(),
            });
        }
        let syntax = || AclError::Syntax {
            value: value.to_owned(),
        };
        let net = match value.split_once('/') {
            None => IpNet::from(value.parse::<IpAddr>().map_err(|_| syntax())?),
            Some((addr, prefix)) => {
                let ip = addr.parse::<IpAddr>().map_err(|_| syntax())?;
                let canonical_prefix = !prefix.is_empty()
                    && prefix.bytes().all(|b| b.is_ascii_digit())
                    && (prefix == "0" || !prefix.starts_with('0'));
                if !canonical_prefix {
                    return Err(syntax());
                }
                let len = prefix.parse::<u8>().map_err(|_| syntax())?;
                IpNet::new(ip, len).map_err(|_| syntax())?
            }
        };
        Self::checked(net, || value.to_owned())
    }

    /// The network.
    pub const fn net(&self) -> IpNet {
        self.net
    }

    /// Whether the entry is a single address.
    pub fn is_host(&self) -> bool {
        self.net.prefix_len() == self.net.max_prefix_len()
    }

    /// Whether `ip` falls inside the entry.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.net.contains(&ip)
    }

    /// Whether the two entries share any address (for prefixes, one contains the other).
    pub fn overlaps(&self, other: &AclEntry) -> bool {
        self.net.contains(&other.net) || other.net.contains(&self.net)
    }
}

impl FromStr for AclEntry {
    type Err = AclError;

    /// Parses an address or CIDR and applies [`AclPolicy::DEFAULT`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AclPolicy::DEFAULT.parse(s)
    }
}

impl fmt::Display for AclEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_host() {
            write!(f, "{}", self.net.addr())
        } else {
            write!(f, "{}", self.net)
        }
    }
}

impl From<AclEntry> for Cidr {
    fn from(entry: AclEntry) -> Self {
        entry.cidr
    }
}

impl From<IpAddr> for AclEntry {
    fn from(ip: IpAddr) -> Self {
        AclEntry::host(ip)
    }
}

string_conversions!(
    AclEntry,
    AclError,
    "an IP address or CIDR such as \"18.214.109.128/25\""
);

/// A non-empty set of [`AclEntry`] with no duplicates and no overlaps, kept sorted.
///
/// Parses from and displays as a comma-separated list.
///
/// ```
/// use interconnect_core::IpAcl;
/// use interconnect_core::error::AclError;
///
/// let acl: IpAcl = "172.174.24.204, 20.226.38.150".parse()?;
/// assert_eq!(acl.ip_addresses(), ["20.226.38.150", "172.174.24.204"]);
/// assert!(matches!(
///     "18.214.109.128/25,18.214.109.129".parse::<IpAcl>(),
///     Err(AclError::Overlap { .. })
/// ));
/// # Ok::<(), AclError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IpAcl {
    entries: Vec<AclEntry>,
}

impl IpAcl {
    /// Builds a list, refusing an empty list, duplicates and overlaps.
    ///
    /// # Errors
    ///
    /// [`AclError::EmptyList`], [`AclError::Duplicate`] or [`AclError::Overlap`].
    pub fn new(entries: impl IntoIterator<Item = AclEntry>) -> Result<IpAcl, AclError> {
        let mut entries: Vec<AclEntry> = entries.into_iter().collect();
        if entries.is_empty() {
            return Err(AclError::EmptyList {
                value: String::new(),
            });
        }
        entries.sort();
        for (i, a) in entries.iter().enumerate() {
            for b in entries.iter().skip(i + 1) {
                if a == b {
                    return Err(AclError::Duplicate { entry: a.net });
                }
                if a.overlaps(b) {
                    let (wider, narrower) = if a.net.prefix_len() <= b.net.prefix_len() {
                        (a.net, b.net)
                    } else {
                        (b.net, a.net)
                    };
                    return Err(AclError::Overlap { wider, narrower });
                }
            }
        }
        Ok(IpAcl { entries })
    }

    /// A list of one entry.
    pub fn single(entry: AclEntry) -> IpAcl {
        IpAcl {
            entries: vec![entry],
        }
    }

    /// Parses a comma-separated list, checking each entry against `policy`.
    ///
    /// # Errors
    ///
    /// Any [`AclError`] of the entries or of the list.
    pub fn parse_with(value: &str, policy: &AclPolicy) -> Result<IpAcl, AclError> {
        if value.trim().is_empty() {
            return Err(AclError::EmptyList {
                value: value.to_owned(),
            });
        }
        let entries = value
            .split(',')
            .map(|part| policy.parse(part.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        IpAcl::new(entries)
    }

    /// The entries, sorted.
    pub fn entries(&self) -> &[AclEntry] {
        &self.entries
    }

    /// Number of entries (at least one).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Always `false`: an `IpAcl` has at least one entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries as Plivo's `ip_addresses` wants them (bare addresses for single hosts).
    pub fn ip_addresses(&self) -> Vec<String> {
        self.entries.iter().map(ToString::to_string).collect()
    }

    /// Whether any entry contains `ip`.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.entries.iter().any(|e| e.contains(ip))
    }

    /// Entries of `self` that `other` does not have (what an update would add).
    pub fn missing_from(&self, other: &IpAcl) -> Vec<AclEntry> {
        self.entries
            .iter()
            .filter(|e| !other.entries.contains(e))
            .copied()
            .collect()
    }
}

impl FromStr for IpAcl {
    type Err = AclError;

    /// Parses a comma-separated list with the default [`AclPolicy`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IpAcl::parse_with(s, &AclPolicy::DEFAULT)
    }
}

impl fmt::Display for IpAcl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

string_conversions!(
    IpAcl,
    AclError,
    "a comma-separated list of IP addresses or CIDRs"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_entries_match_the_parser() {
        const E: AclEntry = AclEntry::v4_const(13, 52, 9, 0, 25);
        const H: AclEntry = AclEntry::v4_const(18, 214, 109, 129, 32);
        assert_eq!(E, "13.52.9.0/25".parse().unwrap());
        assert_eq!(H.to_string(), "18.214.109.129");
    }

    #[test]
    fn ipv6_forms() {
        let e: AclEntry = "2001:DB8::/48".parse().unwrap();
        assert_eq!(e.to_string(), "2001:db8::/48");
        let h: AclEntry = "2001:db8::1/128".parse().unwrap();
        assert_eq!(h.to_string(), "2001:db8::1");
        assert!(h.is_host());
    }

    #[test]
    fn missing_from_reports_new_entries() {
        let want: IpAcl = "1.2.3.4, 5.6.7.8".parse().unwrap();
        let have: IpAcl = "1.2.3.4".parse().unwrap();
        assert_eq!(
            want.missing_from(&have),
            vec!["5.6.7.8".parse::<AclEntry>().unwrap()]
        );
        assert!(have.missing_from(&want).is_empty());
    }
}
