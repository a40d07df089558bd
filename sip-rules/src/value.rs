//! Parsers for the header values the rules read. Each works on a borrowed, possibly folded
//! value and returns sub-slices of it.

use crate::class::{
    all_digits, digit_run, eq_lower, find, find_pairs, find_pairs_or_high, find2, is_hostish,
    is_lws, is_token, is_uri, is_word, parse_u64, plain_run, split_run, split_while, trim_start,
    uri_run_pairs, word,
};
use crate::host::{sent_by_usual, uri_hostport, usual_hostport};
use crate::policy::Plus;

/// [`trim_start`] with its usual case, a value not starting with white space, decided by one
/// comparison in place (every white space byte is at most `' '`).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn skip_lws(s: &[u8]) -> &[u8] {
    match s.first() {
        Some(&b) if b <= b' ' => trim_lws(s),
        _ => s,
    }
}

/// [`skip_lws`] for where one space is usual (between a display name and `<`): one space
/// followed by a byte above `' '` (not white space) is all `trim_start` would drop.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn skip_space(s: &[u8]) -> &[u8] {
    match s {
        [b' ', next, rest @ ..] if *next > b' ' => s.get(1..).unwrap_or(rest),
        _ => skip_lws(s),
    }
}

/// [`trim_start`] out of line, for the values that do start with white space.
#[cold]
#[inline(never)]
fn trim_lws(s: &[u8]) -> &[u8] {
    trim_start(s)
}

/// A failure inside a header value: a fixed reason.
pub(crate) type Fail = &'static str;

/// Splits a non-empty token off `s`.
#[inline]
fn token(s: &[u8]) -> Result<(&[u8], &[u8]), Fail> {
    let (t, rest) = split_while(s, is_token);
    if t.is_empty() {
        Err("token expected")
    } else {
        Ok((t, rest))
    }
}

/// Expects byte `c` after optional white space; returns what follows it, white space skipped.
#[inline]
fn expect(s: &[u8], c: u8, why: Fail) -> Result<&[u8], Fail> {
    match skip_lws(s).split_first() {
        Some((&b, rest)) if b == c => Ok(skip_lws(rest)),
        _ => Err(why),
    }
}

/// Skips a quoted string starting at `s[0] == '"'`; returns what follows the closing quote.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn quoted(s: &[u8]) -> Result<&[u8], Fail> {
    // Without a backslash before it, the first quote closes the string: one word search.
    let inner = s.get(1..).unwrap_or_default();
    if let Some(at) = find2(inner, b'"', b'\\')
        && inner.get(at) == Some(&b'"')
    {
        return Ok(inner.get(at + 1..).unwrap_or_default());
    }
    quoted_escapes(s)
}

/// [`quoted`] for strings with escapes.
#[inline(never)]
fn quoted_escapes(s: &[u8]) -> Result<&[u8], Fail> {
    let mut it = s.get(1..).unwrap_or_default().iter().enumerate();
    while let Some((i, &b)) = it.next() {
        match b {
            b'"' => return Ok(s.get(i + 2..).unwrap_or_default()),
            b'\\' => match it.next() {
                Some((_, b'\r' | b'\n')) | None => break,
                Some(_) => {}
            },
            _ => {}
        }
    }
    Err("unterminated quoted string")
}

/// Parses `*( SEMI name [ EQUAL value ] )`; returns the value of parameter `want` (empty if it
/// has none) and what follows the parameters, white space skipped.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn params<'a>(s: &'a [u8], want: &[u8]) -> Result<(Option<&'a [u8]>, &'a [u8]), Fail> {
    params_known(s, want, b"")
}

/// [`params`] that also reads parameter `known` (usual but not wanted) without a token scan.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn params_known<'a>(
    s: &'a [u8],
    want: &[u8],
    known: &[u8],
) -> Result<(Option<&'a [u8]>, &'a [u8]), Fail> {
    let mut found = None;
    let mut s = skip_lws(s);
    while let Some((b';', rest)) = s.split_first() {
        // The wanted name written as asked and followed by `=` needs no token scan (`=` is not
        // a token character, so the scan would end there too).
        let (name, rest) = match rest.split_at_checked(want.len()) {
            Some((name, after))
                if !want.is_empty() && name == want && after.first() == Some(&b'=') =>
            {
                (name, after)
            }
            // The known name (a token, not starting with white space) followed by a byte that
            // is not a token character, or by nothing: where the token scan would end too.
            _ if !known.is_empty()
                && let Some((name, after)) = rest.split_at_checked(known.len())
                && name == known
                && !after.first().is_some_and(|&b| is_token(b)) =>
            {
                (name, after)
            }
            _ => token(skip_lws(rest)).map_err(|_| "empty or malformed parameter")?,
        };
        let rest = skip_lws(rest);
        let (value, rest): (&[u8], &[u8]) = match rest.split_first() {
            Some((b'=', v)) => {
                let v = skip_lws(v);
                if v.first() == Some(&b'"') {
                    let after = quoted(v)?;
                    let n = v.len() - after.len();
                    (v.get(..n).unwrap_or_default(), after)
                } else {
                    let (value, after) = split_run(v, is_hostish);
                    if value.is_empty() {
                        return Err("parameter value missing after '='");
                    }
                    (value, after)
                }
            }
            _ => (&[], rest),
        };
        if found.is_none() && name.len() == want.len() && (name == want || eq_lower(name, want)) {
            found = Some(value);
        }
        s = skip_lws(rest);
    }
    Ok((found, s))
}

/// A URI scheme this crate routes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// `sip:` or `sips:`.
    Sip,
    /// `tel:`.
    Tel,
    /// Any other well-formed scheme.
    Other,
}

/// The parts of a URI the rules read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Uri<'a> {
    pub(crate) scheme: Scheme,
    /// The user part (SIP), or the subscriber (tel): the number candidate.
    pub(crate) user: Option<&'a [u8]>,
    /// What follows the `@` of a SIP URI (empty otherwise): [`Uri::has_headers`] looks there.
    after_user: &'a [u8],
}

impl<'a> Uri<'a> {
    /// Whether a SIP URI carries escaped headers (`?` after the host); looked up only for the
    /// Request-URI, the one URI the rules ask.
    pub(crate) fn has_headers(&self) -> bool {
        find_pairs(self.after_user, b'?').is_some()
    }

    /// [`Uri::has_headers`], and whether the bytes after the user part are all ASCII (`false`
    /// when not known): one search for `?` or a byte from 0x80 up decides both when it finds
    /// neither or a `?` first.
    #[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
    #[inline(always)]
    pub(crate) fn headers_and_ascii_tail(&self) -> (bool, bool) {
        match find_pairs_or_high(self.after_user, b'?') {
            None => (false, true),
            Some(i) if self.after_user.get(i) == Some(&b'?') => (true, false),
            Some(_) => (self.has_headers(), false),
        }
    }

    /// These parts, read on `from`, as the same parts of `to`, a copy of `from` (same bytes, so
    /// the same parts at the same offsets).
    fn moved<'b>(&self, from: &[u8], to: &'b [u8]) -> Uri<'b> {
        let at = |part: &[u8]| -> &'b [u8] {
            let offset = (part.as_ptr() as usize).wrapping_sub(from.as_ptr() as usize);
            to.get(offset..offset.wrapping_add(part.len()))
                .unwrap_or_default()
        };
        Uri {
            scheme: self.scheme,
            user: self.user.map(at),
            after_user: at(self.after_user),
        }
    }

    /// The host of a Request-URI read by [`uri_parts`] (well formed, with no `?`): the bytes
    /// after the user part up to the first `:` (a port) or `;` (parameters), where its run of
    /// host name characters ends; `None` for an IPv6 reference (its colons are its own) or no
    /// host. A hint for [`name_addr_lazy`].
    #[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
    #[inline(always)]
    pub(crate) fn host_hint(&self) -> Option<&'a [u8]> {
        let host = match find2(self.after_user, b':', b';') {
            Some(n) => self.after_user.get(..n)?,
            None => self.after_user,
        };
        (!host.is_empty() && host.first() != Some(&b'[')).then_some(host)
    }

    /// How many bytes end the URI after the user part.
    pub(crate) const fn tail_len(&self) -> usize {
        self.after_user.len()
    }

    /// [`e164`] of the user part, `None` without one; `plus_e164` is what [`uri_parts`] told
    /// of it.
    #[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
    #[inline(always)]
    pub(crate) fn number(&self, plus_e164: bool, plus: Plus) -> Option<&'a [u8]> {
        if plus_e164 {
            return self.user;
        }
        self.user.and_then(|u| e164(u, plus))
    }
}

/// Parses a URI: `scheme ":" ...`; for SIP, `[user [":" password] "@"] host ...`. The rules
/// call [`uri_parts`], which also tells of E.164 user parts; this form stays for the tests.
#[cfg(test)]
pub(crate) fn uri(s: &[u8]) -> Result<Uri<'_>, Fail> {
    uri_parts(s).map(|(u, _)| u)
}

/// [`uri`], and whether its user part is known to be `+` and an E.164 number
/// ([`crate::e164`]), which [`e164`] returns whole under either `+` rule (`false`: not known).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn uri_parts(s: &[u8]) -> Result<(Uri<'_>, bool), Fail> {
    uri_parts_run(s, None)
}

/// [`uri_parts`] given, when known, the [`digit_run`] after a leading `sip:+` of `s`.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn uri_parts_run(s: &[u8], plus_digits: Option<usize>) -> Result<(Uri<'_>, bool), Fail> {
    let rest = s.strip_prefix(b"sip:");
    // The usual user part of a trunk, `+` and an E.164 number, then `@`: one digit run finds
    // the `@` (digits are neither `@` nor `:`, so it is the first of them, as `sip_uri` looks
    // for) and decides the number.
    if let Some(rest) = rest
        && let Some((b'+', digits)) = rest.split_first()
        && let n = plus_digits.unwrap_or_else(|| digit_run(digits))
        && digits.get(..n).is_some_and(crate::e164::fits_plan)
        && let Some((user, host)) = rest.split_at_checked(n + 1)
        && let Some((b'@', host)) = host.split_first()
        && host.first().is_some_and(|&b| is_hostish(b) && b != b':')
    {
        uri_hostport(host)?;
        return Ok((
            Uri {
                scheme: Scheme::Sip,
                user: Some(user),
                after_user: host,
            },
            true,
        ));
    }
    // The usual URI, `sip:user@host...` with no `:` before the `@`, read in place: what
    // `sip_uri` finds on its own shortcut.
    if let Some(rest) = rest
        && let Some(i) = find2(rest, b'@', b':')
        && i > 0
        && let Some((user, host)) = rest.split_at_checked(i)
        && let Some((b'@', host)) = host.split_first()
        && host.first().is_some_and(|&b| is_hostish(b) && b != b':')
    {
        uri_hostport(host)?;
        return Ok((
            Uri {
                scheme: Scheme::Sip,
                user: Some(user),
                after_user: host,
            },
            false,
        ));
    }
    uri_general(s).map(|u| (u, false))
}

/// [`uri`] for any URI.
#[inline(never)]
fn uri_general(s: &[u8]) -> Result<Uri<'_>, Fail> {
    // The usual scheme, as written by nearly everyone, needs no scan and no comparison.
    if let Some(rest) = s.strip_prefix(b"sip:") {
        if rest.is_empty() {
            return Err("malformed URI");
        }
        return sip_uri(rest);
    }
    let (scheme, rest) = split_while(s, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
    });
    let Some((b':', rest)) = rest.split_first() else {
        return Err("URI without a scheme");
    };
    if !scheme.first().is_some_and(u8::is_ascii_alphabetic) || rest.is_empty() {
        return Err("malformed URI");
    }
    if eq_lower(scheme, b"sip") || eq_lower(scheme, b"sips") {
        sip_uri(rest)
    } else if eq_lower(scheme, b"tel") {
        let number = match find(rest, b';') {
            Some(n) => rest.get(..n).unwrap_or_default(),
            None => rest,
        };
        if number.is_empty() {
            return Err("empty tel URI");
        }
        Ok(Uri {
            scheme: Scheme::Tel,
            user: Some(number),
            after_user: b"",
        })
    } else {
        Ok(Uri {
            scheme: Scheme::Other,
            user: None,
            after_user: b"",
        })
    }
}

/// The part of a SIP or SIPS URI after the scheme: `[user [":" password] "@"] host ...`.
#[inline]
fn sip_uri(rest: &[u8]) -> Result<Uri<'_>, Fail> {
    // One search for the first `@` or `:`: an `@` first means a user part without a
    // password; a `:` first may start a password or a port, which the `@` search decides.
    let first = find2(rest, b'@', b':');
    // The usual case, an `@` first after a non-empty user, read without the general split.
    if let Some(i) = first
        && i > 0
        && let Some((user, host)) = rest.split_at_checked(i)
        && let Some((b'@', host)) = host.split_first()
    {
        if !host.first().is_some_and(|&b| is_hostish(b) && b != b':') {
            return Err("SIP URI without a host");
        }
        uri_hostport(host)?;
        return Ok(Uri {
            scheme: Scheme::Sip,
            user: Some(user),
            after_user: host,
        });
    }
    let at = match first {
        Some(i) if rest.get(i) == Some(&b'@') => Some(i),
        Some(i) => find(rest.get(i..).unwrap_or_default(), b'@').map(|j| i + j),
        None => None,
    };
    let (user, host) = match at {
        Some(at) => {
            let userinfo = rest.get(..at).unwrap_or_default();
            // `first` is the first `:` of the user info when it comes before the `@`.
            let user = match first {
                Some(c) if c < at => userinfo.get(..c).unwrap_or_default(),
                _ => userinfo,
            };
            if user.is_empty() {
                return Err("empty user part in a SIP URI");
            }
            (Some(user), rest.get(at + 1..).unwrap_or_default())
        }
        None => (None, rest),
    };
    if !host.first().is_some_and(|&b| is_hostish(b) && b != b':') {
        return Err("SIP URI without a host");
    }
    uri_hostport(host)?;
    Ok(Uri {
        scheme: Scheme::Sip,
        user,
        after_user: host,
    })
}

/// The E.164 number in a user part (before any `;` parameters), `+` per `plus`.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn e164(user: &[u8], plus: Plus) -> Option<&[u8]> {
    // The usual user part is `+` and the number alone: from 8 digits on, two overlapping words
    // of digits cover it and there is no run to measure (shorter ones take the general path).
    if let Some((b'+', digits)) = user.split_first()
        && all_digits(digits)
        && crate::e164::fits_plan(digits)
    {
        return Some(user);
    }
    e164_general(user, plus)
}

/// [`e164`] for any user part.
#[inline(never)]
fn e164_general(user: &[u8], plus: Plus) -> Option<&[u8]> {
    // An optional `+`, then an E.164 number's digits up to the first `;` (or the end).
    let (sign, digits) = match user.split_first() {
        Some((b'+', rest)) => (1, rest),
        _ if plus == Plus::Required => return None,
        _ => (0, user),
    };
    let n = digit_run(digits);
    if !digits.get(..n).is_some_and(crate::e164::fits_plan)
        || !matches!(digits.get(n), None | Some(b';'))
    {
        return None;
    }
    user.get(..sign + n)
}

/// A `name-addr` or `addr-spec` with its parameters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameAddr<'a> {
    pub(crate) uri: &'a [u8],
    /// The parts of `uri`, parsed once.
    pub(crate) parsed: Uri<'a>,
    /// What [`uri_parts`] told of the user part (see [`Uri::number`]).
    pub(crate) plus_e164: bool,
    pub(crate) tag: Option<&'a [u8]>,
}

/// [`uri_run_pairs`] out of line: inlined into the rules, its word loop runs short of registers
/// and reloads its constants every word.
#[inline(never)]
fn uri_len(s: &[u8]) -> usize {
    uri_run_pairs(s)
}

/// A URI taken out of `<>`, what follows the `>`, and the digit run after a leading `sip:+`
/// when there is one (for [`uri_parts_run`]).
type Angled<'a> = (&'a [u8], &'a [u8], Option<usize>);

/// Parses `<uri>` at `s[0] == '<'`; returns the URI, what follows `>`, and the digits of a
/// `sip:+` URI.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn angle(s: &[u8]) -> Result<Angled<'_>, Fail> {
    let Some((b'<', inner)) = s.split_first() else {
        return Err("display name not followed by <URI>");
    };
    // The usual `sip:+number`: its digits, URI characters, measured once for the run below and
    // for the E.164 test of `uri_parts_run` (the URI ends at or after them, so its own digit run
    // is the same).
    let plus_digits = inner
        .strip_prefix(b"sip:+")
        .map(|digits| (digits, digit_run(digits)));
    let skip = plus_digits.map_or(0, |(_, n)| 5 + n);
    // `>` is not a URI character, so the run of URI characters ends at it when all is well.
    let end = skip + uri_len(inner.get(skip..).unwrap_or_default());
    match inner.get(end) {
        Some(b'>') if end > 0 => Ok((
            inner.get(..end).unwrap_or_default(),
            inner.get(end + 1..).unwrap_or_default(),
            plus_digits.map(|(_, n)| n),
        )),
        Some(_) if find(inner.get(end..).unwrap_or_default(), b'>').is_some() => {
            Err("malformed URI inside '<>'")
        }
        _ => Err("unclosed '<' in an address"),
    }
}

/// Parses one `(name-addr / addr-spec) *(SEMI param)` from `s`; returns it and the rest
/// (empty, or starting with `,` for lists).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn name_addr(s: &[u8]) -> Result<(NameAddr<'_>, &[u8]), Fail> {
    name_addr_seen(s, None)
}

/// A URI read before in the message, its parts, and what [`uri_parts`] told of its user part
/// (see [`name_addr_seen`]).
pub(crate) type Seen<'a> = (&'a [u8], Uri<'a>, bool);

/// [`name_addr`], given a URI `seen` before in the message (the From URI, which
/// P-Asserted-Identity usually repeats; the Request-URI, which To usually repeats): a URI in
/// `<>` that is byte for byte the one seen is not read again, as reading it would give the
/// same parts (at the same offsets) and the same verdict, and it read well.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn name_addr_seen<'a>(
    s: &'a [u8],
    seen: Option<Seen<'_>>,
) -> Result<(NameAddr<'a>, &'a [u8]), Fail> {
    name_addr_hinted(s, seen, None)
}

/// [`name_addr_seen`], given also a well-formed `host[:port]` `host` read before (the topmost
/// Via's `sent-by`, which the Contact usually repeats; the Request-URI's host, which To
/// usually repeats): in the usual `<sip:+number@host...>` it is not read again when followed by
/// `;`, `?` or `>`, bytes that neither continue a host nor a port, so that [`usual_hostport`]
/// would read the same bytes to the same end (whether a host is well formed depends on its
/// bytes only).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn name_addr_hinted<'a>(
    s: &'a [u8],
    seen: Option<Seen<'_>>,
    host: Option<&[u8]>,
) -> Result<(NameAddr<'a>, &'a [u8]), Fail> {
    name_addr_lazy(s, seen, || host)
}

/// [`name_addr_hinted`] with the host found only when it is needed (after a URI `seen` did not
/// match).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn name_addr_lazy<'a, 'h>(
    s: &'a [u8],
    seen: Option<Seen<'_>>,
    host: impl FnOnce() -> Option<&'h [u8]>,
) -> Result<(NameAddr<'a>, &'a [u8]), Fail> {
    let s = skip_lws(s);
    let angled = match s.first() {
        Some(b'"') => Some(skip_space(quoted(s)?)),
        Some(b'<') => Some(s),
        _ => None,
    };
    if let (Some(a), Some((uri, parsed, plus_e164))) = (angled, seen)
        && let Some((b'<', inner)) = a.split_first()
        && let Some((u, [b'>', rest @ ..])) = inner.split_at_checked(uri.len())
        && u == uri
    {
        return with_params(u, parsed.moved(uri, u), plus_e164, rest);
    }
    // The usual `<sip:+number@host...>`, read in one pass.
    if let Some(a) = angled
        && let Some((u, rest, parsed)) = angle_e164(a, host)
    {
        return with_params(u, parsed, true, rest);
    }
    let (u, rest, plus_digits) = if let Some(a) = angled {
        angle(a)?
    } else {
        let stop = s
            .iter()
            .position(|&b| !(is_token(b) || is_lws(b)))
            .unwrap_or(s.len());
        if stop > 0 && s.get(stop) == Some(&b'<') {
            angle(s.get(stop..).unwrap_or_default())?
        } else {
            let (u, rest) = split_while(s, |b| is_uri(b) && b != b';' && b != b',');
            if u.is_empty() {
                return Err("address expected");
            }
            // RFC 3261 20.10: a URI with headers (or parameters, which the split above leaves
            // to the address) must be in `<>`.
            if find(u, b'?').is_some() {
                return Err("URI with '?' headers not enclosed in '<>'");
            }
            (u, rest, None)
        }
    };
    let (parsed, plus_e164) = uri_parts_run(u, plus_digits)?;
    with_params(u, parsed, plus_e164, rest)
}

/// What follows `prefix` in `s` when `s` starts with it, compared as words (the short prefixes
/// of hosts cost less than a `memcmp` call): the first, middle and last eight bytes of a prefix
/// of eight to twenty-four, which cover it; as slices otherwise.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn eq_prefix<'a>(s: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let n = prefix.len();
    let head = s.get(..n)?;
    let same = match (head.first_chunk::<8>(), prefix.first_chunk::<8>()) {
        (Some(a), Some(b)) if n <= 24 => {
            let at = |x: &[u8], i: usize| x.get(i..i + 8).map_or(0, word);
            a == b
                && at(head, n - 8) == at(prefix, n - 8)
                && at(head, n / 2 - 4) == at(prefix, n / 2 - 4)
        }
        _ => head == prefix,
    };
    same.then(|| s.get(n..)).flatten()
}

/// The end of [`name_addr`]: the parameters after the address (`rest`), the `tag` among them.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn with_params<'a>(
    u: &'a [u8],
    parsed: Uri<'a>,
    plus_e164: bool,
    rest: &'a [u8],
) -> Result<(NameAddr<'a>, &'a [u8]), Fail> {
    let (tag, rest) = params(rest, b"tag")?;
    if !(rest.is_empty() || rest.first() == Some(&b',')) {
        return Err("unexpected characters after an address");
    }
    Ok((
        NameAddr {
            uri: u,
            parsed,
            plus_e164,
            tag,
        },
        rest,
    ))
}

/// [`angle`] and [`uri_parts_run`] in one pass for the usual `<sip:+number@host...>` (at
/// `s[0] == '<'`): `+` and an E.164 number, `@`, a host that `usual_hostport` reads with its
/// port, then URI characters up to `>`. The host is read on the bytes up to `>` and beyond (it
/// ends at the first byte that cannot be in it, which `>` is, and its bytes are all URI
/// characters), so the URI is scanned once. Returns the URI, what follows `>`, and its parts,
/// as the two would (the user part is then known E.164); `None` for anything else, which they
/// read.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn angle_e164<'a, 'h>(
    s: &'a [u8],
    hint: impl FnOnce() -> Option<&'h [u8]>,
) -> Option<(&'a [u8], &'a [u8], Uri<'a>)> {
    let inner = s.strip_prefix(b"<")?;
    let digits = inner.strip_prefix(b"sip:+")?;
    let n = digit_run(digits);
    if !digits.get(..n).is_some_and(crate::e164::fits_plan) {
        return None;
    }
    let [b'@', host @ ..] = digits.get(n..)? else {
        return None;
    };
    if !host.first().is_some_and(|&b| is_hostish(b) && b != b':') {
        return None;
    }
    let after_host = match hint().and_then(|h| eq_prefix(host, h)) {
        Some(after @ [b';' | b'?' | b'>', ..]) => after,
        _ => usual_hostport(host)?,
    };
    if !matches!(after_host.first(), Some(b';' | b'?' | b'>')) {
        return None;
    }
    let end = inner.len() - after_host.len() + uri_len(after_host);
    let (uri, [b'>', rest @ ..]) = inner.split_at_checked(end)? else {
        return None;
    };
    Some((
        uri,
        rest,
        Uri {
            scheme: Scheme::Sip,
            user: uri.get(4..5 + n),
            after_user: uri.get(6 + n..).unwrap_or_default(),
        },
    ))
}

/// Parses a Via value (one or more `via-parm`); returns whether its first `via-parm` carries a
/// non-empty `branch`.
#[cfg(test)]
pub(crate) fn via(s: &[u8]) -> Result<bool, Fail> {
    via_sent_by(s).map(|(branch, _)| branch)
}

/// [`via`], and the `host[:port]` of its first `sent-by` when [`usual_hostport`] read it (a
/// host a Contact then usually repeats, see [`name_addr_hinted`]).
pub(crate) fn via_sent_by(s: &[u8]) -> Result<(bool, Option<&[u8]>), Fail> {
    let mut s = s;
    let mut first_branch = None;
    let mut first_sent_by = None;
    loop {
        let parm = skip_lws(s);
        // The usual protocol needs no token scans; the general path reads the same bytes alike.
        let rest = if let Some(rest) = parm.strip_prefix(b"SIP/2.0/") {
            skip_lws(rest)
        } else {
            let (_, rest) = token(parm).map_err(|_| "malformed Via protocol")?;
            let rest = expect(rest, b'/', "malformed Via protocol")?;
            let (_, rest) = token(rest).map_err(|_| "malformed Via protocol version")?;
            expect(rest, b'/', "malformed Via protocol")?
        };
        // The usual transports, followed by one space, are a token and the white space the
        // token scan would find after them.
        let after = if let Some((b"UDP " | b"TCP " | b"TLS ", after)) = rest.split_at_checked(4) {
            skip_lws(after)
        } else {
            let (_, rest) = token(rest).map_err(|_| "malformed Via transport")?;
            let after = skip_lws(rest);
            if after.len() == rest.len() {
                return Err("Via sent-by missing");
            }
            after
        };
        if !after.first().is_some_and(|&b| is_hostish(b) && b != b':') {
            return Err("Via sent-by missing");
        }
        let (rest, usual) = sent_by_usual(after)?;
        // `rport` (RFC 3581), without a value, is in most requests' Via.
        let (branch, params) = params_known(rest, b"branch", b"rport")?;
        if first_branch.is_none() {
            first_branch = Some(branch.is_some_and(|b| !b.is_empty()));
            first_sent_by = usual
                .then(|| after.get(..after.len() - rest.len()))
                .flatten();
        }
        let rest = params;
        match rest.split_first() {
            None => return Ok((first_branch.unwrap_or(false), first_sent_by)),
            Some((b',', next)) => s = next,
            Some(_) => return Err("unexpected characters in Via"),
        }
    }
}

/// Parses `CSeq: number method`; returns the method. The number must fit 2^31 - 1.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn cseq(s: &[u8]) -> Result<&[u8], Fail> {
    // The usual value: one to nine digits (below 2^31 - 1 whatever they are), one space and
    // INVITE, a token with nothing after it.
    if let Some((digits, m @ b"INVITE")) = s.split_at_checked(s.len().wrapping_sub(6))
        && let Some((b' ', digits)) = digits.split_last()
        && (1..=9).contains(&digits.len())
        && digits.iter().all(u8::is_ascii_digit)
    {
        return Ok(m);
    }
    cseq_general(s)
}

/// [`cseq`] for any value.
#[inline(never)]
fn cseq_general(s: &[u8]) -> Result<&[u8], Fail> {
    let (digits, rest) = s.split_at_checked(digit_run(s)).unwrap_or((s, &[]));
    match parse_u64(digits) {
        Some(n) if n <= 0x7fff_ffff => {}
        Some(_) => return Err("CSeq number larger than 2^31 - 1"),
        None => return Err("CSeq number is not a number"),
    }
    // The usual value ends in one space and INVITE, a token with nothing after it.
    if let Some(m @ b"INVITE") = rest.strip_prefix(b" ") {
        return Ok(m);
    }
    let method = skip_lws(rest);
    if method.len() == rest.len() {
        return Err("CSeq number and method not separated by white space");
    }
    let (m, tail) = token(method).map_err(|_| "CSeq method missing")?;
    if !tail.is_empty() {
        return Err("unexpected characters after the CSeq method");
    }
    Ok(m)
}

/// Parses Max-Forwards (0 to 255).
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn max_forwards(s: &[u8]) -> Result<u8, Fail> {
    // One or two digits, the usual value, are below 100: no overflow to check.
    match *s {
        [a] if a.is_ascii_digit() => Ok(a - b'0'),
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Ok((a - b'0') * 10 + (b - b'0')),
        _ => max_forwards_general(s),
    }
}

/// [`max_forwards`] for any value.
#[inline(never)]
fn max_forwards_general(s: &[u8]) -> Result<u8, Fail> {
    parse_u64(s)
        .and_then(|n| u8::try_from(n).ok())
        .ok_or("Max-Forwards is not a number from 0 to 255")
}

/// Checks a Call-ID: `word ["@" word]`.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn call_id(s: &[u8]) -> Result<(), Fail> {
    // The usual Call-ID: a plain run, or two joined by one `@`, neither empty (plain bytes are
    // word characters); anything else goes the byte-checking way.
    let i = plain_run(s);
    if i > 0 {
        match s.split_at_checked(i) {
            Some((_, [])) => return Ok(()),
            Some((_, [b'@', host @ ..])) if !host.is_empty() && plain_run(host) == host.len() => {
                return Ok(());
            }
            _ => {}
        }
    }
    call_id_general(s)
}

/// [`call_id`] for any value.
#[inline(never)]
fn call_id_general(s: &[u8]) -> Result<(), Fail> {
    // One pass: word characters with at most one `@`, neither side empty. Runs of letters,
    // digits, `-`, `.` and `:` hold no `@` and are measured a word at a time; only the byte
    // that ends a run is looked at.
    let mut at = None;
    let mut i = plain_run(s);
    while let Some(&b) = s.get(i) {
        if !is_word(b) && (b != b'@' || at.replace(i).is_some()) {
            return Err("malformed Call-ID");
        }
        i += 1 + plain_run(s.get(i + 1..).unwrap_or_default());
    }
    let valid = match at {
        Some(i) => i > 0 && i + 1 < s.len(),
        None => !s.is_empty(),
    };
    if valid {
        Ok(())
    } else {
        Err("malformed Call-ID")
    }
}

/// Parses a media type `type/subtype *(;param)`; returns whether it is `application/sdp`.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
pub(crate) fn is_sdp_media_type(s: &[u8]) -> Result<bool, Fail> {
    // The usual value, which the full parse below would accept as SDP.
    if s == b"application/sdp" {
        return Ok(true);
    }
    media_type_general(s)
}

/// [`is_sdp_media_type`] for any value.
#[inline(never)]
fn media_type_general(s: &[u8]) -> Result<bool, Fail> {
    if s.eq_ignore_ascii_case(b"application/sdp") {
        return Ok(true);
    }
    let (ty, rest) = token(skip_lws(s)).map_err(|_| "malformed Content-Type")?;
    let rest = expect(rest, b'/', "malformed Content-Type")?;
    let (sub, rest) = token(rest).map_err(|_| "malformed Content-Type")?;
    let (_, rest) = params(rest, b"")?;
    if !rest.is_empty() {
        return Err("malformed Content-Type");
    }
    Ok(eq_lower(ty, b"application") && eq_lower(sub, b"sdp"))
}

/// Parses an Accept value; returns whether it admits `application/sdp` (an empty value admits it).
pub(crate) fn accepts_sdp(s: &[u8]) -> Result<bool, Fail> {
    let mut s = skip_lws(s);
    if s.is_empty() {
        return Ok(true);
    }
    let mut admits = false;
    loop {
        let (ty, rest) = split_while(skip_lws(s), |b| is_token(b) || b == b'*');
        let rest = expect(rest, b'/', "malformed Accept")?;
        let (sub, rest) = split_while(rest, |b| is_token(b) || b == b'*');
        if ty.is_empty() || sub.is_empty() {
            return Err("malformed Accept");
        }
        let (_, rest) = params(rest, b"")?;
        admits |= (ty == b"*" && sub == b"*")
            || (eq_lower(ty, b"application") && (sub == b"*" || eq_lower(sub, b"sdp")));
        match rest.split_first() {
            None => return Ok(admits),
            Some((b',', next)) => s = next,
            Some(_) => return Err("malformed Accept"),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::{call_id, e164};
    use crate::policy::Plus;

    /// A user part, the policy's `+` rule, and the number expected.
    type Case = (&'static [u8], Plus, Option<&'static [u8]>);

    #[test]
    fn e164_user_parts() {
        let cases: [Case; 12] = [
            (b"+14155550123", Plus::Required, Some(b"+14155550123")),
            (b"+14155550123;npdi", Plus::Required, Some(b"+14155550123")),
            (b"14155550123", Plus::Required, None),
            (b"14155550123", Plus::Optional, Some(b"14155550123")),
            (b"+4930123456", Plus::Required, Some(b"+4930123456")),
            (b"+1415555", Plus::Required, None),
            (
                b"+431234567890123",
                Plus::Required,
                Some(b"+431234567890123"),
            ),
            (b"+1234567890123456", Plus::Required, None),
            (b"+04155550123", Plus::Required, None),
            (b"+1415-555-0123", Plus::Required, None),
            (b"++14155550123", Plus::Optional, None),
            (b"+;14155550123", Plus::Required, None),
        ];
        for (user, plus, want) in cases {
            assert_eq!(e164(user, plus), want, "{user:?}");
        }
    }

    /// The byte-at-a-time form the word-at-a-time `e164` must agree with.
    fn e164_scalar(user: &[u8], plus: Plus) -> Option<&[u8]> {
        let (sign, digits) = match user.split_first() {
            Some((b'+', rest)) => (1, rest),
            _ if plus == Plus::Required => return None,
            _ => (0, user),
        };
        let mut n = 0usize;
        for &b in digits {
            if b == b';' {
                break;
            }
            if !b.is_ascii_digit() || n == 15 {
                return None;
            }
            n += 1;
        }
        if !crate::e164::is_e164_digits(digits.get(..n)?) {
            return None;
        }
        user.get(..sign + n)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// `e164` agrees with the byte-at-a-time check on number-like user parts.
        #[test]
        fn e164_agrees_with_scalar(
            user in "[+]?[0-9]{0,17}(;[a-z=]{0,6})?|[+0-9;a/]{0,20}",
            required in proptest::bool::ANY,
        ) {
            let plus = if required { Plus::Required } else { Plus::Optional };
            proptest::prop_assert_eq!(e164(user.as_bytes(), plus), e164_scalar(user.as_bytes(), plus));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The whole-number shortcut of `e164` agrees with the byte loop on numbers of 6 to 16
        /// digits with the bytes next to the digits (`/`, `:`) and leading zeros mixed in.
        #[test]
        fn e164_numbers_agree_with_scalar(
            user in "[+]?0?[0-9]{5,15}[/:;0-9]?[0-9]{0,2}",
            required in proptest::bool::ANY,
        ) {
            let plus = if required { Plus::Required } else { Plus::Optional };
            proptest::prop_assert_eq!(e164(user.as_bytes(), plus), e164_scalar(user.as_bytes(), plus));
        }
    }

    /// The part of a SIP URI after `sip:` as RFC 3261 19.1.1 reads it, written for clarity: the
    /// user info ends at the first `@` (an unescaped `@` cannot be in it), the user at the first
    /// `:` of the user info, and the host part must be a `hostport` up to `;`, `?` or the end
    /// (the host oracle of `host.rs`). Returns the user and what follows the `@`.
    fn sip_uri_oracle(rest: &str) -> Option<(Option<&str>, &str)> {
        let (user, after) = match rest.split_once('@') {
            Some((info, after)) => {
                let user = info.split(':').next().unwrap_or("");
                if user.is_empty() {
                    return None;
                }
                (Some(user), after)
            }
            None => (None, rest),
        };
        let hostport = after.split([';', '?']).next().unwrap_or("");
        crate::host::tests::oracle_hostport(hostport).then_some((user, after))
    }

    /// The parts of a parsed URI, comparable.
    fn parts(u: super::Uri<'_>) -> (super::Scheme, Option<&[u8]>, &[u8]) {
        (u.scheme, u.user, u.after_user)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// `sip_uri` finds the user and host part the grammar oracle finds, and refuses what it
        /// refuses.
        #[test]
        fn sip_uri_agrees_with_oracle(rest in "[a-z0-9+]{0,14}[@:;?]{0,2}[a-z0-9.:@;\\[\\]?=-]{0,16}") {
            let got = super::sip_uri(rest.as_bytes())
                .ok()
                .map(|u| (u.user.map(|x| std::str::from_utf8(x).unwrap()), std::str::from_utf8(u.after_user).unwrap()));
            proptest::prop_assert_eq!(got, sip_uri_oracle(&rest), "{}", rest);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The in-place `sip:user@host` shortcut of `uri` gives the parts and faults of the
        /// general parse.
        #[test]
        fn uri_agrees_with_general(
            u in "(sip:|SIP:|sips:|tel:|sip|x:)?[a-z0-9+]{0,14}[@:;?]{0,2}[a-z0-9.:@;\\[\\]?=-]{0,16}"
        ) {
            let u = u.as_bytes();
            proptest::prop_assert_eq!(
                super::uri(u).map(parts),
                super::uri_general(u).map(parts)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The E.164 user part shortcut of `uri_parts` gives the parts and faults of the
        /// general parse, and the number `e164` finds in its user part under either `+` rule;
        /// near misses of the usual `sip:+number@host` shape included.
        #[test]
        fn uri_parts_agree_with_general(
            u in r"(sip:|SIP:|sip|tel:)?(\+|\+\+|)0?[0-9]{0,17}[a;:/@]?[0-9]{0,2}[@:;?]{0,2}[a-z0-9.:@;\[\]?=-]{0,12}|sip:\+0?[0-9]{5,16}@[a-z0-9:.;?@]{0,3}"
        ) {
            use super::{Plus, e164, uri_general, uri_parts};
            let u = u.as_bytes();
            let got = uri_parts(u);
            proptest::prop_assert_eq!(got.map(|(p, _)| parts(p)), uri_general(u).map(parts));
            if let Ok((p, known)) = got {
                for plus in [Plus::Required, Plus::Optional] {
                    proptest::prop_assert_eq!(
                        p.number(known, plus),
                        p.user.and_then(|user| e164(user, plus))
                    );
                }
            }
        }
    }

    /// `angle` as it read every `<URI>` before measuring `sip:+` digits first.
    fn angle_plain(s: &[u8]) -> Result<(&[u8], &[u8]), super::Fail> {
        use super::{find, uri_len};
        let Some((b'<', inner)) = s.split_first() else {
            return Err("display name not followed by <URI>");
        };
        let end = uri_len(inner);
        match inner.get(end) {
            Some(b'>') if end > 0 => Ok((
                inner.get(..end).unwrap_or_default(),
                inner.get(end + 1..).unwrap_or_default(),
            )),
            Some(_) if find(inner.get(end..).unwrap_or_default(), b'>').is_some() => {
                Err("malformed URI inside '<>'")
            }
            _ => Err("unclosed '<' in an address"),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// Measuring the digits of `<sip:+...` first ends the URI where the plain run does, and
        /// the digit run handed on gives `uri_parts_run` what `uri_parts` finds on its own.
        #[test]
        fn angle_digits_agree_with_plain_run(
            s in r"<?(sip:\+|sip:|SIP:\+|sip\+|)0?[0-9]{0,17}[a;:/@> ]?[0-9]{0,2}[@:;?> ]{0,2}[a-z0-9.:@;\[\]?=> -]{0,12}"
        ) {
            use super::{angle, uri_parts, uri_parts_run};
            let s = s.as_bytes();
            let got = angle(s);
            proptest::prop_assert_eq!(got.map(|(u, r, _)| (u, r)), angle_plain(s));
            if let Ok((u, _, plus_digits)) = got {
                let with = uri_parts_run(u, plus_digits).map(|(p, k)| (parts(p), k));
                let alone = uri_parts(u).map(|(p, k)| (parts(p), k));
                proptest::prop_assert_eq!(with, alone);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6000))]

        /// The one-pass `<sip:+number@host...>` reader returns what `angle` and `uri_parts_run`
        /// return wherever it answers, and answers for the usual addresses.
        #[test]
        fn angle_e164_agrees_with_angle_and_uri_parts(
            s in r#"<sip:\+[0-9]{6,16}[@:;]?(\[[0-9a-f:]{2,12}\]|[a-z0-9.-]{0,20}|[0-9.]{7,16})(:[0-9]{0,6})?([;?][a-z=;]{0,12})?[>" ]?[;a-z=>0-9]{0,20}"#
        ) {
            use super::{angle, angle_e164, uri_parts_run};
            let s = s.as_bytes();
            if let Some((u, rest, parsed)) = angle_e164(s, || None) {
                let (gu, grest, digits) = angle(s).unwrap();
                let (gparsed, e164) = uri_parts_run(gu, digits).unwrap();
                proptest::prop_assert_eq!((u, rest), (gu, grest));
                proptest::prop_assert_eq!(parts(parsed), parts(gparsed));
                proptest::prop_assert_eq!(parsed.after_user, gparsed.after_user);
                proptest::prop_assert!(e164);
            }
        }
    }

    /// The parts of a `name_addr` result, with the places of its slices in `v`.
    #[allow(clippy::type_complexity)]
    fn view<'v>(
        v: &'v [u8],
        r: Result<(super::NameAddr<'v>, &'v [u8]), super::Fail>,
    ) -> Result<
        (
            (usize, &'v [u8]),
            Option<(usize, &'v [u8])>,
            &'v [u8],
            super::Scheme,
            bool,
            Option<&'v [u8]>,
            &'v [u8],
        ),
        super::Fail,
    > {
        let at = |p: &[u8]| (p.as_ptr() as usize).wrapping_sub(v.as_ptr() as usize);
        r.map(|(a, rest)| {
            (
                (at(a.uri), a.uri),
                a.parsed.user.map(|u| (at(u), u)),
                a.parsed.after_user,
                a.parsed.scheme,
                a.plus_e164,
                a.tag,
                rest,
            )
        })
    }

    /// A URI seen before and given to `name_addr_seen` changes nothing: the same address, parts
    /// (as slices of the value itself, at the same places), tag and rest, or the same fault,
    /// whether the value repeats the URI seen or not.
    #[test]
    fn name_addr_seen_agrees_with_name_addr() {
        let uris = [
            "sip:+14155550123@sbc.example.net;user=phone",
            "sip:+14155550123@sbc.example.net:5060;user=phone",
            "sip:alice@[2001:db8::1]",
            "tel:+14155550123;phone-context=x",
            "sip:+14155550123@bad..host",
            "sip:+1415555012@h",
            "x:y",
        ];
        let shapes = [
            "<{}>",
            "\"A\" <{}>;tag=1",
            "<{}>, <{}>",
            " <{}> ;tag",
            "<{}",
            "{}",
        ];
        for seen_uri in uris {
            let seen = super::uri_parts(seen_uri.as_bytes())
                .ok()
                .map(|(parsed, e164)| (seen_uri.as_bytes(), parsed, e164));
            for uri in uris {
                for shape in shapes {
                    let value = shape.replace("{}", uri);
                    let v = value.as_bytes();
                    let plain = super::name_addr(v);
                    let with = super::name_addr_seen(v, seen);
                    assert_eq!(view(v, with), view(v, plain), "{value} seen {seen_uri}");
                }
            }
        }
    }

    /// A Via `sent-by` given to `name_addr_hinted` changes nothing, whether the Contact repeats
    /// it (followed by parameters, headers, `>` or more host bytes) or not.
    #[test]
    fn name_addr_hinted_agrees_with_name_addr() {
        let vias = [
            "SIP/2.0/UDP 18.214.109.129:5060;branch=z9hG4bK1",
            "SIP/2.0/UDP 18.214.109.129;branch=z9hG4bK1",
            "SIP/2.0/UDP sbc.example.net:5061,SIP/2.0/UDP x",
            "SIP/2.0/UDP [2001:db8::9:1]:5060;rport",
            "SIP/2.0/UDP h : 5060;branch=z9hG4bK1",
            "SIP/2.0/UDP 1.2.3.4:5",
        ];
        let hosts = [
            "18.214.109.129:5060",
            "18.214.109.129",
            "18.214.109.129:50601",
            "18.214.109.1290",
            "18.214.109.129x",
            "sbc.example.net:5061",
            "sbc.example.net:5061.x",
            "[2001:db8::9:1]:5060",
            "h : 5060",
            "1.2.3.4:5",
            "1.2.3.4:56",
        ];
        let tails = [
            ">",
            ";transport=udp>",
            "?x=y>",
            ">;expires=60",
            ":5060>",
            "> x",
            "",
        ];
        for via in vias {
            let (_, hint) = super::via_sent_by(via.as_bytes()).unwrap();
            for host in hosts {
                for tail in tails {
                    let value = std::format!("<sip:+12025550199@{host}{tail}");
                    let v = value.as_bytes();
                    let plain = super::name_addr(v);
                    let with = super::name_addr_hinted(v, None, hint);
                    assert_eq!(view(v, with), view(v, plain), "{value} after Via {via}");
                }
            }
        }
    }

    /// The host of a Request-URI given as the hint of a To changes nothing, whether the To
    /// repeats it (with or without the port, followed by parameters, `>` or more host bytes) or
    /// not.
    #[test]
    fn name_addr_with_request_uri_host_agrees_with_name_addr() {
        let ruris = [
            "sip:+14155550123@sbc.example.net:5060;user=phone",
            "sip:+14155550123@sbc.example.net;user=phone",
            "sip:+14155550123@sbc.example.net",
            "sip:+14155550123@18.214.109.129:5060",
            "sip:+14155550123@[2001:db8::1]:5060",
            "sip:sbc.example.net",
            "tel:+14155550123",
        ];
        let hosts = [
            "sbc.example.net",
            "sbc.example.net:5060",
            "sbc.example.net:5061",
            "sbc.example.net.",
            "sbc.example.netx",
            "18.214.109.129",
            "18.214.109.1290",
            "[2001:db8::1]",
        ];
        let tails = [">", ";user=phone>", "?x=y>", ">;tag=1", "> x", ""];
        for ruri in ruris {
            let (parsed, _) = super::uri_parts(ruri.as_bytes()).unwrap();
            for host in hosts {
                for tail in tails {
                    let value = std::format!("<sip:+14155550123@{host}{tail}");
                    let v = value.as_bytes();
                    let plain = super::name_addr(v);
                    let with = super::name_addr_lazy(v, None, || parsed.host_hint());
                    assert_eq!(view(v, with), view(v, plain), "{value} after {ruri}");
                }
            }
        }
    }

    #[test]
    fn angle_e164_reads_the_usual_addresses() {
        for s in [
            &b"<sip:+14155550123@sbc.example.net;user=phone>;tag=x"[..],
            b"<sip:+12025550199@18.214.109.129:5060;transport=udp>",
            b"<sip:+15035550175@[2001:db8::9:1]>",
        ] {
            assert!(
                super::angle_e164(s, || None).is_some(),
                "{}",
                std::string::String::from_utf8_lossy(s)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The one search of `headers_and_ascii_tail` tells of `?` as `has_headers` does, and
        /// an ASCII tail is the URI's own last `tail_len` bytes, all ASCII.
        #[test]
        fn headers_and_ascii_tail_agree_with_separate_tests(
            u in "(sip:|tel:|x:)?[a-z0-9+]{0,8}[@:;?]{0,2}([a-z0-9.:@;?=-]|\u{e9}){0,40}"
        ) {
            let u = u.as_bytes();
            if let Ok((p, _)) = super::uri_parts(u) {
                let (headers, ascii_tail) = p.headers_and_ascii_tail();
                proptest::prop_assert_eq!(headers, p.has_headers());
                let tail = &u[u.len() - p.tail_len()..];
                proptest::prop_assert_eq!(tail, p.after_user);
                if ascii_tail {
                    proptest::prop_assert!(tail.is_ascii());
                }
                proptest::prop_assert_eq!(!headers && tail.is_ascii(), ascii_tail);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// A user part `uri_parts` tells E.164 leaves an ASCII head before its tail (the
        /// Request-URI's UTF-8 check skips it).
        #[test]
        fn e164_uri_head_is_ascii(
            u in "(sip:|SIP:|sips:)?(\\+|\u{e9})?([0-9]|\u{e9}){0,17}[@:]?([a-z0-9.]|\u{e9}){0,12}"
        ) {
            let u = u.as_bytes();
            if let Ok((p, true)) = super::uri_parts(u) {
                proptest::prop_assert!(u[..u.len() - p.tail_len()].is_ascii());
            }
        }
    }

    /// Scheme and host checks, on the `sip:` fast path and off it.
    #[test]
    fn uris() {
        use super::{Scheme, uri};
        for ok in [
            &b"sip:+14155550123@sbc.example.net;user=phone"[..],
            b"SIP:a@h",
            b"sips:a@[2001:db8::1]:5061",
            b"sip:h",
            b"sip:a:pw@h?x=y",
            b"tel:+14155550123;npdi",
        ] {
            assert!(uri(ok).is_ok(), "{ok:?}");
        }
        assert_eq!(uri(b"sip:a@h?x=y").map(|u| u.has_headers()), Ok(true));
        assert_eq!(uri(b"sip:h?x=y").map(|u| u.has_headers()), Ok(true));
        assert_eq!(uri(b"sip:a?b@h").map(|u| u.has_headers()), Ok(false));
        assert_eq!(uri(b"tel:+1?x").map(|u| u.has_headers()), Ok(false));
        assert_eq!(uri(b"SIP:a@h").map(|u| u.scheme), Ok(Scheme::Sip));
        for (u, user) in [
            (&b"sip:a:pw@h"[..], Some(&b"a"[..])),
            (b"sip:a@h:5060", Some(b"a")),
            (b"sip:h:5060", None),
            (b"sip:h:5060;x=a@b", Some(b"h")),
            (b"sip:+1@h", Some(b"+1")),
        ] {
            assert_eq!(uri(u).map(|p| p.user), Ok(user), "{u:?}");
        }
        assert_eq!(uri(b"mailto:a@h").map(|u| u.scheme), Ok(Scheme::Other));
        for (bad, why) in [
            (&b"sip:a@"[..], "SIP URI without a host"),
            (b"sip:a@:5060", "SIP URI without a host"),
            (b"sip:a@;x", "SIP URI without a host"),
            (b"sip:@h", "empty user part in a SIP URI"),
            (b"sip:", "malformed URI"),
            (b"1sip:a@h", "malformed URI"),
            (b"sip", "URI without a scheme"),
        ] {
            assert_eq!(uri(bad).err(), Some(why), "{bad:?}");
        }
    }

    /// A Via value as RFC 3261 25.1 reads it, written for clarity, returning whether its first
    /// `via-parm` has a non-empty branch: `protocol-name SLASH version SLASH transport LWS
    /// sent-by *(SEMI via-params)`, the parms separated by commas, `SLASH`, `SEMI`, `EQUAL` and
    /// `COMMA` with optional white space around them, `sent-by` a `hostport` (the host oracle of
    /// `host.rs`) with optional white space around its colon.
    fn via_oracle(s: &[u8]) -> Option<bool> {
        fn ws(s: &[u8]) -> &[u8] {
            let n = s.iter().take_while(|b| b" \t\r\n".contains(b)).count();
            &s[n..]
        }
        fn tok(s: &[u8]) -> Option<(&[u8], &[u8])> {
            let n = s.iter().take_while(|&&b| crate::class::is_token(b)).count();
            (n > 0).then(|| s.split_at(n))
        }
        fn sep(s: &[u8], c: u8) -> Option<&[u8]> {
            match ws(s).split_first() {
                Some((&b, rest)) if b == c => Some(ws(rest)),
                _ => None,
            }
        }
        let mut s = s;
        let mut first = None;
        loop {
            let (_, r) = tok(ws(s))?;
            let (_, r) = tok(sep(r, b'/')?)?;
            let (_, r) = tok(sep(r, b'/')?)?;
            let after = ws(r);
            if after.len() == r.len() {
                return None;
            }
            // The host: a bracketed reference or a name or quad, then maybe `: port`.
            let host_len = if after.first() == Some(&b'[') {
                after.iter().position(|&b| b == b']')? + 1
            } else {
                after
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'.')
                    .count()
            };
            let (host, mut r) = after.split_at(host_len);
            let mut hostport = std::string::String::from_utf8(host.to_vec()).ok()?;
            if let Some(p) = sep(r, b':') {
                let n = p.iter().take_while(|b| b.is_ascii_digit()).count();
                hostport.push(':');
                hostport.push_str(std::str::from_utf8(&p[..n]).ok()?);
                r = &p[n..];
            }
            if !crate::host::tests::oracle_hostport(&hostport) {
                return None;
            }
            let mut branch = None;
            while let Some(p) = sep(r, b';') {
                let (name, rest) = tok(p)?;
                r = rest;
                let mut value: &[u8] = b"";
                if let Some(v) = sep(r, b'=') {
                    let n = if v.first() == Some(&b'"') {
                        let mut i = 1;
                        loop {
                            match v.get(i)? {
                                b'"' => break i + 1,
                                b'\\' if !matches!(v.get(i + 1)?, b'\r' | b'\n') => i += 2,
                                b'\\' => return None,
                                _ => i += 1,
                            }
                        }
                    } else {
                        v.iter()
                            .take_while(|&&b| crate::class::is_hostish(b))
                            .count()
                    };
                    if n == 0 {
                        return None;
                    }
                    value = &v[..n];
                    r = &v[n..];
                }
                if branch.is_none() && name.eq_ignore_ascii_case(b"branch") {
                    branch = Some(!value.is_empty());
                }
            }
            if first.is_none() {
                first = Some(branch.unwrap_or(false));
            }
            match ws(r).split_first() {
                None => return first,
                Some((b',', next)) => s = next,
                Some(_) => return None,
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The `SIP/2.0/` shortcut reads Via values as the token-by-token path does.
        #[test]
        fn via_agrees_with_generic(
            v in "( ?SIP ?/ ?2\\.0 ?/ ?(UDP|TCP|x|/)?( h(:5060)?)?(;branch=z9hG4bK1|;rport|;branch)*(, ?SIP/2\\.0/TLS h|,)?)|[SIP/2.0 ;,a-z]{0,16}"
        ) {
            proptest::prop_assert_eq!(super::via(v.as_bytes()).ok(), via_oracle(v.as_bytes()), "{:?}", v);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The word-skipping Call-ID check agrees with a byte loop.
        #[test]
        fn call_id_agrees_with_scalar(v in "[a-f0-9.@-]{0,40}|[a-z0-9@ ;:<>~-]{0,24}") {
            let b = v.as_bytes();
            let ats = b.split(|&c| c == b'@').count() - 1;
            let words = b.iter().all(|&c| crate::class::is_word(c) || c == b'@');
            let scalar = words
                && match (ats, b.iter().position(|&c| c == b'@')) {
                    (0, _) => !b.is_empty(),
                    (1, Some(i)) => i > 0 && i + 1 < b.len(),
                    _ => false,
                };
            proptest::prop_assert_eq!(call_id(b).is_ok(), scalar);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The transport shortcut and the exact host and parameter runs read Via values as the
        /// token-by-token path does, near misses of the usual shape included.
        #[test]
        fn via_transports_agree_with_generic(
            v in "SIP/2\\.0/(UDP|TCP|TLS|UD|UDPX|udp|SCTP|TLS:|U_P)[ \t]{0,2}([a-z0-9.:_\\[\\]-]|\u{e9}){0,24}(;[a-z]{1,7}(=[a-zA-Z0-9._!-]{0,20})?){0,3}( ?, ?SIP/2\\.0/TCP h)?"
        ) {
            proptest::prop_assert_eq!(super::via(v.as_bytes()).ok(), via_oracle(v.as_bytes()), "{:?}", v);
        }

        /// The Call-ID check agrees with a byte loop on long values with every kind of byte.
        #[test]
        fn call_id_runs_agree_with_scalar(v in proptest::collection::vec(
            proptest::prop_oneof![
                8 => proptest::sample::select(&b"az09AZ-.:"[..]),
                2 => proptest::sample::select(&b"@_!~+/?{}()<>\\\" ;,=#"[..]),
                1 => proptest::prelude::any::<u8>(),
            ],
            0..64,
        )) {
            let b = &v[..];
            let ats = b.split(|&c| c == b'@').count() - 1;
            let words = b.iter().all(|&c| crate::class::is_word(c) || c == b'@');
            let scalar = words
                && match (ats, b.iter().position(|&c| c == b'@')) {
                    (0, _) => !b.is_empty(),
                    (1, Some(i)) => i > 0 && i + 1 < b.len(),
                    _ => false,
                };
            proptest::prop_assert_eq!(call_id(b).is_ok(), scalar);
        }
    }

    /// The byte loop the word-at-a-time `quoted` must agree with.
    fn quoted_scalar(s: &[u8]) -> Result<&[u8], super::Fail> {
        let mut it = s.get(1..).unwrap_or_default().iter().enumerate();
        while let Some((i, &b)) = it.next() {
            match b {
                b'"' => return Ok(s.get(i + 2..).unwrap_or_default()),
                b'\\' => match it.next() {
                    Some((_, b'\r' | b'\n')) | None => break,
                    Some(_) => {}
                },
                _ => {}
            }
        }
        Err("unterminated quoted string")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// `quoted` agrees with the byte loop on display names with and without escapes.
        #[test]
        fn quoted_agrees_with_scalar(body in "[a-z\"\\\\\r\n +]{0,24}") {
            let mut s = [0u8; 64];
            s[0] = b'"';
            s[1..=body.len()].copy_from_slice(body.as_bytes());
            let s = &s[..=body.len()];
            proptest::prop_assert_eq!(super::quoted(s), quoted_scalar(s));
        }
    }

    /// `skip_lws` trims as `trim_start` does, whatever the first two bytes.
    #[test]
    fn skip_lws_agrees_with_trim_start() {
        use super::{skip_lws, trim_start};
        assert_eq!(skip_lws(b""), trim_start(b""));
        for a in 0..=255u8 {
            for b in [b' ', b'\t', b'\r', b'\n', b'x', 0, 0x21, 0x80] {
                for s in [&[a][..], &[a, b], &[a, b, b'y']] {
                    assert_eq!(skip_lws(s), trim_start(s), "{s:?}");
                }
            }
        }
    }

    /// `skip_space` trims as `trim_start` does, whatever the first three bytes.
    #[test]
    fn skip_space_agrees_with_trim_start() {
        use super::{skip_space, trim_start};
        assert_eq!(skip_space(b""), trim_start(b""));
        let edges = [b' ', b'\t', b'\r', b'\n', b'<', b'x', 0, 0x21, 0x80, 0xff];
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for c in edges {
                    for s in [&[a][..], &[a, b], &[a, b, c], &[a, b, c, b'y']] {
                        assert_eq!(skip_space(s), trim_start(s), "{s:?}");
                    }
                }
            }
        }
    }

    /// Parameter lists: the wanted name found with and without the token scan, faults kept.
    #[test]
    fn parameter_lists() {
        use super::params;
        assert_eq!(params(b";tag=1;x", b"tag"), Ok((Some(&b"1"[..]), &b""[..])));
        assert_eq!(
            params(b"; TAG = 1 ,x", b"tag"),
            Ok((Some(&b"1"[..]), &b",x"[..]))
        );
        assert_eq!(
            params(b";tagx=1;tag=2", b"tag"),
            Ok((Some(&b"2"[..]), &b""[..]))
        );
        assert_eq!(
            params(b";rport;branch=z9", b"branch"),
            Ok((Some(&b"z9"[..]), &b""[..]))
        );
        assert_eq!(
            params(b";branch", b"branch"),
            Ok((Some(&b""[..]), &b""[..]))
        );
        assert_eq!(params(b";=x", b""), Err("empty or malformed parameter"));
        assert_eq!(
            params(b";tag=", b"tag"),
            Err("parameter value missing after '='")
        );
        assert_eq!(params(b";=1", b"tag"), Err("empty or malformed parameter"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// Reading a known name without the token scan finds what `params` finds, near misses
        /// of the name (longer, shorter, other case, white space, values) included.
        #[test]
        fn params_known_agrees_with_params(
            v in "((;|; | ;)(rport|rpor|rportx|RPORT|rport-1|rport=|rport=9|rport =1|branch|branch=z|tag|x|)[ \t]?(,|;)?){0,4}"
        ) {
            let b = v.as_bytes();
            proptest::prop_assert_eq!(
                super::params_known(b, b"branch", b"rport"),
                super::params(b, b"branch")
            );
        }
    }

    #[test]
    fn cseqs() {
        use super::cseq;
        assert_eq!(cseq(b"101 INVITE"), Ok(&b"INVITE"[..]));
        assert_eq!(cseq(b"101  INVITE"), Ok(&b"INVITE"[..]));
        assert_eq!(cseq(b"1 INVITEX"), Ok(&b"INVITEX"[..]));
        assert_eq!(cseq(b"2147483647 ACK"), Ok(&b"ACK"[..]));
        for (bad, why) in [
            (
                &b"101 INVITE "[..],
                "unexpected characters after the CSeq method",
            ),
            (
                b"101INVITE",
                "CSeq number and method not separated by white space",
            ),
            (b"2147483648 INVITE", "CSeq number larger than 2^31 - 1"),
            (b"x INVITE", "CSeq number is not a number"),
            (b"101 ", "CSeq method missing"),
        ] {
            assert_eq!(cseq(bad), Err(why), "{bad:?}");
        }
    }

    /// `cseq` as it read values before the shortcut for the usual `number INVITE`.
    fn cseq_generic(s: &[u8]) -> Result<&[u8], super::Fail> {
        use super::{digit_run, parse_u64, token, trim_start};
        let (digits, rest) = s.split_at_checked(digit_run(s)).unwrap_or((s, &[]));
        match parse_u64(digits) {
            Some(n) if n <= 0x7fff_ffff => {}
            Some(_) => return Err("CSeq number larger than 2^31 - 1"),
            None => return Err("CSeq number is not a number"),
        }
        let method = trim_start(rest);
        if method.len() == rest.len() {
            return Err("CSeq number and method not separated by white space");
        }
        let (m, tail) = token(method).map_err(|_| "CSeq method missing")?;
        if !tail.is_empty() {
            return Err("unexpected characters after the CSeq method");
        }
        Ok(m)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        /// The `number INVITE` shortcut reads CSeq values as the general path does, slices
        /// included.
        #[test]
        fn cseq_agrees_with_generic(
            v in "[0-9x ]{0,12}[ \t]{0,2}(INVITE|INVITEX|INVIT|ACK|invite| INVITE)?[ x]?|[0-9]{0,22} INVITE"
        ) {
            let b = v.as_bytes();
            let (fast, slow) = (super::cseq(b), cseq_generic(b));
            proptest::prop_assert_eq!(fast, slow);
            if let (Ok(f), Ok(g)) = (fast, slow) {
                proptest::prop_assert_eq!(f.as_ptr(), g.as_ptr());
            }
        }
    }

    /// Every value of up to two bytes reads as the general parse reads it.
    #[test]
    fn max_forwards_short_values() {
        use super::{max_forwards, max_forwards_general};
        assert_eq!(max_forwards(b""), max_forwards_general(b""));
        for a in 0..=255u8 {
            assert_eq!(max_forwards(&[a]), max_forwards_general(&[a]), "{a:#x}");
            for b in 0..=255u8 {
                let s = [a, b];
                assert_eq!(max_forwards(&s), max_forwards_general(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn call_ids() {
        for ok in [&b"a84b4c76e66710"[..], b"abc@host.example", b"x@y"] {
            assert!(call_id(ok).is_ok(), "{ok:?}");
        }
        for bad in [&b""[..], b"@host", b"abc@", b"a@b@c", b"a b"] {
            assert!(call_id(bad).is_err(), "{bad:?}");
        }
    }
}
