//! The stateless response to a refused request (RFC 3261 §8.2.6), written into a caller buffer
//! without allocation.
//!
//! The response copies every `Via` in order, `From`, `To`, `Call-ID` and `CSeq` byte for byte
//! from the request, adds a To-tag when the request's `To` has none, and ends with
//! `Content-Length: 0`. Depending on the status it adds `Allow` (405), `Accept` (415),
//! `Retry-After` (503) and `Unsupported` (420); a `Warning` (code 399) carries the rejection's
//! reason unless turned off.
//!
//! # The To-tag
//! A stateless server keeps no record of the tags it gave, so the tag is computed from the
//! request: the 64-bit FNV-1a hash of [`Answer::with_tag_key`]'s key, the `Call-ID`, the first
//! `Via`, the `From` and the `CSeq` number, as sixteen hex digits. A retransmission of a request
//! gets the same tag (RFC 3261 §8.2.6.2 asks for that), two requests of different transactions
//! get different tags with overwhelming probability, and the `ACK` of a refused INVITE, which
//! repeats its top `Via`, `From`, `Call-ID` and `CSeq` number (RFC 3261 §17.1.1.3), carries the
//! tag a stateless server can recompute: [`Answer::is_own_ack`] tells it to absorb that `ACK`. FNV-1a is not a keyed cryptographic hash: the
//! key separates deployments but does not make tags unpredictable, so nothing may rely on a tag
//! being secret (RFC 3261 §19.3 asks for tags random enough to be unique, which this is; the
//! tag of a final non-2xx response never builds a dialog).
//!
//! # What is not answered
//! [`Answer::write`] returns `Ok(None)` (drop the message) for a response, an `ACK` (never
//! answered, RFC 3261 §17.2.1), and a request too broken to answer: without a `Via`, `Call-ID`,
//! `From`, `To` or `CSeq`, with one of the last four twice (the transaction is ambiguous), or
//! with one of them holding a byte that cannot be copied into a header (a control byte, a bare
//! line break).
//!
//! The `received` and `rport` parameters (RFC 3261 §18.2.1, RFC 3581) are not added to the
//! copied `Via`: the caller sends the response back to the address the request came from,
//! which is where those parameters would send it.
//!
//! ```
//! use sip_rules::{Answer, Header, Policy};
//!
//! let request = b"OPTIONS sip:+14155550123@sbc.example.net SIP/2.0\r\n\
//!     Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\n\
//!     From: <sip:+12025550199@192.0.2.1>;tag=9fxced76sl\r\n\
//!     To: <sip:+14155550123@sbc.example.net>\r\n\
//!     Call-ID: 3848276298220188511@192.0.2.1\r\n\
//!     CSeq: 63104 OPTIONS\r\n\
//!     Max-Forwards: 70\r\n\r\n";
//! let mut headers = [Header::EMPTY; 16];
//! let rejection = Policy::permissive()
//!     .check("192.0.2.1".parse()?, request, &mut headers)
//!     .unwrap_err();
//! let mut out = [0u8; 1024];
//! let n = Answer::DEFAULT.write(request, &rejection, &mut out)?.expect("answerable");
//! let response = std::str::from_utf8(&out[..n])?;
//! assert!(response.starts_with("SIP/2.0 405 Method Not Allowed\r\n\
//!     Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\r\n"));
//! assert!(response.contains("\r\nTo: <sip:+14155550123@sbc.example.net>;tag="));
//! assert!(response.contains("\r\nAllow: INVITE, ACK, CANCEL, BYE\r\n"));
//! assert!(response.ends_with("\r\nContent-Length: 0\r\n\r\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use crate::class::{eq_lower, trim};
use crate::head::HeaderName;
use crate::reject::Rejection;
use crate::wire::{
    FNV_BASIS, Fields, Out, copyable, fnv1a, header_params, hex16, method, param, start_line,
};

/// The caller buffer cannot hold the response; `needed` bytes would.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TooSmall {
    /// The length the message needs.
    pub needed: usize,
}

impl fmt::Display for TooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "buffer too small: the message needs {} bytes",
            self.needed
        )
    }
}

impl core::error::Error for TooSmall {}

/// Most `Via` fields copied into a response; a request with more is not answered.
pub const MAX_VIAS: usize = 32;

/// What a response says beyond the copied headers: the `Allow`, `Accept` and `Warning` values,
/// the `Retry-After` of a 503, and the key of the To-tag. Built in `const` context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer<'c> {
    allow: &'c str,
    accept: &'c str,
    warning_agent: Option<&'c str>,
    retry_after: u32,
    tag_key: u64,
}

impl<'c> Answer<'c> {
    /// `Allow: INVITE, ACK, CANCEL, BYE`, `Accept: application/sdp`, a `Warning` from agent
    /// `sip-rules`, `Retry-After: 60` on a 503, To-tag key 0.
    pub const DEFAULT: Answer<'static> = Answer {
        allow: "INVITE, ACK, CANCEL, BYE",
        accept: "application/sdp",
        warning_agent: Some("sip-rules"),
        retry_after: 60,
        tag_key: 0,
    };

    /// The methods a 405 lists in `Allow`.
    #[must_use]
    pub const fn with_allow(mut self, allow: &'c str) -> Self {
        self.allow = allow;
        self
    }

    /// The media types a 415 lists in `Accept`.
    #[must_use]
    pub const fn with_accept(mut self, accept: &'c str) -> Self {
        self.accept = accept;
        self
    }

    /// The warn-agent (a host name or a token) of the `Warning: 399` header that carries the
    /// rejection's reason; `None` leaves the reason out of the response.
    #[must_use]
    pub const fn with_warning_agent(mut self, agent: Option<&'c str>) -> Self {
        self.warning_agent = agent;
        self
    }

    /// The seconds a 503 asks the client to wait in `Retry-After`.
    #[must_use]
    pub const fn with_retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = seconds;
        self
    }

    /// The key mixed into the To-tag hash, so that two deployments give different tags to the
    /// same request.
    #[must_use]
    pub const fn with_tag_key(mut self, key: u64) -> Self {
        self.tag_key = key;
        self
    }

    /// Writes the response to a request refused with `rejection` into `out`: its status, the
    /// standard reason phrase, and the reason in a `Warning`.
    ///
    /// # Errors
    /// [`TooSmall`] with the length needed when `out` cannot hold the response.
    pub fn write(
        &self,
        request: &[u8],
        rejection: &Rejection<'_>,
        out: &mut [u8],
    ) -> Result<Option<usize>, TooSmall> {
        self.write_status(
            request,
            rejection.status(),
            rejection.rule().phrase(),
            Some(rejection.reason()),
            out,
        )
    }

    /// Writes a response with any final `status` (300 to 699) and `phrase` to `request` into
    /// `out`, `reason` going into the `Warning` when there is one (for example a 503 when the
    /// next hop cannot be reached). A `phrase` or `reason` byte that may not appear there is
    /// written as `?`; a status outside 300 to 699 is written as 500.
    ///
    /// # Errors
    /// [`TooSmall`] with the length needed when `out` cannot hold the response.
    pub fn write_status(
        &self,
        request: &[u8],
        status: u16,
        phrase: &str,
        reason: Option<&str>,
        out: &mut [u8],
    ) -> Result<Option<usize>, TooSmall> {
        let Some(copied) = Copied::read(request) else {
            return Ok(None);
        };
        let status = if (300..=699).contains(&status) {
            status
        } else {
            500
        };
        let mut w = Out::new(out);
        w.put(b"SIP/2.0 ");
        w.put_u64(u64::from(status));
        w.put(b" ");
        put_text(&mut w, phrase.as_bytes(), false);
        w.put(b"\r\n");
        for via in copied.vias.iter().take(copied.via_count) {
            w.put(b"Via: ");
            w.put(via);
            w.put(b"\r\n");
        }
        w.put(b"From: ");
        w.put(copied.from);
        w.put(b"\r\nTo: ");
        w.put(copied.to);
        if param(header_params(copied.to), b"tag").is_none() {
            w.put(b";tag=");
            w.put(&hex16(self.tag(&copied)));
        }
        w.put(b"\r\nCall-ID: ");
        w.put(copied.call_id);
        w.put(b"\r\nCSeq: ");
        w.put(copied.cseq);
        w.put(b"\r\n");
        match status {
            405 => {
                w.put(b"Allow: ");
                put_text(&mut w, self.allow.as_bytes(), false);
                w.put(b"\r\n");
            }
            415 => {
                w.put(b"Accept: ");
                put_text(&mut w, self.accept.as_bytes(), false);
                w.put(b"\r\n");
            }
            503 => {
                w.put(b"Retry-After: ");
                w.put_u64(u64::from(self.retry_after));
                w.put(b"\r\n");
            }
            420 => {
                // Every option tag the request requires: this server supports none.
                let mut first = true;
                for require in Fields::new(request, copied.after_start) {
                    if require.well_formed
                        && eq_lower(require.name, b"require")
                        && copyable(require.value)
                    {
                        w.put(if first { b"Unsupported: " } else { b", " });
                        w.put(require.value);
                        first = false;
                    }
                }
                if !first {
                    w.put(b"\r\n");
                }
            }
            _ => {}
        }
        if let (Some(agent), Some(reason)) = (self.warning_agent, reason) {
            w.put(b"Warning: 399 ");
            put_text(&mut w, agent.as_bytes(), false);
            w.put(b" \"");
            put_text(&mut w, reason.as_bytes(), true);
            w.put(b"\"\r\n");
        }
        w.put(b"Content-Length: 0\r\n\r\n");
        w.finish().map(Some).map_err(|needed| TooSmall { needed })
    }

    /// Whether `request` is the `ACK` of a non-2xx response this answer wrote: an `ACK` whose
    /// To-tag is the tag [`Answer::write`] gives its INVITE (same key, `Call-ID`, top `Via`,
    /// `From` and `CSeq` number). A stateless server absorbs such an `ACK` instead of forwarding
    /// it (RFC 3261 §17.2.1: the `ACK` of a non-2xx response belongs to its transaction).
    pub fn is_own_ack(&self, request: &[u8]) -> bool {
        let Some(copied) = Copied::read_any(request) else {
            return false;
        };
        copied.ack
            && param(header_params(copied.to), b"tag")
                .is_some_and(|t| t == hex16(self.tag(&copied)))
    }

    /// The To-tag of a request (see the module documentation).
    fn tag(&self, copied: &Copied<'_>) -> u64 {
        let mut h = fnv1a(FNV_BASIS, &self.tag_key.to_le_bytes());
        let number = trim(copied.cseq)
            .split(|b| !b.is_ascii_digit())
            .next()
            .unwrap_or_default();
        for part in [
            copied.call_id,
            copied.vias.first().copied().unwrap_or_default(),
            copied.from,
            number,
        ] {
            h = fnv1a(h, part);
            h = fnv1a(h, &[0]);
        }
        h
    }
}

impl Default for Answer<'_> {
    fn default() -> Self {
        Answer::DEFAULT
    }
}

/// Writes the response to a request refused with `rejection` with [`Answer::DEFAULT`].
///
/// # Errors
/// [`TooSmall`] with the length needed when `out` cannot hold the response.
pub fn write_response(
    request: &[u8],
    rejection: &Rejection<'_>,
    out: &mut [u8],
) -> Result<Option<usize>, TooSmall> {
    Answer::DEFAULT.write(request, rejection, out)
}

/// Text for the status line or a quoted string: printable ASCII and space kept; inside quotes
/// `"` and `\` escaped; anything else written as `?`.
fn put_text(w: &mut Out<'_>, text: &[u8], quoted: bool) {
    for &b in text {
        match b {
            b'"' | b'\\' if quoted => w.put(&[b'\\', b]),
            b' ' | 0x21..=0x7e => w.put(&[b]),
            _ => w.put(b"?"),
        }
    }
}

/// The headers a response copies from its request.
struct Copied<'a> {
    vias: [&'a [u8]; MAX_VIAS],
    via_count: usize,
    from: &'a [u8],
    to: &'a [u8],
    call_id: &'a [u8],
    cseq: &'a [u8],
    after_start: usize,
    ack: bool,
}

impl<'a> Copied<'a> {
    /// The headers of an answerable request, `None` for a message that is not one.
    fn read(request: &'a [u8]) -> Option<Self> {
        Self::read_any(request).filter(|c| !c.ack)
    }

    /// [`Copied::read`], an `ACK` included.
    fn read_any(request: &'a [u8]) -> Option<Self> {
        let (line, after_start) = start_line(request)?;
        let ack = method(line)? == b"ACK";
        let mut vias = [b"".as_slice(); MAX_VIAS];
        let mut via_count = 0;
        let mut single: [Option<&[u8]>; 4] = [None; 4];
        for field in Fields::new(request, after_start) {
            if !field.well_formed {
                continue;
            }
            let slot = match HeaderName::from_bytes(field.name) {
                HeaderName::Via => {
                    if !copyable(field.value) {
                        return None;
                    }
                    *vias.get_mut(via_count)? = field.value;
                    via_count += 1;
                    continue;
                }
                HeaderName::From => 0,
                HeaderName::To => 1,
                HeaderName::CallId => 2,
                HeaderName::CSeq => 3,
                _ => continue,
            };
            let seen = single.get_mut(slot)?;
            if seen.is_some() || !copyable(field.value) {
                return None;
            }
            *seen = Some(field.value);
        }
        let [Some(from), Some(to), Some(call_id), Some(cseq)] = single else {
            return None;
        };
        (via_count > 0).then_some(Self {
            vias,
            via_count,
            from,
            to,
            call_id,
            cseq,
            after_start,
            ack,
        })
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::{Answer, TooSmall, write_response};
    use crate::{Header, Policy, Rejection, Rule};
    use std::string::String;

    const REQUEST: &[u8] = b"INVITE sip:+14155550123@sbc.example.net SIP/2.0\r\n\
        v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKp1, SIP/2.0/TCP 192.0.2.8;branch=z9hG4bKp2\r\n\
        Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9;received=192.0.2.1\r\n\
        f: \"Alice\" <sip:+12025550199@192.0.2.1>;tag=9fxced76sl\r\n\
        t: <sip:+14155550123@sbc.example.net>\r\n\
        i: 3848276298220188511@192.0.2.1\r\n\
        CSeq: 1\r\n  INVITE\r\n\
        Require: 100rel, timer\r\n\
        Require: foo\r\n\
        Max-Forwards: 70\r\n\
        c: text/plain\r\n\
        l: 2\r\n\r\nhi";

    fn answer(answer: &Answer<'_>, request: &[u8], status: u16) -> String {
        let mut out = [0u8; 2048];
        let n = answer
            .write_status(
                request,
                status,
                "Phrase",
                Some("a \"quoted\" reason"),
                &mut out,
            )
            .unwrap()
            .unwrap();
        String::from_utf8(out[..n].to_vec()).unwrap()
    }

    #[test]
    fn copies_vias_in_order_and_adds_a_tag() {
        let r = answer(&Answer::DEFAULT, REQUEST, 415);
        let expected_head = "SIP/2.0 415 Phrase\r\n\
            Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKp1, SIP/2.0/TCP 192.0.2.8;branch=z9hG4bKp2\r\n\
            Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9;received=192.0.2.1\r\n\
            From: \"Alice\" <sip:+12025550199@192.0.2.1>;tag=9fxced76sl\r\n\
            To: <sip:+14155550123@sbc.example.net>;tag=";
        assert!(r.starts_with(expected_head), "{r}");
        let tag = &r[expected_head.len()..expected_head.len() + 16];
        assert!(tag.bytes().all(|b| b.is_ascii_hexdigit()), "{tag}");
        let rest = &r[expected_head.len() + 16..];
        assert_eq!(
            rest,
            "\r\nCall-ID: 3848276298220188511@192.0.2.1\r\n\
             CSeq: 1\r\n  INVITE\r\n\
             Accept: application/sdp\r\n\
             Warning: 399 sip-rules \"a \\\"quoted\\\" reason\"\r\n\
             Content-Length: 0\r\n\r\n"
        );
        // Deterministic: a retransmission gets the same tag; another key another one.
        assert_eq!(answer(&Answer::DEFAULT, REQUEST, 415), r);
        assert_ne!(answer(&Answer::DEFAULT.with_tag_key(7), REQUEST, 415), r);
    }

    #[test]
    fn status_specific_headers() {
        let allow = answer(&Answer::DEFAULT.with_allow("INVITE"), REQUEST, 405);
        assert!(allow.contains("\r\nAllow: INVITE\r\n"), "{allow}");
        let retry = answer(&Answer::DEFAULT.with_retry_after(5), REQUEST, 503);
        assert!(retry.contains("\r\nRetry-After: 5\r\n"), "{retry}");
        let bad_ext = answer(&Answer::DEFAULT, REQUEST, 420);
        assert!(
            bad_ext.contains("\r\nUnsupported: 100rel, timer, foo\r\n"),
            "{bad_ext}"
        );
        let quiet = answer(&Answer::DEFAULT.with_warning_agent(None), REQUEST, 404);
        assert!(!quiet.contains("Warning"), "{quiet}");
        for r in [&allow, &retry, &bad_ext, &quiet] {
            assert!(!r.contains("Content-Type"), "{r}");
        }
        assert!(answer(&Answer::DEFAULT, REQUEST, 99).starts_with("SIP/2.0 500 "));
    }

    #[test]
    fn the_ack_of_our_answer_is_recognised() {
        let r = answer(&Answer::DEFAULT, REQUEST, 404);
        let to = r.split("\r\n").find(|l| l.starts_with("To: ")).unwrap();
        let text = std::str::from_utf8(REQUEST).unwrap();
        let ack = text
            .replacen("INVITE sip:", "ACK sip:", 1)
            .replace("t: <sip:+14155550123@sbc.example.net>", to)
            .replace("CSeq: 1\r\n  INVITE", "CSeq: 1 ACK");
        assert!(Answer::DEFAULT.is_own_ack(ack.as_bytes()), "{ack}");
        assert!(!Answer::DEFAULT.with_tag_key(1).is_own_ack(ack.as_bytes()));
        assert!(!Answer::DEFAULT.is_own_ack(ack.replace("CSeq: 1 ACK", "CSeq: 2 ACK").as_bytes()));
        assert!(!Answer::DEFAULT.is_own_ack(ack.replacen("ACK sip:", "BYE sip:", 1).as_bytes()));
    }

    #[test]
    fn an_existing_to_tag_is_kept() {
        let req = std::str::from_utf8(REQUEST)
            .unwrap()
            .replace("sbc.example.net>\r\n", "sbc.example.net>;TAG=x1\r\n");
        let r = answer(&Answer::DEFAULT, req.as_bytes(), 400);
        assert!(
            r.contains("\r\nTo: <sip:+14155550123@sbc.example.net>;TAG=x1\r\n"),
            "{r}"
        );
    }

    #[test]
    fn too_broken_to_answer() {
        let text = std::str::from_utf8(REQUEST).unwrap();
        let cases = [
            text.replace("i: 3848276298220188511@192.0.2.1\r\n", ""),
            text.replace("v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKp1, SIP/2.0/TCP 192.0.2.8;branch=z9hG4bKp2\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9;received=192.0.2.1\r\n", ""),
            text.replace("CSeq: 1\r\n  INVITE\r\n", ""),
            text.replace("Max-Forwards: 70", "Call-ID: second"),
            text.replace("branch=z9hG4bKp1", "branch=z9hG4bK\rp1"),
            text.replace("INVITE sip:", "ACK sip:"),
            text.replace("INVITE sip:+14155550123@sbc.example.net SIP/2.0", "SIP/2.0 200 OK"),
            String::new(),
        ];
        for case in &cases {
            let r = Answer::DEFAULT.write_status(
                case.as_bytes(),
                400,
                "Bad Request",
                None,
                &mut [0; 2048],
            );
            assert_eq!(r, Ok(None), "{case}");
        }
    }

    #[test]
    fn a_small_buffer_is_a_typed_result() {
        let rejection = Rejection::new(Rule::Syntax, "test", b"");
        let mut big = [0u8; 2048];
        let n = write_response(REQUEST, &rejection, &mut big)
            .unwrap()
            .unwrap();
        for size in [0, 1, n / 2, n - 1] {
            let mut small = std::vec![0u8; size];
            assert_eq!(
                write_response(REQUEST, &rejection, &mut small),
                Err(TooSmall { needed: n })
            );
        }
        assert_eq!(
            write_response(REQUEST, &rejection, &mut big[..n]),
            Ok(Some(n))
        );
    }

    #[test]
    fn answers_a_policy_rejection() {
        let mut headers = [Header::EMPTY; 32];
        let source = "192.0.2.1".parse().unwrap();
        let err = Policy::new(crate::Acl::Cidrs(&[]))
            .check(source, REQUEST, &mut headers)
            .unwrap_err();
        let mut out = [0u8; 2048];
        let n = write_response(REQUEST, &err, &mut out).unwrap().unwrap();
        let r = std::str::from_utf8(&out[..n]).unwrap();
        assert!(r.starts_with("SIP/2.0 403 Forbidden\r\n"), "{r}");
        assert!(
            r.contains("Warning: 399 sip-rules \"source address not allowed\"\r\n"),
            "{r}"
        );
    }
}
