//! Typed identifiers. Every id is a string: trunk ids exceed 2^53 and some documented "UUIDs" are not
//! valid UUIDs, so nothing is parsed or reformatted.

use crate::Error;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as the API spells it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the id.
            pub fn into_string(self) -> String {
                self.0
            }

            /// The id checked for use as one path segment.
            pub(crate) fn segment(&self) -> Result<&str, Error> {
                path_segment(stringify!($name), &self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A Zentrunk trunk id (`trunk_id`), a numeric string above 2^53, for example `42741122632602585`.
    TrunkId
);
id_type!(
    /// A Zentrunk IP access control list id (`ipacl_uuid`).
    IpAclId
);
id_type!(
    /// A Zentrunk credential id (`credential_uuid`).
    CredentialId
);
id_type!(
    /// A Zentrunk origination URI id (`uri_uuid`).
    UriId
);
id_type!(
    /// A Zentrunk call (CDR) id (`call_uuid`).
    CallUuid
);

/// Checks that an id can be used as one URL path segment (non-empty, no `/ ? # %`, whitespace or
/// control characters).
pub(crate) fn path_segment<'a>(field: &'static str, value: &'a str) -> Result<&'a str, Error> {
    if value.is_empty() {
        return Err(Error::invalid(field, value, "must not be empty"));
    }
    if value
        .chars()
        .any(|c| matches!(c, '/' | '?' | '#' | '%' | '\\') || c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid(
            field,
            value,
            "must not contain '/', '?', '#', '%', '\\', whitespace or control characters",
        ));
    }
    Ok(value)
}

/// Normalises a phone number for a `Number/{number}/` path: E.164 digits without the leading `+`.
///
/// Accepts `+15105550100` or `15105550100`.
///
/// # Errors
/// [`Error::InvalidInput`] when the number is not 1 to 15 ASCII digits after an optional `+`, or
/// starts with `0`.
///
/// ```
/// assert_eq!(plivo_client::number_digits("+15105550100").unwrap(), "15105550100");
/// assert_eq!(plivo_client::number_digits("15105550100").unwrap(), "15105550100");
/// assert!(plivo_client::number_digits("+1 510").is_err());
/// ```
pub fn number_digits(number: &str) -> Result<String, Error> {
    let digits = number.strip_prefix('+').unwrap_or(number);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            "number",
            number,
            "must be E.164: an optional '+' then 1 to 15 digits",
        ));
    }
    if digits.starts_with('0') {
        return Err(Error::invalid(
            "number",
            number,
            "E.164 numbers must not start with 0",
        ));
    }
    Ok(digits.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_strings_above_2_pow_53() {
        let id: TrunkId = serde_json::from_str(r#""42741122632602585""#).unwrap();
        assert_eq!(id.as_str(), "42741122632602585");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            r#""42741122632602585""#
        );
    }

    #[test]
    fn path_segments_are_checked() {
        assert!(TrunkId::new("123").segment().is_ok());
        let err = TrunkId::new("12/../x").segment().unwrap_err();
        assert!(err.to_string().contains("12/../x"), "{err}");
        assert!(UriId::new("").segment().is_err());
        assert!(UriId::new("a b").segment().is_err());
    }

    #[test]
    fn number_digits_rules() {
        assert!(
            number_digits("+0123")
                .unwrap_err()
                .to_string()
                .contains("\"+0123\"")
        );
        assert!(number_digits("").is_err());
        assert!(number_digits("+1234567890123456").is_err());
        assert_eq!(number_digits("+442071234567").unwrap(), "442071234567");
    }
}
