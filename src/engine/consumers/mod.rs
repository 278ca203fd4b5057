//! Built-in consumers reading streams through the same service calls the API uses, so their
//! reads share (and are throttled by) each shard's read limits like any other caller's.
//!
//! Each consumer acts on ticks of its poll interval of virtual time and keeps a [`Progress`]
//! of what it processed: the proof of per-key order, duplicates and records lost to
//! retention that tests and the UI read.

pub mod config;
pub mod fanout;
pub mod kcl;
pub mod lambda_esm;
pub mod polling;
pub mod progress;
pub mod shard_reader;
pub mod user_records;

use crate::engine::config_json::ConfigError;
use crate::engine::lambda::FunctionFault;
use crate::engine::streams::shard::shard_id;
use crate::engine::streams::KinesisService;
use config::{ConsumerConfig, ConsumerKind};
use fanout::FanOutConsumer;
use kcl::KclApplication;
use lambda_esm::EventSourceMapping;
use polling::PollingConsumer;
use progress::Progress;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Reading {
    Polling(PollingConsumer),
    Kcl(KclApplication),
    Fanout(FanOutConsumer),
    Lambda(EventSourceMapping),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Consumer {
    pub id: String,
    pub config: ConsumerConfig,
    /// The configuration JSON as given, which a scenario exported from the world repeats.
    pub config_json: String,
    pub progress: Progress,
    reading: Reading,
}

impl Consumer {
    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService) {
        match &mut self.reading {
            Reading::Polling(p) => p.tick(now_ms, kinesis, &self.config, &mut self.progress),
            Reading::Kcl(app) => app.tick(now_ms, kinesis, &self.config, &mut self.progress),
            Reading::Fanout(f) => f.tick(now_ms, kinesis, &self.config, &mut self.progress),
            Reading::Lambda(esm) => esm.tick(now_ms, kinesis, &self.config, &mut self.progress),
        }
    }

    /// The processes a crash fault can take down: the KCL's workers, or the polling
    /// consumer's one process; none for managed readers (Lambda, enhanced fan-out).
    pub fn workers(&self) -> Vec<String> {
        match self.reading {
            Reading::Kcl(_) => (1..=self.config.workers).map(|w| format!("worker-{w}")).collect(),
            Reading::Polling(_) => vec!["worker-1".to_string()],
            Reading::Fanout(_) | Reading::Lambda(_) => Vec::new(),
        }
    }

    /// Takes down (or, leaving them out, restarts) workers for an injected crash.
    pub fn set_crashed(&mut self, crashed: BTreeSet<String>) {
        match &mut self.reading {
            Reading::Kcl(app) => app.set_crashed(crashed),
            Reading::Polling(p) => p.set_crashed(!crashed.is_empty()),
            Reading::Fanout(_) | Reading::Lambda(_) => {}
        }
    }

    /// Makes a Lambda consumer's function fail while an injected fault lasts (other kinds
    /// of consumer have no function).
    pub fn set_function_fault(&mut self, fault: Option<FunctionFault>) {
        if let Reading::Lambda(esm) = &mut self.reading {
            esm.fault = fault;
        }
    }

    /// The Lambda consumer's invocation counts (`None` for other kinds).
    pub fn lambda_stats(&self) -> Option<&lambda_esm::InvocationStats> {
        match &self.reading {
            Reading::Lambda(esm) => Some(&esm.stats),
            _ => None,
        }
    }

    /// Progress as the JS `consumerProgress` returns it (see the README).
    pub fn progress_json(&mut self, now_ms: u64, kinesis: &KinesisService) -> String {
        if let Some(stream) = kinesis.stream(&self.config.stream) {
            self.progress.count_losses(stream, now_ms);
        }
        let shards: BTreeMap<String, _> = self.progress.shards.iter().map(|(i, p)| (shard_id(*i), p)).collect();
        let leases: Vec<_> = match &self.reading {
            Reading::Kcl(app) => app.leases().collect(),
            Reading::Polling(_) | Reading::Fanout(_) | Reading::Lambda(_) => Vec::new(),
        };
        let lambda = self.lambda_stats();
        json!({
            "leases": leases,
            "lambda": lambda,
            "iteratorAgeMs": self.progress.totals().lag_ms,
            "id": self.id,
            "kind": self.config.kind,
            "stream": self.config.stream,
            "name": self.config.name,
            "shards": shards,
            "totals": self.progress.totals(),
            "outOfOrder": self.progress.out_of_order,
        })
        .to_string()
    }
}

/// Every consumer of the world, by id (`consumer-1`, ...).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Consumers {
    consumers: BTreeMap<String, Consumer>,
    next_number: u64,
}

impl Consumers {
    /// Adds a consumer from its JSON configuration; returns its id and poll interval.
    pub fn add(&mut self, config_json: &str) -> Result<(String, u64), ConfigError> {
        let config = ConsumerConfig::from_json(config_json)?;
        self.next_number += 1;
        let id = format!("consumer-{}", self.next_number);
        let reading = match config.kind {
            ConsumerKind::Polling => Reading::Polling(PollingConsumer::default()),
            ConsumerKind::Kcl => Reading::Kcl(KclApplication::default()),
            ConsumerKind::Fanout => Reading::Fanout(FanOutConsumer::default()),
            ConsumerKind::Lambda => Reading::Lambda(EventSourceMapping::default()),
        };
        let interval = config.poll_interval_ms;
        self.consumers.insert(id.clone(), Consumer { id: id.clone(), config, config_json: crate::engine::config_json::canonical(config_json), progress: Progress::default(), reading });
        Ok((id, interval))
    }

    pub fn remove(&mut self, id: &str) -> bool {
        self.consumers.remove(id).is_some()
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Consumer> {
        self.consumers.get_mut(id)
    }

    pub fn get(&self, id: &str) -> Option<&Consumer> {
        self.consumers.get(id)
    }

    /// Every consumer, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Consumer> {
        self.consumers.values()
    }
}

#[cfg(test)]
mod tests;
