//! COUNT, SUM, AVG, MIN and MAX over the rows of one group of a window.

use super::value::Value;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

impl Kind {
    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "COUNT" => Kind::Count,
            "SUM" => Kind::Sum,
            "AVG" => Kind::Avg,
            "MIN" => Kind::Min,
            "MAX" => Kind::Max,
            _ => return None,
        })
    }
}

/// Running state of one aggregate; NULL inputs are skipped as SQL requires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accumulator {
    kind: Kind,
    count: u64,
    int_sum: i64,
    float_sum: f64,
    /// True once a non-integer was added: SUM then answers a DOUBLE.
    floating: bool,
    extreme: Option<Value>,
}

impl Accumulator {
    pub fn new(kind: Kind) -> Self {
        Self { kind, count: 0, int_sum: 0, float_sum: 0.0, floating: false, extreme: None }
    }

    pub fn add(&mut self, v: &Value) {
        if *v == Value::Null {
            return;
        }
        self.count += 1;
        match v {
            Value::Int(i) => {
                self.int_sum = self.int_sum.wrapping_add(*i);
                self.float_sum += *i as f64;
            }
            other => {
                if let Some(f) = other.as_f64() {
                    self.floating = true;
                    self.float_sum += f;
                }
            }
        }
        let wanted = match self.kind {
            Kind::Min => Ordering::Less,
            Kind::Max => Ordering::Greater,
            _ => return,
        };
        let replace = match &self.extreme {
            None => true,
            Some(e) => v.compare(e) == Some(wanted),
        };
        if replace {
            self.extreme = Some(v.clone());
        }
    }

    pub fn value(&self) -> Value {
        match self.kind {
            Kind::Count => Value::Int(i64::try_from(self.count).unwrap_or(i64::MAX)),
            _ if self.count == 0 => Value::Null,
            Kind::Sum if self.floating => Value::Float(self.float_sum),
            Kind::Sum => Value::Int(self.int_sum),
            Kind::Avg => Value::Float(self.float_sum / self.count as f64),
            Kind::Min | Kind::Max => self.extreme.clone().unwrap_or(Value::Null),
        }
    }
}
