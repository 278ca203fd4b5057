//! Enhanced fan-out actions: Register/Describe/List/DeregisterStreamConsumer, SubscribeToShard.
//!
//! SubscribeToShard answers `{}` at once: the events it streams over HTTP/2 in AWS are pushed
//! into the engine's subscription queue and read with `Sim::subscription_events`.

use super::error::KinesisError;
use super::{parse, reply};
use crate::engine::streams::fanout::ConsumerRef;
use crate::engine::streams::records::{IteratorType, StartingPosition};
use crate::engine::streams::KinesisService;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Register {
    #[serde(rename = "StreamARN")]
    stream_arn: String,
    consumer_name: String,
}

pub fn register(k: &mut KinesisService, now_ms: u64, input: Value) -> Result<String, KinesisError> {
    let r: Register = parse(input)?;
    reply(&k.register_stream_consumer(now_ms, &r.stream_arn, &r.consumer_name)?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ConsumerIn {
    #[serde(rename = "StreamARN")]
    stream_arn: Option<String>,
    consumer_name: Option<String>,
    #[serde(rename = "ConsumerARN")]
    consumer_arn: Option<String>,
}

impl ConsumerIn {
    fn as_ref(&self) -> ConsumerRef<'_> {
        ConsumerRef {
            stream_arn: self.stream_arn.as_deref(),
            consumer_name: self.consumer_name.as_deref(),
            consumer_arn: self.consumer_arn.as_deref(),
        }
    }
}

pub fn describe(k: &KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: ConsumerIn = parse(input)?;
    reply(&k.describe_stream_consumer(r.as_ref())?)
}

pub fn deregister(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: ConsumerIn = parse(input)?;
    k.deregister_stream_consumer(now_ms, r.as_ref())?;
    Ok(String::new())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct List {
    #[serde(rename = "StreamARN")]
    stream_arn: String,
    max_results: Option<u32>,
}

pub fn list(k: &KinesisService, input: Value) -> Result<String, KinesisError> {
    let r: List = parse(input)?;
    reply(&k.list_stream_consumers(&r.stream_arn, r.max_results)?)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Position {
    r#type: String,
    sequence_number: Option<String>,
    timestamp: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Subscribe {
    #[serde(rename = "ConsumerARN")]
    consumer_arn: String,
    shard_id: String,
    starting_position: Position,
}

pub fn subscribe(
    k: &mut KinesisService,
    now_ms: u64,
    input: Value,
) -> Result<String, KinesisError> {
    let r: Subscribe = parse(input)?;
    let p = r.starting_position;
    let position = StartingPosition {
        kind: IteratorType::parse(&p.r#type).ok_or(KinesisError::Serialization(None))?,
        sequence_number: p.sequence_number,
        timestamp: p.timestamp,
    };
    k.subscribe_to_shard(now_ms, &r.consumer_arn, &r.shard_id, position)?;
    Ok("{}".to_string())
}
