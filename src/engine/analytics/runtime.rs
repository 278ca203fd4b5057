//! The in-application streams and pumps of a running application: rows entering the source
//! stream flow through pumps into other streams, and windows close as ROWTIME advances.

use super::plan::{Program, PumpPlan, StreamDef};
use super::value::Value;
use super::window::{OpenWindows, SlidingRows};
use super::expr::{Context, EvalError};
use super::join::join;
use super::error_stream::{self, ErrorName, ERROR_STREAM};
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
    /// The virtual time of the latest `advance`, the ERROR_TIME of errors found since.
    now: u64,
}

impl Runtime {
    /// `references`: the rows of each reference table, by table name.
    pub fn new(program: Program, source: StreamDef, references: BTreeMap<String, Vec<Vec<Value>>>) -> Self {
        let mut streams = BTreeMap::new();
        for def in [source, error_stream::def()].into_iter().chain(program.streams.iter().cloned()) {
            streams.insert(def.name.clone(), InAppStream { def, recent: VecDeque::new(), total: 0 });
        }
        let windows = vec![OpenWindows::default(); program.pumps.len()];
        let sliding = vec![SlidingRows::default(); program.pumps.len()];
        Self { program, streams, references, windows, sliding, inserted: Vec::new(), chain_cut: 0, now: 0 }
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
            // Rows the pump emits, and errors with the values they came from.
            let mut out = Vec::new();
            let mut errors = Vec::new();
            let joined = match &pump.join {
                Some(plan) => join(plan, &row.values, row.rowtime, self.references.get(&plan.table).map_or(&[], Vec::as_slice)),
                None => Ok(vec![row.values.clone()]),
            };
            for values in joined.unwrap_or_else(|e| {
                errors.push((e, row.values.clone()));
                Vec::new()
            }) {
                let result = pump_row(pump, &mut self.windows[i], &mut self.sliding[i], &values, row.rowtime);
                match result {
                    Ok(emitted) => out.extend(emitted),
                    Err(e) => errors.push((e, values.clone())),
                }
            }
            let (name, target) = (pump.name.clone(), pump.target.clone());
            for (e, values) in errors {
                self.report(e.name, &e.message, row.rowtime, &values_json(&values), Some(&name));
            }
            for r in out {
                self.emit(&name, &target, r, depth);
            }
        }
    }

    /// Stores a pump's row in its target with the target's column types, then runs on. A
    /// value that does not fit its column sends the row to `error_stream` instead.
    fn emit(&mut self, pump: &str, target: &str, row: Row, depth: usize) {
        let Some(def) = self.streams.get(target).map(|s| &s.def) else { return };
        let mut values = Vec::with_capacity(row.values.len());
        for ((column, t), v) in def.columns.iter().zip(&row.values) {
            match t.coerce(v.clone()) {
                Some(fitted) => values.push(fitted),
                None => {
                    let message = format!("{} cannot be converted to column {column} {} of stream \"{target}\"", v.to_json(), t.sql());
                    return self.report(ErrorName::Coercion, &message, row.rowtime, &values_json(&row.values), Some(pump));
                }
            }
        }
        self.insert_at_depth(target, Row { rowtime: row.rowtime, values }, depth + 1);
    }

    /// A runtime error: a row of `error_stream` (see [`error_stream::row`]).
    pub fn report(&mut self, name: ErrorName, message: &str, rowtime: u64, data: &[u8], pump: Option<&str>) {
        let values = error_stream::row(self.now, name, message, rowtime, data, pump);
        self.insert_at_depth(ERROR_STREAM, Row { rowtime: self.now, values }, 0);
    }

    /// ROWTIME reaches `now`: windows ending by then emit their rows, in pump order.
    pub fn advance(&mut self, now: u64) {
        self.now = self.now.max(now);
        for i in 0..self.program.pumps.len() {
            let pump = &self.program.pumps[i];
            let Some(plan) = &pump.window else { continue };
            let (name, target) = (pump.name.clone(), pump.target.clone());
            let rows = self.windows[i].close(plan, &pump.items, now);
            for (rowtime, values) in rows {
                match values {
                    Ok(values) => self.emit(&name, &target, Row { rowtime, values }, 0),
                    Err(e) => self.report(e.name, &e.message, rowtime, b"", Some(&name)),
                }
            }
        }
    }

    /// The rows inserted into any stream since the last call.
    pub fn drain_inserted(&mut self) -> Vec<(String, Row)> {
        std::mem::take(&mut self.inserted)
    }
}

/// What a pump makes of one row it reads: nothing (filtered out, or added to a tumbling
/// window), or the row it emits; or the error that stops the row.
fn pump_row(pump: &PumpPlan, windows: &mut OpenWindows, sliding: &mut SlidingRows, values: &[Value], rowtime: u64) -> Result<Option<Row>, EvalError> {
    let cx = Context { values, rowtime, keys: &[], aggregates: &[] };
    if let Some(f) = &pump.filter {
        if !f.eval(&cx)?.truthy() {
            return Ok(None);
        }
    }
    if let Some(plan) = &pump.window {
        windows.add(plan, values, rowtime)?;
        return Ok(None);
    }
    let aggregates = match &pump.sliding {
        Some(plan) => sliding.add(plan, values, rowtime)?,
        None => Vec::new(),
    };
    let cx = Context { aggregates: &aggregates, ..cx };
    let values = pump.items.iter().map(|e| e.eval(&cx)).collect::<Result<_, _>>()?;
    Ok(Some(Row { rowtime, values }))
}

/// A pump's row as DATA_ROW shows it: its values as a JSON array.
fn values_json(values: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&values.iter().map(Value::to_json).collect::<Vec<_>>()).unwrap_or_default()
}
