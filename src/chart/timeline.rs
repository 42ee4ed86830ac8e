//! Attempts (bars) and ASR (line, right axis) over time, one bar per timeline bucket.

use super::{render, Chart, DrawResult, Hit, Palette, Words};
use crate::analysis::Filter;
use crate::summary::{Summary, TimePoint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The time of day (`HH:MM`) of a bucket label, or the date when buckets span whole days.
pub(super) fn short_label(label: &str, bucket_min: u32) -> String {
    if bucket_min >= 1440 {
        label.get(..10).unwrap_or(label).to_string()
    } else {
        label.get(11..16).unwrap_or(label).to_string()
    }
}

/// Buckets with fewer attempts than this get no ASR point: on a filtered timeline a bucket of
/// one or two calls swung the line between 0 and 100 %, louder than any real change. The
/// chart's key says so ("ASR % (≥ 10 calls)").
pub const ASR_MIN_ATTEMPTS: u64 = 10;

/// The ASR line as runs of consecutive buckets holding at least [`ASR_MIN_ATTEMPTS`] attempts,
/// each point (bucket centre, ASR %); a skipped bucket breaks the line rather than joining
/// its neighbours across it.
pub fn asr_segments(points: &[TimePoint]) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open = false;
    for (i, p) in points.iter().enumerate() {
        match p.asr.filter(|_| p.attempts >= ASR_MIN_ATTEMPTS) {
            Some(a) => {
                if !open {
                    runs.push(Vec::new());
                    open = true;
                }
                if let Some(run) = runs.last_mut() {
                    run.push((i as f64 + 0.5, a * 100.0));
                }
            }
            None => open = false,
        }
    }
    runs
}

/// Draws attempts per bucket and the ASR line; each bucket is clickable.
pub fn attempts_over_time(s: &Summary, pal: &Palette, title: &str, words: &Words) -> Chart {
    let points = &s.timeline.points;
    let n = points.len().max(1);
    let max = points.iter().map(|p| p.attempts).max().unwrap_or(0).max(1) as f64;
    let bucket_ms = i64::from(s.timeline.bucket_min) * 60_000;
    let title = format!("{title} ({} min)", s.timeline.bucket_min);
    let (width, height) = (640u32, 280u32);
    render(width, height, |root| -> DrawResult<Vec<Hit>> {
        root.draw(&Text::new(
            title,
            (8, 8),
            ("sans-serif", 15)
                .into_font()
                .style(FontStyle::Bold)
                .color(&pal.text()),
        ))?;
        // Legend under the title: what the two bars and the line are.
        let legend = ("sans-serif", 12)
            .into_font()
            .color(&pal.muted())
            .pos(Pos::new(HPos::Left, VPos::Center));
        let mut x = 10;
        for (color, name, line) in [
            (pal.series().mix(0.55), words.attempts, false),
            (pal.class("2xx").to_rgba(), words.answered, false),
            (pal.accent().to_rgba(), words.asr_key, true),
        ] {
            if line {
                root.draw(&PathElement::new(
                    vec![(x, 36), (x + 14, 36)],
                    color.stroke_width(2),
                ))?;
            } else {
                root.draw(&Rectangle::new([(x, 31), (x + 12, 41)], color.filled()))?;
            }
            root.draw(&Text::new(name.to_string(), (x + 18, 36), legend.clone()))?;
            x += 30 + 7 * name.chars().count() as i32;
        }
        let mut chart = ChartBuilder::on(root)
            .margin_top(48)
            .margin_right(6)
            .margin_left(6)
            .x_label_area_size(24)
            .y_label_area_size(44)
            .right_y_label_area_size(44)
            .build_cartesian_2d(0f64..n as f64, 0f64..max * 1.1)?
            .set_secondary_coord(0f64..n as f64, 0f64..100f64);
        let label_style = ("sans-serif", 11).into_font().color(&pal.muted());
        let fmt_x = |v: &f64| {
            points
                .get(v.floor().max(0.0) as usize)
                .map(|p| short_label(&p.label, s.timeline.bucket_min))
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(8))
            .x_label_formatter(&fmt_x)
            .y_labels(5)
            .y_label_formatter(&|v| words.int(v.max(0.0).round() as u64))
            .label_style(label_style.clone())
            .axis_style(pal.grid())
            .bold_line_style(pal.grid())
            .light_line_style(pal.grid().mix(0.0))
            .draw()?;
        // The ASR axis labels are drawn here, not by plotters: it measures the labels of a right
        // axis, and in the browser its font backend measures text through a forced layout of the
        // page (see `donut::ring_slices`).
        chart
            .configure_secondary_axes()
            .y_labels(0)
            .axis_style(pal.grid())
            .draw()?;
        let right_style = label_style.pos(Pos::new(HPos::Left, VPos::Center));
        for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
            let (x, y) = chart.backend_coord(&(n as f64, v / 100.0 * max * 1.1));
            root.draw(&PathElement::new(vec![(x, y), (x + 4, y)], pal.grid()))?;
            root.draw(&Text::new(
                format!("{v:.0}%"),
                (x + 7, y),
                right_style.clone(),
            ))?;
        }
        chart.draw_series(points.iter().enumerate().map(|(i, p)| {
            Rectangle::new(
                [(i as f64 + 0.1, 0.0), (i as f64 + 0.9, p.attempts as f64)],
                pal.series().mix(0.55).filled(),
            )
        }))?;
        chart.draw_series(points.iter().enumerate().map(|(i, p)| {
            Rectangle::new(
                [(i as f64 + 0.1, 0.0), (i as f64 + 0.9, p.answered as f64)],
                pal.class("2xx").filled(),
            )
        }))?;
        for run in asr_segments(points) {
            // A lone bucket between skipped ones is a dot: a line of one point draws nothing.
            if let [only] = run[..] {
                chart.draw_secondary_series(std::iter::once(Circle::new(
                    only,
                    3,
                    pal.accent().filled(),
                )))?;
            } else {
                chart.draw_secondary_series(LineSeries::new(run, pal.accent().stroke_width(2)))?;
            }
        }
        Ok(super::timeline::bucket_hits(
            points,
            bucket_ms,
            max * 1.1,
            |x, y| chart.backend_coord(&(x, y)),
        ))
    })
}

/// One clickable region per timeline bucket, from the top of the plot (`top`, in data units) to
/// its axis, filtering to that bucket's time span; `coord` maps data to drawing coordinates.
pub(super) fn bucket_hits(
    points: &[TimePoint],
    bucket_ms: i64,
    top: f64,
    coord: impl Fn(f64, f64) -> (i32, i32),
) -> Vec<Hit> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x0, y0) = coord(i as f64, top);
            let (x1, y1) = coord(i as f64 + 1.0, 0.0);
            Hit {
                x0,
                y0,
                x1,
                y1,
                label: p.label.clone(),
                filter: Filter {
                    from_ms: Some(p.start_ms),
                    to_ms: Some(p.start_ms + bucket_ms),
                    ..Filter::default()
                },
            }
        })
        .collect()
}
