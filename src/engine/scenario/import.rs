//! Building a world from a scenario: each item goes through the API the console and
//! `dispatch` use, so the rules and AWS's texts are theirs; refusals are prefixed with the
//! item's path in the document.

use super::{ScenarioError, SCENARIO_VERSION};
use crate::engine::analytics::application::ReferenceSource;
use crate::engine::analytics::schema::{InputColumn, InputSchema, RecordFormat, SqlType};
use crate::engine::analytics::stream_ref::StreamRef;
use crate::engine::clock::{parse_utc, DEFAULT_START_MS, PLAYBACK_SPEEDS};
use crate::engine::config_json::{ConfigError, ConfigObject};
use crate::engine::glue::GlueTable;
use crate::engine::sim::Sim;
use crate::engine::streams::fanout::ConsumerStatus;
use crate::engine::streams::stream::StreamStatus;
use crate::engine::streams::KinesisConfig;
use serde_json::{json, Value};

/// The fields a scenario may have; anything else is a typo worth refusing.
const FIELDS: &[&str] = &[
    "version", "about", "seed", "startTime", "account", "speed", "streams", "videoStreams", "buckets", "roles",
    "glueTables", "lambdas", "deliveryStreams", "analytics", "producers", "consumers", "faults",
];
const STREAM_FIELDS: &[&str] = &["name", "mode", "shardCount", "retentionHours", "enhancedMonitoring", "consumers"];
/// The largest seed a JavaScript number holds exactly.
const MAX_SEED: u64 = (1 << 53) - 1;
/// Longest the import waits for streams and consumers to turn ACTIVE (AWS's delays are 30 s
/// at most in Kinesim).
const SETTLE_LIMIT_MS: u64 = 600_000;
const SETTLE_STEP_MS: u64 = 1_000;

fn refuse(message: impl Into<String>) -> ScenarioError {
    ScenarioError(message.into())
}

/// Refuses fields outside `allowed`, naming the first one found.
fn only(object: &ConfigObject, value: &Value, allowed: &[&str]) -> Result<(), ScenarioError> {
    let unknown = value.as_object().and_then(|m| m.keys().find(|k| !allowed.contains(&k.as_str())));
    match unknown {
        Some(k) => Err(refuse(format!("{} is not a scenario field; allowed here: {}", object.name(k), allowed.join(", ")))),
        None => Ok(()),
    }
}

/// One API call of the world; an error answer becomes `<path>: <__type>: <message>`.
fn call(sim: &mut Sim, target: &str, body: Value, path: &str) -> Result<Value, ScenarioError> {
    let r = sim.dispatch(target, body.to_string().as_bytes());
    let answer: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    if r.status == 200 {
        return Ok(answer);
    }
    let kind = answer["__type"].as_str().unwrap_or("Error");
    let message = answer["message"].as_str().or_else(|| answer["Message"].as_str()).unwrap_or("");
    Err(refuse(format!("{path}: {kind}: {message}")))
}

fn kinesis(sim: &mut Sim, action: &str, body: Value, path: &str) -> Result<Value, ScenarioError> {
    call(sim, &format!("Kinesis_20131202.{action}"), body, path)
}

/// Runs the world until every stream and enhanced fan-out consumer is ACTIVE.
fn settle(sim: &mut Sim) {
    let settled = |sim: &Sim| {
        sim.kinesis
            .streams()
            .all(|s| s.status == StreamStatus::Active && s.consumers.values().all(|c| c.status == ConsumerStatus::Active))
    };
    let mut waited = 0;
    while waited < SETTLE_LIMIT_MS && !settled(sim) {
        sim.advance(SETTLE_STEP_MS);
        waited += SETTLE_STEP_MS;
    }
}

fn object<'a>(value: &'a Value, path: &str) -> Result<ConfigObject<'a>, ScenarioError> {
    Ok(ConfigObject::at(value, path)?)
}

fn string_list(o: &ConfigObject, field: &str) -> Result<Vec<String>, ScenarioError> {
    o.list(field)?
        .into_iter()
        .map(|(path, v)| v.as_str().map(str::to_string).ok_or_else(|| refuse(format!("{path} must be a string; got {v}"))))
        .collect()
}

impl Sim {
    /// A new world built from a scenario document (see `docs/scenarios.md`). The world is
    /// run until its streams and consumers are ACTIVE, so its clock starts at `startTime`
    /// plus AWS's creation delays (30 s to a minute).
    pub fn from_scenario(text: &str) -> Result<Sim, ScenarioError> {
        let value: Value = serde_json::from_str(text).map_err(|e| refuse(format!("The scenario is not valid JSON: {e}")))?;
        if !value.is_object() {
            return Err(refuse(format!("The scenario must be a JSON object; got {value}")));
        }
        let root = object(&value, "")?;
        only(&root, &value, FIELDS)?;
        match root.raw("version") {
            Some(v) if v.as_u64() == Some(SCENARIO_VERSION) => {}
            Some(v) => return Err(refuse(format!("version must be {SCENARIO_VERSION}; got {v}"))),
            None => return Err(refuse(format!("version is required: {SCENARIO_VERSION}"))),
        }
        root.str("about")?;
        let seed = root.whole("seed", 0, MAX_SEED, 1)?;
        let start_ms = match root.str("startTime")? {
            None => DEFAULT_START_MS,
            Some(t) => parse_utc(t)
                .ok_or_else(|| refuse(format!("startTime must be a UTC date-time such as \"2026-01-01T00:00:00Z\"; got \"{t}\"")))?,
        };
        let mut sim = Sim::with_kinesis(seed, start_ms, account(&root)?);
        let speed = root.whole("speed", 1, u64::from(u32::MAX), 1)?;
        if !sim.set_speed(speed as u32) {
            let allowed: Vec<String> = PLAYBACK_SPEEDS.iter().map(u32::to_string).collect();
            return Err(refuse(format!("speed must be one of {}; got {speed}", allowed.join(", "))));
        }
        catalog(&mut sim, &root)?;
        let streams = root.list("streams")?;
        for (path, item) in &streams {
            create_stream(&mut sim, path, item)?;
        }
        for (path, item) in root.list("videoStreams")? {
            create_video_stream(&mut sim, &path, item)?;
        }
        settle(&mut sim);
        for (path, item) in &streams {
            configure_stream(&mut sim, path, item)?;
        }
        for (path, item) in root.list("deliveryStreams")? {
            call(&mut sim, "Firehose_20150804.CreateDeliveryStream", item.clone(), &path)?;
        }
        for (path, item) in root.list("analytics")? {
            application(&mut sim, &path, item)?;
        }
        for (path, item) in root.list("producers")? {
            sim.add_producer(&item.to_string()).map_err(|e| under(&path, e))?;
        }
        for (path, item) in root.list("consumers")? {
            sim.add_consumer(&item.to_string()).map_err(|e| under(&path, e))?;
        }
        // Last, so their targets exist; their times count from the world's first instant.
        for (path, item) in root.list("faults")? {
            sim.inject_fault(&item.to_string()).map_err(|e| under(&path, e))?;
        }
        Ok(sim)
    }
}

/// `account.id` (12 digits) and `account.region`, AWS's account and Region formats.
fn account(root: &ConfigObject) -> Result<KinesisConfig, ScenarioError> {
    let default = KinesisConfig::default();
    let Some(a) = root.object("account")? else { return Ok(default) };
    let id = a.str("id")?.unwrap_or(&default.account_id);
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse(format!("{} must be an AWS account id of 12 digits; got \"{id}\"", a.name("id"))));
    }
    let region = a.str("region")?.unwrap_or(&default.region);
    let parts: Vec<&str> = region.split('-').collect();
    let region_ok = parts.len() >= 3
        && parts[..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok();
    if !region_ok {
        return Err(refuse(format!("{} must be an AWS Region code such as us-east-1; got \"{region}\"", a.name("region"))));
    }
    Ok(KinesisConfig::for_region(id, region))
}

/// Buckets, roles, Glue tables and user Lambda functions: what the pipelines refer to.
fn catalog(sim: &mut Sim, root: &ConfigObject) -> Result<(), ScenarioError> {
    for (path, v) in root.list("buckets")? {
        let name = v.as_str().ok_or_else(|| refuse(format!("{path} must be a bucket name (a string); got {v}")))?;
        let now = sim.now_ms();
        sim.s3.create_bucket(name, now).map_err(|e| refuse(format!("{path}: {}: {e}", e.code())))?;
    }
    for (path, v) in root.list("roles")? {
        let role = object(v, &path)?;
        only(&role, v, &["name", "allowedActions"])?;
        let actions = string_list(&role, "allowedActions")?;
        sim.iam.put_role(role.required_str("name")?, &actions).map_err(|e| refuse(format!("{path}: {e}")))?;
    }
    for (path, v) in root.list("glueTables")? {
        let t = object(v, &path)?;
        only(&t, v, &["database", "table", "columns"])?;
        let mut columns = Vec::new();
        for (cpath, c) in t.list("columns")? {
            let col = object(c, &cpath)?;
            only(&col, c, &["name", "type"])?;
            columns.push((col.required_str("name")?, col.required_str("type")?));
        }
        let table = GlueTable::new(t.required_str("database")?, t.required_str("table")?, &columns).map_err(|e| refuse(format!("{path}: {e}")))?;
        sim.glue.put_table(table);
    }
    for (path, v) in root.list("lambdas")? {
        let f = object(v, &path)?;
        only(&f, v, &["name", "code"])?;
        sim.lambda.register_source(f.required_str("name")?, f.required_str("code")?).map_err(|e| refuse(format!("{path}: {e}")))?;
    }
    Ok(())
}

/// CreateStream with the item's name, mode and shard count.
fn create_stream(sim: &mut Sim, path: &str, item: &Value) -> Result<(), ScenarioError> {
    let s = object(item, path)?;
    only(&s, item, STREAM_FIELDS)?;
    let name = s.required_str("name")?;
    let mode = s.choice("mode", &["PROVISIONED", "ON_DEMAND"], Some("PROVISIONED"))?;
    let mut body = json!({ "StreamName": name, "StreamModeDetails": { "StreamMode": mode } });
    match (mode, s.raw("shardCount")) {
        ("PROVISIONED", count) => body["ShardCount"] = count.cloned().unwrap_or(json!(1)),
        (_, Some(count)) => return Err(refuse(format!("{} must be left out for an ON_DEMAND stream, which scales itself; got {count}", s.name("shardCount")))),
        _ => {}
    }
    kinesis(sim, "CreateStream", body, path).map_err(|e| {
        // AWS names the member it refused; point at the scenario field it came from.
        let field = if e.0.to_ascii_lowercase().contains("shard") { "shardCount" } else { "name" };
        refuse(e.0.replacen(path, &s.name(field), 1))
    })?;
    Ok(())
}

/// Retention, enhanced monitoring and fan-out consumers of an ACTIVE stream.
fn configure_stream(sim: &mut Sim, path: &str, item: &Value) -> Result<(), ScenarioError> {
    let s = object(item, path)?;
    let name = s.required_str("name")?;
    if let Some(hours) = s.raw("retentionHours") {
        let current = sim.kinesis.stream(name).map(|st| st.retention_hours);
        if current.map(|c| json!(c)) != Some(hours.clone()) {
            let body = json!({ "StreamName": name, "RetentionPeriodHours": hours });
            kinesis(sim, "IncreaseStreamRetentionPeriod", body, &s.name("retentionHours"))?;
            settle(sim);
        }
    }
    let metrics = string_list(&s, "enhancedMonitoring")?;
    if !metrics.is_empty() {
        kinesis(sim, "EnableEnhancedMonitoring", json!({ "StreamName": name, "ShardLevelMetrics": metrics }), &s.name("enhancedMonitoring"))?;
        settle(sim);
    }
    let arn = sim.kinesis.stream(name).map(|st| st.arn.clone()).unwrap_or_default();
    for (i, consumer) in string_list(&s, "consumers")?.into_iter().enumerate() {
        let body = json!({ "StreamARN": arn, "ConsumerName": consumer });
        kinesis(sim, "RegisterStreamConsumer", body, &format!("{}[{i}]", s.name("consumers")))?;
    }
    settle(sim);
    Ok(())
}

/// Kinesis Video CreateStream.
fn create_video_stream(sim: &mut Sim, path: &str, item: &Value) -> Result<(), ScenarioError> {
    let v = object(item, path)?;
    only(&v, item, &["name", "retentionHours", "mediaType"])?;
    let mut body = json!({ "StreamName": v.required_str("name")?, "DataRetentionInHours": v.raw("retentionHours").cloned().unwrap_or(json!(24)) });
    if let Some(media) = v.str("mediaType")? {
        body["MediaType"] = json!(media);
    }
    call(sim, "KinesisVideo_20170930.CreateStream", body, path)?;
    Ok(())
}

/// `columns` and the optional `recordFormat` (JSON by default, or CSV with its delimiters).
fn input_schema(o: &ConfigObject) -> Result<InputSchema, ScenarioError> {
    let columns = input_columns(o, "columns")?;
    let format = match o.object("recordFormat")? {
        None => RecordFormat::Json,
        Some(f) => match f.required_str("type")? {
            "JSON" => RecordFormat::Json,
            "CSV" => {
                let delimiter = |field: &str, default: &str| -> Result<String, ScenarioError> {
                    let value = f.str(field)?.unwrap_or(default);
                    if value.is_empty() {
                        return Err(refuse(format!("{} must not be empty", f.name(field))));
                    }
                    Ok(value.to_string())
                };
                RecordFormat::Csv { row_delimiter: delimiter("rowDelimiter", "\n")?, column_delimiter: delimiter("columnDelimiter", ",")? }
            }
            other => return Err(refuse(format!("{} must be JSON or CSV; got \"{other}\"", f.name("type")))),
        },
    };
    Ok(InputSchema { format, columns })
}

fn input_columns(o: &ConfigObject, field: &str) -> Result<Vec<InputColumn>, ScenarioError> {
    let mut columns = Vec::new();
    for (path, c) in o.list(field)? {
        let col = object(c, &path)?;
        only(&col, c, &["name", "type", "key"])?;
        let text = col.required_str("type")?;
        let sql_type = SqlType::parse(text).ok_or_else(|| {
            refuse(format!("{} must be VARCHAR(n), INTEGER, BIGINT, DOUBLE, REAL, BOOLEAN or TIMESTAMP; got \"{text}\"", col.name("type")))
        })?;
        let name = col.required_str("name")?;
        columns.push(InputColumn { name: name.to_string(), sql_type, key: col.str("key")?.unwrap_or(name).to_string() });
    }
    if columns.is_empty() {
        return Err(refuse(format!("{} must list at least one column", o.name(field))));
    }
    Ok(columns)
}

/// A Kinesis Data Analytics SQL application, started unless `running` is false.
fn application(sim: &mut Sim, path: &str, item: &Value) -> Result<(), ScenarioError> {
    let a = object(item, path)?;
    only(&a, item, &["name", "sourceStream", "sourceDeliveryStream", "columns", "recordFormat", "sql", "outputs", "reference", "running"])?;
    let name = a.required_str("name")?;
    let schema = input_schema(&a)?;
    let source = match (a.str("sourceStream")?, a.str("sourceDeliveryStream")?) {
        (Some(s), None) => StreamRef::Kinesis(s.to_string()),
        (None, Some(d)) => StreamRef::Firehose(d.to_string()),
        _ => return Err(refuse(format!("{path} needs exactly one of sourceStream (a data stream) or sourceDeliveryStream (a Firehose delivery stream)"))),
    };
    let at = |e: &dyn std::fmt::Display| refuse(format!("{path}: {e}"));
    sim.analytics.create_application(name, source, schema, &sim.kinesis, &sim.firehose).map_err(|e| at(&e))?;
    let reference = match a.object("reference")? {
        Some(r) => {
            only(&r, &item["reference"], &["table", "bucket", "key", "columns", "recordFormat"])?;
            Some(ReferenceSource {
                table: r.required_str("table")?.to_string(),
                bucket: r.required_str("bucket")?.to_string(),
                key: r.required_str("key")?.to_string(),
                schema: input_schema(&r)?,
            })
        }
        None => None,
    };
    let mut outputs = Vec::new();
    for (opath, o) in a.list("outputs")? {
        let out = object(o, &opath)?;
        only(&out, o, &["inAppStream", "stream", "deliveryStream"])?;
        let destination = match (out.str("stream")?, out.str("deliveryStream")?) {
            (Some(s), None) => StreamRef::Kinesis(s.to_string()),
            (None, Some(d)) => StreamRef::Firehose(d.to_string()),
            _ => return Err(refuse(format!("{opath} needs exactly one of stream (a data stream) or deliveryStream (a Firehose delivery stream)"))),
        };
        outputs.push((out.required_str("inAppStream")?.to_string(), destination));
    }
    let sql = a.str("sql")?.unwrap_or_default().to_string();
    let running = a.boolean("running", true)?;
    let app = sim.analytics.get_mut(name).map_err(|e| at(&e))?;
    app.sql = sql;
    app.reference = reference;
    for (stream, destination) in outputs {
        app.add_output(&stream, destination);
    }
    if running {
        sim.start_application(name).map_err(|e| refuse(format!("{}: {e}", a.name("sql"))))?;
    }
    Ok(())
}

/// A producer's or consumer's refusal under the item's path: `producers[0].keys.zipfS must
/// be ...` (field messages start with the field), `producers[0]: The configuration ...`.
fn under(path: &str, e: ConfigError) -> ScenarioError {
    match e.0.chars().next() {
        Some(c) if c.is_ascii_lowercase() => refuse(format!("{path}.{}", e.0)),
        _ => refuse(format!("{path}: {}", e.0)),
    }
}
