//! The event log every widget keeps beside its picture: what happened, in words, newest first
//! (for screen readers, and for people who prefer reading to watching).

use crate::Markup;

/// How many entries a log keeps.
pub const LOG_LEN: usize = 6;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    lines: Vec<String>,
}

impl Log {
    pub fn push(&mut self, line: String) {
        self.lines.insert(0, line);
        self.lines.truncate(LOG_LEN);
    }

    /// The newest entry.
    pub fn latest(&self) -> Option<&str> {
        self.lines.first().map(String::as_str)
    }

    /// The log under the heading "What changed"; `empty` says what to do to fill it.
    pub fn view(&self, m: &mut Markup, empty: &str) {
        m.open("div", &[("class", "w-log")]);
        m.el("p", &[("class", "w-log-title")], "What changed");
        if self.lines.is_empty() {
            m.el("p", &[], empty);
        } else {
            m.open("ol", &[]);
            for line in &self.lines {
                m.el("li", &[], line);
            }
            m.close("ol");
        }
        m.close("div");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_entries_first() {
        let mut log = Log::default();
        for i in 0..10 {
            log.push(format!("event {i}"));
        }
        assert_eq!(log.latest(), Some("event 9"));
        let mut m = Markup::new();
        log.view(&mut m, "nothing");
        let html = m.finish();
        assert_eq!(html.matches("<li>").count(), LOG_LEN);
        assert!(!html.contains("event 3"));
    }
}
