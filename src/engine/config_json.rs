//! Reading producer and consumer configurations typed as JSON by a user or a lesson.
//!
//! Every refusal names the field, the value found and what is allowed, because the text is
//! shown as is to a student; nothing here panics on any input.

use serde_json::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A configuration in canonical form (sorted keys, no spaces), as the world keeps it for
/// scenarios: equal configurations are then equal state.
pub fn canonical(text: &str) -> String {
    serde_json::from_str::<Value>(text).map(|v| v.to_string()).unwrap_or_default()
}

/// One JSON object of a configuration; `path` prefixes field names in messages
/// (`keys.zipfS`).
pub struct ConfigObject<'a> {
    fields: &'a Map<String, Value>,
    path: String,
}

impl<'a> ConfigObject<'a> {
    pub fn parse(text: &str) -> Result<Value, ConfigError> {
        serde_json::from_str(text).map_err(|e| ConfigError(format!("The configuration is not valid JSON: {e}")))
    }

    pub fn root(value: &'a Value) -> Result<Self, ConfigError> {
        Self::at(value, "")
    }

    /// An object found at `path` of a larger document (`streams[1]`), named so in messages.
    pub fn at(value: &'a Value, path: &str) -> Result<Self, ConfigError> {
        match value.as_object() {
            Some(fields) => Ok(Self { fields, path: path.to_string() }),
            None if path.is_empty() => Err(ConfigError(format!("The configuration must be a JSON object; got {value}"))),
            None => Err(ConfigError(format!("{path} must be a JSON object; got {value}"))),
        }
    }

    /// The field's path in messages: `keys.zipfS`, `streams[1].shardCount`.
    pub fn name(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    /// The field's value as typed, for lists the caller checks itself.
    pub fn raw(&self, field: &str) -> Option<&'a Value> {
        self.fields.get(field)
    }

    /// A nested object, or `None` when the field is absent.
    pub fn object(&self, field: &str) -> Result<Option<ConfigObject<'a>>, ConfigError> {
        self.fields.get(field).map(|v| Self::at(v, &self.name(field))).transpose()
    }

    /// A JSON array's items with their paths (`streams[0]`, ...); empty when absent.
    pub fn list(&self, field: &str) -> Result<Vec<(String, &'a Value)>, ConfigError> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.iter().enumerate().map(|(i, v)| (format!("{}[{i}]", self.name(field)), v)).collect()),
            Some(other) => Err(ConfigError(format!("{} must be a JSON array; got {other}", self.name(field)))),
        }
    }

    pub fn required_str(&self, field: &str) -> Result<&'a str, ConfigError> {
        self.str(field)?.ok_or_else(|| ConfigError(format!("{} is required", self.name(field))))
    }

    pub fn str(&self, field: &str) -> Result<Option<&'a str>, ConfigError> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(ConfigError(format!("{} must be a string; got {other}", self.name(field)))),
        }
    }

    /// One of `allowed`, or `default` when absent.
    pub fn choice(&self, field: &str, allowed: &[&'static str], default: Option<&'static str>) -> Result<&'static str, ConfigError> {
        let found = match (self.str(field)?, default) {
            (Some(s), _) => s,
            (None, Some(d)) => return Ok(d),
            (None, None) => return Err(ConfigError(format!("{} is required: one of {}", self.name(field), allowed.join(", ")))),
        };
        allowed.iter().find(|a| **a == found).copied().ok_or_else(|| {
            ConfigError(format!("{} must be one of {}; got \"{found}\"", self.name(field), allowed.join(", ")))
        })
    }

    /// A number in `[min, max]`, or `default` when absent.
    pub fn number(&self, field: &str, min: f64, max: f64, default: f64) -> Result<f64, ConfigError> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if (min..=max).contains(&x) => Ok(x),
                _ => Err(ConfigError(format!("{} must be a number from {min} to {max}; got {n}", self.name(field)))),
            },
            Some(other) => Err(ConfigError(format!("{} must be a number from {min} to {max}; got {other}", self.name(field)))),
        }
    }

    /// A whole number in `[min, max]`, or `default` when absent.
    pub fn whole(&self, field: &str, min: u64, max: u64, default: u64) -> Result<u64, ConfigError> {
        let bad = |v: &dyn fmt::Display| ConfigError(format!("{} must be a whole number from {min} to {max}; got {v}", self.name(field)));
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Number(n)) => n.as_u64().filter(|x| (min..=max).contains(x)).ok_or_else(|| bad(n)),
            Some(other) => Err(bad(other)),
        }
    }

    pub fn boolean(&self, field: &str, default: bool) -> Result<bool, ConfigError> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(ConfigError(format!("{} must be true or false; got {other}", self.name(field)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field_the_value_and_what_is_allowed() {
        let v = ConfigObject::parse(r#"{"kind":"x","rate":-1,"keys":{"zipfS":"a"},"n":1.5}"#).unwrap();
        let o = ConfigObject::root(&v).unwrap();
        assert_eq!(o.choice("kind", &["a", "b"], None).unwrap_err().0, "kind must be one of a, b; got \"x\"");
        assert_eq!(o.number("rate", 0.0, 10.0, 1.0).unwrap_err().0, "rate must be a number from 0 to 10; got -1");
        let keys = o.object("keys").unwrap().unwrap();
        assert_eq!(keys.number("zipfS", 0.0, 5.0, 1.0).unwrap_err().0, "keys.zipfS must be a number from 0 to 5; got \"a\"");
        assert_eq!(o.whole("n", 1, 3, 1).unwrap_err().0, "n must be a whole number from 1 to 3; got 1.5");
        assert_eq!(o.required_str("stream").unwrap_err().0, "stream is required");
        assert!(ConfigObject::root(&Value::Null).is_err());
        assert!(ConfigObject::parse("{").is_err());
    }
}
