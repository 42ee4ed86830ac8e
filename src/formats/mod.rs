//! CDR formats: detection with a confidence and a reason, and one row mapper per source.

pub mod asterisk;
pub mod carrier;
pub mod cucm;
pub mod fields;
pub mod freeswitch;
pub mod freeswitch_json;
pub mod freeswitch_xml;
pub mod generic;
pub mod kamailio;
pub mod kamailio_syslog;
pub mod mapping_keys;
pub mod mapping_suggest;
pub mod preview;
pub mod prosbc;
pub mod threecx;
pub mod values;
pub mod vos3000;

use crate::call::{Call, TimeBasis};
use crate::numbers::PlanSettings;
use crate::reject::RejectReason;
use serde::{Deserialize, Serialize};
pub use values::DateOrder;

/// The CDR sources cdrscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatId {
    /// VOS3000 `e_cdr` exports, API JSON field names and Chinese client exports.
    Vos3000,
    /// Asterisk `Master.csv` (cdr_csv, cdr_custom) and the SQL `cdr` table (FreePBX).
    Asterisk,
    /// FreeSWITCH mod_cdr_csv, default and custom templates.
    Freeswitch,
    /// Kamailio / OpenSIPS `acc` rows.
    Kamailio,
    /// Cisco CUCM CDR files.
    Cucm,
    /// 3CX CDR service records and call report exports.
    ThreeCx,
    /// TelcoBridges ProSBC text CDRs, two legs per call.
    ProSbc,
    /// Carrier / CPaaS call logs (Twilio, Plivo, Vonage): status, direction, duration, price.
    Carrier,
    /// Any CSV with a user-given column mapping.
    Generic,
}

impl FormatId {
    /// Every format, in detection order.
    pub const ALL: [FormatId; 9] = [
        FormatId::Vos3000,
        FormatId::Asterisk,
        FormatId::Freeswitch,
        FormatId::Kamailio,
        FormatId::Cucm,
        FormatId::ThreeCx,
        FormatId::ProSbc,
        FormatId::Carrier,
        FormatId::Generic,
    ];

    /// The machine id (`vos3000`, `asterisk`, …).
    pub fn id(self) -> &'static str {
        match self {
            FormatId::Vos3000 => "vos3000",
            FormatId::Asterisk => "asterisk",
            FormatId::Freeswitch => "freeswitch",
            FormatId::Kamailio => "kamailio",
            FormatId::Cucm => "cucm",
            FormatId::ThreeCx => "threecx",
            FormatId::ProSbc => "prosbc",
            FormatId::Carrier => "carrier",
            FormatId::Generic => "generic",
        }
    }

    /// The human name.
    pub fn name(self) -> &'static str {
        match self {
            FormatId::Vos3000 => "VOS3000",
            FormatId::Asterisk => "Asterisk",
            FormatId::Freeswitch => "FreeSWITCH",
            FormatId::Kamailio => "Kamailio/OpenSIPS acc",
            FormatId::Cucm => "Cisco CUCM",
            FormatId::ThreeCx => "3CX",
            FormatId::ProSbc => "TelcoBridges ProSBC",
            FormatId::Carrier => "Carrier call log (Twilio, Plivo, Vonage)",
            FormatId::Generic => "Generic CSV (column mapping)",
        }
    }

    /// Parses a machine id, case-insensitively.
    pub fn parse(id: &str) -> Option<FormatId> {
        let id = id.trim().to_ascii_lowercase();
        FormatId::ALL
            .into_iter()
            .find(|f| f.id() == id)
            .or(match id.as_str() {
                "vos" => Some(FormatId::Vos3000),
                "fs" => Some(FormatId::Freeswitch),
                "opensips" => Some(FormatId::Kamailio),
                "3cx" => Some(FormatId::ThreeCx),
                _ => None,
            })
    }
}

/// What the user may impose on reading.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FormatOptions {
    /// Force this format instead of detecting one.
    pub format: Option<FormatId>,
    /// The column mapping for the generic format.
    pub mapping: Option<generic::ColumnMapping>,
    /// How called numbers are read into destinations (home country, user prefixes).
    #[serde(default)]
    pub numbers: PlanSettings,
    /// Whether numeric dates such as `1/9/2017` are day or month first (auto: from the data).
    #[serde(default)]
    pub date_order: DateOrder,
}

/// The chosen format and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// The format.
    pub format: FormatId,
    /// How sure detection is, from 0 to 1 (1 when the user forced it).
    pub confidence: f32,
    /// Why this format was chosen, in one sentence.
    pub reason: String,
    /// How many header rows precede the data.
    pub header_rows: usize,
}

/// One format's opinion about a sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// How well the sample fits, from 0 to 1.
    pub confidence: f32,
    /// Why, in one sentence.
    pub reason: String,
    /// How many header rows precede the data.
    pub header_rows: usize,
}

/// One parsed row: its fields as text.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    text: &'a str,
    ends: &'a [usize],
    /// Bytes between two fields in `text`: 0 for unquoted field text, 1 for a raw line.
    sep: usize,
    position: (u64, u64, u32),
}

impl<'a> Row<'a> {
    /// Makes a row from concatenated field text and the end offset of each field.
    pub fn new(text: &'a str, ends: &'a [usize]) -> Self {
        Row {
            text,
            ends,
            sep: 0,
            position: (0, 0, 0),
        }
    }

    /// Makes a row from a raw line without quotes and the offset of each field's end (each
    /// field but the first starts one delimiter byte after the previous end).
    pub fn from_line(text: &'a str, ends: &'a [usize]) -> Self {
        Row {
            text,
            ends,
            sep: 1,
            position: (0, 0, 0),
        }
    }

    /// The same row, knowing where it is in the file (line, byte offset, byte length), so a
    /// mapper that holds a call back can still point at its row.
    pub fn with_position(mut self, line: u64, offset: u64, len: u32) -> Self {
        self.position = (line, offset, len);
        self
    }

    /// Where the row is in the file: 1-based line, byte offset and byte length (zeros when
    /// unknown).
    pub fn position(&self) -> (u64, u64, u32) {
        self.position
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i`, or `""` when the row is shorter.
    // Inlined by hand: the wasm build otherwise keeps this (and `trimmed`) as calls, one per
    // field read, which cost as much as the mapping itself.
    #[inline(always)]
    pub fn get(&self, i: usize) -> &'a str {
        match self.ends.get(i) {
            Some(&end) => {
                let start = if i == 0 {
                    0
                } else {
                    self.ends[i - 1] + self.sep
                };
                self.text.get(start..end).unwrap_or("")
            }
            None => "",
        }
    }

    /// Field `i`, trimmed, or `""`; the literal NULL spellings of database exports (`NULL`,
    /// `\N`, `(null)`, `None`) are `""` too.
    #[inline(always)]
    pub fn trimmed(&self, i: usize) -> &'a str {
        // CDR fields are padded with ASCII spaces at most; Unicode trimming costs more.
        let v = self.get(i).trim_ascii();
        if is_null_text(v) {
            ""
        } else {
            v
        }
    }
}

/// Whether a field is a literal NULL as database exports write it: `NULL`, `\N`, `(null)`,
/// `None` (any case). A gateway named "NULL" is no gateway.
#[inline(always)]
pub fn is_null_text(v: &str) -> bool {
    // Most fields are numbers or longer text: one length and one byte compare rule them out.
    match v.as_bytes() {
        [b'\\', b'N'] => true,
        [b'N' | b'n', _, _, _] => v.eq_ignore_ascii_case("null") || v.eq_ignore_ascii_case("none"),
        [b'(', ..] if v.len() == 6 => v.eq_ignore_ascii_case("(null)"),
        _ => false,
    }
}

/// What a row became.
#[derive(Debug)]
// Boxing the call would cost an allocation per row on the hot path; the enum lives on the stack.
#[allow(clippy::large_enum_variant)]
pub enum Mapped<'a> {
    /// A call attempt.
    Call(Call<'a>),
    /// A row that belongs to another call (e.g. a Kamailio BYE) and is accounted for there.
    Folded,
    /// A line of the export that is no record at all (a report's `Totals` footer): counted
    /// with the header rows, not as data.
    NotData,
}

/// Turns the rows of one format into calls.
pub trait RowMapper: Send {
    /// Maps one data row.
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason>;

    /// Emits calls the mapper held back (formats that pair rows); called after every row and at
    /// the end of the file.
    fn drain(&mut self, _emit: &mut dyn FnMut(&Call<'_>)) {}

    /// Emits every call still held back, at the end of the file.
    fn finish(&mut self, emit: &mut dyn FnMut(&Call<'_>)) {
        self.drain(emit)
    }

    /// How the format's times are to be read.
    fn time_basis(&self) -> TimeBasis;

    /// Whether rows map independently of each other, so a file can be read in parallel parts.
    fn splittable(&self) -> bool {
        true
    }

    /// What this mapper reads from which column, as a generic mapping (0-based indexes), so
    /// the page can offer it as the starting point of a correction by hand; `None` when the
    /// format does not fit a one-row-per-call mapping.
    fn generic_mapping(&self) -> Option<generic::ColumnMapping> {
        None
    }
}

/// Chooses the format of a sample of records (the first rows of the file).
pub fn detect(sample: &[Vec<String>], options: &FormatOptions) -> Result<Detection, String> {
    if let Some(format) = options
        .format
        .or(options.mapping.as_ref().map(|_| FormatId::Generic))
    {
        let found = candidate(format, sample, options);
        let header_rows = found.as_ref().map(|c| c.header_rows);
        return Ok(Detection {
            format,
            confidence: 1.0,
            reason: match found {
                Some(c) => format!("{} was chosen by the user; {}", format.name(), c.reason),
                None => format!("{} was chosen by the user", format.name()),
            },
            // Formats whose files never have a header read the first line as data.
            header_rows: header_rows.unwrap_or(usize::from(!matches!(
                format,
                FormatId::Asterisk | FormatId::ProSbc
            ))),
        });
    }
    let mut best: Option<(FormatId, Candidate)> = None;
    for format in FormatId::ALL {
        if let Some(c) = candidate(format, sample, options) {
            if best
                .as_ref()
                .is_none_or(|(_, b)| c.confidence > b.confidence)
            {
                best = Some((format, c));
            }
        }
    }
    match best {
        Some((format, c)) if c.confidence >= 0.5 => Ok(Detection {
            format,
            confidence: c.confidence,
            reason: c.reason,
            header_rows: c.header_rows,
        }),
        _ => {
            let first: Vec<&str> = sample
                .first()
                .map(|r| r.iter().take(6).map(|s| s.as_str()).collect())
                .unwrap_or_default();
            Err(format!(
                "not a recognised CDR format (first row starts {first:?}); choose a format or map the columns by hand"
            ))
        }
    }
}

fn candidate(
    format: FormatId,
    sample: &[Vec<String>],
    options: &FormatOptions,
) -> Option<Candidate> {
    match format {
        FormatId::Vos3000 => vos3000::detect(sample),
        FormatId::Asterisk => asterisk::detect_with(sample, options.date_order),
        FormatId::Freeswitch => freeswitch::detect(sample),
        FormatId::Kamailio => kamailio::detect(sample),
        FormatId::Cucm => cucm::detect(sample),
        FormatId::ThreeCx => threecx::detect(sample),
        FormatId::ProSbc => prosbc::detect(sample),
        FormatId::Carrier => carrier::detect(sample),
        FormatId::Generic => options.mapping.as_ref().map(|m| generic::detect(m, sample)),
    }
}

/// Builds the row mapper for a detected format.
pub fn build_mapper(
    detection: &Detection,
    sample: &[Vec<String>],
    options: &FormatOptions,
) -> Result<Box<dyn RowMapper>, String> {
    let header = (detection.header_rows > 0)
        .then(|| sample.first().map(|h| h.as_slice()))
        .flatten();
    match detection.format {
        FormatId::Vos3000 => vos3000::mapper(header, sample),
        FormatId::Asterisk => asterisk::mapper(header, sample, options.date_order),
        FormatId::Freeswitch => freeswitch::mapper(header, sample),
        FormatId::Kamailio => kamailio::mapper(header, sample),
        FormatId::Cucm => cucm::mapper(header, sample),
        FormatId::ThreeCx => threecx::mapper(header),
        FormatId::ProSbc => prosbc::mapper(),
        FormatId::Carrier => carrier::mapper(header),
        FormatId::Generic => match &options.mapping {
            Some(m) => generic::mapper(m, header, sample),
            None => Err("the generic format needs a column mapping".into()),
        },
    }
}

/// Normalizes a header name for matching: lowercase, without spaces, `_`, `-` or quotes.
pub fn norm_header(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '"' | '\'' | '`'))
        .flat_map(|c| c.to_lowercase())
        .collect()
}
