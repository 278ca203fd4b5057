//! S3 object keys exactly as Firehose names them:
//! `<evaluated prefix><stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><extension>`.
//!
//! Prefixes are templates with `!{namespace:value}` expressions (AWS `s3-prefixes`): parsed and
//! checked once when the destination is configured, evaluated for every object.

use crate::engine::rng::SimRng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use thiserror::Error;
use time::OffsetDateTime;

/// Each prefix may be at most this long once evaluated.
pub const MAX_EVALUATED_PREFIX_CHARS: usize = 512;
/// `!{firehose:random-string}` yields this many characters.
pub const RANDOM_STRING_CHARS: usize = 11;
/// What Firehose appends to a prefix that has no timestamp expression (rule a).
pub const DEFAULT_TIMESTAMP_EXPRESSION: &str = "!{timestamp:yyyy/MM/dd/HH/}";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PrefixError {
    #[error("ErrorOutputPrefix can't be null when Prefix contains expressions")]
    ErrorPrefixRequired,
    #[error("ErrorOutputPrefix must contain !{{firehose:error-output-type}} when Prefix contains expressions")]
    ErrorPrefixWithoutErrorOutputType,
    #[error("Prefix can't contain !{{firehose:error-output-type}}; it is allowed only in ErrorOutputPrefix")]
    ErrorOutputTypeInPrefix,
    #[error("ErrorOutputPrefix can't contain !{{{0}:...}}; partition keys are allowed only in Prefix")]
    PartitionKeyInErrorPrefix(&'static str),
    #[error("'!{{' at position {position} does not start a complete expression; '!{{' may appear only as the start of !{{namespace:value}}")]
    StrayExpressionStart { position: usize },
    #[error("unknown expression !{{{0}}}; allowed: !{{timestamp:<pattern>}}, !{{firehose:random-string}}, !{{firehose:error-output-type}}, !{{partitionKeyFromQuery:<key>}}, !{{partitionKeyFromLambda:<key>}}")]
    UnknownExpression(String),
    #[error("timestamp pattern '{pattern}': {reason}; supported: yyyy, yy, MM, dd, HH, mm, ss, other punctuation, and text in single quotes")]
    BadTimestampPattern { pattern: String, reason: String },
    #[error("evaluated prefix is {len} characters; the maximum is 512")]
    TooLong { len: usize },
    #[error("no value for partition key '{key}' ({namespace}); the record goes to the error output")]
    MissingPartitionKey { namespace: &'static str, key: String },
    #[error("1 validation error detected: Value '{0}' at 'fileExtension' failed to satisfy constraint: Member must satisfy regular expression pattern: ^$|\\.[0-9a-z!\\-_.*'()]+ and be at most 128 characters")]
    BadFileExtension(String),
}

/// Why records went to the error output; `!{firehose:error-output-type}` evaluates to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorOutputType {
    ProcessingFailed,
    AmazonOpenSearchServiceFailed,
    SplunkFailed,
    FormatConversionFailed,
    HttpEndpointFailed,
}

impl ErrorOutputType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProcessingFailed => "processing-failed",
            Self::AmazonOpenSearchServiceFailed => "AmazonOpenSearchService-failed",
            Self::SplunkFailed => "splunk-failed",
            Self::FormatConversionFailed => "format-conversion-failed",
            Self::HttpEndpointFailed => "http-endpoint-failed",
        }
    }
}

/// One field of a Java DateTimeFormatter pattern, as far as Firehose prefixes need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum DateField {
    Year4,
    Year2,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Part {
    Text(String),
    Timestamp(Vec<DateField>),
    RandomString,
    ErrorOutputType,
    PartitionKeyFromQuery(String),
    PartitionKeyFromLambda(String),
}

/// A parsed prefix. Its parts keep the order they were written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefixTemplate {
    parts: Vec<Part>,
}

/// Partition-key values for one record batch (dynamic partitioning).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionKeys {
    pub from_query: BTreeMap<String, String>,
    pub from_lambda: BTreeMap<String, String>,
}

impl PrefixTemplate {
    pub fn parse(text: &str) -> Result<Self, PrefixError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(start) = rest.find("!{") {
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            let stray = PrefixError::StrayExpressionStart { position: offset + start };
            let body_and_after = &rest[start + 2..];
            let end = body_and_after.find('}').ok_or(stray.clone())?;
            let body = &body_and_after[..end];
            if body.contains("!{") {
                return Err(stray);
            }
            parts.push(parse_expression(body)?);
            let consumed = start + 2 + end + 1;
            offset += consumed;
            rest = &rest[consumed..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Self { parts })
    }

    fn has_expressions(&self) -> bool {
        self.parts.iter().any(|p| !matches!(p, Part::Text(_)))
    }

    fn has(&self, wanted: fn(&Part) -> bool) -> bool {
        self.parts.iter().any(wanted)
    }

    /// Evaluates the template for an object whose oldest record arrived at `oldest_arrival_ms`.
    /// Every timestamp expression reads that one instant; each random string is drawn anew.
    pub fn evaluate(
        &self,
        oldest_arrival_ms: u64,
        error_type: Option<ErrorOutputType>,
        keys: &PartitionKeys,
        rng: &mut SimRng,
    ) -> Result<String, PrefixError> {
        let at = utc(oldest_arrival_ms);
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Timestamp(fields) => format_fields(fields, &at, &mut out),
                Part::RandomString => out.push_str(&random_string(rng)),
                // Validation keeps this out of Prefix, so only error objects reach it.
                Part::ErrorOutputType => out.push_str(error_type.map_or("", ErrorOutputType::as_str)),
                Part::PartitionKeyFromQuery(k) => out.push_str(lookup(&keys.from_query, "partitionKeyFromQuery", k)?),
                Part::PartitionKeyFromLambda(k) => out.push_str(lookup(&keys.from_lambda, "partitionKeyFromLambda", k)?),
            }
        }
        let len = out.chars().count();
        if len > MAX_EVALUATED_PREFIX_CHARS {
            return Err(PrefixError::TooLong { len });
        }
        Ok(out)
    }
}

fn lookup<'a>(map: &'a BTreeMap<String, String>, namespace: &'static str, key: &str) -> Result<&'a str, PrefixError> {
    map.get(key)
        .map(String::as_str)
        .ok_or_else(|| PrefixError::MissingPartitionKey { namespace, key: key.to_string() })
}

fn parse_expression(body: &str) -> Result<Part, PrefixError> {
    let unknown = || PrefixError::UnknownExpression(body.to_string());
    let (namespace, value) = body.split_once(':').ok_or_else(unknown)?;
    match (namespace, value) {
        ("timestamp", pattern) => parse_pattern(pattern).map(Part::Timestamp),
        ("firehose", "random-string") => Ok(Part::RandomString),
        ("firehose", "error-output-type") => Ok(Part::ErrorOutputType),
        ("partitionKeyFromQuery", key) if !key.is_empty() => Ok(Part::PartitionKeyFromQuery(key.to_string())),
        ("partitionKeyFromLambda", key) if !key.is_empty() => Ok(Part::PartitionKeyFromLambda(key.to_string())),
        _ => Err(unknown()),
    }
}

/// Parses the subset of Java's DateTimeFormatter that date-partitioned prefixes use.
fn parse_pattern(pattern: &str) -> Result<Vec<DateField>, PrefixError> {
    let bad = |reason: String| PrefixError::BadTimestampPattern { pattern: pattern.to_string(), reason };
    if pattern.is_empty() {
        return Err(bad("the pattern is empty".into()));
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted text; '' inside or outside quotes is one literal quote, as in Java.
            let mut text = String::new();
            i += 1;
            loop {
                match (chars.get(i), chars.get(i + 1)) {
                    (None, _) => return Err(bad("a quote is not closed".into())),
                    (Some('\''), Some('\'')) => { text.push('\''); i += 2; }
                    (Some('\''), _) => { i += 1; break; }
                    (Some(&ch), _) => { text.push(ch); i += 1; }
                }
            }
            if text.is_empty() {
                text.push('\'');
            }
            fields.push(DateField::Text(text));
        } else if c.is_ascii_alphabetic() {
            let run = chars[i..].iter().take_while(|&&x| x == c).count();
            let field = match (c, run) {
                ('y', 4) => DateField::Year4,
                ('y', 2) => DateField::Year2,
                ('M', 2) => DateField::Month,
                ('d', 2) => DateField::Day,
                ('H', 2) => DateField::Hour,
                ('m', 2) => DateField::Minute,
                ('s', 2) => DateField::Second,
                ('Y', _) => return Err(bad("'Y' is Java's week-based year, which differs from the calendar year around New Year; use 'yyyy'".into())),
                ('D', _) => return Err(bad("'D' is day of year; use 'dd' for day of month".into())),
                _ => return Err(bad(format!("'{}' is not supported", c.to_string().repeat(run)))),
            };
            fields.push(field);
            i += run;
        } else if matches!(c, '[' | ']' | '{' | '}' | '#') {
            return Err(bad(format!("'{c}' is reserved by DateTimeFormatter")));
        } else {
            fields.push(DateField::Text(c.to_string()));
            i += 1;
        }
    }
    Ok(fields)
}

fn utc(ms: u64) -> OffsetDateTime {
    // Past year 9999 cannot happen with the virtual clock; fall back to the epoch.
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn format_fields(fields: &[DateField], at: &OffsetDateTime, out: &mut String) {
    for f in fields {
        let _ = match f {
            DateField::Year4 => write!(out, "{:04}", at.year()),
            DateField::Year2 => write!(out, "{:02}", at.year().rem_euclid(100)),
            DateField::Month => write!(out, "{:02}", u8::from(at.month())),
            DateField::Day => write!(out, "{:02}", at.day()),
            DateField::Hour => write!(out, "{:02}", at.hour()),
            DateField::Minute => write!(out, "{:02}", at.minute()),
            DateField::Second => write!(out, "{:02}", at.second()),
            DateField::Text(t) => write!(out, "{t}"),
        };
    }
}

/// AWS's example (`5abf82daaa5`) shows lowercase letters and digits; the exact alphabet is not
/// documented, so we draw from `[0-9a-z]`.
fn random_string(rng: &mut SimRng) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..RANDOM_STRING_CHARS).map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char).collect()
}

/// A version 4 UUID (RFC 4122 layout) from the world's RNG, so replays name objects identically.
pub fn uuid_v4(rng: &mut SimRng) -> String {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&rng.next_u64().to_be_bytes());
    b[8..].copy_from_slice(&rng.next_u64().to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// The configured Prefix and ErrorOutputPrefix, checked against AWS's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3Prefixes {
    prefix: PrefixTemplate,
    error_prefix: PrefixTemplate,
}

impl S3Prefixes {
    pub fn new(prefix: Option<&str>, error_output_prefix: Option<&str>) -> Result<Self, PrefixError> {
        let prefix_text = prefix.unwrap_or("");
        let mut parsed = PrefixTemplate::parse(prefix_text)?;
        if parsed.has(|p| matches!(p, Part::ErrorOutputType)) {
            return Err(PrefixError::ErrorOutputTypeInPrefix);
        }
        let error_text = error_output_prefix.filter(|e| !e.is_empty());
        let error_prefix = match error_text {
            Some(text) => {
                let e = PrefixTemplate::parse(text)?;
                if e.has(|p| matches!(p, Part::PartitionKeyFromQuery(_))) {
                    return Err(PrefixError::PartitionKeyInErrorPrefix("partitionKeyFromQuery"));
                }
                if e.has(|p| matches!(p, Part::PartitionKeyFromLambda(_))) {
                    return Err(PrefixError::PartitionKeyInErrorPrefix("partitionKeyFromLambda"));
                }
                if parsed.has_expressions() && !e.has(|p| matches!(p, Part::ErrorOutputType)) {
                    return Err(PrefixError::ErrorPrefixWithoutErrorOutputType);
                }
                e
            }
            None if parsed.has_expressions() => return Err(PrefixError::ErrorPrefixRequired),
            // AWS's example: Prefix `myFirehosePrefix/` puts errors under
            // `myFirehosePrefix/processing-failed/2018/08/27/...`.
            None => PrefixTemplate::parse(&format!("{prefix_text}!{{firehose:error-output-type}}/{DEFAULT_TIMESTAMP_EXPRESSION}"))?,
        };
        // Rule (a). The prefix is glued on as written, so `myPrefix` gives `myPrefix2026/...`:
        // the trailing slash matters, as the course notes warn.
        if !parsed.has(|p| matches!(p, Part::Timestamp(_))) {
            parsed.parts.extend(PrefixTemplate::parse(DEFAULT_TIMESTAMP_EXPRESSION)?.parts);
        }
        Ok(Self { prefix: parsed, error_prefix })
    }

    pub fn evaluate_prefix(&self, oldest_arrival_ms: u64, keys: &PartitionKeys, rng: &mut SimRng) -> Result<String, PrefixError> {
        self.prefix.evaluate(oldest_arrival_ms, None, keys, rng)
    }

    pub fn evaluate_error_prefix(&self, oldest_arrival_ms: u64, error: ErrorOutputType, rng: &mut SimRng) -> Result<String, PrefixError> {
        self.error_prefix.evaluate(oldest_arrival_ms, Some(error), &PartitionKeys::default(), rng)
    }
}

/// Checks a custom `FileExtension` (API pattern `^$|\.[0-9a-z!\-_.*'()]+`, at most 128 chars).
pub fn validate_file_extension(ext: &str) -> Result<(), PrefixError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "!-_.*'()".contains(c);
    let ok = ext.is_empty() || (ext.len() <= 128 && ext.len() > 1 && ext.starts_with('.') && ext.chars().all(allowed));
    if ok { Ok(()) } else { Err(PrefixError::BadFileExtension(ext.to_string())) }
}

/// The suffix Firehose gives every object. AWS documents the fields but not which instant the
/// time fields show; we use the oldest record's arrival, the same instant as the prefix.
pub fn object_suffix(stream_name: &str, stream_version: u64, oldest_arrival_ms: u64, uuid: &str, extension: &str) -> String {
    let mut time = String::new();
    format_fields(&parse_pattern("yyyy-MM-dd-HH-mm-ss").expect("fixed pattern parses"), &utc(oldest_arrival_ms), &mut time);
    format!("{stream_name}-{stream_version}-{time}-{uuid}{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2018-08-27T10:30:00Z, the instant of AWS's examples.
    const AUG_27: u64 = 1_535_365_800_000;
    /// 2018-07-06T23:05:00Z, the instant of AWS's Hive-style example.
    const JUL_06: u64 = 1_530_918_300_000;

    fn eval(p: &S3Prefixes, at: u64) -> String {
        p.evaluate_prefix(at, &PartitionKeys::default(), &mut SimRng::from_seed(1)).unwrap()
    }

    fn eval_err(p: &S3Prefixes, at: u64, t: ErrorOutputType) -> String {
        p.evaluate_error_prefix(at, t, &mut SimRng::from_seed(1)).unwrap()
    }

    #[test]
    fn no_prefix_gives_hourly_folders() {
        let p = S3Prefixes::new(None, None).unwrap();
        assert_eq!(eval(&p, AUG_27), "2018/08/27/10/");
        assert_eq!(eval_err(&p, AUG_27, ErrorOutputType::ProcessingFailed), "processing-failed/2018/08/27/10/");
    }

    #[test]
    fn plain_prefix_gets_default_time_folders_and_error_prefix() {
        let p = S3Prefixes::new(Some("myFirehosePrefix/"), None).unwrap();
        assert_eq!(eval(&p, AUG_27), "myFirehosePrefix/2018/08/27/10/");
        assert_eq!(eval_err(&p, AUG_27, ErrorOutputType::ProcessingFailed), "myFirehosePrefix/processing-failed/2018/08/27/10/");
        let course = S3Prefixes::new(Some("carpeta_tweests_exitosos/"), None).unwrap();
        assert_eq!(eval(&course, 1_767_225_600_000), "carpeta_tweests_exitosos/2026/01/01/00/");
    }

    #[test]
    fn prefix_without_slash_is_glued_to_the_date() {
        let p = S3Prefixes::new(Some("myFirehosePrefix"), None).unwrap();
        assert_eq!(eval(&p, AUG_27), "myFirehosePrefix2018/08/27/10/");
    }

    #[test]
    fn hive_style_example() {
        let p = S3Prefixes::new(
            Some("myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"),
            Some("myErrorPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/!{firehose:error-output-type}"),
        )
        .unwrap();
        assert_eq!(eval(&p, JUL_06), "myPrefix/year=2018/month=07/day=06/hour=23/");
        assert_eq!(
            eval_err(&p, JUL_06, ErrorOutputType::ProcessingFailed),
            "myErrorPrefix/year=2018/month=07/day=06/hour=23/processing-failed"
        );
    }

    #[test]
    fn random_string_and_quoted_literals() {
        let p = S3Prefixes::new(
            Some("myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}"),
            Some("myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}"),
        )
        .unwrap();
        let got = eval(&p, AUG_27);
        let rand = got.strip_prefix("myFirehose/DeliveredYear=2018/anyMonth/rand=").unwrap();
        assert_eq!(rand.len(), RANDOM_STRING_CHARS);
        assert!(rand.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert_eq!(eval_err(&p, AUG_27, ErrorOutputType::FormatConversionFailed), "myFirehoseFailures/format-conversion-failed/2018/anyMonth/27");

        let q = S3Prefixes::new(Some("dt=!{timestamp:yyyy'-'MM'-'dd}/t=!{timestamp:HH'h'mm''ss}/"), Some("e/!{firehose:error-output-type}/")).unwrap();
        assert_eq!(eval(&q, AUG_27), "dt=2018-08-27/t=10h30'00/");
    }

    #[test]
    fn expressions_require_an_error_prefix_with_its_type() {
        assert_eq!(
            S3Prefixes::new(Some("!{timestamp:yyyy/MM/dd}"), None).unwrap_err().to_string(),
            "ErrorOutputPrefix can't be null when Prefix contains expressions"
        );
        assert_eq!(S3Prefixes::new(Some("!{timestamp:yyyy}/"), Some("errors/")), Err(PrefixError::ErrorPrefixWithoutErrorOutputType));
        assert_eq!(S3Prefixes::new(Some("a/!{firehose:error-output-type}/"), Some("e/")), Err(PrefixError::ErrorOutputTypeInPrefix));
        assert_eq!(
            S3Prefixes::new(Some("a/"), Some("e/!{partitionKeyFromQuery:id}/")),
            Err(PrefixError::PartitionKeyInErrorPrefix("partitionKeyFromQuery"))
        );
    }

    #[test]
    fn malformed_expressions_are_refused() {
        assert!(matches!(PrefixTemplate::parse("a/!{timestamp:yyyy"), Err(PrefixError::StrayExpressionStart { position: 2 })));
        assert!(matches!(PrefixTemplate::parse("!{timestamp:!{x}}"), Err(PrefixError::StrayExpressionStart { .. })));
        assert!(matches!(PrefixTemplate::parse("!{firehose:other}"), Err(PrefixError::UnknownExpression(_))));
        assert!(matches!(PrefixTemplate::parse("!{nope}"), Err(PrefixError::UnknownExpression(_))));
        for bad in ["YYYY", "DDD", "yyy", "yyyy[MM]", "'open", ""] {
            let err = PrefixTemplate::parse(&format!("!{{timestamp:{bad}}}")).unwrap_err();
            assert!(matches!(err, PrefixError::BadTimestampPattern { .. }), "{bad}: {err}");
        }
        assert!(PrefixTemplate::parse("!{timestamp:YYYY}").unwrap_err().to_string().contains("week-based"));
    }

    #[test]
    fn partition_keys_come_from_the_batch() {
        let p = S3Prefixes::new(
            Some("customer=!{partitionKeyFromQuery:customer_id}/src=!{partitionKeyFromLambda:src}/"),
            Some("errors/!{firehose:error-output-type}/"),
        )
        .unwrap();
        let mut keys = PartitionKeys::default();
        keys.from_query.insert("customer_id".into(), "123".into());
        keys.from_lambda.insert("src".into(), "web".into());
        let mut rng = SimRng::from_seed(0);
        assert_eq!(p.evaluate_prefix(AUG_27, &keys, &mut rng).unwrap(), "customer=123/src=web/2018/08/27/10/");
        keys.from_lambda.clear();
        assert_eq!(
            p.evaluate_prefix(AUG_27, &keys, &mut rng),
            Err(PrefixError::MissingPartitionKey { namespace: "partitionKeyFromLambda", key: "src".into() })
        );
    }

    #[test]
    fn evaluated_prefix_is_limited_to_512_chars() {
        let at_limit = format!("{}/", "a".repeat(MAX_EVALUATED_PREFIX_CHARS - "2018/08/27/10/".len() - 1));
        let p = S3Prefixes::new(Some(&at_limit), Some("e/!{firehose:error-output-type}")).unwrap();
        assert_eq!(eval(&p, AUG_27).len(), 512);
        let over = S3Prefixes::new(Some(&format!("a{at_limit}")), Some("e/!{firehose:error-output-type}")).unwrap();
        let mut rng = SimRng::from_seed(0);
        assert_eq!(over.evaluate_prefix(AUG_27, &PartitionKeys::default(), &mut rng), Err(PrefixError::TooLong { len: 513 }));
    }

    #[test]
    fn uuid_is_version_4_and_replays() {
        let u = uuid_v4(&mut SimRng::from_seed(9));
        assert_eq!(u, uuid_v4(&mut SimRng::from_seed(9)));
        let groups: Vec<_> = u.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&u[14..15], "4");
        assert!("89ab".contains(&u[19..20]));
    }

    #[test]
    fn object_key_matches_the_documented_layout() {
        let key = format!(
            "{}{}",
            eval(&S3Prefixes::new(Some("carpeta_tweests_exitosos/"), None).unwrap(), AUG_27),
            object_suffix("tweets", 1, AUG_27, "0f8fad5b-d9cb-469f-a165-70867728950e", ".gz")
        );
        assert_eq!(key, "carpeta_tweests_exitosos/2018/08/27/10/tweets-1-2018-08-27-10-30-00-0f8fad5b-d9cb-469f-a165-70867728950e.gz");
    }

    #[test]
    fn file_extensions_follow_the_api_pattern() {
        for ok in ["", ".parquet", ".json.gz", ".a-b_c(1)"] {
            assert_eq!(validate_file_extension(ok), Ok(()), "{ok}");
        }
        for bad in [".", "gz", ".GZ", ".a b", &format!(".{}", "a".repeat(128))] {
            assert!(validate_file_extension(bad).is_err(), "{bad}");
        }
    }
}
