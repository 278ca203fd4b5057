#!/usr/bin/env python3
"""Opens the Parquet objects written by `cargo test --test parquet_sample` with pyarrow and
checks their rows and column types: proof that another reader accepts what Kinesim delivers.
The second object went the whole Firehose way (PutRecordBatch, Lambda, buffer, Glue, S3).

Usage: cargo test --test parquet_sample && python3 tests/parquet_check.py
"""
import datetime
import decimal
import pathlib
import sys

import pyarrow as pa
import pyarrow.parquet as pq

path = pathlib.Path(__file__).resolve().parent.parent / "target/parquet_check/tweets.parquet"
table = pq.read_table(path)

expected_types = {
    "id": pa.int64(),
    "text": pa.string(),
    "retweets": pa.int32(),
    "score": pa.float64(),
    "ratio": pa.float32(),
    "verified": pa.bool_(),
    "created_at": pa.timestamp("ns"),  # INT96, as Hive's Parquet SerDe writes timestamps
    "day": pa.date32(),
    "price": pa.decimal128(10, 2),
}
actual_types = {f.name: f.type for f in table.schema}
assert actual_types == expected_types, actual_types

rows = table.to_pylist()
assert len(rows) == 3, rows
assert rows[0]["text"] == "hola mundo" and rows[0]["retweets"] == 3 and rows[0]["verified"] is True
assert rows[0]["created_at"] == datetime.datetime(2026, 1, 1, 0, 0, 1, 500000), rows[0]["created_at"]
assert rows[0]["day"] == datetime.date(2026, 1, 1)
assert rows[0]["price"] == decimal.Decimal("12.35")
assert rows[1]["text"] == "olá" and rows[1]["score"] is None
assert rows[1]["created_at"] == datetime.datetime(2026, 1, 1, 0, 0, 0, 123000)
assert rows[2]["id"] == 3 and rows[2]["price"] == decimal.Decimal("-0.50")
codec = pq.ParquetFile(path).metadata.row_group(0).column(0).compression
assert codec == "SNAPPY", codec
print(f"ok: {path.name}: {table.num_rows} rows, {len(expected_types)} columns, {codec}")

delivered = path.with_name("firehose_tweets.parquet")
table = pq.read_table(delivered)
actual_types = {f.name: f.type for f in table.schema}
assert actual_types == {"id": pa.int64(), "text": pa.string(), "created_at": pa.timestamp("ns")}, actual_types
rows = table.to_pylist()
assert [r["id"] for r in rows] == [1, 2], rows
assert rows[0]["text"] == "hola mundo" and rows[1]["text"] == "olá", rows
assert rows[0]["created_at"] == datetime.datetime(2026, 1, 1, 0, 0, 1), rows[0]
assert rows[1]["created_at"] == datetime.datetime(2026, 1, 1, 0, 0, 2), rows[1]
print(f"ok: {delivered.name}: {table.num_rows} rows delivered by Firehose")
sys.exit(0)
