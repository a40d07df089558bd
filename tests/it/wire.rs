//! Planning against hand-written Plivo bodies (wiremock), for shapes the sandbox does not produce.

use interconnect_core::InboundAuth;
use interconnect_core::interconnect::{Action, Op};
use interconnect_core::naming::ResourceRole;
use interconnect_core::{ResourceName, Sbc};
use plivo_client::PlivoClient;
use serde_json::json;
use wehostvoip_client::InMemory;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, NUMBER, TENANT};

const AUTH_ID: &str = "MAWIREMOCK0000000001";

fn page(objects: &serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "api_id": "a",
        "meta": {"limit": 20, "offset": 0, "next": null, "previous": null, "total_count": 1},
        "objects": objects,
    }))
}

#[tokio::test]
async fn a_trunk_listed_without_its_domain_is_read_back() {
    let server = MockServer::start().await;
    let base = format!("/v1/Account/{AUTH_ID}");
    let us = Sbc::preset("us").unwrap();
    let outbound =
        ResourceName::new(&TENANT.parse().unwrap(), us, ResourceRole::OutboundTrunk).to_string();
    Mock::given(method("GET"))
        .and(path(format!("{base}/Zentrunk/IPAccessControlList/")))
        .respond_with(page(&json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/Zentrunk/URI/")))
        .respond_with(page(&json!([])))
        .mount(&server)
        .await;
    // The list leaves trunk_domain out.
    Mock::given(method("GET"))
        .and(path(format!("{base}/Zentrunk/Trunk/")))
        .respond_with(page(&json!([{
            "trunk_id": "42741122632602585", "name": outbound, "trunk_direction": "outbound",
            "trunk_status": "enabled", "ipacl_uuid": null
        }])))
        .mount(&server)
        .await;
    // The get (nested, as production answers) has it.
    Mock::given(method("GET"))
        .and(path(format!("{base}/Zentrunk/Trunk/42741122632602585/")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "api_id": "b",
            "object": {
                "trunk_id": "42741122632602585", "name": outbound, "trunk_direction": "outbound",
                "trunk_status": "enabled", "trunk_domain": "42741122632602585.zt.plivo.com"
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/Number/{}/", &NUMBER[1..])))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"api_id": "c", "error": "not found"})),
        )
        .mount(&server)
        .await;

    let plivo = PlivoClient::builder()
        .auth_id(AUTH_ID)
        .auth_token("t0ken-for-wiremock")
        .base_url(server.uri())
        .build()
        .unwrap();
    let ic = common::builder(plivo, Box::new(InMemory::new(common::world())))
        .inbound_auth(InboundAuth::None)
        .build()
        .unwrap();
    let plan = ic.plan().await.unwrap();
    let carrier = plan
        .steps()
        .iter()
        .find(|s| matches!(s.op(), Op::Carrier { .. }))
        .unwrap();
    assert_eq!(carrier.action(), Action::Create);
    let to = carrier.changes()[0].to.as_deref().unwrap();
    assert!(
        to.contains("plivo-primary=42741122632602585.zt.plivo.com"),
        "{plan}"
    );
    // The number is not on the account (404 with Plivo's body): a conflict, not an error.
    assert!(
        plan.conflicts().iter().any(|c| c.code == "missing-number"),
        "{plan}"
    );
}
