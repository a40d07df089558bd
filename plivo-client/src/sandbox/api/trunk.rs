//! Zentrunk trunks: `Zentrunk/Trunk/`.

use super::{
    ApiError, Ctx, Field, Listing, Map, Outcome, Query, State, Trunk, TrunkDirection,
    TrunkGetShape, TrunkRecord, TrunkStatus, Value, bad, boolean, json, known_direction,
    known_status, list_reply, missing, model, no_content, not_found, ok, param, string,
};

impl State {
    pub(super) fn trunk_json(trunk: &Trunk) -> Value {
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

    pub(super) fn trunk_index(&self, id: &str) -> Result<usize, ApiError> {
        self.trunks
            .iter()
            .position(|t| t.rec.trunk_id == id)
            .ok_or_else(|| not_found(format!("trunk {id} not found")))
    }

    pub(super) fn list_trunks(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let status = param(query, "trunk_status")
            .map(|v| {
                known_status(v).ok_or_else(|| {
                    bad(format!(
                        "trunk_status must be enabled or disabled, got {v:?}"
                    ))
                })
            })
            .transpose()?;
        let direction = param(query, "trunk_direction")
            .map(|v| {
                known_direction(v).ok_or_else(|| {
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
                status.as_ref().is_none_or(|s| *s == r.trunk_status)
                    && direction.as_ref().is_none_or(|d| *d == r.trunk_direction)
                    && secure.is_none_or(|s| s == r.secure)
                    && link("ipacl_uuid", r.ipacl_uuid.as_ref())
                    && link("credential_uuid", r.credential_uuid.as_ref())
                    && link("primary_uri_uuid", r.primary_uri_uuid.as_ref())
                    && link("fallback_uri_uuid", r.fallback_uri_uuid.as_ref())
            })
            .map(Self::trunk_json)
            .chain(self.listed(Listing::Trunk))
            .collect();
        let link = format!("v1/Account/{}/Zentrunk/Trunk/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    pub(super) fn get_trunk(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
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
    pub(super) fn trunk_link(
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
    pub(super) fn check_trunk(rec: &TrunkRecord, missing_status: u16) -> Result<(), ApiError> {
        match &rec.trunk_direction {
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
            // Never stored: bodies are parsed with `known_direction`.
            TrunkDirection::Other(other) => {
                return Err(bad(format!(
                    "trunk_direction must be inbound or outbound, got {other:?}"
                )));
            }
        }
        Ok(())
    }

    pub(super) fn direction(body: &Map<String, Value>) -> Result<Option<TrunkDirection>, ApiError> {
        match string(body, "trunk_direction")?.set() {
            None => Ok(None),
            Some(value) => known_direction(&value).map(Some).ok_or_else(|| {
                bad(format!(
                    "trunk_direction must be inbound or outbound, got {value:?}"
                ))
            }),
        }
    }

    pub(super) fn status(body: &Map<String, Value>) -> Result<Option<TrunkStatus>, ApiError> {
        match string(body, "trunk_status")?.set() {
            None => Ok(None),
            Some(value) => known_status(&value).map(Some).ok_or_else(|| {
                bad(format!(
                    "trunk_status must be enabled or disabled, got {value:?}"
                ))
            }),
        }
    }

    pub(super) fn apply_links(
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

    pub(super) fn create_trunk(&mut self, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Outcome {
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

    pub(super) fn update_trunk(
        &mut self,
        ctx: &Ctx<'_>,
        id: &str,
        body: &Map<String, Value>,
    ) -> Outcome {
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

    pub(super) fn detach_numbers_of(&mut self, trunk_id: &str) {
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

    pub(super) fn delete_trunk(&mut self, id: &str) -> Outcome {
        let index = self.trunk_index(id)?;
        self.trunks.remove(index);
        self.detach_numbers_of(id);
        no_content()
    }
}
