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
