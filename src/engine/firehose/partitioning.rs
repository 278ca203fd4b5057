//! Dynamic partitioning: each record's partition keys pick its own buffer and S3 prefix
//! (`!{partitionKeyFromQuery:k}`, `!{partitionKeyFromLambda:k}`).
//!
//! Keys from a query come from the `MetadataExtraction` processor's jq expression. Only jq's
//! object-construction form over plain paths is simulated (`{customer: .customer_id, year:
//! .date.year}`), which is what AWS's examples use; anything else is refused when the delivery
//! stream is created, with the supported form in the message.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `DynamicPartitioningConfiguration` enabled: keys from the query, the Lambda, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partitioning {
    pub query: Option<MetadataQuery>,
}

/// Active partitions per delivery stream (AWS's default quota).
pub const MAX_ACTIVE_PARTITIONS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataQuery {
    /// As configured, for DescribeDeliveryStream.
    pub text: String,
    /// Key name and the JSON path it reads.
    keys: Vec<(String, Vec<String>)>,
}

impl MetadataQuery {
    pub fn parse(text: &str) -> Result<Self, String> {
        let unsupported = || {
            format!("MetadataExtractionQuery '{text}' is not supported by this simulator; write {{key: .field, other: .nested.field}}")
        };
        let body = text.trim().strip_prefix('{').and_then(|t| t.strip_suffix('}')).ok_or_else(unsupported)?;
        let mut keys = Vec::new();
        for entry in body.split(',') {
            let (key, path) = entry.split_once(':').ok_or_else(unsupported)?;
            let key = key.trim().trim_matches('"');
            let path = path.trim().strip_prefix('.').ok_or_else(unsupported)?;
            let segments: Vec<String> = path.split('.').map(str::to_string).collect();
            let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ident(key) || !segments.iter().all(|s| ident(s)) {
                return Err(unsupported());
            }
            keys.push((key.to_string(), segments));
        }
        Ok(Self { text: text.to_string(), keys })
    }

    /// The keys of one record (a JSON object). Strings are taken as they are, numbers and
    /// booleans as JSON text; a missing or null value is an error naming the key.
    pub fn extract(&self, data: &[u8]) -> Result<BTreeMap<String, String>, String> {
        let record: Value = serde_json::from_slice(data).map_err(|e| format!("the record is not JSON: {e}"))?;
        let mut out = BTreeMap::new();
        for (key, path) in &self.keys {
            let found = path.iter().try_fold(&record, |v, segment| v.get(segment));
            let value = match found {
                Some(Value::String(s)) => s.clone(),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
                _ => return Err(format!("partition key '{key}' (.{}) is missing or not a string, number or boolean", path.join("."))),
            };
            out.insert(key.clone(), value);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_construction_over_paths() {
        let q = MetadataQuery::parse("{customer_id: .customer_id, year: .date.year}").unwrap();
        let keys = q.extract(br#"{"customer_id":"123","date":{"year":2026}}"#).unwrap();
        assert_eq!(keys.get("customer_id").map(String::as_str), Some("123"));
        assert_eq!(keys.get("year").map(String::as_str), Some("2026"));
        assert!(q.extract(br#"{"customer_id":"1"}"#).unwrap_err().contains("'year'"));
        assert!(q.extract(b"nope").is_err());
    }

    #[test]
    fn other_jq_is_refused_with_the_supported_form() {
        for bad in [".customer_id", "{a: .b | strftime(\"%Y\")}", "{a .b}", "{: .b}"] {
            assert!(MetadataQuery::parse(bad).unwrap_err().contains("{key: .field"), "{bad}");
        }
    }
}
