//! A consumer's configuration as JSON (documented in the README), checked field by field.

use super::shard_reader::Start;
use crate::engine::config_json::{ConfigError, ConfigObject};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerKind {
    Polling,
    Kcl,
    Fanout,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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
}

impl ConsumerConfig {
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value = ConfigObject::parse(text)?;
        let root = ConfigObject::root(&value)?;
        let kind = match root.choice("kind", &["polling", "kcl", "lambda", "fanout"], None)? {
            "polling" => ConsumerKind::Polling,
            "kcl" => ConsumerKind::Kcl,
            "fanout" => ConsumerKind::Fanout,
            other => return Err(ConfigError(format!("kind \"{other}\" is not available yet; use polling, kcl or fanout"))),
        };
        let start = match root.choice("startingPosition", &["TRIM_HORIZON", "LATEST"], Some("TRIM_HORIZON"))? {
            "LATEST" => Start::Latest,
            _ => Start::TrimHorizon,
        };
        Ok(Self {
            kind,
            stream: root.required_str("stream")?.to_string(),
            name: root.str("name")?.unwrap_or("consumer").to_string(),
            poll_interval_ms: root.whole("pollIntervalMs", 200, 300_000, 1_000)?,
            limit: root.whole("limit", 1, 10_000, 10_000)? as u32,
            start,
            workers: root.whole("workers", 1, 64, 2)? as u32,
            deaggregate: root.boolean("deaggregate", kind == ConsumerKind::Kcl)?,
        })
    }
}
