//! Zentrunk origination URIs: `Zentrunk/URI/`.

use super::{
    ApiError, Ctx, Field, Listing, Map, Outcome, Query, SecretString, State, UriRecord, Value, bad,
    boolean, check_uri, json, list_reply, missing, no_content, not_found, ok, string,
};

impl State {
    pub(super) fn uri_json(uri: &UriRecord) -> Value {
        json!({"uri_uuid": uri.uri_uuid, "name": uri.name, "uri": uri.uri,
               "authentication_needed": uri.authentication_needed, "username": uri.username})
    }

    pub(super) fn uri_index(&self, id: &str) -> Result<usize, ApiError> {
        self.uris
            .iter()
            .position(|u| u.uri_uuid == id)
            .ok_or_else(|| not_found(format!("origination uri {id} not found")))
    }

    pub(super) fn list_uris(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let objects = self
            .uris
            .iter()
            .map(Self::uri_json)
            .chain(self.listed(Listing::Uri))
            .collect();
        let link = format!("v1/Account/{}/Zentrunk/URI/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    pub(super) fn get_uri(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
        let mut body = Self::uri_json(&self.uris[self.uri_index(id)?]);
        body["api_id"] = json!(ctx.api_id);
        // Undocumented key the real GET carries.
        body["sip_user"] = Value::Null;
        ok(200, body)
    }

    pub(super) fn create_uri(&mut self, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Outcome {
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

    pub(super) fn update_uri(
        &mut self,
        ctx: &Ctx<'_>,
        id: &str,
        body: &Map<String, Value>,
    ) -> Outcome {
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

    pub(super) fn delete_uri(&mut self, id: &str) -> Outcome {
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
}
