//! IP ACL, credential and origination URI endpoints.

use plivo_client::{
    CreateCredential, CreateIpAcl, CreateUri, Error, ListParams, Refusal, UpdateCredential,
    UpdateIpAcl, UpdateUri,
};
use serde_json::json;
use wiremock::ResponseTemplate;
use wiremock::matchers::body_json;

use crate::{client_for, first_page, fixture, on, query, server};

#[tokio::test]
async fn ip_acl_crud() {
    let server = server().await;
    on("GET", "Zentrunk/IPAccessControlList/")
        .and(query(&[("limit", "5"), ("offset", "10")]))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("docs_zentrunkIPACLListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        "Zentrunk/IPAccessControlList/f19c4773-4ae6-4b75-92ea-9cf3ea4227d6/",
    )
    .respond_with(
        ResponseTemplate::new(200).set_body_json(fixture("docs_zentrunkIPACLObject.json")),
    )
    .expect(1)
    .mount(&server)
    .await;
    on("POST", "Zentrunk/IPAccessControlList/")
        .and(body_json(
            json!({"name": "acme-sbc", "ip_addresses": ["203.0.113.10", "198.51.100.0/24"]}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("docs_zentrunkIPACLCreateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/IPAccessControlList/acl-9/")
        .and(body_json(json!({"ip_addresses": ["203.0.113.11"]})))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(fixture("docs_zentrunkIPACLUpdateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", "Zentrunk/IPAccessControlList/acl-9/")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let acls = client.ip_acls();
    let page = acls
        .list(&ListParams {
            limit: Some(5),
            offset: Some(10),
        })
        .await
        .unwrap();
    assert_eq!(page.objects[1].ip_addresses, ["10.0.0.1", "10.0.0.2"]);
    let one = acls
        .get(&"f19c4773-4ae6-4b75-92ea-9cf3ea4227d6".into())
        .await
        .unwrap();
    assert_eq!(one.name.as_deref(), Some("production-servers"));
    let created = acls
        .create(&CreateIpAcl::new(["203.0.113.10", "198.51.100.0/24"]).name("acme-sbc"))
        .await
        .unwrap();
    assert_eq!(created.id.as_str(), "f19c4773-4ae6-4b75-92ea-9cf3ea4227d6");
    let updated = acls
        .update(
            &"acl-9".into(),
            &UpdateIpAcl {
                ip_addresses: Some(vec!["203.0.113.11".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        updated.message.as_deref(),
        Some("IP access control list updated successfully.")
    );
    acls.delete(&"acl-9".into()).await.unwrap();
    let err = acls
        .create(&CreateIpAcl::new(["sbc.example.net"]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("sbc.example.net"), "{err}");
}

#[tokio::test]
async fn credential_crud_always_sends_the_password_on_update() {
    let server = server().await;
    on("GET", "Zentrunk/Credential/")
        .and(query(&first_page()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("docs_zentrunkCredentialListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        "Zentrunk/Credential/f19c4773-4ae6-4b75-92ea-9cf3ea4227d6/",
    )
    .respond_with(
        ResponseTemplate::new(200).set_body_json(fixture("docs_zentrunkCredentialObject.json")),
    )
    .expect(1)
    .mount(&server)
    .await;
    on("POST", "Zentrunk/Credential/")
        .and(body_json(
            json!({"name": "acme", "username": "acmeuser1", "password": "s3cret!pw"}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("docs_zentrunkCredentialCreateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/Credential/cred-1/")
        .and(body_json(
            json!({"name": "renamed", "password": "s3cret!pw"}),
        ))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(fixture("docs_zentrunkCredentialUpdateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", "Zentrunk/Credential/cred-1/")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let creds = client.credentials();
    let all = creds.all().await.unwrap();
    assert_eq!(all[1].username.as_deref(), Some("sipuser456"));
    let one = creds
        .get(&"f19c4773-4ae6-4b75-92ea-9cf3ea4227d6".into())
        .await
        .unwrap();
    assert_eq!(one.username.as_deref(), Some("sip_user_1"));
    let created = creds
        .create(&CreateCredential::new("acmeuser1", "s3cret!pw").name("acme"))
        .await
        .unwrap();
    assert_eq!(created.id.as_str(), "f19c4773-4ae6-4b75-92ea-9cf3ea4227d6");
    creds
        .update(
            &"cred-1".into(),
            &UpdateCredential::new("s3cret!pw").name("renamed"),
        )
        .await
        .unwrap();
    creds.delete(&"cred-1".into()).await.unwrap();
}

#[tokio::test]
async fn uri_create_get_and_list() {
    let server = server().await;
    on("POST", "Zentrunk/URI/")
        .and(body_json(json!({
            "name": "acme-sbc", "uri": "sbc.example.net:5060;transport=udp",
            "authentication_needed": true, "username": "plivo", "password": "pw!12"
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("docs_zentrunkURICreateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Zentrunk/URI/f19c4773-4ae6-4b75-92ea-9cf3ea4227d6/")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uri_uuid": "f19c4773-4ae6-4b75-92ea-9cf3ea4227d6", "uri": "sip.example.com:5060",
            "authentication_needed": true, "username": "plivo_inbound", "sip_user": "zt-123", "new_field": 1
        })))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Zentrunk/URI/")
        .and(query(&first_page()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("docs_zentrunkURIListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let created = client
        .uris()
        .create(
            &CreateUri::new("sbc.example.net:5060;transport=udp")
                .name("acme-sbc")
                .authentication("plivo", "pw!12"),
        )
        .await
        .unwrap();
    assert_eq!(created.id.as_str(), "f19c4773-4ae6-4b75-92ea-9cf3ea4227d6");
    let u = client.uris().get(&created.id).await.unwrap();
    assert_eq!(u.sip_user.as_deref(), Some("zt-123"));
    let page = client.uris().list(&ListParams::default()).await.unwrap();
    assert_eq!(page.objects[1].username, None);
    assert!(!page.objects[1].authentication_needed);
}

#[tokio::test]
async fn uri_password_change_restates_authentication_and_username() {
    let server = server().await;
    on("GET", "Zentrunk/URI/uri-1/")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("docs_zentrunkURIObject.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/URI/uri-1/")
        .and(body_json(json!({
            "authentication_needed": true, "username": "plivo_inbound", "password": "n3w-pass"
        })))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(fixture("docs_zentrunkURIUpdateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    client
        .uris()
        .update(
            &"uri-1".into(),
            &UpdateUri {
                password: Some("n3w-pass".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let err = client
        .uris()
        .update(
            &"uri-1".into(),
            &UpdateUri {
                password: Some("x".into()),
                authentication_needed: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(err.is_local(), "{err}");
}

#[tokio::test]
async fn uri_delete_refuses_while_a_trunk_uses_it_unless_forced() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/")
        .and(query(&first_page()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("docs_zentrunkTrunkListResponse.json")),
        )
        .expect(2)
        .mount(&server)
        .await;
    // The docs list has trunk 31784177241575 using 90b6eb07-... as its primary URI.
    on(
        "DELETE",
        "Zentrunk/URI/90b6eb07-796c-4d86-a4fd-44ed11667ddb/",
    )
    .respond_with(ResponseTemplate::new(204))
    .expect(1)
    .mount(&server)
    .await;
    on("DELETE", "Zentrunk/URI/unused-uri/")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let err = client
        .uris()
        .delete(&"90b6eb07-796c-4d86-a4fd-44ed11667ddb".into())
        .await
        .unwrap_err();
    match &err {
        Error::Refused(Refusal::UriInUse { trunks, .. }) => {
            assert_eq!(trunks.len(), 1);
            assert_eq!(trunks[0].as_str(), "31784177241575");
        }
        other => panic!("expected a refusal, got {other}"),
    }
    assert!(err.to_string().contains("31784177241575"), "{err}");
    client.uris().delete(&"unused-uri".into()).await.unwrap();
    client
        .uris()
        .force_delete(&"90b6eb07-796c-4d86-a4fd-44ed11667ddb".into())
        .await
        .unwrap();
}
