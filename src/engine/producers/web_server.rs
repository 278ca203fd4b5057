//! A simulated web server serving the producer's API and logging each request to a virtual
//! file, the file the Kinesis Agent tails. Each generated record becomes one request line.

use super::generator::Planned;
use crate::engine::clock::format_utc;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogFormat {
    /// `host ident authuser [datetime] "request" status bytes`
    CommonApache,
    /// Common plus `"referrer" "agent"`.
    CombinedApache,
    /// `timestamp,client,method,path,status,bytes` under a header line.
    Csv,
}

impl LogFormat {
    pub const NAMES: [&'static str; 3] = ["COMMONAPACHELOG", "COMBINEDAPACHELOG", "CSV"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "COMMONAPACHELOG" => Some(Self::CommonApache),
            "COMBINEDAPACHELOG" => Some(Self::CombinedApache),
            "CSV" => Some(Self::Csv),
            _ => None,
        }
    }

    pub fn default_path(self) -> &'static str {
        match self {
            Self::Csv => "/var/log/app/requests.csv",
            Self::CommonApache | Self::CombinedApache => "/var/log/httpd/access_log",
        }
    }
}

const CSV_HEADER: &str = "timestamp,client,method,path,status,bytes";
const USER_AGENTS: [&str; 3] = ["Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)", "curl/8.5.0"];

/// The log file: lines not yet read by every reader, numbered from the file's start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualLogFile {
    pub path: String,
    pub format: LogFormat,
    lines: VecDeque<String>,
    /// Number of the first line still held.
    first_line: u64,
}

impl VirtualLogFile {
    pub fn new(path: &str, format: LogFormat) -> Self {
        let mut file = Self { path: path.to_string(), format, lines: VecDeque::new(), first_line: 0 };
        if format == LogFormat::Csv {
            file.lines.push_back(CSV_HEADER.to_string());
        }
        file
    }

    /// Total lines ever written (the next line's number).
    pub fn end(&self) -> u64 {
        self.first_line + self.lines.len() as u64
    }

    /// Lines from number `from` on.
    pub fn lines_from(&self, from: u64) -> impl Iterator<Item = (u64, &String)> {
        let skip = from.saturating_sub(self.first_line) as usize;
        self.lines.iter().enumerate().skip(skip).map(|(i, l)| (self.first_line + i as u64, l))
    }

    /// Forgets lines before `line` (every reader is past them).
    pub fn release_before(&mut self, line: u64) {
        while self.first_line < line && self.lines.pop_front().is_some() {
            self.first_line += 1;
        }
    }

    /// Logs the request that served `record` (record number `index`) at `now_ms`.
    pub fn log_request(&mut self, index: u64, record: &Planned, now_ms: u64) {
        // Clients and outcomes vary with the index, deterministically.
        let client = format!("203.0.113.{}", index.wrapping_mul(37) % 254 + 1);
        let method = if index.is_multiple_of(5) { "POST" } else { "GET" };
        let status = [200, 200, 200, 200, 200, 200, 201, 304, 404, 500][(index % 10) as usize];
        let path = format!("/api/{}", record.partition_key);
        let bytes = record.size;
        let line = match self.format {
            LogFormat::Csv => format!("{},{client},{method},{path},{status},{bytes}", format_utc(now_ms)),
            LogFormat::CommonApache | LogFormat::CombinedApache => {
                let mut line = format!("{client} - - [{}] \"{method} {path} HTTP/1.1\" {status} {bytes}", apache_time(now_ms));
                if self.format == LogFormat::CombinedApache {
                    line.push_str(&format!(" \"-\" \"{}\"", USER_AGENTS[(index % 3) as usize]));
                }
                line
            }
        };
        self.lines.push_back(line);
    }
}

/// `01/Jan/2026:00:00:05 +0000`, Apache's `%t` without brackets.
fn apache_time(ms: u64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let utc = format_utc(ms); // 2026-01-01 00:00:05 UTC
    let (date, time) = (utc.get(0..10).unwrap_or("1970-01-01"), utc.get(11..19).unwrap_or("00:00:00"));
    let month = date.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1);
    format!("{}/{}/{}:{time} +0000", date.get(8..10).unwrap_or("01"), MONTHS[(month + 11) % 12], date.get(0..4).unwrap_or("1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_logged_in_apache_and_csv_formats() {
        let record = Planned { partition_key: "p00042".into(), size: 120 };
        let mut combined = VirtualLogFile::new("/var/log/httpd/access_log", LogFormat::CombinedApache);
        combined.log_request(1, &record, 1_767_225_605_000);
        let (_, line) = combined.lines_from(0).next().unwrap();
        assert_eq!(line, "203.0.113.38 - - [01/Jan/2026:00:00:05 +0000] \"GET /api/p00042 HTTP/1.1\" 200 120 \"-\" \"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)\"");
        let mut csv = VirtualLogFile::new("/var/log/app/requests.csv", LogFormat::Csv);
        csv.log_request(0, &record, 1_767_225_605_000);
        let lines: Vec<&String> = csv.lines_from(0).map(|(_, l)| l).collect();
        assert_eq!(lines, ["timestamp,client,method,path,status,bytes", "2026-01-01 00:00:05 UTC,203.0.113.1,POST,/api/p00042,200,120"]);
        csv.release_before(1);
        assert_eq!(csv.lines_from(0).count(), 1);
        assert_eq!(csv.end(), 2);
    }
}
