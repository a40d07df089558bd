//! The whole runbook against the sandbox: first apply, idempotent second run, teardown.

use std::collections::BTreeMap;

use interconnect_core::InboundAuth;
use interconnect_core::interconnect::{Action, Interconnect, Op, Purpose};
use plivo_client::TrunkDirection;
use plivo_client::sandbox::{Sandbox, SandboxState};
use sip_rules::{Header, Status};
use wehostvoip_client::{InMemory, NumberType};

use crate::common::{self, EXTENSION, NUMBER, TENANT};

/// Plivo's state with ids replaced by the names of what they point at, so two runs compare.
pub fn plivo_shape(state: &SandboxState) -> Vec<String> {
    let acl_names: BTreeMap<&str, &str> = state
        .ip_acls
        .iter()
        .map(|a| (a.ipacl_uuid.as_str(), a.name.as_deref().unwrap_or("")))
        .collect();
    let uri_names: BTreeMap<&str, &str> = state
        .uris
        .iter()
        .map(|u| (u.uri_uuid.as_str(), u.name.as_deref().unwrap_or("")))
        .collect();
    let trunk_names: BTreeMap<&str, &str> = state
        .trunks
        .iter()
        .map(|t| (t.trunk_id.as_str(), t.name.as_str()))
        .collect();
    let mut out = Vec::new();
    for a in &state.ip_acls {
        out.push(format!(
            "acl {} {:?}",
            a.name.as_deref().unwrap_or(""),
            a.ip_addresses
        ));
    }
    for t in &state.trunks {
        out.push(format!(
            "trunk {} {} {:?} acl={:?} uri={:?}",
            t.name,
            t.trunk_direction.as_str(),
            t.trunk_status,
            t.ipacl_uuid.as_deref().map(|i| acl_names.get(i).copied()),
            t.primary_uri_uuid
                .as_deref()
                .map(|i| uri_names.get(i).copied()),
        ));
    }
    for u in &state.uris {
        out.push(format!(
            "uri {} {} auth={}",
            u.name.as_deref().unwrap_or(""),
            u.uri,
            u.authentication_needed
        ));
    }
    for n in &state.numbers {
        out.push(format!(
            "number {} app={:?}",
            n.number,
            n.app_id
                .as_deref()
                .map(|a| trunk_names.get(a).copied().unwrap_or(a))
        ));
    }
    out.sort();
    out
}

/// WeHostVoIP's state as JSON lines.
pub async fn whv_shape(ic: &Interconnect) -> Vec<String> {
    let w = ic.wehostvoip();
    let tenant = TENANT.parse().unwrap();
    vec![
        serde_json::to_string(&w.list_carriers().await.unwrap()).unwrap(),
        serde_json::to_string(&w.list_tenants().await.unwrap()).unwrap(),
        serde_json::to_string(&w.list_security_groups(&tenant).await.unwrap()).unwrap(),
        serde_json::to_string(&w.list_subscribers(&tenant).await.unwrap()).unwrap(),
        serde_json::to_string(&w.list_inventory().await.unwrap()).unwrap(),
        serde_json::to_string(&w.list_phone_numbers(&tenant).await.unwrap()).unwrap(),
    ]
}

async fn setup(policy: InboundAuth) -> (Sandbox, Interconnect) {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), policy);
    (sandbox, ic)
}

#[tokio::test]
async fn first_apply_creates_exactly_the_runbook_objects() {
    let (sandbox, ic) = setup(InboundAuth::SeedAliasGateway).await;
    let before = sandbox.state();
    let plan = ic.plan().await.unwrap();
    assert!(!plan.has_conflicts(), "{plan}");
    assert_eq!(plan.count(Action::NoChange), 0, "{plan}");

    let mut events = Vec::new();
    let report = ic
        .apply_with_progress(&plan, |p| events.push(p.clone()))
        .await
        .unwrap();
    assert_eq!(report.applied(), plan.steps().len());
    assert_eq!(
        report.created().len(),
        4,
        "ACL, two trunks, URI: {report:?}"
    );
    assert_eq!(report.reconciled(), 0);
    // Every step is reported started and finished, in order, as "n of m".
    assert_eq!(events.len(), 2 * plan.steps().len());
    assert!(events.iter().all(|e| e.total() == plan.steps().len()));
    assert_eq!(events.last().unwrap().index(), plan.steps().len());

    let state = sandbox.state();
    assert_eq!(before.trunks.len(), 0);
    assert_eq!(state.ip_acls.len(), 1);
    assert_eq!(state.ip_acls[0].ip_addresses, ["172.174.24.204"]);
    assert_eq!(state.trunks.len(), 2);
    assert_eq!(state.uris.len(), 1);
    assert_eq!(state.uris[0].uri, "sbc-us.wehostvoip.io:5060;transport=udp");
    assert_eq!(state.credentials.len(), 0, "runbook 2.3: no credentials");
    let outbound = state
        .trunks
        .iter()
        .find(|t| t.trunk_direction == TrunkDirection::Outbound)
        .unwrap();
    let inbound = state
        .trunks
        .iter()
        .find(|t| t.trunk_direction == TrunkDirection::Inbound)
        .unwrap();
    assert_eq!(
        outbound.ipacl_uuid.as_deref(),
        Some(state.ip_acls[0].ipacl_uuid.as_str())
    );
    assert_eq!(outbound.credential_uuid, None);
    assert_eq!(
        inbound.primary_uri_uuid.as_deref(),
        Some(state.uris[0].uri_uuid.as_str())
    );
    assert_eq!(
        state.numbers[0].app_id.as_deref(),
        Some(inbound.trunk_id.as_str())
    );

    // WeHostVoIP: carrier with the trunk domain first and the runbook's alias second.
    let w = ic.wehostvoip();
    let carriers = w.list_carriers().await.unwrap();
    assert_eq!(carriers.len(), 1);
    let gws: Vec<String> = carriers[0]
        .gateways
        .iter()
        .map(|g| g.address.to_string())
        .collect();
    assert_eq!(
        gws,
        [outbound.trunk_domain.clone(), "18.214.109.129".to_owned()]
    );
    assert!(
        carriers[0].gateways.iter().all(|g| g
            .source_user
            .as_ref()
            .map(ToString::to_string)
            .as_deref()
            == Some(NUMBER))
    );
    let tenant = TENANT.parse().unwrap();
    let t = w.get_tenant(&tenant).await.unwrap().unwrap();
    assert_eq!(t.carrier.as_ref(), Some(&carriers[0].name));
    let groups = w.list_security_groups(&tenant).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert!(groups[0].countries.iter().any(|c| c.as_str() == "US"));
    assert!(groups[0].prefixes.iter().any(|p| p.as_str() == "18"));
    let subs = w.list_subscribers(&tenant).await.unwrap();
    assert_eq!(subs[0].security_group.as_ref(), Some(&groups[0].name));
    let inventory = w.list_inventory().await.unwrap();
    assert_eq!(inventory.len(), 1);
    assert_eq!(inventory[0].number.to_string(), NUMBER);
    assert_eq!(inventory[0].number_type, NumberType::Local);
    let assigned = w.list_phone_numbers(&tenant).await.unwrap();
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].extension.to_string(), EXTENSION);
}

#[tokio::test]
async fn second_run_plans_nothing_and_sends_no_write() {
    let (sandbox, ic) = setup(InboundAuth::SeedAliasGateway).await;
    let plan = ic.plan().await.unwrap();
    ic.apply(&plan).await.unwrap();
    let after_first = plivo_shape(&sandbox.state());

    sandbox.reset_log();
    let again = ic.plan().await.unwrap();
    assert!(again.is_empty(), "second plan must be empty:\n{again}");
    let report = ic.apply(&again).await.unwrap();
    assert_eq!(report.applied(), 0);
    assert_eq!(common::count(&sandbox, "POST"), 0);
    assert_eq!(common::count(&sandbox, "DELETE"), 0);
    assert_eq!(plivo_shape(&sandbox.state()), after_first);
    assert!(ic.verify().await.unwrap().is_converged());
}

#[tokio::test]
async fn api_calls_for_a_first_and_a_second_run() {
    let (sandbox, ic) = setup(InboundAuth::SeedAliasGateway).await;
    let plan = ic.plan().await.unwrap();
    let plan_reads = sandbox.requests().len();
    ic.apply(&plan).await.unwrap();
    let first = sandbox.requests();
    sandbox.reset_log();
    let again = ic.plan().await.unwrap();
    ic.apply(&again).await.unwrap();
    let second = sandbox.requests();
    let writes = |log: &[plivo_client::sandbox::RequestRecord]| {
        log.iter().filter(|r| r.method != "GET").count()
    };
    eprintln!(
        "first run: {} requests ({} for the plan, {} writes); second run: {} requests ({} writes)",
        first.len(),
        plan_reads,
        writes(&first),
        second.len(),
        writes(&second)
    );
    // ACL, outbound trunk, URI, inbound trunk creates and one number attach.
    assert_eq!(writes(&first), 5);
    assert_eq!(writes(&second), 0);
}

#[tokio::test]
async fn a_stale_plan_is_refused() {
    let (sandbox, ic) = setup(InboundAuth::None).await;
    let plan = ic.plan().await.unwrap();
    // Someone else applies meanwhile.
    let other = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    other.apply(&other.plan().await.unwrap()).await.unwrap();
    sandbox.reset_log();
    let err = ic.apply(&plan).await.unwrap_err();
    assert!(
        matches!(err, interconnect_core::InterconnectError::StalePlan { .. }),
        "{err}"
    );
    assert_eq!(common::count(&sandbox, "POST"), 0);
}

#[tokio::test]
async fn teardown_leaves_plivo_as_it_was_and_keeps_the_number() {
    let (sandbox, ic) = setup(InboundAuth::SeedAliasGateway).await;
    let before = plivo_shape(&sandbox.state());
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();

    let teardown = ic.teardown_plan().await.unwrap();
    assert_eq!(teardown.header().purpose(), Purpose::Teardown);
    assert!(
        teardown
            .steps()
            .iter()
            .all(|s| matches!(s.action(), Action::Delete | Action::Update))
    );
    // Reverse order: the inbound side goes before the outbound trunk and its ACL.
    let kinds: Vec<&str> = teardown
        .steps()
        .iter()
        .map(|s| match &s.op() {
            Op::UnassignNumber { .. } => "unassign",
            Op::RemoveInventoryNumber { .. } => "inventory",
            Op::DeleteTrunk { name, .. } if name.ends_with("-inbound") => "inbound",
            Op::DeleteTrunk { .. } => "outbound",
            Op::DeleteUri { .. } => "uri",
            Op::UnbindTenant { .. } => "unbind",
            Op::DeleteCarrier { .. } => "carrier",
            Op::DeleteIpAcl { .. } => "acl",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "unassign",
            "inventory",
            "inbound",
            "uri",
            "unbind",
            "carrier",
            "outbound",
            "acl"
        ],
        "{teardown}"
    );
    ic.apply(&teardown).await.unwrap();
    assert_eq!(plivo_shape(&sandbox.state()), before);
    assert_eq!(common::count(&sandbox, "DELETE"), 4);
    assert!(
        !sandbox
            .requests()
            .iter()
            .any(|r| r.method == "DELETE" && r.path.contains("/Number/")),
        "a number was unrented"
    );
    assert!(ic.teardown_plan().await.unwrap().is_empty());
    // And the interconnect can be built again from scratch.
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    assert!(ic.plan().await.unwrap().is_empty());
}

#[tokio::test]
async fn teardown_touches_nothing_it_did_not_make() {
    let (sandbox, ic) = setup(InboundAuth::None).await;
    let client = common::client(&sandbox);
    let foreign = client
        .ip_acls()
        .create(&plivo_client::CreateIpAcl::new(["198.51.100.7"]).name("someone-else"))
        .await
        .unwrap();
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    ic.apply(&ic.teardown_plan().await.unwrap()).await.unwrap();
    let state = sandbox.state();
    assert_eq!(state.ip_acls.len(), 1);
    assert_eq!(state.ip_acls[0].ipacl_uuid, foreign.id.to_string());
}

#[tokio::test]
async fn the_call_policy_accepts_plivos_invite_and_refuses_others() {
    let (_sandbox, ic) = setup(InboundAuth::PublishedRanges).await;
    let cp = ic.call_policy();
    assert_eq!(cp.sources().len(), 14);
    let policy = cp.policy();
    let invite = crate::e2e::plivo_invite(NUMBER);
    let mut headers = [Header::EMPTY; 32];
    let plivo_source = "18.214.109.140".parse().unwrap();
    match policy.check(plivo_source, invite.as_bytes(), &mut headers) {
        Ok(Status::Complete(call)) => assert_eq!(call.number(), Some(NUMBER)),
        other => panic!("expected accept, got {other:?}"),
    }
    let err = policy
        .check(
            "198.51.100.7".parse().unwrap(),
            invite.as_bytes(),
            &mut headers,
        )
        .unwrap_err();
    assert_eq!(err.status(), 403);
    let other_number = plivo_invite("+14155550999");
    let err = policy
        .check(plivo_source, other_number.as_bytes(), &mut headers)
        .unwrap_err();
    assert_eq!(err.status(), 404);
}

/// An INVITE shaped like the ones Plivo sends for an inbound call.
pub fn plivo_invite(to: &str) -> String {
    let sdp = "v=0\r\no=Plivo 1234 5678 IN IP4 18.214.109.140\r\ns=Plivo\r\n\
               c=IN IP4 18.214.109.140\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0 8 101\r\n\
               a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n\
               a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n\
               a=sendrecv\r\n";
    format!(
        "INVITE sip:{to}@sbc-us.wehostvoip.io:5060;user=phone SIP/2.0\r\n\
         Via: SIP/2.0/UDP 18.214.109.140:5060;branch=z9hG4bK-plivo-1;rport\r\n\
         Max-Forwards: 70\r\n\
         From: \"+12025550199\" <sip:+12025550199@18.214.109.140>;tag=plivo-tag-1\r\n\
         To: <sip:{to}@sbc-us.wehostvoip.io>\r\n\
         Call-ID: 6a2f0b1e-plivo@18.214.109.140\r\n\
         CSeq: 1 INVITE\r\n\
         Contact: <sip:+12025550199@18.214.109.140:5060>\r\n\
         P-Asserted-Identity: <sip:+12025550199@18.214.109.140>\r\n\
         Content-Type: application/sdp\r\n\
         Content-Length: {}\r\n\r\n{sdp}",
        sdp.len()
    )
}
