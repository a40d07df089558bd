//! Byte classes as `static [bool; 256]` tables built by `const fn`, and small slice helpers.

/// Builds a table that marks every byte `f` accepts.
macro_rules! byte_table {
    ($name:ident, |$b:ident| $test:expr) => {
        static $name: [bool; 256] = {
            let mut table = [false; 256];
            let mut i = 0usize;
            while i < 256 {
                #[allow(clippy::cast_possible_truncation)]
                let $b = i as u8;
                #[allow(clippy::indexing_slicing)]
                {
                    table[i] = $test;
                }
                i += 1;
            }
            table
        };
    };
}

// RFC 3261 `token`.
byte_table!(TOKEN, |b| b.is_ascii_alphanumeric()
    || matches!(
        b,
        b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~'
    ));

// Characters a Request-URI or a URI inside `<>` may hold: visible ASCII except `<`, `>`, `"`,
// and any UTF-8 byte (some user agents send raw UTF-8 in user parts).
byte_table!(URI, |b| (b > 0x20
    && b < 0x7f
    && !matches!(b, b'<' | b'>' | b'"'))
    || b >= 0x80);

// RFC 3261 `word` (Call-ID).
byte_table!(WORD, |b| b.is_ascii_alphanumeric()
    || matches!(
        b,
        b'-' | b'.'
            | b'!'
            | b'%'
            | b'*'
            | b'_'
            | b'+'
            | b'`'
            | b'\''
            | b'~'
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b':'
            | b'\\'
            | b'"'
            | b'/'
            | b'['
            | b']'
            | b'?'
            | b'{'
            | b'}'
    ));

// Characters of a host, a port, or a Via parameter value (token plus IPv6 brackets and colons).
byte_table!(HOSTISH, |b| b.is_ascii_alphanumeric()
    || matches!(
        b,
        b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~' | b'[' | b']' | b':'
    ));

// Bytes allowed in a header line: anything but ASCII control characters (HT allowed).
byte_table!(TEXT, |b| b == b'\t' || (b >= 0x20 && b != 0x7f));

#[inline]
fn lookup(table: &[bool; 256], b: u8) -> bool {
    table.get(usize::from(b)).copied().unwrap_or(false)
}

/// RFC 3261 `token` character.
#[inline]
pub(crate) fn is_token(b: u8) -> bool {
    lookup(&TOKEN, b)
}

/// A character of a URI (no space, `<`, `>` or `"`).
#[inline]
pub(crate) fn is_uri(b: u8) -> bool {
    lookup(&URI, b)
}

/// RFC 3261 `word` character.
#[inline]
pub(crate) fn is_word(b: u8) -> bool {
    lookup(&WORD, b)
}

/// A character of a host, port or parameter value.
#[inline]
pub(crate) fn is_hostish(b: u8) -> bool {
    lookup(&HOSTISH, b)
}

/// A byte allowed inside a header line.
#[inline]
pub(crate) fn is_text(b: u8) -> bool {
    lookup(&TEXT, b)
}

/// Linear white space inside a (possibly folded) header value.
#[inline]
pub(crate) fn is_lws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Drops leading linear white space.
#[inline]
pub(crate) fn trim_start(mut s: &[u8]) -> &[u8] {
    while let Some((&b, rest)) = s.split_first() {
        if !is_lws(b) {
            break;
        }
        s = rest;
    }
    s
}

/// Drops trailing linear white space.
#[inline]
pub(crate) fn trim_end(mut s: &[u8]) -> &[u8] {
    while let Some((&b, rest)) = s.split_last() {
        if !is_lws(b) {
            break;
        }
        s = rest;
    }
    s
}

/// Drops linear white space on both ends.
#[inline]
pub(crate) fn trim(s: &[u8]) -> &[u8] {
    trim_end(trim_start(s))
}

/// Splits `s` after the longest prefix whose bytes satisfy `f`.
#[inline]
pub(crate) fn split_while(s: &[u8], f: impl Fn(u8) -> bool) -> (&[u8], &[u8]) {
    let n = s.iter().position(|&b| !f(b)).unwrap_or(s.len());
    s.split_at_checked(n).unwrap_or((s, &[]))
}

/// Per byte of `x`, bit 7 set where the byte (below 0x80) lies in `lo..=hi`, exactly: no
/// carries between bytes.
#[inline(always)]
#[allow(clippy::inline_always)] // a handful of word operations in per-word loops
pub(crate) fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    // No carries between bytes: every byte of `x` is below 0x80 and each addend at most 0x80.
    let at_least = x.wrapping_add(ONES.wrapping_mul(0x80 - u64::from(lo)));
    let above = x.wrapping_add(ONES.wrapping_mul(0x7f - u64::from(hi)));
    at_least & !above & HIGH
}

/// [`split_while`] for a class `f` that holds every letter, digit, `-`, `.` and `:`: the run of
/// those is measured eight bytes at a time ([`plain_run`]), and only bytes of `f` outside it
/// are looked at one by one.
#[inline]
pub(crate) fn split_run(s: &[u8], f: impl Fn(u8) -> bool) -> (&[u8], &[u8]) {
    let skip = plain_run(s);
    // Most runs end at the byte that ends the plain run: one look decides.
    let n = match s.get(skip) {
        Some(&b) if f(b) => {
            let tail = s.get(skip..).unwrap_or_default();
            skip + tail.iter().position(|&b| !f(b)).unwrap_or(tail.len())
        }
        _ => skip,
    };
    s.split_at_checked(n).unwrap_or((s, &[]))
}

/// Parses a non-empty run of ASCII digits into a `u64`, `None` on anything else or on overflow.
#[inline]
pub(crate) fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// ASCII case-insensitive equality with a lowercase literal; usable in `const` context.
pub(crate) const fn eq_lower(mut a: &[u8], mut lower: &[u8]) -> bool {
    if a.len() != lower.len() {
        return false;
    }
    loop {
        match (a.split_first(), lower.split_first()) {
            (Some((x, ra)), Some((y, rb))) => {
                if x.to_ascii_lowercase() != *y {
                    return false;
                }
                a = ra;
                lower = rb;
            }
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// Views validated ASCII as `&str`; `None` if it is not UTF-8 (never for validated input).
#[inline]
pub(crate) fn as_str(s: &[u8]) -> Option<&str> {
    core::str::from_utf8(s).ok()
}

/// The position of the first byte of `block` that is not an ASCII letter, digit or `-`, 16 when
/// there is none, exactly: a branch-free map over the block that the compiler turns into a few
/// vector instructions, then the lowest flag of the two words.
#[allow(clippy::inline_always)] // a few instructions once per line
#[inline(always)]
pub(crate) fn first_non_name(block: &[u8; 16]) -> usize {
    let mut flags = [0u8; 16];
    for (flag, &b) in flags.iter_mut().zip(block) {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        *flag = u8::from(!(letter || digit || b == b'-')).wrapping_neg();
    }
    (u128::from_le_bytes(flags).trailing_zeros() / 8) as usize
}

/// [`first_non_name`] out of line, for callers where the inlined map is not vectorised (the
/// compiler's choice depends on the code around it; measured under callgrind).
#[inline(never)]
pub(crate) fn first_non_name_call(block: &[u8; 16]) -> usize {
    first_non_name(block)
}

/// `0x01` in every byte of a word.
pub(crate) const ONES: u64 = u64::from_le_bytes([0x01; 8]);
/// `0x80` (bit 7) in every byte of a word.
pub(crate) const HIGH: u64 = u64::from_le_bytes([0x80; 8]);

/// Reads eight bytes as a little-endian word.
#[inline]
pub(crate) fn word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    u64::from_le_bytes(w)
}

/// The position of the first byte `flags` marks, eight bytes at a time, for every scan below.
///
/// `flags` returns bit 7 of each marked byte of a little-endian word, and its lowest flag must be
/// exact (flags above it may be false). The last partial word is read as the last eight bytes,
/// overlapping bytes already found unmarked (which can neither be marked nor carry a false flag
/// below a true one); only slices shorter than a word go byte by byte through `marked`.
#[inline]
fn first_marked(
    s: &[u8],
    flags: impl Fn(u64) -> u64,
    marked: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut chunks = s.chunks_exact(8);
    let mut base = 0usize;
    for chunk in chunks.by_ref() {
        let f = flags(word(chunk));
        if f != 0 {
            return Some(base + (f.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    if chunks.remainder().is_empty() {
        return None;
    }
    if let Some(start) = s.len().checked_sub(8)
        && let Some(last) = s.get(start..)
    {
        let f = flags(word(last));
        return (f != 0).then(|| start + (f.trailing_zeros() / 8) as usize);
    }
    s.iter().position(|&b| marked(b))
}

/// The first position of `needle` in `s`, eight bytes at a time: cheaper than a `memchr` call
/// on the short slices of a header value or an SDP line.
#[inline]
pub(crate) fn find(s: &[u8], needle: u8) -> Option<usize> {
    let pattern = ONES.wrapping_mul(u64::from(needle));
    first_marked(s, |x| zero_bytes(x ^ pattern) & HIGH, |b| b == needle)
}

/// The has-zero-byte flags of `x` before the final `& HIGH` (exact for the word as a whole).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x
}

/// Bit 7 of the bytes of `x` equal to `needle`; the lowest flag is exact, flags above it may be
/// false (a borrow runs upwards only).
#[allow(clippy::inline_always)] // a handful of word operations in per-word loops
#[inline(always)]
pub(crate) fn equal_flags(x: u64, needle: u8) -> u64 {
    zero_bytes(x ^ ONES.wrapping_mul(u64::from(needle))) & HIGH
}

/// The first position of `a` or `b` in `s`, eight bytes at a time (one pass for both).
#[inline]
pub(crate) fn find2(s: &[u8], a: u8, b: u8) -> Option<usize> {
    let pa = ONES.wrapping_mul(u64::from(a));
    let pb = ONES.wrapping_mul(u64::from(b));
    // The lowest flagged byte of each test is exact, so the lowest of both is too.
    first_marked(
        s,
        |x| (zero_bytes(x ^ pa) | zero_bytes(x ^ pb)) & HIGH,
        |c| c == a || c == b,
    )
}

/// The length of the longest prefix of `s` made of URI characters ([`is_uri`]), eight bytes at
/// a time: only a word that may end the run is looked at byte by byte.
#[inline]
pub(crate) fn uri_run(s: &[u8]) -> usize {
    first_marked(s, non_uri_flags, |b| !is_uri(b)).unwrap_or(s.len())
}

/// Bit 7 of the bytes of `x` that are not URI characters ([`is_uri`]), exactly: every test
/// works on the low seven bits of each byte, where no sum reaches past bit 7, so no carry
/// crosses bytes.
#[inline]
fn non_uri_flags(x: u64) -> u64 {
    const LOW7: u64 = u64::from_le_bytes([0x7f; 8]);
    let m = x & LOW7;
    // Bit 7 set from 0x21 up.
    let visible = m.wrapping_add(ONES.wrapping_mul(0x5f));
    // Bit 7 set at 0x7f only.
    let del = m.wrapping_add(ONES);
    // Adding 0x7f reaches bit 7 unless the byte is zero, that is unless it matched.
    let not_quote = (m ^ ONES.wrapping_mul(u64::from(b'"'))).wrapping_add(LOW7);
    // `<` and `>` differ only in bit 0x02: one test finds both.
    let not_angle =
        ((m | ONES.wrapping_mul(0x02)) ^ ONES.wrapping_mul(u64::from(b'>'))).wrapping_add(LOW7);
    // Bytes >= 0x80 are URI characters: their own bit 7 keeps them unflagged.
    let good = (visible & !del & not_quote & not_angle) | x;
    !good & HIGH
}

/// Bit 7 of every byte of `x` that is not an ASCII digit, exactly (no carries between bytes).
#[inline]
fn non_digit_flags(x: u64) -> u64 {
    let t = x ^ ONES.wrapping_mul(u64::from(b'0'));
    // Digits become 0..=9; adding 0x76 to the low seven bits reaches bit 7 from 10 up.
    ((t & ONES.wrapping_mul(0x7f)).wrapping_add(ONES.wrapping_mul(0x76)) | t) & HIGH
}

/// The length of the run of ASCII digits at the start of `s`, eight bytes at a time.
#[inline]
pub(crate) fn digit_run(s: &[u8]) -> usize {
    first_marked(s, non_digit_flags, |b| !b.is_ascii_digit()).unwrap_or(s.len())
}

/// Whether every byte of `s` is an ASCII digit, eight at a time.
#[inline]
pub(crate) fn all_digits(s: &[u8]) -> bool {
    const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);
    const HIGH_NIBBLES: u64 = u64::from_le_bytes([0xf0; 8]);
    const SIX: u64 = u64::from_le_bytes([0x06; 8]);
    let mut chunks = s.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let x = word(chunk);
        // Each byte is 0x30..=0x3f, and adding 6 keeps it below 0x40: 0x30..=0x39.
        if x & HIGH_NIBBLES != ZEROS || x.wrapping_add(SIX) & HIGH_NIBBLES != ZEROS {
            return false;
        }
    }
    let tail = chunks.remainder();
    match s.len().checked_sub(8).and_then(|start| s.get(start..)) {
        // The last eight bytes as one word, overlapping digits already checked.
        Some(last) if !tail.is_empty() => {
            let x = word(last);
            x & HIGH_NIBBLES == ZEROS && x.wrapping_add(SIX) & HIGH_NIBBLES == ZEROS
        }
        _ => tail.iter().all(u8::is_ascii_digit),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::{
        all_digits, digit_run, find, find2, is_hostish, is_uri, is_word, plain_run, split_run,
        split_while, uri_run,
    };
    use proptest::prelude::*;
    use std::vec::Vec;

    /// Bytes biased towards the edges of the classes the word-at-a-time checks test.
    fn edgy() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            any::<u8>(),
            prop::sample::select(
                &[
                    b'0', b'9', b'/', b':', b'<', b'>', b'"', b' ', b'!', 0x7f, 0x80, 0x3c, 0x3e,
                    0x1f, 0x20, 0x21, b';', b'@', 0x36, 0x3a, 0x3f, 0x40,
                ][..]
            ),
            (b'0'..=b'9'),
        ];
        proptest::collection::vec(byte, 0..40)
    }

    /// Mostly token-like text with the bytes around the class edges mixed in.
    fn edgy_text() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            8 => prop::sample::select(&b"azAZ09-._.!~+%@[]:;,/\\\"?=(){}<>`'*#$&^| "[..]),
            2 => any::<u8>(),
            1 => prop::sample::select(&[0x2c, 0x2f, 0x40, 0x5b, 0x60, 0x7b, 0x7f, 0x80, 0xff, 0xad, 0xae, 0xe1][..]),
        ];
        proptest::collection::vec(byte, 0..48)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The word-at-a-time URI run agrees with the byte table.
        #[test]
        fn uri_run_agrees_with_scalar(s in edgy()) {
            let scalar = s.iter().position(|&b| !is_uri(b)).unwrap_or(s.len());
            prop_assert_eq!(uri_run(&s), scalar);
        }

        /// The word-at-a-time runs agree with the byte tables of every class they serve.
        #[test]
        fn split_run_agrees_with_split_while(s in edgy_text()) {
            for f in [is_hostish as fn(u8) -> bool, is_word] {
                prop_assert_eq!(split_run(&s, f), split_while(&s, f));
            }
            let plain = plain_run(&s);
            prop_assert!(plain <= s.len());
            prop_assert!(s[..plain].iter().all(|&b| b.is_ascii_alphanumeric() || b"-.:".contains(&b)));
        }

        /// The word-at-a-time digit run agrees with the byte loop.
        #[test]
        fn digit_run_agrees_with_scalar(s in edgy()) {
            prop_assert_eq!(digit_run(&s), s.iter().position(|b| !b.is_ascii_digit()).unwrap_or(s.len()));
        }

        /// The word-at-a-time digit check agrees with the byte check.
        #[test]
        fn all_digits_agrees_with_scalar(s in edgy()) {
            prop_assert_eq!(all_digits(&s), s.iter().all(u8::is_ascii_digit));
        }

        /// The two-byte word-at-a-time search agrees with the byte search.
        #[test]
        fn find2_agrees_with_scalar(s in edgy(), a in prop::sample::select(&[b';', b'@', b':', b'"'][..]), b in prop::sample::select(&[b'\\', b':', b'>', b'0'][..])) {
            prop_assert_eq!(find2(&s, a, b), s.iter().position(|&c| c == a || c == b));
        }

        /// The word-at-a-time search agrees with the byte search.
        #[test]
        fn find_agrees_with_scalar(s in edgy(), needle in prop::sample::select(&[b';', b'@', b':', b'\n'][..])) {
            prop_assert_eq!(find(&s, needle), s.iter().position(|&b| b == needle));
        }
    }
}

/// Bit 7 of every byte of `x` that is not an ASCII letter, digit, `-`, `.` or `:`. The lowest
/// flag is exact: a byte from 0x80 up is flagged by its own bit 7, and the carries its range
/// tests may spill run only upwards, into bytes above it.
#[inline]
fn non_plain_flags(x: u64) -> u64 {
    let letter = in_range(x | ONES.wrapping_mul(0x20), b'a', b'z');
    // `:` follows `9`.
    let digit_colon = in_range(x, b'0', b':');
    let dash_dot = in_range(x, b'-', b'.');
    (!(letter | digit_colon | dash_dot) | x) & HIGH
}

/// An ASCII letter, digit, `-`, `.` or `:`: the bytes [`plain_run`] skips.
#[inline]
pub(crate) fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':')
}

/// The length of the leading run of ASCII letters, digits, `-`, `.` and `:` in `s` (the bytes of
/// most hosts with ports, branches and Call-IDs), exactly, sixteen bytes per step and then a
/// word at a time, the last partial word included.
#[inline]
pub(crate) fn plain_run(s: &[u8]) -> usize {
    first_marked_pairs(s, non_plain_flags, |b| !is_plain(b)).unwrap_or(s.len())
}

/// [`first_marked`] sixteen bytes per step, both words' flags tested at once, for the runs
/// long enough to pay for it; then at most two words, the last one overlapping bytes already
/// found unmarked. `flags` keeps the contract of [`first_marked`] (its lowest flag exact), and
/// the two words of a step are separate integers, so no carry crosses from one to the other.
#[inline]
fn first_marked_pairs(
    s: &[u8],
    flags: impl Fn(u64) -> u64,
    marked: impl Fn(u8) -> bool,
) -> Option<usize> {
    let at = |base: usize, f: u64| base + (f.trailing_zeros() / 8) as usize;
    let mut base = 0usize;
    let mut pairs = s.chunks_exact(16);
    for pair in pairs.by_ref() {
        let (a, b) = pair.split_at(8);
        let (fa, fb) = (flags(word(a)), flags(word(b)));
        if fa | fb != 0 {
            return Some(if fa != 0 {
                at(base, fa)
            } else {
                at(base + 8, fb)
            });
        }
        base += 16;
    }
    let rest = pairs.remainder();
    if rest.is_empty() {
        return None;
    }
    if let Some(first) = rest.get(..8) {
        let f = flags(word(first));
        if f != 0 {
            return Some(at(base, f));
        }
        if rest.len() == 8 {
            return None;
        }
    }
    if let Some(start) = s.len().checked_sub(8)
        && let Some(last) = s.get(start..)
    {
        let f = flags(word(last));
        return (f != 0).then(|| at(start, f));
    }
    s.iter().position(|&b| marked(b))
}

/// [`uri_run`] for the long runs of a URI inside `<>`, sixteen bytes per step.
#[inline]
pub(crate) fn uri_run_pairs(s: &[u8]) -> usize {
    first_marked_pairs(s, non_uri_flags, |b| !is_uri(b)).unwrap_or(s.len())
}

#[cfg(test)]
mod plain_run_tests {
    extern crate std;
    use super::{
        is_hostish, is_plain, is_token, is_uri, is_word, plain_run, split_run, split_while,
    };
    use proptest::prelude::*;
    use std::vec::Vec;

    /// Plain runs broken by the bytes around the edges of the plain class, any byte mixed in.
    fn plainish() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            8 => prop::sample::select(&b"azAZ09-.:mN5"[..]),
            3 => prop::sample::select(
                &[
                    b',', b'/', b';', b'@', b'[', b'`', b'{', b'_', b'!', b'~', b'+', b'=', b' ',
                    0x2c, 0x2f, 0x3b, 0x40, 0x5b, 0x60, 0x7b, 0x7f, 0x80, 0xff, 0xad, 0xba,
                    0xc0, 0xe1, 0xfa, 0xda,
                ][..]
            ),
            1 => any::<u8>(),
        ];
        proptest::collection::vec(byte, 0..48)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6000))]

        /// The sixteen-byte URI run agrees with the byte table.
        #[test]
        fn uri_run_pairs_agrees_with_scalar(s in proptest::collection::vec(prop_oneof![
            8 => prop::sample::select(&b"sip:+1@h.example;user=phone0129"[..]),
            2 => prop::sample::select(&[b'<', b'>', b'"', b' ', b'\t', b'\r', b'\n', 0x7f, 0x80, 0xff, 0x21, 0x20, 0x1f, 0x3c, 0x3e, 0x22, 0xbc, 0xbe, 0xa2][..]),
            1 => any::<u8>(),
        ], 0..72)) {
            prop_assert_eq!(super::uri_run_pairs(&s), s.iter().position(|&b| !is_uri(b)).unwrap_or(s.len()));
        }

        /// The exact word-at-a-time plain run agrees with the byte loop.
        #[test]
        fn plain_run_agrees_with_scalar(s in plainish()) {
            prop_assert_eq!(plain_run(&s), s.iter().position(|&b| !is_plain(b)).unwrap_or(s.len()));
        }

        /// `split_run` agrees with `split_while` for every class it serves, on plain runs.
        #[test]
        fn split_run_agrees_on_plain_runs(s in plainish()) {
            for f in [is_hostish as fn(u8) -> bool, is_word] {
                prop_assert_eq!(split_run(&s, f), split_while(&s, f));
            }
        }
    }

    /// Every byte value at every place of a plain run up to five words long ends it exactly
    /// where the byte loop does.
    #[test]
    fn plain_run_every_byte_everywhere() {
        for at in 0..40 {
            for b in 0..=255u8 {
                let mut s = [b'a'; 40];
                s[at] = b;
                let want = if is_plain(b) { 40 } else { at };
                for len in at..=40 {
                    assert_eq!(
                        plain_run(&s[..len]),
                        want.min(len),
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }

    /// Every byte value at every place of a word is flagged by the URI test exactly when it is
    /// not a URI character.
    #[test]
    fn non_uri_flags_every_byte_everywhere() {
        for at in 0..8 {
            for b in 0..=255u8 {
                for fill in [b'a', 0xff, b'!', b'~'] {
                    let mut w = [fill; 8];
                    w[at] = b;
                    let want = w.iter().enumerate().fold(0u64, |f, (i, &c)| {
                        if is_uri(c) { f } else { f | 0x80 << (8 * i) }
                    });
                    assert_eq!(super::non_uri_flags(u64::from_le_bytes(w)), want, "{w:?}");
                }
            }
        }
    }

    /// Every byte value at every place of runs up to 40 bytes long ends the sixteen-byte URI
    /// run exactly where the byte loop ends.
    #[test]
    fn uri_run_pairs_every_byte_everywhere() {
        for at in 0..40 {
            for b in 0..=255u8 {
                let mut s = [b'a'; 40];
                s[at] = b;
                let want = if is_uri(b) { 40 } else { at };
                for len in at..=40 {
                    assert_eq!(
                        super::uri_run_pairs(&s[..len]),
                        want.min(len),
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }

    /// The plain class is inside every class `split_run` serves (`:` aside for tokens).
    #[test]
    fn plain_bytes_are_hostish_and_word() {
        for b in 0..=255u8 {
            if is_plain(b) {
                assert!(is_hostish(b) && is_word(b), "{b:#x}");
                assert!(is_token(b) || b == b':', "{b:#x}");
            }
        }
    }
}

/// [`find`] sixteen bytes per step ([`first_marked_pairs`]), for slices that are usually longer
/// than two words (what follows the host of a Request-URI).
#[inline]
pub(crate) fn find_pairs(s: &[u8], needle: u8) -> Option<usize> {
    let pattern = ONES.wrapping_mul(u64::from(needle));
    first_marked_pairs(s, |x| zero_bytes(x ^ pattern) & HIGH, |b| b == needle)
}

#[cfg(test)]
mod find_pairs_tests {
    extern crate std;
    use super::find_pairs;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The sixteen-byte search agrees with the byte search at every length up to five
        /// steps, the needle and its neighbours (a borrow from one byte may flag the next)
        /// mixed in anywhere.
        #[test]
        fn find_pairs_agrees_with_scalar(
            s in proptest::collection::vec(
                prop_oneof![
                    6 => prop::sample::select(&b"az09.:;=-"[..]),
                    2 => prop::sample::select(&b"?>@\x00\x01\x80\xff"[..]),
                    1 => any::<u8>(),
                ],
                0..80,
            ),
            needle in prop::sample::select(&[b'?', b'@', 0u8, 0x80][..]),
        ) {
            prop_assert_eq!(find_pairs(&s, needle), s.iter().position(|&b| b == needle));
        }
    }
}

/// The first position of `needle` or of a byte from 0x80 up in `s`, sixteen bytes per step
/// ([`first_marked_pairs`]): the lowest flag of the needle test is exact, bit 7 of a byte is
/// its own exact flag, so the lowest of both is exact too.
#[inline]
pub(crate) fn find_pairs_or_high(s: &[u8], needle: u8) -> Option<usize> {
    let pattern = ONES.wrapping_mul(u64::from(needle));
    first_marked_pairs(
        s,
        |x| (zero_bytes(x ^ pattern) | x) & HIGH,
        |b| b == needle || b >= 0x80,
    )
}

#[cfg(test)]
mod find_pairs_or_high_tests {
    extern crate std;
    use super::find_pairs_or_high;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The sixteen-byte search agrees with the byte search for the needle or a high byte.
        #[test]
        fn find_pairs_or_high_agrees_with_scalar(
            s in proptest::collection::vec(
                prop_oneof![
                    6 => prop::sample::select(&b"az09.:;=-"[..]),
                    2 => prop::sample::select(&b"?>@\x00\x01\x7f\x80\xc3\xff"[..]),
                    1 => any::<u8>(),
                ],
                0..80,
            ),
            needle in prop::sample::select(&[b'?', b'@', 0u8, 0x7f][..]),
        ) {
            prop_assert_eq!(
                find_pairs_or_high(&s, needle),
                s.iter().position(|&b| b == needle || b >= 0x80)
            );
        }
    }
}
