//! Deterministic names for every remote object this library makes.
//!
//! Plivo creates are not idempotent and names are not unique, so reconciliation finds our objects
//! by name: every object is named `whv-<tenant key>-<sbc label>-<role>`, and the name parses back
//! into those three parts.
//!
//! # The scheme (stable: changing it orphans existing objects)
//!
//! - `whv-` marks objects made by this library.
//! - The **tenant key** is the tenant itself when it already is a short slug: 1-24 characters of
//!   `a-z`, `0-9` and single inner `-` (`acme`, `acme-corp`). Any other tenant (capitals, spaces,
//!   dots, non-ASCII, longer than 24) becomes `<slug>_<hash>`: the slug keeps up to 16 characters
//!   of the lowercased ASCII letters and digits with every other run of characters turned into one
//!   `-` (`t` if nothing is left), and the hash is the first 10 hex digits of the 64-bit FNV-1a hash
//!   of the tenant's UTF-8 bytes. Slug-form keys never contain `_`, so the two forms never collide;
//!   two different odd tenants collide only if their slugs and 40-bit hashes are equal.
//! - The **SBC label** is `us`, `br`, `in` or a dedicated SBC's 1-8 character label.
//! - The **role** is `outbound` (outbound trunk), `inbound` (inbound trunk), `acl` (IP access
//!   control list), `uri` (origination URI) or `carrier` (WeHostVoIP carrier).
//!
//! Names are at most 64 characters. Plivo documents no limit on `name` (it is listed as an optional
//! string on trunks, ACLs, credentials and URIs); 64 is a conservative bound the scheme stays well
//! inside (the longest possible name is 49 characters).
//!
//! The tenant is a WeHostVoIP tenant domain ([`wehostvoip_client::TenantDomain`], the one tenant
//! rule, normalised by [`crate::interconnect::normalize_tenant`]), so naming cannot fail.
//!
//! ```
//! use interconnect_core::{ResourceName, Sbc};
//! use interconnect_core::naming::ResourceRole;
//! use interconnect_core::interconnect::normalize_tenant;
//!
//! let us = Sbc::preset("us").unwrap();
//! let acme = "acme".parse()?;
//! let n = ResourceName::new(&acme, us, ResourceRole::OutboundTrunk);
//! assert_eq!(n.to_string(), "whv-acme-us-outbound");
//! let tenant = normalize_tenant("Acme.HoBot.WeHostVoIP.io.")?;
//! let odd = ResourceName::new(&tenant, us, ResourceRole::IpAcl);
//! assert_eq!(odd.to_string(), "whv-acme-hobot-wehos_d1f04afe7b-us-acl");
//! let back: ResourceName = odd.to_string().parse()?;
//! assert_eq!(back.role(), ResourceRole::IpAcl);
//! assert!(back.is_for(&tenant, us));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::error::NameError;
use crate::sbc::Sbc;

/// The prefix of every name this library makes.
pub const NAME_PREFIX: &str = "whv-";
/// The longest name accepted.
pub const MAX_NAME_LEN: usize = 64;
/// The longest tenant used as its own key.
pub const MAX_PLAIN_KEY_LEN: usize = 24;
/// The longest slug kept before the hash of an odd tenant.
pub const MAX_HASHED_SLUG_LEN: usize = 16;
/// Hex digits of the hash.
pub const HASH_HEX_LEN: usize = 10;

/// What a named object is.
///
/// ```
/// use interconnect_core::naming::ResourceRole;
///
/// assert_eq!("uri".parse::<ResourceRole>()?, ResourceRole::OriginationUri);
/// assert_eq!(ResourceRole::Carrier.to_string(), "carrier");
/// # Ok::<(), interconnect_core::error::NameError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ResourceRole {
    /// The Plivo outbound trunk (WeHostVoIP to Plivo).
    OutboundTrunk,
    /// The Plivo inbound trunk (Plivo to WeHostVoIP).
    InboundTrunk,
    /// The Plivo IP access control list holding the SBC address.
    IpAcl,
    /// The Plivo origination URI pointing at the SBC.
    OriginationUri,
    /// The WeHostVoIP carrier whose gateway is the trunk domain.
    Carrier,
}

impl ResourceRole {
    /// Every role.
    pub const ALL: [ResourceRole; 5] = [
        ResourceRole::OutboundTrunk,
        ResourceRole::InboundTrunk,
        ResourceRole::IpAcl,
        ResourceRole::OriginationUri,
        ResourceRole::Carrier,
    ];

    /// The suffix used in names.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResourceRole::OutboundTrunk => "outbound",
            ResourceRole::InboundTrunk => "inbound",
            ResourceRole::IpAcl => "acl",
            ResourceRole::OriginationUri => "uri",
            ResourceRole::Carrier => "carrier",
        }
    }
}

impl fmt::Display for ResourceRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ResourceRole {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ResourceRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| NameError::UnknownRole {
                value: s.to_owned(),
                role: s.to_owned(),
            })
    }
}

string_conversions!(
    ResourceRole,
    NameError,
    "outbound, inbound, acl, uri or carrier"
);

/// The 64-bit FNV-1a hash: tiny, fixed by its specification, so stable across Rust versions
/// (unlike `std`'s `DefaultHasher`).
pub(crate) const fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

fn is_plain_key(s: &str) -> bool {
    (1..=MAX_PLAIN_KEY_LEN).contains(&s.len()) && is_slug(s)
}

/// `a-z0-9` runs joined by single `-`.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|run| {
            !run.is_empty()
                && run
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The key a tenant is named by (see the module docs).
fn key_of(tenant: &str) -> String {
    if is_plain_key(tenant) {
        return tenant.to_owned();
    }
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in tenant.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug.truncate(MAX_HASHED_SLUG_LEN);
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "t" } else { slug };
    let hash = fnv1a64(tenant.as_bytes()) >> (64 - 4 * HASH_HEX_LEN);
    format!("{slug}_{hash:0HASH_HEX_LEN$x}")
}

fn is_key(s: &str) -> bool {
    match s.split_once('_') {
        None => is_plain_key(s),
        Some((slug, hash)) => {
            slug.len() <= MAX_HASHED_SLUG_LEN
                && is_slug(slug)
                && hash.len() == HASH_HEX_LEN
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }
    }
}

fn is_sbc_label(s: &str) -> bool {
    (1..=8).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The name of one remote object: tenant key, SBC label and role.
///
/// ```
/// use interconnect_core::{ResourceName, Sbc};
/// use interconnect_core::naming::ResourceRole;
///
/// let name: ResourceName = "whv-acme-br-inbound".parse()?;
/// assert_eq!(name.tenant_key(), "acme");
/// assert_eq!(name.sbc_label(), "br");
/// assert_eq!(name.role(), ResourceRole::InboundTrunk);
/// assert!(name.is_for(&"acme".parse()?, Sbc::preset("br").unwrap()));
/// assert!(!name.is_for(&"acme.io".parse()?, Sbc::preset("br").unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceName {
    tenant_key: String,
    sbc: String,
    role: ResourceRole,
}

impl ResourceName {
    /// The name of the `role` object of a WeHostVoIP tenant on `sbc`. The tenant domain is
    /// already checked by its one rule, so this cannot fail.
    ///
    /// ```
    /// use interconnect_core::{ResourceName, Sbc};
    /// use interconnect_core::naming::ResourceRole;
    ///
    /// let tenant = "acme".parse()?;
    /// let n = ResourceName::new(&tenant, Sbc::preset("us").unwrap(), ResourceRole::IpAcl);
    /// assert_eq!(n.to_string(), "whv-acme-us-acl");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        tenant: &wehostvoip_client::TenantDomain,
        sbc: &Sbc,
        role: ResourceRole,
    ) -> ResourceName {
        ResourceName {
            tenant_key: key_of(tenant.as_str()),
            sbc: sbc.label().to_owned(),
            role,
        }
    }

    /// Whether this name belongs to `tenant` on `sbc` (any role).
    pub fn is_for(&self, tenant: &wehostvoip_client::TenantDomain, sbc: &Sbc) -> bool {
        self.sbc == sbc.label() && key_of(tenant.as_str()) == self.tenant_key
    }

    /// The tenant key.
    pub fn tenant_key(&self) -> &str {
        &self.tenant_key
    }

    /// The SBC label.
    pub fn sbc_label(&self) -> &str {
        &self.sbc
    }

    /// The role.
    pub const fn role(&self) -> ResourceRole {
        self.role
    }
}

impl FromStr for ResourceName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some(rest) = s.strip_prefix(NAME_PREFIX) else {
            return Err(NameError::ForeignName {
                value: s.to_owned(),
            });
        };
        if s.len() > MAX_NAME_LEN {
            return Err(NameError::TooLong {
                value: s.to_owned(),
                len: s.len(),
                max: MAX_NAME_LEN,
            });
        }
        let syntax = || NameError::Syntax {
            value: s.to_owned(),
        };
        let mut parts = rest.rsplitn(3, '-');
        let role_text = parts.next().ok_or_else(syntax)?;
        let sbc = parts.next().ok_or_else(syntax)?;
        let key = parts.next().ok_or_else(syntax)?;
        let role = role_text
            .parse::<ResourceRole>()
            .map_err(|_| NameError::UnknownRole {
                value: s.to_owned(),
                role: role_text.to_owned(),
            })?;
        if !is_sbc_label(sbc) || !is_key(key) {
            return Err(syntax());
        }
        Ok(ResourceName {
            tenant_key: key.to_owned(),
            sbc: sbc.to_owned(),
            role,
        })
    }
}

impl fmt::Display for ResourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{NAME_PREFIX}{}-{}-{}",
            self.tenant_key, self.sbc, self.role
        )
    }
}

string_conversions!(
    ResourceName,
    NameError,
    "a resource name such as \"whv-acme-us-outbound\""
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    fn tenant(s: &str) -> wehostvoip_client::TenantDomain {
        s.parse().unwrap()
    }

    #[test]
    fn every_name_fits_and_parses_back() {
        let long = format!(
            "{}.{}.{}.io",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63)
        );
        for t in [
            "a",
            "acme",
            "x".repeat(24).as_str(),
            "x".repeat(25).as_str(),
            &long,
            "a--b",
        ] {
            let t = tenant(t);
            for sbc in Sbc::presets() {
                for role in ResourceRole::ALL {
                    let n = ResourceName::new(&t, sbc, role);
                    let s = n.to_string();
                    assert!(s.len() <= 49, "{s}");
                    assert_eq!(s.parse::<ResourceName>().unwrap(), n);
                    assert!(n.is_for(&t, sbc));
                }
            }
        }
    }

    #[test]
    fn distinct_tenants_get_distinct_keys() {
        let tenants = [
            "acme",
            "a-cme",
            "acme-1",
            "acme1",
            "acme.io",
            "acme-io",
            "acme--corp",
            "acme-corp",
            "acme.corp",
            "1acme",
        ];
        let keys: std::collections::HashSet<String> =
            tenants.iter().map(|t| key_of(tenant(t).as_str())).collect();
        assert_eq!(keys.len(), tenants.len());
    }
}
