//! The tests' own server of the REST contract (`openapi.yaml`): a wiremock responder that routes each
//! request to a [`World`], as a deployment's API in front of its console would.

// Early returns carry a whole response; its size does not matter in a test server.
#![allow(clippy::result_large_err)]

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

pub const TOKEN: &str = "whv-test-token-7f3a";

pub struct Router {
    world: Arc<Mutex<World>>,
}

pub async fn start(world: World) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Router {
            world: Arc::new(Mutex::new(world)),
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

fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn ok<T: Serialize>(status: u16, v: &T) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(v)
}

fn items<T: Serialize>(v: &[T]) -> ResponseTemplate {
    ok(200, &json!({ "items": v }))
}

/// The contract's error bodies.
fn error(err: &Error) -> ResponseTemplate {
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
    ResponseTemplate::new(status).set_body_json(body)
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ResponseTemplate> {
    serde_json::from_slice(body).map_err(|e| {
        ResponseTemplate::new(400)
            .set_body_json(json!({"code": "bad_request", "message": e.to_string()}))
    })
}

fn field<T: std::str::FromStr>(body: &[u8], key: &str) -> Result<T, ResponseTemplate> {
    let v: Value = parse(body)?;
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            ResponseTemplate::new(400).set_body_json(json!({"code": "bad_request", "message": key}))
        })
}

fn path<T: std::str::FromStr>(s: &str) -> Result<T, ResponseTemplate> {
    s.parse().map_err(|_| {
        ResponseTemplate::new(400).set_body_json(json!({"code": "bad_request", "message": s}))
    })
}

fn result<T: Serialize>(status: u16, r: Result<T, Error>) -> ResponseTemplate {
    match r {
        Ok(v) => ok(status, &v),
        Err(e) => error(&e),
    }
}

fn empty(r: Result<(), Error>) -> ResponseTemplate {
    match r {
        Ok(()) => ResponseTemplate::new(204),
        Err(e) => error(&e),
    }
}

impl Respond for Router {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if auth != Some(&format!("Bearer {TOKEN}")) {
            return ResponseTemplate::new(401)
                .set_body_json(json!({"code": "unauthorized", "message": "bad token"}));
        }
        if req
            .headers
            .get("content-type")
            .is_some_and(|v| v != "application/json")
        {
            return ResponseTemplate::new(415);
        }
        let segments: Vec<String> = req.url.path_segments().unwrap().map(decode).collect();
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let mut world = self.world.lock().unwrap();
        match route(&mut world, req.method.as_str(), &segs, &req.body) {
            Ok(r) | Err(r) => r,
        }
    }
}

fn route(
    w: &mut World,
    method: &str,
    segs: &[&str],
    body: &[u8],
) -> Result<ResponseTemplate, ResponseTemplate> {
    let unknown = || {
        ResponseTemplate::new(599).set_body_string(format!("unexpected request {method} {segs:?}"))
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
                return Err(ResponseTemplate::new(400));
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
                return Err(ResponseTemplate::new(400));
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
                return Err(ResponseTemplate::new(400));
            }
            result(200, w.update_inventory_number(&n))
        }
        ("DELETE", ["numbers", number]) => empty(w.remove_inventory_number(&path(number)?)),
        _ => unknown(),
    })
}
