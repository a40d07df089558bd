//! The `sip_guard` example over loopback sockets: a Rust UDP (and TCP) client in front, a fake
//! upstream UDP socket behind. The example's server module is compiled in here as it is.

#[path = "../../examples/interconnect/call_policy.rs"]
mod call_policy;
#[path = "../../examples/sip_guard/server.rs"]
#[allow(dead_code)]
mod server;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use interconnect_core::interconnect::{CallPolicy, Interconnect};
use interconnect_core::sbc::StaticResolver;
use interconnect_core::{InboundAuth, Sbc};
use sip_rules::{Acl, Numbers, Policy};
use wehostvoip_client::{InMemory, World};

/// Long enough never to fire on a working guard; only a broken one makes a test wait this long.
const NO_HANG: Duration = Duration::from_secs(10);

static NUMBERS: [&str; 1] = ["+14155550123"];

pub(crate) struct Rig {
    pub(crate) guard: SocketAddr,
    pub(crate) upstream: UdpSocket,
    pub(crate) running: Option<server::Running>,
}

impl Drop for Rig {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop();
        }
    }
}

pub(crate) fn rig() -> Rig {
    rig_with(Policy::new(Acl::Any).with_numbers(Numbers::new(&NUMBERS).unwrap()))
}

fn rig_with(policy: Policy<'static>) -> Rig {
    let upstream = UdpSocket::bind("127.0.0.1:0").unwrap();
    upstream.set_read_timeout(Some(NO_HANG)).unwrap();
    let config = server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        upstream: upstream.local_addr().unwrap(),
        max_connections: 4,
    };
    let bound = server::Bound::bind(&config, policy).unwrap();
    let guard = bound.local_addr().unwrap();
    Rig {
        guard,
        upstream,
        running: Some(bound.spawn().unwrap()),
    }
}

const SDP: &str = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
                   m=audio 20000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";

pub(crate) fn invite(number: &str, branch: &str, transport: &str) -> String {
    format!(
        "INVITE sip:{number}@sbc.example.net SIP/2.0\r\n\
         Via: SIP/2.0/{transport} 127.0.0.1:5999;branch=z9hG4bK{branch};rport\r\n\
         Via: SIP/2.0/UDP 192.0.2.77;branch=z9hG4bKfar\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:+12025550199@127.0.0.1>;tag=1928301774\r\n\
         To: <sip:{number}@sbc.example.net>\r\n\
         Call-ID: {branch}@127.0.0.1\r\n\
         CSeq: 314159 INVITE\r\n\
         Contact: <sip:+12025550199@127.0.0.1:5999>\r\n\
         Content-Type: application/sdp\r\n\
         Content-Length: {}\r\n\r\n{SDP}",
        SDP.len()
    )
}

fn bye(branch: &str) -> String {
    format!(
        "BYE sip:+14155550123@sbc.example.net SIP/2.0\r\n\
         Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK{branch}\r\n\
         Max-Forwards: 10\r\n\
         From: <sip:+12025550199@127.0.0.1>;tag=1928301774\r\n\
         To: <sip:+14155550123@sbc.example.net>;tag=sbc1\r\n\
         Call-ID: call-{branch}@127.0.0.1\r\n\
         CSeq: 314160 BYE\r\n\
         Content-Length: 0\r\n\r\n"
    )
}

fn client() -> UdpSocket {
    let c = UdpSocket::bind("127.0.0.1:0").unwrap();
    c.set_read_timeout(Some(NO_HANG)).unwrap();
    c
}

/// A guard counter once it reaches `want` or stops moving: the guard counts a message after it
/// has sent it on, so the peer may read the answer before the count. Polls in 1 ms steps, at most
/// 2000 of them, and returns what it read last (the caller asserts).
fn settled(counter: &AtomicU64, want: u64) -> u64 {
    for _ in 0..2000 {
        let n = counter.load(Ordering::Acquire);
        if n >= want {
            return n;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    counter.load(Ordering::Acquire)
}

fn recv(socket: &UdpSocket) -> (String, SocketAddr) {
    let mut buf = vec![0u8; 65_535];
    let (n, from) = socket.recv_from(&mut buf).expect("a datagram");
    (String::from_utf8(buf[..n].to_vec()).unwrap(), from)
}

fn header<'a>(msg: &'a str, name: &str) -> Vec<&'a str> {
    msg.split("\r\n")
        .filter_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
        .collect()
}

#[test]
fn refused_invite_is_answered_with_its_headers() {
    let rig = rig();
    let c = client();
    let req = invite("+14155550999", "unknown1", "UDP");
    c.send_to(req.as_bytes(), rig.guard).unwrap();
    let (resp, from) = recv(&c);
    assert_eq!(from, rig.guard);
    assert!(resp.starts_with("SIP/2.0 404 Not Found\r\n"), "{resp}");
    assert_eq!(header(&resp, "Via"), header(&req, "Via"));
    assert_eq!(header(&resp, "From"), header(&req, "From"));
    assert_eq!(header(&resp, "Call-ID"), header(&req, "Call-ID"));
    assert_eq!(header(&resp, "CSeq"), header(&req, "CSeq"));
    let to = header(&resp, "To");
    assert!(
        to[0].starts_with("<sip:+14155550999@sbc.example.net>;tag="),
        "{resp}"
    );
    assert!(resp.ends_with("\r\nContent-Length: 0\r\n\r\n"));

    // Its ACK is absorbed: nothing reaches the upstream. An OPTIONS gets 405 with Allow.
    let ack = req
        .replacen("INVITE sip:", "ACK sip:", 1)
        .replace(
            "To: <sip:+14155550999@sbc.example.net>",
            &format!("To: {}", to[0]),
        )
        .replace("CSeq: 314159 INVITE", "CSeq: 314159 ACK")
        .replace("Content-Type: application/sdp\r\n", "");
    c.send_to(ack.as_bytes(), rig.guard).unwrap();
    let options = bye("opt1")
        .replace("BYE sip:", "OPTIONS sip:")
        .replace("314160 BYE", "1 OPTIONS");
    c.send_to(options.as_bytes(), rig.guard).unwrap();
    let (resp, _) = recv(&c);
    assert!(
        resp.starts_with("SIP/2.0 405 Method Not Allowed\r\n"),
        "{resp}"
    );
    assert_eq!(header(&resp, "Allow"), ["INVITE, ACK, CANCEL, BYE"]);
    // Then a BYE, which does reach the upstream: the ACK before it did not.
    c.send_to(bye("after-ack").as_bytes(), rig.guard).unwrap();
    let (got, _) = recv(&rig.upstream);
    assert!(got.starts_with("BYE "), "{got}");
    let stats = rig.running.as_ref().unwrap().guard();
    assert_eq!(settled(&stats.stats().answered, 2), 2);
}

/// The guard's policy as `sip_guard` makes it: `call_policy()` of an interconnect routing only
/// +14155550100 (to extension 1002), inbound by Plivo's published ranges, with `overrides`.
fn interconnect_policy(overrides: call_policy::Overrides) -> Policy<'static> {
    let plivo = plivo_client::PlivoClient::builder()
        .auth_id("OFFLINE")
        .auth_token("offline")
        .base_url("http://127.0.0.1:9/")
        .build()
        .unwrap();
    let interconnect = Interconnect::builder()
        .plivo(plivo)
        .wehostvoip(Box::new(InMemory::new(World::new())))
        .resolver(StaticResolver::shared_sbcs())
        .sbc(Sbc::preset("us").unwrap().clone())
        .tenant("acme.hobot.wehostvoip.io")
        .caller_id("+14155550100".parse().unwrap())
        .number("+14155550100".parse().unwrap(), "1002")
        .country("US")
        .inbound_auth(InboundAuth::PublishedRanges)
        .build()
        .unwrap();
    let call_policy: &'static CallPolicy = Box::leak(Box::new(interconnect.call_policy()));
    call_policy::policy(call_policy, overrides)
}

#[test]
fn the_interconnects_call_policy_forwards_its_routes_and_refuses_the_rest() {
    let rig = rig_with(interconnect_policy(call_policy::Overrides {
        source_any: true,
        ..call_policy::Overrides::default()
    }));
    let c = client();
    // Routed in the interconnect: forwarded.
    c.send_to(
        invite("+14155550100", "routed1", "UDP").as_bytes(),
        rig.guard,
    )
    .unwrap();
    let (fwd, _) = recv(&rig.upstream);
    assert!(fwd.starts_with("INVITE sip:+14155550100@"), "{fwd}");
    // Not routed (the other rigs' number): answered 404 here, nothing upstream.
    c.send_to(
        invite("+14155550123", "unrouted1", "UDP").as_bytes(),
        rig.guard,
    )
    .unwrap();
    let (resp, _) = recv(&c);
    assert!(resp.starts_with("SIP/2.0 404 Not Found\r\n"), "{resp}");
    let stats = rig.running.as_ref().unwrap().guard();
    assert_eq!(settled(&stats.stats().answered, 1), 1);
    assert_eq!(settled(&stats.stats().forwarded, 1), 1);

    // Without --source-any the sources are the interconnect's (Plivo's blocks): loopback is
    // refused even for the routed number.
    let strict = rig_with(interconnect_policy(call_policy::Overrides::default()));
    c.send_to(
        invite("+14155550100", "routed2", "UDP").as_bytes(),
        strict.guard,
    )
    .unwrap();
    let (resp, _) = recv(&c);
    assert!(resp.starts_with("SIP/2.0 403 Forbidden\r\n"), "{resp}");
}

#[test]
fn accepted_invite_goes_upstream_and_its_response_comes_back() {
    let rig = rig();
    let c = client();
    let req = invite("+14155550123", "ok1", "UDP");
    c.send_to(req.as_bytes(), rig.guard).unwrap();
    let (fwd, guard_side) = recv(&rig.upstream);
    let vias = header(&fwd, "Via");
    assert_eq!(vias.len(), 3, "{fwd}");
    assert!(
        vias[0].starts_with(&format!("SIP/2.0/UDP {guard_side};branch=z9hG4bK")),
        "{fwd}"
    );
    let client_port = c.local_addr().unwrap().port();
    assert_eq!(
        vias[1],
        format!(
            "SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKok1;received=127.0.0.1;rport={client_port}"
        )
    );
    assert_eq!(vias[2], "SIP/2.0/UDP 192.0.2.77;branch=z9hG4bKfar");
    assert_eq!(header(&fwd, "Max-Forwards"), ["69"]);
    assert!(fwd.ends_with(SDP), "the body goes on unchanged");

    // The upstream answers to the guard's Via; the client gets it without that Via.
    let ringing = format!(
        "SIP/2.0 180 Ringing\r\nVia: {}\r\nVia: {}\r\nVia: {}\r\n\
         From: <sip:+12025550199@127.0.0.1>;tag=1928301774\r\n\
         To: <sip:+14155550123@sbc.example.net>;tag=sbc1\r\n\
         Call-ID: ok1@127.0.0.1\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n",
        vias[0], vias[1], vias[2]
    );
    rig.upstream
        .send_to(ringing.as_bytes(), guard_side)
        .unwrap();
    let (back, from) = recv(&c);
    assert_eq!(from, rig.guard);
    assert_eq!(header(&back, "Via"), vias[1..]);
    assert!(back.starts_with("SIP/2.0 180 Ringing\r\n"));

    // A response whose top Via is not the guard's is dropped; the next one still flows.
    let stray = ringing.replacen(&guard_side.to_string(), "127.0.0.1:1", 1);
    rig.upstream.send_to(stray.as_bytes(), guard_side).unwrap();
    let ok = ringing.replace("180 Ringing", "200 OK");
    rig.upstream.send_to(ok.as_bytes(), guard_side).unwrap();
    let (back, _) = recv(&c);
    assert!(back.starts_with("SIP/2.0 200 OK\r\n"), "{back}");
}

#[test]
fn bye_passes_through_with_one_hop_less() {
    let rig = rig();
    let c = client();
    c.send_to(bye("bye1").as_bytes(), rig.guard).unwrap();
    let (fwd, _) = recv(&rig.upstream);
    assert!(fwd.starts_with("BYE sip:+14155550123@sbc.example.net SIP/2.0\r\n"));
    assert_eq!(header(&fwd, "Max-Forwards"), ["9"]);
    assert_eq!(header(&fwd, "Via").len(), 2);
    // A BYE out of hops is answered 483, not forwarded.
    let dead = bye("bye2").replace("Max-Forwards: 10", "Max-Forwards: 0");
    c.send_to(dead.as_bytes(), rig.guard).unwrap();
    let (resp, _) = recv(&c);
    assert!(resp.starts_with("SIP/2.0 483 Too Many Hops\r\n"), "{resp}");
}

#[test]
fn tcp_frames_split_and_pipelined_messages() {
    let rig = rig();
    let mut tcp = TcpStream::connect(rig.guard).unwrap();
    tcp.set_read_timeout(Some(NO_HANG)).unwrap();
    let refused = invite("+14155550999", "t1", "TCP");
    let accepted = invite("+14155550123", "t2", "TCP");
    // One refused and one accepted INVITE, sent in three pieces that cut both.
    let both = format!("{refused}{accepted}");
    let cuts = [refused.len() / 2, refused.len() + 10, both.len()];
    let mut at = 0;
    for cut in cuts {
        tcp.write_all(&both.as_bytes()[at..cut]).unwrap();
        tcp.flush().unwrap();
        at = cut;
        // Let each piece arrive on its own (no timing is asserted).
        std::thread::sleep(Duration::from_millis(20));
    }
    let resp = read_message(&mut tcp);
    assert!(resp.starts_with("SIP/2.0 404 Not Found\r\n"), "{resp}");
    assert_eq!(header(&resp, "Via"), header(&refused, "Via"));

    let (fwd, guard_side) = recv(&rig.upstream);
    let vias = header(&fwd, "Via");
    assert!(
        vias[1]
            .starts_with("SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKt2;received=127.0.0.1;rport=")
    );
    let ok = format!(
        "SIP/2.0 200 OK\r\nVia: {}\r\nVia: {}\r\nVia: {}\r\nCall-ID: t2@127.0.0.1\r\n\
         CSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n",
        vias[0], vias[1], vias[2]
    );
    rig.upstream.send_to(ok.as_bytes(), guard_side).unwrap();
    let back = read_message(&mut tcp);
    assert!(back.starts_with("SIP/2.0 200 OK\r\n"), "{back}");
    assert_eq!(header(&back, "Via"), vias[1..]);
}

/// One message with `Content-Length: 0` from a stream.
fn read_message(tcp: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while !got.ends_with(b"\r\n\r\n") {
        tcp.read_exact(&mut byte).expect("a whole message");
        got.push(byte[0]);
    }
    String::from_utf8(got).unwrap()
}
