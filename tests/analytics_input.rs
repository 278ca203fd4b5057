//! The inputs of SQL applications on hand-computed data: a Firehose delivery stream as the
//! streaming source (Direct PUT and a Kinesis source behind it), CSV records and their
//! discovery, and runtime errors reported as rows of `error_stream`.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use kinesim::engine::analytics::application::{ReferenceSource, SOURCE_STREAM};
use kinesim::engine::analytics::error_stream::ERROR_STREAM;
use kinesim::engine::analytics::runtime::Row;
use kinesim::engine::analytics::schema::{discover, InputColumn, InputSchema, MappedRow, MappingError, RecordFormat, SqlType};
use kinesim::engine::analytics::stream_ref::StreamRef;
use kinesim::engine::analytics::value::Value;
use kinesim::engine::iam::FIREHOSE_DEFAULT_ACTIONS;
use kinesim::engine::s3::PutObject;
use kinesim::engine::sim::Sim;
use serde_json::json;

fn call(sim: &mut Sim, target: &str, body: serde_json::Value) -> serde_json::Value {
    let r = sim.dispatch(target, body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{target}: {}", r.body);
    serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null)
}

fn b64(data: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn put_firehose(sim: &mut Sim, stream: &str, records: &[&str]) {
    let records: Vec<_> = records.iter().map(|r| json!({ "Data": b64(r) })).collect();
    let out = call(sim, "Firehose_20150804.PutRecordBatch", json!({ "DeliveryStreamName": stream, "Records": records }));
    assert_eq!(out["FailedPutCount"], 0);
}

/// A world with bucket `out` and delivery stream `clicks` (Direct PUT, or reading Kinesis
/// stream `source` when `kinesis_source`), ACTIVE at 10 s.
fn world(kinesis_source: bool) -> Sim {
    let mut sim = Sim::new(3);
    sim.s3.create_bucket("out", sim.now_ms()).unwrap();
    let actions: Vec<String> = FIREHOSE_DEFAULT_ACTIONS.iter().map(|a| a.to_string()).collect();
    let role = sim.iam.put_role("firehose_role", &actions).unwrap();
    let mut config = json!({ "DeliveryStreamName": "clicks", "ExtendedS3DestinationConfiguration": {
        "RoleARN": role, "BucketARN": "arn:aws:s3:::out", "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 } } });
    if kinesis_source {
        call(&mut sim, "Kinesis_20131202.CreateStream", json!({"StreamName": "source", "ShardCount": 1}));
        sim.advance(30_000);
        let arn = call(&mut sim, "Kinesis_20131202.DescribeStreamSummary", json!({"StreamName": "source"}))["StreamDescriptionSummary"]["StreamARN"].clone();
        config["DeliveryStreamType"] = json!("KinesisStreamAsSource");
        config["KinesisStreamSourceConfiguration"] = json!({ "KinesisStreamARN": arn, "RoleARN": role });
    }
    call(&mut sim, "Firehose_20150804.CreateDeliveryStream", config);
    sim.advance(10_000);
    sim
}

fn rows(sim: &Sim, app: &str, stream: &str) -> Vec<Row> {
    sim.analytics.applications[app].runtime.as_ref().unwrap().streams[stream].recent.iter().cloned().collect()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

const PROJECT: &str = r#"CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (page VARCHAR(8), ms INTEGER);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM page, ms FROM "SOURCE_SQL_STREAM_001";"#;

#[test]
fn direct_put_records_of_a_delivery_stream_reach_the_source_stream() {
    let mut sim = world(false);
    // Records already in the delivery stream are what discovery samples.
    put_firehose(&mut sim, "clicks", &[r#"{"page":"home","ms":120}"#, r#"{"page":"checkout","ms":80}"#]);
    sim.create_application_discovering("app", StreamRef::Firehose("clicks".into())).unwrap();
    let schema = &sim.analytics.applications["app"].schema;
    assert_eq!(schema.format, RecordFormat::Json);
    let columns: Vec<(&str, SqlType)> = schema.columns.iter().map(|c| (c.name.as_str(), c.sql_type)).collect();
    assert_eq!(columns, [("PAGE", SqlType::Varchar(8)), ("MS", SqlType::Integer)]);

    sim.analytics.get_mut("app").unwrap().sql = PROJECT.into();
    let start = sim.now_ms();
    sim.start_application("app").unwrap();
    // Ticks run at start + 1 s, + 2 s, ...; a record put at +1.5 s enters at the +2 s tick.
    sim.advance(1_500);
    put_firehose(&mut sim, "clicks", &[r#"{"page":"home","ms":95}"#, r#"{"page":"buy"}"#]);
    sim.advance(1_000);
    let source = rows(&sim, "app", SOURCE_STREAM);
    assert_eq!(
        source.iter().map(|r| (r.rowtime, r.values.clone())).collect::<Vec<_>>(),
        vec![
            (start + 2_000, vec![text("home"), Value::Int(95), Value::Time(start + 1_500)]),
            // An absent key is NULL, not an error.
            (start + 2_000, vec![text("buy"), Value::Null, Value::Time(start + 1_500)]),
        ],
        "records put before the start are not read"
    );
    let out = rows(&sim, "app", "DESTINATION_SQL_STREAM");
    assert_eq!(out.iter().map(|r| r.values.clone()).collect::<Vec<_>>(), vec![vec![text("home"), Value::Int(95)], vec![text("buy"), Value::Null]]);
    assert_eq!(sim.analytics.applications["app"].errors(), 0);
    // The delivery stream still delivers everything to its own destination.
    assert_eq!(sim.firehose.stream("clicks").unwrap().tally.accepted, 4);

    // Stopped, the application is handed nothing; restarted, it reads from then on.
    sim.stop_application("app").unwrap();
    put_firehose(&mut sim, "clicks", &[r#"{"page":"while-stopped","ms":1}"#]);
    sim.advance(3_000);
    sim.start_application("app").unwrap();
    let restart = sim.now_ms();
    sim.advance(500);
    put_firehose(&mut sim, "clicks", &[r#"{"page":"again","ms":7}"#]);
    sim.advance(1_000);
    let source = rows(&sim, "app", SOURCE_STREAM);
    assert_eq!(source.iter().map(|r| (r.rowtime, r.values.clone())).collect::<Vec<_>>(), vec![(restart + 1_000, vec![text("again"), Value::Int(7), Value::Time(restart + 500)])]);
}

#[test]
fn records_flow_from_kinesis_through_the_delivery_stream_into_the_application() {
    let mut sim = world(true);
    sim.analytics
        .create_application("app", StreamRef::Firehose("clicks".into()), discover(&[br#"{"page":"checkout","ms":1}"#]), &sim.kinesis, &sim.firehose)
        .unwrap();
    sim.analytics.get_mut("app").unwrap().sql = PROJECT.into();
    sim.start_application("app").unwrap();
    sim.advance(2_000);
    let put_at = sim.now_ms();
    call(&mut sim, "Kinesis_20131202.PutRecord", json!({"StreamName": "source", "PartitionKey": "k", "Data": b64(r#"{"page":"promo","ms":42}"#)}));
    sim.advance(3_000);
    // Firehose polls the shard once a second, the application reads the delivery stream
    // once a second: the row arrives within two seconds, stamped when Firehose took it in.
    let source = rows(&sim, "app", SOURCE_STREAM);
    assert_eq!(source.len(), 1, "{source:?}");
    let Value::Time(arrival) = source[0].values[2] else { panic!("{source:?}") };
    assert!(put_at <= arrival && arrival <= source[0].rowtime && source[0].rowtime <= put_at + 2_000, "{put_at} {arrival} {}", source[0].rowtime);
    assert_eq!(rows(&sim, "app", "DESTINATION_SQL_STREAM")[0].values, vec![text("promo"), Value::Int(42)]);
}

#[test]
fn a_delivery_stream_source_must_exist() {
    let mut sim = world(false);
    let e = sim.create_application_discovering("app", StreamRef::Firehose("nope".into())).unwrap_err();
    assert_eq!(e.to_string(), "Firehose · nope not found");
    assert_eq!(StreamRef::parse("firehose:clicks"), Some(StreamRef::Firehose("clicks".into())));
    assert_eq!(StreamRef::parse("kinesis:"), None);
}

#[test]
fn csv_discovery_names_columns_in_order_and_infers_types() {
    let schema = discover(&[b"AMZN,12.5,100", b"AAPL,7,20\n", b"NVDA,3.25,3000000000"]);
    assert_eq!(schema.format, RecordFormat::csv());
    let columns: Vec<(&str, SqlType)> = schema.columns.iter().map(|c| (c.name.as_str(), c.sql_type)).collect();
    assert_eq!(columns, [("COL_0", SqlType::Varchar(4)), ("COL_1", SqlType::Double), ("COL_2", SqlType::Bigint)]);

    // A first row of names that do not fit the other rows' types is a header.
    let schema = discover(&[b"ticker|price|year\r\nAMZN|12.5|2024\r\nAAPL|7|2025"]);
    assert_eq!(schema.format, RecordFormat::Csv { row_delimiter: "\n".into(), column_delimiter: "|".into() });
    let columns: Vec<(&str, &str, SqlType)> = schema.columns.iter().map(|c| (c.name.as_str(), c.key.as_str(), c.sql_type)).collect();
    assert_eq!(columns, [("TICKER", "ticker", SqlType::Varchar(4)), ("PRICE", "price", SqlType::Double), ("COL_YEAR", "year", SqlType::Integer)]);

    // Quoted fields keep their delimiters; a column with text and numbers is text.
    let schema = discover(&[br#""Smith, J", 10"#, br#""Lee", n/a"#]);
    let columns: Vec<(&str, SqlType)> = schema.columns.iter().map(|c| (c.name.as_str(), c.sql_type)).collect();
    assert_eq!(columns, [("COL_0", SqlType::Varchar(8)), ("COL_1", SqlType::Varchar(16))]);
    // JSON samples stay JSON, and so does a source with no records yet.
    assert_eq!(discover(&[br#"{"a":1}"#, b"junk"]).format, RecordFormat::Json);
    assert_eq!(discover(&[]), InputSchema::json(Vec::new()));
}

fn column(name: &str, sql_type: SqlType) -> InputColumn {
    InputColumn { name: name.into(), sql_type, key: String::new() }
}

#[test]
fn csv_mapping_splits_rows_and_fields_and_coerces_each_value() {
    let schema = InputSchema {
        format: RecordFormat::Csv { row_delimiter: "||".into(), column_delimiter: "::".into() },
        columns: vec![column("TICKER", SqlType::Varchar(4)), column("PRICE", SqlType::Real), column("UP", SqlType::Boolean)],
    };
    let record = br#"AMZN::12.5::true||"NVIDIA"::abc::false||AAPL::::||MSFT"#;
    let mapped: Vec<MappedRow> = schema.rows(record);
    assert_eq!(
        mapped,
        vec![
            (&b"AMZN::12.5::true"[..], Ok(vec![text("AMZN"), Value::Float(12.5), Value::Bool(true)])),
            (&br#""NVIDIA"::abc::false"#[..], Err(MappingError::Coercion("\"abc\" cannot be converted to column PRICE REAL".into()))),
            // Empty fields of non-text columns and missing fields are NULL.
            (&b"AAPL::::"[..], Ok(vec![text("AAPL"), Value::Null, Value::Null])),
            (&b"MSFT"[..], Ok(vec![text("MSFT"), Value::Null, Value::Null])),
        ]
    );
    // A JSON number too large for INTEGER (32-bit) does not fit either.
    let json = InputSchema::json(vec![InputColumn { name: "N".into(), sql_type: SqlType::Integer, key: "n".into() }]);
    assert_eq!(json.rows(br#"{"n":3000000000}"#)[0].1, Err(MappingError::Coercion("3000000000 cannot be converted to column N INTEGER".into())));
    assert_eq!(json.rows(br#"{"n":null}"#)[0].1, Ok(vec![Value::Null]));
    assert_eq!(json.rows(b"[1]")[0].1, Err(MappingError::Parse("the record is not a JSON object".into())));
    assert_eq!(RecordFormat::parse("CSV", "\\n", "\\t"), Some(RecordFormat::Csv { row_delimiter: "\n".into(), column_delimiter: "\t".into() }));
    assert_eq!(RecordFormat::parse("CSV", "", ","), None);
    assert_eq!(RecordFormat::csv().delimiters(), ("\\n".to_string(), ",".to_string()));
}

/// An application on Kinesis stream `ticks` with `schema` and `sql`, started at 30 s.
fn ticks_app(schema: InputSchema, sql: &str) -> (Sim, u64) {
    let mut sim = Sim::new(5);
    call(&mut sim, "Kinesis_20131202.CreateStream", json!({"StreamName": "ticks", "ShardCount": 1}));
    sim.advance(30_000);
    sim.analytics.create_application("app", StreamRef::Kinesis("ticks".into()), schema, &sim.kinesis, &sim.firehose).unwrap();
    sim.analytics.get_mut("app").unwrap().sql = sql.into();
    let start = sim.now_ms();
    sim.start_application("app").unwrap();
    (sim, start)
}

fn put_kinesis(sim: &mut Sim, data: &[u8]) {
    let data = base64::engine::general_purpose::STANDARD.encode(data);
    call(sim, "Kinesis_20131202.PutRecord", json!({"StreamName": "ticks", "PartitionKey": "k", "Data": data}));
}

#[test]
fn csv_records_with_several_rows_feed_the_source_stream_and_bad_rows_the_error_stream() {
    let schema = InputSchema { format: RecordFormat::csv(), columns: vec![column("TICKER", SqlType::Varchar(4)), column("PRICE", SqlType::Double)] };
    let sql = r#"CREATE OR REPLACE STREAM "D" (ticker VARCHAR(4), total DOUBLE);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
SELECT STREAM ticker, SUM(price) FROM "SOURCE_SQL_STREAM_001"
GROUP BY ticker, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);"#;
    let (mut sim, start) = ticks_app(schema, sql);
    sim.advance(500);
    put_kinesis(&mut sim, b"AMZN,10.5\nAMZN,1.5\nAAPL,oops\n");
    put_kinesis(&mut sim, b"AAPL,2");
    sim.advance(15_000);
    let app = &sim.analytics.applications["app"];
    assert_eq!(app.records_read, 2);
    let source: Vec<Vec<Value>> = rows(&sim, "app", SOURCE_STREAM).into_iter().map(|r| r.values[..2].to_vec()).collect();
    assert_eq!(source, vec![vec![text("AMZN"), Value::Float(10.5)], vec![text("AMZN"), Value::Float(1.5)], vec![text("AAPL"), Value::Float(2.0)]]);
    // start is a multiple of 10 s: the window [start, start + 10 s) closes with ROWTIME at
    // its end, one row per ticker in key order.
    assert_eq!(start % 10_000, 0);
    let totals: Vec<(u64, Vec<Value>)> = rows(&sim, "app", "D").into_iter().map(|r| (r.rowtime, r.values)).collect();
    let end = start + 10_000;
    assert_eq!(totals, vec![(end, vec![text("AAPL"), Value::Float(2.0)]), (end, vec![text("AMZN"), Value::Float(12.0)])]);
    let errors = rows(&sim, "app", ERROR_STREAM);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].values,
        vec![
            Value::Time(start + 1_000),
            text("ERROR"),
            text("Coercion_Error"),
            text("\"oops\" cannot be converted to column PRICE DOUBLE"),
            Value::Time(start + 1_000),
            text(&hex(b"AAPL,oops")),
            Value::Null,
        ]
    );
}

#[test]
fn json_records_that_do_not_parse_or_coerce_are_error_rows_and_absent_keys_null() {
    let schema = discover(&[br#"{"ticker":"A","price":1.5,"volume":10}"#]);
    let sql = r#"CREATE OR REPLACE STREAM "D" (ticker VARCHAR(4), notional INTEGER);
CREATE OR REPLACE PUMP "BIG" AS INSERT INTO "D"
SELECT STREAM ticker, price * volume FROM "SOURCE_SQL_STREAM_001";"#;
    let (mut sim, start) = ticks_app(schema, sql);
    sim.advance(200);
    for record in [&br#"{"ticker":"A","price":"abc","volume":1}"#[..], b"not json", br#"{"ticker":"B"}"#, br#"{"ticker":"C","price":2.5,"volume":4}"#, br#"{"ticker":"D","price":1e6,"volume":1e4}"#] {
        put_kinesis(&mut sim, record);
    }
    sim.advance(1_000);
    let at = start + 1_000;
    let errors: Vec<Vec<Value>> = rows(&sim, "app", ERROR_STREAM).into_iter().map(|r| r.values).collect();
    let not_json = "the record is not JSON: expected ident at line 1 column 2";
    assert_eq!(
        errors,
        vec![
            vec![Value::Time(at), text("ERROR"), text("Coercion_Error"), text("\"abc\" cannot be converted to column PRICE DOUBLE"), Value::Time(at), text(&hex(br#"{"ticker":"A","price":"abc","volume":1}"#)), Value::Null],
            vec![Value::Time(at), text("ERROR"), text("Parse_Error"), text(not_json), Value::Time(at), text(&hex(b"not json")), Value::Null],
            // 1e6 * 1e4 does not fit the pump's INTEGER column: the pump's row is the error.
            vec![
                Value::Time(at),
                text("ERROR"),
                text("Coercion_Error"),
                text("10000000000.0 cannot be converted to column NOTIONAL INTEGER of stream \"D\""),
                Value::Time(at),
                text(&hex(br#"["D",10000000000.0]"#)),
                text("BIG"),
            ],
        ]
    );
    let out: Vec<Vec<Value>> = rows(&sim, "app", "D").into_iter().map(|r| r.values).collect();
    assert_eq!(out, vec![vec![text("B"), Value::Null], vec![text("C"), Value::Int(10)]]);
    assert_eq!(sim.analytics.applications["app"].errors(), 3);
}

#[test]
fn a_csv_reference_table_with_a_header_joins_the_stream() {
    let mut sim = Sim::new(9);
    sim.s3.create_bucket("ref", sim.now_ms()).unwrap();
    let body = b"ticker,employees\nAMZN,1500000\nAAPL,160000\n";
    sim.s3.put_object("ref", "companies.csv", PutObject::bytes(body.to_vec()), sim.now_ms()).unwrap();
    let lines: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    let reference = discover(&lines);
    let columns: Vec<(&str, SqlType)> = reference.columns.iter().map(|c| (c.name.as_str(), c.sql_type)).collect();
    assert_eq!(columns, [("TICKER", SqlType::Varchar(4)), ("EMPLOYEES", SqlType::Integer)]);
    call(&mut sim, "Kinesis_20131202.CreateStream", json!({"StreamName": "ticks", "ShardCount": 1}));
    sim.advance(30_000);
    sim.analytics.create_application("app", StreamRef::Kinesis("ticks".into()), discover(&[b"AMZN,1.5"]), &sim.kinesis, &sim.firehose).unwrap();
    let app = sim.analytics.get_mut("app").unwrap();
    app.reference = Some(ReferenceSource { table: "COMPANIES".into(), bucket: "ref".into(), key: "companies.csv".into(), schema: reference });
    app.sql = r#"CREATE OR REPLACE STREAM "D" (ticker VARCHAR(4), employees INTEGER);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
SELECT STREAM s.COL_0, c.employees FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "COMPANIES" AS c ON s.COL_0 = c.ticker;"#
        .into();
    sim.start_application("app").unwrap();
    sim.advance(100);
    put_kinesis(&mut sim, b"AAPL,2\nticker,3\n");
    sim.advance(1_000);
    // The header row did not load as data: "ticker" finds no company.
    let out: Vec<Vec<Value>> = rows(&sim, "app", "D").into_iter().map(|r| r.values).collect();
    assert_eq!(out, vec![vec![text("AAPL"), Value::Int(160_000)], vec![text("tick"), Value::Null]]);
}
