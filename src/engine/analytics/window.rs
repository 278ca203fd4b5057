//! Tumbling windows: rows grouped by their GROUP BY keys, one of which is the window's start
//! on ROWTIME; a window's groups are emitted once ROWTIME passes its end. Sliding windows:
//! each row with aggregates over the rows just before it.

use super::aggregate::Accumulator;
use super::expr::{Context, EvalError, Expr};
use super::plan::{SlidingPlan, WindowPlan};
use super::value::Value;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub keys: Vec<Value>,
    pub accumulators: Vec<Accumulator>,
}

/// Open groups, by window start and then by their keys (as JSON text, a total order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OpenWindows {
    #[serde(with = "crate::engine::map_entries")]
    groups: BTreeMap<(u64, String), Group>,
}

impl OpenWindows {
    /// Adds a row to its group; a key or argument that cannot be computed leaves the
    /// window as it was.
    pub fn add(&mut self, plan: &WindowPlan, values: &[Value], rowtime: u64) -> Result<(), EvalError> {
        let cx = Context { values, rowtime, keys: &[], aggregates: &[] };
        let keys: Vec<Value> = plan.keys.iter().map(|k| k.eval(&cx)).collect::<Result<_, _>>()?;
        // COUNT(*) counts rows: any non-NULL stands in for the row.
        let args: Vec<Value> = plan.aggregates.iter().map(|a| a.arg.as_ref().map_or(Ok(Value::Bool(true)), |e| e.eval(&cx))).collect::<Result<_, _>>()?;
        let start = rowtime - rowtime % plan.width_ms;
        let id = serde_json::to_string(&keys).unwrap_or_default();
        let group = self.groups.entry((start, id)).or_insert_with(|| Group {
            keys,
            accumulators: plan.aggregates.iter().map(|a| Accumulator::new(a.kind)).collect(),
        });
        for (acc, v) in group.accumulators.iter_mut().zip(&args) {
            acc.add(v);
        }
        Ok(())
    }

    /// The groups of every window that ends at or before `now`, as output rows stamped
    /// with their window's end, oldest window first.
    pub fn close(&mut self, plan: &WindowPlan, items: &[Expr], now: u64) -> Vec<(u64, Result<Vec<Value>, EvalError>)> {
        let mut out = Vec::new();
        while let Some(entry) = self.groups.first_entry() {
            let end = entry.key().0.saturating_add(plan.width_ms);
            if end > now {
                break;
            }
            let group = entry.remove();
            let aggregates: Vec<Value> = group.accumulators.iter().map(Accumulator::value).collect();
            let cx = Context { values: &[], rowtime: end, keys: &group.keys, aggregates: &aggregates };
            out.push((end, items.iter().map(|e| e.eval(&cx)).collect()));
        }
        out
    }
}

/// Recent rows of each partition of a sliding window, as the aggregate arguments they carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlidingRows {
    partitions: BTreeMap<String, VecDeque<(u64, Vec<Value>)>>,
}

impl SlidingRows {
    /// Adds a row and answers the aggregates over its partition's window, the row included:
    /// a sliding window emits on each new row, never when rows only age out.
    pub fn add(&mut self, plan: &SlidingPlan, values: &[Value], rowtime: u64) -> Result<Vec<Value>, EvalError> {
        let cx = Context { values, rowtime, keys: &[], aggregates: &[] };
        let partition: Vec<Value> = plan.partition_by.iter().map(|e| e.eval(&cx)).collect::<Result<_, _>>()?;
        let args = plan.aggregates.iter().map(|a| a.arg.as_ref().map_or(Ok(Value::Bool(true)), |e| e.eval(&cx))).collect::<Result<_, _>>()?;
        let rows = self.partitions.entry(serde_json::to_string(&partition).unwrap_or_default()).or_default();
        rows.push_back((rowtime, args));
        let from = rowtime.saturating_sub(plan.range_ms);
        while rows.front().is_some_and(|(t, _)| *t < from) {
            rows.pop_front();
        }
        let mut accumulators: Vec<Accumulator> = plan.aggregates.iter().map(|a| Accumulator::new(a.kind)).collect();
        for (_, args) in rows.iter() {
            for (acc, v) in accumulators.iter_mut().zip(args) {
                acc.add(v);
            }
        }
        Ok(accumulators.iter().map(Accumulator::value).collect())
    }
}
