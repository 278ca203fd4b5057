//! The in-application streams and pumps of a running application: rows entering the source
//! stream flow through pumps into other streams, and windows close as ROWTIME advances.

use super::plan::{Program, StreamDef};
use super::value::Value;
use super::window::{OpenWindows, SlidingRows};
use super::expr::Context;
use super::join::join;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Rows kept per stream for the results pane.
pub const RECENT_ROWS: usize = 200;
/// Pump chains deeper than this are cut (a cycle of pumps would never end).
const MAX_CHAIN: usize = 16;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub rowtime: u64,
    pub values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InAppStream {
    pub def: StreamDef,
    pub recent: VecDeque<Row>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Runtime {
    pub program: Program,
    pub streams: BTreeMap<String, InAppStream>,
    references: BTreeMap<String, Vec<Vec<Value>>>,
    windows: Vec<OpenWindows>,
    sliding: Vec<SlidingRows>,
    /// Rows inserted since the last drain, for outputs to deliver.
    inserted: Vec<(String, Row)>,
    pub chain_cut: u64,
}

impl Runtime {
    /// `references`: the rows of each reference table, by table name.
    pub fn new(program: Program, source: StreamDef, references: BTreeMap<String, Vec<Vec<Value>>>) -> Self {
        let mut streams = BTreeMap::new();
        for def in std::iter::once(source).chain(program.streams.iter().cloned()) {
            streams.insert(def.name.clone(), InAppStream { def, recent: VecDeque::new(), total: 0 });
        }
        let windows = vec![OpenWindows::default(); program.pumps.len()];
        let sliding = vec![SlidingRows::default(); program.pumps.len()];
        Self { program, streams, references, windows, sliding, inserted: Vec::new(), chain_cut: 0 }
    }

    /// A row entering `stream` at `rowtime`, then everything the pumps make of it.
    pub fn insert(&mut self, stream: &str, row: Row) {
        self.insert_at_depth(stream, row, 0);
    }

    fn insert_at_depth(&mut self, stream: &str, row: Row, depth: usize) {
        if depth > MAX_CHAIN {
            self.chain_cut += 1;
            return;
        }
        let Some(s) = self.streams.get_mut(stream) else { return };
        s.total += 1;
        if s.recent.len() == RECENT_ROWS {
            s.recent.pop_front();
        }
        s.recent.push_back(row.clone());
        self.inserted.push((stream.to_string(), row.clone()));
        for i in 0..self.program.pumps.len() {
            let pump = &self.program.pumps[i];
            if pump.source != stream {
                continue;
            }
            let joined = match &pump.join {
                Some(plan) => join(plan, &row.values, row.rowtime, self.references.get(&plan.table).map_or(&[], Vec::as_slice)),
                None => vec![row.values.clone()],
            };
            let mut out = Vec::new();
            for values in joined {
                let cx = Context { values: &values, rowtime: row.rowtime, keys: &[], aggregates: &[] };
                if pump.filter.as_ref().is_some_and(|f| !f.eval(&cx).truthy()) {
                    continue;
                }
                match (&pump.window, &pump.sliding) {
                    (Some(plan), _) => self.windows[i].add(plan, &values, row.rowtime),
                    (None, sliding) => {
                        let aggregates = sliding.as_ref().map(|plan| self.sliding[i].add(plan, &values, row.rowtime)).unwrap_or_default();
                        let cx = Context { aggregates: &aggregates, ..cx };
                        out.push(Row { rowtime: row.rowtime, values: pump.items.iter().map(|e| e.eval(&cx)).collect() });
                    }
                }
            }
            let target = pump.target.clone();
            for r in out {
                self.emit(&target, r, depth);
            }
        }
    }

    /// Stores a pump's row in its target with the target's column types, then runs on.
    fn emit(&mut self, target: &str, row: Row, depth: usize) {
        let Some(def) = self.streams.get(target).map(|s| &s.def) else { return };
        let values = def.columns.iter().zip(row.values).map(|((_, t), v)| t.coerce(v).unwrap_or(Value::Null)).collect();
        self.insert_at_depth(target, Row { rowtime: row.rowtime, values }, depth + 1);
    }

    /// ROWTIME reaches `now`: windows ending by then emit their rows, in pump order.
    pub fn advance(&mut self, now: u64) {
        for i in 0..self.program.pumps.len() {
            let pump = &self.program.pumps[i];
            let Some(plan) = &pump.window else { continue };
            let target = pump.target.clone();
            let rows = self.windows[i].close(plan, &pump.items, now);
            for (rowtime, values) in rows {
                self.emit(&target, Row { rowtime, values }, 0);
            }
        }
    }

    /// The rows inserted into any stream since the last call.
    pub fn drain_inserted(&mut self) -> Vec<(String, Row)> {
        std::mem::take(&mut self.inserted)
    }
}
