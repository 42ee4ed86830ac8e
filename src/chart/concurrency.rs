//! Concurrent calls over time: the highest level of each timeline bucket as a step line, the
//! per-second peak and 95th percentile as labelled levels, and the capacity findings' refusals
//! as ticks under the buckets they started in.

use super::{render, Chart, DrawResult, Hit, Palette, Words};
use crate::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The chart's title: `title`, the one egress gateway the filter narrows to, and the bucket.
pub fn concurrency_title(s: &Summary, title: &str) -> String {
    match &s.filter.egress[..] {
        [gw] => format!("{title}: {gw} ({} min)", s.timeline.bucket_min),
        _ => format!("{title} ({} min)", s.timeline.bucket_min),
    }
}

/// Draws concurrent calls per bucket (`Summary::load`); each bucket is clickable.
pub fn concurrency_over_time(s: &Summary, pal: &Palette, title: &str, words: &Words) -> Chart {
    let points = &s.timeline.points;
    let n = points.len().max(1);
    let load = s.load.as_ref();
    let series: &[u32] = load.map_or(&[], |l| &l.series.peak);
    let (peak, p95) = load.map_or((0, 0), |l| {
        (l.overall.peak_concurrent, l.overall.p95_concurrent)
    });
    let (peak_cps, p95_cps) = load.map_or((0, 0), |l| (l.overall.peak_cps, l.overall.p95_cps));
    let max = f64::from(peak.max(1));
    let refusals = load.map_or(&[][..], |l| &l.series.refusals[..]);
    let bucket_ms = i64::from(s.timeline.bucket_min) * 60_000;
    let title = concurrency_title(s, title);
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
        let legend = ("sans-serif", 12)
            .into_font()
            .color(&pal.muted())
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&PathElement::new(
            vec![(10, 36), (24, 36)],
            pal.series().stroke_width(2),
        ))?;
        // The line is the most calls at once in each bucket; peak and p95 are per second.
        let mut key = format!(
            "{} · {} {} · p95 {}",
            words.bucket_max,
            words.peak,
            words.int(peak.into()),
            words.int(p95.into())
        );
        let refused: Vec<(String, u64)> = refusals
            .iter()
            .map(|r| {
                let total = r.per_bucket.iter().map(|&v| u64::from(v)).sum::<u64>();
                (
                    format!("{} {} ({})", r.codes, r.gateway, words.int(total)),
                    total,
                )
            })
            .collect();
        if !refused.is_empty() {
            key.push_str("   ▲ ");
            key.push_str(words.refused);
            key.push(' ');
            key.push_str(
                &refused
                    .iter()
                    .map(|r| r.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if load.is_some() {
            root.draw(&Text::new(super::clip(&key, 100), (30, 36), legend.clone()))?;
            // Attempts per second, the other capacity figure (a CPS limit), on a line of its own.
            let cps = format!(
                "{}: {} {} · p95 {}",
                words.cps,
                words.peak,
                words.int(peak_cps.into()),
                words.int(p95_cps.into())
            );
            root.draw(&Text::new(cps, (30, 54), legend))?;
        }
        let mut chart = ChartBuilder::on(root)
            .margin_top(66)
            .margin_right(44)
            .margin_left(6)
            .x_label_area_size(24)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..n as f64, 0f64..max * 1.15)?;
        let label_style = ("sans-serif", 11).into_font().color(&pal.muted());
        let fmt_x = |v: &f64| {
            points
                .get(v.floor().max(0.0) as usize)
                .map(|p| super::timeline::short_label(&p.label, s.timeline.bucket_min))
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(8))
            .x_label_formatter(&fmt_x)
            .y_labels(5)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(label_style.clone())
            .axis_style(pal.grid())
            .bold_line_style(pal.grid())
            .light_line_style(pal.grid().mix(0.0))
            .draw()?;
        // The peak and p95 levels, labelled at the right end: peak above its line, p95 below
        // its own, so that close levels do not print over each other.
        for (v, name, vpos) in [(peak, words.peak, VPos::Bottom), (p95, "p95", VPos::Top)] {
            if load.is_none() {
                break;
            }
            let y = f64::from(v);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, y), (n as f64, y)],
                pal.muted().mix(0.6).stroke_width(1),
            )))?;
            let (x, yy) = chart.backend_coord(&(n as f64, y));
            root.draw(&Text::new(
                format!("{name} {}", words.int(v.into())),
                (x + 2, yy),
                label_style.clone().pos(Pos::new(HPos::Left, vpos)),
            ))?;
        }
        // The step line: each bucket at its highest level.
        let mut line = Vec::with_capacity(series.len() * 2);
        for (i, &v) in series.iter().enumerate() {
            line.push((i as f64, f64::from(v)));
            line.push((i as f64 + 1.0, f64::from(v)));
        }
        chart.draw_series(LineSeries::new(line, pal.series().stroke_width(2)))?;
        // Refusals: a tick under each bucket with one.
        let bad = pal.class("5xx");
        for r in refusals {
            chart.draw_series(r.per_bucket.iter().enumerate().filter(|(_, &k)| k > 0).map(
                |(i, _)| {
                    let (x, y) = (i as f64 + 0.5, 0.0);
                    TriangleMarker::new((x, y), 5, bad.filled())
                },
            ))?;
        }
        Ok(super::timeline::bucket_hits(
            points,
            bucket_ms,
            max * 1.15,
            |x, y| chart.backend_coord(&(x, y)),
        ))
    })
}
