//! Typed errors of the domain model.
//!
//! Every parser in this crate rejects bad input with one of the enums below. Each message names the
//! rejected value and the rule it broke, for example
//! `invalid E.164 number "+0123": the first digit after "+" must be 1-9`. The umbrella [`Error`]
//! wraps them all for callers that only want one type.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::codec::Codec;

/// Why a string is not an E.164 number ([`crate::E164`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum E164Error {
    /// The input was empty (or only separators, for the lenient parser).
    #[error("invalid E.164 number {value:?}: it is empty")]
    Empty {
        /// The rejected input.
        value: String,
    },
    /// The number does not start with `+`.
    #[error("invalid E.164 number {value:?}: it must start with \"+\"")]
    MissingPlus {
        /// The rejected input.
        value: String,
    },
    /// A character other than a digit follows the `+` (strict form) or other than a digit or an
    /// accepted separator (lenient form).
    #[error("invalid E.164 number {value:?}: {found:?} is not a digit")]
    InvalidCharacter {
        /// The rejected input.
        value: String,
        /// The first offending character.
        found: char,
    },
    /// Nothing but `+`.
    #[error("invalid E.164 number {value:?}: no digits after \"+\"")]
    NoDigits {
        /// The rejected input.
        value: String,
    },
    /// The first digit is 0 (no country calling code starts with 0).
    #[error("invalid E.164 number {value:?}: the first digit after \"+\" must be 1-9")]
    LeadingZero {
        /// The rejected input.
        value: String,
    },
    /// More than 15 digits (ITU-T E.164 section 6.1).
    #[error("invalid E.164 number {value:?}: {digits} digits, at most 15 are allowed")]
    TooLong {
        /// The rejected input.
        value: String,
        /// How many digits it had.
        digits: usize,
    },
    /// The leading digits are not an ITU-assigned country calling code.
    #[error(
        "invalid E.164 number {value:?}: no assigned ITU country calling code starts its digits"
    )]
    UnassignedCountryCode {
        /// The rejected input.
        value: String,
    },
    /// The digits after the country calling code are fewer or more than its numbering plan
    /// allows (a short code such as `+12345` lands here).
    #[error("invalid E.164 number {value:?}: {fault}")]
    NationalLength {
        /// The rejected input.
        value: String,
        /// The rule it broke, with the code and the lengths its plan allows.
        fault: sip_rules::e164::E164Fault,
    },
}

impl E164Error {
    /// The error for `fault`, found in `checked` (the compact form of `original`).
    pub(crate) fn from_fault(
        original: &str,
        checked: &str,
        fault: sip_rules::e164::E164Fault,
    ) -> Self {
        use sip_rules::e164::E164Fault as F;
        let value = original.to_owned();
        match fault {
            F::Empty => Self::Empty { value },
            F::MissingPlus => Self::MissingPlus { value },
            F::NoDigits => Self::NoDigits { value },
            F::NotADigit(at) => Self::InvalidCharacter {
                value,
                found: checked
                    .get(at..)
                    .and_then(|r| r.chars().next())
                    .unwrap_or('?'),
            },
            F::LeadingZero => Self::LeadingZero { value },
            F::TooLong(digits) => Self::TooLong { value, digits },
            F::UnassignedCountryCode => Self::UnassignedCountryCode { value },
            _ => Self::NationalLength { value, fault },
        }
    }
}

/// Why a string is not a country ([`crate::e164::Country`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CountryError {
    /// Not the ISO 3166-1 alpha-2 code of a territory with an E.164 country calling code.
    #[error(
        "unknown country {value:?}: expected an ISO 3166-1 alpha-2 code with an E.164 country calling code, such as \"US\""
    )]
    Unknown {
        /// The rejected input.
        value: String,
    },
}

/// Why a string is not an IP ACL entry or a set of entries ([`crate::AclEntry`], [`crate::IpAcl`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AclError {
    /// The input was empty.
    #[error("invalid ACL entry {value:?}: it is empty")]
    Empty {
        /// The rejected input.
        value: String,
    },
    /// Not an IPv4/IPv6 address or CIDR.
    #[error(
        "invalid ACL entry {value:?}: not an IPv4/IPv6 address or CIDR (a.b.c.d, a.b.c.d/n, x::y, x::y/n)"
    )]
    Syntax {
        /// The rejected input.
        value: String,
    },
    /// A CIDR whose address has bits set beyond the prefix.
    #[error(
        "invalid ACL entry {value:?}: host bits are set beyond the prefix; did you mean {network}?"
    )]
    HostBitsSet {
        /// The rejected input.
        value: String,
        /// The network the input probably meant (host bits cleared).
        network: IpNet,
    },
    /// `0.0.0.0/0` or `::/0`, refused unless the policy allows it.
    #[error(
        "invalid ACL entry {value:?}: it matches every address; allow it explicitly with AclPolicy::allow_any"
    )]
    MatchesEverything {
        /// The rejected input.
        value: String,
    },
    /// A range wider than the policy limit.
    #[error("invalid ACL entry {value:?}: a /{prefix_len} is wider than the policy limit /{limit}")]
    TooWide {
        /// The rejected input.
        value: String,
        /// The prefix length of the input.
        prefix_len: u8,
        /// The narrowest prefix length the policy accepts for this address family.
        limit: u8,
    },
    /// The same network appears twice in one ACL.
    #[error("invalid IP ACL: {entry} appears more than once")]
    Duplicate {
        /// The repeated entry.
        entry: IpNet,
    },
    /// Two entries of one ACL overlap (one contains the other).
    #[error("invalid IP ACL: {wider} already contains {narrower}")]
    Overlap {
        /// The wider entry.
        wider: IpNet,
        /// The entry it contains.
        narrower: IpNet,
    },
    /// The ACL has no entries.
    #[error("invalid IP ACL {value:?}: it has no entries")]
    EmptyList {
        /// The rejected input.
        value: String,
    },
}

/// Why a string is not a host name or IP literal ([`crate::Host`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// The input was empty.
    #[error("invalid host {value:?}: it is empty")]
    Empty {
        /// The rejected input.
        value: String,
    },
    /// More than 253 characters (RFC 1123 section 2.1).
    #[error("invalid host {value:?}: {len} characters, at most 253 are allowed")]
    TooLong {
        /// The rejected input.
        value: String,
        /// Its length in characters.
        len: usize,
    },
    /// Two dots in a row, or a leading dot.
    #[error("invalid host {value:?}: it has an empty label")]
    EmptyLabel {
        /// The rejected input.
        value: String,
    },
    /// A label longer than 63 characters.
    #[error("invalid host {value:?}: label {label:?} is longer than 63 characters")]
    LabelTooLong {
        /// The rejected input.
        value: String,
        /// The offending label.
        label: String,
    },
    /// A character outside letters, digits and `-`.
    #[error("invalid host {value:?}: {found:?} is not allowed (letters, digits, '-' and '.' only)")]
    InvalidCharacter {
        /// The rejected input.
        value: String,
        /// The first offending character.
        found: char,
    },
    /// A label that starts or ends with `-`.
    #[error("invalid host {value:?}: label {label:?} starts or ends with '-'")]
    HyphenAtLabelEdge {
        /// The rejected input.
        value: String,
        /// The offending label.
        label: String,
    },
    /// An all-numeric top-level label that is not a valid IPv4 address (RFC 1123 section 2.1).
    #[error(
        "invalid host {value:?}: the top-level label is all digits but it is not an IPv4 address"
    )]
    NumericTopLevel {
        /// The rejected input.
        value: String,
    },
    /// A single label such as `localhost`: a gateway needs a fully qualified name.
    #[error("invalid host {value:?}: not fully qualified (needs at least one dot)")]
    NotFullyQualified {
        /// The rejected input.
        value: String,
    },
    /// `[...]` that does not hold an IPv6 address.
    #[error("invalid host {value:?}: brackets must hold an IPv6 address")]
    BadIpv6Literal {
        /// The rejected input.
        value: String,
    },
}

/// Why a gateway is not valid ([`crate::Gateway`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// The address part is not a host, IP literal or CIDR.
    #[error("invalid gateway {value:?}: bad address")]
    Address {
        /// The rejected input.
        value: String,
        /// Why the host was rejected.
        #[source]
        source: HostError,
    },
    /// The address part looked like a CIDR but is not a valid one.
    #[error("invalid gateway {value:?}: bad network")]
    Network {
        /// The rejected input.
        value: String,
        /// Why the network was rejected.
        #[source]
        source: AclError,
    },
    /// The port is not 1-65535.
    #[error("invalid gateway {value:?}: port {port:?} is not 1-65535")]
    Port {
        /// The rejected input.
        value: String,
        /// The port text.
        port: String,
    },
    /// An unknown `;key=value` parameter or a malformed one.
    #[error(
        "invalid gateway {value:?}: unknown or malformed parameter {param:?} (transport=, role=)"
    )]
    Parameter {
        /// The rejected input.
        value: String,
        /// The offending parameter.
        param: String,
    },
    /// The transport is not udp, tcp or tls.
    #[error("invalid gateway {value:?}: transport {transport:?} is not udp, tcp or tls")]
    Transport {
        /// The rejected input.
        value: String,
        /// The transport text.
        transport: String,
    },
    /// The role is not outbound, inbound or both.
    #[error("invalid gateway {value:?}: role {role:?} is not outbound, inbound or both")]
    Role {
        /// The rejected input.
        value: String,
        /// The role text.
        role: String,
    },
    /// A gateway that accepts inbound traffic names an FQDN: source matching needs addresses.
    #[error(
        "invalid gateway {value:?}: a gateway that accepts inbound calls must be an IP address or CIDR, not the FQDN {host}"
    )]
    InboundFqdn {
        /// The rejected input.
        value: String,
        /// The FQDN.
        host: String,
    },
    /// A gateway that sends outbound calls names a network wider than one address.
    #[error(
        "invalid gateway {value:?}: a gateway that sends outbound calls needs one host, not the network {network}"
    )]
    OutboundNetwork {
        /// The rejected input.
        value: String,
        /// The network.
        network: IpNet,
    },
}

/// Why a codec or codec policy is not valid, or cannot work with a carrier ([`crate::CodecPolicy`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// An encoding name this model does not know.
    #[error("unknown codec {value:?}: expected PCMU, PCMA, G722, G729, opus or telephone-event")]
    Unknown {
        /// The rejected input.
        value: String,
    },
    /// The policy lists no audio codec.
    #[error("invalid codec policy {value:?}: no audio codec is allowed")]
    NoCodecs {
        /// The rejected input.
        value: String,
    },
    /// A codec is listed twice.
    #[error("invalid codec policy {value:?}: {codec} is listed twice")]
    DuplicateCodec {
        /// The rejected input.
        value: String,
        /// The repeated codec.
        codec: Codec,
    },
    /// `telephone-event` in the audio list: DTMF is configured with `dtmf=`.
    #[error("invalid codec policy {value:?}: {codec} is not an audio codec; set DTMF with dtmf=")]
    NotAudio {
        /// The rejected input.
        value: String,
        /// The offending entry.
        codec: Codec,
    },
    /// The required codec is not in the allowed list.
    #[error(
        "invalid codec policy {value:?}: the required codec {codec} is not in the allowed list"
    )]
    RequiredNotAllowed {
        /// The rejected input.
        value: String,
        /// The required codec.
        codec: Codec,
    },
    /// An unknown DTMF mode.
    #[error("invalid codec policy {value:?}: DTMF mode {dtmf:?} is not rfc2833, inband or none")]
    Dtmf {
        /// The rejected input.
        value: String,
        /// The DTMF text.
        dtmf: String,
    },
    /// A packetization time outside 10-60 ms in steps of 10.
    #[error(
        "invalid codec policy {value:?}: ptime {ptime:?} is not one of 10, 20, 30, 40, 50, 60 ms"
    )]
    Ptime {
        /// The rejected input.
        value: String,
        /// The ptime text.
        ptime: String,
    },
    /// An unknown or malformed `key=value` part.
    #[error(
        "invalid codec policy {value:?}: unknown or malformed part {part:?} (required=, dtmf=, ptime=)"
    )]
    Syntax {
        /// The rejected input.
        value: String,
        /// The offending part.
        part: String,
    },
    /// The carrier supports none of the allowed codecs.
    #[error("no common codec: the policy allows {allowed} but the carrier supports {supported}")]
    NoCommonCodec {
        /// The allowed codecs, comma separated.
        allowed: String,
        /// The carrier's codecs, comma separated.
        supported: String,
    },
    /// The carrier does not support the codec the policy requires.
    #[error("the carrier does not support the required codec {codec} (it supports {supported})")]
    RequiredUnsupported {
        /// The required codec.
        codec: Codec,
        /// The carrier's codecs, comma separated.
        supported: String,
    },
}

/// Why a caller ID is not valid ([`crate::CallerId`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallerIdError {
    /// The number part is not E.164.
    #[error("invalid caller ID {value:?}: bad number")]
    Number {
        /// The rejected input.
        value: String,
        /// Why the number was rejected.
        #[source]
        source: E164Error,
    },
    /// The display name is empty or blank.
    #[error("invalid caller ID {value:?}: the display name is empty")]
    EmptyDisplayName {
        /// The rejected input.
        value: String,
    },
    /// The display name is too long.
    #[error(
        "invalid caller ID {value:?}: the display name has {len} characters, at most {max} are allowed"
    )]
    DisplayNameTooLong {
        /// The rejected input.
        value: String,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The display name holds a control character.
    #[error("invalid caller ID {value:?}: the display name holds the control character {found:?}")]
    ControlCharacter {
        /// The rejected input.
        value: String,
        /// The offending character.
        found: char,
    },
    /// The display name holds `"`, `\`, `<` or `>`, which would break the SIP From header.
    #[error("invalid caller ID {value:?}: the display name must not contain {found:?}")]
    ForbiddenCharacter {
        /// The rejected input.
        value: String,
        /// The offending character.
        found: char,
    },
    /// Neither `+number` nor `"Name" <+number>`.
    #[error("invalid caller ID {value:?}: expected +E164 or \"Name\" <+E164>")]
    Syntax {
        /// The rejected input.
        value: String,
    },
}

/// Why an SBC name or region is not valid ([`crate::Sbc`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SbcError {
    /// Not a known shared-SBC region or FQDN.
    #[error("unknown SBC {value:?}: expected us, br, in or one of the sbc-*.wehostvoip.io names")]
    Unknown {
        /// The rejected input.
        value: String,
    },
    /// A dedicated SBC label that is not 1-8 lowercase letters or digits.
    #[error("invalid SBC label {value:?}: use 1-8 lowercase letters or digits")]
    Label {
        /// The rejected input.
        value: String,
    },
}

/// Why resolving a host failed ([`crate::Resolver`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The lookup itself failed.
    #[error("could not resolve {host}")]
    Lookup {
        /// The host being resolved.
        host: String,
        /// The system error.
        #[source]
        source: std::io::Error,
    },
    /// The lookup succeeded but returned no addresses.
    #[error("{host} resolved to no addresses")]
    NoAddresses {
        /// The host being resolved.
        host: String,
    },
    /// A static resolver has no entry for the host.
    #[error("{host} is not in the static resolver's table")]
    NotFound {
        /// The host being resolved.
        host: String,
    },
}

/// Why an inbound-authorization policy name is not valid ([`crate::InboundAuth`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InboundAuthError {
    /// Not one of the policy names.
    #[error(
        "unknown inbound-auth policy {value:?}: expected seed-alias (seed-alias-gateway), published-ranges or none"
    )]
    Unknown {
        /// The rejected input.
        value: String,
    },
}

/// Why a resource name or its parts are not valid ([`crate::ResourceName`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// A name that does not start with `whv-`: not made by this library.
    #[error(
        "resource name {value:?} does not start with \"whv-\"; it was not made by this library"
    )]
    ForeignName {
        /// The rejected input.
        value: String,
    },
    /// A name longer than the limit.
    #[error("invalid resource name {value:?}: {len} characters, at most {max} are allowed")]
    TooLong {
        /// The rejected input.
        value: String,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The role suffix is not a known role.
    #[error(
        "invalid resource name {value:?}: role {role:?} is not outbound, inbound, acl, uri or carrier"
    )]
    UnknownRole {
        /// The rejected input.
        value: String,
        /// The role text.
        role: String,
    },
    /// The structure is wrong (missing parts, bad tenant key or SBC label).
    #[error("invalid resource name {value:?}: expected whv-<tenant>-<sbc>-<role>")]
    Syntax {
        /// The rejected input.
        value: String,
    },
}

/// Any error of the domain model.
///
/// ```
/// use interconnect_core::{E164, Error};
///
/// fn parse(n: &str) -> Result<E164, Error> {
///     Ok(n.parse::<E164>()?)
/// }
/// let e = parse("+0123").unwrap_err();
/// assert_eq!(e.to_string(), "invalid E.164 number \"+0123\": the first digit after \"+\" must be 1-9");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An E.164 number was rejected.
    #[error(transparent)]
    E164(#[from] E164Error),
    /// A country was rejected.
    #[error(transparent)]
    Country(#[from] CountryError),
    /// An ACL entry or ACL was rejected.
    #[error(transparent)]
    Acl(#[from] AclError),
    /// A host was rejected.
    #[error(transparent)]
    Host(#[from] HostError),
    /// A gateway was rejected.
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    /// A codec or codec policy was rejected or does not fit the carrier.
    #[error(transparent)]
    Codec(#[from] CodecError),
    /// A caller ID was rejected.
    #[error(transparent)]
    CallerId(#[from] CallerIdError),
    /// An SBC was rejected.
    #[error(transparent)]
    Sbc(#[from] SbcError),
    /// Resolving a host failed.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// An inbound-auth policy was rejected.
    #[error(transparent)]
    InboundAuth(#[from] InboundAuthError),
    /// A resource name was rejected.
    #[error(transparent)]
    Name(#[from] NameError),
}

/// Formats a list of addresses as `a, b, c` for messages.
pub(crate) fn join_addrs(addrs: &[IpAddr]) -> String {
    addrs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
