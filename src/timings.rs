//! `build --timings`: the wall time of each build stage, in the order they ran.

/// Wall time of each build stage, in the order they ran.
#[derive(Debug, Default)]
pub struct Timings {
    stages: std::sync::Mutex<Vec<(&'static str, std::time::Duration)>>,
}

impl Timings {
    /// The stages recorded so far.
    pub fn stages(&self) -> Vec<(&'static str, std::time::Duration)> {
        self.stages.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub(crate) fn add(&self, stage: &'static str, took: std::time::Duration) {
        if let Ok(mut stages) = self.stages.lock() {
            stages.push((stage, took));
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
