//! Fuzz target: every proper prefix of a message framed on a stream is `Partial`, through the
//! tokenizer and the policy, and bytes after it do not change its framing (see
//! `props::stream_framing`).
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::stream_framing(data));
