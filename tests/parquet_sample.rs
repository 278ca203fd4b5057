//! Writes a sample Firehose Parquet object to `target/parquet_check/tweets.parquet` so that
//! `tests/parquet_check.py` can open it with pyarrow, a reader independent of ours.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::firehose::format::{convert, OutputFormat, ParquetCompression};
use kinesim::engine::glue::GlueTable;
use std::path::PathBuf;

#[test]
fn writes_sample_parquet_for_pyarrow() {
    let table = GlueTable::new(
        "kinesis_db",
        "tweets_json",
        &[
            ("id", "bigint"),
            ("text", "string"),
            ("retweets", "int"),
            ("score", "double"),
            ("ratio", "float"),
            ("verified", "boolean"),
            ("created_at", "timestamp"),
            ("day", "date"),
            ("price", "decimal(10,2)"),
        ],
    )
    .expect("valid table");
    let second = r#"{"id":2,"text":"olá","created_at":1767225600123}{"id":3,"verified":false,"price":"-0.5"}"#;
    let records: [&[u8]; 3] = [
        br#"{"id":1,"Text":"hola mundo","retweets":3,"score":1.5,"ratio":0.25,"verified":true,"created_at":"2026-01-01T00:00:01.5Z","day":"2026-01-01","price":12.345}"#,
        second.as_bytes(),
        b"[1,2,3]",
    ];
    let out = convert(&table, &records, OutputFormat::Parquet, ParquetCompression::Snappy).expect("converts");
    assert_eq!((out.rows, out.failed.len()), (3, 1));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parquet_check");
    std::fs::create_dir_all(&dir).expect("target is writable");
    std::fs::write(dir.join("tweets.parquet"), out.file.expect("some rows converted")).expect("target is writable");
}

/// The same check for an object that went the whole Firehose way: PutRecordBatch, the
/// `transform_to_json` Lambda, buffering, conversion through the Glue table, S3.
#[test]
fn writes_firehose_delivered_parquet_for_pyarrow() {
    use base64::Engine as _;
    use kinesim::engine::sim::Sim;
    use serde_json::json;

    let mut sim = Sim::new(2026);
    sim.s3.create_bucket("kinesim-bucket", sim.now_ms()).expect("valid bucket");
    let role = sim.iam.put_role("firehose_role", &["s3:PutObject".into(), "lambda:InvokeFunction".into()]).expect("valid role");
    sim.glue.put_table(GlueTable::new("kinesis_db", "tweets_json", &[("id", "bigint"), ("text", "string"), ("created_at", "timestamp")]).expect("valid table"));
    let create = json!({
        "DeliveryStreamName": "tweets",
        "ExtendedS3DestinationConfiguration": {
            "RoleARN": role,
            "BucketARN": "arn:aws:s3:::kinesim-bucket",
            "Prefix": "carpeta_tweests_exitosos/",
            "BufferingHints": { "SizeInMBs": 64, "IntervalInSeconds": 60 },
            "ProcessingConfiguration": { "Enabled": true, "Processors": [{ "Type": "Lambda", "Parameters": [
                { "ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:transform_to_json:$LATEST" },
                { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": "0" },
            ]}]},
            "DataFormatConversionConfiguration": {
                "SchemaConfiguration": { "DatabaseName": "kinesis_db", "TableName": "tweets_json", "RoleARN": role },
                "InputFormatConfiguration": { "Deserializer": { "OpenXJsonSerDe": {} } },
                "OutputFormatConfiguration": { "Serializer": { "ParquetSerDe": {} } },
            },
        },
    });
    let created = sim.dispatch("Firehose_20150804.CreateDeliveryStream", create.to_string().as_bytes());
    assert_eq!(created.status, 200, "{}", created.body);
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let records = json!([
        { "Data": b64(r#"{"id":1,"text":"hola mundo","created_at":"2026-01-01T00:00:01Z"}"#) },
        { "Data": b64(r#"{"id":2,"text":"olá","created_at":1767225602000}"#) },
    ]);
    let put = sim.dispatch("Firehose_20150804.PutRecordBatch", json!({ "DeliveryStreamName": "tweets", "Records": records }).to_string().as_bytes());
    assert_eq!(put.status, 200, "{}", put.body);
    sim.advance(120_000);
    let listing = sim.s3.list_objects_v2("kinesim-bucket", "carpeta_tweests_exitosos/2026/", None).expect("bucket exists");
    assert_eq!(listing.contents.len(), 1);
    let key = &listing.contents[0].key;
    assert!(key.ends_with(".parquet"), "{key}");
    let body = sim.s3.get_object("kinesim-bucket", key).expect("object exists").bytes(&sim.kinesis.sources).to_vec();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parquet_check");
    std::fs::create_dir_all(&dir).expect("target is writable");
    std::fs::write(dir.join("firehose_tweets.parquet"), body).expect("target is writable");
}
