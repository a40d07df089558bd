//! A small `no_std` CIDR block for source-address access lists.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

/// An IPv4 or IPv6 network in CIDR form, such as `18.214.109.128/25` or `2600:1f18::/32`.
///
/// The one rule of a CIDR block in this workspace: the prefix is at most the address width (32
/// for IPv4, 128 for IPv6) and host bits must be zero, so `10.0.0.1/8` is refused rather than
/// silently widened (or narrowed to what the writer perhaps meant). What an access list sends to
/// a carrier is therefore exactly what the call path checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

/// Why a CIDR block was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CidrError {
    /// The text is not `ADDRESS/PREFIX` with an IPv4 or IPv6 address.
    Syntax,
    /// The prefix length is longer than the address (32 for IPv4, 128 for IPv6).
    Prefix(u8),
    /// The address has bits set after the prefix.
    HostBits,
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax => f.write_str("invalid CIDR: expected ADDRESS/PREFIX"),
            Self::Prefix(p) => write!(f, "invalid CIDR: prefix length {p} is too long"),
            Self::HostBits => f.write_str("invalid CIDR: host bits set after the prefix"),
        }
    }
}

impl core::error::Error for CidrError {}

const fn mask_v4(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    }
}

const fn mask_v6(prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    }
}

impl Cidr {
    /// A CIDR block from an address and a prefix length.
    ///
    /// # Errors
    /// [`CidrError::Prefix`] when `prefix` exceeds the address width, [`CidrError::HostBits`]
    /// when `addr` has bits set after the prefix.
    ///
    /// ```
    /// use core::net::{IpAddr, Ipv4Addr};
    /// use sip_rules::Cidr;
    /// const PLIVO: Cidr = match Cidr::new(IpAddr::V4(Ipv4Addr::new(18, 214, 109, 128)), 25) {
    ///     Ok(c) => c,
    ///     Err(_) => panic!("bad CIDR"),
    /// };
    /// assert!(PLIVO.contains("18.214.109.129".parse().unwrap()));
    /// ```
    pub const fn new(addr: IpAddr, prefix: u8) -> Result<Self, CidrError> {
        match addr {
            IpAddr::V4(a) => {
                if prefix > 32 {
                    return Err(CidrError::Prefix(prefix));
                }
                if a.to_bits() & !mask_v4(prefix) != 0 {
                    return Err(CidrError::HostBits);
                }
            }
            IpAddr::V6(a) => {
                if prefix > 128 {
                    return Err(CidrError::Prefix(prefix));
                }
                if a.to_bits() & !mask_v6(prefix) != 0 {
                    return Err(CidrError::HostBits);
                }
            }
        }
        Ok(Self { addr, prefix })
    }

    /// The block of one address (`/32` or `/128`), which has no host bits by construction.
    ///
    /// ```
    /// use sip_rules::Cidr;
    /// let one = Cidr::host("192.0.2.7".parse().unwrap());
    /// assert_eq!(one.to_string(), "192.0.2.7/32");
    /// ```
    pub const fn host(addr: IpAddr) -> Self {
        let prefix = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        Self { addr, prefix }
    }

    /// The network address.
    pub const fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length.
    pub const fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether `ip` lies in this block. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, as a
    /// dual-stack socket reports IPv4 peers) matches IPv4 blocks.
    pub const fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => v4_in(net, self.prefix, ip),
            (IpAddr::V4(net), IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
                Some(ip) => v4_in(net, self.prefix, ip),
                None => false,
            },
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                ip.to_bits() & mask_v6(self.prefix) == net.to_bits()
            }
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

const fn v4_in(net: Ipv4Addr, prefix: u8, ip: Ipv4Addr) -> bool {
    ip.to_bits() & mask_v4(prefix) == net.to_bits()
}

impl FromStr for Cidr {
    type Err = CidrError;

    /// Parses `ADDRESS/PREFIX`; a bare address means a single host (`/32` or `/128`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = match addr.parse::<Ipv4Addr>() {
            Ok(a) => IpAddr::V4(a),
            Err(_) => IpAddr::V6(addr.parse::<Ipv6Addr>().map_err(|_| CidrError::Syntax)?),
        };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| CidrError::Syntax)?
            }
            Some(_) => return Err(CidrError::Syntax),
            None if addr.is_ipv4() => 32,
            None => 128,
        };
        Self::new(addr, prefix)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}
