//! A consumer's configuration as JSON (documented in the README), checked field by field.

use super::shard_reader::Start;
use crate::engine::config_json::{ConfigError, ConfigObject};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerKind {
    Polling,
    Kcl,
    Fanout,
    Lambda,
}

/// KCL settings beyond the worker count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KclSettings {
    /// 0: checkpoint after every batch.
    pub checkpoint_interval_ms: u64,
    /// A lease not renewed for this long may be taken (the KCL's `failoverTimeMillis`).
    pub failover_time_ms: u64,
    /// Workers that stop, with when (ms after the application starts).
    pub worker_failures: Vec<(String, u64)>,
}

/// The event source mapping settings of a `lambda` consumer, with AWS's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LambdaSettings {
    pub batch_size: usize,
    pub batching_window_ms: u64,
    pub parallelization_factor: u32,
    /// `None`: retry until the records expire (AWS's -1).
    pub max_retry_attempts: Option<u32>,
    pub bisect_on_error: bool,
    pub function_error_percent: u32,
    pub function_duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsumerConfig {
    pub kind: ConsumerKind,
    pub stream: String,
    pub name: String,
    /// Time between polls of each shard (the KCL's `idleTimeBetweenReadsInMillis`).
    pub poll_interval_ms: u64,
    /// GetRecords `Limit`.
    pub limit: u32,
    pub start: Start,
    /// KCL workers sharing the application's leases.
    pub workers: u32,
    pub deaggregate: bool,
    pub lambda: LambdaSettings,
    pub kcl: KclSettings,
}

impl ConsumerConfig {
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value = ConfigObject::parse(text)?;
        let root = ConfigObject::root(&value)?;
        let kind = match root.choice("kind", &["polling", "kcl", "lambda", "fanout"], None)? {
            "polling" => ConsumerKind::Polling,
            "kcl" => ConsumerKind::Kcl,
            "fanout" => ConsumerKind::Fanout,
            _ => ConsumerKind::Lambda,
        };
        let retries = root.number("maxRetryAttempts", -1.0, 10_000.0, -1.0)?;
        if retries.fract() != 0.0 {
            return Err(ConfigError(format!("maxRetryAttempts must be a whole number from -1 to 10000; got {retries}")));
        }
        let lambda = LambdaSettings {
            batch_size: root.whole("batchSize", 1, 10_000, 100)? as usize,
            batching_window_ms: root.whole("batchingWindowMs", 0, 300_000, 0)?,
            parallelization_factor: root.whole("parallelizationFactor", 1, 10, 1)? as u32,
            max_retry_attempts: (retries >= 0.0).then_some(retries as u32),
            bisect_on_error: root.boolean("bisectBatchOnFunctionError", false)?,
            function_error_percent: root.whole("functionErrorPercent", 0, 100, 0)? as u32,
            function_duration_ms: root.whole("functionDurationMs", 1, 900_000, 100)?,
        };
        let start = match root.choice("startingPosition", &["TRIM_HORIZON", "LATEST"], Some("TRIM_HORIZON"))? {
            "LATEST" => Start::Latest,
            _ => Start::TrimHorizon,
        };
        let workers = root.whole("workers", 1, 64, 2)? as u32;
        let mut worker_failures = Vec::new();
        match root.raw("workerFailures") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    let f = ConfigObject::root(item)?;
                    let worker = f.required_str("worker")?;
                    let known = worker.strip_prefix("worker-").and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| (1..=workers).contains(&n));
                    if !known {
                        return Err(ConfigError(format!("workerFailures[].worker must be one of worker-1 to worker-{workers}; got \"{worker}\"")));
                    }
                    worker_failures.push((worker.to_string(), f.whole("atMs", 0, u64::from(u32::MAX), 0)?));
                }
            }
            Some(other) => return Err(ConfigError(format!("workerFailures must be a list of {{\"worker\", \"atMs\"}}; got {other}"))),
        }
        let kcl = KclSettings {
            checkpoint_interval_ms: root.whole("checkpointIntervalMs", 0, 3_600_000, 0)?,
            failover_time_ms: root.whole("failoverTimeMs", 1_000, 600_000, 10_000)?,
            worker_failures,
        };
        Ok(Self {
            kind,
            stream: root.required_str("stream")?.to_string(),
            name: root.str("name")?.unwrap_or("consumer").to_string(),
            poll_interval_ms: root.whole("pollIntervalMs", 200, 300_000, 1_000)?,
            limit: root.whole("limit", 1, 10_000, 10_000)? as u32,
            start,
            workers,
            deaggregate: root.boolean("deaggregate", kind == ConsumerKind::Kcl)?,
            lambda,
            kcl,
        })
    }
}
