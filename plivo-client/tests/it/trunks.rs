//! Trunk endpoints and their quirks.

use futures_util::TryStreamExt;
use plivo_client::{
    CreateTrunk, IpAclId, TrunkDirection, TrunkFilter, TrunkId, TrunkStatus, UpdateTrunk, UriId,
};
use serde_json::json;
use wiremock::ResponseTemplate;
use wiremock::matchers::body_json;

use crate::{client_for, first_page, fixture, on, query, server};

#[tokio::test]
async fn list_sends_filters_and_paging_and_decodes_the_docs_body() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/")
        .and(query(&[
            ("trunk_direction", "inbound"),
            ("secure", "false"),
            ("limit", "20"),
            ("offset", "0"),
        ]))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("docs_zentrunkTrunkListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let filter = TrunkFilter {
        trunk_direction: Some(TrunkDirection::Inbound),
        secure: Some(false),
        ..Default::default()
    };
    let page = client.trunks().list(&filter).await.unwrap();
    assert_eq!(page.objects.len(), 2);
    assert_eq!(page.meta.total_count, Some(10));
    assert_eq!(page.objects[0].trunk_direction, TrunkDirection::Outbound);
    assert_eq!(
        page.objects[1].fallback_uri_uuid.as_ref().unwrap().as_str(),
        "796c-4d86-a4fd-44ed11667ddb-eb07"
    );
    assert_eq!(page.objects[0].primary_uri_uuid, None);
}

#[tokio::test]
async fn all_pages_by_offset_and_ignores_meta_next() {
    let server = server().await;
    let trunk =
        |id: &str| json!({"trunk_id": id, "trunk_direction": "inbound", "primary_uri_uuid": "u1"});
    // `next` is a boolean and then points back at the first page: neither is followed.
    on("GET", "Zentrunk/Trunk/")
        .and(query(&[("limit", "2"), ("offset", "0")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "meta": {"limit": 2, "offset": 0, "next": true},
            "objects": [trunk("1"), trunk("2")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Zentrunk/Trunk/")
        .and(query(&[("limit", "2"), ("offset", "2")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "meta": {"next": "v1/Account/X/Zentrunk/Trunk/?limit=2&offset=0"},
            "objects": [trunk("3"), trunk("4")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Zentrunk/Trunk/")
        .and(query(&[("limit", "2"), ("offset", "4")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "meta": {"next": ""}, "objects": [trunk("5")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let filter = TrunkFilter {
        limit: Some(2),
        ..Default::default()
    };
    let all = client.trunks().all(&filter).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|t| t.trunk_id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
}

#[tokio::test]
async fn stream_stops_at_total_count_without_an_extra_request() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/")
        .and(query(&first_page()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "meta": {"total_count": 20},
            "objects": (0..20).map(|i| json!({"trunk_id": i.to_string(), "trunk_direction": "outbound"})).collect::<Vec<_>>()
        })))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let got: Vec<_> = client
        .trunks()
        .stream(&TrunkFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 20);
}

#[tokio::test]
async fn limit_above_20_is_refused_locally() {
    let server = server().await;
    let (client, _) = client_for(&server);
    let err = client
        .trunks()
        .list(&TrunkFilter {
            limit: Some(21),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.is_local());
    assert!(err.to_string().contains("\"21\""), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_accepts_the_nested_production_body() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/42741122632602585/")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("cli_zentrunkTrunkGetResponse_prod.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let t = client
        .trunks()
        .get(&TrunkId::new("42741122632602585"))
        .await
        .unwrap();
    assert_eq!(t.trunk_id.as_str(), "42741122632602585");
    assert_eq!(
        t.trunk_domain.as_deref(),
        Some("42741122632602585.zt.plivo.com")
    );
    assert_eq!(t.trunk_direction, TrunkDirection::Inbound);
    assert_eq!(t.trunk_status, Some(TrunkStatus::Enabled));
    assert_eq!(t.ipacl_uuid, None);
    assert_eq!(t.created_at.as_deref(), Some("2026-08-23T19:57:52Z"));
}

#[tokio::test]
async fn get_accepts_the_flat_documented_body() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/21784177241578/")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("docs_zentrunkTrunkObject.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let t = client.trunks().get(&"21784177241578".into()).await.unwrap();
    assert_eq!(t.trunk_direction, TrunkDirection::Outbound);
    assert_eq!(t.secure, Some(true));
    assert_eq!(
        t.ipacl_uuid,
        Some(IpAclId::new("90b6eb07-796c-4d86-a4fd-44ed11667ddb"))
    );
}

#[tokio::test]
async fn get_opt_maps_404_with_an_empty_body_to_none() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/404404/")
        .respond_with(ResponseTemplate::new(404).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Zentrunk/Trunk/500500/")
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": "boom"})))
        // A 500 on a GET is retried (Plivo advises retrying 5xx), then surfaces as the error.
        .expect(3)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    assert_eq!(
        client.trunks().get_opt(&"404404".into()).await.unwrap(),
        None
    );
    let err = client.trunks().get_opt(&"500500".into()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn create_sends_only_set_fields_and_returns_the_id() {
    let server = server().await;
    on("POST", "Zentrunk/Trunk/")
        .and(body_json(json!({
            "name": "acme-in",
            "trunk_direction": "inbound",
            "primary_uri_uuid": "8fde2db4"
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("docs_zentrunkTrunkCreateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let created = client
        .trunks()
        .create(&CreateTrunk::inbound(UriId::new("8fde2db4")).name("acme-in"))
        .await
        .unwrap();
    assert_eq!(created.id.as_str(), "986908123123411213");
    assert_eq!(
        created.api_id.as_deref(),
        Some("4e1f954c-baf3-11ec-bafe-0242ac110003")
    );
}

#[tokio::test]
async fn create_and_fetch_reads_the_trunk_domain_back() {
    let server = server().await;
    on("POST", "Zentrunk/Trunk/")
        .and(body_json(json!({
            "name": "acme-out",
            "trunk_direction": "outbound",
            "secure": false,
            "ipacl_uuid": "acl-1"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "api_id": "a", "message": "Trunk created successfully.", "trunk_id": "42741122632602585"
        })))
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Zentrunk/Trunk/42741122632602585/")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"api_id": "b", "object": {
                "trunk_id": "42741122632602585", "trunk_direction": "outbound",
                "trunk_domain": "42741122632602585.zt.plivo.com", "ipacl_uuid": "acl-1"
            }})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let t = client
        .trunks()
        .create_and_fetch(
            &CreateTrunk::outbound()
                .name("acme-out")
                .secure(false)
                .ipacl(IpAclId::new("acl-1")),
        )
        .await
        .unwrap();
    assert_eq!(
        t.trunk_domain.as_deref(),
        Some("42741122632602585.zt.plivo.com")
    );
}

#[tokio::test]
async fn invalid_creates_send_nothing() {
    let server = server().await;
    let (client, _) = client_for(&server);
    let err = client
        .trunks()
        .create(&CreateTrunk::outbound())
        .await
        .unwrap_err();
    assert!(err.is_local(), "{err}");
    let mut bad = CreateTrunk::inbound(UriId::new("u"));
    bad.credential_uuid = Some("c1".into());
    let err = client.trunks().create(&bad).await.unwrap_err();
    assert!(err.to_string().contains("\"c1\""), "{err}");
    let err = client
        .trunks()
        .get(&TrunkId::new("1/../../Number"))
        .await
        .unwrap_err();
    assert!(err.is_local(), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn update_reads_the_direction_first_when_not_given() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/777/")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"object": {
            "trunk_id": "777", "trunk_direction": "outbound", "ipacl_uuid": "a"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/Trunk/777/")
        .and(body_json(
            json!({"trunk_direction": "outbound", "trunk_status": "disabled"}),
        ))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(fixture("docs_zentrunkTrunkUpdateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let done = client
        .trunks()
        .update(
            &"777".into(),
            &UpdateTrunk {
                trunk_status: Some(TrunkStatus::Disabled),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(done.message.as_deref(), Some("Trunk updated successfully."));
}

#[tokio::test]
async fn update_sends_false_booleans_only_when_set_and_skips_the_read_when_direction_is_known() {
    let server = server().await;
    on("POST", "Zentrunk/Trunk/778/")
        .and(body_json(
            json!({"trunk_direction": "inbound", "secure": false}),
        ))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"api_id": "x", "message": "ok"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Zentrunk/Trunk/779/")
        .and(body_json(
            json!({"trunk_direction": "inbound", "name": "n"}),
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"api_id": "y"})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    client
        .trunks()
        .update(
            &"778".into(),
            &UpdateTrunk {
                trunk_direction: Some(TrunkDirection::Inbound),
                secure: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    client
        .trunks()
        .update(
            &"779".into(),
            &UpdateTrunk {
                trunk_direction: Some(TrunkDirection::Inbound),
                name: Some("n".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn delete_keeps_the_trailing_slash() {
    let server = server().await;
    on("DELETE", "Zentrunk/Trunk/42741122632602585/")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    client
        .trunks()
        .delete(&"42741122632602585".into())
        .await
        .unwrap();
}

#[tokio::test]
async fn find_by_name_matches_exactly() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/")
        .and(query(&first_page()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("docs_zentrunkTrunkListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let found = client.trunks().find_by_name("trunk_name_2").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].trunk_id.as_str(), "31784177241575");
}
