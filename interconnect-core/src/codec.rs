//! Codecs and the codec policy of an interconnect.
//!
//! The runbook (section 1.1) sends PCMU to Plivo; Plivo accepts PCMU and PCMA with RFC 2833
//! DTMF. A [`CodecPolicy`] names the codec that must work, the ordered set of codecs allowed, the
//! DTMF mode and the packetization time, and [`CodecPolicy::check_against`] compares it with a
//! carrier's capabilities.

use std::fmt;
use std::str::FromStr;

use crate::error::CodecError;

/// An RTP payload format this model knows.
///
/// Encoding names follow the SDP `a=rtpmap` spelling and parse ignoring ASCII case.
///
/// ```
/// use interconnect_core::Codec;
///
/// let c: Codec = "pcmu".parse()?;
/// assert_eq!(c, Codec::Pcmu);
/// assert_eq!(c.static_payload_type(), Some(0));
/// assert_eq!(Codec::TelephoneEvent.static_payload_type(), None); // dynamic (RFC 4733)
/// assert_eq!(Codec::Pcma.to_string(), "PCMA");
/// # Ok::<(), interconnect_core::error::CodecError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Codec {
    /// G.711 mu-law, static payload type 0 (RFC 3551).
    Pcmu,
    /// G.711 A-law, static payload type 8 (RFC 3551).
    Pcma,
    /// G.722, static payload type 9 (RFC 3551; RTP clock 8000 although sampled at 16 kHz).
    G722,
    /// G.729, static payload type 18 (RFC 3551).
    G729,
    /// Opus, dynamic payload type (RFC 7587).
    Opus,
    /// DTMF events, dynamic payload type (RFC 4733, formerly RFC 2833).
    TelephoneEvent,
}

impl Codec {
    /// Every codec, in declaration order.
    pub const ALL: [Codec; 6] = [
        Codec::Pcmu,
        Codec::Pcma,
        Codec::G722,
        Codec::G729,
        Codec::Opus,
        Codec::TelephoneEvent,
    ];

    /// The one definition of this codec's name, clock rate and static payload type, shared
    /// with the call path.
    ///
    /// ```
    /// use interconnect_core::Codec;
    /// assert_eq!(Codec::Pcmu.rule(), sip_rules::Codec::PCMU);
    /// ```
    pub const fn rule(self) -> sip_rules::Codec {
        match self {
            Codec::Pcmu => sip_rules::Codec::PCMU,
            Codec::Pcma => sip_rules::Codec::PCMA,
            Codec::G722 => sip_rules::Codec::G722,
            Codec::G729 => sip_rules::Codec::G729,
            Codec::Opus => sip_rules::Codec::OPUS,
            Codec::TelephoneEvent => sip_rules::Codec::TELEPHONE_EVENT,
        }
    }

    /// The SDP encoding name.
    pub const fn name(self) -> &'static str {
        self.rule().name()
    }

    /// The static RTP payload type, or `None` for dynamic ones (96-127, negotiated in SDP).
    pub const fn static_payload_type(self) -> Option<u8> {
        self.rule().static_payload_type()
    }

    /// The RTP clock rate in Hz as written in `a=rtpmap`.
    pub const fn clock_rate(self) -> u32 {
        self.rule().clock_rate()
    }

    /// Whether this carries audio (everything but `telephone-event`).
    pub const fn is_audio(self) -> bool {
        !matches!(self, Codec::TelephoneEvent)
    }
}

impl From<Codec> for sip_rules::Codec {
    fn from(codec: Codec) -> Self {
        codec.rule()
    }
}

impl FromStr for Codec {
    type Err = CodecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Codec::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| CodecError::Unknown {
                value: s.to_owned(),
            })
    }
}

impl fmt::Display for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

string_conversions!(Codec, CodecError, "a codec name such as \"PCMU\"");

/// How DTMF digits travel.
///
/// ```
/// use interconnect_core::Dtmf;
///
/// assert_eq!("RFC4733".parse::<Dtmf>()?, Dtmf::Rfc2833); // RFC 4733 obsoletes RFC 2833
/// assert_eq!(Dtmf::default().to_string(), "rfc2833");
/// # Ok::<(), interconnect_core::error::CodecError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Dtmf {
    /// RTP `telephone-event` packets (RFC 2833 / RFC 4733): what Plivo supports.
    #[default]
    Rfc2833,
    /// Tones inside the audio.
    Inband,
    /// No DTMF.
    None,
}

impl Dtmf {
    /// The lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Dtmf::Rfc2833 => "rfc2833",
            Dtmf::Inband => "inband",
            Dtmf::None => "none",
        }
    }
}

impl FromStr for Dtmf {
    type Err = CodecError;

    /// Parses `rfc2833` (or its successor's name `rfc4733`), `inband` or `none`, ignoring ASCII
    /// case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "rfc2833" | "rfc4733" => Ok(Dtmf::Rfc2833),
            "inband" => Ok(Dtmf::Inband),
            "none" => Ok(Dtmf::None),
            _ => Err(CodecError::Dtmf {
                value: s.to_owned(),
                dtmf: s.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Dtmf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

string_conversions!(Dtmf, CodecError, "rfc2833, inband or none");

/// Something in a carrier's capabilities that weakens, but does not break, the policy.
///
/// Serializes as `{"kind": "dropped_codec", "codec": "PCMA", "rank": 1}`; displays as a sentence
/// for the plan.
///
/// ```
/// use interconnect_core::{Codec, CodecPolicy};
///
/// let report = CodecPolicy::default().check_against(&[Codec::Pcmu, Codec::TelephoneEvent])?;
/// assert_eq!(
///     report.warnings()[0].to_string(),
///     "PCMA (preference 2) is not supported by the carrier and will not be offered"
/// );
/// # Ok::<(), interconnect_core::error::CodecError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CodecWarning {
    /// An allowed codec the carrier does not support; calls will not use it.
    DroppedCodec {
        /// The codec.
        codec: Codec,
        /// Its rank in the policy (0 = most preferred).
        rank: usize,
    },
    /// The policy wants RFC 2833 DTMF but the carrier does not list `telephone-event`.
    DtmfUnsupported,
}

impl fmt::Display for CodecWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecWarning::DroppedCodec { codec, rank } => write!(
                f,
                "{codec} (preference {}) is not supported by the carrier and will not be offered",
                rank + 1
            ),
            CodecWarning::DtmfUnsupported => f.write_str(
                "the carrier does not list telephone-event: RFC 2833 DTMF digits may be lost",
            ),
        }
    }
}

/// The outcome of [`CodecPolicy::check_against`]: what calls will negotiate, and warnings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodecReport {
    negotiated: Vec<Codec>,
    warnings: Vec<CodecWarning>,
}

impl CodecReport {
    /// The allowed codecs the carrier supports, in policy order.
    pub fn negotiated(&self) -> &[Codec] {
        &self.negotiated
    }

    /// The warnings, in policy order.
    pub fn warnings(&self) -> &[CodecWarning] {
        &self.warnings
    }
}

/// Packetization times accepted by [`CodecPolicy`], in milliseconds.
pub const PTIMES: [u8; 6] = [10, 20, 30, 40, 50, 60];

/// The codecs an interconnect uses: a required codec, the ordered allowed set, DTMF and ptime.
///
/// String form: `PCMU,PCMA;required=PCMU;dtmf=rfc2833;ptime=20`. Only the list is mandatory; the
/// required codec defaults to the first one listed, DTMF to RFC 2833 and ptime to 20 ms.
///
/// ```
/// use interconnect_core::{Codec, CodecPolicy};
/// use interconnect_core::error::CodecError;
///
/// let policy = CodecPolicy::default(); // the runbook: PCMU required, PCMA allowed
/// assert_eq!(policy.to_string(), "PCMU,PCMA;required=PCMU;dtmf=rfc2833;ptime=20");
///
/// let report = policy.check_against(&[Codec::Pcmu, Codec::TelephoneEvent])?;
/// assert_eq!(report.negotiated(), [Codec::Pcmu]);
/// assert_eq!(report.warnings().len(), 1); // PCMA dropped
///
/// assert!(matches!(
///     policy.check_against(&[Codec::Opus]),
///     Err(CodecError::NoCommonCodec { .. })
/// ));
/// # Ok::<(), CodecError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodecPolicy {
    allowed: Vec<Codec>,
    required: Codec,
    dtmf: Dtmf,
    ptime: u8,
}

impl CodecPolicy {
    /// Builds a policy.
    ///
    /// # Errors
    ///
    /// [`CodecError::NoCodecs`], [`CodecError::DuplicateCodec`], [`CodecError::NotAudio`],
    /// [`CodecError::RequiredNotAllowed`] or [`CodecError::Ptime`].
    pub fn new(
        allowed: impl IntoIterator<Item = Codec>,
        required: Codec,
        dtmf: Dtmf,
        ptime: u8,
    ) -> Result<CodecPolicy, CodecError> {
        let allowed: Vec<Codec> = allowed.into_iter().collect();
        let value = || {
            let list = allowed
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",");
            format!("{list};required={required};dtmf={dtmf};ptime={ptime}")
        };
        if allowed.is_empty() {
            return Err(CodecError::NoCodecs { value: value() });
        }
        for (i, c) in allowed.iter().enumerate() {
            if !c.is_audio() {
                return Err(CodecError::NotAudio {
                    value: value(),
                    codec: *c,
                });
            }
            if allowed.iter().take(i).any(|p| p == c) {
                return Err(CodecError::DuplicateCodec {
                    value: value(),
                    codec: *c,
                });
            }
        }
        if !allowed.contains(&required) {
            return Err(CodecError::RequiredNotAllowed {
                value: value(),
                codec: required,
            });
        }
        if !PTIMES.contains(&ptime) {
            return Err(CodecError::Ptime {
                value: value(),
                ptime: ptime.to_string(),
            });
        }
        Ok(CodecPolicy {
            allowed,
            required,
            dtmf,
            ptime,
        })
    }

    /// The allowed codecs, most preferred first.
    pub fn allowed(&self) -> &[Codec] {
        &self.allowed
    }

    /// The codec that must work.
    pub const fn required(&self) -> Codec {
        self.required
    }

    /// The DTMF mode.
    pub const fn dtmf(&self) -> Dtmf {
        self.dtmf
    }

    /// The packetization time in milliseconds.
    pub const fn ptime(&self) -> u8 {
        self.ptime
    }

    /// Compares the policy with what a carrier supports.
    ///
    /// # Errors
    ///
    /// [`CodecError::NoCommonCodec`] when no allowed codec is supported,
    /// [`CodecError::RequiredUnsupported`] when the required one is not. An allowed codec the
    /// carrier lacks, or missing `telephone-event` with RFC 2833 DTMF, is a warning in the report.
    pub fn check_against(&self, carrier: &[Codec]) -> Result<CodecReport, CodecError> {
        let list = |codecs: &[Codec]| {
            codecs
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let negotiated: Vec<Codec> = self
            .allowed
            .iter()
            .copied()
            .filter(|c| carrier.contains(c))
            .collect();
        if negotiated.is_empty() {
            return Err(CodecError::NoCommonCodec {
                allowed: list(&self.allowed),
                supported: list(carrier),
            });
        }
        if !carrier.contains(&self.required) {
            return Err(CodecError::RequiredUnsupported {
                codec: self.required,
                supported: list(carrier),
            });
        }
        let mut warnings: Vec<CodecWarning> = self
            .allowed
            .iter()
            .enumerate()
            .filter(|(_, c)| !carrier.contains(c))
            .map(|(rank, codec)| CodecWarning::DroppedCodec {
                codec: *codec,
                rank,
            })
            .collect();
        if self.dtmf == Dtmf::Rfc2833 && !carrier.contains(&Codec::TelephoneEvent) {
            warnings.push(CodecWarning::DtmfUnsupported);
        }
        Ok(CodecReport {
            negotiated,
            warnings,
        })
    }
}

impl Default for CodecPolicy {
    /// The runbook's policy: PCMU required (section 1.1), PCMA allowed, RFC 2833 DTMF, 20 ms.
    fn default() -> Self {
        CodecPolicy {
            allowed: vec![Codec::Pcmu, Codec::Pcma],
            required: Codec::Pcmu,
            dtmf: Dtmf::Rfc2833,
            ptime: 20,
        }
    }
}

impl FromStr for CodecPolicy {
    type Err = CodecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split(';');
        let list = parts.next().unwrap_or_default();
        if list.trim().is_empty() {
            return Err(CodecError::NoCodecs {
                value: s.to_owned(),
            });
        }
        let allowed = list
            .split(',')
            .map(|c| c.trim().parse::<Codec>())
            .collect::<Result<Vec<_>, _>>()?;
        let mut required = None;
        let mut dtmf = None;
        let mut ptime = None;
        for part in parts {
            let bad = || CodecError::Syntax {
                value: s.to_owned(),
                part: part.to_owned(),
            };
            let (key, val) = part.split_once('=').ok_or_else(bad)?;
            match key.trim() {
                "required" if required.is_none() => required = Some(val.trim().parse::<Codec>()?),
                "dtmf" if dtmf.is_none() => {
                    dtmf = Some(val.trim().parse::<Dtmf>().map_err(|_| CodecError::Dtmf {
                        value: s.to_owned(),
                        dtmf: val.to_owned(),
                    })?);
                }
                "ptime" if ptime.is_none() => {
                    let p = val
                        .trim()
                        .parse::<u8>()
                        .ok()
                        .filter(|p| PTIMES.contains(p))
                        .ok_or_else(|| CodecError::Ptime {
                            value: s.to_owned(),
                            ptime: val.to_owned(),
                        })?;
                    ptime = Some(p);
                }
                _ => return Err(bad()),
            }
        }
        let first = allowed.first().copied().unwrap_or(Codec::Pcmu);
        CodecPolicy::new(
            allowed,
            required.unwrap_or(first),
            dtmf.unwrap_or_default(),
            ptime.unwrap_or(20),
        )
        .map_err(|e| with_value(e, s))
    }
}

/// Reports a policy error against the original input rather than the rebuilt string.
fn with_value(e: CodecError, s: &str) -> CodecError {
    let value = s.to_owned();
    match e {
        CodecError::NoCodecs { .. } => CodecError::NoCodecs { value },
        CodecError::DuplicateCodec { codec, .. } => CodecError::DuplicateCodec { value, codec },
        CodecError::NotAudio { codec, .. } => CodecError::NotAudio { value, codec },
        CodecError::RequiredNotAllowed { codec, .. } => {
            CodecError::RequiredNotAllowed { value, codec }
        }
        other => other,
    }
}

impl fmt::Display for CodecPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.allowed.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{c}")?;
        }
        write!(
            f,
            ";required={};dtmf={};ptime={}",
            self.required, self.dtmf, self.ptime
        )
    }
}

string_conversions!(
    CodecPolicy,
    CodecError,
    "a codec policy such as \"PCMU,PCMA;required=PCMU;dtmf=rfc2833;ptime=20\""
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_round_trips_and_defaults() {
        let p: CodecPolicy = "PCMA,pcmu".parse().unwrap();
        assert_eq!(p.required(), Codec::Pcma);
        assert_eq!(
            p.to_string(),
            "PCMA,PCMU;required=PCMA;dtmf=rfc2833;ptime=20"
        );
        assert_eq!(p.to_string().parse::<CodecPolicy>().unwrap(), p);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<CodecPolicy>(&json).unwrap(), p);
    }

    #[test]
    fn check_reports_required_and_dtmf() {
        let p: CodecPolicy = "G722,PCMU;required=PCMU".parse().unwrap();
        let r = p.check_against(&[Codec::Pcmu, Codec::Pcma]).unwrap();
        assert_eq!(r.negotiated(), [Codec::Pcmu]);
        assert_eq!(
            r.warnings(),
            [
                CodecWarning::DroppedCodec {
                    codec: Codec::G722,
                    rank: 0
                },
                CodecWarning::DtmfUnsupported
            ]
        );
        assert!(matches!(
            p.check_against(&[Codec::G722]),
            Err(CodecError::RequiredUnsupported {
                codec: Codec::Pcmu,
                ..
            })
        ));
        let clean = CodecPolicy::default()
            .check_against(&[Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent])
            .unwrap();
        assert!(clean.warnings().is_empty());
    }
}
