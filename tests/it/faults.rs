//! Fault injection: fail request k of the first apply with each fault kind, then plan and apply
//! again; the final state must equal the fault-free one, with no duplicate object.

use interconnect_core::InboundAuth;
use interconnect_core::interconnect::InterconnectError;
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

/// A failed step keeps the client's error as it is (a caller can match on it), and each level's
/// message says only its own part: no message repeats its cause's text.
#[tokio::test]
async fn a_failed_step_keeps_the_typed_client_error_and_each_cause_is_said_once() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(
        &sandbox,
        InMemory::new(common::world()),
        InboundAuth::SeedAliasGateway,
    );
    let plan = ic.plan().await.unwrap();
    // The first request of the apply is a POST create: a 500 is not retried.
    sandbox.fail_nth(2, Fault::ServerError(500));
    let err = ic.apply(&plan).await.unwrap_err();

    let InterconnectError::Step { step, source, .. } = &err else {
        panic!("expected a failed step: {err:?}");
    };
    assert!(*step >= 1);
    let InterconnectError::Plivo(plivo) = source.as_ref() else {
        panic!("expected the Plivo client's error: {source:?}");
    };
    assert_eq!(plivo.status().map(|s| s.as_u16()), Some(500));
    assert!(matches!(plivo, plivo_client::Error::Api(_)), "{plivo:?}");

    let mut messages = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = next {
        messages.push(e.to_string());
        next = e.source();
    }
    assert_eq!(messages.len(), 3, "{messages:#?}");
    for pair in messages.windows(2) {
        assert!(
            !pair[0].contains(&pair[1]),
            "{:?} repeats its cause {:?}",
            pair[0],
            pair[1]
        );
    }
    assert_eq!(err.chain(), messages.join(": "));
    assert!(
        err.chain().contains("Plivo answered 500"),
        "{}",
        err.chain()
    );
}
