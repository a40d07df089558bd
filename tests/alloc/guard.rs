//! Proof that the `sip_guard` example allocates nothing per message after start-up: a counting
//! global allocator (`stats_alloc`) wraps the system allocator in this test binary, and many
//! refused INVITEs, accepted INVITEs with their relayed responses and BYEs, over UDP and over a
//! TCP connection, run between two snapshots. Its own binary with one test, so nothing else
//! allocates meanwhile; the client side uses only buffers made before the first snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../examples/sip_guard/server.rs"]
#[allow(dead_code)]
mod server;

use std::alloc::System;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

use sip_rules::{Acl, Numbers, Policy};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const NO_HANG: Duration = Duration::from_secs(10);
const ROUNDS: usize = 200;
static NUMBERS: [&str; 1] = ["+14155550123"];

fn invite(number: &str, transport: &str) -> Vec<u8> {
    let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
               m=audio 20000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";
    format!(
        "INVITE sip:{number}@sbc.example.net SIP/2.0\r\n\
         Via: SIP/2.0/{transport} 127.0.0.1:5999;branch=z9hG4bK{number}{transport};rport\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:+12025550199@127.0.0.1>;tag=1928301774\r\n\
         To: <sip:{number}@sbc.example.net>\r\n\
         Call-ID: a84b4c76e66710@127.0.0.1\r\n\
         CSeq: 314159 INVITE\r\n\
         Contact: <sip:+12025550199@127.0.0.1:5999>\r\n\
         Content-Type: application/sdp\r\n\
         Content-Length: {}\r\n\r\n{sdp}",
        sdp.len()
    )
    .into_bytes()
}

const BYE: &[u8] = b"BYE sip:+14155550123@sbc.example.net SIP/2.0\r\n\
    Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKbye\r\nMax-Forwards: 10\r\n\
    From: <sip:+12025550199@127.0.0.1>;tag=1\r\nTo: <sip:+14155550123@sbc.example.net>;tag=2\r\n\
    Call-ID: bye@127.0.0.1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";

/// The response the upstream sends to a forwarded request: its Vias, then a fixed tail.
fn response_to(forwarded: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(forwarded).unwrap();
    let mut r = String::from("SIP/2.0 200 OK\r\n");
    for via in text.split("\r\n").filter(|l| l.starts_with("Via: ")) {
        r.push_str(via);
        r.push_str("\r\n");
    }
    r.push_str(
        "Call-ID: a84b4c76e66710@127.0.0.1\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n",
    );
    r.into_bytes()
}

/// Reads one message without body from a stream into `buf` (no allocation).
fn read_head(tcp: &mut TcpStream, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while !buf[..n].ends_with(b"\r\n\r\n") {
        tcp.read_exact(&mut buf[n..=n]).expect("a whole message");
        n += 1;
    }
    n
}

#[test]
fn the_guard_allocates_nothing_per_message() {
    let upstream = UdpSocket::bind("127.0.0.1:0").unwrap();
    upstream.set_read_timeout(Some(NO_HANG)).unwrap();
    let config = server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        upstream: upstream.local_addr().unwrap(),
        max_connections: 2,
    };
    let policy = Policy::new(Acl::Any).with_numbers(Numbers::new(&NUMBERS).unwrap());
    let bound = server::Bound::bind(&config, policy).unwrap();
    let guard: SocketAddr = bound.local_addr().unwrap();
    let running = bound.spawn().unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(NO_HANG)).unwrap();
    let mut tcp = TcpStream::connect(guard).unwrap();
    tcp.set_read_timeout(Some(NO_HANG)).unwrap();

    let (refused, accepted) = (invite("+14155550999", "UDP"), invite("+14155550123", "UDP"));
    let (tcp_refused, tcp_accepted) =
        (invite("+14155550999", "TCP"), invite("+14155550123", "TCP"));
    let mut buf = vec![0u8; 65_535];

    // The first round keeps the forwarded INVITEs to build the upstream's responses from.
    client.send_to(&accepted, guard).unwrap();
    let (n, _) = upstream.recv_from(&mut buf).unwrap();
    let udp_reply = response_to(&buf[..n]);
    tcp.write_all(&tcp_accepted).unwrap();
    let (n, _) = upstream.recv_from(&mut buf).unwrap();
    let tcp_reply = response_to(&buf[..n]);
    // One round: each path once, every answer and relay awaited.
    let mut round = |udp_reply: &[u8], tcp_reply: &[u8], buf: &mut [u8]| {
        client.send_to(&refused, guard).unwrap();
        let (n, _) = client.recv_from(buf).unwrap();
        assert!(buf[..n].starts_with(b"SIP/2.0 404 "));
        client.send_to(&accepted, guard).unwrap();
        let (_, from) = upstream.recv_from(buf).unwrap();
        upstream.send_to(udp_reply, from).unwrap();
        let (n, _) = client.recv_from(buf).unwrap();
        assert!(buf[..n].starts_with(b"SIP/2.0 200 OK\r\n"));
        client.send_to(BYE, guard).unwrap();
        let (n, _) = upstream.recv_from(buf).unwrap();
        assert!(buf[..n].starts_with(b"BYE "));
        tcp.write_all(&tcp_refused).unwrap();
        let n = read_head(&mut tcp, buf);
        assert!(buf[..n].starts_with(b"SIP/2.0 404 "));
        tcp.write_all(&tcp_accepted).unwrap();
        let (_, from) = upstream.recv_from(buf).unwrap();
        upstream.send_to(tcp_reply, from).unwrap();
        let n = read_head(&mut tcp, buf);
        assert!(buf[..n].starts_with(b"SIP/2.0 200 OK\r\n"));
    };
    // Warm-up.
    round(&udp_reply, &tcp_reply, &mut buf);

    let region = Region::new(GLOBAL);
    for _ in 0..ROUNDS {
        round(&udp_reply, &tcp_reply, &mut buf);
    }
    let change = region.change();
    assert_eq!(
        (change.allocations, change.reallocations),
        (0, 0),
        "{ROUNDS} rounds of 7 messages: {change:?}"
    );
    let stats = running.guard();
    assert!(
        stats
            .stats()
            .relayed
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 2 * ROUNDS as u64
    );
    running.stop();
}
