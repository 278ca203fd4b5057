//! SplitShard, MergeShards and UpdateShardCount.

use super::error::KinesisError;
use super::{parse, reply};
use crate::engine::streams::KinesisService;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SplitShard {
    stream_name: String,
    shard_to_split: String,
    new_starting_hash_key: String,
}

pub fn split_shard(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: SplitShard = parse(input)?;
    k.split_shard(
        now_ms,
        &r.stream_name,
        &r.shard_to_split,
        &r.new_starting_hash_key,
    )?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MergeShards {
    stream_name: String,
    shard_to_merge: String,
    adjacent_shard_to_merge: String,
}

pub fn merge_shards(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: MergeShards = parse(input)?;
    k.merge_shards(
        now_ms,
        &r.stream_name,
        &r.shard_to_merge,
        &r.adjacent_shard_to_merge,
    )?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateShardCount {
    stream_name: String,
    target_shard_count: u32,
}

pub fn update_shard_count(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: UpdateShardCount = parse(input)?;
    reply(&k.update_shard_count(now_ms, &r.stream_name, r.target_shard_count)?)
}
