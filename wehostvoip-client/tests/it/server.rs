//! The tests' own server of the REST contract (`openapi.yaml`): a wiremock responder that routes each
//! request to a [`World`], as a deployment's API in front of its console would, and records every
//! exchange so that `contract` can check it against the file.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use serde::Serialize;
use serde_json::{Value, json};
use wehostvoip_client::{Error, Http, HttpConfig, RetryPolicy, Sleeper, World};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::contract::Exchange;

pub const TOKEN: &str = "whv-test-token-7f3a";

/// Exchanges recorded by one or more servers, in the order they were answered.
#[derive(Clone, Default)]
pub struct Recording(Arc<Mutex<Vec<Exchange>>>);

impl Recording {
    fn push(&self, exchange: Exchange) {
        self.0.lock().unwrap().push(exchange);
    }

    /// Everything recorded so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.0.lock().unwrap().clone()
    }
}

/// An answer, kept as data so that it can be recorded before wiremock sends it.
pub struct Reply {
    status: u16,
    body: Option<Value>,
}

impl Reply {
    pub fn new(status: u16, body: Option<Value>) -> Self {
        Self { status, body }
    }

    fn template(&self) -> ResponseTemplate {
        let template = ResponseTemplate::new(self.status);
        match &self.body {
            Some(body) => template.set_body_json(body),
            None => template,
        }
    }
}

/// A fixed answer that records the exchange it ends.
pub struct Canned {
    pub reply: Reply,
    pub recording: Recording,
}

impl Respond for Canned {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.recording
            .push(Exchange::request(req).answered(self.reply.status, self.reply.body.clone()));
        self.reply.template()
    }
}

pub struct Router {
    world: Arc<Mutex<World>>,
    recording: Recording,
}

/// A server of the contract over `world` that records every exchange into `recording`.
pub async fn start(world: World, recording: &Recording) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Router {
            world: Arc::new(Mutex::new(world)),
            recording: recording.clone(),
        })
        .mount(&server)
        .await;
    server
}

pub fn client(server: &MockServer) -> Http {
    client_with(server, test_policy(Arc::new(Waits::default())))
}

pub fn client_with(server: &MockServer, retry: RetryPolicy) -> Http {
    let mut config = HttpConfig::new(
        format!("{}/v1/", server.uri()).parse().unwrap(),
        SecretString::from(TOKEN),
    );
    config.retry = retry;
    Http::new(config).unwrap()
}

/// The tests' retry policy: 2 retries, backoff 10 ms then 20 ms (no jitter), `Retry-After` capped
/// at 50 ms, 100 ms of waiting at most; `waits` records each wait and nothing really sleeps.
pub fn test_policy(waits: Arc<Waits>) -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(2)
        .jitter(false)
        .min_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(20))
        .retry_after_cap(Duration::from_millis(50))
        .max_total_wait(Duration::from_millis(100))
        .sleeper(waits)
}

/// A sleeper that records the waits asked of it and returns at once.
#[derive(Debug, Default)]
pub struct Waits(Mutex<Vec<Duration>>);

impl Waits {
    /// The waits so far, in milliseconds.
    pub fn millis(&self) -> Vec<u128> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(Duration::as_millis)
            .collect()
    }
}

impl Sleeper for Waits {
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(delay);
        Box::pin(std::future::ready(()))
    }
}

fn ok<T: Serialize>(status: u16, v: &T) -> Reply {
    Reply::new(status, Some(serde_json::to_value(v).unwrap()))
}

fn items<T: Serialize>(v: &[T]) -> Reply {
    ok(200, &json!({ "items": v }))
}

fn bad_request(message: &str) -> Reply {
    Reply::new(
        400,
        Some(json!({"code": "bad_request", "message": message})),
    )
}

/// The contract's error bodies.
fn error(err: &Error) -> Reply {
    let (status, body) = match err {
        Error::NotFound { kind, name } => (
            404,
            json!({"code": "not_found", "kind": kind, "name": name, "message": err.to_string()}),
        ),
        Error::AlreadyExists { kind, name } => (
            409,
            json!({"code": "already_exists", "kind": kind, "name": name, "message": err.to_string()}),
        ),
        Error::InUse {
            kind,
            name,
            used_by,
        } => (
            409,
            json!({"code": "in_use", "kind": kind, "name": name, "used_by": used_by, "message": err.to_string()}),
        ),
        Error::NotInInventory { number } => (
            422,
            json!({"code": "not_in_inventory", "name": number, "message": err.to_string()}),
        ),
        Error::AlreadyAssigned { number, extension } => (
            409,
            json!({"code": "already_assigned", "name": number, "extension": extension, "message": err.to_string()}),
        ),
        other => (
            422,
            json!({"code": "invalid", "message": other.to_string()}),
        ),
    };
    Reply::new(status, Some(body))
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Reply> {
    serde_json::from_slice(body).map_err(|e| bad_request(&e.to_string()))
}

fn field<T: std::str::FromStr>(body: &[u8], key: &str) -> Result<T, Reply> {
    let v: Value = parse(body)?;
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad_request(key))
}

fn path<T: std::str::FromStr>(s: &str) -> Result<T, Reply> {
    s.parse().map_err(|_| bad_request(s))
}

fn result<T: Serialize>(status: u16, r: Result<T, Error>) -> Reply {
    match r {
        Ok(v) => ok(status, &v),
        Err(e) => error(&e),
    }
}

fn empty(r: Result<(), Error>) -> Reply {
    match r {
        Ok(()) => Reply::new(204, None),
        Err(e) => error(&e),
    }
}

impl Router {
    fn answer(&self, req: &Request) -> Reply {
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if auth != Some(&format!("Bearer {TOKEN}")) {
            return Reply::new(
                401,
                Some(json!({"code": "unauthorized", "message": "bad token"})),
            );
        }
        if req
            .headers
            .get("content-type")
            .is_some_and(|v| v != "application/json")
        {
            return Reply::new(415, None);
        }
        let segments: Vec<String> = match req
            .url
            .path_segments()
            .unwrap()
            .map(crate::contract::decode_segment)
            .collect()
        {
            Ok(s) => s,
            Err(e) => return bad_request(&e),
        };
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let mut world = self.world.lock().unwrap();
        match route(&mut world, req.method.as_str(), &segs, &req.body) {
            Ok(r) | Err(r) => r,
        }
    }
}

impl Respond for Router {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let reply = self.answer(req);
        self.recording
            .push(Exchange::request(req).answered(reply.status, reply.body.clone()));
        reply.template()
    }
}

fn route(w: &mut World, method: &str, segs: &[&str], body: &[u8]) -> Result<Reply, Reply> {
    let unknown = || {
        Reply::new(
            599,
            Some(json!({"code": "unexpected_request", "message": format!("{method} {segs:?}")})),
        )
    };
    let Some(("v1", rest)) = segs.split_first().map(|(a, b)| (*a, b)) else {
        return Err(unknown());
    };
    Ok(match (method, rest) {
        ("GET", ["carriers"]) => items(&w.list_carriers()),
        ("POST", ["carriers"]) => result(201, w.create_carrier(&parse(body)?)),
        ("GET", ["carriers", name]) => match w.get_carrier(&path(name)?) {
            Some(c) => ok(200, &c),
            None => error(&Error::NotFound {
                kind: wehostvoip_client::Kind::Carrier,
                name: (*name).to_owned(),
            }),
        },
        ("PUT", ["carriers", name]) => {
            let carrier: wehostvoip_client::Carrier = parse(body)?;
            if carrier.name.as_str() != *name {
                return Err(bad_request("the body names another object than the path"));
            }
            result(200, w.update_carrier(&carrier))
        }
        ("DELETE", ["carriers", name]) => empty(w.delete_carrier(&path(name)?)),
        ("PUT", ["carriers", name, "caller-id"]) => result(
            200,
            w.set_caller_id(&path(name)?, &field(body, "caller_id")?),
        ),
        ("GET", ["tenants"]) => items(&w.list_tenants()),
        ("GET", ["tenants", domain]) => match w.get_tenant(&path(domain)?) {
            Some(t) => ok(200, &t),
            None => error(&Error::NotFound {
                kind: wehostvoip_client::Kind::Tenant,
                name: (*domain).to_owned(),
            }),
        },
        ("PUT", ["tenants", domain, "carrier"]) => result(
            200,
            w.bind_tenant_carrier(&path(domain)?, &field(body, "carrier")?),
        ),
        ("DELETE", ["tenants", domain, "carrier"]) => {
            result(200, w.unbind_tenant_carrier(&path(domain)?))
        }
        ("GET", ["tenants", domain, "security-groups"]) => {
            match w.list_security_groups(&path(domain)?) {
                Ok(v) => items(&v),
                Err(e) => error(&e),
            }
        }
        ("PATCH", ["tenants", domain, "security-groups", name]) => {
            let group: wehostvoip_client::SecurityGroup = parse(body)?;
            if group.name.as_str() != *name {
                return Err(bad_request("the body names another object than the path"));
            }
            result(200, w.ensure_security_group(&path(domain)?, &group))
        }
        ("GET", ["tenants", domain, "subscribers"]) => match w.list_subscribers(&path(domain)?) {
            Ok(v) => items(&v),
            Err(e) => error(&e),
        },
        ("PUT", ["tenants", domain, "subscribers", ext, "security-group"]) => result(
            200,
            w.assign_security_group(&path(domain)?, &path(ext)?, &field(body, "security_group")?),
        ),
        ("GET", ["tenants", domain, "phone-numbers"]) => match w.list_phone_numbers(&path(domain)?)
        {
            Ok(v) => items(&v),
            Err(e) => error(&e),
        },
        ("PUT", ["tenants", domain, "phone-numbers", number]) => result(
            200,
            w.assign_number(&path(domain)?, &path(number)?, &field(body, "extension")?),
        ),
        ("DELETE", ["tenants", domain, "phone-numbers", number]) => {
            empty(w.unassign_number(&path(domain)?, &path(number)?))
        }
        ("GET", ["numbers"]) => items(&w.list_inventory()),
        ("POST", ["numbers"]) => result(201, w.add_inventory_number(&parse(body)?)),
        ("PUT", ["numbers", number]) => {
            let n: wehostvoip_client::InventoryNumber = parse(body)?;
            if n.number.as_str() != *number {
                return Err(bad_request("the body names another object than the path"));
            }
            result(200, w.update_inventory_number(&n))
        }
        ("DELETE", ["numbers", number]) => empty(w.remove_inventory_number(&path(number)?)),
        _ => unknown(),
    })
}
