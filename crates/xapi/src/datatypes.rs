//! The special data types of xAPI (Data §4) and the other string formats it prescribes for values:
//! IRIs and IRLs, `mailto:` IRIs, SHA-1 and SHA-2 hex digests, UUIDs in their hyphenated string form,
//! RFC 5646 language tags, Internet media types, ISO 8601 durations and timestamps.
//!
//! Each check is a pure function over `&str`. The checks answer "is this well-formed", not "does this
//! resolve": an LRS must not dereference IRIs to validate a statement.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};
use uuid::Uuid;

use crate::error::FormatError;
use crate::version::XapiVersion;

/// Whether `value` is an absolute IRI (RFC 3987): a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" /
/// "." )`), a colon and a non-empty remainder without whitespace, control characters or the
/// characters RFC 3987 excludes (`<>"{}|\^` and backtick); every `%` starts a two-digit hex escape.
///
/// xAPI requires absolute IRIs wherever it says "IRI" (verb ids, activity ids and types, extension
/// keys, usage types), so relative references are rejected.
pub fn is_iri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex_ok = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !hex_ok {
                return false;
            }
            i += 3;
            continue;
        }
        i += 1;
    }
    rest.chars().all(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    })
}

/// Whether `value` is an IRL, an IRI meant to be dereferenced (`moreInfo`, `fileUrl`, an account's
/// `homePage`). Syntactically an IRL is an absolute IRI; xAPI does not let an LRS resolve it.
pub fn is_irl(value: &str) -> bool {
    is_iri(value)
}

/// Whether `value` is a `mailto:` IRI naming one e-mail address (`mailto:local@domain`). The scheme
/// must be written in lower case, as xAPI shows it; query parts (`?subject=…`) are not allowed.
pub fn is_mailto_iri(value: &str) -> bool {
    let Some(address) = value.strip_prefix("mailto:") else {
        return false;
    };
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !address.contains(['?', '/'])
        && is_iri(value)
}

/// Whether `value` is a hex-encoded SHA-1 digest (40 hex digits, either case).
pub fn is_sha1_hex(value: &str) -> bool {
    value.len() == 40 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `value` is a hex-encoded SHA-2 digest: SHA-224, SHA-256, SHA-384 or SHA-512
/// (56, 64, 96 or 128 hex digits).
pub fn is_sha2_hex(value: &str) -> bool {
    matches!(value.len(), 56 | 64 | 96 | 128) && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Parses a UUID in the standard hyphenated string form only (`8-4-4-4-12` hex digits, either case).
/// The `uuid` crate also accepts braced, simple and URN forms, which xAPI does not.
pub fn parse_uuid(value: &str) -> Result<Uuid, FormatError> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if !shape_ok {
        return Err(FormatError::Uuid(value.to_owned()));
    }
    Uuid::parse_str(value).map_err(|_| FormatError::Uuid(value.to_owned()))
}

/// Tags RFC 5646 lists as grandfathered that the ordinary grammar does not cover (the irregular
/// ones); the regular grandfathered tags are well-formed by the grammar anyway.
const IRREGULAR_GRANDFATHERED: &[&str] = &[
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
];

/// Whether `tag` is a well-formed RFC 5646 language tag: the `langtag` production (language with up
/// to three extlangs, script, region, variants, extensions, private use), a private-use-only tag
/// (`x-…`) or an irregular grandfathered tag. Case is not significant.
///
/// Beyond well-formedness it rejects what RFC 5646 §2.2.9 makes invalid and can be decided without
/// the IANA registry: a repeated variant and a repeated extension singleton (`zh-z-aaa-z-bbb`).
pub fn is_language_tag(tag: &str) -> bool {
    if tag.is_empty() || !tag.is_ascii() {
        return false;
    }
    let lower = tag.to_ascii_lowercase();
    if IRREGULAR_GRANDFATHERED.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    if subtags
        .iter()
        .any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return false;
    }
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let digit = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if subtags[0] == "x" {
        return subtags.len() > 1;
    }
    let language = subtags[0];
    if !alpha(language) || language.len() < 2 {
        return false;
    }
    let mut i = 1;
    if language.len() <= 3 {
        let mut extlangs = 0;
        while i < subtags.len() && extlangs < 3 && subtags[i].len() == 3 && alpha(subtags[i]) {
            i += 1;
            extlangs += 1;
        }
    }
    if i < subtags.len() && subtags[i].len() == 4 && alpha(subtags[i]) {
        i += 1;
    }
    if i < subtags.len()
        && ((subtags[i].len() == 2 && alpha(subtags[i]))
            || (subtags[i].len() == 3 && digit(subtags[i])))
    {
        i += 1;
    }
    let mut variants: Vec<&str> = Vec::new();
    while i < subtags.len() {
        let s = subtags[i];
        let is_variant =
            s.len() >= 5 || (s.len() == 4 && s.as_bytes().first().is_some_and(u8::is_ascii_digit));
        if !is_variant {
            break;
        }
        if variants.contains(&s) {
            return false;
        }
        variants.push(s);
        i += 1;
    }
    let mut singletons: Vec<&str> = Vec::new();
    while i < subtags.len() && subtags[i].len() == 1 && subtags[i] != "x" {
        if singletons.contains(&subtags[i]) {
            return false;
        }
        singletons.push(subtags[i]);
        i += 1;
        let start = i;
        while i < subtags.len() && subtags[i].len() >= 2 {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if i < subtags.len() && subtags[i] == "x" {
        return subtags.len() > i + 1;
    }
    i == subtags.len()
}

/// Whether `value` is an Internet media type (RFC 6838 / RFC 9110): `type "/" subtype`, both RFC 7230
/// tokens, optionally followed by `; name=value` parameters (only checked for containing `=`).
pub fn is_media_type(value: &str) -> bool {
    let mut sections = value.split(';');
    let essence = sections.next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'!' | b'#'
                            | b'$'
                            | b'%'
                            | b'&'
                            | b'\''
                            | b'*'
                            | b'+'
                            | b'-'
                            | b'.'
                            | b'^'
                            | b'_'
                            | b'`'
                            | b'|'
                            | b'~'
                    )
            })
    };
    token(kind) && token(subtype) && sections.all(|p| p.trim().contains('='))
}

/// Checks an ISO 8601:2004 duration in the format of section 4.4.3.2: `PnW`, or
/// `P[nY][nM][nD][T[nH][nM][nS]]` with at least one component (and at least one after a `T`).
/// Only the last component may carry a decimal fraction (`.` or `,`). The alternative format of
/// section 4.4.3.3 (`P0003-06-04T12:30:05`) is rejected, as xAPI requires.
pub fn validate_duration(value: &str) -> Result<(), FormatError> {
    let err = || FormatError::Duration(value.to_owned());
    let rest = value.strip_prefix('P').ok_or_else(err)?;
    if rest.is_empty() {
        return Err(err());
    }
    // Designators in the order they may appear; the index moves forward only.
    const DATE: [u8; 3] = [b'Y', b'M', b'D'];
    const TIME: [u8; 3] = [b'H', b'M', b'S'];
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut in_time = false;
    let mut next_designator = 0usize;
    let mut components = 0usize;
    let mut time_components = 0usize;
    let mut fraction_seen = false;
    while i < bytes.len() {
        if bytes[i] == b'T' {
            if in_time {
                return Err(err());
            }
            in_time = true;
            next_designator = 0;
            i += 1;
            continue;
        }
        if fraction_seen {
            // A decimal fraction is allowed on the lowest-order component only.
            return Err(err());
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(err());
        }
        if i < bytes.len() && matches!(bytes[i], b'.' | b',') {
            i += 1;
            let fraction_start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == fraction_start {
                return Err(err());
            }
            fraction_seen = true;
        }
        let designator = *bytes.get(i).ok_or_else(err)?;
        i += 1;
        if designator == b'W' {
            // Weeks stand alone: `PnW`.
            if in_time || components > 0 || i != bytes.len() {
                return Err(err());
            }
            return Ok(());
        }
        let order: &[u8; 3] = if in_time { &TIME } else { &DATE };
        let position = order[next_designator..]
            .iter()
            .position(|d| *d == designator)
            .ok_or_else(err)?;
        next_designator += position + 1;
        components += 1;
        if in_time {
            time_components += 1;
        }
    }
    if components == 0 || (in_time && time_components == 0) {
        return Err(err());
    }
    Ok(())
}

/// Cuts the seconds of a valid duration down to hundredths (`PT1.2345S` → `PT1.23S`), the precision
/// xAPI 2.0 (§4.2.7) lets an LRS keep and compare; other durations are returned unchanged.
pub fn truncate_duration(value: &str) -> String {
    let Some(body) = value.strip_suffix('S') else {
        return value.to_owned();
    };
    let Some(dot) = body.rfind(['.', ',']) else {
        return value.to_owned();
    };
    let fraction = &body[dot + 1..];
    if fraction.len() <= 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return value.to_owned();
    }
    format!("{}{}S", &body[..dot + 1], &fraction[..2])
}

/// Parses an xAPI timestamp with the rules of `version`.
///
/// Accepted: the ISO 8601 extended format `YYYY-MM-DDThh:mm[:ss[.fraction]]` followed by a time
/// zone: `Z`, `±hh:mm`, `±hhmm` or `±hh` (RFC 3339's `Z`/`±hh:mm` is what clients should send and
/// what the LRS returns). Under xAPI 2.0 the time zone is required; under 1.0.3 it may be left out
/// and the timestamp is taken as UTC, which 1.0.3 lets an LRS assume. Under both, the "unknown local
/// offset" `-00:00` (and `-0000`, `-00`) is rejected, as is anything that is not a real calendar
/// date and time. Fractions beyond nanoseconds are cut off.
pub fn parse_timestamp(
    value: &str,
    version: XapiVersion,
) -> Result<DateTime<FixedOffset>, FormatError> {
    let err = |reason: &'static str| FormatError::Timestamp {
        value: value.to_owned(),
        reason,
    };
    let b = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter()
            .try_fold(0u32, |acc, d| Some(acc * 10 + u32::from(d - b'0')))
    };
    let date_ok = b.len() >= 16 && b[4] == b'-' && b[7] == b'-' && matches!(b[10], b'T' | b't');
    if !date_ok || b[13] != b':' {
        return Err(err("expected YYYY-MM-DDThh:mm:ss"));
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
    ) else {
        return Err(err("expected YYYY-MM-DDThh:mm:ss"));
    };
    let mut i = 16;
    let mut second = 0;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b':') {
        second = digits(i + 1..i + 3).ok_or_else(|| err("expected two-digit seconds"))?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(err("a decimal point must be followed by digits"));
            }
            let mut scale = 100_000_000u32;
            for d in &b[start..i.min(start + 9)] {
                nanos += u32::from(d - b'0') * scale;
                scale /= 10;
            }
        }
    }
    let offset_text = &value[i..];
    let offset_seconds = match offset_text {
        "" if version == XapiVersion::V2_0 => {
            return Err(err("xAPI 2.0 requires a time zone offset"));
        }
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match offset_text.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(err("unexpected characters after the time")),
            };
            let o = &offset_text.as_bytes()[1..];
            let parse2 = |s: &[u8]| -> Option<i32> {
                (s.len() == 2 && s.iter().all(u8::is_ascii_digit))
                    .then(|| i32::from(s[0] - b'0') * 10 + i32::from(s[1] - b'0'))
            };
            let (hours, minutes) = match o.len() {
                5 if o[2] == b':' => (parse2(&o[..2]), parse2(&o[3..])),
                4 => (parse2(&o[..2]), parse2(&o[2..])),
                2 => (parse2(o), Some(0)),
                _ => (None, None),
            };
            let (Some(hours), Some(minutes)) = (hours, minutes) else {
                return Err(err("malformed time zone offset"));
            };
            if hours > 23 || minutes > 59 {
                return Err(err("time zone offset out of range"));
            }
            if sign < 0 && hours == 0 && minutes == 0 {
                return Err(err("the unknown-offset form -00:00 is not allowed"));
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).map_err(|_| err("year out of range"))?,
        month,
        day,
    )
    .ok_or_else(|| err("not a calendar date"))?;
    // A leap second (:60) is represented by chrono as second 59 with an extra second of nanoseconds.
    let time = if second == 60 {
        NaiveTime::from_hms_nano_opt(hour, minute, 59, nanos + 1_000_000_000)
    } else {
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
    }
    .ok_or_else(|| err("not a valid time of day"))?;
    let offset = FixedOffset::east_opt(offset_seconds)
        .ok_or_else(|| err("time zone offset out of range"))?;
    offset
        .from_local_datetime(&date.and_time(time))
        .single()
        .ok_or_else(|| err("not a valid local time"))
}

/// Formats a point in time as the UTC timestamp an LRS stores and returns (`…Z`), keeping at least
/// millisecond precision (xAPI requires an LRS to keep at least milliseconds) and more when present.
pub fn format_timestamp_utc<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    let utc = at.with_timezone(&Utc);
    let nanos = utc.timestamp_subsec_nanos() % 1_000_000_000;
    let precision = if nanos.is_multiple_of(1_000_000) {
        SecondsFormat::Millis
    } else if nanos.is_multiple_of(1_000) {
        SecondsFormat::Micros
    } else {
        SecondsFormat::Nanos
    };
    utc.to_rfc3339_opts(precision, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_need_a_scheme_and_no_spaces() {
        for good in [
            "http://adlnet.gov/expapi/verbs/attended",
            "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            "https://example.com/über/straße",
            "tag:example.com,2026:x%20y",
        ] {
            assert!(is_iri(good), "{good} should be an IRI");
        }
        for bad in [
            "",
            "should fail",
            "abc",
            "ab=c://should.fail.com",
            "1http://x",
            "http:",
            "http://exa mple.com",
            "http://example.com/<x>",
            "http://example.com/%zz",
            ":nothing",
        ] {
            assert!(!is_iri(bad), "{bad} should not be an IRI");
        }
    }

    #[test]
    fn mailto_iris_name_one_address() {
        assert!(is_mailto_iri("mailto:xapi@adlnet.gov"));
        for bad in [
            "xapi@adlnet.gov",
            "mailto:should.fail.com",
            "http://should.fail.com",
            "mailto:@example.com",
            "mailto:a@",
            "mailto:a b@example.com",
        ] {
            assert!(!is_mailto_iri(bad), "{bad} should not be a mailto IRI");
        }
    }

    #[test]
    fn digests_are_hex_of_the_right_length() {
        assert!(is_sha1_hex("cd9b00a5611f94eaa7b1661edab976068e364975"));
        assert!(is_sha1_hex("CD9B00A5611F94EAA7B1661EDAB976068E364975"));
        assert!(!is_sha1_hex("cd9b00a5611f94eaa7b1661edab976068e36497"));
        assert!(!is_sha1_hex("zd9b00a5611f94eaa7b1661edab976068e364975"));
        assert!(is_sha2_hex(
            "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"
        ));
        assert!(!is_sha2_hex("495395e777cd98da"));
        assert!(!is_sha2_hex(
            "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848g"
        ));
    }

    #[test]
    fn uuids_only_in_hyphenated_form() {
        assert!(parse_uuid("6690e6c9-3ef0-4ed3-8b37-7f3964730bee").is_ok());
        assert!(parse_uuid("AA97B177-9383-4934-8543-0F91A7A02836").is_ok());
        for bad in [
            "AA97B177-9383-4934-8543-0F91A7A028368",
            "MA97B177-9383-4934-8543-0F91A7A02836",
            "6690e6c93ef04ed38b377f3964730bee",
            "{6690e6c9-3ef0-4ed3-8b37-7f3964730bee}",
            "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            "",
        ] {
            assert!(parse_uuid(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn language_tags_follow_rfc_5646() {
        for good in [
            "de",
            "de-DE",
            "en-US",
            "zh-Hant",
            "sr-Latn-RS",
            "cmn",
            "tlh",
            "ase",
            "es-419",
            "zh-Hans-CN",
            "fr-CA",
            "sl-rozaj-biske",
            "de-CH-1901",
            "en-a-bbb-x-a-ccc",
            "x-whatever",
            "i-klingon",
            "zh-yue-HK",
            "und",
        ] {
            assert!(is_language_tag(good), "{good} should be a language tag");
        }
        for bad in [
            "",
            "a12345678",
            "a12345",
            "zh-z-aaa-z-bbb-c-ccc",
            "de-419-DE",
            "en--US",
            "en-",
            "a-DE",
            "de-1901-1901",
            "en-a",
            "x",
            "en-x",
            "en_US",
            "ab-cdefghijk",
        ] {
            assert!(!is_language_tag(bad), "{bad} should not be a language tag");
        }
    }

    #[test]
    fn media_types() {
        assert!(is_media_type("text/plain; charset=ascii"));
        assert!(is_media_type("application/vnd.example+json"));
        for bad in ["text", "text/", "/plain", "text plain/x", "text/plain; x"] {
            assert!(!is_media_type(bad), "{bad} should not be a media type");
        }
    }

    #[test]
    fn durations_in_iso_8601_format() {
        for good in [
            "PT1H0M0.1S",
            "PT4H35M59.14S",
            "PT16559.14S",
            "P3Y1M29DT4H35M59.14S",
            "P3Y",
            "P4W",
            "P1DT12H36M0.12567S",
            "PT0S",
            "P0D",
            "PT1,5S",
            "P1M",
            "PT1M",
        ] {
            assert!(
                validate_duration(good).is_ok(),
                "{good} should be a duration"
            );
        }
        for bad in [
            "",
            "P",
            "PT",
            "PA1H0M0S",
            "P4W1D",
            "should fail",
            "PT1.5H30M",
            "P1D2Y",
            "PT1S2M",
            "P0003-06-04T12:30:05",
            "1H",
            "PT1.S",
            "P1DT",
            "P1TD",
            "PTT1H",
        ] {
            assert!(
                validate_duration(bad).is_err(),
                "{bad} should not be a duration"
            );
        }
    }

    #[test]
    fn durations_are_truncated_to_hundredths() {
        assert_eq!(truncate_duration("P1DT12H36M0.12567S"), "P1DT12H36M0.12S");
        assert_eq!(truncate_duration("P1DT12H36M0.12S"), "P1DT12H36M0.12S");
        assert_eq!(truncate_duration("PT5S"), "PT5S");
        assert_eq!(truncate_duration("P4W"), "P4W");
    }

    #[test]
    fn timestamps_per_version() {
        let both = [XapiVersion::V1_0_3, XapiVersion::V2_0];
        for v in both {
            for good in [
                "2008-09-15T15:53:00.601+00:00",
                "2008-09-15T15:53:00Z",
                "2008-09-15T15:53:00.123456789Z",
                "2023-05-04T12:00:00-05:00",
                "2016-12-31T23:59:60Z",
            ] {
                assert!(parse_timestamp(good, v).is_ok(), "{good} under {v:?}");
            }
            for bad in [
                "should fail",
                "01/011/2015",
                "2008-09-15T15:53:00.601-00",
                "2008-09-15T15:53:00.601-0000",
                "2008-09-15T15:53:00.601-00:00",
                "2008-02-30T15:53:00Z",
                "2008-09-15T25:53:00Z",
                "2008-09-15 15:53:00Z",
                "2008-09-15",
                "2008-09-15T15:53:00.Z",
                "2008-09-15T15:53:00+24:00",
            ] {
                assert!(parse_timestamp(bad, v).is_err(), "{bad} under {v:?}");
            }
        }
        assert!(parse_timestamp("2008-09-15T15:53:00.601", XapiVersion::V1_0_3).is_ok());
        assert!(parse_timestamp("2008-09-15T15:53:00.601", XapiVersion::V2_0).is_err());
        assert!(parse_timestamp("2008-09-15T15:53", XapiVersion::V1_0_3).is_ok());
        assert!(parse_timestamp("2008-09-15T15:53", XapiVersion::V2_0).is_err());
        for v in both {
            assert!(parse_timestamp("2008-09-15T15:53:00+0200", v).is_ok());
            assert!(parse_timestamp("2008-09-15T15:53:00+02", v).is_ok());
            assert!(parse_timestamp("2008-09-15T15:53Z", v).is_ok());
            assert!(parse_timestamp("2008-09-15T15:53:00+2:00", v).is_err());
            assert!(parse_timestamp("2008-09-15T15:53:00+02:0", v).is_err());
            assert!(parse_timestamp("2008-09-15T15:53:00+02:00:00", v).is_err());
            assert!(parse_timestamp("2008-09-15T15:53:0Z", v).is_err());
        }
    }

    #[test]
    fn timestamps_are_converted_to_utc_with_millisecond_precision() -> Result<(), FormatError> {
        let at = parse_timestamp("2023-05-04T12:00:00-05:00", XapiVersion::V2_0)?;
        assert_eq!(format_timestamp_utc(&at), "2023-05-04T17:00:00.000Z");
        let at = parse_timestamp("2023-05-04T12:00:00.1234+01:00", XapiVersion::V2_0)?;
        assert_eq!(format_timestamp_utc(&at), "2023-05-04T11:00:00.123400Z");
        Ok(())
    }
}
