//! E.164 telephone numbers and the ITU country calling code table.
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
//!
//! # Provenance of the table
//!
//! [`COUNTRY_CALLING_CODES`] transcribes the assignments of ITU-T Recommendation E.164 and its
//! "List of ITU-T Recommendation E.164 assigned country codes" (Annex to the ITU Operational
//! Bulletin; position as of the 2020s, including +383 for Kosovo and +997 for Kazakhstan). Spare
//! and withdrawn codes (for example +210, +28x, +388, +684, +969) are absent, so a number that starts
//! with them is rejected. Regions are ISO 3166-1 alpha-2 codes; a code shared by several
//! territories lists all of them, main territory first. `XK` (Kosovo) is the user-assigned code in
//! common use. Global services (+800, +808, +870, +878, +881, +882, +883, +888, +979, +991) have no
//! region.

use std::fmt;
use std::str::FromStr;

use crate::error::{CountryError, E164Error};

/// Maximum number of digits in an E.164 number (ITU-T E.164 section 6.1).
pub const MAX_DIGITS: usize = 15;

/// NANP area codes reserved for toll-free service (800, 833, 844, 855, 866, 877, 888).
pub const NANP_TOLL_FREE_AREA_CODES: [&str; 7] = ["800", "833", "844", "855", "866", "877", "888"];

/// A country calling code as assigned by the ITU, with the region(s) it serves.
///
/// ```
/// use interconnect_core::E164;
///
/// let n: E164 = "+5511987654321".parse()?;
/// let cc = n.country_calling_code();
/// assert_eq!(cc.code(), 55);
/// assert_eq!(cc.regions(), ["BR"]);
/// assert_eq!(cc.to_string(), "+55");
/// # Ok::<(), interconnect_core::error::E164Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCallingCode {
    code: u16,
    regions: &'static [&'static str],
}

impl CountryCallingCode {
    /// The numeric code, 1 to 3 digits (`1`, `44`, `880`).
    pub const fn code(&self) -> u16 {
        self.code
    }

    /// ISO 3166-1 alpha-2 codes of the territories using this code, main territory first; empty
    /// for global services such as +800.
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

    /// Always `false`: a code has at least one digit. Present for API symmetry with [`Self::len`].
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// Looks a code up by its numeric value.
    ///
    /// ```
    /// use interconnect_core::e164::CountryCallingCode;
    ///
    /// assert_eq!(CountryCallingCode::lookup(1).map(|c| c.regions()[0]), Some("US"));
    /// assert!(CountryCallingCode::lookup(210).is_none()); // spare
    /// ```
    pub fn lookup(code: u16) -> Option<CountryCallingCode> {
        COUNTRY_CALLING_CODES
            .binary_search_by_key(&code, |(c, _)| *c)
            .ok()
            .and_then(|i| COUNTRY_CALLING_CODES.get(i))
            .map(|(code, regions)| CountryCallingCode {
                code: *code,
                regions,
            })
    }

    /// The codes serving an ISO 3166-1 alpha-2 region (ASCII case ignored), main code first.
    /// Most regions have one; Kazakhstan has +7 and +997.
    ///
    /// ```
    /// use interconnect_core::e164::CountryCallingCode;
    ///
    /// let codes: Vec<u16> = CountryCallingCode::for_region("br").map(|c| c.code()).collect();
    /// assert_eq!(codes, [55]);
    /// let kz: Vec<u16> = CountryCallingCode::for_region("KZ").map(|c| c.code()).collect();
    /// assert_eq!(kz, [7, 997]);
    /// assert_eq!(CountryCallingCode::for_region("ZZ").count(), 0);
    /// ```
    pub fn for_region(region: &str) -> impl Iterator<Item = CountryCallingCode> + use<> {
        let region = region.to_ascii_uppercase();
        COUNTRY_CALLING_CODES
            .iter()
            .filter(move |(_, regions)| regions.contains(&region.as_str()))
            .map(|(code, regions)| CountryCallingCode {
                code: *code,
                regions,
            })
    }

    /// Finds the code that starts `digits` (the table is prefix-free, so at most one matches).
    fn of_digits(digits: &str) -> Option<CountryCallingCode> {
        (1..=3)
            .filter_map(|len| digits.get(..len))
            .find_map(|prefix| prefix.parse::<u16>().ok().and_then(Self::lookup))
    }
}

impl fmt::Display for CountryCallingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.code)
    }
}

/// ITU-T E.164 country calling codes and their ISO 3166-1 regions, sorted by code. See the
/// module documentation for provenance.
pub const COUNTRY_CALLING_CODES: &[(u16, &[&str])] = &[
    (
        1,
        &[
            "US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM", "KN",
            "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
        ],
    ),
    (7, &["RU", "KZ"]),
    (20, &["EG"]),
    (27, &["ZA"]),
    (30, &["GR"]),
    (31, &["NL"]),
    (32, &["BE"]),
    (33, &["FR"]),
    (34, &["ES"]),
    (36, &["HU"]),
    (39, &["IT", "VA"]),
    (40, &["RO"]),
    (41, &["CH"]),
    (43, &["AT"]),
    (44, &["GB", "GG", "IM", "JE"]),
    (45, &["DK"]),
    (46, &["SE"]),
    (47, &["NO", "SJ"]),
    (48, &["PL"]),
    (49, &["DE"]),
    (51, &["PE"]),
    (52, &["MX"]),
    (53, &["CU"]),
    (54, &["AR"]),
    (55, &["BR"]),
    (56, &["CL"]),
    (57, &["CO"]),
    (58, &["VE"]),
    (60, &["MY"]),
    (61, &["AU", "CX", "CC"]),
    (62, &["ID"]),
    (63, &["PH"]),
    (64, &["NZ", "PN"]),
    (65, &["SG"]),
    (66, &["TH"]),
    (81, &["JP"]),
    (82, &["KR"]),
    (84, &["VN"]),
    (86, &["CN"]),
    (90, &["TR"]),
    (91, &["IN"]),
    (92, &["PK"]),
    (93, &["AF"]),
    (94, &["LK"]),
    (95, &["MM"]),
    (98, &["IR"]),
    (211, &["SS"]),
    (212, &["MA", "EH"]),
    (213, &["DZ"]),
    (216, &["TN"]),
    (218, &["LY"]),
    (220, &["GM"]),
    (221, &["SN"]),
    (222, &["MR"]),
    (223, &["ML"]),
    (224, &["GN"]),
    (225, &["CI"]),
    (226, &["BF"]),
    (227, &["NE"]),
    (228, &["TG"]),
    (229, &["BJ"]),
    (230, &["MU"]),
    (231, &["LR"]),
    (232, &["SL"]),
    (233, &["GH"]),
    (234, &["NG"]),
    (235, &["TD"]),
    (236, &["CF"]),
    (237, &["CM"]),
    (238, &["CV"]),
    (239, &["ST"]),
    (240, &["GQ"]),
    (241, &["GA"]),
    (242, &["CG"]),
    (243, &["CD"]),
    (244, &["AO"]),
    (245, &["GW"]),
    (246, &["IO"]),
    (247, &["SH"]),
    (248, &["SC"]),
    (249, &["SD"]),
    (250, &["RW"]),
    (251, &["ET"]),
    (252, &["SO"]),
    (253, &["DJ"]),
    (254, &["KE"]),
    (255, &["TZ"]),
    (256, &["UG"]),
    (257, &["BI"]),
    (258, &["MZ"]),
    (260, &["ZM"]),
    (261, &["MG"]),
    (262, &["RE", "YT"]),
    (263, &["ZW"]),
    (264, &["NA"]),
    (265, &["MW"]),
    (266, &["LS"]),
    (267, &["BW"]),
    (268, &["SZ"]),
    (269, &["KM"]),
    (290, &["SH"]),
    (291, &["ER"]),
    (297, &["AW"]),
    (298, &["FO"]),
    (299, &["GL"]),
    (350, &["GI"]),
    (351, &["PT"]),
    (352, &["LU"]),
    (353, &["IE"]),
    (354, &["IS"]),
    (355, &["AL"]),
    (356, &["MT"]),
    (357, &["CY"]),
    (358, &["FI", "AX"]),
    (359, &["BG"]),
    (370, &["LT"]),
    (371, &["LV"]),
    (372, &["EE"]),
    (373, &["MD"]),
    (374, &["AM"]),
    (375, &["BY"]),
    (376, &["AD"]),
    (377, &["MC"]),
    (378, &["SM"]),
    (379, &["VA"]),
    (380, &["UA"]),
    (381, &["RS"]),
    (382, &["ME"]),
    (383, &["XK"]),
    (385, &["HR"]),
    (386, &["SI"]),
    (387, &["BA"]),
    (389, &["MK"]),
    (420, &["CZ"]),
    (421, &["SK"]),
    (423, &["LI"]),
    (500, &["FK", "GS"]),
    (501, &["BZ"]),
    (502, &["GT"]),
    (503, &["SV"]),
    (504, &["HN"]),
    (505, &["NI"]),
    (506, &["CR"]),
    (507, &["PA"]),
    (508, &["PM"]),
    (509, &["HT"]),
    (590, &["GP", "BL", "MF"]),
    (591, &["BO"]),
    (592, &["GY"]),
    (593, &["EC"]),
    (594, &["GF"]),
    (595, &["PY"]),
    (596, &["MQ"]),
    (597, &["SR"]),
    (598, &["UY"]),
    (599, &["CW", "BQ"]),
    (670, &["TL"]),
    (672, &["NF", "AQ"]),
    (673, &["BN"]),
    (674, &["NR"]),
    (675, &["PG"]),
    (676, &["TO"]),
    (677, &["SB"]),
    (678, &["VU"]),
    (679, &["FJ"]),
    (680, &["PW"]),
    (681, &["WF"]),
    (682, &["CK"]),
    (683, &["NU"]),
    (685, &["WS"]),
    (686, &["KI"]),
    (687, &["NC"]),
    (688, &["TV"]),
    (689, &["PF"]),
    (690, &["TK"]),
    (691, &["FM"]),
    (692, &["MH"]),
    (800, &[]),
    (808, &[]),
    (850, &["KP"]),
    (852, &["HK"]),
    (853, &["MO"]),
    (855, &["KH"]),
    (856, &["LA"]),
    (870, &[]),
    (878, &[]),
    (880, &["BD"]),
    (881, &[]),
    (882, &[]),
    (883, &[]),
    (886, &["TW"]),
    (888, &[]),
    (960, &["MV"]),
    (961, &["LB"]),
    (962, &["JO"]),
    (963, &["SY"]),
    (964, &["IQ"]),
    (965, &["KW"]),
    (966, &["SA"]),
    (967, &["YE"]),
    (968, &["OM"]),
    (970, &["PS"]),
    (971, &["AE"]),
    (972, &["IL"]),
    (973, &["BH"]),
    (974, &["QA"]),
    (975, &["BT"]),
    (976, &["MN"]),
    (977, &["NP"]),
    (979, &[]),
    (991, &[]),
    (992, &["TJ"]),
    (993, &["TM"]),
    (994, &["AZ"]),
    (995, &["GE"]),
    (996, &["KG"]),
    (997, &["KZ"]),
    (998, &["UZ"]),
];

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
pub struct Country {
    code: &'static str,
}

impl Country {
    /// The ISO 3166-1 alpha-2 code, uppercase.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The country calling codes serving this country (Kazakhstan has two).
    pub fn calling_codes(&self) -> impl Iterator<Item = CountryCallingCode> + use<> {
        CountryCallingCode::for_region(self.code)
    }
}

impl FromStr for Country {
    type Err = CountryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        COUNTRY_CALLING_CODES
            .iter()
            .flat_map(|(_, regions)| regions.iter())
            .find(|r| s.len() == 2 && r.eq_ignore_ascii_case(s))
            .map(|code| Country { code })
            .ok_or_else(|| CountryError::Unknown {
                value: s.to_owned(),
            })
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

string_conversions!(
    Country,
    CountryError,
    "an ISO 3166-1 alpha-2 country code such as \"US\""
);

/// A telephone number in canonical E.164 form: `+`, then 1 to 15 digits, the first 1-9, starting
/// with an ITU-assigned country calling code.
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
    /// `+` followed by the digits.
    canonical: String,
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
        let value = || original.to_owned();
        if s.is_empty() {
            return Err(E164Error::Empty { value: value() });
        }
        let Some(digits) = s.strip_prefix('+') else {
            return Err(E164Error::MissingPlus { value: value() });
        };
        if digits.is_empty() {
            return Err(E164Error::NoDigits { value: value() });
        }
        if let Some(found) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(E164Error::InvalidCharacter {
                value: value(),
                found,
            });
        }
        if digits.starts_with('0') {
            return Err(E164Error::LeadingZero { value: value() });
        }
        if digits.len() > MAX_DIGITS {
            return Err(E164Error::TooLong {
                value: value(),
                digits: digits.len(),
            });
        }
        if CountryCallingCode::of_digits(digits).is_none() {
            return Err(E164Error::UnassignedCountryCode { value: value() });
        }
        Ok(E164 {
            canonical: s.to_owned(),
        })
    }

    /// The canonical form, `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// The digits without `+`: the form Plivo uses in paths (`Number/15105550100/`).
    pub fn digits(&self) -> &str {
        self.canonical.get(1..).unwrap_or_default()
    }

    /// The country calling code the number starts with.
    pub fn country_calling_code(&self) -> CountryCallingCode {
        // Construction guarantees a match; the fallback is never taken.
        CountryCallingCode::of_digits(self.digits()).unwrap_or(CountryCallingCode {
            code: 0,
            regions: &[],
        })
    }

    /// The digits after the country calling code.
    pub fn national_number(&self) -> &str {
        let cc = self.country_calling_code().len();
        self.digits().get(cc..).unwrap_or_default()
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
    /// assert!(!"+8005550100".parse::<E164>()?.is_nanp_toll_free()); // +800 is global freephone
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
        f.write_str(&self.canonical)
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        &self.canonical
    }
}

string_conversions!(E164, E164Error, "an E.164 number such as \"+15105550100\"");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_prefix_free() {
        let codes: Vec<String> = COUNTRY_CALLING_CODES
            .iter()
            .map(|(c, _)| c.to_string())
            .collect();
        for pair in COUNTRY_CALLING_CODES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "table not sorted at {}", pair[1].0);
        }
        for a in &codes {
            for b in &codes {
                assert!(
                    a == b || !b.starts_with(a.as_str()),
                    "{a} is a prefix of {b}"
                );
            }
        }
        for (_, regions) in COUNTRY_CALLING_CODES {
            for r in *regions {
                assert!(r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()));
            }
        }
    }

    #[test]
    fn every_assigned_code_is_recognised_by_the_parser() {
        for (code, regions) in COUNTRY_CALLING_CODES {
            let n: E164 = format!("+{code}1234567").parse().unwrap();
            assert_eq!(n.country_calling_code().code(), *code);
            assert_eq!(n.regions(), *regions);
            assert_eq!(n.national_number(), "1234567");
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
        for n in [
            "+18995550100",
            "+1800555010",
            "+180055501000",
            "+448005550100",
        ] {
            assert!(!n.parse::<E164>().unwrap().is_nanp_toll_free(), "{n}");
        }
    }
}
