//! Histograms of post-dial delay and of talk time.

use super::{render, Chart, DrawResult, Hit, Palette, Words};
use crate::summary::{Bucket, Summary};
use plotters::prelude::*;

/// A bucket bound as a short text: seconds below a minute, then minutes.
fn seconds_label(s: f64) -> String {
    if s >= 1e11 {
        "∞".to_string()
    } else if s >= 60.0 {
        format!("{:.0}m", s / 60.0)
    } else {
        format!("{s:.0}s")
    }
}

/// Draws vertical bars, one per bucket, labelled by `label(bucket)`.
fn bars(
    title: &str,
    buckets: &[Bucket],
    pal: &Palette,
    color: RGBColor,
    words: &Words,
    label: impl Fn(&Bucket) -> String,
) -> Chart {
    let n = buckets.len().max(1);
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let title = title.to_string();
    render(640, 240, |root| -> DrawResult<Vec<Hit>> {
        root.draw(&Text::new(
            title,
            (8, 8),
            ("sans-serif", 15)
                .into_font()
                .style(FontStyle::Bold)
                .color(&pal.text()),
        ))?;
        let mut chart = ChartBuilder::on(root)
            .margin_top(34)
            .margin_right(10)
            .margin_left(6)
            .x_label_area_size(24)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..n as f64, 0f64..max * 1.1)?;
        let fmt_x = |v: &f64| {
            buckets
                .get(v.floor().max(0.0) as usize)
                .map(&label)
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&fmt_x)
            .y_labels(5)
            .y_label_formatter(&|v| words.int(v.max(0.0).round() as u64))
            .label_style(("sans-serif", 11).into_font().color(&pal.muted()))
            .axis_style(pal.grid())
            .bold_line_style(pal.grid())
            .light_line_style(pal.grid().mix(0.0))
            .draw()?;
        chart.draw_series(buckets.iter().enumerate().map(|(i, b)| {
            Rectangle::new(
                [(i as f64 + 0.08, 0.0), (i as f64 + 0.92, b.count as f64)],
                color.filled(),
            )
        }))?;
        Ok(Vec::new())
    })
}

/// PDD histogram (one-second buckets).
pub fn pdd_histogram(s: &Summary, pal: &Palette, title: &str, words: &Words) -> Chart {
    bars(title, &s.pdd_histogram, pal, pal.series(), words, |b| {
        seconds_label(b.from / 1000.0)
    })
}

/// Talk-time histogram of answered calls.
pub fn duration_histogram(s: &Summary, pal: &Palette, title: &str, words: &Words) -> Chart {
    bars(
        title,
        &s.duration_histogram,
        pal,
        pal.class("2xx"),
        words,
        |b| seconds_label(b.from),
    )
}
