//! Hosts, transports, gateway roles and gateways.
//!
//! A [`Gateway`] is the jambonz-style model of a carrier peer: an address, a port, a transport and a
//! [`Role`] saying whether we send calls to it ([`Role::Outbound`]), accept calls from it
//! ([`Role::Inbound`]) or both. Source matching works on addresses, so a gateway that accepts
//! inbound calls must be an IP address or CIDR, never an FQDN; a gateway we send calls to must be a
//! single host (an FQDN or an IP address), never a network.

use std::borrow::Cow;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use crate::acl::{AclEntry, AclPolicy};
use crate::error::{GatewayError, HostError};

/// Maximum length of a host name (RFC 1123 section 2.1).
pub const MAX_HOST_LEN: usize = 253;
/// Maximum length of one label of a host name (RFC 1035 section 2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum HostInner {
    Domain(Cow<'static, str>),
    Ip(IpAddr),
}

/// A fully qualified domain name (RFC 1123 rules, stored lowercase) or an IP literal.
///
/// IPv6 literals are accepted bare or in brackets and display bare; [`Host::uri_form`] adds the
/// brackets a SIP URI needs.
///
/// ```
/// use interconnect_core::Host;
/// use interconnect_core::error::HostError;
///
/// let h: Host = "SBC-US.WeHostVoIP.io".parse()?;
/// assert_eq!(h.to_string(), "sbc-us.wehostvoip.io");
/// assert!(h.ip().is_none());
/// let v6: Host = "[2001:db8::1]".parse()?;
/// assert_eq!(v6.to_string(), "2001:db8::1");
/// assert_eq!(v6.uri_form(), "[2001:db8::1]");
/// assert!(matches!("bad_host.example".parse::<Host>(), Err(HostError::InvalidCharacter { found: '_', .. })));
/// # Ok::<(), HostError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Host {
    inner: HostInner,
}

impl Host {
    /// A host for a domain known at compile time; fails to compile unless the name is lowercase,
    /// holds only letters, digits, `-` and `.`, has at least two non-empty labels and no label
    /// starts or ends with `-`.
    pub(crate) const fn from_static_domain(name: &'static str) -> Host {
        let b = name.as_bytes();
        assert!(!b.is_empty() && b.len() <= MAX_HOST_LEN);
        let mut i = 0;
        let mut dots = 0;
        let mut label_len = 0;
        while i < b.len() {
            let c = b[i];
            if c == b'.' {
                assert!(label_len > 0 && b[i - 1] != b'-');
                dots += 1;
                label_len = 0;
            } else {
                assert!(c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
                assert!(!(label_len == 0 && c == b'-'));
                label_len += 1;
                assert!(label_len <= MAX_LABEL_LEN);
            }
            i += 1;
        }
        assert!(dots > 0 && label_len > 0 && b[b.len() - 1] != b'-');
        Host {
            inner: HostInner::Domain(Cow::Borrowed(name)),
        }
    }

    /// A host for an IP address.
    pub const fn from_ip(ip: IpAddr) -> Host {
        Host {
            inner: HostInner::Ip(ip),
        }
    }

    /// The IP address, if this host is an IP literal.
    pub fn ip(&self) -> Option<IpAddr> {
        match self.inner {
            HostInner::Ip(ip) => Some(ip),
            HostInner::Domain(_) => None,
        }
    }

    /// The domain name, if this host is not an IP literal.
    pub fn domain(&self) -> Option<&str> {
        match &self.inner {
            HostInner::Domain(d) => Some(d),
            HostInner::Ip(_) => None,
        }
    }

    /// Whether this host is an IP literal.
    pub fn is_ip(&self) -> bool {
        self.ip().is_some()
    }

    /// The form used inside a SIP URI: IPv6 in brackets, everything else as displayed.
    pub fn uri_form(&self) -> String {
        match self.inner {
            HostInner::Ip(IpAddr::V6(v6)) => format!("[{v6}]"),
            _ => self.to_string(),
        }
    }

    fn parse_domain(value: &str) -> Result<Host, HostError> {
        let err_value = || value.to_owned();
        let name = value.strip_suffix('.').unwrap_or(value);
        if name.is_empty() {
            return Err(HostError::EmptyLabel { value: err_value() });
        }
        let len = name.chars().count();
        if len > MAX_HOST_LEN {
            return Err(HostError::TooLong {
                value: err_value(),
                len,
            });
        }
        if let Some(found) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
        {
            return Err(HostError::InvalidCharacter {
                value: err_value(),
                found,
            });
        }
        let lower = name.to_ascii_lowercase();
        let mut labels = 0;
        let mut last = "";
        for label in lower.split('.') {
            if label.is_empty() {
                return Err(HostError::EmptyLabel { value: err_value() });
            }
            if label.len() > MAX_LABEL_LEN {
                return Err(HostError::LabelTooLong {
                    value: err_value(),
                    label: label.to_owned(),
                });
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(HostError::HyphenAtLabelEdge {
                    value: err_value(),
                    label: label.to_owned(),
                });
            }
            labels += 1;
            last = label;
        }
        if last.bytes().all(|b| b.is_ascii_digit()) {
            return Err(HostError::NumericTopLevel { value: err_value() });
        }
        if labels < 2 {
            return Err(HostError::NotFullyQualified { value: err_value() });
        }
        Ok(Host {
            inner: HostInner::Domain(Cow::Owned(lower)),
        })
    }
}

impl FromStr for Host {
    type Err = HostError;

    /// Parses an FQDN (one trailing dot allowed and dropped, stored lowercase), an IPv4 address,
    /// or an IPv6 address bare or in brackets.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(HostError::Empty {
                value: s.to_owned(),
            });
        }
        if let Some(inner) = s.strip_prefix('[') {
            return inner
                .strip_suffix(']')
                .and_then(|v6| v6.parse::<Ipv6Addr>().ok())
                .map(|v6| Host::from_ip(IpAddr::V6(v6)))
                .ok_or_else(|| HostError::BadIpv6Literal {
                    value: s.to_owned(),
                });
        }
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(Host::from_ip(ip));
        }
        Host::parse_domain(s)
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            HostInner::Domain(d) => f.write_str(d),
            HostInner::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

impl From<IpAddr> for Host {
    fn from(ip: IpAddr) -> Self {
        Host::from_ip(ip)
    }
}

string_conversions!(Host, HostError, "a host name or IP address");

/// SIP transport of a gateway.
///
/// ```
/// use interconnect_core::Transport;
///
/// let t: Transport = "TLS".parse()?;
/// assert_eq!(t, Transport::Tls);
/// assert_eq!(t.default_port(), 5061);
/// assert_eq!(t.to_string(), "tls");
/// # Ok::<(), interconnect_core::error::GatewayError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Transport {
    /// SIP over UDP (port 5060 by default).
    #[default]
    Udp,
    /// SIP over TCP (port 5060 by default).
    Tcp,
    /// SIP over TLS (port 5061 by default).
    Tls,
}

impl Transport {
    /// The port SIP uses for this transport when none is given (RFC 3261 section 19.1.2).
    pub const fn default_port(self) -> u16 {
        match self {
            Transport::Udp | Transport::Tcp => 5060,
            Transport::Tls => 5061,
        }
    }

    /// The lowercase name used in `;transport=` parameters.
    pub const fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
            Transport::Tls => "tls",
        }
    }
}

impl FromStr for Transport {
    type Err = GatewayError;

    /// Parses `udp`, `tcp` or `tls`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "udp" => Ok(Transport::Udp),
            "tcp" => Ok(Transport::Tcp),
            "tls" => Ok(Transport::Tls),
            _ => Err(GatewayError::Transport {
                value: s.to_owned(),
                transport: s.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

string_conversions!(Transport, GatewayError, "udp, tcp or tls");

/// What a gateway is for.
///
/// ```
/// use interconnect_core::Role;
///
/// let r: Role = "both".parse()?;
/// assert!(r.accepts_inbound() && r.sends_outbound());
/// assert!(!Role::Outbound.accepts_inbound());
/// # Ok::<(), interconnect_core::error::GatewayError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Role {
    /// We send calls to it (an outbound target, failover order matters).
    Outbound,
    /// We accept calls from it (an inbound source match).
    Inbound,
    /// Both: what every WeHostVoIP gateway is.
    Both,
}

impl Role {
    /// Whether calls from this gateway are accepted.
    pub const fn accepts_inbound(self) -> bool {
        matches!(self, Role::Inbound | Role::Both)
    }

    /// Whether calls are sent to this gateway.
    pub const fn sends_outbound(self) -> bool {
        matches!(self, Role::Outbound | Role::Both)
    }

    /// The lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Outbound => "outbound",
            Role::Inbound => "inbound",
            Role::Both => "both",
        }
    }
}

impl FromStr for Role {
    type Err = GatewayError;

    /// Parses `outbound`, `inbound` or `both`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "outbound" => Ok(Role::Outbound),
            "inbound" => Ok(Role::Inbound),
            "both" => Ok(Role::Both),
            _ => Err(GatewayError::Role {
                value: s.to_owned(),
                role: s.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

string_conversions!(Role, GatewayError, "outbound, inbound or both");

/// Where a gateway is: one host (FQDN or IP) or a network of sources.
///
/// Parses a host, an IP literal (IPv6 bare or in brackets) or a CIDR; a /32 or /128 becomes a host.
///
/// ```
/// use interconnect_core::GatewayAddress;
///
/// let net: GatewayAddress = "18.214.109.128/25".parse()?;
/// assert!(matches!(net, GatewayAddress::Network(_)));
/// let one: GatewayAddress = "18.214.109.129/32".parse()?;
/// assert_eq!(one.to_string(), "18.214.109.129");
/// assert!(matches!(one, GatewayAddress::Host(_)));
/// # Ok::<(), interconnect_core::error::GatewayError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum GatewayAddress {
    /// A single host: an FQDN or an IP address.
    Host(Host),
    /// A network of more than one address (inbound sources only).
    Network(AclEntry),
}

impl GatewayAddress {
    /// Normalises a single-address network to a host.
    fn normalise(self) -> GatewayAddress {
        match self {
            GatewayAddress::Network(n) if n.is_host() => {
                GatewayAddress::Host(Host::from_ip(n.net().addr()))
            }
            other => other,
        }
    }

    /// The form used in a gateway string: IPv6 in brackets.
    fn uri_form(&self) -> String {
        match self {
            GatewayAddress::Host(h) => h.uri_form(),
            GatewayAddress::Network(n) if n.net().addr().is_ipv6() => format!("[{n}]"),
            GatewayAddress::Network(n) => n.to_string(),
        }
    }
}

impl fmt::Display for GatewayAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GatewayAddress::Host(h) => write!(f, "{h}"),
            GatewayAddress::Network(n) => write!(f, "{n}"),
        }
    }
}

impl FromStr for GatewayAddress {
    type Err = GatewayError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = match s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(inner) if inner.contains('/') => inner,
            _ => s,
        };
        Gateway::parse_address(s, text).map(GatewayAddress::normalise)
    }
}

string_conversions!(GatewayAddress, GatewayError, "a host, IP address or CIDR");

impl From<Host> for GatewayAddress {
    fn from(h: Host) -> Self {
        GatewayAddress::Host(h)
    }
}

impl From<AclEntry> for GatewayAddress {
    fn from(n: AclEntry) -> Self {
        GatewayAddress::Network(n)
    }
}

impl From<IpAddr> for GatewayAddress {
    fn from(ip: IpAddr) -> Self {
        GatewayAddress::Host(Host::from_ip(ip))
    }
}

/// A carrier peer: address, port, transport and role.
///
/// String form: `address[:port][;transport=udp|tcp|tls][;role=outbound|inbound|both]`, IPv6 in
/// brackets (bare IPv6 is accepted without a port); the port defaults to the transport's, the
/// transport to UDP and the role to `outbound`. Display always prints every part.
///
/// ```
/// use interconnect_core::{Gateway, Role, Transport};
/// use interconnect_core::error::GatewayError;
///
/// let out: Gateway = "21784177241578.zt.plivo.com".parse()?;
/// assert_eq!(out.port(), 5060);
/// assert_eq!(out.to_string(), "21784177241578.zt.plivo.com:5060;transport=udp;role=outbound");
///
/// let src: Gateway = "18.214.109.128/25;role=inbound".parse()?;
/// assert_eq!(src.role(), Role::Inbound);
///
/// assert!(matches!(
///     "sip.example.com;role=inbound".parse::<Gateway>(),
///     Err(GatewayError::InboundFqdn { .. })
/// ));
/// # Ok::<(), GatewayError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Gateway {
    address: GatewayAddress,
    port: u16,
    transport: Transport,
    role: Role,
}

impl Gateway {
    /// Builds a gateway, checking the role rules.
    ///
    /// # Errors
    ///
    /// [`GatewayError::Port`] for port 0, [`GatewayError::InboundFqdn`] when a gateway that
    /// accepts inbound calls names an FQDN, [`GatewayError::OutboundNetwork`] when a gateway that
    /// sends outbound calls names a network.
    pub fn new(
        address: impl Into<GatewayAddress>,
        port: u16,
        transport: Transport,
        role: Role,
    ) -> Result<Gateway, GatewayError> {
        let address = address.into().normalise();
        let value = || format!("{};transport={transport};role={role}", address.uri_form());
        if port == 0 {
            return Err(GatewayError::Port {
                value: value(),
                port: "0".to_owned(),
            });
        }
        match &address {
            GatewayAddress::Host(h) if role.accepts_inbound() && !h.is_ip() => {
                return Err(GatewayError::InboundFqdn {
                    value: value(),
                    host: h.to_string(),
                });
            }
            GatewayAddress::Network(n) if role.sends_outbound() => {
                return Err(GatewayError::OutboundNetwork {
                    value: value(),
                    network: n.net(),
                });
            }
            _ => {}
        }
        Ok(Gateway {
            address,
            port,
            transport,
            role,
        })
    }

    /// The address.
    pub fn address(&self) -> &GatewayAddress {
        &self.address
    }

    /// The host, if the address is a single host.
    pub fn host(&self) -> Option<&Host> {
        match &self.address {
            GatewayAddress::Host(h) => Some(h),
            GatewayAddress::Network(_) => None,
        }
    }

    /// The port.
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// The transport.
    pub const fn transport(&self) -> Transport {
        self.transport
    }

    /// The role.
    pub const fn role(&self) -> Role {
        self.role
    }

    /// The `host:port` form WeHostVoIP's gateway "Address" field takes.
    pub fn host_port(&self) -> String {
        format!("{}:{}", self.address.uri_form(), self.port)
    }

    fn parse_address(value: &str, text: &str) -> Result<GatewayAddress, GatewayError> {
        if text.contains('/') {
            AclPolicy::DEFAULT
                .parse(text)
                .map(GatewayAddress::Network)
                .map_err(|source| GatewayError::Network {
                    value: value.to_owned(),
                    source,
                })
        } else {
            text.parse::<Host>()
                .map(GatewayAddress::Host)
                .map_err(|source| GatewayError::Address {
                    value: value.to_owned(),
                    source,
                })
        }
    }
}

impl FromStr for Gateway {
    type Err = GatewayError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split(';');
        let head = parts.next().unwrap_or_default();
        let mut transport = None;
        let mut role = None;
        for param in parts {
            let bad = || GatewayError::Parameter {
                value: s.to_owned(),
                param: param.to_owned(),
            };
            let (key, val) = param.split_once('=').ok_or_else(bad)?;
            match key {
                "transport" if transport.is_none() => {
                    let parsed = val
                        .parse::<Transport>()
                        .map_err(|_| GatewayError::Transport {
                            value: s.to_owned(),
                            transport: val.to_owned(),
                        })?;
                    transport = Some(parsed);
                }
                "role" if role.is_none() => {
                    role = Some(val.parse::<Role>().map_err(|_| GatewayError::Role {
                        value: s.to_owned(),
                        role: val.to_owned(),
                    })?);
                }
                _ => return Err(bad()),
            }
        }
        let transport = transport.unwrap_or_default();
        let role = role.unwrap_or(Role::Outbound);
        let (addr_text, port_text) = if let Some(rest) = head.strip_prefix('[') {
            let bad = || GatewayError::Address {
                value: s.to_owned(),
                source: HostError::BadIpv6Literal {
                    value: head.to_owned(),
                },
            };
            let (inner, after) = rest.split_once(']').ok_or_else(bad)?;
            let port = if after.is_empty() {
                None
            } else {
                Some(after.strip_prefix(':').ok_or_else(bad)?)
            };
            let addr = if inner.contains('/') {
                inner.to_owned()
            } else {
                format!("[{inner}]")
            };
            (addr, port)
        } else if head.matches(':').count() > 1 {
            // A bare IPv6 address or network: no port (a port needs brackets).
            (head.to_owned(), None)
        } else {
            match head.rsplit_once(':') {
                Some((a, p)) => (a.to_owned(), Some(p)),
                None => (head.to_owned(), None),
            }
        };
        let address = Gateway::parse_address(s, &addr_text)?;
        let port = match port_text {
            None => transport.default_port(),
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|n| *n != 0 && n.to_string() == p)
                .ok_or_else(|| GatewayError::Port {
                    value: s.to_owned(),
                    port: p.to_owned(),
                })?,
        };
        Gateway::new(address, port, transport, role).map_err(|e| match e {
            GatewayError::InboundFqdn { host, .. } => GatewayError::InboundFqdn {
                value: s.to_owned(),
                host,
            },
            GatewayError::OutboundNetwork { network, .. } => GatewayError::OutboundNetwork {
                value: s.to_owned(),
                network,
            },
            other => other,
        })
    }
}

impl fmt::Display for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{};transport={};role={}",
            self.address.uri_form(),
            self.port,
            self.transport,
            self.role
        )
    }
}

string_conversions!(
    Gateway,
    GatewayError,
    "a gateway such as \"sbc.example.com:5060;transport=udp;role=outbound\""
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_round_trips() {
        for s in [
            "sbc-us.wehostvoip.io:5060;transport=udp;role=outbound",
            "172.174.24.204:5061;transport=tls;role=both",
            "18.214.109.128/25:5060;transport=udp;role=inbound",
            "[2001:db8::1]:5060;transport=tcp;role=both",
            "[2001:db8::/48]:5060;transport=udp;role=inbound",
        ] {
            let g: Gateway = s.parse().unwrap();
            assert_eq!(g.to_string(), s);
            let json = serde_json::to_string(&g).unwrap();
            assert_eq!(serde_json::from_str::<Gateway>(&json).unwrap(), g);
        }
    }

    #[test]
    fn bare_ipv6_without_port() {
        let g: Gateway = "2001:db8::1;role=both".parse().unwrap();
        assert_eq!(g.to_string(), "[2001:db8::1]:5060;transport=udp;role=both");
        let n: Gateway = "2001:db8::/48;role=inbound".parse().unwrap();
        assert_eq!(
            n.to_string(),
            "[2001:db8::/48]:5060;transport=udp;role=inbound"
        );
    }

    #[test]
    fn defaults_and_normalisation() {
        let g: Gateway = "1.2.3.4/32;transport=tls".parse().unwrap();
        assert_eq!(g.to_string(), "1.2.3.4:5061;transport=tls;role=outbound");
        assert_eq!(g.host_port(), "1.2.3.4:5061");
        assert!(g.host().is_some());
        let h: Host = "example.com.".parse().unwrap();
        assert_eq!(h.to_string(), "example.com");
    }

    #[test]
    fn static_domains_match_the_parser() {
        const H: Host = Host::from_static_domain("sbc-us.wehostvoip.io");
        assert_eq!(H, "sbc-us.wehostvoip.io".parse().unwrap());
    }
}
