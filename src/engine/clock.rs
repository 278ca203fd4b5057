//! Virtual time: milliseconds since the Unix epoch, advanced only by the simulation.

use serde::{Deserialize, Serialize};
use time::{macros::format_description, OffsetDateTime, PrimitiveDateTime};

/// 2026-01-01T00:00:00Z, the default start of a new world.
pub const DEFAULT_START_MS: u64 = 1_767_225_600_000;

/// Playback speeds the console offers, as simulated seconds per real second; a scenario's
/// `speed` is one of them.
pub const PLAYBACK_SPEEDS: [u32; 5] = [1, 10, 60, 600, 3600];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualClock {
    now_ms: u64,
}

impl VirtualClock {
    pub fn starting_at(now_ms: u64) -> Self {
        Self { now_ms }
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Moves the clock to `ms`; time never runs backwards, so earlier values are ignored.
    pub fn set(&mut self, ms: u64) {
        self.now_ms = self.now_ms.max(ms);
    }
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::starting_at(DEFAULT_START_MS)
    }
}

/// `2026-01-01 00:00:00 UTC`; the form the console shows for simulated time.
pub fn format_utc(ms: u64) -> String {
    format_with(ms, format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC"))
}

/// `2026-01-01T00:00:05.250Z`: ISO 8601 with milliseconds, as HLS program dates use.
pub fn format_iso8601_ms(ms: u64) -> String {
    format_with(
        ms,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"),
    )
}

/// Reads a UTC date-time typed the way [`format_utc`] shows it: `2026-01-01 00:00:05`, with
/// optional milliseconds (`.250`), an optional `T` between date and time, and an optional
/// trailing `UTC` or `Z`. `None` when it is not such a date-time.
pub fn parse_utc(text: &str) -> Option<u64> {
    let t = text.trim();
    let t = t.strip_suffix("UTC").or_else(|| t.strip_suffix('Z')).unwrap_or(t).trim_end().replacen('T', " ", 1);
    let parsed = PrimitiveDateTime::parse(&t, format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"))
        .or_else(|_| {
            PrimitiveDateTime::parse(
                &t,
                format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond]"),
            )
        })
        .ok()?;
    let ms = parsed.assume_utc().unix_timestamp_nanos() / 1_000_000;
    u64::try_from(ms).ok()
}

fn format_with(ms: u64, description: &[time::format_description::BorrowedFormatItem<'_>]) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| t.format(description).ok())
        // Only reachable past year 9999, which the clock cannot reach in practice.
        .unwrap_or_else(|| format!("{ms} ms since epoch"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_start_is_new_year_2026() {
        assert_eq!(
            format_utc(VirtualClock::default().now_ms()),
            "2026-01-01 00:00:00 UTC"
        );
    }

    #[test]
    fn clock_never_runs_backwards() {
        let mut c = VirtualClock::starting_at(10);
        c.set(5);
        assert_eq!(c.now_ms(), 10);
        c.set(20);
        assert_eq!(c.now_ms(), 20);
    }

    #[test]
    fn formats_leap_day_and_end_of_hour() {
        // 2028-02-29T23:59:59Z
        assert_eq!(format_utc(1_835_481_599_000), "2028-02-29 23:59:59 UTC");
    }

    #[test]
    fn parses_what_it_shows() {
        let ms = DEFAULT_START_MS + 5_250;
        assert_eq!(parse_utc(&format_utc(DEFAULT_START_MS + 5_000)), Some(DEFAULT_START_MS + 5_000));
        assert_eq!(parse_utc("2026-01-01 00:00:05.250"), Some(ms));
        assert_eq!(parse_utc(" 2026-01-01T00:00:05.25Z "), Some(ms));
        assert_eq!(parse_utc("2026-01-01"), None);
        assert_eq!(parse_utc("1969-12-31 23:59:59"), None, "before the epoch");
        assert_eq!(parse_utc("2026-02-30 00:00:00"), None);
    }

    #[test]
    fn iso8601_keeps_milliseconds() {
        assert_eq!(format_iso8601_ms(DEFAULT_START_MS + 5_250), "2026-01-01T00:00:05.250Z");
    }
}
