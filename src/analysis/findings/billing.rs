//! Billing sanity, when the file has money: answered calls charged nothing, unanswered calls
//! charged, and fees that differ from billed seconds × rate at the file's precision (the last
//! found once over every call by `analysis::fee_check`). Each count is the calls of a `fee`
//! filter, so the page shows the same numbers.

use super::stats::ratio;
use super::{Ctx, Draft, Finding, Measure, Severity, Shown};
use crate::analysis::filter::FeeCondition;
use crate::analysis::store::FeeState;
use crate::money::Money;

/// Runs the billing rules.
pub fn run(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let store = ctx.store;
    if store.money.is_empty() {
        return;
    }
    let mut answered = 0u64;
    let mut with_fee = false;
    let (mut zero, mut zero_line) = (0u64, None);
    let (mut unanswered_fee, mut unanswered_sum, mut unanswered_line) = (0u64, 0i64, None);
    let (mut charged, mut bad, mut bad_line) = (0u64, 0u64, None);
    for &i in &ctx.matched {
        let c = &store.calls[i as usize];
        if c.answered() {
            answered += 1;
        }
        let state = c.fee_state();
        if state == FeeState::None {
            continue;
        }
        with_fee = true;
        match (c.answered(), state) {
            (true, FeeState::Zero) => {
                zero += 1;
                zero_line.get_or_insert(c.line);
            }
            (true, _) => {
                charged += 1;
                if state == FeeState::Mismatch {
                    bad += 1;
                    bad_line.get_or_insert(c.line);
                }
            }
            (false, FeeState::Zero) => {}
            (false, _) => {
                unanswered_fee += 1;
                let fee = store.money.get(i as usize).map_or(0, |m| m.fee);
                unanswered_sum = unanswered_sum.saturating_add(fee);
                unanswered_line.get_or_insert(c.line);
            }
        }
    }
    if !with_fee {
        return;
    }
    let answered_scope = ctx.narrowed(|f| f.answered = Some(true));
    if zero > 0 {
        let severity = if zero >= 5 && ratio(zero, answered) >= 0.01 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let mut d = Draft::new(
            "billing_zero_fee",
            severity,
            String::new(),
            answered_scope.clone(),
        )
        .rows(|f| f.fee = Some(FeeCondition::Zero));
        let rows = d.rows.clone();
        d = d
            .count("x", Measure::Attempts, zero, rows.as_ref())
            .count("a", Measure::Answered, answered, None)
            .param("line", zero_line.unwrap_or(0));
        d.impact = zero as f64 * 0.2;
        out.push(d.finish());
    }
    if unanswered_fee > 0 {
        let severity = if unanswered_fee >= 3 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let scope = ctx.narrowed(|f| f.answered = Some(false));
        let mut d = Draft::new("billing_fee_unanswered", severity, String::new(), scope)
            .rows(|f| f.fee = Some(FeeCondition::Nonzero));
        let rows = d.rows.clone();
        d = d
            .count("x", Measure::Attempts, unanswered_fee, rows.as_ref())
            .num(
                "sum",
                Measure::Fee,
                unanswered_sum as f64 / 1e6,
                Shown::Decimal(Money(unanswered_sum).to_string_with(store.fee_decimals)),
                rows.as_ref(),
            )
            .param("line", unanswered_line.unwrap_or(0));
        d.impact = unanswered_fee as f64 * 0.2;
        out.push(d.finish());
    }
    if bad > 0 {
        let severity = if ratio(bad, charged) >= 0.01 && bad >= 3 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let charged_scope = ctx.narrowed(|f| {
            f.answered = Some(true);
            f.fee = Some(FeeCondition::Nonzero);
        });
        let mut d = Draft::new("billing_drift", severity, String::new(), answered_scope)
            .rows(|f| f.fee = Some(FeeCondition::Mismatch));
        let rows = d.rows.clone();
        d = d
            .count("x", Measure::Attempts, bad, rows.as_ref())
            .count("m", Measure::Attempts, charged, Some(&charged_scope))
            .param("d", store.fee_decimals)
            .param("line", bad_line.unwrap_or(0));
        d.impact = bad as f64 * 0.1;
        out.push(d.finish());
    }
}
