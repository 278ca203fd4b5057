//! One SQL application: its streaming source read once a second (see `input`), the input
//! schema mapping records to rows, its SQL, and its outputs written with PutRecords or
//! PutRecordBatch.

use super::error::SqlError;
use super::error_stream::ERROR_STREAM;
use super::input::Input;
use super::stream_ref::StreamRef;
use super::plan::{compile, StreamDef};
use super::runtime::{Row, Runtime};
use super::schema::{InputSchema, SqlType};
use super::value::format_time;
use crate::engine::streams::records::{PutRecordsResultEntry, RecordInput};
use crate::engine::firehose::{FirehoseService, Services};
use crate::engine::s3::S3;
use crate::engine::streams::KinesisService;
use crate::engine::streams::sources::Sources;
use super::value::Value;
use sqlparser::tokenizer::Location;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

pub const SOURCE_STREAM: &str = "SOURCE_SQL_STREAM_001";
/// PutRecords takes at most 500 records per call.
const PUT_BATCH: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Ready,
    Running,
}

/// Where an output writes: a Kinesis data stream (PutRecords) or a Firehose delivery
/// stream (PutRecordBatch).
pub type Destination = StreamRef;

/// An in-application stream delivered to a destination as JSON records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub in_app_stream: String,
    pub destination: Destination,
    pub delivered: u64,
    /// Records waiting for (or retrying) PutRecords, oldest first.
    pending: VecDeque<Vec<u8>>,
}

/// A reference table: an S3 object of JSON lines or CSV rows, loaded when the application
/// starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceSource {
    pub table: String,
    pub bucket: String,
    pub key: String,
    pub schema: InputSchema,
}

impl ReferenceSource {
    fn def(&self) -> StreamDef {
        StreamDef { name: self.table.clone(), columns: self.schema.sql_columns() }
    }

    /// The object's lines as rows; lines that do not map are skipped, as KDA skipped them.
    fn load(&self, s3: &S3, sources: &Sources) -> Result<Vec<Vec<Value>>, SqlError> {
        let object = s3.get_object(&self.bucket, &self.key).map_err(|e| {
            SqlError::at(Location { line: 0, column: 0 }, format!("reference table {} from s3://{}/{}: {e}", self.table, self.bucket, self.key))
        })?;
        Ok(self.schema.file_rows(&object.bytes(sources)).into_iter().filter_map(|(_, row)| row.ok()).collect())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub name: String,
    pub input: Input,
    pub schema: InputSchema,
    pub sql: String,
    pub status: Status,
    /// Why the SQL did not start, if it did not.
    pub sql_error: Option<SqlError>,
    pub outputs: Vec<Output>,
    pub reference: Option<ReferenceSource>,
    pub runtime: Option<Runtime>,
    pub records_read: u64,
    /// Counts starts, so ticks scheduled before a stop are recognised and dropped.
    pub generation: u64,
}

impl Application {
    pub fn new(name: &str, source: StreamRef, schema: InputSchema) -> Self {
        Self {
            name: name.to_string(),
            input: Input::new(source),
            schema,
            sql: String::new(),
            status: Status::Ready,
            sql_error: None,
            outputs: Vec::new(),
            reference: None,
            runtime: None,
            records_read: 0,
            generation: 0,
        }
    }

    /// `SOURCE_SQL_STREAM_001`: the input columns, then the record's arrival time.
    pub fn source_def(&self) -> StreamDef {
        let mut columns = self.schema.sql_columns();
        columns.push(("APPROXIMATE_ARRIVAL_TIME".to_string(), SqlType::Timestamp));
        StreamDef { name: SOURCE_STREAM.to_string(), columns }
    }

    /// Connects an in-application stream to a destination, replacing its earlier one.
    pub fn add_output(&mut self, in_app_stream: &str, destination: Destination) {
        self.outputs.retain(|o| o.in_app_stream != in_app_stream);
        self.outputs.push(Output {
            in_app_stream: in_app_stream.to_string(),
            destination,
            delivered: 0,
            pending: VecDeque::new(),
        });
    }

    /// Loads the reference table, compiles the SQL and starts reading new records; the
    /// error names the construct (or the missing object).
    pub fn start(&mut self, now: u64, s3: &S3, kinesis: &mut KinesisService, firehose: &mut FirehoseService) -> Result<(), SqlError> {
        let source = self.source_def();
        let loaded = match &self.reference {
            Some(r) => r.load(s3, &kinesis.sources).map(|rows| (vec![r.def()], BTreeMap::from([(r.table.clone(), rows)]))),
            None => Ok((Vec::new(), BTreeMap::new())),
        };
        match loaded.and_then(|(defs, rows)| compile(&self.sql, &source, &defs).map(|p| (p, rows))) {
            Ok((program, rows)) => {
                self.runtime = Some(Runtime::new(program, source, rows));
                self.sql_error = None;
                self.status = Status::Running;
                self.generation += 1;
                // Counted per run, like the in-application streams.
                self.records_read = 0;
                self.input.start(now, &self.name, kinesis, firehose);
                Ok(())
            }
            Err(e) => {
                self.sql_error = Some(e.clone());
                Err(e)
            }
        }
    }

    pub fn stop(&mut self, firehose: &mut FirehoseService) {
        self.status = Status::Ready;
        self.input.stop(&self.name, firehose);
    }

    /// Rows reported to `error_stream` since the application started.
    pub fn errors(&self) -> u64 {
        self.runtime.as_ref().and_then(|r| r.streams.get(ERROR_STREAM)).map_or(0, |s| s.total)
    }

    /// One second of the application: windows due by `now` close, the source is read once,
    /// each row enters `SOURCE_SQL_STREAM_001` (or `error_stream` when it does not map) and
    /// flows through the pumps, and outputs are written.
    pub fn tick(&mut self, now: u64, firehose: &mut FirehoseService, services: &mut Services<'_>) {
        let Some(runtime) = self.runtime.as_mut() else { return };
        runtime.advance(now);
        for record in self.input.read(now, &self.name, services.kinesis, firehose) {
            self.records_read += 1;
            for (data, row) in self.schema.rows(&record.data) {
                match row {
                    Ok(mut values) => {
                        values.push(Value::Time(record.arrival_ms));
                        runtime.insert(SOURCE_STREAM, Row { rowtime: now, values });
                    }
                    Err(e) => runtime.report(e.name(), e.message(), now, data, None),
                }
            }
        }
        let inserted = runtime.drain_inserted();
        for output in &mut self.outputs {
            let Some(def) = runtime.streams.get(&output.in_app_stream).map(|s| &s.def) else { continue };
            for (_, row) in inserted.iter().filter(|(s, _)| *s == output.in_app_stream) {
                output.pending.push_back(row_json(def, row));
            }
        }
        for output in &mut self.outputs {
            output.flush(now, firehose, services);
        }
    }
}

/// A row as KDA's JSON output format writes it: one key per column, plus ROWTIME.
fn row_json(def: &StreamDef, row: &Row) -> Vec<u8> {
    let mut map = serde_json::Map::new();
    map.insert("ROWTIME".to_string(), format_time(row.rowtime).into());
    for ((name, _), v) in def.columns.iter().zip(&row.values) {
        map.insert(name.clone(), v.to_json());
    }
    serde_json::to_vec(&map).unwrap_or_default()
}

impl Output {
    /// Writes pending rows in batches; rows refused (throttled) stay pending for the next tick.
    fn flush(&mut self, now: u64, firehose: &mut FirehoseService, services: &mut Services<'_>) {
        match self.destination.clone() {
            Destination::Kinesis(stream) => self.put_records(now, &stream, services.kinesis),
            Destination::Firehose(stream) => {
                while !self.pending.is_empty() {
                    let n = self.pending.len().min(PUT_BATCH);
                    let batch: Vec<Vec<u8>> = self.pending.iter().take(n).cloned().collect();
                    // A refused batch (throttled, missing stream) is retried whole next tick.
                    if firehose.put_records(&stream, batch, now, services).is_err() {
                        return;
                    }
                    self.pending.drain(..n);
                    self.delivered += n as u64;
                }
            }
        }
    }

    fn put_records(&mut self, now: u64, kinesis_stream: &str, kinesis: &mut KinesisService) {
        while !self.pending.is_empty() {
            let batch: Vec<Vec<u8>> = self.pending.iter().take(PUT_BATCH).cloned().collect();
            let records = batch
                .iter()
                .enumerate()
                .map(|(i, data)| RecordInput {
                    // Spread over shards like a sequence of distinct keys.
                    partition_key: format!("{}", self.delivered + i as u64),
                    data: data.clone().into(),
                    explicit_hash_key: None,
                })
                .collect();
            let Ok(out) = kinesis.put_records(now, kinesis_stream, records) else { return };
            let mut kept = VecDeque::new();
            for (data, result) in batch.into_iter().zip(&out.records) {
                if matches!(result, PutRecordsResultEntry::Failure { .. }) {
                    kept.push_back(data);
                } else {
                    self.delivered += 1;
                }
            }
            let sent = out.records.len().min(self.pending.len());
            self.pending.drain(..sent);
            if !kept.is_empty() {
                kept.extend(self.pending.drain(..));
                self.pending = kept;
                return;
            }
        }
    }
}
