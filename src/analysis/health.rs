//! Health verdicts from outcome shares, judged against an editable preset, with a verdict only
//! when the group holds enough calls to tell.
//!
//! The default preset is the VOS3000 guideline: 200 OK share healthy above 70 % and degraded
//! below 50 %; 4xx errors below 15 % / above 30 %; 5xx below 10 % / above 20 %; busy below 10 %
//! / above 20 %. The shares are counted on outcomes (see [`crate::outcome`]): answered calls are
//! never in an error share, and caller cancels are not route errors, so they are in no 4xx
//! share. A share is judged on its Wilson interval, not on its point value: a group of a handful
//! of calls whose interval reaches both sides of a threshold is "unsure", not red.

use serde::{Deserialize, Serialize};

/// A health verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within the healthy thresholds.
    #[default]
    Healthy,
    /// The calls cannot tell: the share's interval reaches across a threshold.
    Unsure,
    /// Between the healthy and degraded thresholds.
    Warning,
    /// Beyond the degraded threshold.
    Degraded,
}

impl Verdict {
    /// The machine name, also the text key of its label.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Healthy => "healthy",
            Verdict::Unsure => "unsure",
            Verdict::Warning => "warning",
            Verdict::Degraded => "degraded",
        }
    }
}

/// The share names a preset judges, in the order verdicts are reported.
pub const SHARES: [&str; 4] = ["ok_200", "sip_4xx", "sip_5xx", "busy_486"];

/// The verdict of each share, the overall verdict and the share that decided it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// The overall verdict: the worst share verdict (unsure only when no share is worse and
    /// some share cannot be judged).
    pub verdict: Verdict,
    /// 200 OK (answered) share.
    pub ok_200: Verdict,
    /// 4xx share (answered calls and caller cancels excluded).
    pub sip_4xx: Verdict,
    /// 5xx share.
    pub sip_5xx: Verdict,
    /// Busy share (486, 600, Q.850 17, BUSY).
    pub busy_486: Verdict,
    /// The share that decided the verdict (one of [`SHARES`]); none when healthy.
    pub deciding: Option<String>,
    /// The deciding share's value, 0..1.
    pub deciding_share: Option<f64>,
    /// For an unsure verdict: the group is small (its interval is wider than 20 points), rather
    /// than a large group sitting on a threshold.
    pub few_calls: bool,
}

impl Health {
    /// The verdict in English words with the share that made it: "degraded: 5xx 21.0%",
    /// "unsure: not enough calls", "unsure: 4xx 15.0% could be either side of its threshold".
    pub fn describe(&self) -> String {
        let share = |name: &str| match name {
            "ok_200" => "200 OK",
            "sip_4xx" => "4xx",
            "sip_5xx" => "5xx",
            _ => "busy",
        };
        match (self.verdict, &self.deciding, self.deciding_share) {
            (Verdict::Healthy, ..) => "healthy".to_string(),
            (Verdict::Unsure, _, _) if self.few_calls => "unsure: not enough calls".to_string(),
            (Verdict::Unsure, Some(d), Some(v)) => {
                format!(
                    "unsure: {} {:.1}% could be either side of its threshold",
                    share(d),
                    v * 100.0
                )
            }
            (v, Some(d), Some(x)) => format!("{}: {} {:.1}%", v.as_str(), share(d), x * 100.0),
            (v, ..) => v.as_str().to_string(),
        }
    }
}

/// A threshold pair: healthy on one side of `healthy`, degraded beyond `degraded`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Healthy bound.
    pub healthy: f64,
    /// Degraded bound.
    pub degraded: f64,
}

/// The thresholds the verdicts are judged against (`--health FILE.json`, the page's settings).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthPreset {
    /// 200 OK share: higher is better; healthy above `healthy`, degraded below `degraded`.
    pub ok_200: Band,
    /// 4xx share: lower is better; healthy below `healthy`, degraded above `degraded`.
    pub sip_4xx: Band,
    /// 5xx share: lower is better.
    pub sip_5xx: Band,
    /// Busy share: lower is better.
    pub busy_486: Band,
    /// The z value of the Wilson interval (1.96: 95 %); 0 judges the point values alone.
    pub z: f64,
}

impl Default for HealthPreset {
    fn default() -> Self {
        HealthPreset::VOS3000_GUIDELINE
    }
}

impl HealthPreset {
    /// The VOS3000 guideline's thresholds, the default.
    pub const VOS3000_GUIDELINE: HealthPreset = HealthPreset {
        ok_200: Band {
            healthy: 0.70,
            degraded: 0.50,
        },
        sip_4xx: Band {
            healthy: 0.15,
            degraded: 0.30,
        },
        sip_5xx: Band {
            healthy: 0.10,
            degraded: 0.20,
        },
        busy_486: Band {
            healthy: 0.10,
            degraded: 0.20,
        },
        z: 1.96,
    };

    /// Reads a preset from JSON (every key optional, see the README), checking its bounds.
    pub fn from_json(text: &str) -> Result<HealthPreset, String> {
        let p: HealthPreset = serde_json::from_str(text).map_err(|e| e.to_string())?;
        p.check()?;
        Ok(p)
    }

    /// Says what is wrong with the thresholds, if anything.
    pub fn check(&self) -> Result<(), String> {
        for (name, band, higher) in self.bands() {
            for v in [band.healthy, band.degraded] {
                if !(0.0..=1.0).contains(&v) {
                    return Err(format!("{name}: {v} is not a share between 0 and 1"));
                }
            }
            let ordered = if higher {
                band.healthy >= band.degraded
            } else {
                band.healthy <= band.degraded
            };
            if !ordered {
                return Err(format!(
                    "{name}: healthy {} must be {} degraded {}",
                    band.healthy,
                    if higher { "at least" } else { "at most" },
                    band.degraded
                ));
            }
        }
        if !(0.0..=10.0).contains(&self.z) {
            return Err(format!("z: {} is not between 0 and 10", self.z));
        }
        Ok(())
    }

    /// (share name, band, higher is better), in [`SHARES`] order.
    pub fn bands(&self) -> [(&'static str, Band, bool); 4] {
        [
            (SHARES[0], self.ok_200, true),
            (SHARES[1], self.sip_4xx, false),
            (SHARES[2], self.sip_5xx, false),
            (SHARES[3], self.busy_486, false),
        ]
    }
}

/// The counts a verdict is judged from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HealthCounts {
    /// Attempts.
    pub attempts: u64,
    /// Answered calls.
    pub answered: u64,
    /// Unanswered attempts with a 4xx (or equivalent) final, caller cancels excluded.
    pub sip_4xx: u64,
    /// Unanswered attempts with a 5xx (or equivalent) final.
    pub sip_5xx: u64,
    /// Busy attempts.
    pub busy: u64,
}

/// The Wilson score interval of `k` successes in `n` trials at `z`.
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n_f = n as f64;
    let p = k as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let center = (p + z2 / (2.0 * n_f)) / denom;
    let half = z * ((p * (1.0 - p) + z2 / (4.0 * n_f)) / n_f).sqrt() / denom;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// The verdict of one share, judged on its interval `[lo, hi]`.
fn judge(band: Band, higher_is_better: bool, lo: f64, hi: f64) -> Verdict {
    // Turn a higher-is-better share into a lower-is-better one so one rule serves both.
    let (lo, hi, healthy, degraded) = if higher_is_better {
        (1.0 - hi, 1.0 - lo, 1.0 - band.healthy, 1.0 - band.degraded)
    } else {
        (lo, hi, band.healthy, band.degraded)
    };
    if lo > degraded {
        Verdict::Degraded
    } else if hi < healthy {
        Verdict::Healthy
    } else if lo >= healthy {
        // Surely not healthy; at least a warning (perhaps degraded, the calls cannot tell).
        Verdict::Warning
    } else {
        Verdict::Unsure
    }
}

/// Judges a group's counts against `preset`.
pub fn assess(c: &HealthCounts, preset: &HealthPreset) -> Health {
    let counts = [c.answered, c.sip_4xx, c.sip_5xx, c.busy];
    let mut verdicts = [Verdict::Unsure; 4];
    let mut intervals = [(0.0, 1.0); 4];
    for (i, (_, band, higher)) in preset.bands().into_iter().enumerate() {
        let (lo, hi) = if c.attempts == 0 {
            (0.0, 1.0)
        } else {
            wilson(counts[i], c.attempts, preset.z)
        };
        intervals[i] = (lo, hi);
        verdicts[i] = if c.attempts == 0 {
            Verdict::Unsure
        } else {
            judge(band, higher, lo, hi)
        };
    }
    let verdict = verdicts.iter().copied().max().unwrap_or_default();
    // The deciding share: the first share with the overall verdict, by how far it is beyond its
    // healthy bound (so "5xx 40 %" is named before "4xx 16 %").
    let share = |i: usize| {
        if c.attempts == 0 {
            0.0
        } else {
            counts[i] as f64 / c.attempts as f64
        }
    };
    let excess = |i: usize| {
        let (_, band, higher) = preset.bands()[i];
        if higher {
            band.healthy - share(i)
        } else {
            share(i) - band.healthy
        }
    };
    let deciding = (verdict != Verdict::Healthy)
        .then(|| {
            (0..4)
                .filter(|&i| verdicts[i] == verdict)
                .max_by(|&a, &b| excess(a).total_cmp(&excess(b)).then(b.cmp(&a)))
        })
        .flatten();
    Health {
        verdict,
        ok_200: verdicts[0],
        sip_4xx: verdicts[1],
        sip_5xx: verdicts[2],
        busy_486: verdicts[3],
        deciding: deciding.map(|i| SHARES[i].to_string()),
        deciding_share: deciding.map(share),
        few_calls: verdict == Verdict::Unsure
            && deciding.is_some_and(|i| intervals[i].1 - intervals[i].0 > 0.2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(attempts: u64, answered: u64, e4: u64, e5: u64, busy: u64) -> HealthCounts {
        HealthCounts {
            attempts,
            answered,
            sip_4xx: e4,
            sip_5xx: e5,
            busy,
        }
    }

    #[test]
    fn large_groups_follow_the_guideline() {
        let p = HealthPreset::default();
        let h = assess(&counts(10_000, 7_500, 1_000, 500, 500), &p);
        assert_eq!(h.verdict, Verdict::Healthy);
        assert_eq!(h.deciding, None);
        let h = assess(&counts(10_000, 6_000, 1_000, 2_100, 1_500), &p);
        assert_eq!(
            (h.ok_200, h.sip_4xx, h.sip_5xx, h.busy_486, h.verdict),
            (
                Verdict::Warning,
                Verdict::Healthy,
                Verdict::Degraded,
                Verdict::Warning,
                Verdict::Degraded
            )
        );
        assert_eq!(h.deciding.as_deref(), Some("sip_5xx"));
        assert_eq!(h.deciding_share, Some(0.21));
        assert_eq!(h.describe(), "degraded: 5xx 21.0%");
        let h = assess(&counts(10_000, 4_000, 500, 500, 500), &p);
        assert_eq!(
            (h.ok_200, h.verdict),
            (Verdict::Degraded, Verdict::Degraded)
        );
        assert_eq!(h.deciding.as_deref(), Some("ok_200"));
    }

    #[test]
    fn small_groups_are_unsure() {
        let p = HealthPreset::default();
        // 2 of 3 answered: 67 % could be anything from 21 % to 94 %.
        let h = assess(&counts(3, 2, 1, 0, 0), &p);
        assert_eq!(h.verdict, Verdict::Unsure);
        assert!(h.few_calls);
        assert_eq!(h.describe(), "unsure: not enough calls");
        // All 5 answered: the 200 share's interval still reaches below 70 %.
        let h = assess(&counts(5, 5, 0, 0, 0), &p);
        assert_eq!(h.ok_200, Verdict::Unsure);
        // 0 of 20 answered is degraded however small the group.
        let h = assess(&counts(20, 0, 0, 20, 0), &p);
        assert_eq!(h.verdict, Verdict::Degraded);
        assert_eq!(assess(&counts(0, 0, 0, 0, 0), &p).verdict, Verdict::Unsure);
    }

    #[test]
    fn a_large_group_on_a_threshold_is_unsure_but_not_few() {
        let h = assess(
            &counts(100_000, 80_000, 15_000, 0, 0),
            &HealthPreset::default(),
        );
        assert_eq!(h.sip_4xx, Verdict::Unsure);
        assert_eq!(h.verdict, Verdict::Unsure);
        assert!(!h.few_calls);
        assert_eq!(
            h.describe(),
            "unsure: 4xx 15.0% could be either side of its threshold"
        );
    }

    #[test]
    fn z_zero_judges_points() {
        let p = HealthPreset {
            z: 0.0,
            ..HealthPreset::default()
        };
        assert_eq!(assess(&counts(4, 3, 0, 0, 0), &p).verdict, Verdict::Healthy);
        assert_eq!(assess(&counts(2, 1, 0, 0, 0), &p).ok_200, Verdict::Warning);
        assert_eq!(
            assess(&counts(100, 49, 0, 0, 0), &p).ok_200,
            Verdict::Degraded
        );
    }

    #[test]
    fn presets_from_json() {
        let p =
            HealthPreset::from_json(r#"{"sip_5xx": {"healthy": 0.05, "degraded": 0.1}}"#).unwrap();
        assert_eq!(p.sip_5xx.healthy, 0.05);
        assert_eq!(p.ok_200, HealthPreset::default().ok_200);
        assert!(
            HealthPreset::from_json(r#"{"ok_200": {"healthy": 0.4, "degraded": 0.5}}"#)
                .unwrap_err()
                .contains("ok_200")
        );
        assert!(
            HealthPreset::from_json(r#"{"sip_4xx": {"healthy": 1.5, "degraded": 2}}"#).is_err()
        );
        assert!(HealthPreset::from_json(r#"{"nonsense": 1}"#).is_err());
    }

    #[test]
    fn wilson_matches_known_values() {
        let (lo, hi) = wilson(5, 10, 1.96);
        assert!((lo - 0.2366).abs() < 1e-4 && (hi - 0.7634).abs() < 1e-4);
        assert_eq!(wilson(0, 0, 1.96), (0.0, 1.0));
    }
}
