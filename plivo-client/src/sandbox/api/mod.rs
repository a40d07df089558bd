//! The emulated API: the account's state and one handler per endpoint, free of any HTTP plumbing.

use std::net::IpAddr;

use secrecy::SecretString;
use serde_json::{Map, Value, json};

use super::model::{
    self, CallRecord, CredentialRecord, IpAclRecord, NumberRecord, SandboxState, TrunkRecord,
    UriRecord,
};
use super::{Listing, SandboxError, TrunkGetShape};
use crate::{TrunkDirection, TrunkStatus};

mod call;
mod credential;
mod ip_acl;
mod number;
mod phone_number;
mod trunk;
mod uri;

/// Largest `limit` the API accepts.
pub(crate) const MAX_LIMIT: usize = 20;

/// Decoded query string, in order.
pub(crate) type Query = Vec<(String, String)>;

/// What the API answers: a status and, except for 204, a JSON body.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
}

/// Per-request context.
pub(crate) struct Ctx<'a> {
    pub api_id: &'a str,
    pub now: u64,
    pub trunk_get_shape: TrunkGetShape,
}

/// A rejection, turned into `{"api_id", "error"}`.
pub(crate) struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn into_reply(self, api_id: &str) -> Reply {
        Reply {
            status: self.status,
            body: Some(json!({"api_id": api_id, "error": self.message})),
        }
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(400, message)
}

fn missing(message: impl Into<String>) -> ApiError {
    ApiError::new(422, message)
}

fn not_found(message: impl Into<String>) -> ApiError {
    ApiError::new(404, message)
}

type Outcome = Result<Reply, ApiError>;

/// A number the account can buy.
#[derive(Clone, Debug)]
pub(crate) struct InventoryNumber {
    number: String,
    country_iso: String,
    number_type: String,
}

impl InventoryNumber {
    pub(crate) fn new(
        number: impl Into<String>,
        country_iso: impl Into<String>,
        number_type: impl Into<String>,
    ) -> Self {
        Self {
            number: number.into(),
            country_iso: country_iso.into().to_ascii_uppercase(),
            number_type: number_type.into(),
        }
    }
}

struct Trunk {
    rec: TrunkRecord,
    created_at: String,
    updated_at: String,
}

struct Number {
    rec: NumberRecord,
    added_on: u64,
}

/// The account's resources.
pub(crate) struct State {
    auth_id: String,
    seq: u64,
    trunks: Vec<Trunk>,
    acls: Vec<IpAclRecord>,
    credentials: Vec<CredentialRecord>,
    uris: Vec<UriRecord>,
    numbers: Vec<Number>,
    inventory: Vec<InventoryNumber>,
    applications: Vec<String>,
    calls: Vec<CallRecord>,
    /// Objects the lists serve verbatim after the account's own (hand-made shapes).
    listed: Vec<(Listing, Value)>,
}

/// A JSON body field: absent, explicitly `null`, or set.
enum Field<T> {
    Absent,
    Null,
    Set(T),
}

impl<T> Field<T> {
    fn set(self) -> Option<T> {
        match self {
            Self::Set(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    fn is_set(&self) -> bool {
        matches!(self, Self::Set(_))
    }
}

fn parse_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(bad("the request body must be a JSON object")),
        Err(error) => Err(bad(format!("the request body is not valid JSON: {error}"))),
    }
}

fn string(body: &Map<String, Value>, key: &str) -> Result<Field<String>, ApiError> {
    match body.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::String(value)) => Ok(Field::Set(value.clone())),
        Some(other) => Err(bad(format!("{key} must be a string, got {other}"))),
    }
}

fn boolean(body: &Map<String, Value>, key: &str) -> Result<Field<bool>, ApiError> {
    match body.get(key) {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Null),
        Some(Value::Bool(value)) => Ok(Field::Set(*value)),
        Some(other) => Err(bad(format!("{key} must be true or false, got {other}"))),
    }
}

/// A known trunk direction; `None` for anything else.
fn known_direction(value: &str) -> Option<TrunkDirection> {
    match TrunkDirection::from(value) {
        TrunkDirection::Other(_) => None,
        known => Some(known),
    }
}

/// A known trunk status; `None` for anything else.
fn known_status(value: &str) -> Option<TrunkStatus> {
    match TrunkStatus::from(value) {
        TrunkStatus::Other(_) => None,
        known => Some(known),
    }
}

fn param<'q>(query: &'q Query, key: &str) -> Option<&'q str> {
    query
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn paging(query: &Query) -> Result<(usize, usize), ApiError> {
    let limit = match param(query, "limit") {
        None => MAX_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
            _ => {
                return Err(bad(format!(
                    "limit must be an integer from 1 to {MAX_LIMIT}, got {raw:?}"
                )));
            }
        },
    };
    let offset = match param(query, "offset") {
        None => 0,
        Some(raw) => raw.parse::<usize>().map_err(|_| {
            bad(format!(
                "offset must be a non-negative integer, got {raw:?}"
            ))
        })?,
    };
    Ok((limit, offset))
}

/// The list envelope; `link` is the list path the `next`/`previous` links are built on.
fn list_reply(ctx: &Ctx<'_>, objects: Vec<Value>, query: &Query, link: &str) -> Outcome {
    let (limit, offset) = paging(query)?;
    let total = objects.len();
    let page: Vec<Value> = objects.into_iter().skip(offset).take(limit).collect();
    let next = if offset + limit < total {
        json!(format!("{link}?limit={limit}&offset={}", offset + limit))
    } else {
        Value::Null
    };
    let previous = if offset > 0 {
        json!(format!(
            "{link}?limit={limit}&offset={}",
            offset.saturating_sub(limit)
        ))
    } else {
        Value::Null
    };
    Ok(Reply {
        status: 200,
        body: Some(json!({
            "api_id": ctx.api_id,
            "meta": {"limit": limit, "offset": offset, "total_count": total,
                     "previous": previous, "next": next},
            "objects": page,
        })),
    })
}

#[allow(clippy::unnecessary_wraps)]
fn ok(status: u16, body: Value) -> Outcome {
    Ok(Reply {
        status,
        body: Some(body),
    })
}

#[allow(clippy::unnecessary_wraps)]
fn no_content() -> Outcome {
    Ok(Reply {
        status: 204,
        body: None,
    })
}

fn valid_ip_or_cidr(value: &str) -> bool {
    match value.split_once('/') {
        None => value.parse::<IpAddr>().is_ok(),
        Some((addr, prefix)) => match (addr.parse::<IpAddr>(), prefix.parse::<u8>()) {
            (Ok(IpAddr::V4(_)), Ok(bits)) => bits <= 32,
            (Ok(IpAddr::V6(_)), Ok(bits)) => bits <= 128,
            _ => false,
        },
    }
}

fn ip_addresses(body: &Map<String, Value>) -> Result<Field<Vec<String>>, ApiError> {
    let items = match body.get("ip_addresses") {
        None => return Ok(Field::Absent),
        Some(Value::Null) => return Ok(Field::Null),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(bad(format!(
                "ip_addresses must be a list of strings, got {other}"
            )));
        }
    };
    if items.is_empty() {
        return Err(bad("ip_addresses must not be empty"));
    }
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::String(value) if valid_ip_or_cidr(value) => list.push(value.clone()),
            other => {
                return Err(bad(format!(
                    "ip_addresses: {other} is not an IP address or CIDR block"
                )));
            }
        }
    }
    Ok(Field::Set(list))
}

fn check_username(username: &str) -> Result<(), ApiError> {
    if (5..=20).contains(&username.len()) && username.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(bad(format!(
            "username {username:?} must be 5 to 20 letters or digits"
        )))
    }
}

/// Never echoes the password itself.
fn check_password(password: &str) -> Result<(), ApiError> {
    const SPECIAL: &[u8] = b"~!@#$%^&*()_+";
    let allowed = password
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || SPECIAL.contains(&b));
    let has_special = password.bytes().any(|b| SPECIAL.contains(&b));
    if (5..=20).contains(&password.len()) && allowed && has_special {
        Ok(())
    } else {
        Err(bad(
            "password must be 5 to 20 characters from letters, digits and ~!@#$%^&*()_+, \
             with at least one of ~!@#$%^&*()_+",
        ))
    }
}

fn check_uri(uri: &str) -> Result<(), ApiError> {
    if uri.is_empty() || uri.chars().any(char::is_whitespace) {
        Err(bad(format!(
            "uri {uri:?} must be a host, host:port or sip:user@host"
        )))
    } else {
        Ok(())
    }
}

fn country_of(digits: &str) -> &'static str {
    const CODES: &[(&str, &str)] = &[
        ("1", "US"),
        ("44", "GB"),
        ("49", "DE"),
        ("33", "FR"),
        ("61", "AU"),
        ("91", "IN"),
        ("55", "BR"),
        ("65", "SG"),
    ];
    CODES
        .iter()
        .find(|(code, _)| digits.starts_with(code))
        .map_or("XX", |(_, iso)| iso)
}

fn dial_code(country_iso: &str) -> &'static str {
    match country_iso {
        "US" | "CA" => "1",
        "GB" => "44",
        "DE" => "49",
        "FR" => "33",
        "AU" => "61",
        "IN" => "91",
        "BR" => "55",
        "SG" => "65",
        _ => "",
    }
}

fn country_name(country_iso: &str) -> &str {
    match country_iso {
        "US" => "United States",
        "GB" => "United Kingdom",
        other => other,
    }
}

fn number_type_of(digits: &str) -> &'static str {
    const TOLL_FREE: &[&str] = &["1800", "1833", "1844", "1855", "1866", "1877", "1888"];
    if TOLL_FREE.iter().any(|prefix| digits.starts_with(prefix)) {
        "tollfree"
    } else {
        "local"
    }
}

fn services_match(query: &Query) -> Result<bool, ApiError> {
    let Some(services) = param(query, "services") else {
        return Ok(true);
    };
    let mut wants_mms = false;
    for service in services.split(',') {
        match service.trim() {
            "voice" | "sms" => {}
            "mms" => wants_mms = true,
            other => {
                return Err(bad(format!(
                    "services must be voice, sms, mms or a comma-separated mix, got {other:?}"
                )));
            }
        }
    }
    // Every sandbox number has voice and SMS, none has MMS.
    Ok(!wants_mms)
}

impl State {
    pub(crate) fn new(auth_id: String, applications: Vec<String>) -> Self {
        Self {
            auth_id,
            seq: 0,
            trunks: Vec::new(),
            acls: Vec::new(),
            credentials: Vec::new(),
            uris: Vec::new(),
            numbers: Vec::new(),
            inventory: Vec::new(),
            applications,
            calls: Vec::new(),
            listed: Vec::new(),
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn uuid(&mut self, kind: u32) -> String {
        let seq = self.next_seq();
        format!("{kind:08x}-5a4d-4b0c-8d1e-{seq:012x}")
    }

    pub(crate) fn add_inventory(&mut self, item: InventoryNumber) -> Result<(), SandboxError> {
        if self.inventory.iter().any(|n| n.number == item.number)
            || self.numbers.iter().any(|n| n.rec.number == item.number)
        {
            return Err(SandboxError::DuplicateNumber {
                number: item.number,
            });
        }
        self.inventory.push(item);
        Ok(())
    }

    pub(crate) fn add_account_number(
        &mut self,
        digits: &str,
        now: u64,
    ) -> Result<(), SandboxError> {
        if self.numbers.iter().any(|n| n.rec.number == digits) {
            return Err(SandboxError::DuplicateNumber {
                number: digits.to_owned(),
            });
        }
        let (country_iso, number_type) =
            match self.inventory.iter().position(|n| n.number == digits) {
                Some(index) => {
                    let item = self.inventory.remove(index);
                    (item.country_iso, item.number_type)
                }
                None => (
                    country_of(digits).to_owned(),
                    number_type_of(digits).to_owned(),
                ),
            };
        self.numbers.push(Number {
            rec: NumberRecord {
                number: digits.to_owned(),
                alias: None,
                app_id: None,
                application: None,
                number_type,
                country_iso,
            },
            added_on: now,
        });
        Ok(())
    }

    pub(crate) fn seed_call(&mut self, mut call: CallRecord) -> String {
        if call.call_uuid.is_empty() {
            call.call_uuid = self.uuid(0xca11_cd12);
        }
        for number in [&mut call.from_number, &mut call.to_number] {
            if !number.starts_with('+') {
                number.insert(0, '+');
            }
        }
        let uuid = call.call_uuid.clone();
        self.calls.push(call);
        uuid
    }

    pub(crate) fn seed_listed(&mut self, listing: Listing, object: Value) {
        self.listed.push((listing, object));
    }

    /// The verbatim objects seeded for `listing`.
    fn listed(&self, listing: Listing) -> impl Iterator<Item = Value> + '_ {
        self.listed
            .iter()
            .filter(move |(l, _)| *l == listing)
            .map(|(_, v)| v.clone())
    }

    pub(crate) fn snapshot(&self) -> SandboxState {
        SandboxState {
            trunks: self.trunks.iter().map(|t| t.rec.clone()).collect(),
            ip_acls: self.acls.clone(),
            credentials: self.credentials.clone(),
            uris: self.uris.clone(),
            numbers: self.numbers.iter().map(|n| n.rec.clone()).collect(),
            calls: self.calls.clone(),
        }
    }

    /// Dispatches one authenticated request; `resource` is the path below `/v1/Account/{auth_id}/`,
    /// split on `/` without the trailing empty segment.
    pub(crate) fn handle(
        &mut self,
        ctx: &Ctx<'_>,
        method: &str,
        resource: &[&str],
        query: &Query,
        body: &[u8],
    ) -> Reply {
        let outcome = match resource {
            ["Zentrunk", kind, rest @ ..] => self.zentrunk(ctx, method, kind, rest, query, body),
            ["Number"] => self.list_numbers(ctx, method, query),
            ["Number", number] => self.number(ctx, method, number, body),
            ["PhoneNumber"] => self.search_inventory(ctx, method, query),
            ["PhoneNumber", number] => self.buy(ctx, method, number, body),
            _ => Err(not_found("not found")),
        };
        outcome.unwrap_or_else(|error| error.into_reply(ctx.api_id))
    }

    fn zentrunk(
        &mut self,
        ctx: &Ctx<'_>,
        method: &str,
        kind: &str,
        rest: &[&str],
        query: &Query,
        body: &[u8],
    ) -> Outcome {
        match (kind, rest, method) {
            ("Trunk", [], "GET") => self.list_trunks(ctx, query),
            ("Trunk", [], "POST") => self.create_trunk(ctx, &parse_body(body)?),
            ("Trunk", [id], "GET") => self.get_trunk(ctx, id),
            ("Trunk", [id], "POST") => self.update_trunk(ctx, id, &parse_body(body)?),
            ("Trunk", [id], "DELETE") => self.delete_trunk(id),
            ("IPAccessControlList", [], "GET") => self.list_acls(ctx, query),
            ("IPAccessControlList", [], "POST") => self.create_acl(ctx, &parse_body(body)?),
            ("IPAccessControlList", [id], "GET") => self.get_acl(ctx, id),
            ("IPAccessControlList", [id], "POST") => self.update_acl(ctx, id, &parse_body(body)?),
            ("IPAccessControlList", [id], "DELETE") => self.delete_acl(id),
            ("Credential", [], "GET") => self.list_credentials(ctx, query),
            ("Credential", [], "POST") => self.create_credential(ctx, &parse_body(body)?),
            ("Credential", [id], "GET") => self.get_credential(ctx, id),
            ("Credential", [id], "POST") => self.update_credential(ctx, id, &parse_body(body)?),
            ("Credential", [id], "DELETE") => self.delete_credential(id),
            ("URI", [], "GET") => self.list_uris(ctx, query),
            ("URI", [], "POST") => self.create_uri(ctx, &parse_body(body)?),
            ("URI", [id], "GET") => self.get_uri(ctx, id),
            ("URI", [id], "POST") => self.update_uri(ctx, id, &parse_body(body)?),
            ("URI", [id], "DELETE") => self.delete_uri(id),
            ("Call", [], "GET") => self.list_calls(ctx, query),
            ("Call", [id], "GET") => self.get_call(id),
            ("Trunk" | "IPAccessControlList" | "Credential" | "URI" | "Call", [] | [_], _) => Err(
                ApiError::new(405, format!("method {method} is not allowed here")),
            ),
            _ => Err(not_found("not found")),
        }
    }
}
