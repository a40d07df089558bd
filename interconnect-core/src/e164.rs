//! E.164 telephone numbers and countries, built on the one rule of [`sip_rules::e164`].
//!
//! The rule (`+`, an assigned ITU country calling code, a national length that code's plan
//! allows; at least NANP's 10 digits after `+1`) and the ITU table with its provenance live in
//! `sip_rules::e164`, so the numbers the builder accepts are exactly the numbers the call-path
//! policy checks. This module adds what provisioning needs on top: an owned canonical number
//! ([`E164`]) with strict and lenient parsers, serde, typed errors naming the value, Plivo's
//! digits-only path form, and NANP toll-free detection.
//!
//! # Why a compact table and not the `phonenumber` crate
//!
//! Plivo and WeHostVoIP both take numbers in `+E.164` form and neither side normalises national
//! formats for us (the runbook: "PLIVO accepts everything in +e164 format, so no conversion
//! required"). What the interconnect needs from a number is therefore small: the canonical form,
//! the digits Plivo puts in URL paths, the country calling code and the region(s) that code
//! belongs to (WeHostVoIP security groups are set per country), and NANP toll-free detection (the
//! runbook's test call goes to an 800 number). The `phonenumber` crate answers far more (national
//! formats, number types per region, carrier metadata) at the cost of regex, nom, quick-xml and
//! a bundled libphonenumber metadata blob. A table of 218 rows covers what we need, has no
//! dependencies, and is easy to audit.

use std::fmt;
use std::str::FromStr;

pub use sip_rules::e164::{COUNTRY_CALLING_CODES, CountryCallingCode, E164Fault, MAX_DIGITS};

use crate::error::{CountryError, E164Error};

/// NANP area codes reserved for toll-free service (800, 833, 844, 855, 866, 877, 888).
pub const NANP_TOLL_FREE_AREA_CODES: [&str; 7] = ["800", "833", "844", "855", "866", "877", "888"];

/// A country or territory that has an E.164 country calling code, by its ISO 3166-1 alpha-2 code.
///
/// WeHostVoIP enables outbound destinations per country in a tenant's security group (runbook
/// 3.5); this is that country. Parses ignoring ASCII case, displays uppercase.
///
/// ```
/// use interconnect_core::e164::Country;
///
/// let us: Country = "us".parse()?;
/// assert_eq!(us.to_string(), "US");
/// assert_eq!(us.calling_codes().next().map(|c| c.code()), Some(1));
/// assert!("ZZ".parse::<Country>().is_err());
/// # Ok::<(), interconnect_core::error::CountryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(sip_rules::e164::Country);

impl Country {
    /// The ISO 3166-1 alpha-2 code, uppercase.
    pub const fn code(&self) -> &'static str {
        self.0.code()
    }

    /// The country calling codes serving this country (Kazakhstan has two).
    pub fn calling_codes(&self) -> impl Iterator<Item = CountryCallingCode> + use<> {
        self.0.calling_codes()
    }

    /// The call-path form of the same country.
    pub const fn rule(&self) -> sip_rules::e164::Country {
        self.0
    }
}

impl From<sip_rules::e164::Country> for Country {
    fn from(country: sip_rules::e164::Country) -> Self {
        Self(country)
    }
}

impl FromStr for Country {
    type Err = CountryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        sip_rules::e164::Country::from_code(s)
            .map(Self)
            .ok_or_else(|| CountryError::Unknown {
                value: s.to_owned(),
            })
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

string_conversions!(
    Country,
    CountryError,
    "an ISO 3166-1 alpha-2 country code such as \"US\""
);

/// A telephone number in canonical E.164 form, by the one rule of [`sip_rules::e164`]: `+`, an
/// ITU-assigned country calling code, and a national length its numbering plan allows (10
/// digits after `+1`); short codes are refused.
///
/// The strict parser ([`FromStr`], [`TryFrom<&str>`], serde) takes the canonical form only;
/// [`E164::parse_lenient`] also takes what people paste (`+1 (510) 555-0100`).
///
/// ```
/// use interconnect_core::E164;
///
/// let n: E164 = "+15105550100".parse()?;
/// assert_eq!(n.digits(), "15105550100"); // Plivo's path form
/// assert_eq!(n.country_calling_code().code(), 1);
/// assert_eq!(n.to_string(), "+15105550100");
/// assert!("+1 510 555 0100".parse::<E164>().is_err());
/// assert_eq!(E164::parse_lenient(" +1 (510) 555-0100 ")?, n);
/// assert!(E164::parse_lenient("+1 (800) 555-0100")?.is_nanp_toll_free());
/// # Ok::<(), interconnect_core::error::E164Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164 {
    /// The checked number of the one rule, `+` followed by the digits.
    number: sip_rules::e164::Number,
}

impl E164 {
    /// Parses the canonical form after removing surrounding whitespace and the visual separators
    /// people paste: spaces, `-`, `.`, `(` and `)`. The `+` is still required.
    ///
    /// # Errors
    ///
    /// The same [`E164Error`]s as the strict parser, reported against the original input.
    ///
    /// ```
    /// use interconnect_core::{E164, error::E164Error};
    ///
    /// assert_eq!(E164::parse_lenient("+44 20 7946.0000")?.to_string(), "+442079460000");
    /// assert!(matches!(E164::parse_lenient("44 20 7946 0000"), Err(E164Error::MissingPlus { .. })));
    /// # Ok::<(), E164Error>(())
    /// ```
    pub fn parse_lenient(value: &str) -> Result<Self, E164Error> {
        let compact: String = value
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')')))
            .collect();
        Self::parse_canonical(&compact, value)
    }

    fn parse_canonical(s: &str, original: &str) -> Result<Self, E164Error> {
        match sip_rules::e164::Number::parse(s) {
            Ok(number) => Ok(E164 { number }),
            Err(fault) => Err(E164Error::from_fault(original, s, fault)),
        }
    }

    /// The canonical form, `+` and digits.
    pub fn as_str(&self) -> &str {
        self.number.as_str()
    }

    /// The number as the call path holds it (the same checked value: no second check).
    pub const fn rule(&self) -> sip_rules::e164::Number {
        self.number
    }

    /// The digits without `+`: the form Plivo uses in paths (`Number/15105550100/`).
    pub fn digits(&self) -> &str {
        self.number.digits()
    }

    /// The country calling code the number starts with.
    pub fn country_calling_code(&self) -> CountryCallingCode {
        self.number.country_calling_code()
    }

    /// The digits after the country calling code.
    pub fn national_number(&self) -> &str {
        self.number.national_number()
    }

    /// ISO 3166-1 alpha-2 regions of the number's country calling code.
    pub fn regions(&self) -> &'static [&'static str] {
        self.country_calling_code().regions()
    }

    /// Whether this is a NANP (+1) toll-free number: 11 digits with area code 800, 833, 844,
    /// 855, 866, 877 or 888.
    ///
    /// ```
    /// use interconnect_core::E164;
    ///
    /// assert!("+18005550100".parse::<E164>()?.is_nanp_toll_free());
    /// assert!(!"+15105550100".parse::<E164>()?.is_nanp_toll_free());
    /// assert!(!"+80055501000".parse::<E164>()?.is_nanp_toll_free()); // +800 is global freephone
    /// # Ok::<(), interconnect_core::error::E164Error>(())
    /// ```
    pub fn is_nanp_toll_free(&self) -> bool {
        let d = self.digits();
        d.len() == 11
            && d.starts_with('1')
            && d.get(1..4)
                .is_some_and(|npa| NANP_TOLL_FREE_AREA_CODES.contains(&npa))
    }
}

impl FromStr for E164 {
    type Err = E164Error;

    /// Parses the canonical form only.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_canonical(s, s)
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

string_conversions!(E164, E164Error, "an E.164 number such as \"+15105550100\"");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_is_the_call_path_rule() {
        for (n, ok) in [
            ("+15105550100", true),
            ("+12345", false),
            ("+151055501000", false),
            ("+80012345678", true),
            ("+8005550100", false),
            ("+2101234567", false),
        ] {
            assert_eq!(n.parse::<E164>().is_ok(), ok, "{n}");
            assert_eq!(sip_rules::e164::is_e164(n.as_bytes()), ok, "{n}");
        }
    }

    #[test]
    fn every_assigned_code_is_recognised_by_the_parser() {
        for cc in COUNTRY_CALLING_CODES {
            let national = "2".repeat(cc.min_national_len());
            let n: E164 = format!("+{}{national}", cc.code()).parse().unwrap();
            assert_eq!(n.country_calling_code(), *cc);
            assert_eq!(n.regions(), cc.regions());
            assert_eq!(n.national_number(), national);
        }
    }

    #[test]
    fn lookups_of_well_known_codes() {
        let cases = [
            ("+15105550100", 1, "US"),
            ("+74951234567", 7, "RU"),
            ("+442079460000", 44, "GB"),
            ("+5511987654321", 55, "BR"),
            ("+919876543210", 91, "IN"),
            ("+8801712345678", 880, "BD"),
            ("+35312345678", 353, "IE"),
        ];
        for (n, code, region) in cases {
            let n: E164 = n.parse().unwrap();
            assert_eq!(n.country_calling_code().code(), code);
            assert_eq!(n.regions()[0], region);
        }
        let free: E164 = "+80012345678".parse().unwrap();
        assert!(free.country_calling_code().is_non_geographic());
    }

    #[test]
    fn toll_free_area_codes() {
        for npa in NANP_TOLL_FREE_AREA_CODES {
            let n: E164 = format!("+1{npa}5550100").parse().unwrap();
            assert!(n.is_nanp_toll_free(), "{n}");
        }
        for n in ["+18995550100", "+448005550100", "+80055501000"] {
            assert!(!n.parse::<E164>().unwrap().is_nanp_toll_free(), "{n}");
        }
    }
}
