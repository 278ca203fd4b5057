//! Timed work in virtual time: a queue ordered by due time, then by insertion order, so two
//! tasks due at the same millisecond always run in the order they were scheduled.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduler<T> {
    queue: BTreeMap<(u64, u64), T>,
    next_seq: u64,
}

impl<T> Default for Scheduler<T> {
    fn default() -> Self {
        Self {
            queue: BTreeMap::new(),
            next_seq: 0,
        }
    }
}

impl<T> Scheduler<T> {
    pub fn schedule(&mut self, due_ms: u64, task: T) {
        self.queue.insert((due_ms, self.next_seq), task);
        self.next_seq += 1;
    }

    /// Removes and returns the earliest task due at or before `until_ms`.
    pub fn pop_due(&mut self, until_ms: u64) -> Option<(u64, T)> {
        let entry = self.queue.first_entry()?;
        if entry.key().0 > until_ms {
            return None;
        }
        let ((due, _), task) = entry.remove_entry();
        Some((due, task))
    }

    pub fn next_due_ms(&self) -> Option<u64> {
        self.queue.keys().next().map(|(due, _)| *due)
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}

impl<T: Serialize> Serialize for Scheduler<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // JSON map keys must be strings, so the queue is written as an ordered list.
        let entries: Vec<(u64, u64, &T)> = self
            .queue
            .iter()
            .map(|((due, seq), t)| (*due, *seq, t))
            .collect();
        (self.next_seq, entries).serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Scheduler<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (next_seq, entries) = <(u64, Vec<(u64, u64, T)>)>::deserialize(d)?;
        let queue = entries.into_iter().map(|(due, seq, t)| ((due, seq), t)).collect();
        Ok(Self { queue, next_seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_due_order_then_fifo() {
        let mut s = Scheduler::default();
        s.schedule(30, "c");
        s.schedule(10, "a");
        s.schedule(10, "b");
        assert_eq!(s.next_due_ms(), Some(10));
        assert_eq!(s.pop_due(100), Some((10, "a")));
        assert_eq!(s.pop_due(100), Some((10, "b")));
        assert_eq!(s.pop_due(29), None);
        assert_eq!(s.pop_due(30), Some((30, "c")));
        assert!(s.is_empty());
    }
}
