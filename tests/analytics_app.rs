//! An SQL application in the simulated world: stock ticks read from a Kinesis stream with
//! GetRecords, averaged per minute, and written to a second stream with PutRecords.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use kinesim::engine::analytics::application::{Destination, ReferenceSource};
use kinesim::engine::analytics::value::Value;
use kinesim::engine::s3::PutObject;
use kinesim::engine::analytics::error_stream::ERROR_STREAM;
use kinesim::engine::analytics::schema::{discover, SqlType};
use kinesim::engine::analytics::stream_ref::StreamRef;
use kinesim::engine::analytics::AnalyticsError;
use kinesim::engine::iam::FIREHOSE_DEFAULT_ACTIONS;
use kinesim::engine::sim::Sim;
use serde_json::json;

fn kinesis(sim: &mut Sim, action: &str, body: serde_json::Value) -> serde_json::Value {
    let r = sim.dispatch(&format!("Kinesis_20131202.{action}"), body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{action}: {}", r.body);
    serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null)
}

const AVERAGE_PER_MINUTE: &str = r#"CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(8), avg_price DOUBLE, trades INTEGER);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker, AVG(price), COUNT(*)
FROM "SOURCE_SQL_STREAM_001"
GROUP BY ticker, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);"#;

fn ticks() -> StreamRef {
    StreamRef::Kinesis("ticks".into())
}

fn world() -> Sim {
    let mut sim = Sim::new(7);
    kinesis(&mut sim, "CreateStream", json!({"StreamName": "ticks", "ShardCount": 2}));
    kinesis(&mut sim, "CreateStream", json!({"StreamName": "averages", "ShardCount": 1}));
    sim.advance(30_000);
    sim.add_producer(r#"{"kind":"stock_ticks","stream":"ticks","ratePerSecond":20}"#).unwrap();
    sim.advance(5_000);
    sim
}

#[test]
fn average_price_per_minute_reaches_the_output_stream() {
    let mut sim = world();
    let now = sim.now_ms();
    let samples = ticks().sample(now, &mut sim.kinesis, &sim.firehose).unwrap();
    assert!(!samples.is_empty());
    let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    let schema = discover(&refs);
    let names: Vec<(&str, SqlType)> = schema.columns.iter().map(|c| (c.name.as_str(), c.sql_type)).collect();
    assert_eq!(names[0], ("TICKER", SqlType::Varchar(8)));
    assert_eq!(names[1], ("PRICE", SqlType::Double));
    assert_eq!(names[2], ("VOLUME", SqlType::Integer));
    assert_eq!(names[3], ("COL_TIMESTAMP", SqlType::Timestamp));

    sim.analytics.create_application("avg", ticks(), schema, &sim.kinesis, &sim.firehose).unwrap();
    let app = sim.analytics.get_mut("avg").unwrap();
    app.sql = AVERAGE_PER_MINUTE.to_string();
    app.add_output("DESTINATION_SQL_STREAM", Destination::Kinesis("averages".into()));
    sim.start_application("avg").unwrap();
    sim.advance(60_000);
    let app = &sim.analytics.applications["avg"];
    assert!(app.records_read > 900, "read {} records", app.records_read);
    assert_eq!(app.errors(), 0);
    let rt = app.runtime.as_ref().unwrap();
    let rows = &rt.streams["DESTINATION_SQL_STREAM"];
    assert!(rows.total > 0, "the first minute closed");
    assert!(rows.recent.iter().all(|r| r.rowtime % 60_000 == 0));
    let total = rows.total;

    let shard = kinesis(&mut sim, "GetShardIterator", json!({"StreamName": "averages", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}));
    let out = kinesis(&mut sim, "GetRecords", json!({"ShardIterator": shard["ShardIterator"]}));
    let records = out["Records"].as_array().unwrap();
    assert_eq!(records.len() as u64, total);
    let data = base64::engine::general_purpose::STANDARD.decode(records[0]["Data"].as_str().unwrap()).unwrap();
    let row: serde_json::Value = serde_json::from_slice(&data).unwrap();
    assert!(row["AVG_PRICE"].as_f64().unwrap() > 0.0, "{row}");
    assert!(row["ROWTIME"].as_str().unwrap().ends_with(":00.000"), "{row}");
}

#[test]
fn bad_sql_does_not_start_and_runs_are_deterministic() {
    let mut sim = world();
    sim.analytics.create_application("bad", ticks(), discover(&[]), &sim.kinesis, &sim.firehose).unwrap();
    sim.analytics.get_mut("bad").unwrap().sql = "SELECT 1".into();
    assert!(matches!(sim.start_application("bad"), Err(AnalyticsError::Sql(_))));
    let missing = sim.analytics.create_application("x", StreamRef::Firehose("missing".into()), discover(&[]), &sim.kinesis, &sim.firehose);
    assert_eq!(missing.unwrap_err().to_string(), "Firehose · missing not found");

    let run = || {
        let mut sim = world();
        sim.create_application_discovering("avg", ticks()).unwrap();
        let app = sim.analytics.get_mut("avg").unwrap();
        app.sql = AVERAGE_PER_MINUTE.to_string();
        sim.start_application("avg").unwrap();
        sim.advance(130_000);
        sim.state_hash()
    };
    assert_eq!(run(), run());
}

#[test]
fn records_that_do_not_fit_go_to_the_error_stream() {
    let mut sim = world();
    sim.analytics.create_application("e", ticks(), discover(&[br#"{"ticker":"A","price":1.5}"#]), &sim.kinesis, &sim.firehose).unwrap();
    let app = sim.analytics.get_mut("e").unwrap();
    // The ticker column is too narrow to matter; a price typed BOOLEAN does not fit.
    app.schema.columns[1].sql_type = SqlType::Boolean;
    app.sql = "CREATE OR REPLACE STREAM \"D\" (t VARCHAR(8)); CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\" SELECT STREAM ticker FROM \"SOURCE_SQL_STREAM_001\";".into();
    sim.start_application("e").unwrap();
    sim.advance(3_000);
    let app = &sim.analytics.applications["e"];
    assert!(app.errors() > 0);
    let first = &app.runtime.as_ref().unwrap().streams[ERROR_STREAM].recent[0];
    assert_eq!(first.values[2], Value::Text("Coercion_Error".into()));
    let Value::Text(message) = &first.values[3] else { panic!("{first:?}") };
    assert!(message.ends_with("cannot be converted to column PRICE BOOLEAN"), "{message}");
}

#[test]
fn rows_reach_s3_through_a_firehose_output() {
    let mut sim = world();
    sim.s3.create_bucket("results", sim.now_ms()).unwrap();
    let actions: Vec<String> = FIREHOSE_DEFAULT_ACTIONS.iter().map(|a| a.to_string()).collect();
    let role = sim.iam.put_role("firehose_role", &actions).unwrap();
    let config = json!({ "DeliveryStreamName": "to-s3", "ExtendedS3DestinationConfiguration": {
        "RoleARN": role, "BucketARN": "arn:aws:s3:::results", "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 } } });
    let r = sim.dispatch("Firehose_20150804.CreateDeliveryStream", config.to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    sim.advance(10_000);
    sim.analytics.create_application("avg", ticks(), discover(&[br#"{"ticker":"A","price":1.5}"#]), &sim.kinesis, &sim.firehose).unwrap();
    let app = sim.analytics.get_mut("avg").unwrap();
    app.sql = AVERAGE_PER_MINUTE.to_string();
    app.add_output("DESTINATION_SQL_STREAM", Destination::Firehose("to-s3".into()));
    sim.start_application("avg").unwrap();
    sim.advance(200_000);
    let app = &sim.analytics.applications["avg"];
    assert!(app.outputs[0].delivered > 0);
    let objects = sim.s3.list_objects_v2("results", "", None).unwrap().contents;
    assert!(!objects.is_empty(), "Firehose delivered the rows to S3");
    let body = String::from_utf8(sim.s3.get_object("results", &objects[0].key).unwrap().bytes(&sim.kinesis.sources).to_vec()).unwrap();
    assert!(body.contains("\"AVG_PRICE\""), "{body}");
}

#[test]
fn a_reference_table_from_s3_names_the_companies() {
    let mut sim = world();
    sim.s3.create_bucket("reference", sim.now_ms()).unwrap();
    let lines = b"{\"ticker\":\"AMZN\",\"company\":\"Amazon\"}\n{\"ticker\":\"AAPL\",\"company\":\"Apple\"}\nnot json\n";
    sim.s3.put_object("reference", "companies.json", PutObject::bytes(lines.to_vec()), sim.now_ms()).unwrap();
    sim.analytics.create_application("ref", ticks(), discover(&[br#"{"ticker":"NVDA","price":1.5}"#]), &sim.kinesis, &sim.firehose).unwrap();
    let app = sim.analytics.get_mut("ref").unwrap();
    app.reference = Some(ReferenceSource {
        table: "COMPANIES".into(),
        bucket: "reference".into(),
        key: "missing.json".into(),
        schema: discover(&[br#"{"ticker":"AMZN","company":"Amazon"}"#]),
    });
    app.sql = "CREATE OR REPLACE STREAM \"D\" (ticker VARCHAR(8), company VARCHAR(16));
CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"
SELECT STREAM s.ticker, c.company FROM \"SOURCE_SQL_STREAM_001\" AS s JOIN \"COMPANIES\" AS c ON s.ticker = c.ticker;".into();
    let Err(AnalyticsError::Sql(e)) = sim.start_application("ref") else { panic!("a missing object does not start") };
    assert!(e.message.starts_with("reference table COMPANIES from s3://reference/missing.json"), "{e}");
    if let Some(r) = sim.analytics.get_mut("ref").unwrap().reference.as_mut() {
        r.key = "companies.json".into();
    }
    sim.start_application("ref").unwrap();
    sim.advance(10_000);
    let rows = &sim.analytics.applications["ref"].runtime.as_ref().unwrap().streams["D"];
    assert!(rows.total > 0);
    for r in &rows.recent {
        let expected = match &r.values[0] {
            Value::Text(t) if t == "AMZN" => "Amazon",
            Value::Text(t) if t == "AAPL" => "Apple",
            other => panic!("only joined tickers pass: {other:?}"),
        };
        assert_eq!(r.values[1], Value::Text(expected.into()));
    }
}
