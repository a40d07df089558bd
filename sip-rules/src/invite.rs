//! The INVITE rules in policy order, and the view of an accepted INVITE.

use core::fmt;
use core::net::IpAddr;

use crate::class::as_str;
use crate::head::{Header, HeaderName, Known, Request, Status, parse_request};
use crate::policy::Policy;
use crate::reject::{Rejection, Rule, reject};
use crate::sdp::{self, AudioStream, Codecs, Wants};
use crate::value::{self, Scheme};

/// An accepted INVITE: every field borrows from the message.
///
/// The text fields are validated (ASCII, or UTF-8 for the Request-URI) while checking; the
/// `&str` views are made when read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Accepted<'a> {
    method: &'a [u8],
    request_uri: &'a [u8],
    number: Option<&'a [u8]>,
    from_number: Option<&'a [u8]>,
    pai_numbers: [Option<&'a [u8]>; 2],
    call_id: &'a [u8],
    max_forwards: u8,
    audio: Option<AudioStream<'a>>,
    body: &'a [u8],
    len: usize,
    header_count: usize,
}

/// Views bytes the rules validated as UTF-8 as `&str` (never the empty fallback).
const fn text(b: &[u8]) -> &str {
    match core::str::from_utf8(b) {
        Ok(s) => s,
        Err(_) => "",
    }
}

/// `text` over an optional value.
const fn opt_text(b: Option<&[u8]>) -> Option<&str> {
    match b {
        Some(b) => Some(text(b)),
        None => None,
    }
}

impl fmt::Debug for Accepted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Accepted")
            .field("method", &self.method())
            .field("request_uri", &self.request_uri())
            .field("number", &self.number())
            .field("from_number", &self.from_number())
            .field("pai_numbers", &self.pai_numbers.map(opt_text))
            .field("call_id", &self.call_id())
            .field("max_forwards", &self.max_forwards)
            .field("audio", &self.audio)
            .field("body", &self.body)
            .field("len", &self.len)
            .field("header_count", &self.header_count)
            .finish()
    }
}

impl<'a> Accepted<'a> {
    /// The method (`INVITE`).
    pub const fn method(&self) -> &'a str {
        text(self.method)
    }

    /// The Request-URI as written.
    pub const fn request_uri(&self) -> &'a str {
        text(self.request_uri)
    }

    /// The Request-URI number (`+14155550123`, or without `+` when the policy allows), `None`
    /// when it is not E.164 and the policy does not require it.
    pub const fn number(&self) -> Option<&'a str> {
        opt_text(self.number)
    }

    /// The From user part when it is an E.164 number.
    pub const fn from_number(&self) -> Option<&'a str> {
        opt_text(self.from_number)
    }

    /// The E.164 numbers of the P-Asserted-Identity values (at most two: RFC 3325 allows one
    /// `sip:` and one `tel:` identity).
    pub fn pai_numbers(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.pai_numbers.into_iter().flatten().map(text)
    }

    /// The Call-ID.
    pub const fn call_id(&self) -> &'a str {
        text(self.call_id)
    }

    /// The Max-Forwards value (at least 1; 70, what a proxy adds, when an RFC 2543 peer sent
    /// none and the policy allows it).
    pub const fn max_forwards(&self) -> u8 {
        self.max_forwards
    }

    /// The chosen audio stream of the SDP offer, if the INVITE carries one.
    pub const fn audio(&self) -> Option<&AudioStream<'a>> {
        self.audio.as_ref()
    }

    /// The audio connection address, if any.
    pub fn audio_address(&self) -> Option<&'a str> {
        self.audio.map(|a| a.address())
    }

    /// The audio RTP port, if any.
    pub fn audio_port(&self) -> Option<u16> {
        self.audio.map(|a| a.port())
    }

    /// The codecs offered on the chosen audio stream, in offer order (empty without SDP).
    pub fn codecs(&self) -> Codecs<'a> {
        match self.audio {
            Some(a) => a.codecs(),
            None => Codecs::empty(),
        }
    }

    /// The body (Content-Length bytes).
    pub const fn body(&self) -> &'a [u8] {
        self.body
    }

    /// How many bytes of the buffer the message takes.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the message takes no bytes (never true).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many of the caller's header slots were filled.
    pub const fn header_count(&self) -> usize {
        self.header_count
    }
}

fn header_str<'a>(
    name_for_missing: &'static str,
    v: Option<&'a [u8]>,
) -> Result<&'a [u8], Rejection<'a>> {
    v.ok_or(reject(Rule::Syntax, name_for_missing, b""))
}

/// Checks the Contact of an INVITE, the remote target of the dialog: present (RFC 2543 peers
/// may leave it out) and exactly one SIP or SIPS URI (RFC 3261 8.1.1.8), in `<>` when it
/// carries parameters or headers of its own (20.10; [`value::name_addr`] tells).
// Out of line: a walk over the slots, once per INVITE, that needs registers of its own.
#[inline(never)]
fn contact<'a>(
    headers: &[Header<'a>],
    rfc2543: bool,
    sent_by: Option<&[u8]>,
) -> Result<(), Rejection<'a>> {
    let mut found: Option<&'a [u8]> = None;
    for h in headers {
        if h.known() == HeaderName::Contact && found.replace(h.value()).is_some() {
            return Err(reject(
                Rule::Syntax,
                "more than one Contact in an INVITE",
                h.value(),
            ));
        }
    }
    let Some(v) = found else {
        if rfc2543 {
            return Ok(());
        }
        return Err(reject(Rule::Syntax, "Contact header missing", b""));
    };
    let (addr, rest) =
        value::name_addr_hinted(v, None, sent_by).map_err(|why| reject(Rule::Syntax, why, v))?;
    if !rest.is_empty() {
        return Err(reject(
            Rule::Syntax,
            "more than one Contact in an INVITE",
            v,
        ));
    }
    if addr.parsed.scheme != Scheme::Sip {
        return Err(reject(
            Rule::Syntax,
            "Contact of an INVITE is not a SIP or SIPS URI",
            addr.uri,
        ));
    }
    Ok(())
}

/// Checks that `s` is UTF-8 (ASCII in the common case, checked a word at a time), the ASCII
/// test in place and the rest out of line.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn utf8(s: &[u8]) -> Result<&[u8], Rejection<'_>> {
    if s.is_ascii() {
        Ok(s)
    } else {
        utf8_beyond_ascii(s)
    }
}

/// [`utf8`] for values with bytes from 0x80 up.
#[cold]
#[inline(never)]
fn utf8_beyond_ascii(s: &[u8]) -> Result<&[u8], Rejection<'_>> {
    if as_str(s).is_some() {
        Ok(s)
    } else {
        Err(reject(Rule::Syntax, "value is not UTF-8", s))
    }
}

/// Calls `f` with the position and value of each value of a repeatable header, in message
/// order, as [`Known::values`] yields them, stopping at the first error. The tokenizer stores the
/// first two values in order and counts them all, so up to two are read without the iterator,
/// which walks the slots only for more.
#[allow(clippy::inline_always)] // measured: fewer instructions per check under callgrind
#[inline(always)]
fn each_value<'a, E>(
    stored: [Option<&'a [u8]>; 2],
    count: usize,
    headers: &[Header<'a>],
    name: HeaderName,
    mut f: impl FnMut(usize, &'a [u8]) -> Result<(), E>,
) -> Result<(), E> {
    if count <= 2 {
        for (i, v) in stored.into_iter().map_while(|v| v).enumerate() {
            f(i, v)?;
        }
    } else {
        for (i, v) in Known::values(stored, count, headers, name).enumerate() {
            f(i, v)?;
        }
    }
    Ok(())
}

impl Policy<'_> {
    /// Checks one message from `source` against the policy, in this order, stopping at the first
    /// failure: size (513), source address (403), request syntax and framing (400, 505, 416),
    /// method (405), Max-Forwards (483), Request-URI number (484, 404), caller ID (403), body type
    /// (415, 406), SDP offer (400, 488).
    ///
    /// `headers` is the caller's storage for header slots (`[Header::EMPTY; 64]`); nothing is
    /// allocated.
    ///
    /// # Errors
    /// A [`Rejection`] carrying the SIP status to answer with and a reason. On
    /// [`Transport::Stream`](crate::Transport::Stream) an incomplete message is
    /// `Ok(Status::Partial)`, not an error.
    pub fn check<'a>(
        &self,
        source: IpAddr,
        message: &'a [u8],
        headers: &mut [Header<'a>],
    ) -> Result<Status<Accepted<'a>>, Rejection<'a>> {
        let limits = self.limits();
        if message.len() > limits.max_message_size {
            return Err(reject(Rule::TooLarge, "message larger than the limit", b""));
        }
        if !self.acl().allows(source) {
            return Err(reject(Rule::Source, "source address not allowed", b""));
        }
        // Read in place: the request is large, and moving it out of the result costs a copy.
        match &parse_request(message, headers, limits, self.transport()) {
            Ok(Status::Complete(req)) => self.rules(req),
            Ok(Status::Partial) => Ok(Status::Partial),
            Err(rejection) => Err(*rejection),
        }
    }

    #[allow(clippy::too_many_lines)] // the rules in policy order, read top to bottom
    #[inline(never)] // measured: fewer instructions per check under callgrind than inlined
    fn rules<'a>(&self, req: &Request<'_, 'a>) -> Result<Status<Accepted<'a>>, Rejection<'a>> {
        let k = &req.known;
        // Step 3: Request-URI and mandatory headers.
        let (ruri, ruri_e164) =
            value::uri_parts(req.uri()).map_err(|why| reject(Rule::Syntax, why, req.uri()))?;
        if ruri.scheme == Scheme::Other {
            return Err(reject(
                Rule::UriScheme,
                "Request-URI scheme is not sip, sips or tel",
                req.uri(),
            ));
        }
        let (has_headers, ascii_tail) = ruri.headers_and_ascii_tail();
        if has_headers {
            return Err(reject(
                Rule::Syntax,
                "Request-URI carries headers ('?')",
                req.uri(),
            ));
        }
        if k.via == 0 {
            return Err(reject(Rule::Syntax, "Via header missing", b""));
        }
        // The topmost `sent-by`, which the Contact usually repeats.
        let mut sent_by = None;
        let mut via = |v: &'a [u8], top: bool| {
            let (branch, host) =
                value::via_sent_by(v).map_err(|why| reject(Rule::Syntax, why, v))?;
            if top {
                if self.via_branch() && !branch {
                    return Err(reject(Rule::Syntax, "topmost Via has no branch", v));
                }
                sent_by = host;
            }
            Ok(())
        };
        each_value(
            k.via_values,
            k.via,
            req.headers(),
            HeaderName::Via,
            |i, v| via(v, i == 0),
        )?;
        let from = header_str("From header missing", k.from)?;
        let (from_addr, rest) =
            value::name_addr(from).map_err(|why| reject(Rule::Syntax, why, from))?;
        if !rest.is_empty() {
            return Err(reject(Rule::Syntax, "more than one address in From", from));
        }
        // RFC 2543 peers send no tag; an empty one (`;tag`) is malformed either way.
        match from_addr.tag {
            Some(t) if !t.is_empty() => {}
            None if self.rfc2543() => {}
            _ => return Err(reject(Rule::Syntax, "From has no tag", from)),
        }
        let from_uri = from_addr.parsed;
        let to = header_str("To header missing", k.to)?;
        // To usually repeats the Request-URI, read above, or at least its host.
        let (_, rest) =
            value::name_addr_lazy(to, Some((req.uri(), ruri, ruri_e164)), || ruri.host_hint())
                .map_err(|why| reject(Rule::Syntax, why, to))?;
        if !rest.is_empty() {
            return Err(reject(Rule::Syntax, "more than one address in To", to));
        }
        if req.method() == b"INVITE" {
            contact(req.headers(), self.rfc2543(), sent_by)?;
        }
        let call_id = header_str("Call-ID header missing", k.call_id)?;
        value::call_id(call_id).map_err(|why| reject(Rule::Syntax, why, call_id))?;
        let cseq = header_str("CSeq header missing", k.cseq)?;
        let cseq_method = value::cseq(cseq).map_err(|why| reject(Rule::Syntax, why, cseq))?;
        // Both INVITE, the usual case, is two comparisons with a constant instead of a call.
        if !(cseq_method == b"INVITE" && req.method() == b"INVITE") && cseq_method != req.method() {
            return Err(reject(
                Rule::Syntax,
                "CSeq method does not match the request line",
                cseq_method,
            ));
        }
        let (mf, max_forwards) = match k.max_forwards {
            Some(mf) => (
                mf,
                value::max_forwards(mf).map_err(|why| reject(Rule::Syntax, why, mf))?,
            ),
            // What a proxy adds to a request without one (RFC 3261 16.6 step 3).
            None if self.rfc2543() => (&b""[..], 70),
            None => return Err(reject(Rule::Syntax, "Max-Forwards header missing", b"")),
        };
        let is_sdp = match k.content_type {
            Some(ct) => {
                value::is_sdp_media_type(ct).map_err(|why| reject(Rule::Syntax, why, ct))?
            }
            None => false,
        };
        let mut pai = [None, None];
        // Each value's number (its E.164 test has no effect before step 7 reads it) and text.
        let mut pai_found = [None, None];
        let plus = self.plus();
        let mut slot = 0usize;
        let mut pai_value = |v: &'a [u8]| {
            let mut rest = v;
            loop {
                // Each value usually repeats the From URI, read above.
                let seen = (from_addr.uri, from_addr.parsed, from_addr.plus_e164);
                let (addr, r) = value::name_addr_seen(rest, Some(seen))
                    .map_err(|why| reject(Rule::Syntax, why, v))?;
                let place = pai_found.get_mut(slot).ok_or(reject(
                    Rule::Syntax,
                    "more than two P-Asserted-Identity values",
                    v,
                ))?;
                *place = Some((addr.parsed.number(addr.plus_e164, plus), addr.uri));
                slot += 1;
                match r.split_first() {
                    Some((b',', next)) => rest = next,
                    _ => return Ok(()),
                }
            }
        };
        each_value(
            k.pai_values,
            k.pai,
            req.headers(),
            HeaderName::PAssertedIdentity,
            |_, v| pai_value(v),
        )?;

        // Step 4: method.
        if req.method() != b"INVITE" {
            return Err(reject(Rule::Method, "method is not INVITE", req.method()));
        }
        // Step 5: Max-Forwards.
        if max_forwards == 0 {
            return Err(reject(Rule::TooManyHops, "Max-Forwards is 0", mf));
        }
        // Step 6: Request-URI number.
        let number = match ruri.number(ruri_e164, plus) {
            Some(n) => Some(n),
            None if self.e164_request_uri() => {
                return Err(reject(
                    Rule::NotE164,
                    "Request-URI user part is not an E.164 number",
                    ruri.user.unwrap_or(req.uri()),
                ));
            }
            None => None,
        };
        if let (Some(list), Some(n)) = (self.numbers(), number)
            && !list.contains_bytes(n)
        {
            return Err(reject(
                Rule::UnknownNumber,
                "Request-URI number is not served here",
                n,
            ));
        }
        // Step 7: caller ID.
        let from_number = from_uri.number(from_addr.plus_e164, plus);
        if self.e164_caller_id() && from_number.is_none() {
            return Err(reject(
                Rule::CallerId,
                "From user part is not an E.164 number",
                from_addr.uri,
            ));
        }
        for (i, found) in pai_found.iter().enumerate() {
            if let &Some((n, raw)) = found {
                if self.e164_caller_id() && n.is_none() {
                    return Err(reject(
                        Rule::CallerId,
                        "P-Asserted-Identity user part is not an E.164 number",
                        raw,
                    ));
                }
                if let Some(slot) = pai.get_mut(i) {
                    *slot = n;
                }
            }
        }
        // Step 8: body type.
        let body = req.body();
        if self.sdp_required() {
            if body.is_empty() {
                return Err(reject(Rule::Media, "the INVITE carries no SDP offer", b""));
            }
            if !is_sdp {
                return Err(reject(
                    Rule::MediaType,
                    "body is not application/sdp",
                    k.content_type.unwrap_or_default(),
                ));
            }
        }
        // Accept is a list header: its lines together are one list (RFC 3261 §7.3.1), so one of
        // them accepting SDP is enough.
        if is_sdp && let Some(first) = k.accept_values[0] {
            let mut accepts = false;
            each_value(
                k.accept_values,
                k.accept,
                req.headers(),
                HeaderName::Accept,
                |_, v| {
                    accepts |= value::accepts_sdp(v).map_err(|why| reject(Rule::Syntax, why, v))?;
                    Ok(())
                },
            )?;
            if !accepts {
                return Err(reject(
                    Rule::NotAcceptable,
                    "Accept excludes application/sdp",
                    first,
                ));
            }
        }
        // Step 9: SDP.
        let audio = if is_sdp && !body.is_empty() {
            let wants = Wants {
                codec: self.required_codec(),
                telephone_event: self.telephone_event(),
            };
            sdp::check(body, &wants, self.limits())?
        } else {
            None
        };

        // Built in the caller's result (measured: no copy of the view).
        Ok(Status::Complete(Accepted {
            // A token (checked by the tokenizer): ASCII.
            method: req.method(),
            // An ASCII tail leaves only the bytes before it to check, none when `uri_parts`
            // read them as `sip:+`, digits and `@` (`ruri_e164`).
            request_uri: match req
                .uri()
                .split_at_checked(req.uri().len().saturating_sub(ruri.tail_len()))
            {
                Some((head, _)) if ascii_tail && (ruri_e164 || head.is_ascii()) => req.uri(),
                _ => utf8(req.uri())?,
            },
            number,
            from_number,
            pai_numbers: pai,
            // `word` characters and `@` (checked above): ASCII.
            call_id,
            max_forwards,
            audio,
            body,
            len: req.len(),
            header_count: req.headers().len(),
        }))
    }
}

/// Checks one INVITE against `policy`: the free-function form of [`Policy::check`].
///
/// # Errors
/// See [`Policy::check`].
pub fn check_invite<'a>(
    policy: &Policy<'_>,
    source: IpAddr,
    message: &'a [u8],
    headers: &mut [Header<'a>],
) -> Result<Status<Accepted<'a>>, Rejection<'a>> {
    policy.check(source, message, headers)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::each_value;
    use crate::Transport;
    use crate::head::{Header, HeaderName, Known, parse_request};
    use crate::policy::Limits;
    use std::vec::Vec;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// `each_value` yields what `Known::values` yields, in order, for any number of Via and
        /// P-Asserted-Identity headers among others.
        #[test]
        fn each_value_agrees_with_known_values(kinds in proptest::collection::vec(0u8..3, 0..7)) {
            let mut msg = std::string::String::from("INVITE sip:a@h SIP/2.0\r\n");
            for (i, kind) in kinds.iter().enumerate() {
                let line = match kind {
                    0 => std::format!("Via: SIP/2.0/UDP h{i}\r\n"),
                    1 => std::format!("P-Asserted-Identity: <sip:{i}@h>\r\n"),
                    _ => std::format!("X-Other: {i}\r\n"),
                };
                msg.push_str(&line);
            }
            msg.push_str("\r\n");
            let mut slots = [Header::EMPTY; 16];
            let req = parse_request(msg.as_bytes(), &mut slots, &Limits::DEFAULT, Transport::Datagram)
                .unwrap()
                .complete()
                .unwrap();
            let k = req.known;
            for (stored, count, name) in [
                (k.via_values, k.via, HeaderName::Via),
                (k.pai_values, k.pai, HeaderName::PAssertedIdentity),
            ] {
                let want: Vec<&[u8]> = Known::values(stored, count, req.headers(), name).collect();
                let mut got = Vec::new();
                let done: Result<(), ()> = each_value(stored, count, req.headers(), name, |i, v| {
                    assert_eq!(i, got.len());
                    got.push(v);
                    Ok(())
                });
                proptest::prop_assert!(done.is_ok());
                proptest::prop_assert_eq!(got, want);
            }
        }
    }
}
