//! Zentrunk (SIP trunking): trunks, IP ACLs, credentials, origination URIs and CDRs.

pub mod call;
pub mod credential;
pub mod ip_acl;
pub mod trunk;
pub mod uri;

use serde::{Deserialize, Serialize};

/// Paging for lists without filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ListParams {
    /// Page size, 1 to 20 (default 20).
    pub limit: Option<u32>,
    /// Offset of the page (default 0).
    pub offset: Option<u32>,
}

/// A listed object that could not be decoded (a hand-made object with a shape this crate does not
/// know): the lenient lists skip it and say which one and why, so one odd object never fails a
/// whole read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Undecodable {
    /// What was listed: `trunk`, `IP access list`, `origination URI` or `number`.
    pub kind: &'static str,
    /// The object's id, when the body has one that reads as text or a number.
    pub id: Option<String>,
    /// The object's name, when it has one.
    pub name: Option<String>,
    /// Why it could not be decoded.
    pub reason: String,
}

impl std::fmt::Display for Undecodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(id) = &self.id {
            write!(f, " {id}")?;
        }
        if let Some(name) = &self.name {
            write!(f, " ({name:?})")?;
        }
        write!(f, " could not be read and was skipped: {}", self.reason)
    }
}

/// Every object of a list that decoded, and the ones that did not.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Lenient<T> {
    /// The objects that decoded, in list order.
    pub objects: Vec<T>,
    /// The objects that did not, in list order.
    pub skipped: Vec<Undecodable>,
}

/// Decodes each listed value on its own.
pub(crate) fn decode_each<T: serde::de::DeserializeOwned>(
    kind: &'static str,
    id_key: &str,
    values: Vec<serde_json::Value>,
) -> Lenient<T> {
    let mut objects = Vec::with_capacity(values.len());
    let mut skipped = Vec::new();
    for value in values {
        let text = |key: &str| match value.get(key) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let (id, name) = (text(id_key), text("name"));
        match serde_json::from_value::<T>(value) {
            Ok(object) => objects.push(object),
            Err(e) => skipped.push(Undecodable {
                kind,
                id,
                name,
                reason: e.to_string(),
            }),
        }
    }
    Lenient { objects, skipped }
}

/// `null` (or a missing field) as the type's default: foreign objects send `null` for lists,
/// strings and flags.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An id sent as a string or as a bare JSON number (some list bodies send `trunk_id` unquoted).
pub(crate) fn lenient_id<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<String>,
{
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) if !s.is_empty() => Ok(T::from(s)),
        serde_json::Value::Number(n) => Ok(T::from(n.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected an id (a string or a number), got {other}"
        ))),
    }
}

/// Like [`lenient_id`] for an optional link (`null` or `""` is none).
pub(crate) fn lenient_opt_id<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<String>,
{
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(T::from(s))),
        Some(serde_json::Value::Number(n)) => Ok(Some(T::from(n.to_string()))),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected an id (a string or a number), got {other}"
        ))),
    }
}
