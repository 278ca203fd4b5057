//! Enhanced fan-out: registered consumers and SubscribeToShard as a simulated push.
//!
//! A subscription lives at most 5 minutes. Every second of virtual time the service pushes one
//! `SubscribeToShardEvent` into the subscription's queue, carrying what the consumer's own
//! 2 MiB/s-per-shard budget allows (separate from the shared polling budget). Callers drain
//! the queue with [`KinesisService::take_subscription_events`]. A second subscription for the
//! same consumer and shard within 5 s of the last success is refused; a later one takes over.

use super::records::{expand, read_shard, ChildShard, RecordOut, StartingPosition};
use super::shard::shard_id;
use super::throughput::{TokenBucket, FANOUT_BYTES_PER_S, GET_RECORDS_MAX_RECORDS};
use super::{epoch_seconds, KinesisService, KinesisTask};
use crate::engine::api::error::KinesisError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

pub const MAX_CONSUMERS_PER_STREAM: usize = 20;
pub const MAX_CONSUMERS_CREATING: usize = 5;
pub const SUBSCRIPTION_LIFETIME_MS: u64 = 300_000;
pub const RESUBSCRIBE_GUARD_MS: u64 = 5_000;
const PUSH_INTERVAL_MS: u64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsumerStatus {
    Creating,
    Active,
    Deleting,
}

impl ConsumerStatus {
    fn as_str(self) -> &'static str {
        match self {
            ConsumerStatus::Creating => "CREATING",
            ConsumerStatus::Active => "ACTIVE",
            ConsumerStatus::Deleting => "DELETING",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    pub name: String,
    pub arn: String,
    pub status: ConsumerStatus,
    pub created_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConsumerOut {
    pub consumer_name: String,
    #[serde(rename = "ConsumerARN")]
    pub consumer_arn: String,
    pub consumer_status: &'static str,
    pub consumer_creation_timestamp: f64,
}

impl ConsumerOut {
    fn of(c: &Consumer) -> Self {
        Self {
            consumer_name: c.name.clone(),
            consumer_arn: c.arn.clone(),
            consumer_status: c.status.as_str(),
            consumer_creation_timestamp: epoch_seconds(c.created_ms),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegisterStreamConsumerOutput {
    pub consumer: ConsumerOut,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConsumerDescription {
    #[serde(flatten)]
    pub consumer: ConsumerOut,
    #[serde(rename = "StreamARN")]
    pub stream_arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeStreamConsumerOutput {
    pub consumer_description: ConsumerDescription,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamConsumersOutput {
    pub consumers: Vec<ConsumerOut>,
}

/// One pushed event, shaped like AWS's `SubscribeToShardEvent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubscribeToShardEvent {
    pub records: Vec<RecordOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuation_sequence_number: Option<String>,
    pub millis_behind_latest: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_shards: Option<Vec<ChildShard>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub stream_id: u64,
    pub consumer_arn: String,
    pub shard_index: u32,
    pub started_ms: u64,
    after_counter: u64,
    budget: TokenBucket,
    pub events: VecDeque<SubscribeToShardEvent>,
    pub ended: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscriptions {
    next_id: u64,
    by_id: BTreeMap<u64, Subscription>,
}

/// A consumer is named either by ARN or by stream ARN + name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsumerRef<'a> {
    pub stream_arn: Option<&'a str>,
    pub consumer_name: Option<&'a str>,
    pub consumer_arn: Option<&'a str>,
}

impl KinesisService {
    /// The name of the stream an ARN of this account and Region points at.
    fn stream_name_of_arn<'a>(&self, arn: &'a str) -> Option<&'a str> {
        let prefix = format!(
            "arn:aws:kinesis:{}:{}:stream/",
            self.config.region, self.config.account_id
        );
        arn.strip_prefix(&prefix)
            .map(|rest| rest.split('/').next().unwrap_or(rest))
    }

    /// The existing stream a stream ARN (or a bare name) designates.
    pub fn stream_name_from_arn(&self, arn: &str) -> Result<String, KinesisError> {
        let name = self.stream_name_of_arn(arn).unwrap_or(arn);
        self.existing(name).map(|s| s.name.clone())
    }

    fn consumer_not_found(&self, what: &str) -> KinesisError {
        KinesisError::ResourceNotFound(format!(
            "Consumer {what} under account {} not found.",
            self.config.account_id
        ))
    }

    /// (stream name, consumer name) of an existing consumer.
    fn find_consumer(&self, r: ConsumerRef) -> Result<(String, String), KinesisError> {
        if let Some(arn) = r.consumer_arn {
            let stream = self
                .stream_name_of_arn(arn)
                .ok_or_else(|| self.consumer_not_found(arn))?;
            let s = self
                .streams
                .get(stream)
                .ok_or_else(|| self.consumer_not_found(arn))?;
            let c = s
                .consumers
                .values()
                .find(|c| c.arn == arn)
                .ok_or_else(|| self.consumer_not_found(arn))?;
            return Ok((s.name.clone(), c.name.clone()));
        }
        let (Some(stream_arn), Some(name)) = (r.stream_arn, r.consumer_name) else {
            return Err(KinesisError::InvalidArgument(
                "Either ConsumerARN or both ConsumerName and StreamARN must be specified."
                    .to_string(),
            ));
        };
        let stream = self.stream_name_from_arn(stream_arn)?;
        if !self.existing(&stream)?.consumers.contains_key(name) {
            return Err(self.consumer_not_found(name));
        }
        Ok((stream, name.to_string()))
    }

    pub fn register_stream_consumer(
        &mut self,
        now_ms: u64,
        stream_arn: &str,
        name: &str,
    ) -> Result<RegisterStreamConsumerOutput, KinesisError> {
        let account = self.config.account_id.clone();
        let delay = self.config.consumer_delay_ms;
        let stream_name = self.stream_name_from_arn(stream_arn)?;
        let stream = self.existing_mut(&stream_name)?;
        if stream.consumers.contains_key(name) {
            return Err(KinesisError::ResourceInUse(format!(
                "Consumer {name} under stream {stream_name} already exists for account {account}."
            )));
        }
        if stream.consumers.len() >= MAX_CONSUMERS_PER_STREAM {
            return Err(KinesisError::LimitExceeded(format!("Consumer limit of {MAX_CONSUMERS_PER_STREAM} reached for stream {stream_name} under account {account}.")));
        }
        if stream
            .consumers
            .values()
            .filter(|c| c.status == ConsumerStatus::Creating)
            .count()
            >= MAX_CONSUMERS_CREATING
        {
            return Err(KinesisError::LimitExceeded(format!(
                "Too many consumers in CREATING state for stream {stream_name} under account {account}. Limit: {MAX_CONSUMERS_CREATING}."
            )));
        }
        let consumer = Consumer {
            name: name.to_string(),
            arn: format!("{}/consumer/{name}:{}", stream.arn, now_ms / 1000),
            status: ConsumerStatus::Creating,
            created_ms: now_ms,
        };
        let out = RegisterStreamConsumerOutput {
            consumer: ConsumerOut::of(&consumer),
        };
        stream.consumers.insert(name.to_string(), consumer);
        let stream_id = stream.id;
        self.schedule_in(
            now_ms,
            delay,
            KinesisTask::ConsumerActive {
                stream_id,
                consumer: name.to_string(),
            },
        );
        Ok(out)
    }

    pub(super) fn activate_consumer(&mut self, stream_id: u64, name: &str) {
        if let Some(c) = self
            .stream_by_id_mut(stream_id)
            .and_then(|s| s.consumers.get_mut(name))
        {
            if c.status == ConsumerStatus::Creating {
                c.status = ConsumerStatus::Active;
            }
        }
    }

    pub(super) fn remove_consumer(&mut self, stream_id: u64, name: &str) {
        if let Some(s) = self.stream_by_id_mut(stream_id) {
            s.consumers.remove(name);
        }
    }

    pub fn describe_stream_consumer(
        &self,
        r: ConsumerRef,
    ) -> Result<DescribeStreamConsumerOutput, KinesisError> {
        let (stream, name) = self.find_consumer(r)?;
        let s = self.existing(&stream)?;
        let c = s
            .consumers
            .get(&name)
            .ok_or(KinesisError::InternalFailure)?;
        Ok(DescribeStreamConsumerOutput {
            consumer_description: ConsumerDescription {
                consumer: ConsumerOut::of(c),
                stream_arn: s.arn.clone(),
            },
        })
    }

    pub fn list_stream_consumers(
        &self,
        stream_arn: &str,
        max_results: Option<u32>,
    ) -> Result<ListStreamConsumersOutput, KinesisError> {
        let stream = self.existing(&self.stream_name_from_arn(stream_arn)?)?;
        let max = max_results.map_or(usize::MAX, |m| m as usize);
        Ok(ListStreamConsumersOutput {
            consumers: stream
                .consumers
                .values()
                .take(max)
                .map(ConsumerOut::of)
                .collect(),
        })
    }

    pub fn deregister_stream_consumer(
        &mut self,
        now_ms: u64,
        r: ConsumerRef,
    ) -> Result<(), KinesisError> {
        let (stream, name) = self.find_consumer(r)?;
        let delay = self.config.consumer_delay_ms;
        let s = self.existing_mut(&stream)?;
        let stream_id = s.id;
        let c = s
            .consumers
            .get_mut(&name)
            .ok_or(KinesisError::InternalFailure)?;
        c.status = ConsumerStatus::Deleting;
        let arn = c.arn.clone();
        for sub in self
            .subscriptions
            .by_id
            .values_mut()
            .filter(|x| x.consumer_arn == arn)
        {
            sub.ended = true;
        }
        self.schedule_in(
            now_ms,
            delay,
            KinesisTask::ConsumerDeleted {
                stream_id,
                consumer: name,
            },
        );
        Ok(())
    }

    /// SubscribeToShard: starts (or takes over) the push of events to `consumer_arn`.
    pub fn subscribe_to_shard(
        &mut self,
        now_ms: u64,
        consumer_arn: &str,
        raw_shard_id: &str,
        position: StartingPosition,
    ) -> Result<(), KinesisError> {
        self.check_position_arguments(now_ms, &position)?;
        let (stream_name, consumer) = self.find_consumer(ConsumerRef {
            stream_arn: None,
            consumer_name: None,
            consumer_arn: Some(consumer_arn),
        })?;
        let stream = self.existing(&stream_name)?;
        if stream.consumers.get(&consumer).map(|c| c.status) != Some(ConsumerStatus::Active) {
            return Err(KinesisError::ResourceInUse(format!(
                "Consumer {consumer_arn} is not in ACTIVE state."
            )));
        }
        if !stream.status.serves_data() {
            return Err(self.stream_not_found(&stream_name));
        }
        let index = self.shard_index_in(stream, raw_shard_id)?;
        let after_counter =
            self.resolve_position(now_ms, stream, index, &position, "SubscribeToShard")?;
        let stream_id = stream.id;
        let same =
            |s: &Subscription| s.consumer_arn == consumer_arn && s.shard_index == index && !s.ended;
        if self
            .subscriptions
            .by_id
            .values()
            .any(|s| same(s) && now_ms < s.started_ms.saturating_add(RESUBSCRIBE_GUARD_MS))
        {
            return Err(KinesisError::ResourceInUse(format!(
                "Another active subscription exists for this consumer: {consumer_arn} and shard: {}.",
                shard_id(index)
            )));
        }
        for s in self.subscriptions.by_id.values_mut().filter(|s| same(s)) {
            s.ended = true;
        }
        // Ended subscriptions whose events were never drained are forgotten on resubscribe.
        self.subscriptions
            .by_id
            .retain(|_, s| !(s.ended && s.consumer_arn == consumer_arn && s.shard_index == index));
        let id = self.subscriptions.next_id;
        self.subscriptions.next_id += 1;
        self.subscriptions.by_id.insert(
            id,
            Subscription {
                stream_id,
                consumer_arn: consumer_arn.to_string(),
                shard_index: index,
                started_ms: now_ms,
                after_counter,
                budget: TokenBucket::full(FANOUT_BYTES_PER_S, now_ms),
                events: VecDeque::new(),
                ended: false,
            },
        );
        if let Some(s) = self.streams.get_mut(&stream_name) {
            s.metrics.record(now_ms, |m| m.subscribe_success += 1);
        }
        self.push_events(now_ms, id);
        Ok(())
    }

    pub(super) fn push_events(&mut self, now_ms: u64, id: u64) {
        let Some(sub) = self.subscriptions.by_id.get_mut(&id) else {
            return;
        };
        if sub.ended {
            return;
        }
        let Some(stream) = self.streams.values_mut().find(|s| s.id == sub.stream_id) else {
            sub.ended = true;
            return;
        };
        let budget = sub.budget.available(now_ms);
        let Some(read) = read_shard(
            stream,
            sub.shard_index,
            sub.after_counter,
            GET_RECORDS_MAX_RECORDS,
            budget,
            now_ms,
            &self.sources,
        ) else {
            sub.ended = true;
            return;
        };
        sub.budget.charge(now_ms, read.bytes);
        sub.after_counter = read.last_counter;
        let count = read.count;
        let tally = |m: &mut super::metrics::MinuteStats| {
            m.subscribe_event_bytes += read.bytes;
            m.subscribe_event_records += count;
        };
        stream.metrics.record(now_ms, tally);
        if let Some(shard) = stream.shard_mut(sub.shard_index) {
            shard.metrics.record(now_ms, tally);
        }
        let at_end = read.child_shards.is_some();
        let continuation = stream
            .shard(sub.shard_index)
            .map(|s| s.sequence_number(read.last_counter, now_ms).to_decimal());
        sub.events.push_back(SubscribeToShardEvent {
            records: expand(&read.fetched).collect(),
            continuation_sequence_number: if at_end { None } else { continuation },
            millis_behind_latest: read.millis_behind_latest,
            child_shards: read.child_shards,
        });
        sub.ended = at_end
            || now_ms.saturating_add(PUSH_INTERVAL_MS)
                >= sub.started_ms.saturating_add(SUBSCRIPTION_LIFETIME_MS);
        if !sub.ended {
            self.schedule_in(
                now_ms,
                PUSH_INTERVAL_MS,
                KinesisTask::PushEvents {
                    subscription_id: id,
                },
            );
        }
    }

    pub(super) fn end_subscriptions_of_stream(&mut self, stream_id: u64) {
        for s in self
            .subscriptions
            .by_id
            .values_mut()
            .filter(|s| s.stream_id == stream_id)
        {
            s.ended = true;
        }
    }

    /// Drains the events pushed so far to `consumer_arn` for `shard_id`, oldest first. A
    /// subscription that has ended and been drained is forgotten.
    pub fn take_subscription_events(
        &mut self,
        consumer_arn: &str,
        raw_shard_id: &str,
    ) -> Vec<SubscribeToShardEvent> {
        let index = super::shard::parse_shard_id(raw_shard_id);
        let mut out = Vec::new();
        for s in self
            .subscriptions
            .by_id
            .values_mut()
            .filter(|s| s.consumer_arn == consumer_arn && Some(s.shard_index) == index)
        {
            out.extend(s.events.drain(..));
        }
        self.subscriptions
            .by_id
            .retain(|_, s| !(s.ended && s.events.is_empty()));
        out
    }

    /// Whether a live subscription exists for this consumer and shard.
    pub fn is_subscribed(&self, consumer_arn: &str, shard_index: u32) -> bool {
        self.subscriptions
            .by_id
            .values()
            .any(|s| s.consumer_arn == consumer_arn && s.shard_index == shard_index && !s.ended)
    }
}
