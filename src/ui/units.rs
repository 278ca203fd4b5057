//! Numbers as the console prints them.

/// Bytes in B, KiB or MiB, as AWS's consoles count them (powers of 1,024).
pub fn format_bytes(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
