//! A shard's entries in fixed-size chunks. Appending never moves what is stored, so a shard
//! holding a day of runs grows by one chunk at a time instead of doubling one buffer: in wasm,
//! whose memory never shrinks, each doubling also left the old buffer behind as a hole.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::VecDeque;

/// Entries per chunk: 256 KiB of 64-byte entries.
const CHUNK: usize = 4096;

/// Oldest first. Every chunk but the first and the last holds exactly [`CHUNK`] entries, so an
/// index finds its chunk by arithmetic.
#[derive(Debug, Clone)]
pub struct Entries<T> {
    chunks: VecDeque<Vec<T>>,
    len: usize,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Self { chunks: VecDeque::new(), len: 0 }
    }
}

impl<T> Entries<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push_back(&mut self, entry: T) {
        match self.chunks.back_mut() {
            Some(last) if last.len() < CHUNK => last.push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(entry);
                self.chunks.push_back(chunk);
            }
        }
        self.len += 1;
    }

    /// The chunk and offset of entry `i`.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        if i >= self.len {
            return None;
        }
        let first = self.chunks.front().map_or(0, Vec::len);
        Some(if i < first { (0, i) } else { (1 + (i - first) / CHUNK, (i - first) % CHUNK) })
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        let (chunk, offset) = self.locate(i)?;
        self.chunks.get(chunk)?.get(offset)
    }

    pub fn front(&self) -> Option<&T> {
        self.chunks.front().and_then(|c| c.first())
    }

    pub fn back(&self) -> Option<&T> {
        self.chunks.back().and_then(|c| c.last())
    }

    /// The index of the first entry for which `pred` is false (entries where it holds come
    /// first), as `slice::partition_point`.
    pub fn partition_point(&self, pred: impl Fn(&T) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid) {
                Some(e) if pred(e) => lo = mid + 1,
                _ => hi = mid,
            }
        }
        lo
    }

    /// Entries from index `from` on, oldest first.
    pub fn range_from(&self, from: usize) -> impl Iterator<Item = &T> {
        let (chunk, offset) = self.locate(from).unwrap_or((self.chunks.len(), 0));
        self.chunks.range(chunk..).enumerate().flat_map(move |(k, c)| c[if k == 0 { offset } else { 0 }..].iter())
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// Drops the oldest `n` entries (all of them if fewer).
    pub fn drop_front(&mut self, mut n: usize) {
        while n > 0 {
            let Some(first) = self.chunks.front_mut() else { break };
            if n >= first.len() {
                n -= first.len();
                self.len -= first.len();
                self.chunks.pop_front();
            } else {
                first.drain(..n);
                self.len -= n;
                n = 0;
            }
        }
    }
}

impl<T: PartialEq> PartialEq for Entries<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for Entries<T> {}

/// Written as one flat list, as the `VecDeque` it replaces was.
impl<T: Serialize> Serialize for Entries<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut entries = Self::default();
        for e in Vec::<T>::deserialize(d)? {
            entries.push_back(e);
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_behave_as_one_queue_through_appends_and_trims() {
        let mut e = Entries::default();
        let mut model = VecDeque::new();
        for round in 0..6usize {
            for i in 0..(CHUNK + 777) {
                e.push_back(round * 100_000 + i);
                model.push_back(round * 100_000 + i);
            }
            let n = (round * 1_234 + 5) % (model.len() + 1);
            e.drop_front(n);
            model.drain(..n);
            assert_eq!(e.len(), model.len());
            assert!(e.iter().eq(model.iter()));
            assert!(e.iter().rev().eq(model.iter().rev()));
            for i in [0, 1, model.len() / 3, model.len().saturating_sub(1), model.len()] {
                assert_eq!(e.get(i), model.get(i), "get {i}");
                assert!(e.range_from(i).eq(model.range(i.min(model.len())..)), "range from {i}");
            }
            let pivot = model.get(model.len() / 2).copied().unwrap_or(0);
            assert_eq!(e.partition_point(|x| *x < pivot), model.partition_point(|x| *x < pivot));
            assert_eq!((e.front(), e.back()), (model.front(), model.back()));
        }
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Entries<usize>>(&text).unwrap(), e);
        assert_eq!(text, serde_json::to_string(&model).unwrap());
    }
}
