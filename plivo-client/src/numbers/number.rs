//! Account (rented) phone numbers: `Number/`.

use futures_util::stream::BoxStream;
use serde::{Deserialize, Serialize};

use crate::client::{ApiRequest, check_limit, to_query};
use crate::common::{Updated, lenient_bool, lenient_string};
use crate::error::Refusal;
use crate::ids::{TrunkId, number_digits};
use crate::zentrunk::trunk::{Trunk, TrunkDirection};
use crate::zentrunk::{Lenient, decode_each};
use crate::{Error, Page, PlivoClient};

/// A number rented by the account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Number {
    /// The number, E.164 digits without `+` (a bare JSON number is read as its digits).
    #[serde(deserialize_with = "crate::zentrunk::lenient_id")]
    pub number: String,
    /// The alias.
    #[serde(default)]
    pub alias: Option<String>,
    /// The sub-account holding it.
    #[serde(default)]
    pub sub_account: Option<String>,
    /// The sub-account's name.
    #[serde(default)]
    pub sub_account_name: Option<String>,
    /// When it was rented.
    #[serde(default)]
    pub added_on: Option<String>,
    /// The linked application as a path: `/v1/Account/{id}/Application/{app}/` or, for a trunk,
    /// `/v1/Account/{id}/Zentrunk/Trunk/{trunk_id}/`.
    #[serde(default)]
    pub application: Option<String>,
    /// The carrier.
    #[serde(default)]
    pub carrier: Option<String>,
    /// The region.
    #[serde(default)]
    pub region: Option<String>,
    /// `local`, `tollfree`, `mobile`, ...
    #[serde(default)]
    pub number_type: Option<String>,
    /// Monthly rent.
    #[serde(default, deserialize_with = "lenient_string")]
    pub monthly_rental_rate: Option<String>,
    /// Next renewal.
    #[serde(default)]
    pub renewal_date: Option<String>,
    /// SMS capable.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub sms_enabled: Option<bool>,
    /// SMS rate.
    #[serde(default, deserialize_with = "lenient_string")]
    pub sms_rate: Option<String>,
    /// MMS capable.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub mms_enabled: Option<bool>,
    /// MMS rate.
    #[serde(default, deserialize_with = "lenient_string")]
    pub mms_rate: Option<String>,
    /// Voice capable.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub voice_enabled: Option<bool>,
    /// Voice rate.
    #[serde(default, deserialize_with = "lenient_string")]
    pub voice_rate: Option<String>,
    /// CNAM lookup (`enabled`/`disabled`).
    #[serde(default, deserialize_with = "lenient_string")]
    pub cnam_lookup: Option<String>,
    /// The number's API path.
    #[serde(default)]
    pub resource_uri: Option<String>,
    /// Active flag.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub active: Option<bool>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
    /// Compliance application.
    #[serde(default)]
    pub compliance_application_id: Option<String>,
    /// Compliance status.
    #[serde(default)]
    pub compliance_status: Option<String>,
    /// 10DLC campaign.
    #[serde(default)]
    pub tendlc_campaign_id: Option<String>,
    /// 10DLC registration status.
    #[serde(default)]
    pub tendlc_registration_status: Option<String>,
    /// Toll-free SMS verification.
    #[serde(default)]
    pub toll_free_sms_verification: Option<String>,
    /// Toll-free SMS verification id.
    #[serde(default)]
    pub toll_free_sms_verification_id: Option<String>,
    /// Toll-free SMS verification order status.
    #[serde(default)]
    pub toll_free_sms_verification_order_status: Option<String>,
    /// Linked object type (private beta, `trunk`).
    #[serde(default)]
    pub object_type: Option<String>,
    /// Linked object id (private beta).
    #[serde(default)]
    pub object_id: Option<String>,
}

impl Number {
    /// A number with no application and no details (for tests and for callers that rebuild one).
    ///
    /// ```
    /// let n = plivo_client::Number::new("14155550123");
    /// assert_eq!(n.trunk_id(), None);
    /// ```
    pub fn new(number: impl Into<String>) -> Self {
        Self {
            number: number.into(),
            ..Self::default()
        }
    }

    /// The id at the end of `application`: the trunk id for a Zentrunk trunk, the application id
    /// for an XML application (what `POST Number/{n}/ {"app_id": ...}` takes to route it back).
    ///
    /// ```
    /// let n: plivo_client::Number = serde_json::from_str(
    ///     r#"{"number": "1", "application": "/v1/Account/A/Application/29986316244302815/"}"#).unwrap();
    /// assert_eq!(n.app_id().as_deref(), Some("29986316244302815"));
    /// ```
    pub fn app_id(&self) -> Option<String> {
        if let Some(t) = self.trunk_id() {
            return Some(t.into_string());
        }
        let app = self.application.as_deref()?;
        let id = app.trim_end_matches('/').rsplit('/').next()?;
        (!id.is_empty()).then(|| id.to_owned())
    }

    /// The trunk this number routes to, read from `application` (`.../Zentrunk/Trunk/{id}/`) or from
    /// the private-beta `object_type`/`object_id` pair.
    ///
    /// ```
    /// let n: plivo_client::Number = serde_json::from_str(
    ///     r#"{"number": "1", "application": "/v1/Account/A/Zentrunk/Trunk/T1/"}"#).unwrap();
    /// assert_eq!(n.trunk_id().unwrap().as_str(), "T1");
    /// ```
    pub fn trunk_id(&self) -> Option<TrunkId> {
        if let Some(app) = &self.application
            && let Some(rest) = app.split("/Zentrunk/Trunk/").nth(1)
        {
            let id = rest.trim_end_matches('/');
            if !id.is_empty() && !id.contains('/') {
                return Some(TrunkId::new(id));
            }
        }
        match (self.object_type.as_deref(), &self.object_id) {
            (Some("trunk"), Some(id)) if !id.is_empty() => Some(TrunkId::new(id.as_str())),
            _ => None,
        }
    }
}

/// Filters for listing account numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NumberFilter {
    /// `local`, `tollfree`, `mobile`, `national`, `fixed`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub number_type: Option<String>,
    /// Numbers starting with these digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_startswith: Option<String>,
    /// Sub-account auth id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<String>,
    /// Alias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// `voice`, `sms`, `mms` or combinations such as `voice,sms`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub services: Option<String>,
    /// `enabled` or `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cnam_lookup: Option<String>,
    /// Renewal date (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewal_date: Option<String>,
    /// Renewal after.
    #[serde(rename = "renewal_date__gt", skip_serializing_if = "Option::is_none")]
    pub renewal_date_gt: Option<String>,
    /// Renewal on or after.
    #[serde(rename = "renewal_date__gte", skip_serializing_if = "Option::is_none")]
    pub renewal_date_gte: Option<String>,
    /// Renewal before.
    #[serde(rename = "renewal_date__lt", skip_serializing_if = "Option::is_none")]
    pub renewal_date_lt: Option<String>,
    /// Renewal on or before.
    #[serde(rename = "renewal_date__lte", skip_serializing_if = "Option::is_none")]
    pub renewal_date_lte: Option<String>,
    /// 10DLC campaign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tendlc_campaign_id: Option<String>,
    /// 10DLC registration status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tendlc_registration_status: Option<String>,
    /// Page size, 1 to 20 (default 20).
    #[serde(skip)]
    pub limit: Option<u32>,
    /// Offset (ignored by `all` and `stream`).
    #[serde(skip)]
    pub offset: Option<u32>,
}

/// The body of a number update (only set fields are sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpdateNumber {
    /// The application (or, for Zentrunk, the inbound trunk id) to route the number to. Prefer
    /// [`Numbers::attach_to_trunk`], which refuses outbound trunks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Alias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Move the number to this sub-account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<String>,
    /// Compliance application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance_id: Option<String>,
    /// CNAM lookup, `enabled` or `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cnam_lookup: Option<String>,
    /// CNAM display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cnam: Option<String>,
}

/// Account number operations; from [`PlivoClient::numbers`].
#[derive(Debug, Clone, Copy)]
pub struct Numbers<'c> {
    client: &'c PlivoClient,
}

const PATH: &str = "Number/";

fn item_path(number: &str) -> Result<String, Error> {
    Ok(format!("{PATH}{}/", number_digits(number)?))
}

impl<'c> Numbers<'c> {
    pub(crate) fn new(client: &'c PlivoClient) -> Self {
        Self { client }
    }

    /// Lists one page of account numbers (`GET Number/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::NumberFilter;
    /// let f = NumberFilter { number_startswith: Some("1510".into()), ..Default::default() };
    /// let page = client.numbers().list(&f).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad `limit`; any transport or API error.
    pub async fn list(&self, filter: &NumberFilter) -> Result<Page<Number>, Error> {
        let limit = check_limit(filter.limit)?;
        self.client
            .get_page(
                PATH.into(),
                to_query(filter),
                limit,
                filter.offset.unwrap_or(0),
            )
            .await
    }

    /// Streams every matching number, paging by `offset`.
    ///
    /// # Errors
    /// The stream yields a bad `limit` or the first transport/API error.
    pub fn stream(&self, filter: &NumberFilter) -> BoxStream<'static, Result<Number, Error>> {
        match check_limit(filter.limit) {
            Ok(limit) => self.client.paginate(PATH.into(), to_query(filter), limit),
            Err(e) => Box::pin(futures_util::stream::once(async { Err(e) })),
        }
    }

    /// Collects every matching number.
    ///
    /// # Errors
    /// As [`Numbers::list`].
    pub async fn all(&self, filter: &NumberFilter) -> Result<Vec<Number>, Error> {
        let limit = check_limit(filter.limit)?;
        self.client
            .collect_all(PATH.into(), to_query(filter), limit)
            .await
    }

    /// Every matching number, decoding each on its own: one this crate cannot read is skipped and
    /// reported instead of failing the whole list.
    ///
    /// # Errors
    /// As [`Numbers::list`].
    pub async fn all_lenient(&self, filter: &NumberFilter) -> Result<Lenient<Number>, Error> {
        let limit = check_limit(filter.limit)?;
        let values: Vec<serde_json::Value> = self
            .client
            .collect_all(PATH.into(), to_query(filter), limit)
            .await?;
        Ok(decode_each("number", "number", values))
    }

    /// The numbers routed to a trunk (the API has no such endpoint: lists every number and matches
    /// `application`).
    ///
    /// # Errors
    /// Any transport or API error.
    pub async fn on_trunk(&self, trunk: &TrunkId) -> Result<Vec<Number>, Error> {
        let mut all = self.all(&NumberFilter::default()).await?;
        all.retain(|n| n.trunk_id().as_ref() == Some(trunk));
        Ok(all)
    }

    /// Reads one number (`GET Number/{digits}/`); `+` is stripped.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let n = client.numbers().get("+15105550100").await?;
    /// println!("{:?}", n.trunk_id());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed number; [`Error::Api`] 404 when not rented; any
    /// transport error.
    pub async fn get(&self, number: &str) -> Result<Number, Error> {
        self.client
            .send_json(&ApiRequest::get(item_path(number)?))
            .await
    }

    /// Like [`Numbers::get`], with 404 as `None`.
    ///
    /// # Errors
    /// As [`Numbers::get`], except 404.
    pub async fn get_opt(&self, number: &str) -> Result<Option<Number>, Error> {
        match self.get(number).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Updates a number (`POST Number/{digits}/`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::UpdateNumber;
    /// let change = UpdateNumber { alias: Some("acme main line".into()), ..Default::default() };
    /// client.numbers().update("+15105550100", &change).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed number; any transport or API error.
    pub async fn update(&self, number: &str, body: &UpdateNumber) -> Result<Updated, Error> {
        self.client
            .send_json(&ApiRequest::post(item_path(number)?, body)?)
            .await
    }

    /// Routes a number to an inbound trunk (`POST Number/{digits}/ {"app_id": trunk_id}`). The trunk
    /// is read first to learn its direction; outbound trunks are refused (the API accepts them and
    /// the number silently stops answering).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.numbers().attach_to_trunk("+15105550100", &"31784177241575".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Refused`] for an outbound trunk; [`Error::InvalidInput`] for a malformed number or
    /// trunk id or a trunk of unknown direction; any transport or API error.
    pub async fn attach_to_trunk(&self, number: &str, trunk: &TrunkId) -> Result<Updated, Error> {
        let path = item_path(number)?;
        let trunk = self.client.trunks().get(trunk).await?;
        self.attach(path, number, &trunk).await
    }

    /// Like [`Numbers::attach_to_trunk`] with an already read trunk (no extra request).
    ///
    /// # Errors
    /// As [`Numbers::attach_to_trunk`].
    pub async fn attach_to_known_trunk(
        &self,
        number: &str,
        trunk: &Trunk,
    ) -> Result<Updated, Error> {
        let path = item_path(number)?;
        self.attach(path, number, trunk).await
    }

    /// Routes a number to a trunk the caller knows is inbound (it created it, or read it), with no
    /// read of the trunk: `POST Number/{digits}/ {"app_id": trunk_id}`. Use
    /// [`Numbers::attach_to_trunk`] when the trunk's direction is not known.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.numbers().attach_to_inbound_trunk("+15105550100", &"31784177241575".into()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed number or trunk id; any transport or API error.
    pub async fn attach_to_inbound_trunk(
        &self,
        number: &str,
        trunk: &TrunkId,
    ) -> Result<Updated, Error> {
        let body = UpdateNumber {
            app_id: Some(trunk.segment()?.to_owned()),
            ..UpdateNumber::default()
        };
        self.client
            // Setting `app_id` to the same trunk twice is the same as once: retried like a GET.
            .send_json(&ApiRequest::post(item_path(number)?, &body)?.idempotent())
            .await
    }

    async fn attach(&self, path: String, number: &str, trunk: &Trunk) -> Result<Updated, Error> {
        match &trunk.trunk_direction {
            TrunkDirection::Inbound => {}
            TrunkDirection::Outbound => {
                return Err(Error::Refused(Refusal::OutboundTrunkAttach {
                    number: number_digits(number)?,
                    trunk_id: trunk.trunk_id.clone(),
                }));
            }
            TrunkDirection::Other(d) => {
                return Err(Error::invalid(
                    "trunk_direction",
                    d.as_str(),
                    "numbers can be attached only to inbound trunks",
                ));
            }
        }
        let body = UpdateNumber {
            app_id: Some(trunk.trunk_id.segment()?.to_owned()),
            ..UpdateNumber::default()
        };
        // Setting `app_id` twice leaves the number as setting it once: safe to retry.
        self.client
            .send_json(&ApiRequest::post(path, &body)?.idempotent())
            .await
    }

    /// Takes a number off its trunk by routing it to another application (`app_id`). Plivo documents
    /// no "no application" value, so the replacement application is explicit.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.numbers().detach("+15105550100", "29986316244302815").await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed number or application id; any transport or API error.
    pub async fn detach(&self, number: &str, replacement_app_id: &str) -> Result<Updated, Error> {
        let app = crate::ids::path_segment("replacement_app_id", replacement_app_id)?;
        let body = UpdateNumber {
            app_id: Some(app.to_owned()),
            ..UpdateNumber::default()
        };
        self.client
            .send_json(&ApiRequest::post(item_path(number)?, &body)?)
            .await
    }

    /// **Unrents** a number (`DELETE Number/{digits}/`): the account loses it. Never called as a side
    /// effect of anything else in this crate.
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// client.numbers().unrent("+15105550100").await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed number; any transport or API error.
    pub async fn unrent(&self, number: &str) -> Result<(), Error> {
        self.client
            .send_unit(&ApiRequest::delete(item_path(number)?))
            .await
    }
}
