//! Numbers as the console prints them.

/// The inline style of a gauge's fill at `fraction` (0 to 1) of its bar: a horizontal scale, so
/// a gauge that moves several times a second is redrawn by the compositor, without layout.
pub fn bar_fill(fraction: f64) -> String {
    format!("transform:scaleX({:.3})", fraction.clamp(0.0, 1.0))
}

/// Bytes in B, KiB or MiB, as AWS's consoles count them (powers of 1,024).
pub fn format_bytes(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
