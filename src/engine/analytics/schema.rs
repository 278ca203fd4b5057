//! Column types, the input schema mapping JSON or CSV records to columns, and schema
//! discovery from sample records (the console's "Discover schema", AWS DiscoverInputSchema).

use super::value::Value;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SqlType {
    Varchar(u32),
    Integer,
    Bigint,
    Double,
    Real,
    Boolean,
    Timestamp,
}

impl SqlType {
    /// The type named in a column definition; `None` for types KDA did not offer.
    pub fn from_ast(t: &sqlparser::ast::DataType) -> Option<Self> {
        use sqlparser::ast::{CharacterLength, DataType as D};
        Some(match t {
            D::Varchar(len) | D::CharacterVarying(len) | D::Char(len) | D::Character(len) => {
                SqlType::Varchar(match len {
                    Some(CharacterLength::IntegerLength { length, .. }) => u32::try_from(*length).unwrap_or(u32::MAX),
                    _ => 1,
                })
            }
            D::Int(_) | D::Integer(_) | D::SmallInt(_) | D::TinyInt(_) => SqlType::Integer,
            D::BigInt(_) => SqlType::Bigint,
            D::Double(_) | D::DoublePrecision | D::Float(_) | D::Decimal(_) | D::Numeric(_) => SqlType::Double,
            D::Real => SqlType::Real,
            D::Boolean | D::Bool => SqlType::Boolean,
            D::Timestamp(..) => SqlType::Timestamp,
            _ => return None,
        })
    }

    pub fn sql(&self) -> String {
        match self {
            SqlType::Varchar(n) => format!("VARCHAR({n})"),
            SqlType::Integer => "INTEGER".into(),
            SqlType::Bigint => "BIGINT".into(),
            SqlType::Double => "DOUBLE".into(),
            SqlType::Real => "REAL".into(),
            SqlType::Boolean => "BOOLEAN".into(),
            SqlType::Timestamp => "TIMESTAMP".into(),
        }
    }

    /// Parses what the schema editor shows (`sql()`'s output, any case).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_uppercase();
        if let Some(n) = t.strip_prefix("VARCHAR(").and_then(|r| r.strip_suffix(')')) {
            return n.trim().parse().ok().map(SqlType::Varchar);
        }
        Some(match t.as_str() {
            "INTEGER" | "INT" => SqlType::Integer,
            "BIGINT" => SqlType::Bigint,
            "DOUBLE" => SqlType::Double,
            "REAL" => SqlType::Real,
            "BOOLEAN" => SqlType::Boolean,
            "TIMESTAMP" => SqlType::Timestamp,
            _ => return None,
        })
    }

    /// `v` stored in a column of this type; `None` when it does not fit (an error row).
    pub fn coerce(&self, v: Value) -> Option<Value> {
        Some(match (self, v) {
            (_, Value::Null) => Value::Null,
            (SqlType::Varchar(n), Value::Text(s)) => Value::Text(s.chars().take(*n as usize).collect()),
            (SqlType::Varchar(n), v) => Value::Text(v.display().chars().take(*n as usize).collect()),
            // INTEGER is 32-bit in KDA: a larger value does not fit.
            (SqlType::Integer, v) => Value::Int(i64::from(i32::try_from(Self::integer(v)?).ok()?)),
            (SqlType::Bigint, v) => Value::Int(Self::integer(v)?),
            (SqlType::Double | SqlType::Real, Value::Text(s)) => Value::Float(s.trim().parse().ok()?),
            (SqlType::Double | SqlType::Real, v) => Value::Float(v.as_f64()?),
            (SqlType::Boolean, Value::Bool(b)) => Value::Bool(b),
            (SqlType::Boolean, Value::Text(s)) => Value::Bool(match s.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => return None,
            }),
            (SqlType::Timestamp, Value::Time(t)) => Value::Time(t),
            (SqlType::Timestamp, Value::Int(i)) => Value::Time(u64::try_from(i).ok()?),
            (SqlType::Timestamp, Value::Text(s)) => Value::Time(parse_timestamp(&s)?),
            _ => return None,
        })
    }

    fn integer(v: Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.is_finite() && f.abs() < 9.2e18 => Some(f as i64),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

fn parse_timestamp(s: &str) -> Option<u64> {
    let t = time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    u64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}


/// One column of the input schema and its SQL type. JSON columns come from a top-level key
/// (the console's `$.key` row path); CSV columns map in order, one per field, so `key` is
/// only the header's name when discovery found one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputColumn {
    pub name: String,
    pub sql_type: SqlType,
    pub key: String,
}

/// How the source's records are written (AWS `RecordFormat`): a JSON object per record, or
/// delimited text where a record may hold several rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordFormat {
    Json,
    Csv { row_delimiter: String, column_delimiter: String },
}

impl RecordFormat {
    /// CSV as AWS's examples write it: rows end at `\n`, fields split at `,`.
    pub fn csv() -> Self {
        RecordFormat::Csv { row_delimiter: "\n".into(), column_delimiter: ",".into() }
    }

    /// The format a schema editor names: `JSON`, or `CSV` with delimiters written with the
    /// escapes `\n`, `\r` and `\t`. `None` for an unknown format or an empty delimiter.
    pub fn parse(kind: &str, row_delimiter: &str, column_delimiter: &str) -> Option<Self> {
        let unescape = |t: &str| t.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t");
        match kind {
            "JSON" => Some(RecordFormat::Json),
            "CSV" if !row_delimiter.is_empty() && !column_delimiter.is_empty() => {
                Some(RecordFormat::Csv { row_delimiter: unescape(row_delimiter), column_delimiter: unescape(column_delimiter) })
            }
            _ => None,
        }
    }

    /// AWS's RecordFormatType.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordFormat::Json => "JSON",
            RecordFormat::Csv { .. } => "CSV",
        }
    }

    /// The row and column delimiters written with escapes (empty for JSON).
    pub fn delimiters(&self) -> (String, String) {
        let escape = |t: &str| t.replace('\n', "\\n").replace('\r', "\\r").replace('\t', "\\t");
        match self {
            RecordFormat::Json => (String::new(), String::new()),
            RecordFormat::Csv { row_delimiter, column_delimiter } => (escape(row_delimiter), escape(column_delimiter)),
        }
    }

    /// Where column `index` (0-based) comes from: `$.key` in JSON, the field number in CSV.
    pub fn mapping(&self, index: usize, column: &InputColumn) -> String {
        match self {
            RecordFormat::Json => format!("$.{}", column.key),
            RecordFormat::Csv { .. } => format!("#{}", index + 1),
        }
    }
}

/// Why a row did not reach the source stream: the error stream's ERROR_NAME and MESSAGE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingError {
    /// The row is not in the record format (not JSON, not an object).
    Parse(String),
    /// A value cannot be converted to its column's type (AWS's "coercion error").
    Coercion(String),
}

/// One row of a record: its bytes (the error stream's DATA_ROW), and its column values or
/// why it does not map.
pub type MappedRow<'a> = (&'a [u8], Result<Vec<Value>, MappingError>);

/// The input schema: the record format and the columns of `SOURCE_SQL_STREAM_001`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSchema {
    pub format: RecordFormat,
    pub columns: Vec<InputColumn>,
}

impl InputSchema {
    pub fn json(columns: Vec<InputColumn>) -> Self {
        Self { format: RecordFormat::Json, columns }
    }

    /// The columns as an in-application stream or table declares them.
    pub fn sql_columns(&self) -> Vec<(String, SqlType)> {
        self.columns.iter().map(|c| (c.name.clone(), c.sql_type)).collect()
    }

    /// The rows of one record (one for JSON); empty CSV rows are skipped.
    pub fn rows<'a>(&self, data: &'a [u8]) -> Vec<MappedRow<'a>> {
        match &self.format {
            RecordFormat::Json => vec![(data, self.map_json(data))],
            RecordFormat::Csv { row_delimiter, column_delimiter } => split(data, row_delimiter.as_bytes())
                .into_iter()
                .filter(|row| !row.iter().all(u8::is_ascii_whitespace))
                .map(|row| (row, self.map_csv(row, column_delimiter)))
                .collect(),
        }
    }

    /// The rows of an S3 object: JSON lines, or the CSV rows.
    pub fn file_rows<'a>(&self, body: &'a [u8]) -> Vec<MappedRow<'a>> {
        match self.format {
            RecordFormat::Json => split(body, b"\n").into_iter().filter(|l| !l.iter().all(u8::is_ascii_whitespace)).flat_map(|l| self.rows(l)).collect(),
            RecordFormat::Csv { .. } => self.rows(body),
        }
    }

    fn map_json(&self, data: &[u8]) -> Result<Vec<Value>, MappingError> {
        let parsed: serde_json::Value = serde_json::from_slice(data).map_err(|e| MappingError::Parse(format!("the record is not JSON: {e}")))?;
        let serde_json::Value::Object(map) = parsed else { return Err(MappingError::Parse("the record is not a JSON object".to_string())) };
        // A key the record does not have maps to NULL, as in KDA.
        self.columns
            .iter()
            .map(|c| {
                let raw = match map.get(&c.key) {
                    None | Some(serde_json::Value::Null) => Value::Null,
                    Some(serde_json::Value::Bool(b)) => Value::Bool(*b),
                    Some(serde_json::Value::Number(n)) => n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN)), Value::Int),
                    Some(serde_json::Value::String(s)) => Value::Text(s.clone()),
                    Some(other) => Value::Text(other.to_string()),
                };
                coerce_into(c, raw, || map.get(&c.key).map(|v| v.to_string()).unwrap_or_default())
            })
            .collect()
    }

    /// Fields map to the columns in order; a row with fewer fields leaves the last columns
    /// NULL, and an empty field is NULL unless the column is VARCHAR.
    fn map_csv(&self, row: &[u8], delimiter: &str) -> Result<Vec<Value>, MappingError> {
        let text = std::str::from_utf8(row).map_err(|_| MappingError::Parse("the row is not UTF-8 text".to_string()))?;
        let fields = csv_fields(text, delimiter);
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let raw = match fields.get(i) {
                    None => Value::Null,
                    Some(f) if f.is_empty() && !matches!(c.sql_type, SqlType::Varchar(_)) => Value::Null,
                    Some(f) => Value::Text(f.clone()),
                };
                coerce_into(c, raw, || format!("\"{}\"", fields.get(i).cloned().unwrap_or_default()))
            })
            .collect()
    }
}

fn coerce_into(c: &InputColumn, raw: Value, shown: impl Fn() -> String) -> Result<Value, MappingError> {
    c.sql_type.coerce(raw).ok_or_else(|| MappingError::Coercion(format!("{} cannot be converted to column {} {}", shown(), c.name, c.sql_type.sql())))
}

/// `data` cut at every `delimiter` (a trailing `\r` before a `\n` delimiter goes too).
fn split<'a>(data: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    if delimiter.is_empty() {
        return vec![data];
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + delimiter.len() <= data.len() {
        if &data[i..i + delimiter.len()] == delimiter {
            parts.push(&data[start..i]);
            i += delimiter.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&data[start..]);
    if delimiter == b"\n" {
        for p in &mut parts {
            *p = p.strip_suffix(b"\r").unwrap_or(p);
        }
    }
    parts
}

/// The fields of one CSV row: split at the delimiter outside double quotes, trimmed, with
/// enclosing quotes removed and `""` read as one quote.
fn csv_fields(row: &str, delimiter: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut rest = row;
    while let Some(c) = rest.chars().next() {
        if !quoted && !delimiter.is_empty() && rest.starts_with(delimiter) {
            fields.push(unquote(&field));
            field.clear();
            rest = &rest[delimiter.len()..];
            continue;
        }
        if c == '"' {
            quoted = !quoted;
        }
        field.push(c);
        rest = &rest[c.len_utf8()..];
    }
    fields.push(unquote(&field));
    fields
}

fn unquote(field: &str) -> String {
    let t = field.trim();
    match t.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => t.to_string(),
    }
}

/// An input schema for sample records: JSON when at least half the samples are JSON objects
/// (or there are none), else CSV rows ending at `\n` with the most regular of `,` `\t` `|`
/// `;` between fields.
pub fn discover(samples: &[&[u8]]) -> InputSchema {
    let json = samples.iter().filter(|s| serde_json::from_slice::<OrderedObject>(s).is_ok()).count();
    let text: Vec<&[u8]> = samples.iter().copied().filter(|s| !s.iter().all(u8::is_ascii_whitespace)).collect();
    // No samples at all: JSON with no columns, for the author to fill in.
    if json * 2 >= text.len() {
        return InputSchema::json(discover_json(samples));
    }
    discover_csv(&text)
}

/// Columns for the keys of sample JSON objects, in first-seen order.
fn discover_json(samples: &[&[u8]]) -> Vec<InputColumn> {
    let mut columns: Vec<InputColumn> = Vec::new();
    for sample in samples {
        let Ok(OrderedObject(fields)) = serde_json::from_slice::<OrderedObject>(sample) else { continue };
        for (key, value) in fields {
            let sql_type = match &value {
                serde_json::Value::Bool(_) => SqlType::Boolean,
                serde_json::Value::Number(n) if n.is_i64() => SqlType::Integer,
                serde_json::Value::Number(_) => SqlType::Double,
                // JSON strings stay text (a zip code keeps its zeros) unless they are times.
                serde_json::Value::String(s) if parse_timestamp(s).is_some() => SqlType::Timestamp,
                serde_json::Value::String(s) => varchar_for(s),
                _ => SqlType::Varchar(64),
            };
            match columns.iter_mut().find(|c| c.key == key) {
                Some(c) => c.sql_type = wider(c.sql_type, sql_type),
                None => columns.push(InputColumn { name: column_name(&key), sql_type, key }),
            }
        }
    }
    columns
}

/// CSV discovery. A first row of names is taken as a header when it does not fit the
/// types the other rows give (so the header row can never pass as data); the columns are
/// then named after it, as AWS keeps source names where it can. Otherwise they are
/// COL_0, COL_1, ... in field order.
fn discover_csv(samples: &[&[u8]]) -> InputSchema {
    let rows: Vec<String> = samples.iter().flat_map(|s| split(s, b"\n")).filter_map(|r| std::str::from_utf8(r).ok()).filter(|r| !r.trim().is_empty()).map(str::to_string).collect();
    let first = rows.first().map(String::as_str).unwrap_or_default();
    let delimiter = [",", "\t", "|", ";"]
        .into_iter()
        .max_by_key(|d| {
            let counts: Vec<usize> = rows.iter().map(|r| csv_fields(r, d).len()).collect();
            let regular = counts.iter().all(|c| *c == counts[0]);
            (regular && counts.first().is_some_and(|c| *c > 1), first.matches(d).count(), d == &",")
        })
        .unwrap_or(",");
    let parsed: Vec<Vec<String>> = rows.iter().map(|r| csv_fields(r, delimiter)).collect();
    let width = parsed.iter().map(Vec::len).max().unwrap_or(0);
    let types = |rows: &[Vec<String>]| -> Vec<SqlType> {
        (0..width)
            .map(|i| rows.iter().filter_map(|r| r.get(i)).filter(|f| !f.is_empty()).map(|f| text_type(f)).reduce(wider).unwrap_or(SqlType::Varchar(8)))
            .collect()
    };
    let body_types = types(parsed.get(1..).unwrap_or_default());
    let header = parsed.first().filter(|h| {
        parsed.len() > 1
            && h.len() == width
            && h.iter().all(|f| !f.is_empty() && matches!(text_type(f), SqlType::Varchar(_)))
            && body_types.iter().any(|t| !matches!(t, SqlType::Varchar(_)))
    });
    let (names, sql_types): (Vec<String>, Vec<SqlType>) = match header {
        Some(h) => (h.clone(), body_types),
        None => ((0..width).map(|i| format!("COL_{i}")).collect(), types(&parsed)),
    };
    let columns = names
        .into_iter()
        .zip(sql_types)
        .map(|(key, sql_type)| InputColumn { name: column_name(&key), sql_type, key: if header.is_some() { key } else { String::new() } })
        .collect();
    InputSchema { format: RecordFormat::Csv { row_delimiter: "\n".into(), column_delimiter: delimiter.into() }, columns }
}

/// The type a text value suggests: a number, a boolean, an RFC 3339 time, else VARCHAR.
fn text_type(s: &str) -> SqlType {
    let t = s.trim();
    if t.parse::<i32>().is_ok() {
        SqlType::Integer
    } else if t.parse::<i64>().is_ok() {
        SqlType::Bigint
    } else if t.parse::<f64>().is_ok_and(f64::is_finite) {
        SqlType::Double
    } else if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        SqlType::Boolean
    } else if parse_timestamp(t).is_some() {
        SqlType::Timestamp
    } else {
        varchar_for(s)
    }
}

/// VARCHAR wide enough for `s`, in powers of two from 4.
fn varchar_for(s: &str) -> SqlType {
    SqlType::Varchar(s.len().max(1).next_power_of_two().max(4) as u32)
}

/// A column name for a source name, by AWS's discovery rules: upper-cased so unquoted
/// identifiers match; characters other than letters, digits and `_` become `_`; reserved
/// words and names starting with a digit get the `COL_` prefix; at most 100 characters.
fn column_name(key: &str) -> String {
    let upper: String = key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c.to_ascii_uppercase() } else { '_' }).collect();
    let name = if upper.is_empty() || RESERVED.contains(&upper.as_str()) || upper.starts_with(|c: char| c.is_ascii_digit()) {
        format!("COL_{upper}")
    } else {
        upper
    };
    name.chars().take(100).collect()
}

/// A JSON object's fields in the order the record has them (serde_json's map sorts keys),
/// so discovered columns follow the record.
struct OrderedObject(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for OrderedObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OrderedObject, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_entry::<String, serde_json::Value>()? {
                    fields.push(field);
                }
                Ok(OrderedObject(fields))
            }
        }
        d.deserialize_map(Fields)
    }
}

const RESERVED: [&str; 12] = ["TIMESTAMP", "DATE", "TIME", "ROWTIME", "USER", "VALUE", "VALUES", "ORDER", "GROUP", "YEAR", "MONTH", "DAY"];

/// The type two samples of one column share: integers widen to BIGINT or DOUBLE, anything
/// next to text becomes text, short strings widen to longer.
fn wider(a: SqlType, b: SqlType) -> SqlType {
    use SqlType::*;
    match (a, b) {
        (Varchar(x), Varchar(y)) => Varchar(x.max(y)),
        (Varchar(x), _) | (_, Varchar(x)) => Varchar(x.max(16)),
        (Integer, Bigint) | (Bigint, Integer) => Bigint,
        (Integer | Bigint, Double) | (Double, Integer | Bigint) => Double,
        (a, b) if a == b => a,
        _ => Varchar(32),
    }
}
