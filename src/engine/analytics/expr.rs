//! Scalar expressions of a query, compiled from sqlparser's AST against the columns of the
//! stream they read, and evaluated on one row (or, in a window, on one group).

use super::aggregate::Kind;
use super::error::SqlError;
use super::error_stream::ErrorName;
use super::schema::SqlType;
use super::value::Value;
use serde::{Deserialize, Serialize};
use sqlparser::ast::{self as ast, BinaryOperator, DateTimeField, Spanned, UnaryOperator};
use sqlparser::tokenizer::Location;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    Literal(Value),
    Column(usize),
    Rowtime,
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    IsNull { expr: Box<Expr>, negated: bool },
    /// LIKE and SIMILAR TO with `%` and `_` wildcards.
    Like { expr: Box<Expr>, pattern: String, negated: bool },
    /// FLOOR(t TO unit) and STEP(t BY INTERVAL ...): the start of t's window of `width_ms`.
    Floor { expr: Box<Expr>, width_ms: u64 },
    Cast(Box<Expr>, SqlType),
    /// The value of a GROUP BY key in the current group.
    Key(usize),
    /// The value of the query's n-th aggregate in the current group.
    Aggregate(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    Concat,
}

/// One aggregate call of a query: its function and argument (`None` for COUNT(*)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregateCall {
    pub kind: Kind,
    pub arg: Option<Expr>,
}

/// The columns one stream or table contributes to a query's row, and the names (its own,
/// its alias) that qualify them.
#[derive(Debug, Clone)]
pub struct Qualified {
    pub names: Vec<String>,
    pub columns: std::ops::Range<usize>,
}

/// What names mean while compiling one query.
pub struct Scope<'a> {
    pub columns: &'a [String],
    /// Empty when the query reads one stream: qualifiers are then not checked.
    pub tables: &'a [Qualified],
    /// The GROUP BY expressions of a windowed query; then only they and aggregates may
    /// appear outside aggregate calls.
    pub keys: Option<&'a [ast::Expr]>,
    /// Aggregate calls found so far; `None` where aggregates are not allowed (WHERE, keys).
    pub aggregates: Option<Vec<AggregateCall>>,
    /// Where the statement starts, for constructs sqlparser gives no position.
    pub fallback: Location,
    /// The query's WINDOW clause, where `OVER name` looks.
    pub named_windows: &'a [ast::NamedWindowDefinition],
    /// The sliding window the query's aggregates run over (`OVER`), once one is found.
    pub over: Option<Over>,
}

/// A sliding window: rows of the same partition whose ROWTIME is within `range_ms` before
/// the current row's.
#[derive(Debug, Clone, PartialEq)]
pub struct Over {
    pub partition_by: Vec<ast::Expr>,
    pub range_ms: u64,
}

impl<'a> Scope<'a> {
    /// Names of `columns`, no GROUP BY, no aggregates: WHERE clauses and keys.
    pub fn new(columns: &'a [String], fallback: Location) -> Self {
        Scope { columns, tables: &[], keys: None, aggregates: None, fallback, named_windows: &[], over: None }
    }

    fn place(&self, e: &impl Spanned) -> Location {
        let at = e.span().start;
        if at.line == 0 { self.fallback } else { at }
    }

    pub fn compile(&mut self, e: &ast::Expr) -> Result<Expr, SqlError> {
        if let Some(i) = self.keys.and_then(|keys| keys.iter().position(|k| k == e)) {
            return Ok(Expr::Key(i));
        }
        let at = self.place(e);
        Ok(match e {
            ast::Expr::Identifier(id) => self.column(None, id, at)?,
            ast::Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [id] => self.column(None, id, at)?,
                [qualifier, id] => self.column(Some(qualifier), id, at)?,
                _ => return Err(SqlError::unsupported(at, format!("the name {e}"))),
            },
            ast::Expr::Value(v) => Expr::Literal(literal(&v.value, at)?),
            ast::Expr::Nested(inner) => self.compile(inner)?,
            ast::Expr::BinaryOp { left, op, right } => {
                let op = bin_op(op).ok_or_else(|| SqlError::unsupported(at, format!("operator {op}")))?;
                Expr::Binary(op, Box::new(self.compile(left)?), Box::new(self.compile(right)?))
            }
            ast::Expr::UnaryOp { op, expr } => match op {
                UnaryOperator::Not => Expr::Not(Box::new(self.compile(expr)?)),
                UnaryOperator::Minus => Expr::Neg(Box::new(self.compile(expr)?)),
                UnaryOperator::Plus => self.compile(expr)?,
                other => return Err(SqlError::unsupported(at, format!("operator {other}"))),
            },
            ast::Expr::IsNull(inner) => Expr::IsNull { expr: Box::new(self.compile(inner)?), negated: false },
            ast::Expr::IsNotNull(inner) => Expr::IsNull { expr: Box::new(self.compile(inner)?), negated: true },
            ast::Expr::Like { negated, any: false, expr, pattern, escape_char: None }
            | ast::Expr::SimilarTo { negated, expr, pattern, escape_char: None } => {
                let ast::Expr::Value(ast::ValueWithSpan { value: ast::Value::SingleQuotedString(p), .. }) = pattern.as_ref() else {
                    return Err(SqlError::unsupported(self.place(pattern.as_ref()), "a pattern that is not a string literal"));
                };
                Expr::Like { expr: Box::new(self.compile(expr)?), pattern: p.clone(), negated: *negated }
            }
            ast::Expr::Floor { expr, field: ast::CeilFloorKind::DateTimeField(unit) } => {
                let width_ms = unit_ms(unit, 1).ok_or_else(|| SqlError::unsupported(at, format!("FLOOR(... TO {unit})")))?;
                Expr::Floor { expr: Box::new(self.compile(expr)?), width_ms }
            }
            ast::Expr::Cast { expr, data_type, .. } => {
                let t = SqlType::from_ast(data_type).ok_or_else(|| SqlError::unsupported(at, format!("type {data_type}")))?;
                Expr::Cast(Box::new(self.compile(expr)?), t)
            }
            ast::Expr::Function(f) => self.function(f, at)?,
            other => return Err(SqlError::unsupported(at, construct_name(other))),
        })
    }

    fn column(&self, qualifier: Option<&ast::Ident>, id: &ast::Ident, at: Location) -> Result<Expr, SqlError> {
        let name = ident_name(id);
        if name == "ROWTIME" {
            return if self.keys.is_some() && self.aggregates.is_some() {
                Err(SqlError::at(at, "ROWTIME must be inside an aggregate or a GROUP BY window in a windowed query"))
            } else {
                Ok(Expr::Rowtime)
            };
        }
        let range = match (qualifier, self.tables.is_empty()) {
            (Some(q), false) => {
                let q = ident_name(q);
                let table = self.tables.iter().find(|t| t.names.contains(&q)).ok_or_else(|| SqlError::at(at, format!("\"{q}\" names no stream or table of this query")))?;
                table.columns.clone()
            }
            _ => 0..self.columns.len(),
        };
        let matches: Vec<usize> = range.filter(|i| self.columns.get(*i) == Some(&name)).collect();
        let index = match matches.as_slice() {
            [i] => *i,
            [] => return Err(SqlError::at(at, format!("column \"{name}\" not found; the query reads {}", self.columns.join(", ")))),
            _ => return Err(SqlError::at(at, format!("column \"{name}\" is ambiguous; qualify it with its stream or table"))),
        };
        if self.keys.is_some() && self.aggregates.is_some() {
            return Err(SqlError::at(at, format!("column \"{name}\" must appear in GROUP BY or inside an aggregate")));
        }
        Ok(Expr::Column(index))
    }

    fn function(&mut self, f: &ast::Function, at: Location) -> Result<Expr, SqlError> {
        let name = f.name.to_string().to_ascii_uppercase();
        if let Some(window) = &f.over {
            if Kind::named(&name).is_none() || self.keys.is_some() || self.aggregates.is_none() {
                return Err(SqlError::unsupported(at, format!("{name}(...) OVER here; OVER goes on COUNT, SUM, AVG, MIN or MAX in the SELECT list of a query without GROUP BY")));
            }
            let over = self.window(window, at)?;
            match &self.over {
                Some(seen) if *seen != over => return Err(SqlError::unsupported(at, "aggregates over different sliding windows in one query")),
                _ => self.over = Some(over),
            }
        } else if Kind::named(&name).is_some() && self.keys.is_none() && self.aggregates.is_some() {
            return Err(SqlError::at(at, format!("{name} on a stream needs a window: GROUP BY ... STEP(ROWTIME BY INTERVAL ...) or {name}(...) OVER a sliding window")));
        }
        let ast::FunctionArguments::List(list) = &f.args else {
            return Err(SqlError::unsupported(at, format!("function {name} without an argument list")));
        };
        if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
            return Err(SqlError::unsupported(at, format!("DISTINCT or clauses inside {name}(...)")));
        }
        let args: Vec<&ast::FunctionArgExpr> = list
            .args
            .iter()
            .map(|a| match a {
                ast::FunctionArg::Unnamed(e) => Ok(e),
                _ => Err(SqlError::unsupported(at, "named function arguments")),
            })
            .collect::<Result<_, _>>()?;
        if let Some(kind) = Kind::named(&name) {
            return self.aggregate(kind, &args, at);
        }
        match (name.as_str(), args.as_slice()) {
            ("STEP", [ast::FunctionArgExpr::Expr(t), ast::FunctionArgExpr::Expr(ast::Expr::Interval(i))]) => {
                let width_ms = interval_ms(i).ok_or_else(|| SqlError::unsupported(at, format!("STEP interval {i}")))?;
                Ok(Expr::Floor { expr: Box::new(self.compile(t)?), width_ms })
            }
            ("STEP", _) => Err(SqlError::at(at, "STEP needs (ROWTIME BY INTERVAL 'n' SECOND|MINUTE|HOUR)")),
            _ => Err(SqlError::unsupported(at, format!("function {name}"))),
        }
    }

    fn window(&self, window: &ast::WindowType, at: Location) -> Result<Over, SqlError> {
        let spec = match window {
            ast::WindowType::WindowSpec(spec) => spec,
            ast::WindowType::NamedWindow(id) => {
                let found = self.named_windows.iter().find(|w| w.0.value.eq_ignore_ascii_case(&id.value));
                match found.map(|w| &w.1) {
                    Some(ast::NamedWindowExpr::WindowSpec(spec)) => spec,
                    Some(_) => return Err(SqlError::unsupported(at, "a window defined as another window")),
                    None => return Err(SqlError::at(at, format!("window {id} is not defined in the WINDOW clause"))),
                }
            }
        };
        let range_ms = match &spec.window_frame {
            Some(ast::WindowFrame { units: ast::WindowFrameUnits::Range, start_bound: ast::WindowFrameBound::Preceding(Some(e)), end_bound: None }) => match e.as_ref() {
                ast::Expr::Interval(i) => interval_ms(i),
                _ => None,
            },
            _ => None,
        };
        let range_ms = range_ms.ok_or_else(|| SqlError::unsupported(at, "a window other than (PARTITION BY ... RANGE INTERVAL 'n' SECOND|MINUTE|HOUR PRECEDING)"))?;
        if !spec.order_by.is_empty() || spec.window_name.is_some() {
            return Err(SqlError::unsupported(at, "ORDER BY inside a window (rows are in ROWTIME order)"));
        }
        Ok(Over { partition_by: spec.partition_by.clone(), range_ms })
    }

    fn aggregate(&mut self, kind: Kind, args: &[&ast::FunctionArgExpr], at: Location) -> Result<Expr, SqlError> {
        let arg = match (kind, args) {
            (Kind::Count, [ast::FunctionArgExpr::Wildcard]) => None,
            (_, [ast::FunctionArgExpr::Expr(e)]) => Some(e),
            _ => return Err(SqlError::at(at, format!("{kind:?} takes one argument").to_ascii_uppercase())),
        };
        let Some(mut found) = self.aggregates.take() else {
            return Err(SqlError::at(at, "aggregates are only allowed in the SELECT list"));
        };
        // Inside an aggregate, columns and ROWTIME of each row are visible again.
        let mut inner = Scope { tables: self.tables, ..Scope::new(self.columns, self.fallback) };
        let arg = arg.map(|e| inner.compile(e)).transpose();
        let arg = match arg {
            Ok(a) => a,
            Err(e) => {
                self.aggregates = Some(found);
                return Err(e);
            }
        };
        found.push(AggregateCall { kind, arg });
        let index = found.len() - 1;
        self.aggregates = Some(found);
        Ok(Expr::Aggregate(index))
    }
}

/// Unquoted identifiers are upper-cased, as KDA does; quoted ones keep their case.
pub fn ident_name(id: &ast::Ident) -> String {
    if id.quote_style.is_some() { id.value.clone() } else { id.value.to_ascii_uppercase() }
}

fn literal(v: &ast::Value, at: Location) -> Result<Value, SqlError> {
    Ok(match v {
        ast::Value::Number(n, _) => match n.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(n.parse().map_err(|_| SqlError::at(at, format!("bad number {n}")))?),
        },
        ast::Value::SingleQuotedString(s) => Value::Text(s.clone()),
        ast::Value::Boolean(b) => Value::Bool(*b),
        ast::Value::Null => Value::Null,
        other => return Err(SqlError::unsupported(at, format!("literal {other}"))),
    })
}

fn bin_op(op: &BinaryOperator) -> Option<BinOp> {
    Some(match op {
        BinaryOperator::Plus => BinOp::Add,
        BinaryOperator::Minus => BinOp::Sub,
        BinaryOperator::Multiply => BinOp::Mul,
        BinaryOperator::Divide => BinOp::Div,
        BinaryOperator::Modulo => BinOp::Mod,
        BinaryOperator::Eq => BinOp::Eq,
        BinaryOperator::NotEq => BinOp::NotEq,
        BinaryOperator::Lt => BinOp::Lt,
        BinaryOperator::LtEq => BinOp::LtEq,
        BinaryOperator::Gt => BinOp::Gt,
        BinaryOperator::GtEq => BinOp::GtEq,
        BinaryOperator::And => BinOp::And,
        BinaryOperator::Or => BinOp::Or,
        BinaryOperator::StringConcat => BinOp::Concat,
        _ => return None,
    })
}

fn unit_ms(unit: &DateTimeField, n: u64) -> Option<u64> {
    let ms = match unit {
        DateTimeField::Second | DateTimeField::Seconds => 1_000,
        DateTimeField::Minute | DateTimeField::Minutes => 60_000,
        DateTimeField::Hour | DateTimeField::Hours => 3_600_000,
        DateTimeField::Day | DateTimeField::Days => 86_400_000,
        _ => return None,
    };
    n.checked_mul(ms).filter(|w| *w > 0)
}

fn interval_ms(i: &ast::Interval) -> Option<u64> {
    let ast::Expr::Value(ast::ValueWithSpan { value: ast::Value::SingleQuotedString(n), .. }) = i.value.as_ref() else { return None };
    if i.last_field.is_some() {
        return None;
    }
    unit_ms(i.leading_field.as_ref()?, n.trim().parse().ok()?)
}

/// The name of an expression kind for "not supported" errors: its SQL's first words.
fn construct_name(e: &ast::Expr) -> String {
    let text = e.to_string();
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    format!("the expression {}", words.join(" "))
}

/// What an evaluation sees: the row, and in a window the group's keys and aggregates.
pub struct Context<'a> {
    pub values: &'a [Value],
    pub rowtime: u64,
    pub keys: &'a [Value],
    pub aggregates: &'a [Value],
}

/// A value an expression cannot compute (division by zero, a CAST that does not fit): the
/// row goes to `error_stream` instead of on with a NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub name: ErrorName,
    pub message: String,
}

impl Expr {
    pub fn eval(&self, cx: &Context<'_>) -> Result<Value, EvalError> {
        Ok(match self {
            Expr::Literal(v) => v.clone(),
            Expr::Column(i) => cx.values.get(*i).cloned().unwrap_or(Value::Null),
            Expr::Rowtime => Value::Time(cx.rowtime),
            Expr::Key(i) => cx.keys.get(*i).cloned().unwrap_or(Value::Null),
            Expr::Aggregate(i) => cx.aggregates.get(*i).cloned().unwrap_or(Value::Null),
            Expr::Binary(op, l, r) => binary(*op, l.eval(cx)?, r.eval(cx)?)?,
            Expr::Not(e) => match e.eval(cx)? {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Null,
            },
            Expr::Neg(e) => match e.eval(cx)? {
                Value::Int(i) => Value::Int(i.wrapping_neg()),
                Value::Float(f) => Value::Float(-f),
                _ => Value::Null,
            },
            Expr::IsNull { expr, negated } => Value::Bool((expr.eval(cx)? == Value::Null) != *negated),
            Expr::Like { expr, pattern, negated } => match expr.eval(cx)? {
                Value::Text(s) => Value::Bool(like(&s, pattern) != *negated),
                _ => Value::Null,
            },
            Expr::Floor { expr, width_ms } => match expr.eval(cx)? {
                Value::Time(t) => Value::Time(t - t % width_ms),
                _ => Value::Null,
            },
            Expr::Cast(e, t) => {
                let v = e.eval(cx)?;
                let shown = v.to_json();
                t.coerce(v).ok_or_else(|| EvalError { name: ErrorName::Coercion, message: format!("CAST({shown} AS {}): the value cannot be converted", t.sql()) })?
            }
        })
    }
}

fn binary(op: BinOp, l: Value, r: Value) -> Result<Value, EvalError> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    Ok(match op {
        BinOp::And => match (l, r) {
            (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
            (Value::Bool(true), Value::Bool(true)) => Value::Bool(true),
            _ => Value::Null,
        },
        BinOp::Or => match (l, r) {
            (Value::Bool(true), _) | (_, Value::Bool(true)) => Value::Bool(true),
            (Value::Bool(false), Value::Bool(false)) => Value::Bool(false),
            _ => Value::Null,
        },
        BinOp::Concat => match (l, r) {
            (Value::Null, _) | (_, Value::Null) => Value::Null,
            (a, b) => Value::Text(a.display() + &b.display()),
        },
        BinOp::Eq | BinOp::NotEq | BinOp::Lt | BinOp::LtEq | BinOp::Gt | BinOp::GtEq => match l.compare(&r) {
            None => Value::Null,
            Some(o) => Value::Bool(match op {
                BinOp::Eq => o == Equal,
                BinOp::NotEq => o != Equal,
                BinOp::Lt => o == Less,
                BinOp::LtEq => o != Greater,
                BinOp::Gt => o == Greater,
                _ => o != Less,
            }),
        },
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => arithmetic(op, l, r)?,
    })
}

/// Division (and remainder) by zero is an error row, as AWS lists among runtime errors.
fn arithmetic(op: BinOp, l: Value, r: Value) -> Result<Value, EvalError> {
    if matches!(op, BinOp::Div | BinOp::Mod) && r.as_f64() == Some(0.0) && l != Value::Null {
        let message = format!("division by zero: {} {} 0", l.to_json(), if op == BinOp::Div { "/" } else { "%" });
        return Err(EvalError { name: ErrorName::Arithmetic, message });
    }
    if let (Value::Int(a), Value::Int(b)) = (&l, &r) {
        let (a, b) = (*a, *b);
        return Ok(match op {
            BinOp::Add => Value::Int(a.wrapping_add(b)),
            BinOp::Sub => Value::Int(a.wrapping_sub(b)),
            BinOp::Mul => Value::Int(a.wrapping_mul(b)),
            // i64::MIN / -1 overflows: no value rather than a crash.
            BinOp::Div => a.checked_div(b).map_or(Value::Null, Value::Int),
            _ => a.checked_rem(b).map_or(Value::Null, Value::Int),
        });
    }
    let (Some(a), Some(b)) = (l.as_f64(), r.as_f64()) else { return Ok(Value::Null) };
    Ok(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        _ => a % b,
    }))
}

/// SQL LIKE: `%` any run of characters, `_` one character.
fn like(s: &str, pattern: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    // Iterative matching with backtracking to the last `%`: linear memory, no recursion.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if j < p.len() && (p[j] == '_' || p[j] == s[i]) {
            i += 1;
            j += 1;
        } else if j < p.len() && p[j] == '%' {
            star = Some((j, i));
            j += 1;
        } else if let Some((sj, si)) = star {
            j = sj + 1;
            i = si + 1;
            star = Some((sj, si + 1));
        } else {
            return false;
        }
    }
    p[j..].iter().all(|c| *c == '%')
}
