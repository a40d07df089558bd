//! Zentrunk call records (CDRs) and call insights: `Zentrunk/Call/`.

use futures_util::stream::BoxStream;
use serde::{Deserialize, Serialize};

use crate::client::{ApiRequest, check_limit, to_query};
use crate::common::{Envelope, lenient_bool, lenient_f64, lenient_i64, lenient_string};
use crate::ids::CallUuid;
use crate::{Error, Page, PlivoClient};

/// A Zentrunk CDR. Accepts the current field names and the 2022 ones (`duration`, `hangup_cause`,
/// `hangup_initiator`, `hangup_code`, `rate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Call {
    /// The call id.
    pub call_uuid: CallUuid,
    /// The SIP Call-ID.
    #[serde(default)]
    pub call_id: Option<String>,
    /// Caller, `+E.164`.
    #[serde(default)]
    pub from_number: Option<String>,
    /// Callee, `+E.164`.
    #[serde(default)]
    pub to_number: Option<String>,
    /// `inbound` or `outbound`.
    #[serde(default)]
    pub call_direction: Option<String>,
    /// Duration in seconds.
    #[serde(default, alias = "duration", deserialize_with = "lenient_i64")]
    pub call_duration: Option<i64>,
    /// Billed duration in seconds.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub bill_duration: Option<i64>,
    /// Billed duration in seconds (newer name).
    #[serde(default, deserialize_with = "lenient_i64")]
    pub billed_duration: Option<i64>,
    /// When the call started.
    #[serde(default)]
    pub initiation_time: Option<String>,
    /// When it was answered (`None`: never answered).
    #[serde(default)]
    pub answer_time: Option<String>,
    /// When it ended.
    #[serde(default)]
    pub end_time: Option<String>,
    /// Hangup cause, for example `normal_hangup`.
    #[serde(default, alias = "hangup_cause")]
    pub hangup_cause_name: Option<String>,
    /// Zentrunk hangup code, for example 3000.
    #[serde(default, alias = "hangup_code", deserialize_with = "lenient_i64")]
    pub hangup_cause_code: Option<i64>,
    /// Who hung up: `customer`, `carrier` or `zentrunk`.
    #[serde(default, alias = "hangup_initiator")]
    pub hangup_source: Option<String>,
    /// Per-minute rate.
    #[serde(default, alias = "rate", deserialize_with = "lenient_string")]
    pub total_rate: Option<String>,
    /// Amount charged.
    #[serde(default, deserialize_with = "lenient_string")]
    pub total_amount: Option<String>,
    /// The trunk's SIP domain.
    #[serde(default)]
    pub trunk_domain: Option<String>,
    /// Region (legacy records).
    #[serde(default)]
    pub region: Option<String>,
    /// Caller country.
    #[serde(default)]
    pub from_country: Option<String>,
    /// Callee country.
    #[serde(default)]
    pub to_country: Option<String>,
    /// `udp` or `tcp`.
    #[serde(default)]
    pub transport_protocol: Option<String>,
    /// SRTP media.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub srtp: Option<bool>,
    /// Secure trunking.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub secure_trunking: Option<bool>,
    /// Secure trunking rate.
    #[serde(default, deserialize_with = "lenient_string")]
    pub secure_trunking_rate: Option<String>,
    /// CNAM lookup done.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub cnam_lookup: Option<bool>,
    /// CNAM lookup rate.
    #[serde(default, deserialize_with = "lenient_string")]
    pub cnam_lookup_rate: Option<String>,
    /// STIR/SHAKEN verification result.
    #[serde(default)]
    pub stir_verification: Option<String>,
    /// STIR/SHAKEN attestation (`A`, `B`, `C`).
    #[serde(default)]
    pub attestation_indicator: Option<String>,
}

impl Call {
    /// True when the call was answered.
    pub fn connected(&self) -> bool {
        self.answer_time.as_deref().is_some_and(|t| !t.is_empty())
    }
}

/// One party of [`CallInsights`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallParty {
    /// Carrier name.
    #[serde(default)]
    pub carrier: Option<String>,
    /// Number.
    #[serde(default)]
    pub number: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
}

/// Call quality data (`GET Zentrunk/Call/{id}/Insights/`). Metrics are kept as sent (strings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallInsights {
    /// Plivo's request id.
    #[serde(default)]
    pub api_id: Option<String>,
    /// The call id.
    #[serde(default)]
    pub call_uuid: Option<CallUuid>,
    /// The caller.
    #[serde(default)]
    pub from: Option<CallParty>,
    /// The callee.
    #[serde(default)]
    pub to: Option<CallParty>,
    /// Hangup cause.
    #[serde(default)]
    pub hangup_cause: Option<String>,
    /// Who hung up.
    #[serde(default)]
    pub hangup_source: Option<String>,
    /// Round-trip time.
    #[serde(default, deserialize_with = "lenient_string")]
    pub rtt: Option<String>,
    /// Jitter.
    #[serde(default, deserialize_with = "lenient_string")]
    pub jitter: Option<String>,
    /// Packet loss.
    #[serde(default, deserialize_with = "lenient_string")]
    pub packet_loss: Option<String>,
    /// Post-dial delay (ms).
    #[serde(default, deserialize_with = "lenient_f64")]
    pub post_dial_delay: Option<f64>,
    /// Plivo's quality score.
    #[serde(default, deserialize_with = "lenient_string")]
    pub plivo_quality_score: Option<String>,
}

/// Filters for listing CDRs. Numbers may be given with or without `+`: they are sent without it (the
/// API matches only that form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CallFilter {
    /// Caller number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_number: Option<String>,
    /// Callee number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_number: Option<String>,
    /// `inbound` or `outbound`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_direction: Option<String>,
    /// Hangup code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hangup_cause_code: Option<i64>,
    /// `customer`, `carrier` or `zentrunk`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hangup_source: Option<String>,
    /// STIR verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stir_verification: Option<String>,
    /// Exact billed duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_duration: Option<u64>,
    /// Billed duration greater than.
    #[serde(rename = "bill_duration__gt", skip_serializing_if = "Option::is_none")]
    pub bill_duration_gt: Option<u64>,
    /// Billed duration at least.
    #[serde(rename = "bill_duration__gte", skip_serializing_if = "Option::is_none")]
    pub bill_duration_gte: Option<u64>,
    /// Billed duration less than.
    #[serde(rename = "bill_duration__lt", skip_serializing_if = "Option::is_none")]
    pub bill_duration_lt: Option<u64>,
    /// Billed duration at most.
    #[serde(rename = "bill_duration__lte", skip_serializing_if = "Option::is_none")]
    pub bill_duration_lte: Option<u64>,
    /// Ended after (`YYYY-MM-DD HH:MM[:ss]`).
    #[serde(rename = "end_time__gt", skip_serializing_if = "Option::is_none")]
    pub end_time_gt: Option<String>,
    /// Ended at or after.
    #[serde(rename = "end_time__gte", skip_serializing_if = "Option::is_none")]
    pub end_time_gte: Option<String>,
    /// Ended before (needs a lower bound too).
    #[serde(rename = "end_time__lt", skip_serializing_if = "Option::is_none")]
    pub end_time_lt: Option<String>,
    /// Ended at or before (needs a lower bound too).
    #[serde(rename = "end_time__lte", skip_serializing_if = "Option::is_none")]
    pub end_time_lte: Option<String>,
    /// Page size, 1 to 20 (default 20).
    #[serde(skip)]
    pub limit: Option<u32>,
    /// Offset (ignored by `all` and `stream`).
    #[serde(skip)]
    pub offset: Option<u32>,
}

impl CallFilter {
    fn query(&self) -> Result<Vec<(String, String)>, Error> {
        let mut f = self.clone();
        for (field, v) in [
            ("from_number", &mut f.from_number),
            ("to_number", &mut f.to_number),
        ] {
            if let Some(n) = v {
                if n.is_empty() {
                    // An empty filter value is rejected by the API with 400.
                    return Err(Error::invalid(
                        field,
                        "",
                        "must not be empty (leave it unset)",
                    ));
                }
                let digits = n.strip_prefix('+').unwrap_or(n);
                if !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid(
                        field,
                        n.as_str(),
                        "must be digits with an optional '+'",
                    ));
                }
                *n = digits.to_owned();
            }
        }
        let upper = f.end_time_lt.as_ref().or(f.end_time_lte.as_ref());
        if let Some(upper) = upper
            && f.end_time_gt.is_none()
            && f.end_time_gte.is_none()
        {
            return Err(Error::invalid(
                "end_time__lt/end_time__lte",
                upper.as_str(),
                "needs end_time__gt or end_time__gte as well",
            ));
        }
        Ok(to_query(&f))
    }
}

/// CDR operations; from [`PlivoClient::calls`].
#[derive(Debug, Clone, Copy)]
pub struct Calls<'c> {
    client: &'c PlivoClient,
}

const PATH: &str = "Zentrunk/Call/";

impl<'c> Calls<'c> {
    pub(crate) fn new(client: &'c PlivoClient) -> Self {
        Self { client }
    }

    /// Lists one page of CDRs (`GET Zentrunk/Call/`), for example to check a test call.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::CallFilter;
    /// let filter = CallFilter { to_number: Some("+15105550100".into()), limit: Some(5), ..Default::default() };
    /// for call in client.calls().list(&filter).await?.objects {
    ///     println!("{} connected={} from={:?}", call.call_uuid, call.connected(), call.from_number);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad `limit`, an empty or non-numeric number, or an upper
    /// `end_time` bound without a lower one; any transport or API error.
    pub async fn list(&self, filter: &CallFilter) -> Result<Page<Call>, Error> {
        let limit = check_limit(filter.limit)?;
        let query = filter.query()?;
        self.client
            .get_page(PATH.into(), query, limit, filter.offset.unwrap_or(0))
            .await
    }

    /// Streams every matching CDR, paging by `offset`.
    ///
    /// # Errors
    /// The stream yields the filter's [`Error::InvalidInput`] or the first transport/API error.
    pub fn stream(&self, filter: &CallFilter) -> BoxStream<'static, Result<Call, Error>> {
        match check_limit(filter.limit).and_then(|l| Ok((l, filter.query()?))) {
            Ok((limit, query)) => self.client.paginate(PATH.into(), query, limit),
            Err(e) => Box::pin(futures_util::stream::once(async { Err(e) })),
        }
    }

    /// Collects every matching CDR.
    ///
    /// # Errors
    /// As [`Calls::list`].
    pub async fn all(&self, filter: &CallFilter) -> Result<Vec<Call>, Error> {
        let limit = check_limit(filter.limit)?;
        let query = filter.query()?;
        self.client.collect_all(PATH.into(), query, limit).await
    }

    /// Reads one CDR (`GET Zentrunk/Call/{id}/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let call = client.calls().get(&"f3f74402-59af-40b3-909c-80c50a4b063f".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; [`Error::Api`] 404 when absent; any transport error.
    pub async fn get(&self, id: &CallUuid) -> Result<Call, Error> {
        let path = format!("{PATH}{}/", id.segment()?);
        let env: Envelope<Call> = self.client.send_json(&ApiRequest::get(path)).await?;
        Ok(env.into_inner())
    }

    /// Like [`Calls::get`], with 404 as `None`.
    ///
    /// # Errors
    /// As [`Calls::get`], except 404.
    pub async fn get_opt(&self, id: &CallUuid) -> Result<Option<Call>, Error> {
        match self.get(id).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads a call's quality data (`GET Zentrunk/Call/{id}/Insights/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let q = client.calls().insights(&"c9d6be3d".into()).await?;
    /// println!("{:?}", q.plivo_quality_score);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad id; any transport or API error.
    pub async fn insights(&self, id: &CallUuid) -> Result<CallInsights, Error> {
        let path = format!("{PATH}{}/Insights/", id.segment()?);
        self.client.send_json(&ApiRequest::get(path)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_filter_query_strips_plus_and_checks_bounds() {
        let f = CallFilter {
            from_number: Some("+919902443540".into()),
            end_time_gte: Some("2026-09-18 00:00".into()),
            end_time_lte: Some("2026-09-19 00:00".into()),
            ..Default::default()
        };
        let q = f.query().unwrap();
        assert!(q.contains(&("from_number".into(), "919902443540".into())));
        assert!(q.contains(&("end_time__lte".into(), "2026-09-19 00:00".into())));
        let bad = CallFilter {
            end_time_lte: Some("2026-09-19 00:00".into()),
            ..Default::default()
        };
        assert!(
            bad.query()
                .unwrap_err()
                .to_string()
                .contains("end_time__gte")
        );
        let empty = CallFilter {
            to_number: Some(String::new()),
            ..Default::default()
        };
        assert!(empty.query().is_err());
    }
}
