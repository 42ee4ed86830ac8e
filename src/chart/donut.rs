//! The class donut: the share of each SIP class (2xx … 6xx, other) among all attempts.

use super::{pct, render, Chart, DrawResult, Hit, Palette, Words};
use crate::analysis::Filter;
use crate::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const CLASSES: [&str; 7] = ["2xx", "1xx", "3xx", "4xx", "5xx", "6xx", "other"];

/// Calls per class, in the fixed order above, classes without calls left out.
///
/// Vendors that end answered calls with their own codes (VOS3000 `-9`/`-8` hang-ups) put the
/// answered calls in `other`; those are moved to an `answered` slice so the donut does not read
/// "0 % 2xx" for a file with 37 % ASR.
pub fn class_counts(s: &Summary) -> Vec<(&'static str, u64)> {
    let mut counts: Vec<(&'static str, u64)> = CLASSES
        .iter()
        .map(|&c| {
            let n = s
                .by_code
                .iter()
                .filter(|k| k.class == c)
                .map(|k| k.count)
                .sum();
            (c, n)
        })
        .collect();
    let ok = counts[0].1;
    let missing = s.overall.answered.saturating_sub(ok);
    if missing > 0 {
        if let Some(other) = counts.iter_mut().find(|c| c.0 == "other") {
            let moved = missing.min(other.1);
            other.1 -= moved;
            counts.insert(0, ("answered", moved));
        }
    }
    counts.retain(|&(_, n)| n > 0);
    counts
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

/// Draws the class donut with a clickable legend.
pub fn class_donut(s: &Summary, pal: &Palette, title: &str, words: &Words) -> Chart {
    let counts = class_counts(s);
    let total: u64 = counts.iter().map(|c| c.1).sum();
    let title = title.to_string();
    render(640, 260, |root| -> DrawResult<Vec<Hit>> {
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
        let color = |c: &str| pal.class(if c == "answered" { "2xx" } else { c });
        let colors: Vec<RGBColor> = counts.iter().map(|c| color(c.0)).collect();
        let center = (150, 145);
        for (points, color) in ring_slices(center, 95.0, 55.0, &sizes)
            .into_iter()
            .zip(&colors)
        {
            root.draw(&Polygon::new(points, color.filled()))?;
        }
        root.draw(&Text::new(
            format!("ASR {}", pct(s.overall.asr)),
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
        for (i, (class, n)) in counts.iter().enumerate() {
            let y = 60 + i as i32 * 28;
            root.draw(&Rectangle::new(
                [(300, y - 8), (316, y + 8)],
                color(class).filled(),
            ))?;
            root.draw(&Text::new(
                format!(
                    "{}   {n}   ({})",
                    words.class(class),
                    pct(Some(*n as f64 / total as f64))
                ),
                (326, y),
                style.clone(),
            ))?;
            hits.push(Hit {
                x0: 296,
                y0: y - 13,
                x1: 630,
                y1: y + 13,
                label: words.class(class).to_string(),
                filter: if *class == "answered" {
                    Filter {
                        answered: Some(true),
                        ..Filter::default()
                    }
                } else {
                    Filter {
                        class: vec![(*class).to_string()],
                        ..Filter::default()
                    }
                },
            });
        }
        Ok(hits)
    })
}
