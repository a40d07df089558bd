//! Retry policy: which failures are retried, how long to wait, and who does the waiting.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::HeaderMap;

/// Something that waits. The client sleeps through this between retries, so tests can inject a
/// sleeper that records the delays and returns at once.
pub trait Sleeper: Send + Sync + fmt::Debug {
    /// Returns a future that completes after `delay`.
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The default [`Sleeper`]: `tokio::time::sleep` (so tokio's paused time applies to it).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(delay))
    }
}

/// How the client retries failed requests.
///
/// Retried, as Plivo advises (retry 429 and 5xx after a few seconds): HTTP 429 for every method
/// (Plivo answers it without executing); 500 on GET and DELETE; 502, 503, 504 and timeouts on GET,
/// DELETE and the POSTs that only set a field (a number's `app_id`); failures to connect always. A
/// create that timed out or got a 5xx is returned to the caller, which reconciles (lists) before
/// trying again.
///
/// The delay is jittered exponential backoff ([`backon`]); a `Retry-After` header (delta seconds or
/// an HTTP date) replaces it, capped at [`RetryPolicy::retry_after_cap`]. Other failures stop after
/// `max_retries` retries; a run of 429s is waited out for as long as the next wait keeps the total
/// within `max_total_wait` (a policy with no retries never waits).
///
/// ```
/// use std::time::Duration;
/// let policy = plivo_client::RetryPolicy::default()
///     .max_retries(5)
///     .max_total_wait(Duration::from_secs(60));
/// assert_eq!(policy.get_max_retries(), 5);
/// assert_eq!(plivo_client::RetryPolicy::none().get_max_retries(), 0);
/// ```
#[derive(Clone)]
pub struct RetryPolicy {
    max_retries: u32,
    min_delay: Duration,
    max_delay: Duration,
    max_total_wait: Duration,
    retry_after_cap: Duration,
    jitter: bool,
    sleeper: Arc<dyn Sleeper>,
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_retries", &self.max_retries)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .field("max_total_wait", &self.max_total_wait)
            .field("retry_after_cap", &self.retry_after_cap)
            .field("jitter", &self.jitter)
            .field("sleeper", &self.sleeper)
            .finish()
    }
}

impl Default for RetryPolicy {
    /// 3 retries, backoff from 500 ms to 8 s with jitter, `Retry-After` capped at 30 s, at most 60 s
    /// of waiting in total, sleeping with tokio.
    fn default() -> Self {
        Self {
            max_retries: 3,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_total_wait: Duration::from_secs(60),
            retry_after_cap: Duration::from_secs(30),
            jitter: true,
            sleeper: Arc::new(TokioSleeper),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Sets the number of retries after the first attempt.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the first backoff delay.
    #[must_use]
    pub fn min_delay(mut self, d: Duration) -> Self {
        self.min_delay = d;
        self
    }

    /// Sets the largest backoff delay.
    #[must_use]
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// Sets the most time spent waiting between attempts of one request.
    #[must_use]
    pub fn max_total_wait(mut self, d: Duration) -> Self {
        self.max_total_wait = d;
        self
    }

    /// Sets the longest `Retry-After` delay honoured; longer requests are shortened to this.
    #[must_use]
    pub fn retry_after_cap(mut self, d: Duration) -> Self {
        self.retry_after_cap = d;
        self
    }

    /// Turns jitter on or off (on by default).
    #[must_use]
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Replaces the sleeper used between attempts (tests inject one that does not really wait).
    #[must_use]
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// The number of retries after the first attempt.
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The `Retry-After` cap.
    pub fn get_retry_after_cap(&self) -> Duration {
        self.retry_after_cap
    }

    /// The longest total wait for one request.
    pub fn get_max_total_wait(&self) -> Duration {
        self.max_total_wait
    }

    pub(crate) fn sleeper_ref(&self) -> &dyn Sleeper {
        self.sleeper.as_ref()
    }

    /// The backoff delays for one request, one per retry. With jitter each delay is stretched by a
    /// random 0 to 100 %.
    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let mut b = ExponentialBuilder::new()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_retries as usize);
        if self.jitter {
            b = b.with_jitter();
        }
        // backon computes in f32: round to whole milliseconds so delays are exact and readable.
        b.build()
            .map(|d| Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)))
    }
}

impl RetryPolicy {
    /// The delays between attempts answered 429: the same backoff, never running out, so a rate
    /// limit storm is waited out until [`RetryPolicy::max_total_wait`] is spent. Empty when the
    /// policy does not retry at all.
    pub(crate) fn throttle_backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let mut b = ExponentialBuilder::new()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .without_max_times();
        if self.jitter {
            b = b.with_jitter();
        }
        let retries = self.max_retries;
        b.build()
            .take_while(move |_| retries > 0)
            .map(|d| Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)))
    }
}

/// Reads `Retry-After` as delta seconds or an HTTP date (relative to `now`).
pub(crate) fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn retry_after_delta_seconds() {
        assert_eq!(
            parse_retry_after(&headers("7"), SystemTime::now()),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn retry_after_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        assert_eq!(
            parse_retry_after(&headers(&later), now),
            Some(Duration::from_secs(12))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        assert_eq!(
            parse_retry_after(&headers(&past), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_garbage_is_ignored() {
        assert_eq!(parse_retry_after(&headers("soon"), SystemTime::now()), None);
        assert_eq!(
            parse_retry_after(&HeaderMap::new(), SystemTime::now()),
            None
        );
    }

    #[test]
    fn backoff_grows_and_is_bounded() {
        let p = RetryPolicy::default()
            .jitter(false)
            .min_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350))
            .max_retries(4);
        let delays: Vec<_> = p.backoff().collect();
        assert_eq!(
            delays,
            vec![
                Duration::from_millis(100),
                Duration::from_millis(200),
                Duration::from_millis(350),
                Duration::from_millis(350)
            ]
        );
    }
}
