//! Kinesis Data Analytics for SQL: applications running continuous SQL over a Kinesis
//! stream or a Firehose delivery stream, with pumps between in-application streams, tumbling windows on ROWTIME and
//! outputs to Kinesis streams. (AWS discontinued SQL applications in January 2026; courses
//! still teach the model, so the simulator keeps it.)

pub mod aggregate;
pub mod application;
pub mod dialect;
pub mod error;
pub mod error_stream;
pub mod input;
pub mod expr;
pub mod join;
pub mod plan;
pub mod runtime;
pub mod schema;
pub mod stream_ref;
pub mod value;
pub mod window;

use crate::engine::firehose::{FirehoseService, Services};
use crate::engine::s3::S3;
use crate::engine::streams::KinesisService;
use application::{Application, Status};
use error::SqlError;
use stream_ref::StreamRef;
use schema::InputSchema;
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
    #[error("{0} not found")]
    NoStream(String),
    #[error("{0}")]
    Sql(SqlError),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AnalyticsService {
    pub applications: BTreeMap<String, Application>,
}

impl AnalyticsService {
    pub fn create_application(&mut self, name: &str, source: StreamRef, schema: InputSchema, kinesis: &KinesisService, firehose: &FirehoseService) -> Result<(), AnalyticsError> {
        if self.applications.contains_key(name) {
            return Err(AnalyticsError::Exists(name.to_string()));
        }
        source.check(kinesis, firehose)?;
        self.applications.insert(name.to_string(), Application::new(name, source, schema));
        Ok(())
    }

    pub fn get_mut(&mut self, name: &str) -> Result<&mut Application, AnalyticsError> {
        self.applications.get_mut(name).ok_or_else(|| AnalyticsError::NotFound(name.to_string()))
    }

    /// Starts an application; the caller schedules the returned first tick.
    pub fn start(&mut self, name: &str, now: u64, s3: &S3, kinesis: &mut KinesisService, firehose: &mut FirehoseService) -> Result<(u64, AnalyticsTask), AnalyticsError> {
        let app = self.get_mut(name)?;
        app.start(now, s3, kinesis, firehose).map_err(AnalyticsError::Sql)?;
        Ok((now + READ_INTERVAL_MS, AnalyticsTask::Tick { application: name.to_string(), generation: app.generation }))
    }

    /// Stops an application: it reads no more, and a delivery stream source stops keeping
    /// records for it.
    pub fn stop(&mut self, name: &str, firehose: &mut FirehoseService) -> Result<(), AnalyticsError> {
        self.get_mut(name)?.stop(firehose);
        Ok(())
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
