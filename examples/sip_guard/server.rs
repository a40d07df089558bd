//! The guard's sockets and threads: a UDP socket and a TCP listener on the listen address, one
//! connected UDP socket towards the upstream, fixed buffers allocated at start-up (and per TCP
//! connection when it is accepted), nothing allocated per message.
//!
//! Every message goes through [`Guard::handle`]: an INVITE the policy accepts is forwarded with
//! the proxy helpers of `sip_rules::proxy`; a refused request is answered with
//! `sip_rules::Answer`; `ACK`, `BYE` and `CANCEL` (refused by the INVITE policy only for their
//! method) are forwarded; anything else that cannot be answered is dropped. Responses from the
//! upstream lose this proxy's `Via` and go to the address the next `Via` names: over UDP, or
//! over the TCP connection that address holds.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use sip_rules::proxy::{ForwardError, Hop, relay_response};
use sip_rules::{Answer, Header, Limits, Policy, Rule, Status, Transport, parse_request};

/// Largest UDP datagram read.
const DATAGRAM: usize = 65_535;
/// Room a forwarded or answered message may need beyond the one it came from.
const SLACK: usize = 4_096;
/// Header slots per message.
const SLOTS: usize = 64;
/// The receive and send buffer asked for on each UDP socket: a burst of INVITEs waits there
/// while the thread is busy or descheduled (the kernel caps it at `net.core.rmem_max`; its
/// default of about 200 KB holds about a hundred datagrams).
const SOCKET_BUFFER: usize = 4 << 20;
/// How often blocked threads look at the stop flag.
const POLL: Duration = Duration::from_millis(50);

/// Where the guard listens and forwards to.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// The address SIP peers send to (UDP and TCP; port 0 picks one).
    pub listen: SocketAddr,
    /// The SBC behind the guard (UDP).
    pub upstream: SocketAddr,
    /// Most TCP connections at once; more are closed as they arrive.
    pub max_connections: usize,
}

/// What the guard did, counted.
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests answered with a response from the guard.
    pub answered: AtomicU64,
    /// Requests forwarded to the upstream.
    pub forwarded: AtomicU64,
    /// Responses relayed back from the upstream.
    pub relayed: AtomicU64,
    /// Messages dropped (unanswerable, not ours, unroutable, a buffer too small).
    pub dropped: AtomicU64,
}

/// The outcome of one message: answer it with the bytes in `out`, forward them, or drop it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Send `out[..n]` back to where the message came from.
    Answer(usize),
    /// Send `out[..n]` to the upstream.
    Forward(usize),
    /// Nothing to send.
    Drop,
}

/// The open TCP connections, by peer address, for responses that go back over TCP. All writes
/// to a connection hold this lock, so that a relayed response and an answer never interleave.
type Connections = Mutex<Vec<Option<(SocketAddr, TcpStream)>>>;

/// The policy, the hop and the counters, shared by the threads.
#[derive(Debug)]
pub struct Guard {
    policy: Policy<'static>,
    hop: Hop<'static>,
    answer: Answer<'static>,
    /// The socket connected to the upstream, whose address the guard's `Via` names.
    up: UdpSocket,
    stats: Stats,
}

impl Guard {
    /// What to do with `msg`, one whole message that arrived from `source` over `transport`;
    /// the bytes to send are written into `out`.
    pub fn handle(
        &self,
        msg: &[u8],
        source: SocketAddr,
        transport: Transport,
        out: &mut [u8],
    ) -> Action {
        let policy = self.policy.with_transport(transport);
        let mut headers = [Header::EMPTY; SLOTS];
        let rejection = match policy.check(source.ip(), msg, &mut headers) {
            Ok(Status::Complete(call)) => {
                let call_len = call.len();
                return self.forward(msg.get(..call_len).unwrap_or(msg), source, out);
            }
            Ok(Status::Partial) => return Action::Drop,
            Err(r) => r,
        };
        if rejection.rule() == Rule::Method {
            let mut headers = [Header::EMPTY; SLOTS];
            if let Ok(Status::Complete(req)) =
                parse_request(msg, &mut headers, policy.limits(), transport)
                && matches!(req.method(), b"ACK" | b"BYE" | b"CANCEL")
            {
                let msg = msg.get(..req.len()).unwrap_or(msg);
                // The ACK of a response the guard wrote ends that transaction here.
                if req.method() == b"ACK" && self.answer.is_own_ack(msg) {
                    return Action::Drop;
                }
                return self.forward(msg, source, out);
            }
        }
        self.answer(msg, &rejection, out)
    }

    fn forward(&self, msg: &[u8], source: SocketAddr, out: &mut [u8]) -> Action {
        match self.hop.forward_request(msg, source, out) {
            Ok(n) => Action::Forward(n),
            Err(ForwardError::Refused(r)) => self.answer(msg, &r, out),
            Err(_) => Action::Drop,
        }
    }

    fn answer(&self, msg: &[u8], rejection: &sip_rules::Rejection<'_>, out: &mut [u8]) -> Action {
        match self.answer.write(msg, rejection, out) {
            Ok(Some(n)) => Action::Answer(n),
            _ => Action::Drop,
        }
    }

    /// The counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    fn count(&self, action: Action) {
        let counter = match action {
            Action::Answer(_) => &self.stats.answered,
            Action::Forward(_) => &self.stats.forwarded,
            Action::Drop => &self.stats.dropped,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// A guard bound to its sockets, not yet running.
#[derive(Debug)]
pub struct Bound {
    guard: Arc<Guard>,
    udp: UdpSocket,
    tcp: TcpListener,
    up: UdpSocket,
    max_connections: usize,
}

impl Bound {
    /// Binds the listen address (UDP, then TCP on the port UDP got) and a UDP socket connected
    /// to the upstream, whose local address is the sent-by of the guard's `Via`.
    ///
    /// # Errors
    /// Any socket error.
    pub fn bind(config: &Config, policy: Policy<'static>) -> io::Result<Self> {
        let (udp, tcp) = bind_pair(config.listen)?;
        let unspecified: SocketAddr = if config.upstream.is_ipv4() {
            (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let up = UdpSocket::bind(unspecified)?;
        up.connect(config.upstream)?;
        // The sent-by and the key live as long as the process: one string made at start-up.
        let sent_by: &'static str = Box::leak(up.local_addr()?.to_string().into_boxed_str());
        let key = u64::from(up.local_addr()?.port()) << 32 | u64::from(std::process::id());
        let guard = Guard {
            policy,
            hop: Hop::new("UDP", sent_by).with_key(key),
            answer: Answer::DEFAULT
                .with_tag_key(key)
                .with_warning_agent(Some("sip-guard")),
            up: up.try_clone()?,
            stats: Stats::default(),
        };
        for s in [&udp, &up] {
            s.set_read_timeout(Some(POLL))?;
            // Best effort: a smaller buffer only drops more of a burst.
            let _ = socket2::SockRef::from(s).set_recv_buffer_size(SOCKET_BUFFER);
            let _ = socket2::SockRef::from(s).set_send_buffer_size(SOCKET_BUFFER);
        }
        tcp.set_nonblocking(true)?;
        Ok(Self {
            guard: Arc::new(guard),
            udp,
            tcp,
            up,
            max_connections: config.max_connections,
        })
    }

    /// The listen address (UDP and TCP).
    ///
    /// # Errors
    /// Any socket error.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.udp.local_addr()
    }

    /// Starts the threads: UDP from peers, UDP from the upstream, TCP accept, and one per
    /// TCP connection.
    ///
    /// # Errors
    /// Any socket error while cloning the sockets for the threads.
    pub fn spawn(self) -> io::Result<Running> {
        let stop = Arc::new(AtomicBool::new(false));
        let connections: Arc<Connections> = Arc::new(Mutex::new(
            (0..self.max_connections).map(|_| None).collect(),
        ));
        let mut threads = Vec::new();
        let (guard, udp) = (self.guard.clone(), self.udp.try_clone()?);
        let flag = stop.clone();
        threads.push(std::thread::spawn(move || from_peers(&guard, &udp, &flag)));
        let (guard, udp, up) = (self.guard.clone(), self.udp, self.up);
        let (flag, conns) = (stop.clone(), connections.clone());
        threads.push(std::thread::spawn(move || {
            from_upstream(&guard, &udp, &up, &conns, &flag);
        }));
        let (guard, tcp, flag) = (self.guard.clone(), self.tcp, stop.clone());
        threads.push(std::thread::spawn(move || {
            accept(&guard, &tcp, &connections, &flag);
        }));
        Ok(Running {
            guard: self.guard,
            stop,
            threads,
        })
    }
}

/// A running guard; [`Running::stop`] ends its threads.
#[derive(Debug)]
pub struct Running {
    guard: Arc<Guard>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    /// The guard, for its counters.
    pub fn guard(&self) -> Arc<Guard> {
        self.guard.clone()
    }

    /// Blocks until the threads end (they end when [`Running::stop`] is called elsewhere, or
    /// never).
    pub fn wait(self) {
        for t in self.threads {
            let _ = t.join();
        }
    }

    /// Stops the threads and waits for them (at most a poll interval or two).
    #[allow(dead_code)] // the example runs until killed; the tests stop it
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        self.wait();
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// The UDP socket and TCP listener on one address. With port 0 the system picks the UDP port,
/// which a TCP socket may already hold (another process's, or one of its own outgoing
/// connections): then it picks again, a few times.
fn bind_pair(listen: SocketAddr) -> io::Result<(UdpSocket, TcpListener)> {
    let attempts = if listen.port() == 0 { 16 } else { 1 };
    let mut in_use = None;
    for _ in 0..attempts {
        let udp = UdpSocket::bind(listen)?;
        match TcpListener::bind(udp.local_addr()?) {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => in_use = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(in_use.unwrap_or_else(|| io::Error::from(io::ErrorKind::AddrInUse)))
}

/// Datagrams from peers: answered to their source or forwarded upstream.
fn from_peers(guard: &Guard, udp: &UdpSocket, stop: &AtomicBool) {
    let mut buf = vec![0u8; DATAGRAM];
    let mut out = vec![0u8; DATAGRAM + SLACK];
    while !stop.load(Ordering::Relaxed) {
        let (n, source) = match udp.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if is_timeout(&e) => continue,
            // An ICMP error of an earlier send, reported on this socket: go on.
            Err(_) => continue,
        };
        let msg = buf.get(..n).unwrap_or_default();
        let action = guard.handle(msg, source, Transport::Datagram, &mut out);
        let sent = match action {
            Action::Answer(len) => udp.send_to(out.get(..len).unwrap_or_default(), source),
            Action::Forward(len) => guard.up.send(out.get(..len).unwrap_or_default()),
            Action::Drop => Ok(0),
        };
        guard.count(if sent.is_ok() { action } else { Action::Drop });
    }
}

/// Datagrams from the upstream: responses relayed to the peer their next `Via` names.
fn from_upstream(
    guard: &Guard,
    udp: &UdpSocket,
    up: &UdpSocket,
    connections: &Connections,
    stop: &AtomicBool,
) {
    let mut buf = vec![0u8; DATAGRAM];
    let mut out = vec![0u8; DATAGRAM + SLACK];
    while !stop.load(Ordering::Relaxed) {
        let n = match up.recv(&mut buf) {
            Ok(n) => n,
            Err(e) if is_timeout(&e) => continue,
            Err(_) => continue,
        };
        let msg = buf.get(..n).unwrap_or_default();
        let sent = match relay_response(&guard.hop, msg, &mut out) {
            Ok(relayed) => {
                let bytes = out.get(..relayed.len).unwrap_or_default();
                match relayed.destination {
                    Some(to) if relayed.transport.eq_ignore_ascii_case(b"TCP") => {
                        write_to_connection(connections, to, bytes)
                    }
                    Some(to) if relayed.transport.eq_ignore_ascii_case(b"UDP") => {
                        udp.send_to(bytes, to).is_ok()
                    }
                    _ => false,
                }
            }
            Err(_) => false,
        };
        let counter = if sent {
            &guard.stats.relayed
        } else {
            &guard.stats.dropped
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Writes `bytes` to the open connection whose peer is `to`.
fn write_to_connection(connections: &Connections, to: SocketAddr, bytes: &[u8]) -> bool {
    let table = connections.lock().unwrap_or_else(PoisonError::into_inner);
    table
        .iter()
        .flatten()
        .find(|(peer, _)| *peer == to)
        .is_some_and(|(_, stream)| (&*stream).write_all(bytes).is_ok())
}

/// Accepts TCP connections into free slots of the table, one thread each.
fn accept(
    guard: &Arc<Guard>,
    tcp: &TcpListener,
    connections: &Arc<Connections>,
    stop: &Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        let (stream, peer) = match tcp.accept() {
            Ok(got) => got,
            Err(e) if is_timeout(&e) => {
                std::thread::sleep(POLL);
                continue;
            }
            Err(_) => continue,
        };
        let Ok(slot) = register(connections, peer, &stream) else {
            continue; // table full or socket error: the connection is closed as it drops
        };
        let (guard, connections, stop) = (guard.clone(), connections.clone(), stop.clone());
        std::thread::spawn(move || {
            serve(&guard, stream, peer, &connections, &stop);
            if let Some(entry) = connections
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_mut(slot)
            {
                *entry = None;
            }
        });
    }
}

fn register(connections: &Connections, peer: SocketAddr, stream: &TcpStream) -> io::Result<usize> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(POLL))?;
    stream.set_nodelay(true)?;
    let writer = stream.try_clone()?;
    let mut table = connections.lock().unwrap_or_else(PoisonError::into_inner);
    let (slot, entry) = table
        .iter_mut()
        .enumerate()
        .find(|(_, e)| e.is_none())
        .ok_or_else(|| io::Error::other("connection table full"))?;
    *entry = Some((peer, writer));
    Ok(slot)
}

/// Reads one TCP connection: frames each message by Content-Length, handles it, answers on the
/// connection. A message that cannot be framed (a syntax error in its head, or larger than the
/// buffer) ends the connection after its answer.
fn serve(
    guard: &Guard,
    mut stream: TcpStream,
    peer: SocketAddr,
    connections: &Connections,
    stop: &AtomicBool,
) {
    let limits: Limits = *guard.policy.limits();
    let mut buf = vec![0u8; limits.max_message_size.saturating_mul(2).max(4_096)];
    let mut out = vec![0u8; buf.len() + SLACK];
    let mut filled = 0;
    while !stop.load(Ordering::Relaxed) {
        let Some(free) = buf.get_mut(filled..).filter(|f| !f.is_empty()) else {
            return; // a message larger than the buffer
        };
        match stream.read(free) {
            Ok(0) => return,
            Ok(n) => filled += n,
            Err(e) if is_timeout(&e) => continue,
            Err(_) => return,
        }
        // Every whole message in the buffer, in order.
        loop {
            let data = buf.get(..filled).unwrap_or_default();
            let mut headers = [Header::EMPTY; SLOTS];
            let (len, close) = match parse_request(data, &mut headers, &limits, Transport::Stream) {
                Ok(Status::Complete(req)) => (req.len(), false),
                Ok(Status::Partial) => break,
                // Unframeable: answer what can be answered, then close.
                Err(_) => (filled, true),
            };
            let msg = data.get(..len).unwrap_or_default();
            let action = guard.handle(msg, peer, Transport::Stream, &mut out);
            let sent = match action {
                Action::Answer(n) => {
                    write_to_connection(connections, peer, out.get(..n).unwrap_or_default())
                }
                Action::Forward(n) => guard.up.send(out.get(..n).unwrap_or_default()).is_ok(),
                Action::Drop => true,
            };
            guard.count(if sent { action } else { Action::Drop });
            if close {
                return;
            }
            buf.copy_within(len..filled, 0);
            filled -= len;
        }
    }
}
