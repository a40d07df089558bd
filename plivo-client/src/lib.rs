//! Typed async client for Plivo's Zentrunk SIP trunking and numbers APIs.

#[cfg(feature = "sandbox")]
pub mod sandbox;
