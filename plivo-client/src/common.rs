//! Shapes shared by several resources: single-object envelopes, mutation answers, lenient scalars.

use serde::{Deserialize, Deserializer};

/// A single-object GET answer: nested under `object` (real trunk GET) or flat (documented shape).
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Envelope<T> {
    Nested { object: T },
    Flat(T),
}

impl<T> Envelope<T> {
    pub(crate) fn into_inner(self) -> T {
        match self {
            Self::Nested { object } | Self::Flat(object) => object,
        }
    }
}

/// The answer to a create: the new object's id and Plivo's message (never match on the message: its
/// casing varies).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Created<Id> {
    /// Plivo's request id.
    pub api_id: Option<String>,
    /// Plivo's message, for example `Trunk created successfully.`.
    pub message: Option<String>,
    /// The id of the new object.
    pub id: Id,
}

/// The answer to an update: Plivo's request id and message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Updated {
    /// Plivo's request id.
    #[serde(default)]
    pub api_id: Option<String>,
    /// Plivo's message, for example `changed`.
    #[serde(default)]
    pub message: Option<String>,
}

/// Accepts a string, number or boolean and keeps it as a string (`rtt: "24"` or `rtt: 24`).
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// Accepts a number or a numeric string.
pub(crate) fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Accepts an integer or an integer string.
pub(crate) fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Accepts a boolean, or `"true"`/`"false"` strings.
pub(crate) fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Bool(b)) => Some(b),
        Some(serde_json::Value::String(s)) => match s.as_str() {
            "true" | "True" => Some(true),
            "false" | "False" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// Generates a string enum with known variants plus `Other(String)` for values added later.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this crate does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}

pub(crate) use string_enum;
