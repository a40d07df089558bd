//! The error answer of an HTTP API.

use std::fmt;
use std::time::Duration;

use http::{Method, StatusCode};

/// An error answer from an HTTP API: the request it answers, the status, and what the body said.
///
/// Each client reads its own API's error bodies into these fields (Plivo's `error`/`message`,
/// `error_code` and `api_id`; the WeHostVoIP contract's `message` and `code`).
///
/// ```
/// use std::time::Duration;
/// use api_common::ApiError;
/// use http::{Method, StatusCode};
///
/// let e = ApiError::new("Plivo", Method::POST, "Zentrunk/Trunk/", StatusCode::BAD_REQUEST)
///     .with_message("name is required")
///     .with_code("400")
///     .with_request_id("97ce");
/// assert_eq!(
///     e.to_string(),
///     "POST Zentrunk/Trunk/: Plivo answered 400 Bad Request: name is required (error code 400) \
///      [request id 97ce]"
/// );
/// assert!(!e.is_throttled());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// Who answered (`"Plivo"`, `"WeHostVoIP"`): the subject of the message.
    pub service: &'static str,
    /// The HTTP method of the request.
    pub method: Method,
    /// The path of the request below the API's base (never the query, never headers).
    pub path: String,
    /// The HTTP status.
    pub status: StatusCode,
    /// The message the body carried, or a short excerpt of a body that was not the API's error
    /// shape; empty when there was none.
    pub message: String,
    /// The error code the body carried, as text (Plivo's numeric `error_code`, the contract's
    /// `code`).
    pub code: Option<String>,
    /// The request id the API gave (Plivo's `api_id`).
    pub request_id: Option<String>,
    /// The `Retry-After` delay the server asked for, if any.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// An answer with `status` to `method path`, with nothing read from its body yet.
    pub fn new(
        service: &'static str,
        method: Method,
        path: impl Into<String>,
        status: StatusCode,
    ) -> Self {
        Self {
            service,
            method,
            path: path.into(),
            status,
            message: String::new(),
            code: None,
            request_id: None,
            retry_after: None,
        }
    }

    /// Sets the message.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Sets the error code.
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the request id.
    #[must_use]
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Sets the `Retry-After` delay.
    #[must_use]
    pub fn with_retry_after(mut self, delay: Option<Duration>) -> Self {
        self.retry_after = delay;
        self
    }

    /// True for 429 Too Many Requests: the request was not executed.
    pub fn is_throttled(&self) -> bool {
        self.status == StatusCode::TOO_MANY_REQUESTS
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} answered {}",
            self.method, self.path, self.service, self.status
        )?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(code) = &self.code {
            write!(f, " (error code {code})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_status_says_who_answered_what() {
        let e = ApiError::new(
            "WeHostVoIP",
            Method::GET,
            "carriers",
            StatusCode::BAD_GATEWAY,
        );
        assert_eq!(
            e.to_string(),
            "GET carriers: WeHostVoIP answered 502 Bad Gateway"
        );
        assert!(
            ApiError::new("Plivo", Method::GET, "", StatusCode::TOO_MANY_REQUESTS).is_throttled()
        );
    }
}
