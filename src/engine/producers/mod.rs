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
use crate::engine::streams::record_data::RecordData;
use crate::engine::streams::sources::{SourceId, Sources};
use crate::engine::streams::run::Batch;
use generator::{Moment, Route, Source};
use kpl::Kpl;
use metrics::ProducerMetrics;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;
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
    /// The world's source that regenerates any of this producer's records; stored records
    /// name it.
    source: SourceId,
    started_ms: u64,
    next_index: u64,
    /// Thousandths of a record owed but not yet sent, carried between ticks.
    owed_milli: u64,
    /// When a `put_record` or `put_records` producer next sends.
    next_send_ms: u64,
    pub metrics: ProducerMetrics,
    kpl: Kpl,
    /// The web server's log, for the agent delivery.
    pub web_log: VirtualLogFile,
}

impl Producer {
    /// A producer whose records come from a source registered in `sources`.
    pub fn new(id: String, config: ProducerConfig, seed: u64, now_ms: u64, sources: &mut Sources) -> Self {
        let web_log = VirtualLogFile::new(&config.web_server.path, config.web_server.format);
        let source = sources.register(Source {
            kind: config.kind,
            seed,
            keys: config.keys.clone(),
            use_alternate: config.alternate_key,
            min_size: config.record_size_bytes,
        });
        Self { id, config, config_json: String::new(), seed, source, started_ms: now_ms, next_index: 0, owed_milli: 0, next_send_ms: now_ms, metrics: ProducerMetrics::default(), kpl: Kpl::default(), web_log }
    }

    /// One tick: this tick's records, delivered (and, for the KPL, whatever is due from its
    /// buffers and retries). Plain puts send references to the records, not their bytes.
    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService) {
        // Registered when the producer was made; missing only from a hand-edited world.
        let Some(source) = kinesis.sources.get(self.source).map(Rc::clone) else {
            return;
        };
        let step_ms = match self.config.delivery {
            Delivery::PutRecord | Delivery::PutRecords if now_ms < self.next_send_ms => return,
            Delivery::PutRecord | Delivery::PutRecords => {
                self.next_send_ms = now_ms + self.config.send_interval_ms;
                self.config.send_interval_ms
            }
            Delivery::Kpl | Delivery::Agent => TICK_MS,
        };
        let indexes = if self.config.running { self.due(now_ms, step_ms) } else { 0..0 };
        self.metrics.attempted += indexes.end - indexes.start;
        let at = Moment::at(now_ms);
        match self.config.delivery {
            Delivery::PutRecord => {
                let inputs = self.inputs(&source, indexes, &at);
                self.put_one_by_one(now_ms, kinesis, inputs);
            }
            Delivery::PutRecords => {
                let mut first = indexes.start;
                let routes = indexes.map(|i| source.route(i, now_ms)).collect();
                for routes in batches(routes, self.config.batch_size, |r| (r.size + r.key_len) as usize) {
                    let batch = Batch { source: self.source, created_ms: now_ms, first, len: routes.len() as u32 };
                    first += routes.len() as u64;
                    self.put_batch(now_ms, kinesis, batch, &routes);
                }
            }
            Delivery::Kpl => {
                let records = indexes.map(|i| source.record(i, &at)).collect();
                self.kpl.tick(now_ms, kinesis, &self.config, &mut self.metrics, records);
            }
            Delivery::Agent => {
                if let Some(agent) = &mut self.config.agent {
                    agent.discover(&self.web_log);
                }
                for i in indexes {
                    self.web_log.log_request(i, &source.plan(i, &at), now_ms);
                }
                if let Some(agent) = &mut self.config.agent {
                    agent.tick(now_ms, self.seed, kinesis, &mut self.web_log, &mut self.metrics);
                }
            }
        }
    }

    /// The indexes of the records due for the `step_ms` ending now.
    fn due(&mut self, now_ms: u64, step_ms: u64) -> Range<u64> {
        let rate = self.config.rate_at(now_ms.saturating_sub(self.started_ms));
        self.owed_milli += (rate * step_ms as f64).round() as u64;
        let count = self.owed_milli / 1000;
        self.owed_milli %= 1000;
        let first = self.next_index;
        self.next_index += count;
        first..self.next_index
    }

    /// References to records `indexes`, created `at`: the stream renders them when read, at
    /// their arrival time, which is `at` (plain puts are not retried).
    fn inputs(&self, source: &Source, indexes: Range<u64>, at: &Moment) -> Vec<RecordInput> {
        indexes
            .map(|index| {
                let planned = source.plan(index, at);
                let data = RecordData::Generated { source: self.source, index, size: planned.size as u32 };
                RecordInput { partition_key: planned.partition_key, data, explicit_hash_key: None }
            })
            .collect()
    }

    fn put_one_by_one(&mut self, now_ms: u64, kinesis: &mut KinesisService, records: Vec<RecordInput>) {
        for input in records {
            self.metrics.put_calls += 1;
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
    fn put_batch(&mut self, now_ms: u64, kinesis: &mut KinesisService, batch: Batch, routes: &[Route]) {
        self.metrics.put_calls += 1;
        match kinesis.put_generated(now_ms, &self.config.stream, batch, routes) {
            Ok(put) => {
                self.metrics.acknowledged(put.stored, now_ms, now_ms);
                for (_, count, message) in put.throttled {
                    self.metrics.throttled += count;
                    self.metrics.refused(count, message);
                }
                if put.internal > 0 {
                    self.metrics.refused(put.internal, "Internal service failure.".to_string());
                }
            }
            Err(e) => self.metrics.refused(routes.len() as u64, e.message().to_string()),
        }
    }
}

/// What became of one record of a PutRecords call.
pub(crate) enum Outcome {
    Stored,
    Throttled,
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
                PutRecordsResultEntry::Failure { error_code: "ProvisionedThroughputExceededException", .. } => {
                    metrics.throttled += 1;
                    Outcome::Throttled
                }
                PutRecordsResultEntry::Failure { error_message, .. } => Outcome::Refused(error_message),
            })
            .collect(),
        Err(e) => (0..n).map(|_| Outcome::Refused(e.message().to_string())).collect(),
    }
}

/// Splits records into PutRecords requests of at most `size` records and 5 MiB, `bytes`
/// measuring each record (data plus partition key).
fn batches<T>(records: Vec<T>, size: usize, bytes: impl Fn(&T) -> usize) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut total = 0;
    for r in records {
        let len = bytes(&r);
        match out.last_mut() {
            Some(last) if last.len() < size && total + len <= PUT_RECORDS_MAX_BYTES => {
                total += len;
                last.push(r);
            }
            _ => {
                total = len;
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
    /// Adds a producer from its JSON configuration, its source registered in `sources`;
    /// returns its id.
    pub fn add(&mut self, config_json: &str, seed: u64, now_ms: u64, sources: &mut Sources) -> Result<String, ConfigError> {
        let config = ProducerConfig::from_json(config_json)?;
        self.next_number += 1;
        let id = format!("producer-{}", self.next_number);
        let producer = Producer { config_json: crate::engine::config_json::canonical(config_json), ..Producer::new(id.clone(), config, seed, now_ms, sources) };
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
