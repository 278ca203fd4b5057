//! Kinesis Data Analytics for SQL: applications running continuous SQL over a Kinesis
//! stream, with pumps between in-application streams, tumbling windows on ROWTIME and
//! outputs to Kinesis streams. (AWS discontinued SQL applications in January 2026; courses
//! still teach the model, so the simulator keeps it.)

pub mod aggregate;
pub mod application;
pub mod dialect;
pub mod error;
pub mod expr;
pub mod join;
pub mod plan;
pub mod runtime;
pub mod schema;
pub mod value;
pub mod window;

use crate::engine::streams::records::{IteratorType, StartingPosition};
use crate::engine::streams::shard::shard_id;
use crate::engine::firehose::{FirehoseService, Services};
use crate::engine::s3::S3;
use crate::engine::streams::KinesisService;
use application::{Application, Status};
use error::SqlError;
use schema::InputColumn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Sources are read once a second per shard, as KDA did.
pub const READ_INTERVAL_MS: u64 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnalyticsTask {
    /// An application's next second; `generation` ties it to one start of the application.
    Tick { application: String, generation: u64 },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalyticsError {
    #[error("application {0} already exists")]
    Exists(String),
    #[error("application {0} not found")]
    NotFound(String),
    #[error("stream {0} not found")]
    NoStream(String),
    #[error("{0}")]
    Sql(SqlError),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AnalyticsService {
    pub applications: BTreeMap<String, Application>,
}

impl AnalyticsService {
    pub fn create_application(&mut self, name: &str, source_stream: &str, columns: Vec<InputColumn>, kinesis: &KinesisService) -> Result<(), AnalyticsError> {
        if self.applications.contains_key(name) {
            return Err(AnalyticsError::Exists(name.to_string()));
        }
        if kinesis.stream(source_stream).is_none() {
            return Err(AnalyticsError::NoStream(source_stream.to_string()));
        }
        self.applications.insert(name.to_string(), Application::new(name, source_stream, columns));
        Ok(())
    }

    pub fn get_mut(&mut self, name: &str) -> Result<&mut Application, AnalyticsError> {
        self.applications.get_mut(name).ok_or_else(|| AnalyticsError::NotFound(name.to_string()))
    }

    /// Starts an application; the caller schedules the returned first tick.
    pub fn start(&mut self, name: &str, now: u64, s3: &S3) -> Result<(u64, AnalyticsTask), AnalyticsError> {
        let app = self.get_mut(name)?;
        app.start(s3).map_err(AnalyticsError::Sql)?;
        Ok((now + READ_INTERVAL_MS, AnalyticsTask::Tick { application: name.to_string(), generation: app.generation }))
    }

    /// Runs a tick; returns the next one while the application runs.
    pub fn run_task(&mut self, now: u64, task: AnalyticsTask, firehose: &mut FirehoseService, services: &mut Services<'_>) -> Option<(u64, AnalyticsTask)> {
        let AnalyticsTask::Tick { application, generation } = task;
        let app = self.applications.get_mut(&application)?;
        if app.status != Status::Running || app.generation != generation {
            return None;
        }
        app.tick(now, firehose, services);
        Some((now + READ_INTERVAL_MS, AnalyticsTask::Tick { application, generation }))
    }
}

/// Sample records of a stream (up to 100 per shard from its oldest), read with
/// GetShardIterator and GetRecords like any caller, for schema discovery.
pub fn sample_records(kinesis: &mut KinesisService, now: u64, stream: &str) -> Result<Vec<Vec<u8>>, AnalyticsError> {
    let shards: Vec<u32> = kinesis.stream(stream).ok_or_else(|| AnalyticsError::NoStream(stream.to_string()))?.shards.iter().map(|s| s.index).collect();
    let mut samples = Vec::new();
    for index in shards {
        let position = StartingPosition { kind: IteratorType::TrimHorizon, sequence_number: None, timestamp: None };
        let Ok(it) = kinesis.get_shard_iterator(now, stream, &shard_id(index), position) else { continue };
        if let Ok(out) = kinesis.get_records(now, &it.shard_iterator, Some(100)) {
            samples.extend(out.records.into_iter().map(|r| r.data));
        }
    }
    Ok(samples)
}
