//! A fault as JSON (documented in the README; a scenario's `faults` array holds these
//! objects): what breaks, what it targets, when and for how long. Checked field by field;
//! every refusal names the field, the value and what is allowed.

use crate::engine::config_json::{ConfigError, ConfigObject};
use crate::engine::streams::shard::{parse_shard_id, shard_id};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Faults may start up to a week ahead and last up to a week (long enough to see Firehose
/// give up on S3 after its 24 hours of retries).
pub const MAX_SECONDS: u64 = 7 * 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    ThrottlingStorm,
    ConsumerCrash,
    LambdaErrors,
    LambdaTimeouts,
    S3AccessDenied,
}

impl FaultKind {
    pub const ALL: [FaultKind; 5] =
        [FaultKind::ThrottlingStorm, FaultKind::ConsumerCrash, FaultKind::LambdaErrors, FaultKind::LambdaTimeouts, FaultKind::S3AccessDenied];

    pub fn name(self) -> &'static str {
        match self {
            FaultKind::ThrottlingStorm => "throttling_storm",
            FaultKind::ConsumerCrash => "consumer_crash",
            FaultKind::LambdaErrors => "lambda_errors",
            FaultKind::LambdaTimeouts => "lambda_timeouts",
            FaultKind::S3AccessDenied => "s3_access_denied",
        }
    }

    /// The fields `target` takes for this kind, required first.
    fn target_fields(self) -> &'static [&'static str] {
        match self {
            FaultKind::ThrottlingStorm => &["stream", "shard"],
            FaultKind::ConsumerCrash => &["consumer", "worker"],
            FaultKind::LambdaErrors | FaultKind::LambdaTimeouts => &["consumer", "function"],
            FaultKind::S3AccessDenied => &["bucket"],
        }
    }

    /// The top-level fields this kind takes.
    fn fields(self) -> &'static [&'static str] {
        match self {
            FaultKind::ThrottlingStorm => &["kind", "target", "startAfterSeconds", "durationSeconds", "capacityPercent"],
            FaultKind::LambdaErrors => &["kind", "target", "startAfterSeconds", "durationSeconds", "errorPercent"],
            FaultKind::ConsumerCrash | FaultKind::LambdaTimeouts | FaultKind::S3AccessDenied => {
                &["kind", "target", "startAfterSeconds", "durationSeconds"]
            }
        }
    }
}

/// What a fault acts on. The shard is kept as its canonical id (`shardId-000000000001`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FaultTarget {
    Stream {
        stream: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shard: Option<String>,
    },
    Consumer {
        consumer: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        worker: Option<String>,
    },
    Function {
        function: String,
    },
    Bucket {
        bucket: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultSpec {
    pub kind: FaultKind,
    pub target: FaultTarget,
    pub start_after_seconds: u64,
    pub duration_seconds: u64,
    /// throttling_storm: the share of AWS's per-shard limits left (0: every call throttled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_percent: Option<u32>,
    /// lambda_errors: the share of invocations (Firehose) or records (event source mapping)
    /// the function throws on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_percent: Option<u32>,
}

impl FaultSpec {
    /// Reads a fault's JSON; the target's existence is checked against the world elsewhere.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value = ConfigObject::parse(text)?;
        Self::from_value(&value)
    }

    pub fn from_value(value: &Value) -> Result<Self, ConfigError> {
        let root = ConfigObject::root(value)?;
        let names: Vec<&str> = FaultKind::ALL.iter().map(|k| k.name()).collect();
        let kind_name = root.choice("kind", &names, None)?;
        let kind = FaultKind::ALL.into_iter().find(|k| k.name() == kind_name).unwrap_or(FaultKind::ThrottlingStorm);
        only_fields(value, "", kind.fields(), kind)?;
        let target_value = root.raw("target").ok_or_else(|| {
            ConfigError(format!("target is required: an object with {}", kind.target_fields().join(" or ")))
        })?;
        let target = parse_target(kind, target_value)?;
        Ok(Self {
            kind,
            target,
            start_after_seconds: root.whole("startAfterSeconds", 0, MAX_SECONDS, 0)?,
            duration_seconds: root.whole("durationSeconds", 1, MAX_SECONDS, 60)?,
            capacity_percent: (kind == FaultKind::ThrottlingStorm).then(|| root.whole("capacityPercent", 0, 99, 10)).transpose()?.map(|p| p as u32),
            error_percent: (kind == FaultKind::LambdaErrors).then(|| root.whole("errorPercent", 1, 100, 100)).transpose()?.map(|p| p as u32),
        })
    }
}

/// Refuses fields the kind does not take, so a typo is not silently ignored.
fn only_fields(value: &Value, path: &str, allowed: &[&str], kind: FaultKind) -> Result<(), ConfigError> {
    let Some(fields) = value.as_object() else { return Ok(()) };
    match fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(ConfigError(format!(
            "{path}{unknown} is not a field of a {} fault{}; allowed: {}",
            kind.name(),
            if path.is_empty() { "" } else { "'s target" },
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}

fn parse_target(kind: FaultKind, value: &Value) -> Result<FaultTarget, ConfigError> {
    let fields = kind.target_fields();
    let t = ConfigObject::root(value).map_err(|_| ConfigError(format!("target must be an object with {}; got {value}", fields.join(" or "))))?;
    only_fields(value, "target.", fields, kind)?;
    let required = |field: &str| t.required_str(field).map(str::to_string).map_err(|_| ConfigError(format!("target.{field} is required for a {} fault", kind.name())));
    Ok(match kind {
        FaultKind::ThrottlingStorm => {
            let shard = match t.str("shard").map_err(|e| ConfigError(format!("target.{e}")))? {
                None => None,
                Some(raw) => Some(shard_id(parse_shard_id(raw).ok_or_else(|| {
                    ConfigError(format!("target.shard must be a shard id such as shardId-000000000000; got \"{raw}\""))
                })?)),
            };
            FaultTarget::Stream { stream: required("stream")?, shard }
        }
        FaultKind::ConsumerCrash => FaultTarget::Consumer {
            consumer: required("consumer")?,
            worker: t.str("worker").map_err(|e| ConfigError(format!("target.{e}")))?.map(str::to_string),
        },
        FaultKind::LambdaErrors | FaultKind::LambdaTimeouts => match (t.str("consumer"), t.str("function")) {
            (Ok(Some(consumer)), Ok(None)) => FaultTarget::Consumer { consumer: consumer.to_string(), worker: None },
            (Ok(None), Ok(Some(function))) => FaultTarget::Function { function: function.to_string() },
            _ => {
                return Err(ConfigError(format!(
                    "target of a {} fault must name exactly one of consumer (a lambda consumer's id) or function (a Lambda function's name); got {value}",
                    kind.name()
                )))
            }
        },
        FaultKind::S3AccessDenied => FaultTarget::Bucket { bucket: required("bucket")? },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        FaultSpec::from_json(json).unwrap_err().0
    }

    #[test]
    fn defaults_and_canonical_shard_ids() {
        let s = FaultSpec::from_json(r#"{"kind":"throttling_storm","target":{"stream":"s","shard":"1"}}"#).unwrap();
        assert_eq!(s.target, FaultTarget::Stream { stream: "s".into(), shard: Some("shardId-000000000001".into()) });
        assert_eq!((s.start_after_seconds, s.duration_seconds, s.capacity_percent, s.error_percent), (0, 60, Some(10), None));
        let back: FaultSpec = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s, "the serialized form is the same JSON shape");
    }

    #[test]
    fn refusals_name_the_field_the_value_and_what_is_allowed() {
        assert_eq!(err("[]"), "The configuration must be a JSON object; got []");
        assert!(err(r#"{"kind":"meteor"}"#).starts_with("kind must be one of throttling_storm, consumer_crash, lambda_errors, lambda_timeouts, s3_access_denied; got \"meteor\""));
        assert_eq!(err(r#"{"kind":"s3_access_denied"}"#), "target is required: an object with bucket");
        assert_eq!(
            err(r#"{"kind":"s3_access_denied","target":{"bucket":"b"},"capacityPercent":5}"#),
            "capacityPercent is not a field of a s3_access_denied fault; allowed: kind, target, startAfterSeconds, durationSeconds"
        );
        assert_eq!(
            err(r#"{"kind":"throttling_storm","target":{"stream":"s","bucket":"b"}}"#),
            "target.bucket is not a field of a throttling_storm fault's target; allowed: stream, shard"
        );
        assert_eq!(
            err(r#"{"kind":"throttling_storm","target":{"stream":"s"},"capacityPercent":100}"#),
            "capacityPercent must be a whole number from 0 to 99; got 100"
        );
        assert_eq!(
            err(r#"{"kind":"consumer_crash","target":{"consumer":"c"},"durationSeconds":0}"#),
            "durationSeconds must be a whole number from 1 to 604800; got 0"
        );
        assert!(err(r#"{"kind":"lambda_errors","target":{"consumer":"c","function":"f"}}"#).contains("exactly one of consumer"));
        assert_eq!(err(r#"{"kind":"throttling_storm","target":{"shard":"x"}}"#), "target.shard must be a shard id such as shardId-000000000000; got \"x\"");
        assert_eq!(err(r#"{"kind":"throttling_storm","target":{}}"#), "target.stream is required for a throttling_storm fault");
    }
}
