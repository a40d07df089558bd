//! The sandbox's records: what `Sandbox::state` returns and what the emulated API serves.

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::SandboxError;
use crate::{TrunkDirection, TrunkStatus};

/// A Zentrunk trunk as the sandbox holds it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sandbox = plivo_client::sandbox::Sandbox::start().await;
/// let trunks: Vec<plivo_client::sandbox::TrunkRecord> = sandbox.state().trunks;
/// assert!(trunks.is_empty());
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TrunkRecord {
    /// The numeric id (above 2^53, so always a string).
    pub trunk_id: String,
    /// The friendly name (Plivo makes one up, `Trunk-xxxxxx`, when none is given).
    pub name: String,
    /// `{trunk_id}.zt.plivo.com`.
    pub trunk_domain: String,
    /// Enabled or disabled.
    pub trunk_status: TrunkStatus,
    /// Inbound or outbound.
    pub trunk_direction: TrunkDirection,
    /// Secure trunking (TLS and SRTP).
    pub secure: bool,
    /// The IP access control list (outbound trunks).
    pub ipacl_uuid: Option<String>,
    /// The credential list (outbound trunks).
    pub credential_uuid: Option<String>,
    /// The primary origination URI (inbound trunks).
    pub primary_uri_uuid: Option<String>,
    /// The fallback origination URI (inbound trunks).
    pub fallback_uri_uuid: Option<String>,
}

/// A Zentrunk IP access control list.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sandbox = plivo_client::sandbox::Sandbox::start().await;
/// let acls: Vec<plivo_client::sandbox::IpAclRecord> = sandbox.state().ip_acls;
/// assert!(acls.is_empty());
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IpAclRecord {
    /// The list's id.
    pub ipacl_uuid: String,
    /// The friendly name, if any.
    pub name: Option<String>,
    /// IP addresses or CIDR blocks, as sent.
    pub ip_addresses: Vec<String>,
}

/// A Zentrunk credential. The password is held as a secret: `Debug` never shows it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sandbox = plivo_client::sandbox::Sandbox::start().await;
/// let credentials: Vec<plivo_client::sandbox::CredentialRecord> = sandbox.state().credentials;
/// assert!(credentials.is_empty());
/// # }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CredentialRecord {
    /// The credential's id.
    pub credential_uuid: String,
    /// The friendly name, if any.
    pub name: Option<String>,
    /// The SIP digest user name.
    pub username: String,
    /// The SIP digest password; `None` once an update without `password` has blanked it.
    pub password: Option<SecretString>,
}

impl PartialEq for CredentialRecord {
    fn eq(&self, other: &Self) -> bool {
        self.credential_uuid == other.credential_uuid
            && self.name == other.name
            && self.username == other.username
            && same_secret(self.password.as_ref(), other.password.as_ref())
    }
}

impl Eq for CredentialRecord {}

/// A Zentrunk origination URI. The password is held as a secret: `Debug` never shows it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sandbox = plivo_client::sandbox::Sandbox::start().await;
/// let uris: Vec<plivo_client::sandbox::UriRecord> = sandbox.state().uris;
/// assert!(uris.is_empty());
/// # }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct UriRecord {
    /// The URI's id.
    pub uri_uuid: String,
    /// The friendly name, if any.
    pub name: Option<String>,
    /// Host, `host:port`, `host;transport=...` or `sip:user@host`, as sent.
    pub uri: String,
    /// Whether Plivo answers a digest challenge from the URI.
    pub authentication_needed: bool,
    /// The digest user name, if any.
    pub username: Option<String>,
    /// The digest password, if any.
    pub password: Option<SecretString>,
}

impl PartialEq for UriRecord {
    fn eq(&self, other: &Self) -> bool {
        self.uri_uuid == other.uri_uuid
            && self.name == other.name
            && self.uri == other.uri
            && self.authentication_needed == other.authentication_needed
            && self.username == other.username
            && same_secret(self.password.as_ref(), other.password.as_ref())
    }
}

impl Eq for UriRecord {}

fn same_secret(a: Option<&SecretString>, b: Option<&SecretString>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.expose_secret() == b.expose_secret(),
        _ => false,
    }
}

/// A phone number rented by the account.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), plivo_client::sandbox::SandboxError> {
/// let sandbox = plivo_client::sandbox::Sandbox::start().await;
/// sandbox.add_account_number("14155550123")?;
/// let number = &sandbox.state().numbers[0];
/// assert_eq!(number.number, "14155550123");
/// assert_eq!(number.app_id, None);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NumberRecord {
    /// E.164 digits without `+`, as Plivo writes them.
    pub number: String,
    /// The alias, if any.
    pub alias: Option<String>,
    /// The trunk id or application id the number routes to, if any.
    pub app_id: Option<String>,
    /// The resource path the API shows in `application`: `/v1/Account/{auth_id}/Zentrunk/Trunk/{id}/`
    /// for a trunk, `/v1/Account/{auth_id}/Application/{id}/` for an application.
    pub application: Option<String>,
    /// Plivo's number type (`local`, `tollfree`, ...).
    pub number_type: String,
    /// The ISO country code.
    pub country_iso: String,
}

/// A Zentrunk CDR, with the keys of a production `GET Zentrunk/Call/{call_uuid}/` body.
///
/// ```
/// use plivo_client::sandbox::CallRecord;
///
/// let mut call = CallRecord::new("outbound", "+14155550123", "+442071838750");
/// call.hangup_cause_code = 4180;
/// call.hangup_cause_name = "call_rejected_unauthorized".to_owned();
/// assert_eq!(call.call_direction, "outbound");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CallRecord {
    /// The CDR id (generated when left empty).
    pub call_uuid: String,
    /// The SIP Call-ID.
    pub call_id: String,
    /// The caller, `+E.164`.
    pub from_number: String,
    /// The callee, `+E.164`.
    pub to_number: String,
    /// `inbound` or `outbound`.
    pub call_direction: String,
    /// Seconds from answer to hangup.
    pub call_duration: u64,
    /// Billed seconds.
    pub bill_duration: u64,
    /// When the call ended, `YYYY-MM-DD HH:MM:SS` (UTC).
    pub end_time: String,
    /// The hangup cause name, for example `normal_hangup`.
    pub hangup_cause_name: String,
    /// Who hung up: `customer`, `carrier` or `zentrunk`.
    pub hangup_source: String,
    /// Per-minute rate.
    pub total_rate: String,
    /// Amount charged.
    pub total_amount: String,
    /// When the call started, `YYYY-MM-DD HH:MM:SS`.
    pub initiation_time: String,
    /// When the call was answered, if it was.
    pub answer_time: Option<String>,
    /// The trunk's domain, `{trunk_id}.zt.plivo.com`.
    pub trunk_domain: String,
    /// The caller's ISO country.
    pub from_country: String,
    /// The callee's ISO country.
    pub to_country: String,
    /// `udp` or `tcp`.
    pub transport_protocol: String,
    /// Whether media used SRTP.
    pub srtp: bool,
    /// The numeric hangup code, for example 3000.
    pub hangup_cause_code: u32,
    /// Whether secure trunking was used.
    pub secure_trunking: bool,
    /// Secure trunking rate.
    pub secure_trunking_rate: String,
    /// Whether a CNAM lookup was made.
    pub cnam_lookup: bool,
    /// CNAM lookup rate.
    pub cnam_lookup_rate: String,
    /// STIR/SHAKEN verification result.
    pub stir_verification: String,
    /// STIR/SHAKEN attestation (A, B or C).
    pub attestation_indicator: String,
    /// Billed seconds (a second key production sends).
    pub billed_duration: u64,
}

impl CallRecord {
    /// A completed call between two numbers, with the other fields taken from a production CDR:
    /// 32 s, billed 60 s, `normal_hangup` (3000) by the carrier, over TCP, ended `2026-09-18 08:52:26`.
    ///
    /// ```
    /// let call = plivo_client::sandbox::CallRecord::new("inbound", "+919902443540", "+17322179088");
    /// assert_eq!(call.hangup_cause_code, 3000);
    /// assert!(call.call_uuid.is_empty());
    /// ```
    pub fn new(call_direction: &str, from_number: &str, to_number: &str) -> Self {
        Self {
            call_uuid: String::new(),
            call_id: "459580122_124515270@206.146.101.14".to_owned(),
            from_number: from_number.to_owned(),
            to_number: to_number.to_owned(),
            call_direction: call_direction.to_owned(),
            call_duration: 32,
            bill_duration: 60,
            end_time: "2026-09-18 08:52:26".to_owned(),
            hangup_cause_name: "normal_hangup".to_owned(),
            hangup_source: "carrier".to_owned(),
            total_rate: "0.00280".to_owned(),
            total_amount: "0.00280".to_owned(),
            initiation_time: "2026-09-18 08:51:53".to_owned(),
            answer_time: Some("2026-09-18 08:51:54".to_owned()),
            trunk_domain: "42741122632602585.zt.plivo.com".to_owned(),
            from_country: "IN".to_owned(),
            to_country: "US".to_owned(),
            transport_protocol: "tcp".to_owned(),
            srtp: false,
            hangup_cause_code: 3000,
            secure_trunking: false,
            secure_trunking_rate: "0.00000".to_owned(),
            cnam_lookup: false,
            cnam_lookup_rate: "0.00000".to_owned(),
            stir_verification: "Not Verified".to_owned(),
            attestation_indicator: "C".to_owned(),
            billed_duration: 60,
        }
    }
}

/// A snapshot of the sandbox's account, each list in creation order. Compare two snapshots to check
/// that a run with injected faults converged on the same state as a run without.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let sandbox = plivo_client::sandbox::Sandbox::start().await;
/// let state = sandbox.state();
/// assert!(state.trunks.is_empty() && state.ip_acls.is_empty() && state.credentials.is_empty());
/// assert!(state.uris.is_empty() && state.numbers.is_empty() && state.calls.is_empty());
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SandboxState {
    /// Zentrunk trunks.
    pub trunks: Vec<TrunkRecord>,
    /// Zentrunk IP access control lists.
    pub ip_acls: Vec<IpAclRecord>,
    /// Zentrunk credentials.
    pub credentials: Vec<CredentialRecord>,
    /// Zentrunk origination URIs.
    pub uris: Vec<UriRecord>,
    /// Numbers rented by the account.
    pub numbers: Vec<NumberRecord>,
    /// Seeded CDRs.
    pub calls: Vec<CallRecord>,
}

/// Digits of an E.164 number given with or without `+`.
pub(crate) fn normalize_number(value: &str) -> Result<String, SandboxError> {
    let invalid = |rule| SandboxError::InvalidNumber {
        value: value.to_owned(),
        rule,
    };
    let digits = value.strip_prefix('+').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("must be digits, optionally after a leading +"));
    }
    if digits.starts_with('0') {
        return Err(invalid("must not start with 0"));
    }
    if !sip_rules::e164::is_e164_digits(digits.as_bytes()) {
        return Err(invalid(
            "must be E.164: an assigned country code and a national length its plan allows",
        ));
    }
    Ok(digits.to_owned())
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch.
pub(crate) fn rfc3339(unix: u64) -> String {
    let (date, secs) = (date(unix), unix % 86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `YYYY-MM-DD` for seconds since the Unix epoch (civil-from-days, proleptic Gregorian).
pub(crate) fn date(unix: u64) -> String {
    let days = unix / 86_400;
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_787_515_072), "2026-08-23T19:57:52Z");
        assert_eq!(date(951_782_400), "2000-02-29");
    }

    #[test]
    fn normalizes_numbers() {
        assert_eq!(normalize_number("+14155550123").unwrap(), "14155550123");
        assert_eq!(normalize_number("14155550123").unwrap(), "14155550123");
        let error = normalize_number("+0123456789").unwrap_err().to_string();
        assert!(
            error.contains("+0123456789") && error.contains("start with 0"),
            "{error}"
        );
        assert!(normalize_number("+1415").is_err());
        assert!(normalize_number("+1415abc0000").is_err());
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let record = CredentialRecord {
            credential_uuid: "c".into(),
            name: None,
            username: "sipuser1".into(),
            password: Some(SecretString::from("Hunter2!pw")),
        };
        let uri = UriRecord {
            uri_uuid: "u".into(),
            name: None,
            uri: "sbc.example.com".into(),
            authentication_needed: true,
            username: Some("plivo".into()),
            password: Some(SecretString::from("Hunter3!pw")),
        };
        assert!(!format!("{record:?}{uri:?}").contains("Hunter"));
        assert_eq!(record, record.clone());
        let mut blanked = record.clone();
        blanked.password = None;
        assert_ne!(record, blanked);
    }
}
