//! Fuzz target: the response to any refused message parses back as one response whose copied
//! headers are the request's, byte for byte; the proxy helpers never panic (see
//! `props::response`).
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::response(data));
