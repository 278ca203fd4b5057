//! SQL applications on hand-computed data: each construct, window boundaries, pump chains,
//! and errors naming unsupported constructs with their line and column.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::analytics::error::SqlError;
use kinesim::engine::analytics::plan::{compile, StreamDef};
use kinesim::engine::analytics::runtime::{Row, Runtime};
use kinesim::engine::analytics::schema::SqlType;
use kinesim::engine::analytics::value::Value;
use std::collections::BTreeMap;

const SOURCE: &str = "SOURCE_SQL_STREAM_001";

fn source() -> StreamDef {
    StreamDef {
        name: SOURCE.into(),
        columns: vec![
            ("TICKER".into(), SqlType::Varchar(8)),
            ("PRICE".into(), SqlType::Double),
            ("VOLUME".into(), SqlType::Integer),
        ],
    }
}

fn run(sql: &str) -> Runtime {
    Runtime::new(compile(sql, &source(), &[]).unwrap_or_else(|e| panic!("{e}")), source(), BTreeMap::new())
}

fn companies() -> StreamDef {
    StreamDef { name: "COMPANIES".into(), columns: vec![("TICKER".into(), SqlType::Varchar(8)), ("NAME".into(), SqlType::Varchar(32))] }
}

fn tick(rt: &mut Runtime, at: u64, rows: &[(&str, f64, i64)]) {
    rt.advance(at);
    for (t, p, v) in rows {
        rt.insert(SOURCE, Row { rowtime: at, values: vec![Value::Text((*t).into()), Value::Float(*p), Value::Int(*v)] });
    }
}

fn rows(rt: &Runtime, stream: &str) -> Vec<(u64, Vec<Value>)> {
    rt.streams[stream].recent.iter().map(|r| (r.rowtime, r.values.clone())).collect()
}

fn err(sql: &str) -> SqlError {
    compile(sql, &source(), &[companies()]).expect_err("should not compile")
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn where_and_projection_with_expressions() {
    let mut rt = run(
        "CREATE OR REPLACE STREAM \"DESTINATION_SQL_STREAM\" (ticker VARCHAR(8), notional DOUBLE, big BOOLEAN);
         CREATE OR REPLACE PUMP \"STREAM_PUMP\" AS INSERT INTO \"DESTINATION_SQL_STREAM\"
         SELECT STREAM ticker, price * volume, volume >= 200 FROM \"SOURCE_SQL_STREAM_001\"
         WHERE ticker SIMILAR TO '%AM%' AND price > 10;",
    );
    tick(&mut rt, 1_000, &[("AMZN", 20.0, 100), ("AAPL", 30.0, 100), ("AMZN", 5.0, 300), ("AMD", 11.5, 200)]);
    assert_eq!(
        rows(&rt, "DESTINATION_SQL_STREAM"),
        vec![
            (1_000, vec![text("AMZN"), Value::Float(2000.0), Value::Bool(false)]),
            (1_000, vec![text("AMD"), Value::Float(2300.0), Value::Bool(true)]),
        ]
    );
}

#[test]
fn tumbling_step_window_aggregates_close_on_rowtime() {
    let mut rt = run(
        "CREATE OR REPLACE STREAM \"DEST\" (ticker VARCHAR(8), n BIGINT, total INTEGER, average DOUBLE, low DOUBLE, high DOUBLE, window_start TIMESTAMP);
         CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"DEST\"
         SELECT STREAM ticker, COUNT(*), SUM(volume), AVG(price), MIN(price), MAX(price),
                STEP(\"SOURCE_SQL_STREAM_001\".ROWTIME BY INTERVAL '10' SECOND)
         FROM \"SOURCE_SQL_STREAM_001\"
         GROUP BY ticker, STEP(\"SOURCE_SQL_STREAM_001\".ROWTIME BY INTERVAL '10' SECOND);",
    );
    tick(&mut rt, 0, &[("A", 1.0, 10), ("B", 5.0, 1)]);
    tick(&mut rt, 9_999, &[("A", 3.0, 20)]);
    assert!(rows(&rt, "DEST").is_empty(), "the window [0, 10 s) is still open at 9.999 s");
    // A row at exactly 10 s belongs to the next window; the first one closes first.
    tick(&mut rt, 10_000, &[("A", 8.0, 5)]);
    assert_eq!(
        rows(&rt, "DEST"),
        vec![
            (10_000, vec![text("A"), Value::Int(2), Value::Int(30), Value::Float(2.0), Value::Float(1.0), Value::Float(3.0), Value::Time(0)]),
            (10_000, vec![text("B"), Value::Int(1), Value::Int(1), Value::Float(5.0), Value::Float(5.0), Value::Float(5.0), Value::Time(0)]),
        ]
    );
    rt.advance(19_999);
    assert_eq!(rows(&rt, "DEST").len(), 2);
    rt.advance(20_000);
    assert_eq!(
        rows(&rt, "DEST")[2],
        (20_000, vec![text("A"), Value::Int(1), Value::Int(5), Value::Float(8.0), Value::Float(8.0), Value::Float(8.0), Value::Time(10_000)])
    );
}

#[test]
fn floor_rowtime_to_minute_is_a_tumbling_minute() {
    let mut rt = run(
        "CREATE OR REPLACE STREAM \"DEST\" (minute_start TIMESTAMP, ticker VARCHAR(8), avg_price REAL);
         CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"DEST\"
         SELECT STREAM FLOOR(s.ROWTIME TO MINUTE), ticker, AVG(price) AS avg_price
         FROM \"SOURCE_SQL_STREAM_001\" AS s
         GROUP BY FLOOR(s.ROWTIME TO MINUTE), ticker;",
    );
    tick(&mut rt, 59_000, &[("A", 10.0, 1), ("A", 20.0, 1)]);
    tick(&mut rt, 60_000, &[("A", 100.0, 1)]);
    tick(&mut rt, 119_000, &[("A", 200.0, 1)]);
    assert_eq!(rows(&rt, "DEST"), vec![(60_000, vec![Value::Time(0), text("A"), Value::Float(15.0)])]);
    rt.advance(120_000);
    assert_eq!(rows(&rt, "DEST")[1], (120_000, vec![Value::Time(60_000), text("A"), Value::Float(150.0)]));
}

#[test]
fn sliding_window_emits_per_row_over_the_preceding_range() {
    let mut rt = run(
        "CREATE OR REPLACE STREAM \"DEST\" (ticker VARCHAR(8), min_price DOUBLE, avg_price DOUBLE, n INTEGER);
         CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"DEST\"
         SELECT STREAM ticker, MIN(price) OVER W1 AS min_price, AVG(price) OVER W1 AS avg_price, COUNT(*) OVER W1
         FROM \"SOURCE_SQL_STREAM_001\"
         WINDOW W1 AS (PARTITION BY ticker RANGE INTERVAL '1' MINUTE PRECEDING);",
    );
    tick(&mut rt, 0, &[("A", 4.0, 1)]);
    tick(&mut rt, 30_000, &[("B", 100.0, 1), ("A", 2.0, 1)]);
    // At exactly 60 s the row at 0 s is still within the minute; at 60.001 s it is not.
    tick(&mut rt, 60_000, &[("A", 6.0, 1)]);
    tick(&mut rt, 60_001, &[("A", 10.0, 1)]);
    // Rows only ageing out emit nothing.
    rt.advance(500_000);
    assert_eq!(
        rows(&rt, "DEST"),
        vec![
            (0, vec![text("A"), Value::Float(4.0), Value::Float(4.0), Value::Int(1)]),
            (30_000, vec![text("B"), Value::Float(100.0), Value::Float(100.0), Value::Int(1)]),
            (30_000, vec![text("A"), Value::Float(2.0), Value::Float(3.0), Value::Int(2)]),
            (60_000, vec![text("A"), Value::Float(2.0), Value::Float(4.0), Value::Int(3)]),
            (60_001, vec![text("A"), Value::Float(2.0), Value::Float(6.0), Value::Int(3)]),
        ]
    );
}

#[test]
fn reference_table_join_inner_and_left() {
    let sql = |kind: &str| {
        format!(
            "CREATE OR REPLACE STREAM \"DEST\" (ticker VARCHAR(8), company VARCHAR(32), price DOUBLE);
             CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"DEST\"
             SELECT STREAM s.ticker, c.name, price
             FROM \"SOURCE_SQL_STREAM_001\" AS s {kind} JOIN \"COMPANIES\" AS c ON s.ticker = c.ticker
             WHERE price > 1;"
        )
    };
    let table = BTreeMap::from([(
        "COMPANIES".to_string(),
        vec![vec![text("AMZN"), text("Amazon")], vec![text("AAPL"), text("Apple")], vec![text("AMZN"), text("Amazon.com")]],
    )]);
    let mut rt = Runtime::new(compile(&sql(""), &source(), &[companies()]).unwrap(), source(), table.clone());
    tick(&mut rt, 1_000, &[("AMZN", 2.0, 1), ("TSLA", 3.0, 1), ("AAPL", 0.5, 1)]);
    assert_eq!(
        rows(&rt, "DEST"),
        vec![(1_000, vec![text("AMZN"), text("Amazon"), Value::Float(2.0)]), (1_000, vec![text("AMZN"), text("Amazon.com"), Value::Float(2.0)])]
    );
    let mut rt = Runtime::new(compile(&sql("LEFT"), &source(), &[companies()]).unwrap(), source(), table);
    tick(&mut rt, 1_000, &[("TSLA", 3.0, 1)]);
    assert_eq!(rows(&rt, "DEST"), vec![(1_000, vec![text("TSLA"), Value::Null, Value::Float(3.0)])]);

    let e = err("CREATE OR REPLACE STREAM \"D\" (a VARCHAR(8));\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM ticker FROM \"SOURCE_SQL_STREAM_001\" JOIN \"COMPANIES\" ON ticker = ticker;");
    assert!(e.message.contains("\"TICKER\" is ambiguous"), "{e}");
    assert_eq!((e.line, e.column), (3, 71), "at the first ambiguous use, in ON");
}

#[test]
fn pump_chain_source_to_intermediate_to_destination() {
    let mut rt = run(
        "CREATE OR REPLACE STREAM \"BIG\" (ticker VARCHAR(8), volume INTEGER);
         CREATE OR REPLACE STREAM \"PER_10S\" (ticker VARCHAR(8), total INTEGER);
         CREATE OR REPLACE PUMP \"FILTER\" AS INSERT INTO \"BIG\"
           SELECT STREAM ticker, volume FROM \"SOURCE_SQL_STREAM_001\" WHERE volume > 100;
         CREATE OR REPLACE PUMP \"SUM\" AS INSERT INTO \"PER_10S\"
           SELECT STREAM ticker, SUM(volume) FROM \"BIG\"
           GROUP BY ticker, STEP(\"BIG\".ROWTIME BY INTERVAL '10' SECOND);",
    );
    tick(&mut rt, 1_000, &[("A", 1.0, 50), ("A", 1.0, 150), ("B", 1.0, 500), ("A", 1.0, 250)]);
    assert_eq!(rows(&rt, "BIG").len(), 3);
    tick(&mut rt, 10_000, &[]);
    assert_eq!(
        rows(&rt, "PER_10S"),
        vec![(10_000, vec![text("A"), Value::Int(400)]), (10_000, vec![text("B"), Value::Int(500)])]
    );
}

#[test]
fn insert_with_column_list_and_nulls_skipped_by_aggregates() {
    let mut rt = run(
        "CREATE OR REPLACE STREAM \"D\" (a INTEGER, b DOUBLE, c VARCHAR(4));
         CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\" (c, a)
           SELECT STREAM ticker, COUNT(price) FROM \"SOURCE_SQL_STREAM_001\"
           GROUP BY ticker, FLOOR(ROWTIME TO SECOND);",
    );
    rt.advance(0);
    rt.insert(SOURCE, Row { rowtime: 0, values: vec![text("LONGNAME"), Value::Null, Value::Int(1)] });
    rt.insert(SOURCE, Row { rowtime: 0, values: vec![text("LONGNAME"), Value::Float(2.0), Value::Int(1)] });
    rt.advance(1_000);
    assert_eq!(rows(&rt, "D"), vec![(1_000, vec![Value::Int(1), Value::Null, text("LONG")])]);
}

#[test]
fn unsupported_constructs_are_named_with_line_and_column() {
    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM a FROM \"SOURCE_SQL_STREAM_001\" JOIN \"X\" ON 1 = 1;");
    assert!(e.message.starts_with("JOIN with \"X\", which is not a reference table"), "{e}");
    assert_eq!((e.line, e.column), (3, 51), "at the joined stream");

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\n  SELECT STREAM price FROM \"SOURCE_SQL_STREAM_001\" ORDER BY price;");
    assert!(e.message.contains("ORDER BY"), "{e}");
    assert_eq!(e.line, 2);

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM AVG(price) OVER W1 FROM \"SOURCE_SQL_STREAM_001\"\nWINDOW W1 AS (PARTITION BY ticker ROWS 2 PRECEDING);");
    assert!(e.message.starts_with("a window other than (PARTITION BY ... RANGE INTERVAL"), "{e}");
    assert_eq!((e.line, e.column), (3, 15));

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM LN(price) FROM \"SOURCE_SQL_STREAM_001\";");
    assert_eq!(e.message, "function LN is not supported by Kinesim's SQL applications");
    assert_eq!((e.line, e.column), (3, 15));

    let e = err("CREATE OR REPLACE VIEW v AS SELECT 1;");
    assert!(e.message.contains("CREATE OR REPLACE VIEW"), "{e}");
    assert_eq!((e.line, e.column), (1, 19));
}

#[test]
fn semantic_errors_point_at_the_cause() {
    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM AVG(price) FROM \"SOURCE_SQL_STREAM_001\" GROUP BY ticker;");
    assert!(e.message.starts_with("GROUP BY on a stream needs a ROWTIME window"), "{e}");
    assert_eq!((e.line, e.column), (3, 64));

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM volume FROM \"SOURCE_SQL_STREAM_001\" GROUP BY ticker, FLOOR(ROWTIME TO MINUTE);");
    assert!(e.message.contains("\"VOLUME\" must appear in GROUP BY"), "{e}");
    assert_eq!((e.line, e.column), (3, 15));

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM AVG(price) FROM \"SOURCE_SQL_STREAM_001\";");
    assert!(e.message.starts_with("AVG on a stream needs a window"), "{e}");
    assert_eq!((e.line, e.column), (3, 15));

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM price FROM \"SOURCE_SQL_STREAM_001\" WHERE SUM(price) > 1;");
    assert!(e.message.contains("aggregates are only allowed in the SELECT list"), "{e}");

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM nope FROM \"SOURCE_SQL_STREAM_001\";");
    assert!(e.message.starts_with("column \"NOPE\" not found"), "{e}");
    assert_eq!((e.line, e.column), (3, 15));

    let e = err("CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\" SELECT STREAM price FROM \"SOURCE_SQL_STREAM_001\";");
    assert!(e.message.contains("\"D\" is not defined"), "{e}");

    let e = err("CREATE OR REPLACE STREAM \"D\" (a DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\"\nSELECT STREAM price FROM \"SOURCE_SQL_STREAM_001\" WHERE price >;");
    assert_eq!(e.line, 3, "{e}");
}

#[test]
fn any_text_compiles_or_errors_without_panicking() {
    for sql in ["", ";;", "SELECT", "CREATE OR REPLACE", "CREATE OR REPLACE PUMP", "CREATE OR REPLACE PUMP p", "'unterminated", "STEP(", "é\u{0}ü", "CREATE OR REPLACE STREAM \"D\" (a DOUBLE); CREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"D\" SELECT STREAM STEP(ROWTIME BY INTERVAL '0' SECOND) FROM \"SOURCE_SQL_STREAM_001\""] {
        let _ = compile(sql, &source(), &[companies()]);
    }
}

#[test]
fn division_by_zero_and_failed_casts_are_error_rows_of_their_pump() {
    use kinesim::engine::analytics::error_stream::ERROR_STREAM;
    let mut rt = run(
        "CREATE OR REPLACE STREAM \"D\" (ticker VARCHAR(8), per_share DOUBLE, code INTEGER);
         CREATE OR REPLACE PUMP \"RATIO\" AS INSERT INTO \"D\"
         SELECT STREAM ticker, price / volume, CAST(ticker AS INTEGER) FROM \"SOURCE_SQL_STREAM_001\"
         WHERE 10 / volume < 100 OR ticker = '7';",
    );
    tick(&mut rt, 2_000, &[("A", 10.0, 0), ("B", 10.0, 4), ("7", 3.0, 1)]);
    assert_eq!(rows(&rt, "D"), vec![(2_000, vec![text("7"), Value::Float(3.0), Value::Int(7)])]);
    let errors: Vec<Vec<Value>> = rows(&rt, ERROR_STREAM).into_iter().map(|(_, v)| v).collect();
    let error = |name: &str, message: &str, data: &str| {
        vec![Value::Time(2_000), text("ERROR"), text(name), text(message), Value::Time(2_000), text(&data.bytes().map(|b| format!("{b:02x}")).collect::<String>()), text("RATIO")]
    };
    assert_eq!(
        errors,
        vec![
            // The WHERE clause divides by the zero volume: the row never reaches the SELECT.
            error("Arithmetic_Error", "division by zero: 10 / 0", r#"["A",10.0,0]"#),
            error("Coercion_Error", "CAST(\"B\" AS INTEGER): the value cannot be converted", r#"["B",10.0,4]"#),
        ]
    );
}
