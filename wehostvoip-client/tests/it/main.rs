//! Integration tests, in one binary: the conformance suite run against every backend, then what is
//! particular to the checklist and HTTP backends.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod checklist;
mod conformance;
mod contract;
mod fixtures;
mod http;
mod server;
