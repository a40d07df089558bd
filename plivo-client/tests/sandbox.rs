//! Tests of the offline Plivo sandbox, through plain HTTP requests (no typed client), so that they pin
//! the wire format the typed client and the end-to-end tests rely on.

// The helpers below are test code too: a failed request should fail the test on the spot.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use plivo_client::sandbox::{CallRecord, DEFAULT_APP_ID, Fault, Sandbox, TrunkGetShape};
use plivo_client::{TrunkDirection, TrunkStatus};
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

/// A thin HTTP helper bound to one sandbox account.
struct Api<'a> {
    sandbox: &'a Sandbox,
    http: reqwest::Client,
}

impl<'a> Api<'a> {
    fn new(sandbox: &'a Sandbox) -> Self {
        Self {
            sandbox,
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    fn url(&self, path: &str) -> reqwest::Url {
        self.sandbox
            .base_url()
            .join(&format!("v1/Account/{}/{path}", self.sandbox.auth_id()))
            .unwrap()
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let token = self.sandbox.auth_token();
        let response = request
            .basic_auth(self.sandbox.auth_id(), Some(token.expose_secret()))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, body)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.http.get(self.url(path))).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.http.post(self.url(path)).json(&body)).await
    }

    async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.http.delete(self.url(path))).await
    }

    async fn acl(&self, name: &str) -> String {
        let (status, body) = self
            .post(
                "Zentrunk/IPAccessControlList/",
                json!({"name": name, "ip_addresses": ["203.0.113.10", "198.51.100.0/24"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["ipacl_uuid"].as_str().unwrap().to_owned()
    }

    async fn uri(&self, name: &str) -> String {
        let (status, body) = self
            .post(
                "Zentrunk/URI/",
                json!({"name": name, "uri": "sbc.example.net:5060;transport=udp"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["uri_uuid"].as_str().unwrap().to_owned()
    }

    async fn outbound_trunk(&self, name: &str, acl: &str) -> String {
        let (status, body) = self
            .post(
                "Zentrunk/Trunk/",
                json!({"name": name, "trunk_direction": "outbound", "ipacl_uuid": acl}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["trunk_id"].as_str().unwrap().to_owned()
    }

    async fn inbound_trunk(&self, name: &str, uri: &str) -> String {
        let (status, body) = self
            .post(
                "Zentrunk/Trunk/",
                json!({"name": name, "trunk_direction": "inbound", "primary_uri_uuid": uri}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["trunk_id"].as_str().unwrap().to_owned()
    }
}

fn assert_error_body(body: &Value) {
    assert!(body["api_id"].is_string(), "no api_id in {body}");
    assert!(body["error"].is_string(), "no error in {body}");
}

// ---- authentication and routing ----

#[tokio::test]
async fn rejects_missing_or_wrong_credentials_with_plivo_error_bodies() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let http = reqwest::Client::builder().no_proxy().build().unwrap();

    let response = http.get(api.url("Zentrunk/Trunk/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_error_body(&response.json().await.unwrap());

    let response = http
        .get(api.url("Zentrunk/Trunk/"))
        .basic_auth(sandbox.auth_id(), Some("not-the-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // Right credentials, someone else's account in the path.
    let other = sandbox
        .base_url()
        .join("v1/Account/MAOTHERACCOUNT0000000/Zentrunk/Trunk/")
        .unwrap();
    let (status, body) = api.send(http.get(other)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_body(&body);
}

#[tokio::test]
async fn custom_account_credentials_are_enforced() {
    let sandbox = Sandbox::builder()
        .auth_id("MAXXXXXXXXXXXXXXXXXX")
        .auth_token(SecretString::from("custom-token"))
        .start()
        .await;
    assert_eq!(sandbox.auth_token().expose_secret(), "custom-token");
    let api = Api::new(&sandbox);
    let (status, _) = api.get("Zentrunk/Trunk/").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output() {
    let builder = Sandbox::builder().auth_token("super-secret-token-42");
    assert!(!format!("{builder:?}").contains("super-secret-token-42"));
    let sandbox = builder.start().await;
    assert!(!format!("{sandbox:?}").contains("super-secret-token-42"));
    assert!(!format!("{:?}", sandbox.auth_token()).contains("super-secret-token-42"));
}

#[tokio::test]
async fn unknown_paths_missing_slashes_and_wrong_methods_are_refused() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let (status, body) = api.get("Zentrunk/Trunk").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);
    let (status, body) = api.get("Zentrunk/Nothing/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);
    let (status, body) = api.delete("Zentrunk/Trunk/").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_body(&body);
    let (status, body) = api.post("Zentrunk/Call/", json!({})).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_body(&body);
}

#[tokio::test]
async fn unknown_ids_are_404_with_an_error_body() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    for path in [
        "Zentrunk/Trunk/12345678901234567/",
        "Zentrunk/IPAccessControlList/nope/",
        "Zentrunk/Credential/nope/",
        "Zentrunk/URI/nope/",
        "Zentrunk/Call/nope/",
        "Number/14155550199/",
    ] {
        let (status, body) = api.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_error_body(&body);
        if !path.starts_with("Zentrunk/Call") {
            let (status, _) = api.delete(path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "DELETE {path}");
            let (status, _) = api.post(path, json!({"trunk_direction": "inbound"})).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "POST {path}");
        }
    }
}

#[tokio::test]
async fn malformed_bodies_are_400() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let request = api
        .http
        .post(api.url("Zentrunk/IPAccessControlList/"))
        .header("content-type", "application/json")
        .body("{not json");
    let (status, body) = api.send(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
    let (status, _) = api
        .post(
            "Zentrunk/Trunk/",
            json!({"trunk_direction": "outbound", "secure": "yes"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

// ---- Trunk ----

#[tokio::test]
async fn trunk_lifecycle_matches_the_real_wire_format() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let acl = api.acl("sbc").await;

    let (status, created) = api
        .post(
            "Zentrunk/Trunk/",
            json!({"name": "out-1", "trunk_direction": "outbound", "ipacl_uuid": acl}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Create answers api_id, message and trunk_id only: no trunk_domain.
    let keys: Vec<&String> = created.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{created}");
    assert!(created["api_id"].is_string() && created["message"].is_string());
    assert!(created.get("trunk_domain").is_none());
    let trunk_id = created["trunk_id"].as_str().unwrap().to_owned();
    assert!(trunk_id.bytes().all(|b| b.is_ascii_digit()));
    assert!(trunk_id.parse::<u64>().unwrap() > 1 << 53, "{trunk_id}");

    // GET nests the record under `object` (production shape) and carries the domain.
    let (status, got) = api.get(&format!("Zentrunk/Trunk/{trunk_id}/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(got["api_id"].is_string());
    let object = &got["object"];
    assert_eq!(object["trunk_id"], trunk_id.as_str());
    assert_eq!(object["trunk_domain"], format!("{trunk_id}.zt.plivo.com"));
    assert_eq!(object["trunk_direction"], "outbound");
    assert_eq!(object["trunk_status"], "enabled");
    assert_eq!(object["secure"], false);
    assert_eq!(object["ipacl_uuid"], acl.as_str());
    assert_eq!(object["credential_uuid"], Value::Null);
    assert_eq!(object["primary_uri_uuid"], Value::Null);
    assert!(object["created_at"].as_str().unwrap().ends_with('Z'));

    // Update must resend trunk_direction.
    let path = format!("Zentrunk/Trunk/{trunk_id}/");
    let (status, body) = api.post(&path, json!({"name": "renamed"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
    assert_eq!(sandbox.state().trunks[0].name, "out-1");
    let (status, body) = api
        .post(
            &path,
            json!({"name": "renamed", "trunk_direction": "outbound", "secure": true,
                   "trunk_status": "disabled"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["trunk_id"], trunk_id.as_str());
    let record = &sandbox.state().trunks[0];
    assert_eq!(record.name, "renamed");
    assert!(record.secure);
    assert_eq!(record.trunk_status, TrunkStatus::Disabled);
    assert_eq!(record.trunk_direction, TrunkDirection::Outbound);
    // `secure: false` is sendable and applied.
    let (status, _) = api
        .post(
            &path,
            json!({"trunk_direction": "outbound", "secure": false}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert!(!sandbox.state().trunks[0].secure);

    let (status, body) = api.delete(&path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    let (status, body) = api.get(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);
    assert!(sandbox.state().trunks.is_empty());
}

#[tokio::test]
async fn trunk_get_can_answer_flat() {
    let sandbox = Sandbox::builder()
        .trunk_get_shape(TrunkGetShape::Flat)
        .start()
        .await;
    let api = Api::new(&sandbox);
    let uri = api.uri("pbx").await;
    let trunk_id = api.inbound_trunk("in-1", &uri).await;
    let (status, got) = api.get(&format!("Zentrunk/Trunk/{trunk_id}/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(got.get("object").is_none());
    assert!(got["api_id"].is_string());
    assert_eq!(got["trunk_id"], trunk_id.as_str());
    assert_eq!(got["primary_uri_uuid"], uri.as_str());
    assert_eq!(got["trunk_domain"], format!("{trunk_id}.zt.plivo.com"));
}

#[tokio::test]
async fn trunk_create_validation_follows_the_direction_rules() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let acl = api.acl("sbc").await;

    let (status, body) = api.post("Zentrunk/Trunk/", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_body(&body);

    // Outbound without authentication: refused, and the error does not say which field is missing.
    let (status, body) = api
        .post("Zentrunk/Trunk/", json!({"trunk_direction": "outbound"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = body["error"].as_str().unwrap();
    assert!(
        !error.contains("ipacl") && !error.contains("credential"),
        "{error}"
    );

    let (status, _) = api
        .post("Zentrunk/Trunk/", json!({"trunk_direction": "inbound"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, body) = api
        .post(
            "Zentrunk/Trunk/",
            json!({"trunk_direction": "sideways", "ipacl_uuid": acl}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("sideways"));

    let (status, body) = api
        .post(
            "Zentrunk/Trunk/",
            json!({"trunk_direction": "outbound", "ipacl_uuid": "does-not-exist"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("does-not-exist"));

    let (status, _) = api
        .post(
            "Zentrunk/Trunk/",
            json!({"trunk_direction": "inbound", "ipacl_uuid": acl}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(sandbox.state().trunks.is_empty());

    // No name: Plivo makes one up.
    let (status, body) = api
        .post(
            "Zentrunk/Trunk/",
            json!({"trunk_direction": "outbound", "ipacl_uuid": acl}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(sandbox.state().trunks[0].name.starts_with("Trunk-"));
}

#[tokio::test]
async fn trunk_list_filters() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let acl = api.acl("sbc").await;
    let uri = api.uri("pbx").await;
    let out = api.outbound_trunk("out", &acl).await;
    let inbound = api.inbound_trunk("in", &uri).await;

    let ids = |body: &Value| -> Vec<String> {
        body["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["trunk_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, all) = api.get("Zentrunk/Trunk/").await;
    assert_eq!(ids(&all), [out.as_str(), inbound.as_str()]);
    // List entries are flat trunk objects with their domain.
    assert_eq!(
        all["objects"][0]["trunk_domain"],
        format!("{out}.zt.plivo.com")
    );
    let (_, body) = api.get("Zentrunk/Trunk/?trunk_direction=inbound").await;
    assert_eq!(ids(&body), [inbound.as_str()]);
    assert_eq!(body["meta"]["total_count"], 1);
    let (_, body) = api.get(&format!("Zentrunk/Trunk/?ipacl_uuid={acl}")).await;
    assert_eq!(ids(&body), [out.as_str()]);
    let (_, body) = api
        .get(&format!("Zentrunk/Trunk/?primary_uri_uuid={uri}"))
        .await;
    assert_eq!(ids(&body), [inbound.as_str()]);
    let (_, body) = api.get("Zentrunk/Trunk/?secure=true").await;
    assert!(ids(&body).is_empty());
    let (_, body) = api.get("Zentrunk/Trunk/?trunk_status=enabled").await;
    assert_eq!(ids(&body).len(), 2);
    let (status, body) = api.get("Zentrunk/Trunk/?trunk_direction=up").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
}

// ---- paging ----

#[tokio::test]
async fn zentrunk_lists_page_by_offset_with_limit_at_most_20() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    for i in 0..25 {
        api.acl(&format!("acl-{i:02}")).await;
    }
    let auth_id = sandbox.auth_id();

    let (status, first) = api.get("Zentrunk/IPAccessControlList/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["objects"].as_array().unwrap().len(), 20);
    assert_eq!(first["objects"][0]["name"], "acl-00");
    assert_eq!(
        first["meta"],
        json!({"limit": 20, "offset": 0, "total_count": 25, "previous": null,
               "next": format!("v1/Account/{auth_id}/Zentrunk/IPAccessControlList/?limit=20&offset=20")})
    );

    let (_, second) = api
        .get("Zentrunk/IPAccessControlList/?limit=20&offset=20")
        .await;
    assert_eq!(second["objects"].as_array().unwrap().len(), 5);
    assert_eq!(second["objects"][0]["name"], "acl-20");
    assert_eq!(second["meta"]["next"], Value::Null);
    assert_eq!(
        second["meta"]["previous"],
        format!("v1/Account/{auth_id}/Zentrunk/IPAccessControlList/?limit=20&offset=0")
    );

    let (_, small) = api
        .get("Zentrunk/IPAccessControlList/?limit=3&offset=24")
        .await;
    assert_eq!(small["objects"].as_array().unwrap().len(), 1);
    let (_, past) = api.get("Zentrunk/IPAccessControlList/?offset=100").await;
    assert_eq!(past["objects"], json!([]));
    assert_eq!(past["meta"]["total_count"], 25);

    for bad in ["limit=21", "limit=0", "limit=ten", "offset=-1"] {
        let (status, body) = api
            .get(&format!("Zentrunk/IPAccessControlList/?{bad}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_error_body(&body);
    }
}

// ---- IPAccessControlList ----

#[tokio::test]
async fn ip_acl_crud_replaces_the_whole_list_on_update() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let id = api.acl("sbc").await;
    let path = format!("Zentrunk/IPAccessControlList/{id}/");

    let (status, got) = api.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["ipacl_uuid"], id.as_str());
    assert_eq!(got["name"], "sbc");
    assert_eq!(
        got["ip_addresses"],
        json!(["203.0.113.10", "198.51.100.0/24"])
    );

    let (status, body) = api
        .post(&path, json!({"ip_addresses": ["192.0.2.7"]}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(body["ipacl_uuid"], id.as_str());
    assert_eq!(sandbox.state().ip_acls[0].ip_addresses, ["192.0.2.7"]);
    assert_eq!(sandbox.state().ip_acls[0].name.as_deref(), Some("sbc"));

    let (status, body) = api
        .post(&path, json!({"ip_addresses": ["192.0.2.300"]}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("192.0.2.300"));
    let (status, _) = api
        .post("Zentrunk/IPAccessControlList/", json!({"name": "empty"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) = api.delete(&path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(sandbox.state().ip_acls.is_empty());
}

// ---- Credential ----

#[tokio::test]
async fn credential_update_without_password_blanks_it() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let (status, created) = api
        .post(
            "Zentrunk/Credential/",
            json!({"name": "c", "username": "sipuser1", "password": "Pa55w0rd!"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["credential_uuid"].as_str().unwrap().to_owned();
    let path = format!("Zentrunk/Credential/{id}/");

    let (_, got) = api.get(&path).await;
    assert_eq!(got["username"], "sipuser1");
    assert!(
        got.get("password").is_none(),
        "the password is never returned"
    );
    let (_, list) = api.get("Zentrunk/Credential/").await;
    assert!(!list.to_string().contains("Pa55w0rd!"));
    let state = sandbox.state();
    assert_eq!(
        state.credentials[0]
            .password
            .as_ref()
            .unwrap()
            .expose_secret(),
        "Pa55w0rd!"
    );
    assert!(!format!("{state:?}").contains("Pa55w0rd!"));

    let (status, _) = api.post(&path, json!({"name": "renamed"})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let record = &sandbox.state().credentials[0];
    assert_eq!(record.name.as_deref(), Some("renamed"));
    assert!(
        record.password.is_none(),
        "an update without password blanks it"
    );

    let (status, _) = api
        .post(&path, json!({"name": "renamed", "password": "N3w-pass!"}))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "'-' is not an allowed character"
    );
    let (status, _) = api
        .post(&path, json!({"name": "renamed", "password": "N3wpass!"}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        sandbox.state().credentials[0]
            .password
            .as_ref()
            .unwrap()
            .expose_secret(),
        "N3wpass!"
    );

    let (status, _) = api.delete(&path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn credential_rules_are_enforced_without_echoing_the_password() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let (status, _) = api
        .post("Zentrunk/Credential/", json!({"username": "sipuser1"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = api
        .post(
            "Zentrunk/Credential/",
            json!({"username": "sip", "password": "Pa55w0rd!"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("\"sip\""));
    for password in ["nospecial1", "sh!", "much-too-long-password!!"] {
        let (status, body) = api
            .post(
                "Zentrunk/Credential/",
                json!({"username": "sipuser1", "password": password}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{password}");
        assert!(!body.to_string().contains(password));
    }
    assert!(sandbox.state().credentials.is_empty());
}

// ---- URI ----

#[tokio::test]
async fn uri_password_change_must_restate_auth_and_username() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let (status, created) = api
        .post(
            "Zentrunk/URI/",
            json!({"name": "pbx", "uri": "sip:pbx@sbc.example.net", "authentication_needed": true,
                   "username": "plivo", "password": "S3cret!x"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["uri_uuid"].as_str().unwrap().to_owned();
    let path = format!("Zentrunk/URI/{id}/");

    let (status, got) = api.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["authentication_needed"], true);
    assert_eq!(got["username"], "plivo");
    assert!(got.as_object().unwrap().contains_key("sip_user"));
    assert!(got.get("password").is_none());

    let (status, body) = api.post(&path, json!({"password": "0ther!pw"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);
    let (status, _) = api
        .post(
            &path,
            json!({"password": "0ther!pw", "authentication_needed": true, "username": "plivo"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        sandbox.state().uris[0]
            .password
            .as_ref()
            .unwrap()
            .expose_secret(),
        "0ther!pw"
    );

    let (status, _) = api
        .post(
            "Zentrunk/URI/",
            json!({"authentication_needed": true, "uri": "h.example"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api.post("Zentrunk/URI/", json!({"name": "no uri"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Turning authentication off clears the digest credentials.
    let (status, _) = api
        .post(&path, json!({"authentication_needed": false}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let record = &sandbox.state().uris[0];
    assert!(!record.authentication_needed);
    assert!(record.username.is_none() && record.password.is_none());
}

#[tokio::test]
async fn deleting_a_uri_deletes_its_trunks_and_detaches_their_numbers() {
    let sandbox = Sandbox::builder()
        .account_number("+14155550123")
        .start()
        .await;
    let api = Api::new(&sandbox);
    let primary = api.uri("primary").await;
    let fallback = api.uri("fallback").await;
    let other = api.uri("other").await;
    let (status, body) = api
        .post(
            "Zentrunk/Trunk/",
            json!({"trunk_direction": "inbound", "primary_uri_uuid": other,
                   "fallback_uri_uuid": fallback}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let uses_fallback = body["trunk_id"].as_str().unwrap().to_owned();
    let uses_primary = api.inbound_trunk("in", &primary).await;
    let (status, _) = api
        .post("Number/14155550123/", json!({"app_id": uses_fallback}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let (status, _) = api.delete(&format!("Zentrunk/URI/{fallback}/")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let state = sandbox.state();
    assert_eq!(state.trunks.len(), 1);
    assert_eq!(state.trunks[0].trunk_id, uses_primary);
    assert_eq!(state.numbers[0].app_id, None);
    assert_eq!(state.numbers[0].application, None);
    let (status, _) = api.get(&format!("Zentrunk/Trunk/{uses_fallback}/")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

// ---- Number and PhoneNumber ----

#[tokio::test]
async fn numbers_attach_to_trunks_through_app_id() {
    let sandbox = Sandbox::start().await;
    sandbox.add_account_number("+14155550123").unwrap();
    sandbox.add_account_number("18005550100").unwrap();
    let api = Api::new(&sandbox);
    let auth_id = sandbox.auth_id().to_owned();
    let uri = api.uri("pbx").await;
    let trunk = api.inbound_trunk("in", &uri).await;

    let (status, got) = api.get("Number/14155550123/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(got["api_id"].is_string());
    assert_eq!(got["number"], "14155550123");
    assert_eq!(got["application"], Value::Null);
    assert_eq!(
        got["resource_uri"],
        format!("/v1/Account/{auth_id}/Number/14155550123/")
    );
    // The path segment is digits only.
    let (status, _) = api.get("Number/+14155550123/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = api
        .post("Number/14155550123/", json!({"app_id": trunk}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(body["message"], "changed");
    assert!(body["api_id"].is_string());
    let (_, got) = api.get("Number/14155550123/").await;
    assert_eq!(
        got["application"],
        format!("/v1/Account/{auth_id}/Zentrunk/Trunk/{trunk}/")
    );
    assert_eq!(
        sandbox.state().numbers[0].app_id.as_deref(),
        Some(trunk.as_str())
    );

    let (status, body) = api
        .post("Number/14155550123/", json!({"app_id": "999"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("999"));

    // Move it to an application: detached from the trunk.
    let (status, _) = api
        .post(
            "Number/14155550123/",
            json!({"app_id": DEFAULT_APP_ID, "alias": "main"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let record = &sandbox.state().numbers[0];
    assert_eq!(record.app_id.as_deref(), Some(DEFAULT_APP_ID));
    assert_eq!(record.alias.as_deref(), Some("main"));
    assert_eq!(
        record.application.as_deref(),
        Some(format!("/v1/Account/{auth_id}/Application/{DEFAULT_APP_ID}/").as_str())
    );

    // Deleting a trunk detaches its numbers, and only its numbers.
    api.post("Number/14155550123/", json!({"app_id": trunk}))
        .await;
    api.post("Number/18005550100/", json!({"app_id": DEFAULT_APP_ID}))
        .await;
    let (status, _) = api.delete(&format!("Zentrunk/Trunk/{trunk}/")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let numbers = sandbox.state().numbers;
    assert_eq!(numbers[0].app_id, None);
    assert_eq!(numbers[1].app_id.as_deref(), Some(DEFAULT_APP_ID));

    let (status, _) = api.delete("Number/18005550100/").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(sandbox.state().numbers.len(), 1);
}

#[tokio::test]
async fn number_list_filters_and_pages_with_a_leading_slash() {
    let sandbox = Sandbox::start().await;
    for i in 0..22 {
        sandbox
            .add_account_number(&format!("+1415555{:04}", 2000 + i))
            .unwrap();
    }
    sandbox.add_account_number("+18335550999").unwrap();
    let api = Api::new(&sandbox);
    let auth_id = sandbox.auth_id();

    let (_, body) = api.get("Number/").await;
    assert_eq!(body["meta"]["total_count"], 23);
    assert_eq!(
        body["meta"]["next"],
        format!("/v1/Account/{auth_id}/Number/?limit=20&offset=20")
    );
    let (_, body) = api.get("Number/?type=tollfree").await;
    assert_eq!(body["objects"][0]["number"], "18335550999");
    assert_eq!(body["meta"]["total_count"], 1);
    let (_, body) = api.get("Number/?number_startswith=14155552021").await;
    assert_eq!(body["meta"]["total_count"], 1);
    let (_, body) = api.get("Number/?services=voice,sms").await;
    assert_eq!(body["meta"]["total_count"], 23);
    let (status, _) = api.get("Number/?limit=50").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    assert!(sandbox.add_account_number("+14155552000").is_err());
    let error = sandbox.add_account_number("+0123").unwrap_err().to_string();
    assert!(error.contains("+0123"), "{error}");
}

#[tokio::test]
async fn phone_numbers_are_searched_and_bought() {
    let sandbox = Sandbox::builder()
        .available_number("+14155559876", "US", "local")
        .start()
        .await;
    let api = Api::new(&sandbox);

    let (status, body) = api.get("PhoneNumber/").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_body(&body);

    let (status, body) = api.get("PhoneNumber/?country_iso=US&type=local").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["meta"]["total_count"], 26);
    assert_eq!(body["objects"].as_array().unwrap().len(), 20);
    let (_, body) = api.get("PhoneNumber/?country_iso=US&pattern=4155559").await;
    assert_eq!(body["meta"]["total_count"], 1);
    assert_eq!(body["objects"][0]["number"], "14155559876");
    assert_eq!(body["objects"][0]["prefix"], "415");
    let (_, body) = api.get("PhoneNumber/?country_iso=gb").await;
    assert_eq!(body["meta"]["total_count"], 2);
    let (_, body) = api.get("PhoneNumber/?country_iso=US&type=tollfree").await;
    assert_eq!(body["meta"]["total_count"], 3);

    let (status, body) = api.post("PhoneNumber/14155559876/", json!({})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        body["numbers"],
        json!([{"number": "14155559876", "status": "Success"}])
    );
    assert_eq!(body["status"], "fulfilled");
    assert_eq!(sandbox.state().numbers[0].number, "14155559876");
    let (status, _) = api.get("Number/14155559876/").await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = api.post("PhoneNumber/14155559876/", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_body(&body);
    let (_, body) = api.get("PhoneNumber/?country_iso=US&pattern=4155559").await;
    assert_eq!(body["meta"]["total_count"], 0);
}

// ---- Call (CDRs) ----

#[tokio::test]
async fn cdr_filters_have_the_real_quirks() {
    let sandbox = Sandbox::start().await;
    let first = sandbox.seed_call(CallRecord::new("inbound", "+919902443540", "+17322179088"));
    let mut failed = CallRecord::new("outbound", "14155550123", "+442071838750");
    failed.end_time = "2026-09-19 10:00:00".to_owned();
    failed.hangup_cause_code = 4180;
    failed.hangup_source = "zentrunk".to_owned();
    failed.bill_duration = 0;
    let second = sandbox.seed_call(failed);
    let api = Api::new(&sandbox);

    let uuids = |body: &Value| -> Vec<String> {
        body["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["call_uuid"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, body) = api.get("Zentrunk/Call/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        uuids(&body),
        [second.as_str(), first.as_str()],
        "newest first"
    );
    assert_eq!(body["objects"][0]["from_number"], "+14155550123");

    // from_number/to_number match only without the `+`.
    let (_, body) = api.get("Zentrunk/Call/?from_number=14155550123").await;
    assert_eq!(uuids(&body), [second.as_str()]);
    let (_, body) = api.get("Zentrunk/Call/?from_number=%2B14155550123").await;
    assert!(uuids(&body).is_empty());
    let (_, body) = api.get("Zentrunk/Call/?to_number=17322179088").await;
    assert_eq!(uuids(&body), [first.as_str()]);

    let (_, body) = api.get("Zentrunk/Call/?hangup_cause_code=4180").await;
    assert_eq!(uuids(&body), [second.as_str()]);
    let (_, body) = api.get("Zentrunk/Call/?bill_duration__gt=0").await;
    assert_eq!(uuids(&body), [first.as_str()]);
    let (_, body) = api
        .get("Zentrunk/Call/?end_time__gte=2026-09-19%2000:00:00&end_time__lte=2026-09-20%2000:00:00")
        .await;
    assert_eq!(uuids(&body), [second.as_str()]);

    let (status, body) = api.get("Zentrunk/Call/?from_number=").await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an empty filter is rejected"
    );
    assert_error_body(&body);
    let (status, _) = api
        .get("Zentrunk/Call/?end_time__lte=2026-09-20%2000:00:00")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.get("Zentrunk/Call/?hangup_source=someone").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, got) = api.get(&format!("Zentrunk/Call/{first}/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(got.get("object").is_none(), "CDRs are not nested");
    assert_eq!(got["call_uuid"], first.as_str());
    assert_eq!(got["hangup_cause_code"], 3000);
    assert_eq!(got["cnam_lookup"], false);
    assert_eq!(got["trunk_domain"], "42741122632602585.zt.plivo.com");
}

// ---- rate limit ----

#[tokio::test]
async fn answers_429_past_300_requests_in_5_seconds() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    for i in 0..300 {
        let (status, _) = api.get("Zentrunk/Trunk/").await;
        assert_eq!(status, StatusCode::OK, "request {i}");
    }
    let (status, body) = api.get("Zentrunk/Trunk/").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_error_body(&body);
    // A 429 does not refill the window, and the window slides on the sandbox's clock.
    let (status, _) = api.get("Zentrunk/Trunk/").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    sandbox.advance_clock(Duration::from_secs(5));
    let (status, _) = api.get("Zentrunk/Trunk/").await;
    assert_eq!(status, StatusCode::OK);
    let log = sandbox.requests();
    assert_eq!(log.len(), 303);
    assert_eq!(log.iter().filter(|r| r.status == Some(429)).count(), 2);
}

#[tokio::test]
async fn rate_limit_is_configurable_and_can_be_disabled() {
    let sandbox = Sandbox::builder()
        .rate_limit(3, Duration::from_secs(1))
        .start()
        .await;
    let api = Api::new(&sandbox);
    for _ in 0..3 {
        assert_eq!(api.get("Number/").await.0, StatusCode::OK);
    }
    assert_eq!(api.get("Number/").await.0, StatusCode::TOO_MANY_REQUESTS);
    // Half the window later the three are still in it; a full window later they are not.
    sandbox.advance_clock(Duration::from_millis(500));
    assert_eq!(api.get("Number/").await.0, StatusCode::TOO_MANY_REQUESTS);
    sandbox.advance_clock(Duration::from_millis(500));
    assert_eq!(api.get("Number/").await.0, StatusCode::OK);

    let unlimited = Sandbox::builder().no_rate_limit().start().await;
    let api = Api::new(&unlimited);
    for _ in 0..400 {
        assert_eq!(api.get("Number/").await.0, StatusCode::OK);
    }
}

// ---- faults ----

#[tokio::test]
async fn server_error_fault_answers_without_applying() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    sandbox.fail_next(Fault::ServerError(503));
    let (status, body) = api
        .post(
            "Zentrunk/IPAccessControlList/",
            json!({"ip_addresses": ["192.0.2.1"]}),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error_body(&body);
    assert!(sandbox.state().ip_acls.is_empty());
    // Only that one request failed.
    api.acl("after").await;
    assert_eq!(sandbox.state().ip_acls.len(), 1);
    let log = sandbox.requests();
    assert_eq!(log[0].status, Some(503));
    assert_eq!(log[0].fault, Some(Fault::ServerError(503)));
    assert_eq!(log[1].fault, None);
}

#[tokio::test]
async fn timeout_after_apply_leaves_the_create_ambiguous() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    sandbox.fail_next(Fault::TimeoutAfterApply);
    let token = sandbox.auth_token();
    let error = impatient
        .post(api.url("Zentrunk/IPAccessControlList/"))
        .basic_auth(sandbox.auth_id(), Some(token.expose_secret()))
        .json(&json!({"name": "ambiguous", "ip_addresses": ["192.0.2.1"]}))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    // The create happened although the client never heard back.
    let state = sandbox.state();
    assert_eq!(state.ip_acls.len(), 1);
    assert_eq!(state.ip_acls[0].name.as_deref(), Some("ambiguous"));
    let log = sandbox.requests();
    assert_eq!(log[0].status, Some(201));
    assert_eq!(log[0].fault, Some(Fault::TimeoutAfterApply));
    // Reconciliation by listing finds it.
    let (_, list) = api.get("Zentrunk/IPAccessControlList/").await;
    assert_eq!(list["objects"][0]["name"], "ambiguous");
}

#[tokio::test]
async fn held_responses_are_eventually_sent() {
    let sandbox = Sandbox::builder()
        .response_hold(Duration::from_millis(50))
        .start()
        .await;
    let api = Api::new(&sandbox);
    sandbox.fail_next(Fault::TimeoutAfterApply);
    let (status, _) = api.get("Zentrunk/URI/").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn connection_reset_fault_drops_the_request_unapplied() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    sandbox.fail_nth(2, Fault::ConnectionReset);
    api.acl("first").await;
    let token = sandbox.auth_token();
    let error = api
        .http
        .post(api.url("Zentrunk/IPAccessControlList/"))
        .basic_auth(sandbox.auth_id(), Some(token.expose_secret()))
        .json(&json!({"name": "lost", "ip_addresses": ["192.0.2.2"]}))
        .send()
        .await
        .unwrap_err();
    assert!(!error.is_timeout(), "{error}");
    assert!(error.status().is_none());
    assert_eq!(sandbox.state().ip_acls.len(), 1);
    // The sandbox keeps serving new connections.
    api.acl("third").await;
    let log = sandbox.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1].status, None);
    assert_eq!(log[1].fault, Some(Fault::ConnectionReset));
    let posts = log.iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 3);
}

#[tokio::test]
async fn faults_count_from_the_moment_they_are_scheduled() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    api.get("Number/").await;
    sandbox.fail_nth(3, Fault::ServerError(500));
    sandbox.fail_nth(1, Fault::ServerError(502));
    let statuses = [
        api.get("Number/").await.0,
        api.get("Number/").await.0,
        api.get("Number/").await.0,
        api.get("Number/").await.0,
    ];
    assert_eq!(
        statuses,
        [
            StatusCode::BAD_GATEWAY,
            StatusCode::OK,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::OK
        ]
    );
    sandbox.reset_log();
    assert!(sandbox.requests().is_empty());
}

// ---- state and lifecycle ----

#[tokio::test]
async fn the_same_calls_give_the_same_state() {
    async fn run(sandbox: &Sandbox) {
        let api = Api::new(sandbox);
        let acl = api.acl("sbc").await;
        let uri = api.uri("pbx").await;
        api.outbound_trunk("out", &acl).await;
        let inbound = api.inbound_trunk("in", &uri).await;
        api.post("Number/14155550123/", json!({"app_id": inbound}))
            .await;
    }
    let a = Sandbox::builder()
        .account_number("14155550123")
        .start()
        .await;
    let b = Sandbox::builder()
        .account_number("+14155550123")
        .start()
        .await;
    run(&a).await;
    run(&b).await;
    assert_eq!(a.state(), b.state());
    assert_eq!(a.state().trunks.len(), 2);
    let api = Api::new(&b);
    let acl = b.state().ip_acls[0].ipacl_uuid.clone();
    api.post(
        &format!("Zentrunk/IPAccessControlList/{acl}/"),
        json!({"ip_addresses": ["192.0.2.99"]}),
    )
    .await;
    assert_ne!(a.state(), b.state());
}

#[tokio::test]
async fn ids_have_the_real_shapes_and_api_ids_differ_per_request() {
    let sandbox = Sandbox::start().await;
    let api = Api::new(&sandbox);
    let acl = api.acl("a").await;
    assert_eq!(acl.len(), 36);
    assert_eq!(acl.matches('-').count(), 4);
    let (_, one) = api.get("Zentrunk/Trunk/").await;
    let (_, two) = api.get("Zentrunk/Trunk/").await;
    assert_ne!(one["api_id"], two["api_id"]);
    let token = sandbox.auth_token();
    let response = api
        .http
        .get(api.url("Zentrunk/Trunk/"))
        .basic_auth(sandbox.auth_id(), Some(token.expose_secret()))
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn dropping_the_sandbox_closes_its_port() {
    let sandbox = Sandbox::start().await;
    let addr = sandbox.addr();
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    drop(sandbox);
    tokio::task::yield_now().await;
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the listener on {addr} is still open");
}
