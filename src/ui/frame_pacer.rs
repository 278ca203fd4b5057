//! How much virtual time each animation frame runs. The chosen speed asks for `speed x real
//! elapsed`; the engine gets a bounded share of the frame's real time (its budget), in slices,
//! so the page keeps painting at x3600. What the budget could not run is owed to the next
//! frames, up to one long frame's worth: a device that cannot keep up runs as fast as it can
//! instead of falling ever further behind, and the reached speed says so.

/// Longest real-time gap one frame may account for: a tab that slept for minutes resumes
/// where it paused instead of leaping ahead by hours at x3600.
const MAX_FRAME_GAP_MS: f64 = 250.0;
/// Virtual time of a frame's first engine slice; the next slices are sized from its cost.
const FIRST_SLICE_MS: f64 = 100.0;
/// The largest slice, however cheap the last one was: the next virtual minute may hold a burst
/// of work (a consumer catching up, a reshard).
const MAX_SLICE_MS: f64 = 60_000.0;
/// Cost below which a slice's timing says nothing (`performance.now()` is coarsened).
const MIN_MEASURABLE_MS: f64 = 0.1;
/// Budget left that is not worth another slice.
const MIN_LEFT_MS: f64 = 0.5;
/// Real time over which the reached speed is measured.
const SPEED_WINDOW_MS: f64 = 1_000.0;
/// Below this share of the chosen speed, the simulation is said not to keep up.
const KEEPING_UP: f64 = 0.9;

#[derive(Debug, Default)]
pub struct FramePacer {
    last_frame_ms: Option<f64>,
    /// Virtual milliseconds asked for and not yet run, fractions included.
    owed_ms: f64,
    /// Start (real) of the current speed window and the virtual time run since.
    window_start_ms: Option<f64>,
    window_virtual_ms: f64,
    /// Speed reached over the last whole window, when it fell short of the chosen one.
    lagging: Option<u32>,
}

impl FramePacer {
    /// Forgets the last frame and any debt: after a pause the clock resumes from where it is.
    pub fn restart(&mut self) {
        *self = Self::default();
    }

    /// A new speed: what the old one asked for and did not run is no longer owed.
    pub fn speed_changed(&mut self) {
        self.owed_ms = self.owed_ms.fract();
        self.window_start_ms = self.last_frame_ms;
        self.window_virtual_ms = 0.0;
        self.lagging = None;
    }

    /// The speed the simulation reached over the last second, when it is below the chosen one.
    pub fn lagging_speed(&self) -> Option<u32> {
        self.lagging
    }

    /// Runs the frame seen at real time `frame_ms` (the animation frame's timestamp) at
    /// `speed`: calls `advance` with slices of virtual time until `budget_ms` of real time
    /// (read with `now_ms`) is used. Returns the virtual milliseconds run.
    pub fn frame(&mut self, frame_ms: f64, speed: u32, budget_ms: f64, now_ms: impl Fn() -> f64, mut advance: impl FnMut(u64)) -> u64 {
        let Some(last) = self.last_frame_ms.replace(frame_ms) else {
            self.window_start_ms = Some(frame_ms);
            return 0;
        };
        let speed = f64::from(speed);
        let real = (frame_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
        self.owed_ms = (self.owed_ms + real * speed).min(MAX_FRAME_GAP_MS * speed);

        let deadline = now_ms() + budget_ms;
        let mut slice = FIRST_SLICE_MS;
        let mut ran = 0u64;
        while self.owed_ms >= 1.0 {
            let step = self.owed_ms.floor().min(slice);
            let started = now_ms();
            advance(step as u64);
            let finished = now_ms();
            self.owed_ms -= step;
            ran += step as u64;
            let left = deadline - finished;
            if left <= MIN_LEFT_MS {
                break;
            }
            // The next slice should take about half the budget left, at the rate just seen.
            let cost = (finished - started).max(MIN_MEASURABLE_MS);
            slice = (step * left / 2.0 / cost).clamp(1.0, MAX_SLICE_MS);
        }
        self.note_speed(frame_ms, ran, speed);
        ran
    }

    fn note_speed(&mut self, frame_ms: f64, ran: u64, speed: f64) {
        self.window_virtual_ms += ran as f64;
        let start = *self.window_start_ms.get_or_insert(frame_ms);
        let real = frame_ms - start;
        if real >= SPEED_WINDOW_MS {
            let reached = self.window_virtual_ms / real;
            self.lagging = (reached < speed * KEEPING_UP).then(|| reached.round() as u32);
            self.window_start_ms = Some(frame_ms);
            self.window_virtual_ms = 0.0;
        }
    }
}
