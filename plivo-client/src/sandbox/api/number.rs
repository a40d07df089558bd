//! Account numbers: `Number/`.

use super::{
    ApiError, Ctx, Field, Listing, Number, Outcome, Query, State, Value, bad, country_name, json,
    list_reply, model, no_content, not_found, ok, param, parse_body, services_match, string,
};

impl State {
    pub(super) fn number_json(&self, number: &Number) -> Value {
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

    pub(super) fn list_numbers(&self, ctx: &Ctx<'_>, method: &str, query: &Query) -> Outcome {
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
            .chain(self.listed(Listing::Number))
            .collect();
        let link = format!("/v1/Account/{}/Number/", self.auth_id);
        list_reply(ctx, objects, query, &link)
    }

    /// Resolves an `app_id` to (`app_id`, `application` path); `None` detaches.
    pub(super) fn application_for(
        &self,
        app_id: Field<String>,
    ) -> Result<Option<(String, String)>, ApiError> {
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

    pub(super) fn number(
        &mut self,
        ctx: &Ctx<'_>,
        method: &str,
        number: &str,
        body: &[u8],
    ) -> Outcome {
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
}
