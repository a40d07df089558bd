//! Snapshots of the text and JSON the plan will show an operator.

use std::fmt::Write as _;

use interconnect_core::presets::PLIVO;
use interconnect_core::{Codec, CodecPolicy, InboundAuth};

#[test]
fn inbound_auth_explanations() {
    let mut out = String::new();
    for policy in InboundAuth::ALL {
        writeln!(out, "[{policy}] extra gateways:").unwrap();
        for g in policy.gateways() {
            writeln!(out, "  {g}").unwrap();
        }
        writeln!(out, "{}\n", policy.explain()).unwrap();
    }
    insta::assert_snapshot!("inbound_auth", out);
}

#[test]
fn codec_report_json() {
    let policy: CodecPolicy = "G722,PCMU,PCMA;required=PCMU".parse().unwrap();
    let report = policy.check_against(PLIVO.codecs()).unwrap();
    assert_eq!(report.negotiated(), [Codec::Pcmu, Codec::Pcma]);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "negotiated": ["PCMU", "PCMA"],
            "warnings": [
                {"kind": "dropped_codec", "codec": "G722", "rank": 0},
                {"kind": "dtmf_unsupported"}
            ]
        })
    );
}
