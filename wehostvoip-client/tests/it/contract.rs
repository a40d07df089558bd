//! `openapi.yaml` read as data, and a check of recorded HTTP exchanges against it.
//!
//! Each exchange (what the `Http` backend sent and what the server answered) must match exactly one
//! path template, use a method that is an operation of it, carry path parameters, query and body
//! that the operation's schemas accept, and get a status the operation declares with a body its
//! schema accepts. OpenAPI 3.1 schemas are JSON Schema 2020-12: `boon` validates them, with the whole
//! contract registered under one URN and no loader for any URL scheme, so that every `$ref` resolves
//! inside the file and never over the network or from disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use boon::{Compiler, Draft, SchemaIndex, Schemas, SchemeUrlLoader, ValidationError};
use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// The contract, as the crate ships it.
pub const SPEC: &str = include_str!("../../openapi.yaml");

/// The URI the contract is registered under; `$ref`s resolve against it.
const BASE: &str = "urn:wehostvoip-client:openapi.yaml";

/// One request the client sent, and the answer it got when that was recorded too.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The path as sent, percent-encoded, with the server's base path (`/v1/carriers/plivo-acme`).
    pub path: String,
    /// The query string as sent, if any.
    pub query: Option<String>,
    /// Whether an `Authorization: Bearer ...` header was sent (the token itself is not kept).
    pub bearer: bool,
    /// The request's `Content-Type`.
    pub content_type: Option<String>,
    /// The request body (empty when none was sent).
    pub body: Vec<u8>,
    /// The answer, when it was recorded; `None` checks the request alone.
    pub response: Option<Answer>,
}

/// The server's answer in an [`Exchange`].
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// JSON body, if any (sent as `application/json`).
    pub body: Option<Value>,
}

impl Exchange {
    /// The request side of what a wiremock server received.
    pub fn request(req: &wiremock::Request) -> Self {
        let header = |name: &str| {
            req.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            method: req.method.as_str().to_owned(),
            path: req.url.path().to_owned(),
            query: req.url.query().map(str::to_owned),
            bearer: header("authorization").is_some_and(|v| v.starts_with("Bearer ")),
            content_type: header("content-type"),
            body: req.body.clone(),
            response: None,
        }
    }

    /// The same request with the answer it got.
    pub fn answered(mut self, status: u16, body: Option<Value>) -> Self {
        self.response = Some(Answer { status, body });
        self
    }

    fn label(&self) -> String {
        let mut s = format!("{} {}", self.method, self.path);
        if let Some(q) = &self.query {
            let _ = write!(s, "?{q}");
        }
        if let Some(a) = &self.response {
            let _ = write!(s, " -> {}", a.status);
        }
        s
    }
}

/// A schema of the contract, compiled into [`Contract`]'s `schemas`.
pub struct Schema {
    /// Where it sits in the file, as a JSON pointer (for messages).
    at: String,
    index: SchemaIndex,
}

/// The leaves of a validation error: `(instance location, what is wrong)`.
fn leaves(err: &ValidationError<'_, '_>, out: &mut Vec<(String, String)>) {
    if err.causes.is_empty() {
        out.push((err.instance_location.to_string(), err.kind.to_string()));
    }
    for cause in &err.causes {
        leaves(cause, out);
    }
}

impl Schema {
    /// Each way `value` breaks the schema, as `what at /path breaks the schema at ...: why`.
    pub fn check(&self, schemas: &Schemas, what: &str, value: &Value, faults: &mut Vec<String>) {
        let Err(err) = schemas.validate(value, self.index) else {
            return;
        };
        let mut found = Vec::new();
        leaves(&err, &mut found);
        for (path, why) in found {
            let path = if path.is_empty() {
                "/".to_owned()
            } else {
                path
            };
            faults.push(format!(
                "{what} at {path} breaks the schema at {}: {why}",
                self.at
            ));
        }
    }
}

/// A request or response body: its media types and their schemas.
struct Content {
    required: bool,
    media: BTreeMap<String, Option<Schema>>,
}

struct Parameter {
    required: bool,
    schema: Option<Schema>,
}

/// One operation of the contract.
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// Upper case.
    pub method: String,
    /// The path template, e.g. `/carriers/{carrier}`.
    pub template: String,
    path_params: BTreeMap<String, Parameter>,
    query_params: BTreeMap<String, Parameter>,
    request: Option<Content>,
    /// By status key (`"200"`, `"4XX"`, `"default"`); `None` content means no body.
    responses: BTreeMap<String, Option<Content>>,
    secured: bool,
}

enum Segment {
    Literal(String),
    Param(String),
}

/// The contract: its base path and its operations.
pub struct Contract {
    /// The path of the first server URL (`/v1`), which every request path starts with.
    pub base_path: String,
    /// Every operation, in file order.
    pub operations: Vec<Operation>,
    templates: Vec<(String, Vec<Segment>)>,
    /// Every schema the operations use, compiled.
    schemas: Schemas,
    /// `components/schemas`, by name.
    components: BTreeMap<String, Schema>,
}

/// YAML to JSON: mapping keys become strings (OpenAPI's keys are strings; an unquoted `200:` is
/// read as the string `"200"`), and anchors, aliases and tags are refused (the contract uses none).
fn to_json(y: &Yaml) -> Result<Value, String> {
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(s) => {
            let f: f64 = s.parse().map_err(|_| format!("unreadable number {s:?}"))?;
            serde_json::Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| format!("{s:?} has no JSON form"))?
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Yaml::Hash(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                if out.insert(key.clone(), to_json(v)?).is_some() {
                    return Err(format!("duplicate key {key:?}"));
                }
            }
            Value::Object(out)
        }
        Yaml::Alias(_) | Yaml::BadValue => return Err(format!("unsupported YAML node {y:?}")),
    })
}

/// A JSON pointer as a URI fragment (`{` and `}` of path templates percent-encoded).
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"/~-._".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Decodes one percent-encoded path segment.
pub fn decode_segment(segment: &str) -> Result<String, String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-encoding in path segment {segment:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("path segment {segment:?} is not UTF-8"))
}

/// Compiles the schemas of one contract document, registered under [`BASE`].
struct Loader<'a> {
    doc: &'a Value,
    compiler: Compiler,
    schemas: Schemas,
}

impl<'a> Loader<'a> {
    fn new(doc: &'a Value) -> Result<Self, String> {
        let mut compiler = Compiler::new();
        compiler.set_default_draft(Draft::V2020_12);
        compiler.enable_format_assertions();
        // A loader for no scheme at all: neither `https:` nor `file:` references are followed.
        compiler.use_loader(Box::new(SchemeUrlLoader::new()));
        compiler
            .add_resource(BASE, doc.clone())
            .map_err(|e| e.to_string())?;
        Ok(Self {
            doc,
            compiler,
            schemas: Schemas::new(),
        })
    }

    /// Follows an OpenAPI `$ref` (to a parameter, response, ...) inside the file.
    fn deref(&self, value: &'a Value, at: String) -> Result<(&'a Value, String), String> {
        let mut value = value;
        let mut at = at;
        for _ in 0..16 {
            let Some(r) = value.get("$ref").and_then(Value::as_str) else {
                return Ok((value, at));
            };
            let pointer = r
                .strip_prefix('#')
                .ok_or_else(|| format!("{at}: only local references are allowed, not {r:?}"))?;
            value = self
                .doc
                .pointer(pointer)
                .ok_or_else(|| format!("{at}: {r:?} points at nothing"))?;
            pointer.clone_into(&mut at);
        }
        Err(format!("{at}: reference loop"))
    }

    /// Compiles the schema found at `at`, a JSON pointer into the file.
    fn schema(&mut self, at: &str) -> Result<Schema, String> {
        let index = self
            .compiler
            .compile(&format!("{BASE}#{}", fragment(at)), &mut self.schemas)
            .map_err(|e| format!("schema at {at}: {e:#}"))?;
        Ok(Schema {
            at: at.to_owned(),
            index,
        })
    }

    fn content(&mut self, value: &Value, at: &str, required: bool) -> Result<Content, String> {
        let mut media = BTreeMap::new();
        if let Some(content) = value.get("content").and_then(Value::as_object) {
            for (kind, body) in content {
                let schema = match body.get("schema") {
                    Some(_) => Some(self.schema(&format!("{at}/content/{}/schema", escape(kind)))?),
                    None => None,
                };
                media.insert(kind.clone(), schema);
            }
        }
        Ok(Content { required, media })
    }

    fn parameters(
        &mut self,
        lists: &[(&'a Value, String)],
        path: &mut BTreeMap<String, Parameter>,
        query: &mut BTreeMap<String, Parameter>,
    ) -> Result<(), String> {
        for (list, at) in lists {
            let Some(list) = list.as_array() else {
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let (p, p_at) = self.deref(p, format!("{at}/{i}"))?;
                let name = p
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{p_at}: parameter without a name"))?;
                let schema = match p.get("schema") {
                    Some(_) => Some(self.schema(&format!("{p_at}/schema"))?),
                    None => None,
                };
                let required = p.get("required").and_then(Value::as_bool) == Some(true);
                let param = Parameter { required, schema };
                // Operation-level parameters come last and override path-level ones.
                match p.get("in").and_then(Value::as_str) {
                    Some("path") => {
                        path.insert(name.to_owned(), param);
                    }
                    Some("query") => {
                        query.insert(name.to_owned(), param);
                    }
                    Some("header" | "cookie") => {}
                    other => return Err(format!("{p_at}: parameter in {other:?}")),
                }
            }
        }
        Ok(())
    }

    /// One operation: `op` at `op_at`, of the path item `item` at `item_at` whose template has
    /// `segments`. Its method and template are left for the caller to fill in, and it counts as
    /// secured only when it says so itself.
    fn operation(
        &mut self,
        op: &'a Value,
        op_at: &str,
        (item, item_at): (&'a Value, &str),
        segments: &[Segment],
    ) -> Result<Operation, String> {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{op_at}: no operationId"))?
            .to_owned();
        let mut path_params = BTreeMap::new();
        let mut query_params = BTreeMap::new();
        self.parameters(
            &[
                (
                    item.get("parameters").unwrap_or(&Value::Null),
                    format!("{item_at}/parameters"),
                ),
                (
                    op.get("parameters").unwrap_or(&Value::Null),
                    format!("{op_at}/parameters"),
                ),
            ],
            &mut path_params,
            &mut query_params,
        )?;
        for s in segments {
            if let Segment::Param(name) = s
                && !path_params.contains_key(name)
            {
                return Err(format!("{op_at}: path parameter {name:?} not declared"));
            }
        }
        let request = match op.get("requestBody") {
            Some(body) => {
                let (body, body_at) = self.deref(body, format!("{op_at}/requestBody"))?;
                let required = body.get("required").and_then(Value::as_bool) == Some(true);
                Some(self.content(body, &body_at, required)?)
            }
            None => None,
        };
        let mut responses = BTreeMap::new();
        for (status, response) in op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{op_at}: no responses"))?
        {
            let (response, r_at) =
                self.deref(response, format!("{op_at}/responses/{}", escape(status)))?;
            let content = if response.get("content").is_some() {
                Some(self.content(response, &r_at, true)?)
            } else {
                None
            };
            responses.insert(status.clone(), content);
        }
        let secured = op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty());
        Ok(Operation {
            id,
            method: String::new(),
            template: String::new(),
            path_params,
            query_params,
            request,
            responses,
            secured,
        })
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Contract {
    /// The contract the crate ships.
    pub fn load() -> Self {
        Self::parse(SPEC).unwrap_or_else(|e| panic!("openapi.yaml: {e}"))
    }

    /// Reads a contract and compiles every schema it uses.
    ///
    /// # Errors
    /// A message naming the place in the file: unreadable YAML, a reference that leaves the file or
    /// points at nothing, a schema that does not compile, a path parameter that is not declared.
    pub fn parse(text: &str) -> Result<Self, String> {
        let docs = YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
        let [yaml] = docs.as_slice() else {
            return Err(format!("expected one YAML document, found {}", docs.len()));
        };
        let doc = to_json(yaml)?;
        let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("3.1.") {
            return Err(format!("openapi {version:?}: expected 3.1.x"));
        }
        let mut loader = Loader::new(&doc)?;
        let base_path = doc
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .and_then(|u| u.parse::<url::Url>().ok())
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .ok_or("servers[0].url is missing or not a URL")?;
        let secured_by_default = doc
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty());

        let mut operations = Vec::new();
        let mut templates = Vec::new();
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("no paths")?;
        for (template, item) in paths {
            let item_at = format!("/paths/{}", escape(template));
            let (item, item_at) = loader.deref(item, item_at)?;
            let segments: Vec<Segment> = template
                .strip_prefix('/')
                .ok_or_else(|| format!("{template}: must start with '/'"))?
                .split('/')
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Param(name.to_owned()),
                        None => Segment::Literal(s.to_owned()),
                    },
                )
                .collect();
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    let op_at = format!("{item_at}/{method}");
                    let mut operation =
                        loader.operation(op, &op_at, (item, &item_at), &segments)?;
                    operation.method = method.to_ascii_uppercase();
                    operation.template.clone_from(template);
                    if op.get("security").is_none() {
                        operation.secured = secured_by_default;
                    }
                    operations.push(operation);
                }
            }
            templates.push((template.clone(), segments));
        }
        let mut ids = BTreeSet::new();
        for op in &operations {
            if !ids.insert(&op.id) {
                return Err(format!("operationId {} is used twice", op.id));
            }
        }
        let mut components = BTreeMap::new();
        if let Some(names) = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for name in names.keys() {
                let schema = loader.schema(&format!("/components/schemas/{}", escape(name)))?;
                components.insert(name.clone(), schema);
            }
        }
        Ok(Self {
            base_path,
            operations,
            templates,
            schemas: loader.schemas,
            components,
        })
    }

    /// Each way `value` breaks `components/schemas/{name}`.
    ///
    /// # Panics
    /// When the contract has no such schema.
    pub fn check_component(&self, name: &str, value: &Value) -> Vec<String> {
        let schema = self
            .components
            .get(name)
            .unwrap_or_else(|| panic!("openapi.yaml has no schema {name}"));
        let mut faults = Vec::new();
        schema.check(&self.schemas, name, value, &mut faults);
        faults
    }

    /// Checks one exchange; on success, the operation it was.
    ///
    /// # Errors
    /// Every way the exchange breaks the contract, each in one line.
    pub fn check(&self, ex: &Exchange) -> Result<&Operation, Vec<String>> {
        let mut faults = Vec::new();
        let op = self.check_into(ex, &mut faults);
        match op {
            Some(op) if faults.is_empty() => Ok(op),
            _ => Err(faults
                .into_iter()
                .map(|f| format!("{}: {f}", ex.label()))
                .collect()),
        }
    }

    fn check_into(&self, ex: &Exchange, faults: &mut Vec<String>) -> Option<&Operation> {
        let Some(rest) = ex
            .path
            .strip_prefix(&self.base_path)
            .filter(|r| r.starts_with('/'))
        else {
            faults.push(format!("path is not under {}/", self.base_path));
            return None;
        };
        let segments: Vec<String> = match rest[1..].split('/').map(decode_segment).collect() {
            Ok(s) => s,
            Err(e) => {
                faults.push(e);
                return None;
            }
        };
        let matching: Vec<&(String, Vec<Segment>)> = self
            .templates
            .iter()
            .filter(|(_, t)| {
                t.len() == segments.len()
                    && t.iter().zip(&segments).all(|(t, s)| match t {
                        Segment::Literal(l) => l == s,
                        // A parameter is a whole, non-empty segment.
                        Segment::Param(_) => !s.is_empty(),
                    })
            })
            .collect();
        let (template, shape) = match matching.as_slice() {
            [one] => *one,
            [] => {
                faults.push("no path template of openapi.yaml matches".to_owned());
                return None;
            }
            many => {
                let names: Vec<&str> = many.iter().map(|(t, _)| t.as_str()).collect();
                faults.push(format!("ambiguous: matches {names:?}"));
                return None;
            }
        };
        let Some(op) = self
            .operations
            .iter()
            .find(|o| &o.template == template && o.method == ex.method)
        else {
            let methods: Vec<&str> = self
                .operations
                .iter()
                .filter(|o| &o.template == template)
                .map(|o| o.method.as_str())
                .collect();
            faults.push(format!(
                "{} is not an operation of {template} (it has {methods:?})",
                ex.method
            ));
            return None;
        };

        for (seg, value) in shape.iter().zip(&segments) {
            if let Segment::Param(name) = seg
                && let Some(schema) = op.path_params.get(name).and_then(|p| p.schema.as_ref())
            {
                schema.check(
                    &self.schemas,
                    &format!("path parameter {name} = {value:?}"),
                    &Value::String(value.clone()),
                    faults,
                );
            }
        }
        check_query(&self.schemas, op, ex, faults);
        if op.secured && !ex.bearer {
            faults.push("no bearer token, but the operation is secured".to_owned());
        }
        check_request_body(&self.schemas, op, ex, faults);
        if let Some(answer) = &ex.response {
            check_response(&self.schemas, op, answer, faults);
        }
        Some(op)
    }

    /// Operations no exchange in `seen` exercised.
    pub fn unexercised<'a>(&'a self, seen: &BTreeSet<&str>) -> Vec<&'a str> {
        self.operations
            .iter()
            .map(|o| o.id.as_str())
            .filter(|id| !seen.contains(id))
            .collect()
    }
}

fn check_query(schemas: &Schemas, op: &Operation, ex: &Exchange, faults: &mut Vec<String>) {
    let pairs: Vec<(String, String)> = ex
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    for (key, value) in &pairs {
        match op.query_params.get(key) {
            None => faults.push(format!("query parameter {key:?} is not declared")),
            Some(p) => {
                if let Some(schema) = &p.schema {
                    schema.check(
                        schemas,
                        &format!("query parameter {key} = {value:?}"),
                        &Value::String(value.clone()),
                        faults,
                    );
                }
            }
        }
    }
    for (name, p) in &op.query_params {
        if p.required && !pairs.iter().any(|(k, _)| k == name) {
            faults.push(format!("required query parameter {name:?} is missing"));
        }
    }
}

fn media_type(content_type: Option<&str>) -> Option<String> {
    content_type.map(|c| {
        c.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    })
}

fn check_request_body(schemas: &Schemas, op: &Operation, ex: &Exchange, faults: &mut Vec<String>) {
    let Some(content) = &op.request else {
        if !ex.body.is_empty() {
            faults.push(format!("a request body was sent, but {} takes none", op.id));
        }
        return;
    };
    if ex.body.is_empty() {
        if content.required {
            faults.push(format!("{} requires a request body, none was sent", op.id));
        }
        return;
    }
    let Some(kind) = media_type(ex.content_type.as_deref()) else {
        faults.push("a request body was sent without a Content-Type".to_owned());
        return;
    };
    let Some(schema) = content.media.get(&kind) else {
        let kinds: Vec<&String> = content.media.keys().collect();
        faults.push(format!(
            "request body is {kind}, the operation takes {kinds:?}"
        ));
        return;
    };
    match serde_json::from_slice::<Value>(&ex.body) {
        Ok(body) => {
            if let Some(schema) = schema {
                schema.check(schemas, "request body", &body, faults);
            }
        }
        Err(e) => faults.push(format!("request body is not JSON: {e}")),
    }
}

/// The response a status is declared by. Only an explicit code or range counts: `default` covers
/// what a deployment may answer besides the contract (401, 429, 5xx), so a status the tests' own
/// server of the contract gives must be declared by name.
fn declared(op: &Operation, status: u16) -> Option<&Option<Content>> {
    op.responses
        .get(&status.to_string())
        .or_else(|| op.responses.get(&format!("{}XX", status / 100)))
}

fn check_response(schemas: &Schemas, op: &Operation, answer: &Answer, faults: &mut Vec<String>) {
    let Some(response) = declared(op, answer.status) else {
        let codes: Vec<&String> = op.responses.keys().collect();
        faults.push(format!(
            "status {} is not declared by {} (it declares {codes:?})",
            answer.status, op.id
        ));
        return;
    };
    match (response, &answer.body) {
        (None, None) => {}
        (None, Some(_)) => faults.push(format!(
            "a body was answered, but {} {} declares none",
            op.id, answer.status
        )),
        (Some(content), None) => {
            if content.required && !content.media.is_empty() {
                faults.push(format!(
                    "no body was answered, but {} {} declares one",
                    op.id, answer.status
                ));
            }
        }
        (Some(content), Some(body)) => match content.media.get("application/json") {
            Some(Some(schema)) => schema.check(schemas, "response body", body, faults),
            Some(None) => {}
            None => faults.push(format!(
                "a JSON body was answered, but {} {} declares {:?}",
                op.id,
                answer.status,
                content.media.keys().collect::<Vec<_>>()
            )),
        },
    }
}

/// What a run of exchanges covered.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Exchanges checked.
    pub exchanges: usize,
    /// Statuses seen per operationId (requests checked alone count under 0).
    pub statuses: BTreeMap<String, BTreeSet<u16>>,
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} exchanges, {} operations:",
            self.exchanges,
            self.statuses.len()
        )?;
        for (id, statuses) in &self.statuses {
            writeln!(f, "  {id}: {statuses:?}")?;
        }
        Ok(())
    }
}

/// Checks every exchange and panics with all the faults found; with `every_operation`, also fails
/// naming each operation of the contract that no exchange exercised.
pub fn assert_conforms(exchanges: &[Exchange], every_operation: bool) -> Coverage {
    let contract = Contract::load();
    let mut faults = Vec::new();
    let mut coverage = Coverage {
        exchanges: exchanges.len(),
        ..Coverage::default()
    };
    for ex in exchanges {
        match contract.check(ex) {
            Ok(op) => {
                coverage
                    .statuses
                    .entry(op.id.clone())
                    .or_default()
                    .insert(ex.response.as_ref().map_or(0, |a| a.status));
            }
            Err(f) => faults.extend(f),
        }
    }
    assert!(
        faults.is_empty(),
        "{} disagreement(s) with openapi.yaml:\n{}",
        faults.len(),
        faults.join("\n")
    );
    if every_operation {
        let seen: BTreeSet<&str> = coverage.statuses.keys().map(String::as_str).collect();
        let missing = contract.unexercised(&seen);
        assert!(
            missing.is_empty(),
            "operations of openapi.yaml that no request exercised: {missing:?}"
        );
    }
    coverage
}

/// Checks every request a wiremock server received (the requests only: the tests that use this
/// answer with deliberate failures, such as an HTML 500 or a body the client cannot decode).
pub async fn assert_requests_conform(server: &wiremock::MockServer) {
    let received = server
        .received_requests()
        .await
        .expect("request recording is on");
    let exchanges: Vec<Exchange> = received.iter().map(Exchange::request).collect();
    assert_conforms(&exchanges, false);
}

fn exchange(method: &str, path: &str, body: Option<&Value>) -> Exchange {
    Exchange {
        method: method.to_owned(),
        path: path.to_owned(),
        query: None,
        bearer: true,
        content_type: body.map(|_| "application/json".to_owned()),
        body: body
            .map(|b| serde_json::to_vec(b).unwrap())
            .unwrap_or_default(),
        response: None,
    }
}

/// The faults of one exchange, in one string (empty when it conforms).
fn faults(contract: &Contract, ex: &Exchange) -> String {
    contract.check(ex).err().unwrap_or_default().join("\n")
}

#[test]
fn the_contract_reads_and_every_schema_compiles() {
    let contract = Contract::load();
    assert_eq!(contract.base_path, "/v1");
    assert!(
        contract.operations.iter().all(|o| o.secured),
        "every operation takes the bearer token"
    );
    assert!(SPEC.contains("WeHostVoIP publishes no API"));
    assert_eq!(
        contract.check_component("E164", &Value::from("+14155550100")),
        Vec::<String>::new()
    );
    let faults = contract.check_component("E164", &Value::from("14155550100"));
    assert!(
        faults[0].contains("E164 at / breaks the schema at /components/schemas/E164"),
        "{faults:?}"
    );
}

// One table of cases, each a line or two.
#[allow(clippy::too_many_lines)]
#[test]
fn the_check_refuses_what_the_contract_does_not_allow() {
    let c = Contract::load();
    let carrier = serde_json::json!({
        "name": "plivo-acme",
        "gateways": [{"name": "primary", "address": "21784177285.zt.plivo.com"}],
    });
    let ok = exchange("POST", "/v1/carriers", Some(&carrier)).answered(201, Some(carrier.clone()));
    assert_eq!(faults(&c, &ok), "");
    assert_eq!(c.check(&ok).unwrap().id, "createCarrier");
    let get = exchange("GET", "/v1/carriers/Plivo%20Zentrunk", None);
    assert_eq!(
        c.check(&get).unwrap().id,
        "getCarrier",
        "{}",
        faults(&c, &get)
    );

    let cases: Vec<(Exchange, &str)> = vec![
        (exchange("GET", "/carriers", None), "not under /v1/"),
        (exchange("GET", "/v1/trunks", None), "no path template"),
        (exchange("GET", "/v1/carriers/", None), "no path template"),
        (
            exchange("POST", "/v1/tenants", None),
            "not an operation of /tenants",
        ),
        (
            exchange("GET", "/v1/carriers/%20plivo", None),
            "path parameter carrier = \" plivo\"",
        ),
        (
            exchange("DELETE", "/v1/numbers/14155550100", None),
            "path parameter number",
        ),
        (
            exchange("GET", "/v1/tenants/ACME.example", None),
            "path parameter tenant = \"ACME.example\"",
        ),
        (
            exchange("GET", "/v1/carriers/a%ZZ", None),
            "bad percent-encoding",
        ),
        (
            Exchange {
                query: Some("limit=20".into()),
                ..exchange("GET", "/v1/carriers", None)
            },
            "query parameter \"limit\" is not declared",
        ),
        (
            Exchange {
                bearer: false,
                ..exchange("GET", "/v1/carriers", None)
            },
            "no bearer token",
        ),
        (
            exchange("POST", "/v1/carriers", None),
            "requires a request body",
        ),
        (
            exchange("DELETE", "/v1/carriers/plivo-acme", Some(&carrier)),
            "takes none",
        ),
        (
            Exchange {
                content_type: Some("text/plain".into()),
                ..exchange("POST", "/v1/carriers", Some(&carrier))
            },
            "request body is text/plain",
        ),
        (
            Exchange {
                body: b"{".to_vec(),
                ..exchange("POST", "/v1/carriers", Some(&carrier))
            },
            "not JSON",
        ),
        (
            exchange(
                "POST",
                "/v1/carriers",
                Some(&serde_json::json!({"name": "plivo-acme", "gateways": []})),
            ),
            "request body at /gateways breaks the schema",
        ),
        (
            exchange(
                "PUT",
                "/v1/carriers/plivo-acme/caller-id",
                Some(&serde_json::json!({"caller_id": "14155550100"})),
            ),
            "request body at /caller_id",
        ),
        (
            exchange("GET", "/v1/carriers/plivo-acme", None).answered(418, None),
            "status 418 is not declared by getCarrier",
        ),
        (
            exchange("GET", "/v1/carriers/plivo-acme", None)
                .answered(500, Some(serde_json::json!({"code": "boom"}))),
            "status 500 is not declared",
        ),
        (
            exchange("GET", "/v1/carriers/plivo-acme", None).answered(200, None),
            "no body was answered",
        ),
        (
            exchange("DELETE", "/v1/carriers/plivo-acme", None)
                .answered(204, Some(serde_json::json!({}))),
            "declares none",
        ),
        (
            exchange("GET", "/v1/carriers", None)
                .answered(200, Some(serde_json::json!({"items": [{"name": "x"}]}))),
            "response body at /items/0 breaks the schema",
        ),
        (
            exchange("GET", "/v1/carriers/x", None)
                .answered(404, Some(serde_json::json!({"message": "gone"}))),
            "response body at / breaks the schema at /components/responses/Error",
        ),
    ];
    for (ex, expected) in cases {
        let found = faults(&c, &ex);
        assert!(
            found.contains(expected),
            "{}: expected a fault with {expected:?}, got {found:?}",
            ex.label()
        );
    }
}

#[test]
fn references_never_leave_the_file() {
    let spec = |schema: &str| {
        format!(
            "openapi: 3.1.0\nservers: [{{url: 'https://x.example/v1'}}]\npaths:\n  /a:\n    get:\n      \
             operationId: a\n      responses:\n        '200':\n          description: ok\n          \
             content:\n            application/json:\n              schema: {schema}\n"
        )
    };
    assert!(Contract::parse(&spec("{type: object}")).is_ok());
    for schema in [
        "{$ref: 'https://json-schema.example/remote.json'}",
        "{$ref: 'other.yaml#/components/schemas/X'}",
        "{$ref: '#/components/schemas/Missing'}",
    ] {
        let err = Contract::parse(&spec(schema))
            .err()
            .unwrap_or_else(|| panic!("{schema} was accepted"));
        assert!(err.contains("/paths/~1a/get/responses/200"), "{err}");
    }
}

/// What the client's types accept (and so what the `Http` backend can send) the contract's schema
/// of the same name accepts: the recorded traffic holds a few values of each type, this holds the
/// rest of them.
mod values {
    use std::str::FromStr;
    use std::sync::LazyLock;

    use proptest::prelude::*;
    use serde::Serialize;
    use wehostvoip_client::{
        CountryCode, DialPrefix, DigitPrefix, E164, Error, Extension, HostPort, Name, Price,
        TenantDomain,
    };

    use super::Contract;

    static CONTRACT: LazyLock<Contract> = LazyLock::new(Contract::load);

    /// If `text` parses as a `T`, the wire form of the value satisfies `components/schemas/{schema}`.
    fn sent_value_conforms<T>(schema: &str, text: &str) -> Result<(), TestCaseError>
    where
        T: FromStr<Err = Error> + Serialize,
    {
        let Ok(value) = text.parse::<T>() else {
            return Ok(());
        };
        let wire = serde_json::to_value(&value).unwrap();
        let faults = CONTRACT.check_component(schema, &wire);
        prop_assert!(
            faults.is_empty(),
            "the client accepts {text:?}, openapi.yaml does not: {faults:?}"
        );
        Ok(())
    }

    proptest! {
        #[test]
        fn what_the_client_accepts_the_contract_accepts(
            any in "\\PC{0,24}",
            name in "[ a-zA-Z0-9./_\u{a0}\u{85}\u{feff}\u{2028}\u{7f}]{1,6}|\\PC{60,70}",
            digits in "\\+?[0-9]{0,17}",
            domain in "[a-zA-Z0-9.-]{1,12}|[a-z0-9]{60,66}\\.[a-z]{2,4}",
            host in "(\\[[0-9a-fA-F:.]{2,16}\\]|[a-zA-Z0-9.-]{1,16})(:[0-9]{1,7})?",
            country in "[A-Za-z]{2}",
            price in "[0-9]{1,4}(\\.[0-9]{0,5})?",
        ) {
            for text in [&any, &name] {
                sent_value_conforms::<Name>("Name", text)?;
            }
            for text in [&any, &digits] {
                sent_value_conforms::<E164>("E164", text)?;
                sent_value_conforms::<Extension>("Extension", text)?;
                sent_value_conforms::<DigitPrefix>("DigitPrefix", text)?;
                sent_value_conforms::<DialPrefix>("DialPrefix", text)?;
            }
            for text in [&any, &domain, &host] {
                sent_value_conforms::<TenantDomain>("TenantDomain", text)?;
                sent_value_conforms::<HostPort>("HostPort", text)?;
            }
            for text in [&any, &country] {
                sent_value_conforms::<CountryCode>("CountryCode", text)?;
            }
            for text in [&any, &price] {
                sent_value_conforms::<Price>("Price", text)?;
            }
        }
    }
}
