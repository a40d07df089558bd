//! Zentrunk CDR endpoints.

use plivo_client::CallFilter;
use wiremock::ResponseTemplate;

use crate::{client_for, fixture, on, query, server};

#[tokio::test]
async fn list_strips_plus_from_number_filters() {
    let server = server().await;
    on("GET", "Zentrunk/Call/")
        .and(query(&[
            ("to_number", "15105550100"),
            ("call_direction", "inbound"),
            ("end_time__gte", "2026-09-18 00:00"),
            ("limit", "5"),
            ("offset", "0"),
        ]))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("php_zentrunkCallsListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let page = client
        .calls()
        .list(&CallFilter {
            to_number: Some("+15105550100".into()),
            call_direction: Some("inbound".into()),
            end_time_gte: Some("2026-09-18 00:00".into()),
            limit: Some(5),
            ..Default::default()
        })
        .await
        .unwrap();
    // Legacy field names land in the current fields.
    let first = &page.objects[0];
    assert_eq!(first.call_duration, Some(20));
    assert_eq!(first.hangup_cause_name.as_deref(), Some("normal_hangup"));
    assert_eq!(first.hangup_source.as_deref(), Some("customer"));
    assert_eq!(first.hangup_cause_code, Some(3010));
    assert_eq!(first.total_rate.as_deref(), Some("0.00650"));
    assert!(first.connected());
    assert!(!page.objects[1].connected());
}

#[tokio::test]
async fn get_and_insights() {
    let server = server().await;
    on("GET", "Zentrunk/Call/f3f74402-59af-40b3-909c-80c50a4b063f/")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("cli_zentrunkCallGetResponse_prod.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on(
        "GET",
        "Zentrunk/Call/c9d6be3d-94c3-4b38-a2eb-8063ca404d77/Insights/",
    )
    .respond_with(
        ResponseTemplate::new(200).set_body_json(fixture("docs_zentrunkCallInsightsResponse.json")),
    )
    .expect(1)
    .mount(&server)
    .await;
    let (client, _) = client_for(&server);
    let call = client
        .calls()
        .get(&"f3f74402-59af-40b3-909c-80c50a4b063f".into())
        .await
        .unwrap();
    assert_eq!(call.from_number.as_deref(), Some("+919902443540"));
    assert_eq!(call.hangup_cause_code, Some(3000));
    assert_eq!(call.cnam_lookup, Some(false));
    assert_eq!(call.billed_duration, Some(60));
    assert_eq!(call.attestation_indicator.as_deref(), Some("C"));
    let q = client
        .calls()
        .insights(&"c9d6be3d-94c3-4b38-a2eb-8063ca404d77".into())
        .await
        .unwrap();
    assert_eq!(q.plivo_quality_score.as_deref(), Some("4.2"));
    assert_eq!(q.post_dial_delay, Some(1000.0));
    assert_eq!(q.from.unwrap().carrier.as_deref(), Some("Verizon Wireless"));
}

#[tokio::test]
async fn bad_filters_send_nothing() {
    let server = server().await;
    let (client, _) = client_for(&server);
    for f in [
        CallFilter {
            from_number: Some(String::new()),
            ..Default::default()
        },
        CallFilter {
            end_time_lt: Some("2026-09-18 00:00".into()),
            ..Default::default()
        },
    ] {
        assert!(client.calls().list(&f).await.unwrap_err().is_local());
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
