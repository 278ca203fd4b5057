//! Maps keyed by tuples, written in JSON as lists of `[key, value]` entries: JSON object keys
//! must be strings, and a map that fails to serialise would leave it out of the state hash and
//! of snapshots. Use with `#[serde(with = "crate::engine::map_entries")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(map: &BTreeMap<K, V>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(map.iter())
}

pub fn deserialize<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<K, V>, D::Error> {
    Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
}
