//! Data-plane actions: PutRecord, PutRecords, GetShardIterator, GetRecords.

use super::error::KinesisError;
use super::{blob, parse, reply};
use crate::engine::streams::records::{IteratorType, RecordInput, StartingPosition};
use crate::engine::streams::KinesisService;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRecord {
    stream_name: String,
    partition_key: String,
    data: String,
    explicit_hash_key: Option<String>,
    sequence_number_for_ordering: Option<String>,
}

pub fn put_record(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: PutRecord = parse(input)?;
    let record = RecordInput {
        partition_key: r.partition_key,
        data: blob(&r.data)?.into(),
        explicit_hash_key: r.explicit_hash_key,
    };
    reply(&k.put_record(
        now_ms,
        &r.stream_name,
        record,
        r.sequence_number_for_ordering.as_deref(),
    )?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRecordsEntry {
    partition_key: String,
    data: String,
    explicit_hash_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRecords {
    stream_name: String,
    records: Vec<PutRecordsEntry>,
}

pub fn put_records(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: PutRecords = parse(input)?;
    let records = r
        .records
        .into_iter()
        .map(|e| {
            Ok(RecordInput {
                partition_key: e.partition_key,
                data: blob(&e.data)?.into(),
                explicit_hash_key: e.explicit_hash_key,
            })
        })
        .collect::<Result<Vec<_>, KinesisError>>()?;
    reply(&k.put_records(now_ms, &r.stream_name, records)?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetShardIterator {
    stream_name: String,
    shard_id: String,
    shard_iterator_type: String,
    starting_sequence_number: Option<String>,
    timestamp: Option<f64>,
}

pub fn get_shard_iterator(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: GetShardIterator = parse(input)?;
    let position = StartingPosition {
        kind: IteratorType::parse(&r.shard_iterator_type)
            .ok_or(KinesisError::Serialization(None))?,
        sequence_number: r.starting_sequence_number,
        timestamp: r.timestamp,
    };
    reply(&k.get_shard_iterator(now_ms, &r.stream_name, &r.shard_id, position)?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetRecords {
    shard_iterator: String,
    limit: Option<u32>,
}

pub fn get_records(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: GetRecords = parse(input)?;
    reply(&k.get_records(now_ms, &r.shard_iterator, r.limit)?)
}
