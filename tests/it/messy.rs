//! A real, messy Plivo account: hand-made objects, numbers routed elsewhere, more than 20 of
//! everything, `null`s, and the request budget of each run, counted from the sandbox's log.

use std::num::NonZeroU16;
use std::sync::Arc;

use interconnect_core::interconnect::{Op, RouteKind, TeardownOptions};
use interconnect_core::sbc::{AddressPolicy, StaticResolver};
use interconnect_core::{E164, InboundAuth, InterconnectError, Sbc};
use plivo_client::sandbox::{DEFAULT_APP_ID, Listing, RequestRecord, Sandbox};
use plivo_client::{CreateIpAcl, CreateTrunk, CreateUri, PlivoClient, UpdateIpAcl, UpdateUri};
use serde_json::json;
use wehostvoip_client::{Checklist, Confirmation, InMemory, Subscriber, World};

use crate::common::{self, NUMBER, TENANT};
use crate::e2e::plivo_shape;

fn writes(log: &[RequestRecord]) -> usize {
    log.iter().filter(|r| r.method != "GET").count()
}

fn codes(plan: &interconnect_core::Plan) -> Vec<&str> {
    plan.warnings().iter().map(|w| w.code.as_str()).collect()
}

async fn setup() -> (Sandbox, interconnect_core::Interconnect) {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    (sandbox, ic)
}

/// A foreign inbound trunk (with its own URI) that numbers can be routed to.
pub(crate) async fn foreign_inbound(client: &PlivoClient) -> plivo_client::TrunkId {
    let uri = client
        .uris()
        .create(&CreateUri::new("pbx.other.example:5060").name("other-pbx"))
        .await
        .unwrap();
    client
        .trunks()
        .create(&CreateTrunk::inbound(uri.id).name("other-inbound"))
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn request_budget_of_one_number_first_run_rerun_and_teardown() {
    let (sandbox, ic) = setup().await;
    let plan = ic.plan().await.unwrap();
    ic.apply(&plan).await.unwrap();
    let first = sandbox.requests();
    sandbox.reset_log();
    let again = ic.plan().await.unwrap();
    assert!(again.is_empty(), "{again}");
    ic.apply(&again).await.unwrap();
    let second = sandbox.requests();
    sandbox.reset_log();
    let teardown = ic.teardown_plan().await.unwrap();
    ic.apply(&teardown).await.unwrap();
    let down = sandbox.requests();
    eprintln!(
        "one number: first run {} requests ({} writes), re-run {} ({} writes), teardown {} ({} writes)",
        first.len(),
        writes(&first),
        second.len(),
        writes(&second),
        down.len(),
        writes(&down)
    );
    assert!(first.len() <= 12, "first run: {first:#?}");
    assert_eq!(writes(&first), 5);
    assert!(second.len() <= 6, "re-run: {second:#?}");
    assert_eq!(writes(&second), 0);
    assert!(down.len() <= 10, "teardown: {down:#?}");
    assert_eq!(writes(&down), 4);
}

#[tokio::test]
async fn request_budget_of_fifty_numbers() {
    let sandbox = Sandbox::builder().empty_inventory().start().await;
    let mut world = World::new();
    world.add_tenant(TENANT.parse().unwrap()).unwrap();
    world
        .add_subscriber(
            &TENANT.parse().unwrap(),
            Subscriber::new("1001".parse().unwrap()),
        )
        .unwrap();
    let mut builder = common::builder(common::client(&sandbox), Box::new(InMemory::new(world)))
        .inbound_auth(InboundAuth::None);
    for i in 0..49 {
        let n = format!("+1415555{:04}", 2000 + i);
        sandbox.add_account_number(&n).unwrap();
        if n != NUMBER {
            builder = builder.number(n.parse().unwrap(), "1001");
        }
    }
    sandbox.add_account_number(NUMBER).unwrap();
    let ic = builder.build().unwrap();
    let plan = ic.plan().await.unwrap();
    ic.apply(&plan).await.unwrap();
    let log = sandbox.requests();
    eprintln!(
        "50 numbers on the account, all routed: first run {} requests ({} writes)",
        log.len(),
        writes(&log)
    );
    assert!(log.len() <= 64, "{} requests", log.len());
    assert_eq!(writes(&log), 4 + 50);
    assert!(ic.plan().await.unwrap().is_empty());
}

#[tokio::test]
async fn teardown_keeps_an_acl_a_foreign_trunk_uses_and_says_why() {
    let (sandbox, ic) = setup().await;
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let client = common::client(&sandbox);
    let acl = sandbox.state().ip_acls[0].ipacl_uuid.clone();
    let foreign = client
        .trunks()
        .create(
            &CreateTrunk::outbound()
                .name("office-outbound")
                .ipacl(acl.as_str().into()),
        )
        .await
        .unwrap();
    let teardown = ic.teardown_plan().await.unwrap();
    let kept = teardown
        .warnings()
        .iter()
        .find(|w| w.code == "kept-shared")
        .expect("a kept-shared warning");
    assert!(kept.message.contains(foreign.id.as_str()), "{teardown}");
    assert!(
        !teardown
            .steps()
            .iter()
            .any(|s| matches!(s.op(), Op::DeleteIpAcl { .. })),
        "{teardown}"
    );
    ic.apply(&teardown).await.unwrap();
    let state = sandbox.state();
    assert_eq!(state.ip_acls.len(), 1, "the shared ACL stays");
    let office = state
        .trunks
        .iter()
        .find(|t| t.name == "office-outbound")
        .unwrap();
    assert_eq!(office.ipacl_uuid.as_deref(), Some(acl.as_str()));
    assert_eq!(state.trunks.len(), 1, "the rest of ours is gone");
}

#[tokio::test]
async fn teardown_keeps_a_uri_a_foreign_trunk_uses() {
    let (sandbox, ic) = setup().await;
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let client = common::client(&sandbox);
    let uri = sandbox.state().uris[0].uri_uuid.clone();
    client
        .trunks()
        .create(&CreateTrunk::inbound(uri.as_str().into()).name("office-inbound"))
        .await
        .unwrap();
    let teardown = ic.teardown_plan().await.unwrap();
    assert!(codes(&teardown).contains(&"kept-shared"), "{teardown}");
    assert!(!teardown.has_conflicts(), "{teardown}");
    ic.apply(&teardown).await.unwrap();
    let state = sandbox.state();
    assert_eq!(state.uris.len(), 1);
    assert!(state.trunks.iter().any(|t| t.name == "office-inbound"));
}

#[tokio::test]
async fn a_hand_attached_number_on_our_trunk_blocks_teardown_unless_forced() {
    let (sandbox, ic) = setup().await;
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    sandbox.add_account_number("+14155550999").unwrap();
    let client = common::client(&sandbox);
    let inbound = sandbox
        .state()
        .trunks
        .iter()
        .find(|t| t.name.ends_with("-inbound"))
        .unwrap()
        .trunk_id
        .clone();
    client
        .numbers()
        .attach_to_trunk("+14155550999", &inbound.as_str().into())
        .await
        .unwrap();
    let teardown = ic.teardown_plan().await.unwrap();
    assert!(
        teardown
            .conflicts()
            .iter()
            .any(|c| c.code == "foreign-number-on-trunk" && c.message.contains("14155550999")),
        "{teardown}"
    );
    assert!(matches!(
        ic.apply(&teardown).await,
        Err(InterconnectError::Conflicts { .. })
    ));
    let forced = ic
        .teardown_plan_with(&TeardownOptions::default().force(true))
        .await
        .unwrap();
    assert!(!forced.has_conflicts());
    assert!(codes(&forced).contains(&"forced-detach"), "{forced}");
    ic.apply(&forced).await.unwrap();
    assert!(sandbox.state().trunks.is_empty());
}

#[tokio::test]
async fn a_number_on_another_trunk_is_a_conflict_until_taken_over_and_teardown_restores_it() {
    let sandbox = common::sandbox().await;
    let client = common::client(&sandbox);
    let other = foreign_inbound(&client).await;
    client
        .numbers()
        .attach_to_trunk(NUMBER, &other)
        .await
        .unwrap();
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    let plan = ic.plan().await.unwrap();
    assert!(
        plan.conflicts()
            .iter()
            .any(|c| c.code == "number-routed-elsewhere" && c.message.contains(other.as_str())),
        "{plan}"
    );
    let ic = common::builder(client.clone(), Box::new(InMemory::new(common::world())))
        .inbound_auth(InboundAuth::None)
        .take_over(true)
        .build()
        .unwrap();
    let plan = ic.plan().await.unwrap();
    assert!(!plan.has_conflicts(), "{plan}");
    assert!(codes(&plan).contains(&"take-over"));
    assert!(
        plan.to_string().contains(&format!("app_id: trunk {other}")),
        "{plan}"
    );
    let report = ic.apply(&plan).await.unwrap();
    let previous = report.previous_routes().to_vec();
    assert_eq!(previous.len(), 1);
    assert_eq!(previous[0].kind, RouteKind::Trunk);
    assert_eq!(previous[0].app_id, other.as_str());
    // The route survives a JSON state file.
    let saved = serde_json::to_string(&previous).unwrap();
    let restored: Vec<interconnect_core::interconnect::PreviousRoute> =
        serde_json::from_str(&saved).unwrap();

    let teardown = ic
        .teardown_plan_with(&TeardownOptions::default().restore(restored))
        .await
        .unwrap();
    assert!(
        teardown
            .steps()
            .iter()
            .any(|s| matches!(s.op(), Op::RestoreRoute { .. })),
        "{teardown}"
    );
    ic.apply(&teardown).await.unwrap();
    let number = client.numbers().get(NUMBER).await.unwrap();
    assert_eq!(
        number.trunk_id(),
        Some(other),
        "the number is back on its trunk"
    );
}

#[tokio::test]
async fn a_number_on_an_application_shows_its_previous_route() {
    let sandbox = common::sandbox().await;
    let client = common::client(&sandbox);
    client
        .numbers()
        .detach(NUMBER, DEFAULT_APP_ID)
        .await
        .unwrap();
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    let plan = ic.plan().await.unwrap();
    assert!(!plan.has_conflicts(), "{plan}");
    assert!(codes(&plan).contains(&"previous-route"), "{plan}");
    assert_eq!(plan.previous_routes().count(), 1);
    assert!(
        plan.to_string()
            .contains(&format!("application {DEFAULT_APP_ID}"))
    );
    let report = ic.apply(&plan).await.unwrap();
    assert_eq!(report.previous_routes()[0].kind, RouteKind::Application);
}

#[tokio::test]
async fn a_hand_made_setup_for_the_same_sbc_is_named_not_duplicated_silently() {
    let (sandbox, ic) = setup().await;
    let client = common::client(&sandbox);
    let acl = client
        .ip_acls()
        .create(&CreateIpAcl::new(["172.174.24.204/32"]).name("office-sbc"))
        .await
        .unwrap();
    client
        .trunks()
        .create(
            &CreateTrunk::outbound()
                .name("office-out")
                .ipacl(acl.id.clone()),
        )
        .await
        .unwrap();
    client
        .uris()
        .create(&CreateUri::new("SBC-US.wehostvoip.io").name("office-uri"))
        .await
        .unwrap();
    let plan = ic.plan().await.unwrap();
    let hand: Vec<_> = plan
        .warnings()
        .iter()
        .filter(|w| w.code == "hand-made-setup")
        .collect();
    assert_eq!(hand.len(), 2, "{plan}");
    assert!(hand[0].message.contains(acl.id.as_str()) && hand[0].message.contains("office-out"));
    assert!(hand[1].message.contains("office-uri"));
    ic.apply(&plan).await.unwrap();
    let state = sandbox.state();
    assert!(
        state
            .ip_acls
            .iter()
            .any(|a| a.name.as_deref() == Some("office-sbc"))
    );
}

#[tokio::test]
async fn a_tenant_written_three_ways_is_one_tenant() {
    let (sandbox, ic) = setup().await;
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let before = plivo_shape(&sandbox.state());
    for spelling in [
        "ACME.hobot.wehostvoip.io",
        "acme.hobot.wehostvoip.io.",
        " Acme.Hobot.WeHostVoIP.io. ",
    ] {
        let other = common::builder(
            common::client(&sandbox),
            Box::new(InMemory::new(common::world())),
        )
        .inbound_auth(InboundAuth::None)
        .tenant(spelling)
        .build()
        .unwrap();
        assert_eq!(
            other.resource_name(interconnect_core::naming::ResourceRole::IpAcl),
            ic.resource_name(interconnect_core::naming::ResourceRole::IpAcl)
        );
        let plan = other.plan().await.unwrap();
        assert!(
            plan.pending()
                .all(|s| s.op().side() == interconnect_core::interconnect::Side::WeHostVoip),
            "{spelling}: {plan}"
        );
    }
    assert_eq!(plivo_shape(&sandbox.state()), before);
}

#[tokio::test]
async fn two_dedicated_sbcs_of_one_tenant_are_two_interconnects() {
    let sandbox = common::sandbox().await;
    let dns = StaticResolver::new()
        .with(
            "sbc1.acme.example".parse().unwrap(),
            ["198.51.100.10".parse().unwrap()],
        )
        .with(
            "sbc2.acme.example".parse().unwrap(),
            ["198.51.100.20".parse().unwrap()],
        );
    let build = |sbc: &str| {
        common::builder(
            common::client(&sandbox),
            Box::new(InMemory::new(common::world())),
        )
        .inbound_auth(InboundAuth::None)
        .resolver(dns.clone())
        .sbc(sbc.parse::<Sbc>().unwrap())
        .build()
        .unwrap()
    };
    let one = build("sbc1.acme.example");
    let two = build("sbc2.acme.example");
    assert_ne!(one.sbc().label(), two.sbc().label());
    one.apply(&one.plan().await.unwrap()).await.unwrap();
    let plan = two.plan().await.unwrap();
    // The second SBC creates its own ACL and URI; the first one's are not repointed.
    assert!(
        plan.steps()
            .iter()
            .any(|s| matches!(s.op(), Op::IpAcl { existing: None, .. }))
    );
    assert!(
        plan.steps()
            .iter()
            .any(|s| matches!(s.op(), Op::OriginationUri { existing: None, .. }))
    );
    let acl_before = sandbox.state().ip_acls.clone();
    // The number is on the first SBC's trunk: moving it is a take-over.
    assert!(
        plan.conflicts()
            .iter()
            .any(|c| c.code == "number-routed-elsewhere"),
        "{plan}"
    );
    assert_eq!(sandbox.state().ip_acls, acl_before);
}

#[tokio::test]
async fn sbc_addresses_follow_the_rules_and_ipv6_is_bracketed() {
    let sandbox = common::sandbox().await;
    let build = |sbc: Sbc, policy: AddressPolicy| {
        common::builder(
            common::client(&sandbox),
            Box::new(InMemory::new(common::world())),
        )
        .inbound_auth(InboundAuth::None)
        .sbc(sbc)
        .sbc_address_policy(policy)
        .build()
    };
    for bad in [
        "0.0.0.0",
        "::",
        "127.0.0.1",
        "::1",
        "224.0.0.5",
        "169.254.1.1",
        "fe80::1",
        "10.0.0.7",
        "fd00::7",
    ] {
        let sbc = Sbc::dedicated_host(bad.parse().unwrap(), None);
        let err = build(sbc, AddressPolicy::default()).unwrap_err();
        assert!(
            matches!(err, InterconnectError::SbcAddress(_)),
            "{bad}: {err:?}"
        );
        assert!(
            err.to_string()
                .contains(&bad.parse::<std::net::IpAddr>().unwrap().to_string()),
            "{err}"
        );
    }
    let private = Sbc::dedicated_host("10.0.0.7".parse().unwrap(), None);
    assert!(build(private, AddressPolicy::default().allow_private(true)).is_ok());
    // A name that resolves to a private address is refused at plan time, before any request.
    let dns = StaticResolver::new().with(
        "sbc.lan.example".parse().unwrap(),
        ["192.168.1.5".parse().unwrap()],
    );
    let lan = common::builder(
        common::client(&sandbox),
        Box::new(InMemory::new(common::world())),
    )
    .inbound_auth(InboundAuth::None)
    .resolver(dns)
    .sbc("sbc.lan.example".parse().unwrap())
    .build()
    .unwrap();
    sandbox.reset_log();
    assert!(matches!(
        lan.plan().await,
        Err(InterconnectError::SbcAddress(_))
    ));
    assert!(sandbox.requests().is_empty());

    let v6 = Sbc::dedicated_host("2001:db8::10".parse().unwrap(), None)
        .with_sip_port(NonZeroU16::new(5080).unwrap());
    let ic = build(v6, AddressPolicy::default()).unwrap();
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let state = sandbox.state();
    assert_eq!(state.uris[0].uri, "[2001:db8::10]:5080;transport=udp");
    assert_eq!(state.ip_acls[0].ip_addresses, ["2001:db8::10"]);
    assert!(ic.plan().await.unwrap().is_empty());
}

#[tokio::test]
async fn nulls_numeric_ids_and_unreadable_objects_never_abort_the_plan() {
    let (sandbox, ic) = setup().await;
    sandbox.seed_listed_json(
        Listing::IpAcl,
        json!({"ipacl_uuid": "hand-1", "name": "old office", "ip_addresses": null}),
    );
    sandbox.seed_listed_json(
        Listing::Uri,
        json!({"uri_uuid": "hand-2", "name": null, "uri": null, "authentication_needed": null}),
    );
    sandbox.seed_listed_json(
        Listing::Trunk,
        json!({"trunk_id": 31_784_177_241_575_u64, "name": "numeric", "trunk_direction": "outbound"}),
    );
    // No direction at all: this one cannot be read.
    sandbox.seed_listed_json(
        Listing::Trunk,
        json!({"trunk_id": "broken-1", "name": "broken"}),
    );
    let plan = ic.plan().await.unwrap();
    let unreadable: Vec<_> = plan
        .warnings()
        .iter()
        .filter(|w| w.code == "unreadable-object")
        .collect();
    assert_eq!(unreadable.len(), 1, "{plan}");
    assert!(unreadable[0].message.contains("broken-1"));
    ic.apply(&plan).await.unwrap();
    assert!(ic.plan().await.unwrap().is_empty());
    assert!(!ic.teardown_plan().await.unwrap().has_conflicts());
}

#[tokio::test]
async fn equivalent_values_are_no_change() {
    let (sandbox, ic) = setup().await;
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let client = common::client(&sandbox);
    let state = sandbox.state();
    client
        .ip_acls()
        .update(
            &state.ip_acls[0].ipacl_uuid.as_str().into(),
            &UpdateIpAcl {
                ip_addresses: Some(vec!["172.174.24.204/32".into()]),
                ..UpdateIpAcl::default()
            },
        )
        .await
        .unwrap();
    client
        .uris()
        .update(
            &state.uris[0].uri_uuid.as_str().into(),
            &UpdateUri {
                uri: Some("SBC-US.WeHostVoIP.io".into()),
                ..UpdateUri::default()
            },
        )
        .await
        .unwrap();
    sandbox.reset_log();
    let plan = ic.plan().await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    ic.apply(&plan).await.unwrap();
    assert_eq!(writes(&sandbox.requests()), 0);
}

#[tokio::test]
async fn more_than_twenty_of_everything() {
    let (sandbox, ic) = setup().await;
    for i in 0..25 {
        sandbox.seed_listed_json(
            Listing::IpAcl,
            json!({"ipacl_uuid": format!("f-acl-{i}"), "name": format!("other-{i}"), "ip_addresses": ["203.0.113.9"]}),
        );
        sandbox.seed_listed_json(
            Listing::Trunk,
            json!({"trunk_id": format!("{}", 1000 + i), "name": format!("other-{i}"), "trunk_direction": "outbound", "ipacl_uuid": format!("f-acl-{i}")}),
        );
        sandbox.seed_listed_json(
            Listing::Uri,
            json!({"uri_uuid": format!("f-uri-{i}"), "name": format!("other-{i}"), "uri": "pbx.other.example"}),
        );
        sandbox
            .add_account_number(&format!("+1202555{:04}", 100 + i))
            .unwrap();
    }
    let plan = ic.plan().await.unwrap();
    assert!(!plan.has_conflicts(), "{plan}");
    ic.apply(&plan).await.unwrap();
    // Our objects sit on page 2 of every list and are found there.
    assert!(ic.plan().await.unwrap().is_empty());
    let teardown = ic.teardown_plan().await.unwrap();
    assert!(!teardown.has_conflicts(), "{teardown}");
    ic.apply(&teardown).await.unwrap();
    assert!(sandbox.state().trunks.is_empty());
}

#[tokio::test]
async fn teardown_through_the_checklist_lists_the_wehostvoip_steps() {
    let sandbox = common::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("checklist.json");
    let build = |backend: Box<dyn wehostvoip_client::WeHostVoip>| {
        common::builder(common::client(&sandbox), backend)
            .inbound_auth(InboundAuth::SeedAliasGateway)
            .build()
            .unwrap()
    };
    let checklist = Arc::new(Checklist::open(&state, common::world()).unwrap());
    let ic = build(Box::new(Arc::clone(&checklist)));
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    for step in checklist.pending() {
        let by = Confirmation {
            by: "ops".into(),
            note: None,
        };
        checklist.confirm(&step.id, by).unwrap();
    }
    drop(ic);
    let reopened = Arc::new(Checklist::open(&state, common::world()).unwrap());
    let ic = build(Box::new(Arc::clone(&reopened)));
    let teardown = ic.teardown_plan().await.unwrap();
    ic.apply(&teardown).await.unwrap();
    let markdown = reopened.render_markdown();
    let pending = reopened.pending();
    // Extension assignment, inventory record, tenant binding, carrier.
    assert!(pending.len() >= 4, "{markdown}");
    assert!(
        markdown.contains("whv-acme-hobot-wehos_d1f04afe7b-us-carrier"),
        "{markdown}"
    );
    let _ = E164::parse_lenient(NUMBER).unwrap();
}
