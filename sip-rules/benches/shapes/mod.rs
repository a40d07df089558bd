//! The benchmark corpus: INVITEs in the shapes real senders emit, each written for this crate
//! from a public description of that sender (see `PROVENANCE.md` in this folder), and the
//! strict policy that accepts every one of them, so that the whole check is measured.
//!
//! Shared by the `check_invite` bench, the `instructions` example and the rule tests
//! (`#[path]` module), so all three read the same bytes under the same policy.

// Each user reads a different part of it.
#![allow(dead_code)]

use std::net::IpAddr;

use sip_rules::{Acl, Cidr, Numbers, Policy};

/// One INVITE of the corpus.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// A short name (the file name without `.sip`), used by the bench and the example.
    pub name: &'static str,
    /// What it exercises, for the tables.
    pub what: &'static str,
    /// The message, CRLF line ends, exact Content-Length.
    pub bytes: &'static [u8],
    /// The address it arrives from (inside [`CIDRS`]).
    pub source: &'static str,
}

impl Shape {
    /// The source address.
    pub fn source(&self) -> IpAddr {
        self.source.parse().expect("corpus source address")
    }

    /// The SDP body (after the empty line).
    pub fn sdp(&self) -> &'static [u8] {
        let at = self
            .bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("corpus message has a head");
        &self.bytes[at + 4..]
    }
}

/// The corpus, in the order of the tables.
pub const SHAPES: [Shape; 12] = [
    Shape {
        name: "plivo",
        what: "Plivo Zentrunk inbound",
        bytes: include_bytes!("plivo.sip"),
        source: "18.214.109.129",
    },
    Shape {
        name: "twilio",
        what: "Twilio Elastic SIP Trunking origination",
        bytes: include_bytes!("twilio.sip"),
        source: "192.0.2.20",
    },
    Shape {
        name: "telnyx",
        what: "Telnyx SIP connection, sip: and tel: PAI",
        bytes: include_bytes!("telnyx.sip"),
        source: "198.51.100.30",
    },
    Shape {
        name: "asterisk",
        what: "Asterisk chan_pjsip trunk",
        bytes: include_bytes!("asterisk.sip"),
        source: "203.0.113.40",
    },
    Shape {
        name: "freeswitch",
        what: "FreeSWITCH gateway, headers after Content-Length",
        bytes: include_bytes!("freeswitch.sip"),
        source: "203.0.113.50",
    },
    Shape {
        name: "kamailio",
        what: "Kamailio proxy: 3 Vias, Record-Route, G722 first",
        bytes: include_bytes!("kamailio.sip"),
        source: "192.0.2.60",
    },
    Shape {
        name: "webrtc",
        what: "WebRTC gateway: opus first, video, ICE (3.2 KB SDP)",
        bytes: include_bytes!("webrtc.sip"),
        source: "198.51.100.70",
    },
    Shape {
        name: "compact",
        what: "compact header forms",
        bytes: include_bytes!("compact.sip"),
        source: "192.0.2.80",
    },
    Shape {
        name: "audiocodes",
        what: "AudioCodes gateway: lower-case codec names",
        bytes: include_bytes!("audiocodes.sip"),
        source: "198.51.100.90",
    },
    Shape {
        name: "ipv6",
        what: "IPv6 hosts, Via and c=IN IP6",
        bytes: include_bytes!("ipv6.sip"),
        source: "2001:db8::9:1",
    },
    Shape {
        name: "huawei",
        what: "media server: telephone-event on PT 96, Via last",
        bytes: include_bytes!("huawei.sip"),
        source: "203.0.113.100",
    },
    Shape {
        name: "sdp3k",
        what: "mediation server: 3.2 KB SDP, crypto, ICE, 3 streams",
        bytes: include_bytes!("sdp3k.sip"),
        source: "203.0.113.120",
    },
];

/// The numbers the corpus calls, sorted.
pub static NUMBERS: [&str; 12] = [
    "+14155550123",
    "+14155550124",
    "+14155550125",
    "+14155550126",
    "+14155550127",
    "+14155550128",
    "+14155550129",
    "+14155550130",
    "+14155550131",
    "+14155550132",
    "+14155550133",
    "+14155550134",
];

/// The networks the corpus arrives from: Plivo's signalling range and the documentation ranges.
pub const CIDRS: [&str; 5] = [
    "18.214.109.128/25",
    "192.0.2.0/24",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "2001:db8::/32",
];

/// [`CIDRS`] parsed.
pub fn cidrs() -> [Cidr; 5] {
    CIDRS.map(|c| c.parse().expect("corpus CIDR"))
}

/// The strict policy of the measurements: the ACL, the numbers, E.164 caller ID (From and
/// P-Asserted-Identity), PCMU and telephone-event required.
pub fn policy(cidrs: &[Cidr]) -> Policy<'_> {
    Policy::new(Acl::Cidrs(cidrs))
        .with_numbers(Numbers::new(&NUMBERS).expect("corpus numbers"))
        .require_e164_caller_id(true)
        .require_telephone_event(true)
}

/// The shape called `name`.
pub fn by_name(name: &str) -> Option<&'static Shape> {
    SHAPES.iter().find(|s| s.name == name)
}
