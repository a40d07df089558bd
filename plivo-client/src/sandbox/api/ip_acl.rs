//! Zentrunk IP access control lists: `Zentrunk/IPAccessControlList/`.

use super::{
    ApiError, Ctx, Field, IpAclRecord, Listing, Map, Outcome, Query, State, Value, ip_addresses,
    json, list_reply, missing, no_content, not_found, ok, string,
};

impl State {
    pub(super) fn acl_json(acl: &IpAclRecord) -> Value {
        json!({"ipacl_uuid": acl.ipacl_uuid, "name": acl.name, "ip_addresses": acl.ip_addresses})
    }

    pub(super) fn acl_index(&self, id: &str) -> Result<usize, ApiError> {
        self.acls
            .iter()
            .position(|a| a.ipacl_uuid == id)
            .ok_or_else(|| not_found(format!("IP access control list {id} not found")))
    }

    pub(super) fn list_acls(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
        let objects = self
            .acls
            .iter()
            .map(Self::acl_json)
            .chain(self.listed(Listing::IpAcl))
            .collect();
        let link = format!("v1/Account/{}/Zentrunk/IPAccessControlList/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    pub(super) fn get_acl(&self, ctx: &Ctx<'_>, id: &str) -> Outcome {
        let mut body = Self::acl_json(&self.acls[self.acl_index(id)?]);
        body["api_id"] = json!(ctx.api_id);
        ok(200, body)
    }

    pub(super) fn create_acl(&mut self, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Outcome {
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

    pub(super) fn update_acl(
        &mut self,
        ctx: &Ctx<'_>,
        id: &str,
        body: &Map<String, Value>,
    ) -> Outcome {
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

    pub(super) fn delete_acl(&mut self, id: &str) -> Outcome {
        // Trunks keep the dangling reference: the real API lets the delete break their authentication.
        let index = self.acl_index(id)?;
        self.acls.remove(index);
        no_content()
    }
}
