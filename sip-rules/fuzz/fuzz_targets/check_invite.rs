//! Fuzz target: any bytes, through several policies and both transports. The check must never
//! panic, and an accepted view must borrow from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sip_rules::{Acl, Header, Policy, Status, Transport};

fn within(outer: &[u8], inner: &[u8]) -> bool {
    let (o, i) = (outer.as_ptr_range(), inner.as_ptr_range());
    inner.is_empty() || (o.start <= i.start && i.end <= o.end)
}

fuzz_target!(|data: &[u8]| {
    let policies = [
        Policy::permissive(),
        Policy::new(Acl::Any).require_telephone_event(true),
        Policy::permissive().with_transport(Transport::Stream),
    ];
    let source = core::net::IpAddr::from([192, 0, 2, 1]);
    for policy in &policies {
        let mut headers = [Header::EMPTY; 64];
        if let Ok(Status::Complete(call)) = policy.check(source, data, &mut headers) {
            assert!(within(data, call.request_uri().as_bytes()));
            assert!(within(data, call.call_id().as_bytes()));
            assert!(within(data, call.body()));
            if let Some(addr) = call.audio_address() {
                assert!(within(data, addr.as_bytes()));
            }
            for codec in call.codecs() {
                let _ = codec.encoding;
            }
        }
    }
});
