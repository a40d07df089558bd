//! The properties the fuzz targets check, shared with the test that replays the corpus in
//! `fuzz/corpus/` (`tests/answer/corpus.rs` includes this file), so a normal `cargo test`
//! checks every kept input against the same assertions as the fuzzer.
#![allow(dead_code, clippy::missing_panics_doc)]

use sip_rules::proxy::{ForwardError, Hop, RelayError, relay_response};
use sip_rules::{
    Acl, Answer, Header, HeaderName, Limits, Policy, Status, Transport, parse_request,
    write_response,
};

/// A header field of a response: name and value.
pub type Field<'a> = (&'a [u8], &'a [u8]);

/// Whether `inner` lies inside `outer` (or is empty).
pub fn within(outer: &[u8], inner: &[u8]) -> bool {
    let (o, i) = (outer.as_ptr_range(), inner.as_ptr_range());
    inner.is_empty() || (o.start <= i.start && i.end <= o.end)
}

/// `check_invite`: any bytes, through several policies and both transports. The check never
/// panics, and an accepted view borrows from the input.
pub fn check_invite(data: &[u8]) {
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
}

/// A response split into its status line and header fields (name, value), checked to be one
/// well-formed SIP response head: `SIP/2.0 NNN phrase`, `Name: value` lines (values may fold),
/// `Content-Length: 0` last, the empty line, nothing after it.
pub fn parse_response(r: &[u8]) -> (u16, Vec<Field<'_>>) {
    let text = r;
    assert!(text.starts_with(b"SIP/2.0 "), "{}", r.escape_ascii());
    assert!(
        text.ends_with(b"\r\nContent-Length: 0\r\n\r\n"),
        "{}",
        r.escape_ascii()
    );
    let code = &text[8..11];
    assert!(code.iter().all(u8::is_ascii_digit) && text[11] == b' ');
    let status = code.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    let head = &text[..text.len() - 2];
    // Logical lines: a CRLF not followed by white space ends one.
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < head.len() {
        if head[i] == b'\r'
            && head[i + 1] == b'\n'
            && !matches!(head.get(i + 2), Some(b' ' | b'\t'))
        {
            lines.push(&head[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    assert_eq!(start, head.len(), "{}", r.escape_ascii());
    let (status_line, fields) = lines.split_first().unwrap();
    assert!(
        status_line[12..].iter().all(|&b| (0x20..0x7f).contains(&b)),
        "{}",
        status_line.escape_ascii()
    );
    let fields = fields
        .iter()
        .map(|line| {
            let colon = line.iter().position(|&b| b == b':').unwrap();
            let (name, value) = (&line[..colon], &line[colon + 1..]);
            assert!(!name.is_empty() && name.iter().all(|b| b.is_ascii_alphabetic() || *b == b'-'));
            assert_eq!(value.first(), Some(&b' '), "{}", line.escape_ascii());
            let value = &value[1..];
            for (j, &b) in value.iter().enumerate() {
                let folding = match b {
                    b'\r' => value.get(j + 1) == Some(&b'\n'),
                    b'\n' => matches!(value.get(j + 1), Some(b' ' | b'\t')),
                    _ => true,
                };
                assert!(folding && (b >= 0x20 || b == b'\t' || b == b'\r' || b == b'\n'));
            }
            (name, value)
        })
        .collect();
    (status, fields)
}

/// The copied headers of a response compared with the request's, when the tokenizer reads the
/// request: every Via in order, From, To (a tag added when it had none), `Call-ID` and `CSeq`, byte
/// for byte.
pub fn assert_copied(request: &[u8], fields: &[Field<'_>]) {
    let mut slots = [Header::EMPTY; 64];
    let limits = Limits {
        max_headers: 64,
        ..Limits::DEFAULT
    };
    let Ok(Status::Complete(req)) =
        parse_request(request, &mut slots, &limits, Transport::Datagram)
    else {
        // Not tokenizable: every copied value is still a piece of the request.
        for (name, value) in fields {
            if matches!(*name, b"Via" | b"From" | b"Call-ID" | b"CSeq") {
                assert!(
                    request.windows(value.len()).any(|w| w == *value),
                    "{} not in the request",
                    value.escape_ascii()
                );
            }
        }
        return;
    };
    let of = |known: HeaderName| -> Vec<&[u8]> {
        req.headers()
            .iter()
            .filter(|h| h.known() == known)
            .map(Header::value)
            .collect()
    };
    let got = |name: &[u8]| -> Vec<&[u8]> {
        fields
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .collect()
    };
    assert_eq!(got(b"Via"), of(HeaderName::Via));
    assert_eq!(got(b"From"), of(HeaderName::From));
    assert_eq!(got(b"Call-ID"), of(HeaderName::CallId));
    assert_eq!(got(b"CSeq"), of(HeaderName::CSeq));
    let (to, request_to) = (got(b"To"), of(HeaderName::To));
    assert_eq!(to.len(), 1);
    assert!(to[0].starts_with(request_to[0]), "{}", to[0].escape_ascii());
    let added = &to[0][request_to[0].len()..];
    assert!(added.is_empty() || (added.len() == 21 && added.starts_with(b";tag=")));
}

/// `response`: any bytes refused by a policy get a response that parses back with the copied
/// headers byte-equal (or `None`); a buffer one byte short is [`sip_rules::TooSmall`] with the
/// exact length; the proxy helpers never panic and stay inside their buffers.
pub fn response(data: &[u8]) {
    let source = core::net::IpAddr::from([192, 0, 2, 1]);
    let policies = [Policy::permissive(), Policy::new(Acl::Cidrs(&[]))];
    let mut out = vec![0u8; data.len() * 2 + 1024];
    for policy in &policies {
        let mut headers = [Header::EMPTY; 64];
        let Err(rejection) = policy.check(source, data, &mut headers) else {
            continue;
        };
        let Some(n) = write_response(data, &rejection, &mut out).expect("large enough") else {
            continue;
        };
        let response = &out[..n];
        let (status, fields) = parse_response(response);
        assert_eq!(status, rejection.status());
        assert_copied(data, &fields);
        let mut short = vec![0u8; n - 1];
        let err = write_response(data, &rejection, &mut short).unwrap_err();
        assert_eq!(err.needed, n);
        for status in [405, 415, 420, 503] {
            let n = Answer::DEFAULT
                .write_status(data, status, "X", Some("y"), &mut out)
                .expect("large enough")
                .expect("answerable: it was a moment ago");
            assert_eq!(parse_response(&out[..n]).0, status);
        }
    }
    let hop = Hop::new("UDP", "192.0.2.10:5060");
    let from = "[2001:db8::1]:5060".parse().unwrap();
    match hop.forward_request(data, from, &mut out) {
        Ok(n) => assert!(n <= out.len()),
        Err(ForwardError::TooSmall(t)) => assert!(t.needed > out.len()),
        Err(_) => {}
    }
    match relay_response(&hop, data, &mut out) {
        Ok(r) => assert!(r.len <= data.len()),
        Err(RelayError::TooSmall(_)) => panic!("a relayed response is never longer"),
        Err(_) => {}
    }
}

/// `stream_framing`: a message the tokenizer frames on a stream has every proper prefix
/// `Partial`, also through the policy, and bytes after it do not change its framing.
pub fn stream_framing(data: &[u8]) {
    let limits = Limits::DEFAULT;
    let policy = Policy::permissive().with_transport(Transport::Stream);
    let source = core::net::IpAddr::from([192, 0, 2, 1]);
    let mut headers = [Header::EMPTY; 64];
    let len = match parse_request(data, &mut headers, &limits, Transport::Stream) {
        Ok(Status::Complete(req)) => req.len(),
        _ => return,
    };
    for k in 0..len {
        let mut headers = [Header::EMPTY; 64];
        let prefix = &data[..k];
        let framed = parse_request(prefix, &mut headers, &limits, Transport::Stream);
        assert!(
            matches!(framed, Ok(Status::Partial)),
            "prefix of {k} of {len} bytes: {framed:?}"
        );
        let mut headers = [Header::EMPTY; 64];
        let checked = policy.check(source, prefix, &mut headers);
        assert!(
            matches!(checked, Ok(Status::Partial)),
            "policy, prefix of {k}: {checked:?}"
        );
    }
    let mut more = data[..len].to_vec();
    more.extend_from_slice(b"INVITE sip:next SIP/2.0\r\n");
    let mut headers = [Header::EMPTY; 64];
    match parse_request(&more, &mut headers, &limits, Transport::Stream) {
        Ok(Status::Complete(req)) => assert_eq!(req.len(), len),
        other => panic!("pipelined: {other:?}"),
    }
}
