//! The operator's path: WeHostVoIP through the checklist backend, and the runbook's test calls.

use std::sync::Arc;

use interconnect_core::InboundAuth;
use interconnect_core::naming::ResourceRole;
use plivo_client::sandbox::CallRecord;
use wehostvoip_client::{Checklist, Confirmation, WeHostVoip};

use crate::common::{self, NUMBER};

#[tokio::test]
async fn with_the_checklist_the_plan_converges_once_the_operator_confirms() {
    let sandbox = common::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("checklist.json");
    let checklist = Arc::new(Checklist::open(&state, common::world()).unwrap());
    let build = |backend: Box<dyn WeHostVoip>| {
        common::builder(common::client(&sandbox), backend)
            .inbound_auth(InboundAuth::SeedAliasGateway)
            .build()
            .unwrap()
    };
    let ic = build(Box::new(Arc::clone(&checklist)));
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();

    // Plivo is done; WeHostVoIP waits for the operator.
    let pending = checklist.pending();
    assert!(pending.len() >= 6, "{pending:?}");
    let markdown = checklist.render_markdown();
    let domain = sandbox
        .state()
        .trunks
        .iter()
        .find(|t| t.name.ends_with("-outbound"))
        .map(|t| t.trunk_domain.clone())
        .unwrap();
    assert!(
        markdown.contains(&domain),
        "the checklist names the trunk domain"
    );
    assert!(markdown.contains("18.214.109.129"));
    let again = ic.plan().await.unwrap();
    assert!(!again.is_empty());
    assert!(
        again
            .pending()
            .all(|s| s.op().side() == interconnect_core::interconnect::Side::WeHostVoip),
        "{again}"
    );

    // The operator does each step and confirms it; a fresh run (same state file) has nothing left.
    for step in pending {
        checklist
            .confirm(
                &step.id,
                Confirmation {
                    by: "operator".into(),
                    note: None,
                },
            )
            .unwrap();
    }
    drop(ic);
    let reopened = Checklist::open(&state, common::world()).unwrap();
    let ic = build(Box::new(reopened));
    let last = ic.plan().await.unwrap();
    assert!(last.is_empty(), "{last}");
}

#[tokio::test]
async fn the_test_calls_are_found_in_the_cdrs() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(
        &sandbox,
        wehostvoip_client::InMemory::new(common::world()),
        InboundAuth::None,
    );
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let report = ic.verify_test_call("2026-01-01 00:00").await.unwrap();
    assert!(report.calls.is_empty());
    assert!(!report.outbound_ok());

    let domain = sandbox
        .state()
        .trunks
        .iter()
        .find(|t| {
            Some(t.name.as_str()) == Some(ic.resource_name(ResourceRole::OutboundTrunk).as_str())
        })
        .map(|t| t.trunk_domain.clone())
        .unwrap();
    // Runbook 3.6: an 800 number through the outbound trunk, with the configured caller ID.
    let mut outbound = CallRecord::new("outbound", NUMBER, "+18005550100");
    outbound.trunk_domain = domain.clone();
    sandbox.seed_call(outbound);
    // A call through another trunk, and one with the wrong caller ID through ours.
    let mut foreign = CallRecord::new("outbound", NUMBER, "+18005550100");
    foreign.trunk_domain = "1.zt.plivo.com".into();
    sandbox.seed_call(foreign);
    let mut wrong_cli = CallRecord::new("outbound", "+12025550123", "+18005550100");
    wrong_cli.trunk_domain = domain;
    wrong_cli.answer_time = None;
    sandbox.seed_call(wrong_cli);
    // Runbook 4.4: a call to the routed number.
    sandbox.seed_call(CallRecord::new("inbound", "+12025550199", NUMBER));

    let report = ic.verify_test_call("2026-01-01 00:00").await.unwrap();
    assert_eq!(report.calls.len(), 3, "{report}");
    assert!(report.outbound_ok());
    assert!(report.inbound_ok());
    let bad = report
        .calls
        .iter()
        .find(|c| c.from.as_deref() == Some("+12025550123"))
        .unwrap();
    assert_eq!(bad.caller_id_ok, Some(false));
    assert!(!bad.connected);
    assert!(
        report
            .to_string()
            .contains("caller ID NOT the configured one")
    );
    // Nothing after the window.
    let later = ic.verify_test_call("2027-01-01 00:00").await.unwrap();
    assert!(later.calls.is_empty());
}
