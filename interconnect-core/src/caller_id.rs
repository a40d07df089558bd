//! The caller ID an interconnect presents on outbound calls.
//!
//! Plivo requires a Plivo number on the account as caller ID (its technical specifications;
//! otherwise the call hangs up with `unknown_caller_id`) and takes it in `+E.164` (runbook 1.2).
//! WeHostVoIP's gateway "Display" field carries the optional name.

use std::fmt;
use std::str::FromStr;

use crate::e164::E164;
use crate::error::CallerIdError;

/// Longest display name accepted, in characters. SIP itself sets no limit; 32 keeps the name
/// readable on handsets and inside WeHostVoIP's "Display" field, and is above the 15 characters
/// CNAM databases store (those truncate, they do not reject).
pub const MAX_DISPLAY_NAME_CHARS: usize = 32;

/// An [`E164`] number with an optional display name.
///
/// String form: `+15105550100` or `"Acme Support" <+15105550100>`. The display name is trimmed,
/// 1 to 32 characters, with no control characters and none of `"`, `\`, `<`, `>` (which would
/// need escaping in a SIP `From` header).
///
/// ```
/// use interconnect_core::CallerId;
/// use interconnect_core::error::CallerIdError;
///
/// let plain: CallerId = "+15105550100".parse()?;
/// assert_eq!(plain.display_name(), None);
///
/// let named: CallerId = "\"Acme Support\" <+15105550100>".parse()?;
/// assert_eq!(named.display_name(), Some("Acme Support"));
/// assert_eq!(named.number().digits(), "15105550100");
/// assert_eq!(named.to_string(), "\"Acme Support\" <+15105550100>");
///
/// assert!(matches!(
///     CallerId::with_name("+15105550100".parse().unwrap(), "Acme\u{7}"),
///     Err(CallerIdError::ControlCharacter { .. })
/// ));
/// # Ok::<(), CallerIdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallerId {
    number: E164,
    display_name: Option<String>,
}

impl CallerId {
    /// A caller ID without a display name.
    pub fn new(number: E164) -> CallerId {
        CallerId {
            number,
            display_name: None,
        }
    }

    /// A caller ID with a display name (trimmed).
    ///
    /// # Errors
    ///
    /// [`CallerIdError::EmptyDisplayName`], [`CallerIdError::DisplayNameTooLong`],
    /// [`CallerIdError::ControlCharacter`] or [`CallerIdError::ForbiddenCharacter`].
    pub fn with_name(number: E164, display_name: &str) -> Result<CallerId, CallerIdError> {
        let value = format!("\"{display_name}\" <{number}>");
        let name = check_name(display_name, &value)?;
        Ok(CallerId {
            number,
            display_name: Some(name),
        })
    }

    /// The number.
    pub fn number(&self) -> &E164 {
        &self.number
    }

    /// The display name, if any.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }
}

fn check_name(name: &str, value: &str) -> Result<String, CallerIdError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CallerIdError::EmptyDisplayName {
            value: value.to_owned(),
        });
    }
    if let Some(found) = name.chars().find(|c| c.is_control()) {
        return Err(CallerIdError::ControlCharacter {
            value: value.to_owned(),
            found,
        });
    }
    if let Some(found) = name.chars().find(|c| matches!(c, '"' | '\\' | '<' | '>')) {
        return Err(CallerIdError::ForbiddenCharacter {
            value: value.to_owned(),
            found,
        });
    }
    let len = name.chars().count();
    if len > MAX_DISPLAY_NAME_CHARS {
        return Err(CallerIdError::DisplayNameTooLong {
            value: value.to_owned(),
            len,
            max: MAX_DISPLAY_NAME_CHARS,
        });
    }
    Ok(name.to_owned())
}

impl FromStr for CallerId {
    type Err = CallerIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |n: &str| {
            n.parse::<E164>().map_err(|source| CallerIdError::Number {
                value: s.to_owned(),
                source,
            })
        };
        let Some(rest) = s.strip_prefix('"') else {
            return Ok(CallerId::new(number(s)?));
        };
        let syntax = || CallerIdError::Syntax {
            value: s.to_owned(),
        };
        let (name, tail) = rest.split_once('"').ok_or_else(syntax)?;
        let inner = tail
            .strip_prefix(" <")
            .and_then(|t| t.strip_suffix('>'))
            .ok_or_else(syntax)?;
        let number = number(inner)?;
        let name = check_name(name, s)?;
        if name.len() != rest.find('"').unwrap_or_default() {
            // Leading or trailing blanks inside the quotes: not the canonical form.
            return Err(syntax());
        }
        Ok(CallerId {
            number,
            display_name: Some(name),
        })
    }
}

impl fmt::Display for CallerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.display_name {
            Some(name) => write!(f, "\"{name}\" <{}>", self.number),
            None => write!(f, "{}", self.number),
        }
    }
}

impl From<E164> for CallerId {
    fn from(number: E164) -> Self {
        CallerId::new(number)
    }
}

string_conversions!(
    CallerId,
    CallerIdError,
    "a caller ID such as \"+15105550100\" or \"\\\"Acme\\\" <+15105550100>\""
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["+15105550100", "\"Açme Ltda\" <+5511987654321>"] {
            let c: CallerId = s.parse().unwrap();
            assert_eq!(c.to_string(), s);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<CallerId>(&json).unwrap(), c);
        }
    }

    #[test]
    fn with_name_trims() {
        let c = CallerId::with_name("+15105550100".parse().unwrap(), "  Acme ").unwrap();
        assert_eq!(c.display_name(), Some("Acme"));
    }
}
