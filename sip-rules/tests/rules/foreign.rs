//! Other projects' SIP test messages (pjproject, sofia-sip, the RFC 5118 IPv6 torture
//! messages), read from `../shared/corpora/foreign/` beside the workspace and never copied into
//! it. Each folder's `MANIFEST.tsv` gives that project's (or the RFC's) verdict; where sip-rules
//! answers otherwise, the message is listed in [`DISAGREE`] with the RFC reason.
//!
//! The test is skipped, with a message, where the folder is absent (a plain clone).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use sip_rules::{Header, Policy, Rule, Status, Transport};

/// The corpora folder: `../shared/corpora/foreign` from the workspace root.
fn corpora() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpora/foreign");
    dir.is_dir().then_some(dir)
}

/// What sip-rules answered, in the terms the manifests use.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    /// Accepted (an INVITE), or refused by a rule that is not about syntax (a method other than
    /// INVITE, a response, a SIP version or URI scheme, Max-Forwards 0, `Accept`, media): the
    /// message parsed.
    Parsed(String),
    /// Refused as malformed (400, or 513 for a limit).
    Malformed(String),
    /// Stream transport, message incomplete.
    Partial,
}

fn verdict(msg: &[u8], transport: Transport) -> Verdict {
    let policy = Policy::permissive().with_transport(transport);
    let mut headers = [Header::EMPTY; 64];
    match policy.check("192.0.2.1".parse().unwrap(), msg, &mut headers) {
        Ok(Status::Complete(a)) => Verdict::Parsed(format!("accepted {}", a.method())),
        Ok(Status::Partial) => Verdict::Partial,
        Err(e) => match e.rule() {
            Rule::Syntax | Rule::Sdp | Rule::TooLarge => Verdict::Malformed(e.to_string()),
            _ => Verdict::Parsed(e.to_string()),
        },
    }
}

/// One manifest row: folder/file, expectation, transport.
struct Entry {
    name: String,
    path: PathBuf,
    expect: String,
    transport: String,
}

fn entries(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    for folder in ["pjproject", "sofia-sip", "rfc5118", "repaired"] {
        let dir = root.join(folder);
        let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv"))
            .unwrap_or_else(|e| panic!("{}/MANIFEST.tsv: {e}", dir.display()));
        let mut lines = manifest.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (file, expect, transport) = (col("file"), col("expect"), col("transport"));
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            out.push(Entry {
                name: format!("{folder}/{}", f[file]),
                path: dir.join(f[file]),
                expect: f[expect].to_owned(),
                transport: f[transport].to_owned(),
            });
        }
    }
    out
}

/// The transports a manifest's transport column names.
fn transports(t: &str) -> &'static [Transport] {
    match t {
        "stream" => &[Transport::Stream],
        "datagram" => &[Transport::Datagram],
        _ => &[Transport::Datagram, Transport::Stream],
    }
}

/// Messages where sip-rules and the other project's expectation differ, with the reason by the
/// RFC. Each must still disagree: a change that fixes one, or adds one, fails the test until
/// this list says why.
const DISAGREE: &[(&str, &str)] = &[
    (
        "pjproject/hdr_test-08-contact.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-08-m-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-09-contact.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-09-m-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-10-contact.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-10-m-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-11-contact.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-11-m-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-12-contact.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-12-m-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-13-contact.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-13-m-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-16-f-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-16-from.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-24-t-short.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/hdr_test-24-to.sip",
        "RFC 3261 25.1: a URI parameter value is 1*paramchar, which holds no DQUOTE: `<sip:host;...;p1=\\\";\\\">` is not a SIP URI",
    ),
    (
        "pjproject/malformed_hdr-01-content-length-notanumber.sip",
        "a response: sip-rules reads requests only and refuses it as not a request before reading its Content-Length (a proxy drops it)",
    ),
    (
        "pjproject/msg_test-00-normal-invite.sip",
        "bare CR line ends: RFC 3261 7 and 25.1 end every line with CRLF (sip-rules also takes a bare LF); a lone CR inside a header line is a control character",
    ),
    (
        "repaired/sofia-sip--tests-own1.txt",
        "an INVITE with a list of Contact addresses: RFC 3261 8.1.1.8 wants exactly one SIP or SIPS URI",
    ),
    (
        "repaired/sofia-sip--tests-test10.txt",
        "a stream holding a valid REGISTER (Content-Length: 0) and then a broken INVITE: sip-rules checks the first message (405); the second is the next read's",
    ),
    (
        "repaired/sofia-sip--tests-test16.txt",
        "Content-Length: 9999 on a stream with a shorter body: RFC 3261 18.3, the message is not complete, so more bytes are awaited (Partial)",
    ),
    (
        "repaired/sofia-sip--tests-test2.txt",
        "no Content-Length on a stream: RFC 3261 18.3 and 20.14 make it mandatory there",
    ),
    (
        "repaired/sofia-sip--tests-test23.txt",
        "white space around the SIP version: RFC 3261 25.1 Request-Line = Method SP Request-URI SP SIP-Version CRLF, single spaces",
    ),
    (
        "repaired/sofia-sip--tests-test24.txt",
        "m= port 492170: RFC 4566 5.14 (RFC 8866 5.14) ports are 16-bit UDP or TCP ports",
    ),
    (
        "repaired/sofia-sip--tests-test25.txt",
        "a Request-URI with `?` headers: RFC 3261 19.1.1 (table 1) does not allow headers in a Request-URI",
    ),
    (
        "repaired/sofia-sip--tests-test26.txt",
        "Request-URI `name:user` is a well-formed absoluteURI of an unknown scheme: RFC 3261 8.2.2.1 answers 416, not a parse failure",
    ),
    (
        "repaired/sofia-sip--tests-test3.txt",
        "the INVITE's Contact is `urn:ipaddr:...`: RFC 3261 8.1.1.8 wants a SIP or SIPS URI (the remote target)",
    ),
    (
        "repaired/sofia-sip--tests-test30.txt",
        "m= port 492170: RFC 4566 5.14 (RFC 8866 5.14) ports are 16-bit UDP or TCP ports",
    ),
    (
        "repaired/sofia-sip--tests-test34.txt",
        "m= port 492170: RFC 4566 5.14 (RFC 8866 5.14) ports are 16-bit UDP or TCP ports",
    ),
    (
        "repaired/sofia-sip--tests-test4.txt",
        "no Content-Length on a stream: RFC 3261 18.3 and 20.14 make it mandatory there",
    ),
    (
        "repaired/sofia-sip--torture_sip-00-test_identity.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "repaired/sofia-sip--torture_sip-01-test_identity.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "repaired/sofia-sip--torture_sip-02-test_identity.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "repaired/sofia-sip--torture_sip-08-parser_test.sip",
        "an INVITE with a list of Contact addresses: RFC 3261 8.1.1.8 wants exactly one SIP or SIPS URI",
    ),
    (
        "repaired/sofia-sip--torture_sip-09-sip_header_test.sip",
        "an empty element in the Via list (`,,`): RFC 3261 25.1 Via = via-parm *(COMMA via-parm); the RFC 7.3.1 list form has no empty elements",
    ),
    (
        "repaired/sofia-sip--torture_sip-14-test_reason.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "repaired/sofia-sip--torture_sip-15-test_sec_ext.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "rfc5118/ipv4-mapped-ipv6.dat",
        "the stored Content-Length (as in the RFC) counts LF line ends, the stored body has CRLF: the body it frames ends inside the last SDP line, which RFC 4566 5 ends with CRLF (RFC 3261 18.3: Content-Length decides)",
    ),
    (
        "rfc5118/ipv6-in-sdp.dat",
        "the stored Content-Length (as in the RFC) counts LF line ends, the stored body has CRLF: the body it frames ends inside the last SDP line, which RFC 4566 5 ends with CRLF (RFC 3261 18.3: Content-Length decides)",
    ),
    (
        "rfc5118/mult-ip-in-sdp.dat",
        "the stored Content-Length (as in the RFC) counts LF line ends, the stored body has CRLF: the body it frames ends inside the last SDP line, which RFC 4566 5 ends with CRLF (RFC 3261 18.3: Content-Length decides)",
    ),
    (
        "sofia-sip/sdp-message-1.sdp.sip",
        "v=1: RFC 4566 5.1 (RFC 8866 5.1) knows version 0 only",
    ),
    (
        "sofia-sip/sdp-message-4.sdp.sip",
        "no s= line: RFC 4566 5 (RFC 8866 5) makes v=, o=, s=, t= mandatory, in that order",
    ),
    (
        "sofia-sip/sdp-message-5.sdp.sip",
        "no t= line: RFC 4566 5 (RFC 8866 5) makes t= mandatory",
    ),
    (
        "sofia-sip/sdp-message-6.sdp.sip",
        "no o= line: RFC 4566 5 (RFC 8866 5) makes o= mandatory",
    ),
    (
        "sofia-sip/sdp-message-7.sdp.sip",
        "no s= line: RFC 4566 5 (RFC 8866 5) makes v=, o=, s=, t= mandatory, in that order",
    ),
    (
        "sofia-sip/sdp-message-8.sdp.sip",
        "no s= line: RFC 4566 5 (RFC 8866 5) makes v=, o=, s=, t= mandatory, in that order",
    ),
    (
        "sofia-sip/tests-own1.txt",
        "an INVITE with a list of Contact addresses: RFC 3261 8.1.1.8 wants exactly one SIP or SIPS URI",
    ),
    (
        "sofia-sip/tests-test1.txt",
        "the first header line starts with white space: RFC 3261 7.3.1 makes such a line a continuation, and there is no header to continue",
    ),
    (
        "sofia-sip/tests-test10.txt",
        "a stream holding a valid REGISTER (Content-Length: 0) and then a broken INVITE: sip-rules checks the first message (405); the second is the next read's",
    ),
    (
        "sofia-sip/tests-test16.txt",
        "Content-Length: 9999 on a stream with a shorter body: RFC 3261 18.3, the message is not complete, so more bytes are awaited (Partial)",
    ),
    (
        "sofia-sip/tests-test2.txt",
        "no Content-Length on a stream: RFC 3261 18.3 and 20.14 make it mandatory there",
    ),
    (
        "sofia-sip/tests-test20.txt",
        "white space around the SIP version: RFC 3261 25.1 Request-Line = Method SP Request-URI SP SIP-Version CRLF, single spaces",
    ),
    (
        "sofia-sip/tests-test23.txt",
        "white space around the SIP version: RFC 3261 25.1 Request-Line = Method SP Request-URI SP SIP-Version CRLF, single spaces",
    ),
    (
        "sofia-sip/tests-test24.txt",
        "m= port 492170: RFC 4566 5.14 (RFC 8866 5.14) ports are 16-bit UDP or TCP ports",
    ),
    (
        "sofia-sip/tests-test25.txt",
        "a Request-URI with `?` headers: RFC 3261 19.1.1 (table 1) does not allow headers in a Request-URI",
    ),
    (
        "sofia-sip/tests-test26.txt",
        "Request-URI `name:user` is a well-formed absoluteURI of an unknown scheme: RFC 3261 8.2.2.1 answers 416, not a parse failure",
    ),
    (
        "sofia-sip/tests-test3.txt",
        "the INVITE's Contact is `urn:ipaddr:...`: RFC 3261 8.1.1.8 wants a SIP or SIPS URI (the remote target)",
    ),
    (
        "sofia-sip/tests-test30.txt",
        "m= port 492170: RFC 4566 5.14 (RFC 8866 5.14) ports are 16-bit UDP or TCP ports",
    ),
    (
        "sofia-sip/tests-test34.txt",
        "m= port 492170: RFC 4566 5.14 (RFC 8866 5.14) ports are 16-bit UDP or TCP ports",
    ),
    (
        "sofia-sip/tests-test4.txt",
        "no Content-Length on a stream: RFC 3261 18.3 and 20.14 make it mandatory there",
    ),
    (
        "sofia-sip/tests-test9.txt",
        "the header section never ends (no empty line): on a stream (RFC 3261 18.3) more bytes are awaited (Partial)",
    ),
    (
        "sofia-sip/torture_sip-00-test_identity.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "sofia-sip/torture_sip-01-test_identity.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "sofia-sip/torture_sip-02-test_identity.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "sofia-sip/torture_sip-08-parser_test.sip",
        "an INVITE with a list of Contact addresses: RFC 3261 8.1.1.8 wants exactly one SIP or SIPS URI",
    ),
    (
        "sofia-sip/torture_sip-09-sip_header_test.sip",
        "an empty element in the Via list (`,,`): RFC 3261 25.1 Via = via-parm *(COMMA via-parm); the RFC 7.3.1 list form has no empty elements",
    ),
    (
        "sofia-sip/torture_sip-11-test_sip_list_header.sip",
        "an empty element in the Via list (`,,`): RFC 3261 25.1 Via = via-parm *(COMMA via-parm); the RFC 7.3.1 list form has no empty elements",
    ),
    (
        "sofia-sip/torture_sip-14-test_reason.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
    (
        "sofia-sip/torture_sip-15-test_sec_ext.sip",
        "an empty header parameter (`<sip:bar@foo>;` or `;;tag=`): RFC 3261 25.1 `*( SEMI generic-param )`, a generic-param is a non-empty token",
    ),
];

#[test]
fn foreign_corpora_get_the_expected_verdicts() {
    let Some(root) = corpora() else {
        println!(
            "skipped: {} is absent (the foreign corpora are read in place, never copied)",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/corpora/foreign")
                .display()
        );
        return;
    };
    let mut got: BTreeMap<String, String> = BTreeMap::new();
    let mut panics = Vec::new();
    let mut checked = 0;
    for e in entries(&root) {
        checked += 1;
        let msg = std::fs::read(&e.path).unwrap_or_else(|err| panic!("{}: {err}", e.name));
        for &t in transports(&e.transport) {
            let v = catch_unwind(AssertUnwindSafe(|| verdict(&msg, t)));
            let Ok(v) = v else {
                panics.push(format!("{} ({t:?})", e.name));
                continue;
            };
            let agrees = match (e.expect.as_str(), &v) {
                ("valid", Verdict::Parsed(_)) | ("invalid", Verdict::Malformed(_)) => true,
                ("valid" | "invalid", _) => false,
                // `either`, fuzz seeds, unlisted files: no verdict to agree with.
                _ => true,
            };
            if !agrees {
                got.entry(e.name.clone())
                    .or_insert_with(|| format!("expected {} ({t:?}), got {v:?}", e.expect));
            }
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:?}");
    let unlisted: Vec<String> = got
        .iter()
        .filter(|(k, _)| !DISAGREE.iter().any(|(n, _)| n == k))
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let agreeing: Vec<&str> = DISAGREE
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !got.contains_key(*n))
        .collect();
    assert!(
        unlisted.is_empty() && agreeing.is_empty(),
        "disagreements without an RFC reason:\n{}\nlisted but now agreeing: {agreeing:?}",
        unlisted.join("\n")
    );
    println!(
        "foreign corpora: {checked} messages, {} disagreements, each with its RFC reason",
        got.len()
    );
}
