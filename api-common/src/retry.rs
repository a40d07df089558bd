//! Which failures are retried, how long to wait, who does the waiting, and the loop that does it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use http::{Method, StatusCode};

/// Something that waits. Clients sleep through this between retries, so tests can inject a
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

/// Whether sending a request twice has the effect of sending it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repeat {
    /// It may create something (a POST create): repeated only when it certainly did not run.
    Unsafe,
    /// A read, a delete, or a write that sets given values: repeating it changes nothing more.
    Safe,
}

impl Repeat {
    /// The repeatability of a method by RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and
    /// DELETE are idempotent, POST and PATCH are not. A client that knows better of one request (a
    /// POST that only sets a field) says so itself.
    ///
    /// ```
    /// use api_common::Repeat;
    /// use http::Method;
    /// assert_eq!(Repeat::of_method(&Method::DELETE), Repeat::Safe);
    /// assert_eq!(Repeat::of_method(&Method::POST), Repeat::Unsafe);
    /// ```
    pub fn of_method(method: &Method) -> Self {
        if method.is_idempotent() {
            Self::Safe
        } else {
            Self::Unsafe
        }
    }
}

/// What became of one failed attempt, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The request never reached the server (DNS, connect, TLS): nothing ran.
    NotSent,
    /// The request was sent and no answer came (timeout, broken connection): it may have run.
    OutcomeUnknown,
    /// The server answered with an error status.
    Answered {
        /// The status.
        status: StatusCode,
        /// The delay its `Retry-After` asked for, if any.
        retry_after: Option<Duration>,
    },
    /// Anything else (a body that could not be decoded, a local refusal): never retried.
    Final,
}

impl Failure {
    /// Whether sending the request again may succeed and cannot do anything twice:
    /// - never sent: always;
    /// - 429 Too Many Requests: always (the server did not execute it);
    /// - outcome unknown, 500, 502, 503, 504: only when the request is [`Repeat::Safe`] (a create
    ///   that may have run is reconciled by the caller, by listing, never repeated blindly);
    /// - anything else: never.
    pub fn is_retryable(self, repeat: Repeat) -> bool {
        match self {
            Self::NotSent => true,
            Self::OutcomeUnknown => repeat == Repeat::Safe,
            Self::Answered { status, .. } => match status.as_u16() {
                429 => true,
                500 | 502 | 503 | 504 => repeat == Repeat::Safe,
                _ => false,
            },
            Self::Final => false,
        }
    }

    /// True for a 429 answer.
    pub fn is_throttled(self) -> bool {
        matches!(self, Self::Answered { status, .. } if status == StatusCode::TOO_MANY_REQUESTS)
    }

    /// The status of the answer, when there was one.
    pub fn status(self) -> Option<StatusCode> {
        match self {
            Self::Answered { status, .. } => Some(status),
            _ => None,
        }
    }

    /// The delay the server asked for, when it did.
    pub fn retry_after(self) -> Option<Duration> {
        match self {
            Self::Answered { retry_after, .. } => retry_after,
            _ => None,
        }
    }
}

/// A client's error, seen by the retry loop.
pub trait Classify {
    /// What became of the attempt that failed with this error.
    fn failure(&self) -> Failure;
}

/// How a client retries failed requests: which ones is [`Failure::is_retryable`]; this says how
/// often and how long.
///
/// The delay is jittered exponential backoff ([`backon`]); a `Retry-After` replaces it, capped at
/// [`RetryPolicy::retry_after_cap`]. Failures other than 429 stop after `max_retries` retries; a
/// run of 429s is waited out for as long as the next wait keeps the total within
/// `max_total_wait`, not counted against `max_retries` (a policy with no retries never waits).
///
/// ```
/// use std::time::Duration;
/// use api_common::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .max_total_wait(Duration::from_secs(60));
/// assert_eq!(policy.get_max_retries(), 5);
/// assert_eq!(RetryPolicy::none().get_max_retries(), 0);
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

/// The result of a request sent under a [`RetryPolicy`], with what it took.
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome<T, E> {
    /// The last attempt's result.
    pub result: Result<T, E>,
    /// Attempts made (at least 1).
    pub attempts: u32,
    /// Time spent waiting between attempts.
    pub waited: Duration,
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

    fn exponential(&self) -> ExponentialBuilder {
        let b = ExponentialBuilder::new()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0);
        if self.jitter { b.with_jitter() } else { b }
    }

    /// The backoff delays for one request, one per retry. With jitter each delay is stretched by
    /// a random 0 to 100 %.
    pub fn backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        self.exponential()
            .with_max_times(self.max_retries as usize)
            .build()
            .map(whole_millis)
    }

    /// The delays between attempts answered 429: the same backoff, never running out, so a
    /// rate-limit storm is waited out until [`RetryPolicy::max_total_wait`] is spent. Empty when
    /// the policy does not retry at all.
    fn throttle_backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let retries = self.max_retries;
        self.exponential()
            .without_max_times()
            .build()
            .take_while(move |_| retries > 0)
            .map(whole_millis)
    }

    /// Sends a request by calling `attempt` until it succeeds, fails in a way that is not
    /// retryable for a request that repeats as `repeat` ([`Failure::is_retryable`]), or the policy
    /// is spent; sleeps between attempts through the policy's [`Sleeper`]. Each retry is logged
    /// at WARN with the attempt, the delay and the status (never the error's text, which may
    /// quote a body).
    pub async fn run<T, E, F, Fut>(&self, repeat: Repeat, mut attempt: F) -> Outcome<T, E>
    where
        E: Classify,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut backoff = self.backoff();
        let mut throttled = self.throttle_backoff();
        let mut waited = Duration::ZERO;
        let mut attempts = 0_u32;
        let result = loop {
            attempts += 1;
            let err = match attempt().await {
                Ok(value) => break Ok(value),
                Err(e) => e,
            };
            let failure = err.failure();
            if !failure.is_retryable(repeat) {
                break Err(err);
            }
            let next = if failure.is_throttled() {
                throttled.next()
            } else {
                backoff.next()
            };
            let Some(backoff_delay) = next else {
                break Err(err);
            };
            let delay = failure
                .retry_after()
                .map_or(backoff_delay, |d| d.min(self.retry_after_cap));
            if waited + delay > self.max_total_wait {
                break Err(err);
            }
            tracing::warn!(
                attempt = attempts,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                status = failure.status().map(|s| s.as_u16()),
                "retrying request"
            );
            self.sleeper.sleep(delay).await;
            waited += delay;
        };
        Outcome {
            result,
            attempts,
            waited,
        }
    }
}

/// backon computes in f32: whole milliseconds keep delays exact and readable.
fn whole_millis(d: Duration) -> Duration {
    Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Records each delay and returns at once.
    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<Duration>>);

    impl Sleeper for Recorder {
        fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            self.0.lock().unwrap().push(delay);
            Box::pin(async {})
        }
    }

    #[derive(Debug, Clone, Copy)]
    struct E(Failure);

    impl Classify for E {
        fn failure(&self) -> Failure {
            self.0
        }
    }

    fn answered(status: u16, retry_after: Option<u64>) -> E {
        E(Failure::Answered {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: retry_after.map(Duration::from_secs),
        })
    }

    fn policy(recorder: &Arc<Recorder>) -> RetryPolicy {
        RetryPolicy::default()
            .jitter(false)
            .min_delay(Duration::from_secs(1))
            .max_delay(Duration::from_secs(4))
            .sleeper(recorder.clone())
    }

    /// Runs `failures` then success (when `failures` runs out) under `policy`.
    async fn run(policy: &RetryPolicy, repeat: Repeat, failures: &[E]) -> Outcome<u32, E> {
        let mut it = failures.iter().copied();
        policy
            .run(repeat, || {
                let next = it.next();
                async move { next.map_or(Ok(7), Err) }
            })
            .await
    }

    #[test]
    fn which_failures_are_retried_for_which_requests() {
        use Repeat::{Safe, Unsafe};
        assert!(Failure::NotSent.is_retryable(Unsafe));
        assert!(!Failure::OutcomeUnknown.is_retryable(Unsafe));
        assert!(Failure::OutcomeUnknown.is_retryable(Safe));
        assert!(!Failure::Final.is_retryable(Safe));
        assert!(answered(429, None).0.is_retryable(Unsafe));
        for s in [500, 502, 503, 504] {
            assert!(answered(s, None).0.is_retryable(Safe), "{s}");
            assert!(!answered(s, None).0.is_retryable(Unsafe), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 422, 501] {
            assert!(!answered(s, None).0.is_retryable(Safe), "{s}");
        }
    }

    #[test]
    fn backoff_grows_and_is_bounded() {
        let p = RetryPolicy::default()
            .jitter(false)
            .min_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350))
            .max_retries(4);
        let delays: Vec<_> = p.backoff().collect();
        let ms = |n| Duration::from_millis(n);
        assert_eq!(delays, vec![ms(100), ms(200), ms(350), ms(350)]);
        assert_eq!(RetryPolicy::none().throttle_backoff().count(), 0);
    }

    #[tokio::test]
    async fn a_safe_request_is_retried_up_to_max_retries_with_backoff() {
        let rec = Arc::new(Recorder::default());
        let out = run(&policy(&rec), Repeat::Safe, &[answered(503, None); 5]).await;
        assert!(matches!(out.result, Err(E(Failure::Answered { .. }))));
        assert_eq!(out.attempts, 4);
        let secs: Vec<u64> = rec
            .0
            .lock()
            .unwrap()
            .iter()
            .map(Duration::as_secs)
            .collect();
        assert_eq!(secs, vec![1, 2, 4]);
        assert_eq!(out.waited, Duration::from_secs(7));
    }

    #[tokio::test]
    async fn an_unsafe_request_is_not_repeated_after_it_may_have_run() {
        let rec = Arc::new(Recorder::default());
        for failure in [
            answered(503, None),
            answered(500, None),
            E(Failure::OutcomeUnknown),
        ] {
            let out = run(&policy(&rec), Repeat::Unsafe, &[failure]).await;
            assert!(out.result.is_err());
            assert_eq!(out.attempts, 1);
        }
        let out = run(&policy(&rec), Repeat::Unsafe, &[E(Failure::NotSent)]).await;
        assert_eq!(out.result.ok(), Some(7));
        assert_eq!(out.attempts, 2);
    }

    #[tokio::test]
    async fn retry_after_replaces_the_backoff_and_is_capped() {
        let rec = Arc::new(Recorder::default());
        let p = policy(&rec).retry_after_cap(Duration::from_secs(10));
        let out = run(
            &p,
            Repeat::Safe,
            &[answered(503, Some(3)), answered(503, Some(99))],
        )
        .await;
        assert_eq!(out.result.ok(), Some(7));
        let secs: Vec<u64> = rec
            .0
            .lock()
            .unwrap()
            .iter()
            .map(Duration::as_secs)
            .collect();
        assert_eq!(secs, vec![3, 10]);
    }

    #[tokio::test]
    async fn a_429_storm_is_waited_out_within_the_total_wait_not_a_count() {
        let rec = Arc::new(Recorder::default());
        let p = policy(&rec).max_total_wait(Duration::from_secs(60));
        // Twelve 429s asking for 4 s each: 48 s, within 60 s, though far more than 3 retries.
        let out = run(&p, Repeat::Unsafe, &[answered(429, Some(4)); 12]).await;
        assert_eq!(out.result.ok(), Some(7));
        assert_eq!(out.attempts, 13);
        assert_eq!(out.waited, Duration::from_secs(48));
    }

    #[tokio::test]
    async fn a_429_storm_longer_than_the_total_wait_gives_up_with_the_429() {
        let rec = Arc::new(Recorder::default());
        let p = policy(&rec).max_total_wait(Duration::from_secs(10));
        let out = run(&p, Repeat::Safe, &[answered(429, Some(4)); 12]).await;
        assert!(out.result.is_err_and(|e| e.0.is_throttled()));
        assert_eq!(out.attempts, 3);
        assert_eq!(out.waited, Duration::from_secs(8));
    }

    #[tokio::test]
    async fn a_policy_without_retries_never_waits() {
        let rec = Arc::new(Recorder::default());
        let p = policy(&rec).max_retries(0);
        let out = run(&p, Repeat::Safe, &[answered(429, None)]).await;
        assert!(out.result.is_err());
        assert_eq!((out.attempts, out.waited), (1, Duration::ZERO));
        assert!(rec.0.lock().unwrap().is_empty());
    }
}
