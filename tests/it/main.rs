//! Cross-crate integration tests, one binary with modules.
