//! Snapshots of the plan an operator reviews, for the runbook's defaults.

use interconnect_core::InboundAuth;
use wehostvoip_client::InMemory;

use crate::common;

#[tokio::test]
async fn the_runbook_plan_reads_well_and_serializes_stably() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(
        &sandbox,
        InMemory::new(common::world()),
        InboundAuth::default(),
    );
    let plan = ic.plan().await.unwrap();
    insta::assert_snapshot!("runbook_plan_text", plan.to_string());
    insta::assert_json_snapshot!("runbook_plan_json", plan);
    // The JSON is the audit record: it reads back into the same plan.
    let json = serde_json::to_string(&plan).unwrap();
    let back: interconnect_core::Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, plan);
}

#[tokio::test]
async fn the_converged_plan_and_the_teardown_plan() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(
        &sandbox,
        InMemory::new(common::world()),
        InboundAuth::PublishedRanges,
    );
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let again = ic.plan().await.unwrap();
    assert!(again.is_empty());
    // Ids are the sandbox's deterministic counters, so the converged plan snapshots too.
    insta::assert_snapshot!("converged_plan_text", again.to_string());
    insta::assert_snapshot!(
        "teardown_plan_text",
        ic.teardown_plan().await.unwrap().to_string()
    );
}
