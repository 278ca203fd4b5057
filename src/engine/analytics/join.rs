//! A stream joined to a reference table (loaded from S3 when the application starts): each
//! row pairs with every reference row the ON condition accepts; a LEFT join keeps rows
//! without a match, with NULLs for the table's columns.

use super::expr::{Context, EvalError, Expr};
use super::value::Value;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinPlan {
    pub table: String,
    pub on: Expr,
    pub left: bool,
    /// Columns of the reference table, the NULLs an unmatched LEFT row gets.
    pub width: usize,
}

/// The stream row's values followed by each matching reference row's values.
pub fn join(plan: &JoinPlan, values: &[Value], rowtime: u64, table: &[Vec<Value>]) -> Result<Vec<Vec<Value>>, EvalError> {
    let mut out = Vec::new();
    for reference in table {
        let joined: Vec<Value> = values.iter().chain(reference).cloned().collect();
        let cx = Context { values: &joined, rowtime, keys: &[], aggregates: &[] };
        if plan.on.eval(&cx)?.truthy() {
            out.push(joined);
        }
    }
    if out.is_empty() && plan.left {
        out.push(values.iter().cloned().chain(std::iter::repeat_n(Value::Null, plan.width)).collect());
    }
    Ok(out)
}
