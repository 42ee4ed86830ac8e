//! The outcome donut: the share of each outcome (answered, busy, no answer, …) among all
//! attempts.

use super::{render, Chart, DrawResult, Hit, Palette, Words};
use crate::analysis::Filter;
use crate::outcome::Outcome;
use crate::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Attempts per outcome, in the outcome model's order, outcomes without attempts left out.
pub fn outcome_counts(s: &Summary) -> Vec<(Outcome, u64)> {
    Outcome::ALL
        .into_iter()
        .filter_map(|o| {
            let n = s
                .by_outcome
                .iter()
                .find(|c| c.name == o.as_str())
                .map_or(0, |c| c.count);
            (n > 0).then_some((o, n))
        })
        .collect()
}

/// The outline of each slice of a ring around `center`, clockwise from the top, in proportion to
/// `sizes`.
///
/// plotters' `Pie` measures every slice label, even an empty one, and in the browser its font
/// backend measures text by adding an element to the page and reading its size: a forced layout
/// of the whole page per slice, in the middle of a render.
pub fn ring_slices(
    center: (i32, i32),
    outer: f64,
    inner: f64,
    sizes: &[f64],
) -> Vec<Vec<(i32, i32)>> {
    let total: f64 = sizes.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return Vec::new();
    }
    // About two pixels of outer arc per step.
    let step = 2.0 / outer;
    let at = |r: f64, theta: f64| {
        let (sin, cos) = theta.sin_cos();
        (
            center.0 + (r * cos).round() as i32,
            center.1 + (r * sin).round() as i32,
        )
    };
    let mut start = -std::f64::consts::FRAC_PI_2;
    sizes
        .iter()
        .map(|&size| {
            let end = start + size / total * std::f64::consts::TAU;
            let steps = ((end - start) / step).ceil().max(1.0) as usize;
            let angle = |k: usize| start + (end - start) * k as f64 / steps as f64;
            let mut points: Vec<(i32, i32)> = (0..=steps).map(|k| at(outer, angle(k))).collect();
            points.extend((0..=steps).rev().map(|k| at(inner, angle(k))));
            start = end;
            points
        })
        .collect()
}

/// Draws the outcome donut with a clickable legend: what became of every attempt.
pub fn outcome_donut(s: &Summary, pal: &Palette, title: &str, words: &Words) -> Chart {
    let counts = outcome_counts(s);
    let total: u64 = counts.iter().map(|c| c.1).sum();
    let title = title.to_string();
    const ROW: i32 = 22;
    let height = (48 + counts.len() as i32 * ROW).max(260) as u32;
    render(640, height, |root| -> DrawResult<Vec<Hit>> {
        root.draw(&Text::new(
            title,
            (8, 8),
            ("sans-serif", 15)
                .into_font()
                .style(FontStyle::Bold)
                .color(&pal.text()),
        ))?;
        if total == 0 {
            return Ok(Vec::new());
        }
        let sizes: Vec<f64> = counts.iter().map(|c| c.1 as f64).collect();
        let colors: Vec<RGBColor> = counts.iter().map(|c| pal.outcome(c.0)).collect();
        let center = (150, 145);
        for (points, color) in ring_slices(center, 95.0, 55.0, &sizes)
            .into_iter()
            .zip(&colors)
        {
            root.draw(&Polygon::new(points, color.filled()))?;
        }
        root.draw(&Text::new(
            format!("ASR {}", words.pct(s.overall.asr)),
            center,
            ("sans-serif", 18)
                .into_font()
                .style(FontStyle::Bold)
                .color(&pal.text())
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        let mut hits = Vec::new();
        let style = ("sans-serif", 14)
            .into_font()
            .color(&pal.text())
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (i, ((outcome, n), color)) in counts.iter().zip(&colors).enumerate() {
            let y = 44 + i as i32 * ROW;
            root.draw(&Rectangle::new(
                [(300, y - 7), (314, y + 7)],
                color.filled(),
            ))?;
            let name = words.outcome(*outcome);
            root.draw(&Text::new(
                format!(
                    "{name}   {}   ({})",
                    words.int(*n),
                    words.pct(Some(*n as f64 / total as f64))
                ),
                (324, y),
                style.clone(),
            ))?;
            hits.push(Hit {
                x0: 296,
                y0: y - ROW / 2,
                x1: 630,
                y1: y + ROW / 2,
                label: name.to_string(),
                filter: Filter {
                    outcome: vec![outcome.as_str().to_string()],
                    ..Filter::default()
                },
            });
        }
        Ok(hits)
    })
}
