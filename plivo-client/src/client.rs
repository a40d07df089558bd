//! The client, its builder, and the one function that sends requests.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::{Host, Url};

use crate::common::Created;
use crate::error::{Error, api_error};
use crate::page::{MAX_PAGE_SIZE, Page};
use crate::ratelimit::{RateLimit, RateLimiter};
use api_common::{Repeat, RetryPolicy, retry_after};

/// The production API host.
pub const DEFAULT_BASE_URL: &str = "https://api.plivo.com";

/// The default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("plivo-client-rs/", env!("CARGO_PKG_VERSION"));

/// A typed async client for Plivo's Zentrunk and numbers APIs.
///
/// Cheap to clone (an `Arc` inside); clones share the HTTP connection pool and the rate limiter.
///
/// ```no_run
/// # async fn run() -> Result<(), plivo_client::Error> {
/// use plivo_client::PlivoClient;
/// let client = PlivoClient::builder()
///     .auth_id("MAXXXXXXXXXXXXXXXXXX")
///     .auth_token("your-auth-token")
///     .build()?;
/// let trunks = client.trunks().all(&Default::default()).await?;
/// println!("{} trunks on {}", trunks.len(), client.auth_id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PlivoClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    auth_id: String,
    auth_token: SecretString,
    base_url: Url,
    account_url: String,
    retry: RetryPolicy,
    limiter: RateLimiter,
    timeout: Duration,
}

impl fmt::Debug for PlivoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlivoClient")
            .field("auth_id", &self.inner.auth_id)
            .field("auth_token", &"[redacted]")
            .field("base_url", &self.inner.base_url.as_str())
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("limiter", &self.inner.limiter)
            .finish_non_exhaustive()
    }
}

/// Builds a [`PlivoClient`].
#[derive(Clone, Default)]
pub struct ClientBuilder {
    auth_id: Option<String>,
    auth_token: Option<SecretString>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    user_agent: Option<String>,
    rate_limit: Option<RateLimit>,
    limiter: Option<RateLimiter>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("auth_id", &self.auth_id)
            .field(
                "auth_token",
                &self.auth_token.as_ref().map(|_| "[redacted]"),
            )
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sets the account's Auth ID (the Basic auth user name and the `{auth_id}` of every path).
    #[must_use]
    pub fn auth_id(mut self, auth_id: impl Into<String>) -> Self {
        self.auth_id = Some(auth_id.into());
        self
    }

    /// Sets the account's Auth Token (never printed or logged).
    #[must_use]
    pub fn auth_token(mut self, token: impl Into<SecretString>) -> Self {
        self.auth_token = Some(token.into());
        self
    }

    /// Sets the API base URL (default [`DEFAULT_BASE_URL`]). Plain `http://` is accepted only for
    /// loopback hosts, for tests and local emulators.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the timeout of one attempt, from sending to the end of the body (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the connect timeout (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    #[must_use]
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Sets the request budget of a new limiter (default [`RateLimit::plivo_default`]).
    #[must_use]
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Uses an existing limiter, so several clients for one account share one budget.
    #[must_use]
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Validates the settings and builds the client. No request is sent.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the auth id or token is missing or malformed, or the base URL is not
    /// `https://` (or `http://` on a loopback host); [`Error::Build`] when the TLS backend fails.
    pub fn build(self) -> Result<PlivoClient, Error> {
        let auth_id = self
            .auth_id
            .ok_or_else(|| Error::invalid("auth_id", "", "is required"))?;
        if auth_id.is_empty()
            || auth_id.len() > 64
            || !auth_id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(Error::invalid(
                "auth_id",
                auth_id,
                "must be 1 to 64 ASCII letters and digits",
            ));
        }
        let auth_token = self
            .auth_token
            .ok_or_else(|| Error::invalid("auth_token", "", "is required"))?;
        if auth_token.expose_secret().trim().is_empty() {
            return Err(Error::invalid("auth_token", "", "must not be empty"));
        }
        let base_url = parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let account_url = format!(
            "{}/v1/Account/{}/",
            base_url.as_str().trim_end_matches('/'),
            auth_id
        );
        let timeout = self.timeout.unwrap_or(Duration::from_secs(30));
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .user_agent(
                self.user_agent
                    .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned()),
            )
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(Error::Build)?;
        let limiter = self
            .limiter
            .unwrap_or_else(|| RateLimiter::new(self.rate_limit.unwrap_or_default()));
        Ok(PlivoClient {
            inner: Arc::new(Inner {
                http,
                auth_id,
                auth_token,
                base_url,
                account_url,
                retry: self.retry.unwrap_or_default(),
                limiter,
                timeout,
            }),
        })
    }
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let url =
        Url::parse(raw).map_err(|_| Error::invalid("base_url", raw, "must be an absolute URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "base_url",
            url.host_str().unwrap_or_default(),
            "must not embed credentials",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            "base_url",
            raw,
            "must not carry a query or fragment",
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" => {
            let loopback = match url.host() {
                Some(Host::Ipv4(ip)) => ip.is_loopback(),
                Some(Host::Ipv6(ip)) => ip.is_loopback(),
                Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                None => false,
            };
            if loopback {
                Ok(url)
            } else {
                Err(Error::invalid(
                    "base_url",
                    raw,
                    "plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost)",
                ))
            }
        }
        _ => Err(Error::invalid("base_url", raw, "scheme must be https")),
    }
}

/// A request as a value: method, path below `/v1/Account/{auth_id}/`, query and JSON body.
#[derive(Clone)]
pub(crate) struct ApiRequest {
    pub(crate) method: Method,
    /// Whether sending it twice has the effect of sending it once: [`Repeat::Safe`] for GET,
    /// DELETE, and a POST that sets a field to a value, such as a number's `app_id`.
    pub(crate) repeat: Repeat,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Option<serde_json::Value>,
}

impl fmt::Debug for ApiRequest {
    // Bodies can carry passwords: only their keys are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Option<Vec<&String>> = self
            .body
            .as_ref()
            .and_then(|b| b.as_object())
            .map(|m| m.keys().collect());
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_keys", &keys)
            .field("repeat", &self.repeat)
            .finish()
    }
}

impl ApiRequest {
    pub(crate) fn get(path: String) -> Self {
        Self {
            method: Method::GET,
            repeat: Repeat::Safe,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn delete(path: String) -> Self {
        Self {
            method: Method::DELETE,
            repeat: Repeat::Safe,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn post(path: String, body: &impl Serialize) -> Result<Self, Error> {
        let body = serde_json::to_value(body)
            .map_err(|_| Error::invalid("body", "", "could not be encoded as JSON"))?;
        Ok(Self {
            method: Method::POST,
            repeat: Repeat::Unsafe,
            path,
            query: Vec::new(),
            body: Some(body),
        })
    }

    /// Marks a POST that sets fields to given values (no create), so repeating it is safe.
    pub(crate) fn idempotent(mut self) -> Self {
        self.repeat = Repeat::Safe;
        self
    }

    /// How the retry loop may repeat it.
    pub(crate) fn repeat(&self) -> Repeat {
        self.repeat
    }

    pub(crate) fn with_query(mut self, query: Vec<(String, String)>) -> Self {
        self.query = query;
        self
    }
}

/// Encodes a filter struct as query pairs: `null`s dropped, booleans as `true`/`false`.
pub(crate) fn to_query(filter: &impl Serialize) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(filter) else {
        return Vec::new();
    };
    map.into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some((k, s)),
            other => Some((k, other.to_string())),
        })
        .collect()
}

/// Checks a page size.
pub(crate) fn check_limit(limit: Option<u32>) -> Result<u32, Error> {
    match limit {
        None => Ok(MAX_PAGE_SIZE),
        Some(l) if (1..=MAX_PAGE_SIZE).contains(&l) => Ok(l),
        Some(l) => Err(Error::invalid(
            "limit",
            l.to_string(),
            "must be between 1 and 20",
        )),
    }
}

/// A successful answer.
pub(crate) struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl PlivoClient {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Builds a client from `PLIVO_AUTH_ID`, `PLIVO_AUTH_TOKEN` and the optional `PLIVO_API_BASE_URL`.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), plivo_client::Error> {
    /// let client = plivo_client::PlivoClient::from_env()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the missing variable, or any error of [`ClientBuilder::build`].
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_with(|key| std::env::var(key).ok())
    }

    /// Like [`PlivoClient::from_env`], reading variables through `lookup` (for tests and config layers).
    ///
    /// ```
    /// let client = plivo_client::PlivoClient::from_env_with(|key| match key {
    ///     "PLIVO_AUTH_ID" => Some("MAXXXXXXXXXXXXXXXXXX".into()),
    ///     "PLIVO_AUTH_TOKEN" => Some("token".into()),
    ///     "PLIVO_API_BASE_URL" => Some("http://127.0.0.1:8080".into()),
    ///     _ => None,
    /// })
    /// .unwrap();
    /// assert_eq!(client.base_url().as_str(), "http://127.0.0.1:8080/");
    /// ```
    ///
    /// # Errors
    /// As [`PlivoClient::from_env`].
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Self::builder_from_env_with(lookup)?.build()
    }

    /// A builder preset from the environment variables, to adjust (retry, timeout) before building.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the missing variable.
    pub fn builder_from_env_with(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        let auth_id = lookup("PLIVO_AUTH_ID").ok_or_else(|| {
            Error::invalid("PLIVO_AUTH_ID", "", "environment variable is not set")
        })?;
        let token = lookup("PLIVO_AUTH_TOKEN").ok_or_else(|| {
            Error::invalid("PLIVO_AUTH_TOKEN", "", "environment variable is not set")
        })?;
        let mut b = Self::builder().auth_id(auth_id).auth_token(token);
        if let Some(url) = lookup("PLIVO_API_BASE_URL").filter(|u| !u.trim().is_empty()) {
            b = b.base_url(url);
        }
        Ok(b)
    }

    /// The account's Auth ID.
    pub fn auth_id(&self) -> &str {
        &self.inner.auth_id
    }

    /// The API base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The shared rate limiter (hand it to another client of the same account to share the budget).
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.inner.limiter
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: &ApiRequest,
    ) -> Result<T, Error> {
        let answer = self.execute(req).await?;
        decode(req, &answer)
    }

    /// Sends a create and reads the new id from `key` (a string, or a number kept as its digits).
    pub(crate) async fn send_create<Id: From<String>>(
        &self,
        req: &ApiRequest,
        key: &'static str,
    ) -> Result<Created<Id>, Error> {
        let answer = self.execute(req).await?;
        let body: serde_json::Map<String, serde_json::Value> = decode(req, &answer)?;
        let text = |k: &str| match body.get(k) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let id = text(key).ok_or_else(|| Error::Decode {
            method: req.method.clone(),
            path: req.path.clone(),
            status: answer.status,
            source: <serde_json::Error as serde::de::Error>::missing_field(key),
        })?;
        Ok(Created {
            api_id: text("api_id"),
            message: text("message"),
            id: Id::from(id),
        })
    }

    pub(crate) async fn send_unit(&self, req: &ApiRequest) -> Result<(), Error> {
        self.execute(req).await.map(|_| ())
    }

    pub(crate) async fn get_page<T: DeserializeOwned>(
        &self,
        path: String,
        mut query: Vec<(String, String)>,
        limit: u32,
        offset: u32,
    ) -> Result<Page<T>, Error> {
        query.retain(|(k, _)| k != "limit" && k != "offset");
        query.push(("limit".into(), limit.to_string()));
        query.push(("offset".into(), offset.to_string()));
        self.send_json(&ApiRequest::get(path).with_query(query))
            .await
    }

    /// Every object of a list, page by page by `offset` (never following `meta.next`).
    pub(crate) fn paginate<T: DeserializeOwned + Send + 'static>(
        &self,
        path: String,
        query: Vec<(String, String)>,
        limit: u32,
    ) -> BoxStream<'static, Result<T, Error>> {
        let client = self.clone();
        stream::try_unfold(Some(0_u32), move |state| {
            let client = client.clone();
            let path = path.clone();
            let query = query.clone();
            async move {
                let Some(offset) = state else {
                    return Ok(None);
                };
                let page: Page<T> = client.get_page(path, query, limit, offset).await?;
                let next = if page.is_last(limit, offset) {
                    None
                } else {
                    let len = u32::try_from(page.objects.len()).unwrap_or(u32::MAX);
                    Some(offset.saturating_add(len))
                };
                Ok(Some((stream::iter(page.objects.into_iter().map(Ok)), next)))
            }
        })
        .try_flatten()
        .boxed()
    }

    pub(crate) async fn collect_all<T: DeserializeOwned + Send + 'static>(
        &self,
        path: String,
        query: Vec<(String, String)>,
        limit: u32,
    ) -> Result<Vec<T>, Error> {
        self.paginate(path, query, limit).try_collect().await
    }

    /// Sends a request with rate limiting and retries.
    async fn execute(&self, req: &ApiRequest) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "plivo.request",
            method = %req.method,
            path = %req.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            waited_ms = tracing::field::Empty,
        );
        async {
            let outcome = self
                .inner
                .retry
                .run(req.repeat(), || self.attempt(req))
                .await;
            let span = tracing::Span::current();
            span.record("attempts", outcome.attempts);
            span.record(
                "waited_ms",
                u64::try_from(outcome.waited.as_millis()).unwrap_or(u64::MAX),
            );
            match &outcome.result {
                Ok(a) => {
                    span.record("status", a.status.as_u16());
                }
                Err(e) => {
                    if let Some(s) = e.status() {
                        span.record("status", s.as_u16());
                    }
                }
            }
            outcome.result
        }
        .instrument(span)
        .await
    }

    /// One attempt: waits for a rate-limit slot, sends, reads the whole answer.
    async fn attempt(&self, req: &ApiRequest) -> Result<Answer, Error> {
        let inner = &self.inner;
        let _slot = inner.limiter.acquire().await;
        let url = format!("{}{}", inner.account_url, req.path);
        let mut rb = inner
            .http
            .request(req.method.clone(), url)
            .basic_auth(&inner.auth_id, Some(inner.auth_token.expose_secret()));
        if !req.query.is_empty() {
            rb = rb.query(&req.query);
        }
        if let Some(body) = &req.body {
            rb = rb.json(body);
        }
        let response = rb.send().await.map_err(|e| classify(req, e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers(), SystemTime::now());
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::OutcomeUnknown {
                method: req.method.clone(),
                path: req.path.clone(),
                source,
            })?
            .to_vec();
        if status.is_success() {
            Ok(Answer { status, body })
        } else {
            Err(Error::Api(Box::new(api_error(
                req.method.clone(),
                req.path.clone(),
                status,
                &body,
                retry_after,
            ))))
        }
    }
}

fn classify(req: &ApiRequest, source: reqwest::Error) -> Error {
    if source.is_connect() || source.is_builder() {
        Error::Transport {
            method: req.method.clone(),
            path: req.path.clone(),
            source,
        }
    } else {
        Error::OutcomeUnknown {
            method: req.method.clone(),
            path: req.path.clone(),
            source,
        }
    }
}

fn decode<T: DeserializeOwned>(req: &ApiRequest, answer: &Answer) -> Result<T, Error> {
    let body: &[u8] = if answer.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &answer.body
    };
    serde_json::from_slice(body).map_err(|source| Error::Decode {
        method: req.method.clone(),
        path: req.path.clone(),
        status: answer.status,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert!(parse_base_url("https://api.plivo.com").is_ok());
        assert!(parse_base_url("http://127.0.0.1:9000").is_ok());
        assert!(parse_base_url("http://[::1]:9000").is_ok());
        assert!(parse_base_url("http://localhost:9000").is_ok());
        let err = parse_base_url("http://api.plivo.com").unwrap_err();
        assert!(err.to_string().contains("http://api.plivo.com"), "{err}");
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("api.plivo.com").is_err());
        let err = parse_base_url("https://user:hunter2@api.plivo.com").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn each_request_says_how_it_repeats() {
        assert_eq!(ApiRequest::get(String::new()).repeat(), Repeat::Safe);
        assert_eq!(ApiRequest::delete(String::new()).repeat(), Repeat::Safe);
        let create = ApiRequest::post(String::new(), &serde_json::json!({})).unwrap();
        assert_eq!(create.repeat(), Repeat::Unsafe);
        // A number's app_id: setting a field to a value.
        assert_eq!(create.idempotent().repeat(), Repeat::Safe);
    }

    #[test]
    fn query_encoding_drops_nulls() {
        #[derive(Serialize)]
        struct F {
            a: Option<String>,
            b: Option<bool>,
            c: Option<u32>,
        }
        let q = to_query(&F {
            a: None,
            b: Some(false),
            c: Some(3),
        });
        assert_eq!(
            q,
            vec![("b".into(), "false".into()), ("c".into(), "3".into())]
        );
    }

    #[test]
    fn request_debug_hides_body_values() {
        let req = ApiRequest::post(
            "Zentrunk/Credential/".into(),
            &serde_json::json!({"username": "u", "password": "s3cr3t!"}),
        )
        .unwrap();
        let dbg = format!("{req:?}");
        assert!(dbg.contains("password"));
        assert!(!dbg.contains("s3cr3t!"));
    }
}
