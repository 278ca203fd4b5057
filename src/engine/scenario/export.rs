//! Writing a world's setup as a scenario that [`Sim::from_scenario`] reads back.

use super::SCENARIO_VERSION;
use crate::engine::analytics::application::Application;
use crate::engine::analytics::schema::{InputColumn, RecordFormat};
use crate::engine::analytics::stream_ref::StreamRef;
use crate::engine::api::firehose::create_request;
use crate::engine::clock::format_iso8601_ms;
use crate::engine::faults::{FaultState, FaultView};
use crate::engine::sim::Sim;
use crate::engine::streams::fanout::ConsumerStatus;
use crate::engine::streams::stream::{Stream, StreamMode, StreamStatus};
use serde_json::{json, Value};

fn stream(s: &Stream) -> Value {
    let mut out = json!({ "name": s.name, "mode": s.mode.as_str() });
    if s.mode == StreamMode::Provisioned {
        // A CREATING stream has no shards yet, only the count it asked for.
        let shards = if s.status == StreamStatus::Creating { s.initial_shard_count } else { s.open_shard_count() };
        out["shardCount"] = json!(shards);
    }
    out["retentionHours"] = json!(s.retention_hours);
    if !s.shard_level_metrics.is_empty() {
        out["enhancedMonitoring"] = json!(s.shard_level_metrics);
    }
    let consumers: Vec<&str> = s.consumers.values().filter(|c| c.status != ConsumerStatus::Deleting).map(|c| c.name.as_str()).collect();
    if !consumers.is_empty() {
        out["consumers"] = json!(consumers);
    }
    out
}

fn columns(columns: &[InputColumn]) -> Value {
    columns.iter().map(|c| json!({ "name": c.name, "type": c.sql_type.sql(), "key": c.key })).collect()
}

fn application(a: &Application) -> Value {
    let outputs: Vec<Value> = a
        .outputs
        .iter()
        .map(|o| match &o.destination {
            StreamRef::Kinesis(s) => json!({ "inAppStream": o.in_app_stream, "stream": s }),
            StreamRef::Firehose(d) => json!({ "inAppStream": o.in_app_stream, "deliveryStream": d }),
        })
        .collect();
    let mut out = json!({
        "name": a.name,
        "columns": columns(&a.schema.columns),
        "sql": a.sql,
        "outputs": outputs,
        "running": a.status == crate::engine::analytics::application::Status::Running,
    });
    match &a.input.source {
        StreamRef::Kinesis(s) => out["sourceStream"] = json!(s),
        StreamRef::Firehose(d) => out["sourceDeliveryStream"] = json!(d),
    }
    if let Some(format) = record_format(&a.schema.format) {
        out["recordFormat"] = format;
    }
    if let Some(r) = &a.reference {
        out["reference"] = json!({ "table": r.table, "bucket": r.bucket, "key": r.key, "columns": columns(&r.schema.columns) });
        if let Some(format) = record_format(&r.schema.format) {
            out["reference"]["recordFormat"] = format;
        }
    }
    out
}

/// A fault still to come or in force, as the spec that gives it again from the import's
/// first instant: a scheduled one starts after its remaining wait, an active one now for the
/// rest of its duration (whole seconds, rounded up).
fn pending_fault(fault: &FaultView) -> Option<Value> {
    let remaining_s = fault.remaining_ms.div_ceil(1000);
    let mut spec = fault.spec.clone();
    match fault.state {
        FaultState::Scheduled => spec.start_after_seconds = remaining_s,
        FaultState::Active => {
            spec.start_after_seconds = 0;
            spec.duration_seconds = remaining_s.max(1);
        }
        FaultState::Ended => return None,
    }
    serde_json::to_value(spec).ok()
}

/// CSV's delimiters; JSON, the default, is left out.
fn record_format(format: &RecordFormat) -> Option<Value> {
    match format {
        RecordFormat::Json => None,
        RecordFormat::Csv { row_delimiter, column_delimiter } => {
            Some(json!({ "type": "CSV", "rowDelimiter": row_delimiter, "columnDelimiter": column_delimiter }))
        }
    }
}

/// A configuration JSON as given to `add_producer`/`add_consumer` (checked then, so it parses).
fn config(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl Sim {
    /// The world's setup as a scenario document (pretty JSON): what was created, not the data
    /// it made. Importing it builds the same setup from the world's seed and start time.
    pub fn to_scenario(&self) -> String {
        let account = &self.kinesis.config;
        let streams: Vec<Value> = self.kinesis.streams().filter(|s| s.status != StreamStatus::Deleting).map(stream).collect();
        let producers: Vec<Value> = self
            .producers
            .iter()
            .map(|p| {
                let mut c = config(&p.config_json);
                // Started or stopped since it was added: the scenario keeps its current state.
                if c["running"].as_bool().unwrap_or(true) != p.config.running {
                    c["running"] = json!(p.config.running);
                }
                c
            })
            .collect();
        let doc = json!({
            "version": SCENARIO_VERSION,
            "seed": self.seed(),
            "startTime": format_iso8601_ms(self.start_ms()),
            "account": { "id": account.account_id, "region": account.region },
            "speed": self.speed(),
            "streams": streams,
            "videoStreams": self.video.streams().filter(|v| v.deleted_at_ms.is_none()).map(|v| {
                let mut out = json!({ "name": v.name, "retentionHours": v.retention_hours });
                if let Some(m) = &v.media_type {
                    out["mediaType"] = json!(m);
                }
                out
            }).collect::<Vec<_>>(),
            "buckets": self.s3.bucket_names().collect::<Vec<_>>(),
            "roles": self.iam.roles().map(|r| json!({ "name": r.name, "allowedActions": r.allowed_actions })).collect::<Vec<_>>(),
            "glueTables": self.glue.tables().map(|t| json!({
                "database": t.database,
                "table": t.name,
                "columns": t.columns.iter().map(|c| json!({ "name": c.name, "type": c.hive_type.to_string() })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "lambdas": self.lambda.sources().map(|(name, code)| json!({ "name": name, "code": code })).collect::<Vec<_>>(),
            "deliveryStreams": self.firehose.streams().map(create_request).collect::<Vec<_>>(),
            "analytics": self.analytics.applications.values().map(application).collect::<Vec<_>>(),
            "producers": producers,
            "consumers": self.consumers.iter().map(|c| config(&c.config_json)).collect::<Vec<_>>(),
            "faults": self.faults().iter().filter_map(pending_fault).collect::<Vec<_>>(),
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}
