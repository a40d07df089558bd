//! A one-pass SDP offer walker (RFC 8866 / 4566, RFC 3264): every line is dispatched on its
//! type letter and each value is consumed in full; nothing is allocated.

use core::fmt;

use crate::class::{
    HIGH, ONES, as_str, digit_run, eq_lower, equal_flags, find, first_non_name,
    first_non_name_call, is_token, parse_u64, split_while, word,
};
use crate::host::{dotted_quad, hostname, ipv6};
use crate::policy::{Codec, Limits};
use crate::reject::{Rejection, Rule, reject};

/// The audio stream chosen from an offer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AudioStream<'a> {
    /// Checked as an IP address (ASCII) by the walker; viewed as `&str` when read.
    address: &'a [u8],
    port: u16,
    formats: &'a [u8],
    section: &'a [u8],
    telephone_event: bool,
}

impl<'a> AudioStream<'a> {
    /// The connection address (`c=` of the media section, else of the session).
    pub const fn address(&self) -> &'a str {
        match core::str::from_utf8(self.address) {
            Ok(s) => s,
            Err(_) => "",
        }
    }

    /// The RTP port (never 0: a disabled stream is never chosen).
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// Whether the stream offers `telephone-event` (RFC 4733).
    pub const fn telephone_event(&self) -> bool {
        self.telephone_event
    }

    /// The offered codecs, in the order of the `m=` line.
    pub fn codecs(&self) -> Codecs<'a> {
        Codecs {
            formats: self.formats,
            section: self.section,
        }
    }
}

impl fmt::Debug for AudioStream<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AudioStream")
            .field("address", &self.address())
            .field("port", &self.port)
            .field("formats", &self.formats)
            .field("section", &self.section)
            .field("telephone_event", &self.telephone_event)
            .finish()
    }
}

/// One offered payload type with its encoding (from `a=rtpmap`, or the RFC 3551 name of a
/// well-known static type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfferedCodec<'a> {
    /// RTP payload type.
    pub payload_type: u8,
    /// Encoding name (`PCMU`, `telephone-event`, ...), if known.
    pub encoding: Option<&'a str>,
    /// RTP clock rate, if known.
    pub clock_rate: Option<u32>,
}

/// Iterator over the codecs of an [`AudioStream`], in offer order.
#[derive(Clone, Debug)]
pub struct Codecs<'a> {
    formats: &'a [u8],
    section: &'a [u8],
}

/// The RFC 3551 name and clock rate of well-known static payload types.
fn static_codec(pt: u8) -> Option<(&'static str, u32)> {
    crate::codec::Codec::from_static_payload_type(pt).map(|c| (c.name(), c.clock_rate()))
}

impl<'a> Iterator for Codecs<'a> {
    type Item = OfferedCodec<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.formats.strip_prefix(b" ").unwrap_or(self.formats);
        let (fmt, rest) = split_while(s, |b| b != b' ');
        if fmt.is_empty() {
            return None;
        }
        self.formats = rest;
        let payload_type = parse_u64(fmt).and_then(|n| u8::try_from(n).ok())?;
        let mut found = None;
        for line in self.section.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(map) = line.strip_prefix(b"a=rtpmap:")
                && let Ok((pt, name, rate)) = rtpmap(map)
                && pt == payload_type
            {
                found = Some((as_str(name), rate));
                break;
            }
        }
        let (encoding, clock_rate) = match found {
            Some(f) => f,
            None => match static_codec(payload_type) {
                Some((n, r)) => (Some(n), Some(r)),
                None => (None, None),
            },
        };
        Some(OfferedCodec {
            payload_type,
            encoding,
            clock_rate,
        })
    }
}

/// What the policy asks of the offer.
pub(crate) struct Wants {
    pub(crate) codec: Option<Codec>,
    pub(crate) telephone_event: bool,
}

/// The media section being read.
///
/// The `a=rtpmap` lines of a section follow its `m=` line, so the payload types it lists are
/// known when they are read: what they map is kept as flags for the listed types only.
#[allow(clippy::struct_excessive_bools)] // independent facts of one section
struct Section<'a> {
    start: usize,
    formats: &'a [u8],
    connection: Option<&'a [u8]>,
    /// The payload types of the `m=` line (RTP sections only).
    fmt_mask: u128,
    /// The dynamic payload types of `fmt_mask` (96 to 127 as bits 0 to 31) no `a=rtpmap` maps yet.
    unmapped: u32,
    port: u16,
    audio: bool,
    rtp: bool,
    /// Whether the section lists the required codec's static payload type, or an `a=rtpmap`
    /// maps a listed payload type to the codec.
    codec: bool,
    /// Whether an `a=rtpmap` maps a listed payload type to telephone-event.
    telephone_event: bool,
}

impl Section<'_> {
    /// Reads any `a=rtpmap` value of the section and notes what it maps.
    // Out of line: the usual mappings do not take it (measured under callgrind).
    #[inline(never)]
    fn add_any_rtpmap(&mut self, wants: &Wants, map: &[u8]) -> Result<(), &'static str> {
        let (pt, enc, rate) = rtpmap_general(map)?;
        self.add_rtpmap(wants, pt, enc, rate);
        Ok(())
    }

    /// Notes what an `a=rtpmap` of the section maps.
    #[allow(clippy::inline_always)] // measured: fewer instructions per a=rtpmap under callgrind
    #[inline(always)]
    fn add_rtpmap(&mut self, wants: &Wants, pt: u8, enc: &[u8], rate: Option<u32>) {
        // Only what a listed payload type maps counts, and a flag once set stays set: the
        // names are compared only while it is not.
        if (self.fmt_mask >> (pt & 127)) & 1 != 0 {
            self.codec = self.codec || is_codec(wants, enc, rate);
            self.telephone_event = self.telephone_event || is_telephone_event(enc);
        }
        if let Some(d) = pt.checked_sub(96) {
            self.unmapped &= !(1u32 << (d & 31));
        }
    }
}

/// The lines of an SDP body, read once, in order.
struct Lines<'a> {
    /// The body after the lines read.
    rest: &'a [u8],
    /// How many more non-empty lines are allowed: the limit less the lines read, or none
    /// after an empty line.
    left: usize,
    /// Whether an empty line was read.
    blank: bool,
}

impl<'a> Lines<'a> {
    /// The next non-empty line (without its line end); `None` at the end of the body.
    #[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
    #[inline(always)]
    fn next(&mut self) -> Result<Option<&'a [u8]>, Rejection<'a>> {
        loop {
            let rest = self.rest;
            if rest.is_empty() {
                return Ok(None);
            }
            let Some(end) = line_end(rest) else {
                return Err(reject(
                    Rule::Sdp,
                    "SDP line without a line end (truncated body?)",
                    rest,
                ));
            };
            let (raw_lf, after) = rest.split_at_checked(end + 1).unwrap_or_default();
            self.rest = after;
            // Without its LF, and the CR before it.
            let line = match raw_lf {
                [line @ .., b'\r', _] | [line @ .., _] => line,
                [] => raw_lf,
            };
            if line.is_empty() {
                // No line may follow: the next one goes past the limit, where `read` tells.
                self.blank = true;
                self.left = 0;
            } else {
                return Ok(Some(line));
            }
        }
    }

    /// Counts a line and checks its form: returns its type letter and its value.
    #[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
    #[inline(always)]
    fn read(&mut self, line: &'a [u8]) -> Result<(u8, &'a [u8]), Rejection<'a>> {
        // One subtraction both counts the line and tells (by its borrow) that none was left.
        let (left, none_left) = self.left.overflowing_sub(1);
        self.left = left;
        if none_left {
            return Err(past_limit(self.blank, line));
        }
        match line {
            [kind, b'=', value @ ..] => Ok((*kind, value)),
            _ => Err(not_a_line(line)),
        }
    }
}

/// Where `line`, a line of `body`, starts in it.
#[allow(clippy::inline_always)] // two instructions once per m= line
#[inline(always)]
fn offset(body: &[u8], line: &[u8]) -> usize {
    // Both point into the same body, `line` at or after its start.
    (line.as_ptr() as usize).wrapping_sub(body.as_ptr() as usize)
}

/// The body from the start of `part`, a part of one of its lines, to its end.
#[allow(clippy::inline_always)] // a few instructions once per line
#[inline(always)]
fn ahead<'a>(body: &'a [u8], part: &[u8]) -> &'a [u8] {
    body.get(offset(body, part)..).unwrap_or_default()
}

/// The rejection of a line past the line limit (or after an empty line).
// Out of line, like `not_a_line`: the walk keeps fewer values in registers for it (measured
// under callgrind).
#[cold]
#[inline(never)]
fn past_limit(blank: bool, line: &[u8]) -> Rejection<'_> {
    if blank {
        return reject(Rule::Sdp, "SDP line after an empty line", line);
    }
    reject(Rule::TooLarge, "more SDP lines than the limit", line)
}

/// The rejection of a line not of the form `<letter>=<value>`.
#[cold]
#[inline(never)]
fn not_a_line(line: &[u8]) -> Rejection<'_> {
    reject(Rule::Sdp, "SDP line is not <letter>=<value>", line)
}

/// The position of the first LF in `s`, eight bytes at a time, inlined into the line walk.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn line_end(s: &[u8]) -> Option<usize> {
    // The lowest flag of each word is exact, and each word is tested on its own.
    let flags = |chunk: &[u8]| equal_flags(word(chunk), b'\n');
    let mut pairs = s.chunks_exact(16);
    let mut base = 0usize;
    for pair in pairs.by_ref() {
        // A branch-free fold over the block (a few vector instructions) tells whether it holds
        // an LF; only then are its words looked at.
        if pair.iter().fold(0u8, |any, &b| any | u8::from(b == b'\n')) != 0 {
            let (low, high) = pair.split_at_checked(8).unwrap_or_default();
            let (low, high) = (flags(low), flags(high));
            let at = if low != 0 {
                low.trailing_zeros()
            } else {
                64 + high.trailing_zeros()
            };
            return Some(base + (at / 8) as usize);
        }
        base += 16;
    }
    let mut rest = pairs.remainder();
    if let Some((chunk, after)) = rest.split_at_checked(8) {
        let f = flags(chunk);
        if f != 0 {
            return Some(base + (f.trailing_zeros() / 8) as usize);
        }
        base += 8;
        rest = after;
    }
    rest.iter().position(|&b| b == b'\n').map(|n| base + n)
}

/// Reads a run of ASCII digits; returns its value (saturated above `u32::MAX`, so any larger
/// number stays out of range), whether it was non-empty, and the rest.
#[allow(clippy::inline_always)] // measured: fewer instructions per a=rtpmap under callgrind
#[inline(always)]
fn digits(mut s: &[u8]) -> (u64, bool, &[u8]) {
    let mut n = 0u64;
    let mut any = false;
    while let Some((&b, rest)) = s.split_first() {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        n = (n * 10 + u64::from(d)).min(1 << 33);
        any = true;
        s = rest;
    }
    (n, any, s)
}

/// [`digits`] for an `m=` port: one to five digits followed by another byte, the usual port,
/// are read as one word; anything else by [`digits`].
#[allow(clippy::inline_always)] // a few instructions once per m= line
#[inline(always)]
fn port_digits(s: &[u8]) -> (u64, bool, &[u8]) {
    if let Some(chunk) = s.first_chunk::<8>()
        && let (n @ 1..=5, v) = word_digits(chunk)
        && let Some(rest) = s.get(n..)
    {
        return (v, true, rest);
    }
    digits(s)
}

/// The length of the run of ASCII digits that starts `chunk`, and its value when the run is one
/// to five digits long (any value else).
#[allow(clippy::inline_always)] // a few instructions once per m= line or a=rtpmap
#[inline(always)]
fn word_digits(chunk: &[u8; 8]) -> (usize, u64) {
    // Digits become 0..=9; adding 0x76 to the low seven bits reaches bit 7 from 10 up, and
    // bit 7 of the byte itself flags the rest: exact for every byte (no carries between
    // bytes), so the lowest flag ends the run.
    let t = u64::from_le_bytes(*chunk) ^ ONES.wrapping_mul(u64::from(b'0'));
    let non_digit =
        ((t & ONES.wrapping_mul(0x7f)).wrapping_add(ONES.wrapping_mul(0x76)) | t) & HIGH;
    let n = (non_digit.trailing_zeros() / 8) as usize;
    // The n digit values moved to the top bytes (zeros below are leading zeros), the first
    // digit the most significant: pairs, then quads, then the whole, each step a multiply that
    // cannot carry out of its lane (99, 9,999, 99,999,999 at most). Without a digit (n = 0) the
    // shift is by 64, taken as 0: the bytes are no digits, the sums wrap, the value is unused.
    let v = t.wrapping_shl(8 * (8 - non_digit.trailing_zeros() / 8));
    let v = v.wrapping_mul(10).wrapping_add(v >> 8) & 0x00ff_00ff_00ff_00ff;
    let v = v.wrapping_mul(100).wrapping_add(v >> 16) & 0x0000_ffff_0000_ffff;
    let v = v.wrapping_mul(10_000).wrapping_add(v >> 32) & 0xffff_ffff;
    (n, v)
}

/// Parses `pt SP name [/ rate [/ params]]`.
#[allow(clippy::inline_always)] // measured: fewer instructions per a=rtpmap under callgrind
#[inline(always)]
fn rtpmap(v: &[u8]) -> Result<(u8, &[u8], Option<u32>), &'static str> {
    if let Some((pt, name)) = usual_rtpmap(v) {
        return Ok((pt, name, Some(8000)));
    }
    rtpmap_general(v)
}

/// The payload type and encoding name of the usual mappings, matched whole, read as
/// [`rtpmap_general`] reads them: the name runs from after the space to the `/`, the rate is
/// 8000.
#[allow(clippy::inline_always)] // measured: fewer instructions per a=rtpmap under callgrind
#[inline(always)]
fn usual_rtpmap(v: &[u8]) -> Option<(u8, &[u8])> {
    let (pt, name) = match (v.len(), v.first()) {
        (11, Some(b'0')) if v == b"0 PCMU/8000" => (0, v.get(2..6)),
        (11, Some(b'8')) if v == b"8 PCMA/8000" => (8, v.get(2..6)),
        (11, Some(b'9')) if v == b"9 G722/8000" => (9, v.get(2..6)),
        (24, _) if v == b"101 telephone-event/8000" => (101, v.get(4..19)),
        _ => return None,
    };
    Some((pt, name?))
}

/// [`rtpmap_general`] for the usual value: a payload type of one to three digits, at most 127,
/// a space, an encoding name of letters, digits and `-` (read in one sixteen-byte step), `/`, a
/// clock rate of one to five digits (read as one word), and the end or `/` and one token
/// character. `ahead` is the body from the start of `v` on, which holds the line end after `v`
/// (neither a name byte nor a digit, so no run found goes past `v`). Returns what
/// [`rtpmap_general`] returns; `None` for any other value, which it then reads.
#[allow(clippy::inline_always)] // one call site
#[inline(always)]
fn rtpmap_fast<'a>(v: &'a [u8], ahead: &[u8]) -> Option<(u8, &'a [u8], u32)> {
    let (pt, at) = match v {
        [a @ b'0'..=b'9', b' ', ..] => (a - b'0', 2),
        [a @ b'0'..=b'9', b @ b'0'..=b'9', b' ', ..] => ((a - b'0') * 10 + (b - b'0'), 3),
        [b'1', b @ b'0'..=b'2', c @ b'0'..=b'9', b' ', ..] => {
            (100 + (b - b'0') * 10 + (c - b'0'), 4)
        }
        _ => return None,
    };
    if pt > 127 {
        return None;
    }
    let n = first_non_name_call(ahead.get(at..)?.first_chunk::<16>()?);
    let (name, rest) = v.get(at..)?.split_at_checked(n)?;
    let ([b'/', ..], false) = (rest, name.is_empty()) else {
        return None;
    };
    let (digits, rate) = word_digits(ahead.get(at + n + 1..)?.first_chunk::<8>()?);
    if !(1..=5).contains(&digits) {
        return None;
    }
    match rest.get(1 + digits..)? {
        [] => {}
        [b'/', p] if is_token(*p) => {}
        _ => return None,
    }
    Some((pt, name, u32::try_from(rate).ok()?))
}

/// [`rtpmap`] for any value.
// Out of line: the usual mappings do not take it, and the walk keeps more in registers
// (measured under callgrind); other mappings pay one call.
#[inline(never)]
fn rtpmap_general(v: &[u8]) -> Result<(u8, &[u8], Option<u32>), &'static str> {
    let (pt, any, rest) = digits(v);
    let pt = match u8::try_from(pt) {
        Ok(pt) if any && pt < 128 => pt,
        _ => return Err("a=rtpmap payload type is not a number from 0 to 127"),
    };
    let Some((b' ', rest)) = rest.split_first() else {
        return Err("malformed a=rtpmap");
    };
    let (name, rest) = split_while(rest, is_token);
    if name.is_empty() {
        return Err("a=rtpmap without an encoding name");
    }
    let rate = match rest.split_first() {
        None => None,
        Some((b'/', r)) => {
            let (rate, any, more) = digits(r);
            let rate = u32::try_from(rate)
                .ok()
                .filter(|_| any)
                .ok_or("a=rtpmap clock rate is not a number")?;
            match more.split_first() {
                None => {}
                Some((b'/', p)) if !p.is_empty() && p.iter().all(|&b| is_token(b)) => {}
                _ => return Err("malformed a=rtpmap"),
            }
            Some(rate)
        }
        Some(_) => return Err("malformed a=rtpmap"),
    };
    Ok((pt, name, rate))
}

/// Parses a `c=` value: `IN IP4 address[/ttl[/n]]` or `IN IP6 address[/n]`.
fn connection(v: &[u8]) -> Result<&[u8], &'static str> {
    // The usual value: a dotted quad holds no space and no `/`, so the split of
    // `connection_general` agrees.
    if let Some(addr) = v.strip_prefix(b"IN IP4 ")
        && dotted_quad(addr)
    {
        return Ok(addr);
    }
    connection_general(v)
}

/// [`connection`] for any value.
// Out of line: the usual value does not take it, and `connection` then needs fewer registers
// (measured under callgrind).
#[cold]
#[inline(never)]
fn connection_general(v: &[u8]) -> Result<&[u8], &'static str> {
    // The usual IPv6 value first: an IPv6 address holds no space and no `/` either.
    if let Some(addr) = v.strip_prefix(b"IN IP6 ")
        && ipv6(addr)
    {
        return Ok(addr);
    }
    let mut parts = v.split(|&b| b == b' ');
    let (Some(net), Some(ty), Some(addr), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("c= must be: IN IP4|IP6 address");
    };
    if net != b"IN" {
        return Err("c= network type is not IN");
    }
    let addr = match find(addr, b'/') {
        Some(n) => addr.get(..n).unwrap_or_default(),
        None => addr,
    };
    // RFC 4566 (and RFC 8866) 5.7: a unicast address may be a fully qualified domain name
    // under either address type. A name is read as an RFC 3261 `hostname`, whose top label
    // starts with a letter, so a bad dotted quad (`300.1.1.1`) is never taken for a name.
    let valid = match ty {
        b"IP4" => dotted_quad(addr) || hostname(addr),
        b"IP6" => ipv6(addr) || hostname(addr),
        _ => return Err("c= address type is neither IP4 nor IP6"),
    };
    if valid {
        Ok(addr)
    } else {
        Err("c= address is neither an address of its type nor a host name")
    }
}

/// Checks an `o=` value in one pass: exactly six fields separated by single spaces, none
/// empty, the second and third (session id and version) all digits.
fn origin(v: &[u8]) -> bool {
    const IN_IP4: u64 = u64::from_le_bytes(*b"IN IP4 \0");
    // The user name, then the session id and version: digits up to one space each.
    let Some(space) = find(v, b' ').filter(|&n| n > 0) else {
        return false;
    };
    let mut rest = v.get(space + 1..).unwrap_or_default();
    for _ in 0..2 {
        let n = digit_run(rest);
        if n == 0 || rest.get(n) != Some(&b' ') {
            return false;
        }
        rest = rest.get(n + 1..).unwrap_or_default();
    }
    // The network and address types: `IN IP4 ` as usual, else two non-empty fields.
    // `IN IP4 ` and the address's first byte as one word, that byte masked off.
    if let Some(w) = rest.first_chunk::<8>()
        && u64::from_le_bytes(*w) & 0x00ff_ffff_ffff_ffff == IN_IP4
    {
        rest = rest.get(7..).unwrap_or_default();
    } else {
        for _ in 0..2 {
            let Some(space) = find(rest, b' ').filter(|&n| n > 0) else {
                return false;
            };
            rest = rest.get(space + 1..).unwrap_or_default();
        }
    }
    !rest.is_empty() && find(rest, b' ').is_none()
}

/// The numeric fields of a line split by single spaces.
fn all_digits(s: &[u8]) -> bool {
    !s.is_empty() && crate::class::all_digits(s)
}

/// Whether a `t=` value is two numbers separated by a space.
// Out of line: the usual `t=0 0` does not take it (measured under callgrind).
#[cold]
#[inline(never)]
fn timing(value: &[u8]) -> bool {
    let mut f = value.split(|&b| b == b' ');
    f.next().is_some_and(all_digits) && f.next().is_some_and(all_digits) && f.next().is_none()
}

/// Checks an SDP offer and picks the audio stream the policy wants.
///
/// Returns `Ok(None)` when no audio stream is enabled and the policy requires none.
#[allow(clippy::too_many_lines)] // one pass over the offer, kept in one place
pub(crate) fn check<'a>(
    body: &'a [u8],
    wants: &Wants,
    limits: &Limits,
) -> Result<Option<AudioStream<'a>>, Rejection<'a>> {
    let bad = |why: &'static str, line: &'a [u8]| Err(reject(Rule::Sdp, why, line));
    let mut lines = Lines {
        rest: body,
        left: limits.max_sdp_lines,
        blank: false,
    };
    // `v=0`, `o=` and `s=` come first, in this order.
    let incomplete = "SDP offer incomplete: v=, o= and s= are required";
    // The usual first line, `v=0` and CRLF, as `next` and `read` would take it.
    if let (Some(rest), Some(left)) = (body.strip_prefix(b"v=0\r\n"), lines.left.checked_sub(1)) {
        (lines.rest, lines.left) = (rest, left);
    } else {
        let Some(line) = lines.next()? else {
            return bad(incomplete, body);
        };
        match lines.read(line)? {
            (b'v', b"0") => {}
            (b'v', _) => return bad("SDP version is not v=0", line),
            _ => return bad("SDP does not start with v=0", line),
        }
    }
    let Some(line) = lines.next()? else {
        return bad(incomplete, body);
    };
    match lines.read(line)? {
        (b'o', value) if origin(value) => {}
        (b'o', _) => return bad("malformed o= line", line),
        _ => return bad("SDP o= line missing", line),
    }
    let Some(line) = lines.next()? else {
        return bad(incomplete, body);
    };
    match lines.read(line)? {
        // RFC 8866 5.3 asks for a non-empty name (one space when there is none), but RFC 5118
        // 4.8 presents an offer with an empty `s=` as valid and the name is never read here:
        // an empty one is accepted.
        (b's', _) => {}
        _ => return bad("SDP s= line missing", line),
    }
    let static_pt = wants.codec.and_then(|c| c.static_payload_type());
    // The session lines, up to the first `m=`.
    let mut session_c: Option<&'a [u8]> = None;
    let mut seen_t = false;
    // Filled by the first `m=` line, read before anything else of it.
    let mut section = Section {
        start: 0,
        formats: b"",
        connection: None,
        fmt_mask: 0,
        unmapped: 0,
        port: 0,
        audio: false,
        rtp: false,
        codec: false,
        telephone_event: false,
    };
    loop {
        let Some(line) = lines.next()? else {
            if !seen_t {
                return bad("SDP t= line missing", body);
            }
            return outcome(wants, None);
        };
        let (kind, value) = lines.read(line)?;
        match kind {
            b'i' | b'u' | b'e' | b'p' | b'b' | b'r' | b'z' | b'k' => {}
            b'c' => {
                let addr = connection(value).map_err(|why| reject(Rule::Sdp, why, line))?;
                session_c = Some(addr);
            }
            b't' => {
                // `t=0 0`, the usual value, needs no split.
                if !(value == b"0 0" || timing(value)) {
                    return bad("malformed t= line", line);
                }
                seen_t = true;
            }
            b'a' => match attribute_fast(value, ahead(body, value)) {
                Some((Attr::Other, _)) => {}
                Some((attr, val)) => {
                    attribute_value(attr, val, None).map_err(|why| reject(Rule::Sdp, why, line))?;
                }
                None => session_attribute(value).map_err(|why| reject(Rule::Sdp, why, line))?,
            },
            b'm' => {
                if !seen_t {
                    return bad("SDP t= line missing before m=", line);
                }
                media_listing(value, offset(body, line), static_pt, &mut section)
                    .map_err(|why| reject(Rule::Sdp, why, line))?;
                break;
            }
            _ => return bad("unknown or misplaced SDP line", line),
        }
    }
    // The media sections.
    let mut media = Media {
        body,
        section,
        session_c,
        wants,
        static_pt,
        picked: None,
        blank: lines.blank,
    };
    media_sections(&mut media, lines.rest, lines.left)
}

/// What the walk over the media sections reads and keeps besides the lines themselves.
struct Media<'a, 'w> {
    body: &'a [u8],
    /// The section being read.
    section: Section<'a>,
    session_c: Option<&'a [u8]>,
    wants: &'w Wants,
    /// The required codec's static payload type.
    static_pt: Option<u8>,
    /// The stream [`finish`] picked so far.
    picked: Option<AudioStream<'a>>,
    /// Whether an empty line was read.
    blank: bool,
}

/// Reads the media sections, from `rest` (the body after the first `m=` line, which is read into
/// `media.section` already) with `left` lines allowed, and returns the verdict.
// Out of line, with the usual attribute line read in its loop and every other line sent to
// `media_line`: the loop keeps the walk in registers (measured under callgrind).
#[inline(never)]
fn media_sections<'a>(
    media: &mut Media<'a, '_>,
    mut rest: &'a [u8],
    mut left: usize,
) -> Result<Option<AudioStream<'a>>, Rejection<'a>> {
    // `rest` is the body from the start of the line being read on.
    while !rest.is_empty() {
        let Some(end) = line_end(rest) else {
            return Err(reject(
                Rule::Sdp,
                "SDP line without a line end (truncated body?)",
                rest,
            ));
        };
        let (raw_lf, after) = rest.split_at_checked(end + 1).unwrap_or_default();
        // Without its LF, and the CR before it.
        let line = match raw_lf {
            [line @ .., b'\r', _] | [line @ .., _] => line,
            [] => raw_lf,
        };
        // The usual attribute (`Lines::read`'s count and form, then the name read in one
        // step): nothing more to check for most.
        if let [b'a', b'=', value @ ..] = line
            && left > 0
        {
            // The usual names with their values checked, by the line's first word: the
            // mappings straight into the section.
            let known = match (
                line.first_chunk::<8>().map(|w| u64::from_le_bytes(*w)),
                line.get(8..),
            ) {
                (Some(A_RTPMAP), Some([b':', map @ ..])) => Some((Attr::Rtpmap, map)),
                (Some(A_PTIME), Some(v)) | (Some(A_MAXPTI), Some([b'm', b'e', b':', v @ ..])) => {
                    Some((Attr::Ptime, v))
                }
                (Some(w), _) if w & 0x00ff_ffff_ffff_ffff == A_FMTP => {
                    Some((Attr::Fmtp, line.get(7..).unwrap_or_default()))
                }
                _ => None,
            };
            if let Some((attr, val)) = known {
                left -= 1;
                match attr {
                    Attr::Rtpmap => {
                        if let Some((pt, enc)) = usual_rtpmap(val) {
                            media.section.add_rtpmap(media.wants, pt, enc, Some(8000));
                        } else {
                            media_attribute(
                                &mut media.section,
                                media.wants,
                                attr,
                                val,
                                line,
                                rest,
                            )?;
                        }
                    }
                    _ => attribute_value(attr, val, Some(media.section.rtp))
                        .map_err(|why| reject(Rule::Sdp, why, line))?,
                }
                rest = after;
                continue;
            }
            // Any other name, read in one step: nothing more to check for most.
            if let Some((attr, val)) = attribute_fast(value, rest.get(2..).unwrap_or_default()) {
                left -= 1;
                if attr != Attr::Other {
                    media_attribute(&mut media.section, media.wants, attr, val, line, rest)?;
                }
                rest = after;
                continue;
            }
        }
        {
            media_line(media, &mut left, line)?;
        }
        rest = after;
    }
    finish(
        &media.section,
        media.body,
        media.body.len(),
        media.session_c,
        media.wants,
        &mut media.picked,
    )?;
    outcome(media.wants, media.picked)
}

/// Checks the value of a media-level `rtpmap`, `fmtp`, `ptime` or `maxptime` attribute
/// that [`attribute_fast`] read; an `a=rtpmap` goes into the section. `ahead` is the body from
/// the start of the line on.
#[inline(never)]
fn media_attribute<'a>(
    section: &mut Section<'a>,
    wants: &Wants,
    attr: Attr,
    value: &'a [u8],
    line: &'a [u8],
    ahead: &[u8],
) -> Result<(), Rejection<'a>> {
    if attr == Attr::Rtpmap {
        // The usual mappings and their rate of 8000 go straight into the section.
        if let Some((pt, enc)) = usual_rtpmap(value) {
            section.add_rtpmap(wants, pt, enc, Some(8000));
            return Ok(());
        }
        // `ahead` starts the line: the value is its end.
        if let Some((pt, enc, rate)) = rtpmap_fast(
            value,
            ahead.get(line.len() - value.len()..).unwrap_or_default(),
        ) {
            section.add_rtpmap(wants, pt, enc, Some(rate));
            return Ok(());
        }
        return section
            .add_any_rtpmap(wants, value)
            .map_err(|why| reject(Rule::Sdp, why, line));
    }
    attribute_value(attr, value, Some(section.rtp)).map_err(|why| reject(Rule::Sdp, why, line))
}

/// Reads any other line of a media section, as `Lines::next` and `Lines::read` would: an empty
/// line, the end of a section at an `m=` line, the count of lines against `left`, the form, then
/// the line by its type.
#[inline(never)]
fn media_line<'a>(
    media: &mut Media<'a, '_>,
    left: &mut usize,
    line: &'a [u8],
) -> Result<(), Rejection<'a>> {
    if line.is_empty() {
        // No line may follow: the next one goes past the limit, where the count tells.
        media.blank = true;
        *left = 0;
        return Ok(());
    }
    let body = media.body;
    // A section ends where the next `m` line starts, before that line is checked.
    if line.first() == Some(&b'm') {
        finish(
            &media.section,
            body,
            offset(body, line),
            media.session_c,
            media.wants,
            &mut media.picked,
        )?;
    }
    // One subtraction both counts the line and tells (by its borrow) that none was left.
    let (l, none_left) = left.overflowing_sub(1);
    *left = l;
    if none_left {
        return Err(past_limit(media.blank, line));
    }
    let [kind, b'=', value @ ..] = line else {
        return Err(not_a_line(line));
    };
    let section = &mut media.section;
    let wants = media.wants;
    // `a=rtpmap:` read first, on the whole line: `attribute` reads such a value with `rtpmap`
    // too (no direction flag starts with `rtpmap:`), and the mapping then goes straight into
    // the section.
    if let Some(map) = line.strip_prefix(b"a=rtpmap:") {
        if let Some((pt, enc)) = usual_rtpmap(map) {
            section.add_rtpmap(wants, pt, enc, Some(8000));
            return Ok(());
        }
        return section
            .add_any_rtpmap(wants, map)
            .map_err(|why| reject(Rule::Sdp, why, line));
    }
    match kind {
        b'i' | b'b' | b'k' => {}
        b'c' => {
            let addr = connection(value).map_err(|why| reject(Rule::Sdp, why, line))?;
            section.connection = Some(addr);
        }
        b'a' => {
            // Any other value: `attribute` reads an `rtpmap` only after `rtpmap:`.
            attribute(value, Some(section.rtp)).map_err(|why| reject(Rule::Sdp, why, line))?;
        }
        b'm' => {
            media_listing(value, offset(body, line), media.static_pt, section)
                .map_err(|why| reject(Rule::Sdp, why, line))?;
        }
        _ => return Err(reject(Rule::Sdp, "unknown or misplaced SDP line", line)),
    }
    Ok(())
}

/// The verdict once every section is closed, on the stream `finish` picked: the first enabled
/// audio stream offering the required codec, or the first enabled audio stream when no codec is
/// required.
fn outcome<'a>(
    wants: &Wants,
    picked: Option<AudioStream<'a>>,
) -> Result<Option<AudioStream<'a>>, Rejection<'a>> {
    match (wants.codec, picked) {
        (Some(_), None) => Err(reject(
            Rule::Media,
            "no audio stream offers the required codec",
            b"",
        )),
        (None, None) => Ok(None),
        (_, Some(a)) => {
            if wants.telephone_event && !a.telephone_event {
                Err(reject(
                    Rule::Media,
                    "the audio stream offers no telephone-event",
                    b"",
                ))
            } else {
                Ok(Some(a))
            }
        }
    }
}

/// Parses an `m=` value into a new section.
#[cfg(test)]
fn media(v: &[u8], start: usize) -> Result<Section<'_>, &'static str> {
    let mut section = Section {
        start: 0,
        formats: b"",
        connection: Some(b"x"),
        fmt_mask: u128::MAX,
        unmapped: u32::MAX,
        port: 1,
        audio: true,
        rtp: true,
        codec: true,
        telephone_event: true,
    };
    media_listing(v, start, None, &mut section).map(|()| section)
}

/// `1 << pt` for each RTP payload type `pt`: a load instead of a 128-bit shift per format.
static PT_BITS: [u128; 128] = {
    let mut bits = [0u128; 128];
    let mut pt = 0;
    while pt < 128 {
        if let Some((_, [bit, ..])) = bits.split_at_mut_checked(pt) {
            *bit = 1 << pt;
        }
        pt += 1;
    }
    bits
};

/// Parses an `m=` value into a new section, which offers the required codec already when it
/// lists the codec's static payload type `static_pt`.
/// The section is written in place (no copy of it returned), and only when the value is valid.
fn media_listing<'a>(
    v: &'a [u8],
    start: usize,
    static_pt: Option<u8>,
    section: &mut Section<'a>,
) -> Result<(), &'static str> {
    // The usual media type and protocol are matched with the space after them (not a token
    // character), which is where the token scans stop.
    let (kind, rest, audio) = match v.split_at_checked(5) {
        Some((kind, rest)) if v.starts_with(b"audio ") => (kind, rest, true),
        Some((kind, rest)) if v.starts_with(b"video ") => (kind, rest, false),
        _ => {
            let (kind, rest) = split_while(v, is_token);
            (kind, rest, kind == b"audio")
        }
    };
    let rest = rest.strip_prefix(b" ").ok_or("malformed m= line")?;
    // `digits` saturates: a run too long for `u64` is out of range too.
    let (port, any, rest) = port_digits(rest);
    let port = u16::try_from(port)
        .ok()
        .filter(|_| any)
        .ok_or("m= port is not a number from 0 to 65535")?;
    let rest = match rest.split_first() {
        Some((b'/', r)) => {
            let (count, r) = split_while(r, |b| b.is_ascii_digit());
            if count.is_empty() {
                return Err("malformed m= port count");
            }
            r
        }
        _ => rest,
    };
    let rest = rest.strip_prefix(b" ").ok_or("malformed m= line")?;
    // `RTP/AVP ` is a non-empty RTP protocol followed by a space.
    let (formats, rtp) = match rest.split_at_checked(7) {
        Some((_, formats)) if rest.starts_with(b"RTP/AVP ") => (formats, true),
        // The usual secure and WebRTC profiles, also RTP protocols followed by a space.
        _ if let Some(formats) = secure_rtp(rest) => (formats, true),
        _ => {
            let (proto, formats) = split_while(rest, |b| is_token(b) || b == b'/');
            if proto.is_empty() || !formats.starts_with(b" ") {
                return Err("malformed m= line");
            }
            let rtp = proto.starts_with(b"RTP/")
                || proto
                    .windows(4)
                    .any(|w| matches!(w, [b'R', b'T', b'P', b'/']));
            (formats, rtp)
        }
    };
    if kind.is_empty() {
        return Err("malformed m= line");
    }
    let fmt_mask = if rtp {
        rtp_formats(formats)?
    } else {
        other_formats(formats)?;
        0
    };
    *section = Section {
        start,
        formats,
        connection: None,
        fmt_mask,
        unmapped: u32::try_from(fmt_mask >> 96).unwrap_or(u32::MAX),
        port,
        audio,
        rtp,
        // The payload type's bit from the table (a load, not a 128-bit shift).
        codec: static_pt.is_some_and(|pt| {
            PT_BITS
                .get(usize::from(pt & 127))
                .is_some_and(|bit| fmt_mask & bit != 0)
        }),
        telephone_event: false,
    };
    Ok(())
}

/// The format list after `RTP/SAVP`, `RTP/SAVPF` or `UDP/TLS/RTP/SAVPF` (RFC 3711, RFC 5124,
/// RFC 5764) and their space at the start of `rest`: tokens and `/` that the protocol scan of
/// [`media_listing`] reads alike, each holding `RTP/`.
#[allow(clippy::inline_always)] // one call site
#[inline(always)]
fn secure_rtp(rest: &[u8]) -> Option<&[u8]> {
    let (first, after) = rest.split_first_chunk::<8>()?;
    let formats = match u64::from_le_bytes(*first) {
        RTP_SAVP => after.strip_prefix(b"F").unwrap_or(after),
        UDP_TLS_ => after.strip_prefix(b"RTP/SAVPF")?,
        _ => return None,
    };
    formats.starts_with(b" ").then_some(formats)
}

/// The first words of the protocols [`secure_rtp`] reads, little-endian.
const RTP_SAVP: u64 = u64::from_le_bytes(*b"RTP/SAVP");
const UDP_TLS_: u64 = u64::from_le_bytes(*b"UDP/TLS/");

/// The payload types of an RTP `m=` format list (each after a space) as bits.
// Out of line: a leaf with its own registers, the mask among them (measured under callgrind).
#[inline(never)]
fn rtp_formats(formats: &[u8]) -> Result<u128, &'static str> {
    let mut fmt_mask = 0u128;
    let mut list = formats;
    while let Some((b' ', r)) = list.split_first() {
        // The usual format: one to three digits, at most 127, up to a space or the end, the
        // value `digits` reads too. Anything else goes to the walk by `digits` from the start.
        let (pt, rest) = match r {
            [a @ b'0'..=b'9'] => (usize::from(a - b'0'), &[][..]),
            [a @ b'0'..=b'9', rest @ ..] if rest.first() == Some(&b' ') => {
                (usize::from(a - b'0'), rest)
            }
            [a @ b'0'..=b'9', b @ b'0'..=b'9', c @ b'0'..=b'9', rest @ ..] => (
                usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0'),
                rest,
            ),
            [a @ b'0'..=b'9', b @ b'0'..=b'9', rest @ ..] => {
                (usize::from(a - b'0') * 10 + usize::from(b - b'0'), rest)
            }
            [a @ b'0'..=b'9', rest @ ..] => (usize::from(a - b'0'), rest),
            _ => return rtp_formats_general(formats),
        };
        match (rest.first(), PT_BITS.get(pt)) {
            (None | Some(b' '), Some(bit)) => fmt_mask |= bit,
            _ => return rtp_formats_general(formats),
        }
        list = rest;
    }
    Ok(fmt_mask)
}

/// [`rtp_formats`] for any list.
#[cold]
#[inline(never)]
fn rtp_formats_general(formats: &[u8]) -> Result<u128, &'static str> {
    let mut fmt_mask = 0u128;
    let mut list = formats;
    while let Some((b' ', r)) = list.split_first() {
        // Digits up to a space or the end: one pass (`digits` saturates, so a number too
        // large for `u64` is out of range too).
        let (pt, any, after) = digits(r);
        match after.first() {
            None | Some(b' ') if !any => return Err("empty m= format"),
            None | Some(b' ') => match PT_BITS.get(usize::try_from(pt).unwrap_or(usize::MAX)) {
                Some(bit) => fmt_mask |= bit,
                None => return Err("m= RTP payload type is not a number from 0 to 127"),
            },
            _ => return Err("m= RTP payload type is not a number from 0 to 127"),
        }
        list = after;
    }
    Ok(fmt_mask)
}

/// Checks a non-RTP `m=` format list (each after a space): tokens, `/` allowed.
#[cold]
#[inline(never)]
fn other_formats(formats: &[u8]) -> Result<(), &'static str> {
    let mut list = formats;
    while let Some((b' ', r)) = list.split_first() {
        let (fmt, r) = split_while(r, |b| b != b' ');
        if fmt.is_empty() {
            return Err("empty m= format");
        }
        if !fmt.iter().all(|&b| is_token(b) || b == b'/') {
            return Err("malformed m= format");
        }
        list = r;
    }
    Ok(())
}

/// The attributes whose values are checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Rtpmap,
    Fmtp,
    Ptime,
    Other,
}

/// Checks an `a=` value. `rtp`: inside a media section, whether it is RTP.
///
/// An `a=rtpmap` is only checked here: inside a media section the walker reads it before.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn attribute(v: &[u8], rtp: Option<bool>) -> Result<(), &'static str> {
    // The usual names first: a token followed by ':' needs no scan. Their first letters differ,
    // so one of them at most is tried.
    // The direction flags, tokens without a value, are whole values.
    let usual = match v.first() {
        Some(b'r') if v == b"recvonly" => return Ok(()),
        Some(b'r') => v
            .strip_prefix(b"rtpmap:")
            .map(|value| (Attr::Rtpmap, value)),
        Some(b's') if v == b"sendrecv" || v == b"sendonly" => return Ok(()),
        Some(b'i') if v == b"inactive" => return Ok(()),
        Some(b'f') => v.strip_prefix(b"fmtp:").map(|value| (Attr::Fmtp, value)),
        Some(b'p') => v.strip_prefix(b"ptime:").map(|value| (Attr::Ptime, value)),
        Some(b'm') => v
            .strip_prefix(b"maxptime:")
            .map(|value| (Attr::Ptime, value)),
        _ => None,
    };
    let (attr, value) = if let Some(usual) = usual {
        usual
    } else {
        match attribute_name(v)? {
            Some(named) => named,
            None => return Ok(()),
        }
    };
    attribute_value(attr, value, rtp)
}

/// Checks the value of an attribute `attr` (see [`attribute`]).
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn attribute_value(attr: Attr, value: &[u8], rtp: Option<bool>) -> Result<(), &'static str> {
    match attr {
        Attr::Rtpmap => {
            rtpmap(value)?;
        }
        Attr::Fmtp => {
            // The usual format, digits up to the space, is read in one pass (`digits`
            // saturates, so a number too large for `u64` is out of range too).
            let (pt, any, after) = digits(value);
            if any && after.first() == Some(&b' ') {
                if rtp == Some(true) && pt > 127 {
                    return Err("a=fmtp payload type is not a number from 0 to 127");
                }
                return Ok(());
            }
            let (fmt, rest) = split_while(value, |b| b != b' ');
            if fmt.is_empty() || !rest.starts_with(b" ") {
                return Err("malformed a=fmtp");
            }
            if rtp == Some(true) && parse_u64(fmt).is_none_or(|n| n > 127) {
                return Err("a=fmtp payload type is not a number from 0 to 127");
            }
        }
        Attr::Ptime => {
            // Digits, then maybe `.` and digits (`digits` stops where `split_while` would).
            let (_, any, frac) = digits(value);
            let frac_ok = match frac.split_first() {
                None => true,
                Some((b'.', d)) => all_digits(d),
                Some(_) => false,
            };
            if !any || !frac_ok {
                return Err("a=ptime or a=maxptime is not a number");
            }
        }
        Attr::Other => {}
    }
    Ok(())
}

/// [`attribute`] for a session-level `a=` line.
// Out of line: the walk keeps more in registers with one inlined copy of `attribute`, the one
// of the media sections, which hold most attributes (measured under callgrind).
#[inline(never)]
fn session_attribute(v: &[u8]) -> Result<(), &'static str> {
    attribute(v, None)
}

/// [`attribute_name`] for the usual `a=` value, read in one sixteen-byte step: a name of
/// letters, digits and `-` (token characters) up to a `:` or the end of the line, within the
/// first sixteen bytes. `ahead` is the body from the start of `v` on, and holds the line end
/// after `v` (a CR or LF, neither of them a name byte, so the name found never runs past `v`).
/// Returns the attribute and its value, read as [`attribute_name`] reads them ([`Attr::Other`]
/// for a flag without a value); `None` for anything else, which takes the general path.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn attribute_fast<'a>(v: &'a [u8], ahead: &'a [u8]) -> Option<(Attr, &'a [u8])> {
    let block = ahead.first_chunk::<16>()?;
    let n = first_non_name(block);
    let value = match v.split_at_checked(n)? {
        (_, []) if n > 0 => return Some((Attr::Other, b"")),
        (_, [b':', value @ ..]) if n > 0 => value,
        _ => return None,
    };
    // The names whose values are checked, with their colon (which ends the name, so that the
    // name is exactly the one compared), in the first word of the block.
    let first = u64::from_le_bytes(*block.first_chunk::<8>()?);
    let attr = match first.to_le_bytes()[0] {
        b'r' if first & 0x00ff_ffff_ffff_ffff == RTPMAP => Attr::Rtpmap,
        b'f' if first & 0x0000_00ff_ffff_ffff == FMTP => Attr::Fmtp,
        b'p' if first & 0x0000_ffff_ffff_ffff == PTIME => Attr::Ptime,
        b'm' if first == MAXPTIME && n == 8 => Attr::Ptime,
        _ => Attr::Other,
    };
    Some((attr, value))
}

/// The first words of the usual attribute lines whose values are checked, little-endian.
const A_RTPMAP: u64 = u64::from_le_bytes(*b"a=rtpmap");
const A_PTIME: u64 = u64::from_le_bytes(*b"a=ptime:");
const A_MAXPTI: u64 = u64::from_le_bytes(*b"a=maxpti");
const A_FMTP: u64 = u64::from_le_bytes(*b"a=fmtp:\0");

/// The names [`attribute_fast`] tells apart and their colon, as little-endian words.
const RTPMAP: u64 = u64::from_le_bytes(*b"rtpmap:\0");
const FMTP: u64 = u64::from_le_bytes(*b"fmtp:\0\0\0");
const PTIME: u64 = u64::from_le_bytes(*b"ptime:\0\0");
const MAXPTIME: u64 = u64::from_le_bytes(*b"maxptime");

/// The attribute an `a=` value names, and its value (`None`: a flag without one), for any name.
// Out of line: the usual names do not take it, and the walk keeps more in registers (measured
// under callgrind).
#[inline(never)]
fn attribute_name(v: &[u8]) -> Result<Option<(Attr, &[u8])>, &'static str> {
    let (name, rest) = split_while(v, is_token);
    if name.is_empty() {
        return Err("malformed a= line");
    }
    let value = match rest.split_first() {
        None => return Ok(None),
        Some((b':', value)) => value,
        Some(_) => return Err("malformed a= line"),
    };
    let attr = match name {
        b"rtpmap" => Attr::Rtpmap,
        b"fmtp" => Attr::Fmtp,
        b"ptime" | b"maxptime" => Attr::Ptime,
        _ => Attr::Other,
    };
    Ok(Some((attr, value)))
}

/// ASCII case-insensitive equality.
#[allow(clippy::inline_always)] // measured: fewer instructions per a=rtpmap under callgrind
#[inline(always)]
fn eq_ascii(a: &[u8], b: &[u8]) -> bool {
    // Encoding names that differ mostly differ in the last byte (PCMU, PCMA): look there first.
    let last = |s: &[u8]| s.last().map(u8::to_ascii_lowercase);
    a.len() == b.len() && last(a) == last(b) && a.eq_ignore_ascii_case(b)
}

/// Whether an `a=rtpmap` encoding and rate are the required codec.
#[allow(clippy::inline_always)] // measured: fewer instructions per a=rtpmap under callgrind
#[inline(always)]
fn is_codec(wants: &Wants, enc: &[u8], rate: Option<u32>) -> bool {
    wants.codec.is_some_and(|c| {
        enc.len() == c.name().len()
            && rate == Some(c.clock_rate())
            && eq_ascii(enc, c.name().as_bytes())
    })
}

/// Whether an `a=rtpmap` encoding is telephone-event (RFC 4733).
#[allow(clippy::inline_always)] // measured: fewer instructions per a=rtpmap under callgrind
#[inline(always)]
fn is_telephone_event(enc: &[u8]) -> bool {
    enc.len() == 15 && (enc == b"telephone-event" || eq_lower(enc, b"telephone-event"))
}

/// Closes a media section: checks it and maybe picks it.
#[inline(never)] // measured: fewer instructions per check under callgrind
fn finish<'a>(
    s: &Section<'a>,
    body: &'a [u8],
    end: usize,
    session_c: Option<&'a [u8]>,
    wants: &Wants,
    picked: &mut Option<AudioStream<'a>>,
) -> Result<(), Rejection<'a>> {
    let section = body.get(s.start..end).unwrap_or_default();
    let Some(address) = s.connection.or(session_c) else {
        return Err(reject(
            Rule::Sdp,
            "media section without c= (and no session c=)",
            section,
        ));
    };
    if s.rtp && s.unmapped != 0 {
        return Err(reject(
            Rule::Sdp,
            "dynamic payload type without a=rtpmap",
            section,
        ));
    }
    if !s.audio || s.port == 0 {
        return Ok(());
    }
    // `connection` accepted it as an IPv4 or IPv6 address, which is ASCII (proptested
    // below).
    // The first stream is kept: with a required codec, the first offering it (`codec` counts
    // the static payload type too, see `media_listing`).
    if picked.is_none() && (wants.codec.is_none() || s.codec) {
        *picked = Some(AudioStream {
            address,
            port: s.port,
            formats: s.formats,
            section,
            telephone_event: s.telephone_event,
        });
    }
    Ok(())
}

impl Codecs<'_> {
    /// An iterator that yields nothing.
    pub(crate) const fn empty() -> Self {
        Self {
            formats: b"",
            section: b"",
        }
    }
}

/// An SDP offer checker written for clarity from RFC 8866 (4566) section 5 and the rules this
/// crate documents, independent of the walker above: it splits the body into lines with the
/// standard library, keeps each media section as a list of its lines, and decides at the end.
/// The tests compare its verdict (the status, and the chosen stream) with the walker's.
#[cfg(test)]
pub(crate) mod oracle {
    extern crate std;
    use std::net::{Ipv4Addr, Ipv6Addr};
    use std::vec::Vec;

    use super::Wants;
    use crate::policy::Limits;

    /// The verdict: the status of a rejection, or the chosen stream's address, port, format
    /// list and whether it offers telephone-event.
    pub(crate) type Verdict<'a> = Result<Option<(&'a [u8], u16, &'a [u8], bool)>, u16>;

    fn text(b: &[u8]) -> Option<&str> {
        std::str::from_utf8(b).ok()
    }

    fn is_token(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b)
    }

    fn number(s: &[u8]) -> Option<u64> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        text(s)?.parse::<u64>().ok().or(Some(u64::MAX))
    }

    /// `c=`: `IN IP4|IP6 address[/...]`, the address an IP literal of its type or a host name.
    fn connection(v: &[u8]) -> Option<&[u8]> {
        let parts: Vec<&[u8]> = v.split(|&b| b == b' ').collect();
        let [b"IN", ty, addr] = parts.as_slice() else {
            return None;
        };
        let addr = addr.split(|&b| b == b'/').next()?;
        let t = text(addr)?;
        let name = crate::host::tests::oracle_hostport(t) && !t.contains(':');
        let ok = match *ty {
            b"IP4" => t.parse::<Ipv4Addr>().is_ok() || name,
            b"IP6" => t.parse::<Ipv6Addr>().is_ok() || name,
            _ => false,
        };
        ok.then_some(addr)
    }

    /// `pt SP name [/ rate [/ params]]`.
    fn rtpmap(v: &[u8]) -> Option<(u64, &[u8], Option<u64>)> {
        let sp = v.iter().position(|&b| b == b' ')?;
        let pt = number(&v[..sp]).filter(|&n| n <= 127)?;
        let mut parts = v[sp + 1..].splitn(3, |&b| b == b'/');
        let name = parts.next()?;
        if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
            return None;
        }
        let rate = match parts.next() {
            None => None,
            Some(r) => Some(number(r).filter(|&n| u32::try_from(n).is_ok())?),
        };
        if let Some(p) = parts.next()
            && (p.is_empty() || !p.iter().all(|&b| is_token(b)))
        {
            return None;
        }
        Some((pt, name, rate))
    }

    /// Checks an `a=` value; `rtp`: inside an RTP media section.
    fn attribute(v: &[u8], rtp: bool) -> bool {
        let (name, value) = match v.iter().position(|&b| b == b':') {
            Some(i) => (&v[..i], Some(&v[i + 1..])),
            None => (v, None),
        };
        if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
            return false;
        }
        let Some(value) = value else { return true };
        match name {
            b"rtpmap" => rtpmap(value).is_some(),
            b"fmtp" => match value.iter().position(|&b| b == b' ') {
                Some(i) if i > 0 => !rtp || number(&value[..i]).is_some_and(|n| n <= 127),
                _ => false,
            },
            b"ptime" | b"maxptime" => {
                let mut p = value.splitn(2, |&b| b == b'.');
                let int = p.next().unwrap_or_default();
                !int.is_empty()
                    && int.iter().all(u8::is_ascii_digit)
                    && p.next()
                        .is_none_or(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit))
            }
            _ => true,
        }
    }

    /// A media section: its `m=` fields and its lines.
    pub(crate) struct Media<'a> {
        pub(crate) audio: bool,
        pub(crate) port: u16,
        pub(crate) rtp: bool,
        pub(crate) formats: &'a [u8],
        pub(crate) pts: Vec<u64>,
        connection: Option<&'a [u8]>,
        rtpmaps: Vec<(u64, &'a [u8], Option<u64>)>,
    }

    pub(crate) fn media(v: &[u8]) -> Option<Media<'_>> {
        let mut it = v.splitn(4, |&b| b == b' ');
        let (kind, port, proto, rest) = (it.next()?, it.next()?, it.next()?, it.next()?);
        if kind.is_empty() || !kind.iter().all(|&b| is_token(b)) {
            return None;
        }
        let mut pc = port.splitn(2, |&b| b == b'/');
        let port = u16::try_from(number(pc.next()?)?).ok()?;
        if let Some(count) = pc.next()
            && (count.is_empty() || !count.iter().all(u8::is_ascii_digit))
        {
            return None;
        }
        if proto.is_empty() || !proto.iter().all(|&b| is_token(b) || b == b'/') {
            return None;
        }
        let rtp = proto.windows(4).any(|w| w == b"RTP/");
        // The formats, as the walker keeps them: from the space before the first.
        let formats = &v[v.len() - rest.len() - 1..];
        let mut pts = Vec::new();
        for f in rest.split(|&b| b == b' ') {
            if f.is_empty() {
                return None;
            }
            if rtp {
                pts.push(number(f).filter(|&n| n <= 127)?);
            } else if !f.iter().all(|&b| is_token(b) || b == b'/') {
                return None;
            }
        }
        Some(Media {
            audio: kind == b"audio",
            port,
            rtp,
            formats,
            pts,
            connection: None,
            rtpmaps: Vec::new(),
        })
    }

    /// A section's own faults, checked when it ends: no connection address, or a dynamic
    /// payload type without `a=rtpmap`.
    fn close(m: &Media<'_>, session_c: Option<&[u8]>) -> Result<(), u16> {
        let mapped = |pt: u64| m.rtpmaps.iter().any(|r| r.0 == pt);
        if m.connection.or(session_c).is_none()
            || (m.rtp && m.pts.iter().any(|&pt| pt >= 96 && !mapped(pt)))
        {
            return Err(400);
        }
        Ok(())
    }

    /// Checks `body` against `wants` and `limits`.
    #[allow(clippy::too_many_lines)]
    pub(crate) fn check<'a>(body: &'a [u8], wants: &Wants, limits: &Limits) -> Verdict<'a> {
        // Lines, each ended by LF (a CR before it dropped); a last one without is a fault. The
        // first line that breaks the framing (past the limit, after an empty line, not
        // `x=...`, unterminated) ends the reading: what comes before it is judged first.
        let mut raw: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
        let unterminated = raw.pop().is_some_and(|last| !last.is_empty());
        let mut lines = Vec::new();
        let mut blank = false;
        let mut framing: Option<(u16, bool)> = None;
        for l in &raw {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            if l.is_empty() {
                blank = true;
                continue;
            }
            let m_line = l.first() == Some(&b'm');
            if blank {
                framing = Some((400, m_line));
            } else if lines.len() == limits.max_sdp_lines {
                framing = Some((513, m_line));
            } else if l.len() < 2 || l[1] != b'=' {
                framing = Some((400, m_line));
            }
            if framing.is_some() {
                break;
            }
            lines.push((l[0], &l[2..]));
        }
        if framing.is_none() && unterminated {
            framing = Some((400, false));
        }
        // v=0, o= with six fields (numeric id and version), s=, in this order.
        let origin_ok = |v: &[u8]| {
            let f: Vec<&[u8]> = v.split(|&b| b == b' ').collect();
            f.len() == 6
                && f.iter().all(|x| !x.is_empty())
                && f[1..3].iter().all(|x| x.iter().all(u8::is_ascii_digit))
        };
        for (i, want) in [b'v', b'o', b's'].into_iter().enumerate() {
            let Some(&(kind, value)) = lines.get(i) else {
                return Err(framing.map_or(400, |f| f.0));
            };
            let ok = kind == want
                && match kind {
                    b'v' => value == b"0",
                    b'o' => origin_ok(value),
                    _ => true,
                };
            if !ok {
                return Err(400);
            }
        }
        let mut session_c = None;
        let mut seen_t = false;
        let mut sections: Vec<Media<'a>> = Vec::new();
        for &(kind, value) in &lines[3..] {
            match (sections.last_mut(), kind) {
                (last, b'm') => {
                    if let Some(m) = last {
                        close(m, session_c)?;
                    }
                    if !seen_t {
                        return Err(400);
                    }
                    sections.push(media(value).ok_or(400u16)?);
                }
                (None, b'i' | b'u' | b'e' | b'p' | b'b' | b'r' | b'z' | b'k')
                | (Some(_), b'i' | b'b' | b'k') => {}
                (None, b'c') => session_c = Some(connection(value).ok_or(400u16)?),
                (Some(m), b'c') => m.connection = Some(connection(value).ok_or(400u16)?),
                (None, b't') => {
                    let f: Vec<&[u8]> = value.split(|&b| b == b' ').collect();
                    if f.len() != 2 || f.iter().any(|x| number(x).is_none()) {
                        return Err(400);
                    }
                    seen_t = true;
                }
                (None, b'a') => {
                    if !attribute(value, false) {
                        return Err(400);
                    }
                }
                (Some(m), b'a') => {
                    if !attribute(value, m.rtp) {
                        return Err(400);
                    }
                    if let Some(map) = value.strip_prefix(b"rtpmap:") {
                        m.rtpmaps.push(rtpmap(map).ok_or(400u16)?);
                    }
                }
                _ => return Err(400),
            }
        }
        if let Some((status, m_line)) = framing {
            // A section ends where an `m` line starts, before that line is read.
            if m_line && let Some(m) = sections.last() {
                close(m, session_c)?;
            }
            return Err(status);
        }
        if !seen_t {
            return Err(400);
        }
        if let Some(m) = sections.last() {
            close(m, session_c)?;
        }
        let mut chosen = None;
        for m in &sections {
            let Some(address) = m.connection.or(session_c) else {
                return Err(400);
            };
            if !m.audio || m.port == 0 || chosen.is_some() {
                continue;
            }
            let listed_maps = || m.rtpmaps.iter().filter(|r| m.pts.contains(&r.0));
            let offers_codec = wants.codec.is_none_or(|c| {
                c.static_payload_type()
                    .is_some_and(|pt| m.pts.contains(&u64::from(pt)))
                    || listed_maps().any(|r| {
                        r.1.eq_ignore_ascii_case(c.name().as_bytes())
                            && r.2 == Some(u64::from(c.clock_rate()))
                    })
            });
            let te = listed_maps().any(|r| r.1.eq_ignore_ascii_case(b"telephone-event"));
            if offers_codec {
                chosen = Some((address, m.port, m.formats, te));
            }
        }
        match chosen {
            None if wants.codec.is_some() => Err(488),
            Some((.., false)) if wants.telephone_event => Err(488),
            c => Ok(c),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::{dotted_quad, origin};
    use std::net::Ipv4Addr;

    /// The fast IPv4 check never accepts what the standard parser refuses.
    #[test]
    fn dotted_quad_is_a_subset_of_ipv4addr() {
        let cases = [
            "18.214.109.140",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            ".1.2.3",
            "1.2.3.",
            "1.2.3.04",
            "10.0.0.1",
            "1.2.3.4/8",
            "1234.1.1.1",
            "",
            "a.b.c.d",
            "0.0.0.00",
        ];
        for c in cases {
            let std_ok = c.parse::<Ipv4Addr>().is_ok();
            if dotted_quad(c.as_bytes()) {
                assert!(std_ok, "{c}");
            }
            // For plain dotted quads the two agree exactly.
            if c.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                assert_eq!(dotted_quad(c.as_bytes()), std_ok, "{c}");
            }
        }
    }

    /// Every part of one to three digits (leading zeros, 255 and 256 among them), first and
    /// last: the fast IPv4 check agrees with the standard parser.
    #[test]
    fn dotted_quad_parts_agree_with_ipv4addr() {
        for len in 1..=3 {
            for n in 0..10u32.pow(len) {
                let part = std::format!("{n:0width$}", width = len as usize);
                for c in [std::format!("{part}.1.2.3"), std::format!("1.2.3.{part}")] {
                    assert_eq!(
                        dotted_quad(c.as_bytes()),
                        c.parse::<Ipv4Addr>().is_ok(),
                        "{c}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// On digits and dots the fast IPv4 check agrees with the standard parser exactly.
        #[test]
        fn dotted_quad_agrees_with_ipv4addr(s in "[0-9.]{0,17}|([0-9]{1,4}\\.){3}[0-9]{1,4}") {
            proptest::prop_assert_eq!(dotted_quad(s.as_bytes()), s.parse::<Ipv4Addr>().is_ok());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// Every address `connection` accepts is ASCII, whatever bytes follow the types.
        #[test]
        fn connection_addresses_are_ascii(
            ty in proptest::sample::select(&["IN IP4 ", "IN IP6 ", "IN IP4", "IN XX "][..]),
            addr in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(&b"0123456789abcdefABCDEF:./% "[..]),
                    proptest::prelude::any::<u8>(),
                ],
                0..24,
            ),
        ) {
            let mut v = std::vec::Vec::from(ty.as_bytes());
            v.extend_from_slice(&addr);
            if let Ok(a) = super::connection(&v) {
                proptest::prop_assert!(a.is_ascii());
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The usual-format walk agrees with the walk by `digits` it falls back to (values,
        /// refusals and their reasons), on lists near the usual ones: 127 and 128, leading
        /// zeros, long digit runs, doubled and trailing spaces, letters, a missing leading space.
        #[test]
        fn rtp_formats_agree_with_digits(v in format_lists()) {
            proptest::prop_assert_eq!(super::rtp_formats(&v), super::rtp_formats_general(&v));
        }
    }

    /// `o=` values near the usual shape: doubled, missing, leading and trailing spaces,
    /// letters in the numbers, `IN IP4` with and without an address after it.
    fn origins() -> impl proptest::strategy::Strategy<Value = std::vec::Vec<u8>> {
        use proptest::prelude::*;
        prop_oneof![
            prop::collection::vec(prop::sample::select(&b"  0123aIN4P.-"[..]), 0..40),
            (
                "[a-z-]{0,4}",
                "[0-9]{0,3}",
                "[0-9a ]{0,3}",
                prop::sample::select(
                    &[
                        "IN IP4", "IN  IP4", "IN", "IN IP4 ", "IN IP6", "X Y", "IN IP4 1"
                    ][..]
                ),
                "[0-9. ]{0,6}",
                prop::sample::select(&[" ", "  ", ""][..]),
            )
                .prop_map(|(u, a, b, t, h, sep)| {
                    std::format!("{u}{sep}{a} {b} {t} {h}").into_bytes()
                }),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The `o=` check (with its `IN IP4 ` word) agrees with a split into fields.
        #[test]
        fn origin_agrees_with_split(v in origins()) {
            let f: std::vec::Vec<&[u8]> = v.split(|&b| b == b' ').collect();
            let split = f.len() == 6
                && f.iter().all(|x| !x.is_empty())
                && f.iter().skip(1).take(2).all(|x| x.iter().all(u8::is_ascii_digit));
            proptest::prop_assert_eq!(origin(&v), split);
        }
    }

    /// `m=` format lists, raw or as spaced numbers near the edges of the usual form.
    fn format_lists() -> impl proptest::strategy::Strategy<Value = std::vec::Vec<u8>> {
        use proptest::prelude::*;
        let edge = prop::sample::select(
            &[
                "127",
                "128",
                "0127",
                "255",
                "99999999999999999999999",
                "",
                "1a",
                "/",
            ][..],
        )
        .prop_map(std::string::String::from);
        prop_oneof![
            prop::collection::vec(prop::sample::select(&b"  0123456789/a"[..]), 0..24),
            prop::collection::vec(prop_oneof!["[0-9]{1,3}", edge], 0..6).prop_map(|f| {
                let mut s = std::string::String::new();
                for x in f {
                    s.push(' ');
                    s.push_str(&x);
                }
                s.into_bytes()
            }),
        ]
    }

    #[test]
    fn rtp_formats_edges() {
        for v in [
            &b" 127"[..],
            b" 128",
            b" 0 8 9 101",
            b" 1279",
            b" 00000000127",
            b" 12a",
            b"",
            b" ",
            b"  1",
            b" 1 ",
            b"1",
        ] {
            assert_eq!(
                super::rtp_formats(v),
                super::rtp_formats_general(v),
                "{v:?}"
            );
        }
    }

    /// The payload type bits read from the table are the shifted bits, for every type.
    #[test]
    fn pt_bits_are_shifts() {
        for pt in 0..128u32 {
            assert_eq!(
                super::PT_BITS.get(pt as usize),
                Some(&(1u128 << pt)),
                "{pt}"
            );
        }
        assert_eq!(super::PT_BITS.get(128), None);
    }

    /// Lines of offers, with near misses of every form the walker reads.
    const SDP_LINES: &[&str] = &[
        "v=0",
        "v=1",
        "o=- 1 1 IN IP4 203.0.113.5",
        "o=- 1 1 IN IP6 ::1",
        "o=- x 1 IN IP4 1.2.3.4",
        "s=-",
        "s=",
        "c=IN IP4 10.0.0.1",
        "c=IN IP4 224.2.1.1/127",
        "c=IN IP6 ::1",
        "c=IN IP4 300.1.1.1",
        "c=IN IP6 x",
        "c=IN",
        "t=0 0",
        "t=1 2",
        "t=1",
        "t=x 0",
        "m=audio 4000 RTP/AVP 0 8 101",
        "m=audio 4000 RTP/AVP 8 9",
        "m=audio 0 RTP/AVP 0",
        "m=audio 5000 RTP/AVP 96 97",
        "m=audio 5000 RTP/SAVP 96 127",
        "m=audio 5000 RTP/AVP 95 18",
        "m=video 5000 RTP/AVP 96",
        "m=audio 1 udp x",
        "m=image 1 udptl t38",
        "m=audio 1 RTP/AVP 128",
        "m=audio x RTP/AVP 0",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:96 opus/48000/2",
        "a=rtpmap:97 opus/48000/2",
        "a=rtpmap:98 OPUS/48000",
        "m=audio 4002 RTP/AVP 97 98",
        "m=audio 4004 RTP/AVP 8 97 101",
        "a=rtpmap:97 PCMU/8000",
        "a=rtpmap:97 pcmu/8000",
        "a=rtpmap:96 PCMA/16000",
        "a=rtpmap:127 G722/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=rtpmap:96 TELEPHONE-EVENT/8000",
        "a=rtpmap:97 telephone-events/8000",
        "a=rtpmap:128 PCMU/8000",
        "a=rtpmap:x",
        "a=rtpmap:0 PCMU/8000/",
        "a=fmtp:101 0-16",
        "a=fmtp:128 0-16",
        "a=fmtp:101 ",
        "a=fmtp:99999999999999999999999 x",
        "a=fmtp:1x y",
        "a=fmtp:0",
        "a=fmtp:x y",
        "a=fmtp:101",
        "a=ptime:20",
        "a=maxptime:20.5",
        "a=ptime:x",
        "a=ptime:",
        "a=ptime:20.",
        "a=ptime:.5",
        "a=ptime:2x",
        "a=ptime:99999999999999999999999",
        "a=sendrecv",
        "a=recvonly",
        "a=sendonly",
        "a=inactive",
        "a=recvonlyx",
        "a=inactiv",
        "a=rtpmapx:0 PCMU/8000",
        "a=rtpmap",
        "a=fmtp",
        "a=ptimex:20",
        "a=maxptime:40",
        "a=maxptime",
        "a=sendrecvx",
        "a=foo",
        "a=foo:bar",
        "a=fo o",
        "a=candidate:1 1 UDP 2130706431 203.0.113.5 5000 typ host",
        "a=abcdefghijklmn:1",
        "a=abcdefghijklmno:1",
        "a=abcdefghijklmnop:1",
        "a=abcdefghijklmnop",
        "a=abcdefghijklmnopq:1",
        "a=x-Ms-Long-Name-99:v",
        "a=ice_pwd:x",
        "a=rtcp.fb:x",
        "a=0:1",
        "a=-:1",
        "a=:1",
        "a=Rtpmap:0 PCMU/8000",
        "a=FMTP:x y",
        "a=maxptimex:1",
        "a=ptimes:1",
        "a=rtpmap:127 telephone-event/8000/1",
        "a=rtpmap:120 x-Codec-1/90000",
        "a=rtpmap:129 PCMU/8000",
        "a=rtpmap:96 opus/123456/2",
        "a=rtpmap:96 opus/48000/2x",
        "a=rtpmap:96 opus/48000/",
        "a=rtpmap:96 opus/48000/x/y",
        "a=rtpmap:96 o.pus/48000",
        "a=rtpmap:96 /48000",
        "a=rtpmap:96 opus/",
        "a=rtpmap:96 opus",
        "a=rtpmap:96  opus/8000",
        "a=rtpmap:096 PCMU/8000",
        "a=rtpmap:0096 PCMU/8000",
        "a=rtpmap:96 a-very-long-codec-name/8000",
        "a=",
        "i=info",
        "b=AS:64",
        "k=x",
        "u=x",
        "e=x",
        "p=x",
        "r=x",
        "z=x",
        "x=1",
        "mx",
        "m",
        "m=",
        "=",
        "",
    ];

    /// Offers: mostly the usual order, with lines from the list above inserted, dropped or
    /// replaced, any line end, sometimes a missing last line end.
    fn offers() -> impl proptest::strategy::Strategy<Value = std::vec::Vec<u8>> {
        use proptest::prelude::*;
        let line = prop_oneof![
            6 => proptest::sample::select(SDP_LINES),
            1 => Just("a=rtpmap:101 telephone-event/8000"),
        ];
        let ending = proptest::sample::select(&["\r\n", "\r\n", "\r\n", "\n", "\r", ""][..]);
        let media = proptest::sample::select(
            &[
                "m=audio 4000 RTP/AVP 0 8 96 101",
                "m=audio 4000 RTP/AVP 8 9",
                "m=audio 4002 RTP/AVP 97 98",
                "m=audio 5000 RTP/SAVP 96 127",
                "m=audio 4004 RTP/AVP 8 97 101",
            ][..],
        );
        let attribute = proptest::sample::select(
            &[
                "a=rtpmap:96 opus/48000/2",
                "a=rtpmap:97 PCMU/8000",
                "a=rtpmap:98 OPUS/48000",
                "a=rtpmap:127 G722/8000",
                "a=rtpmap:101 telephone-event/8000",
                "a=rtpmap:97 telephone-event/8000",
            ][..],
        );
        (
            media,
            proptest::collection::vec(attribute, 0..4),
            proptest::collection::vec((line, ending.clone(), 0usize..12, 0u8..3), 0..8),
            ending,
        )
            .prop_map(|(media, attributes, edits, last)| {
                let usual = [
                    "v=0",
                    "o=- 1 1 IN IP4 203.0.113.5",
                    "s=-",
                    "c=IN IP4 203.0.113.5",
                    "t=0 0",
                    media,
                ];
                let mut lines: std::vec::Vec<(&str, &str)> = usual
                    .iter()
                    .chain(&attributes)
                    .map(|l| (*l, "\r\n"))
                    .collect();
                for (l, end, at, op) in edits {
                    let at = at.min(lines.len());
                    match op {
                        0 => lines.insert(at, (l, end)),
                        1 if at < lines.len() => {
                            lines.remove(at);
                        }
                        _ => lines.push((l, "\r\n")),
                    }
                }
                let mut body = std::vec::Vec::new();
                let count = lines.len();
                for (i, (l, end)) in lines.into_iter().enumerate() {
                    body.extend_from_slice(l.as_bytes());
                    body.extend_from_slice(if i + 1 == count { last } else { end }.as_bytes());
                }
                body
            })
    }

    /// Attribute values near the edges of the one-step name reader: names of letters, digits,
    /// `-` and other token characters around sixteen bytes, then `:`, the end or another byte.
    fn attribute_values() -> impl proptest::strategy::Strategy<Value = std::vec::Vec<u8>> {
        use proptest::prelude::*;
        let byte = prop_oneof![
            8 => proptest::sample::select(&b"az-AZ09pm"[..]),
            2 => proptest::sample::select(&b":: ._!~/=\r\n"[..]),
            1 => any::<u8>(),
        ];
        proptest::collection::vec(byte, 0..24)
    }

    /// Mapping values near the edges of [`super::rtpmap_fast`]: payload types of one to four
    /// digits, names with and without token characters, rates of any length, parameters.
    fn rtpmap_values() -> impl proptest::strategy::Strategy<Value = std::string::String> {
        "[0-9]{1,4} ?[a-zA-Z0-9._-]{0,18}(/[0-9]{0,7}(/[a-z0-9/]{0,3})?)?[ x]?"
    }

    /// The one-step readers take the usual values (the proptests compare what they take).
    #[test]
    fn one_step_readers_take_the_usual_values() {
        let body = b"111 opus/48000/2\r\na=sendrecv\r\n";
        assert_eq!(
            super::rtpmap_fast(&body[..16], body),
            Some((111, &b"opus"[..], 48000))
        );
        let body = b"candidate:1 1 UDP 2130706431 203.0.113.5 5000 typ host\r\n";
        let (attr, value) = super::attribute_fast(&body[..body.len() - 2], body).unwrap();
        assert!(attr == super::Attr::Other && value.starts_with(b"1 1 UDP"));
        let body = b"sendrecv\r\nm=audio 0 RTP/AVP 0\r\n";
        let (attr, value) = super::attribute_fast(&body[..8], body).unwrap();
        assert!(attr == super::Attr::Other && value.is_empty());
    }

    #[test]
    fn first_non_name_every_byte_everywhere() {
        for at in 0..16 {
            for b in 0..=255u8 {
                let mut block = [b'a'; 16];
                block[at] = b;
                let plain = b.is_ascii_alphanumeric() || b == b'-';
                let want = if plain { 16 } else { at };
                assert_eq!(super::first_non_name(&block), want, "{b:#x} at {at}");
                assert_eq!(super::first_non_name_call(&block), want, "{b:#x} at {at}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(10000))]

        /// The one-step name reader agrees with `attribute_name` wherever it answers, with the
        /// line end (or any bytes) after the value in the body.
        #[test]
        fn attribute_fast_agrees_with_attribute_name(
            v in attribute_values(),
            end in proptest::sample::select(&["\r\n", "\n", "\r\nv=0\r\na=x:y\r\n"][..]),
        ) {
            let mut body = v.clone();
            body.extend_from_slice(end.as_bytes());
            if let Some((attr, value)) = super::attribute_fast(&body[..v.len()], &body) {
                let general = super::attribute_name(&v);
                match general {
                    Ok(Some((a, val))) => {
                        proptest::prop_assert!(a == attr, "{:?}", v);
                        proptest::prop_assert_eq!(val, value);
                    }
                    Ok(None) => {
                        proptest::prop_assert!(attr == super::Attr::Other && value.is_empty(), "{:?}", v);
                    }
                    Err(_) => proptest::prop_assert!(false, "fast path took {:?}", v),
                }
            }
        }

        /// The one-step mapping reader agrees with `rtpmap_general` wherever it answers.
        #[test]
        fn rtpmap_fast_agrees_with_general(v in rtpmap_values(), end in proptest::sample::select(&["\r\n", "\n", "\r\na=x\r\nm=audio 0 RTP/AVP 0\r\n"][..])) {
            let body = std::format!("{v}{end}");
            if let Some((pt, name, rate)) = super::rtpmap_fast(v.as_bytes(), body.as_bytes()) {
                proptest::prop_assert_eq!(super::rtpmap_general(v.as_bytes()), Ok((pt, name, Some(rate))), "{}", v);
            }
        }

        /// The walker gives the verdict of the independent oracle on every offer and policy.
        #[test]
        fn check_agrees_with_oracle(
            body in offers(),
            codec in 0usize..6,
            telephone_event in proptest::bool::ANY,
            max in proptest::sample::select(&[0usize, 1, 2, 3, 4, 6, 9, 256][..]),
        ) {
            use crate::policy::{Codec, Limits};
            let codec = [
                None,
                Some(Codec::PCMU),
                Some(Codec::PCMA),
                Some(Codec::G722),
                Some(Codec::new("opus", 48000, None)),
                Some(Codec::new("PCMU", 8000, None)),
            ][codec];
            let wants = super::Wants { codec, telephone_event };
            let limits = Limits { max_sdp_lines: max, ..Limits::DEFAULT };
            let got = super::check(&body, &wants, &limits)
                .map(|a| a.map(|a| (a.address, a.port, a.formats, a.telephone_event)))
                .map_err(|e| e.status());
            proptest::prop_assert_eq!(
                got,
                super::oracle::check(&body, &wants, &limits),
                "{:?}",
                std::string::String::from_utf8_lossy(&body)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The usual rtpmap values, matched on their length and first byte, read as the general
        /// path reads them, near misses included.
        #[test]
        fn usual_rtpmaps_agree_with_general(
            pt in proptest::sample::select(&["0", "8", "9", "101", "00", "1", "18", "10", ""][..]),
            space in proptest::sample::select(&[" ", "  ", ""][..]),
            name in proptest::sample::select(&["PCMU", "PCMA", "G722", "telephone-event", "pcmu", "G72", "telephone-even"][..]),
            rate in proptest::sample::select(&["/8000", "/800", "/80000", "/8000/1", "", "/"][..]),
        ) {
            let v = std::format!("{pt}{space}{name}{rate}");
            proptest::prop_assert_eq!(super::rtpmap(v.as_bytes()), super::rtpmap_general(v.as_bytes()));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// `m=` values read with the usual media type, port and protocol fast paths give the
        /// section the oracle reads, or are refused where it refuses, near misses included.
        #[test]
        fn media_agrees_with_oracle(
            kind in proptest::sample::select(&["audio", "audiox", "audi", "video", "videox", "vide", "", "a/b"][..]),
            sp1 in proptest::sample::select(&[" ", "  ", ""][..]),
            port in proptest::sample::select(&["0", "20000", "65535", "65536", "99999999999999999999999", "", "x", "1/2", "1/", "007"][..]),
            sp2 in proptest::sample::select(&[" ", "  ", ""][..]),
            proto in proptest::sample::select(&["RTP/AVP", "RTP/AVPF", "RTP/AV", "RTP/SAVP", "RTP/SAVPF", "RTP/SAVPFX", "RTP/SAVPX", "UDP/TLS/RTP/SAVPF", "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF/x", "udp", "TCP/RTP/AVP", "", "RTP/AVP/x"][..]),
            formats in proptest::sample::select(&[" 0 8 9 101", " 0", "", " ", " 0  8", " 128", " t38", " 96 127"][..]),
        ) {
            let v = std::format!("{kind}{sp1}{port}{sp2}{proto}{formats}");
            let got = super::media(v.as_bytes(), 3)
                .ok()
                .map(|s| (s.audio, s.rtp, s.port, s.formats, s.fmt_mask));
            let expected = super::oracle::media(v.as_bytes()).map(|m| {
                let mask = m.pts.iter().fold(0u128, |mask, &pt| mask | 1 << pt);
                (m.audio, m.rtp, m.port, m.formats, mask)
            });
            proptest::prop_assert_eq!(got, expected, "{}", v);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The word-at-a-time line end search agrees with the byte search.
        #[test]
        fn line_end_agrees_with_position(
            s in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(&[b'\n', b'\r', 0x0b, 0x09, 0x8a, 0x00, 0x01, 0xff][..]),
                    proptest::prelude::any::<u8>(),
                ],
                0..70,
            )
        ) {
            proptest::prop_assert_eq!(super::line_end(&s), s.iter().position(|&b| b == b'\n'));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The one-word port reading agrees with the digit loop, near misses included (runs of
        /// five and six digits, leading zeros, bytes next to the digits, short values).
        #[test]
        fn port_digits_agree_with_digits(
            s in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(&b"0123456789"[..]),
                    1 => proptest::sample::select(&[b' ', b'/', b'/' - 1, b':', 0x80, 0xb0, 0xb9, 0x00][..]),
                    1 => proptest::prelude::any::<u8>(),
                ],
                0..14,
            )
        ) {
            proptest::prop_assert_eq!(super::port_digits(&s), super::digits(&s));
        }
    }

    /// A port that starts with any non-digit byte, followed by anything: the one-word reading
    /// agrees with the digit loop (and its sums, unused there, wrap instead of overflowing in a
    /// build with overflow checks).
    #[test]
    fn port_digits_without_a_digit() {
        for b in (0..=255u8).filter(|b| !b.is_ascii_digit()) {
            for fill in [0u8, b'0', b'9', 0xff, b' '] {
                let mut s = [fill; 9];
                s[0] = b;
                assert_eq!(
                    super::port_digits(&s),
                    super::digits(&s),
                    "{b:#x} {fill:#x}"
                );
            }
        }
    }

    /// A line's start read from its address is where it starts in the body.
    #[test]
    fn offset_is_the_start_of_the_line() {
        let body = b"v=0\r\nm=audio 1 RTP/AVP 0\r\n\r\n";
        for start in 0..=body.len() {
            for end in start..=body.len() {
                assert_eq!(super::offset(body, &body[start..end]), start);
            }
        }
    }

    /// `m=` format lists read in one pass keep the reasons of the token-then-number reading.
    #[test]
    fn media_formats() {
        let ok = super::media(b"audio 20000 RTP/AVP 0 8 9 101", 0)
            .ok()
            .unwrap();
        assert_eq!(ok.fmt_mask, (1 << 0) | (1 << 8) | (1 << 9) | (1 << 101));
        let cases: [(&[u8], &str); 6] = [
            (b"audio 1 RTP/AVP 0  8", "empty m= format"),
            (b"audio 1 RTP/AVP 0 ", "empty m= format"),
            (
                b"audio 1 RTP/AVP 0x",
                "m= RTP payload type is not a number from 0 to 127",
            ),
            (
                b"audio 1 RTP/AVP 128",
                "m= RTP payload type is not a number from 0 to 127",
            ),
            (
                b"audio 1 RTP/AVP 99999999999999999999999",
                "m= RTP payload type is not a number from 0 to 127",
            ),
            (
                b"audio 1 RTP/AVP -1",
                "m= RTP payload type is not a number from 0 to 127",
            ),
        ];
        for (v, why) in cases {
            assert_eq!(super::media(v, 0).err(), Some(why), "{v:?}");
        }
        assert_eq!(
            super::media(b"video 1 udp x/y z", 0).ok().unwrap().fmt_mask,
            0
        );
        // Near misses of the usual media type and protocol take the token scans.
        let s = super::media(b"audiox 1 RTP/AVP 0", 0).ok().unwrap();
        assert!(!s.audio && s.rtp);
        let s = super::media(b"audio 1 RTP/AVPF 0", 0).ok().unwrap();
        assert!(s.audio && s.rtp && s.fmt_mask == 1);
        let s = super::media(b"audio 65535 RTP/AVP/x 9", 0).ok().unwrap();
        assert!(s.audio && s.rtp && s.port == 65535);
        for bad in [
            &b"audio 65536 RTP/AVP 0"[..],
            b"audio x RTP/AVP 0",
            b"audio  1 RTP/AVP 0",
        ] {
            assert_eq!(
                super::media(bad, 0).err(),
                Some("m= port is not a number from 0 to 65535"),
                "{bad:?}"
            );
        }
    }

    /// The usual rtpmap values read as the general path reads them; near misses are left to it.
    #[test]
    fn usual_rtpmaps() {
        use super::{rtpmap, rtpmap_general};
        for v in [
            &b"0 PCMU/8000"[..],
            b"8 PCMA/8000",
            b"9 G722/8000",
            b"101 telephone-event/8000",
            b"0 PCMU/8001",
            b"0 PCMU/800",
            b"0 pcmu/8000",
            b"00 PCMU/8000",
            b"101 telephone-event/8000/1",
            b"101 telephone-event/16000",
            b"128 PCMU/8000",
            b"0 PCMU",
            b"0  PCMU/8000",
        ] {
            assert_eq!(rtpmap(v), rtpmap_general(v), "{v:?}");
        }
        assert_eq!(rtpmap(b"0 PCMU/8000"), Ok((0, &b"PCMU"[..], Some(8000))));
        assert_eq!(
            rtpmap(b"101 telephone-event/8000"),
            Ok((101, &b"telephone-event"[..], Some(8000)))
        );
    }

    /// The `IN IP4` fast path and the full split agree.
    #[test]
    fn connection_values() {
        assert_eq!(
            super::connection(b"IN IP4 18.214.109.140"),
            Ok(&b"18.214.109.140"[..])
        );
        assert_eq!(
            super::connection(b"IN IP4 224.2.1.1/127"),
            Ok(&b"224.2.1.1"[..])
        );
        assert_eq!(super::connection(b"IN IP6 ::1"), Ok(&b"::1"[..]));
        assert!(super::connection(b"IN IP4 1.2.3.4 x").is_err());
        assert!(super::connection(b"IN IP4 256.1.1.1").is_err());
        assert!(super::connection(b"IN IP4  1.2.3.4").is_err());
    }

    /// `o=`: six single-space separated non-empty fields, numeric id and version.
    #[test]
    fn origin_fields() {
        assert!(origin(b"- 1 1 IN IP4 203.0.113.5"));
        assert!(origin(b"- 1 1 IN IP6 ::1"));
        assert!(origin(b"user 0 0 XX YY host"));
        assert!(origin(
            b"PlivoSBC 1718123456 1718123457 IN IP4 18.214.109.129"
        ));
        for bad in [
            &b"- 1 1 IN IP4"[..],
            b"- 1 1 IN IP4 1.2.3.4 x",
            b"- 1 1 IN IP4 1.2.3.4 ",
            b"- 1 1 IN  IP4 1.2.3.4",
            b"- 1 1 IN IP4  1.2.3.4",
            b"- 1 1  IN IP4 1.2.3.4",
            b"- 1 1 IN IP4 ",
            b"- 1 1 IN",
            b"- 1  1 IN IP4 1.2.3.4",
            b"- 1x 1 IN IP4 1.2.3.4",
            b"- 1 1x IN IP4 1.2.3.4",
            b"- 1",
            b"-",
            b"- x 1 IN IP4 1.2.3.4",
            b"- 1 x IN IP4 1.2.3.4",
            b"-  1 1 IN IP4 1.2.3.4",
            b" - 1 1 IN IP4 1.2.3.4",
            b"",
        ] {
            assert!(!origin(bad), "{bad:?}");
        }
    }
}
