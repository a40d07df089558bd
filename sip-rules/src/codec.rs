//! RTP payload formats: the one definition of a codec's encoding name, clock rate and static
//! payload type, and the RFC 3551 table of static audio payload types.

/// A codec the policy can require, matched by static payload type or by `a=rtpmap` name and
/// clock rate (ASCII case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Codec {
    name: &'static str,
    clock_rate: u32,
    static_pt: Option<u8>,
}

impl Codec {
    /// G.711 µ-law: static payload type 0 or `PCMU/8000`.
    pub const PCMU: Self = Self::new("PCMU", 8000, Some(0));
    /// GSM 06.10: static payload type 3 or `GSM/8000`.
    pub const GSM: Self = Self::new("GSM", 8000, Some(3));
    /// G.723.1: static payload type 4 or `G723/8000`.
    pub const G723: Self = Self::new("G723", 8000, Some(4));
    /// G.711 A-law: static payload type 8 or `PCMA/8000`.
    pub const PCMA: Self = Self::new("PCMA", 8000, Some(8));
    /// G.722: static payload type 9 or `G722/8000` (the RTP clock is 8000 by RFC 3551).
    pub const G722: Self = Self::new("G722", 8000, Some(9));
    /// Comfort noise (RFC 3389): static payload type 13 or `CN/8000`.
    pub const CN: Self = Self::new("CN", 8000, Some(13));
    /// G.729: static payload type 18 or `G729/8000`.
    pub const G729: Self = Self::new("G729", 8000, Some(18));
    /// Opus: dynamic only, `opus/48000` (RFC 7587).
    pub const OPUS: Self = Self::new("opus", 48000, None);
    /// DTMF events: dynamic only, `telephone-event/8000` (RFC 4733, formerly RFC 2833).
    pub const TELEPHONE_EVENT: Self = Self::new("telephone-event", 8000, None);

    /// A codec by encoding name, RTP clock rate and static payload type (if it has one).
    pub const fn new(name: &'static str, clock_rate: u32, static_pt: Option<u8>) -> Self {
        Self {
            name,
            clock_rate,
            static_pt,
        }
    }

    /// The encoding name as in `a=rtpmap`.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The RTP clock rate.
    pub const fn clock_rate(&self) -> u32 {
        self.clock_rate
    }

    /// The static RTP payload type, if any.
    pub const fn static_payload_type(&self) -> Option<u8> {
        self.static_pt
    }

    /// The codec RFC 3551 assigns static audio payload type `pt` to, from [`RFC3551_STATIC`]
    /// (one indexed load).
    ///
    /// ```
    /// use sip_rules::codec::Codec;
    /// assert_eq!(Codec::from_static_payload_type(8), Some(Codec::PCMA));
    /// assert_eq!(Codec::from_static_payload_type(101), None);
    /// ```
    #[inline]
    pub const fn from_static_payload_type(pt: u8) -> Option<Self> {
        match BY_PAYLOAD_TYPE.as_slice().split_at_checked(pt as usize) {
            Some((_, [codec, ..])) => *codec,
            _ => None,
        }
    }
}

/// The static audio payload types of RFC 3551 (table 4) that are in use, by payload type:
/// every entry's [`Codec::static_payload_type`] is `Some`.
pub const RFC3551_STATIC: [Codec; 7] = [
    Codec::PCMU,
    Codec::GSM,
    Codec::G723,
    Codec::PCMA,
    Codec::G722,
    Codec::CN,
    Codec::G729,
];

/// Payload types 0 to 18 (the static audio range of [`RFC3551_STATIC`]) indexed directly.
// Evaluated by the compiler: an index or a panic here fails the build, never a call.
#[allow(clippy::indexing_slicing, clippy::panic)]
const BY_PAYLOAD_TYPE: [Option<Codec>; 19] = {
    let mut table = [None; 19];
    let mut i = 0;
    while i < RFC3551_STATIC.len() {
        let codec = RFC3551_STATIC[i];
        match codec.static_pt {
            Some(pt) if (pt as usize) < table.len() => table[pt as usize] = Some(codec),
            _ => panic!("an RFC 3551 static codec outside 0..=18"),
        }
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::{Codec, RFC3551_STATIC};

    #[test]
    fn lookup_agrees_with_the_table() {
        for pt in 0..=u8::MAX {
            let listed = RFC3551_STATIC
                .iter()
                .copied()
                .find(|c| c.static_payload_type() == Some(pt));
            assert_eq!(Codec::from_static_payload_type(pt), listed, "{pt}");
        }
    }
}
