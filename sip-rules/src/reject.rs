//! Why a message was refused: the rule it broke, the SIP status a proxy answers with, and a reason.

use core::fmt;

/// The rule a rejected message broke. Each rule maps to one SIP status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The message is larger than a limit of the policy (513 Message Too Large).
    TooLarge,
    /// The source address is not in the policy's access list (403 Forbidden).
    Source,
    /// The request line, a header or the framing is malformed (400 Bad Request).
    Syntax,
    /// The message is a response, not a request (400; a proxy drops it instead of answering).
    NotARequest,
    /// The SIP version is not `SIP/2.0` (505 Version Not Supported).
    Version,
    /// The Request-URI scheme is neither `sip`, `sips` nor `tel` (416 Unsupported URI Scheme).
    UriScheme,
    /// The method is not INVITE (405 Method Not Allowed).
    Method,
    /// Max-Forwards is zero (483 Too Many Hops).
    TooManyHops,
    /// The Request-URI user part is not an E.164 number (484 Address Incomplete).
    NotE164,
    /// The Request-URI number is not one of the policy's numbers (404 Not Found).
    UnknownNumber,
    /// The From or P-Asserted-Identity user part is not an E.164 number (403 Forbidden).
    CallerId,
    /// The body is not `application/sdp` while the policy requires SDP (415 Unsupported Media Type).
    MediaType,
    /// The `Accept` header excludes `application/sdp` answers (406 Not Acceptable).
    NotAcceptable,
    /// The SDP offer is malformed (400 Bad Request).
    Sdp,
    /// The SDP offer lacks what the policy requires: the codec, telephone-event, or any offer
    /// at all (488 Not Acceptable Here).
    Media,
}

impl Rule {
    /// The SIP status code a proxy answers with.
    pub const fn status(self) -> u16 {
        match self {
            Self::TooLarge => 513,
            Self::Source | Self::CallerId => 403,
            Self::Syntax | Self::NotARequest | Self::Sdp => 400,
            Self::Version => 505,
            Self::UriScheme => 416,
            Self::Method => 405,
            Self::TooManyHops => 483,
            Self::NotE164 => 484,
            Self::UnknownNumber => 404,
            Self::MediaType => 415,
            Self::NotAcceptable => 406,
            Self::Media => 488,
        }
    }

    /// The standard SIP reason phrase of [`Rule::status`], for the response line.
    pub const fn phrase(self) -> &'static str {
        match self.status() {
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            406 => "Not Acceptable",
            415 => "Unsupported Media Type",
            416 => "Unsupported URI Scheme",
            483 => "Too Many Hops",
            484 => "Address Incomplete",
            488 => "Not Acceptable Here",
            505 => "Version Not Supported",
            _ => "Message Too Large",
        }
    }
}

/// A refused message: the [`Rule`] it broke, a fixed reason, and the offending bytes (a
/// sub-slice of the message, empty when no single value is to blame).
///
/// It is `Copy`, allocation-free, and prints as `400 Bad Request: CSeq method does not match the
/// request line ("OPTIONS")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rejection<'a> {
    rule: Rule,
    reason: &'static str,
    value: &'a [u8],
}

impl<'a> Rejection<'a> {
    /// A rejection for `rule` with `reason`, blaming `value`.
    pub const fn new(rule: Rule, reason: &'static str, value: &'a [u8]) -> Self {
        Self {
            rule,
            reason,
            value,
        }
    }

    /// The SIP status code to answer with (400, 403, 404, 405, 406, 415, 416, 483, 484, 488,
    /// 505 or 513).
    pub const fn status(&self) -> u16 {
        self.rule.status()
    }

    /// Why, in a few words (for logs and the `Warning` or `Reason` header).
    pub const fn reason(&self) -> &'static str {
        self.reason
    }

    /// The rule that was broken.
    pub const fn rule(&self) -> Rule {
        self.rule
    }

    /// The offending bytes of the message (empty when no single value is to blame).
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The same rejection without the borrowed value, so it can outlive the message (for
    /// example to go into a `Box<dyn Error>`).
    ///
    /// ```
    /// use sip_rules::{Header, Policy};
    /// let mut headers = [Header::EMPTY; 8];
    /// let msg = b"OPTIONS sip:a@b SIP/2.0\r\n\r\n".to_vec();
    /// let err = Policy::permissive()
    ///     .check("192.0.2.1".parse().unwrap(), &msg, &mut headers)
    ///     .unwrap_err()
    ///     .detach();
    /// drop(msg);
    /// assert_eq!(err.status(), 400);
    /// ```
    pub const fn detach(self) -> Rejection<'static> {
        Rejection {
            rule: self.rule,
            reason: self.reason,
            value: b"",
        }
    }
}

/// At most this many offending bytes are printed by `Display`.
const SHOWN: usize = 64;

impl fmt::Display for Rejection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.rule.status(),
            self.rule.phrase(),
            self.reason
        )?;
        if !self.value.is_empty() {
            let (shown, cut) = match self.value.split_at_checked(SHOWN) {
                Some((head, _)) => (head, "..."),
                None => (self.value, ""),
            };
            write!(f, " (\"{}{cut}\")", shown.escape_ascii())?;
        }
        Ok(())
    }
}

impl core::error::Error for Rejection<'_> {}

/// Shorthand used across the crate.
pub(crate) const fn reject<'a>(rule: Rule, reason: &'static str, value: &'a [u8]) -> Rejection<'a> {
    Rejection::new(rule, reason, value)
}
