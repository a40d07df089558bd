//! The WeHostVoIP objects, as the consoles show them. Reads return these whole, so a planner can
//! compare desired and observed values field by field.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{
    CountryCode, DialPrefix, DigitPrefix, E164, Error, Extension, HostPort, Name, Price, Strip,
    TenantDomain,
};

/// Which number a gateway's outbound strip/prefix applies to (the console's "Apply to").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplyTo {
    /// The internal +E.164 number (the default).
    #[default]
    E164,
    /// The number as originally dialled.
    Dialed,
}

impl ApplyTo {
    /// The label the console shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::E164 => "E.164 number",
            Self::Dialed => "Original (dialed) number",
        }
    }
}

/// One gateway of a carrier (ISP console, Carriers, gateway form).
///
/// A WeHostVoIP gateway is both an outbound target (the next gateway is its failover) and an accepted
/// inbound source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gateway {
    /// "Name", e.g. `primary`.
    pub name: Name,
    /// "Address": `host[:port]`.
    pub address: HostPort,
    /// "Display": the text part of the caller ID (FROM display).
    #[serde(default)]
    pub display: Option<String>,
    /// "Outbound Strip": digits removed before sending to the gateway.
    #[serde(default)]
    pub outbound_strip: Strip,
    /// "Outbound Prefix": added to the left after the strip.
    #[serde(default)]
    pub outbound_prefix: Option<DialPrefix>,
    /// "Inbound Strip": digits removed from numbers arriving from this gateway.
    #[serde(default)]
    pub inbound_strip: Strip,
    /// "Inbound Prefix": added after the inbound strip.
    #[serde(default)]
    pub inbound_prefix: Option<DialPrefix>,
    /// "Source Domain": the From domain, usually the gateway's address.
    #[serde(default)]
    pub source_domain: Option<HostPort>,
    /// "Source User": the From user, i.e. the caller ID sent to the carrier.
    #[serde(default)]
    pub source_user: Option<E164>,
    /// "Apply to": which number the outbound rules apply to.
    #[serde(default)]
    pub apply_to: ApplyTo,
    /// "Add PAI": add a P-Asserted-Identity header.
    #[serde(default)]
    pub add_pai: bool,
}

impl Gateway {
    /// A gateway with a name and an address and every other field at the console's default.
    pub fn new(name: Name, address: HostPort) -> Self {
        Self {
            name,
            address,
            display: None,
            outbound_strip: Strip::default(),
            outbound_prefix: None,
            inbound_strip: Strip::default(),
            inbound_prefix: None,
            source_domain: None,
            source_user: None,
            apply_to: ApplyTo::default(),
            add_pai: false,
        }
    }
}

/// A carrier: a description and an ordered list of gateways (the second is the failover of the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carrier {
    /// The carrier's name, unique in the ISP console.
    pub name: Name,
    /// "Description".
    #[serde(default)]
    pub description: Option<String>,
    /// Gateways in failover order; at least one.
    pub gateways: Vec<Gateway>,
}

impl Carrier {
    /// Checks the rules the types alone cannot carry: at least one gateway, unique gateway names,
    /// display and description text without control characters and at most 64 / 255 characters.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the value and the rule.
    pub fn validate(&self) -> Result<(), Error> {
        if self.gateways.is_empty() {
            return Err(Error::invalid(
                "carrier",
                self.name.as_str(),
                "must have at least one gateway",
            ));
        }
        let mut seen = BTreeSet::new();
        for gw in &self.gateways {
            if !seen.insert(&gw.name) {
                return Err(Error::invalid(
                    "gateway name",
                    gw.name.as_str(),
                    "must be unique within its carrier",
                ));
            }
            if let Some(display) = &gw.display {
                check_text("gateway display", display, 64)?;
            }
        }
        if let Some(d) = &self.description {
            check_text("carrier description", d, 255)?;
        }
        Ok(())
    }
}

fn check_text(what: &'static str, s: &str, max: usize) -> Result<(), Error> {
    if s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(Error::invalid(
            what,
            s,
            "must be short text without control characters",
        ));
    }
    Ok(())
}

/// A tenant (ISP console, Tenants), with the carrier its calls go out through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    /// The tenant's domain, its unique name.
    pub domain: TenantDomain,
    /// The carrier the tenant is bound to, if any.
    #[serde(default)]
    pub carrier: Option<Name>,
}

/// A subscriber of a tenant (tenant console, Subscribers), identified by its extension ("Alias").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscriber {
    /// The extension, e.g. `1001`.
    pub extension: Extension,
    /// The subscriber's username, if known.
    #[serde(default)]
    pub username: Option<String>,
    /// The security group assigned to the subscriber.
    #[serde(default)]
    pub security_group: Option<Name>,
}

impl Subscriber {
    /// A subscriber with only an extension.
    pub fn new(extension: Extension) -> Self {
        Self {
            extension,
            username: None,
            security_group: None,
        }
    }
}

/// A security group of a tenant: the countries and E.164 prefixes its subscribers may call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// The group's name, unique within the tenant.
    pub name: Name,
    /// Allowed countries.
    #[serde(default)]
    pub countries: BTreeSet<CountryCode>,
    /// Allowed extra prefixes (E.164 digits without `+`).
    #[serde(default)]
    pub prefixes: BTreeSet<DigitPrefix>,
}

impl SecurityGroup {
    /// An empty group.
    pub fn new(name: Name) -> Self {
        Self {
            name,
            countries: BTreeSet::new(),
            prefixes: BTreeSet::new(),
        }
    }

    /// True when every country and prefix of `other` is allowed by `self`.
    pub fn allows_all_of(&self, other: &SecurityGroup) -> bool {
        other.countries.is_subset(&self.countries) && other.prefixes.is_subset(&self.prefixes)
    }
}

/// The "Type" of an inventory number (it changes the billing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberType {
    /// A local number.
    Local,
    /// A toll-free number.
    TollFree,
}

impl NumberType {
    /// The label the console shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Local => "Local",
            Self::TollFree => "Toll Free",
        }
    }
}

/// What a number can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Capabilities {
    /// Voice calls.
    pub voice: bool,
    /// SMS.
    pub sms: bool,
}

/// A number in the ISP number inventory (ISP console, Numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryNumber {
    /// "Number", in +E.164.
    pub number: E164,
    /// "Source": where it came from (free text, e.g. `Plivo`).
    pub source: String,
    /// "Type".
    pub number_type: NumberType,
    /// "Price": monthly price to the customer.
    pub price: Price,
    /// "Vendor Price": what the ISP pays monthly.
    pub vendor_price: Price,
    /// "SMS" / "VOICE".
    pub capabilities: Capabilities,
}

impl InventoryNumber {
    /// Checks the free-text source: 1 to 64 characters without control characters.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the value and the rule.
    pub fn validate(&self) -> Result<(), Error> {
        if self.source.is_empty() {
            return Err(Error::invalid("number source", "", "must not be empty"));
        }
        check_text("number source", &self.source, 64)
    }
}

/// A tenant phone number: an inventory number assigned to a subscriber (tenant console, Phone Numbers).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneNumberAssignment {
    /// The number.
    pub number: E164,
    /// The extension that receives its calls.
    pub extension: Extension,
}
