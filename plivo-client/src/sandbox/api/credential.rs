//! Zentrunk credentials: `Zentrunk/Credential/`.

use super::{
    ApiError, CredentialRecord, Ctx, Field, Map, Outcome, Query, SecretString, State, Value,
    check_password, check_username, json, list_reply, missing, no_content, not_found, ok, string,
};

impl State {
    pub(super) fn credential_json(credential: &CredentialRecord) -> Value {
        json!({"credential_uuid": credential.credential_uuid, "name": credential.name,
               "username": credential.username})
    }

    pub(super) fn credential_index(&self, id: &str) -> Result<usize, ApiError> {
        self.credentials
            .iter()
            .position(|c| c.credential_uuid == id)
            .ok_or_else(|| not_found(format!("credential {id} not found")))
    }

    pub(super) fn list_credentials(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let objects = self.credentials.iter().map(Self::credential_json).collect();
        let link = format!("v1/Account/{}/Zentrunk/Credential/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    pub(super) fn get_credential(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
        let mut body = Self::credential_json(&self.credentials[self.credential_index(id)?]);
        body["api_id"] = json!(ctx.api_id);
        ok(200, body)
    }

    pub(super) fn create_credential(
        &mut self,
        ctx: &Ctx<'_>,
        body: &Map<String, Value>,
    ) -> Outcome {
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

    pub(super) fn update_credential(
        &mut self,
        ctx: &Ctx<'_>,
        id: &str,
        body: &Map<String, Value>,
    ) -> Outcome {
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

    pub(super) fn delete_credential(&mut self, id: &str) -> Outcome {
        let index = self.credential_index(id)?;
        self.credentials.remove(index);
        no_content()
    }
}
