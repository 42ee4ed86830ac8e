//! Charts drawn from a [`Summary`] with plotters into SVG text.
//!
//! Platform-free: the page inserts the SVG on the main thread (plotters measures text through
//! `document` on wasm, so it cannot draw inside a Worker) and the native tests read the same SVG.
//! Every chart also returns its clickable regions ([`Hit`]) with the filter that drills into them.

mod bars;
mod concurrency;
mod donut;
mod histogram;
mod palette;
mod timeline;
mod words;

pub use bars::{
    code_distribution, compare_asr, direction_split, failing_destinations, gateway_health, AsrPair,
    CodeSide,
};
pub use concurrency::{concurrency_over_time, concurrency_title};
pub use donut::outcome_donut;
pub use histogram::{duration_histogram, pdd_histogram};
pub use palette::Palette;
pub use timeline::{asr_segments, attempts_over_time, ASR_MIN_ATTEMPTS};
pub use words::Words;

use crate::analysis::Filter;

/// A drawn chart: SVG text and the regions a click can drill into.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    /// The SVG document (text escaped by the SVG backend).
    pub svg: String,
    /// Width of the drawing in SVG units.
    pub width: u32,
    /// Height of the drawing in SVG units.
    pub height: u32,
    /// Clickable regions, in SVG units.
    pub hits: Vec<Hit>,
}

/// A clickable rectangle of a chart and what it shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hit {
    /// Left edge.
    pub x0: i32,
    /// Top edge.
    pub y0: i32,
    /// Right edge.
    pub x1: i32,
    /// Bottom edge.
    pub y1: i32,
    /// What the region is (a code, a gateway, a time bucket), for tooltips.
    pub label: String,
    /// The calls behind the region.
    pub filter: Filter,
}

impl Hit {
    /// Whether the point lies inside the region.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= f64::from(self.x0.min(self.x1))
            && x <= f64::from(self.x0.max(self.x1))
            && y >= f64::from(self.y0.min(self.y1))
            && y <= f64::from(self.y0.max(self.y1))
    }
}

/// Errors of the drawing backend, boxed: a failed chart becomes an empty one, never a panic.
type DrawResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Formats a 0..1 share as a percentage with one decimal.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// Cuts a label to `max` characters (with an ellipsis) so long gateway names keep charts
/// readable; control and invisible characters are shown escaped ([`crate::display::visible`]):
/// a control character is not valid in the SVG's XML and would make the whole chart fail.
pub fn clip(s: &str, max: usize) -> String {
    let s = &*crate::display::visible(s);
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Runs a drawing function into a fresh SVG string of the given size.
fn render(
    width: u32,
    height: u32,
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<plotters::backend::SVGBackend<'_>, plotters::coord::Shift>,
    ) -> DrawResult<Vec<Hit>>,
) -> Chart {
    use plotters::prelude::*;
    let mut svg = String::new();
    let hits = {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let hits = draw(&root).unwrap_or_default();
        let _ = root.present();
        hits
    };
    Chart {
        svg,
        width,
        height,
        hits,
    }
}

#[cfg(test)]
mod tests;
