//! Record format conversion: JSON records in, one Apache Parquet file out, typed by a Glue table.
//!
//! Reading follows the OpenX JSON SerDe, which AWS recommends: keys match columns
//! case-insensitively, missing keys become null, several concatenated objects in one record are
//! several rows, and a JSON array is refused. Writing follows the Hive Parquet SerDe that
//! Firehose uses: optional columns, timestamps as INT96, decimals as fixed-length bytes,
//! Snappy by default. Records that cannot be converted come back apart, with an error code, for
//! the `format-conversion-failed` error output.

use crate::engine::glue::{GlueTable, HiveType};
use parquet::basic::{Compression as ParquetCodec, DecimalType, IntType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, DoubleType, FixedLenByteArray, FixedLenByteArrayType, FloatType, Int32Type,
    Int64Type, Int96, Int96Type,
};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;
use thiserror::Error;

// Error codes as Firehose reports them (probed against AWS by floci-io/floci PR #3333).
pub const PARSE_ERROR: &str = "DataFormatConversion.ParseError";
pub const MALFORMED_DATA: &str = "DataFormatConversion.MalformedData";

/// Written into the file footer instead of the crate version, so files stay byte-identical
/// across dependency updates of the same writer behaviour.
const CREATED_BY: &str = "kinesim firehose parquet serde";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutputFormat {
    Parquet,
    Orc,
}

impl OutputFormat {
    /// AWS's default extension table (`s3-object-name`): `.parquet` and `.orc`.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Parquet => ".parquet",
            Self::Orc => ".orc",
        }
    }
}

/// `ParquetSerDe.Compression`: UNCOMPRESSED | GZIP | SNAPPY, default SNAPPY.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParquetCompression {
    Uncompressed,
    Gzip,
    #[default]
    Snappy,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormatError {
    /// No maintained pure-Rust crate writes ORC for wasm32 without a C toolchain: orc-rust (the
    /// only ORC writer on crates.io) compiles zstd's C code and needs clang for wasm32. Rather
    /// than write a file that only looks like ORC, the simulator refuses the format.
    #[error("ORC output is unavailable in this build: no pure-Rust ORC writer builds for the browser; choose Parquet (OrcSerDe is accepted by AWS, not by this simulator)")]
    OrcUnavailable,
    #[error("the Parquet writer failed: {0}")]
    Parquet(String),
}

/// A record that could not be converted, for the error output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedRecord {
    /// Position of the record in the input slice.
    pub index: usize,
    pub error_code: &'static str,
    pub error_message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    /// The file to deliver; `None` when no record converted.
    pub file: Option<Vec<u8>>,
    pub rows: u64,
    pub converted_records: u64,
    pub failed: Vec<FailedRecord>,
}

/// Converts the records of one buffer. Each record is all-or-nothing: if one of its objects
/// does not fit the table, the whole record goes to the error output.
pub fn convert(table: &GlueTable, records: &[&[u8]], format: OutputFormat, compression: ParquetCompression) -> Result<Conversion, FormatError> {
    if format == OutputFormat::Orc {
        return Err(FormatError::OrcUnavailable);
    }
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut failed = Vec::new();
    let mut converted_records = 0;
    for (index, record) in records.iter().enumerate() {
        match record_rows(table, record) {
            Ok(mut r) => {
                rows.append(&mut r);
                converted_records += 1;
            }
            Err((error_code, error_message)) => failed.push(FailedRecord { index, error_code, error_message }),
        }
    }
    let file = if rows.is_empty() { None } else { Some(write_parquet(table, &rows, compression)?) };
    Ok(Conversion { file, rows: rows.len() as u64, converted_records, failed })
}

/// One typed value, ready for its Parquet column.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Text(String),
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    Bool(bool),
    /// Nanoseconds since the epoch, written as INT96.
    Timestamp(i64),
    /// Unscaled decimal value.
    Decimal(i128),
}

type RecordError = (&'static str, String);

fn record_rows(table: &GlueTable, record: &[u8]) -> Result<Vec<Vec<Cell>>, RecordError> {
    let mut rows = Vec::new();
    for value in serde_json::Deserializer::from_slice(record).into_iter::<Value>() {
        let value = value.map_err(|e| (PARSE_ERROR, format!("The record is not valid JSON: {e}")))?;
        let Value::Object(object) = value else {
            let what = if value.is_array() { "a JSON array, which format conversion does not accept; send objects, concatenated if several" } else { "not a JSON object" };
            return Err((PARSE_ERROR, format!("The record is {what}")));
        };
        rows.push(object_row(table, &object).map_err(|m| (MALFORMED_DATA, m))?);
    }
    if rows.is_empty() {
        return Err((PARSE_ERROR, "The record holds no JSON object".into()));
    }
    Ok(rows)
}

fn object_row(table: &GlueTable, object: &Map<String, Value>) -> Result<Vec<Cell>, String> {
    table
        .columns
        .iter()
        .map(|col| {
            // Column names are lower-case and OpenX matches keys ignoring case. Which of two keys
            // differing only in case wins is undocumented; we prefer the exact lower-case one.
            let value = object
                .get(&col.name)
                .or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(&col.name)).map(|(_, v)| v));
            match value {
                None | Some(Value::Null) => Ok(Cell::Null),
                Some(v) => cell(col.hive_type, v).map_err(|why| format!("column '{}' ({}): {why}", col.name, col.hive_type)),
            }
        })
        .collect()
}

fn cell(ty: HiveType, v: &Value) -> Result<Cell, String> {
    let text = || match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match ty {
        HiveType::String => Ok(Cell::Text(text())),
        // Hive truncates varchar and pads char to their length.
        HiveType::Varchar(n) => Ok(Cell::Text(text().chars().take(n as usize).collect())),
        HiveType::Char(n) => Ok(Cell::Text(format!("{:<width$}", text().chars().take(n as usize).collect::<String>(), width = n as usize))),
        HiveType::TinyInt => integer(v, i8::MIN.into(), i8::MAX.into()).map(|i| Cell::I32(i as i32)),
        HiveType::SmallInt => integer(v, i16::MIN.into(), i16::MAX.into()).map(|i| Cell::I32(i as i32)),
        HiveType::Int => integer(v, i32::MIN.into(), i32::MAX.into()).map(|i| Cell::I32(i as i32)),
        HiveType::BigInt => integer(v, i64::MIN, i64::MAX).map(Cell::I64),
        HiveType::Float => float(v).map(|f| Cell::F32(f as f32)),
        HiveType::Double => float(v).map(Cell::F64),
        HiveType::Boolean => match v {
            Value::Bool(b) => Ok(Cell::Bool(*b)),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Cell::Bool(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Cell::Bool(false)),
            other => Err(format!("{other} is not a boolean")),
        },
        HiveType::Timestamp => timestamp_nanos(v).map(Cell::Timestamp),
        HiveType::Date => match v {
            Value::String(s) => parse_date(s.trim()).map(|d| Cell::I32(epoch_days(d))).ok_or_else(|| format!("\"{s}\" is not a date (yyyy-MM-dd)")),
            other => Err(format!("{other} is not a date (yyyy-MM-dd)")),
        },
        HiveType::Decimal { precision, scale } => {
            let t = match v {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.trim().to_string(),
                other => return Err(format!("{other} is not a decimal")),
            };
            let unscaled = scaled_decimal(&t, scale).ok_or_else(|| format!("\"{t}\" is not a decimal"))?;
            // Hive's enforcePrecisionScale turns a value too wide for the column into null.
            Ok(unscaled.filter(|u| u.unsigned_abs() < 10u128.pow(precision.into())).map_or(Cell::Null, Cell::Decimal))
        }
    }
}

/// OpenX accepts numbers and numeric strings. A fractional number in an integer column is
/// refused: AWS does not document that case, and silently truncating would hide data loss.
fn integer(v: &Value, min: i64, max: i64) -> Result<i64, String> {
    let parsed = match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("{n} is not an integer")),
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| format!("\"{s}\" is not an integer")),
        other => Err(format!("{other} is not an integer")),
    }?;
    if (min..=max).contains(&parsed) { Ok(parsed) } else { Err(format!("{parsed} is outside {min}..{max}")) }
}

fn float(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("{n} is not a number")),
        Value::String(s) => s.trim().parse::<f64>().map_err(|_| format!("\"{s}\" is not a number")),
        other => Err(format!("{other} is not a number")),
    }
}

/// Integers at or above this are epoch milliseconds, below it epoch seconds (10^11 s is the
/// year 5138; 10^11 ms is 1973). AWS lists both forms without saying how it tells them apart.
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// The timestamp forms AWS lists for OpenX: `yyyy-MM-dd'T'HH:mm:ss[.S]'Z'` (up to 9 fraction
/// digits), `yyyy-[M]M-[d]d HH:mm:ss[.S]`, and epoch seconds, milliseconds or fractional seconds.
fn timestamp_nanos(v: &Value) -> Result<i64, String> {
    let bad = || format!("{v} is not a timestamp (yyyy-MM-dd'T'HH:mm:ss[.S]'Z', yyyy-M-d HH:mm:ss[.S], or epoch seconds/milliseconds)");
    let from_number = |n: &serde_json::Number| -> Option<i64> {
        match n.as_i64() {
            Some(i) if i.abs() >= MILLIS_THRESHOLD => i.checked_mul(1_000_000),
            Some(i) => i.checked_mul(1_000_000_000),
            None => n.as_f64().filter(|f| f.abs() < 9.2e9).map(|f| (f * 1e9).round() as i64),
        }
    };
    match v {
        Value::Number(n) => from_number(n).ok_or_else(bad),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(n) = s.parse::<serde_json::Number>() {
                return from_number(&n).ok_or_else(bad);
            }
            parse_datetime(s).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

fn parse_date(s: &str) -> Option<time::Date> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn epoch_days(d: time::Date) -> i32 {
    d.to_julian_day() - time::Date::from_calendar_date(1970, time::Month::January, 1).expect("valid date").to_julian_day()
}

fn parse_datetime(s: &str) -> Option<i64> {
    let (date, time_part) = match s.split_once('T') {
        Some((d, t)) => (d, t.strip_suffix('Z')?),
        None => s.split_once(' ')?,
    };
    let days = i64::from(epoch_days(parse_date(date)?));
    let (hms, fraction) = match time_part.split_once('.') {
        Some((hms, f)) if (1..=9).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => (hms, f),
        Some(_) => return None,
        None => (time_part, ""),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let [h, m, sec] = parts.as_slice() else { return None };
    let field = |t: &str, max: i64| t.parse::<i64>().ok().filter(|v| t.len() == 2 && (0..=max).contains(v));
    let secs = days * 86_400 + field(h, 23)? * 3600 + field(m, 59)? * 60 + field(sec, 59)?;
    let nanos = if fraction.is_empty() { 0 } else { format!("{fraction:0<9}").parse::<i64>().ok()? };
    secs.checked_mul(1_000_000_000)?.checked_add(nanos)
}

/// Scales decimal text (`12.5`, `-1e3`, `0.005`) to an unscaled integer with `scale` digits,
/// rounding half away from zero as Hive does. `Some(None)` means a number too large to hold.
fn scaled_decimal(text: &str, scale: u8) -> Option<Option<i128>> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() || !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let shift = exponent - frac_part.len() as i32 + i32::from(scale);
    let digits = digits.trim_start_matches('0');
    let Ok(mut value) = (if digits.is_empty() { Ok(0i128) } else { digits.parse::<i128>() }) else {
        return Some(None);
    };
    if shift >= 0 {
        let factor = 10i128.checked_pow(shift as u32);
        value = match factor.and_then(|f| value.checked_mul(f)) {
            Some(v) => v,
            None => return Some(None),
        };
    } else {
        let divisor = 10i128.checked_pow(shift.unsigned_abs());
        value = match divisor {
            Some(d) => value / d + i128::from(value % d * 2 >= d),
            None => 0,
        };
    }
    Some(Some(if negative { -value } else { value }))
}

/// Bytes Hive uses for a decimal of `precision` digits: the fewest that hold 10^p - 1 signed.
fn decimal_bytes(precision: u8) -> usize {
    let max = 10i128.pow(precision.into()) - 1;
    (1..16).find(|n| max < 1i128 << (8 * n - 1)).unwrap_or(16)
}

fn parquet_type(name: &str, ty: HiveType) -> parquet::errors::Result<Type> {
    let (physical, logical) = match ty {
        HiveType::String | HiveType::Varchar(_) | HiveType::Char(_) => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        HiveType::TinyInt => (Physical::INT32, Some(LogicalType::Integer(IntType { bit_width: 8, is_signed: true }))),
        HiveType::SmallInt => (Physical::INT32, Some(LogicalType::Integer(IntType { bit_width: 16, is_signed: true }))),
        HiveType::Int => (Physical::INT32, None),
        HiveType::BigInt => (Physical::INT64, None),
        HiveType::Float => (Physical::FLOAT, None),
        HiveType::Double => (Physical::DOUBLE, None),
        HiveType::Boolean => (Physical::BOOLEAN, None),
        HiveType::Timestamp => (Physical::INT96, None),
        HiveType::Date => (Physical::INT32, Some(LogicalType::Date)),
        HiveType::Decimal { precision, scale } => {
            return Type::primitive_type_builder(name, Physical::FIXED_LEN_BYTE_ARRAY)
                .with_repetition(Repetition::OPTIONAL)
                .with_length(decimal_bytes(precision) as i32)
                .with_logical_type(Some(LogicalType::Decimal(DecimalType { scale: scale.into(), precision: precision.into() })))
                .with_precision(precision.into())
                .with_scale(scale.into())
                .build();
        }
    };
    Type::primitive_type_builder(name, physical).with_repetition(Repetition::OPTIONAL).with_logical_type(logical).build()
}

fn int96(nanos: i64) -> Int96 {
    const NANOS_PER_DAY: i64 = 86_400_000_000_000;
    const JULIAN_DAY_OF_EPOCH: i64 = 2_440_588;
    let (days, of_day) = (nanos.div_euclid(NANOS_PER_DAY), nanos.rem_euclid(NANOS_PER_DAY));
    let mut v = Int96::new();
    v.set_data(of_day as u32, (of_day >> 32) as u32, (days + JULIAN_DAY_OF_EPOCH) as u32);
    v
}

fn write_parquet(table: &GlueTable, rows: &[Vec<Cell>], compression: ParquetCompression) -> Result<Vec<u8>, FormatError> {
    write_parquet_inner(table, rows, compression).map_err(|e| FormatError::Parquet(e.to_string()))
}

fn write_parquet_inner(table: &GlueTable, rows: &[Vec<Cell>], compression: ParquetCompression) -> parquet::errors::Result<Vec<u8>> {
    let fields = table.columns.iter().map(|c| parquet_type(&c.name, c.hive_type).map(Arc::new)).collect::<Result<Vec<_>, _>>()?;
    // Hive's Parquet writer names the root message `hive_schema`.
    let schema = Arc::new(Type::group_type_builder("hive_schema").with_fields(fields).build()?);
    let codec = match compression {
        ParquetCompression::Uncompressed => ParquetCodec::UNCOMPRESSED,
        ParquetCompression::Gzip => ParquetCodec::GZIP(Default::default()),
        ParquetCompression::Snappy => ParquetCodec::SNAPPY,
    };
    let props = WriterProperties::builder()
        .set_created_by(CREATED_BY.to_string())
        .set_compression(codec)
        // ParquetSerDe.WriterVersion defaults to V1.
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .build();
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, Arc::new(props))?;
    // One row group: Firehose buffers stop at 128 MiB, under the SerDe's 256 MiB block size.
    let mut group = writer.next_row_group()?;
    for (i, col) in table.columns.iter().enumerate() {
        let mut column = group.next_column()?.expect("one column writer per schema field");
        let cells = rows.iter().map(|r| &r[i]);
        let levels: Vec<i16> = cells.clone().map(|c| i16::from(*c != Cell::Null)).collect();
        let w = &mut column;
        match col.hive_type {
            HiveType::String | HiveType::Varchar(_) | HiveType::Char(_) => {
                let v: Vec<ByteArray> = cells.filter_map(|c| match c { Cell::Text(s) => Some(ByteArray::from(s.as_str())), _ => None }).collect();
                w.typed::<ByteArrayType>().write_batch(&v, Some(&levels), None)?;
            }
            HiveType::TinyInt | HiveType::SmallInt | HiveType::Int | HiveType::Date => {
                let v: Vec<i32> = cells.filter_map(|c| match c { Cell::I32(x) => Some(*x), _ => None }).collect();
                w.typed::<Int32Type>().write_batch(&v, Some(&levels), None)?;
            }
            HiveType::BigInt => {
                let v: Vec<i64> = cells.filter_map(|c| match c { Cell::I64(x) => Some(*x), _ => None }).collect();
                w.typed::<Int64Type>().write_batch(&v, Some(&levels), None)?;
            }
            HiveType::Float => {
                let v: Vec<f32> = cells.filter_map(|c| match c { Cell::F32(x) => Some(*x), _ => None }).collect();
                w.typed::<FloatType>().write_batch(&v, Some(&levels), None)?;
            }
            HiveType::Double => {
                let v: Vec<f64> = cells.filter_map(|c| match c { Cell::F64(x) => Some(*x), _ => None }).collect();
                w.typed::<DoubleType>().write_batch(&v, Some(&levels), None)?;
            }
            HiveType::Boolean => {
                let v: Vec<bool> = cells.filter_map(|c| match c { Cell::Bool(x) => Some(*x), _ => None }).collect();
                w.typed::<BoolType>().write_batch(&v, Some(&levels), None)?;
            }
            HiveType::Timestamp => {
                let v: Vec<Int96> = cells.filter_map(|c| match c { Cell::Timestamp(x) => Some(int96(*x)), _ => None }).collect();
                w.typed::<Int96Type>().write_batch(&v, Some(&levels), None)?;
            }
            HiveType::Decimal { precision, .. } => {
                let n = decimal_bytes(precision);
                let v: Vec<FixedLenByteArray> = cells
                    .filter_map(|c| match c { Cell::Decimal(x) => Some(FixedLenByteArray::from(x.to_be_bytes()[16 - n..].to_vec())), _ => None })
                    .collect();
                w.typed::<FixedLenByteArrayType>().write_batch(&v, Some(&levels), None)?;
            }
        }
        column.close()?;
    }
    group.close()?;
    writer.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    fn tweets_table() -> GlueTable {
        GlueTable::new(
            "kinesis_db",
            "tweets_json",
            &[
                ("id", "bigint"),
                ("text", "string"),
                ("retweets", "int"),
                ("score", "double"),
                ("verified", "boolean"),
                ("created_at", "timestamp"),
                ("day", "date"),
                ("price", "decimal(10,2)"),
            ],
        )
        .unwrap()
    }

    fn read_rows(file: &[u8]) -> Vec<Vec<(String, Field)>> {
        let reader = SerializedFileReader::new(bytes::Bytes::from(file.to_vec())).unwrap();
        reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap().get_column_iter().map(|(n, f)| (n.clone(), f.clone())).collect())
            .collect()
    }

    #[test]
    fn converts_concatenated_objects_case_insensitively() {
        let recs: [&[u8]; 2] = [
            br#"{"ID":1,"Text":"hola","retweets":"3","score":1.5,"verified":true,"created_at":"2026-01-01T00:00:01.5Z","day":"2026-01-01","price":12.345}"#,
            b"{\"id\":2} \n{\"id\":3,\"text\":null}",
        ];
        let out = convert(&tweets_table(), &recs, OutputFormat::Parquet, ParquetCompression::Snappy).unwrap();
        assert_eq!((out.rows, out.converted_records, out.failed.len()), (3, 2, 0));
        let rows = read_rows(out.file.as_ref().unwrap());
        assert_eq!(rows.len(), 3);
        let first: Vec<String> = rows[0].iter().map(|(_, f)| f.to_string()).collect();
        assert_eq!(first[..5], ["1", "\"hola\"", "3", "1.5", "true"]);
        assert_eq!(rows[0][6].1, Field::Date(20454));
        assert_eq!(rows[0][7].1.to_string(), "12.35", "rounds half up to the column's scale");
        assert!(matches!(rows[0][5].1, Field::TimestampMillis(1_767_225_601_500) | Field::TimestampMicros(1_767_225_601_500_000)), "{:?}", rows[0][5].1);
        assert_eq!(rows[1][1].1, Field::Null, "a missing key is null");
        assert_eq!(rows[2][1].1, Field::Null);
    }

    #[test]
    fn bad_records_come_back_with_codes_and_the_rest_convert() {
        let recs: [&[u8]; 5] = [b"[{\"id\":1}]", b"{\"id\":", br#"{"id":"abc"}"#, br#"{"id":7}"#, b"  "];
        let out = convert(&tweets_table(), &recs, OutputFormat::Parquet, ParquetCompression::Snappy).unwrap();
        assert_eq!(out.rows, 1);
        let codes: Vec<_> = out.failed.iter().map(|f| (f.index, f.error_code)).collect();
        assert_eq!(codes, [(0, PARSE_ERROR), (1, PARSE_ERROR), (2, MALFORMED_DATA), (4, PARSE_ERROR)]);
        assert!(out.failed[0].error_message.contains("JSON array"));
        assert_eq!(out.failed[2].error_message, "column 'id' (bigint): \"abc\" is not an integer");
    }

    #[test]
    fn nothing_converted_means_no_file() {
        let out = convert(&tweets_table(), &[b"nope"], OutputFormat::Parquet, ParquetCompression::Snappy).unwrap();
        assert_eq!((out.file, out.rows), (None, 0));
    }

    #[test]
    fn same_input_same_bytes_for_every_codec() {
        let recs: [&[u8]; 1] = [br#"{"id":1,"text":"x","created_at":1767225600}"#];
        for codec in [ParquetCompression::Uncompressed, ParquetCompression::Gzip, ParquetCompression::Snappy] {
            let a = convert(&tweets_table(), &recs, OutputFormat::Parquet, codec).unwrap().file.unwrap();
            let b = convert(&tweets_table(), &recs, OutputFormat::Parquet, codec).unwrap().file.unwrap();
            assert_eq!(a, b);
            assert_eq!((&a[..4], &a[a.len() - 4..]), (&b"PAR1"[..], &b"PAR1"[..]));
            assert_eq!(read_rows(&a).len(), 1);
        }
    }

    #[test]
    fn orc_is_refused_not_faked() {
        let err = convert(&tweets_table(), &[b"{}"], OutputFormat::Orc, ParquetCompression::Snappy).unwrap_err();
        assert_eq!(err, FormatError::OrcUnavailable);
        assert!(err.to_string().contains("choose Parquet"));
    }

    #[test]
    fn timestamps_in_every_documented_form() {
        let at = 1_486_480_381_000_000_000i64; // 2017-02-07T15:13:01Z
        assert_eq!(timestamp_nanos(&Value::from("2017-02-07T15:13:01.39256Z")), Ok(at + 392_560_000));
        assert_eq!(timestamp_nanos(&Value::from("2017-2-7 15:13:01")), Ok(at));
        assert_eq!(timestamp_nanos(&Value::from("2017-02-07 15:13:01.1")), Ok(at + 100_000_000));
        assert_eq!(timestamp_nanos(&serde_json::json!(1_486_480_381)), Ok(at));
        assert_eq!(timestamp_nanos(&serde_json::json!(1_486_480_381_123i64)), Ok(at + 123_000_000));
        assert_eq!(timestamp_nanos(&serde_json::json!(1_486_480_381.5)), Ok(at + 500_000_000));
        assert_eq!(timestamp_nanos(&Value::from("1486480381")), Ok(at));
        for bad in ["2017-02-07T15:13:01", "2017-02-30 00:00:00", "07/02/2017", "2017-02-07T15:13:01.1234567890Z"] {
            assert!(timestamp_nanos(&Value::from(bad)).is_err(), "{bad}");
        }
        assert_eq!(int96(at).to_nanos(), at);
        assert_eq!(int96(-1).to_nanos(), -1);
    }

    #[test]
    fn integers_decimals_and_booleans() {
        assert!(cell(HiveType::Int, &serde_json::json!(2_147_483_648i64)).is_err());
        assert!(cell(HiveType::Int, &serde_json::json!(1.5)).is_err());
        assert_eq!(cell(HiveType::TinyInt, &serde_json::json!(-128)), Ok(Cell::I32(-128)));
        assert_eq!(cell(HiveType::Boolean, &Value::from("TRUE")), Ok(Cell::Bool(true)));
        assert_eq!(cell(HiveType::String, &serde_json::json!({"a":1})), Ok(Cell::Text("{\"a\":1}".into())));
        assert_eq!(cell(HiveType::Varchar(2), &Value::from("hola")), Ok(Cell::Text("ho".into())));
        let dec = |v: Value| cell(HiveType::Decimal { precision: 5, scale: 2 }, &v);
        assert_eq!(dec(serde_json::json!(-1.005)), Ok(Cell::Decimal(-101)));
        assert_eq!(dec(Value::from("1e2")), Ok(Cell::Decimal(10_000)));
        assert_eq!(dec(serde_json::json!(999.994)), Ok(Cell::Decimal(99_999)));
        assert_eq!(dec(serde_json::json!(1000)), Ok(Cell::Null), "too wide for decimal(5,2): Hive writes null");
        assert!(dec(Value::from("12x")).is_err());
        assert_eq!((decimal_bytes(9), decimal_bytes(10), decimal_bytes(18), decimal_bytes(38)), (4, 5, 8, 16));
    }

    #[test]
    fn extensions_follow_aws_table() {
        assert_eq!((OutputFormat::Parquet.extension(), OutputFormat::Orc.extension()), (".parquet", ".orc"));
    }
}
