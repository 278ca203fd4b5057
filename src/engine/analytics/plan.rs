//! An application's SQL compiled into in-application streams and pumps, or an error naming
//! the first construct the simulator does not run and where it is.

use super::dialect::{self, Header};
use super::error::SqlError;
use super::expr::{ident_name, AggregateCall, Expr, Qualified, Scope};
use super::join::JoinPlan;
use super::schema::SqlType;
use serde::{Deserialize, Serialize};
use sqlparser::ast::{self as ast, Spanned};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Location;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamDef {
    pub name: String,
    pub columns: Vec<(String, SqlType)>,
}

impl StreamDef {
    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|(n, _)| n.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// The streams the SQL declares (the source stream is not among them).
    pub streams: Vec<StreamDef>,
    pub pumps: Vec<PumpPlan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PumpPlan {
    pub name: String,
    pub source: String,
    pub target: String,
    pub filter: Option<Expr>,
    /// One expression per column of the target stream, in its column order.
    pub items: Vec<Expr>,
    pub window: Option<WindowPlan>,
    pub sliding: Option<SlidingPlan>,
    pub join: Option<JoinPlan>,
}

/// A sliding window: each row is emitted with aggregates over the rows of its partition
/// from `range_ms` before it up to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlidingPlan {
    pub partition_by: Vec<Expr>,
    pub range_ms: u64,
    pub aggregates: Vec<AggregateCall>,
}

/// A tumbling window: GROUP BY keys, one of which floors ROWTIME to the window start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowPlan {
    pub keys: Vec<Expr>,
    pub width_ms: u64,
    pub aggregates: Vec<AggregateCall>,
}

/// `references` are the application's reference tables, which queries may JOIN.
pub fn compile(sql: &str, source: &StreamDef, references: &[StreamDef]) -> Result<Program, SqlError> {
    let rewritten = dialect::rewrite(sql)?;
    let statements = Parser::parse_sql(&GenericDialect {}, &rewritten.sql).map_err(parser_error)?;
    if statements.len() != rewritten.headers.len() {
        return Err(SqlError::at(Location { line: 0, column: 0 }, "could not split the SQL into statements; check the semicolons"));
    }
    let mut program = Program { streams: Vec::new(), pumps: Vec::new() };
    for ((statement, header), start) in statements.iter().zip(&rewritten.headers).zip(&rewritten.starts) {
        match (header, statement) {
            (Header::Stream, ast::Statement::CreateTable(t)) => {
                let def = stream_def(t, *start)?;
                if def.name == super::error_stream::ERROR_STREAM {
                    return Err(SqlError::at(*start, "error_stream is the application's error stream; KDA creates it and SQL cannot define it"));
                }
                if def.name == source.name || program.streams.iter().chain(references).any(|s| s.name == def.name) {
                    return Err(SqlError::at(*start, format!("stream \"{}\" is already defined", def.name)));
                }
                program.streams.push(def);
            }
            (Header::Pump(name), ast::Statement::Insert(insert)) => {
                let pump = pump_plan(name, insert, *start, source, &program.streams, references)?;
                program.pumps.push(pump);
            }
            (Header::Pump(_), _) => return Err(SqlError::at(*start, "a pump must be AS INSERT INTO <stream> SELECT STREAM ...")),
            _ => {
                let first = statement.to_string().split_whitespace().take(2).collect::<Vec<_>>().join(" ");
                return Err(SqlError::unsupported(*start, format!("the statement {first}; use CREATE OR REPLACE STREAM or CREATE OR REPLACE PUMP")));
            }
        }
    }
    Ok(program)
}

fn parser_error(e: sqlparser::parser::ParserError) -> SqlError {
    use sqlparser::parser::ParserError as P;
    let text = match e {
        P::TokenizerError(s) | P::ParserError(s) => s,
        P::RecursionLimitExceeded => "the SQL nests too deeply".to_string(),
    };
    // sqlparser ends its messages with " at Line: l, Column: c".
    if let Some((message, place)) = text.rsplit_once(" at Line: ") {
        if let Some((line, column)) = place.split_once(", Column: ") {
            if let (Ok(line), Ok(column)) = (line.trim().parse(), column.trim().parse()) {
                return SqlError { message: message.to_string(), line, column };
            }
        }
    }
    SqlError { message: text, line: 0, column: 0 }
}

fn object_name(name: &ast::ObjectName, at: Location) -> Result<String, SqlError> {
    match name.0.as_slice() {
        [ast::ObjectNamePart::Identifier(id)] => Ok(ident_name(id)),
        _ => Err(SqlError::unsupported(at, format!("the qualified name {name}"))),
    }
}

fn stream_def(t: &ast::CreateTable, start: Location) -> Result<StreamDef, SqlError> {
    let name = object_name(&t.name, start)?;
    if t.columns.is_empty() {
        return Err(SqlError::at(start, format!("stream \"{name}\" needs a column list")));
    }
    let columns = t
        .columns
        .iter()
        .map(|c| {
            let at = if c.name.span.start.line == 0 { start } else { c.name.span.start };
            if !c.options.is_empty() {
                return Err(SqlError::unsupported(at, "column options (constraints, defaults)"));
            }
            let sql_type = SqlType::from_ast(&c.data_type).ok_or_else(|| SqlError::unsupported(at, format!("the type {}", c.data_type)))?;
            Ok((ident_name(&c.name), sql_type))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(StreamDef { name, columns })
}

fn pump_plan(name: &str, insert: &ast::Insert, start: Location, source: &StreamDef, streams: &[StreamDef], references: &[StreamDef]) -> Result<PumpPlan, SqlError> {
    let ast::TableObject::TableName(target_name) = &insert.table else {
        return Err(SqlError::unsupported(start, "INSERT INTO a table function"));
    };
    let target_name = object_name(target_name, start)?;
    let target = streams.iter().find(|s| s.name == target_name).ok_or_else(|| {
        SqlError::at(start, format!("stream \"{target_name}\" is not defined; create it with CREATE OR REPLACE STREAM first"))
    })?;
    let Some(query) = &insert.source else {
        return Err(SqlError::at(start, "a pump needs SELECT STREAM ... after INSERT INTO"));
    };
    if query.with.is_some() || query.order_by.is_some() || query.limit_clause.is_some() || query.fetch.is_some() {
        return Err(SqlError::unsupported(start, "WITH, ORDER BY, LIMIT or FETCH in a pump"));
    }
    let ast::SetExpr::Select(select) = query.body.as_ref() else {
        return Err(SqlError::unsupported(query.body.span().start, "a pump query that is not a single SELECT STREAM (UNION, VALUES, ...)"));
    };
    let select_at = select.select_token.0.span.start;
    let at = if select_at.line == 0 { start } else { select_at };
    reject_clauses(select, at)?;
    let from = read_from(select, at, source, streams, references)?;
    if from.stream.name == target.name {
        return Err(SqlError::at(at, format!("pump \"{name}\" would read the stream it writes")));
    }
    let columns = from.columns;
    let tables = from.tables.as_slice();
    let plain = || Scope { tables, ..Scope::new(&columns, at) };
    let join = match from.join {
        Some((table, on, left)) => Some(JoinPlan { table: table.name.clone(), on: plain().compile(on)?, left, width: table.columns.len() }),
        None => None,
    };
    let filter = match &select.selection {
        Some(e) => Some(plain().compile(e)?),
        None => None,
    };
    let group: &[ast::Expr] = match &select.group_by {
        ast::GroupByExpr::Expressions(keys, modifiers) if modifiers.is_empty() => keys,
        _ => return Err(SqlError::unsupported(at, "GROUP BY ALL or GROUP BY modifiers")),
    };
    let (items, window, sliding) = if group.is_empty() {
        let mut scope = Scope { aggregates: Some(Vec::new()), named_windows: &select.named_window, ..plain() };
        let items = projection(select, &mut scope, &columns, at)?;
        let aggregates = scope.aggregates.take().unwrap_or_default();
        let sliding = match scope.over.take() {
            Some(over) => {
                let mut key_scope = plain();
                let partition_by = over.partition_by.iter().map(|k| key_scope.compile(k)).collect::<Result<Vec<_>, _>>()?;
                Some(SlidingPlan { partition_by, range_ms: over.range_ms, aggregates })
            }
            None => None,
        };
        (items, None, sliding)
    } else {
        let mut key_scope = plain();
        let keys = group.iter().map(|k| key_scope.compile(k)).collect::<Result<Vec<_>, _>>()?;
        let width_ms = keys
            .iter()
            .find_map(|k| match k {
                Expr::Floor { expr, width_ms } if **expr == Expr::Rowtime => Some(*width_ms),
                _ => None,
            })
            .ok_or_else(|| {
                SqlError::at(group[0].span().start, "GROUP BY on a stream needs a ROWTIME window: STEP(ROWTIME BY INTERVAL 'n' SECOND) or FLOOR(ROWTIME TO MINUTE)")
            })?;
        if !select.named_window.is_empty() {
            return Err(SqlError::unsupported(at, "a WINDOW clause together with GROUP BY"));
        }
        let mut scope = Scope { keys: Some(group), aggregates: Some(Vec::new()), ..plain() };
        let items = projection(select, &mut scope, &columns, at)?;
        let aggregates = scope.aggregates.take().unwrap_or_default();
        (items, Some(WindowPlan { keys, width_ms, aggregates }), None)
    };
    let items = bind_to_target(items, insert, target, at)?;
    Ok(PumpPlan { name: name.to_string(), source: from.stream.name.clone(), target: target.name.clone(), filter, items, window, sliding, join })
}

fn reject_clauses(select: &ast::Select, at: Location) -> Result<(), SqlError> {
    let clause = if select.distinct.is_some() {
        "SELECT DISTINCT"
    } else if select.top.is_some() {
        "TOP"
    } else if select.having.is_some() {
        "HAVING"
    } else if select.qualify.is_some() {
        "QUALIFY"
    } else if !select.sort_by.is_empty() || !select.cluster_by.is_empty() || !select.distribute_by.is_empty() {
        "SORT/CLUSTER/DISTRIBUTE BY"
    } else if select.into.is_some() || !select.lateral_views.is_empty() || select.prewhere.is_some() || !select.connect_by.is_empty() {
        "INTO, LATERAL VIEW, PREWHERE or CONNECT BY"
    } else {
        return Ok(());
    };
    Err(SqlError::unsupported(at, clause))
}

/// What a pump reads: a stream, maybe joined to a reference table (the table, its ON
/// condition, whether LEFT), and the columns of the joined row.
struct From<'a> {
    stream: &'a StreamDef,
    join: Option<(&'a StreamDef, &'a ast::Expr, bool)>,
    columns: Vec<String>,
    tables: Vec<Qualified>,
}

fn table_name(factor: &ast::TableFactor) -> Result<(String, Option<String>), SqlError> {
    let at = factor.span().start;
    let ast::TableFactor::Table { name, alias, args: None, .. } = factor else {
        return Err(SqlError::unsupported(at, "FROM something other than a stream name"));
    };
    Ok((object_name(name, at)?, alias.as_ref().map(|a| ident_name(&a.name))))
}

fn read_from<'a>(select: &'a ast::Select, at: Location, source: &'a StreamDef, streams: &'a [StreamDef], references: &'a [StreamDef]) -> Result<From<'a>, SqlError> {
    let [from] = select.from.as_slice() else {
        return Err(SqlError::unsupported(at, "reading from no stream or from several (a comma join)"));
    };
    let (name, alias) = table_name(&from.relation)?;
    let stream = std::iter::once(source)
        .chain(streams)
        .find(|s| s.name == name)
        .ok_or_else(|| SqlError::at(from.relation.span().start, format!("stream \"{name}\" is not defined")))?;
    let mut columns = stream.column_names();
    let mut tables = vec![Qualified { names: std::iter::once(name).chain(alias).collect(), columns: 0..columns.len() }];
    let join = match from.joins.as_slice() {
        [] => None,
        [join] => {
            let place = join.relation.span().start;
            let (on, left) = match &join.join_operator {
                ast::JoinOperator::Join(ast::JoinConstraint::On(on)) | ast::JoinOperator::Inner(ast::JoinConstraint::On(on)) => (on, false),
                ast::JoinOperator::Left(ast::JoinConstraint::On(on)) | ast::JoinOperator::LeftOuter(ast::JoinConstraint::On(on)) => (on, true),
                _ => return Err(SqlError::unsupported(place, "a join other than [LEFT] JOIN <reference table> ON ...")),
            };
            let (name, alias) = table_name(&join.relation)?;
            let table = references.iter().find(|r| r.name == name).ok_or_else(|| {
                SqlError::unsupported(place, format!("JOIN with \"{name}\", which is not a reference table of the application (streams cannot be joined)"))
            })?;
            let first = columns.len();
            columns.extend(table.column_names());
            tables.push(Qualified { names: std::iter::once(name).chain(alias).collect(), columns: first..columns.len() });
            Some((table, on, left))
        }
        [_, extra, ..] => return Err(SqlError::unsupported(extra.relation.span().start, "more than one JOIN")),
    };
    Ok(From { stream, join, columns, tables })
}

fn projection(select: &ast::Select, scope: &mut Scope<'_>, columns: &[String], at: Location) -> Result<Vec<(Option<String>, Expr)>, SqlError> {
    let mut items = Vec::new();
    for item in &select.projection {
        match item {
            ast::SelectItem::UnnamedExpr(e) => items.push((None, scope.compile(e)?)),
            ast::SelectItem::ExprWithAlias { expr, alias } => items.push((Some(ident_name(alias)), scope.compile(expr)?)),
            ast::SelectItem::Wildcard(_) if scope.keys.is_none() => {
                items.extend(columns.iter().enumerate().map(|(i, c)| (Some(c.clone()), Expr::Column(i))));
            }
            other => return Err(SqlError::unsupported(if other.span().start.line == 0 { at } else { other.span().start }, format!("the select item {other}"))),
        }
    }
    Ok(items)
}

/// Orders the SELECT items as the target stream's columns: by the INSERT column list if
/// there is one, else by position. Columns left out get NULL.
fn bind_to_target(items: Vec<(Option<String>, Expr)>, insert: &ast::Insert, target: &StreamDef, at: Location) -> Result<Vec<Expr>, SqlError> {
    let names: Vec<String> = if insert.columns.is_empty() {
        target.column_names()
    } else {
        insert
            .columns
            .iter()
            .map(|c| match c.0.last() {
                Some(ast::ObjectNamePart::Identifier(id)) => Ok(ident_name(id)),
                _ => Err(SqlError::unsupported(at, format!("the column name {c}"))),
            })
            .collect::<Result<_, _>>()?
    };
    if names.len() != items.len() {
        return Err(SqlError::at(at, format!("the SELECT has {} columns but INSERT INTO \"{}\" expects {}", items.len(), target.name, names.len())));
    }
    let mut bound = vec![Expr::Literal(super::value::Value::Null); target.columns.len()];
    for (name, (_, expr)) in names.iter().zip(items) {
        let i = target.columns.iter().position(|(c, _)| c == name).ok_or_else(|| SqlError::at(at, format!("stream \"{}\" has no column \"{name}\"", target.name)))?;
        bound[i] = expr;
    }
    Ok(bound)
}

