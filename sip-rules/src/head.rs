//! The request tokenizer: request line, header fields into caller-provided slots, framing.

use crate::class::{
    HIGH, ONES, eq_lower, equal_flags, find, in_range, is_lws, is_text, is_token, parse_u64,
    split_while, trim, uri_run, word,
};
use crate::policy::{Limits, Transport};
use crate::reject::{Rejection, Rule, reject};

/// The outcome of parsing a buffer that may not hold the whole message yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status<T> {
    /// The message is complete.
    Complete(T),
    /// More bytes are needed (stream transports only); parse again once they arrive.
    Partial,
}

impl<T> Status<T> {
    /// The complete value, or `None` for [`Status::Partial`].
    pub fn complete(self) -> Option<T> {
        match self {
            Self::Complete(t) => Some(t),
            Self::Partial => None,
        }
    }

    /// Whether more bytes are needed.
    pub const fn is_partial(&self) -> bool {
        matches!(self, Self::Partial)
    }
}

/// The one table of the header names this crate knows. Each row gives the variant of
/// [`HeaderName`], the long name in lower case, the compact form (RFC 3261 §7.3.3), whether RFC
/// 3261 allows the header once (`single(field)`: the field of [`Known`] that holds its value, a
/// second one is refused) or as a list (`list(count, values)`: the count and the first two values
/// kept in [`Known`]; `list()`: kept in the slots only), and which rule reads it.
///
/// From the rows come the enum, [`HeaderName::from_bytes`], [`HeaderName::is_single`], the
/// classifier of the header loop ([`classify`]), its prefix table ([`split_known`]), the recording
/// of each value ([`finish`]) and [`KNOWN`], which the tests read for their name lists.
macro_rules! known_headers {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $long:literal, $compact:expr, $card:ident($($field:ident),*), $rule:literal;
    )*) => {
        /// A header name this crate knows, long or compact form, matched ASCII case-insensitively.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum HeaderName {
            $(
                $(#[$doc])*
                #[doc = ""]
                #[doc = concat!("Read by: ", $rule, ".")]
                $variant,
            )*
            /// Any other header.
            Other,
        }

        /// The rows of the table, in its order.
        pub(crate) const KNOWN: &[Entry] = &[
            $(Entry {
                kind: HeaderName::$variant,
                name: $long.as_bytes(),
                compact: $compact,
                single: known_headers!(@single $card),
                rule: $rule,
            },)*
        ];

        impl HeaderName {
            /// Whether RFC 3261 allows this header at most once in a request (a second one is
            /// refused with 400).
            pub const fn is_single(self) -> bool {
                match self {
                    $(Self::$variant => known_headers!(@single $card),)*
                    Self::Other => false,
                }
            }
        }

        /// Records a value of a known header into `known`; a second value of a single-value
        /// header is refused.
        #[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
        #[inline(always)]
        fn store<'a>(
            kind: HeaderName,
            name: &'a [u8],
            value: &'a [u8],
            known: &mut Known<'a>,
        ) -> Result<(), Rejection<'a>> {
            match kind {
                $(HeaderName::$variant => known_headers!(@store known, name, value, $card($($field),*)),)*
                HeaderName::Other => Ok(()),
            }
        }

        #[cfg(test)]
        impl<'a> Known<'a> {
            /// What is kept of the header `kind` (the tests compare it with the slots).
            pub(crate) fn stored(&self, kind: HeaderName) -> Stored<'a> {
                match kind {
                    $(HeaderName::$variant => known_headers!(@stored self, $card($($field),*)),)*
                    HeaderName::Other => Stored::Slots,
                }
            }
        }
    };
    (@stored $known:ident, single($field:ident)) => { Stored::Single($known.$field) };
    (@stored $known:ident, list($count:ident, $values:ident)) => {
        Stored::List($known.$count, $known.$values)
    };
    (@stored $known:ident, list()) => { Stored::Slots };
    (@single single) => { true };
    (@single list) => { false };
    (@store $known:ident, $name:ident, $value:ident, single($field:ident)) => {{
        if $known.$field.is_some() {
            return Err(duplicate($name));
        }
        $known.$field = Some($value);
        Ok(())
    }};
    (@store $known:ident, $name:ident, $value:ident, list($count:ident, $values:ident)) => {{
        if let Some(place) = $known.$values.get_mut($known.$count) {
            *place = Some($value);
        }
        $known.$count += 1;
        Ok(())
    }};
    (@store $known:ident, $name:ident, $value:ident, list()) => {{
        Ok(())
    }};
}

// The order of the rows is the order in which the header loop tries the names that share a
// first two bytes: the usual ones first.
known_headers! {
    /// `Via`, compact `v`.
    Via => "via", Some(b'v'), list(via, via_values),
        "step 3, every sent-by and its parameters, a branch on the topmost";
    /// `From`, compact `f`.
    From => "from", Some(b'f'), single(from),
        "step 3 (one address with a tag) and step 7 (caller ID)";
    /// `To`, compact `t`.
    To => "to", Some(b't'), single(to), "step 3, one address";
    /// `Call-ID`, compact `i`.
    CallId => "call-id", Some(b'i'), single(call_id), "step 3, an RFC 3261 `callid`";
    /// `CSeq`.
    CSeq => "cseq", None, single(cseq), "step 3, number and the request's method";
    /// `Contact`, compact `m`.
    Contact => "contact", Some(b'm'), list(), "none (kept in the slots)";
    /// `Content-Type`, compact `c`.
    ContentType => "content-type", Some(b'c'), single(content_type),
        "step 8, `application/sdp` for the SDP offer";
    /// `Content-Length`, compact `l`.
    ContentLength => "content-length", Some(b'l'), single(content_length),
        "framing, the body length";
    /// `Max-Forwards`.
    MaxForwards => "max-forwards", None, single(max_forwards), "step 3 (0 to 255) and step 5";
    /// `P-Asserted-Identity` (RFC 3325).
    PAssertedIdentity => "p-asserted-identity", None, list(pai, pai_values),
        "step 3 (at most two addresses) and step 7 (caller ID)";
    /// `Supported`, compact `k`.
    Supported => "supported", Some(b'k'), list(), "none (kept in the slots)";
    /// `Accept`.
    Accept => "accept", None, list(accept, accept_values),
        "step 8, one of its values must accept `application/sdp`";
    /// `Content-Encoding`, compact `e`.
    ContentEncoding => "content-encoding", Some(b'e'), list(), "none (kept in the slots)";
    /// `Subject`, compact `s`.
    Subject => "subject", Some(b's'), single(subject), "none beyond its single occurrence";
}

/// What [`Known`] keeps of one header (see [`Known::stored`]).
#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stored<'a> {
    /// A single-value header's value.
    Single(Option<&'a [u8]>),
    /// A list header's count and first two values.
    List(usize, [Option<&'a [u8]>; 2]),
    /// Nothing: the slots hold the values.
    Slots,
}

/// One row of the header table (see `known_headers!`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// The variant.
    pub(crate) kind: HeaderName,
    /// The long name, lower case.
    pub(crate) name: &'static [u8],
    /// The compact form, lower case.
    pub(crate) compact: Option<u8>,
    /// Whether the header may appear once only.
    #[allow(dead_code)] // read by the tests, which check the classifiers against the table
    pub(crate) single: bool,
    /// Which rule reads the header.
    #[allow(dead_code)] // read by the tests and shown in the enum's documentation
    pub(crate) rule: &'static str,
}

impl HeaderName {
    /// Maps a header name (long or compact form, any case) to its enum value.
    ///
    /// ```
    /// use sip_rules::HeaderName;
    /// assert_eq!(HeaderName::from_bytes(b"i"), HeaderName::CallId);
    /// assert_eq!(HeaderName::from_bytes(b"cAlL-iD"), HeaderName::CallId);
    /// assert_eq!(HeaderName::from_bytes(b"X-Plivo"), HeaderName::Other);
    /// ```
    pub const fn from_bytes(name: &[u8]) -> Self {
        let mut rows = KNOWN;
        while let Some((row, rest)) = rows.split_first() {
            let compact = match (row.compact, name) {
                (Some(c), [b]) => b.to_ascii_lowercase() == c,
                _ => false,
            };
            if compact || eq_lower(name, row.name) {
                return row.kind;
            }
            rows = rest;
        }
        Self::Other
    }
}

/// `len` bytes (at most 8) of `text` from `at` as a little-endian word, each byte with bit
/// `0x20` set; usable in `const` context (for the literals) and at run time.
const fn folded(text: &[u8], at: usize, len: usize) -> u64 {
    let mut rest = text;
    let mut skipped = 0usize;
    while skipped < at {
        if let Some((_, r)) = rest.split_first() {
            rest = r;
        }
        skipped += 1;
    }
    let mut folded = 0u64;
    let mut taken = 0usize;
    while taken < len {
        if let Some((b, r)) = rest.split_first() {
            folded |= ((*b | 0x20) as u64) << (8 * taken);
            rest = r;
        }
        taken += 1;
    }
    folded
}

/// A header name of 1 to 24 bytes as three folded words: the first 8 bytes (or all of a shorter
/// name), the last 8 (names over 8 bytes) and the middle 8 (names over 16).
const fn name_key(s: &[u8]) -> (u64, u64, u64) {
    let n = s.len();
    if n <= 8 {
        (folded(s, 0, n), 0, 0)
    } else {
        let middle = if n > 16 { folded(s, 8, 8) } else { 0 };
        (folded(s, 0, 8), folded(s, n - 8, 8), middle)
    }
}

/// The run-time form of [`name_key`]: word loads instead of a byte loop.
#[inline]
fn load_key(s: &[u8]) -> (u64, u64, u64) {
    const FOLD8: u64 = u64::from_le_bytes([0x20; 8]);
    let w8 = |at: usize| s.get(at..at + 8).map_or(0, |c| word(c) | FOLD8);
    let n = s.len();
    if n <= 8 {
        let mut w = [0u8; 8];
        if let Some(head) = w.get_mut(..n) {
            head.copy_from_slice(s);
        }
        let keep = 1u64
            .checked_shl(8 * u32::try_from(n).unwrap_or(8))
            .map_or(u64::MAX, |b| b - 1);
        ((u64::from_le_bytes(w) | FOLD8) & keep, 0, 0)
    } else {
        let middle = if n > 16 { w8(8) } else { 0 };
        (w8(0), w8(n - 8), middle)
    }
}

/// The longest name of the table; [`Prefix`] and [`name_key`] read at most 23 and 24 bytes.
const LONGEST: usize = {
    let mut longest = 0;
    let mut rows = KNOWN;
    while let Some((row, rest)) = rows.split_first() {
        if row.name.len() > longest {
            longest = row.name.len();
        }
        rows = rest;
    }
    assert!(longest <= 23, "a known header name longer than 23 bytes");
    longest
};

/// The rows as `(length, key)` of their long names, for [`classify`].
static KEYS: [(usize, (u64, u64, u64)); KNOWN.len()] = {
    let mut keys = [(0, (0, 0, 0)); KNOWN.len()];
    let mut i = 0;
    while i < KNOWN.len() {
        if let (Some((_, [row, ..])), Some((_, [key, ..]))) =
            (KNOWN.split_at_checked(i), keys.split_at_mut_checked(i))
        {
            *key = (row.name.len(), name_key(row.name));
        }
        i += 1;
    }
    keys
};

/// The kind of each compact form, by its letter's low five bits (`Other` where there is none).
static COMPACT: [HeaderName; 32] = {
    let mut table = [HeaderName::Other; 32];
    let mut rows = KNOWN;
    while let Some((row, rest)) = rows.split_first() {
        if let Some(c) = row.compact
            && let Some((_, [slot, ..])) = table.split_at_mut_checked((c & 0x1f) as usize)
        {
            *slot = row.kind;
        }
        rows = rest;
    }
    table
};

/// [`HeaderName::from_bytes`] for a name already checked as an RFC 3261 token, by word
/// comparison. Setting bit `0x20` folds exactly the letters here: the only other byte that maps to a
/// letter or to `-` is CR, which is not a token character.
#[inline]
fn classify(name: &[u8]) -> HeaderName {
    if let [b] = name {
        return if b.is_ascii_alphabetic() {
            COMPACT
                .get(usize::from(b & 0x1f))
                .copied()
                .unwrap_or(HeaderName::Other)
        } else {
            HeaderName::Other
        };
    }
    if name.len() > LONGEST {
        return HeaderName::Other;
    }
    let key = load_key(name);
    for (row, &(len, k)) in KNOWN.iter().zip(KEYS.iter()) {
        if len == name.len() && k == key {
            return row.kind;
        }
    }
    HeaderName::Other
}

/// One header field, borrowed from the message. Folded values keep their line breaks; the
/// value is trimmed of surrounding white space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    name: &'a [u8],
    value: &'a [u8],
    known: HeaderName,
}

impl<'a> Header<'a> {
    /// An empty slot, to fill caller storage: `[Header::EMPTY; 64]`.
    pub const EMPTY: Header<'static> = Header {
        name: b"",
        value: b"",
        known: HeaderName::Other,
    };

    /// The name as written.
    pub const fn name(&self) -> &'a [u8] {
        self.name
    }

    /// The value, trimmed, with any folding line breaks inside.
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The recognised name.
    pub const fn known(&self) -> HeaderName {
        self.known
    }
}

/// The known headers' values, located once during tokenizing (the fields the header table
/// names, see `known_headers!`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Known<'a> {
    pub(crate) from: Option<&'a [u8]>,
    pub(crate) to: Option<&'a [u8]>,
    pub(crate) call_id: Option<&'a [u8]>,
    pub(crate) cseq: Option<&'a [u8]>,
    pub(crate) max_forwards: Option<&'a [u8]>,
    pub(crate) content_length: Option<&'a [u8]>,
    pub(crate) content_type: Option<&'a [u8]>,
    pub(crate) subject: Option<&'a [u8]>,
    pub(crate) via: usize,
    pub(crate) pai: usize,
    pub(crate) accept: usize,
    /// The first two Via values, so that the rules need not walk the slots for them.
    pub(crate) via_values: [Option<&'a [u8]>; 2],
    /// The first two P-Asserted-Identity values.
    pub(crate) pai_values: [Option<&'a [u8]>; 2],
    /// The first two Accept values.
    pub(crate) accept_values: [Option<&'a [u8]>; 2],
}

impl<'a> Known<'a> {
    /// The values of a repeatable header counted in `count`, the first two stored in
    /// `stored`, in message order: the slots are only walked when there are more than two.
    pub(crate) fn values<'h>(
        stored: [Option<&'a [u8]>; 2],
        count: usize,
        headers: &'h [Header<'a>],
        name: HeaderName,
    ) -> Values<'h, 'a> {
        Values {
            stored,
            next: 0,
            count,
            headers: headers.iter(),
            name,
            seen: 0,
        }
    }
}

/// Iterator returned by [`Known::values`].
pub(crate) struct Values<'h, 'a> {
    stored: [Option<&'a [u8]>; 2],
    next: usize,
    count: usize,
    headers: core::slice::Iter<'h, Header<'a>>,
    name: HeaderName,
    seen: usize,
}

impl<'a> Iterator for Values<'_, 'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if let Some(Some(v)) = self.stored.get(self.next) {
            self.next += 1;
            return Some(v);
        }
        if self.count <= 2 {
            return None;
        }
        // More than two: the rest come from the slots, after the two already given.
        for h in self.headers.by_ref() {
            if h.known == self.name {
                self.seen += 1;
                if self.seen > 2 {
                    return Some(h.value);
                }
            }
        }
        None
    }
}

/// A syntactically valid, completely framed SIP request.
#[derive(Clone, Copy, Debug)]
pub struct Request<'h, 'a> {
    method: &'a [u8],
    uri: &'a [u8],
    headers: &'h [Header<'a>],
    body: &'a [u8],
    len: usize,
    pub(crate) known: Known<'a>,
}

impl<'h, 'a> Request<'h, 'a> {
    /// The method token.
    pub const fn method(&self) -> &'a [u8] {
        self.method
    }

    /// The Request-URI as written.
    pub const fn uri(&self) -> &'a [u8] {
        self.uri
    }

    /// The header fields in order.
    pub const fn headers(&self) -> &'h [Header<'a>] {
        self.headers
    }

    /// The body: Content-Length bytes (on a datagram without Content-Length, the rest).
    pub const fn body(&self) -> &'a [u8] {
        self.body
    }

    /// How many bytes of the buffer the message takes (head and body).
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the message takes no bytes (never true for a parsed request).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A physical line: its content without the line end, the offset after the line end, and
/// whether it may hold a control byte.
type Line<'a> = (&'a [u8], usize, bool);

/// One physical line: its content without the line end, the offset after the line end, and
/// whether the line may hold a control byte (then [`has_unescaped_control`] decides).
/// `Ok(None)`: no line end yet.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn next_line<'a>(
    buf: &'a [u8],
    at: usize,
    limits: &Limits,
) -> Result<Option<Line<'a>>, Rejection<'a>> {
    let rest = buf.get(at..).unwrap_or_default();
    let (end, suspicious) = scan(rest);
    match end {
        Some(n) => {
            let line = line_of(rest, n);
            if line.len() > limits.max_line_length {
                return Err(reject(Rule::TooLarge, "line longer than the limit", line));
            }
            Ok(Some((line, at + n + 1, suspicious)))
        }
        None => no_line_end(rest, limits).map(|()| None),
    }
}

/// The content of the line of `rest` whose LF is at `n`, without the LF and a CR before it.
#[inline]
fn line_of(rest: &[u8], n: usize) -> &[u8] {
    let raw = rest.get(..n).unwrap_or_default();
    match raw.split_last() {
        Some((b'\r', l)) => l,
        _ => raw,
    }
}

/// The verdict on `rest` when it holds no LF: too long already, or more bytes are needed.
#[cold]
fn no_line_end<'a>(rest: &'a [u8], limits: &Limits) -> Result<(), Rejection<'a>> {
    if rest.len() > limits.max_line_length {
        return Err(reject(
            Rule::TooLarge,
            "line longer than the limit",
            rest.get(..limits.max_line_length).unwrap_or_default(),
        ));
    }
    Ok(())
}

/// Bit 7 of every byte of `x` whose low seven bits are below 0x20 or are 0x7f: every ASCII
/// control byte (HT included), plus the bytes 0x80 to 0x9f and 0xff. The test is per byte, with
/// no carries between bytes, so every flag is exact; the extra bytes only send a line to the
/// exact check.
#[allow(clippy::inline_always)] // a handful of word operations in the per-word loop
#[inline(always)]
fn control_flags(x: u64) -> u64 {
    const LOW7: u64 = u64::from_le_bytes([0x7f; 8]);
    const TO_SPACE: u64 = u64::from_le_bytes([0x60; 8]);
    let m = x & LOW7;
    // `m + 0x60` reaches bit 7 from 0x20 up, `m + 1` only at 0x7f; neither carries out.
    (!m.wrapping_add(TO_SPACE) | m.wrapping_add(ONES)) & HIGH
}

/// The line end inside a word `x` (at `chunk`, `base` bytes into `rest`) that holds a control
/// byte (`control`, from [`control_flags`]): the offset of the LF, if the word holds one;
/// `suspicious` is set when a byte before it may not belong in a header line (an ASCII control
/// other than HT, or a CR that does not end the line).
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn end_in_word(
    x: u64,
    control: u64,
    chunk: &[u8; 8],
    rest: &[u8],
    base: usize,
    suspicious: &mut bool,
) -> Option<usize> {
    let lf = equal_flags(x, b'\n');
    if lf == 0 {
        // The usual case first: the word's last byte alone, a CR whose LF starts the next word.
        if control == 0x80 << 56
            && x >> 56 == u64::from(b'\r')
            && rest.get(base + 8) == Some(&b'\n')
        {
            return None;
        }
        // A tab, a CR whose LF is in the next word, a stray control or a high byte.
        for (i, &b) in chunk.iter().enumerate() {
            if !(is_text(b) || (b == b'\r' && rest.get(base + i + 1) == Some(&b'\n'))) {
                *suspicious = true;
            }
        }
        return None;
    }
    // The lowest flagged LF is exact; false flags above it are never looked at.
    let low = lf & lf.wrapping_neg();
    let bit = low.trailing_zeros();
    // The flags of the bytes before the LF: none, or only a CR right before it.
    let before = control & (low - 1);
    if before != 0
        && (before != low >> 8 || x.wrapping_shr(bit.wrapping_sub(15)) & 0xff != u64::from(b'\r'))
    {
        *suspicious = true;
    }
    Some(base + (bit / 8) as usize)
}

/// Whether `block` holds a byte [`control_flags`] flags: every ASCII control byte (HT and the line
/// end included), plus the bytes 0x80 to 0x9f and 0xff, which only send the block to the word
/// test. Adding one and dropping bit 7 maps exactly those bytes to 0 to 0x20, in a branch-free
/// fold the compiler turns into a few vector instructions per sixteen bytes.
#[allow(clippy::inline_always)] // a handful of instructions in the per-block loop
#[inline(always)]
fn any_control(block: &[u8]) -> bool {
    block.iter().fold(0u8, |any, &b| {
        any | u8::from(b.wrapping_add(1) & 0x7f <= 0x20)
    }) != 0
}

/// [`end_in_word`] for each word of `block` (`base` bytes into `rest`, which [`any_control`] found
/// to hold a flagged byte) that holds a control byte, in order, up to the first that holds the
/// LF. The second word is read without testing its flags: when the first holds none, the second
/// holds one; when it is read with no flags anyway, [`end_in_word`] finds no LF in it and looks at
/// its bytes, which only repeats the exact check.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn end_in_block(
    block: &[u8; 16],
    rest: &[u8],
    base: usize,
    suspicious: &mut bool,
) -> Option<usize> {
    let (low, high) = block.split_at(8);
    let (low, high) = (low.first_chunk::<8>()?, high.first_chunk::<8>()?);
    let x = u64::from_le_bytes(*low);
    let control = control_flags(x);
    if control != 0
        && let Some(end) = end_in_word(x, control, low, rest, base, suspicious)
    {
        return Some(end);
    }
    let x = u64::from_le_bytes(*high);
    end_in_word(x, control_flags(x), high, rest, base + 8, suspicious)
}

/// Finds the first LF of `rest` in one pass and notes on the way whether the line before it may
/// hold a byte not allowed in a header line (an ASCII control other than HT, or a CR that does not
/// end the line). Sixteen bytes are tested at a time for an ASCII control byte (the LF itself
/// included, see [`any_control`]); only a block that holds one is looked at word by word, and only
/// a word that holds one byte by byte.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn scan(rest: &[u8]) -> (Option<usize>, bool) {
    let mut suspicious = false;
    let (blocks, mut words) = rest.as_chunks::<16>();
    for (i, block) in blocks.iter().enumerate() {
        if any_control(block)
            && let Some(end) = end_in_block(block, rest, 16 * i, &mut suspicious)
        {
            return (Some(end), suspicious);
        }
    }
    if let Some((chunk, tail)) = words.split_first_chunk::<8>() {
        let x = u64::from_le_bytes(*chunk);
        let control = control_flags(x);
        if control != 0 {
            let base = rest.len() - words.len();
            if let Some(end) = end_in_word(x, control, chunk, rest, base, &mut suspicious) {
                return (Some(end), suspicious);
            }
        }
        words = tail;
    }
    let base = rest.len() - words.len();
    for (i, &b) in words.iter().enumerate() {
        if b == b'\n' {
            return (Some(base + i), suspicious);
        }
        if !(is_text(b) || (b == b'\r' && rest.get(base + i + 1) == Some(&b'\n'))) {
            suspicious = true;
        }
    }
    (None, suspicious)
}

/// The exact check behind [`scan`]'s flag: a control byte is allowed only right after a
/// backslash (an RFC 3261 `quoted-pair`, as in RFC 4475 `intmeth`). Kept out of line: it runs only
/// for a line whose scan flagged a byte.
#[cold]
#[inline(never)]
fn has_unescaped_control(line: &[u8]) -> bool {
    let mut prev = 0u8;
    for &b in line {
        if !is_text(b) && prev != b'\\' {
            return true;
        }
        prev = if prev == b'\\' { 0 } else { b };
    }
    false
}

/// Checks the request line; returns method and Request-URI. The usual line (see
/// [`request_line_usual`]) is read without the byte loops of [`request_line_exact`].
#[allow(clippy::inline_always)] // one call site
#[inline(always)]
fn request_line(line: &[u8]) -> Result<(&[u8], &[u8]), Rejection<'_>> {
    match request_line_usual(line) {
        Some(split) => Ok(split),
        None => request_line_exact(line),
    }
}

/// Whether `block` holds a byte that is not a URI character ([`is_uri`]): exactly the bytes up to
/// the space, DEL, `"`, `<` and `>`. Two branch-free folds (the bytes up to the space and DEL, then
/// the three marks), which the compiler turns into a few vector instructions per sixteen bytes: one
/// fold per kind of byte costs a mask extraction each, one fold for all five is not vectorised.
#[allow(clippy::inline_always)] // a handful of instructions per block
#[allow(clippy::needless_bitwise_bool)] // measured: `||` here is not vectorised
#[inline(always)]
fn any_non_uri(block: &[u8; 16]) -> bool {
    let fold = |f: fn(u8) -> bool| block.iter().fold(0u8, |any, &b| any | u8::from(f(b)));
    fold(|b| (b <= b' ') | (b == 0x7f)) | fold(|b| (b == b'"') | (b == b'<') | (b == b'>')) != 0
}

/// Whether `uri` is sixteen bytes or more, all URI characters ([`is_uri`]): every whole block of
/// sixteen and the last sixteen bytes (which cover the rest) are tested.
#[allow(clippy::inline_always)] // one call site
#[inline(always)]
fn all_uri(uri: &[u8]) -> bool {
    let Some(last) = uri.last_chunk::<16>() else {
        return false;
    };
    if any_non_uri(last) {
        return false;
    }
    let (blocks, _) = uri.as_chunks::<16>();
    for block in blocks {
        if any_non_uri(block) {
            return false;
        }
    }
    true
}

/// [`request_line_exact`] for the usual request line: a method of one to seven capital letters,
/// a space, a Request-URI of sixteen bytes or more, all URI characters, and ` SIP/2.0` at the
/// end. Capital letters are token characters and the method ends at its space, so the exact path
/// splits the method there too (and a line starting `SIP/` has no such method); the URI run stops
/// at the space before `SIP/2.0`, the first byte that is no URI character. `None` for any other
/// line, to be sent there.
#[allow(clippy::inline_always)] // one call site
#[inline(always)]
fn request_line_usual(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let w0 = line.get(..8).map(word)?;
    let spaces = equal_flags(w0, b' ');
    // The lowest flag is exact: the first space, at 0 to 7.
    let at = spaces.trailing_zeros() / 8;
    if spaces == 0 || at == 0 {
        return None;
    }
    let keep = (1u64 << (8 * at)) - 1;
    let x = (w0 & keep) | (ONES.wrapping_mul(u64::from(b'A')) & !keep);
    if x & HIGH != 0 || in_range(x, b'A', b'Z') != HIGH {
        return None;
    }
    let (head, version) = line.split_last_chunk::<8>()?;
    if version != b" SIP/2.0" {
        return None;
    }
    let (method, uri) = head.split_at_checked(at as usize)?;
    let uri = uri.get(1..)?;
    if !all_uri(uri) {
        return None;
    }
    Some((method, uri))
}

/// Checks the request line byte by byte; returns method and Request-URI, or the fault. Kept out
/// of [`request_line`], whose usual path then needs a smaller frame.
#[inline(never)]
fn request_line_exact(line: &[u8]) -> Result<(&[u8], &[u8]), Rejection<'_>> {
    if line.starts_with(b"SIP/") {
        return Err(reject(Rule::NotARequest, "a response, not a request", line));
    }
    let (method, rest) = split_while(line, is_token);
    let Some((b' ', rest)) = rest.split_first() else {
        return Err(reject(Rule::Syntax, "malformed request line", line));
    };
    if method.is_empty() {
        return Err(reject(Rule::Syntax, "malformed request line", line));
    }
    let n = uri_run(rest);
    let (uri, rest) = rest.split_at_checked(n).unwrap_or((rest, &[]));
    if uri.is_empty() {
        return Err(reject(
            Rule::Syntax,
            "Request-URI missing or malformed",
            line,
        ));
    }
    let Some((b' ', version)) = rest.split_first() else {
        return Err(reject(
            Rule::Syntax,
            "Request-URI malformed or SIP version missing",
            line,
        ));
    };
    if version != b"SIP/2.0" {
        let looks_like_version = version
            .strip_prefix(b"SIP/")
            .and_then(|v| {
                let (major, rest) = split_while(v, |b| b.is_ascii_digit());
                let (dot, minor) = rest.split_first()?;
                Some(
                    !major.is_empty()
                        && *dot == b'.'
                        && !minor.is_empty()
                        && minor.iter().all(u8::is_ascii_digit),
                )
            })
            .unwrap_or(false);
        return Err(if looks_like_version {
            reject(Rule::Version, "SIP version is not SIP/2.0", version)
        } else {
            reject(Rule::Syntax, "malformed SIP version", version)
        });
    }
    Ok((method, uri))
}

/// Splits a header line into its name (an RFC 3261 token), the name's kind, and what follows
/// the colon. The usual line is read with one word-at-a-time search for the colon: a name that
/// classifies as a known header is a token by construction (see [`classify`]), any other is
/// checked byte by byte; anything unusual takes [`header_name_exact`], which names the fault.
/// Kept out of line: [`split_known`] splits the usual lines before, and the header loop compiles
/// to fewer instructions per line without this code in it (measured under callgrind).
#[inline(never)]
fn header_name(line: &[u8]) -> Result<(&[u8], HeaderName, &[u8]), Rejection<'_>> {
    // White space before the colon is rare: the exact path handles it.
    if let Some(colon) = find(line, b':')
        && let Some((name, value)) = line.split_at_checked(colon)
        && !matches!(name.last(), None | Some(b' ' | b'\t'))
    {
        let kind = classify(name);
        if kind != HeaderName::Other || name.iter().all(|&b| is_token(b)) {
            return Ok((name, kind, value.get(1..).unwrap_or_default()));
        }
    }
    header_name_exact(line)
}

/// [`header_name`] byte by byte, with the reason for a malformed line.
fn header_name_exact(line: &[u8]) -> Result<(&[u8], HeaderName, &[u8]), Rejection<'_>> {
    let (name, rest) = split_while(line, is_token);
    if name.is_empty() {
        return Err(reject(Rule::Syntax, "malformed header name", line));
    }
    let (_, rest) = split_while(rest, |b| b == b' ' || b == b'\t');
    let Some((b':', value)) = rest.split_first() else {
        return Err(reject(
            Rule::Syntax,
            "header line without a colon after the name",
            line,
        ));
    };
    Ok((name, classify(name), value))
}

/// Records a finished header into its slot and into `known`.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn finish<'a>(
    name: &'a [u8],
    kind: HeaderName,
    value: &'a [u8],
    slot: &mut Header<'a>,
    known: &mut Known<'a>,
) -> Result<(), Rejection<'a>> {
    let value = trim_value(value);
    *slot = Header {
        name,
        value,
        known: kind,
    };
    store(kind, name, value, known)
}

/// The rejection of a header past the slots or the limit, kept out of the header loop.
#[cold]
#[inline(never)]
fn too_many(name: &[u8]) -> Rejection<'_> {
    reject(Rule::TooLarge, "too many header fields", name)
}

/// The rejection of a second single-value header, kept out of the header loop.
#[cold]
#[inline(never)]
fn duplicate(name: &[u8]) -> Rejection<'_> {
    reject(
        Rule::Syntax,
        "single-value header appears more than once",
        name,
    )
}

/// A known name followed by its colon, as three words to compare a line's first 24 bytes with:
/// per word the pattern, the bytes that take part, and bit `0x20` on the letters (so that any
/// case matches a letter while `-` and `:` match only themselves).
#[derive(Clone, Copy)]
struct Prefix {
    kind: HeaderName,
    /// The length of the name (the colon's offset).
    len: usize,
    pattern: [u64; 3],
    mask: [u64; 3],
    fold: [u64; 3],
}

impl Prefix {
    /// The prefix for `name` (lowercase letters and `-`, at most 23 bytes).
    const fn new(name: &[u8], kind: HeaderName) -> Self {
        let mut pattern = [0u64; 3];
        let mut mask = [0u64; 3];
        let mut fold = [0u64; 3];
        let mut at = 0usize;
        while at <= name.len() && at < 24 {
            let byte = match name.split_at_checked(at) {
                Some((_, [byte, ..])) => *byte,
                _ => b':',
            };
            let shift = 8 * (at % 8);
            let ((_, [pattern_word, ..]), (_, [mask_word, ..]), (_, [fold_word, ..])) = (
                pattern.split_at_mut(at / 8),
                mask.split_at_mut(at / 8),
                fold.split_at_mut(at / 8),
            ) else {
                break;
            };
            *pattern_word |= (byte as u64) << shift;
            *mask_word |= 0xff << shift;
            if byte.is_ascii_lowercase() {
                *fold_word |= 0x20 << shift;
            }
            at += 1;
        }
        Self {
            kind,
            len: name.len(),
            pattern,
            mask,
            fold,
        }
    }

    /// Splits `line` (a prefix of `rest`) into name and what follows the colon, when it starts
    /// with this name, in any case, and a colon; `w0` holds the first eight bytes of `rest`.
    #[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
    #[inline(always)]
    fn split<'a>(
        &self,
        line: &'a [u8],
        rest: &[u8],
        w0: u64,
    ) -> Option<(&'a [u8], HeaderName, &'a [u8])> {
        let [p0, p1, p2] = self.pattern;
        let [m0, m1, m2] = self.mask;
        let [f0, f1, f2] = self.fold;
        let load = |at: usize| rest.get(at..at + 8).map_or(0, word);
        let hit = (w0 | f0) & m0 == p0
            && (m1 == 0 || (load(8) | f1) & m1 == p1)
            && (m2 == 0 || (load(16) | f2) & m2 == p2);
        if !hit {
            return None;
        }
        // The colon lies inside the line (a line end is no colon).
        let (name, value) = line.split_at_checked(self.len)?;
        let (_, value) = value.split_first()?;
        Some((name, self.kind, value))
    }
}

/// The prefix of each long and compact name of the table, in its order: long names first.
static PREFIXES: [Prefix; 2 * KNOWN.len()] = {
    let mut prefixes = [Prefix::new(b"", HeaderName::Other); 2 * KNOWN.len()];
    let mut i = 0;
    let mut n = 0;
    while i < 2 * KNOWN.len() {
        let row = match KNOWN.split_at_checked(i % KNOWN.len()) {
            Some((_, [row, ..])) => *row,
            _ => break,
        };
        let prefix = if i < KNOWN.len() {
            Some(Prefix::new(row.name, row.kind))
        } else {
            match row.compact {
                Some(c) => Some(Prefix::new(core::slice::from_ref(&c), row.kind)),
                None => None,
            }
        };
        if let (Some(prefix), Some((_, [slot, ..]))) = (prefix, prefixes.split_at_mut_checked(n)) {
            *slot = prefix;
            n += 1;
        }
        i += 1;
    }
    prefixes
};

/// For each value of the low five bits of a name's first two bytes (first byte's bits high),
/// the [`PREFIXES`] whose first two bytes (the compact forms: their letter and colon) have those
/// bits, as bits of their index: the candidates for a line, tried in order. Two bytes leave one
/// candidate for most names (`contact` and the `content-` names share theirs).
static BY_TWO: [u32; 1024] = {
    let mut by_two = [0u32; 1024];
    let mut i = 0;
    while i < PREFIXES.len() && i < 32 {
        if let Some((_, [p, ..])) = PREFIXES.split_at_checked(i)
            && p.len > 0
            && let [first, ..] = p.pattern
            && let Some((_, [slot, ..])) = by_two.split_at_mut_checked(
                ((((first & 0x1f) << 5) | ((first >> 8) & 0x1f)) & 0x3ff) as usize,
            )
        {
            *slot |= 1 << i;
        }
        i += 1;
    }
    assert!(
        PREFIXES.len() <= 32,
        "more than 32 known names and compact forms"
    );
    by_two
};

/// Splits a header line that starts with a header name this crate knows (long or compact), in
/// any case, and a colon: what [`header_name`] returns for such a line (its first colon follows
/// the name, which is a token that does not end in white space). Other lines go to
/// [`split_other`]; `None` for the lines it does not take either, to be sent to
/// [`header_name`]. `rest` is the buffer from the start of `line` on (`line` is a prefix of it).
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn split_known<'a>(line: &'a [u8], rest: &'a [u8]) -> Option<(&'a [u8], HeaderName, &'a [u8])> {
    let w0 = rest.get(..8).map(word)?;
    // The candidates: the names whose first two bytes have the low five bits of the line's
    // (bytes that are no letters, or no name, only cost a failed comparison).
    let two = (((w0 & 0x1f) << 5) | ((w0 >> 8) & 0x1f)) & 0x3ff;
    let mut candidates = BY_TWO.get(two as usize).copied().unwrap_or(0);
    while candidates != 0 {
        if let Some(prefix) = PREFIXES.get(candidates.trailing_zeros() as usize)
            && let Some(split) = prefix.split(line, rest, w0)
        {
            return Some(split);
        }
        candidates &= candidates - 1;
    }
    split_other(line, rest, w0)
}

/// Whether the first `n` bytes of `x` (at most 8) are ASCII letters, digits or `-`, all RFC
/// 3261 token characters.
#[allow(clippy::inline_always)] // a handful of word operations
#[inline(always)]
fn plain_name_bytes(x: u64, n: u32) -> bool {
    // The bytes from `n` on become `a`.
    let keep = 1u64.checked_shl(8 * n).map_or(u64::MAX, |b| b - 1);
    let x = (x & keep) | (ONES.wrapping_mul(u64::from(b'a')) & !keep);
    if x & HIGH != 0 {
        return false;
    }
    let letter = in_range(x | ONES.wrapping_mul(0x20), b'a', b'z');
    let digit = in_range(x, b'0', b'9');
    let dash = in_range(x, b'-', b'-');
    letter | digit | dash == HIGH
}

/// Splits a header line whose name is not one this crate knows, as [`header_name`] would: a
/// name of 4 to 23 letters, digits and `-` followed by a colon, on a line that [`split_known`]
/// found starting with no known name and its colon. Such a name is a token that [`classify`]
/// calls [`HeaderName::Other`] (a known name followed by its colon would have matched its
/// prefix), and its colon is the line's first. `None` for any other line.
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn split_other<'a>(
    line: &'a [u8],
    rest: &[u8],
    w0: u64,
) -> Option<(&'a [u8], HeaderName, &'a [u8])> {
    let colons = equal_flags(w0, b':');
    let colon = if colons != 0 {
        let at = colons.trailing_zeros() / 8;
        if !plain_name_bytes(w0, at) {
            return None;
        }
        at
    } else {
        let w1 = rest.get(8..16).map(word)?;
        let colons = equal_flags(w1, b':');
        if !plain_name_bytes(w0, 8) {
            return None;
        }
        if colons != 0 {
            let at = colons.trailing_zeros() / 8;
            if !plain_name_bytes(w1, at) {
                return None;
            }
            8 + at
        } else {
            long_other_name(rest, w1)?
        }
    };
    if colon < 4 {
        return None;
    }
    let (name, value) = line.split_at_checked(colon as usize)?;
    let (_, value) = value.split_first()?;
    Some((name, HeaderName::Other, value))
}

/// The colon's offset for [`split_other`] when it lies in the third word of `rest` (a name of
/// 16 to 23 bytes, `X-` headers), `w1` the second word, all name bytes checked.
// Out of line: the usual names are shorter, and the header loop keeps fewer values in registers
// without it (measured under callgrind).
#[inline(never)]
fn long_other_name(rest: &[u8], w1: u64) -> Option<u32> {
    let w2 = rest.get(16..24).map(word)?;
    let colons = equal_flags(w2, b':');
    let at = colons.trailing_zeros() / 8;
    if colons == 0 || !plain_name_bytes(w1, 8) || !plain_name_bytes(w2, at) {
        return None;
    }
    Some(16 + at)
}

/// [`trim`] of a header value: the usual single space after the colon and an untouched end are
/// handled without the loops (skipping one leading space first does not change what `trim`
/// returns).
#[allow(clippy::inline_always)] // measured: fewer instructions per line under callgrind
#[inline(always)]
fn trim_value(value: &[u8]) -> &[u8] {
    let value = match value.split_first() {
        Some((b' ', rest)) => rest,
        _ => value,
    };
    match (value.first(), value.last()) {
        (Some(&first), Some(&last)) if !is_lws(first) && !is_lws(last) => value,
        _ => trim(value),
    }
}

/// Reads the continuation lines from `at` on (each starts with white space) of the header whose
/// value starts at `start`, with the checks of any header line, up to the first line that is not
/// one; returns the value, trimmed later, with the folding line breaks inside. `Ok(None)`: no
/// line end yet.
#[cold]
#[inline(never)]
fn continuations<'a>(
    buf: &'a [u8],
    at: &mut usize,
    start: usize,
    limits: &Limits,
) -> Result<Option<&'a [u8]>, Rejection<'a>> {
    let mut value = b"".as_slice();
    while let Some(b' ' | b'\t') = buf.get(*at) {
        let rest = buf.get(*at..).unwrap_or_default();
        let (line_end, suspicious) = scan(rest);
        let Some(n) = line_end else {
            no_line_end(rest, limits)?;
            return Ok(None);
        };
        let line = line_of(rest, n);
        if line.len() > limits.max_line_length {
            return Err(reject(Rule::TooLarge, "line longer than the limit", line));
        }
        if suspicious && has_unescaped_control(line) {
            return Err(reject(
                Rule::Syntax,
                "control character in a header line",
                line,
            ));
        }
        value = buf.get(start..*at + line.len()).unwrap_or_default();
        *at += n + 1;
    }
    Ok(Some(value))
}

/// The verdict of the header loop on the line at `at` before its name is read: no line end yet,
/// too long, a control byte; else `fault` (`None`: the line is a continuation without a header).
#[cold]
#[inline(never)]
fn line_fault<'h, 'a>(
    buf: &'a [u8],
    at: usize,
    limits: &Limits,
    transport: Transport,
    fault: Option<Rejection<'a>>,
) -> Result<Status<Request<'h, 'a>>, Rejection<'a>> {
    let rest = buf.get(at..).unwrap_or_default();
    let (line_end, suspicious) = scan(rest);
    let Some(n) = line_end else {
        no_line_end(rest, limits)?;
        return match transport {
            Transport::Datagram => Err(reject(
                Rule::Syntax,
                "message ends inside the header section",
                b"",
            )),
            Transport::Stream => Ok(Status::Partial),
        };
    };
    let line = line_of(rest, n);
    if line.len() > limits.max_line_length {
        return Err(reject(Rule::TooLarge, "line longer than the limit", line));
    }
    if suspicious && has_unescaped_control(line) {
        return Err(reject(
            Rule::Syntax,
            "control character in a header line",
            line,
        ));
    }
    Err(fault.unwrap_or(reject(
        Rule::Syntax,
        "continuation line without a header",
        line,
    )))
}

/// Tokenizes and frames one SIP request: the request line (method, Request-URI, exactly
/// `SIP/2.0`), every header field (names checked as tokens, values unfolded in place) into
/// `headers`, duplicate single-value headers, and the body by Content-Length.
///
/// Leading empty lines (keep-alives) are skipped. Lines may end in CRLF or a bare LF.
///
/// # Errors
/// A [`Rejection`] with [`Rule::Syntax`] (400) for malformed input, [`Rule::Version`] (505) for
/// another SIP version, [`Rule::NotARequest`] for a response, and [`Rule::TooLarge`] (513) when
/// a [`Limits`] field or the number of `headers` slots is exceeded. On
/// [`Transport::Datagram`] an incomplete message is a 400; on [`Transport::Stream`] it is
/// `Ok(Status::Partial)`.
#[allow(clippy::too_many_lines)] // one pass over the head, kept in one place
#[allow(clippy::inline_always)] // measured: the request is built in the caller's frame
#[inline(always)]
pub fn parse_request<'h, 'a>(
    buf: &'a [u8],
    headers: &'h mut [Header<'a>],
    limits: &Limits,
    transport: Transport,
) -> Result<Status<Request<'h, 'a>>, Rejection<'a>> {
    let incomplete = |what: &'static str| match transport {
        Transport::Datagram => Err(reject(Rule::Syntax, what, b"")),
        Transport::Stream => Ok(Status::Partial),
    };
    let mut at = 0;
    let first = loop {
        match next_line(buf, at, limits)? {
            Some((b"", next, _)) => at = next,
            Some((line, next, _)) => break (line, next),
            None => return incomplete("message ends inside the request line"),
        }
    };
    let (line, at) = first;
    let (method, uri) = request_line(line)?;

    // Slots past the limit are never written: running out of `free` slots is the limit.
    let max = limits.max_headers.min(headers.len());
    let mut free = headers.get_mut(..max).unwrap_or_default().iter_mut();
    let mut known = Known::default();
    // Each header is recorded as soon as its continuation lines are read, so that the loop carries
    // no open header. A line starting with white space is a continuation: after a header the
    // header's own step reads those, so only the first header line can be one without a header.
    if let Some(b' ' | b'\t') = buf.get(at) {
        return line_fault(buf, at, limits, transport, None);
    }
    // The buffer from the start of the line being read on.
    let mut rest = buf.get(at..).unwrap_or_default();
    let body_start = loop {
        let (line_end, suspicious) = scan(rest);
        let Some(n) = line_end else {
            no_line_end(rest, limits)?;
            return incomplete("message ends inside the header section");
        };
        let line = line_of(rest, n);
        let mut after = rest.get(n + 1..).unwrap_or_default();
        // One test for the three rare cases: an empty line (its length wraps around), a line
        // longer than the limit, a flagged line; then each in the order of the exact path.
        if line.len().wrapping_sub(1) >= limits.max_line_length || suspicious {
            if line.len() > limits.max_line_length {
                return Err(reject(Rule::TooLarge, "line longer than the limit", line));
            }
            if line.is_empty() {
                break buf.len() - after.len();
            }
            if suspicious && has_unescaped_control(line) {
                return Err(reject(
                    Rule::Syntax,
                    "control character in a header line",
                    line,
                ));
            }
        }
        let (name, kind, mut value) = match split_known(line, rest) {
            Some(split) => split,
            None => header_name(line)?,
        };
        // SP and HT are below `!`; so are only the other control bytes (a CR or LF of the
        // empty line ends the head, any other is refused at its line).
        if let Some(&next) = after.first()
            && next <= b' '
            && (next == b' ' || next == b'\t')
        {
            // The value is the end of the line.
            let start = buf.len() - rest.len() + line.len() - value.len();
            let mut at = buf.len() - after.len();
            match continuations(buf, &mut at, start, limits)? {
                Some(folded) => value = folded,
                None => return incomplete("message ends inside the header section"),
            }
            after = buf.get(at..).unwrap_or_default();
        }
        // A fault in recording the header is reported after those of the next line (its line
        // end, length and control bytes), as when a header was recorded at the next line.
        let recorded = match free.next() {
            Some(slot) => finish(name, kind, value, slot, &mut known),
            None => Err(too_many(name)),
        };
        if let Err(fault) = recorded {
            return line_fault(buf, buf.len() - after.len(), limits, transport, Some(fault));
        }
        rest = after;
    };
    let count = max - free.len();

    let rest = buf.get(body_start..).unwrap_or_default();
    let (body, len) = match known.content_length {
        Some(cl) => {
            let Some(n) = parse_u64(cl)
                .filter(|&n| n <= u64::try_from(limits.max_message_size).unwrap_or(u64::MAX))
            else {
                return Err(if cl.iter().all(u8::is_ascii_digit) && !cl.is_empty() {
                    reject(Rule::TooLarge, "Content-Length larger than the limit", cl)
                } else {
                    reject(Rule::Syntax, "Content-Length is not a number", cl)
                });
            };
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            match rest.get(..n) {
                Some(body) => (body, body_start + n),
                None => {
                    return match transport {
                        Transport::Datagram => Err(reject(
                            Rule::Syntax,
                            "Content-Length larger than the body",
                            cl,
                        )),
                        Transport::Stream => Ok(Status::Partial),
                    };
                }
            }
        }
        None => match transport {
            Transport::Datagram => (rest, buf.len()),
            Transport::Stream => {
                return Err(reject(
                    Rule::Syntax,
                    "Content-Length missing on a stream transport",
                    b"",
                ));
            }
        },
    };
    if len > limits.max_message_size {
        return Err(reject(Rule::TooLarge, "message larger than the limit", b""));
    }
    let headers: &'h [Header<'a>] = headers;
    Ok(Status::Complete(Request {
        method,
        uri,
        headers: headers.get(..count).unwrap_or_default(),
        body,
        len,
        known,
    }))
}

/// A reference tokenizer for the tests, written for clarity from RFC 3261 §7 and the documented
/// limits rather than for speed: it reads the message one physical line at a time with plain
/// byte loops, keeps the header being read open until the next line shows it is complete, and
/// locates the known headers afterwards from the recorded fields. It shares nothing with the
/// tokenizer above but the byte classes and the header table.
#[cfg(test)]
mod oracle {
    extern crate std;
    use std::vec::Vec;

    use super::HeaderName;
    use crate::class::{is_token, is_uri};
    use crate::policy::{Limits, Transport};
    use crate::reject::{Rejection, Rule, reject};

    /// What the tokenizer returns, in a form both sides can be compared in: the method, the
    /// Request-URI, every field as (name, trimmed value, kind), the body and the message length.
    pub(crate) type Parsed<'a> = (
        &'a [u8],
        &'a [u8],
        Vec<(&'a [u8], &'a [u8], HeaderName)>,
        &'a [u8],
        usize,
    );

    /// A byte allowed inside a header line: HT, or not an ASCII control byte.
    fn allowed(b: u8) -> bool {
        b == b'\t' || (b >= 0x20 && b != 0x7f)
    }

    /// White space inside a header value, folding line breaks included.
    fn white(b: u8) -> bool {
        matches!(b, b' ' | b'\t' | b'\r' | b'\n')
    }

    /// Whether `line` holds a byte not allowed in a header line that no backslash escapes
    /// (an RFC 3261 `quoted-pair` may carry one).
    pub(crate) fn has_control(line: &[u8]) -> bool {
        let mut escaped = false;
        for &b in line {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if !allowed(b) {
                return true;
            }
        }
        false
    }

    /// The physical line at `at`: its content without the LF and one CR before it, and where the
    /// next line starts; `None` when the buffer ends before the line does.
    fn line(buf: &[u8], at: usize) -> Option<(&[u8], usize)> {
        let rest = &buf[at..];
        let lf = rest.iter().position(|&b| b == b'\n')?;
        let mut content = &rest[..lf];
        if content.last() == Some(&b'\r') {
            content = &content[..content.len() - 1];
        }
        Some((content, at + lf + 1))
    }

    /// [`line`] with the limit on its length (an unfinished line too long already is named by
    /// its first bytes), and the control byte check when `control` is set.
    fn checked_line<'a>(
        buf: &'a [u8],
        at: usize,
        limits: &Limits,
        control: bool,
    ) -> Result<Option<(&'a [u8], usize)>, Rejection<'a>> {
        let too_long = |what: &'a [u8]| reject(Rule::TooLarge, "line longer than the limit", what);
        let Some((content, next)) = line(buf, at) else {
            let rest = &buf[at..];
            if rest.len() > limits.max_line_length {
                return Err(too_long(&rest[..limits.max_line_length]));
            }
            return Ok(None);
        };
        if content.len() > limits.max_line_length {
            return Err(too_long(content));
        }
        if control && has_control(content) {
            return Err(reject(
                Rule::Syntax,
                "control character in a header line",
                content,
            ));
        }
        Ok(Some((content, next)))
    }

    /// The request line: `method SP Request-URI SP SIP/2.0`.
    pub(crate) fn request_line(line: &[u8]) -> Result<(&[u8], &[u8]), Rejection<'_>> {
        if line.starts_with(b"SIP/") {
            return Err(reject(Rule::NotARequest, "a response, not a request", line));
        }
        let method_len = line.iter().take_while(|&&b| is_token(b)).count();
        if method_len == 0 || line.get(method_len) != Some(&b' ') {
            return Err(reject(Rule::Syntax, "malformed request line", line));
        }
        let method = &line[..method_len];
        let after_method = &line[method_len + 1..];
        let uri_len = after_method.iter().take_while(|&&b| is_uri(b)).count();
        if uri_len == 0 {
            return Err(reject(
                Rule::Syntax,
                "Request-URI missing or malformed",
                line,
            ));
        }
        let uri = &after_method[..uri_len];
        if after_method.get(uri_len) != Some(&b' ') {
            return Err(reject(
                Rule::Syntax,
                "Request-URI malformed or SIP version missing",
                line,
            ));
        }
        let version = &after_method[uri_len + 1..];
        if version == b"SIP/2.0" {
            return Ok((method, uri));
        }
        // `SIP/` digits `.` digits is another version; anything else is no version at all.
        let numbers = version.strip_prefix(b"SIP/").map(|v| {
            let mut parts = v.splitn(2, |&b| b == b'.');
            let major = parts.next().unwrap_or_default();
            let minor = parts.next();
            !major.is_empty()
                && major.iter().all(u8::is_ascii_digit)
                && minor.is_some_and(|m| !m.is_empty() && m.iter().all(u8::is_ascii_digit))
        });
        if numbers == Some(true) {
            Err(reject(Rule::Version, "SIP version is not SIP/2.0", version))
        } else {
            Err(reject(Rule::Syntax, "malformed SIP version", version))
        }
    }

    /// A header line: a token name, optional white space, a colon; returns the name, its kind
    /// (from the header table) and what follows the colon.
    pub(crate) fn header_line(line: &[u8]) -> Result<(&[u8], HeaderName, &[u8]), Rejection<'_>> {
        let name_len = line.iter().take_while(|&&b| is_token(b)).count();
        if name_len == 0 {
            return Err(reject(Rule::Syntax, "malformed header name", line));
        }
        let name = &line[..name_len];
        let mut rest = &line[name_len..];
        while let [b' ' | b'\t', more @ ..] = rest {
            rest = more;
        }
        match rest {
            [b':', value @ ..] => Ok((name, HeaderName::from_bytes(name), value)),
            _ => Err(reject(
                Rule::Syntax,
                "header line without a colon after the name",
                line,
            )),
        }
    }

    /// `s` without white space at either end.
    fn trimmed(s: &[u8]) -> &[u8] {
        let start = s.iter().position(|&b| !white(b)).unwrap_or(s.len());
        let end = s.iter().rposition(|&b| !white(b)).map_or(start, |e| e + 1);
        &s[start..end.max(start)]
    }

    /// Tokenizes one request as `parse_request` documents it.
    #[allow(clippy::too_many_lines)] // the whole message in reading order
    pub(crate) fn parse<'a>(
        buf: &'a [u8],
        slots: usize,
        limits: &Limits,
        transport: Transport,
    ) -> Result<Option<Parsed<'a>>, Rejection<'a>> {
        let incomplete = |what: &'static str| match transport {
            Transport::Datagram => Err(reject(Rule::Syntax, what, b"")),
            Transport::Stream => Ok(None),
        };
        // Empty lines before the request line are keep-alives.
        let mut at = 0;
        let (first, mut at) = loop {
            match checked_line(buf, at, limits, false)? {
                None => return incomplete("message ends inside the request line"),
                Some((b"", next)) => at = next,
                Some(found) => break found,
            }
        };
        let (method, uri) = request_line(first)?;

        let capacity = limits.max_headers.min(slots);
        let mut fields: Vec<(&[u8], &[u8], HeaderName)> = Vec::new();
        // The header being read: its name, kind, and where its value starts and ends in `buf`.
        let mut open: Option<(&[u8], HeaderName, usize, usize)> = None;
        let close = |open: Option<(&'a [u8], HeaderName, usize, usize)>,
                     fields: &mut Vec<(&'a [u8], &'a [u8], HeaderName)>|
         -> Result<(), Rejection<'a>> {
            let Some((name, kind, start, end)) = open else {
                return Ok(());
            };
            if fields.len() == capacity {
                return Err(reject(Rule::TooLarge, "too many header fields", name));
            }
            if kind.is_single() && fields.iter().any(|f| f.2 == kind) {
                return Err(reject(
                    Rule::Syntax,
                    "single-value header appears more than once",
                    name,
                ));
            }
            fields.push((name, trimmed(&buf[start..end]), kind));
            Ok(())
        };
        let body_start = loop {
            let line_start = at;
            let Some((line, next)) = checked_line(buf, at, limits, true)? else {
                return incomplete("message ends inside the header section");
            };
            at = next;
            let line_end = line_start + line.len();
            if line.is_empty() {
                close(open.take(), &mut fields)?;
                break at;
            }
            if matches!(line.first(), Some(b' ' | b'\t')) {
                match open.as_mut() {
                    Some(header) => header.3 = line_end,
                    None => {
                        return Err(reject(
                            Rule::Syntax,
                            "continuation line without a header",
                            line,
                        ));
                    }
                }
                continue;
            }
            close(open.take(), &mut fields)?;
            let (name, kind, value) = header_line(line)?;
            open = Some((name, kind, line_end - value.len(), line_end));
        };

        let rest = &buf[body_start..];
        let content_length = fields
            .iter()
            .find(|f| f.2 == HeaderName::ContentLength)
            .map(|f| f.1);
        let (body, len) = match content_length {
            Some(cl) => {
                let digits = !cl.is_empty() && cl.iter().all(u8::is_ascii_digit);
                if !digits {
                    return Err(reject(Rule::Syntax, "Content-Length is not a number", cl));
                }
                let n = std::str::from_utf8(cl)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                    .filter(|&n| n <= limits.max_message_size as u64);
                let Some(n) = n else {
                    return Err(reject(
                        Rule::TooLarge,
                        "Content-Length larger than the limit",
                        cl,
                    ));
                };
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                if n > rest.len() {
                    return match transport {
                        Transport::Datagram => Err(reject(
                            Rule::Syntax,
                            "Content-Length larger than the body",
                            cl,
                        )),
                        Transport::Stream => Ok(None),
                    };
                }
                (&rest[..n], body_start + n)
            }
            None => match transport {
                Transport::Datagram => (rest, buf.len()),
                Transport::Stream => {
                    return Err(reject(
                        Rule::Syntax,
                        "Content-Length missing on a stream transport",
                        b"",
                    ));
                }
            },
        };
        if len > limits.max_message_size {
            return Err(reject(Rule::TooLarge, "message larger than the limit", b""));
        }
        Ok(Some((method, uri, fields, body, len)))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::{
        Header, HeaderName, KNOWN, Limits, Request, Status, Stored, Transport, classify,
        header_name, oracle, parse_request, split_known,
    };
    use crate::reject::Rejection;
    use proptest::prelude::*;
    use std::borrow::ToOwned;
    use std::string::ToString;
    use std::vec::Vec;

    /// The names the generators draw from: every long and compact name of the table in lower,
    /// upper and mixed case, then near misses.
    fn table_names() -> Vec<std::string::String> {
        let mut names = Vec::new();
        for row in KNOWN {
            let long = std::str::from_utf8(row.name).unwrap();
            names.push(long.to_owned());
            names.push(long.to_ascii_uppercase());
            names.push(mixed(long));
            if let Some(c) = row.compact {
                names.push(char::from(c).to_string());
                names.push(char::from(c.to_ascii_uppercase()).to_string());
            }
        }
        names
    }

    /// `s` with every other letter in upper case.
    fn mixed(s: &str) -> std::string::String {
        s.chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    }

    /// The tokenizer's result in the oracle's form, after checking that what `Known` keeps of
    /// each header of the table is what the slots hold.
    #[allow(clippy::large_types_passed_by_value)] // a test helper called once per case
    fn comparable<'a>(
        got: Result<Status<Request<'_, 'a>>, Rejection<'a>>,
    ) -> Result<Option<oracle::Parsed<'a>>, Rejection<'a>> {
        let Status::Complete(req) = got? else {
            return Ok(None);
        };
        let fields: Vec<_> = req
            .headers()
            .iter()
            .map(|h| (h.name(), h.value(), h.known()))
            .collect();
        for row in KNOWN {
            let values: Vec<&[u8]> = fields
                .iter()
                .filter(|f| f.2 == row.kind)
                .map(|f| f.1)
                .collect();
            match req.known.stored(row.kind) {
                Stored::Single(v) => {
                    assert!(row.single && values.len() <= 1, "{:?}", row.kind);
                    assert_eq!(v, values.first().copied(), "{:?}", row.kind);
                }
                Stored::List(count, first) => {
                    assert!(!row.single, "{:?}", row.kind);
                    assert_eq!(count, values.len(), "{:?}", row.kind);
                    assert_eq!(first, [values.first().copied(), values.get(1).copied()]);
                }
                Stored::Slots => assert!(!row.single, "{:?}", row.kind),
            }
        }
        Ok(Some((
            req.method(),
            req.uri(),
            fields,
            req.body(),
            req.len(),
        )))
    }

    /// Repeated headers come back in message order, the first two from `Known`, the rest from
    /// the slots.
    #[test]
    fn repeated_values_in_order() {
        use super::{Header, Known, Limits, Transport, parse_request};
        for n in 0..6 {
            let mut msg = std::string::String::from("INVITE sip:a@b SIP/2.0\r\n");
            for i in 0..n {
                core::fmt::Write::write_fmt(
                    &mut msg,
                    format_args!("Via: SIP/2.0/UDP h{i}\r\nX-Other: {i}\r\n"),
                )
                .unwrap();
            }
            msg.push_str("\r\n");
            let mut slots = [Header::EMPTY; 16];
            let req = parse_request(
                msg.as_bytes(),
                &mut slots,
                &Limits::DEFAULT,
                Transport::Datagram,
            )
            .unwrap()
            .complete()
            .unwrap();
            let k = req.known;
            let got: std::vec::Vec<&[u8]> =
                Known::values(k.via_values, k.via, req.headers(), HeaderName::Via).collect();
            let want: std::vec::Vec<std::vec::Vec<u8>> = (0..n)
                .map(|i| std::format!("SIP/2.0/UDP h{i}").into_bytes())
                .collect();
            assert_eq!(got, want, "{n} Via headers");
        }
    }

    /// One header line of a generated message: known names in any case and compact form,
    /// other names, white space and colons in odd places, continuation lines, control bytes
    /// (escaped or not), bare CRs and LFs, high bytes, long names and values.
    fn line() -> impl Strategy<Value = std::vec::Vec<u8>> {
        // The table's names, then other names and near misses.
        let names: Vec<std::string::String> = table_names()
            .into_iter()
            .chain(
                [
                    "X-PH-CallUUID",
                    "Allow",
                    "Call\rID",
                    "From ",
                    "Via\t",
                    " To",
                    "\tVia",
                    "",
                    "Fro",
                    "Max-Forward5",
                    "Content-Lengthx",
                    "P-Asserted-Identitx",
                    "Call_ID",
                    "Na\u{e9}me",
                    "A\x01b",
                    "X-Twilio-AccountSid",
                    "Content-Disposition",
                    "X-Sixteen-Bytes1",
                    "X-Name-Of-23-Bytes-Long",
                    "X-Name-Of-24-Bytes-Long1",
                    "X-Name-With_Underscore",
                    "P-Asserted-Identity1",
                ]
                .map(ToOwned::to_owned),
            )
            .collect();
        let name = prop_oneof![
            prop::sample::select(names).prop_map(std::string::String::into_bytes),
            "[ -~]{0,20}".prop_map(std::string::String::into_bytes),
        ];
        let sep = prop::sample::select(&[": ", ":", " : ", ":  ", "\t:", ":\t", ";", ""][..]);
        let value = proptest::collection::vec(
            prop_oneof![
                12 => prop::sample::select(&b"az09 .:;@<>\"=-+/,\\"[..]),
                1 => prop::sample::select(&[b'\t', b'\r', b'\n', 0x00, 0x01, 0x1f, 0x7f, 0x80, 0x9f, 0xa0, 0xff, 0xc3][..]),
            ],
            0..40,
        );
        let end = prop::sample::select(&["\r\n", "\n", "\r\n", "\r\n"][..]);
        (name, sep, value, end).prop_map(|(n, s, v, e)| {
            let mut l = n;
            l.extend_from_slice(s.as_bytes());
            l.extend_from_slice(&v);
            l.extend_from_slice(e.as_bytes());
            l
        })
    }

    /// A request head of generated lines (sometimes folded, sometimes a valid Content-Length
    /// and Via), then a body.
    fn message() -> impl Strategy<Value = std::vec::Vec<u8>> {
        // Mostly well-formed lines (any case, odd white space around values), so that faults
        // deep in the head and the slots' contents are compared too.
        let names: Vec<std::string::String> = table_names()
            .into_iter()
            .chain(["X-PH-CallUUID", "Allow", "User-Agent"].map(ToOwned::to_owned))
            .collect();
        let good = (
            prop::sample::select(names),
            proptest::collection::vec(any::<bool>(), 24),
            prop::sample::select(&[": ", ":", ":  ", ": \t", " : ", ":\t"][..]),
            "[ -~]{0,30}",
            prop::sample::select(&["", " ", "\t", "  "][..]),
            prop::sample::select(&["\r\n", "\n"][..]),
        )
            .prop_map(|(name, upper, sep, value, pad, end)| {
                let mut l: std::vec::Vec<u8> = name
                    .bytes()
                    .zip(&upper)
                    .map(|(b, &u)| {
                        if u {
                            b.to_ascii_uppercase()
                        } else {
                            b.to_ascii_lowercase()
                        }
                    })
                    .collect();
                l.extend_from_slice(sep.as_bytes());
                l.extend_from_slice(value.as_bytes());
                l.extend_from_slice(pad.as_bytes());
                l.extend_from_slice(end.as_bytes());
                l
            });
        let head_line = prop_oneof![
            12 => good,
            2 => line(),
            1 => prop::sample::select(&[
                "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n",
                "Content-Length: 4\r\n",
                "Content-Length: 40\r\n",
                "l: 0\r\n",
                " folded\r\n",
                "\t folded\r\n",
                "Subject:   \r\n",
                "\r\n",
                "\n",
            ][..]).prop_map(|s| s.as_bytes().to_vec()),
        ];
        let start = prop::sample::select(
            &[
                "INVITE sip:a@b SIP/2.0\r\n",
                "\r\nOPTIONS sip:a@b SIP/2.0\n",
                "INVITE sip:+14155550123@sbc.example.net:5060;user=phone SIP/2.0\r\n",
            ][..],
        );
        (
            start,
            proptest::collection::vec(head_line, 0..12),
            any::<bool>(),
            "[a-z\r\n]{0,12}",
        )
            .prop_map(|(s, lines, end, body)| {
                let mut m = s.as_bytes().to_vec();
                for l in lines {
                    m.extend_from_slice(&l);
                }
                if end {
                    m.extend_from_slice(b"\r\n");
                }
                m.extend_from_slice(body.as_bytes());
                m
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The tokenizer agrees with the reference one on whole messages: the same request
        /// (the slots, and what `Known` keeps, checked against them) or the same rejection.
        #[test]
        fn parse_request_agrees_with_oracle(
            msg in message(),
            slots in 0usize..12,
            line_limit in prop::sample::select(&[4096usize, 30, 8][..]),
            stream in any::<bool>(),
        ) {
            let limits = Limits { max_line_length: line_limit, max_headers: 10, ..Limits::DEFAULT };
            let transport = if stream { Transport::Stream } else { Transport::Datagram };
            let mut a = [Header::EMPTY; 12];
            let fast = comparable(parse_request(&msg, &mut a[..slots], &limits, transport));
            let reference = oracle::parse(&msg, slots, &limits, transport);
            prop_assert_eq!(std::format!("{fast:?}"), std::format!("{reference:?}"));
        }

        /// The block-at-a-time line end search finds the first LF, and its flag with the exact
        /// check behind it refuses exactly the lines the reference refuses, with control bytes,
        /// CRs and LFs on both sides of every block and word boundary.
        #[test]
        fn scan_agrees_with_oracle(
            bytes in proptest::collection::vec(
                prop_oneof![
                    10 => b' '..=b'~',
                    1 => prop::sample::select(
                        &[b'\t', b'\r', b'\n', 0x00, 0x1f, 0x7f, 0x80, 0x9f, 0xa0, 0xff, b'\\'][..]
                    ),
                ],
                0..80,
            ),
        ) {
            use super::{has_unescaped_control, line_of, scan};
            let (end, suspicious) = scan(&bytes);
            prop_assert_eq!(end, bytes.iter().position(|&b| b == b'\n'));
            if let Some(n) = end {
                let line = line_of(&bytes, n);
                prop_assert_eq!(suspicious && has_unescaped_control(line), oracle::has_control(line));
            }
        }

        /// The usual request line split agrees with the reference wherever it answers, and the
        /// request line check as a whole agrees with it everywhere, on methods, URIs
        /// and versions with near misses (a byte that is no URI character at any place, a
        /// lowercase or digit method, a response line, another or a truncated version).
        #[test]
        fn request_line_agrees_with_oracle(
            method in prop::sample::select(&[
                "INVITE", "ACK", "BYE", "OPTIONS", "CANCEL", "REGISTER", "SUBSCRIBE", "X",
                "invite", "INV1TE", "INV-TE", "SIP/2.0", "SIP/", "", "\u{e9}A", "INVITE\t",
            ][..]),
            sep in prop::sample::select(&[" ", "  ", "", "\t"][..]),
            uri in proptest::collection::vec(
                prop_oneof![
                    12 => prop::sample::select(&b"sip:+1409@a.b-c;user=phone%x"[..]),
                    1 => prop::sample::select(
                        &[b' ', b'<', b'>', b'"', b'=', b'?', b'\t', 0x00, 0x1f, 0x20, 0x21,
                          0x7e, 0x7f, 0x80, 0xff, b'\r'][..]
                    ),
                ],
                0..40,
            ),
            version in prop::sample::select(&[
                " SIP/2.0", " SIP/2.0", " SIP/2.1", " SIP/2.0 ", " sip/2.0", " SIP/20", "",
                "SIP/2.0", "  SIP/2.0", " SIP/2.0x", " XSIP/2.0",
            ][..]),
        ) {
            use super::{request_line, request_line_usual};
            let mut line = std::vec::Vec::from(method.as_bytes());
            line.extend_from_slice(sep.as_bytes());
            line.extend_from_slice(&uri);
            line.extend_from_slice(version.as_bytes());
            if let Some(split) = request_line_usual(&line) {
                prop_assert_eq!(Ok(split), oracle::request_line(&line));
            }
            prop_assert_eq!(request_line(&line), oracle::request_line(&line));
        }

        /// The known-prefix split agrees with the reference wherever it answers, and the
        /// colon-first split everywhere, on names in random case, near misses and lines shorter
        /// than a word.
        #[test]
        fn split_known_agrees_with_header_name(
            name in prop::sample::select(&[
                "via", "to", "from", "cseq", "accept", "call-id", "contact", "content-type",
                "content-length", "content-encoding", "subject", "supported", "max-forwards",
                "p-asserted-identity", "call\rid", "max_forwards", "content-lengt", "contacts",
                "p-asserted-identit", "t", "vi", "cseq\x1a", "via\x1a", "x-ph-calluuid",
                "allow", "user-agent", "record-route", "x-a", "x-b_c", "fromage", "cont",
                "contx", "call-i", "abc", "a1-2", "\u{e9}abc", "session-expires-x", "x.y-z",
            ][..]),
            upper in proptest::collection::vec(any::<bool>(), 24),
            tail in "[ :\t\x1a;a-z]{0,3}[ -~]{0,20}",
            end in prop::sample::select(&["", "\r\n", "\n", "\r\nVia: x\r\n"][..]),
        ) {
            let mut line: std::vec::Vec<u8> = name
                .bytes()
                .zip(upper.iter().chain(core::iter::repeat(&false)))
                .map(|(b, &u)| if u { b.to_ascii_uppercase() } else { b })
                .collect();
            line.extend_from_slice(tail.as_bytes());
            let mut rest = line.clone();
            rest.extend_from_slice(end.as_bytes());
            if let Some(split) = split_known(&line, &rest) {
                prop_assert_eq!(Ok(split), oracle::header_line(&line));
            }
            // The colon-first split reads lines the header loop has checked for control bytes.
            if !oracle::has_control(&line) {
                prop_assert_eq!(header_name(&line), oracle::header_line(&line));
            }
        }

        /// The colon-first header line split agrees with the reference, faults included.
        #[test]
        fn header_name_agrees_with_oracle(
            line in "(Via|v|From|CSeq|Call-ID|cOnTaCt|Max-Forwards|Content-Length|P-Asserted-Identity|X-PH-CallUUID|[ -~]{0,6})[ \t]{0,2}[:;@ a-z]{0,2}[ -~]{0,12}"
        ) {
            prop_assert_eq!(header_name(line.as_bytes()), oracle::header_line(line.as_bytes()));
        }
    }

    /// The block test flags exactly the bytes the word test flags, at every place of a block.
    #[test]
    fn any_control_agrees_with_control_flags() {
        use super::{any_control, control_flags};
        for b in 0..=255u8 {
            let word = control_flags(u64::from_le_bytes([b; 8])) != 0;
            for at in 0..16 {
                let mut block = [b'a'; 16];
                block[at] = b;
                assert_eq!(any_control(&block), word, "{b:#x} at {at}");
            }
        }
    }

    /// The block test for URI characters flags exactly the bytes the byte table refuses, at every
    /// place of a block.
    #[test]
    fn any_non_uri_agrees_with_is_uri() {
        use super::any_non_uri;
        use crate::class::is_uri;
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut block = [b'a'; 16];
                block[at] = b;
                assert_eq!(any_non_uri(&block), !is_uri(b), "{b:#x} at {at}");
            }
        }
    }

    /// Every classifier agrees with the header table, on every long and compact name in several
    /// cases and on near misses of each (a byte changed, dropped or added): the public
    /// `from_bytes`, the word classifier, the prefix split of the header loop, the colon-first
    /// split, and the tokenizer's slots; `is_single` and what `Known` keeps follow the table's
    /// single-or-list column, and a second single-value header is refused.
    #[test]
    fn every_classifier_agrees_with_the_table() {
        let kind_of = |name: &[u8]| {
            let mut want = HeaderName::Other;
            for row in KNOWN {
                if row.name.eq_ignore_ascii_case(name)
                    || row
                        .compact
                        .is_some_and(|c| name.len() == 1 && name[0].to_ascii_lowercase() == c)
                {
                    want = row.kind;
                }
            }
            want
        };
        let mut names: Vec<Vec<u8>> = table_names()
            .into_iter()
            .map(std::string::String::into_bytes)
            .collect();
        for row in KNOWN {
            let n = row.name;
            let mut changed = n.to_vec();
            *changed.last_mut().unwrap() ^= 0x01;
            names.push(changed);
            names.push(n[..n.len() - 1].to_vec());
            names.push([n, b"x"].concat());
            names.push([b"x", n].concat());
        }
        for name in &names {
            let want = kind_of(name);
            assert_eq!(HeaderName::from_bytes(name), want, "from_bytes {name:?}");
            assert_eq!(classify(name), want, "classify {name:?}");
            let line = [name.as_slice(), b": 0"].concat();
            let rest = [line.as_slice(), b"\r\nVia: x\r\n"].concat();
            if let Some((_, kind, value)) = split_known(&line, &rest) {
                assert_eq!((kind, value), (want, &b" 0"[..]), "split_known {name:?}");
            }
            let (_, kind, _) = header_name(&line).unwrap();
            assert_eq!(kind, want, "header_name {name:?}");
            // In a message, once and twice.
            for copies in [1, 2] {
                let mut msg = b"INVITE sip:a@b SIP/2.0\r\n".to_vec();
                for _ in 0..copies {
                    msg.extend_from_slice(&line);
                    msg.extend_from_slice(b"\r\n");
                }
                msg.extend_from_slice(b"\r\n");
                let mut slots = [Header::EMPTY; 4];
                let got = parse_request(&msg, &mut slots, &Limits::DEFAULT, Transport::Datagram);
                let single = KNOWN.iter().any(|r| r.kind == want && r.single);
                assert_eq!(want.is_single(), single, "is_single {name:?}");
                if copies == 2 && single {
                    let err = got.unwrap_err();
                    assert_eq!(err.reason(), "single-value header appears more than once");
                    continue;
                }
                let req = got.unwrap().complete().unwrap();
                assert!(
                    req.headers().iter().all(|h| h.known() == want),
                    "slots {name:?}"
                );
                match req.known.stored(want) {
                    Stored::Single(v) => assert_eq!(v, Some(&b"0"[..]), "{name:?}"),
                    Stored::List(count, _) => assert_eq!(count, copies, "{name:?}"),
                    Stored::Slots => assert!(!single, "{name:?}"),
                }
            }
        }
        // Every row is reachable by its long name and its compact form.
        for row in KNOWN {
            assert_eq!(HeaderName::from_bytes(row.name), row.kind);
            assert!(!row.rule.is_empty());
            if let Some(c) = row.compact {
                assert_eq!(classify(&[c]), row.kind);
            }
        }
    }
}
