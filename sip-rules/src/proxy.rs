//! Stateless forwarding (RFC 3261 §16.11) into caller buffers, without allocation: a request
//! goes on with this proxy's `Via` on top and `Max-Forwards` one less, a response comes back
//! without that `Via`.
//!
//! The proxy keeps no state, so whatever a response needs to find its way back travels in the
//! request: the `received` and `rport` parameters of the request's top `Via` are set to the
//! address the request came from (RFC 3261 §18.2.1, RFC 3581), and the response is relayed to
//! the address they name once this proxy's `Via` is gone.
//!
//! The branch of this proxy's `Via` is derived from the request as §16.11 recommends, so that a
//! retransmission, and the `CANCEL` or non-2xx `ACK` of an INVITE (which repeat its branch), get
//! the branch the INVITE got: `z9hG4bK` and sixteen hex digits of a 64-bit FNV-1a hash of the
//! hop's key and the request's top branch when that starts with the RFC 3261 magic cookie, else
//! of the top `Via`, the To and From tags, the `Call-ID`, the `CSeq` number and the
//! Request-URI.
//!
//! ```
//! use sip_rules::proxy::{Hop, relay_response};
//!
//! let hop = Hop::new("UDP", "192.0.2.10:5060");
//! let invite = b"INVITE sip:+14155550123@sbc.example.net SIP/2.0\r\n\
//!     Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK776asdhds;rport\r\n\
//!     Max-Forwards: 70\r\n\
//!     Call-ID: a84b4c76e66710\r\n\
//!     Content-Length: 0\r\n\r\n";
//! let mut out = [0u8; 1024];
//! let n = hop.forward_request(invite, "198.51.100.7:40000".parse()?, &mut out)?;
//! let forwarded = std::str::from_utf8(&out[..n])?;
//! assert!(forwarded.starts_with("INVITE sip:+14155550123@sbc.example.net SIP/2.0\r\n\
//!     Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK"));
//! assert!(forwarded.contains("\r\nVia: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK776asdhds\
//!     ;received=198.51.100.7;rport=40000\r\nMax-Forwards: 69\r\n"));
//!
//! // The upstream answers through this proxy: its Via goes, the caller's address comes out.
//! let ours = forwarded.lines().nth(1).unwrap();
//! let response = format!("SIP/2.0 180 Ringing\r\n{ours}\r\n\
//!     Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK776asdhds;received=198.51.100.7;rport=40000\r\n\
//!     Call-ID: a84b4c76e66710\r\nContent-Length: 0\r\n\r\n");
//! let mut back = [0u8; 1024];
//! let relayed = relay_response(&hop, response.as_bytes(), &mut back)?;
//! assert!(std::str::from_utf8(&back[..relayed.len])?.starts_with("SIP/2.0 180 Ringing\r\n\
//!     Via: SIP/2.0/UDP 198.51.100.7;"));
//! assert_eq!(relayed.destination, Some("198.51.100.7:40000".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;
use core::net::{IpAddr, SocketAddr};

use crate::class::{eq_lower, find, is_token, parse_u64, trim};
use crate::head::HeaderName;
use crate::reject::{Rejection, Rule, reject};
use crate::response::TooSmall;
use crate::wire::{
    FNV_BASIS, Fields, Out, first_element, fnv1a, header_params, hex16, method, param, start_line,
    via_params,
};

/// The RFC 3261 magic cookie that starts a branch.
const COOKIE: &[u8] = b"z9hG4bK";

/// The `Max-Forwards` a proxy adds to a request without one (RFC 3261 §16.6 step 3).
const DEFAULT_MAX_FORWARDS: u64 = 70;

/// This proxy's hop: the transport and sent-by of the `Via` it adds, and the key of its branch
/// hash. Built in `const` context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop<'c> {
    transport: &'c str,
    sent_by: &'c str,
    key: u64,
}

impl<'c> Hop<'c> {
    /// A hop whose `Via` reads `SIP/2.0/{transport} {sent_by}` (`sent_by` is `host[:port]`, the
    /// address the next hop sends responses to), branch key 0.
    pub const fn new(transport: &'c str, sent_by: &'c str) -> Self {
        Self {
            transport,
            sent_by,
            key: 0,
        }
    }

    /// The key mixed into the branch hash, so that two proxies in a row derive different
    /// branches from the same request.
    #[must_use]
    pub const fn with_key(mut self, key: u64) -> Self {
        self.key = key;
        self
    }

    /// The transport of this hop's `Via`.
    pub const fn transport(&self) -> &'c str {
        self.transport
    }

    /// The sent-by of this hop's `Via`.
    pub const fn sent_by(&self) -> &'c str {
        self.sent_by
    }

    /// Writes `request`, which arrived from `source`, into `out` as this proxy forwards it: the
    /// request line, this hop's `Via` on top, the request's top `Via` with `received` and
    /// `rport` set to `source`, `Max-Forwards` one less (70 when absent), every other line and
    /// the body as they are. `request` is one whole message (on a stream, the bytes
    /// [`Request::len`](crate::Request::len) names).
    ///
    /// # Errors
    /// [`ForwardError::Refused`] with the status to answer: a message that is not a request or
    /// has no end of head (400), without a `Via` (400), with a `Max-Forwards` that is not a
    /// number (400) or is 0 (483); [`ForwardError::TooSmall`] when `out` cannot hold it.
    pub fn forward_request<'a>(
        &self,
        request: &'a [u8],
        source: SocketAddr,
        out: &mut [u8],
    ) -> Result<usize, ForwardError<'a>> {
        let Some((line, after_start)) = start_line(request) else {
            return Err(refused(Rule::Syntax, "empty message", b""));
        };
        let Some(_) = method(line) else {
            return Err(refused(Rule::NotARequest, "not a request", line));
        };
        // First pass: the values the branch and the rewrite need.
        let mut top_via = None;
        let mut max_forwards = None;
        let (mut to, mut from, mut call_id, mut cseq) = (None, None, None, None);
        let mut fields = Fields::new(request, after_start);
        for field in fields.by_ref() {
            if !field.well_formed {
                continue;
            }
            let known = HeaderName::from_bytes(field.name);
            match known {
                HeaderName::Via if top_via.is_none() => top_via = Some(field),
                HeaderName::MaxForwards if max_forwards.is_none() => max_forwards = Some(field),
                HeaderName::To => to = to.or(Some(field.value)),
                HeaderName::From => from = from.or(Some(field.value)),
                HeaderName::CallId => call_id = call_id.or(Some(field.value)),
                HeaderName::CSeq => cseq = cseq.or(Some(field.value)),
                _ => {}
            }
        }
        let Some(body) = fields.body else {
            return Err(refused(
                Rule::Syntax,
                "message ends inside the header section",
                b"",
            ));
        };
        let Some(top_via) = top_via else {
            return Err(refused(Rule::Syntax, "no Via", b""));
        };
        let hops = match max_forwards {
            Some(mf) => match parse_u64(mf.value) {
                Some(0) => {
                    return Err(refused(Rule::TooManyHops, "Max-Forwards is 0", mf.value));
                }
                Some(n) => n - 1,
                None => {
                    return Err(refused(
                        Rule::Syntax,
                        "Max-Forwards is not a number",
                        mf.value,
                    ));
                }
            },
            None => DEFAULT_MAX_FORWARDS - 1,
        };
        let (first, more) = first_element(top_via.value);

        let h = self.branch(first, line, to, from, call_id, cseq);

        let mut w = Out::new(out);
        w.put(request.get(..after_start).unwrap_or_default());
        w.put(b"Via: SIP/2.0/");
        w.put(self.transport.as_bytes());
        w.put(b" ");
        w.put(self.sent_by.as_bytes());
        w.put(b";branch=");
        w.put(COOKIE);
        w.put(&hex16(h));
        w.put(b"\r\n");
        let mut added_max_forwards = false;
        for field in Fields::new(request, after_start) {
            if field.start == top_via.start {
                w.put(b"Via: ");
                put_via_with_source(&mut w, first, source);
                if let Some(more) = more {
                    w.put(b", ");
                    w.put(more);
                }
                w.put(b"\r\n");
            } else if max_forwards.is_some_and(|mf| mf.start == field.start) {
                w.put(b"Max-Forwards: ");
                w.put_u64(hops);
                w.put(b"\r\n");
                added_max_forwards = true;
            } else {
                w.put(request.get(field.start..field.end).unwrap_or_default());
            }
        }
        if !added_max_forwards {
            w.put(b"Max-Forwards: ");
            w.put_u64(hops);
            w.put(b"\r\n");
        }
        w.put(b"\r\n");
        w.put(request.get(body..).unwrap_or_default());
        w.finish()
            .map_err(|needed| ForwardError::TooSmall(TooSmall { needed }))
    }

    /// The hash of this hop's branch for a request (RFC 3261 §16.11, see the module docs).
    fn branch(
        &self,
        top_via: &[u8],
        request_line: &[u8],
        to: Option<&[u8]>,
        from: Option<&[u8]>,
        call_id: Option<&[u8]>,
        cseq: Option<&[u8]>,
    ) -> u64 {
        fn tag(v: Option<&[u8]>) -> &[u8] {
            v.and_then(|v| param(header_params(v), b"tag"))
                .unwrap_or_default()
        }
        let mut h = fnv1a(FNV_BASIS, &self.key.to_le_bytes());
        match param(via_params(top_via), b"branch") {
            Some(branch) if branch.starts_with(COOKIE) => fnv1a(h, branch),
            _ => {
                let number = cseq
                    .and_then(|c| c.split(|&b| !b.is_ascii_digit()).next())
                    .unwrap_or_default();
                let uri = request_line
                    .split(|&b| b == b' ')
                    .nth(1)
                    .unwrap_or_default();
                for part in [
                    top_via,
                    tag(to),
                    tag(from),
                    call_id.unwrap_or_default(),
                    number,
                    uri,
                ] {
                    h = fnv1a(h, part);
                    h = fnv1a(h, &[0]);
                }
                h
            }
        }
    }

    /// Whether a `Via` value (its first element) is this hop's: the same transport and
    /// sent-by (ASCII case-insensitive) and a branch with the magic cookie.
    fn is_ours(&self, via: &[u8]) -> bool {
        let Some((transport, sent_by)) = via_parts(via) else {
            return false;
        };
        transport.eq_ignore_ascii_case(self.transport.as_bytes())
            && sent_by.eq_ignore_ascii_case(self.sent_by.as_bytes())
            && param(via_params(via), b"branch").is_some_and(|b| b.starts_with(COOKIE))
    }
}

/// The first element of a `Via`, without its `received` and `rport` parameters, then those two
/// set to `source`.
fn put_via_with_source(w: &mut Out<'_>, via: &[u8], source: SocketAddr) {
    let mut parts = via.split(|&b| b == b';');
    w.put(trim(parts.next().unwrap_or_default()));
    for p in parts {
        let name = trim(p.split(|&b| b == b'=').next().unwrap_or_default());
        if !eq_lower(name, b"received") && !eq_lower(name, b"rport") {
            w.put(b";");
            w.put(trim(p));
        }
    }
    w.put(b";received=");
    let mut ip = IpText::default();
    // An IPv4-mapped address is written as the IPv4 address it maps.
    let addr = source.ip().to_canonical();
    let _ = fmt::write(&mut ip, format_args!("{addr}"));
    w.put(ip.as_bytes());
    w.put(b";rport=");
    w.put_u64(u64::from(source.port()));
}

/// A fixed buffer for the text of an IP address (at most 45 bytes, IPv4-mapped IPv6).
struct IpText {
    buf: [u8; 48],
    len: usize,
}

impl Default for IpText {
    fn default() -> Self {
        Self {
            buf: [0; 48],
            len: 0,
        }
    }
}

impl IpText {
    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

impl fmt::Write for IpText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The transport and sent-by of a `Via` element (`SIP/2.0/UDP host:port;...`).
fn via_parts(via: &[u8]) -> Option<(&[u8], &[u8])> {
    let head = via.split(|&b| b == b';').next()?;
    let mut slashes = head.splitn(3, |&b| b == b'/');
    let (_, _, rest) = (slashes.next()?, slashes.next()?, slashes.next()?);
    let rest = trim(rest);
    let n = rest
        .iter()
        .position(|&b| !is_token(b))
        .unwrap_or(rest.len());
    let (transport, sent_by) = rest.split_at_checked(n)?;
    let sent_by = trim(sent_by);
    (!transport.is_empty() && !sent_by.is_empty()).then_some((transport, sent_by))
}

/// The error of a request that must not go on.
const fn refused<'a>(rule: Rule, reason: &'static str, value: &'a [u8]) -> ForwardError<'a> {
    ForwardError::Refused(reject(rule, reason, value))
}

/// Why a request was not forwarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForwardError<'a> {
    /// The request must not go on; answer with the rejection's status (never to an `ACK`).
    Refused(Rejection<'a>),
    /// The caller buffer cannot hold the forwarded request.
    TooSmall(TooSmall),
}

impl fmt::Display for ForwardError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(r) => write!(f, "not forwarded: {r}"),
            Self::TooSmall(t) => t.fmt(f),
        }
    }
}

impl core::error::Error for ForwardError<'_> {}

/// A response relayed by [`relay_response`]: its length in the caller buffer, and where it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relayed<'a> {
    /// The length of the relayed response.
    pub len: usize,
    /// The transport of the next `Via` (`UDP`, `TCP`, ...), as written.
    pub transport: &'a [u8],
    /// The address to send it to: the next `Via`'s `received` and `rport` (or its sent-by
    /// port, else 5060, 5061 for TLS), or its sent-by when that is an IP address; `None` when
    /// the sent-by is a host name (this crate resolves no names).
    pub destination: Option<SocketAddr>,
}

/// Why a response was not relayed: drop it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RelayError {
    /// The message is not a response, or its head does not end.
    NotAResponse,
    /// The top `Via` is not this hop's (RFC 3261 §16.11: drop).
    NotOurs,
    /// No `Via` is left once this hop's is removed.
    NoNextHop,
    /// The caller buffer cannot hold the relayed response.
    TooSmall(TooSmall),
}

impl fmt::Display for RelayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAResponse => f.write_str("not a complete response"),
            Self::NotOurs => f.write_str("the top Via is not this proxy's"),
            Self::NoNextHop => f.write_str("no Via left after this proxy's"),
            Self::TooSmall(t) => t.fmt(f),
        }
    }
}

impl core::error::Error for RelayError {}

/// Writes `response` into `out` without `hop`'s `Via` (the first element of the top `Via`),
/// every other line and the body as they are, and says where it goes.
///
/// # Errors
/// [`RelayError`]: not a response, a top `Via` that is not `hop`'s, no `Via` after it, or `out`
/// too small.
pub fn relay_response<'a>(
    hop: &Hop<'_>,
    response: &'a [u8],
    out: &mut [u8],
) -> Result<Relayed<'a>, RelayError> {
    let (line, after_start) = start_line(response).ok_or(RelayError::NotAResponse)?;
    if !line.starts_with(b"SIP/2.0 ") {
        return Err(RelayError::NotAResponse);
    }
    let mut fields = Fields::new(response, after_start);
    let mut top = None;
    let mut next = None;
    for field in fields.by_ref() {
        if !field.well_formed || HeaderName::from_bytes(field.name) != HeaderName::Via {
            continue;
        }
        match top {
            None => {
                let (first, more) = first_element(field.value);
                if !hop.is_ours(first) {
                    return Err(RelayError::NotOurs);
                }
                top = Some((field, more));
                next = more.map(|m| first_element(m).0);
            }
            Some(_) if next.is_none() => next = Some(first_element(field.value).0),
            Some(_) => {}
        }
    }
    let body = fields.body.ok_or(RelayError::NotAResponse)?;
    let (top, more) = top.ok_or(RelayError::NotOurs)?;
    let next = next.ok_or(RelayError::NoNextHop)?;
    let (transport, sent_by) = via_parts(next).ok_or(RelayError::NoNextHop)?;

    let mut w = Out::new(out);
    w.put(response.get(..after_start).unwrap_or_default());
    for field in Fields::new(response, after_start) {
        if field.start != top.start {
            w.put(response.get(field.start..field.end).unwrap_or_default());
        } else if let Some(more) = more {
            w.put(b"Via: ");
            w.put(more);
            w.put(b"\r\n");
        }
    }
    w.put(b"\r\n");
    w.put(response.get(body..).unwrap_or_default());
    let len = w
        .finish()
        .map_err(|needed| RelayError::TooSmall(TooSmall { needed }))?;
    Ok(Relayed {
        len,
        transport,
        destination: destination(next, transport, sent_by),
    })
}

/// Where a response goes by a `Via` element (RFC 3261 §18.2.2, RFC 3581 §4).
fn destination(via: &[u8], transport: &[u8], sent_by: &[u8]) -> Option<SocketAddr> {
    let params = via_params(via);
    let (host, port) = split_host_port(sent_by);
    let default_port = if eq_lower(transport, b"tls") {
        5061
    } else {
        5060
    };
    let port = param(params, b"rport")
        .and_then(parse_port)
        .or(port)
        .unwrap_or(default_port);
    let ip = param(params, b"received")
        .and_then(parse_ip)
        .or_else(|| parse_ip(host))?;
    Some(SocketAddr::new(ip, port))
}

/// A sent-by split into host (brackets kept) and port.
fn split_host_port(sent_by: &[u8]) -> (&[u8], Option<u16>) {
    let colon = if sent_by.first() == Some(&b'[') {
        find(sent_by, b']').and_then(|close| {
            let after = sent_by.get(close + 1..)?;
            after.first().filter(|&&b| b == b':').map(|_| close + 1)
        })
    } else {
        find(sent_by, b':')
    };
    match colon {
        Some(c) => (
            sent_by.get(..c).unwrap_or_default(),
            sent_by.get(c + 1..).and_then(parse_port),
        ),
        None => (sent_by, None),
    }
}

fn parse_port(s: &[u8]) -> Option<u16> {
    parse_u64(trim(s)).and_then(|n| u16::try_from(n).ok())
}

fn parse_ip(s: &[u8]) -> Option<IpAddr> {
    let s = trim(s);
    let s = s
        .strip_prefix(b"[")
        .and_then(|s| s.strip_suffix(b"]"))
        .unwrap_or(s);
    core::str::from_utf8(s).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::{ForwardError, Hop, RelayError, relay_response, split_host_port};
    use crate::Rule;
    use std::string::String;

    const HOP: Hop<'static> = Hop::new("UDP", "10.0.0.1:5070");

    fn forward(request: &str, source: &str) -> Result<String, ForwardError<'static>> {
        let request: &'static [u8] = std::boxed::Box::leak(request.as_bytes().into());
        let mut out = [0u8; 4096];
        let n = HOP.forward_request(request, source.parse().unwrap(), &mut out)?;
        Ok(String::from_utf8(out[..n].to_vec()).unwrap())
    }

    const BYE: &str = "BYE sip:+1415@10.0.0.9 SIP/2.0\r\n\
        Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa;received=1.1.1.1;rport=9;x, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKb\r\n\
        Via: SIP/2.0/TCP [2001:db8::1]:5062;branch=z9hG4bKc\r\n\
        From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 2 BYE\r\n\
        Max-Forwards: 7\r\nContent-Length: 4\r\n\r\nbody";

    #[test]
    fn forwards_with_our_via_and_one_hop_less() {
        let f = forward(BYE, "[::ffff:192.0.2.1]:40000").unwrap();
        let mut lines = f.split("\r\n");
        assert_eq!(lines.next(), Some("BYE sip:+1415@10.0.0.9 SIP/2.0"));
        let ours = lines.next().unwrap();
        assert!(
            ours.starts_with("Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK"),
            "{ours}"
        );
        assert_eq!(
            ours.len(),
            "Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK".len() + 16
        );
        assert_eq!(
            lines.next(),
            Some(
                "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa;x;received=192.0.2.1;rport=40000, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKb"
            )
        );
        assert_eq!(
            lines.next(),
            Some("Via: SIP/2.0/TCP [2001:db8::1]:5062;branch=z9hG4bKc")
        );
        assert!(
            f.contains("\r\nMax-Forwards: 6\r\nContent-Length: 4\r\n\r\nbody"),
            "{f}"
        );
        // The same branch for a retransmission and for a CANCEL of the same branch.
        let again = forward(BYE, "192.0.2.1:1").unwrap();
        assert_eq!(again.split("\r\n").nth(1), Some(ours));
        let other = forward(&BYE.replace("z9hG4bKa", "z9hG4bKz"), "192.0.2.1:1").unwrap();
        assert_ne!(other.split("\r\n").nth(1), Some(ours));
    }

    #[test]
    fn max_forwards_added_or_refused() {
        let none = forward(&BYE.replace("Max-Forwards: 7\r\n", ""), "192.0.2.1:5060").unwrap();
        assert!(
            none.contains("\r\nContent-Length: 4\r\nMax-Forwards: 69\r\n\r\nbody"),
            "{none}"
        );
        let zero = forward(
            &BYE.replace("Max-Forwards: 7", "Max-Forwards: 0"),
            "192.0.2.1:5060",
        );
        assert!(matches!(zero, Err(ForwardError::Refused(r)) if r.rule() == Rule::TooManyHops));
        let bad = forward(
            &BYE.replace("Max-Forwards: 7", "Max-Forwards: x"),
            "192.0.2.1:5060",
        );
        assert!(matches!(bad, Err(ForwardError::Refused(r)) if r.status() == 400));
        let novia = forward(
            "BYE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n",
            "192.0.2.1:5060",
        );
        assert!(matches!(novia, Err(ForwardError::Refused(r)) if r.reason() == "no Via"));
        let resp = forward("SIP/2.0 200 OK\r\n\r\n", "192.0.2.1:5060");
        assert!(matches!(resp, Err(ForwardError::Refused(r)) if r.rule() == Rule::NotARequest));
    }

    #[test]
    fn non_cookie_branches_hash_the_transaction() {
        let old = BYE.replace("branch=z9hG4bKa", "branch=1");
        let a = forward(&old, "192.0.2.1:1").unwrap();
        let cancel = forward(&old.replace("CSeq: 2 BYE", "CSeq: 2 CANCEL"), "192.0.2.1:1").unwrap();
        let next = forward(&old.replace("CSeq: 2 BYE", "CSeq: 3 BYE"), "192.0.2.1:1").unwrap();
        assert_eq!(a.split("\r\n").nth(1), cancel.split("\r\n").nth(1));
        assert_ne!(a.split("\r\n").nth(1), next.split("\r\n").nth(1));
    }

    #[test]
    fn relays_a_response_without_our_via() {
        let f = forward(BYE, "192.0.2.1:40000").unwrap();
        let vias: std::vec::Vec<&str> = f.split("\r\n").filter(|l| l.starts_with("Via")).collect();
        let response = std::format!(
            "SIP/2.0 200 OK\r\n{}\r\n{}\r\n{}\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n",
            vias[0],
            vias[1],
            vias[2]
        );
        let mut out = [0u8; 2048];
        let r = relay_response(&HOP, response.as_bytes(), &mut out).unwrap();
        let text = std::str::from_utf8(&out[..r.len]).unwrap();
        assert_eq!(
            text,
            std::format!(
                "SIP/2.0 200 OK\r\n{}\r\n{}\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n",
                vias[1],
                vias[2]
            )
        );
        assert_eq!(r.transport, b"UDP");
        assert_eq!(r.destination, Some("192.0.2.1:40000".parse().unwrap()));

        // Ours first in a comma list.
        let joined = std::format!(
            "SIP/2.0 200 OK\r\n{}, SIP/2.0/TCP [2001:db8::1]:5062;branch=z9hG4bKc\r\nContent-Length: 0\r\n\r\n",
            vias[0]
        );
        let r = relay_response(&HOP, joined.as_bytes(), &mut out).unwrap();
        assert!(std::str::from_utf8(&out[..r.len]).unwrap().starts_with(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP [2001:db8::1]:5062;branch=z9hG4bKc\r\n"
        ));
        assert_eq!(
            (r.transport, r.destination),
            (&b"TCP"[..], Some("[2001:db8::1]:5062".parse().unwrap()))
        );

        let only = std::format!("SIP/2.0 200 OK\r\n{}\r\n\r\n", vias[0]);
        assert_eq!(
            relay_response(&HOP, only.as_bytes(), &mut out),
            Err(RelayError::NoNextHop)
        );
        let other = response.replacen("10.0.0.1:5070", "10.0.0.2:5070", 1);
        assert_eq!(
            relay_response(&HOP, other.as_bytes(), &mut out),
            Err(RelayError::NotOurs)
        );
        assert!(matches!(
            relay_response(&HOP, response.as_bytes(), &mut out[..10]),
            Err(RelayError::TooSmall(_))
        ));
        let named = response
            .replace(";received=192.0.2.1;rport=40000", "")
            .replace("192.0.2.1;", "host.example;");
        assert_eq!(
            relay_response(&HOP, named.as_bytes(), &mut out)
                .unwrap()
                .destination,
            None
        );
    }

    #[test]
    fn host_port() {
        assert_eq!(split_host_port(b"[::1]:5"), (&b"[::1]"[..], Some(5)));
        assert_eq!(split_host_port(b"[::1]"), (&b"[::1]"[..], None));
        assert_eq!(split_host_port(b"h:99999"), (&b"h"[..], None));
    }
}
