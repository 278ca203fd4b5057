//! `error_stream`, the in-application stream where KDA reports runtime errors: rows the
//! input schema cannot map (parse and coercion errors), pump rows whose values do not fit
//! the target stream's columns, and expressions that cannot be computed (division by zero,
//! a CAST that does not fit). Its columns are AWS's (`error-handling.md`); it shows in the
//! results pane and can be connected to a destination like any in-application stream.

use super::plan::StreamDef;
use super::schema::{MappingError, SqlType};
use super::value::Value;

pub const ERROR_STREAM: &str = "error_stream";

/// ERROR_LEVEL of every row Kinesim reports. AWS documents the column, not its values [?].
pub const ERROR_LEVEL: &str = "ERROR";

/// What went wrong, as ERROR_NAME. AWS documents the error kinds ("coercion error" among
/// them) but not these names; ours follow its wording [?].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorName {
    /// A row that is not in the input's record format.
    Parse,
    /// A value that cannot be converted to its column's SQL type.
    Coercion,
    /// Division by zero in the application's SQL.
    Arithmetic,
}

impl ErrorName {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorName::Parse => "Parse_Error",
            ErrorName::Coercion => "Coercion_Error",
            ErrorName::Arithmetic => "Arithmetic_Error",
        }
    }
}

impl MappingError {
    pub fn name(&self) -> ErrorName {
        match self {
            MappingError::Parse(_) => ErrorName::Parse,
            MappingError::Coercion(_) => ErrorName::Coercion,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            MappingError::Parse(m) | MappingError::Coercion(m) => m,
        }
    }
}

/// DATA_ROW holds at most this many characters (AWS: VARCHAR(49152)).
const DATA_ROW_CHARS: usize = 49_152;

pub fn def() -> StreamDef {
    StreamDef {
        name: ERROR_STREAM.to_string(),
        columns: vec![
            ("ERROR_TIME".into(), SqlType::Timestamp),
            ("ERROR_LEVEL".into(), SqlType::Varchar(10)),
            ("ERROR_NAME".into(), SqlType::Varchar(32)),
            ("MESSAGE".into(), SqlType::Varchar(4096)),
            ("DATA_ROWTIME".into(), SqlType::Timestamp),
            ("DATA_ROW".into(), SqlType::Varchar(DATA_ROW_CHARS as u32)),
            ("PUMP_NAME".into(), SqlType::Varchar(128)),
        ],
    }
}

/// One error row: `data` is the original row, hex-encoded as AWS writes DATA_ROW.
pub fn row(now: u64, name: ErrorName, message: &str, rowtime: u64, data: &[u8], pump: Option<&str>) -> Vec<Value> {
    let hex: String = data.iter().take(DATA_ROW_CHARS / 2).map(|b| format!("{b:02x}")).collect();
    vec![
        Value::Time(now),
        Value::Text(ERROR_LEVEL.to_string()),
        Value::Text(name.as_str().to_string()),
        Value::Text(message.chars().take(4096).collect()),
        Value::Time(rowtime),
        Value::Text(hex),
        pump.map_or(Value::Null, |p| Value::Text(p.to_string())),
    ]
}
