//! What the workspace's two HTTP API clients (`plivo-client` and `wehostvoip-client`) share, defined
//! once: how a failed request is classified, which failures are retried for which requests, the
//! retry policy and its loop (jittered exponential backoff, `Retry-After` honoured and capped, a
//! rate-limit storm waited out up to a total), who does the waiting (an injectable [`Sleeper`], so
//! tests never sleep for real), and the error answer of an API ([`ApiError`]).
//!
//! Each client keeps what is its own: its error enum, the shape of its API's error bodies, and
//! which of its requests are safe to repeat.
//!
//! ```
//! use std::time::Duration;
//! use api_common::{Failure, Repeat};
//! use http::StatusCode;
//!
//! // A create answered 503 may have run: it is reconciled, never repeated blindly.
//! let unavailable = Failure::Answered { status: StatusCode::SERVICE_UNAVAILABLE, retry_after: None };
//! assert!(!unavailable.is_retryable(Repeat::Unsafe));
//! assert!(unavailable.is_retryable(Repeat::Safe));
//! // A 429 was not executed: any request is repeated, after the server's Retry-After.
//! let throttled = Failure::Answered {
//!     status: StatusCode::TOO_MANY_REQUESTS,
//!     retry_after: Some(Duration::from_secs(2)),
//! };
//! assert!(throttled.is_retryable(Repeat::Unsafe));
//! ```

mod answer;
mod retry;
mod retry_after;

pub use answer::ApiError;
pub use retry::{Classify, Failure, Outcome, Repeat, RetryPolicy, Sleeper, TokioSleeper};
pub use retry_after::{parse_retry_after, retry_after};

/// The README's example, compiled as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
