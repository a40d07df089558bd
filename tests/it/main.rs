#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Cross-crate integration tests, one binary with modules (fast to link).

mod cli;
mod common;
mod e2e;
mod faults;
mod guard;
mod messy;
mod operator;
mod plan_snapshots;
mod rules;
mod vocabulary;
mod wire;
