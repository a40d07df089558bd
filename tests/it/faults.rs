//! Fault injection: fail request k of the first apply with each fault kind, then plan and apply
//! again; the final state must equal the fault-free one, with no duplicate object.

use interconnect_core::InboundAuth;
use plivo_client::sandbox::Fault;
use wehostvoip_client::InMemory;

use crate::common;
use crate::e2e::{plivo_shape, whv_shape};

async fn fault_free() -> (Vec<String>, Vec<String>, u64) {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(
        &sandbox,
        InMemory::new(common::world()),
        InboundAuth::SeedAliasGateway,
    );
    let plan = ic.plan().await.unwrap();
    sandbox.reset_log();
    ic.apply(&plan).await.unwrap();
    let requests = sandbox.requests().len() as u64;
    (
        plivo_shape(&sandbox.state()),
        whv_shape(&ic).await,
        requests,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_of_the_first_apply_can_fail_and_a_rerun_converges() {
    let (want_plivo, want_whv, requests) = fault_free().await;
    // The number re-read, 4 creates, the outbound trunk read back, the attach.
    assert_eq!(requests, 7, "the first apply sends {requests} requests");
    let faults = [
        Fault::ServerError(503),
        Fault::ServerError(500),
        Fault::TimeoutAfterApply,
        Fault::ConnectionReset,
    ];
    let mut cases = 0;
    let mut failed_applies = 0;
    for k in 1..=requests {
        for fault in faults {
            let sandbox = common::sandbox().await;
            let ic = common::interconnect(
                &sandbox,
                InMemory::new(common::world()),
                InboundAuth::SeedAliasGateway,
            );
            let plan = ic.plan().await.unwrap();
            sandbox.fail_nth(k, fault);
            if ic.apply(&plan).await.is_err() {
                failed_applies += 1;
            }
            // Re-run: plan again and apply until converged (one re-run must be enough).
            let again = ic.plan().await.unwrap();
            assert!(!again.has_conflicts(), "k={k} {fault:?}:\n{again}");
            ic.apply(&again)
                .await
                .unwrap_or_else(|e| panic!("k={k} {fault:?}: {e}"));
            assert!(ic.plan().await.unwrap().is_empty(), "k={k} {fault:?}");
            assert_eq!(plivo_shape(&sandbox.state()), want_plivo, "k={k} {fault:?}");
            assert_eq!(whv_shape(&ic).await, want_whv, "k={k} {fault:?}");
            cases += 1;
        }
    }
    eprintln!(
        "fault injection: {cases} (k, fault) cases over {requests} requests, \
         {failed_applies} first applies failed, all converged"
    );
    assert_eq!(cases, requests * faults.len() as u64);
}
