//! Account numbers and the number inventory.

use plivo_client::{BuyNumber, Error, NumberFilter, PhoneNumberSearch, Refusal, UpdateNumber};
use serde_json::json;
use wiremock::ResponseTemplate;
use wiremock::matchers::body_json;

use crate::{client_for, first_page, fixture, on, query, server};

#[tokio::test]
async fn list_get_update_and_unrent_use_digits_without_plus() {
    let server = server().await;
    on("GET", "Number/")
        .and(query(&[
            ("type", "local"),
            ("number_startswith", "1415"),
            ("limit", "3"),
            ("offset", "0"),
        ]))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("go_numberListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Number/17609915566/")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("python_numberGetResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Number/17609915566/")
        .and(body_json(json!({"alias": "main line"})))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(fixture("go_numberUpdateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("DELETE", "Number/17609915566/")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let page = client
        .numbers()
        .list(&NumberFilter {
            number_type: Some("local".into()),
            number_startswith: Some("1415".into()),
            limit: Some(3),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.objects.len(), 3);
    assert_eq!(page.objects[0].trunk_id(), None);
    let n = client.numbers().get("+17609915566").await.unwrap();
    assert_eq!(n.active, Some(false));
    let done = client
        .numbers()
        .update(
            "+17609915566",
            &UpdateNumber {
                alias: Some("main line".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(done.message.as_deref(), Some("changed"));
    client.numbers().unrent("17609915566").await.unwrap();
}

#[tokio::test]
async fn attach_reads_the_trunk_and_sends_its_id_as_app_id() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/31784177241575/")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"object": {
            "trunk_id": "31784177241575", "trunk_direction": "inbound", "primary_uri_uuid": "u"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "Number/15105550100/")
        .and(body_json(json!({"app_id": "31784177241575"})))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"api_id": "x", "message": "changed"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    client
        .numbers()
        .attach_to_trunk("+15105550100", &"31784177241575".into())
        .await
        .unwrap();
}

#[tokio::test]
async fn attach_to_an_outbound_trunk_is_refused_locally() {
    let server = server().await;
    on("GET", "Zentrunk/Trunk/21784177241578/")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("docs_zentrunkTrunkObject.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let err = client
        .numbers()
        .attach_to_trunk("+15105550100", &"21784177241578".into())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Refused(Refusal::OutboundTrunkAttach { number, .. }) if number == "15105550100"),
        "{err}"
    );
    assert!(err.is_local());
    // Only the trunk read reached the server; the catch-all would have answered a POST with 418.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "GET");
}

#[tokio::test]
async fn detach_and_numbers_on_trunk() {
    let server = server().await;
    on("POST", "Number/15105550100/")
        .and(body_json(json!({"app_id": "29986316244302815"})))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(fixture("python_numberUpdateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("GET", "Number/")
        .and(query(&first_page()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("cli_numberListOnTrunk_mock.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    client
        .numbers()
        .detach("+15105550100", "29986316244302815")
        .await
        .unwrap();
    let on_trunk = client.numbers().on_trunk(&"T1".into()).await.unwrap();
    assert_eq!(on_trunk.len(), 2);
    assert!(client.numbers().get("+0123").await.unwrap_err().is_local());
}

#[tokio::test]
async fn search_and_buy() {
    let server = server().await;
    on("GET", "PhoneNumber/")
        .and(query(&[
            ("country_iso", "US"),
            ("type", "local"),
            ("pattern", "415"),
            ("limit", "20"),
            ("offset", "0"),
        ]))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("python_phoneNumberListResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    on("POST", "PhoneNumber/14154009186/")
        .and(body_json(json!({})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture("python_phoneNumberCreateResponse.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let found = client
        .phone_numbers()
        .search(
            &PhoneNumberSearch::new("US")
                .number_type("local")
                .pattern("415"),
        )
        .await
        .unwrap();
    assert_eq!(found.objects[0].lata.as_deref(), Some("722"));
    assert_eq!(found.objects[0].prerequisites.len(), 1);
    let bought = client
        .phone_numbers()
        .buy("+14154009186", &BuyNumber::default())
        .await
        .unwrap();
    assert_eq!(bought.status.as_deref(), Some("fulfilled"));
    assert_eq!(
        bought.numbers[0].fallback_number.as_deref(),
        Some("14154009187")
    );
    assert!(
        client
            .phone_numbers()
            .search(&PhoneNumberSearch::new("USA"))
            .await
            .unwrap_err()
            .is_local()
    );
}
