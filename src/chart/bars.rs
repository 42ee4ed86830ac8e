//! Horizontal bar charts: final codes, gateway health, failing destinations, end direction.

use super::{clip, render, Chart, DrawResult, Hit, Palette, Words};
use crate::analysis::filter::EndedBy;
use crate::analysis::Filter;
use crate::summary::{CodeCount, Summary};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: its label, length, colour, the note printed after it and the calls behind it.
struct BarRow {
    label: String,
    value: f64,
    color: RGBColor,
    note: String,
    filter: Filter,
}

const WIDTH: u32 = 640;
const ROW_H: u32 = 26;
const TOP: u32 = 34;
const BOTTOM: u32 = 24;
const LABEL_W: u32 = 190;

/// Draws titled horizontal bars, one row per entry, the x axis up to `x_max`.
fn hbars(
    title: &str,
    rows: &[BarRow],
    pal: &Palette,
    x_max: f64,
    x_fmt: &dyn Fn(f64) -> String,
    (label_w, margin_right): (u32, u32),
) -> Chart {
    let n = rows.len().max(1);
    let height = TOP + BOTTOM + ROW_H * n as u32;
    let title = title.to_string();
    render(WIDTH, height, |root| -> DrawResult<Vec<Hit>> {
        let text = pal.text();
        root.draw(&Text::new(
            title,
            (8, 8),
            ("sans-serif", 15)
                .into_font()
                .style(FontStyle::Bold)
                .color(&text),
        ))?;
        let mut chart = ChartBuilder::on(root)
            .margin_top(TOP)
            .margin_right(margin_right)
            .margin_left(4)
            .x_label_area_size(BOTTOM - 4)
            .y_label_area_size(label_w)
            .build_cartesian_2d(0f64..x_max.max(1.0), 0f64..n as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_label_formatter(&|v| x_fmt(*v))
            .label_style(("sans-serif", 11).into_font().color(&pal.muted()))
            .axis_style(pal.grid())
            .bold_line_style(pal.grid())
            .light_line_style(pal.grid().mix(0.0))
            .draw()?;
        let label_style = ("sans-serif", 13)
            .into_font()
            .color(&text)
            .pos(Pos::new(HPos::Right, VPos::Center));
        let note_style = ("sans-serif", 12)
            .into_font()
            .color(&pal.muted())
            .pos(Pos::new(HPos::Left, VPos::Center));
        let mut hits = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let y_top = (n - i) as f64 - 0.15;
            let y_bottom = (n - i - 1) as f64 + 0.15;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y_bottom), (r.value.max(0.0), y_top)],
                r.color.filled(),
            )))?;
            let (lx, ly) = chart.backend_coord(&(0.0, (n - i) as f64 - 0.5));
            root.draw(&Text::new(
                clip(&r.label, (label_w / 7) as usize),
                (lx - 6, ly),
                label_style.clone(),
            ))?;
            let (vx, _) = chart.backend_coord(&(r.value.max(0.0), 0.0));
            root.draw(&Text::new(r.note.clone(), (vx + 5, ly), note_style.clone()))?;
            let (_, top_px) = chart.backend_coord(&(0.0, (n - i) as f64));
            let (_, bottom_px) = chart.backend_coord(&(0.0, (n - i - 1) as f64));
            hits.push(Hit {
                x0: 0,
                y0: top_px,
                x1: WIDTH as i32,
                y1: bottom_px,
                label: r.label.clone(),
                filter: r.filter.clone(),
            });
        }
        Ok(hits)
    })
}

/// A count axis tick in the chart's language (`1,500` / `1.500`), thousands as `k` from 10,000.
fn count_fmt(v: f64, words: &Words) -> String {
    if v >= 10_000.0 {
        format!("{}k", words.int((v / 1000.0).round() as u64))
    } else {
        words.int(v.max(0.0).round() as u64)
    }
}

fn pct_fmt(v: f64) -> String {
    format!("{v:.0}%")
}

/// Final-code distribution: the `top_n` most frequent codes, the rest as one "other" bar.
pub fn code_distribution(
    s: &Summary,
    pal: &Palette,
    title: &str,
    words: &Words,
    top_n: usize,
    side: CodeSide,
) -> Chart {
    let answered = side == CodeSide::Answered;
    let codes: Vec<&CodeCount> = s
        .by_code
        .iter()
        .filter(|c| c.answered == answered)
        .collect();
    let code_filter = |codes: Vec<String>| Filter {
        code: codes,
        answered: Some(answered),
        ..Filter::default()
    };
    let mut rows: Vec<BarRow> = codes
        .iter()
        .take(top_n)
        .map(|c| BarRow {
            label: match words.code_label(c) {
                l if l.is_empty() => c.code.clone(),
                l => format!("{} {l}", c.code),
            },
            value: c.count as f64,
            color: pal.class(&c.class),
            note: format!("{} · {}", words.int(c.count), words.pct(Some(c.share))),
            filter: code_filter(vec![c.code.clone()]),
        })
        .collect();
    let rest = codes.get(top_n..).unwrap_or_default();
    if !rest.is_empty() {
        let count: u64 = rest.iter().map(|c| c.count).sum();
        let share: f64 = rest.iter().map(|c| c.share).sum();
        rows.push(BarRow {
            label: format!("{} ({})", words.other, rest.len()),
            value: count as f64,
            color: pal.class("other"),
            note: format!("{} · {}", words.int(count), words.pct(Some(share))),
            filter: code_filter(rest.iter().map(|c| c.code.clone()).collect()),
        });
    }
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    hbars(
        title,
        &rows,
        pal,
        max * 1.3,
        &|v| count_fmt(v, words),
        (LABEL_W, 12),
    )
}

/// Which calls a code chart shows: the failure codes of unanswered attempts, or the end codes
/// of answered calls (which say how they ended, never why a call failed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeSide {
    /// Why unanswered attempts failed.
    Failed,
    /// How answered calls ended.
    Answered,
}

/// ASR per egress gateway (top `top_n` by attempts), each bar in its health colour, with the
/// dominant failure code, ACD and PDD.
pub fn gateway_health(
    s: &Summary,
    pal: &Palette,
    title: &str,
    words: &Words,
    top_n: usize,
) -> Chart {
    let rows: Vec<BarRow> = s
        .by_egress_gateway
        .iter()
        .take(top_n)
        .map(|g| BarRow {
            label: words.name(&g.name).to_string(),
            value: g.kpis.asr.unwrap_or(0.0) * 100.0,
            color: pal.verdict(g.kpis.health.verdict),
            note: format!(
                "{}{} · ACD {} · PDD {}",
                words.pct(g.kpis.asr),
                g.top_failure.as_ref().map_or(String::new(), |f| format!(
                    " · ✕{} {:.0}%",
                    f.code,
                    f.share * 100.0
                )),
                g.kpis
                    .acd_s
                    .map_or("–".into(), |v| format!("{}s", words.dec(v, 0))),
                g.kpis
                    .pdd_avg_ms
                    .map_or("–".into(), |v| format!("{}s", words.dec(v / 1000.0, 1))),
            ),
            filter: Filter {
                egress: vec![g.name.clone()],
                ..Filter::default()
            },
        })
        .collect();
    hbars(title, &rows, pal, 100.0, &pct_fmt, (150, 235))
}

/// Destinations whose dominant failure code hurts most (prefix × code), top `top_n`.
pub fn failing_destinations(
    s: &Summary,
    pal: &Palette,
    title: &str,
    words: &Words,
    top_n: usize,
) -> Chart {
    let mut dests: Vec<_> = s
        .by_destination
        .iter()
        .filter_map(|d| d.top_failure.as_ref().map(|f| (d, f)))
        .collect();
    dests.sort_by(|a, b| {
        b.1.count
            .cmp(&a.1.count)
            .then_with(|| a.0.name.cmp(&b.0.name))
    });
    let rows: Vec<BarRow> = dests
        .into_iter()
        .take(top_n)
        .map(|(d, f)| BarRow {
            label: format!("{} · {}", words.name(&d.name), f.code),
            value: f.count as f64,
            color: pal.class(&f.class),
            note: format!(
                "{} × {} · {}",
                words.int(f.count),
                f.code,
                words.pct(Some(f.share))
            ),
            filter: Filter {
                prefix: vec![d.name.clone()],
                code: vec![f.code.clone()],
                answered: Some(false),
                ..Filter::default()
            },
        })
        .collect();
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    hbars(
        title,
        &rows,
        pal,
        max * 1.4,
        &|v| count_fmt(v, words),
        (LABEL_W, 12),
    )
}

/// Who hung up: calls per end direction.
pub fn direction_split(s: &Summary, pal: &Palette, title: &str, words: &Words) -> Chart {
    let total: u64 = s.by_end_direction.iter().map(|d| d.count).sum();
    let rows: Vec<BarRow> = s
        .by_end_direction
        .iter()
        .map(|d| BarRow {
            label: words.direction(&d.name).to_string(),
            value: d.count as f64,
            color: match d.name.as_str() {
                "caller" => pal.series(),
                "callee" => pal.class("2xx"),
                "server" => pal.class("5xx"),
                _ => pal.class("other"),
            },
            note: format!(
                "{} · {}",
                words.int(d.count),
                words.pct((total > 0).then(|| d.count as f64 / total as f64))
            ),
            filter: Filter {
                direction: vec![EndedBy::parse(&d.name)],
                ..Filter::default()
            },
        })
        .collect();
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    hbars(
        title,
        &rows,
        pal,
        max * 1.3,
        &|v| count_fmt(v, words),
        (LABEL_W, 12),
    )
}

/// One group of a comparison for [`compare_asr`]: its name, ASR before and after (0..1), and
/// whether the change is significant.
pub struct AsrPair {
    /// The group's name as shown (a destination with its country).
    pub label: String,
    /// ASR before.
    pub before: Option<f64>,
    /// ASR after.
    pub after: Option<f64>,
    /// Whether the change passed the comparison's significance test.
    pub significant: bool,
    /// The group's filter.
    pub filter: Filter,
}

/// Compare mode's paired chart: each group's ASR before (grey) and after (red when it fell
/// significantly, green when it rose significantly, else blue), in the order given (most lost
/// answered calls first). `sides` names before and after in the page's language.
pub fn compare_asr(
    pairs: &[AsrPair],
    pal: &Palette,
    title: &str,
    words: &Words,
    (before, after): (&str, &str),
) -> Chart {
    let mut rows = Vec::with_capacity(pairs.len() * 2);
    for p in pairs {
        rows.push(BarRow {
            label: format!("{} · {before}", words.name(&p.label)),
            value: p.before.unwrap_or(0.0) * 100.0,
            color: pal.muted(),
            note: words.pct(p.before),
            filter: p.filter.clone(),
        });
        let color = match (p.significant, p.before, p.after) {
            (true, Some(b), Some(a)) if a < b => pal.class("5xx"),
            (true, _, _) => pal.class("2xx"),
            _ => pal.series(),
        };
        rows.push(BarRow {
            label: after.to_string(),
            value: p.after.unwrap_or(0.0) * 100.0,
            color,
            note: format!("{} → {}", words.pct(p.before), words.pct(p.after)),
            filter: p.filter.clone(),
        });
    }
    hbars(title, &rows, pal, 100.0, &pct_fmt, (LABEL_W, 130))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_pairs_draw_two_bars_per_group() {
        let pair = |label: &str, before, after, significant| AsrPair {
            label: label.into(),
            before: Some(before),
            after: Some(after),
            significant,
            filter: Filter::default(),
        };
        let c = compare_asr(
            &[
                pair("GW_A", 0.41, 0.22, true),
                pair("GW_B", 0.5, 0.51, false),
            ],
            &Palette { dark: false },
            "ASR before → after",
            &Words::default(),
            ("before", "after"),
        );
        assert_eq!(c.hits.len(), 4);
        for text in [
            "GW_A · before",
            "41.0% → 22.0%",
            "GW_B · before",
            "50.0% → 51.0%",
        ] {
            assert!(c.svg.contains(text), "{text} in {}", c.svg);
        }
        // The significant fall in the 5xx red, the insignificant change in the series blue.
        assert!(
            c.svg.to_ascii_uppercase().contains("#D63B3B"),
            "red after bar"
        );
    }

    #[test]
    fn count_ticks_are_written_in_the_charts_language() {
        let es = Words {
            lang: "es",
            ..Words::default()
        };
        let en = Words::default();
        let ticks = |w: &Words| [1500.0, 0.0, 25_000.0, 1_250_000.0].map(|v| count_fmt(v, w));
        assert_eq!(ticks(&en), ["1,500", "0", "25k", "1,250k"]);
        assert_eq!(ticks(&es), ["1.500", "0", "25k", "1.250k"]);
    }
}
