//! Retries, Retry-After, outcome-unknown and transport errors. No test sleeps: the retry sleeper
//! records delays and returns at once.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use plivo_client::{CreateIpAcl, Error, PlivoClient, RateLimit, RetryPolicy, TrunkId};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::{AUTH_ID, RecordingSleeper, TOKEN, client_for, fixture, on, server, test_policy};

fn trunk_body() -> serde_json::Value {
    fixture("cli_zentrunkTrunkGetResponse_prod.json")
}

const TRUNK: &str = "Zentrunk/Trunk/42741122632602585/";

fn trunk_id() -> TrunkId {
    TrunkId::new("42741122632602585")
}

#[tokio::test]
async fn get_429_with_retry_after_seconds_waits_that_long() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(200).set_body_json(trunk_body()))
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    client.trunks().get(&trunk_id()).await.unwrap();
    assert_eq!(sleeper.delays(), [Duration::from_secs(3)]);
}

#[tokio::test]
async fn retry_after_http_date_is_honoured_and_long_waits_are_capped() {
    let server = server().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", date.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "3600"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(200).set_body_json(trunk_body()))
        .expect(1)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .retry(
            test_policy(&sleeper)
                .retry_after_cap(Duration::from_secs(20))
                .max_total_wait(Duration::from_secs(60)),
        )
        .build()
        .unwrap();
    client.trunks().get(&trunk_id()).await.unwrap();
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 2);
    // The HTTP date is whole seconds, so the wait is between 8 and 10 s.
    assert!(
        delays[0] >= Duration::from_secs(8) && delays[0] <= Duration::from_secs(10),
        "{delays:?}"
    );
    assert_eq!(delays[1], Duration::from_secs(20));
}

#[tokio::test]
async fn get_429_without_retry_after_uses_backoff() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(
            ResponseTemplate::new(429).set_body_json(json!({"error": "too many requests"})),
        )
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(200).set_body_json(trunk_body()))
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    client.trunks().get(&trunk_id()).await.unwrap();
    assert_eq!(
        sleeper.delays(),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn get_503_then_success() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(200).set_body_json(trunk_body()))
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    let t = client.trunks().get(&trunk_id()).await.unwrap();
    assert_eq!(t.trunk_id, trunk_id());
    assert_eq!(sleeper.delays().len(), 1);
}

#[tokio::test]
async fn retries_stop_after_max_retries_and_return_the_last_answer() {
    let server = server().await;
    on("DELETE", TRUNK)
        .respond_with(ResponseTemplate::new(502).set_body_json(json!({"error": "bad gateway"})))
        .expect(3)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    let err = client.trunks().delete(&trunk_id()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.is_retryable());
    assert_eq!(sleeper.delays().len(), 2);
}

#[tokio::test]
async fn total_wait_budget_stops_retrying() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "20"))
        .expect(1)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .retry(test_policy(&sleeper).max_total_wait(Duration::from_secs(10)))
        .build()
        .unwrap();
    let err = client.trunks().get(&trunk_id()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        err.api_error().unwrap().retry_after,
        Some(Duration::from_secs(20))
    );
    assert!(sleeper.delays().is_empty());
}

#[tokio::test]
async fn post_500_and_503_are_not_retried() {
    let server = server().await;
    on("POST", "Zentrunk/IPAccessControlList/")
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"api_id": "e1", "error": "internal"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/IPAccessControlList/")
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    let body = CreateIpAcl::new(["203.0.113.10"]);
    let err = client.ip_acls().create(&body).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(!err.is_retryable());
    let err = client.ip_acls().create(&body).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(sleeper.delays().is_empty());
}

#[tokio::test]
async fn post_429_is_retried_because_it_was_not_executed() {
    let server = server().await;
    on("POST", "Zentrunk/IPAccessControlList/")
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/IPAccessControlList/")
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("docs_zentrunkIPACLCreateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    client
        .ip_acls()
        .create(&CreateIpAcl::new(["203.0.113.10"]))
        .await
        .unwrap();
    assert_eq!(sleeper.delays().len(), 1);
}

fn slow_client(server: &wiremock::MockServer, sleeper: &RecordingSleeper) -> PlivoClient {
    PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(150))
        .retry(test_policy(sleeper).max_retries(1))
        .build()
        .unwrap()
}

#[tokio::test]
async fn post_timeout_after_send_is_outcome_unknown_and_not_retried() {
    let server = server().await;
    on("POST", "Zentrunk/IPAccessControlList/")
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("docs_zentrunkIPACLCreateResponse.json"))
                .set_delay(Duration::from_millis(600)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = slow_client(&server, &sleeper);
    let err = client
        .ip_acls()
        .create(&CreateIpAcl::new(["203.0.113.10"]))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(sleeper.delays().is_empty());
}

#[tokio::test]
async fn get_timeout_is_retried() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(trunk_body())
                .set_delay(Duration::from_millis(600)),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(200).set_body_json(trunk_body()))
        .expect(1)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = slow_client(&server, &sleeper);
    client.trunks().get(&trunk_id()).await.unwrap();
    assert_eq!(sleeper.delays().len(), 1);
}

#[tokio::test]
async fn connect_failure_is_a_transport_error_and_is_retried_even_for_post() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sleeper = RecordingSleeper::default();
    let client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(test_policy(&sleeper))
        .build()
        .unwrap();
    let err = client
        .ip_acls()
        .create(&CreateIpAcl::new(["203.0.113.10"]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.is_outcome_unknown());
    assert_eq!(sleeper.delays().len(), 2);
}

#[tokio::test]
async fn success_with_an_unexpected_body_is_a_decode_error() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let err = client.trunks().get(&trunk_id()).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn no_retry_policy_sends_once() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::none().sleeper(Arc::new(sleeper.clone())))
        .rate_limit(RateLimit::plivo_default())
        .build()
        .unwrap();
    assert!(client.trunks().get(&trunk_id()).await.is_err());
    assert!(sleeper.delays().is_empty());
}

#[test]
fn builder_refuses_plain_http_off_loopback_and_missing_credentials() {
    let err = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url("http://api.plivo.com")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("loopback"), "{err}");
    assert!(PlivoClient::builder().auth_token(TOKEN).build().is_err());
    assert!(PlivoClient::builder().auth_id(AUTH_ID).build().is_err());
    assert!(
        PlivoClient::builder()
            .auth_id("MA/../x")
            .auth_token(TOKEN)
            .build()
            .is_err()
    );
    let env = PlivoClient::from_env_with(|_| None).unwrap_err();
    assert!(env.to_string().contains("PLIVO_AUTH_ID"), "{env}");
    let ok = PlivoClient::from_env_with(|k| match k {
        "PLIVO_AUTH_ID" => Some(AUTH_ID.into()),
        "PLIVO_AUTH_TOKEN" => Some(TOKEN.into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(ok.base_url().as_str(), "https://api.plivo.com/");
    assert_eq!(ok.auth_id(), AUTH_ID);
}

#[test]
fn client_is_send_sync_and_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_traits::<PlivoClient>();
    assert_error::<Error>();
}

#[tokio::test]
async fn create_answer_without_an_id_is_a_decode_error_and_numeric_ids_stay_exact() {
    let server = server().await;
    on("POST", "Zentrunk/URI/")
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"api_id": "a", "message": "ok"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/Trunk/")
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_string(r#"{"api_id": "b", "trunk_id": 42741122632602585}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let err = client
        .uris()
        .create(&plivo_client::CreateUri::new("sbc.example.net"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(
        std::error::Error::source(&err)
            .unwrap()
            .to_string()
            .contains("uri_uuid")
    );
    // A trunk id sent as a bare number (above 2^53) keeps every digit.
    let created = client
        .trunks()
        .create(&plivo_client::CreateTrunk::inbound("u".into()))
        .await
        .unwrap();
    assert_eq!(created.id.as_str(), "42741122632602585");
}

#[tokio::test]
async fn a_429_storm_is_waited_out_up_to_the_total_wait_not_a_fixed_attempt_count() {
    // Twelve 429s in a row, each asking for 4 s: far more than max_retries (2), within the
    // default 60 s total wait. The injected sleeper records the waits; nothing really sleeps.
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "4"))
        .up_to_n_times(12)
        .expect(12)
        .mount(&server)
        .await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(200).set_body_json(trunk_body()))
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    client.trunks().get(&trunk_id()).await.unwrap();
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(4); 12]);
}

#[tokio::test]
async fn a_429_storm_longer_than_the_total_wait_gives_up_with_the_429() {
    let server = server().await;
    on("GET", TRUNK)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "4"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .retry(test_policy(&sleeper).max_total_wait(Duration::from_secs(20)))
        .build()
        .unwrap();
    let err = client.trunks().get(&trunk_id()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    // 5 waits of 4 s fill the 20 s budget; the next one would pass it.
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(4); 5]);
}

#[tokio::test]
async fn delete_500_is_retried() {
    let server = server().await;
    on("DELETE", TRUNK)
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": "internal"})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", TRUNK)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    client.trunks().delete(&trunk_id()).await.unwrap();
    assert_eq!(sleeper.delays().len(), 1);
}

#[tokio::test]
async fn the_number_attach_is_idempotent_and_retried_on_503() {
    let server = server().await;
    on("POST", "Number/14155550123/")
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Number/14155550123/")
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"api_id": "a1", "message": "changed"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, sleeper) = client_for(&server);
    client
        .numbers()
        .attach_to_inbound_trunk("+14155550123", &trunk_id())
        .await
        .unwrap();
    assert_eq!(sleeper.delays().len(), 1);
}
