//! Built-in producers: generators of tweets, stock ticks and game events writing into a
//! stream through the same service calls the API uses, so throttling and CloudWatch metrics
//! count them exactly like any other caller.
//!
//! Producers act on ticks of [`TICK_MS`] of virtual time, sending that tick's share of their
//! rate at once, rather than scheduling one event per record.

pub mod agent;
pub mod aggregation;
pub mod config;
pub mod game_events;
pub mod generator;
pub mod keys;
pub mod kpl;
pub mod metrics;
pub mod stock_ticks;
pub mod tweets;
pub mod web_server;

use crate::engine::config_json::ConfigError;
use crate::engine::streams::records::{PutRecordsResultEntry, RecordInput};
use crate::engine::streams::KinesisService;
use config::{Delivery, ProducerConfig};
use generator::{Moment, UserRecord};
use kpl::Kpl;
use metrics::ProducerMetrics;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use web_server::VirtualLogFile;

pub const TICK_MS: u64 = 100;
/// PutRecords refuses requests over 5 MiB; batches stay under it.
const PUT_RECORDS_MAX_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Producer {
    pub id: String,
    pub config: ProducerConfig,
    /// The configuration JSON as given, which a scenario exported from the world repeats.
    pub config_json: String,
    seed: u64,
    started_ms: u64,
    next_index: u64,
    /// Thousandths of a record owed but not yet sent, carried between ticks.
    owed_milli: u64,
    pub metrics: ProducerMetrics,
    kpl: Kpl,
    /// The web server's log, for the agent delivery.
    pub web_log: VirtualLogFile,
}

impl Producer {
    pub fn new(id: String, config: ProducerConfig, seed: u64, now_ms: u64) -> Self {
        let web_log = VirtualLogFile::new(&config.web_server.path, config.web_server.format);
        Self { id, config, config_json: String::new(), seed, started_ms: now_ms, next_index: 0, owed_milli: 0, metrics: ProducerMetrics::default(), kpl: Kpl::default(), web_log }
    }

    /// One tick: generate this tick's records and deliver them (and, for the KPL, whatever
    /// is due from its buffers and retries).
    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService) {
        let records = if self.config.running { self.generate(now_ms) } else { Vec::new() };
        self.metrics.attempted += records.len() as u64;
        match self.config.delivery {
            Delivery::PutRecord => self.put_one_by_one(now_ms, kinesis, records),
            Delivery::PutRecords => {
                let batches = batches(records, self.config.batch_size);
                for batch in batches {
                    self.put_batch(now_ms, kinesis, batch);
                }
            }
            Delivery::Kpl => self.kpl.tick(now_ms, kinesis, &self.config, &mut self.metrics, records),
            Delivery::Agent => {
                if let Some(agent) = &mut self.config.agent {
                    agent.discover(&self.web_log);
                }
                let first = self.next_index - records.len() as u64;
                for (i, r) in records.iter().enumerate() {
                    self.web_log.log_request(first + i as u64, r, now_ms);
                }
                if let Some(agent) = &mut self.config.agent {
                    agent.tick(now_ms, self.seed, kinesis, &mut self.web_log, &mut self.metrics);
                }
            }
        }
    }

    fn generate(&mut self, now_ms: u64) -> Vec<UserRecord> {
        let rate = self.config.rate_at(now_ms.saturating_sub(self.started_ms));
        self.owed_milli += (rate * TICK_MS as f64).round() as u64;
        let count = self.owed_milli / 1000;
        self.owed_milli %= 1000;
        let c = &self.config;
        let at = Moment::at(now_ms);
        let out = (self.next_index..self.next_index + count).map(|i| c.kind.record(self.seed, i, &at, &c.keys, c.alternate_key, c.record_size_bytes)).collect();
        self.next_index += count;
        out
    }

    fn put_one_by_one(&mut self, now_ms: u64, kinesis: &mut KinesisService, records: Vec<UserRecord>) {
        for r in records {
            self.metrics.put_calls += 1;
            let input = RecordInput { partition_key: r.partition_key, data: r.data, explicit_hash_key: None };
            match kinesis.put_record(now_ms, &self.config.stream, input, None) {
                Ok(_) => self.metrics.acknowledged(1, now_ms, now_ms),
                Err(e) => {
                    if e.aws_type() == "ProvisionedThroughputExceededException" {
                        self.metrics.throttled += 1;
                    }
                    self.metrics.refused(1, e.message().to_string());
                }
            }
        }
    }

    /// A plain PutRecords producer: throttled entries are counted and dropped, as a naive
    /// application that ignores FailedRecordCount does.
    fn put_batch(&mut self, now_ms: u64, kinesis: &mut KinesisService, batch: Vec<UserRecord>) {
        let inputs = batch.into_iter().map(|r| RecordInput { partition_key: r.partition_key, data: r.data, explicit_hash_key: None }).collect();
        for outcome in put_records(now_ms, kinesis, &self.config.stream, inputs, &mut self.metrics) {
            match outcome {
                Outcome::Stored => self.metrics.acknowledged(1, now_ms, now_ms),
                Outcome::Throttled(message) | Outcome::Refused(message) => self.metrics.refused(1, message),
            }
        }
    }
}

/// What became of one record of a PutRecords call.
pub(crate) enum Outcome {
    Stored,
    Throttled(String),
    Refused(String),
}

/// One PutRecords call; counts the call and the throttles, returns one outcome per record.
pub(crate) fn put_records(now_ms: u64, kinesis: &mut KinesisService, stream: &str, inputs: Vec<RecordInput>, metrics: &mut ProducerMetrics) -> Vec<Outcome> {
    let n = inputs.len();
    metrics.put_calls += 1;
    match kinesis.put_records(now_ms, stream, inputs) {
        Ok(out) => out
            .records
            .into_iter()
            .map(|entry| match entry {
                PutRecordsResultEntry::Success { .. } => Outcome::Stored,
                PutRecordsResultEntry::Failure { error_code: "ProvisionedThroughputExceededException", error_message } => {
                    metrics.throttled += 1;
                    Outcome::Throttled(error_message)
                }
                PutRecordsResultEntry::Failure { error_message, .. } => Outcome::Refused(error_message),
            })
            .collect(),
        Err(e) => (0..n).map(|_| Outcome::Refused(e.message().to_string())).collect(),
    }
}

/// Splits records into PutRecords requests of at most `size` records and 5 MiB.
fn batches(records: Vec<UserRecord>, size: usize) -> Vec<Vec<UserRecord>> {
    let mut out: Vec<Vec<UserRecord>> = Vec::new();
    let mut bytes = 0;
    for r in records {
        let len = r.data.len() + r.partition_key.len();
        match out.last_mut() {
            Some(last) if last.len() < size && bytes + len <= PUT_RECORDS_MAX_BYTES => {
                bytes += len;
                last.push(r);
            }
            _ => {
                bytes = len;
                out.push(vec![r]);
            }
        }
    }
    out
}

/// Every producer of the world, by id (`producer-1`, `producer-2`, ...).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Producers {
    producers: BTreeMap<String, Producer>,
    next_number: u64,
}

impl Producers {
    /// Adds a producer from its JSON configuration; returns its id.
    pub fn add(&mut self, config_json: &str, seed: u64, now_ms: u64) -> Result<String, ConfigError> {
        let config = ProducerConfig::from_json(config_json)?;
        self.next_number += 1;
        let id = format!("producer-{}", self.next_number);
        let producer = Producer { config_json: crate::engine::config_json::canonical(config_json), ..Producer::new(id.clone(), config, seed, now_ms) };
        self.producers.insert(id.clone(), producer);
        Ok(id)
    }

    /// Rebuilds what a saved world leaves out (Zipf key weights) after a restore.
    pub fn restore_derived(&mut self) -> Result<(), String> {
        for p in self.producers.values_mut() {
            p.config.keys.restore_derived(p.config.kind.population()).map_err(|e| format!("{}: {e}", p.id))?;
        }
        Ok(())
    }

    pub fn remove(&mut self, id: &str) -> bool {
        self.producers.remove(id).is_some()
    }

    pub fn get(&self, id: &str) -> Option<&Producer> {
        self.producers.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Producer> {
        self.producers.get_mut(id)
    }

    /// Every producer, in id order (the console lists a stream's own).
    pub fn iter(&self) -> impl Iterator<Item = &Producer> {
        self.producers.values()
    }
}

#[cfg(test)]
pub(crate) mod tests;
