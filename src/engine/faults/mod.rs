//! Injected faults, a feature of the world: throttling storms, consumer crashes, Lambda errors
//! and timeouts, S3 AccessDenied. Each is scheduled in virtual time (start, duration), part of
//! the world's state (so the state hash covers it), listed with what it did so far, and
//! removable. A fault only switches a service into a degraded mode (`effects`); what follows
//! (throttling answers and retries, duplicates, error records, retried deliveries) is each
//! service's ordinary behaviour, as AWS's would be.

pub mod effects;
pub mod spec;

use effects::{Effects, Observed, Targets};
use serde::{Deserialize, Serialize};
use spec::{FaultKind, FaultSpec, FaultTarget};
use std::collections::{BTreeMap, VecDeque};

/// How many fault events the log keeps.
pub const KEPT_EVENTS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultState {
    Scheduled,
    Active,
    Ended,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub id: String,
    /// Its order of injection, which breaks ties between overlapping faults.
    pub number: u64,
    pub spec: FaultSpec,
    pub starts_ms: u64,
    pub ends_ms: u64,
    pub state: FaultState,
    /// The target's counters when the fault started; effects are measured from them.
    baseline: Effects,
    /// What the fault did, frozen when it ended.
    ended_effects: Effects,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultChange {
    Scheduled,
    Started,
    Ended,
    Cleared,
}

/// One line of the fault log, with the fault's effects so far when it ended or was cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultEvent {
    pub at_ms: u64,
    pub fault: String,
    pub kind: FaultKind,
    pub change: FaultChange,
    pub effects: Effects,
}

/// A fault as `faults()` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultView {
    pub id: String,
    #[serde(flatten)]
    pub spec: FaultSpec,
    pub state: FaultState,
    pub starts_at_ms: u64,
    pub ends_at_ms: u64,
    /// Until it starts (scheduled) or ends (active); 0 once ended.
    pub remaining_ms: u64,
    pub effects: Effects,
}

/// The scheduler's work for a fault: its start or its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultTask {
    pub id: String,
    pub start: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults {
    faults: BTreeMap<u64, Fault>,
    next_number: u64,
    events: VecDeque<FaultEvent>,
}

impl Faults {
    /// Records a checked fault; returns it and the tasks that start and end it.
    pub fn add(&mut self, spec: FaultSpec, now_ms: u64) -> (String, [(u64, FaultTask); 2]) {
        self.next_number += 1;
        let number = self.next_number;
        let id = format!("fault-{number}");
        let starts_ms = now_ms.saturating_add(spec.start_after_seconds.saturating_mul(1000));
        let ends_ms = starts_ms.saturating_add(spec.duration_seconds.saturating_mul(1000));
        let kind = spec.kind;
        self.faults.insert(
            number,
            Fault { id: id.clone(), number, spec, starts_ms, ends_ms, state: FaultState::Scheduled, baseline: Effects::new(), ended_effects: Effects::new() },
        );
        self.log(now_ms, &id, kind, FaultChange::Scheduled, Effects::new());
        let tasks = [(starts_ms, FaultTask { id: id.clone(), start: true }), (ends_ms, FaultTask { id: id.clone(), start: false })];
        (id, tasks)
    }

    /// A fault's number and state, by id.
    fn find(&self, id: &str) -> Option<(u64, FaultState)> {
        self.faults.values().find(|f| f.id == id).map(|f| (f.number, f.state))
    }

    /// Runs a fault's start or end; a task for a fault cleared meanwhile does nothing.
    pub fn run_task(&mut self, now_ms: u64, task: FaultTask, t: &mut Targets) {
        let Some((number, state)) = self.find(&task.id) else { return };
        match (task.start, state) {
            (true, FaultState::Scheduled) => {
                let Some(f) = self.faults.get_mut(&number) else { return };
                f.baseline = t.measure(&f.spec);
                f.state = FaultState::Active;
                let (id, kind, target) = (f.id.clone(), f.spec.kind, f.spec.target.clone());
                t.announce(now_ms, f, FaultChange::Started);
                t.reconcile(now_ms, &target, self.active());
                self.log(now_ms, &id, kind, FaultChange::Started, Effects::new());
            }
            (false, FaultState::Active) => self.end(now_ms, number, FaultChange::Ended, t),
            _ => {}
        }
    }

    /// Applies the storms in force again, so shards a reshard opened meanwhile run at the
    /// reduced capacity too.
    pub fn reapply_storms(&self, now_ms: u64, t: &mut Targets) {
        let mut streams: Vec<&FaultTarget> = self.active().filter(|f| f.spec.kind == FaultKind::ThrottlingStorm).map(|f| &f.spec.target).collect();
        streams.dedup();
        for target in streams {
            t.reconcile(now_ms, target, self.active());
        }
    }

    /// Ends an active fault (its effects frozen) and logs why.
    fn end(&mut self, now_ms: u64, number: u64, change: FaultChange, t: &mut Targets) {
        let Some(f) = self.faults.get_mut(&number) else { return };
        let effects = if f.state == FaultState::Active { effects::since(&f.baseline, &t.measure(&f.spec)) } else { Effects::new() };
        f.state = FaultState::Ended;
        f.ended_effects = effects.clone();
        let (id, kind, target) = (f.id.clone(), f.spec.kind, f.spec.target.clone());
        t.announce(now_ms, f, change);
        t.reconcile(now_ms, &target, self.active());
        self.log(now_ms, &id, kind, change, effects);
    }

    /// Removes a fault from the list, ending it first if it is active. False if unknown.
    pub fn clear(&mut self, now_ms: u64, id: &str, t: &mut Targets) -> bool {
        let Some((number, state)) = self.find(id) else { return false };
        if state != FaultState::Ended {
            self.end(now_ms, number, FaultChange::Cleared, t);
        }
        self.faults.remove(&number);
        true
    }

    fn active(&self) -> impl Iterator<Item = &Fault> + Clone {
        self.faults.values().filter(|f| f.state == FaultState::Active)
    }

    fn log(&mut self, at_ms: u64, fault: &str, kind: FaultKind, change: FaultChange, effects: Effects) {
        if self.events.len() == KEPT_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(FaultEvent { at_ms, fault: fault.to_string(), kind, change, effects });
    }

    /// Every fault not cleared, in injection order, with its effects so far.
    pub fn list(&self, now_ms: u64, t: &Observed) -> Vec<FaultView> {
        self.faults
            .values()
            .map(|f| FaultView {
                id: f.id.clone(),
                spec: f.spec.clone(),
                state: f.state,
                starts_at_ms: f.starts_ms,
                ends_at_ms: f.ends_ms,
                remaining_ms: match f.state {
                    FaultState::Scheduled => f.starts_ms.saturating_sub(now_ms),
                    FaultState::Active => f.ends_ms.saturating_sub(now_ms),
                    FaultState::Ended => 0,
                },
                effects: match f.state {
                    FaultState::Scheduled => Effects::new(),
                    FaultState::Active => effects::since(&f.baseline, &t.measure(&f.spec)),
                    FaultState::Ended => f.ended_effects.clone(),
                },
            })
            .collect()
    }

    /// The fault log, newest first.
    pub fn events(&self) -> impl Iterator<Item = &FaultEvent> {
        self.events.iter().rev()
    }
}
