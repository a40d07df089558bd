//! The Interconnect's rules: bad input refused before any request, secrets kept out of every
//! output, conflicts refused, drift found, ambiguous creates reconciled.

use std::fmt::Write as _;
use std::time::Duration;

use interconnect_core::interconnect::{Interconnect, InterconnectError, Severity};
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{InboundAuth, Sbc};
use plivo_client::sandbox::{DEFAULT_AUTH_TOKEN, Fault, Sandbox};
use plivo_client::{CreateIpAcl, CreateTrunk, UpdateIpAcl};
use wehostvoip_client::InMemory;

use crate::common::{self, NUMBER, TENANT};

fn builder(sandbox: &Sandbox) -> interconnect_core::interconnect::InterconnectBuilder {
    common::builder(
        common::client(sandbox),
        Box::new(InMemory::new(common::world())),
    )
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let sandbox = common::sandbox().await;
    let cases: Vec<(&str, Result<Interconnect, InterconnectError>)> = vec![
        ("tenant", builder(&sandbox).tenant("not a domain").build()),
        ("country", builder(&sandbox).country("XX").build()),
        ("country", builder(&sandbox).country("usa").build()),
        (
            "extension",
            builder(&sandbox)
                .number("+14155550124".parse().unwrap(), "10a")
                .build(),
        ),
        (
            "number",
            builder(&sandbox)
                .number(NUMBER.parse().unwrap(), "1002")
                .build(),
        ),
        (
            "Plivo client",
            Interconnect::builder()
                .wehostvoip(Box::new(InMemory::new(common::world())))
                .build(),
        ),
        (
            "SBC",
            Interconnect::builder()
                .plivo(common::client(&sandbox))
                .wehostvoip(Box::new(InMemory::new(common::world())))
                .build(),
        ),
    ];
    for (what, result) in cases {
        let err = result.expect_err(what);
        let text = err.to_string();
        assert!(
            text.contains(what),
            "the error names the input {what:?}: {text}"
        );
        assert!(
            matches!(
                err,
                InterconnectError::Invalid { .. }
                    | InterconnectError::Missing(_)
                    | InterconnectError::Domain(_)
                    | InterconnectError::Input { .. }
            ),
            "{err:?}"
        );
    }
    assert!(
        sandbox.requests().is_empty(),
        "nothing may be sent for bad input"
    );
}

#[tokio::test]
async fn the_token_appears_in_no_debug_display_or_error() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    let debug = format!("{ic:?}");
    assert!(!debug.contains(DEFAULT_AUTH_TOKEN), "{debug}");
    assert!(debug.contains("Interconnect"));

    // A wrong token: the 401 error and its whole chain must not show the token either.
    let secret = "wrong-token-0123456789-abcdef";
    let plivo = sandbox
        .client_builder()
        .auth_token(secret)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let ic = common::builder(plivo, Box::new(InMemory::new(common::world())))
        .build()
        .unwrap();
    let err = ic.plan().await.unwrap_err();
    let mut text = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        write!(text, " {s} {s:?}").unwrap();
        source = s.source();
    }
    assert!(text.contains("401"), "{text}");
    assert!(!text.contains(secret), "{text}");
    assert!(!text.contains(DEFAULT_AUTH_TOKEN), "{text}");
}

#[tokio::test]
async fn duplicate_names_are_conflicts_and_apply_refuses_them() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    let client = common::client(&sandbox);
    let name = ic.resource_name(interconnect_core::naming::ResourceRole::IpAcl);
    for _ in 0..2 {
        client
            .ip_acls()
            .create(&CreateIpAcl::new(["172.174.24.204"]).name(name.clone()))
            .await
            .unwrap();
    }
    let plan = ic.plan().await.unwrap();
    assert!(
        plan.conflicts().iter().any(|c| c.code == "duplicate-name"),
        "{plan}"
    );
    sandbox.reset_log();
    let err = ic.apply(&plan).await.unwrap_err();
    assert!(
        matches!(err, InterconnectError::Conflicts { count: 1, .. }),
        "{err}"
    );
    assert_eq!(common::count(&sandbox, "POST"), 0);
    let verification = ic.verify().await.unwrap();
    assert!(!verification.is_converged());
    assert!(
        verification
            .findings
            .iter()
            .any(|f| f.severity == Severity::Conflict)
    );
}

#[tokio::test]
async fn a_trunk_with_our_name_but_the_wrong_direction_is_a_conflict() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    let client = common::client(&sandbox);
    let acl = client
        .ip_acls()
        .create(&CreateIpAcl::new(["198.51.100.1"]))
        .await
        .unwrap();
    // An outbound trunk carrying the inbound trunk's name.
    client
        .trunks()
        .create(
            &CreateTrunk::outbound()
                .name(ic.resource_name(interconnect_core::naming::ResourceRole::InboundTrunk))
                .ipacl(acl.id),
        )
        .await
        .unwrap();
    let plan = ic.plan().await.unwrap();
    assert!(
        plan.conflicts().iter().any(|c| c.code == "wrong-direction"),
        "{plan}"
    );
}

#[tokio::test]
async fn missing_tenant_extension_and_number_are_conflicts() {
    let sandbox = Sandbox::builder().start().await; // no number rented
    let ic = common::builder(
        common::client(&sandbox),
        Box::new(InMemory::new(wehostvoip_client::World::new())),
    )
    .build()
    .unwrap();
    let plan = ic.plan().await.unwrap();
    let codes: Vec<&str> = plan.conflicts().iter().map(|c| c.code.as_str()).collect();
    assert!(codes.contains(&"missing-tenant"), "{plan}");
    assert!(codes.contains(&"missing-number"), "{plan}");
    assert!(
        plan.warnings().iter().any(|w| w.code == "caller-id"),
        "{plan}"
    );

    let ic = common::interconnect(
        &sandbox,
        InMemory::new({
            let mut w = wehostvoip_client::World::new();
            w.add_tenant(TENANT.parse().unwrap()).unwrap();
            w
        }),
        InboundAuth::None,
    );
    let plan = ic.plan().await.unwrap();
    assert!(
        plan.conflicts()
            .iter()
            .any(|c| c.code == "missing-extension"),
        "{plan}"
    );
}

#[tokio::test]
async fn drift_is_found_by_verify_and_repaired_by_a_new_plan() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    assert!(ic.verify().await.unwrap().is_converged());

    // Someone edits the ACL by hand.
    let client = common::client(&sandbox);
    let acl = &sandbox.state().ip_acls[0];
    client
        .ip_acls()
        .update(
            &acl.ipacl_uuid.clone().into(),
            &UpdateIpAcl {
                ip_addresses: Some(vec!["198.51.100.9".to_owned()]),
                ..UpdateIpAcl::default()
            },
        )
        .await
        .unwrap();
    let verification = ic.verify().await.unwrap();
    assert!(!verification.is_converged());
    assert!(
        verification.to_string().contains("198.51.100.9"),
        "{verification}"
    );
    let plan = ic.plan().await.unwrap();
    assert_eq!(plan.pending().count(), 1, "{plan}");
    ic.apply(&plan).await.unwrap();
    assert_eq!(sandbox.state().ip_acls[0].ip_addresses, ["172.174.24.204"]);
    assert!(ic.verify().await.unwrap().is_converged());
}

#[tokio::test]
async fn sbc_address_drift_is_a_warning_and_updates_the_acl() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    ic.apply(&ic.plan().await.unwrap()).await.unwrap();
    let us = Sbc::preset("us").unwrap();
    let moved = builder(&sandbox)
        .resolver(StaticResolver::new().with(us.host().clone(), ["203.0.113.77".parse().unwrap()]))
        .inbound_auth(InboundAuth::None)
        .build()
        .unwrap();
    let plan = moved.plan().await.unwrap();
    let drift = plan
        .warnings()
        .iter()
        .find(|w| w.code == "sbc-drift")
        .expect("drift warning");
    assert!(drift.message.contains("172.174.24.204") && drift.message.contains("203.0.113.77"));
    let acl_step = &plan.steps()[0];
    assert_eq!(
        acl_step.action(),
        interconnect_core::interconnect::Action::Update,
        "{plan}"
    );
}

#[tokio::test]
async fn a_create_that_times_out_after_it_was_applied_is_found_not_repeated() {
    let sandbox = common::sandbox().await;
    let ic = common::interconnect(&sandbox, InMemory::new(common::world()), InboundAuth::None);
    let plan = ic.plan().await.unwrap();
    // Apply re-reads only the number it attaches; request 2 is the ACL create.
    sandbox.fail_nth(2, Fault::TimeoutAfterApply);
    let report = ic.apply(&plan).await.unwrap();
    assert_eq!(report.reconciled(), 1, "{report:?}");
    assert_eq!(sandbox.state().ip_acls.len(), 1);
    let log = sandbox.requests();
    let post = log
        .iter()
        .position(|r| r.method == "POST")
        .expect("a create was sent");
    assert!(log[post].path.ends_with("/IPAccessControlList/"));
    assert_eq!(log[post].fault, Some(Fault::TimeoutAfterApply));
    let next = &log[post + 1];
    assert_eq!(next.method, "GET", "the next request re-lists by name");
    assert!(next.path.ends_with("/IPAccessControlList/"));
    assert!(ic.plan().await.unwrap().is_empty());
}

#[tokio::test]
async fn toll_free_follows_the_country_and_warns_when_asked_against_it() {
    let sandbox = common::sandbox().await;
    let group_of = |plan: &interconnect_core::Plan| {
        plan.steps()
            .iter()
            .find_map(|s| match &s.op() {
                interconnect_core::interconnect::Op::SecurityGroup { group, .. } => Some(
                    group
                        .prefixes
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .unwrap()
    };
    let toll_free_warning = |plan: &interconnect_core::Plan| {
        plan.warnings()
            .iter()
            .any(|w| w.code == "destination" && w.message.contains("toll-free"))
    };

    // US by default: prefix 18, no warning.
    let plan = builder(&sandbox).build().unwrap().plan().await.unwrap();
    assert_eq!(group_of(&plan), ["18"]);
    assert!(!toll_free_warning(&plan), "{plan}");
    // US without toll-free: no prefix, and the runbook's 800 test call is said to fail.
    let plan = builder(&sandbox)
        .allow_toll_free(false)
        .build()
        .unwrap()
        .plan()
        .await
        .unwrap();
    assert!(group_of(&plan).is_empty());
    assert!(toll_free_warning(&plan), "{plan}");
    // Brazil by default: no prefix, no warning; asked for: a warning, still no prefix.
    let plan = builder(&sandbox)
        .country("BR")
        .build()
        .unwrap()
        .plan()
        .await
        .unwrap();
    assert!(group_of(&plan).is_empty());
    assert!(!toll_free_warning(&plan), "{plan}");
    let plan = builder(&sandbox)
        .country("BR")
        .allow_toll_free(true)
        .build()
        .unwrap()
        .plan()
        .await
        .unwrap();
    assert!(group_of(&plan).is_empty());
    assert!(toll_free_warning(&plan), "{plan}");
}
