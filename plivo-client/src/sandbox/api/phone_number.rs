//! The number inventory: `PhoneNumber/` (search and buy).

use super::{
    ApiError, Ctx, Number, NumberRecord, Outcome, Query, State, Value, bad, country_name,
    dial_code, json, list_reply, not_found, ok, param, parse_body, services_match, string,
};

impl State {
    pub(super) fn search_inventory(&self, ctx: &Ctx<'_>, method: &str, query: &Query) -> Outcome {
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

    pub(super) fn buy(
        &mut self,
        ctx: &Ctx<'_>,
        method: &str,
        number: &str,
        body: &[u8],
    ) -> Outcome {
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
