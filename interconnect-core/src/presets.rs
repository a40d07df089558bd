//! Plivo Zentrunk facts as data, each with its source and the date it was checked.
//!
//! Nothing in the logic of this crate hard-codes these values: code reads them from [`PLIVO`]
//! so a change at Plivo is a one-line data change with a new [`Provenance`].

use std::net::{IpAddr, Ipv4Addr};
use std::ops::RangeInclusive;

use crate::acl::{AclEntry, IpAcl};
use crate::codec::{Codec, CodecPolicy, Dtmf};

/// Where a preset value comes from and when it was last checked against that source.
///
/// ```
/// use interconnect_core::presets::PLIVO;
///
/// let p = PLIVO.regions()[0].provenance();
/// assert!(p.source().contains("plivo.com"));
/// assert_eq!(p.verified().len(), 10); // YYYY-MM-DD
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Provenance {
    source: &'static str,
    verified: &'static str,
}

impl Provenance {
    /// A provenance record.
    pub const fn new(source: &'static str, verified: &'static str) -> Provenance {
        Provenance { source, verified }
    }

    /// The source: a URL, optionally followed by the section that states the value.
    pub const fn source(&self) -> &'static str {
        self.source
    }

    /// The date (`YYYY-MM-DD`) the value was last checked against the source.
    pub const fn verified(&self) -> &'static str {
        self.verified
    }

    /// Days from the verified date to `today` (`YYYY-MM-DD`), for staleness warnings; `None` if
    /// either date is malformed.
    ///
    /// ```
    /// use interconnect_core::presets::Provenance;
    ///
    /// let p = Provenance::new("https://example.com", "2026-01-01");
    /// assert_eq!(p.age_days("2026-03-01"), Some(59));
    /// assert_eq!(p.age_days("March"), None);
    /// ```
    pub fn age_days(&self, today: &str) -> Option<i64> {
        Some(days_from_civil(today)? - days_from_civil(self.verified)?)
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (H. Hinnant's `days_from_civil` algorithm).
fn days_from_civil(date: &str) -> Option<i64> {
    let mut it = date.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if date.len() != 10 || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The source of the signalling/media ranges: the Zentrunk quickstart, section "Signaling / Media
/// IP addresses", which says to allow all of them because calls may be routed through another
/// region during a disruption.
const QUICKSTART: &str =
    "https://plivo.com/docs/sip-trunking (section \"Signaling / Media IP addresses\")";
/// The technical specifications page (codecs, DTMF, methods, ports).
const SPEC: &str = "https://plivo.com/docs/sip-trunking/concepts/technical-specifications";
/// The date the project's reference notes (`plivo-zentrunk.md`, sections 4 and 5) were compiled
/// from Plivo's pages.
const VERIFIED: &str = "2026-11-26";

/// One Plivo data-centre region and the CIDR blocks its SIP signalling and media come from.
///
/// ```
/// use interconnect_core::presets::PLIVO;
///
/// let sao_paulo = PLIVO.region_of("18.228.70.65".parse().unwrap()).unwrap();
/// assert_eq!(sao_paulo.name(), "São Paulo, Brazil");
/// assert_eq!(sao_paulo.cidrs().len(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlivoRegion {
    name: &'static str,
    cidrs: &'static [AclEntry],
    provenance: Provenance,
}

impl PlivoRegion {
    /// The region as Plivo names it ("Virginia, USA").
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The signalling and media CIDR blocks of the region.
    pub const fn cidrs(&self) -> &'static [AclEntry] {
        self.cidrs
    }

    /// Where the blocks come from.
    pub const fn provenance(&self) -> Provenance {
        self.provenance
    }
}

const fn region(name: &'static str, cidrs: &'static [AclEntry]) -> PlivoRegion {
    PlivoRegion {
        name,
        cidrs,
        provenance: Provenance::new(QUICKSTART, VERIFIED),
    }
}

/// SIP and RTP ports of Zentrunk.
///
/// ```
/// use interconnect_core::presets::PLIVO;
///
/// let ports = PLIVO.ports();
/// assert_eq!((ports.signalling(), ports.signalling_tls()), (5060, 5061));
/// assert!(ports.media().contains(&20_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlivoPorts {
    signalling: u16,
    signalling_tls: u16,
    media: RangeInclusive<u16>,
    provenance: Provenance,
}

impl PlivoPorts {
    /// SIP over UDP and TCP.
    pub const fn signalling(&self) -> u16 {
        self.signalling
    }

    /// SIP over TLS (TLS 1.2 and 1.3).
    pub const fn signalling_tls(&self) -> u16 {
        self.signalling_tls
    }

    /// RTP/SRTP media ports, UDP and TCP.
    pub fn media(&self) -> RangeInclusive<u16> {
        self.media.clone()
    }

    /// Where the ports come from.
    pub const fn provenance(&self) -> Provenance {
        self.provenance
    }
}

/// Everything this crate knows about Zentrunk's network side; see [`PLIVO`].
#[derive(Debug)]
pub struct PlivoPreset {
    regions: [PlivoRegion; 7],
    ports: PlivoPorts,
    codecs: [Codec; 2],
    codecs_provenance: Provenance,
    dtmf: Dtmf,
    methods_supported: [&'static str; 7],
    methods_unsupported: [&'static str; 7],
    methods_provenance: Provenance,
    seed_alias: Ipv4Addr,
    seed_alias_provenance: Provenance,
}

/// Zentrunk's published ranges, ports, codecs, DTMF and SIP methods.
///
/// ```
/// use interconnect_core::presets::PLIVO;
///
/// assert_eq!(PLIVO.regions().len(), 7);
/// assert_eq!(PLIVO.signalling_acl().len(), 14);
/// assert_eq!(PLIVO.ports().signalling(), 5060);
/// assert_eq!(PLIVO.ports().media(), 10000..=30000);
/// assert!(PLIVO.supports_method("INVITE"));
/// assert!(!PLIVO.supports_method("REGISTER"));
/// ```
pub static PLIVO: PlivoPreset = PlivoPreset {
    regions: [
        region(
            "North California, USA",
            &[
                AclEntry::v4_const(13, 52, 9, 0, 25),
                AclEntry::v4_const(216, 120, 187, 128, 26),
            ],
        ),
        region(
            "Virginia, USA",
            &[
                AclEntry::v4_const(18, 214, 109, 128, 25),
                AclEntry::v4_const(18, 215, 142, 0, 26),
                AclEntry::v4_const(204, 89, 148, 128, 26),
            ],
        ),
        region(
            "Frankfurt, Germany",
            &[AclEntry::v4_const(3, 120, 121, 128, 26)],
        ),
        region(
            "São Paulo, Brazil",
            &[
                AclEntry::v4_const(18, 228, 70, 64, 26),
                AclEntry::v4_const(54, 233, 191, 0, 27),
            ],
        ),
        region(
            "Sydney, Australia",
            &[AclEntry::v4_const(13, 238, 202, 192, 26)],
        ),
        region(
            "Singapore",
            &[
                AclEntry::v4_const(18, 136, 1, 128, 26),
                AclEntry::v4_const(204, 89, 149, 128, 27),
            ],
        ),
        region(
            "India",
            &[
                AclEntry::v4_const(15, 207, 90, 192, 31),
                AclEntry::v4_const(204, 89, 151, 128, 27),
                AclEntry::v4_const(204, 89, 151, 160, 27),
            ],
        ),
    ],
    ports: PlivoPorts {
        signalling: 5060,
        signalling_tls: 5061,
        media: 10_000..=30_000,
        provenance: Provenance::new(QUICKSTART, VERIFIED),
    },
    codecs: [Codec::Pcmu, Codec::Pcma],
    codecs_provenance: Provenance::new(SPEC, VERIFIED),
    dtmf: Dtmf::Rfc2833,
    methods_supported: [
        "ACK", "BYE", "CANCEL", "INVITE", "OPTIONS", "REFER", "UPDATE",
    ],
    methods_unsupported: [
        "INFO",
        "MESSAGE",
        "NOTIFY",
        "PRACK",
        "PUBLISH",
        "REGISTER",
        "SUBSCRIBE",
    ],
    methods_provenance: Provenance::new(SPEC, VERIFIED),
    seed_alias: Ipv4Addr::new(18, 214, 109, 129),
    seed_alias_provenance: Provenance::new(
        "https://github.com/pauloantonio-git/wehostvoip-docs/blob/59c5a53/docs/plivo_trunk.md \
         (section 3.1; removed in commit b3735e8 the same day)",
        "2023-04-10",
    ),
};

impl PlivoPreset {
    /// The seven regions and their CIDR blocks, in the order Plivo lists them.
    pub fn regions(&self) -> &[PlivoRegion] {
        &self.regions
    }

    /// All 14 signalling/media blocks, as one ACL.
    pub fn signalling_acl(&self) -> IpAcl {
        // The blocks are disjoint and non-empty (checked by a unit test), so `new` cannot fail;
        // the fallback keeps this total without a panic path.
        IpAcl::new(self.cidrs()).unwrap_or_else(|_| IpAcl::single(self.regions[0].cidrs[0]))
    }

    /// All 14 blocks, region by region.
    pub fn cidrs(&self) -> impl Iterator<Item = AclEntry> + '_ {
        self.regions.iter().flat_map(|r| r.cidrs.iter().copied())
    }

    /// Whether `ip` is inside one of Plivo's published blocks.
    pub fn is_plivo_address(&self, ip: IpAddr) -> bool {
        self.cidrs().any(|c| c.contains(ip))
    }

    /// The region whose blocks contain `ip`.
    pub fn region_of(&self, ip: IpAddr) -> Option<&PlivoRegion> {
        self.regions
            .iter()
            .find(|r| r.cidrs.iter().any(|c| c.contains(ip)))
    }

    /// Ports for signalling and media.
    pub fn ports(&self) -> &PlivoPorts {
        &self.ports
    }

    /// The codecs Zentrunk supports: G.711 PCMU and PCMA only.
    pub fn codecs(&self) -> &[Codec] {
        &self.codecs
    }

    /// The codecs plus `telephone-event`: what to pass to [`CodecPolicy::check_against`].
    pub fn capabilities(&self) -> Vec<Codec> {
        let mut c = self.codecs.to_vec();
        if self.dtmf == Dtmf::Rfc2833 {
            c.push(Codec::TelephoneEvent);
        }
        c
    }

    /// A codec policy matching Zentrunk exactly (PCMU required, PCMA allowed, RFC 2833, 20 ms).
    pub fn codec_policy(&self) -> CodecPolicy {
        CodecPolicy::default()
    }

    /// Where the codec and DTMF facts come from.
    pub const fn codecs_provenance(&self) -> Provenance {
        self.codecs_provenance
    }

    /// The DTMF mode Zentrunk supports (RFC 2833).
    pub const fn dtmf(&self) -> Dtmf {
        self.dtmf
    }

    /// SIP methods Zentrunk supports.
    pub fn methods_supported(&self) -> &[&'static str] {
        &self.methods_supported
    }

    /// SIP methods Zentrunk does not support (no REGISTER: the ISP side must be a static peer).
    pub fn methods_unsupported(&self) -> &[&'static str] {
        &self.methods_unsupported
    }

    /// Whether Zentrunk supports a SIP method (case-sensitive, as SIP methods are).
    pub fn supports_method(&self, method: &str) -> bool {
        self.methods_supported.contains(&method)
    }

    /// Where the method lists come from.
    pub const fn methods_provenance(&self) -> Provenance {
        self.methods_provenance
    }

    /// 18.214.109.129, which the seed runbook calls "an alias to all PLIVO address ranges". No
    /// Plivo source says so: it is the first host of the Virginia block 18.214.109.128/25.
    pub const fn seed_alias(&self) -> Ipv4Addr {
        self.seed_alias
    }

    /// Where the alias comes from.
    pub const fn seed_alias_provenance(&self) -> Provenance {
        self.seed_alias_provenance
    }
}

/// How old a preset may get before a plan asks the operator to re-check it against its source
/// (as Plivo's own CLI does for its presets).
pub const MAX_PRESET_AGE_DAYS: i64 = 90;

/// A preset whose verified date is older than allowed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StalePreset {
    /// What the preset is ("Plivo's published ranges (Virginia, USA)", "shared SBC us").
    pub what: String,
    /// Its source and verified date.
    pub provenance: Provenance,
    /// Days since it was verified.
    pub age_days: i64,
}

/// Every preset with its provenance: Plivo's ranges per region, ports, codecs, methods, the seed
/// alias, and the shared WeHostVoIP SBCs.
pub fn all_provenances() -> Vec<(String, Provenance)> {
    let mut all: Vec<(String, Provenance)> = PLIVO
        .regions()
        .iter()
        .map(|r| {
            (
                format!("Plivo's published ranges ({})", r.name()),
                r.provenance(),
            )
        })
        .collect();
    all.push(("Plivo's ports".to_owned(), PLIVO.ports().provenance()));
    all.push(("Plivo's codecs".to_owned(), PLIVO.codecs_provenance()));
    all.push(("Plivo's SIP methods".to_owned(), PLIVO.methods_provenance()));
    all.push((
        "the seed runbook's alias address".to_owned(),
        PLIVO.seed_alias_provenance(),
    ));
    for sbc in crate::Sbc::presets() {
        if let Some(p) = sbc.provenance() {
            all.push((
                format!("the shared SBC {} ({})", sbc.label(), sbc.host()),
                p,
            ));
        }
    }
    all
}

/// The presets verified more than `max_age_days` before `today` (`YYYY-MM-DD`); a preset whose date
/// cannot be read counts as stale (its age is then `i64::MAX`).
///
/// ```
/// use interconnect_core::presets::{stale_presets, MAX_PRESET_AGE_DAYS};
///
/// // Plivo's ranges were verified on 2026-11-26; the shared SBCs' addresses long before.
/// let now = stale_presets("2026-12-01", MAX_PRESET_AGE_DAYS);
/// assert!(!now.iter().any(|p| p.what.contains("Virginia")));
/// assert!(now.iter().any(|p| p.what.contains("shared SBC us")));
/// let old = stale_presets("2027-06-01", MAX_PRESET_AGE_DAYS);
/// assert!(old.iter().any(|p| p.what.contains("Virginia")));
/// assert!(old.iter().all(|p| p.age_days > MAX_PRESET_AGE_DAYS));
/// ```
pub fn stale_presets(today: &str, max_age_days: i64) -> Vec<StalePreset> {
    all_provenances()
        .into_iter()
        .filter_map(|(what, provenance)| {
            let age_days = provenance.age_days(today).unwrap_or(i64::MAX);
            (age_days > max_age_days).then_some(StalePreset {
                what,
                provenance,
                age_days,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourteen_disjoint_blocks_that_match_the_reference_text() {
        let expected = "13.52.9.0/25, 216.120.187.128/26, 18.214.109.128/25, 18.215.142.0/26, \
                        204.89.148.128/26, 3.120.121.128/26, 18.228.70.64/26, 54.233.191.0/27, \
                        13.238.202.192/26, 18.136.1.128/26, 204.89.149.128/27, 15.207.90.192/31, \
                        204.89.151.128/27, 204.89.151.160/27";
        let listed: Vec<String> = PLIVO.cidrs().map(|c| c.to_string()).collect();
        assert_eq!(listed.join(", "), expected);
        let acl = IpAcl::new(PLIVO.cidrs()).expect("blocks are disjoint");
        assert_eq!(acl.len(), 14);
        assert_eq!(PLIVO.signalling_acl(), acl);
        for c in PLIVO.cidrs() {
            assert_eq!(c, c.to_string().parse::<AclEntry>().unwrap());
        }
    }

    #[test]
    fn seed_alias_is_one_host_of_virginia() {
        let alias = IpAddr::V4(PLIVO.seed_alias());
        assert_eq!(PLIVO.region_of(alias).unwrap().name(), "Virginia, USA");
        assert!(!PLIVO.is_plivo_address("8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn default_policy_fits_plivo() {
        let report = PLIVO
            .codec_policy()
            .check_against(&PLIVO.capabilities())
            .unwrap();
        assert!(report.warnings().is_empty());
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil("1970-01-01"), Some(0));
        assert_eq!(days_from_civil("2000-03-01"), Some(11_017));
        assert_eq!(days_from_civil("2024-13-01"), None);
        let p = Provenance::new("x", "2023-04-10");
        assert_eq!(p.age_days("2024-04-10"), Some(366));
    }
}
