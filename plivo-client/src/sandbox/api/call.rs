//! Zentrunk CDRs: `Zentrunk/Call/`.

use super::{
    ApiError, CallRecord, Ctx, Outcome, Query, State, Value, bad, list_reply, not_found, ok, param,
};

impl State {
    pub(super) fn list_calls(&self, ctx: &Ctx<'_>, query: &Query) -> Outcome {
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

    pub(super) fn get_call(&self, id: &str) -> Outcome {
        let call = self
            .calls
            .iter()
            .find(|c| c.call_uuid == id)
            .ok_or_else(|| not_found(format!("call {id} not found")))?;
        // Production answers the bare CDR: no `object` nesting and no api_id.
        ok(200, serde_json::to_value(call).unwrap_or(Value::Null))
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
