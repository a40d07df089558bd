//! The desired state as the operator types it, and its validation into domain values.
//!
//! Every rejection names the flag (or environment variable), the value and the rule, and exits 2.

use std::fmt;
use std::net::IpAddr;

use interconnect_core::{CallerId, Country, E164, Host, InboundAuth, Sbc};
use serde::{Deserialize, Serialize};

/// The defaults: the runbook's example tenant on the US SBC.
pub const DEFAULT_SBC: &str = "us";
pub const DEFAULT_TENANT: &str = "acme.hobot.wehostvoip.io";
pub const DEFAULT_CALLER_ID: &str = "+14155550123";
pub const DEFAULT_NUMBER: &str = "+14155550123=1001";
pub const DEFAULT_COUNTRY: &str = "US";
pub const DEFAULT_INBOUND_AUTH: &str = "seed-alias";
pub const DEFAULT_EXTENSION: &str = "1001";

/// The flags that describe the interconnect. Each falls back to the value saved in the state file,
/// then to the runbook's example.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DesiredArgs {
    /// The WeHostVoIP SBC: a shared region (us, br, in), the FQDN of a dedicated SBC, or
    /// LABEL=HOST[@LAST-KNOWN-IP] [default: us]
    #[arg(long, value_name = "SBC")]
    pub sbc: Option<String>,
    /// The WeHostVoIP tenant's domain [default: acme.hobot.wehostvoip.io]
    #[arg(long, value_name = "DOMAIN")]
    pub tenant: Option<String>,
    /// The caller ID for outbound calls (a Plivo number on the account): +E.164, spaces and
    /// (-.) allowed, or `"Name" <+E.164>` [default: +14155550123]
    #[arg(long, value_name = "NUMBER")]
    pub caller_id: Option<String>,
    /// A Plivo number to route inbound, `+E164[=EXTENSION]` (extension 1001 when omitted);
    /// repeatable [default: +14155550123=1001]
    #[arg(long = "number", value_name = "+E164[=EXT]")]
    pub numbers: Vec<String>,
    /// The destination country the tenant may call (ISO 3166-1 alpha-2) [default: US]
    #[arg(long, value_name = "ISO")]
    pub country: Option<String>,
    /// Leave North American toll-free (prefix 18) out of the security group.
    #[arg(long)]
    pub no_toll_free: bool,
    /// How WeHostVoIP admits calls from Plivo: seed-alias, published-ranges or none
    /// [default: seed-alias]
    #[arg(long, value_name = "POLICY")]
    pub inbound_auth: Option<String>,
    /// Pin a name to an address instead of asking the resolver (as curl's --resolve), for hosts
    /// whose DNS cannot see the SBC; repeatable, one address each.
    #[arg(long = "resolve", value_name = "NAME=ADDRESS")]
    pub resolve: Vec<String>,
    /// Move numbers that another Zentrunk trunk routes today onto this interconnect (without it
    /// each is a conflict); their previous routes are kept in the state file and restored by
    /// teardown.
    #[arg(long)]
    pub take_over: bool,
    /// Accept an SBC on a private (RFC 1918 / unique local) address, for an SBC reached over a
    /// private interconnect.
    #[arg(long)]
    pub allow_private_sbc: bool,
    /// The SBC's SIP port in the origination URI [default: 5060].
    #[arg(long, value_name = "PORT")]
    pub sbc_port: Option<u16>,
}

impl DesiredArgs {
    /// The first flag given, if any (a saved plan fixes its inputs: these flags cannot change them).
    pub fn first_given(&self) -> Option<&'static str> {
        [
            (self.sbc.is_some(), "--sbc"),
            (self.tenant.is_some(), "--tenant"),
            (self.caller_id.is_some(), "--caller-id"),
            (!self.numbers.is_empty(), "--number"),
            (self.country.is_some(), "--country"),
            (self.no_toll_free, "--no-toll-free"),
            (self.inbound_auth.is_some(), "--inbound-auth"),
            (!self.resolve.is_empty(), "--resolve"),
            (self.take_over, "--take-over"),
            (self.allow_private_sbc, "--allow-private-sbc"),
            (self.sbc_port.is_some(), "--sbc-port"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

/// The inputs as text, kept in the state file and in saved plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub sbc: String,
    pub tenant: String,
    pub caller_id: String,
    pub numbers: Vec<String>,
    pub country: String,
    pub no_toll_free: bool,
    pub inbound_auth: String,
    #[serde(default)]
    pub resolve: Vec<String>,
    #[serde(default)]
    pub take_over: bool,
    #[serde(default)]
    pub allow_private_sbc: bool,
    #[serde(default)]
    pub sbc_port: Option<u16>,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs {
            sbc: DEFAULT_SBC.into(),
            tenant: DEFAULT_TENANT.into(),
            caller_id: DEFAULT_CALLER_ID.into(),
            numbers: vec![DEFAULT_NUMBER.into()],
            country: DEFAULT_COUNTRY.into(),
            no_toll_free: false,
            inbound_auth: DEFAULT_INBOUND_AUTH.into(),
            resolve: Vec::new(),
            take_over: false,
            allow_private_sbc: false,
            sbc_port: None,
        }
    }
}

impl Inputs {
    /// The flags given, over `saved` (from the state file), over the defaults.
    pub fn merge(args: &DesiredArgs, saved: Option<Inputs>) -> Inputs {
        let base = saved.unwrap_or_default();
        Inputs {
            sbc: args.sbc.clone().unwrap_or(base.sbc),
            tenant: args.tenant.clone().unwrap_or(base.tenant),
            caller_id: args.caller_id.clone().unwrap_or(base.caller_id),
            numbers: if args.numbers.is_empty() {
                base.numbers
            } else {
                args.numbers.clone()
            },
            country: args.country.clone().unwrap_or(base.country),
            no_toll_free: args.no_toll_free || base.no_toll_free,
            inbound_auth: args.inbound_auth.clone().unwrap_or(base.inbound_auth),
            resolve: if args.resolve.is_empty() {
                base.resolve
            } else {
                args.resolve.clone()
            },
            take_over: args.take_over || base.take_over,
            allow_private_sbc: args.allow_private_sbc || base.allow_private_sbc,
            sbc_port: args.sbc_port.or(base.sbc_port),
        }
    }

    /// Validates every input into the domain model's values, before anything is sent.
    pub fn parse(&self) -> Result<Parsed, InputError> {
        let mut echoes = Vec::new();
        let mut sbc = parse_sbc(&self.sbc)?;
        if let Some(port) = self.sbc_port {
            let raw = port.to_string();
            let port = std::num::NonZeroU16::new(port)
                .ok_or_else(|| InputError::new("--sbc-port", &raw, "must be 1 to 65535"))?;
            sbc = sbc.with_sip_port(port);
        }
        let tenant: wehostvoip_client::TenantDomain = self
            .tenant
            .parse()
            .map_err(|e: wehostvoip_client::Error| InputError::new("--tenant", &self.tenant, e))?;
        let caller_id = parse_caller_id(&self.caller_id, &mut echoes)?;
        let mut routes: Vec<(E164, String)> = Vec::new();
        for raw in &self.numbers {
            let (number, ext) = parse_route(raw, &mut echoes)?;
            if routes.iter().any(|(n, _)| *n == number) {
                return Err(InputError::new(
                    "--number",
                    raw,
                    format!("{number} is given twice; each number rings one extension"),
                ));
            }
            routes.push((number, ext));
        }
        let country: Country =
            self.country
                .parse()
                .map_err(|e: interconnect_core::error::CountryError| {
                    InputError::new("--country", &self.country, e)
                })?;
        let inbound_auth: InboundAuth = self.inbound_auth.parse().map_err(
            |e: interconnect_core::error::InboundAuthError| {
                InputError::new("--inbound-auth", &self.inbound_auth, e)
            },
        )?;
        let mut pins = Vec::new();
        for raw in &self.resolve {
            pins.push(parse_pin(raw)?);
        }
        Ok(Parsed {
            sbc,
            tenant,
            caller_id,
            routes,
            country: country.code().to_owned(),
            no_toll_free: self.no_toll_free,
            inbound_auth,
            pins,
            echoes,
            take_over: self.take_over,
            allow_private_sbc: self.allow_private_sbc,
        })
    }
}

/// The validated inputs.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub sbc: Sbc,
    pub tenant: wehostvoip_client::TenantDomain,
    pub caller_id: CallerId,
    pub routes: Vec<(E164, String)>,
    pub country: String,
    pub no_toll_free: bool,
    pub inbound_auth: InboundAuth,
    /// `--resolve` pins: the name and its address.
    pub pins: Vec<(Host, IpAddr)>,
    /// Inputs taken leniently, as `--flag "typed" read as canonical`.
    pub echoes: Vec<String>,
    /// `--take-over`.
    pub take_over: bool,
    /// `--allow-private-sbc`.
    pub allow_private_sbc: bool,
}

/// A bad input: which flag or environment variable, the value, and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub what: String,
    pub value: Option<String>,
    pub rule: String,
}

impl InputError {
    pub fn new(what: &str, value: &str, rule: impl fmt::Display) -> InputError {
        InputError {
            what: what.to_owned(),
            value: Some(value.to_owned()),
            rule: rule.to_string(),
        }
    }

    /// An error about a flag or variable as a whole (missing, or not allowed here).
    pub fn about(what: &str, rule: impl fmt::Display) -> InputError {
        InputError {
            what: what.to_owned(),
            value: None,
            rule: rule.to_string(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{} {v:?}: {}", self.what, self.rule),
            None => write!(f, "{}: {}", self.what, self.rule),
        }
    }
}

impl std::error::Error for InputError {}

fn parse_sbc(raw: &str) -> Result<Sbc, InputError> {
    if let Ok(sbc) = raw.parse::<Sbc>() {
        return Ok(sbc);
    }
    let rule = "expected a shared region (us, br, in), the FQDN of a dedicated SBC, or \
                LABEL=HOST[@LAST-KNOWN-IP]";
    let host: Host = raw
        .trim()
        .parse()
        .map_err(|e: interconnect_core::error::HostError| {
            InputError::new("--sbc", raw, format!("{rule} ({e})"))
        })?;
    // A dedicated SBC gets a label of its own, derived from its host: two dedicated SBCs of one
    // tenant are two interconnects.
    Ok(Sbc::dedicated_host(host, None))
}

fn parse_caller_id(raw: &str, echoes: &mut Vec<String>) -> Result<CallerId, InputError> {
    if let Ok(c) = raw.parse::<CallerId>() {
        return Ok(c);
    }
    match E164::parse_lenient(raw) {
        Ok(n) => {
            echo(echoes, "--caller-id", raw, n.as_str());
            Ok(CallerId::from(n))
        }
        Err(_) => Err(raw
            .parse::<CallerId>()
            .map_err(|e| InputError::new("--caller-id", raw, e))
            .err()
            .unwrap_or_else(|| InputError::new("--caller-id", raw, "not a caller ID"))),
    }
}

fn echo(echoes: &mut Vec<String>, flag: &str, raw: &str, canonical: &str) {
    if raw != canonical {
        echoes.push(format!("{flag} {raw:?} read as {canonical}"));
    }
}

fn parse_route(raw: &str, echoes: &mut Vec<String>) -> Result<(E164, String), InputError> {
    let rule = "expected +E164[=EXTENSION], e.g. +14155550123=1001";
    let (number, ext) = match raw.split_once('=') {
        Some((n, e)) => (n, Some(e)),
        None => (raw, None),
    };
    if number.trim().is_empty() {
        return Err(InputError::new(
            "--number",
            raw,
            format!("the number before \"=\" is empty ({rule})"),
        ));
    }
    let e164 = E164::parse_lenient(number)
        .map_err(|e| InputError::new("--number", raw, format!("{e} ({rule})")))?;
    echo(echoes, "--number", number, e164.as_str());
    let ext = match ext {
        None => DEFAULT_EXTENSION.to_owned(),
        Some(e) if e.trim().is_empty() => {
            return Err(InputError::new(
                "--number",
                raw,
                format!("the extension after \"=\" is empty ({rule})"),
            ));
        }
        Some(e) => {
            let parsed: wehostvoip_client::Extension =
                e.trim().parse().map_err(|err: wehostvoip_client::Error| {
                    InputError::new("--number", raw, format!("extension: {err}"))
                })?;
            parsed.to_string()
        }
    };
    Ok((e164, ext))
}

fn parse_pin(raw: &str) -> Result<(Host, IpAddr), InputError> {
    let rule = "expected NAME=ADDRESS, e.g. sbc.example.net=192.0.2.10";
    let Some((name, addr)) = raw.split_once('=') else {
        return Err(InputError::new("--resolve", raw, rule));
    };
    let host: Host = name
        .trim()
        .parse()
        .map_err(|e| InputError::new("--resolve", raw, format!("the name: {e} ({rule})")))?;
    let ip: IpAddr = addr.trim().parse().map_err(|_| {
        InputError::new(
            "--resolve",
            raw,
            format!("the address {addr:?} is not an IPv4 or IPv6 address ({rule})"),
        )
    })?;
    Ok((host, ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut Inputs)) -> Result<Parsed, InputError> {
        let mut i = Inputs::default();
        f(&mut i);
        i.parse()
    }

    #[test]
    fn an_empty_number_names_the_flag_and_the_rule() {
        let e = with(|i| i.numbers = vec!["=1001".into()]).unwrap_err();
        assert_eq!(e.what, "--number");
        assert!(e.to_string().contains("\"=1001\""), "{e}");
        assert!(e.to_string().contains("+E164[=EXTENSION]"), "{e}");
    }

    #[test]
    fn pasted_numbers_are_echoed_in_canonical_form() {
        let p = with(|i| i.numbers = vec!["+1 (415) 555-0100=1002".into()]).unwrap();
        assert_eq!(p.routes[0].0.as_str(), "+14155550100");
        assert_eq!(p.routes[0].1, "1002");
        assert_eq!(
            p.echoes,
            vec!["--number \"+1 (415) 555-0100\" read as +14155550100"]
        );
    }

    #[test]
    fn each_flag_is_named_in_its_error() {
        for (flag, f) in [
            (
                "--sbc",
                (|i: &mut Inputs| i.sbc = "not a host!".into()) as fn(&mut Inputs),
            ),
            ("--tenant", |i| i.tenant = "-".into()),
            ("--caller-id", |i| i.caller_id = "0415".into()),
            ("--country", |i| i.country = "ZZZ".into()),
            ("--inbound-auth", |i| i.inbound_auth = "maybe".into()),
            ("--resolve", |i| i.resolve = vec!["sbc.example.net".into()]),
            ("--resolve", |i| {
                i.resolve = vec!["sbc.example.net=300.1.1.1".into()];
            }),
        ] {
            let e = with(f).unwrap_err();
            assert_eq!(e.what, flag, "{e}");
        }
    }

    #[test]
    fn flags_override_saved_inputs_which_override_defaults() {
        let saved = Inputs {
            tenant: "beta.hobot.wehostvoip.io".into(),
            ..Inputs::default()
        };
        let args = DesiredArgs {
            sbc: Some("br".into()),
            ..DesiredArgs::default()
        };
        let merged = Inputs::merge(&args, Some(saved));
        assert_eq!(merged.sbc, "br");
        assert_eq!(merged.tenant, "beta.hobot.wehostvoip.io");
        assert_eq!(merged.country, "US");
    }
}
