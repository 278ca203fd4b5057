//! User timing measures around the console's per-frame work, `kinesim:advance` (the engine)
//! and `kinesim:render` (yew's views and DOM patches): DevTools' performance panel shows them
//! and `benches/frames.mjs` splits each frame's time by them. Each mark and measure is cleared
//! as soon as it is made, so the page's timeline buffer does not grow by two entries a frame;
//! traces and performance observers have seen it by then.

use web_sys::Performance;

/// A measured span of a frame's work: its measure's name and the mark that starts it.
pub struct Span {
    name: &'static str,
    start_mark: &'static str,
}

pub const ADVANCE: Span = Span { name: "kinesim:advance", start_mark: "kinesim:advance-start" };
pub const RENDER: Span = Span { name: "kinesim:render", start_mark: "kinesim:render-start" };

fn performance() -> Option<Performance> {
    web_sys::window()?.performance()
}

/// Real milliseconds since the page opened.
pub fn now_ms() -> f64 {
    performance().map_or(0.0, |p| p.now())
}

impl Span {
    pub fn begin(&self) {
        if let Some(p) = performance() {
            let _ = p.mark(self.start_mark);
        }
    }

    /// Ends the span begun last; without a begun span there is nothing to measure.
    pub fn end(&self) {
        if let Some(p) = performance() {
            let _ = p.measure_with_start_mark(self.name, self.start_mark);
            p.clear_marks_with_mark_name(self.start_mark);
            p.clear_measures_with_measure_name(self.name);
        }
    }
}
