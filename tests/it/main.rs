#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Cross-crate integration tests, one binary with modules (fast to link).

mod common;
mod e2e;
mod faults;
mod operator;
mod plan_snapshots;
mod rules;
mod vocabulary;
mod wire;
