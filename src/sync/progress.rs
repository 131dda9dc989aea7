//! Progress of a run as text for stderr: a bar redrawn in place on a terminal, plain lines now and then otherwise
//! (a log or a mail from cron should not get a line per chunk).

/// How far a phase is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// `reading the CRM's stock`, `uploading`.
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
    /// What is counted: `pages`, `chunks`.
    pub unit: &'static str,
    pub retries: u32,
    /// Seconds left, when known.
    pub eta_seconds: Option<f64>,
}

/// The width of the bar, in characters.
const BAR: usize = 30;

/// Plain lines come at most this often (seconds), and at every tenth of the way.
const PLAIN_EVERY_S: f64 = 10.0;

/// Turns steps into text to write.
#[derive(Debug)]
pub struct Meter {
    terminal: bool,
    /// The last plain line: when, and which tenth of the way it showed.
    last_plain: Option<(f64, usize, &'static str)>,
    /// A bar is on the screen (a newline is due before other text).
    bar_shown: bool,
}

fn eta_text(eta: Option<f64>) -> String {
    match eta {
        Some(s) if s.is_finite() && s >= 0.5 => format!(", about {:.0} s left", s),
        _ => String::new(),
    }
}

impl Meter {
    /// A meter for a terminal (`terminal`) or a log.
    pub fn new(terminal: bool) -> Meter {
        Meter {
            terminal,
            last_plain: None,
            bar_shown: false,
        }
    }

    /// The text for `step` at `now_s` seconds, if any is due: on a terminal the bar (starting with `\r`, no
    /// newline), else a whole line when a tenth of the way was passed, the phase changed or [`PLAIN_EVERY_S`]
    /// went by.
    pub fn step(&mut self, step: &Step, now_s: f64) -> Option<String> {
        let share = if step.total == 0 {
            1.0
        } else {
            step.done.min(step.total) as f64 / step.total as f64
        };
        let retries = if step.retries > 0 {
            format!(", {} retries", step.retries)
        } else {
            String::new()
        };
        let counts = format!(
            "{} {}/{} {}{}{}",
            step.phase,
            step.done,
            step.total,
            step.unit,
            retries,
            eta_text(step.eta_seconds)
        );
        if self.terminal {
            self.bar_shown = true;
            let filled = (share * BAR as f64).round() as usize;
            return Some(format!(
                "\r[{}{}] {:>3.0}% {counts}\x1b[K",
                "#".repeat(filled),
                ".".repeat(BAR - filled),
                share * 100.0
            ));
        }
        let tenth = (share * 10.0).floor() as usize;
        let due = match self.last_plain {
            None => true,
            Some((at, shown, phase)) => {
                phase != step.phase || tenth > shown || now_s - at >= PLAIN_EVERY_S
            }
        };
        if !due {
            return None;
        }
        self.last_plain = Some((now_s, tenth, step.phase));
        Some(format!("{counts}\n"))
    }

    /// What to write before other text: the newline that ends a bar on the screen.
    pub fn finish(&mut self) -> &'static str {
        if std::mem::take(&mut self.bar_shown) {
            "\n"
        } else {
            ""
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(done: usize) -> Step {
        Step {
            phase: "uploading",
            done,
            total: 400,
            unit: "chunks",
            retries: 0,
            eta_seconds: Some(30.0),
        }
    }

    #[test]
    fn a_log_gets_a_line_per_tenth_or_per_ten_seconds() {
        let mut m = Meter::new(false);
        assert_eq!(
            m.step(&step(0), 0.0).as_deref(),
            Some("uploading 0/400 chunks, about 30 s left\n")
        );
        let lines: Vec<String> = (1..=400)
            .filter_map(|done| m.step(&step(done), done as f64 * 0.1))
            .collect();
        assert_eq!(lines.len(), 10, "{lines:?}");
        assert!(lines[9].starts_with("uploading 400/400 chunks"));
        // Slow chunks: a line every 10 seconds even within one tenth.
        assert!(m.step(&step(400), 45.0).is_none());
        assert!(m.step(&step(400), 50.1).is_some());
        assert_eq!(m.finish(), "");
    }

    #[test]
    fn a_terminal_gets_a_bar_redrawn_in_place() {
        let mut m = Meter::new(true);
        let mut s = step(100);
        s.retries = 2;
        let bar = m.step(&s, 0.0).unwrap_or_default();
        assert!(
            bar.starts_with(
                "\r[########......................]  25% uploading 100/400 chunks, 2 retries"
            ),
            "{bar}"
        );
        assert!(!bar.contains('\n'));
        assert_eq!(m.finish(), "\n");
        assert_eq!(m.finish(), "");
    }
}
