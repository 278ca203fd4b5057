//! Control-plane actions on streams: create, delete, describe, list, limits, retention,
//! capacity mode and enhanced monitoring.

use super::error::KinesisError;
use super::{parse, reply};
use crate::engine::streams::list_shards::{ListShardsInput, ShardFilter, ShardFilterType};
use crate::engine::streams::stream::StreamMode;
use crate::engine::streams::KinesisService;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModeDetails {
    stream_mode: String,
}

/// The validated mode; the validation table already restricted it to the two values.
fn mode_of(details: Option<ModeDetails>) -> StreamMode {
    details
        .and_then(|d| StreamMode::parse(&d.stream_mode))
        .unwrap_or(StreamMode::Provisioned)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateStream {
    stream_name: String,
    shard_count: Option<u32>,
    stream_mode_details: Option<ModeDetails>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

pub fn create_stream(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: CreateStream = parse(input)?;
    k.create_stream(
        now_ms,
        &r.stream_name,
        r.shard_count,
        mode_of(r.stream_mode_details),
        r.tags,
    )?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteStream {
    stream_name: String,
    #[serde(default)]
    enforce_consumer_deletion: bool,
}

pub fn delete_stream(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: DeleteStream = parse(input)?;
    k.delete_stream(now_ms, &r.stream_name, r.enforce_consumer_deletion)?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeStream {
    stream_name: String,
    limit: Option<u32>,
    exclusive_start_shard_id: Option<String>,
}

pub fn describe_stream(k: &KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: DescribeStream = parse(input)?;
    reply(&k.describe_stream(
        &r.stream_name,
        r.limit,
        r.exclusive_start_shard_id.as_deref(),
    )?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StreamNameOnly {
    stream_name: String,
}

pub fn describe_stream_summary(k: &KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: StreamNameOnly = parse(input)?;
    reply(&k.describe_stream_summary(&r.stream_name)?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListStreams {
    limit: Option<u32>,
    exclusive_start_stream_name: Option<String>,
    next_token: Option<String>,
}

pub fn list_streams(k: &KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: ListStreams = parse(input)?;
    reply(&k.list_streams(
        r.limit,
        r.exclusive_start_stream_name.as_deref(),
        r.next_token.as_deref(),
    )?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ShardFilterIn {
    r#type: String,
    shard_id: Option<String>,
    timestamp: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListShards {
    stream_name: Option<String>,
    next_token: Option<String>,
    exclusive_start_shard_id: Option<String>,
    max_results: Option<u32>,
    shard_filter: Option<ShardFilterIn>,
}

pub fn list_shards(k: &KinesisService, now_ms: u64, input: Value) -> Result<String, KinesisError> {
    let r: ListShards = parse(input)?;
    let filter = match r.shard_filter {
        Some(f) => Some(ShardFilter {
            kind: ShardFilterType::parse(&f.r#type).ok_or(KinesisError::Serialization(None))?,
            shard_id: f.shard_id,
            timestamp: f.timestamp,
        }),
        None => None,
    };
    reply(&k.list_shards(
        now_ms,
        ListShardsInput {
            stream_name: r.stream_name,
            next_token: r.next_token,
            exclusive_start_shard_id: r.exclusive_start_shard_id,
            max_results: r.max_results,
            filter,
        },
    )?)
}

pub fn describe_limits(k: &KinesisService) -> Result<String, KinesisError> {
    reply(&k.describe_limits())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Retention {
    stream_name: String,
    retention_period_hours: i64,
}

pub fn change_retention(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
    increase: bool,
) -> Result<String, KinesisError> {
    let r: Retention = parse(input)?;
    // Validation guarantees >= 1 and integers are clamped to i32, so this always fits.
    let hours = u32::try_from(r.retention_period_hours).unwrap_or(u32::MAX);
    if increase {
        k.increase_retention(now_ms, &r.stream_name, hours)?;
    } else {
        k.decrease_retention(now_ms, &r.stream_name, hours)?;
    }
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateStreamMode {
    #[serde(rename = "StreamARN")]
    stream_arn: String,
    stream_mode_details: ModeDetails,
}

pub fn update_stream_mode(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: UpdateStreamMode = parse(input)?;
    let name = k.stream_name_from_arn(&r.stream_arn)?;
    k.update_stream_mode(now_ms, &name, mode_of(Some(r.stream_mode_details)))?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EnhancedMonitoring {
    stream_name: String,
    shard_level_metrics: Vec<String>,
}

pub fn enhanced_monitoring(
    k: &mut KinesisService,
    input: Value,
    enable: bool,
) -> Result<String, KinesisError> {
    let r: EnhancedMonitoring = parse(input)?;
    reply(&k.set_enhanced_monitoring(&r.stream_name, &r.shard_level_metrics, enable)?)
}
