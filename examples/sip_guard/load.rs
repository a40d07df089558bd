//! A bounded loopback load for `sip_guard` (or any stateless server that answers INVITEs): sends
//! `--count` INVITEs for a number the server does not serve over UDP, at most `--window` awaiting
//! their answer at a time, and prints the answers per second and the p50 / p99 / max response
//! time measured with a monotonic clock per INVITE.
//!
//! ```text
//! cargo run --release --example sip_load -- --target 127.0.0.1:5070 --count 100000 --window 32
//! ```
//!
//! Each INVITE has its own Call-ID and branch (its index, fixed width); an answer is matched to
//! its INVITE by that index. The run ends when every INVITE is answered or nothing arrived for
//! two seconds; unanswered INVITEs are counted, not waited for. Exit code 2 for usage or socket
//! errors.

use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;

/// Send a bounded number of INVITEs and measure the answers.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The server to load (UDP).
    #[arg(long)]
    target: SocketAddr,
    /// How many INVITEs to send.
    #[arg(long, default_value_t = 50_000)]
    count: usize,
    /// Most INVITEs awaiting an answer at a time (1 measures latency alone).
    #[arg(long, default_value_t = 32)]
    window: usize,
    /// The Request-URI number (one the server refuses, so that it answers).
    #[arg(long, default_value = "+14155550999")]
    number: String,
}

/// Digits of the index in the Call-ID and branch.
const WIDTH: usize = 10;
/// How long without an answer ends the run.
const IDLE: Duration = Duration::from_secs(2);

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) if e.use_stderr() => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            print!("{e}");
            return ExitCode::SUCCESS;
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sip_load: {e}");
            ExitCode::from(2)
        }
    }
}

#[allow(clippy::too_many_lines)] // one load loop, read top to bottom
fn run(args: &Args) -> std::io::Result<()> {
    let socket = UdpSocket::bind(if args.target.is_ipv4() {
        "127.0.0.1:0"
    } else {
        "[::1]:0"
    })?;
    socket.connect(args.target)?;
    socket.set_read_timeout(Some(IDLE))?;
    let local = socket.local_addr()?;
    let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
               m=audio 20000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n\
               a=rtpmap:101 telephone-event/8000\r\n";
    let zeros = "0".repeat(WIDTH);
    let mut invite = format!(
        "INVITE sip:{number}@{target} SIP/2.0\r\n\
         Via: SIP/2.0/UDP {local};branch=z9hG4bK{zeros}\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:+12025550199@{local}>;tag=load\r\n\
         To: <sip:{number}@{target}>\r\n\
         Call-ID: {zeros}@load\r\n\
         CSeq: 1 INVITE\r\n\
         Contact: <sip:+12025550199@{local}>\r\n\
         Content-Type: application/sdp\r\n\
         Content-Length: {}\r\n\r\n{sdp}",
        sdp.len(),
        number = args.number,
        target = args.target,
    )
    .into_bytes();
    let at = |text: &[u8], what: &[u8]| text.windows(what.len()).position(|w| w == what);
    let branch_at = at(&invite, b"branch=z9hG4bK").map_or(0, |p| p + 14);
    let call_id_at = at(&invite, b"Call-ID: ").map_or(0, |p| p + 9);

    let mut sent_at: Vec<Option<Instant>> = vec![None; args.count];
    let mut latencies: Vec<Duration> = Vec::with_capacity(args.count);
    let mut buf = vec![0u8; 65_535];
    let (mut next, mut in_flight) = (0usize, 0usize);
    let start = Instant::now();
    let mut last = start;
    while latencies.len() < args.count {
        while next < args.count && in_flight < args.window.max(1) {
            let digits = format!("{next:0WIDTH$}");
            invite[branch_at..branch_at + WIDTH].copy_from_slice(digits.as_bytes());
            invite[call_id_at..call_id_at + WIDTH].copy_from_slice(digits.as_bytes());
            socket.send(&invite)?;
            sent_at[next] = Some(Instant::now());
            next += 1;
            in_flight += 1;
        }
        let n = match socket.recv(&mut buf) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break;
            }
            Err(e) => return Err(e),
        };
        let now = Instant::now();
        let answer = &buf[..n];
        let Some(p) = at(answer, b"\r\nCall-ID: ") else {
            continue;
        };
        let index = answer
            .get(p + 11..p + 11 + WIDTH)
            .and_then(|d| std::str::from_utf8(d).ok()?.parse::<usize>().ok());
        if let Some(sent) = index
            .and_then(|i| sent_at.get_mut(i))
            .and_then(Option::take)
        {
            latencies.push(now - sent);
            last = now;
            in_flight -= 1;
        }
    }
    let elapsed = last - start;
    latencies.sort();
    let pct = |p: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((latencies.len() as f64) * p) as usize;
        latencies
            .get(i.min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    #[allow(clippy::cast_precision_loss)]
    let rate = latencies.len() as f64 / elapsed.as_secs_f64();
    println!(
        "{} of {} INVITEs answered in {:.3} s: {rate:.0}/s, window {}; response time p50 {} us, p99 {} us, max {} us",
        latencies.len(),
        args.count,
        elapsed.as_secs_f64(),
        args.window,
        pct(0.50).as_micros(),
        pct(0.99).as_micros(),
        latencies.last().copied().unwrap_or_default().as_micros(),
    );
    Ok(())
}
