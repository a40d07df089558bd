//! Replays the minimised fuzz corpus (`fuzz/corpus/<target>/`) through each target's property,
//! so a normal `cargo test` checks every kept input.

use std::path::Path;

use crate::props;

fn replay(target: &str, property: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| property(&data));
        assert!(
            outcome.is_ok(),
            "{} fails the {target} property",
            path.display()
        );
        count += 1;
    }
    assert!(count > 0, "{} is empty", dir.display());
}

#[test]
fn check_invite_corpus() {
    replay("check_invite", props::check_invite);
}

#[test]
fn response_corpus() {
    replay("response", props::response);
}

#[test]
fn stream_framing_corpus() {
    replay("stream_framing", props::stream_framing);
}
