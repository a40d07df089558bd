//! Small validated values: each parses from a string, refuses what the consoles would refuse, and
//! serialises back to the same text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident, $parse:path) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                $parse(s).map(Self)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self, Error> {
                s.parse()
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
}

text_type!(
    /// A number in E.164 form as the consoles store it, by the one rule of [`sip_rules::e164`]: `+`, an
    /// assigned country calling code and a national length its plan allows.
    ///
    /// ```
    /// use wehostvoip_client::E164;
    /// let n: E164 = "+14155550100".parse()?;
    /// assert_eq!(n.digits(), "14155550100");
    /// assert!("14155550100".parse::<E164>().is_err());
    /// # Ok::<(), wehostvoip_client::Error>(())
    /// ```
    E164,
    parse_e164
);

text_type!(
    /// A gateway address: a DNS name, an IPv4 address or a bracketed IPv6 address, with an optional port
    /// (`sipa.flagonc.com:5600`, `18.214.109.129`, `[2001:db8::1]:5060`). Stored in lower case.
    ///
    /// ```
    /// use wehostvoip_client::HostPort;
    /// let a: HostPort = "ACME.zt.plivo.com:5060".parse()?;
    /// assert_eq!(a.as_str(), "acme.zt.plivo.com:5060");
    /// assert_eq!(a.port(), Some(5060));
    /// assert!("sip:acme.zt.plivo.com".parse::<HostPort>().is_err());
    /// # Ok::<(), wehostvoip_client::Error>(())
    /// ```
    HostPort,
    parse_host_port
);

text_type!(
    /// A tenant domain (a DNS name such as `acme.hobot.wehostvoip.io`), stored in lower case.
    TenantDomain,
    parse_domain
);

text_type!(
    /// A prefix of E.164 digits without `+`, as security groups take them (`18` for North American toll-free).
    ///
    /// ```
    /// use wehostvoip_client::DigitPrefix;
    /// assert_eq!("18".parse::<DigitPrefix>()?.as_str(), "18");
    /// assert!("+18".parse::<DigitPrefix>().is_err());
    /// # Ok::<(), wehostvoip_client::Error>(())
    /// ```
    DigitPrefix,
    parse_digit_prefix
);

text_type!(
    /// A prefix a gateway adds to a number after stripping: digits, optionally led by `+` (`+`, `+1`, `011`).
    DialPrefix,
    parse_dial_prefix
);

text_type!(
    /// A subscriber extension (the console's "Alias"), 1 to 15 digits, e.g. `1001`.
    Extension,
    parse_extension
);

text_type!(
    /// An ISO 3166-1 alpha-2 code of a country with an E.164 calling code ([`sip_rules::e164::Country`]),
    /// stored in upper case (`US`, `BR`).
    CountryCode,
    parse_country
);

text_type!(
    /// The name of a carrier, gateway or security group: 1 to 64 characters, no surrounding spaces, no
    /// control characters, no `/`, and not `.` or `..` (names are path segments of the HTTP contract).
    Name,
    parse_name
);

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_e164(s: &str) -> Result<String, Error> {
    use sip_rules::e164::{E164Fault, check};
    const WHAT: &str = "E.164 number";
    let rule = match check(s.as_bytes()) {
        Ok(_) => return Ok(s.to_owned()),
        Err(E164Fault::Empty | E164Fault::MissingPlus) => "must start with '+'",
        Err(E164Fault::NoDigits | E164Fault::NotADigit(_)) => "must be '+' followed by digits only",
        Err(E164Fault::LeadingZero) => "must not start with 0",
        Err(E164Fault::TooLong(_)) => "must have at most 15 digits",
        Err(E164Fault::UnassignedCountryCode) => {
            "must start with an assigned ITU country calling code"
        }
        Err(_) => {
            "must have a national length its country calling code allows (10 digits after +1)"
        }
    };
    Err(Error::invalid(WHAT, s, rule))
}

fn valid_dns_name(s: &str) -> bool {
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    let s = s.strip_suffix('.').unwrap_or(s);
    s.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }) && !s.rsplit('.').next().is_some_and(all_digits)
}

fn parse_domain(s: &str) -> Result<String, Error> {
    if !valid_dns_name(s) {
        return Err(Error::invalid(
            "tenant domain",
            s,
            "must be a DNS name: dot-separated labels of letters, digits and '-'",
        ));
    }
    Ok(s.to_ascii_lowercase())
}

fn parse_host_port(s: &str) -> Result<String, Error> {
    const WHAT: &str = "gateway address";
    if s.is_empty() {
        return Err(Error::invalid(WHAT, s, "must not be empty"));
    }
    if s.bytes().any(|b| b.is_ascii_whitespace()) {
        return Err(Error::invalid(WHAT, s, "must not contain spaces"));
    }
    if s.contains("://") || s.to_ascii_lowercase().starts_with("sip:") {
        return Err(Error::invalid(
            WHAT,
            s,
            "must be host[:port] without a scheme",
        ));
    }
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return Err(Error::invalid(
                WHAT,
                s,
                "an IPv6 address must be closed by ']'",
            ));
        };
        if v6.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(Error::invalid(
                WHAT,
                s,
                "must hold a valid IPv6 address in brackets",
            ));
        }
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| Error::invalid(WHAT, s, "only ':port' may follow ']'"))?,
            ),
        };
        (None, port)
    } else {
        match s.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(s), None),
        }
    };
    if let Some(host) = host {
        let looks_numeric = host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if looks_numeric {
            if host.parse::<std::net::Ipv4Addr>().is_err() {
                return Err(Error::invalid(WHAT, s, "must hold a valid IPv4 address"));
            }
        } else if !valid_dns_name(host) {
            return Err(Error::invalid(
                WHAT,
                s,
                "host must be a DNS name, an IPv4 address or a bracketed IPv6 address",
            ));
        }
    }
    if let Some(port) = port {
        match port.parse::<u16>() {
            Ok(p) if p > 0 && all_digits(port) => {}
            _ => {
                return Err(Error::invalid(
                    WHAT,
                    s,
                    "port must be a number from 1 to 65535",
                ));
            }
        }
    }
    Ok(s.to_ascii_lowercase())
}

impl HostPort {
    /// The host part (without brackets for IPv6).
    pub fn host(&self) -> &str {
        if let Some(rest) = self.0.strip_prefix('[') {
            return rest.split(']').next().unwrap_or(rest);
        }
        self.0.split(':').next().unwrap_or(&self.0)
    }

    /// The port, when one was given.
    pub fn port(&self) -> Option<u16> {
        let after_host = match self.0.strip_prefix('[') {
            Some(rest) => rest.split_once(']').map(|(_, a)| a)?,
            None => &self.0,
        };
        after_host
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
    }
}

impl E164 {
    /// The digits after `+`.
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }
}

/// A number checked by the one rule is a console number as it is: no second check, no error.
impl From<sip_rules::e164::Number> for E164 {
    fn from(number: sip_rules::e164::Number) -> Self {
        Self(number.as_str().to_owned())
    }
}

/// A country of the one table is a console country code as it is.
impl From<sip_rules::e164::Country> for CountryCode {
    fn from(country: sip_rules::e164::Country) -> Self {
        Self(country.code().to_owned())
    }
}

fn parse_digit_prefix(s: &str) -> Result<String, Error> {
    if !all_digits(s) || s.len() > 15 {
        return Err(Error::invalid(
            "E.164 prefix",
            s,
            "must be 1 to 15 digits, without '+'",
        ));
    }
    Ok(s.to_owned())
}

fn parse_dial_prefix(s: &str) -> Result<String, Error> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || s.len() > 16 || !(digits.is_empty() || all_digits(digits)) {
        return Err(Error::invalid(
            "gateway prefix",
            s,
            "must be digits, optionally led by '+', at most 16 characters",
        ));
    }
    Ok(s.to_owned())
}

fn parse_extension(s: &str) -> Result<String, Error> {
    if !all_digits(s) || s.len() > 15 {
        return Err(Error::invalid("extension", s, "must be 1 to 15 digits"));
    }
    Ok(s.to_owned())
}

fn parse_country(s: &str) -> Result<String, Error> {
    match sip_rules::e164::Country::from_code(s) {
        Some(country) => Ok(country.code().to_owned()),
        None => Err(Error::invalid(
            "country code",
            s,
            "must be an ISO 3166-1 alpha-2 code of a country with an E.164 calling code",
        )),
    }
}

fn parse_name(s: &str) -> Result<String, Error> {
    const WHAT: &str = "name";
    if s.is_empty() || s.chars().count() > 64 {
        return Err(Error::invalid(WHAT, s, "must be 1 to 64 characters"));
    }
    if s.trim() != s {
        return Err(Error::invalid(WHAT, s, "must not start or end with spaces"));
    }
    if s.chars().any(|c| c.is_control() || c == '/') {
        return Err(Error::invalid(
            WHAT,
            s,
            "must not contain control characters or '/'",
        ));
    }
    if s == "." || s == ".." {
        return Err(Error::invalid(WHAT, s, "must not be '.' or '..'"));
    }
    Ok(s.to_owned())
}

/// How many leading digits a gateway removes from a number: 0 to 15.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Strip(u8);

impl Strip {
    /// The largest strip count (an E.164 number has at most 15 digits).
    pub const MAX: u8 = 15;

    /// A strip count.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `n` is larger than [`Strip::MAX`].
    pub fn new(n: u8) -> Result<Self, Error> {
        if n > Self::MAX {
            return Err(Error::invalid(
                "strip count",
                n.to_string(),
                "must be from 0 to 15 digits",
            ));
        }
        Ok(Self(n))
    }

    /// The count.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Strip {
    type Error = Error;
    fn try_from(n: u8) -> Result<Self, Error> {
        Self::new(n)
    }
}

impl From<Strip> for u8 {
    fn from(s: Strip) -> u8 {
        s.0
    }
}

impl fmt::Display for Strip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A monthly price, non-negative, with at most 4 decimals; kept exact (no floating point).
///
/// ```
/// use wehostvoip_client::Price;
/// let p: Price = "0.8".parse()?;
/// assert_eq!(p.to_string(), "0.80");
/// assert!("-1".parse::<Price>().is_err());
/// # Ok::<(), wehostvoip_client::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Price {
    ten_thousandths: u64,
}

impl Price {
    /// Zero.
    pub const ZERO: Self = Self { ten_thousandths: 0 };

    /// The price in ten-thousandths of the currency unit.
    pub fn ten_thousandths(self) -> u64 {
        self.ten_thousandths
    }
}

impl FromStr for Price {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        const RULE: &str = "must be a non-negative decimal with at most 4 decimals, e.g. 0.80";
        let bad = || Error::invalid("price", s, RULE);
        let (int, frac) = match s.split_once('.') {
            Some((_, "")) => return Err(bad()),
            Some(parts) => parts,
            None => (s, ""),
        };
        if !all_digits(int) || frac.len() > 4 || !(frac.is_empty() || all_digits(frac)) {
            return Err(bad());
        }
        let int: u64 = int.parse().map_err(|_| bad())?;
        let mut frac_val: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        for _ in frac.len()..4 {
            frac_val *= 10;
        }
        let total = int
            .checked_mul(10_000)
            .and_then(|v| v.checked_add(frac_val))
            .ok_or_else(bad)?;
        Ok(Self {
            ten_thousandths: total,
        })
    }
}

impl TryFrom<String> for Price {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<Price> for String {
    fn from(p: Price) -> String {
        p.to_string()
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.ten_thousandths / 10_000;
        let mut frac = format!("{:04}", self.ten_thousandths % 10_000);
        while frac.len() > 2 && frac.ends_with('0') {
            frac.pop();
        }
        write!(f, "{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_rules_name_the_value() {
        let err = "+0123".parse::<E164>().unwrap_err().to_string();
        assert_eq!(
            err,
            r#"invalid E.164 number "+0123": must not start with 0"#
        );
        assert!("+1".parse::<E164>().is_err());
        assert!("+1234567890123456".parse::<E164>().is_err());
        assert!("+1 415".parse::<E164>().is_err());
        assert_eq!(
            "+442071838750".parse::<E164>().unwrap().digits(),
            "442071838750"
        );
    }

    #[test]
    fn host_port_accepts_names_ips_and_ports() {
        for ok in [
            "sipa.flagonc.com:5600",
            "18.214.109.129",
            "[2001:db8::1]:5060",
            "[::1]",
            "x.zt.plivo.com.",
        ] {
            assert!(ok.parse::<HostPort>().is_ok(), "{ok}");
        }
        let h: HostPort = "[2001:db8::1]:5060".parse().unwrap();
        assert_eq!((h.host(), h.port()), ("2001:db8::1", Some(5060)));
        let h: HostPort = "Example.COM".parse().unwrap();
        assert_eq!((h.host(), h.port()), ("example.com", None));
        for bad in [
            "",
            "a b",
            "sip:x.com",
            "https://x.com",
            "x.com:0",
            "x.com:70000",
            "x.com:",
            "300.1.1.1",
            "-x.com",
            "[::1",
            "[zz]:5",
            "x..com",
            "1.2.3",
        ] {
            let err = bad.parse::<HostPort>().unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn prefixes_and_names() {
        assert!("18".parse::<DigitPrefix>().is_ok());
        assert!("".parse::<DigitPrefix>().is_err());
        assert!("1a".parse::<DigitPrefix>().is_err());
        assert!("+".parse::<DialPrefix>().is_ok());
        assert!("011".parse::<DialPrefix>().is_ok());
        assert!("+1x".parse::<DialPrefix>().is_err());
        assert_eq!("us".parse::<CountryCode>().unwrap().as_str(), "US");
        assert!("USA".parse::<CountryCode>().is_err());
        assert!(" plivo".parse::<Name>().is_err());
        assert!("..".parse::<Name>().is_err());
        assert!("...".parse::<Name>().is_ok());
        assert!("a/b".parse::<Name>().is_err());
        assert!("Plivo Zentrunk".parse::<Name>().is_ok());
        assert!("1001".parse::<Extension>().is_ok());
        assert!("10a1".parse::<Extension>().is_err());
        assert!(Strip::new(16).is_err());
        assert_eq!(Strip::new(1).unwrap().get(), 1);
        assert!("acme.hobot.wehostvoip.io".parse::<TenantDomain>().is_ok());
        assert!("acme_1.io".parse::<TenantDomain>().is_err());
    }

    #[test]
    fn price_is_exact() {
        assert_eq!("12".parse::<Price>().unwrap().to_string(), "12.00");
        assert_eq!("0.0050".parse::<Price>().unwrap().to_string(), "0.005");
        assert_eq!("1.5".parse::<Price>().unwrap().ten_thousandths(), 15_000);
        for bad in ["", ".5", "1.", "1.23456", "-1", "1e3", "abc"] {
            assert!(bad.parse::<Price>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&"0.80".parse::<Price>().unwrap()).unwrap();
        assert_eq!(json, r#""0.80""#);
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    /// Parsing never panics, and what parses prints back to text that parses to the same value.
    fn round_trips<T>(s: &str) -> Result<(), TestCaseError>
    where
        T: FromStr<Err = Error> + fmt::Display + PartialEq + fmt::Debug,
    {
        if let Ok(v) = s.parse::<T>() {
            let again: T = v
                .to_string()
                .parse()
                .map_err(|e: Error| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(again, v);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn any_text_is_handled(s in "\\PC{0,40}") {
            round_trips::<E164>(&s)?;
            round_trips::<HostPort>(&s)?;
            round_trips::<TenantDomain>(&s)?;
            round_trips::<DigitPrefix>(&s)?;
            round_trips::<DialPrefix>(&s)?;
            round_trips::<Extension>(&s)?;
            round_trips::<CountryCode>(&s)?;
            round_trips::<Name>(&s)?;
            round_trips::<Price>(&s)?;
        }

        #[test]
        fn numbers_and_addresses_of_the_right_shape_parse(
            e164 in "\\+1[2-9][0-9]{9}|\\+44[0-9]{10}|\\+55[0-9]{10,11}",
            host in "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\\.[a-z]([a-z0-9-]{0,10}[a-z0-9])?){1,3}",
            port in 1u16..,
        ) {
            let n: E164 = e164.parse()?;
            prop_assert_eq!(n.as_str(), e164.as_str());
            let with_port = format!("{host}:{port}");
            let hp: HostPort = with_port.parse()?;
            prop_assert_eq!(hp.host(), host.as_str());
            prop_assert_eq!(hp.port(), Some(port));
        }

        #[test]
        fn prices_keep_their_value(int in 0u64..1_000_000_000, frac in 0u64..10_000) {
            let p: Price = format!("{int}.{frac:04}").parse()?;
            prop_assert_eq!(p.ten_thousandths(), int * 10_000 + frac);
            prop_assert_eq!(p.to_string().parse::<Price>()?, p);
        }
    }
}
