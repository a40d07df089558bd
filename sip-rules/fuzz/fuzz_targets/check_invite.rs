//! Fuzz target: any bytes, through several policies and both transports. The check must never
//! panic, and an accepted view must borrow from the input (see `props::check_invite`).
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::check_invite(data));
