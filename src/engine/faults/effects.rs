//! What faults do to the services: switching a target into (and out of) its degraded mode,
//! checking that a target exists, and counting the effects AWS's own metrics would show.

use super::spec::{FaultKind, FaultSpec, FaultTarget};
use super::{Fault, FaultChange};
use crate::engine::events::EventKind;
use crate::engine::config_json::ConfigError;
use crate::engine::consumers::Consumers;
use crate::engine::firehose::FirehoseService;
use crate::engine::lambda::{FunctionFault, LambdaService};
use crate::engine::s3::S3;
use crate::engine::streams::shard::{parse_shard_id, shard_id};
use crate::engine::streams::KinesisService;
use std::collections::{BTreeMap, BTreeSet};

/// Named counters (`writeThrottled`, `duplicates`, ...), as the fault list shows them.
pub type Effects = BTreeMap<String, u64>;

/// Counters now minus counters at the start.
pub fn since(baseline: &Effects, now: &Effects) -> Effects {
    now.iter().map(|(k, v)| (k.clone(), v.saturating_sub(baseline.get(k).copied().unwrap_or(0)))).collect()
}

/// The services faults read, borrowed from the world.
pub struct Observed<'a> {
    pub kinesis: &'a KinesisService,
    pub consumers: &'a Consumers,
    pub lambda: &'a LambdaService,
    pub s3: &'a S3,
    pub firehose: &'a FirehoseService,
}

/// The services faults switch, borrowed from the world.
pub struct Targets<'a> {
    pub kinesis: &'a mut KinesisService,
    pub consumers: &'a mut Consumers,
    pub lambda: &'a mut LambdaService,
    pub s3: &'a mut S3,
    pub firehose: &'a FirehoseService,
}

fn names<'a>(kind: &str, items: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = items.collect();
    match list.is_empty() {
        true => format!("there are no {kind}"),
        false => format!("{kind}: {}", list.join(", ")),
    }
}

impl Observed<'_> {
    /// Every target that can suffer this kind of fault now, for a console to offer.
    pub fn targets(&self, kind: FaultKind) -> Vec<FaultTarget> {
        let consumers = self.consumers.iter();
        match kind {
            FaultKind::ThrottlingStorm => self
                .kinesis
                .streams()
                .flat_map(|s| {
                    let whole = FaultTarget::Stream { stream: s.name.clone(), shard: None };
                    let shards = s.shards.iter().filter(|sh| sh.is_open()).map(|sh| FaultTarget::Stream { stream: s.name.clone(), shard: Some(sh.id()) });
                    std::iter::once(whole).chain(shards).collect::<Vec<_>>()
                })
                .collect(),
            FaultKind::ConsumerCrash => consumers
                .flat_map(|c| {
                    // The whole consumer, then each worker when there are several.
                    let workers = c.workers();
                    let all = (!workers.is_empty()).then(|| FaultTarget::Consumer { consumer: c.id.clone(), worker: None });
                    let each = if workers.len() > 1 { workers } else { Vec::new() };
                    all.into_iter().chain(each.into_iter().map(|w| FaultTarget::Consumer { consumer: c.id.clone(), worker: Some(w) })).collect::<Vec<_>>()
                })
                .collect(),
            FaultKind::LambdaErrors | FaultKind::LambdaTimeouts => {
                let mappings = consumers.filter(|c| c.lambda_stats().is_some()).map(|c| FaultTarget::Consumer { consumer: c.id.clone(), worker: None });
                let functions = self.lambda.functions().map(|f| FaultTarget::Function { function: f.name.clone() });
                mappings.chain(functions).collect()
            }
            FaultKind::S3AccessDenied => self.s3.bucket_names().map(|b| FaultTarget::Bucket { bucket: b.to_string() }).collect(),
        }
    }

    /// Refuses a fault whose target does not exist or cannot suffer that kind of fault.
    pub fn check(&self, spec: &FaultSpec) -> Result<(), ConfigError> {
        let kind = spec.kind.name();
        match &spec.target {
            FaultTarget::Stream { stream, shard } => {
                let s = self.kinesis.stream(stream).ok_or_else(|| {
                    ConfigError(format!("target.stream: no stream named \"{stream}\"; {}", names("streams", self.kinesis.streams().map(|s| s.name.as_str()))))
                })?;
                if let Some(shard) = shard {
                    if parse_shard_id(shard).and_then(|i| s.shard(i)).is_none() {
                        let ids: Vec<String> = s.shards.iter().map(|s| shard_id(s.index)).collect();
                        return Err(ConfigError(format!("target.shard: stream {stream} has no shard {shard}; shards: {}", ids.join(", "))));
                    }
                }
            }
            FaultTarget::Consumer { consumer, worker } => {
                let c = self.consumers.get(consumer).ok_or_else(|| {
                    ConfigError(format!("target.consumer: no consumer \"{consumer}\"; {}", names("consumers", self.consumers.iter().map(|c| c.id.as_str()))))
                })?;
                let consumer_kind = format!("{:?}", c.config.kind).to_lowercase();
                if spec.kind == FaultKind::ConsumerCrash {
                    let workers = c.workers();
                    if workers.is_empty() {
                        return Err(ConfigError(format!(
                            "target.consumer: a {kind} fault applies to kcl and polling consumers; {consumer} is a {consumer_kind} consumer"
                        )));
                    }
                    if let Some(w) = worker.as_ref().filter(|w| !workers.contains(w)) {
                        return Err(ConfigError(format!("target.worker: {consumer} has no worker \"{w}\"; workers: {}", workers.join(", "))));
                    }
                } else if c.lambda_stats().is_none() {
                    return Err(ConfigError(format!(
                        "target.consumer: a {kind} fault applies to lambda consumers (event source mappings); {consumer} is a {consumer_kind} consumer"
                    )));
                }
            }
            FaultTarget::Function { function } => {
                if self.lambda.function(function).is_none() {
                    let list = names("functions", self.lambda.functions().map(|f| f.name.as_str()));
                    return Err(ConfigError(format!("target.function: no Lambda function named \"{function}\"; {list}")));
                }
            }
            FaultTarget::Bucket { bucket } => {
                if self.s3.bucket(bucket).is_err() {
                    return Err(ConfigError(format!("target.bucket: no bucket named \"{bucket}\"; {}", names("buckets", self.s3.bucket_names()))));
                }
            }
        }
        Ok(())
    }

    /// The target's counters behind this kind of fault's effects, as totals since the start
    /// of the world.
    pub fn measure(&self, spec: &FaultSpec) -> Effects {
        let mut e = Effects::new();
        let mut put = |name: &str, v: u64| {
            e.insert(name.to_string(), v);
        };
        match &spec.target {
            FaultTarget::Stream { stream, shard } => {
                let wanted = shard.as_deref().and_then(parse_shard_id);
                let shards = self.kinesis.stream(stream).into_iter().flat_map(|s| &s.shards).filter(|s| wanted.is_none_or(|i| i == s.index));
                let (writes, reads) = shards.fold((0, 0), |(w, r), s| (w + s.totals.write_throttled, r + s.totals.read_throttled));
                put("writeThrottled", writes);
                put("readThrottled", reads);
            }
            FaultTarget::Consumer { consumer, .. } => {
                let Some(c) = self.consumers.get(consumer) else { return e };
                if spec.kind == FaultKind::ConsumerCrash {
                    let totals = c.progress.totals();
                    put("processed", totals.processed);
                    put("duplicates", totals.duplicates);
                } else if let Some(stats) = c.lambda_stats() {
                    put("functionErrors", stats.function_errors);
                    if spec.kind == FaultKind::LambdaTimeouts {
                        put("timeouts", stats.timeouts);
                    }
                    put("recordsDiscarded", stats.records_discarded);
                }
            }
            FaultTarget::Function { function } => {
                let using = self.firehose.streams().filter(|d| d.destination.processor.as_ref().is_some_and(|p| &p.function_name == function));
                put("failedInvocations", self.lambda.failed_by_faults(function));
                put("processingFailedRecords", using.map(|d| d.tally.errored).sum());
            }
            FaultTarget::Bucket { bucket } => {
                let to_bucket = || self.firehose.streams().filter(|d| &d.destination.bucket == bucket);
                put("deniedWrites", self.s3.denied_writes(bucket));
                put("deliveredRecords", to_bucket().map(|d| d.tally.delivered).sum());
                put("lostRecords", to_bucket().map(|d| d.tally.lost).sum());
            }
        }
        e
    }
}

impl Targets<'_> {
    pub fn observed(&self) -> Observed<'_> {
        Observed { kinesis: self.kinesis, consumers: self.consumers, lambda: self.lambda, s3: self.s3, firehose: self.firehose }
    }

    pub fn measure(&self, spec: &FaultSpec) -> Effects {
        self.observed().measure(spec)
    }

    /// Notes a fault's change in the event log of the stream it acts on (a stream's, or a
    /// consumer's stream); faults on functions and buckets have their own logs.
    pub fn announce(&mut self, now_ms: u64, fault: &Fault, change: FaultChange) {
        let stream = match &fault.spec.target {
            FaultTarget::Stream { stream, .. } => Some(stream.clone()),
            FaultTarget::Consumer { consumer, .. } => self.consumers.get(consumer).map(|c| c.config.stream.clone()),
            FaultTarget::Function { .. } | FaultTarget::Bucket { .. } => None,
        };
        if let Some(stream) = stream {
            let kind = EventKind::Fault { stream, fault: fault.id.clone(), kind: fault.spec.kind.name().to_string(), change };
            self.kinesis.events.push(now_ms, kind, 1);
        }
    }

    /// Puts `target` in the state the active faults call for (all of them, so overlapping
    /// faults combine and the end of one leaves the others in force).
    pub fn reconcile<'f>(&mut self, now_ms: u64, target: &FaultTarget, active: impl Iterator<Item = &'f Fault> + Clone) {
        let on_target = active.filter(|f| same_target(&f.spec.target, target));
        match target {
            FaultTarget::Stream { stream, .. } => {
                let storms: Vec<(Option<u32>, u32)> = on_target
                    .filter_map(|f| match &f.spec.target {
                        FaultTarget::Stream { shard, .. } => Some((shard.as_deref().and_then(parse_shard_id), f.spec.capacity_percent.unwrap_or(100))),
                        _ => None,
                    })
                    .collect();
                self.kinesis.set_shard_capacity(now_ms, stream, |index| {
                    storms.iter().filter(|(shard, _)| shard.is_none_or(|s| s == index)).map(|(_, p)| *p).min().unwrap_or(100)
                });
            }
            FaultTarget::Consumer { consumer, .. } => {
                let Some(c) = self.consumers.get_mut(consumer) else { return };
                let workers = c.workers();
                let crashed: BTreeSet<String> = on_target
                    .clone()
                    .filter(|f| f.spec.kind == FaultKind::ConsumerCrash)
                    .flat_map(|f| match &f.spec.target {
                        FaultTarget::Consumer { worker: Some(w), .. } => vec![w.clone()],
                        _ => workers.clone(),
                    })
                    .collect();
                c.set_crashed(crashed);
                c.set_function_fault(newest_function_fault(on_target).map(|(_, f)| f));
            }
            FaultTarget::Function { function } => self.lambda.set_fault(function, newest_function_fault(on_target)),
            FaultTarget::Bucket { bucket } => self.s3.set_access_denied(bucket, on_target.count() > 0),
        }
    }
}

/// Two targets are the same service object (a stream whichever shard, a consumer whichever
/// worker).
fn same_target(a: &FaultTarget, b: &FaultTarget) -> bool {
    match (a, b) {
        (FaultTarget::Stream { stream: x, .. }, FaultTarget::Stream { stream: y, .. }) => x == y,
        (FaultTarget::Consumer { consumer: x, .. }, FaultTarget::Consumer { consumer: y, .. }) => x == y,
        (FaultTarget::Function { function: x }, FaultTarget::Function { function: y }) => x == y,
        (FaultTarget::Bucket { bucket: x }, FaultTarget::Bucket { bucket: y }) => x == y,
        _ => false,
    }
}

/// Of the Lambda faults on one target, the newest one is in force.
fn newest_function_fault<'f>(faults: impl Iterator<Item = &'f Fault>) -> Option<(String, FunctionFault)> {
    faults
        .filter_map(|f| match f.spec.kind {
            FaultKind::LambdaErrors => Some((f.id.clone(), FunctionFault::Errors { percent: f.spec.error_percent.unwrap_or(100) })),
            FaultKind::LambdaTimeouts => Some((f.id.clone(), FunctionFault::Timeouts)),
            _ => None,
        })
        .last()
}
