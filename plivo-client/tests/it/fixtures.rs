//! Every copied fixture decodes into its type (unknown fields ignored, nullable links as `None`).

use plivo_client::{
    BuyResult, Call, CallInsights, Credential, IpAcl, Number, OriginationUri, Page, PhoneNumber,
    Trunk, Updated,
};
use serde::de::DeserializeOwned;
use wiremock::ResponseTemplate;

use crate::{client_for, fixture, on, server};

fn decode<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn zentrunk_fixtures_decode() {
    let t: Trunk = decode("docs_zentrunkTrunkObject.json");
    assert_eq!(t.fallback_uri_uuid, None);
    let page: Page<Trunk> = decode("docs_zentrunkTrunkListResponse.json");
    assert_eq!(page.objects.len(), 2);
    let _: Page<IpAcl> = decode("docs_zentrunkIPACLListResponse.json");
    let _: IpAcl = decode("docs_zentrunkIPACLObject.json");
    let _: Page<Credential> = decode("docs_zentrunkCredentialListResponse.json");
    let _: Credential = decode("docs_zentrunkCredentialObject.json");
    let _: Page<OriginationUri> = decode("docs_zentrunkURIListResponse.json");
    let u: OriginationUri = decode("docs_zentrunkURIObject.json");
    assert!(u.authentication_needed);
    let calls: Page<Call> = decode("php_zentrunkCallsListResponse.json");
    assert_eq!(calls.meta.next, Some(serde_json::Value::Bool(true)));
    let c: Call = decode("cli_zentrunkCallGetResponse_prod.json");
    assert_eq!(
        c.call_id.as_deref(),
        Some("459580122_124515270@206.146.101.14")
    );
    let _: CallInsights = decode("docs_zentrunkCallInsightsResponse.json");
    for name in [
        "docs_zentrunkTrunkCreateResponse.json",
        "docs_zentrunkTrunkUpdateResponse.json",
        "docs_zentrunkIPACLCreateResponse.json",
        "docs_zentrunkIPACLUpdateResponse.json",
        "docs_zentrunkCredentialCreateResponse.json",
        "docs_zentrunkCredentialUpdateResponse.json",
        "docs_zentrunkURICreateResponse.json",
        "docs_zentrunkURIUpdateResponse.json",
    ] {
        let u: Updated = decode(name);
        assert!(u.api_id.is_some(), "{name}");
    }
}

#[test]
fn number_fixtures_decode() {
    for name in ["go_numberGetResponse.json", "python_numberGetResponse.json"] {
        let n: Number = decode(name);
        assert_eq!(n.number, "17609915566", "{name}");
        assert_eq!(n.trunk_id(), None);
    }
    for name in [
        "go_numberListResponse.json",
        "python_numberListResponse.json",
    ] {
        let p: Page<Number> = decode(name);
        assert_eq!(p.objects.len(), 3, "{name}");
        assert_eq!(p.meta.total_count, Some(20));
    }
    let on_trunk: Page<Number> = decode("cli_numberListOnTrunk_mock.json");
    assert_eq!(on_trunk.objects[0].trunk_id().unwrap().as_str(), "T1");
    for name in [
        "go_phoneNumberListResponse.json",
        "python_phoneNumberListResponse.json",
    ] {
        let p: Page<PhoneNumber> = decode(name);
        assert_eq!(p.objects[0].number_type.as_deref(), Some("fixed"), "{name}");
    }
    for name in [
        "go_phoneNumberCreateResponse.json",
        "python_phoneNumberCreateResponse.json",
    ] {
        let b: BuyResult = decode(name);
        assert_eq!(b.numbers[0].number, "14154009186", "{name}");
    }
    for name in [
        "go_numberUpdateResponse.json",
        "go_numberCreateResponse.json",
        "python_numberUpdateResponse.json",
    ] {
        let u: Updated = decode(name);
        assert_eq!(u.message.as_deref(), Some("changed"), "{name}");
    }
}

#[tokio::test]
async fn error_fixtures_parse_leniently() {
    let cases = [
        (
            "docs_errorResponse.json",
            400,
            Some("97ceeb52-58b6-11e1-86da-77300b68f8bb"),
            "answer_url parameter is missing",
            None,
        ),
        (
            "go_lookupGetError.json",
            404,
            Some("e2627405-543d-4280-bdfc-a9777073838d"),
            "Phone number is invalid or does not exist.",
            Some("404"),
        ),
        (
            "go_profileDeleteResponse.json",
            404,
            Some("e4fa5df0-0989-11ed-a350-0242ac110004"),
            "Profile not found.",
            None,
        ),
        (
            "go_campaignNumberLinkUnlinkResponse.json",
            400,
            Some("efd83afc-072d-11ed-ab02-0242ac110004"),
            "The number xxxxx is not a valid number",
            None,
        ),
        (
            "java_phoneNumberComplianceNotFoundResponse.json",
            404,
            Some("error-api-id-001"),
            "not found",
            None,
        ),
        (
            "php_messageCreate401Response.json",
            401,
            None,
            "authentication credentials were not provided",
            None,
        ),
    ];
    let server = server().await;
    for (i, (name, status, _, _, _)) in cases.iter().enumerate() {
        on("GET", &format!("Zentrunk/Call/e{i}/"))
            .respond_with(ResponseTemplate::new(*status).set_body_json(fixture(name)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let (client, _) = client_for(&server);
    for (i, (name, status, api_id, message, code)) in cases.into_iter().enumerate() {
        let err = client
            .calls()
            .get(&format!("e{i}").as_str().into())
            .await
            .unwrap_err();
        let api = err.api_error().unwrap_or_else(|| panic!("{name}: {err}"));
        assert_eq!(api.status.as_u16(), status, "{name}");
        assert_eq!(api.request_id.as_deref(), api_id, "{name}");
        assert_eq!(api.message, message, "{name}");
        assert_eq!(api.code.as_deref(), code, "{name}");
        assert!(err.to_string().contains(message), "{name}: {err}");
        assert!(!err.is_retryable(), "{name}");
    }
}
