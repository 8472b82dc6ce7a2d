//! `build --timings`: the wall time of each build stage, in the order they ran.

/// Wall time of each build stage, in the order they ended, with when each
/// began: stages on other threads overlap, so their times do not add up.
#[derive(Debug)]
pub struct Timings {
    origin: std::time::Instant,
    stages: std::sync::Mutex<Vec<Stage>>,
}

/// One stage: its name, when it began (since the build's start) and how long it took.
pub type Stage = (&'static str, std::time::Duration, std::time::Duration);

impl Default for Timings {
    fn default() -> Self {
        Self {
            origin: std::time::Instant::now(),
            stages: std::sync::Mutex::default(),
        }
    }
}

impl Timings {
    /// The stages recorded so far, each with how long it took.
    pub fn stages(&self) -> Vec<(&'static str, std::time::Duration)> {
        (self.spans().into_iter())
            .map(|(stage, _, took)| (stage, took))
            .collect()
    }

    /// The stages recorded so far, each with when it began and how long it took.
    pub fn spans(&self) -> Vec<Stage> {
        self.stages.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub(crate) fn add(&self, stage: &'static str, took: std::time::Duration) {
        let began = self.origin.elapsed().saturating_sub(took);
        if let Ok(mut stages) = self.stages.lock() {
            stages.push((stage, began, took));
        }
    }
}

/// Runs `f`, recording its wall time as `stage` when timings are wanted.
pub(crate) fn timed<T>(timings: Option<&Timings>, stage: &'static str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let result = f();
    if let Some(t) = timings {
        t.add(stage, started.elapsed());
    }
    result
}
