//! The operator checklist: the full Plivo runbook as Markdown and JSON (snapshots), re-runs against the
//! state file, and the state file's failure modes.

use std::path::Path;

use wehostvoip_client::{Checklist, Confirmation, E164, Error, WeHostVoip};

use crate::fixtures::{NUMBER, inventory_number, plivo_carrier, security_group, seed, tenant};

fn ops() -> Confirmation {
    Confirmation {
        by: "noc-operator".into(),
        note: Some("done in the console".into()),
    }
}

/// The WeHostVoIP side of the runbook, the way a planner would drive it: read first, change only what
/// differs. Runs unchanged on a fresh checklist and on a re-run.
async fn plivo_runbook(b: &dyn WeHostVoip) {
    let carrier = plivo_carrier();
    let caller_id: E164 = NUMBER.parse().unwrap();
    let mut wanted = carrier.clone();
    for gw in &mut wanted.gateways {
        gw.source_user = Some(caller_id.clone());
    }
    match b.get_carrier(&carrier.name).await.unwrap() {
        None => {
            b.create_carrier(&carrier).await.unwrap();
            b.set_caller_id(&carrier.name, &caller_id).await.unwrap();
        }
        Some(found) if found == wanted => {}
        Some(_) => {
            b.set_caller_id(&carrier.name, &caller_id).await.unwrap();
        }
    }
    b.bind_tenant_carrier(&tenant(), &carrier.name)
        .await
        .unwrap();
    let group = security_group(&["US"], &["18"]);
    b.ensure_security_group(&tenant(), &group).await.unwrap();
    b.assign_security_group(&tenant(), &"1001".parse().unwrap(), &group.name)
        .await
        .unwrap();
    let number = inventory_number();
    if !b.list_inventory().await.unwrap().contains(&number) {
        b.add_inventory_number(&number).await.unwrap();
    }
    b.assign_number(&tenant(), &number.number, &"1001".parse().unwrap())
        .await
        .unwrap();
}

fn open(path: &Path) -> Checklist {
    Checklist::open(path, seed()).unwrap()
}

#[tokio::test]
async fn full_plivo_runbook_renders_for_an_operator() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = open(&dir.path().join("acme.json"));
    plivo_runbook(&checklist).await;
    let steps = checklist.pending();
    let titles: Vec<&str> = steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles.len(), 7, "{titles:#?}");
    // Nothing was confirmed, so nothing reads back yet and no state file exists.
    assert_eq!(checklist.list_carriers().await.unwrap(), vec![]);
    assert!(!checklist.path().exists());

    insta::assert_snapshot!("plivo_runbook_markdown", checklist.render_markdown());
    insta::assert_json_snapshot!("plivo_runbook_json", checklist.render_json());
}

#[tokio::test]
async fn a_rerun_shows_only_what_is_left_and_reads_back_what_was_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme.json");
    let first = open(&path);
    plivo_runbook(&first).await;
    let steps = first.pending();
    for step in &steps[..3] {
        first.confirm(&step.id, ops()).unwrap();
    }
    assert_eq!(first.pending().len(), 4);
    assert_eq!(first.pending()[0].number, 1);

    // A new process: same seed, same state file.
    let second = open(&path);
    assert_eq!(second.confirmed().len(), 3);
    assert_eq!(second.confirmed()[0].confirmation, ops());
    let mut expected_carrier = plivo_carrier();
    for gw in &mut expected_carrier.gateways {
        gw.source_user = Some(NUMBER.parse().unwrap());
    }
    assert_eq!(
        second.list_carriers().await.unwrap(),
        vec![expected_carrier]
    );
    assert_eq!(
        second.get_tenant(&tenant()).await.unwrap().unwrap().carrier,
        Some(plivo_carrier().name)
    );
    plivo_runbook(&second).await;
    let left: Vec<String> = second.pending().iter().map(|s| s.id.clone()).collect();
    let expected: Vec<String> = steps[3..].iter().map(|s| s.id.clone()).collect();
    assert_eq!(
        left, expected,
        "the same changes keep the same ids across runs"
    );
    assert!(
        second
            .render_markdown()
            .contains("4 steps to do (3 already confirmed)")
    );

    for id in &left {
        second.confirm(id, ops()).unwrap();
    }
    let third = open(&path);
    plivo_runbook(&third).await;
    assert!(third.pending().is_empty());
    assert!(
        third
            .render_markdown()
            .contains("Nothing left to do: all 7 steps are confirmed.")
    );
    assert_eq!(
        third.list_phone_numbers(&tenant()).await.unwrap()[0]
            .extension
            .as_str(),
        "1001"
    );
    // The state file was replaced by rename: no temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["acme.json"]);
}

#[tokio::test]
async fn steps_are_confirmed_in_dependency_order_only() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = open(&dir.path().join("s.json"));
    plivo_runbook(&checklist).await;
    let steps = checklist.pending();
    let bind = steps
        .iter()
        .find(|s| s.title.starts_with("Bind tenant"))
        .unwrap();
    let err = checklist.confirm(&bind.id, ops()).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(checklist.pending().len(), 7);
    let err = checklist.confirm("no-such-step", ops()).unwrap_err();
    assert!(matches!(err, Error::UnknownStep { ref id } if id == "no-such-step"));
}

#[tokio::test]
async fn changes_that_change_nothing_add_no_step() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = open(&dir.path().join("s.json"));
    let group = security_group(&["US"], &["18"]);
    checklist
        .ensure_security_group(&tenant(), &group)
        .await
        .unwrap();
    checklist
        .ensure_security_group(&tenant(), &group)
        .await
        .unwrap();
    checklist
        .ensure_security_group(&tenant(), &security_group(&["US"], &[]))
        .await
        .unwrap();
    assert_eq!(checklist.pending().len(), 1);
    // Rule violations add no step either.
    assert!(
        checklist
            .unassign_number(&tenant(), &NUMBER.parse().unwrap())
            .await
            .is_err()
    );
    assert_eq!(checklist.pending().len(), 1);
}

#[test]
fn corrupted_or_foreign_state_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    for (content, want) in [
        ("{ not json", "corrupted"),
        ("", "corrupted"),
        (
            r#"{"format":"wehostvoip-client/checklist-state","version":1,"confirmed":[{"id":3}]}"#,
            "corrupted",
        ),
        (
            r#"{"hello":"world"}"#,
            "not a wehostvoip-client checklist state",
        ),
        (
            r#"{"format":"wehostvoip-client/checklist-state","version":2,"confirmed":[]}"#,
            "version 2",
        ),
        ("[1,2,3]", "not a wehostvoip-client checklist state"),
    ] {
        std::fs::write(&path, content).unwrap();
        let err = Checklist::open(&path, seed()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains(want), "{content:?} -> {text}");
        assert!(matches!(
            err,
            Error::StateFileCorrupt { .. } | Error::StateFileForeign { .. }
        ));
        // Never reset: the file is untouched.
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    }
}

#[tokio::test]
async fn a_confirmed_step_that_no_longer_applies_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let checklist = open(&path);
    checklist
        .ensure_security_group(&tenant(), &security_group(&["US"], &[]))
        .await
        .unwrap();
    let id = checklist.pending()[0].id.clone();
    checklist.confirm(&id, ops()).unwrap();
    // Opened over a seed without the tenant.
    let err = Checklist::open(&path, wehostvoip_client::World::new()).unwrap_err();
    assert!(
        matches!(&err, Error::StateFileReplay { step, .. } if *step == id),
        "{err:?}"
    );
    assert!(err.to_string().contains("state.json"));
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(source.contains("acme.hobot.wehostvoip.io"), "{source}");
}

#[tokio::test]
async fn an_unwritable_state_file_keeps_the_step_pending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-dir").join("state.json");
    let checklist = Checklist::open(&path, seed()).unwrap();
    checklist
        .ensure_security_group(&tenant(), &security_group(&["US"], &[]))
        .await
        .unwrap();
    let id = checklist.pending()[0].id.clone();
    let err = checklist.confirm(&id, ops()).unwrap_err();
    assert!(matches!(err, Error::StateFileIo { .. }), "{err:?}");
    assert!(err.to_string().contains("missing-dir"));
    assert_eq!(checklist.pending().len(), 1);
    assert_eq!(
        checklist.list_security_groups(&tenant()).await.unwrap(),
        vec![]
    );
}

#[tokio::test]
async fn console_addresses_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = open(&dir.path().join("s.json"))
        .with_consoles("https://hobot.wehostvoip.io", "https://console.example.net");
    checklist
        .add_inventory_number(&inventory_number())
        .await
        .unwrap();
    let md = checklist.render_markdown();
    assert!(
        md.contains("ISP console (https://hobot.wehostvoip.io)"),
        "{md}"
    );
    assert!(checklist.render_json()["consoles"]["tenant"] == "https://console.example.net");
}

/// After the runbook is confirmed: a policy change (drop the inbound-authorisation gateway, new
/// price), then the teardown, in the order the console's rules require.
#[tokio::test]
async fn changes_and_teardown_render_for_an_operator() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme.json");
    let setup = open(&path);
    plivo_runbook(&setup).await;
    for step in setup.pending() {
        setup.confirm(&step.id, ops()).unwrap();
    }

    let b = open(&path);
    let mut carrier = b.get_carrier(&plivo_carrier().name).await.unwrap().unwrap();
    carrier.gateways.truncate(1);
    b.update_carrier(&carrier).await.unwrap();
    let mut number = inventory_number();
    number.price = "2.50".parse().unwrap();
    b.update_inventory_number(&number).await.unwrap();
    b.unassign_number(&tenant(), &number.number).await.unwrap();
    b.remove_inventory_number(&number.number).await.unwrap();
    b.unbind_tenant_carrier(&tenant()).await.unwrap();
    b.delete_carrier(&carrier.name).await.unwrap();
    // Reads still show the confirmed state until the operator confirms these steps.
    assert_eq!(b.list_inventory().await.unwrap().len(), 1);
    assert_eq!(b.pending().len(), 6);
    insta::assert_snapshot!("changes_and_teardown_markdown", b.render_markdown());
}
