//! Scenarios: a versioned JSON document describing a whole world's setup (seed, start time,
//! account, streams, delivery streams, catalog, roles, buckets, producers, consumers, user
//! Lambda sources, SQL applications, video streams, playback speed), for teachers to share.
//!
//! Import builds a new world and applies every item through the engine's own API, so the
//! rules and AWS's error texts are the ones the console and `dispatch` use; a refusal names
//! the item's path in the document (`streams[1].shardCount`). Export writes the current
//! setup (not the data: records, objects and metrics are what running the scenario makes).
//! The schema is documented in `docs/scenarios.md`.

mod export;
pub mod link;
mod import;

use std::fmt;

/// The only scenario version so far; documents carry it as `"version": 1`.
pub const SCENARIO_VERSION: u64 = 1;

/// Why a scenario was refused: the field's path, the value and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScenarioError {}

impl From<crate::engine::config_json::ConfigError> for ScenarioError {
    fn from(e: crate::engine::config_json::ConfigError) -> Self {
        ScenarioError(e.0)
    }
}
