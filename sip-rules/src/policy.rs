//! The policy an INVITE is checked against, built without allocation and in `const` context.

use core::cmp::Ordering;
use core::fmt;
use core::net::IpAddr;

use crate::cidr::Cidr;
pub(crate) use crate::codec::Codec;

/// Which source addresses may send INVITEs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acl<'p> {
    /// Any source address.
    Any,
    /// Only addresses inside one of these blocks (an empty list refuses everyone).
    Cidrs(&'p [Cidr]),
}

impl Acl<'_> {
    /// Whether `ip` may send.
    pub fn allows(&self, ip: IpAddr) -> bool {
        match self {
            Self::Any => true,
            Self::Cidrs(list) => list.iter().any(|c| c.contains(ip)),
        }
    }
}

/// Whether an E.164 number must carry its leading `+`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Plus {
    /// `+14155550123` and `14155550123` are both accepted.
    Optional,
    /// Only `+14155550123` is accepted.
    Required,
}

/// How the message arrived, which decides what an incomplete message means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// UDP: the buffer is the whole datagram. A body shorter than Content-Length is a 400, bytes
    /// after Content-Length are ignored, and a missing Content-Length means "the rest".
    Datagram,
    /// TCP or TLS: the buffer is what has arrived so far. An incomplete message is
    /// [`Status::Partial`](crate::Status::Partial) and Content-Length is mandatory.
    Stream,
}

/// The named limits that bound the work done per message. The defaults accept every valid
/// message of RFC 4475, `longreq` (3.5 KB, 44 header lines, 594-byte lines) included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Largest message in bytes (head and body); larger is 513. Default 16 384.
    pub max_message_size: usize,
    /// Most header fields (after unfolding); more is 513. The caller's header slots also cap
    /// this. Default 64.
    pub max_headers: usize,
    /// Longest physical line in bytes, without its line end; longer is 513. Default 4 096.
    pub max_line_length: usize,
    /// Most lines in the SDP body; more is 513. Default 256.
    pub max_sdp_lines: usize,
}

impl Limits {
    /// The default limits.
    pub const DEFAULT: Self = Self {
        max_message_size: 16_384,
        max_headers: 64,
        max_line_length: 4_096,
        max_sdp_lines: 256,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a list of numbers was refused by [`Numbers::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumbersError {
    /// Entry at this index is not `+` and an E.164 number ([`crate::e164::check`] says why).
    NotE164(usize),
    /// Entry at this index is not strictly greater than the one before it.
    NotSorted(usize),
}

impl fmt::Display for NumbersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotE164(i) => write!(
                f,
                "number #{i} is not E.164: expected + and an assigned country calling code with a national length its plan allows"
            ),
            Self::NotSorted(i) => write!(
                f,
                "number #{i} is out of order: the list must be sorted ascending without duplicates"
            ),
        }
    }
}

impl core::error::Error for NumbersError {}

/// A sorted list of E.164 numbers (`"+14155550123"`), searched by binary search without
/// allocation: borrowed strings checked by [`Numbers::new`], or checked
/// [`Number`](crate::e164::Number)s taken as they are by [`Numbers::from_sorted`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Numbers<'p> {
    list: List<'p>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum List<'p> {
    Strs(&'p [&'p str]),
    Checked(&'p [crate::e164::Number]),
}

/// Byte-wise ordering usable in `const` context.
const fn less(a: &[u8], b: &[u8]) -> bool {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.split_first(), b.split_first()) {
            (Some((x, ra)), Some((y, rb))) => {
                if *x != *y {
                    return *x < *y;
                }
                a = ra;
                b = rb;
            }
            (None, Some(_)) => return true,
            _ => return false,
        }
    }
}

impl<'p> Numbers<'p> {
    /// Checks that every entry is E.164 ([`crate::e164::is_e164`]) and that the list is strictly
    /// ascending (as `sort()` on the strings leaves it).
    ///
    /// # Errors
    /// [`NumbersError::NotE164`] or [`NumbersError::NotSorted`] with the offending index.
    ///
    /// ```
    /// use sip_rules::Numbers;
    /// const DIDS: Numbers<'static> = match Numbers::new(&["+14155550100", "+14155550123"]) {
    ///     Ok(n) => n,
    ///     Err(_) => panic!("bad numbers"),
    /// };
    /// assert!(DIDS.contains("+14155550123"));
    /// assert!(!DIDS.contains("+14155550124"));
    /// ```
    pub const fn new(list: &'p [&'p str]) -> Result<Self, NumbersError> {
        let mut i = 0;
        let mut prev: Option<&[u8]> = None;
        let mut rest = list;
        while let Some((n, r)) = rest.split_first() {
            let n = n.as_bytes();
            if !crate::e164::is_e164(n) {
                return Err(NumbersError::NotE164(i));
            }
            if let Some(p) = prev
                && !less(p, n)
            {
                return Err(NumbersError::NotSorted(i));
            }
            prev = Some(n);
            rest = r;
            i += 1;
        }
        Ok(Self {
            list: List::Strs(list),
        })
    }

    /// Numbers that are E.164 by type, in ascending order (as `sort()` leaves them; duplicates
    /// are harmless). Nothing is checked and nothing can fail: like
    /// [`slice::binary_search`], a list out of order makes [`Numbers::contains`] miss entries.
    ///
    /// ```
    /// use sip_rules::{Numbers, e164::Number};
    /// let mut dids = ["+14155550123", "+14155550100"].map(|n| Number::parse(n).unwrap());
    /// dids.sort();
    /// let numbers = Numbers::from_sorted(&dids);
    /// assert!(numbers.contains("+14155550123") && numbers.contains("14155550100"));
    /// assert_eq!(numbers.len(), 2);
    /// ```
    pub const fn from_sorted(list: &'p [crate::e164::Number]) -> Self {
        Self {
            list: List::Checked(list),
        }
    }

    /// How many numbers the list holds.
    pub const fn len(&self) -> usize {
        match self.list {
            List::Strs(l) => l.len(),
            List::Checked(l) => l.len(),
        }
    }

    /// Whether the list is empty.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The numbers, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'p str> + 'p {
        let (strs, checked): (&'p [&'p str], &'p [crate::e164::Number]) = match self.list {
            List::Strs(l) => (l, &[]),
            List::Checked(l) => (&[], l),
        };
        strs.iter()
            .copied()
            .chain(checked.iter().map(crate::e164::Number::as_str))
    }

    /// Whether `number` (with or without its `+`) is in the list.
    pub fn contains(&self, number: &str) -> bool {
        self.contains_bytes(number.as_bytes())
    }

    /// [`Numbers::contains`] on bytes.
    pub(crate) fn contains_bytes(&self, number: &[u8]) -> bool {
        let digits = number.strip_prefix(b"+").unwrap_or(number);
        // The usual number, written with its `+` like every entry, is compared with entries of
        // its length as two overlapping big-endian words (see `plus_words`) instead of a
        // slice comparison; entries of other lengths are compared as slices.
        let key = plus_words(number);
        let order = |n: &[u8]| match (key, plus_words(n)) {
            (Some(key), Some(entry)) if n.len() == number.len() => entry.cmp(&key),
            _ => n.get(1..).unwrap_or_default().cmp(digits),
        };
        match self.list {
            List::Strs(l) => search(l, |n| order(n.as_bytes())),
            List::Checked(l) => search(l, |n| order(n.as_bytes())),
        }
    }
}

/// The binary search of `binary_search_by`, its last probe the only equality test.
#[inline]
fn search<T>(list: &[T], order: impl Fn(&T) -> Ordering) -> bool {
    let mut rest = list;
    while let [_, _, ..] = rest {
        let (low, high) = rest.split_at(rest.len() / 2);
        rest = match high.first() {
            Some(mid) if order(mid) != Ordering::Greater => high,
            _ => low,
        };
    }
    rest.first().is_some_and(|n| order(n) == Ordering::Equal)
}

/// The rules an INVITE is checked against, in the order of [`Policy::check`].
///
/// Built with `const` methods; it borrows the ACL and the numbers and never allocates.
///
/// ```
/// use sip_rules::{Acl, Codec, Numbers, Plus, Policy};
/// static NUMBERS: [&str; 1] = ["+14155550123"];
/// const POLICY: Policy<'static> = Policy::new(Acl::Any)
///     .with_plus(Plus::Required)
///     .require_telephone_event(true);
/// let with_numbers = POLICY.with_numbers(Numbers::new(&NUMBERS).unwrap());
/// assert_eq!(with_numbers.required_codec(), Some(Codec::PCMU));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent switches of the policy, each with a const setter
pub struct Policy<'p> {
    acl: Acl<'p>,
    numbers: Option<Numbers<'p>>,
    plus: Plus,
    e164_request_uri: bool,
    e164_caller: bool,
    via_branch: bool,
    rfc2543: bool,
    sdp: bool,
    codec: Option<Codec>,
    telephone_event: bool,
    transport: Transport,
    limits: Limits,
}

impl<'p> Policy<'p> {
    /// The interconnect default for `acl`: Request-URI must be E.164 (`+` optional), any number,
    /// caller ID not checked, topmost Via must carry a branch, SDP required with PCMU,
    /// telephone-event not required, UDP, [`Limits::DEFAULT`].
    pub const fn new(acl: Acl<'p>) -> Self {
        Self {
            acl,
            numbers: None,
            plus: Plus::Optional,
            e164_request_uri: true,
            e164_caller: false,
            via_branch: true,
            rfc2543: false,
            sdp: true,
            codec: Some(Codec::PCMU),
            telephone_event: false,
            transport: Transport::Datagram,
            limits: Limits::DEFAULT,
        }
    }

    /// Only the protocol rules: any source, any Request-URI, no SDP requirement (an SDP body is
    /// still validated), RFC 2543 peers accepted ([`Policy::allow_rfc2543`]: no Via branch, From
    /// tag or Max-Forwards needed), UDP, default limits.
    pub const fn permissive() -> Policy<'static> {
        Policy {
            acl: Acl::Any,
            numbers: None,
            plus: Plus::Optional,
            e164_request_uri: false,
            e164_caller: false,
            via_branch: false,
            rfc2543: true,
            sdp: false,
            codec: None,
            telephone_event: false,
            transport: Transport::Datagram,
            limits: Limits::DEFAULT,
        }
    }

    /// Replaces the source-address rule.
    #[must_use]
    pub const fn with_acl(mut self, acl: Acl<'p>) -> Self {
        self.acl = acl;
        self
    }

    /// Accepts only INVITEs whose Request-URI number is in `numbers` (else 404).
    /// Also turns on the E.164 Request-URI rule.
    #[must_use]
    pub const fn with_numbers(mut self, numbers: Numbers<'p>) -> Self {
        self.numbers = Some(numbers);
        self.e164_request_uri = true;
        self
    }

    /// Takes any Request-URI number again (the default), dropping a list set by
    /// [`Policy::with_numbers`].
    #[must_use]
    pub const fn with_any_number(mut self) -> Self {
        self.numbers = None;
        self
    }

    /// Whether E.164 numbers must carry a `+`.
    #[must_use]
    pub const fn with_plus(mut self, plus: Plus) -> Self {
        self.plus = plus;
        self
    }

    /// Whether the Request-URI user part must be an E.164 number (else 484).
    #[must_use]
    pub const fn require_e164_request_uri(mut self, on: bool) -> Self {
        self.e164_request_uri = on;
        self
    }

    /// Whether the From and P-Asserted-Identity user parts must be E.164 numbers (else 403).
    #[must_use]
    pub const fn require_e164_caller_id(mut self, on: bool) -> Self {
        self.e164_caller = on;
        self
    }

    /// Whether the topmost Via must carry a `branch` parameter (else 400). This alone does not
    /// let RFC 2543 peers in: they also send no From tag and often no Max-Forwards, which
    /// [`Policy::allow_rfc2543`] accepts.
    #[must_use]
    pub const fn require_via_branch(mut self, on: bool) -> Self {
        self.via_branch = on;
        self
    }

    /// Whether requests from RFC 2543 peers are accepted (RFC 3261 keeps them working: 8.1.1.7,
    /// 8.2.2.2 and 16.6 step 3, RFC 4475 3.4.1): a topmost Via without a branch, a From without a
    /// tag, and no Max-Forwards, which then reads as the 70 a proxy adds (RFC 3261 16.6 step 3).
    /// `allow_rfc2543(on)` also sets [`Policy::require_via_branch`] to `!on`. Off by default,
    /// on in [`Policy::permissive`].
    ///
    /// ```
    /// use sip_rules::{Acl, Header, Policy, Status};
    /// let msg = b"INVITE sip:+14155550123@sbc.example.net SIP/2.0\r\n\
    ///     Via: SIP/2.0/UDP 203.0.113.5\r\n\
    ///     From: <sip:+12025550199@203.0.113.5>\r\n\
    ///     To: <sip:+14155550123@sbc.example.net>\r\n\
    ///     Call-ID: a84b4c76e66710\r\n\
    ///     CSeq: 1 INVITE\r\n\r\n";
    /// let policy = Policy::new(Acl::Any).require_sdp(false);
    /// let mut headers = [Header::EMPTY; 16];
    /// let source = "203.0.113.5".parse().unwrap();
    /// assert_eq!(policy.check(source, msg, &mut headers).unwrap_err().status(), 400);
    /// let old = policy.allow_rfc2543(true);
    /// let Ok(Status::Complete(call)) = old.check(source, msg, &mut headers) else {
    ///     panic!("an RFC 2543 INVITE is accepted")
    /// };
    /// assert_eq!(call.max_forwards(), 70);
    /// ```
    #[must_use]
    pub const fn allow_rfc2543(mut self, on: bool) -> Self {
        self.rfc2543 = on;
        self.via_branch = !on;
        self
    }

    /// Whether the INVITE must carry an `application/sdp` offer (else 415, or 488 without body).
    #[must_use]
    pub const fn require_sdp(mut self, on: bool) -> Self {
        self.sdp = on;
        self
    }

    /// The codec an audio stream must offer (else 488); `None` for any.
    #[must_use]
    pub const fn with_required_codec(mut self, codec: Option<Codec>) -> Self {
        self.codec = codec;
        self
    }

    /// Whether the chosen audio stream must offer `telephone-event` (RFC 4733; else 488).
    #[must_use]
    pub const fn require_telephone_event(mut self, on: bool) -> Self {
        self.telephone_event = on;
        self
    }

    /// How messages arrive.
    #[must_use]
    pub const fn with_transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Replaces the limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The source-address rule.
    pub const fn acl(&self) -> Acl<'p> {
        self.acl
    }

    /// The numbers, if the policy lists them.
    pub const fn numbers(&self) -> Option<Numbers<'p>> {
        self.numbers
    }

    /// The `+` rule for E.164 numbers.
    pub const fn plus(&self) -> Plus {
        self.plus
    }

    /// Whether the Request-URI must be E.164.
    pub const fn e164_request_uri(&self) -> bool {
        self.e164_request_uri
    }

    /// Whether From and P-Asserted-Identity must be E.164.
    pub const fn e164_caller_id(&self) -> bool {
        self.e164_caller
    }

    /// Whether the topmost Via must carry a branch.
    pub const fn via_branch(&self) -> bool {
        self.via_branch
    }

    /// Whether RFC 2543 peers are accepted (no From tag or Max-Forwards needed).
    pub const fn rfc2543(&self) -> bool {
        self.rfc2543
    }

    /// Whether an SDP offer is required.
    pub const fn sdp_required(&self) -> bool {
        self.sdp
    }

    /// The required codec.
    pub const fn required_codec(&self) -> Option<Codec> {
        self.codec
    }

    /// Whether telephone-event is required.
    pub const fn telephone_event(&self) -> bool {
        self.telephone_event
    }

    /// The transport.
    pub const fn transport(&self) -> Transport {
        self.transport
    }

    /// The limits.
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// A `+` number of 8 to 16 bytes as its first and last eight bytes, big-endian: two such
/// numbers of the same length compare as these pairs compare, as their bytes do (equal first
/// words leave the first difference in the last word, whose overlap with the first is equal),
/// and as their digits after the common `+` do.
#[inline]
fn plus_words(n: &[u8]) -> Option<(u64, u64)> {
    let (Some(first), Some(last)) = (n.first_chunk::<8>(), n.last_chunk::<8>()) else {
        return None;
    };
    (n.len() <= 16 && first[0] == b'+')
        .then(|| (u64::from_be_bytes(*first), u64::from_be_bytes(*last)))
}

#[cfg(test)]
mod numbers_tests {
    extern crate std;
    use super::Numbers;
    use proptest::prelude::*;
    use std::string::String;
    use std::vec::Vec;

    /// The slice comparison the word comparison of `contains_bytes` must agree with.
    fn contains_sliced(list: &Numbers<'_>, number: &[u8]) -> bool {
        let digits = number.strip_prefix(b"+").unwrap_or(number);
        list.iter()
            .collect::<Vec<_>>()
            .binary_search_by(|n| n.as_bytes().get(1..).unwrap_or_default().cmp(digits))
            .is_ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        /// Lists of numbers of every length, and numbers near them (the same, one digit
        /// changed, longer, shorter, without `+`), found as the slice comparison finds them.
        #[test]
        fn contains_agrees_with_slice_comparison(
            raw in proptest::collection::vec("4[39][0-2]{5,13}", 0..8),
            probe in "\\+?[0-2]{0,17}|[+x;]?[0-2]{5,17}",
            pick in any::<prop::sample::Index>(),
            edit in 0..5u8,
        ) {
            let mut owned: Vec<String> = raw.iter().map(|d| std::format!("+{d}")).collect();
            owned.sort();
            owned.dedup();
            let list: Vec<&str> = owned.iter().map(String::as_str).collect();
            let numbers = Numbers::new(&list).unwrap();
            let typed: Vec<crate::e164::Number> =
                list.iter().map(|n| crate::e164::Number::parse(n).unwrap()).collect();
            let checked = Numbers::from_sorted(&typed);
            prop_assert!(checked.iter().eq(numbers.iter()));
            let mut probes = std::vec![probe.clone()];
            if !owned.is_empty() {
                let base = owned[pick.index(owned.len())].clone();
                probes.push(base.clone());
                probes.push(base[1..].into());
                probes.push(std::format!("{base}{edit}"));
                probes.push(base[..base.len() - 1].into());
                let mut changed = base.into_bytes();
                let at = 1 + usize::from(edit) % (changed.len() - 1);
                changed[at] = b'0' + (changed[at] - b'0' + 1) % 3;
                probes.push(String::from_utf8(changed).unwrap());
            }
            for p in &probes {
                prop_assert_eq!(numbers.contains_bytes(p.as_bytes()), contains_sliced(&numbers, p.as_bytes()), "{}", p);
                prop_assert_eq!(checked.contains_bytes(p.as_bytes()), numbers.contains_bytes(p.as_bytes()), "{}", p);
            }
        }
    }
}
