//! Client-side rate limiting: at most N requests per sliding window, per account.
//!
//! Each request takes one of N slots before it is sent and gives it back one window **after its answer
//! arrived** (or after it failed). A server receives a request before the client sees its answer, so
//! any two requests that use the same slot reach the server more than one window apart, whatever the
//! latency: no window of that length, measured on the server, ever holds more than N requests.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::Error;

/// A request budget: `max_requests` per sliding `window`.
///
/// ```
/// use std::time::Duration;
/// let plivo = plivo_client::RateLimit::plivo_default();
/// assert_eq!((plivo.max_requests(), plivo.window()), (300, Duration::from_secs(5)));
/// assert!(plivo_client::RateLimit::new(0, Duration::from_secs(1)).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    max_requests: u32,
    window: Duration,
}

impl RateLimit {
    /// Plivo's documented account limit: 300 requests per 5 seconds.
    pub const fn plivo_default() -> Self {
        Self {
            max_requests: 300,
            window: Duration::from_secs(5),
        }
    }

    /// A custom budget.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `max_requests` is 0 or `window` is zero.
    pub fn new(max_requests: u32, window: Duration) -> Result<Self, Error> {
        if max_requests == 0 {
            return Err(Error::invalid("max_requests", "0", "must be at least 1"));
        }
        if window.is_zero() {
            return Err(Error::invalid("window", "0s", "must be longer than zero"));
        }
        Ok(Self {
            max_requests,
            window,
        })
    }

    /// Requests allowed per window.
    pub fn max_requests(&self) -> u32 {
        self.max_requests
    }

    /// The window length.
    pub fn window(&self) -> Duration {
        self.window
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::plivo_default()
    }
}

/// A shared limiter. Clones share the same budget; every clone of a [`crate::PlivoClient`] uses one,
/// and separately built clients for the same account can share one through
/// [`crate::ClientBuilder::rate_limiter`].
#[derive(Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    slots: Arc<Semaphore>,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .field("available", &self.slots.available_permits())
            .finish()
    }
}

impl RateLimiter {
    /// A limiter enforcing `limit`.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            slots: Arc::new(Semaphore::new(limit.max_requests as usize)),
        }
    }

    /// The enforced budget.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits for a free slot. Drop the returned guard once the answer arrived (or the request failed):
    /// the slot becomes free again one window later.
    pub(crate) async fn acquire(&self) -> SlotGuard {
        // The semaphore is never closed, so this cannot fail.
        let permit = Arc::clone(&self.slots).acquire_owned().await.ok();
        SlotGuard {
            permit,
            window: self.limit.window,
        }
    }
}

/// Holds one slot; returns it one window after being dropped.
pub(crate) struct SlotGuard {
    permit: Option<OwnedSemaphorePermit>,
    window: Duration,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let window = self.window;
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                tokio::time::sleep(window).await;
                drop(permit);
            });
        }
        // Without a runtime (the client is being torn down) the slot is released at once.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn slots_return_one_window_after_release() {
        let limiter = RateLimiter::new(RateLimit::new(3, Duration::from_secs(5)).unwrap());
        let start = Instant::now();
        let mut grants = Vec::new();
        for _ in 0..7 {
            let g = limiter.acquire().await;
            grants.push(start.elapsed());
            drop(g);
        }
        assert_eq!(grants[..3], [Duration::ZERO; 3]);
        assert_eq!(grants[3..6], [Duration::from_secs(5); 3]);
        assert_eq!(grants[6], Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn clones_share_the_budget() {
        let a = RateLimiter::new(RateLimit::new(2, Duration::from_secs(1)).unwrap());
        let b = a.clone();
        let start = Instant::now();
        drop(a.acquire().await);
        drop(b.acquire().await);
        drop(a.acquire().await);
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }
}
