//! The words charts print (legends, slice names, code titles), given by the caller in its
//! language so the chart module itself stays free of any UI state.

use crate::call::CodeSystem;
use crate::codes;
use crate::outcome::Outcome;
use crate::summary::CodeCount;

/// The words a chart may print; [`Words::default`] is English (the page fills in its language).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    /// The language code of code titles (`en`, `es`).
    pub lang: &'static str,
    /// The bar or slice of everything else.
    pub other: &'static str,
    /// Answered calls (donut slice, timeline legend).
    pub answered: &'static str,
    /// Call attempts (timeline legend).
    pub attempts: &'static str,
    /// The caller hung up.
    pub caller: &'static str,
    /// The callee hung up.
    pub callee: &'static str,
    /// The server ended the call.
    pub server: &'static str,
    /// No end direction recorded.
    pub none: &'static str,
    /// The timeline's ASR line key, with the minimum of calls a bucket needs to have a point.
    pub asr_key: &'static str,
    /// The highest level of a chart (`peak`).
    pub peak: &'static str,
    /// Refused attempts (the concurrency chart's key).
    pub refused: &'static str,
    /// What the concurrency chart's line is (the most calls at once in each bucket).
    pub bucket_max: &'static str,
    /// The concurrency chart's second key line (`attempts per second`).
    pub cps: &'static str,
    /// The name of each outcome, in [`Outcome::ALL`] order.
    pub outcomes: [&'static str; 12],
}

impl Default for Words {
    fn default() -> Self {
        Words {
            lang: "en",
            other: "other",
            answered: "answered",
            attempts: "attempts",
            caller: "caller",
            callee: "callee",
            server: "server",
            none: "(none)",
            asr_key: "ASR % (≥ 10 calls)",
            peak: "peak",
            refused: "refused",
            bucket_max: "most at once in each bucket",
            cps: "attempts per second",
            outcomes: [
                "answered",
                "busy",
                "no answer",
                "cancelled by caller",
                "rejected",
                "number error",
                "no route",
                "vendor unavailable",
                "timeout",
                "media / codec",
                "auth / account",
                "other",
            ],
        }
    }
}

impl Words {
    /// The name of an end direction (`caller`, `callee`, `server`, `(none)`).
    pub fn direction(&self, name: &str) -> &'static str {
        match name {
            "caller" => self.caller,
            "callee" => self.callee,
            "server" => self.server,
            _ => self.none,
        }
    }

    /// A gateway or destination name as the chart prints it: the name of calls without one
    /// ("(none)") in the chart's language, every other name as written.
    pub fn name<'a>(&self, name: &'a str) -> &'a str {
        if name == crate::analysis::filter::NONE_NAME {
            self.none
        } else {
            name
        }
    }

    /// A count in the chart's language (`display::int`: 1,234 / 1.234).
    pub fn int(&self, n: u64) -> String {
        crate::display::int(n, self.lang)
    }

    /// A number with `places` decimals in the chart's language (`display::dec`: 2.5 / 2,5).
    pub fn dec(&self, x: f64, places: usize) -> String {
        crate::display::dec(x, places, self.lang)
    }

    /// A 0..1 ratio as a percentage in the chart's language (`display::percent`).
    pub fn pct(&self, v: Option<f64>) -> String {
        crate::display::percent(v, self.lang)
    }

    /// The name of an outcome.
    pub fn outcome(&self, o: Outcome) -> &'static str {
        self.outcomes.get(o.index()).copied().unwrap_or(self.other)
    }

    /// The name of a code class slice: classes are codes (`4xx`), the rest are words.
    pub fn class<'a>(&self, class: &'a str) -> &'a str {
        match class {
            "other" => self.other,
            "answered" => self.answered,
            c => c,
        }
    }

    /// A code's short title in the chart's language: the reference's title when it has one in
    /// that language, else the label the summary carries (English).
    pub fn code_label(&self, c: &CodeCount) -> String {
        if c.label.is_empty() || self.lang == "en" {
            return c.label.clone();
        }
        let system = [
            CodeSystem::Sip,
            CodeSystem::Q850,
            CodeSystem::Vos3000,
            CodeSystem::FreeSwitch,
            CodeSystem::Asterisk,
        ]
        .into_iter()
        .find(|s| Some(s.as_str()) == c.system.as_deref());
        let local = codes::short_label_in(system, &c.code, self.lang);
        if local.is_empty() {
            c.label.clone()
        } else {
            local
        }
    }
}
