//! Amazon Data Firehose (formerly Kinesis Data Firehose): delivery streams that read a Kinesis
//! stream or take Direct PUTs, optionally transform records with Lambda and convert them to
//! Parquet, and deliver them to S3 in buffered objects.

pub mod buffer;
pub mod compression;
pub mod delivery;
pub mod destination;
pub mod error;
pub mod format;
pub mod metrics;
pub mod naming;
pub mod partitioning;
pub mod quota;
pub mod source;
pub mod tap;
pub mod transform;

use crate::engine::glue::GlueCatalog;
use crate::engine::iam::Iam;
use crate::engine::lambda::{LambdaFailure, LambdaService};
use crate::engine::logs::Logs;
use crate::engine::rng::SimRng;
use crate::engine::s3::S3;
use crate::engine::streams::KinesisService;
use delivery::{DeliveryStream, Source};
use destination::S3Destination;
use error::FirehoseError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn unable_to_assume(role_arn: &str) -> FirehoseError {
    FirehoseError::InvalidArgument(format!("Firehose is unable to assume role {role_arn}. Please check the role provided."))
}

/// Delivery streams per account and Region [AWS `limits.md`].
pub const MAX_DELIVERY_STREAMS: usize = 50;

/// The rest of the world a delivery stream acts on, borrowed for one operation.
pub struct Services<'a> {
    pub account_id: String,
    pub region: String,
    pub s3: &'a mut S3,
    pub iam: &'a Iam,
    pub logs: &'a mut Logs,
    pub lambda: &'a mut LambdaService,
    pub glue: &'a GlueCatalog,
    pub kinesis: &'a mut KinesisService,
    pub rng: &'a mut SimRng,
}

/// Timed work of Firehose: a delivery stream has something due (a buffer interval, a Lambda
/// answer taking effect, a Kinesis poll, an S3 retry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FirehoseTask {
    Wake { stream_id: u64 },
}

/// The source a new delivery stream reads, as CreateDeliveryStream names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewSource {
    DirectPut,
    Kinesis { stream_arn: String, role_arn: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirehoseService {
    pub account_id: String,
    pub region: String,
    streams: BTreeMap<String, DeliveryStream>,
    next_id: u64,
    #[serde(skip)]
    timers: Vec<(u64, FirehoseTask)>,
}

impl FirehoseService {
    pub fn new(account_id: &str, region: &str) -> Self {
        Self { account_id: account_id.to_string(), region: region.to_string(), streams: BTreeMap::new(), next_id: 1, timers: Vec::new() }
    }

    pub fn take_timers(&mut self) -> Vec<(u64, FirehoseTask)> {
        std::mem::take(&mut self.timers)
    }

    pub fn stream(&self, name: &str) -> Option<&DeliveryStream> {
        self.streams.get(name)
    }

    pub fn streams(&self) -> impl Iterator<Item = &DeliveryStream> {
        self.streams.values()
    }

    pub fn not_found(&self, name: &str) -> FirehoseError {
        FirehoseError::ResourceNotFound(format!("Firehose {name} under account {} not found.", self.account_id))
    }

    fn existing_mut(&mut self, name: &str) -> Result<&mut DeliveryStream, FirehoseError> {
        let missing = self.not_found(name);
        self.streams.get_mut(name).ok_or(missing)
    }

    fn queue_wake(&mut self, name: &str, now_ms: u64) {
        if let Some(s) = self.streams.get_mut(name) {
            let id = s.id;
            if let Some(due) = s.next_wake(now_ms) {
                self.timers.push((due, FirehoseTask::Wake { stream_id: id }));
            }
        }
    }

    /// Creates a delivery stream after checking that what it names exists, as AWS does.
    /// AWS texts for a missing bucket, function or table are not documented; ours say what is
    /// missing and how to fix it.
    pub fn create(&mut self, name: &str, source: NewSource, destination: S3Destination, now_ms: u64, s: &mut Services) -> Result<String, FirehoseError> {
        if self.streams.contains_key(name) {
            return Err(FirehoseError::ResourceInUse(format!("Firehose {name} under accountId {} already exists", self.account_id)));
        }
        if self.streams.len() >= MAX_DELIVERY_STREAMS {
            return Err(FirehoseError::LimitExceeded(format!(
                "You have already consumed your limit of {MAX_DELIVERY_STREAMS} Firehose streams in this account and Region."
            )));
        }
        self.check_destination(&destination, s)?;
        let source = match source {
            NewSource::DirectPut => Source::DirectPut,
            NewSource::Kinesis { stream_arn, role_arn } => {
                if s.iam.role_by_arn(&role_arn).is_none() {
                    return Err(unable_to_assume(&role_arn));
                }
                let stream_name = stream_arn.rsplit('/').next().unwrap_or_default().to_string();
                let serving = s.kinesis.stream(&stream_name).is_some_and(|k| k.arn == stream_arn && k.status.serves_data());
                if !serving {
                    return Err(FirehoseError::InvalidArgument(format!("Stream {stream_name} under account {} not found.", self.account_id)));
                }
                Source::Kinesis(source::KinesisSource::start(&stream_name, &stream_arn, &role_arn, now_ms, s.kinesis))
            }
        };
        if let Some(l) = &destination.logging {
            s.logs.ensure_group(&l.group, now_ms);
        }
        let arn = format!("arn:aws:firehose:{}:{}:deliverystream/{name}", self.region, self.account_id);
        let id = self.next_id;
        self.next_id += 1;
        self.streams.insert(name.to_string(), DeliveryStream::new(id, name, &arn, &self.region, source, destination, now_ms));
        self.queue_wake(name, now_ms);
        Ok(arn)
    }

    fn check_destination(&self, destination: &S3Destination, s: &Services) -> Result<(), FirehoseError> {
        if s.iam.role_by_arn(&destination.role_arn).is_none() {
            return Err(unable_to_assume(&destination.role_arn));
        }
        if s.s3.bucket(&destination.bucket).is_err() {
            return Err(FirehoseError::InvalidArgument(format!(
                "Bucket {} does not exist. Create the bucket or use a different bucket that does exist.",
                destination.bucket_arn
            )));
        }
        if let Some(p) = &destination.processor {
            if s.lambda.function(&p.function_name).is_none() {
                return Err(FirehoseError::InvalidArgument(format!("Lambda function {} does not exist.", p.lambda_arn)));
            }
        }
        if let Some(c) = &destination.conversion {
            if s.glue.table(&c.database, &c.table).is_none() {
                return Err(FirehoseError::InvalidArgument(format!(
                    "Glue table {}.{} does not exist in the Data Catalog of account {}.",
                    c.database, c.table, self.account_id
                )));
            }
        }
        Ok(())
    }

    /// AWS keeps a deleted stream in DELETING for a while; here it goes at once.
    pub fn delete(&mut self, name: &str) -> Result<(), FirehoseError> {
        self.streams.remove(name).map(|_| ()).ok_or_else(|| self.not_found(name))
    }

    /// Accepts Direct PUT records (already checked against the API's limits).
    pub fn put_records(&mut self, name: &str, records: Vec<Vec<u8>>, now_ms: u64, s: &mut Services) -> Result<(), FirehoseError> {
        let stream = self.existing_mut(name)?;
        if matches!(stream.source, Source::Kinesis(_)) {
            return Err(FirehoseError::InvalidArgument("This operation is not permitted on KinesisStreamAsSource delivery stream type.".into()));
        }
        let bytes = records.iter().map(|r| r.len() as u64).sum();
        if !stream.admit(now_ms, records.len() as u64, bytes) {
            // AWS's text for a throttled Direct PUT as recorded by emulators, unconfirmed [?].
            return Err(FirehoseError::ServiceUnavailable("Slow down.".into()));
        }
        for data in records {
            stream.accept(now_ms, data, s);
        }
        self.queue_wake(name, now_ms);
        Ok(())
    }

    /// The records delivery stream `name` accepted since `reader` last took them (see
    /// [`tap::Taps`]).
    pub fn take_tapped(&mut self, name: &str, reader: &str) -> Result<Vec<tap::TappedRecord>, FirehoseError> {
        Ok(self.existing_mut(name)?.taps.take(reader))
    }

    /// Starts (`open`) or stops handing `reader` the records `name` accepts.
    pub fn set_tap(&mut self, name: &str, reader: &str, open: bool) -> Result<(), FirehoseError> {
        let taps = &mut self.existing_mut(name)?.taps;
        match open {
            true => taps.open(reader),
            false => taps.close(reader),
        }
        Ok(())
    }

    pub fn run_task(&mut self, now_ms: u64, task: FirehoseTask, s: &mut Services) {
        let FirehoseTask::Wake { stream_id } = task;
        let Some(name) = self.streams.values().find(|d| d.id == stream_id).map(|d| d.name.clone()) else { return };
        if let Some(d) = self.streams.get_mut(&name) {
            d.wake(now_ms, s);
        }
        self.queue_wake(&name, now_ms);
    }

    /// Hands the host's answer to the delivery stream that invoked the function.
    pub fn complete_invocation(&mut self, pending_id: u64, result: Result<String, LambdaFailure>, now_ms: u64) -> bool {
        let Some(name) = self.streams.iter_mut().find_map(|(n, d)| d.complete_invocation(pending_id, result.clone(), now_ms).then(|| n.clone())) else {
            return false;
        };
        self.queue_wake(&name, now_ms);
        true
    }

    /// Replaces the destination (UpdateDestination), bumping the version object names carry.
    pub fn update_destination(&mut self, name: &str, current_version: u64, destination: S3Destination, s: &Services) -> Result<(), FirehoseError> {
        self.check_destination(&destination, s)?;
        let stream = self.existing_mut(name)?;
        if stream.version_id != current_version {
            return Err(FirehoseError::ConcurrentModification(format!(
                "Cannot update firehose: {name} since the current version id: {} and specified version id: {current_version} do not match",
                stream.version_id
            )));
        }
        stream.replace_destination(destination);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
