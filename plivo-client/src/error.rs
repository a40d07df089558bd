//! The one error type of this crate.
//!
//! The variants keep apart what retries and reconciliation depend on:
//! - [`Error::InvalidInput`], [`Error::Refused`]: checked locally, **nothing was sent**;
//! - [`Error::Transport`]: the connection failed **before** the request was sent;
//! - [`Error::OutcomeUnknown`]: the request may have reached Plivo (timeout or broken connection after
//!   sending): a create may or may not have happened, so re-list before trying again;
//! - [`Error::Api`]: Plivo answered with an error status;
//! - [`Error::Decode`]: Plivo answered with success, but the body did not have the expected shape.

use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};

use crate::ids::{TrunkId, UriId};

/// Everything that can go wrong when talking to Plivo.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument broke a rule checked locally; nothing was sent.
    #[error("invalid {field} {value:?}: {rule}")]
    InvalidInput {
        /// The name of the argument or field.
        field: &'static str,
        /// The rejected value (secrets are never copied here, only described).
        value: String,
        /// The rule it broke.
        rule: &'static str,
    },
    /// A safety rule refused an operation that the API would accept but that would break something;
    /// nothing was sent for the refused operation.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The connection failed before the request was sent (DNS, connect, TLS); safe to retry.
    #[error("{method} {path}: request not sent")]
    Transport {
        /// The HTTP method.
        method: Method,
        /// The path below the account, for example `Zentrunk/Trunk/`.
        path: String,
        /// The underlying transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The request was sent but no answer arrived (timeout or broken connection): it may or may not have
    /// taken effect. For a create, list by name before trying again.
    #[error("{method} {path}: outcome unknown, the request may have been executed")]
    OutcomeUnknown {
        /// The HTTP method.
        method: Method,
        /// The path below the account.
        path: String,
        /// The underlying transport error.
        #[source]
        source: reqwest::Error,
    },
    /// Plivo answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// Plivo answered with success but the body could not be decoded.
    #[error("{method} {path}: unexpected response body (status {status})")]
    Decode {
        /// The HTTP method.
        method: Method,
        /// The path below the account.
        path: String,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The HTTP client could not be built (TLS backend initialisation).
    #[error("could not build the HTTP client")]
    Build(#[source] reqwest::Error),
}

/// An operation refused locally because it would silently break a call path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// Attaching a number to an outbound trunk: the API accepts it and the number stops answering.
    OutboundTrunkAttach {
        /// The number that was to be attached (digits).
        number: String,
        /// The outbound trunk.
        trunk_id: TrunkId,
    },
    /// Deleting an origination URI that trunks still reference: Plivo deletes those trunks with it.
    UriInUse {
        /// The URI that was to be deleted.
        uri_id: UriId,
        /// The trunks that reference it (as primary or fallback).
        trunks: Vec<TrunkId>,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutboundTrunkAttach { number, trunk_id } => write!(
                f,
                "number {number} cannot be attached to trunk {trunk_id}: it is an outbound trunk \
                 (only inbound trunks answer calls to numbers)"
            ),
            Self::UriInUse { uri_id, trunks } => {
                write!(f, "origination URI {uri_id} is used by trunk(s) ")?;
                for (i, t) in trunks.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(" and deleting it would delete them too (use force_delete)")
            }
        }
    }
}

/// An error answer from the Plivo API, parsed leniently.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP method of the request.
    pub method: Method,
    /// The path below the account.
    pub path: String,
    /// The HTTP status.
    pub status: StatusCode,
    /// Plivo's request id, when the body carried one.
    pub api_id: Option<String>,
    /// The message, from `error`, `message`, `global_error`, `data.error` (empty when the body had none).
    pub message: String,
    /// A numeric `error_code`, when the body carried one.
    pub error_code: Option<i64>,
    /// The `Retry-After` delay the server asked for, if any.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: Plivo answered {}",
            self.method, self.path, self.status
        )?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(code) = self.error_code {
            write!(f, " (error_code {code})")?;
        }
        if let Some(id) = &self.api_id {
            write!(f, " [api_id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// Parses an error body leniently: JSON object with `error` / `message` / `global_error` /
    /// `data.error` / `data.message` / `errors.global_error`, a non-JSON text, or nothing.
    pub(crate) fn from_body(
        method: Method,
        path: String,
        status: StatusCode,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Self {
        let mut api_id = None;
        let mut message = String::new();
        let mut error_code = None;
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
            api_id = map
                .get("api_id")
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            error_code = map.get("error_code").and_then(|v| {
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            });
            let candidates = [
                map.get("error"),
                map.get("global_error"),
                map.get("message"),
                map.get("data").and_then(|d| d.get("error")),
                map.get("data").and_then(|d| d.get("message")),
                map.get("errors").and_then(|d| d.get("global_error")),
            ];
            if let Some(v) = candidates.into_iter().flatten().find(|v| !is_blank(v)) {
                message = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
            }
        } else {
            let text = String::from_utf8_lossy(body);
            message = text.trim().chars().take(500).collect();
        }
        Self {
            method,
            path,
            status,
            api_id,
            message,
            error_code,
            retry_after,
        }
    }
}

fn is_blank(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.trim().is_empty(),
        serde_json::Value::Object(m) => m.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Statuses worth retrying: rate limited or a gateway/availability problem.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

impl Error {
    /// True when sending the same request again is safe and may succeed: a transport failure before
    /// sending, or an API answer of 429, 502, 503 or 504.
    ///
    /// An [`Error::OutcomeUnknown`] is retryable only for GET and DELETE: a POST may already have
    /// taken effect, so the caller reconciles (lists) first.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } => true,
            Self::OutcomeUnknown { method, .. } => {
                *method == Method::GET || *method == Method::DELETE
            }
            Self::Api(api) => is_retryable_status(api.status),
            _ => false,
        }
    }

    /// True when the request was sent and its effect is unknown (timeout or broken connection after
    /// sending). Before retrying a create, list by name: it may exist already.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Self::OutcomeUnknown { .. })
    }

    /// True when nothing was sent because an argument or a local safety rule refused it.
    pub fn is_local(&self) -> bool {
        matches!(self, Self::InvalidInput { .. } | Self::Refused(_))
    }

    /// True when Plivo answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// The HTTP status of Plivo's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error details, when Plivo answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }

    pub(crate) fn invalid(
        field: &'static str,
        value: impl Into<String>,
        rule: &'static str,
    ) -> Self {
        Self::InvalidInput {
            field,
            value: value.into(),
            rule,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ApiError {
        ApiError::from_body(
            Method::GET,
            "Zentrunk/Trunk/".into(),
            StatusCode::BAD_REQUEST,
            body.as_bytes(),
            None,
        )
    }

    #[test]
    fn error_field_is_read() {
        let e = parse(r#"{"api_id": "97ce", "error": "answer_url parameter is missing"}"#);
        assert_eq!(e.api_id.as_deref(), Some("97ce"));
        assert_eq!(e.message, "answer_url parameter is missing");
        assert_eq!(e.error_code, None);
    }

    #[test]
    fn message_and_error_code_are_read() {
        let e =
            parse(r#"{"api_id": "e2", "error_code": 404, "message": "Phone number is invalid"}"#);
        assert_eq!(e.message, "Phone number is invalid");
        assert_eq!(e.error_code, Some(404));
    }

    #[test]
    fn nested_and_structured_errors_are_read() {
        assert_eq!(parse(r#"{"data": {"error": "x"}}"#).message, "x");
        assert_eq!(parse(r#"{"errors": {"global_error": "g"}}"#).message, "g");
        assert_eq!(
            parse(r#"{"error": {"name": ["required"]}}"#).message,
            r#"{"name":["required"]}"#
        );
    }

    #[test]
    fn empty_and_non_json_bodies_are_accepted() {
        let e = parse("");
        assert_eq!(e.message, "");
        assert_eq!(e.api_id, None);
        assert_eq!(parse("{}").message, "");
        assert_eq!(
            parse("<html>Bad gateway</html>").message,
            "<html>Bad gateway</html>"
        );
        assert_eq!(
            e.to_string(),
            "GET Zentrunk/Trunk/: Plivo answered 400 Bad Request"
        );
    }

    #[test]
    fn retryable_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 422, 500] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(s).unwrap()),
                "{s}"
            );
        }
    }
}
