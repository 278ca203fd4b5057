//! Column types, the input schema mapping JSON records to columns, and schema discovery
//! from sample records (the console's "Discover schema").

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
            (SqlType::Integer | SqlType::Bigint, Value::Int(i)) => Value::Int(i),
            (SqlType::Integer | SqlType::Bigint, Value::Float(f)) if f.is_finite() => Value::Int(f as i64),
            (SqlType::Integer | SqlType::Bigint, Value::Text(s)) => Value::Int(s.trim().parse().ok()?),
            (SqlType::Double | SqlType::Real, Value::Text(s)) => Value::Float(s.trim().parse().ok()?),
            (SqlType::Double | SqlType::Real, v) => Value::Float(v.as_f64()?),
            (SqlType::Boolean, Value::Bool(b)) => Value::Bool(b),
            (SqlType::Timestamp, Value::Time(t)) => Value::Time(t),
            (SqlType::Timestamp, Value::Int(i)) => Value::Time(u64::try_from(i).ok()?),
            (SqlType::Timestamp, Value::Text(s)) => Value::Time(parse_timestamp(&s)?),
            _ => return None,
        })
    }
}

fn parse_timestamp(s: &str) -> Option<u64> {
    let t = time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    u64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// One column of the input schema: where in a JSON record it comes from, and its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputColumn {
    pub name: String,
    pub sql_type: SqlType,
    /// The top-level JSON key (the console's `$.key` row path).
    pub key: String,
}

/// Columns for the keys of sample JSON objects, in first-seen order. Names are upper-cased
/// so unquoted identifiers match them; reserved words get KDA's `COL_` prefix.
pub fn discover(samples: &[&[u8]]) -> Vec<InputColumn> {
    let mut columns: Vec<InputColumn> = Vec::new();
    for sample in samples {
        let Ok(OrderedObject(fields)) = serde_json::from_slice::<OrderedObject>(sample) else { continue };
        for (key, value) in fields {
            let sql_type = match &value {
                serde_json::Value::Bool(_) => SqlType::Boolean,
                serde_json::Value::Number(n) if n.is_i64() => SqlType::Integer,
                serde_json::Value::Number(_) => SqlType::Double,
                serde_json::Value::String(s) if parse_timestamp(s).is_some() => SqlType::Timestamp,
                serde_json::Value::String(s) => SqlType::Varchar(s.len().max(1).next_power_of_two().max(4) as u32),
                _ => SqlType::Varchar(64),
            };
            match columns.iter_mut().find(|c| c.key == key) {
                // Integers seen next to decimals widen to DOUBLE, short strings to longer.
                Some(c) => c.sql_type = wider(c.sql_type, sql_type),
                None => {
                    let upper = key.to_ascii_uppercase();
                    let name = if RESERVED.contains(&upper.as_str()) { format!("COL_{upper}") } else { upper };
                    columns.push(InputColumn { name, sql_type, key });
                }
            }
        }
    }
    columns
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

const RESERVED: [&str; 8] = ["TIMESTAMP", "DATE", "TIME", "ROWTIME", "USER", "VALUE", "ORDER", "GROUP"];

fn wider(a: SqlType, b: SqlType) -> SqlType {
    match (a, b) {
        (SqlType::Integer, SqlType::Double) | (SqlType::Double, SqlType::Integer) => SqlType::Double,
        (SqlType::Varchar(x), SqlType::Varchar(y)) => SqlType::Varchar(x.max(y)),
        (a, _) => a,
    }
}

/// One JSON record as column values; `Err` names the first value that does not fit.
pub fn map_record(columns: &[InputColumn], data: &[u8]) -> Result<Vec<Value>, String> {
    let parsed: serde_json::Value = serde_json::from_slice(data).map_err(|e| format!("not JSON: {e}"))?;
    let serde_json::Value::Object(map) = parsed else { return Err("not a JSON object".to_string()) };
    columns
        .iter()
        .map(|c| {
            let raw = match map.get(&c.key) {
                None | Some(serde_json::Value::Null) => Value::Null,
                Some(serde_json::Value::Bool(b)) => Value::Bool(*b),
                Some(serde_json::Value::Number(n)) => n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN)), Value::Int),
                Some(serde_json::Value::String(s)) => Value::Text(s.clone()),
                Some(other) => Value::Text(other.to_string()),
            };
            c.sql_type.coerce(raw).ok_or_else(|| format!("{} does not fit column {} {}", map.get(&c.key).map(|v| v.to_string()).unwrap_or_default(), c.name, c.sql_type.sql()))
        })
        .collect()
}
