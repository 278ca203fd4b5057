//! An enhanced fan-out consumer: registered with RegisterStreamConsumer, it receives each
//! shard's records over SubscribeToShard with its own 2 MiB/s per shard, so it neither
//! takes from nor waits for the shared budget of polling readers. Subscriptions last five
//! minutes; the consumer resubscribes after its last continuation sequence number.

use super::config::ConsumerConfig;
use super::progress::Progress;
use super::shard_reader::Start;
use super::user_records::user_records;
use crate::engine::streams::records::{IteratorType, StartingPosition};
use crate::engine::streams::shard::shard_id;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ShardSubscription {
    continuation: Option<String>,
    finished: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FanOutConsumer {
    consumer_arn: Option<String>,
    shards: BTreeMap<u32, ShardSubscription>,
}

impl FanOutConsumer {
    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ConsumerConfig, progress: &mut Progress) {
        let Some(arn) = self.registered_arn(now_ms, kinesis, config) else { return };
        let Some(stream) = kinesis.stream(&config.stream) else { return };
        let shards: Vec<_> = stream.shards.iter().map(|s| (s.index, s.hash_range)).collect();
        for (index, range) in shards {
            let sub = self.shards.entry(index).or_default();
            for event in kinesis.take_subscription_events(&arn, &shard_id(index)) {
                for r in event.records {
                    for user in user_records(progress, index, r, config.deaggregate, Some(range)) {
                        progress.record(&user);
                    }
                }
                let p = progress.shards.entry(index).or_default();
                p.lag_ms = event.millis_behind_latest;
                if event.child_shards.is_some() {
                    sub.finished = true;
                    p.finished = true;
                }
                sub.continuation = event.continuation_sequence_number.or(sub.continuation.take());
            }
            if sub.finished || kinesis.is_subscribed(&arn, index) {
                continue;
            }
            let (position, after_counter) = match (&sub.continuation, config.start) {
                (Some(seq), _) => (StartingPosition { kind: IteratorType::AfterSequenceNumber, sequence_number: Some(seq.clone()), timestamp: None }, None),
                (None, Start::TrimHorizon) => (StartingPosition { kind: IteratorType::TrimHorizon, sequence_number: None, timestamp: None }, Some(0)),
                (None, Start::Latest) => {
                    (StartingPosition { kind: IteratorType::Latest, sequence_number: None, timestamp: None }, kinesis.stream(&config.stream).map(|s| s.counter))
                }
            };
            // Refusals (consumer still CREATING, a resubscription inside 5 s) are retried next tick.
            if kinesis.subscribe_to_shard(now_ms, &arn, &shard_id(index), position).is_ok() {
                if let (Some(after), Some(stream)) = (after_counter, kinesis.stream(&config.stream)) {
                    progress.start_shard(stream, index, after, now_ms);
                }
            }
        }
    }

    /// The consumer's ARN, registering it (under the configured name) on first use.
    fn registered_arn(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ConsumerConfig) -> Option<String> {
        if self.consumer_arn.is_none() {
            let stream = kinesis.stream(&config.stream)?;
            self.consumer_arn = match stream.consumers.get(&config.name) {
                Some(existing) => Some(existing.arn.clone()),
                None => {
                    let stream_arn = stream.arn.clone();
                    kinesis.register_stream_consumer(now_ms, &stream_arn, &config.name).ok().map(|out| out.consumer.consumer_arn)
                }
            };
        }
        self.consumer_arn.clone()
    }
}
