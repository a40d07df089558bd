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

use api_common::{Classify, Failure, Repeat};
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

/// An error answer from the Plivo API: [`api_common::ApiError`], the one error answer of the
/// workspace's clients, read from Plivo's error bodies leniently (`error`, `message`,
/// `error_code`, `api_id` and more).
pub use api_common::ApiError;

/// Reads a Plivo error body leniently into an [`ApiError`]: a JSON object with `error` /
/// `message` / `global_error` / `data.error` / `data.message` / `errors.global_error`, its
/// `error_code` (number or text) and `api_id`; a non-JSON text (the first 500 characters); or
/// nothing.
pub(crate) fn api_error(
    method: Method,
    path: String,
    status: StatusCode,
    body: &[u8],
    retry_after: Option<Duration>,
) -> ApiError {
    let mut api = ApiError::new("Plivo", method, path, status).with_retry_after(retry_after);
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
        if let Some(id) = map.get("api_id").and_then(|v| v.as_str()) {
            api = api.with_request_id(id);
        }
        let code = map.get("error_code").and_then(|v| match v {
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        });
        if let Some(code) = code {
            api = api.with_code(code);
        }
        let candidates = [
            map.get("error"),
            map.get("global_error"),
            map.get("message"),
            map.get("data").and_then(|d| d.get("error")),
            map.get("data").and_then(|d| d.get("message")),
            map.get("errors").and_then(|d| d.get("global_error")),
        ];
        if let Some(v) = candidates.into_iter().flatten().find(|v| !is_blank(v)) {
            api = api.with_message(match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
    } else {
        let text = String::from_utf8_lossy(body);
        api = api.with_message(text.trim().chars().take(500).collect::<String>());
    }
    api
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

impl Classify for Error {
    fn failure(&self) -> Failure {
        match self {
            Self::Transport { .. } => Failure::NotSent,
            Self::OutcomeUnknown { .. } => Failure::OutcomeUnknown,
            Self::Api(api) => Failure::Answered {
                status: api.status,
                retry_after: api.retry_after,
            },
            _ => Failure::Final,
        }
    }
}

impl Error {
    /// True when sending the same request again is safe and may succeed, judged by the
    /// request's method ([`Repeat::of_method`]) and the workspace's one retry rule
    /// ([`Failure::is_retryable`]): never sent, a 429, or for GET and DELETE an unknown outcome
    /// or a 500, 502, 503 or 504.
    ///
    /// The client itself also repeats a POST that only sets a field (a number's `app_id`).
    pub fn is_retryable(&self) -> bool {
        let method = match self {
            Self::Transport { method, .. } | Self::OutcomeUnknown { method, .. } => method,
            Self::Api(api) => &api.method,
            _ => return false,
        };
        self.failure().is_retryable(Repeat::of_method(method))
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
        api_error(
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
        assert_eq!(e.request_id.as_deref(), Some("97ce"));
        assert_eq!(e.message, "answer_url parameter is missing");
        assert_eq!(e.code, None);
    }

    #[test]
    fn message_and_error_code_are_read() {
        let e =
            parse(r#"{"api_id": "e2", "error_code": 404, "message": "Phone number is invalid"}"#);
        assert_eq!(e.message, "Phone number is invalid");
        assert_eq!(e.code.as_deref(), Some("404"));
        assert_eq!(parse(r#"{"error_code": " 7 "}"#).code.as_deref(), Some("7"));
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
        assert_eq!(e.request_id, None);
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
    fn retryable_by_method() {
        let api = |method: Method, status: u16| {
            Error::Api(Box::new(api_error(
                method,
                String::new(),
                StatusCode::from_u16(status).unwrap(),
                b"",
                None,
            )))
        };
        for s in [429, 500, 502, 503, 504] {
            assert!(api(Method::GET, s).is_retryable(), "{s}");
            assert!(api(Method::DELETE, s).is_retryable(), "{s}");
        }
        assert!(api(Method::POST, 429).is_retryable());
        for s in [400, 401, 403, 404, 409, 422, 500, 503] {
            assert!(!api(Method::POST, s).is_retryable(), "{s}");
        }
    }
}
