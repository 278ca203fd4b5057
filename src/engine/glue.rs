//! The part of the AWS Glue Data Catalog that Firehose reads: a table's database, name and
//! columns with Hive types. Format conversion takes its schema from here.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GlueError {
    #[error("unknown column type '{0}'; allowed: string, varchar(n), char(n), tinyint, smallint, int, bigint, float, double, boolean, timestamp, date, decimal(p,s)")]
    UnknownType(String),
    #[error("'{0}' is not supported by this simulator: array, map, struct and uniontype columns are not modelled yet")]
    ComplexType(String),
    #[error("decimal({precision},{scale}) is invalid: precision must be 1 to 38 and scale 0 to precision")]
    BadDecimal { precision: u32, scale: u32 },
    #[error("{what} '{name}' is invalid: names must be 1 to 255 characters of letters, digits and underscores")]
    BadName { what: &'static str, name: String },
    #[error("column '{0}' appears twice; Glue column names are case-insensitive and must be unique")]
    DuplicateColumn(String),
    #[error("table has no columns; format conversion needs at least one")]
    NoColumns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HiveType {
    String,
    Varchar(u32),
    Char(u32),
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Float,
    Double,
    Boolean,
    Timestamp,
    Date,
    Decimal { precision: u8, scale: u8 },
}

impl HiveType {
    /// Parses a Glue/Hive type name, case-insensitively and ignoring spaces (`DECIMAL(10, 2)`).
    pub fn parse(text: &str) -> Result<Self, GlueError> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        let simple = match t.as_str() {
            "string" => Some(Self::String),
            "tinyint" => Some(Self::TinyInt),
            "smallint" => Some(Self::SmallInt),
            "int" | "integer" => Some(Self::Int),
            "bigint" => Some(Self::BigInt),
            "float" => Some(Self::Float),
            "double" => Some(Self::Double),
            "boolean" => Some(Self::Boolean),
            "timestamp" => Some(Self::Timestamp),
            "date" => Some(Self::Date),
            // Hive's default precision and scale.
            "decimal" => Some(Self::Decimal { precision: 10, scale: 0 }),
            _ => None,
        };
        if let Some(ty) = simple {
            return Ok(ty);
        }
        let unknown = || GlueError::UnknownType(text.to_string());
        let Some((name, args)) = t.strip_suffix(')').and_then(|s| s.split_once('(')) else {
            return Err(if ["array<", "map<", "struct<", "uniontype<"].iter().any(|p| t.starts_with(p)) {
                GlueError::ComplexType(text.to_string())
            } else {
                unknown()
            });
        };
        let nums: Vec<u32> = args.split(',').map(str::parse).collect::<Result<_, _>>().map_err(|_| unknown())?;
        match (name, nums.as_slice()) {
            ("varchar", [n]) if (1..=65535).contains(n) => Ok(Self::Varchar(*n)),
            ("char", [n]) if (1..=255).contains(n) => Ok(Self::Char(*n)),
            ("decimal", [p]) => Self::decimal(*p, 0),
            ("decimal", [p, s]) => Self::decimal(*p, *s),
            _ => Err(unknown()),
        }
    }

    fn decimal(precision: u32, scale: u32) -> Result<Self, GlueError> {
        if !(1..=38).contains(&precision) || scale > precision {
            return Err(GlueError::BadDecimal { precision, scale });
        }
        Ok(Self::Decimal { precision: precision as u8, scale: scale as u8 })
    }
}

impl fmt::Display for HiveType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String => write!(f, "string"),
            Self::Varchar(n) => write!(f, "varchar({n})"),
            Self::Char(n) => write!(f, "char({n})"),
            Self::TinyInt => write!(f, "tinyint"),
            Self::SmallInt => write!(f, "smallint"),
            Self::Int => write!(f, "int"),
            Self::BigInt => write!(f, "bigint"),
            Self::Float => write!(f, "float"),
            Self::Double => write!(f, "double"),
            Self::Boolean => write!(f, "boolean"),
            Self::Timestamp => write!(f, "timestamp"),
            Self::Date => write!(f, "date"),
            Self::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Stored lower-case, as Glue does.
    pub name: String,
    pub hive_type: HiveType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlueTable {
    pub database: String,
    pub name: String,
    pub columns: Vec<Column>,
}

fn check_name(what: &'static str, name: &str) -> Result<String, GlueError> {
    let ok = (1..=255).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok { Ok(name.to_ascii_lowercase()) } else { Err(GlueError::BadName { what, name: name.to_string() }) }
}

impl GlueTable {
    /// `columns` are (name, Hive type) pairs, e.g. `("created_at", "timestamp")`.
    pub fn new(database: &str, name: &str, columns: &[(&str, &str)]) -> Result<Self, GlueError> {
        if columns.is_empty() {
            return Err(GlueError::NoColumns);
        }
        let mut parsed: Vec<Column> = Vec::with_capacity(columns.len());
        for (col, ty) in columns {
            let col = check_name("column", col)?;
            if parsed.iter().any(|c| c.name == col) {
                return Err(GlueError::DuplicateColumn(col));
            }
            parsed.push(Column { name: col, hive_type: HiveType::parse(ty)? });
        }
        Ok(Self { database: check_name("database", database)?, name: check_name("table", name)?, columns: parsed })
    }
}

/// The Data Catalog of one account and Region: tables by (database, table), names lower-case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlueCatalog {
    /// Keyed `database.table`: names hold no dots, and JSON map keys must be strings.
    tables: BTreeMap<String, GlueTable>,
}

impl GlueCatalog {
    /// Creates or replaces a table.
    pub fn put_table(&mut self, table: GlueTable) {
        self.tables.insert(format!("{}.{}", table.database, table.name), table);
    }

    /// Every table, by database then name.
    pub fn tables(&self) -> impl Iterator<Item = &GlueTable> {
        self.tables.values()
    }

    /// Glue names are case-insensitive, so lookups are too.
    pub fn table(&self, database: &str, table: &str) -> Option<&GlueTable> {
        self.tables.get(&format!("{database}.{table}").to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hive_type_names() {
        assert_eq!(HiveType::parse("STRING"), Ok(HiveType::String));
        assert_eq!(HiveType::parse("bigint"), Ok(HiveType::BigInt));
        assert_eq!(HiveType::parse("decimal(10, 2)"), Ok(HiveType::Decimal { precision: 10, scale: 2 }));
        assert_eq!(HiveType::parse("decimal"), Ok(HiveType::Decimal { precision: 10, scale: 0 }));
        assert_eq!(HiveType::parse("varchar(20)"), Ok(HiveType::Varchar(20)));
        for ty in ["string", "int", "bigint", "double", "float", "boolean", "timestamp", "date", "decimal(38,38)", "char(3)"] {
            assert_eq!(HiveType::parse(ty).unwrap().to_string(), ty);
        }
    }

    #[test]
    fn refuses_unknown_and_bad_types_with_the_allowed_list() {
        let err = HiveType::parse("text").unwrap_err();
        assert!(err.to_string().contains("allowed: string, varchar(n)"), "{err}");
        assert_eq!(HiveType::parse("decimal(39,2)"), Err(GlueError::BadDecimal { precision: 39, scale: 2 }));
        assert_eq!(HiveType::parse("decimal(5,6)"), Err(GlueError::BadDecimal { precision: 5, scale: 6 }));
        assert!(matches!(HiveType::parse("array<string>"), Err(GlueError::ComplexType(_))));
        assert!(matches!(HiveType::parse("varchar(x)"), Err(GlueError::UnknownType(_))));
    }

    #[test]
    fn table_lowercases_names_and_refuses_duplicates() {
        let t = GlueTable::new("Kinesis_DB", "tweets_json", &[("Id", "bigint"), ("text", "string")]).unwrap();
        assert_eq!((t.database.as_str(), t.columns[0].name.as_str()), ("kinesis_db", "id"));
        assert_eq!(GlueTable::new("db", "t", &[("a", "int"), ("A", "int")]), Err(GlueError::DuplicateColumn("a".into())));
        assert!(matches!(GlueTable::new("db", "t-1", &[("a", "int")]), Err(GlueError::BadName { what: "table", .. })));
        assert_eq!(GlueTable::new("db", "t", &[]), Err(GlueError::NoColumns));
    }
}
