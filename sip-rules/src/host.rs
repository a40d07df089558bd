//! RFC 3261 `hostport` for SIP URIs and the Via sent-by, with RFC 5954's corrected IPv4 and
//! IPv6 forms, and the host names of SDP `c=` lines.
//!
//! ```text
//! hostport      = host [ ":" port ]
//! host          = hostname / IPv4address / IPv6reference
//! hostname      = *( domainlabel "." ) toplabel [ "." ]
//! domainlabel   = alphanum / alphanum *( alphanum / "-" ) alphanum
//! toplabel      = ALPHA / ALPHA *( alphanum / "-" ) alphanum
//! IPv4address   = dec-octet "." dec-octet "." dec-octet "." dec-octet   (RFC 5954, 0 to 255)
//! IPv6reference = "[" IPv6address "]"                                  (RFC 5954 / RFC 4291)
//! port          = 1*5DIGIT, at most 65535
//! ```
//!
//! The usual host, a dotted quad or a host name with maybe a port, is read in place by
//! [`usual_hostport`] (a pattern for the quad, one table step per byte for a name). Anything
//! else (an IPv6 reference, white space around a Via colon, a fault to name) goes to
//! [`hostport_general`], out of line.

use crate::class::{digit_run, find, trim_start};

/// A failure: a fixed reason.
pub(crate) type Fail = &'static str;

/// Why a host is refused.
const BAD_HOST: Fail = "malformed host (RFC 3261 hostname, IPv4 address or [IPv6 address])";
/// Why a port is refused.
const BAD_PORT: Fail = "port is not a number from 0 to 65535";

/// The common IPv4 form: four parts of one to three digits, each at most 255, no leading zero
/// (RFC 5954's `dec-octet`). It accepts exactly what `Ipv4Addr` accepts on digits and dots.
pub(crate) fn dotted_quad(s: &[u8]) -> bool {
    let mut rest = s;
    for part in 0..4 {
        // One to three digits, no leading zero, at most 255: three digits are compared with
        // `255` digit by digit (the order of their values), fewer are always below it.
        let after = match rest {
            [
                a @ b'1'..=b'9',
                b @ b'0'..=b'9',
                c @ b'0'..=b'9',
                after @ ..,
            ] => {
                if (a, b, c) > (&b'2', &b'5', &b'5') {
                    return false;
                }
                after
            }
            [b'1'..=b'9', b'0'..=b'9', after @ ..] | [b'0'..=b'9', after @ ..] => after,
            _ => return false,
        };
        rest = match after {
            [] => return part == 3,
            [b'.', next @ ..] if part < 3 => next,
            _ => return false,
        };
    }
    false
}

/// Whether `h` is an RFC 3261 `hostname`: labels of letters, digits and inner `-`, separated by
/// single dots, the last one starting with a letter, an optional final dot.
pub(crate) fn hostname(h: &[u8]) -> bool {
    // The byte before the current one, a dot at the start: a label starts after a dot.
    let mut prev = b'.';
    let mut top_alpha = false;
    for &b in h {
        if b == b'.' {
            // An empty label, or one ending in `-`.
            if prev == b'.' || prev == b'-' {
                return false;
            }
        } else if !(b.is_ascii_alphanumeric() || b == b'-') {
            return false;
        } else if prev == b'.' {
            // A label starts: not with `-`; the last label to start is the top label.
            if b == b'-' {
                return false;
            }
            top_alpha = b.is_ascii_alphabetic();
        }
        prev = b;
    }
    top_alpha && prev != b'-'
}

/// Whether `h` is a `host` other than an IPv6 reference: a dotted quad or a host name.
#[inline]
fn name_or_quad(h: &[u8]) -> bool {
    // A host name's top label starts with a letter, so a dotted quad is never one: only a host
    // starting with a digit can be a quad, and one that is not may still be a name
    // (`1und1.example`).
    (h.first().is_some_and(u8::is_ascii_digit) && dotted_quad(h)) || hostname(h)
}

/// Whether `p` is a port: one to five digits, at most 65535.
#[inline]
fn port(p: &[u8]) -> bool {
    match p.len() {
        1..=4 => p.iter().all(u8::is_ascii_digit),
        // Five digits compare as their values do.
        5 => p.iter().all(u8::is_ascii_digit) && p <= &b"65535"[..],
        _ => false,
    }
}

/// Whether the text of `a` (without brackets) is an IPv6 address (RFC 4291 text forms, IPv4
/// suffix included, as RFC 5954 writes them): exactly what `core::net::Ipv6Addr`'s parser
/// accepts, read in place on the bytes (the tests compare the two on every form).
///
/// The parser's steps: up to eight groups of one to four hex digits separated by `:`, the last
/// two of them possibly one IPv4 address; fewer than eight (and no IPv4 address) must be followed
/// by `::` and up to seven less the groups read so far, the same way.
pub(crate) fn ipv6(a: &[u8]) -> bool {
    // One pass for the usual address, hex groups and at most one `::`; an IPv4 part takes the
    // parser's steps.
    let (mut groups, mut run, mut gap, mut after_sep) = (0u32, 0u32, false, false);
    let s = match a {
        [b':', b':', rest @ ..] => {
            gap = true;
            rest
        }
        _ => a,
    };
    for &b in s {
        if b.is_ascii_hexdigit() {
            run += 1;
            if run > 4 {
                return false;
            }
            after_sep = false;
        } else if b == b':' {
            if run > 0 {
                // A separator after a group.
                groups += 1;
                run = 0;
                after_sep = true;
            } else if after_sep && !gap {
                // The second colon of `::`.
                gap = true;
                after_sep = false;
            } else {
                return false;
            }
        } else if b == b'.' {
            return ipv6_steps(a);
        } else {
            return false;
        }
    }
    if run > 0 {
        groups += 1;
    } else if after_sep {
        return false;
    }
    if gap { groups <= 7 } else { groups == 8 }
}

/// [`ipv6`] by the steps of the standard library's parser, for an address with an IPv4 part.
#[cold]
#[inline(never)]
fn ipv6_steps(a: &[u8]) -> bool {
    let (head, rest, head_ipv4) = ipv6_groups(a, 8);
    if head == 8 {
        return rest.is_empty();
    }
    if head_ipv4 {
        return false;
    }
    let Some(tail) = rest.strip_prefix(b"::") else {
        return false;
    };
    let (_, rest, _) = ipv6_groups(tail, 7 - head);
    rest.is_empty()
}

/// Reads up to `limit` IPv6 groups separated by `:` at the start of `s`, where an IPv4 address
/// (dotted quad) may stand for two groups while two are left, and ends them; returns how many
/// were read, what follows them, and whether the last was an IPv4 address.
fn ipv6_groups(s: &[u8], limit: usize) -> (usize, &[u8], bool) {
    let mut rest = s;
    let mut i = 0;
    while i < limit {
        let group = if i == 0 {
            rest
        } else {
            match rest {
                [b':', group @ ..] => group,
                _ => break,
            }
        };
        // One to four hex digits; a fifth one fails the group.
        let n = group
            .iter()
            .take(5)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        // An IPv4 address is tried first; its first part, digits up to a `.`, is the hex run
        // up to a `.` (a `.` is no hex digit), so only such a group can start one.
        if group.get(n) == Some(&b'.')
            && i + 1 < limit
            && let Some(after) = ipv4_prefix(group)
        {
            return (i + 2, after, true);
        }
        if !(1..=4).contains(&n) {
            break;
        }
        rest = group.get(n..).unwrap_or_default();
        i += 1;
    }
    (i, rest, false)
}

/// Reads an IPv4 address at the start of `s` as `core::net::Ipv4Addr`'s parser does (four
/// decimal parts of one to three digits, at most 255, no leading zero, separated by `.`);
/// returns what follows it, whatever it is.
fn ipv4_prefix(s: &[u8]) -> Option<&[u8]> {
    let mut rest = s;
    for part in 0..4 {
        if part > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        let n = rest
            .iter()
            .take(4)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let digits = rest.get(..n)?;
        let value = digits
            .iter()
            .fold(0u32, |v, &d| v * 10 + u32::from(d - b'0'));
        if n == 0 || n > 3 || (n > 1 && digits.first() == Some(&b'0')) || value > 255 {
            return None;
        }
        rest = rest.get(n..)?;
    }
    Some(rest)
}

/// The byte classes of a host name for [`name_prefix`]: 0 ends the name, 1 a letter, 2 a digit,
/// 3 `-`, 4 `.`.
static NAME_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let c = b as u8;
        let class = if c.is_ascii_alphabetic() {
            1
        } else if c.is_ascii_digit() {
            2
        } else if c == b'-' {
            3
        } else if c == b'.' {
            4
        } else {
            0
        };
        // Evaluated at compile time: an index out of range would fail the build.
        #[allow(clippy::indexing_slicing)]
        {
            t[b] = class;
        }
        b += 1;
    }
    t
};

/// The host name automaton of [`name_prefix`]: `NAME_NEXT[state * 4 + class - 1]`. States: 0
/// nothing read; 1 and 2 after a dot, the label before it begun with a letter (1) or a digit
/// (2); 3 and 4 in a label begun with a letter, after a letter or digit (3) or a `-` (4); 5 and
/// 6 the same for a label begun with a digit; 7 refused. A name ends well in 3 (its top label
/// starts with a letter and ends with a letter or digit) or in 1 (the same, then a final dot).
static NAME_NEXT: [u8; 32] = [
    3, 5, 7, 7, // 0: a label starts
    3, 5, 7, 7, // 1
    3, 5, 7, 7, // 2
    3, 3, 4, 1, // 3
    3, 3, 4, 7, // 4
    5, 5, 6, 2, // 5
    5, 5, 6, 7, // 6
    7, 7, 7, 7, // 7
];

/// [`NAME_NEXT`] by state and byte, each entry the next state times 256 (the row of the next
/// step): a byte that cannot be in a name leads to row 8 (the name ended), a refused name to row
/// 7, which no byte leaves.
static NAME_STEP: [u16; 8 * 256] = {
    let mut t = [0u16; 8 * 256];
    let mut state = 0usize;
    while state < 8 {
        let mut b = 0usize;
        while b < 256 {
            // Evaluated at compile time: an index out of range would fail the build.
            #[allow(clippy::indexing_slicing)]
            {
                let class = NAME_CLASS[b] as usize;
                t[state * 256 + b] = if class == 0 {
                    8 * 256
                } else {
                    NAME_NEXT[state * 4 + class - 1] as u16 * 256
                };
            }
            b += 1;
        }
        state += 1;
    }
    t
};

/// Reads an RFC 3261 `hostname` at the start of `s`, one table step per byte; returns what
/// follows it, `None` when the bytes up to the first one that cannot be in a name are not one.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn name_prefix(s: &[u8]) -> Option<&[u8]> {
    // The state times 256: the row of `NAME_STEP` for the next byte.
    let mut row = 0usize;
    for (i, &b) in s.iter().enumerate() {
        // The row is at most 6 * 256 here, so the mask only drops a bounds check.
        let next = usize::from(
            NAME_STEP
                .get((row | usize::from(b)) & 2047)
                .copied()
                .unwrap_or(7 * 256),
        );
        if next >= 7 * 256 {
            // The name ends well in state 3 or 1 (see `NAME_NEXT`); a refused one never does.
            return (next == 8 * 256 && (row == 3 * 256 || row == 256))
                .then(|| s.get(i..))
                .flatten();
        }
        row = next;
    }
    (row == 3 * 256 || row == 256).then_some(&[][..])
}

/// Reads a dotted quad ([`dotted_quad`]) at the start of `s`; returns what follows it, `None`
/// when what follows could still belong to a host name (a letter, digit, `-` or `.`).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn quad_prefix(s: &[u8]) -> Option<&[u8]> {
    if let Some(block) = s.first_chunk::<16>() {
        return s.get(quad_block(block)?..);
    }
    let mut rest = s;
    for part in 0..4 {
        let after = match rest {
            [
                a @ b'1'..=b'9',
                b @ b'0'..=b'9',
                c @ b'0'..=b'9',
                after @ ..,
            ] if (a, b, c) <= (&b'2', &b'5', &b'5') => after,
            [b'1'..=b'9', b'0'..=b'9', after @ ..] | [b'0'..=b'9', after @ ..] => after,
            _ => return None,
        };
        rest = match after {
            [b'.', next @ ..] if part < 3 => next,
            _ if part == 3 => after,
            _ => return None,
        };
    }
    match rest.first() {
        Some(&b) if NAME_CLASS.get(usize::from(b)).is_some_and(|&c| c != 0) => None,
        _ => Some(rest),
    }
}

/// [`quad_prefix`] on the first sixteen bytes of the host, which hold any dotted quad and the
/// byte after it: the same parts (one to three digits, at most 255, no leading zero) read with
/// fixed-size loads; returns the length of the quad.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn quad_block(block: &[u8; 16]) -> Option<usize> {
    // Every position read is below 16 (four parts of at most three digits and three dots, then
    // the byte after), so the mask only drops a bounds check.
    let digit = |at: usize| {
        block
            .get(at & 15)
            .map_or(u32::MAX, |&b| u32::from(b.wrapping_sub(b'0')))
    };
    let mut at = 0usize;
    for part in 0..4 {
        let (a, b, c) = (digit(at), digit(at + 1), digit(at + 2));
        let two = b <= 9;
        let three = two && c <= 9;
        // A leading zero ends the part at one digit, which a digit cannot follow.
        if a > 9 || (two && a == 0) {
            return None;
        }
        let value = match (two, three) {
            (_, true) => a * 100 + b * 10 + c,
            (true, false) => a * 10 + b,
            _ => a,
        };
        if value > 255 {
            return None;
        }
        at += 1 + usize::from(two) + usize::from(three);
        if part < 3 {
            if block.get(at & 15) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
    }
    // What follows may not continue a host name.
    match block.get(at & 15) {
        Some(&b) if NAME_CLASS.get(usize::from(b)).is_some_and(|&c| c != 0) => None,
        _ => Some(at),
    }
}

/// Reads `host [":" port]` at the start of `s` for the usual hosts (a dotted quad or a host
/// name, no white space); returns what follows, `None` for anything else, which the general
/// path then reads (and names the fault of).
#[inline(never)] // measured: fewer instructions per check under callgrind than inlined
pub(crate) fn usual_hostport(s: &[u8]) -> Option<&[u8]> {
    let rest = match s.first() {
        Some(b'0'..=b'9') => quad_prefix(s).or_else(|| name_prefix(s))?,
        // An IPv6 reference, as `hostport_general` reads it.
        Some(b'[') => {
            let inner = s.get(1..)?;
            let close = find(inner, b']')?;
            if !ipv6(inner.get(..close)?) {
                return None;
            }
            inner.get(close + 1..)?
        }
        _ => name_prefix(s)?,
    };
    let Some((b':', digits)) = rest.split_first() else {
        return Some(rest);
    };
    // The usual port, four or five digits, compared as their values do with 65535.
    match digits {
        [d1, d2, d3, d4, tail @ ..]
            if [d1, d2, d3, d4].iter().all(|x| x.is_ascii_digit())
                && !tail.first().is_some_and(u8::is_ascii_digit) =>
        {
            Some(tail)
        }
        [d1, d2, d3, d4, d5, tail @ ..]
            if [d1, d2, d3, d4, d5].iter().all(|x| x.is_ascii_digit())
                && (*d1, *d2, *d3, *d4, *d5) <= (b'6', b'5', b'5', b'3', b'5')
                && !tail.first().is_some_and(u8::is_ascii_digit) =>
        {
            Some(tail)
        }
        _ => {
            let n = digit_run(digits);
            let (p, tail) = digits.split_at_checked(n)?;
            port(p).then_some(tail)
        }
    }
}

/// Reads a `hostport` at the start of `s`, any form; returns what follows it. With `sws`, white
/// space may surround the colon (the Via `sent-by`, RFC 3261 `COLON`).
#[inline(never)]
fn hostport_general(s: &[u8], sws: bool) -> Result<&[u8], Fail> {
    let rest = if let Some(inner) = s.strip_prefix(b"[") {
        let Some(close) = find(inner, b']') else {
            return Err("unclosed '[' in a host");
        };
        if !ipv6(inner.get(..close).unwrap_or_default()) {
            return Err("malformed IPv6 reference in a host");
        }
        inner.get(close + 1..).unwrap_or_default()
    } else {
        let n = s
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
            .unwrap_or(s.len());
        if !name_or_quad(s.get(..n).unwrap_or_default()) {
            return Err(BAD_HOST);
        }
        s.get(n..).unwrap_or_default()
    };
    let after = if sws { trim_start(rest) } else { rest };
    match after.split_first() {
        Some((b':', p)) => {
            let p = if sws { trim_start(p) } else { p };
            let n = digit_run(p);
            let (digits, tail) = p.split_at_checked(n).unwrap_or((p, &[]));
            if port(digits) {
                Ok(tail)
            } else {
                Err(BAD_PORT)
            }
        }
        _ => Ok(rest),
    }
}

/// Checks the `hostport` that starts `s`, the part of a SIP URI after its user part: it must end
/// at a `;` (parameters), a `?` (headers) or the end.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn uri_hostport(s: &[u8]) -> Result<(), Fail> {
    match usual_hostport(s) {
        Some([] | [b';' | b'?', ..]) => Ok(()),
        _ => uri_hostport_general(s),
    }
}

/// [`uri_hostport`] for any host, with the reason of a fault.
#[cold]
#[inline(never)]
fn uri_hostport_general(s: &[u8]) -> Result<(), Fail> {
    match hostport_general(s, false)?.first() {
        None | Some(b';' | b'?') => Ok(()),
        Some(_) => Err(BAD_HOST),
    }
}

/// Reads the Via `sent-by` that starts `s`; returns what follows it (parameters, a `,` or the
/// end, which the Via parser checks).
#[cfg(test)]
pub(crate) fn sent_by(s: &[u8]) -> Result<&[u8], Fail> {
    sent_by_usual(s).map(|(rest, _)| rest)
}

/// [`sent_by`], and whether [`usual_hostport`] read it (no white space around a colon).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn sent_by_usual(s: &[u8]) -> Result<(&[u8], bool), Fail> {
    match usual_hostport(s) {
        Some(rest @ ([] | [b';' | b',', ..])) => Ok((rest, true)),
        _ => sent_by_general(s).map(|rest| (rest, false)),
    }
}

/// [`sent_by`] for any host, white space around the colon included.
#[cold]
#[inline(never)]
fn sent_by_general(s: &[u8]) -> Result<&[u8], Fail> {
    hostport_general(s, true)
}

#[cfg(test)]
pub(crate) mod tests {
    extern crate std;
    use std::net::{Ipv4Addr, Ipv6Addr};
    use std::vec::Vec;

    /// RFC 3261 `hostport` as the grammar reads, written for clarity: split the host from the
    /// port, then decide the host by its form. The oracle of the checks above.
    pub(crate) fn oracle_hostport(s: &str) -> bool {
        let (host, port) = if let Some(inner) = s.strip_prefix('[') {
            let Some((addr, after)) = inner.split_once(']') else {
                return false;
            };
            if addr.parse::<Ipv6Addr>().is_err() {
                return false;
            }
            match after {
                "" => return true,
                _ => match after.strip_prefix(':') {
                    Some(port) => (None, Some(port)),
                    None => return false,
                },
            }
        } else {
            match s.split_once(':') {
                Some((h, p)) => (Some(h), Some(p)),
                None => (Some(s), None),
            }
        };
        let port_ok = port.is_none_or(|p| {
            (1..=5).contains(&p.len())
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= 65535)
        });
        let host_ok = host.is_none_or(|h| {
            let all_quad = h.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            if all_quad {
                return h.parse::<Ipv4Addr>().is_ok();
            }
            let labels: Vec<&str> = h.strip_suffix('.').unwrap_or(h).split('.').collect();
            let label_ok = |l: &str| {
                !l.is_empty()
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            };
            labels.iter().all(|l| label_ok(l))
                && labels
                    .last()
                    .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        });
        port_ok && host_ok
    }

    /// A hostport as `uri_hostport` reads it: up to `;`, `?` or the end.
    fn uri_oracle(s: &str) -> bool {
        oracle_hostport(s.split([';', '?']).next().unwrap_or(""))
    }

    #[test]
    fn hosts_and_ports() {
        for ok in [
            "sbc.example.net",
            "sbc.example.net:5060",
            "sbc.example.net.",
            "a",
            "a-1.b2",
            "1und1.example",
            "18.214.109.129",
            "18.214.109.129:5060",
            "0.0.0.0:0",
            "h:65535",
            "h:05060",
            "[2001:db8::10]",
            "[2001:db8::10]:5070",
            "[2001:db8::10:5070]",
            "[::ffff:192.0.2.1]",
        ] {
            assert_eq!(super::uri_hostport(ok.as_bytes()), Ok(()), "{ok}");
            assert!(oracle_hostport(ok), "{ok}");
        }
        for bad in [
            "host:abc",
            "host:",
            "host:65536",
            "host:123456",
            "[2001:db8::10",
            "[2001:db8::10]x",
            "[2001:db8:::192.0.2.1]",
            "bi$loxi.example.com",
            "2001:db8::10",
            "1.2.3",
            "1.2.3.256",
            "01.2.3.4",
            "a..b",
            ".a",
            "-a.b",
            "a-.b",
            "a.-b",
            "a.1b",
            "a.b-",
            "host_name",
            "",
            ".",
        ] {
            assert!(super::uri_hostport(bad.as_bytes()).is_err(), "{bad}");
            assert!(!oracle_hostport(bad), "{bad}");
        }
    }

    /// The in-place IPv6 reader agrees with the standard library's parser on every string of
    /// up to seven bytes over the bytes that matter to it (hex and decimal digits, `:`, `.`).
    #[test]
    fn ipv6_agrees_with_std_exhaustively() {
        const ALPHABET: &[u8] = b"0:1.a2F";
        for text in [
            "2001:db8::9:1",
            "2001:DB8:0:0:8:800:200C:417A",
            "::ffff:192.0.2.1",
            "::192.0.2.1",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:192.0.2.1",
            "1:2:3:4:5:6:7:192.0.2.1",
            "1:2:3:4:5::192.0.2.1",
            "1:2:3:4:5:6::192.0.2.1",
            "1::2:3:4:5:6:7",
            "1::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "::",
            "::1",
            "1::",
            "2001:db8:::192.0.2.1",
            "2001:db8::192.0.2.01",
            "2001:db8::192.0.2.256",
            "2001:db8::192.0.2",
            "2001:db8::1:192.0.2.1",
            "12345::1",
            "1:2:3:4:5:6:7:8:9",
            "192.0.2.1::",
            "::192.0.2.1:1",
            "fe80::1%eth0",
        ] {
            assert_eq!(
                super::ipv6(text.as_bytes()),
                text.parse::<Ipv6Addr>().is_ok(),
                "{text}"
            );
        }
        let mut s = Vec::new();
        for len in 0..=7u32 {
            for mut code in 0..ALPHABET.len().pow(len) {
                s.clear();
                for _ in 0..len {
                    s.push(ALPHABET[code % ALPHABET.len()]);
                    code /= ALPHABET.len();
                }
                let text = std::str::from_utf8(&s).unwrap();
                assert_eq!(super::ipv6(&s), text.parse::<Ipv6Addr>().is_ok(), "{text}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]

        /// The in-place IPv6 reader agrees with the standard library's parser on address-like
        /// strings: groups of zero to five hex digits, single and double colons, IPv4 parts with
        /// large, zero-led and missing octets, stray bytes.
        #[test]
        fn ipv6_agrees_with_std(
            s in "(([0-9a-fA-F]{0,5}|[0-9]{1,4}(\\.[0-9]{0,4}){0,4}):{1,2}){0,9}([0-9a-fA-F]{0,5}|([0-9]{1,3}\\.){3}[0-9]{1,3}|[0-9a-f:.g ]{0,3})"
        ) {
            proptest::prop_assert_eq!(super::ipv6(s.as_bytes()), s.parse::<Ipv6Addr>().is_ok(), "{}", s);
        }
    }

    /// The sixteen-byte host readers (names and dotted quads) agree with the oracle with every
    /// interesting byte at every place of hosts around sixteen bytes long, followed by a port,
    /// parameters or nothing.
    #[test]
    fn host_blocks_agree_with_oracle_at_every_place() {
        let bases = [
            "sbc.example.net.x",
            "a-b.c-d.e-f.gh12",
            "255.255.255.255",
            "192.168.100.200.1",
            "1.2.3.4",
            "10.0.0.1x",
            "1und1.example.de",
        ];
        let bytes = b".-09aZ:;_ \x80";
        for base in bases {
            for len in 1..=base.len() {
                for at in 0..len {
                    for &b in bytes {
                        let mut host = base.as_bytes()[..len].to_vec();
                        host[at] = b;
                        for tail in ["", ":5060", ";user=phone", ":5060;lr"] {
                            let mut s = host.clone();
                            s.extend_from_slice(tail.as_bytes());
                            let text = std::string::String::from_utf8_lossy(&s).into_owned();
                            let want = std::str::from_utf8(&s).is_ok_and(uri_oracle);
                            assert_eq!(super::uri_hostport(&s).is_ok(), want, "{text}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn via_sent_by_allows_white_space_around_the_colon() {
        assert_eq!(super::sent_by(b"h : 5060;x"), Ok(&b";x"[..]));
        assert_eq!(super::sent_by(b"[::1]:5060,x"), Ok(&b",x"[..]));
        assert_eq!(super::sent_by(b"h ;x"), Ok(&b" ;x"[..]));
        assert!(super::sent_by(b"h:abc").is_err());
        assert!(super::sent_by(b"[2001:db8::9:1;x").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The checks agree with the grammar oracle on hosts near every boundary of the
        /// grammar: labels with dashes and dots, quads with large and zero-led parts, ports of
        /// every length, IPv6 references with and without brackets, stray bytes.
        #[test]
        fn uri_hostport_agrees_with_oracle(
            s in "([a-zA-Z0-9-]{0,7}\\.){0,4}[a-z0-9-]{0,9}\\.?(:[0-9]{1,6})?;[a-z=;]{0,16}|([a-z0-9-]{0,4}\\.){0,3}[a-zA-Z0-9-]{0,5}\\.?(:[0-9a]{0,6})?([;?].{0,3})?|([0-9]{1,3}\\.){2,4}[0-9]{0,3}(:[0-9]{1,6})?|\\[?[0-9a-f:.]{0,20}\\]?(:[0-9]{0,6})?|[a-z$_.:%\\[\\] ]{0,10}"
        ) {
            proptest::prop_assert_eq!(super::uri_hostport(s.as_bytes()).is_ok(), uri_oracle(&s), "{}", s);
        }
    }
}
