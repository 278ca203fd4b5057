//! An error in an application's SQL, placed where the author can find it.

use serde::{Deserialize, Serialize};
use sqlparser::tokenizer::Location;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlError {
    pub message: String,
    /// 1-based; 0 when the construct has no position (the text as a whole).
    pub line: u64,
    pub column: u64,
}

impl SqlError {
    pub fn at(location: Location, message: impl Into<String>) -> Self {
        Self { message: message.into(), line: location.line, column: location.column }
    }

    /// A construct the simulator does not run, named so the author knows what to change.
    pub fn unsupported(location: Location, construct: impl fmt::Display) -> Self {
        Self::at(location, format!("{construct} is not supported by Kinesim's SQL applications"))
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (line {}, column {})", self.message, self.line, self.column)
        }
    }
}
