//! Cause-code mappings between Q.850 (ISUP) and SIP as data: RFC 3398 both ways, and the vendor
//! tables that deviate from it. A mapping is "disputed" when two sources map the same value to
//! different codes, so the reference can say so instead of presenting one answer as fact.

use serde::Serialize;

/// Who defines a mapping row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingSource {
    /// RFC 3398 §7.2.4.1 (ISUP→SIP) and §8.2.6.1 (SIP→ISUP).
    Rfc3398,
    /// FreeSWITCH mod_sofia `hangup_cause_to_sip` (unmapped causes fall back to 480).
    #[serde(rename = "freeswitch")]
    FreeSwitch,
    /// Asterisk `hangup_sip2cause`.
    Asterisk,
    /// Oracle SBC Reason-header interworking defaults.
    Oracle,
}

impl MappingSource {
    /// The short machine name, also the text key of its label.
    pub fn as_str(self) -> &'static str {
        match self {
            MappingSource::Rfc3398 => "rfc3398",
            MappingSource::FreeSwitch => "freeswitch",
            MappingSource::Asterisk => "asterisk",
            MappingSource::Oracle => "oracle",
        }
    }
}

/// Which way a mapping row translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingDirection {
    /// From a Q.850 / ISUP cause to a SIP response.
    Q850ToSip,
    /// From a SIP response to a Q.850 / ISUP cause.
    SipToQ850,
}

/// One row of a mapping table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MappingRow {
    /// The table it comes from.
    pub source: MappingSource,
    /// Which way it translates.
    pub direction: MappingDirection,
    /// The value translated from.
    pub from: u16,
    /// The value translated to; `None` when the source defines explicitly that there is none.
    pub to: Option<u16>,
    /// The id of a note on the row (the RFC's footnote, a vendor default), empty when none; its
    /// text is `note.<id>` in the language tables.
    pub note: &'static str,
}

/// A mapping row as the reference shows it, with whether sources disagree about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Mapping {
    /// The row.
    #[serde(flatten)]
    pub row: MappingRow,
    /// True when another source maps the same value, the same way, to a different code.
    pub disputed: bool,
}

use MappingDirection::{Q850ToSip as QS, SipToQ850 as SQ};
use MappingSource::{Asterisk as AST, FreeSwitch as FS, Oracle as ORA, Rfc3398 as RFC};

const fn r(
    source: MappingSource,
    direction: MappingDirection,
    from: u16,
    to: Option<u16>,
    note: &'static str,
) -> MappingRow {
    MappingRow {
        source,
        direction,
        from,
        to,
        note,
    }
}

/// Every mapping row. RFC 3398 first, then the vendor tables.
pub const MAPPINGS: &[MappingRow] = &[
    // RFC 3398 §7.2.4.1: ISUP cause → SIP response.
    r(RFC, QS, 1, Some(404), ""),
    r(RFC, QS, 2, Some(404), ""),
    r(RFC, QS, 3, Some(404), ""),
    r(RFC, QS, 16, None, "bye_or_cancel"),
    r(RFC, QS, 17, Some(486), ""),
    r(RFC, QS, 18, Some(408), ""),
    r(RFC, QS, 19, Some(480), ""),
    r(RFC, QS, 20, Some(480), ""),
    r(RFC, QS, 21, Some(403), "user_location_603"),
    r(RFC, QS, 22, Some(410), "diagnostic_301"),
    r(RFC, QS, 23, Some(410), ""),
    r(RFC, QS, 26, Some(404), "ansi"),
    r(RFC, QS, 27, Some(502), ""),
    r(RFC, QS, 28, Some(484), ""),
    r(RFC, QS, 29, Some(501), "typo_510"),
    r(RFC, QS, 31, Some(480), ""),
    r(RFC, QS, 34, Some(503), ""),
    r(RFC, QS, 38, Some(503), ""),
    r(RFC, QS, 41, Some(503), ""),
    r(RFC, QS, 42, Some(503), ""),
    r(RFC, QS, 47, Some(503), ""),
    r(RFC, QS, 55, Some(403), ""),
    r(RFC, QS, 57, Some(403), ""),
    r(RFC, QS, 58, Some(503), ""),
    r(RFC, QS, 65, Some(488), ""),
    r(RFC, QS, 70, Some(488), ""),
    r(RFC, QS, 79, Some(501), ""),
    r(RFC, QS, 87, Some(403), ""),
    r(RFC, QS, 88, Some(503), ""),
    r(RFC, QS, 102, Some(504), ""),
    r(RFC, QS, 111, Some(500), ""),
    r(RFC, QS, 127, Some(500), ""),
    // RFC 3398 §8.2.6.1: SIP response → ISUP cause.
    r(RFC, SQ, 400, Some(41), ""),
    r(RFC, SQ, 401, Some(21), "challenge"),
    r(RFC, SQ, 402, Some(21), ""),
    r(RFC, SQ, 403, Some(21), ""),
    r(RFC, SQ, 404, Some(1), ""),
    r(RFC, SQ, 405, Some(63), ""),
    r(RFC, SQ, 406, Some(79), ""),
    r(RFC, SQ, 407, Some(21), "challenge"),
    r(RFC, SQ, 408, Some(102), ""),
    r(RFC, SQ, 410, Some(22), ""),
    r(RFC, SQ, 413, Some(127), ""),
    r(RFC, SQ, 414, Some(127), ""),
    r(RFC, SQ, 415, Some(79), ""),
    r(RFC, SQ, 416, Some(127), ""),
    r(RFC, SQ, 420, Some(127), ""),
    r(RFC, SQ, 421, Some(127), ""),
    r(RFC, SQ, 423, Some(127), ""),
    r(RFC, SQ, 480, Some(18), ""),
    r(RFC, SQ, 481, Some(41), ""),
    r(RFC, SQ, 482, Some(25), ""),
    r(RFC, SQ, 483, Some(25), ""),
    r(RFC, SQ, 484, Some(28), ""),
    r(RFC, SQ, 485, Some(1), ""),
    r(RFC, SQ, 486, Some(17), ""),
    r(RFC, SQ, 487, None, "cancel"),
    r(RFC, SQ, 488, None, "warning_header"),
    r(RFC, SQ, 500, Some(41), ""),
    r(RFC, SQ, 501, Some(79), ""),
    r(RFC, SQ, 502, Some(38), ""),
    r(RFC, SQ, 503, Some(41), ""),
    r(RFC, SQ, 504, Some(102), ""),
    r(RFC, SQ, 505, Some(127), ""),
    r(RFC, SQ, 513, Some(127), ""),
    r(RFC, SQ, 600, Some(17), ""),
    r(RFC, SQ, 603, Some(21), ""),
    r(RFC, SQ, 604, Some(1), ""),
    r(RFC, SQ, 606, None, "warning_header"),
    // FreeSWITCH hangup_cause_to_sip (mod_sofia): cause → SIP. Unlisted causes send 480.
    r(FS, QS, 1, Some(404), ""),
    r(FS, QS, 2, Some(404), ""),
    r(FS, QS, 3, Some(404), ""),
    r(FS, QS, 17, Some(486), ""),
    r(FS, QS, 18, Some(408), ""),
    r(FS, QS, 19, Some(480), ""),
    r(FS, QS, 20, Some(480), ""),
    r(FS, QS, 21, Some(603), ""),
    r(FS, QS, 22, Some(410), ""),
    r(FS, QS, 23, Some(410), ""),
    r(FS, QS, 25, Some(483), ""),
    r(FS, QS, 27, Some(502), ""),
    r(FS, QS, 28, Some(484), ""),
    r(FS, QS, 29, Some(501), ""),
    r(FS, QS, 31, Some(480), ""),
    r(FS, QS, 34, Some(503), ""),
    r(FS, QS, 38, Some(503), ""),
    r(FS, QS, 41, Some(503), ""),
    r(FS, QS, 42, Some(503), ""),
    r(FS, QS, 44, Some(503), ""),
    r(FS, QS, 52, Some(403), ""),
    r(FS, QS, 54, Some(403), ""),
    r(FS, QS, 57, Some(403), ""),
    r(FS, QS, 58, Some(503), ""),
    r(FS, QS, 65, Some(488), ""),
    r(FS, QS, 69, Some(501), ""),
    r(FS, QS, 79, Some(501), ""),
    r(FS, QS, 88, Some(488), ""),
    r(FS, QS, 102, Some(504), ""),
    r(FS, QS, 16, Some(480), "freeswitch_default"),
    r(FS, QS, 47, Some(480), "freeswitch_default"),
    r(FS, QS, 111, Some(480), "freeswitch_default"),
    r(FS, QS, 127, Some(480), "freeswitch_default"),
    // Asterisk hangup_sip2cause: SIP → cause.
    r(AST, SQ, 401, Some(21), ""),
    r(AST, SQ, 403, Some(21), ""),
    r(AST, SQ, 404, Some(1), ""),
    r(AST, SQ, 407, Some(21), ""),
    r(AST, SQ, 408, Some(18), ""),
    r(AST, SQ, 409, Some(41), ""),
    r(AST, SQ, 410, Some(22), ""),
    r(AST, SQ, 413, Some(127), ""),
    r(AST, SQ, 414, Some(127), ""),
    r(AST, SQ, 415, Some(127), ""),
    r(AST, SQ, 420, Some(3), ""),
    r(AST, SQ, 480, Some(19), ""),
    r(AST, SQ, 481, Some(127), ""),
    r(AST, SQ, 482, Some(127), ""),
    r(AST, SQ, 483, Some(19), ""),
    r(AST, SQ, 484, Some(28), ""),
    r(AST, SQ, 485, Some(1), ""),
    r(AST, SQ, 486, Some(17), ""),
    r(AST, SQ, 487, Some(127), ""),
    r(AST, SQ, 488, Some(58), ""),
    r(AST, SQ, 491, Some(127), ""),
    r(AST, SQ, 493, Some(127), ""),
    r(AST, SQ, 500, Some(38), ""),
    r(AST, SQ, 501, Some(29), ""),
    r(AST, SQ, 502, Some(27), ""),
    r(AST, SQ, 503, Some(34), ""),
    r(AST, SQ, 504, Some(102), ""),
    r(AST, SQ, 505, Some(127), ""),
    r(AST, SQ, 600, Some(17), ""),
    r(AST, SQ, 603, Some(21), ""),
    r(AST, SQ, 604, Some(1), ""),
    r(AST, SQ, 606, Some(58), ""),
    // Oracle SBC Reason-header interworking: SIP → cause, where it differs or is notable.
    r(ORA, SQ, 408, Some(102), ""),
    r(ORA, SQ, 480, Some(20), ""),
    r(ORA, SQ, 503, Some(41), ""),
    r(ORA, SQ, 504, Some(102), ""),
    r(ORA, SQ, 604, Some(2), ""),
];

fn find(
    source: MappingSource,
    direction: MappingDirection,
    from: u16,
) -> Option<&'static MappingRow> {
    MAPPINGS
        .iter()
        .find(|m| m.source == source && m.direction == direction && m.from == from)
}

/// RFC 3398 §7.2.4.1: the SIP response for an ISUP/Q.850 cause, `None` when the RFC gives none
/// (including 16, which clears with BYE/CANCEL).
pub fn isup_to_sip(cause: u16) -> Option<u16> {
    find(MappingSource::Rfc3398, MappingDirection::Q850ToSip, cause).and_then(|m| m.to)
}

/// RFC 3398 §8.2.6.1: the ISUP/Q.850 cause for a SIP response, `None` when the RFC gives none.
pub fn sip_to_isup(sip: u16) -> Option<u16> {
    find(MappingSource::Rfc3398, MappingDirection::SipToQ850, sip).and_then(|m| m.to)
}

/// The mapping a given source defines for a value, `None` when its table has no row (for
/// FreeSWITCH Q.850→SIP that means its default 480).
pub fn map(source: MappingSource, direction: MappingDirection, from: u16) -> Option<MappingRow> {
    find(source, direction, from).copied()
}

/// Every row translating `from` in `direction`, from every source, each marked disputed when
/// the sources disagree.
pub fn mappings_from(direction: MappingDirection, from: u16) -> Vec<Mapping> {
    let rows: Vec<&MappingRow> = MAPPINGS
        .iter()
        .filter(|m| m.direction == direction && m.from == from)
        .collect();
    let disputed = rows.iter().any(|a| rows.iter().any(|b| a.to != b.to));
    rows.into_iter()
        .map(|row| Mapping {
            row: *row,
            disputed,
        })
        .collect()
}

/// Every row translating *to* `to` in `direction` (the reverse look-up: which causes become 503).
pub fn mappings_to(direction: MappingDirection, to: u16) -> Vec<Mapping> {
    let mut out = Vec::new();
    for m in MAPPINGS
        .iter()
        .filter(|m| m.direction == direction && m.to == Some(to))
    {
        out.extend(
            mappings_from(direction, m.from)
                .into_iter()
                .filter(|x| x.row == *m),
        );
    }
    out
}
