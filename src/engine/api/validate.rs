//! Request validation the way AWS's JSON 1.1 front end (Coral) does it, in two passes:
//! 1. types, member by member in table order: the first mismatch is a SerializationException
//!    with Java's wording; unknown members and nulls are dropped, integers floored and clamped
//!    to 2147483647;
//! 2. constraints, in table order: every failure becomes one item of a ValidationException,
//!    "N validation error(s) detected: ...", stopping at 10 items.
//!
//! The per-action tables are data ([`rules`]); [`check`] is the one generic checker.

use super::dispatch::Operation;
use crate::engine::streams::metrics::SHARD_LEVEL_METRICS;
use base64::Engine as _;
use serde_json::{Map, Number, Value};

const MAX_ITEMS: usize = 10;
const INT_MAX: i64 = 2_147_483_647;

/// The regular expressions the Kinesis model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// `[a-zA-Z0-9_.-]+`: stream, shard and consumer names.
    Name,
    /// `0|([1-9]\d{0,38})`: hash keys.
    HashKey,
    /// `0|([1-9]\d{0,128})`: sequence numbers.
    SequenceNumber,
    /// Kinesis Video media types: MIME types separated by commas (`video/h264,audio/aac`).
    MediaType,
    /// `[a-zA-Z0-9]+`: Kinesis Video stream versions.
    Version,
    /// Kinesis Video stream ARNs.
    VideoStreamArn,
}

impl Pattern {
    fn text(self) -> &'static str {
        match self {
            Pattern::Name => "[a-zA-Z0-9_.-]+",
            Pattern::HashKey => "0|([1-9]\\d{0,38})",
            Pattern::SequenceNumber => "0|([1-9]\\d{0,128})",
            Pattern::MediaType => "[\\w\\-\\.\\+]+/[\\w\\-\\.\\+]+(,[\\w\\-\\.\\+]+/[\\w\\-\\.\\+]+)*",
            Pattern::Version => "[a-zA-Z0-9]+",
            Pattern::VideoStreamArn => "arn:[a-z\\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+/[a-zA-Z0-9_.-]+/[0-9]+",
        }
    }

    fn matches(self, s: &str) -> bool {
        let decimal = |max_digits: usize| {
            s == "0"
                || (s.len() <= max_digits + 1
                    && s.starts_with(|c: char| ('1'..='9').contains(&c))
                    && s.bytes().all(|b| b.is_ascii_digit()))
        };
        match self {
            Pattern::Name => {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            }
            Pattern::HashKey => decimal(38),
            Pattern::SequenceNumber => decimal(128),
            Pattern::MediaType => s.split(',').all(|mime| {
                let token = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_alphanumeric() || "_-.+".contains(c));
                mime.split_once('/').is_some_and(|(a, b)| token(a) && token(b))
            }),
            Pattern::Version => !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()),
            Pattern::VideoStreamArn => video_stream_arn(s),
        }
    }
}

/// `arn:<partition>:kinesisvideo:<region>:<account>:<type>/<name>/<creation ms>`.
fn video_stream_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else { return false };
    let set = |t: &str, ok: fn(u8) -> bool| !t.is_empty() && t.bytes().all(ok);
    let resource: Vec<&str> = resource.split('/').collect();
    arn == "arn"
        && set(partition, |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && service == "kinesisvideo"
        && set(region, |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && set(account, |b| b.is_ascii_digit())
        && matches!(resource[..], [kind, name, created]
            if set(kind, |b| b.is_ascii_lowercase())
                && Pattern::Name.matches(name)
                && set(created, |b| b.is_ascii_digit()))
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    String,
    Integer,
    Boolean,
    Blob,
    Timestamp,
    List(Box<Field>),
    Map(Box<Field>),
    Structure(Vec<(&'static str, Field)>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    NotNull,
    Regex(Pattern),
    MinLength(u64),
    MaxLength(u64),
    Min(i64),
    Max(i64),
    Enum(&'static [&'static str]),
    /// Every list element's length within bounds.
    ChildLengths(u64, u64),
    /// Every map key's length within bounds.
    KeyLengths(u64, u64),
    /// Every map value's length within bounds.
    ValueLengths(u64, u64),
}

/// One member of a request shape: its type, its constraints in AWS's order, and for lists of
/// structures the Java `toString` AWS prints for each element.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    kind: Kind,
    rules: Vec<Rule>,
    member_str: Option<&'static str>,
}

impl Field {
    fn of(kind: Kind) -> Self {
        Self {
            kind,
            rules: Vec::new(),
            member_str: None,
        }
    }
    pub fn string() -> Self {
        Self::of(Kind::String)
    }
    pub fn integer() -> Self {
        Self::of(Kind::Integer)
    }
    pub fn boolean() -> Self {
        Self::of(Kind::Boolean)
    }
    pub fn blob() -> Self {
        Self::of(Kind::Blob)
    }
    pub fn timestamp() -> Self {
        Self::of(Kind::Timestamp)
    }
    pub fn list(of: Field) -> Self {
        Self::of(Kind::List(Box::new(of)))
    }
    pub fn map(of: Field) -> Self {
        Self::of(Kind::Map(Box::new(of)))
    }
    pub fn structure(members: Vec<(&'static str, Field)>) -> Self {
        Self::of(Kind::Structure(members))
    }
    fn rule(mut self, r: Rule) -> Self {
        self.rules.push(r);
        self
    }
    pub fn not_null(self) -> Self {
        self.rule(Rule::NotNull)
    }
    pub fn regex(self, p: Pattern) -> Self {
        self.rule(Rule::Regex(p))
    }
    pub fn len(self, min: u64, max: u64) -> Self {
        self.rule(Rule::MinLength(min)).rule(Rule::MaxLength(max))
    }
    pub fn max_len(self, max: u64) -> Self {
        self.rule(Rule::MaxLength(max))
    }
    pub fn min_len(self, min: u64) -> Self {
        self.rule(Rule::MinLength(min))
    }
    pub fn range(self, min: i64, max: i64) -> Self {
        self.rule(Rule::Min(min)).rule(Rule::Max(max))
    }
    pub fn min(self, min: i64) -> Self {
        self.rule(Rule::Min(min))
    }
    pub fn one_of(self, values: &'static [&'static str]) -> Self {
        self.rule(Rule::Enum(values))
    }
    pub fn child_lengths(self, min: u64, max: u64) -> Self {
        self.rule(Rule::ChildLengths(min, max))
    }
    pub fn key_lengths(self, min: u64, max: u64) -> Self {
        self.rule(Rule::KeyLengths(min, max))
    }
    pub fn value_lengths(self, min: u64, max: u64) -> Self {
        self.rule(Rule::ValueLengths(min, max))
    }
    pub fn member_str(mut self, s: &'static str) -> Self {
        self.member_str = Some(s);
        self
    }
}

fn stream_name() -> Field {
    Field::string().not_null().regex(Pattern::Name).len(1, 128)
}

fn shard_id() -> Field {
    Field::string().not_null().regex(Pattern::Name).len(1, 128)
}

fn arn() -> Field {
    Field::string().len(1, 2048)
}

const ITERATOR_TYPES: &[&str] = &[
    "AFTER_SEQUENCE_NUMBER",
    "LATEST",
    "AT_TIMESTAMP",
    "AT_SEQUENCE_NUMBER",
    "TRIM_HORIZON",
];
const STREAM_MODES: &[&str] = &["PROVISIONED", "ON_DEMAND"];
const SHARD_FILTER_TYPES: &[&str] = &[
    "AFTER_SHARD_ID",
    "AT_TRIM_HORIZON",
    "FROM_TRIM_HORIZON",
    "AT_LATEST",
    "AT_TIMESTAMP",
    "FROM_TIMESTAMP",
];

/// The request shape of each action, members in the order AWS reports them (kinesalite's
/// recordings where they exist, the AWS model otherwise).
pub fn rules(op: Operation, body: &Value) -> Vec<(&'static str, Field)> {
    match op {
        Operation::CreateStream => {
            // ON_DEMAND streams take no ShardCount; provisioned ones must give one.
            let on_demand = body
                .pointer("/StreamModeDetails/StreamMode")
                .and_then(Value::as_str)
                == Some("ON_DEMAND");
            let count = Field::integer().range(1, 100_000);
            vec![
                (
                    "ShardCount",
                    if on_demand {
                        count
                    } else {
                        Field::integer().not_null().range(1, 100_000)
                    },
                ),
                ("StreamName", stream_name()),
                (
                    "StreamModeDetails",
                    Field::structure(vec![(
                        "StreamMode",
                        Field::string().not_null().one_of(STREAM_MODES),
                    )]),
                ),
                (
                    "Tags",
                    Field::map(Field::string())
                        .max_len(50)
                        .key_lengths(1, 128)
                        .value_lengths(0, 256),
                ),
            ]
        }
        Operation::DeleteStream => vec![
            ("StreamName", stream_name()),
            ("EnforceConsumerDeletion", Field::boolean()),
        ],
        Operation::DescribeStream => vec![
            ("Limit", Field::integer().range(1, 10_000)),
            (
                "ExclusiveStartShardId",
                Field::string().regex(Pattern::Name).len(1, 128),
            ),
            ("StreamName", stream_name()),
        ],
        Operation::DescribeStreamSummary => vec![("StreamName", stream_name())],
        Operation::ListStreams => vec![
            ("Limit", Field::integer().range(1, 10_000)),
            (
                "ExclusiveStartStreamName",
                Field::string().regex(Pattern::Name).len(1, 128),
            ),
            ("NextToken", Field::string().len(1, 1_048_576)),
        ],
        Operation::ListShards => vec![
            (
                "ExclusiveStartShardId",
                Field::string().regex(Pattern::Name).len(1, 128),
            ),
            ("MaxResults", Field::integer().range(1, 10_000)),
            ("NextToken", Field::string().len(1, 1_048_576)),
            ("StreamCreationTimestamp", Field::timestamp()),
            (
                "StreamName",
                Field::string().regex(Pattern::Name).len(1, 128),
            ),
            (
                "ShardFilter",
                Field::structure(vec![
                    (
                        "Type",
                        Field::string().not_null().one_of(SHARD_FILTER_TYPES),
                    ),
                    ("ShardId", Field::string().regex(Pattern::Name).len(1, 128)),
                    ("Timestamp", Field::timestamp()),
                ]),
            ),
        ],
        Operation::DescribeLimits => Vec::new(),
        Operation::PutRecord => vec![
            (
                "SequenceNumberForOrdering",
                Field::string().regex(Pattern::SequenceNumber),
            ),
            ("PartitionKey", Field::string().not_null().len(1, 256)),
            ("ExplicitHashKey", Field::string().regex(Pattern::HashKey)),
            ("Data", Field::blob().not_null().max_len(1_048_576)),
            ("StreamName", stream_name()),
        ],
        Operation::PutRecords => vec![
            (
                "Records",
                Field::list(Field::structure(vec![
                    ("PartitionKey", Field::string().not_null().len(1, 256)),
                    ("ExplicitHashKey", Field::string().regex(Pattern::HashKey)),
                    ("Data", Field::blob().not_null().max_len(1_048_576)),
                ]))
                .not_null()
                .len(1, 500)
                .member_str("com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310"),
            ),
            ("StreamName", stream_name()),
        ],
        Operation::GetShardIterator => vec![
            ("ShardId", shard_id()),
            (
                "ShardIteratorType",
                Field::string().not_null().one_of(ITERATOR_TYPES),
            ),
            (
                "StartingSequenceNumber",
                Field::string().regex(Pattern::SequenceNumber),
            ),
            ("StreamName", stream_name()),
            ("Timestamp", Field::timestamp()),
        ],
        Operation::GetRecords => vec![
            ("Limit", Field::integer().range(1, 10_000)),
            ("ShardIterator", Field::string().not_null().len(1, 512)),
        ],
        Operation::SplitShard => vec![
            (
                "NewStartingHashKey",
                Field::string().not_null().regex(Pattern::HashKey),
            ),
            ("StreamName", stream_name()),
            ("ShardToSplit", shard_id()),
        ],
        Operation::MergeShards => vec![
            ("ShardToMerge", shard_id()),
            ("AdjacentShardToMerge", shard_id()),
            ("StreamName", stream_name()),
        ],
        Operation::UpdateShardCount => vec![
            (
                "ScalingType",
                Field::string().not_null().one_of(&["UNIFORM_SCALING"]),
            ),
            ("StreamName", stream_name()),
            (
                "TargetShardCount",
                Field::integer().not_null().range(1, 100_000),
            ),
        ],
        Operation::IncreaseStreamRetentionPeriod | Operation::DecreaseStreamRetentionPeriod => {
            vec![
                ("RetentionPeriodHours", Field::integer().not_null().min(1)),
                ("StreamName", stream_name()),
            ]
        }
        Operation::UpdateStreamMode => vec![
            ("StreamARN", arn().not_null()),
            (
                "StreamModeDetails",
                Field::structure(vec![(
                    "StreamMode",
                    Field::string().not_null().one_of(STREAM_MODES),
                )])
                .not_null(),
            ),
        ],
        Operation::EnableEnhancedMonitoring | Operation::DisableEnhancedMonitoring => vec![
            (
                "ShardLevelMetrics",
                Field::list(Field::string().one_of(SHARD_LEVEL_METRICS))
                    .not_null()
                    .len(1, 7),
            ),
            ("StreamName", stream_name()),
        ],
        Operation::AddTagsToStream => vec![
            (
                "Tags",
                Field::map(Field::string())
                    .not_null()
                    .len(1, 10)
                    .key_lengths(1, 128)
                    .value_lengths(0, 256),
            ),
            ("StreamName", stream_name()),
        ],
        Operation::RemoveTagsFromStream => vec![
            (
                "TagKeys",
                Field::list(Field::string())
                    .not_null()
                    .len(1, 10)
                    .child_lengths(1, 128),
            ),
            ("StreamName", stream_name()),
        ],
        Operation::ListTagsForStream => vec![
            ("Limit", Field::integer().range(1, 50)),
            ("ExclusiveStartTagKey", Field::string().len(1, 128)),
            ("StreamName", stream_name()),
        ],
        Operation::RegisterStreamConsumer => vec![
            (
                "ConsumerName",
                Field::string().not_null().regex(Pattern::Name).len(1, 128),
            ),
            ("StreamARN", arn().not_null()),
        ],
        Operation::DescribeStreamConsumer | Operation::DeregisterStreamConsumer => vec![
            ("ConsumerARN", arn()),
            (
                "ConsumerName",
                Field::string().regex(Pattern::Name).len(1, 128),
            ),
            ("StreamARN", arn()),
        ],
        Operation::ListStreamConsumers => vec![
            ("MaxResults", Field::integer().range(1, 10_000)),
            ("NextToken", Field::string().len(1, 1_048_576)),
            ("StreamARN", arn().not_null()),
            ("StreamCreationTimestamp", Field::timestamp()),
        ],
        Operation::SubscribeToShard => vec![
            ("ConsumerARN", arn().not_null()),
            ("ShardId", shard_id()),
            (
                "StartingPosition",
                Field::structure(vec![
                    ("Type", Field::string().not_null().one_of(ITERATOR_TYPES)),
                    (
                        "SequenceNumber",
                        Field::string().regex(Pattern::SequenceNumber),
                    ),
                    ("Timestamp", Field::timestamp()),
                ])
                .not_null(),
            ),
        ],
    }
}

/// Why a request body does not fit its shape. Every AWS JSON service answers these two the
/// same way, so each service's error type converts from this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// A wrong JSON type (Java's wording), or with no message, a body that is not JSON at all.
    Serialization(Option<String>),
    /// "N validation error(s) detected: ...".
    Validation(String),
}

/// Parses a request body: any JSON object, or `null` for an empty request.
pub fn parse_body(body: &[u8]) -> Result<Value, ShapeError> {
    let parsed: Value = serde_json::from_slice(body).map_err(|_| ShapeError::Serialization(None))?;
    match parsed {
        Value::Object(_) => Ok(parsed),
        Value::Null => Ok(Value::Object(Map::new())),
        Value::Array(_) => Err(ShapeError::Serialization(Some(LIST_HERE.into()))),
        _ => Err(ShapeError::Serialization(None)),
    }
}

/// Both passes over a parsed body; returns the body with only known, non-null, typed members.
pub fn check(members: &[(&'static str, Field)], body: &Value) -> Result<Value, ShapeError> {
    let empty = Map::new();
    let object = body.as_object().unwrap_or(&empty);
    let typed = check_members(members, object).map_err(|m| ShapeError::Serialization(Some(m)))?;
    let mut errors = Vec::new();
    for (name, field) in members {
        let path = Path { parent: None, step: Step::Member(name) };
        constrain(&path, typed.get(*name), field, &mut errors);
    }
    if errors.is_empty() {
        return Ok(Value::Object(typed));
    }
    let n = errors.len();
    Err(ShapeError::Validation(format!(
        "{n} validation error{} detected: {}",
        if n == 1 { "" } else { "s" },
        errors.join("; ")
    )))
}

fn check_members(
    members: &[(&'static str, Field)],
    object: &Map<String, Value>,
) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for (name, field) in members {
        if let Some(v) = object.get(*name) {
            if let Some(typed) = check_type(v, field)? {
                out.insert((*name).to_string(), typed);
            }
        }
    }
    Ok(out)
}

const STRUCTURE_HERE: &str = "Start of structure or map found where not expected.";
const LIST_HERE: &str = "Start of list found where not expected";
const BIG_NUMBER: &str = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";

fn check_type(v: &Value, field: &Field) -> Result<Option<Value>, String> {
    let container = |v: &Value| match v {
        Value::Array(_) => Err(LIST_HERE.to_string()),
        _ => Err(STRUCTURE_HERE.to_string()),
    };
    match (&field.kind, v) {
        (_, Value::Null) => Ok(None),
        (Kind::String, Value::String(_)) => Ok(Some(v.clone())),
        (Kind::String, Value::Bool(_)) => {
            Err("class java.lang.Boolean can not be converted to an String".into())
        }
        (Kind::String, Value::Number(_)) => {
            Err(format!("{BIG_NUMBER} can not be converted to an String"))
        }
        (Kind::Integer, Value::Number(n)) => {
            Ok(Some(Value::Number(Number::from(clamp_integer(n)))))
        }
        (Kind::Integer, Value::Bool(_)) => {
            Err("class java.lang.Boolean can not be converted to an Integer".into())
        }
        (Kind::Integer, Value::String(_)) => {
            Err("class java.lang.String can not be converted to an Integer".into())
        }
        (Kind::Boolean, Value::Bool(_)) => Ok(Some(v.clone())),
        (Kind::Boolean, Value::Number(_)) => {
            Err(format!("{BIG_NUMBER} can not be converted to an Boolean"))
        }
        (Kind::Boolean, Value::String(s)) => Err(format!(
            "'{}' can not be converted to an Boolean",
            s.to_uppercase()
        )),
        (Kind::Blob, Value::String(s)) => check_base64(s).map(|()| Some(v.clone())),
        (Kind::Blob, Value::Bool(_)) => {
            Err("class java.lang.Boolean can not be converted to a Blob".into())
        }
        (Kind::Blob, Value::Number(_)) => {
            Err(format!("{BIG_NUMBER} can not be converted to a Blob"))
        }
        (Kind::Timestamp, Value::Number(_)) => Ok(Some(v.clone())),
        (Kind::Timestamp, Value::Bool(_)) => {
            Err("class java.lang.Boolean can not be converted to milliseconds since epoch".into())
        }
        (Kind::Timestamp, Value::String(_)) => {
            Err("class java.lang.String can not be converted to milliseconds since epoch".into())
        }
        (Kind::String | Kind::Integer | Kind::Boolean | Kind::Blob | Kind::Timestamp, _) => {
            container(v)
        }
        (Kind::List(child), Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(check_type(item, child)?.unwrap_or(Value::Null));
            }
            Ok(Some(Value::Array(out)))
        }
        (Kind::List(_), Value::Object(_)) => Err(STRUCTURE_HERE.into()),
        (Kind::List(_), _) => Err("Expected list or null".into()),
        (Kind::Map(child), Value::Object(entries)) => {
            let mut out = Map::new();
            for (k, item) in entries {
                out.insert(k.clone(), check_type(item, child)?.unwrap_or(Value::Null));
            }
            Ok(Some(Value::Object(out)))
        }
        (Kind::Map(_), Value::Array(_)) => Err(LIST_HERE.into()),
        (Kind::Map(_), _) => Err("Expected map or null".into()),
        (Kind::Structure(members), Value::Object(entries)) => {
            Ok(Some(Value::Object(check_members(members, entries)?)))
        }
        (Kind::Structure(_), Value::Array(_)) => Err(LIST_HERE.into()),
        (Kind::Structure(_), _) => Err("Expected null".into()),
    }
}

/// Floors to a whole number and clamps at Java's Integer.MAX_VALUE, as AWS does.
fn clamp_integer(n: &Number) -> i64 {
    let whole = n.as_i64().unwrap_or_else(|| {
        n.as_f64().map_or(INT_MAX, |f| {
            if f.is_finite() {
                f.floor() as i64
            } else {
                INT_MAX
            }
        })
    });
    whole.min(INT_MAX)
}

fn check_base64(s: &str) -> Result<(), String> {
    // Valid base64 is ASCII, so its UTF-16 length is its byte length; the slow count only
    // runs to word the error.
    if !s.len().is_multiple_of(4) || !s.is_ascii() {
        let len = s.encode_utf16().count();
        if !len.is_multiple_of(4) {
            return Err(format!("'{s}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: {len}"));
        }
    }
    let bytes = s.as_bytes();
    let bad = bytes.iter().enumerate().find(|&(i, &b)| {
        !(b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
            || (b == b'=' && bytes.get(i + 1).is_some_and(|&n| n != b'='))
    });
    if let Some((i, _)) = bad {
        let c = s[i..].chars().next().unwrap_or('?');
        return Err(format!("'{s}' can not be converted to a Blob: Invalid Base64 character: '{c}'"));
    }
    // The standard engine refuses non-zero trailing bits and bad padding: AWS's "last non-pad"
    // error. Decoding into a scratch buffer avoids keeping the bytes.
    let engine = base64::engine::general_purpose::STANDARD;
    let mut scratch = vec![0u8; s.len() / 4 * 3];
    match engine.decode_slice(s, &mut scratch) {
        Ok(_) => Ok(()),
        Err(_) => Err(format!(
            "'{s}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"
        )),
    }
}

/// Decoded length of an already checked base64 blob: three bytes per four characters, less
/// one per `=`.
fn blob_len(s: &str) -> u64 {
    let pad = s.bytes().rev().take_while(|&b| b == b'=').count();
    (s.len() / 4 * 3).saturating_sub(pad) as u64
}

fn length(v: &Value, kind: &Kind) -> u64 {
    match (kind, v) {
        (Kind::Blob, Value::String(s)) => blob_len(s),
        (_, Value::String(s)) => s.encode_utf16().count() as u64,
        (_, Value::Array(a)) => a.len() as u64,
        (_, Value::Object(o)) => o.len() as u64,
        _ => 0,
    }
}

/// How AWS prints a value inside a validation message.
fn render(v: Option<&Value>, field: &Field) -> String {
    let Some(v) = v else {
        return "null".to_string();
    };
    let plain = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let shown = match (&field.kind, v) {
        (Kind::Blob, Value::String(s)) => {
            let n = blob_len(s);
            format!("java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]")
        }
        (Kind::List(_), Value::Array(items)) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| field.member_str.map_or_else(|| plain(i), str::to_string))
                .collect();
            format!("[{}]", parts.join(", "))
        }
        (Kind::Map(_), Value::Object(entries)) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, i)| {
                    format!(
                        "{k}={}",
                        field.member_str.map_or_else(|| plain(i), str::to_string)
                    )
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        _ => plain(v),
    };
    format!("'{shown}'")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}

/// One step from a value to the member, list element or map entry inside it.
#[derive(Clone, Copy)]
enum Step<'a> {
    Member(&'a str),
    Index(usize),
    Key(&'a str),
}

/// Where a value sits in the request (`records.1.member.partitionKey`). Written out only when
/// a message needs it: a valid 500-record request builds no strings.
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

impl Path<'_> {
    fn render(&self) -> String {
        let mut out = self.parent.map(Path::render).unwrap_or_default();
        if !out.is_empty() {
            out.push('.');
        }
        match self.step {
            Step::Member(name) => out.push_str(&lower_first(name)),
            Step::Index(i) => out.push_str(&i.to_string()),
            Step::Key(k) => out.push_str(k),
        }
        out
    }

    fn then<'b>(&'b self, step: Step<'b>) -> Path<'b> {
        Path { parent: Some(self), step }
    }
}

fn constrain(path: &Path, v: Option<&Value>, field: &Field, errors: &mut Vec<String>) {
    for rule in &field.rules {
        if errors.len() >= MAX_ITEMS {
            return;
        }
        let Some(value) = v else {
            if *rule == Rule::NotNull {
                errors.push(format!(
                    "Value null at '{}' failed to satisfy constraint: Member must not be null",
                    path.render()
                ));
            }
            continue;
        };
        let text_len = |x: &Value| length(x, &Kind::String);
        let failed = match rule {
            Rule::NotNull => None,
            Rule::Regex(p) => (!value.as_str().is_some_and(|s| p.matches(s))).then(|| {
                format!(
                    "Member must satisfy regular expression pattern: {}",
                    p.text()
                )
            }),
            Rule::MinLength(n) => (length(value, &field.kind) < *n)
                .then(|| format!("Member must have length greater than or equal to {n}")),
            Rule::MaxLength(n) => (length(value, &field.kind) > *n)
                .then(|| format!("Member must have length less than or equal to {n}")),
            Rule::Min(n) => (value.as_i64().is_some_and(|x| x < *n))
                .then(|| format!("Member must have value greater than or equal to {n}")),
            Rule::Max(n) => (value.as_i64().is_some_and(|x| x > *n))
                .then(|| format!("Member must have value less than or equal to {n}")),
            Rule::Enum(values) => {
                (!value.as_str().is_some_and(|s| values.contains(&s))).then(|| {
                    format!(
                        "Member must satisfy enum value set: [{}]",
                        values.join(", ")
                    )
                })
            }
            Rule::ChildLengths(lo, hi) => {
                let ok = value
                    .as_array()
                    .is_some_and(|a| a.iter().all(|x| (*lo..=*hi).contains(&text_len(x))));
                (!ok).then(|| format!("Member must satisfy constraint: [Member must have length less than or equal to {hi}, Member must have length greater than or equal to {lo}]"))
            }
            Rule::KeyLengths(lo, hi) => {
                let ok = value.as_object().is_some_and(|o| {
                    o.keys()
                        .all(|k| (*lo..=*hi).contains(&(k.encode_utf16().count() as u64)))
                });
                (!ok).then(|| format!("Map keys must satisfy constraint: [Member must have length less than or equal to {hi}, Member must have length greater than or equal to {lo}]"))
            }
            Rule::ValueLengths(lo, hi) => {
                let ok = value
                    .as_object()
                    .is_some_and(|o| o.values().all(|x| (*lo..=*hi).contains(&text_len(x))));
                (!ok).then(|| format!("Map value must satisfy constraint: [Member must have length less than or equal to {hi}, Member must have length greater than or equal to {lo}]"))
            }
        };
        if let Some(constraint) = failed {
            errors.push(format!(
                "Value {} at '{}' failed to satisfy constraint: {constraint}",
                render(v, field),
                path.render()
            ));
        }
    }
    let Some(value) = v else { return };
    match (&field.kind, value) {
        (Kind::List(child), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let element = path.then(Step::Index(i + 1));
                let member = element.then(Step::Member("member"));
                constrain(&member, Some(item).filter(|x| !x.is_null()), child, errors);
            }
        }
        (Kind::Map(child), Value::Object(entries)) => {
            for (k, item) in entries.iter().rev() {
                let entry = path.then(Step::Key(k));
                let member = entry.then(Step::Member("member"));
                constrain(&member, Some(item).filter(|x| !x.is_null()), child, errors);
            }
        }
        (Kind::Structure(members), Value::Object(entries)) => {
            for (name, f) in members {
                constrain(&path.then(Step::Member(name)), entries.get(*name), f, errors);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(op: Operation, body: Value) -> Result<Value, ShapeError> {
        check(&rules(op, &body), &body)
    }

    fn validation(op: Operation, body: Value) -> String {
        match run(op, body) {
            Err(ShapeError::Validation(m)) => m,
            other => panic!("expected ValidationException, got {other:?}"),
        }
    }

    fn serialization(op: Operation, body: Value) -> String {
        match run(op, body) {
            Err(ShapeError::Serialization(Some(m))) => m,
            other => panic!("expected SerializationException, got {other:?}"),
        }
    }

    #[test]
    fn missing_members_are_reported_in_shape_order() {
        assert_eq!(
            validation(Operation::CreateStream, json!({})),
            "2 validation errors detected: Value null at 'shardCount' failed to satisfy constraint: Member must not be null; Value null at 'streamName' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn an_empty_name_fails_the_regex_and_the_length() {
        assert_eq!(
            validation(Operation::CreateStream, json!({"StreamName": "", "ShardCount": 0})),
            "3 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
    }

    #[test]
    fn integers_are_clamped_to_java_max() {
        let name = "a".repeat(129);
        assert_eq!(
            validation(Operation::CreateStream, json!({"StreamName": name, "ShardCount": 100000000000u64})),
            format!("2 validation errors detected: Value '2147483647' at 'shardCount' failed to satisfy constraint: Member must have value less than or equal to 100000; Value '{name}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128")
        );
    }

    #[test]
    fn type_errors_use_java_wording() {
        assert_eq!(
            serialization(Operation::CreateStream, json!({"ShardCount": "23"})),
            "class java.lang.String can not be converted to an Integer"
        );
        assert_eq!(serialization(Operation::CreateStream, json!({"StreamName": 23})), "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");
        assert_eq!(
            serialization(Operation::CreateStream, json!({"StreamName": true})),
            "class java.lang.Boolean can not be converted to an String"
        );
        assert_eq!(
            serialization(Operation::CreateStream, json!({"StreamName": []})),
            "Start of list found where not expected"
        );
        assert_eq!(
            serialization(Operation::CreateStream, json!({"StreamName": {}})),
            "Start of structure or map found where not expected."
        );
        assert_eq!(
            serialization(Operation::PutRecords, json!({"Records": 23})),
            "Expected list or null"
        );
        assert_eq!(
            serialization(Operation::PutRecords, json!({"Records": [23]})),
            "Expected null"
        );
        assert_eq!(
            serialization(Operation::AddTagsToStream, json!({"Tags": []})),
            "Start of list found where not expected"
        );
        assert_eq!(
            serialization(
                Operation::DeleteStream,
                json!({"EnforceConsumerDeletion": "yes"})
            ),
            "'YES' can not be converted to an Boolean"
        );
        assert_eq!(
            serialization(Operation::GetShardIterator, json!({"Timestamp": "x"})),
            "class java.lang.String can not be converted to milliseconds since epoch"
        );
    }

    #[test]
    fn blobs_must_be_canonical_base64() {
        let blob = |d: &str| serialization(Operation::PutRecord, json!({"Data": d}));
        assert_eq!(blob("23456"), "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5");
        assert_eq!(
            blob("=+/="),
            "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"
        );
        assert_eq!(blob("+/+="), "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
    }

    #[test]
    fn nested_list_paths_are_one_based_and_blobs_render_as_buffers() {
        let big = base64::engine::general_purpose::STANDARD.encode(vec![0u8; 1_048_577]);
        assert_eq!(
            validation(Operation::PutRecords, json!({"StreamName": "s", "Records": [{"PartitionKey": "a", "Data": ""}, {"PartitionKey": "", "Data": big}]})),
            "2 validation errors detected: Value '' at 'records.2.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]' at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576"
        );
        let many: Vec<Value> = (0..501)
            .map(|_| json!({"PartitionKey": "a", "Data": ""}))
            .collect();
        let msg = validation(
            Operation::PutRecords,
            json!({"StreamName": "s", "Records": many}),
        );
        assert!(msg.starts_with("1 validation error detected: Value '[com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310, "));
        assert!(msg.ends_with("]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500"));
    }

    #[test]
    fn at_most_ten_items_are_reported() {
        let records: Vec<Value> = (0..20)
            .map(|_| json!({"PartitionKey": "", "Data": ""}))
            .collect();
        let msg = validation(
            Operation::PutRecords,
            json!({"StreamName": "s", "Records": records}),
        );
        assert!(msg.starts_with("10 validation errors detected: "));
        assert_eq!(msg.matches("failed to satisfy constraint").count(), 10);
    }

    #[test]
    fn enum_errors_list_the_allowed_values() {
        assert_eq!(
            validation(Operation::GetShardIterator, json!({"StreamName": "s", "ShardId": "s", "ShardIteratorType": "x"})),
            "1 validation error detected: Value 'x' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]"
        );
    }

    #[test]
    fn unknown_members_and_nulls_are_dropped() {
        let out = run(
            Operation::DescribeStream,
            json!({"StreamName": "s", "Bogus": 1, "Limit": null}),
        )
        .unwrap();
        assert_eq!(out, json!({"StreamName": "s"}));
    }
}
