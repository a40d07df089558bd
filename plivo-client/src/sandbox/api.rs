//! The emulated API: the account's state and one handler per endpoint, free of any HTTP plumbing.

use std::net::IpAddr;

use secrecy::SecretString;
use serde_json::{Map, Value, json};

use super::model::{
    self, CallRecord, CredentialRecord, IpAclRecord, NumberRecord, SandboxState, TrunkDirection,
    TrunkRecord, TrunkStatus, UriRecord,
};
use super::{SandboxError, TrunkGetShape};

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

    // ---- Trunk ----

    fn trunk_json(trunk: &Trunk) -> Value {
        let rec = &trunk.rec;
        json!({
            "trunk_id": rec.trunk_id,
            "name": rec.name,
            "trunk_status": rec.trunk_status.as_str(),
            "secure": rec.secure,
            "trunk_domain": rec.trunk_domain,
            "trunk_direction": rec.trunk_direction.as_str(),
            "ipacl_uuid": rec.ipacl_uuid,
            "credential_uuid": rec.credential_uuid,
            "primary_uri_uuid": rec.primary_uri_uuid,
            "fallback_uri_uuid": rec.fallback_uri_uuid,
            "created_at": trunk.created_at,
            "updated_at": trunk.updated_at,
        })
    }

    fn trunk_index(&self, id: &str) -> Result<usize, ApiError> {
        self.trunks
            .iter()
            .position(|t| t.rec.trunk_id == id)
            .ok_or_else(|| not_found(format!("trunk {id} not found")))
    }

    fn list_trunks(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let status = param(query, "trunk_status")
            .map(|v| {
                TrunkStatus::parse(v).ok_or_else(|| {
                    bad(format!(
                        "trunk_status must be enabled or disabled, got {v:?}"
                    ))
                })
            })
            .transpose()?;
        let direction = param(query, "trunk_direction")
            .map(|v| {
                TrunkDirection::parse(v).ok_or_else(|| {
                    bad(format!(
                        "trunk_direction must be inbound or outbound, got {v:?}"
                    ))
                })
            })
            .transpose()?;
        let secure = param(query, "secure")
            .map(|v| match v {
                "true" | "True" => Ok(true),
                "false" | "False" => Ok(false),
                _ => Err(bad(format!("secure must be true or false, got {v:?}"))),
            })
            .transpose()?;
        let link = |key: &str, value: Option<&String>| {
            param(query, key).is_none_or(|wanted| value.is_some_and(|v| v == wanted))
        };
        let objects = self
            .trunks
            .iter()
            .filter(|t| {
                let r = &t.rec;
                status.is_none_or(|s| s == r.trunk_status)
                    && direction.is_none_or(|d| d == r.trunk_direction)
                    && secure.is_none_or(|s| s == r.secure)
                    && link("ipacl_uuid", r.ipacl_uuid.as_ref())
                    && link("credential_uuid", r.credential_uuid.as_ref())
                    && link("primary_uri_uuid", r.primary_uri_uuid.as_ref())
                    && link("fallback_uri_uuid", r.fallback_uri_uuid.as_ref())
            })
            .map(Self::trunk_json)
            .collect();
        let link = format!("v1/Account/{}/Zentrunk/Trunk/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    fn get_trunk(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
        let trunk = &self.trunks[self.trunk_index(id)?];
        let object = Self::trunk_json(trunk);
        match ctx.trunk_get_shape {
            TrunkGetShape::Nested => ok(200, json!({"api_id": ctx.api_id, "object": object})),
            TrunkGetShape::Flat => {
                let mut flat = Map::new();
                flat.insert("api_id".to_owned(), json!(ctx.api_id));
                if let Value::Object(fields) = object {
                    flat.extend(fields);
                }
                ok(200, Value::Object(flat))
            }
        }
    }

    /// A link field of a trunk body; a set value must name an existing resource.
    fn trunk_link(
        &self,
        body: &Map<String, Value>,
        key: &str,
    ) -> Result<Field<Option<String>>, ApiError> {
        match string(body, key)? {
            Field::Absent => Ok(Field::Absent),
            Field::Null => Ok(Field::Set(None)),
            Field::Set(value) if value.is_empty() => Ok(Field::Set(None)),
            Field::Set(value) => {
                let exists = match key {
                    "ipacl_uuid" => self.acls.iter().any(|a| a.ipacl_uuid == value),
                    "credential_uuid" => {
                        self.credentials.iter().any(|c| c.credential_uuid == value)
                    }
                    _ => self.uris.iter().any(|u| u.uri_uuid == value),
                };
                if exists {
                    Ok(Field::Set(Some(value)))
                } else {
                    Err(bad(format!("{key} {value} does not exist")))
                }
            }
        }
    }

    /// Direction rules; `missing_status` is 422 on create and 400 on update.
    fn check_trunk(rec: &TrunkRecord, missing_status: u16) -> Result<(), ApiError> {
        match rec.trunk_direction {
            TrunkDirection::Outbound => {
                if rec.primary_uri_uuid.is_some() || rec.fallback_uri_uuid.is_some() {
                    return Err(bad(
                        "primary_uri_uuid and fallback_uri_uuid apply to inbound trunks only",
                    ));
                }
                if rec.ipacl_uuid.is_none() && rec.credential_uuid.is_none() {
                    // The real API does not say which parameter is missing either.
                    return Err(ApiError::new(
                        missing_status,
                        "missing authentication parameters",
                    ));
                }
            }
            TrunkDirection::Inbound => {
                if rec.ipacl_uuid.is_some() || rec.credential_uuid.is_some() {
                    return Err(bad(
                        "ipacl_uuid and credential_uuid apply to outbound trunks only",
                    ));
                }
                if rec.primary_uri_uuid.is_none() {
                    return Err(ApiError::new(
                        missing_status,
                        "primary_uri_uuid is required for an inbound trunk",
                    ));
                }
            }
        }
        Ok(())
    }

    fn direction(body: &Map<String, Value>) -> Result<Option<TrunkDirection>, ApiError> {
        match string(body, "trunk_direction")?.set() {
            None => Ok(None),
            Some(value) => TrunkDirection::parse(&value).map(Some).ok_or_else(|| {
                bad(format!(
                    "trunk_direction must be inbound or outbound, got {value:?}"
                ))
            }),
        }
    }

    fn status(body: &Map<String, Value>) -> Result<Option<TrunkStatus>, ApiError> {
        match string(body, "trunk_status")?.set() {
            None => Ok(None),
            Some(value) => TrunkStatus::parse(&value).map(Some).ok_or_else(|| {
                bad(format!(
                    "trunk_status must be enabled or disabled, got {value:?}"
                ))
            }),
        }
    }

    fn apply_links(
        &self,
        rec: &mut TrunkRecord,
        body: &Map<String, Value>,
    ) -> Result<(), ApiError> {
        if let Field::Set(v) = self.trunk_link(body, "ipacl_uuid")? {
            rec.ipacl_uuid = v;
        }
        if let Field::Set(v) = self.trunk_link(body, "credential_uuid")? {
            rec.credential_uuid = v;
        }
        if let Field::Set(v) = self.trunk_link(body, "primary_uri_uuid")? {
            rec.primary_uri_uuid = v;
        }
        if let Field::Set(v) = self.trunk_link(body, "fallback_uri_uuid")? {
            rec.fallback_uri_uuid = v;
        }
        Ok(())
    }

    fn create_trunk(&mut self, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Outcome {
        let direction =
            Self::direction(body)?.ok_or_else(|| missing("trunk_direction is required"))?;
        let trunk_status = Self::status(body)?.unwrap_or(TrunkStatus::Enabled);
        let secure = boolean(body, "secure")?.set().unwrap_or(false);
        let name = string(body, "name")?.set();
        let seq = self.next_seq();
        let trunk_id = (42_741_122_632_602_585_u64 + seq * 7_919_113).to_string();
        let mut rec = TrunkRecord {
            name: name.unwrap_or_else(|| format!("Trunk-{:06x}", (seq * 0x9e37_79b9) & 0xff_ffff)),
            trunk_domain: format!("{trunk_id}.zt.plivo.com"),
            trunk_id: trunk_id.clone(),
            trunk_status,
            trunk_direction: direction,
            secure,
            ipacl_uuid: None,
            credential_uuid: None,
            primary_uri_uuid: None,
            fallback_uri_uuid: None,
        };
        self.apply_links(&mut rec, body)?;
        Self::check_trunk(&rec, 422)?;
        let stamp = model::rfc3339(ctx.now);
        self.trunks.push(Trunk {
            rec,
            created_at: stamp.clone(),
            updated_at: stamp,
        });
        ok(
            201,
            json!({"api_id": ctx.api_id, "message": "Trunk created successfully.", "trunk_id": trunk_id}),
        )
    }

    fn update_trunk(&mut self, ctx: &Ctx<'_>, id: &str, body: &Map<String, Value>) -> Outcome {
        let index = self.trunk_index(id)?;
        let direction = Self::direction(body)?
            .ok_or_else(|| bad("trunk_direction is required when updating a trunk"))?;
        let mut rec = self.trunks[index].rec.clone();
        rec.trunk_direction = direction;
        if let Some(name) = string(body, "name")?.set() {
            rec.name = name;
        }
        if let Some(status) = Self::status(body)? {
            rec.trunk_status = status;
        }
        if let Some(secure) = boolean(body, "secure")?.set() {
            rec.secure = secure;
        }
        self.apply_links(&mut rec, body)?;
        Self::check_trunk(&rec, 400)?;
        let trunk = &mut self.trunks[index];
        trunk.rec = rec;
        trunk.updated_at = model::rfc3339(ctx.now);
        ok(
            202,
            json!({"api_id": ctx.api_id, "message": "Trunk updated successfully.", "trunk_id": id}),
        )
    }

    fn detach_numbers_of(&mut self, trunk_id: &str) {
        for number in &mut self.numbers {
            if number.rec.app_id.as_deref() == Some(trunk_id)
                && number
                    .rec
                    .application
                    .as_deref()
                    .is_some_and(|a| a.contains("/Zentrunk/Trunk/"))
            {
                number.rec.app_id = None;
                number.rec.application = None;
            }
        }
    }

    fn delete_trunk(&mut self, id: &str) -> Outcome {
        let index = self.trunk_index(id)?;
        self.trunks.remove(index);
        self.detach_numbers_of(id);
        no_content()
    }

    // ---- IPAccessControlList ----

    fn acl_json(acl: &IpAclRecord) -> Value {
        json!({"ipacl_uuid": acl.ipacl_uuid, "name": acl.name, "ip_addresses": acl.ip_addresses})
    }

    fn acl_index(&self, id: &str) -> Result<usize, ApiError> {
        self.acls
            .iter()
            .position(|a| a.ipacl_uuid == id)
            .ok_or_else(|| not_found(format!("IP access control list {id} not found")))
    }

    fn list_acls(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let objects = self.acls.iter().map(Self::acl_json).collect();
        let link = format!("v1/Account/{}/Zentrunk/IPAccessControlList/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    fn get_acl(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
        let mut body = Self::acl_json(&self.acls[self.acl_index(id)?]);
        body["api_id"] = json!(ctx.api_id);
        ok(200, body)
    }

    fn create_acl(&mut self, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Outcome {
        let ip_addresses = ip_addresses(body)?
            .set()
            .ok_or_else(|| missing("ip_addresses is required"))?;
        let name = string(body, "name")?.set();
        let ipacl_uuid = self.uuid(0x1ac1_0000);
        self.acls.push(IpAclRecord {
            ipacl_uuid: ipacl_uuid.clone(),
            name,
            ip_addresses,
        });
        ok(
            201,
            json!({"api_id": ctx.api_id,
                   "message": "IP access control list created successfully.",
                   "ipacl_uuid": ipacl_uuid}),
        )
    }

    fn update_acl(&mut self, ctx: &Ctx<'_>, id: &str, body: &Map<String, Value>) -> Outcome {
        let index = self.acl_index(id)?;
        let ip_list = ip_addresses(body)?;
        let name = string(body, "name")?;
        let acl = &mut self.acls[index];
        if let Field::Set(list) = ip_list {
            acl.ip_addresses = list;
        }
        match name {
            Field::Set(name) => acl.name = Some(name),
            Field::Null => acl.name = None,
            Field::Absent => {}
        }
        ok(
            202,
            json!({"api_id": ctx.api_id,
                   "message": "IP access control list updated successfully.",
                   "ipacl_uuid": id}),
        )
    }

    fn delete_acl(&mut self, id: &str) -> Outcome {
        // Trunks keep the dangling reference: the real API lets the delete break their authentication.
        let index = self.acl_index(id)?;
        self.acls.remove(index);
        no_content()
    }

    // ---- Credential ----

    fn credential_json(credential: &CredentialRecord) -> Value {
        json!({"credential_uuid": credential.credential_uuid, "name": credential.name,
               "username": credential.username})
    }

    fn credential_index(&self, id: &str) -> Result<usize, ApiError> {
        self.credentials
            .iter()
            .position(|c| c.credential_uuid == id)
            .ok_or_else(|| not_found(format!("credential {id} not found")))
    }

    fn list_credentials(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let objects = self.credentials.iter().map(Self::credential_json).collect();
        let link = format!("v1/Account/{}/Zentrunk/Credential/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    fn get_credential(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
        let mut body = Self::credential_json(&self.credentials[self.credential_index(id)?]);
        body["api_id"] = json!(ctx.api_id);
        ok(200, body)
    }

    fn create_credential(&mut self, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Outcome {
        let username = string(body, "username")?.set();
        let password = string(body, "password")?.set();
        let (Some(username), Some(password)) = (username, password) else {
            return Err(missing("username and password are required"));
        };
        check_username(&username)?;
        check_password(&password)?;
        let name = string(body, "name")?.set();
        let credential_uuid = self.uuid(0xc4ed_0000);
        self.credentials.push(CredentialRecord {
            credential_uuid: credential_uuid.clone(),
            name,
            username,
            password: Some(SecretString::from(password)),
        });
        ok(
            201,
            json!({"api_id": ctx.api_id, "message": "credential created successfully.",
                   "credential_uuid": credential_uuid}),
        )
    }

    fn update_credential(&mut self, ctx: &Ctx<'_>, id: &str, body: &Map<String, Value>) -> Outcome {
        let index = self.credential_index(id)?;
        let username = string(body, "username")?.set();
        if let Some(username) = &username {
            check_username(username)?;
        }
        let password = string(body, "password")?.set();
        if let Some(password) = &password {
            check_password(password)?;
        }
        let name = string(body, "name")?;
        let credential = &mut self.credentials[index];
        if let Some(username) = username {
            credential.username = username;
        }
        match name {
            Field::Set(name) => credential.name = Some(name),
            Field::Null => credential.name = None,
            Field::Absent => {}
        }
        // The real API rewrites the password on every update: no password means a blank one.
        credential.password = password.map(SecretString::from);
        ok(
            202,
            json!({"api_id": ctx.api_id, "message": "Credential updated successfully.",
                   "credential_uuid": id}),
        )
    }

    fn delete_credential(&mut self, id: &str) -> Outcome {
        let index = self.credential_index(id)?;
        self.credentials.remove(index);
        no_content()
    }

    // ---- URI ----

    fn uri_json(uri: &UriRecord) -> Value {
        json!({"uri_uuid": uri.uri_uuid, "name": uri.name, "uri": uri.uri,
               "authentication_needed": uri.authentication_needed, "username": uri.username})
    }

    fn uri_index(&self, id: &str) -> Result<usize, ApiError> {
        self.uris
            .iter()
            .position(|u| u.uri_uuid == id)
            .ok_or_else(|| not_found(format!("origination uri {id} not found")))
    }

    fn list_uris(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let objects = self.uris.iter().map(Self::uri_json).collect();
        let link = format!("v1/Account/{}/Zentrunk/URI/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    fn get_uri(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
        let mut body = Self::uri_json(&self.uris[self.uri_index(id)?]);
        body["api_id"] = json!(ctx.api_id);
        // Undocumented key the real GET carries.
        body["sip_user"] = Value::Null;
        ok(200, body)
    }

    fn create_uri(&mut self, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Outcome {
        let uri = string(body, "uri")?
            .set()
            .ok_or_else(|| missing("uri is required"))?;
        check_uri(&uri)?;
        let authentication_needed = boolean(body, "authentication_needed")?
            .set()
            .unwrap_or(false);
        let username = string(body, "username")?.set();
        let password = string(body, "password")?.set();
        if authentication_needed && (username.is_none() || password.is_none()) {
            return Err(missing(
                "username and password are required when authentication_needed is true",
            ));
        }
        let name = string(body, "name")?.set();
        let uri_uuid = self.uuid(0x0a1e_0000);
        self.uris.push(UriRecord {
            uri_uuid: uri_uuid.clone(),
            name,
            uri,
            authentication_needed,
            username,
            password: password.map(SecretString::from),
        });
        ok(
            201,
            json!({"api_id": ctx.api_id, "message": "Origination URI created successfully.",
                   "uri_uuid": uri_uuid}),
        )
    }

    fn update_uri(&mut self, ctx: &Ctx<'_>, id: &str, body: &Map<String, Value>) -> Outcome {
        let index = self.uri_index(id)?;
        let auth = boolean(body, "authentication_needed")?;
        let username = string(body, "username")?;
        let password = string(body, "password")?;
        if password.is_set() && !(auth.is_set() && username.is_set()) {
            return Err(bad(
                "a password change must also send authentication_needed and username",
            ));
        }
        let mut uri = self.uris[index].clone();
        if let Some(value) = string(body, "uri")?.set() {
            check_uri(&value)?;
            uri.uri = value;
        }
        match string(body, "name")? {
            Field::Set(name) => uri.name = Some(name),
            Field::Null => uri.name = None,
            Field::Absent => {}
        }
        match username {
            Field::Set(value) => uri.username = Some(value),
            Field::Null => uri.username = None,
            Field::Absent => {}
        }
        match password {
            Field::Set(value) => uri.password = Some(SecretString::from(value)),
            Field::Null => uri.password = None,
            Field::Absent => {}
        }
        if let Field::Set(needed) = auth {
            uri.authentication_needed = needed;
            if !needed {
                uri.username = None;
                uri.password = None;
            }
        }
        if uri.authentication_needed && (uri.username.is_none() || uri.password.is_none()) {
            return Err(bad(
                "username and password are required when authentication_needed is true",
            ));
        }
        self.uris[index] = uri;
        ok(
            202,
            json!({"api_id": ctx.api_id, "message": "origination uri updated successfully.",
                   "uri_uuid": id}),
        )
    }

    fn delete_uri(&mut self, id: &str) -> Outcome {
        let index = self.uri_index(id)?;
        self.uris.remove(index);
        // Deleting a URI deletes every trunk that uses it (and so detaches their numbers).
        let doomed: Vec<String> = self
            .trunks
            .iter()
            .filter(|t| {
                t.rec.primary_uri_uuid.as_deref() == Some(id)
                    || t.rec.fallback_uri_uuid.as_deref() == Some(id)
            })
            .map(|t| t.rec.trunk_id.clone())
            .collect();
        self.trunks.retain(|t| !doomed.contains(&t.rec.trunk_id));
        for trunk_id in &doomed {
            self.detach_numbers_of(trunk_id);
        }
        no_content()
    }

    // ---- Call (CDRs) ----

    fn list_calls(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let filter = CdrFilter::parse(query)?;
        let mut calls: Vec<&CallRecord> = self.calls.iter().filter(|c| filter.matches(c)).collect();
        calls.sort_by(|a, b| b.end_time.cmp(&a.end_time));
        let objects = calls
            .into_iter()
            .map(|c| serde_json::to_value(c).unwrap_or(Value::Null))
            .collect();
        let link = format!("v1/Account/{}/Zentrunk/Call/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    fn get_call(&self, id: &str) -> Outcome {
        let call = self
            .calls
            .iter()
            .find(|c| c.call_uuid == id)
            .ok_or_else(|| not_found(format!("call {id} not found")))?;
        // Production answers the bare CDR: no `object` nesting and no api_id.
        ok(200, serde_json::to_value(call).unwrap_or(Value::Null))
    }

    // ---- Number ----

    fn number_json(&self, number: &Number) -> Value {
        let rec = &number.rec;
        json!({
            "added_on": model::date(number.added_on),
            "active": true,
            "alias": rec.alias,
            "application": rec.application,
            "carrier": "Plivo",
            "city": Value::Null,
            "cnam_lookup": "disabled",
            "country": country_name(&rec.country_iso),
            "compliance_application_id": Value::Null,
            "compliance_status": Value::Null,
            "monthly_rental_rate": "0.80000",
            "number": rec.number,
            "number_type": rec.number_type,
            "region": country_name(&rec.country_iso),
            "renewal_date": model::date(number.added_on + 30 * 86_400),
            "resource_uri": format!("/v1/Account/{}/Number/{}/", self.auth_id, rec.number),
            "sms_enabled": true,
            "sms_rate": "0.00000",
            "mms_enabled": false,
            "mms_rate": "0.00000",
            "sub_account": Value::Null,
            "voice_enabled": true,
            "voice_rate": "0.00850",
        })
    }

    fn list_numbers(&self, ctx: &Ctx<'_>, method: &str, query: &Query) -> Outcome {
        if method != "GET" {
            return Err(ApiError::new(
                405,
                format!("method {method} is not allowed here"),
            ));
        }
        let wanted_type = param(query, "type");
        let starts = param(query, "number_startswith");
        let alias = param(query, "alias");
        let services = services_match(query)?;
        let objects = self
            .numbers
            .iter()
            .filter(|n| {
                services
                    && wanted_type.is_none_or(|t| t == n.rec.number_type)
                    && starts.is_none_or(|s| n.rec.number.starts_with(s))
                    && alias.is_none_or(|a| n.rec.alias.as_deref() == Some(a))
            })
            .map(|n| self.number_json(n))
            .collect();
        let link = format!("/v1/Account/{}/Number/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    /// Resolves an `app_id` to (`app_id`, `application` path); `None` detaches.
    fn application_for(&self, app_id: Field<String>) -> Result<Option<(String, String)>, ApiError> {
        let app_id = match app_id {
            Field::Set(id) if !id.is_empty() => id,
            _ => return Ok(None),
        };
        if self.trunks.iter().any(|t| t.rec.trunk_id == app_id) {
            // Any trunk is accepted, even an outbound one (the number then stops answering).
            let path = format!("/v1/Account/{}/Zentrunk/Trunk/{app_id}/", self.auth_id);
            Ok(Some((app_id, path)))
        } else if self.applications.contains(&app_id) {
            let path = format!("/v1/Account/{}/Application/{app_id}/", self.auth_id);
            Ok(Some((app_id, path)))
        } else {
            Err(bad(format!(
                "app_id {app_id} is neither an application nor a trunk of this account"
            )))
        }
    }

    fn number(&mut self, ctx: &Ctx<'_>, method: &str, number: &str, body: &[u8]) -> Outcome {
        let index = self
            .numbers
            .iter()
            .position(|n| n.rec.number == number)
            .ok_or_else(|| not_found(format!("number {number} not found on this account")));
        match method {
            "GET" => {
                let mut object = self.number_json(&self.numbers[index?]);
                object["api_id"] = json!(ctx.api_id);
                ok(200, object)
            }
            "POST" => {
                let index = index?;
                let body = parse_body(body)?;
                let app_id = string(&body, "app_id")?;
                let alias = string(&body, "alias")?;
                let touch_app = !matches!(app_id, Field::Absent);
                let application = self.application_for(app_id)?;
                let rec = &mut self.numbers[index].rec;
                if touch_app {
                    (rec.app_id, rec.application) = application.unzip();
                }
                match alias {
                    Field::Set(alias) => rec.alias = Some(alias),
                    Field::Null => rec.alias = None,
                    Field::Absent => {}
                }
                ok(202, json!({"message": "changed", "api_id": ctx.api_id}))
            }
            "DELETE" => {
                self.numbers.remove(index?);
                no_content()
            }
            _ => Err(ApiError::new(
                405,
                format!("method {method} is not allowed here"),
            )),
        }
    }

    // ---- PhoneNumber (inventory) ----

    fn search_inventory(&self, ctx: &Ctx<'_>, method: &str, query: &Query) -> Outcome {
        if method != "GET" {
            return Err(ApiError::new(
                405,
                format!("method {method} is not allowed here"),
            ));
        }
        let country = param(query, "country_iso")
            .filter(|c| !c.is_empty())
            .ok_or_else(|| bad("country_iso is required"))?
            .to_ascii_uppercase();
        let wanted_type = param(query, "type");
        let pattern = param(query, "pattern");
        let services = services_match(query)?;
        let objects = self
            .inventory
            .iter()
            .filter(|n| {
                let national = n
                    .number
                    .strip_prefix(dial_code(&n.country_iso))
                    .unwrap_or(&n.number);
                services
                    && n.country_iso == country
                    && wanted_type.is_none_or(|t| t == n.number_type)
                    && pattern.is_none_or(|p| national.starts_with(p))
            })
            .map(|n| {
                let national = n
                    .number
                    .strip_prefix(dial_code(&n.country_iso))
                    .unwrap_or(&n.number);
                json!({
                    "country": country_name(&n.country_iso),
                    "lata": Value::Null,
                    "monthly_rental_rate": "0.80000",
                    "number": n.number,
                    "type": n.number_type,
                    "prefix": national.get(..3).unwrap_or(national),
                    "rate_center": Value::Null,
                    "region": country_name(&n.country_iso),
                    "resource_uri": format!("/v1/Account/{}/PhoneNumber/{}/", self.auth_id, n.number),
                    "restriction": Value::Null,
                    "restriction_text": Value::Null,
                    "setup_rate": "0.00000",
                    "sms_enabled": true,
                    "sms_rate": "0.00800",
                    "mms_enabled": false,
                    "mms_rate": "0.00000",
                    "voice_enabled": true,
                    "voice_rate": "0.00500",
                })
            })
            .collect();
        let link = format!("/v1/Account/{}/PhoneNumber/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    fn buy(&mut self, ctx: &Ctx<'_>, method: &str, number: &str, body: &[u8]) -> Outcome {
        if method != "POST" {
            return Err(ApiError::new(
                405,
                format!("method {method} is not allowed here"),
            ));
        }
        let body = parse_body(body)?;
        let index = self
            .inventory
            .iter()
            .position(|n| n.number == number)
            .ok_or_else(|| not_found(format!("number {number} is not available")))?;
        let application = self.application_for(string(&body, "app_id")?)?;
        let item = self.inventory.remove(index);
        let (app_id, application) = application.unzip();
        self.numbers.push(Number {
            rec: NumberRecord {
                number: item.number.clone(),
                alias: None,
                app_id,
                application,
                number_type: item.number_type,
                country_iso: item.country_iso,
            },
            added_on: ctx.now,
        });
        ok(
            201,
            json!({"api_id": ctx.api_id, "message": "created",
                   "numbers": [{"number": item.number, "status": "Success"}],
                   "status": "fulfilled"}),
        )
    }
}

/// `GET Zentrunk/Call/` filters.
struct CdrFilter<'q> {
    from: Option<&'q str>,
    to: Option<&'q str>,
    direction: Option<&'q str>,
    source: Option<&'q str>,
    stir: Option<&'q str>,
    code: Option<u32>,
    bill: Vec<(&'q str, u64)>,
    end: Vec<(&'q str, &'q str)>,
}

fn compare<T: Ord>(op: &str, value: &T, bound: &T) -> bool {
    match op {
        "__gt" => value > bound,
        "__gte" => value >= bound,
        "__lt" => value < bound,
        "__lte" => value <= bound,
        _ => value == bound,
    }
}

const COMPARISONS: [&str; 5] = ["", "__gt", "__gte", "__lt", "__lte"];

impl<'q> CdrFilter<'q> {
    fn parse(query: &'q Query) -> Result<Self, ApiError> {
        for (key, value) in query {
            if value.is_empty() {
                return Err(bad(format!("{key} must not be empty")));
            }
        }
        if param(query, "end_time__lte").is_some() && param(query, "end_time__gte").is_none() {
            return Err(bad("end_time__lte requires end_time__gte"));
        }
        let direction = param(query, "call_direction");
        if let Some(d) = direction.filter(|d| !matches!(*d, "inbound" | "outbound")) {
            return Err(bad(format!(
                "call_direction must be inbound or outbound, got {d:?}"
            )));
        }
        let source = param(query, "hangup_source");
        if let Some(s) = source.filter(|s| !matches!(*s, "customer" | "carrier" | "zentrunk")) {
            return Err(bad(format!(
                "hangup_source must be customer, carrier or zentrunk, got {s:?}"
            )));
        }
        let code = param(query, "hangup_cause_code")
            .map(|c| {
                c.parse::<u32>()
                    .map_err(|_| bad(format!("hangup_cause_code must be an integer, got {c:?}")))
            })
            .transpose()?;
        let mut bill = Vec::new();
        let mut end = Vec::new();
        for op in COMPARISONS {
            if let Some(raw) = param(query, &format!("bill_duration{op}")) {
                let seconds = raw.parse::<u64>().map_err(|_| {
                    bad(format!("bill_duration{op} must be an integer, got {raw:?}"))
                })?;
                bill.push((op, seconds));
            }
            if let Some(raw) = param(query, &format!("end_time{op}")) {
                end.push((op, raw));
            }
        }
        Ok(Self {
            from: param(query, "from_number"),
            to: param(query, "to_number"),
            direction,
            source,
            stir: param(query, "stir_verification"),
            code,
            bill,
            end,
        })
    }

    fn matches(&self, call: &CallRecord) -> bool {
        // The filter compares against the number without its `+`, so a `+` in the filter never matches.
        let bare = |n: &str| n.strip_prefix('+').unwrap_or(n).to_owned();
        self.from.is_none_or(|f| bare(&call.from_number) == f)
            && self.to.is_none_or(|t| bare(&call.to_number) == t)
            && self.direction.is_none_or(|d| d == call.call_direction)
            && self.source.is_none_or(|s| s == call.hangup_source)
            && self.stir.is_none_or(|s| s == call.stir_verification)
            && self.code.is_none_or(|c| c == call.hangup_cause_code)
            && self
                .bill
                .iter()
                .all(|(op, bound)| compare(op, &call.bill_duration, bound))
            && self
                .end
                .iter()
                .all(|(op, bound)| compare(op, &call.end_time.as_str(), bound))
    }
}
