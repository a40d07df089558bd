//! Answers and framing: the response to any refused message parses back with its copied
//! headers byte-equal to the request's (proptest), and the fuzz corpus kept in `fuzz/corpus/`
//! replays through the fuzz targets' properties.

// Test helpers panic on purpose: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::too_many_lines)]

#[path = "../../fuzz/props.rs"]
mod props;

mod corpus;
mod responses;
