//! The operator's tool end to end: the real `interconnect` binary, run as an operator would, against
//! a Plivo sandbox on loopback (`PLIVO_API_BASE_URL` and test credentials), with the WeHostVoIP side
//! in a checklist state file. plan → apply → confirm each step → status shows nothing pending →
//! plan has nothing to do → teardown → confirm its steps → nothing left.
//!
//! The binary is built with `cargo build --example interconnect` on first use (a no-op under
//! `cargo test --workspace`, which builds the examples first; cargo releases its build lock before
//! running tests, so this does not deadlock). `INTERCONNECT_BIN` points at a binary instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use plivo_client::sandbox::Sandbox;
use secrecy::ExposeSecret;
use serde_json::Value;

const NUMBER: &str = "+14155550123";
/// The US SBC pinned to its last-known address: the test resolves no name.
const PIN: &str = "sbc-us.wehostvoip.io=172.174.24.204";

fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("INTERCONNECT_BIN") {
            return PathBuf::from(bin);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let out = Command::new(cargo)
            .current_dir(root)
            .args([
                "build",
                "--workspace",
                "--example",
                "interconnect",
                "--message-format=json",
                "--quiet",
            ])
            .stderr(Stdio::inherit())
            .output()
            .expect("run cargo build");
        assert!(
            out.status.success(),
            "cargo build --example interconnect failed"
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|m| m["target"]["name"] == "interconnect")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo reported the interconnect executable")
    })
}

/// One operator at a terminal-less shell, with the sandbox's credentials in the environment.
struct Operator {
    env: Vec<(&'static str, String)>,
    dir: PathBuf,
}

impl Operator {
    fn new(sandbox: &Sandbox, dir: &Path) -> Operator {
        Operator {
            env: vec![
                ("PLIVO_AUTH_ID", sandbox.auth_id().to_owned()),
                (
                    "PLIVO_AUTH_TOKEN",
                    sandbox.auth_token().expose_secret().to_owned(),
                ),
                ("PLIVO_API_BASE_URL", sandbox.base_url().to_string()),
            ],
            dir: dir.to_owned(),
        }
    }

    fn without_credentials(dir: &Path) -> Operator {
        Operator {
            env: Vec::new(),
            dir: dir.to_owned(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(binary());
        cmd.current_dir(&self.dir)
            .args(args)
            .env_remove("PLIVO_AUTH_ID")
            .env_remove("PLIVO_AUTH_TOKEN")
            .env_remove("PLIVO_API_BASE_URL")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run interconnect");
        // The token is never printed, logged or put in an error.
        if let Some((_, token)) = self.env.iter().find(|(k, _)| *k == "PLIVO_AUTH_TOKEN") {
            assert!(
                !String::from_utf8_lossy(&out.stdout).contains(token.as_str())
                    && !String::from_utf8_lossy(&out.stderr).contains(token.as_str()),
                "{args:?} printed the auth token"
            );
        }
        out
    }

    /// Runs with `-o json`: stdout must be one JSON document and nothing else.
    fn json(&self, args: &[&str], code: i32) -> Value {
        let mut all = args.to_vec();
        all.extend(["-o", "json"]);
        let out = self.run(&all);
        assert_eq!(out.status.code(), Some(code), "{args:?}\n{}", text(&out));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stdout is not one JSON document ({e}):\n{}",
                text(&out)
            )
        })
    }

    fn ok(&self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(code), "{args:?}\n{}", text(&out));
        out
    }
}

fn text(out: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The pending step ids, from `checklist --format json`.
fn pending(op: &Operator, state: &str) -> Vec<(String, String)> {
    let out = op.ok(&["checklist", "--state", state, "--format", "json"], 0);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["confirm_command"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Confirms every pending step with the exact command printed under it (the operator's name for
/// YOUR-NAME).
fn confirm_each(op: &Operator, state: &str) -> usize {
    let steps = pending(op, state);
    for (id, command) in &steps {
        assert_eq!(
            *command,
            format!("interconnect confirm --state {state} {id} --by YOUR-NAME")
        );
        let words: Vec<String> = command
            .split_whitespace()
            .skip(1)
            .map(|w| {
                if w == "YOUR-NAME" {
                    "e2e-operator".to_owned()
                } else {
                    w.to_owned()
                }
            })
            .collect();
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        let out = op.ok(&args, 0);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("confirmed {id}")),
            "{}",
            text(&out)
        );
    }
    steps.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one story, told in order
async fn the_operator_loop_from_plan_to_nothing_left() {
    let sandbox = Sandbox::builder().no_rate_limit().start().await;
    sandbox.add_account_number(NUMBER).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let op = Operator::new(&sandbox, dir.path());
    let state = "acme.json";

    // plan: changes pending (2), one JSON document on stdout, the backend named first on stderr.
    let out = op.run(&[
        "plan",
        "--state",
        state,
        "--resolve",
        PIN,
        "--detailed-exitcode",
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let first = stderr(&out).lines().next().unwrap_or_default().to_owned();
    assert!(
        first.starts_with(&format!("Plivo: the real API at {}", sandbox.base_url())),
        "{first}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("pure JSON on stdout");
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["changes_pending"], true);
    assert!(doc["plan"]["steps"].as_array().unwrap().len() >= 10);
    assert!(
        doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "pinned-address"
                && w["message"].as_str().unwrap().contains("172.174.24.204")),
        "the plan says the SBC's address was pinned: {}",
        doc["warnings"]
    );

    // plan -out, then apply exactly that plan.
    op.ok(
        &[
            "plan",
            "--state",
            state,
            "--resolve",
            PIN,
            "-out",
            "acme.plan",
        ],
        0,
    );
    let doc = op.json(&["apply", "acme.plan"], 0);
    let steps = doc["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    for s in steps {
        match s["side"].as_str().unwrap() {
            "we_host_voip" => assert_eq!(
                s["outcome"], "waiting_for_operator",
                "a queued WeHostVoIP step is never done: {s}"
            ),
            _ => assert_eq!(s["outcome"], "done", "{s}"),
        }
    }
    assert!(!doc["checklist"]["steps"].as_array().unwrap().is_empty());
    // The accounts changed since acme.plan was made: applying it again is refused.
    let out = op.ok(&["apply", "acme.plan"], 1);
    assert!(stderr(&out).contains("stale"), "{}", text(&out));

    // The checklist refuses an unknown id and a step whose dependency is not confirmed yet.
    let steps = pending(&op, state);
    let out = op.ok(
        &["confirm", "--state", state, "no-such-step", "--by", "e2e"],
        2,
    );
    assert!(
        stderr(&out).contains("ID \"no-such-step\""),
        "{}",
        text(&out)
    );
    let (last, _) = steps.last().unwrap();
    let out = op.ok(&["confirm", "--state", state, last, "--by", "e2e"], 2);
    assert!(stderr(&out).contains("refused"), "{}", text(&out));

    // Confirm each step, as printed; then nothing is pending and the plan has nothing to do.
    assert_eq!(confirm_each(&op, state), steps.len());
    let doc = op.json(&["status", "--state", state, "--detailed-exitcode"], 0);
    assert_eq!(doc["status"]["nothing_pending"], true, "{}", doc["status"]);
    assert!(
        doc["status"]["plivo"]["drift"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        doc["status"]["wehostvoip"]["confirmed"]
            .as_array()
            .unwrap()
            .len(),
        steps.len()
    );
    let out = op.ok(&["status", "--state", state], 0);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Nothing pending on either side."),
        "{}",
        text(&out)
    );
    op.ok(&["plan", "--state", state, "--detailed-exitcode"], 0);

    // Teardown (text output, not a terminal: --yes), then confirm its steps: nothing left.
    let out = op.ok(&["teardown", "--state", state, "--yes"], 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("waiting for the operator (step id"),
        "{stdout}"
    );
    assert!(
        !stdout
            .lines()
            .any(|l| l.contains("[WeHostVoIP]") && l.ends_with(": done")),
        "{stdout}"
    );
    assert!(sandbox.state().trunks.is_empty());
    assert!(sandbox.state().ip_acls.is_empty());
    assert!(sandbox.state().uris.is_empty());
    assert!(confirm_each(&op, state) >= 3);
    op.ok(
        &[
            "plan",
            "--state",
            state,
            "--teardown",
            "--detailed-exitcode",
        ],
        0,
    );
    let out = op.ok(&["checklist", "--state", state], 0);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Nothing left to do"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_file_is_locked_and_a_read_only_one_is_an_error() {
    let sandbox = Sandbox::builder().no_rate_limit().start().await;
    sandbox.add_account_number(NUMBER).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let op = Operator::new(&sandbox, dir.path());
    op.ok(
        &["apply", "--state", "s.json", "--resolve", PIN, "--yes"],
        0,
    );
    let id = pending(&op, "s.json")[0].0.clone();

    let held = wehostvoip_client::StateLock::acquire(&dir.path().join("s.json")).unwrap();
    let out = op.ok(&["confirm", "--state", "s.json", &id, "--by", "e2e"], 1);
    assert!(
        stderr(&out).contains("another process is using"),
        "{}",
        text(&out)
    );
    drop(held);

    let path = dir.path().join("s.json");
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let requests = sandbox.requests().len();
    let out = op.ok(&["apply", "--state", "s.json", "--yes"], 1);
    assert!(stderr(&out).contains("read-only"), "{}", text(&out));
    assert_eq!(
        sandbox.requests().len(),
        requests,
        "refused before any request"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn input_errors_exit_2_and_name_the_flag_or_variable() {
    let dir = tempfile::tempdir().unwrap();
    let none = Operator::without_credentials(dir.path());
    let out = none.ok(&["plan", "--sandbox", "--number", "=1001"], 2);
    assert!(
        stderr(&out).contains("--number \"=1001\""),
        "{}",
        text(&out)
    );
    let out = none.ok(&["apply", "--state", "x.json", "--yes"], 2);
    assert!(
        stderr(&out).contains("apply: works on a real account"),
        "{}",
        text(&out)
    );
    assert!(!dir.path().join("x.json").exists());
    let out = none.ok(&["verify-call", "--since", "yesterday"], 2);
    assert!(
        stderr(&out).contains("--since \"yesterday\""),
        "{}",
        text(&out)
    );

    let half = Operator {
        env: vec![("PLIVO_AUTH_ID", "MAXXXXXXXXXXXXXXXXXX".to_owned())],
        dir: dir.path().to_owned(),
    };
    let out = half.ok(&["plan"], 2);
    assert!(
        stderr(&out).contains("PLIVO_AUTH_TOKEN: is not set"),
        "{}",
        text(&out)
    );
}

#[test]
fn pasted_numbers_are_echoed_and_the_sandbox_is_named_first() {
    let dir = tempfile::tempdir().unwrap();
    let none = Operator::without_credentials(dir.path());
    let out = none.ok(
        &[
            "plan",
            "--sandbox",
            "--number",
            "+1 (415) 555-0100=1002",
            "--caller-id",
            "+1 415 555 0100",
        ],
        0,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .starts_with("Plivo: the built-in offline sandbox (asked for with --sandbox)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--number \"+1 (415) 555-0100\" read as +14155550100"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+14155550100 -> extension 1002"),
        "{stdout}"
    );
}

#[test]
fn the_offline_demo_runs_with_no_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let none = Operator::without_credentials(dir.path());
    let out = none.ok(&[], 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("Plivo: the built-in offline sandbox"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Nothing left to do: the run is idempotent."),
        "{stdout}"
    );
    let doc = none.json(&["--teardown"], 0);
    assert_eq!(doc["converged"], true);
    assert_eq!(doc["teardown"]["nothing_left"], true);
}

/// `interconnect | head -2`: the reader goes away after two lines; the demo still runs to its
/// end (its teardown included) and exits 0, with no panic from writing to the closed pipe.
#[test]
fn a_reader_that_goes_away_does_not_stop_the_run() {
    use std::io::{BufRead as _, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(binary())
        .current_dir(dir.path())
        .env_remove("PLIVO_AUTH_ID")
        .env_remove("PLIVO_AUTH_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("Plivo: the built-in offline sandbox"),
        "{first}"
    );
    drop(lines); // the pipe's read end closes: every later write gets EPIPE
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn presets_older_than_90_days_are_a_plan_warning() {
    let dir = tempfile::tempdir().unwrap();
    let none = Operator::without_credentials(dir.path());
    let mut cmd_args = vec!["plan", "--sandbox", "--sbc", "us"];
    cmd_args.extend(["-o", "json"]);
    let out = Command::new(binary())
        .current_dir(dir.path())
        .args(&cmd_args)
        .env_remove("PLIVO_AUTH_ID")
        .env_remove("PLIVO_AUTH_TOKEN")
        .env("INTERCONNECT_TODAY", "2027-06-01")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "preset-age" && w["message"].as_str().unwrap().contains("Virginia"))
        .unwrap_or_else(|| panic!("{}", doc["warnings"]));
    assert!(warning["message"].as_str().unwrap().contains("2026-11-26"));
    drop(none);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_ranges_are_a_checklist_step_admitted_then_withdrawn() {
    let sandbox = Sandbox::builder().no_rate_limit().start().await;
    sandbox.add_account_number(NUMBER).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let op = Operator::new(&sandbox, dir.path());
    let state = "ranges.json";
    op.ok(
        &[
            "apply",
            "--state",
            state,
            "--resolve",
            PIN,
            "--inbound-auth",
            "published-ranges",
            "--yes",
        ],
        0,
    );
    let out = op.ok(&["checklist", "--state", state], 0);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("admit Plivo's 14 published signalling/media ranges"),
        "{md}"
    );
    assert!(
        md.contains("18.214.109.128/25") && md.contains("204.89.151.160/27"),
        "{md}"
    );
    confirm_each(&op, state);
    let doc = op.json(&["status", "--state", state], 0);
    assert_eq!(doc["status"]["nothing_pending"], true, "{}", doc["status"]);
    op.ok(&["teardown", "--state", state, "--yes"], 0);
    let withdraw = pending(&op, state);
    assert!(
        withdraw.iter().any(|(id, _)| id.starts_with("manual-")),
        "{withdraw:?}"
    );
    confirm_each(&op, state);
    op.ok(
        &[
            "plan",
            "--state",
            state,
            "--teardown",
            "--detailed-exitcode",
        ],
        0,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn take_over_through_the_cli_keeps_the_previous_route_and_teardown_restores_it() {
    let sandbox = Sandbox::builder().no_rate_limit().start().await;
    sandbox.add_account_number(NUMBER).unwrap();
    let client = crate::common::client(&sandbox);
    let other = crate::messy::foreign_inbound(&client).await;
    client
        .numbers()
        .attach_to_trunk(NUMBER, &other)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let op = Operator::new(&sandbox, dir.path());
    let state = "takeover.json";

    // Without --take-over the number on another trunk is a conflict: apply refuses, nothing moves.
    let doc = op.json(&["plan", "--state", state, "--resolve", PIN], 0);
    assert!(
        doc["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "number-routed-elsewhere"),
        "{}",
        doc["conflicts"]
    );
    let refused = op.run(&["apply", "--state", state, "--resolve", PIN, "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert_eq!(
        client.numbers().get(NUMBER).await.unwrap().trunk_id(),
        Some(other.clone())
    );

    // With it the number moves, and the state file keeps where it was.
    op.ok(
        &[
            "apply",
            "--state",
            state,
            "--resolve",
            PIN,
            "--take-over",
            "--yes",
        ],
        0,
    );
    let saved: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(state)).unwrap()).unwrap();
    let text_state = saved.to_string();
    assert!(
        text_state.contains("previous_routes") && text_state.contains(other.as_str()),
        "the state file keeps the previous route: {text_state}"
    );
    assert_ne!(
        client.numbers().get(NUMBER).await.unwrap().trunk_id(),
        Some(other.clone())
    );
    confirm_each(&op, state);

    // Teardown routes the number back to the trunk it came from.
    op.ok(&["teardown", "--state", state, "--yes"], 0);
    assert_eq!(
        client.numbers().get(NUMBER).await.unwrap().trunk_id(),
        Some(other),
        "teardown restored the previous route"
    );
}
