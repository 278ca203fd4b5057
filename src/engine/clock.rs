//! Virtual time: milliseconds since the Unix epoch, advanced only by the simulation.

use serde::Serialize;
use time::{macros::format_description, OffsetDateTime};

/// 2026-01-01T00:00:00Z, the default start of a new world.
pub const DEFAULT_START_MS: u64 = 1_767_225_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    let nanos = i128::from(ms) * 1_000_000;
    match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => t
            .format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
            ))
            .unwrap_or_else(|_| format!("{ms} ms")),
        // Only reachable past year 9999, which the clock cannot reach in practice.
        Err(_) => format!("{ms} ms since epoch"),
    }
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
}
