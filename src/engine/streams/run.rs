//! Runs: a built-in producer's records kept as one entry per PutRecords call and shard
//! instead of one entry per record (issue 8: a simulated day of 345 M records must fit in a
//! browser tab). A record of a run is found again by regenerating the call's records and
//! keeping those whose key hashes into the shard's range, so a run stores no per-record data.

use super::hashing::HashKeyRange;
use super::sources::SourceId;
use crate::engine::producers::generator::{Moment, Route, Source};
use serde::{Deserialize, Serialize};
use std::ops::Deref;

/// One PutRecords call's worth of a source's records: indexes `first..first + len`, all
/// created (and arrived) at `created_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub source: SourceId,
    pub created_ms: u64,
    pub first: u64,
    pub len: u32,
}

/// The records of a batch that one shard holds: in batch order, those whose key hashes into
/// `range`, skipping the first `skip` of them and taking `take`. A shard accepts a prefix of
/// each call's records for it (see `records.rs`), so skip and take describe any stored run and
/// any part of one a reader takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSlice {
    pub batch: Batch,
    pub range: HashKeyRange,
    pub skip: u32,
    pub take: u32,
}

/// One record of a run as regenerated: its index in the source and its route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunRecord {
    pub index: u64,
    pub route: Route,
}

impl RunSlice {
    /// The slice's records in order, regenerated from `source` (the batch's, looked up by the
    /// caller once per slice: a `&Source`, or an `Rc` for an iterator that outlives the borrow).
    pub fn records<S: Deref<Target = Source>>(self, source: S) -> impl Iterator<Item = RunRecord> {
        let (b, at) = (self.batch, Moment::at(self.batch.created_ms));
        (b.first..b.first + u64::from(b.len))
            .map(move |index| RunRecord { index, route: source.route_at(index, &at) })
            .filter(move |r| self.range.contains(r.route.hash))
            .skip(self.skip as usize)
            .take(self.take as usize)
    }

    /// The part of this slice from its `from`-th record, `take` records long.
    pub fn part(&self, from: u32, take: u32) -> RunSlice {
        RunSlice { skip: self.skip + from, take: take.min(self.take.saturating_sub(from)), ..*self }
    }
}
