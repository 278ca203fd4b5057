//! Full snapshots of a world, for saving a tab's work and restoring it exactly.
//!
//! A snapshot is the world's state JSON (what [`Sim::state_hash`] digests) in an envelope
//! with that hash and what the state JSON leaves out on purpose: the bytes of recorded video
//! (host input; the state keeps their MD5). Restoring checks the hash again, so a truncated
//! or edited save is refused instead of producing a world that never existed. Derived data
//! the state leaves out (Zipf key weights) is rebuilt from the fields it derives from.

use super::Sim;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use thiserror::Error;

/// The envelope's version; a restore refuses others. 2: built-in producers' records are
/// references to the world's sources, not bytes.
pub const SNAPSHOT_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SnapshotError {
    #[error("The snapshot is not valid JSON: {0}")]
    NotJson(String),
    #[error("kinesimSnapshot must be {SNAPSHOT_VERSION}; got {0}")]
    Version(String),
    #[error("The snapshot's world does not match the saved state: {0}")]
    World(String),
    #[error("The snapshot is damaged: its world hashes to {found}, but it was saved as {saved}")]
    Hash { saved: String, found: String },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotOut<'a> {
    kinesim_snapshot: u32,
    state_hash: String,
    world: &'a Sim,
    video_media: BTreeMap<&'a str, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotIn<'a> {
    kinesim_snapshot: serde_json::Value,
    state_hash: String,
    #[serde(borrow)]
    world: &'a RawValue,
    #[serde(default)]
    video_media: BTreeMap<String, Vec<String>>,
}

impl Sim {
    /// The whole world as JSON: restoring it gives the same state hash and, stepped alike,
    /// the same future.
    pub fn snapshot(&self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        let video_media = self.video.media().into_iter().map(|(name, media)| (name, media.iter().map(|m| b64.encode(m)).collect())).collect();
        let out = SnapshotOut { kinesim_snapshot: SNAPSHOT_VERSION, state_hash: self.state_hash(), world: self, video_media };
        // Serialising plain data to a String cannot fail; the fallback keeps this panic-free.
        serde_json::to_string(&out).unwrap_or_default()
    }

    /// A new world from [`Sim::snapshot`]'s text; the caller's world is not involved.
    pub fn restore(text: &str) -> Result<Sim, SnapshotError> {
        let envelope: SnapshotIn = serde_json::from_str(text).map_err(|e| SnapshotError::NotJson(e.to_string()))?;
        if envelope.kinesim_snapshot != serde_json::json!(SNAPSHOT_VERSION) {
            return Err(SnapshotError::Version(envelope.kinesim_snapshot.to_string()));
        }
        let mut sim: Sim = serde_json::from_str(envelope.world.get()).map_err(|e| SnapshotError::World(e.to_string()))?;
        let found = sim.state_hash();
        if found != envelope.state_hash {
            return Err(SnapshotError::Hash { saved: envelope.state_hash, found });
        }
        sim.producers.restore_derived().map_err(SnapshotError::World)?;
        sim.kinesis.sources.restore_derived().map_err(SnapshotError::World)?;
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut media = BTreeMap::new();
        for (name, fragments) in envelope.video_media {
            let bytes: Result<Vec<Vec<u8>>, _> = fragments.iter().map(|f| b64.decode(f)).collect();
            media.insert(name.clone(), bytes.map_err(|e| SnapshotError::World(format!("video stream {name}: media is not base64: {e}")))?);
        }
        sim.video
            .put_back_media(media)
            .map_err(|name| SnapshotError::World(format!("video stream {name}: the saved media does not match its fragments")))?;
        Ok(sim)
    }
}
