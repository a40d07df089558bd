//! Tests of the offline Plivo sandbox, through plain HTTP requests.

use plivo_client::sandbox::Sandbox;
use secrecy::ExposeSecret;

#[tokio::test]
async fn lists_no_trunks_on_a_fresh_account() {
    let sandbox = Sandbox::start().await;
    let url = sandbox
        .base_url()
        .join(&format!("v1/Account/{}/Zentrunk/Trunk/", sandbox.auth_id()))
        .unwrap();
    let response = reqwest::Client::new()
        .get(url)
        .basic_auth(sandbox.auth_id(), Some(sandbox.auth_token().expose_secret()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["objects"], serde_json::json!([]));
    assert_eq!(body["meta"]["total_count"], 0);
}
