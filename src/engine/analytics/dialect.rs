//! The Kinesis SQL dialect, rewritten token by token into SQL that sqlparser's generic
//! dialect parses: `CREATE OR REPLACE STREAM` becomes `CREATE TABLE`, a pump's
//! `CREATE OR REPLACE PUMP p AS` prefix is blanked, `SELECT STREAM` loses `STREAM` and
//! `STEP(x BY INTERVAL ...)` becomes `STEP(x, INTERVAL ...)`. Every rewrite keeps each
//! remaining token at its original line and column, so parser errors point into the
//! author's text.

use super::error::SqlError;
use sqlparser::dialect::GenericDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

/// What a statement of the script declares, known before sqlparser sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    Stream,
    Pump(String),
    /// Anything else; the planner rejects it by what sqlparser makes of it.
    Other,
}

#[derive(Debug)]
pub struct Rewritten {
    pub sql: String,
    /// One per non-empty statement, in order.
    pub headers: Vec<Header>,
    /// Where each non-empty statement starts.
    pub starts: Vec<Location>,
}

pub fn rewrite(sql: &str) -> Result<Rewritten, SqlError> {
    let tokens = Tokenizer::new(&GenericDialect {}, sql)
        .tokenize_with_location()
        .map_err(|e| SqlError::at(e.location, e.message))?;
    let offsets = LineOffsets::new(sql);
    let mut out = sql.as_bytes().to_vec();
    let mut headers = Vec::new();
    let mut starts = Vec::new();
    let significant: Vec<&TokenWithSpan> =
        tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    for statement in significant.split(|t| t.token == Token::SemiColon) {
        let Some(first) = statement.first() else { continue };
        if first.token == Token::EOF {
            continue;
        }
        starts.push(first.span.start);
        headers.push(rewrite_header(statement, &offsets, &mut out)?);
        rewrite_body(statement, &offsets, &mut out);
    }
    // Only ASCII bytes were written over ASCII tokens, so the text stays UTF-8.
    let sql = String::from_utf8(out).map_err(|_| SqlError::at(Location { line: 0, column: 0 }, "the SQL text is not valid UTF-8"))?;
    Ok(Rewritten { sql, headers, starts })
}

fn is(token: &TokenWithSpan, keyword: Keyword) -> bool {
    matches!(&token.token, Token::Word(w) if w.keyword == keyword && w.quote_style.is_none())
}

fn is_word(token: &TokenWithSpan, word: &str) -> bool {
    matches!(&token.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
}

fn rewrite_header(s: &[&TokenWithSpan], offsets: &LineOffsets, out: &mut [u8]) -> Result<Header, SqlError> {
    let create_or_replace = s.len() > 3 && is(s[0], Keyword::CREATE) && is(s[1], Keyword::OR) && is(s[2], Keyword::REPLACE);
    if !create_or_replace {
        return Ok(Header::Other);
    }
    if is_word(s[3], "STREAM") {
        blank(out, offsets, s[1], s[2]);
        // "STREAM" (6 letters) becomes "TABLE " in place.
        write(out, offsets, s[3], "TABLE");
        return Ok(Header::Stream);
    }
    if is_word(s[3], "PUMP") {
        let name = match s.get(4).map(|t| &t.token) {
            Some(Token::Word(w)) => name_of(w),
            _ => return Err(SqlError::at(s[3].span.end, "CREATE OR REPLACE PUMP needs a pump name")),
        };
        let Some(as_token) = s.get(5).filter(|t| is(t, Keyword::AS)) else {
            return Err(SqlError::at(s[4].span.end, "expected AS INSERT INTO ... after the pump name"));
        };
        blank(out, offsets, s[0], as_token);
        return Ok(Header::Pump(name));
    }
    Err(SqlError::unsupported(s[3].span.start, format!("CREATE OR REPLACE {}", s[3].token)))
}

fn rewrite_body(s: &[&TokenWithSpan], offsets: &LineOffsets, out: &mut [u8]) {
    for (i, t) in s.iter().enumerate() {
        if is(t, Keyword::SELECT) && s.get(i + 1).is_some_and(|n| is_word(n, "STREAM")) {
            blank(out, offsets, s[i + 1], s[i + 1]);
        }
        // STEP ( <expr> BY INTERVAL: the first BY at depth one after STEP( becomes a comma.
        if is_word(t, "STEP") && s.get(i + 1).is_some_and(|n| n.token == Token::LParen) {
            let mut depth = 0i32;
            for n in &s[i + 1..] {
                match n.token {
                    Token::LParen => depth += 1,
                    Token::RParen => depth -= 1,
                    _ => {}
                }
                if depth <= 0 {
                    break;
                }
                if depth == 1 && is(n, Keyword::BY) {
                    write(out, offsets, n, ",");
                    break;
                }
            }
        }
    }
}

/// Unquoted identifiers are upper-cased, as KDA does; quoted ones keep their case.
pub fn name_of(word: &sqlparser::tokenizer::Word) -> String {
    if word.quote_style.is_some() {
        word.value.clone()
    } else {
        word.value.to_ascii_uppercase()
    }
}

/// Spaces over the tokens from `from` to `to`, keeping line breaks between them.
fn blank(out: &mut [u8], offsets: &LineOffsets, from: &TokenWithSpan, to: &TokenWithSpan) {
    let (Some(a), Some(b)) = (offsets.byte(from.span.start), offsets.byte(to.span.end)) else { return };
    for byte in out.iter_mut().take(b).skip(a) {
        if *byte != b'\n' && *byte != b'\r' {
            *byte = b' ';
        }
    }
}

/// `text` over a token (padded with spaces); `text` is never longer than the token.
fn write(out: &mut [u8], offsets: &LineOffsets, token: &TokenWithSpan, text: &str) {
    blank(out, offsets, token, token);
    let Some(a) = offsets.byte(token.span.start) else { return };
    if let Some(slot) = out.get_mut(a..a + text.len()) {
        slot.copy_from_slice(text.as_bytes());
    }
}

/// Byte offsets of (line, column) positions, columns counted in characters as sqlparser does.
struct LineOffsets<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineOffsets<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, line_starts }
    }

    fn byte(&self, at: Location) -> Option<usize> {
        let start = *self.line_starts.get(usize::try_from(at.line).ok()?.checked_sub(1)?)?;
        let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
        let line = &self.text[start..];
        match line.char_indices().nth(column) {
            Some((i, _)) => Some(start + i),
            None => Some(self.text.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_keep_positions() {
        let r = rewrite("CREATE OR REPLACE STREAM \"D\" (a INT);\nCREATE OR REPLACE PUMP p AS INSERT INTO \"D\"\nSELECT STREAM a FROM s GROUP BY STEP(s.ROWTIME BY INTERVAL '60' SECOND);").unwrap();
        assert_eq!(r.headers, vec![Header::Stream, Header::Pump("P".into())]);
        assert_eq!(
            r.sql,
            "CREATE            TABLE  \"D\" (a INT);\n                            INSERT INTO \"D\"\nSELECT        a FROM s GROUP BY STEP(s.ROWTIME ,  INTERVAL '60' SECOND);"
        );
    }
}
