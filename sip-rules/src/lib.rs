//! Allocation-free, panic-free validation of SIP INVITE requests and their SDP offers, for the
//! call path of an SBC or proxy that takes calls from a SIP trunk such as Plivo Zentrunk.
//!
//! Bytes in, verdict out: [`Policy::check`] reads one message and either returns an
//! [`Accepted`] view that borrows from the message, or a [`Rejection`] carrying the SIP status a
//! proxy answers with and a `&'static str` reason. The crate is `#![no_std]` without `alloc`,
//! the caller provides the header slots, and clippy's `indexing_slicing`, `panic`, `unwrap_used`
//! and `expect_used` lints are denied, so no input can make it allocate or panic.
//!
//! # Rules, in order
//! 1. message size over [`Limits::max_message_size`]: 513;
//! 2. source address outside the policy's [`Acl`]: 403;
//! 3. request line (method token, Request-URI, exactly `SIP/2.0`, else 505), headers (Via with a
//!    branch, From with a tag, To, Call-ID, `CSeq` matching the method, Max-Forwards, for an
//!    INVITE one Contact with a SIP or SIPS URI; single-value headers at most once; compact
//!    forms; any case; folding), every SIP URI's and the Via sent-by's RFC 3261 `hostport`
//!    (host name, IPv4 address or `[IPv6 address]`, port up to 65535), Content-Length against the
//!    body, anything malformed: 400; a Request-URI scheme other than `sip`, `sips`, `tel`: 416
//!    ([`Policy::allow_rfc2543`] lets in a missing Via branch, From tag, Max-Forwards and
//!    Contact);
//! 4. a method other than INVITE: 405;
//! 5. Max-Forwards 0: 483;
//! 6. Request-URI user part not E.164: 484; not one of the policy's [`Numbers`]: 404;
//! 7. From or P-Asserted-Identity not E.164 when the policy says so: 403;
//! 8. body not `application/sdp` when SDP is required: 415 (no body: 488; an `Accept` that
//!    excludes SDP: 406);
//! 9. SDP malformed: 400; no audio stream with the required codec, or no telephone-event when
//!    required: 488.
//!
//! # Example
//! ```
//! use sip_rules::{Acl, Cidr, Header, Policy, Status};
//!
//! let acl: [Cidr; 1] = ["203.0.113.0/24".parse()?];
//! let policy = Policy::new(Acl::Cidrs(&acl)).require_telephone_event(true);
//!
//! let sdp = "v=0\r\no=- 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n\
//!            m=audio 20000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";
//! let msg = format!(
//!     "INVITE sip:+14155550123@sbc.example.net SIP/2.0\r\n\
//!      Via: SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK776asdhds\r\n\
//!      Max-Forwards: 70\r\n\
//!      From: <sip:+12025550199@203.0.113.5>;tag=1928301774\r\n\
//!      To: <sip:+14155550123@sbc.example.net>\r\n\
//!      Call-ID: a84b4c76e66710\r\n\
//!      CSeq: 314159 INVITE\r\n\
//!      Contact: <sip:+12025550199@203.0.113.5:5060>\r\n\
//!      Content-Type: application/sdp\r\n\
//!      Content-Length: {}\r\n\r\n{sdp}",
//!     sdp.len()
//! );
//!
//! let mut headers = [Header::EMPTY; 32];
//! let source = "203.0.113.5".parse()?;
//! let Ok(Status::Complete(call)) = policy.check(source, msg.as_bytes(), &mut headers) else {
//!     panic!("the INVITE must be accepted")
//! };
//! assert_eq!(call.number(), Some("+14155550123"));
//! assert_eq!(call.from_number(), Some("+12025550199"));
//! assert_eq!(call.audio_port(), Some(20000));
//! let codecs: Vec<_> = call.codecs().filter_map(|c| c.encoding).collect();
//! assert_eq!(codecs, ["PCMU", "telephone-event"]);
//!
//! // The same INVITE from elsewhere is refused with the status to answer.
//! let err = policy.check("198.51.100.7".parse()?, msg.as_bytes(), &mut headers).unwrap_err();
//! assert_eq!((err.status(), err.reason()), (403, "source address not allowed"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Limits
//! Named limits live in [`Limits`] (message size, header count, line length, SDP lines); the
//! defaults accept every valid message of RFC 4475. Unknown header values are framed and
//! checked for control characters but not parsed. E.164 numbers follow the one rule of [`e164`]
//! (`+`, an assigned ITU country calling code, a national length its plan allows), with no
//! visual separators; `;user=phone` and user-part parameters are allowed.
#![no_std]
#![deny(
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod cidr;
mod class;
pub mod codec;
pub mod e164;
mod head;
mod host;
mod invite;
mod policy;
pub mod proxy;
mod reject;
pub mod response;
mod sdp;
mod value;
mod wire;

pub use cidr::{Cidr, CidrError};
pub use codec::Codec;
pub use head::{Header, HeaderName, Request, Status, parse_request};
pub use invite::{Accepted, check_invite};
pub use policy::{Acl, Limits, Numbers, NumbersError, Plus, Policy, Transport};
pub use reject::{Rejection, Rule};
pub use response::{Answer, TooSmall, write_response};
pub use sdp::{AudioStream, Codecs, OfferedCodec};
