//! Plivo's number inventory: search and buy (`PhoneNumber/`).

use serde::{Deserialize, Serialize};

use crate::client::{ApiRequest, check_limit, to_query};
use crate::common::{lenient_bool, lenient_string};
use crate::ids::number_digits;
use crate::{Error, Page, PlivoClient};

/// A number offered for rent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumber {
    /// The number, E.164 digits.
    pub number: String,
    /// The prefix (area code).
    #[serde(default)]
    pub prefix: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// Rate centre.
    #[serde(default)]
    pub rate_center: Option<String>,
    /// LATA (a number in real bodies, kept as a string).
    #[serde(default, deserialize_with = "lenient_string")]
    pub lata: Option<String>,
    /// `local`, `tollfree`, `mobile`, `national`, `fixed`.
    #[serde(default, rename = "type")]
    pub number_type: Option<String>,
    /// Sub-type.
    #[serde(default)]
    pub sub_type: Option<String>,
    /// Setup fee.
    #[serde(default, deserialize_with = "lenient_string")]
    pub setup_rate: Option<String>,
    /// Monthly rent.
    #[serde(default, deserialize_with = "lenient_string")]
    pub monthly_rental_rate: Option<String>,
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
    /// Restriction code (for example documents required).
    #[serde(default)]
    pub restriction: Option<String>,
    /// Restriction text.
    #[serde(default)]
    pub restriction_text: Option<String>,
    /// API path.
    #[serde(default)]
    pub resource_uri: Option<String>,
    /// Compliance prerequisites, as sent.
    #[serde(default)]
    pub prerequisites: Vec<serde_json::Value>,
}

/// A search of the inventory. `country_iso` is required.
///
/// ```
/// let s = plivo_client::PhoneNumberSearch::new("US").number_type("local").pattern("415");
/// assert_eq!(s.country_iso, "US");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PhoneNumberSearch {
    /// Two-letter ISO country code (required).
    pub country_iso: String,
    /// `tollfree`, `local`, `mobile`, `national`, `fixed`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub number_type: Option<String>,
    /// Digits the number must contain or start with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// NPA-NXX (US/CA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npanxx: Option<String>,
    /// Local calling area (US/CA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_calling_area: Option<bool>,
    /// Region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `voice`, `sms`, `mms` or combinations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub services: Option<String>,
    /// LATA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lata: Option<String>,
    /// Rate centre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_center: Option<String>,
    /// Page size, 1 to 20 (default 20).
    #[serde(skip)]
    pub limit: Option<u32>,
    /// Offset.
    #[serde(skip)]
    pub offset: Option<u32>,
}

impl PhoneNumberSearch {
    /// A search in this country.
    pub fn new(country_iso: impl Into<String>) -> Self {
        Self {
            country_iso: country_iso.into(),
            ..Self::default()
        }
    }

    /// Sets the number type.
    #[must_use]
    pub fn number_type(mut self, t: impl Into<String>) -> Self {
        self.number_type = Some(t.into());
        self
    }

    /// Sets the pattern.
    #[must_use]
    pub fn pattern(mut self, p: impl Into<String>) -> Self {
        self.pattern = Some(p.into());
        self
    }

    /// Sets the services.
    #[must_use]
    pub fn services(mut self, s: impl Into<String>) -> Self {
        self.services = Some(s.into());
        self
    }
}

/// The body of a buy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuyNumber {
    /// Application to link at once (for a trunk, buy first and then attach: that path is documented).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// CNAM lookup, `enabled` or `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cnam_lookup: Option<String>,
    /// Compliance application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance_application_id: Option<String>,
    /// High availability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ha_enable: Option<bool>,
}

/// One number of a [`BuyResult`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BoughtNumber {
    /// The number.
    pub number: String,
    /// `Success`, or the reason it failed.
    #[serde(default)]
    pub status: Option<String>,
    /// A substitute number, when one was given.
    #[serde(default)]
    pub fallback_number: Option<String>,
}

/// The answer to a buy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BuyResult {
    /// Plivo's request id.
    #[serde(default)]
    pub api_id: Option<String>,
    /// Message, for example `created`.
    #[serde(default)]
    pub message: Option<String>,
    /// The numbers.
    #[serde(default)]
    pub numbers: Vec<BoughtNumber>,
    /// `fulfilled`, or `pending` when documents are needed.
    #[serde(default)]
    pub status: Option<String>,
}

/// Inventory operations; from [`PlivoClient::phone_numbers`].
#[derive(Debug, Clone, Copy)]
pub struct PhoneNumbers<'c> {
    client: &'c PlivoClient,
}

const PATH: &str = "PhoneNumber/";

impl<'c> PhoneNumbers<'c> {
    pub(crate) fn new(client: &'c PlivoClient) -> Self {
        Self { client }
    }

    /// Searches numbers for rent (`GET PhoneNumber/?country_iso=..`).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// use plivo_client::PhoneNumberSearch;
    /// let found = client.phone_numbers().search(&PhoneNumberSearch::new("US").pattern("415")).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `country_iso` is not two ASCII letters or `limit` is outside
    /// 1..=20; any transport or API error.
    pub async fn search(&self, search: &PhoneNumberSearch) -> Result<Page<PhoneNumber>, Error> {
        if search.country_iso.len() != 2
            || !search.country_iso.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return Err(Error::invalid(
                "country_iso",
                search.country_iso.as_str(),
                "must be a two-letter ISO country code",
            ));
        }
        let limit = check_limit(search.limit)?;
        self.client
            .get_page(
                PATH.into(),
                to_query(search),
                limit,
                search.offset.unwrap_or(0),
            )
            .await
    }

    /// **Buys** (rents) a number (`POST PhoneNumber/{digits}/`). This costs money; never retried after
    /// an unknown outcome (check the account's numbers first).
    ///
    /// ```no_run
    /// # async fn run(client: plivo_client::PlivoClient) -> Result<(), plivo_client::Error> {
    /// let bought = client.phone_numbers().buy("14154009186", &Default::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed number; any transport or API error.
    pub async fn buy(&self, number: &str, body: &BuyNumber) -> Result<BuyResult, Error> {
        let path = format!("{PATH}{}/", number_digits(number)?);
        self.client.send_json(&ApiRequest::post(path, body)?).await
    }
}
