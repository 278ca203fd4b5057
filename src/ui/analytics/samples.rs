//! Sample SQL ready to run on the stock ticks producer's records (discovered columns
//! TICKER, PRICE, VOLUME, COL_TIMESTAMP).

use crate::ui::Text;

pub const AVERAGE_PER_MINUTE: &str = r#"CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    ticker    VARCHAR(8),
    avg_price DOUBLE,
    trades    INTEGER);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker, AVG(price), COUNT(*)
FROM "SOURCE_SQL_STREAM_001"
GROUP BY ticker, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);
"#;

const FILTER: &str = r#"CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    ticker VARCHAR(8),
    price  DOUBLE,
    volume INTEGER);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker, price, volume
FROM "SOURCE_SQL_STREAM_001"
WHERE ticker SIMILAR TO '%AMZN%' AND volume >= 1000;
"#;

const FLOOR_MINUTE: &str = r#"CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    minute_start TIMESTAMP,
    ticker       VARCHAR(8),
    trades       INTEGER,
    low          DOUBLE,
    high         DOUBLE,
    shares       BIGINT);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM FLOOR("SOURCE_SQL_STREAM_001".ROWTIME TO MINUTE), ticker,
       COUNT(*), MIN(price), MAX(price), SUM(volume)
FROM "SOURCE_SQL_STREAM_001"
GROUP BY FLOOR("SOURCE_SQL_STREAM_001".ROWTIME TO MINUTE), ticker;
"#;

const SLIDING: &str = r#"CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    ticker    VARCHAR(8),
    price     DOUBLE,
    min_price DOUBLE,
    avg_price DOUBLE);

-- One row per incoming row, over the ticker's last minute.
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker, price,
       MIN(price) OVER W1 AS min_price,
       AVG(price) OVER W1 AS avg_price
FROM "SOURCE_SQL_STREAM_001"
WINDOW W1 AS (PARTITION BY ticker RANGE INTERVAL '1' MINUTE PRECEDING);
"#;

const CHAIN: &str = r#"-- Source -> intermediate stream -> destination.
CREATE OR REPLACE STREAM "BIG_TRADES" (ticker VARCHAR(8), notional DOUBLE);

CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(8), notional DOUBLE);

CREATE OR REPLACE PUMP "BIG_PUMP" AS INSERT INTO "BIG_TRADES"
SELECT STREAM ticker, price * volume
FROM "SOURCE_SQL_STREAM_001"
WHERE volume >= 2000;

CREATE OR REPLACE PUMP "TOTAL_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker, SUM(notional)
FROM "BIG_TRADES"
GROUP BY ticker, STEP("BIG_TRADES".ROWTIME BY INTERVAL '30' SECOND);
"#;

pub const ALL: [(Text, &str, &str); 5] = [
    (Text::SampleAverage, "sample-average", AVERAGE_PER_MINUTE),
    (Text::SampleFilter, "sample-filter", FILTER),
    (Text::SampleFloor, "sample-floor", FLOOR_MINUTE),
    (Text::SampleSliding, "sample-sliding", SLIDING),
    (Text::SampleChain, "sample-chain", CHAIN),
];
