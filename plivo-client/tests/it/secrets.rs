//! The auth token and passwords never appear in Debug, Display, errors or logs.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use plivo_client::{
    CreateCredential, CreateIpAcl, CreateUri, Error, PlivoClient, UpdateCredential, UpdateUri,
};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::{AUTH_ID, RecordingSleeper, TOKEN, client_for, on, server, test_policy};

const PASSWORD: &str = "Pa55!word#42";

fn assert_clean(label: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{label} leaks the token: {text}");
    assert!(!text.contains(PASSWORD), "{label} leaks a password: {text}");
    // The Basic credentials as they travel on the wire.
    let basic = base64_basic(AUTH_ID, TOKEN);
    assert!(
        !text.contains(&basic),
        "{label} leaks the auth header: {text}"
    );
}

fn base64_basic(user: &str, pass: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{pass}").into_bytes();
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn client_config_and_request_bodies_do_not_show_secrets() {
    let builder = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url("http://127.0.0.1:1");
    assert_clean("builder", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_clean("client", &format!("{client:?} {:?}", client.retry_policy()));
    assert_clean(
        "create credential",
        &format!("{:?}", CreateCredential::new("acmeuser1", PASSWORD)),
    );
    assert_clean(
        "update credential",
        &format!("{:?}", UpdateCredential::new(PASSWORD)),
    );
    assert_clean(
        "create uri",
        &format!(
            "{:?}",
            CreateUri::new("sbc.example.net").authentication("u", PASSWORD)
        ),
    );
    assert_clean(
        "update uri",
        &format!(
            "{:?}",
            UpdateUri {
                password: Some(PASSWORD.into()),
                ..Default::default()
            }
        ),
    );
}

#[tokio::test]
async fn every_error_kind_and_the_logs_are_clean() {
    let logs = Buffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server().await;
    on("GET", "Zentrunk/Trunk/1/")
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    on("GET", "Zentrunk/Trunk/1/")
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"error": "authentication failed"})),
        )
        .mount(&server)
        .await;
    on("GET", "Zentrunk/Trunk/2/")
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    on("POST", "Zentrunk/IPAccessControlList/")
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let mut errors: Vec<Error> = Vec::new();
    errors.push(client.trunks().get(&"1".into()).await.unwrap_err());
    errors.push(client.trunks().get(&"2".into()).await.unwrap_err());
    errors.push(
        client
            .credentials()
            .create(&CreateCredential::new("acmeuser1", "no-special-chars1"))
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .credentials()
            .create(&CreateCredential::new("acmeuser1", "x"))
            .await
            .unwrap_err(),
    );
    let timeout_client = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(100))
        .retry(test_policy(&RecordingSleeper::default()))
        .build()
        .unwrap();
    errors.push(
        timeout_client
            .ip_acls()
            .create(&CreateIpAcl::new(["203.0.113.10"]))
            .await
            .unwrap_err(),
    );
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dead = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{closed}"))
        .retry(test_policy(&RecordingSleeper::default()))
        .build()
        .unwrap();
    errors.push(dead.trunks().get(&"1".into()).await.unwrap_err());
    errors.push(
        PlivoClient::builder()
            .auth_id(AUTH_ID)
            .auth_token(TOKEN)
            .base_url(format!("https://u:{TOKEN}@api.plivo.com"))
            .build()
            .unwrap_err(),
    );

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Api(_) => "api",
            Error::Decode { .. } => "decode",
            Error::InvalidInput { .. } => "invalid",
            Error::OutcomeUnknown { .. } => "unknown",
            Error::Transport { .. } => "transport",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "api",
            "decode",
            "invalid",
            "invalid",
            "unknown",
            "transport",
            "invalid"
        ]
    );
    for e in &errors {
        let mut chain = format!("{e} | {e:?}");
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            write!(chain, " | {s} | {s:?}").unwrap();
            source = s.source();
        }
        assert_clean("error", &chain);
    }
    let refused = Error::Refused(plivo_client::Refusal::OutboundTrunkAttach {
        number: "15105550100".into(),
        trunk_id: "1".into(),
    });
    assert_clean("refusal", &format!("{refused} {refused:?}"));

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("retrying request"),
        "the retry was logged: {text}"
    );
    assert!(text.contains("plivo.request"), "{text}");
    assert_clean("logs", &text);
}

#[test]
fn base64_helper_matches_the_rfc_examples() {
    assert_eq!(
        base64_basic("Aladdin", "open sesame"),
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
}
