//! E.164 telephone numbers: the one rule every crate of the workspace applies, and the ITU
//! country calling code table it rests on.
//!
//! A number is E.164 when it is `+` and digits, the first digit 1-9, the leading digits an
//! assigned ITU country calling code, and the digits after that code (the national significant
//! number, NSN) of a length the code's numbering plan allows: exactly 10 after `+1` (NANP), 9
//! after `+33`, 4 to 13 after `+49`, and so on, never more than 15 digits in all. Short codes
//! (`+12345`) and numbers of unassigned codes (`+2101234567`) are not E.164.
//!
//! Everything here is `const fn` over bytes, allocation-free and panic-free: [`is_e164`] and
//! [`is_e164_digits`] answer yes or no; [`check`] and [`check_digits`] say which rule failed
//! ([`E164Fault`]) or return the number's [`CountryCallingCode`]. The call path uses the same
//! predicates, so what the provisioning side accepts is what an INVITE is checked against.
//!
//! ```
//! use sip_rules::e164::{self, E164Fault};
//!
//! assert!(e164::is_e164(b"+14155550123"));
//! assert!(!e164::is_e164(b"+12345")); // a short code, not E.164
//! assert!(!e164::is_e164(b"+141555501234")); // 11 digits after +1
//! assert_eq!(e164::check(b"+2101234567"), Err(E164Fault::UnassignedCountryCode));
//! let cc = e164::check(b"+442079460000")?;
//! assert_eq!((cc.code(), cc.regions()[0]), (44, "GB"));
//! # Ok::<(), E164Fault>(())
//! ```
//!
//! # Provenance of the table
//!
//! The codes are the ITU-T E.164 assignments ("List of ITU-T Recommendation E.164 assigned
//! country codes", Annex to the ITU Operational Bulletin). Spare and withdrawn codes (for
//! example +210, +28x, +388, +684, +969) are absent, so a number that starts with them is
//! rejected. Regions are ISO 3166-1 alpha-2 codes (plus the exceptionally reserved `AC` and
//! `TA`, and the user-assigned `XK`), main territory first; global services have none.
//!
//! The national lengths come from the metadata of Google's libphonenumber
//! (`resources/PhoneNumberMetadata.xml`), read in its compact libphonenumber-js form
//! `metadata.min.json` (metadata format version 4), as bundled in
//! `iamstevendao/vue-tel-input` `dist/vue-tel-input.common.js` at commit
//! `66ccd7ec8d4b67ad31a6f548f919fe5a1175f0eb`. For each territory that file lists the
//! possible national lengths of its general description, which libphonenumber's build computes
//! as the union over every number type (fixed line, mobile, toll free, premium rate, shared
//! cost, VoIP, personal, pager, UAN, voicemail); the `nonGeographic` section gives the same
//! for the global services. A row's minimum and maximum are taken over all territories sharing
//! the code (`country_calling_codes`: +1 the NANP territories, +7 RU and KZ, +44 GB, GG, IM and
//! JE, +61 AU, CC and CX, ...).
//!
//! Where the table deviates from that range, on purpose:
//! - +1 is exactly 10: the dataset also lists 7 for Canada (the `310` short numbers), which are
//!   not E.164.
//! - Capped at 15 digits in all (ITU-T E.164 clause 6.1; a test checks it): +49 lists up to 15
//!   national digits (kept 4 to 13), +81 up to 17 (8 to 13), +82 up to 14 (5 to 13), +234 up to
//!   14 (7 to 12).
//! - +41 and +420 list only 9, but their national patterns also take longer numbers
//!   (`8\d{11}`, `9\d{8,11}`); the table keeps 9 to 12 for both.
//! - +229 (Benin) lists only 8; Benin moved to 10 digits (a `01` prefix) in November 2024, after
//!   this dataset, so both 8 and 10 are accepted while the plan is in transition.
//! - Codes the dataset does not cover keep their earlier values, not checked against a
//!   source: +379 (Vatican, 6 to 10), +991 (ITU trial service, 9), +997 (Kazakhstan, 9 to 10).
//! - Regions the dataset lists under no code but the ITU assigns to a row are kept: `PN` (+64),
//!   `GS` (+500), `AQ` (+672).
//!
//! The rows were last compared with the dataset on 2026-12-02; 82 rows changed then (lengths of
//! 81, the regions of +247 `SH` to `AC` and of +290 gaining `TA`, and the region order of +61).

use core::fmt;

/// Most digits in an E.164 number, country calling code included (ITU-T E.164 clause 6.1).
pub const MAX_DIGITS: usize = 15;

/// An ITU country calling code, the region(s) it serves, and the national lengths its
/// numbering plan allows.
///
/// ```
/// use sip_rules::e164::CountryCallingCode;
///
/// let nanp = CountryCallingCode::lookup(1).expect("assigned");
/// assert_eq!((nanp.min_national_len(), nanp.max_national_len()), (10, 10));
/// assert_eq!(nanp.regions()[0], "US");
/// assert!(CountryCallingCode::lookup(210).is_none()); // spare
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CountryCallingCode {
    code: u16,
    regions: &'static [&'static str],
    min_national: u8,
    max_national: u8,
}

/// A row of the table.
const fn cc(
    code: u16,
    regions: &'static [&'static str],
    min_national: u8,
    max_national: u8,
) -> CountryCallingCode {
    CountryCallingCode {
        code,
        regions,
        min_national,
        max_national,
    }
}

impl CountryCallingCode {
    /// The numeric code, 1 to 3 digits (`1`, `44`, `880`).
    pub const fn code(&self) -> u16 {
        self.code
    }

    /// ISO 3166-1 alpha-2 codes of the territories using this code, main territory first;
    /// empty for global services such as +800.
    pub const fn regions(&self) -> &'static [&'static str] {
        self.regions
    }

    /// Whether the code serves a global service rather than a territory.
    pub const fn is_non_geographic(&self) -> bool {
        self.regions.is_empty()
    }

    /// Number of digits of the code (1 to 3).
    pub const fn len(&self) -> usize {
        if self.code < 10 {
            1
        } else if self.code < 100 {
            2
        } else {
            3
        }
    }

    /// Always `false`: a code has at least one digit. Present for symmetry with [`Self::len`].
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The fewest digits the numbering plan allows after the code.
    pub const fn min_national_len(&self) -> usize {
        self.min_national as usize
    }

    /// The most digits the numbering plan allows after the code.
    pub const fn max_national_len(&self) -> usize {
        self.max_national as usize
    }

    /// Looks a code up by its numeric value.
    pub const fn lookup(code: u16) -> Option<Self> {
        // Binary search over the sorted table, in `const` context.
        let (mut low, mut high) = (0, COUNTRY_CALLING_CODES.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match COUNTRY_CALLING_CODES.split_at_checked(mid) {
                Some((_, [row, ..])) if row.code == code => return Some(*row),
                Some((_, [row, ..])) if row.code < code => low = mid + 1,
                Some(_) => high = mid,
                None => return None,
            }
        }
        None
    }

    /// The code that starts `digits` (the table is prefix-free, so at most one does).
    pub const fn of_digits(digits: &[u8]) -> Option<Self> {
        let Some(shape) = shape(digits) else {
            return None;
        };
        let Some(&[a, b, c]) = digits.first_chunk::<3>() else {
            return None;
        };
        let three = digit(a) * 100 + digit(b) * 10 + digit(c);
        let code = match shape >> 8 {
            1 => three / 100,
            2 => three / 10,
            _ => three,
        };
        Self::lookup(code)
    }

    /// The codes serving an ISO 3166-1 alpha-2 region (ASCII case ignored), main code first.
    /// Most regions have one; Kazakhstan has +7 and +997.
    ///
    /// ```
    /// use sip_rules::e164::CountryCallingCode;
    ///
    /// let kz: Vec<u16> = CountryCallingCode::for_region("kz").map(|c| c.code()).collect();
    /// assert_eq!(kz, [7, 997]);
    /// assert_eq!(CountryCallingCode::for_region("ZZ").count(), 0);
    /// ```
    pub fn for_region(region: &str) -> impl Iterator<Item = Self> + '_ {
        COUNTRY_CALLING_CODES
            .iter()
            .filter(move |c| c.regions.iter().any(|r| r.eq_ignore_ascii_case(region)))
            .copied()
    }
}

impl fmt::Display for CountryCallingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.code)
    }
}

/// A country or territory that has an E.164 country calling code, by its ISO 3166-1 alpha-2
/// code (uppercase).
///
/// ```
/// use sip_rules::e164::Country;
///
/// let br = Country::from_code("br").expect("has a calling code");
/// assert_eq!(br.code(), "BR");
/// assert_eq!(br.calling_codes().next().map(|c| c.code()), Some(55));
/// assert!(Country::from_code("ZZ").is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country {
    code: &'static str,
}

impl Country {
    /// The country whose ISO 3166-1 alpha-2 code is `code` (ASCII case ignored), if the table
    /// gives it a calling code.
    pub fn from_code(code: &str) -> Option<Self> {
        if code.len() != 2 {
            return None;
        }
        COUNTRY_CALLING_CODES
            .iter()
            .flat_map(|c| c.regions.iter())
            .find(|r| r.eq_ignore_ascii_case(code))
            .map(|code| Self { code })
    }

    /// The ISO 3166-1 alpha-2 code, uppercase.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The country calling codes serving this country (Kazakhstan has two).
    pub fn calling_codes(&self) -> impl Iterator<Item = CountryCallingCode> + use<> {
        CountryCallingCode::for_region(self.code)
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// Which part of the E.164 rule a number breaks (see [`check`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum E164Fault {
    /// Nothing at all.
    Empty,
    /// The number does not start with `+` (only [`check`] asks for it).
    MissingPlus,
    /// Nothing after the `+`.
    NoDigits,
    /// The byte at this offset of the input is not a digit.
    NotADigit(usize),
    /// The first digit is 0: no country calling code starts with 0.
    LeadingZero,
    /// More than [`MAX_DIGITS`] digits; the count.
    TooLong(usize),
    /// The leading digits are not an assigned ITU country calling code.
    UnassignedCountryCode,
    /// The digits after the country calling code are fewer or more than its numbering plan
    /// allows (`len` of them).
    NationalLength {
        /// The number's country calling code.
        code: CountryCallingCode,
        /// How many digits follow it.
        len: usize,
    },
}

impl fmt::Display for E164Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty"),
            Self::MissingPlus => f.write_str("it must start with \"+\""),
            Self::NoDigits => f.write_str("no digits after \"+\""),
            Self::NotADigit(at) => write!(f, "the character at byte {at} is not a digit"),
            Self::LeadingZero => f.write_str("the first digit after \"+\" must be 1-9"),
            Self::TooLong(n) => write!(f, "{n} digits, at most {MAX_DIGITS} are allowed"),
            Self::UnassignedCountryCode => {
                f.write_str("no assigned ITU country calling code starts its digits")
            }
            Self::NationalLength { code, len } => {
                let (min, max) = (code.min_national_len(), code.max_national_len());
                write!(f, "{len} digits after the country calling code {code}, ")?;
                if min == max {
                    write!(f, "its numbering plan has exactly {min}")
                } else {
                    write!(f, "its numbering plan allows {min} to {max}")
                }
            }
        }
    }
}

impl core::error::Error for E164Fault {}

/// A number that passed the rule, `+` and its digits stored inline: `Copy`, 18 bytes of digits
/// and length plus its country calling code, no allocation.
///
/// Every crate's owned number type is built on this one, so a number that exists as a value
/// has been checked once, by [`check`], and converts between the crates without a second check.
/// Numbers order as their text does (`"+1415…" < "+44…"`), which is the order
/// [`Numbers::from_sorted`](crate::Numbers::from_sorted) searches.
///
/// ```
/// use sip_rules::e164::{E164Fault, Number};
///
/// let n = Number::parse("+442079460000")?;
/// assert_eq!((n.as_str(), n.digits(), n.country_calling_code().code()), ("+442079460000", "442079460000", 44));
/// assert_eq!(n.national_number(), "2079460000");
/// assert!(matches!(Number::parse("+12345"), Err(E164Fault::NationalLength { len: 4, .. })));
/// # Ok::<(), E164Fault>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    /// `+` and up to [`MAX_DIGITS`] digits; bytes past `len` are zero.
    bytes: [u8; MAX_DIGITS + 1],
    len: u8,
    code: CountryCallingCode,
}

impl Number {
    /// Checks `number` by the rule ([`check`]) and keeps it.
    ///
    /// # Errors
    /// The first rule `number` breaks ([`E164Fault`]).
    pub const fn parse(number: &str) -> Result<Self, E164Fault> {
        Self::parse_bytes(number.as_bytes())
    }

    /// [`Number::parse`] on bytes.
    ///
    /// # Errors
    /// The first rule `number` breaks ([`E164Fault`]).
    pub const fn parse_bytes(number: &[u8]) -> Result<Self, E164Fault> {
        let code = match check(number) {
            Ok(code) => code,
            Err(fault) => return Err(fault),
        };
        let mut bytes = [0; MAX_DIGITS + 1];
        let mut len = 0;
        // `check` bounds the length: `+` and at most MAX_DIGITS digits.
        let (mut src, mut dst): (&[u8], &mut [u8]) = (number, &mut bytes);
        while let ([s, src_rest @ ..], [d, dst_rest @ ..]) = (src, dst) {
            *d = *s;
            (src, dst) = (src_rest, dst_rest);
            len += 1;
        }
        Ok(Self { bytes, len, code })
    }

    /// `+` and the digits.
    pub const fn as_bytes(&self) -> &[u8] {
        self.bytes.split_at(self.len as usize).0
    }

    /// `+` and the digits.
    pub const fn as_str(&self) -> &str {
        match core::str::from_utf8(self.as_bytes()) {
            Ok(s) => s,
            // ASCII by construction.
            Err(_) => "",
        }
    }

    /// The digits without `+` (the form Plivo puts in URL paths).
    pub const fn digits(&self) -> &str {
        match self.as_str().split_at_checked(1) {
            Some((_, digits)) => digits,
            None => "",
        }
    }

    /// The country calling code the number starts with.
    pub const fn country_calling_code(&self) -> CountryCallingCode {
        self.code
    }

    /// The digits after the country calling code (the national significant number).
    pub const fn national_number(&self) -> &str {
        match self.digits().split_at_checked(self.code.len()) {
            Some((_, national)) => national,
            None => "",
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    /// The order of the text.
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Number").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Number {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl core::str::FromStr for Number {
    type Err = E164Fault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Whether `number` is `+` and an E.164 number (see the module documentation).
pub const fn is_e164(number: &[u8]) -> bool {
    match number.split_first() {
        Some((b'+', digits)) => is_e164_digits(digits),
        _ => false,
    }
}

/// Whether `digits`, without `+`, are an E.164 number.
pub const fn is_e164_digits(digits: &[u8]) -> bool {
    all_digits(digits) && fits_plan(digits)
}

/// [`is_e164`], saying which rule failed.
///
/// # Errors
/// The first rule `number` breaks, in the order of [`E164Fault`].
pub const fn check(number: &[u8]) -> Result<CountryCallingCode, E164Fault> {
    match number.split_first() {
        None => Err(E164Fault::Empty),
        Some((b'+', digits)) => match check_digits(digits) {
            Err(E164Fault::Empty) => Err(E164Fault::NoDigits),
            Err(E164Fault::NotADigit(at)) => Err(E164Fault::NotADigit(at + 1)),
            other => other,
        },
        Some(_) => Err(E164Fault::MissingPlus),
    }
}

/// [`is_e164_digits`], saying which rule failed.
///
/// # Errors
/// The first rule `digits` break, in the order of [`E164Fault`] ([`E164Fault::Empty`] for no
/// digits; never [`E164Fault::MissingPlus`]).
pub const fn check_digits(digits: &[u8]) -> Result<CountryCallingCode, E164Fault> {
    let mut at = 0;
    let mut rest = digits;
    while let Some((b, r)) = rest.split_first() {
        if !b.is_ascii_digit() {
            return Err(E164Fault::NotADigit(at));
        }
        at += 1;
        rest = r;
    }
    match digits.first() {
        None => return Err(E164Fault::Empty),
        Some(b'0') => return Err(E164Fault::LeadingZero),
        Some(_) => {}
    }
    if digits.len() > MAX_DIGITS {
        return Err(E164Fault::TooLong(digits.len()));
    }
    let code = match CountryCallingCode::of_digits(digits) {
        Some(code) => code,
        // Fewer than three digits can still start with a one- or two-digit code.
        None => match short_code(digits) {
            Some(code) => code,
            None => return Err(E164Fault::UnassignedCountryCode),
        },
    };
    let len = digits.len().saturating_sub(code.len());
    if len < code.min_national_len() || len > code.max_national_len() {
        return Err(E164Fault::NationalLength { code, len });
    }
    Ok(code)
}

/// The value of an ASCII digit.
const fn digit(d: u8) -> u16 {
    d.wrapping_sub(b'0') as u16
}

/// The code of a number of one or two digits (too short to be E.164, but its code is known).
const fn short_code(digits: &[u8]) -> Option<CountryCallingCode> {
    match digits {
        [a] => CountryCallingCode::lookup(digit(*a)),
        [a, b] => match CountryCallingCode::lookup(digit(*a)) {
            Some(code) => Some(code),
            None => CountryCallingCode::lookup(digit(*a) * 10 + digit(*b)),
        },
        _ => None,
    }
}

/// Whether every byte of `s` is an ASCII digit (and there is one).
const fn all_digits(s: &[u8]) -> bool {
    if s.is_empty() {
        return false;
    }
    let mut rest = s;
    while let Some((b, r)) = rest.split_first() {
        if !b.is_ascii_digit() {
            return false;
        }
        rest = r;
    }
    true
}

/// Whether ASCII digits `digits` (the caller has checked they are digits) start with an
/// assigned country calling code and have a national length its plan allows. The call path's
/// test: one table load and two comparisons.
#[inline]
pub(crate) const fn fits_plan(digits: &[u8]) -> bool {
    let Some(shape) = shape(digits) else {
        return false;
    };
    let national = digits.len().wrapping_sub((shape >> 8) as usize);
    national >= ((shape >> 4) & 0xF) as usize && national <= (shape & 0xF) as usize
}

/// The packed shape of the code starting `digits`, from their first three digits:
/// `code length << 8 | min national << 4 | max national`; `None` without three digits, with a
/// leading 0 or with an unassigned code.
#[inline]
const fn shape(digits: &[u8]) -> Option<u16> {
    let Some(&[a, b, c]) = digits.first_chunk::<3>() else {
        return None;
    };
    let (a, b, c) = (
        a.wrapping_sub(b'0'),
        b.wrapping_sub(b'0'),
        c.wrapping_sub(b'0'),
    );
    if a == 0 || a > 9 || b > 9 || c > 9 {
        return None;
    }
    let index = (a as usize - 1) * 100 + b as usize * 10 + c as usize;
    match SHAPES.split_at_checked(index) {
        Some((_, [shape, ..])) if *shape != 0 => Some(*shape),
        _ => None,
    }
}

/// [`shape`] of every three-digit prefix 100 to 999, derived from the table at compile time.
static SHAPES: [u16; 900] = shapes();

const fn shapes() -> [u16; 900] {
    let mut out = [0u16; 900];
    let mut rest = COUNTRY_CALLING_CODES;
    while let Some((row, r)) = rest.split_first() {
        // The prefixes a code of `len` digits covers: code * 10^(3 - len) and the next ones.
        let (first, count, len) = match row.len() {
            1 => (row.code as usize * 100, 100, 1u16),
            2 => (row.code as usize * 10, 10, 2),
            _ => (row.code as usize, 1, 3),
        };
        let packed = len << 8 | (row.min_national as u16) << 4 | row.max_national as u16;
        let mut i = 0;
        while i < count {
            if let Some((_, [slot, ..])) = out.split_at_mut_checked(first + i - 100) {
                *slot = packed;
            }
            i += 1;
        }
        rest = r;
    }
    out
}

/// ITU-T E.164 country calling codes, their ISO 3166-1 regions and the national lengths of their
/// numbering plans, sorted by code. See the module documentation for provenance.
pub const COUNTRY_CALLING_CODES: &[CountryCallingCode] = &[
    cc(
        1,
        &[
            "US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM", "KN",
            "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
        ],
        10,
        10,
    ),
    cc(7, &["RU", "KZ"], 10, 14),
    cc(20, &["EG"], 8, 10),
    cc(27, &["ZA"], 5, 10),
    cc(30, &["GR"], 10, 12),
    cc(31, &["NL"], 5, 11),
    cc(32, &["BE"], 8, 9),
    cc(33, &["FR"], 9, 9),
    cc(34, &["ES"], 9, 9),
    cc(36, &["HU"], 8, 9),
    cc(39, &["IT", "VA"], 6, 11),
    cc(40, &["RO"], 6, 9),
    cc(41, &["CH"], 9, 12),
    cc(43, &["AT"], 4, 13),
    cc(44, &["GB", "GG", "IM", "JE"], 7, 10),
    cc(45, &["DK"], 8, 8),
    cc(46, &["SE"], 6, 10),
    cc(47, &["NO", "SJ"], 5, 8),
    cc(48, &["PL"], 6, 10),
    cc(49, &["DE"], 4, 13),
    cc(51, &["PE"], 8, 9),
    cc(52, &["MX"], 10, 11),
    cc(53, &["CU"], 6, 10),
    cc(54, &["AR"], 10, 11),
    cc(55, &["BR"], 8, 11),
    cc(56, &["CL"], 9, 11),
    cc(57, &["CO"], 10, 11),
    cc(58, &["VE"], 10, 10),
    cc(60, &["MY"], 8, 10),
    cc(61, &["AU", "CC", "CX"], 5, 12),
    cc(62, &["ID"], 7, 13),
    cc(63, &["PH"], 6, 13),
    cc(64, &["NZ", "PN"], 5, 10),
    cc(65, &["SG"], 8, 11),
    cc(66, &["TH"], 8, 13),
    cc(81, &["JP"], 8, 13),
    cc(82, &["KR"], 5, 13),
    cc(84, &["VN"], 7, 10),
    cc(86, &["CN"], 7, 12),
    cc(90, &["TR"], 7, 13),
    cc(91, &["IN"], 8, 13),
    cc(92, &["PK"], 8, 12),
    cc(93, &["AF"], 9, 9),
    cc(94, &["LK"], 9, 9),
    cc(95, &["MM"], 6, 10),
    cc(98, &["IR"], 4, 10),
    cc(211, &["SS"], 9, 9),
    cc(212, &["MA", "EH"], 9, 9),
    cc(213, &["DZ"], 8, 9),
    cc(216, &["TN"], 8, 8),
    cc(218, &["LY"], 9, 9),
    cc(220, &["GM"], 7, 7),
    cc(221, &["SN"], 9, 9),
    cc(222, &["MR"], 8, 8),
    cc(223, &["ML"], 8, 8),
    cc(224, &["GN"], 8, 9),
    cc(225, &["CI"], 10, 10),
    cc(226, &["BF"], 8, 8),
    cc(227, &["NE"], 8, 8),
    cc(228, &["TG"], 8, 8),
    cc(229, &["BJ"], 8, 10),
    cc(230, &["MU"], 7, 10),
    cc(231, &["LR"], 7, 9),
    cc(232, &["SL"], 8, 8),
    cc(233, &["GH"], 8, 9),
    cc(234, &["NG"], 7, 12),
    cc(235, &["TD"], 8, 8),
    cc(236, &["CF"], 8, 8),
    cc(237, &["CM"], 8, 9),
    cc(238, &["CV"], 7, 7),
    cc(239, &["ST"], 7, 7),
    cc(240, &["GQ"], 9, 9),
    cc(241, &["GA"], 7, 8),
    cc(242, &["CG"], 9, 9),
    cc(243, &["CD"], 7, 9),
    cc(244, &["AO"], 9, 9),
    cc(245, &["GW"], 7, 9),
    cc(246, &["IO"], 7, 7),
    cc(247, &["AC"], 5, 6),
    cc(248, &["SC"], 7, 7),
    cc(249, &["SD"], 9, 9),
    cc(250, &["RW"], 8, 9),
    cc(251, &["ET"], 9, 9),
    cc(252, &["SO"], 6, 9),
    cc(253, &["DJ"], 8, 8),
    cc(254, &["KE"], 7, 10),
    cc(255, &["TZ"], 9, 9),
    cc(256, &["UG"], 9, 9),
    cc(257, &["BI"], 8, 8),
    cc(258, &["MZ"], 8, 9),
    cc(260, &["ZM"], 9, 9),
    cc(261, &["MG"], 9, 9),
    cc(262, &["RE", "YT"], 9, 9),
    cc(263, &["ZW"], 5, 10),
    cc(264, &["NA"], 8, 9),
    cc(265, &["MW"], 7, 9),
    cc(266, &["LS"], 8, 8),
    cc(267, &["BW"], 7, 10),
    cc(268, &["SZ"], 8, 9),
    cc(269, &["KM"], 7, 7),
    cc(290, &["SH", "TA"], 4, 5),
    cc(291, &["ER"], 7, 7),
    cc(297, &["AW"], 7, 7),
    cc(298, &["FO"], 6, 6),
    cc(299, &["GL"], 6, 6),
    cc(350, &["GI"], 8, 8),
    cc(351, &["PT"], 9, 9),
    cc(352, &["LU"], 4, 11),
    cc(353, &["IE"], 7, 10),
    cc(354, &["IS"], 7, 9),
    cc(355, &["AL"], 6, 9),
    cc(356, &["MT"], 8, 8),
    cc(357, &["CY"], 8, 8),
    cc(358, &["FI", "AX"], 5, 12),
    cc(359, &["BG"], 6, 9),
    cc(370, &["LT"], 8, 8),
    cc(371, &["LV"], 8, 8),
    cc(372, &["EE"], 7, 10),
    cc(373, &["MD"], 8, 8),
    cc(374, &["AM"], 8, 8),
    cc(375, &["BY"], 6, 11),
    cc(376, &["AD"], 6, 9),
    cc(377, &["MC"], 8, 9),
    cc(378, &["SM"], 8, 10),
    cc(379, &["VA"], 6, 10),
    cc(380, &["UA"], 9, 10),
    cc(381, &["RS"], 6, 12),
    cc(382, &["ME"], 8, 9),
    cc(383, &["XK"], 8, 9),
    cc(385, &["HR"], 6, 9),
    cc(386, &["SI"], 5, 8),
    cc(387, &["BA"], 8, 9),
    cc(389, &["MK"], 8, 8),
    cc(420, &["CZ"], 9, 12),
    cc(421, &["SK"], 6, 9),
    cc(423, &["LI"], 7, 9),
    cc(500, &["FK", "GS"], 5, 5),
    cc(501, &["BZ"], 7, 11),
    cc(502, &["GT"], 8, 11),
    cc(503, &["SV"], 7, 11),
    cc(504, &["HN"], 8, 11),
    cc(505, &["NI"], 8, 8),
    cc(506, &["CR"], 8, 10),
    cc(507, &["PA"], 7, 11),
    cc(508, &["PM"], 6, 9),
    cc(509, &["HT"], 8, 8),
    cc(590, &["GP", "BL", "MF"], 9, 9),
    cc(591, &["BO"], 8, 9),
    cc(592, &["GY"], 7, 7),
    cc(593, &["EC"], 8, 11),
    cc(594, &["GF"], 9, 9),
    cc(595, &["PY"], 6, 11),
    cc(596, &["MQ"], 9, 9),
    cc(597, &["SR"], 6, 7),
    cc(598, &["UY"], 7, 10),
    cc(599, &["CW", "BQ"], 7, 8),
    cc(670, &["TL"], 7, 8),
    cc(672, &["NF", "AQ"], 6, 6),
    cc(673, &["BN"], 7, 7),
    cc(674, &["NR"], 7, 7),
    cc(675, &["PG"], 7, 8),
    cc(676, &["TO"], 5, 7),
    cc(677, &["SB"], 5, 7),
    cc(678, &["VU"], 5, 7),
    cc(679, &["FJ"], 7, 11),
    cc(680, &["PW"], 7, 7),
    cc(681, &["WF"], 6, 9),
    cc(682, &["CK"], 5, 5),
    cc(683, &["NU"], 4, 7),
    cc(685, &["WS"], 5, 10),
    cc(686, &["KI"], 5, 8),
    cc(687, &["NC"], 6, 6),
    cc(688, &["TV"], 5, 7),
    cc(689, &["PF"], 6, 9),
    cc(690, &["TK"], 4, 7),
    cc(691, &["FM"], 7, 7),
    cc(692, &["MH"], 7, 7),
    cc(800, &[], 8, 8),
    cc(808, &[], 8, 8),
    cc(850, &["KP"], 8, 10),
    cc(852, &["HK"], 5, 11),
    cc(853, &["MO"], 7, 8),
    cc(855, &["KH"], 8, 10),
    cc(856, &["LA"], 8, 10),
    cc(870, &[], 9, 12),
    cc(878, &[], 12, 12),
    cc(880, &["BD"], 6, 10),
    cc(881, &[], 9, 9),
    cc(882, &[], 7, 12),
    cc(883, &[], 9, 12),
    cc(886, &["TW"], 7, 11),
    cc(888, &[], 11, 11),
    cc(960, &["MV"], 7, 10),
    cc(961, &["LB"], 7, 8),
    cc(962, &["JO"], 8, 9),
    cc(963, &["SY"], 8, 9),
    cc(964, &["IQ"], 8, 10),
    cc(965, &["KW"], 7, 8),
    cc(966, &["SA"], 9, 10),
    cc(967, &["YE"], 7, 9),
    cc(968, &["OM"], 7, 9),
    cc(970, &["PS"], 8, 10),
    cc(971, &["AE"], 5, 12),
    cc(972, &["IL"], 7, 12),
    cc(973, &["BH"], 8, 8),
    cc(974, &["QA"], 7, 9),
    cc(975, &["BT"], 7, 8),
    cc(976, &["MN"], 8, 10),
    cc(977, &["NP"], 8, 11),
    cc(979, &[], 9, 9),
    cc(991, &[], 9, 9),
    cc(992, &["TJ"], 9, 9),
    cc(993, &["TM"], 8, 8),
    cc(994, &["AZ"], 9, 9),
    cc(995, &["GE"], 9, 9),
    cc(996, &["KG"], 9, 10),
    cc(997, &["KZ"], 9, 10),
    cc(998, &["UZ"], 9, 9),
];

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;
    use std::string::{String, ToString};
    use std::vec::Vec;

    #[test]
    fn table_is_sorted_prefix_free_and_within_15_digits() {
        let codes: Vec<String> = COUNTRY_CALLING_CODES
            .iter()
            .map(|c| c.code.to_string())
            .collect();
        for pair in COUNTRY_CALLING_CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "not sorted at {}",
                pair[1].code
            );
        }
        for a in &codes {
            for b in &codes {
                assert!(
                    a == b || !b.starts_with(a.as_str()),
                    "{a} is a prefix of {b}"
                );
            }
        }
        for c in COUNTRY_CALLING_CODES {
            assert!(c.min_national <= c.max_national, "{c}");
            assert!(c.min_national >= 4, "{c}: a short code length");
            assert!(c.len() + c.max_national_len() <= MAX_DIGITS, "{c}");
            for r in c.regions {
                assert!(r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()));
            }
        }
        assert_eq!(COUNTRY_CALLING_CODES.len(), 218);
    }

    /// The rule written out plainly, against the table rows: what the packed prefix table and
    /// the `const` searches must agree with.
    fn plain(digits: &str) -> bool {
        digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
            && digits.len() <= MAX_DIGITS
            && COUNTRY_CALLING_CODES.iter().any(|c| {
                digits.starts_with(&c.code.to_string())
                    && (c.min_national_len()..=c.max_national_len())
                        .contains(&(digits.len() - c.len()))
            })
    }

    #[test]
    fn every_code_at_every_length() {
        for c in COUNTRY_CALLING_CODES {
            assert_eq!(CountryCallingCode::lookup(c.code), Some(*c));
            for len in 0..=16 {
                let digits = format!("{}{}", c.code, "5".repeat(len));
                let want = (c.min_national_len()..=c.max_national_len()).contains(&len);
                assert_eq!(is_e164_digits(digits.as_bytes()), want, "{digits}");
                assert_eq!(plain(&digits), want, "{digits}");
                let plus = format!("+{digits}");
                assert_eq!(is_e164(plus.as_bytes()), want, "{plus}");
                match check(plus.as_bytes()) {
                    Ok(found) => assert!(want && found == *c, "{plus}"),
                    Err(E164Fault::NationalLength { code, len: l }) => {
                        assert!(!want && code == *c && l == len, "{plus}");
                    }
                    Err(E164Fault::TooLong(_)) => assert!(!want && digits.len() > 15, "{plus}"),
                    Err(other) => panic!("{plus}: {other}"),
                }
            }
        }
    }

    #[test]
    fn every_three_digit_prefix_agrees_with_the_rows() {
        for p in 0..1000u16 {
            for extra in 0..13 {
                let digits = format!("{p:03}{}", "7".repeat(extra));
                assert_eq!(
                    is_e164_digits(digits.as_bytes()),
                    plain(&digits),
                    "{digits}"
                );
            }
        }
    }

    #[test]
    fn faults_in_order() {
        assert_eq!(check(b""), Err(E164Fault::Empty));
        assert_eq!(check(b"14155550123"), Err(E164Fault::MissingPlus));
        assert_eq!(check(b"+"), Err(E164Fault::NoDigits));
        assert_eq!(check(b"+1415x550123"), Err(E164Fault::NotADigit(5)));
        assert_eq!(check(b"+04155550123"), Err(E164Fault::LeadingZero));
        assert_eq!(check(b"+1234567890123456"), Err(E164Fault::TooLong(16)));
        assert_eq!(check(b"+2101234567"), Err(E164Fault::UnassignedCountryCode));
        assert_eq!(check(b"+28"), Err(E164Fault::UnassignedCountryCode));
        let nanp = CountryCallingCode::lookup(1).unwrap();
        assert_eq!(
            check(b"+12345"),
            Err(E164Fault::NationalLength { code: nanp, len: 4 })
        );
        assert_eq!(
            check(b"+1"),
            Err(E164Fault::NationalLength { code: nanp, len: 0 })
        );
        assert_eq!(
            check(b"+12345").unwrap_err().to_string(),
            "4 digits after the country calling code +1, its numbering plan has exactly 10"
        );
        assert_eq!(check_digits(b""), Err(E164Fault::Empty));
        assert_eq!(check_digits(b"442079460000").map(|c| c.code()), Ok(44));
    }

    /// Numbers of the formats the libphonenumber metadata describes (its mobile example numbers
    /// for the large plans, each matching the territory's national pattern in the dataset),
    /// and lengths just outside each row's range.
    #[test]
    fn dataset_formats_and_lengths_just_outside() {
        for (n, code, region) in [
            ("+447400123456", 44, "GB"),
            ("+4915123456789", 49, "DE"),
            ("+33612345678", 33, "FR"),
            ("+918123456789", 91, "IN"),
            ("+5511961234567", 55, "BR"),
            ("+819012345678", 81, "JP"),
            ("+61412345678", 61, "AU"),
            ("+8613123456789", 86, "CN"),
            ("+522221234567", 52, "MX"),
            ("+27711234567", 27, "ZA"),
            ("+2348021234567", 234, "NG"),
            ("+79123456789", 7, "RU"),
            ("+447781123456", 44, "GB"), // Guernsey mobile, shares +44
            ("+50051234", 500, "FK"),
            ("+6838884012", 683, "NU"),
            ("+6907290", 690, "TK"),
            ("+29062911", 290, "SH"),
            ("+24762889", 247, "AC"),
            ("+376312345", 376, "AD"),
            ("+68271234", 682, "CK"),
            ("+672381234", 672, "NF"),
            ("+2250701234567", 225, "CI"),
        ] {
            let cc = check(n.as_bytes()).unwrap_or_else(|e| panic!("{n}: {e}"));
            assert_eq!((cc.code(), cc.regions()[0]), (code, region), "{n}");
        }
        for (n, len) in [
            ("+4474001234567", 11), // GB: 7 to 10
            ("+3361234567", 8),     // FR: exactly 9
            ("+49151", 3),          // DE: 4 to 13
            ("+911234567", 7),      // IN: 8 to 13
            ("+1415555012", 9),     // NANP: exactly 10
            ("+6412", 2),           // NZ: 5 to 10
            ("+2250701234", 7),     // CI: 10 since the move to 10 digits
            ("+8781012345678", 10), // +878: 12
            ("+888123456789", 9),   // +888: 11
            ("+2647012345", 7),     // NA: 8 to 9
        ] {
            match check(n.as_bytes()) {
                Err(E164Fault::NationalLength { len: l, .. }) => assert_eq!(l, len, "{n}"),
                other => panic!("{n}: {other:?}"),
            }
        }
        // Past 15 digits in all the length fault gives way to the E.164 cap.
        assert_eq!(check(b"+2348021234567890"), Err(E164Fault::TooLong(16)));
    }

    #[test]
    fn well_known_numbers() {
        for (n, code, region) in [
            ("+15105550100", 1, "US"),
            ("+74951234567", 7, "RU"),
            ("+442079460000", 44, "GB"),
            ("+5511987654321", 55, "BR"),
            ("+919876543210", 91, "IN"),
            ("+8801712345678", 880, "BD"),
            ("+35312345678", 353, "IE"),
            ("+4930123456", 49, "DE"),
            ("+33142685300", 33, "FR"),
        ] {
            let cc = check(n.as_bytes()).unwrap();
            assert_eq!((cc.code(), cc.regions()[0]), (code, region), "{n}");
        }
        assert!(check(b"+80012345678").unwrap().is_non_geographic());
        assert!(Country::from_code("gb").is_some_and(|c| c.code() == "GB"));
        assert!(Country::from_code("G").is_none());
        assert_eq!(CountryCallingCode::of_digits(b"12"), None);
    }
}
