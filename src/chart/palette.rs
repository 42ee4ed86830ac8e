//! Chart colours for the light and dark themes, and the colour of each code class and verdict.

use crate::analysis::health::Verdict;
use crate::outcome::Outcome;
use plotters::style::RGBColor;

/// The colours a chart is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Whether the page is in dark theme.
    pub dark: bool,
}

impl Palette {
    /// Text colour.
    pub fn text(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xe6, 0xe9, 0xef)
        } else {
            RGBColor(0x1d, 0x23, 0x2e)
        }
    }

    /// Secondary text colour (axes, ticks).
    pub fn muted(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x9a, 0xa4, 0xb5)
        } else {
            RGBColor(0x5b, 0x64, 0x73)
        }
    }

    /// Grid line colour.
    pub fn grid(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x33, 0x3a, 0x47)
        } else {
            RGBColor(0xe3, 0xe6, 0xeb)
        }
    }

    /// The neutral series colour (attempts).
    pub fn series(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x5b, 0x8d, 0xd6)
        } else {
            RGBColor(0x3a, 0x6e, 0xbf)
        }
    }

    /// The accent series colour (ASR line).
    pub fn accent(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xf2, 0xc1, 0x4e)
        } else {
            RGBColor(0xc2, 0x6a, 0x00)
        }
    }

    /// The colour of a SIP class (`2xx` … `6xx`, `other`): green is answered, red is server failure.
    pub fn class(&self, class: &str) -> RGBColor {
        match class {
            "2xx" => RGBColor(0x2e, 0x9e, 0x5b),
            "1xx" | "3xx" => RGBColor(0x6f, 0x86, 0xa6),
            "4xx" => RGBColor(0xe0, 0x8a, 0x1e),
            "5xx" => RGBColor(0xd6, 0x3b, 0x3b),
            "6xx" => RGBColor(0x8e, 0x5b, 0xc7),
            _ => RGBColor(0x8a, 0x93, 0x9f),
        }
    }

    /// The colour of an outcome: green answered, warm colours for the far end's failures,
    /// greys for what the caller did or the record does not say.
    pub fn outcome(&self, o: Outcome) -> RGBColor {
        match o {
            Outcome::Answered => RGBColor(0x2e, 0x9e, 0x5b),
            Outcome::Busy => RGBColor(0xe0, 0x8a, 0x1e),
            Outcome::NoAnswer => RGBColor(0xe8, 0xb9, 0x3a),
            Outcome::Cancelled => RGBColor(0x6f, 0x86, 0xa6),
            Outcome::Rejected => RGBColor(0x8e, 0x5b, 0xc7),
            Outcome::NumberError => RGBColor(0xb5, 0x6a, 0x2a),
            Outcome::NoRoute => RGBColor(0x7a, 0x3e, 0x9d),
            Outcome::Unavailable => RGBColor(0xd6, 0x3b, 0x3b),
            Outcome::Timeout => RGBColor(0xa8, 0x2a, 0x4e),
            Outcome::Media => RGBColor(0x2a, 0x8c, 0x9e),
            Outcome::Auth => RGBColor(0x4a, 0x5a, 0xd0),
            Outcome::Other => RGBColor(0x8a, 0x93, 0x9f),
        }
    }

    /// The colour of a health verdict.
    pub fn verdict(&self, v: Verdict) -> RGBColor {
        match v {
            Verdict::Healthy => RGBColor(0x2e, 0x9e, 0x5b),
            // Grey: the calls cannot tell, so no colour that claims a state.
            Verdict::Unsure => RGBColor(0x8a, 0x93, 0x9f),
            Verdict::Warning => RGBColor(0xe0, 0x8a, 0x1e),
            Verdict::Degraded => RGBColor(0xd6, 0x3b, 0x3b),
        }
    }
}
