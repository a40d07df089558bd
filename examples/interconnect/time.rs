//! Dates and times typed by operators, with no dependency: RFC 3339 or `YYYY-MM-DD HH:MM[:SS]`.

#![allow(clippy::many_single_char_names)] // y, m, d, h: the usual names in calendar arithmetic

use std::time::{SystemTime, UNIX_EPOCH};

/// Today's date (UTC) as `YYYY-MM-DD`, or the date in `INTERCONNECT_TODAY` (for reproducible runs
/// and tests of the preset-age warning).
pub fn today() -> String {
    if let Some(d) = std::env::var("INTERCONNECT_TODAY")
        .ok()
        .filter(|d| parse_date(d).is_some())
    {
        return d;
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses `--since` into Plivo's `end_time` form, `YYYY-MM-DD HH:MM:SS` in UTC.
///
/// Accepted: `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS` (taken as UTC, as Plivo's CDRs are), and
/// RFC 3339 (`2026-11-26T14:05:00Z`, `2026-11-26T11:05:00-03:00`, fractions of a second dropped).
pub fn parse_since(raw: &str) -> Result<String, String> {
    let rule = "expected RFC 3339 (2026-11-26T14:05:00Z) or YYYY-MM-DD HH:MM[:SS] in UTC";
    let s = raw.trim();
    let bad = || rule.to_owned();
    if s.len() < 16 {
        return Err(bad());
    }
    let (date, rest) = s.split_at(10);
    let (y, m, d) = parse_date(date).ok_or_else(bad)?;
    let mut chars = rest.chars();
    let sep = chars.next().ok_or_else(bad)?;
    let rfc3339 = matches!(sep, 'T' | 't');
    if !rfc3339 && sep != ' ' {
        return Err(bad());
    }
    let rest = chars.as_str();
    // Time: HH:MM[:SS[.frac]] then, for RFC 3339, Z or ±HH:MM.
    let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let clock = clock.split('.').next().unwrap_or_default();
    let mut parts = clock.split(':');
    let hh = num(parts.next(), 0, 23).ok_or_else(bad)?;
    let mm = num(parts.next(), 0, 59).ok_or_else(bad)?;
    let ss = match parts.next() {
        Some(p) => num(Some(p), 0, 60).ok_or_else(bad)?,
        None if rfc3339 => return Err(bad()),
        None => 0,
    };
    if parts.next().is_some() {
        return Err(bad());
    }
    let offset_minutes = match zone {
        "" if rfc3339 => return Err(format!("the time zone is missing (Z or ±HH:MM); {rule}")),
        "Z" | "z" if rfc3339 => 0,
        "" => 0,
        z if !rfc3339 => return Err(format!("unexpected {z:?}; {rule}")),
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (h, m) = z[1..].split_once(':').ok_or_else(bad)?;
            sign * (num(Some(h), 0, 23).ok_or_else(bad)? * 60
                + num(Some(m), 0, 59).ok_or_else(bad)?)
        }
    };
    let total =
        days_from_civil(y, m, d) * 86_400 + hh * 3_600 + mm * 60 + ss.min(59) - offset_minutes * 60;
    let (y, m, d) = civil_from_days(total.div_euclid(86_400));
    let t = total.rem_euclid(86_400);
    Ok(format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        t / 3_600,
        t % 3_600 / 60,
        t % 60
    ))
}

fn num(s: Option<&str>, lo: i64, hi: i64) -> Option<i64> {
    let s = s?;
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    (lo..=hi).contains(&n).then_some(n)
}

fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m = num(s.get(5..7), 1, 12)?;
    let d = num(s.get(8..10), 1, 31)?;
    let days_in_month = match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (d <= days_in_month).then_some((y, m, d))
}

/// Days since 1970-01-01 (H. Hinnant's algorithms).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            era * 400 + yoe + 1
        } else {
            era * 400 + yoe
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_parse_to_plivo_utc() {
        assert_eq!(
            parse_since("2026-11-26 00:00").unwrap(),
            "2026-11-26 00:00:00"
        );
        assert_eq!(
            parse_since("2026-11-26 14:05:09").unwrap(),
            "2026-11-26 14:05:09"
        );
        assert_eq!(
            parse_since("2026-11-26T14:05:00Z").unwrap(),
            "2026-11-26 14:05:00"
        );
        assert_eq!(
            parse_since("2026-11-26T23:30:00.250-03:00").unwrap(),
            "2026-11-27 02:30:00"
        );
        assert_eq!(
            parse_since("2026-01-01T01:00:00+02:00").unwrap(),
            "2025-12-31 23:00:00"
        );
    }

    #[test]
    fn bad_times_say_what_is_expected() {
        for bad in [
            "yesterday",
            "2026-11-26",
            "2026-13-01 00:00",
            "2026-02-30 00:00",
            "2026-11-26 24:00",
            "2026-11-26T10:00:00",
            "2026-11-26 10:00Z",
            "26/11/2026 10:00",
        ] {
            let e = parse_since(bad).unwrap_err();
            assert!(e.contains("RFC 3339"), "{bad}: {e}");
        }
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-1, 0, 59, 365, 20_000, 20_789] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }
}
