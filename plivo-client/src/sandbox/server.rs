//! HTTP plumbing: the listener, authentication, rate limit, fault injection and the request log.

use std::collections::{BTreeMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use super::api::{ApiError, Ctx, Query, Reply, State};
use super::{Fault, RequestRecord, SandboxError, TrunkGetShape};

/// Configuration and state shared by the handle and every connection.
pub(crate) struct Shared {
    pub auth_id: String,
    pub auth_token: SecretString,
    pub rate_limit: Option<(usize, Duration)>,
    pub hold: Duration,
    pub trunk_get_shape: TrunkGetShape,
    pub inner: Mutex<Inner>,
}

/// Everything that changes while the sandbox runs.
pub(crate) struct Inner {
    pub state: State,
    pub log: Vec<RequestRecord>,
    /// Requests received so far (fault slots count from here).
    pub seen: u64,
    pub faults: BTreeMap<u64, Fault>,
    pub clock_offset: Duration,
    served: VecDeque<Instant>,
    api_seq: u64,
    started: Instant,
}

impl Inner {
    pub(crate) fn new(state: State) -> Self {
        Self {
            state,
            log: Vec::new(),
            seen: 0,
            faults: BTreeMap::new(),
            clock_offset: Duration::ZERO,
            served: VecDeque::new(),
            api_seq: 0,
            started: Instant::now(),
        }
    }

    /// Seconds since the Unix epoch on the sandbox's clock.
    pub(crate) fn now_unix(&self) -> u64 {
        (SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            + self.clock_offset)
            .as_secs()
    }

    fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    /// Records one request against the window; `false` when it is over the limit.
    fn admit(&mut self, limit: Option<(usize, Duration)>) -> bool {
        let Some((max, window)) = limit else {
            return true;
        };
        let now = self.now();
        while self
            .served
            .front()
            .is_some_and(|&at| now.duration_since(at) >= window)
        {
            self.served.pop_front();
        }
        if self.served.len() >= max {
            return false;
        }
        self.served.push_back(now);
        true
    }
}

/// The error a handler returns to make hyper drop the connection without answering.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the sandbox")
    }
}

impl std::error::Error for ConnectionDropped {}

/// A TCP stream that, when asked to, closes with a reset (RST) instead of an orderly FIN.
struct ResettableStream {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for ResettableStream {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            // Zero linger turns the close into a reset; if it cannot be set the close is merely abrupt.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Binds `127.0.0.1:0` and spawns the accept loop.
pub(crate) async fn spawn(
    shared: Arc<Shared>,
) -> Result<(SocketAddr, JoinHandle<()>), SandboxError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(SandboxError::Bind)?;
    let addr = listener.local_addr().map_err(SandboxError::Bind)?;
    let task = tokio::spawn(accept_loop(listener, shared));
    Ok((addr, task))
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    // Dropping the set (when the task is aborted) aborts every connection.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve_connection(stream, Arc::clone(&shared)));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(ResettableStream {
        stream,
        reset: Arc::clone(&reset),
    });
    let service =
        service_fn(move |request| handle(Arc::clone(&shared), Arc::clone(&reset), request));
    // A failed connection (client gone, injected reset) needs no further handling.
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service)
        .await;
}

async fn handle(
    shared: Arc<Shared>,
    reset: Arc<AtomicBool>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ConnectionDropped> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let authorized = request
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| basic_auth_matches(value, &shared.auth_id, &shared.auth_token));
    let body = request
        .into_body()
        .collect()
        .await
        .map_err(|_| ConnectionDropped)?
        .to_bytes();

    let (reply, fault, api_id) = {
        let mut inner = shared.inner.lock().unwrap_or_else(PoisonError::into_inner);
        process(
            &shared,
            &mut inner,
            &method,
            &path,
            query.as_deref(),
            authorized,
            &body,
        )
    };
    let Some(reply) = reply else {
        reset.store(true, Ordering::SeqCst);
        return Err(ConnectionDropped);
    };
    if fault == Some(Fault::TimeoutAfterApply) {
        tokio::time::sleep(shared.hold).await;
    }
    respond(reply, &api_id)
}

fn process(
    shared: &Shared,
    inner: &mut Inner,
    method: &str,
    path: &str,
    query: Option<&str>,
    authorized: bool,
    body: &[u8],
) -> (Option<Reply>, Option<Fault>, String) {
    inner.seen += 1;
    inner.api_seq += 1;
    let api_id = format!(
        "{:08x}-5a4d-4a11-9000-{:012x}",
        0x5a4d_b0c5_u32, inner.api_seq
    );
    let fault = inner.faults.remove(&inner.seen);
    let reply = match fault {
        Some(Fault::ConnectionReset) => None,
        Some(Fault::ServerError(status)) => {
            let message = match status {
                500 => "internal server error",
                502 => "bad gateway",
                503 => "service unavailable",
                504 => "gateway timeout",
                _ => "server error",
            };
            Some(ApiError::new(status, message).into_reply(&api_id))
        }
        Some(Fault::TimeoutAfterApply) | None => Some(
            answer(
                shared, inner, &api_id, method, path, query, authorized, body,
            )
            .unwrap_or_else(|error| error.into_reply(&api_id)),
        ),
    };
    let received = inner.now().duration_since(inner.started);
    inner.log.push(RequestRecord {
        received,
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.map(str::to_owned),
        status: reply.as_ref().map(|r| r.status),
        fault,
    });
    (reply, fault, api_id)
}

#[allow(clippy::too_many_arguments)]
fn answer(
    shared: &Shared,
    inner: &mut Inner,
    api_id: &str,
    method: &str,
    path: &str,
    query: Option<&str>,
    authorized: bool,
    body: &[u8],
) -> Result<Reply, ApiError> {
    if !authorized {
        return Err(ApiError::new(
            401,
            "authentication credentials were not provided or are invalid",
        ));
    }
    if !inner.admit(shared.rate_limit) {
        return Err(ApiError::new(
            429,
            "too many requests: the account's rate limit is exceeded, retry later",
        ));
    }
    let rest = path
        .strip_prefix("/v1/Account/")
        .ok_or_else(|| ApiError::new(404, format!("no resource at {path}")))?;
    let rest = rest.strip_suffix('/').ok_or_else(|| {
        ApiError::new(
            404,
            format!("no resource at {path}: paths end with a slash"),
        )
    })?;
    let mut segments = rest.split('/');
    let account = segments.next().unwrap_or_default();
    if account != shared.auth_id {
        return Err(ApiError::new(
            401,
            format!("account {account} does not match the authenticated account"),
        ));
    }
    let resource: Vec<&str> = segments.collect();
    let query: Query = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let ctx = Ctx {
        api_id,
        now: inner.now_unix(),
        trunk_get_shape: shared.trunk_get_shape,
    };
    Ok(inner.state.handle(&ctx, method, &resource, &query, body))
}

fn respond(reply: Reply, api_id: &str) -> Result<Response<Full<Bytes>>, ConnectionDropped> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let builder = Response::builder()
        .status(status)
        .header("x-request-id", api_id);
    let response = match reply.body {
        Some(body) => builder
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body.to_string()))),
        None => builder.body(Full::new(Bytes::new())),
    };
    response.map_err(|_| ConnectionDropped)
}

/// Whether an `Authorization` header carries HTTP Basic credentials for this account.
fn basic_auth_matches(header: &str, auth_id: &str, auth_token: &SecretString) -> bool {
    let Some((scheme, encoded)) = header.trim().split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let expected = base64(format!("{auth_id}:{}", auth_token.expose_secret()).as_bytes());
    encoded.trim() == expected
}

/// Standard base64 with padding.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let bytes = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_base64() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn checks_basic_auth() {
        let token = SecretString::from("open sesame");
        assert!(basic_auth_matches(
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            "Aladdin",
            &token
        ));
        assert!(basic_auth_matches(
            "basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            "Aladdin",
            &token
        ));
        assert!(!basic_auth_matches(
            "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            "Aladdin",
            &token
        ));
        assert!(!basic_auth_matches("Basic Zm9v", "Aladdin", &token));
        assert!(!basic_auth_matches("", "Aladdin", &token));
    }

    #[test]
    fn rate_window_slides() {
        let mut inner = Inner::new(State::new("A".into(), Vec::new()));
        let limit = Some((2, Duration::from_secs(5)));
        assert!(inner.admit(limit));
        assert!(inner.admit(limit));
        assert!(!inner.admit(limit));
        inner.clock_offset += Duration::from_secs(5);
        assert!(inner.admit(limit));
        assert!(inner.admit(limit));
        assert!(!inner.admit(limit));
        assert!(inner.admit(None));
    }
}
