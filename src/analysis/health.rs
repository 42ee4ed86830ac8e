//! Health verdicts from code shares: 200 OK, 4xx, 5xx and 486 against fixed thresholds.

use crate::summary::Shares;
use serde::{Deserialize, Serialize};

/// A health verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within the healthy thresholds.
    #[default]
    Healthy,
    /// Between the healthy and degraded thresholds.
    Warning,
    /// Beyond the degraded threshold.
    Degraded,
}

/// The verdict of each share and the overall (worst) verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// The worst of the four.
    pub verdict: Verdict,
    /// 200 OK share: healthy above 70 %, degraded below 50 %.
    pub ok_200: Verdict,
    /// 4xx share: healthy below 15 %, degraded above 30 %.
    pub sip_4xx: Verdict,
    /// 5xx share: healthy below 10 %, degraded above 20 %.
    pub sip_5xx: Verdict,
    /// 486 share: healthy below 10 %, degraded above 20 %.
    pub busy_486: Verdict,
}

/// A threshold pair: healthy on one side of `healthy`, degraded beyond `degraded`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Threshold {
    /// The share name.
    pub name: &'static str,
    /// Healthy bound.
    pub healthy: f64,
    /// Degraded bound.
    pub degraded: f64,
    /// True when higher is better (200 OK).
    pub higher_is_better: bool,
}

/// The thresholds, for display next to the actual values.
pub const THRESHOLDS: [Threshold; 4] = [
    Threshold {
        name: "ok_200",
        healthy: 0.70,
        degraded: 0.50,
        higher_is_better: true,
    },
    Threshold {
        name: "sip_4xx",
        healthy: 0.15,
        degraded: 0.30,
        higher_is_better: false,
    },
    Threshold {
        name: "sip_5xx",
        healthy: 0.10,
        degraded: 0.20,
        higher_is_better: false,
    },
    Threshold {
        name: "busy_486",
        healthy: 0.10,
        degraded: 0.20,
        higher_is_better: false,
    },
];

fn judge(t: &Threshold, v: f64) -> Verdict {
    if t.higher_is_better {
        if v > t.healthy {
            Verdict::Healthy
        } else if v < t.degraded {
            Verdict::Degraded
        } else {
            Verdict::Warning
        }
    } else if v < t.healthy {
        Verdict::Healthy
    } else if v > t.degraded {
        Verdict::Degraded
    } else {
        Verdict::Warning
    }
}

/// Judges a set of shares.
pub fn assess(s: &Shares) -> Health {
    let ok_200 = judge(&THRESHOLDS[0], s.ok_200);
    let sip_4xx = judge(&THRESHOLDS[1], s.sip_4xx);
    let sip_5xx = judge(&THRESHOLDS[2], s.sip_5xx);
    let busy_486 = judge(&THRESHOLDS[3], s.busy_486);
    Health {
        verdict: ok_200.max(sip_4xx).max(sip_5xx).max(busy_486),
        ok_200,
        sip_4xx,
        sip_5xx,
        busy_486,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        let h = assess(&Shares {
            ok_200: 0.75,
            sip_4xx: 0.1,
            sip_5xx: 0.05,
            busy_486: 0.05,
            ..Shares::default()
        });
        assert_eq!(h.verdict, Verdict::Healthy);
        let h = assess(&Shares {
            ok_200: 0.6,
            sip_4xx: 0.1,
            sip_5xx: 0.21,
            busy_486: 0.15,
            ..Shares::default()
        });
        assert_eq!(
            (h.ok_200, h.sip_5xx, h.busy_486, h.verdict),
            (
                Verdict::Warning,
                Verdict::Degraded,
                Verdict::Warning,
                Verdict::Degraded
            )
        );
        assert_eq!(
            assess(&Shares {
                ok_200: 0.5,
                ..Shares::default()
            })
            .ok_200,
            Verdict::Warning
        );
        assert_eq!(
            assess(&Shares {
                ok_200: 0.49,
                ..Shares::default()
            })
            .ok_200,
            Verdict::Degraded
        );
    }
}
