//! The HTTP backend against wiremock: the exact request of every operation, error bodies, retries of
//! reads on 429/503, and secrets kept out of Debug, errors and logs. Every request these tests make
//! is also checked against `openapi.yaml` (see `contract`).

// One test walks every operation, and the secrets test gathers every rendering into one string:
// both read best as they are.
#![allow(clippy::too_many_lines, clippy::format_push_string)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};
use wehostvoip_client::{Error, Http, HttpConfig, Kind, WeHostVoip};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::contract::{assert_conforms, assert_requests_conform};
use crate::fixtures::{NUMBER, inventory_number, plivo_carrier, security_group, tenant};
use crate::server::{Canned, Recording, Reply, TOKEN, Waits, client, client_with, test_policy};

/// Mounted last: any request no other mock expected fails the test with its method and path.
async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(|req: &wiremock::Request| {
            ResponseTemplate::new(599).set_body_string(format!(
                "unexpected request {} {}",
                req.method,
                req.url.path()
            ))
        })
        .expect(0)
        .mount(server)
        .await;
}

/// Expects one request and answers it; the exchange goes into `recording` for the contract check.
async fn expect_call(
    (server, recording): (&MockServer, &Recording),
    verb: &str,
    at: &str,
    body: Option<Value>,
    status: u16,
    reply: Option<Value>,
) {
    let mut mock = Mock::given(method(verb))
        .and(path(at))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()));
    if let Some(body) = body {
        mock = mock.and(body_json(body));
    }
    mock.respond_with(Canned {
        reply: Reply::new(status, reply),
        recording: recording.clone(),
    })
    .expect(1)
    .mount(server)
    .await;
}

#[tokio::test]
async fn every_operation_sends_the_contract_request() {
    let mock_server = MockServer::start().await;
    let recording = Recording::default();
    let server = (&mock_server, &recording);
    let carrier = plivo_carrier();
    let carrier_json = serde_json::to_value(&carrier).unwrap();
    let group = security_group(&["US"], &["18"]);
    let group_json = serde_json::to_value(&group).unwrap();
    let number = inventory_number();
    let number_json = serde_json::to_value(&number).unwrap();
    let t = "/v1/tenants/acme.hobot.wehostvoip.io";
    let tenant_json = json!({"domain": crate::fixtures::TENANT, "carrier": "plivo-acme"});
    let sub_json =
        json!({"extension": "1001", "username": null, "security_group": "plivo-outbound"});
    let assignment = json!({"number": NUMBER, "extension": "1001"});

    expect_call(
        server,
        "GET",
        "/v1/carriers",
        None,
        200,
        Some(json!({"items": [carrier_json]})),
    )
    .await;
    expect_call(
        server,
        "GET",
        "/v1/carriers/plivo-acme",
        None,
        200,
        Some(carrier_json.clone()),
    )
    .await;
    expect_call(
        server,
        "POST",
        "/v1/carriers",
        Some(carrier_json.clone()),
        201,
        Some(carrier_json.clone()),
    )
    .await;
    expect_call(
        server,
        "PUT",
        "/v1/carriers/plivo-acme",
        Some(carrier_json.clone()),
        200,
        Some(carrier_json.clone()),
    )
    .await;
    expect_call(server, "DELETE", "/v1/carriers/plivo-acme", None, 204, None).await;
    expect_call(
        server,
        "PUT",
        "/v1/carriers/plivo-acme/caller-id",
        Some(json!({"caller_id": NUMBER})),
        200,
        Some(carrier_json.clone()),
    )
    .await;
    expect_call(
        server,
        "GET",
        "/v1/tenants",
        None,
        200,
        Some(json!({"items": [tenant_json]})),
    )
    .await;
    expect_call(server, "GET", t, None, 200, Some(tenant_json.clone())).await;
    expect_call(
        server,
        "PUT",
        &format!("{t}/carrier"),
        Some(json!({"carrier": "plivo-acme"})),
        200,
        Some(tenant_json.clone()),
    )
    .await;
    expect_call(
        server,
        "DELETE",
        &format!("{t}/carrier"),
        None,
        200,
        Some(json!({"domain": crate::fixtures::TENANT, "carrier": null})),
    )
    .await;
    expect_call(
        server,
        "GET",
        &format!("{t}/security-groups"),
        None,
        200,
        Some(json!({"items": [group_json]})),
    )
    .await;
    expect_call(
        server,
        "PATCH",
        &format!("{t}/security-groups/plivo-outbound"),
        Some(group_json.clone()),
        200,
        Some(group_json.clone()),
    )
    .await;
    expect_call(
        server,
        "PUT",
        &format!("{t}/subscribers/1001/security-group"),
        Some(json!({"security_group": "plivo-outbound"})),
        200,
        Some(sub_json.clone()),
    )
    .await;
    expect_call(
        server,
        "GET",
        &format!("{t}/subscribers"),
        None,
        200,
        Some(json!({"items": [sub_json]})),
    )
    .await;
    expect_call(
        server,
        "GET",
        "/v1/numbers",
        None,
        200,
        Some(json!({"items": [number_json]})),
    )
    .await;
    expect_call(
        server,
        "POST",
        "/v1/numbers",
        Some(number_json.clone()),
        201,
        Some(number_json.clone()),
    )
    .await;
    expect_call(
        server,
        "PUT",
        "/v1/numbers/+14155550100",
        Some(number_json.clone()),
        200,
        Some(number_json.clone()),
    )
    .await;
    expect_call(
        server,
        "DELETE",
        "/v1/numbers/+14155550100",
        None,
        204,
        None,
    )
    .await;
    expect_call(
        server,
        "GET",
        &format!("{t}/phone-numbers"),
        None,
        200,
        Some(json!({"items": [assignment]})),
    )
    .await;
    expect_call(
        server,
        "PUT",
        &format!("{t}/phone-numbers/+14155550100"),
        Some(json!({"extension": "1001"})),
        200,
        Some(assignment.clone()),
    )
    .await;
    expect_call(
        server,
        "DELETE",
        &format!("{t}/phone-numbers/+14155550100"),
        None,
        204,
        None,
    )
    .await;
    catch_all(&mock_server).await;

    let b = client(&mock_server);
    let n: wehostvoip_client::E164 = NUMBER.parse().unwrap();
    let ext: wehostvoip_client::Extension = "1001".parse().unwrap();
    assert_eq!(b.list_carriers().await.unwrap(), vec![carrier.clone()]);
    assert_eq!(
        b.get_carrier(&carrier.name).await.unwrap(),
        Some(carrier.clone())
    );
    assert_eq!(b.create_carrier(&carrier).await.unwrap(), carrier);
    assert_eq!(b.update_carrier(&carrier).await.unwrap(), carrier);
    b.delete_carrier(&carrier.name).await.unwrap();
    assert_eq!(b.set_caller_id(&carrier.name, &n).await.unwrap(), carrier);
    let tenants = b.list_tenants().await.unwrap();
    assert_eq!(tenants[0].carrier.as_ref(), Some(&carrier.name));
    assert_eq!(
        b.get_tenant(&tenant()).await.unwrap(),
        Some(tenants[0].clone())
    );
    assert_eq!(
        b.bind_tenant_carrier(&tenant(), &carrier.name)
            .await
            .unwrap(),
        tenants[0]
    );
    assert_eq!(
        b.unbind_tenant_carrier(&tenant()).await.unwrap().carrier,
        None
    );
    assert_eq!(
        b.list_security_groups(&tenant()).await.unwrap(),
        vec![group.clone()]
    );
    assert_eq!(
        b.ensure_security_group(&tenant(), &group).await.unwrap(),
        group
    );
    let sub = b
        .assign_security_group(&tenant(), &ext, &group.name)
        .await
        .unwrap();
    assert_eq!(sub.security_group.as_ref(), Some(&group.name));
    assert_eq!(b.list_subscribers(&tenant()).await.unwrap(), vec![sub]);
    assert_eq!(b.list_inventory().await.unwrap(), vec![number.clone()]);
    assert_eq!(b.add_inventory_number(&number).await.unwrap(), number);
    assert_eq!(b.update_inventory_number(&number).await.unwrap(), number);
    b.remove_inventory_number(&n).await.unwrap();
    assert_eq!(b.list_phone_numbers(&tenant()).await.unwrap().len(), 1);
    assert_eq!(
        b.assign_number(&tenant(), &n, &ext)
            .await
            .unwrap()
            .extension,
        ext
    );
    b.unassign_number(&tenant(), &n).await.unwrap();
    // The requests and the answers written above are the contract's, one of each operation.
    assert_conforms(&recording.exchanges(), true);
    // `expect(1)` on every mock and `expect(0)` on the catch-all are checked when the server drops.
}

#[tokio::test]
async fn invalid_input_is_refused_before_any_request() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let b = client(&server);
    let mut carrier = plivo_carrier();
    carrier.gateways.clear();
    assert!(matches!(
        b.create_carrier(&carrier).await.unwrap_err(),
        Error::Invalid { .. }
    ));
    let mut number = inventory_number();
    number.source = "bad\u{7}".into();
    assert!(matches!(
        b.add_inventory_number(&number).await.unwrap_err(),
        Error::Invalid { .. }
    ));
}

#[tokio::test]
async fn error_bodies_become_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1/carriers"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"code": "already_exists", "kind": "carrier", "name": "plivo-acme", "message": "carrier exists"})))
        .expect(1).mount(&server).await;
    Mock::given(method("DELETE")).and(path("/v1/numbers/+14155550100"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"code": "in_use", "kind": "inventory_number", "name": NUMBER, "used_by": "extension 1001"})))
        .expect(1).mount(&server).await;
    Mock::given(method("PUT"))
        .and(path(
            "/v1/tenants/acme.hobot.wehostvoip.io/phone-numbers/+14155550100",
        ))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(json!({"code": "not_in_inventory", "name": NUMBER})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/carriers/plivo-acme"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"code": "not_found", "kind": "carrier", "name": "plivo-acme"}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/tenants"))
        .respond_with(
            ResponseTemplate::new(500).set_body_string("<html>upstream console timed out</html>"),
        )
        // A read answered 500 is repeated (the workspace's one retry rule): 1 + 2 retries.
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [{"number": "14155550100"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/carriers/plivo-acme"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "unauthorized", "message": "token expired"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;

    let b = client(&server);
    let carrier = plivo_carrier();
    let err = b.create_carrier(&carrier).await.unwrap_err();
    assert!(
        matches!(&err, Error::AlreadyExists { kind: Kind::Carrier, name } if name == "plivo-acme"),
        "{err:?}"
    );
    let err = b
        .remove_inventory_number(&NUMBER.parse().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InUse { used_by, .. } if used_by == "extension 1001"),
        "{err:?}"
    );
    let err = b
        .assign_number(
            &tenant(),
            &NUMBER.parse().unwrap(),
            &"1001".parse().unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotInInventory { number } if number == NUMBER),
        "{err:?}"
    );
    assert_eq!(
        b.get_carrier(&carrier.name).await.unwrap(),
        None,
        "404 on a single read means absent"
    );
    let err = b.list_tenants().await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.is_retryable());
    assert!(
        err.to_string().contains("upstream console timed out"),
        "{err}"
    );
    let err = b.list_inventory().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(
        std::error::Error::source(&err)
            .unwrap()
            .to_string()
            .contains("must start with '+'")
    );
    let err = b.update_carrier(&carrier).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 401 && api.code.as_deref() == Some("unauthorized")),
        "{err:?}"
    );
    assert!(err.to_string().contains("token expired"));
    assert_requests_conform(&server).await;
}

#[tokio::test]
async fn reads_are_retried_on_429_and_503_honouring_a_capped_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/carriers"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/carriers"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/carriers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let waits = Arc::new(Waits::default());
    let b = client_with(&server, test_policy(waits.clone()));
    assert_eq!(b.list_carriers().await.unwrap(), vec![]);
    // The backoff's 10 ms after the 503; Retry-After: 3600 capped by the policy at 50 ms.
    assert_eq!(waits.millis(), vec![10, 50]);
    assert_requests_conform(&server).await;
}

#[tokio::test]
async fn reads_give_up_after_the_policy_and_writes_are_repeated_only_when_they_did_not_run() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"code": "unavailable", "message": "console maintenance"})),
        )
        .expect(3)
        .mount(&server)
        .await;
    // A write answered 503 may have run: never repeated.
    Mock::given(method("POST"))
        .and(path("/v1/numbers"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    // A write answered 429 did not run: repeated until the policy's total wait (100 ms) would be
    // passed: Retry-After 1 s capped at 50 ms, twice.
    Mock::given(method("PUT"))
        .and(path("/v1/tenants/acme.hobot.wehostvoip.io/carrier"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .expect(3)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let waits = Arc::new(Waits::default());
    let b = client_with(&server, test_policy(waits.clone()));
    let err = b.list_inventory().await.unwrap_err();
    assert!(err.is_retryable());
    assert!(
        matches!(&err, Error::Api(api) if api.status == 503 && api.message == "console maintenance"),
        "{err:?}"
    );
    assert_eq!(waits.millis(), vec![10, 20]);
    let err = b
        .add_inventory_number(&inventory_number())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(!err.is_retryable(), "a POST that may have run");
    assert_eq!(waits.millis(), vec![10, 20], "no wait for the POST");
    let err = b
        .bind_tenant_carrier(&tenant(), &plivo_carrier().name)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.retry_after == Some(Duration::from_secs(1))),
        "{err:?}"
    );
    assert_eq!(waits.millis(), vec![10, 20, 50, 50]);
    assert_requests_conform(&server).await;
}

#[tokio::test]
async fn a_refused_connection_is_reported_as_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut config = HttpConfig::new(
        format!("http://127.0.0.1:{port}/v1").parse().unwrap(),
        SecretString::from(TOKEN),
    );
    let waits = Arc::new(Waits::default());
    config.retry = test_policy(waits.clone()).max_retries(1);
    let b = Http::new(config).unwrap();
    let err = b.list_carriers().await.unwrap_err();
    assert!(matches!(err, Error::NotSent { .. }), "{err:?}");
    assert!(err.is_retryable());
    let err = b.create_carrier(&plivo_carrier()).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotSent { method, path, .. } if method == "POST" && path == "/carriers"),
        "{err:?}"
    );
    // Never sent, so safe to repeat even for a create: one retry each.
    assert_eq!(waits.millis(), vec![10, 10]);
}

#[test]
fn bad_settings_are_refused_without_showing_the_token() {
    let err = Http::new(HttpConfig::new(
        "ftp://x.example/".parse().unwrap(),
        SecretString::from(TOKEN),
    ))
    .unwrap_err();
    assert!(matches!(
        err,
        Error::Invalid {
            what: "API base URL",
            ..
        }
    ));
    let bad_token = format!("{TOKEN}\n");
    let err = Http::new(HttpConfig::new(
        "https://x.example/".parse().unwrap(),
        SecretString::from(bad_token),
    ))
    .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

static LOGS: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_never_appears_in_debug_errors_or_logs() {
    // A global subscriber: tracing caches per-callsite interest across threads, so a thread-local one
    // can miss events while other tests run in parallel. It captures every test's logs, which only
    // widens the check below.
    let logs = LOGS
        .get_or_init(|| {
            let logs = Captured::default();
            let sink = logs.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || sink.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).unwrap();
            logs
        })
        .clone();

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/carriers"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/carriers"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "unauthorized", "message": "bad token"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    catch_all(&server).await;
    let b = client(&server);
    let mut seen = format!("{b:?}");
    let mut config = HttpConfig::new(server.uri().parse().unwrap(), SecretString::from(TOKEN));
    config.timeout = Duration::from_secs(1);
    seen.push_str(&format!("{config:?}"));
    for err in [
        b.list_carriers().await.unwrap_err(),
        b.create_carrier(&plivo_carrier()).await.unwrap_err(),
    ] {
        seen.push_str(&format!("{err} {err:?}"));
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            seen.push_str(&format!("{s} {s:?}"));
            source = s.source();
        }
    }
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("retrying request"), "{logged}");
    assert!(seen.contains("/carriers"));
    assert!(!seen.contains(TOKEN), "{seen}");
    assert!(!logged.contains(TOKEN), "{logged}");
    // The server did receive it: it is sent, only never shown.
    let received = server.received_requests().await.unwrap();
    assert!(
        received
            .iter()
            .all(|r| r.headers.get("authorization").unwrap() == format!("Bearer {TOKEN}").as_str())
    );
    assert_requests_conform(&server).await;
}
