//! Asterisk CDRs in the shapes operators have them:
//! - `cdr_csv`'s `Master.csv`: no header, 16 to 21 columns in a fixed order (see [`CDR_CSV`]);
//! - `cdr_custom` with the stock mapping of `cdr_custom.conf.sample`: no header, 19 columns,
//!   `clid` first (see [`CDR_CUSTOM`]);
//! - the SQL `cdr` table (FreePBX's `asteriskcdrdb.cdr`): with a header, columns matched by name
//!   (reduced exports such as `calldate,src,dst,duration,billsec,disposition` included), or
//!   dumped without one in the table's own column order, `calldate` first (see [`CDR_TABLE`]);
//! - AMI `Cdr` events as raw manager text, `Key: Value` lines (see [`ami`]).
//!
//! An attempt is answered when its disposition is `ANSWERED`; talk time is `billsec`. The final
//! code is the disposition itself (there is no SIP code in Asterisk CDRs, so NER stays unknown).
//! The egress gateway is the trunk named in `dstchannel` (`PJSIP/trunk_us-0000c351` →
//! `trunk_us`), the ingress the peer named in `channel`. Times are local wall-clock datetimes:
//! `YYYY-MM-DD HH:MM:SS` as Asterisk writes them, or numeric dates with the year last
//! (`1/9/2017 16:33:01`, `24/08/17 09:32`) when a spreadsheet re-saved the file, read day or
//! month first as the data shows or as [`DateOrder`] says.

use super::fields::{self, Col};
use super::generic::{AnsweredRule, ColumnMapping, ColumnRef, DateOrder as GenericDateOrder};
use super::values::{
    numeric_date_fields, parse_local_datetime_ms, parse_numeric_datetime_ms, DateOrder,
};
use super::{Candidate, Mapped, Row, RowMapper};
use crate::call::{Call, CodeSystem, RawCode, TimeBasis};
use crate::reject::RejectReason;

pub mod ami;

/// The `Master.csv` column order of `cdr_csv` (`build_csv_record` in `cdr/cdr_csv.c`): the first
/// 16 always, then `uniqueid` and `userfield` (each only when `loguniqueid` / `loguserfield` is
/// on in `cdr.conf`) and `peeraccount`, `linkedid`, `sequence` (only with `newcdrcolumns=yes`,
/// Asterisk 12+). A row has 16 to 21 columns.
pub const CDR_CSV: [&str; 21] = [
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
    "peeraccount",
    "linkedid",
    "sequence",
];

/// The column order of `cdr_custom`'s stock mapping, from Asterisk's
/// `configs/samples/cdr_custom.conf.sample`:
/// `Master.csv => ${CSV_QUOTE(${CDR(clid)})},${CSV_QUOTE(${CDR(src)})},…,${CSV_QUOTE(${CDR(userfield)})},${CDR(sequence)}`
/// (no header; `sequence` unquoted; the dates as `%Y-%m-%d %T`).
pub const CDR_CUSTOM: [&str; 19] = [
    "clid",
    "src",
    "dst",
    "dcontext",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "accountcode",
    "uniqueid",
    "userfield",
    "sequence",
];

/// The first 16 columns of the SQL `cdr` table (`cdr_mysql`, `cdr_adaptive_odbc` and FreePBX's
/// `asteriskcdrdb.cdr`); FreePBX adds `did`, `recordingfile`, `cnum`, `cnam`, … after them, so
/// a dump without a header has 16 or more columns.
pub const CDR_TABLE: [&str; 16] = [
    "calldate",
    "clid",
    "src",
    "dst",
    "dcontext",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "accountcode",
    "uniqueid",
    "userfield",
];

/// Dispositions Asterisk writes.
const DISPOSITIONS: [&str; 5] = ["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"];

/// Header names (normalized) that only Asterisk CDR tables use together.
const HEADER_KEYS: [&str; 6] = [
    "calldate",
    "dcontext",
    "dstchannel",
    "lastapp",
    "billsec",
    "disposition",
];

fn is_disposition(v: &str) -> bool {
    DISPOSITIONS.contains(&v.trim())
}

/// Whether a field is a local datetime, ISO or numeric with the year last in either order.
fn is_any_datetime(v: &str) -> bool {
    fields::is_datetime(v)
        || parse_numeric_datetime_ms(v, true).is_some()
        || parse_numeric_datetime_ms(v, false).is_some()
}

/// Whether a field is empty or a local datetime.
fn is_any_datetime_or_empty(v: &str) -> bool {
    v.trim().is_empty() || is_any_datetime(v)
}

/// Whether a field looks like an Asterisk uniqueid: an optional system name, then the epoch
/// seconds, a dot and a counter (`1706368044.0`, `mainserverdss-1706368044.0`).
fn is_uniqueid(v: &str) -> bool {
    let Some((head, seq)) = v.trim().rsplit_once('.') else {
        return false;
    };
    let epoch_digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
    !seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit()) && epoch_digits >= 9
}

/// The header-less column orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// `cdr_csv`'s `Master.csv`, 16 to 21 columns.
    Csv,
    /// `cdr_custom`'s stock mapping, 19 columns.
    Custom,
    /// The SQL `cdr` table dumped without its header, 16 or more columns.
    Table,
}

impl Layout {
    const ALL: [Layout; 3] = [Layout::Csv, Layout::Custom, Layout::Table];

    /// Whether a header-less record has this layout: its times, durations and disposition
    /// where the layout puts them.
    fn fits(self, r: &[String]) -> bool {
        let times = |s: usize| {
            is_any_datetime(&r[s])
                && is_any_datetime_or_empty(&r[s + 1])
                && is_any_datetime(&r[s + 2])
        };
        let tail = |d: usize| {
            fields::is_uint(&r[d]) && fields::is_uint(&r[d + 1]) && is_disposition(&r[d + 2])
        };
        match self {
            Layout::Csv => (16..=21).contains(&r.len()) && times(9) && tail(12),
            Layout::Custom => r.len() == 19 && times(8) && tail(11),
            Layout::Table => r.len() >= 16 && is_any_datetime(&r[0]) && tail(9),
        }
    }

    /// The layout most sample rows fit, with the share of rows that fit it.
    fn of(sample: &[Vec<String>]) -> Option<(Layout, f32, usize)> {
        Layout::ALL
            .into_iter()
            .map(|l| {
                let (share, n) = fields::share(sample, |r| l.fits(r));
                (l, share, n)
            })
            .filter(|(_, share, _)| *share > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    fn columns(self) -> Columns {
        match self {
            // `uniqueid` depends on the row's width (see `master_ids`).
            Layout::Csv => Columns::from_names(&CDR_CSV[..16]),
            Layout::Custom => Columns::from_names(&CDR_CUSTOM),
            Layout::Table => Columns::from_names(&CDR_TABLE),
        }
    }
}

/// What the extra columns of a `Master.csv` of `width` columns (16 to 21) are.
fn master_extras(width: usize, id_at_16: bool) -> &'static str {
    match (width, id_at_16) {
        (17, true) => " (with uniqueid)",
        (17, false) => " (with userfield)",
        (18, _) => " (with uniqueid and userfield)",
        (19, _) => " (with peeraccount, linkedid and sequence: newcdrcolumns)",
        (20, true) => " (with uniqueid, peeraccount, linkedid and sequence: newcdrcolumns)",
        (20, false) => " (with userfield, peeraccount, linkedid and sequence: newcdrcolumns)",
        (21, _) => " (with uniqueid, userfield, peeraccount, linkedid and sequence: newcdrcolumns)",
        _ => "",
    }
}

/// Whether the sample's `Master.csv` rows of `width` columns (17 or 20: one of `uniqueid` and
/// `userfield` is logged) have the `uniqueid` in column 17; yes when no row tells.
fn id_at_16(sample: &[Vec<String>], width: usize) -> bool {
    let mut rows = sample
        .iter()
        .filter(|r| r.len() == width && width > 16)
        .peekable();
    rows.peek().is_none() || rows.any(|r| is_uniqueid(&r[16]))
}

/// Where a `Master.csv` row of 16 + k columns (k = 0 to 5) has its record id: `sequence`, the
/// last column, with newcdrcolumns (19 to 21 columns; see [`mapper`] for why), else `uniqueid`
/// in column 17 when it is logged, else none.
fn master_ids(sample: &[Vec<String>]) -> [Option<usize>; 6] {
    [
        None,
        id_at_16(sample, 17).then_some(16),
        Some(16),
        Some(18),
        Some(19),
        Some(20),
    ]
}

/// How a file's dates are read, and what the format's reason says about it.
struct DateReading {
    /// `None` when the dates are ISO (`YYYY-MM-DD`); else whether the day comes first.
    day_first: Option<bool>,
    /// The sentence for the reason; empty for ISO dates.
    note: String,
}

/// Decides how numeric dates (`1/9/2017`) in `values` are read: as `order` says, else from
/// the data — a first number above 12 is a day (D/M/Y), a second one above 12 too (M/D/Y). When
/// no date tells, the reading under which the dates lie closer together is assumed (a CDR
/// export's first rows cover days, not months), and D/M/Y when both are as close; the note says
/// so, and how to set the order.
fn read_dates<'a>(values: impl Iterator<Item = &'a str>, order: DateOrder) -> DateReading {
    let dates: Vec<(&str, (u32, u32))> = values
        .filter_map(|v| numeric_date_fields(v).map(|f| (v.trim(), f)))
        .collect();
    if dates.is_empty() {
        return DateReading {
            day_first: None,
            note: String::new(),
        };
    }
    let set = |day_first: bool| {
        let other = if day_first {
            "M/D/Y (--date-order mdy)"
        } else {
            "D/M/Y (--date-order dmy)"
        };
        format!("set the date order to {other} if that is wrong")
    };
    let (day_first, note) = match order {
        DateOrder::Dmy => (true, "dates read as D/M/Y, as set".to_string()),
        DateOrder::Mdy => (false, "dates read as M/D/Y, as set".to_string()),
        DateOrder::Auto => {
            let dmy: Vec<&str> = dates.iter().filter(|d| d.1 .0 > 12).map(|d| d.0).collect();
            let mdy: Vec<&str> = dates.iter().filter(|d| d.1 .1 > 12).map(|d| d.0).collect();
            match (dmy.first(), mdy.first()) {
                (Some(v), None) => (true, format!("dates are D/M/Y ({v:?} has its day first)")),
                (None, Some(v)) => (false, format!("dates are M/D/Y ({v:?} has its day second)")),
                (Some(_), Some(_)) => {
                    let day_first = dmy.len() >= mdy.len();
                    let label = if day_first { "D/M/Y" } else { "M/D/Y" };
                    (
                        day_first,
                        format!(
                            "dates read as {label}, assumed: {} of the first dates can only be D/M/Y, {} only M/D/Y; {}",
                            dmy.len(),
                            mdy.len(),
                            set(day_first)
                        ),
                    )
                }
                (None, None) => {
                    let span = |day_first: bool| {
                        let t: Vec<i64> = dates
                            .iter()
                            .filter_map(|d| parse_numeric_datetime_ms(d.0, day_first))
                            .collect();
                        let lo = t.iter().min().copied().unwrap_or(0);
                        let hi = t.iter().max().copied().unwrap_or(0);
                        hi - lo
                    };
                    let (as_dmy, as_mdy) = (span(true), span(false));
                    if as_dmy == as_mdy {
                        (
                            true,
                            format!(
                                "dates read as D/M/Y, assumed: no date of the first rows tells D/M/Y from M/D/Y; {}",
                                set(true)
                            ),
                        )
                    } else {
                        let day_first = as_dmy < as_mdy;
                        let (label, near, other, far) = if day_first {
                            ("D/M/Y", as_dmy, "M/D/Y", as_mdy)
                        } else {
                            ("M/D/Y", as_mdy, "D/M/Y", as_dmy)
                        };
                        (
                            day_first,
                            format!(
                                "dates read as {label}, assumed: no day above 12 in the first rows, whose dates span {} read so and {} as {other}; {}",
                                days(near),
                                days(far),
                                set(day_first)
                            ),
                        )
                    }
                }
            }
        }
    };
    DateReading {
        day_first: Some(day_first),
        note,
    }
}

/// A time span in whole days, in words.
fn days(ms: i64) -> String {
    match ms / 86_400_000 {
        0 => "less than a day".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

/// The start, answer and end values of the sample's data rows, for [`read_dates`].
fn date_values<'a>(cols: &'a Columns, rows: &'a [Vec<String>]) -> impl Iterator<Item = &'a str> {
    rows.iter().flat_map(move |r| {
        [&cols.start, &cols.answer, &cols.end]
            .into_iter()
            .flatten()
            .filter_map(move |c| r.get(c.index).map(String::as_str))
    })
}

/// Appends the date note to a reason.
fn with_note(reason: String, dates: &DateReading) -> String {
    if dates.note.is_empty() {
        reason
    } else {
        format!("{reason}; {}", dates.note)
    }
}

/// Scores a sample whose first row names the keys of AMI `Cdr` events: the events kept as JSON
/// records (one object per line, as AMI client libraries and log shippers write them).
fn detect_ami_keys(sample: &[Vec<String>]) -> Option<Candidate> {
    let first = sample.first()?;
    let keys = ["starttime", "billableseconds", "disposition", "destination"];
    if keys.iter().any(|k| fields::find(first, &[k]).is_none()) {
        return None;
    }
    Some(Candidate {
        confidence: 0.95,
        reason: "the records have the keys of Asterisk AMI Cdr events (StartTime, AnswerTime, EndTime, BillableSeconds, Disposition, Destination): Cdr events kept as JSON".into(),
        header_rows: 1,
    })
}

/// Scores a sample whose first row is a header naming `cdr` table columns.
fn detect_header(sample: &[Vec<String>], order: DateOrder) -> Option<Candidate> {
    if let Some(c) = detect_ami_keys(sample) {
        return Some(c);
    }
    let first = sample.first()?;
    let found = fields::count_known(first, &HEADER_KEYS);
    fields::find(first, &["calldate", "start"])?;
    let disposition = fields::find(first, &["disposition"])?;
    let table = if fields::find(first, &["calldate"]).is_some() {
        "the SQL cdr table"
    } else {
        "Master.csv with a header"
    };
    let names = format!(
        "the header names Asterisk CDR columns of {table} ({found} of 6: calldate, dcontext, dstchannel, lastapp, billsec, disposition)"
    );
    let rows = &sample[1..];
    // A reduced export (`calldate,src,dst,duration,billsec,disposition`) names only three:
    // its disposition column must then hold Asterisk's dispositions too.
    let (confidence, reason) = if found >= 4 {
        ((0.5 + 0.08 * found as f32).min(0.98), names)
    } else if found == 3 && fields::find(first, &["billsec"]).is_some() {
        let (share, _) = fields::share(rows, |r| {
            r.get(disposition.index).is_some_and(|v| is_disposition(v))
        });
        if share < 0.6 {
            return None;
        }
        (
            0.9 * share,
            format!(
                "{names}, and {:.0}% of the rows have a disposition such as ANSWERED or NO ANSWER",
                share * 100.0
            ),
        )
    } else {
        return None;
    };
    let dates = match Columns::from_header(first) {
        Ok(cols) => read_dates(date_values(&cols, rows), order),
        Err(_) => read_dates(std::iter::empty(), order),
    };
    Some(Candidate {
        confidence,
        reason: with_note(reason, &dates),
        header_rows: 1,
    })
}

/// Scores a sample with numeric dates read automatically (see [`detect_with`]).
pub fn detect(sample: &[Vec<String>]) -> Option<Candidate> {
    detect_with(sample, DateOrder::Auto)
}

/// Scores a sample: a header naming the `cdr` table columns, or header-less rows in the
/// `cdr_csv`, `cdr_custom` or `cdr` table column order; `order` is how numeric dates are read
/// (the reason says which order was taken).
pub fn detect_with(sample: &[Vec<String>], order: DateOrder) -> Option<Candidate> {
    let first = sample.first()?;
    if let Some(c) = detect_header(sample, order).or_else(|| ami::detect(sample)) {
        return Some(c);
    }
    let (layout, share, n) = Layout::of(sample)?;
    if share < 0.6 {
        return None;
    }
    let width = first.len();
    let (confidence, reason) = match layout {
        Layout::Csv => (
            0.95 * share,
            format!(
                "no header; {:.0}% of {n} rows have the Asterisk Master.csv layout of cdr_csv ({width} columns{}, start/answer/end datetimes in columns 10–12, billsec and a disposition such as ANSWERED or NO ANSWER in columns 14–15)",
                share * 100.0,
                master_extras(width, id_at_16(sample, width)),
            ),
        ),
        Layout::Custom => (
            0.95 * share,
            format!(
                "no header; {:.0}% of {n} rows have the layout of Asterisk cdr_custom's stock Master.csv mapping (19 columns, clid first, start/answer/end datetimes in columns 9–11, billsec and a disposition such as ANSWERED or NO ANSWER in columns 13–14)",
                share * 100.0
            ),
        ),
        // Only calldate, two numbers and the disposition to go by: a little less sure.
        Layout::Table => (
            0.9 * share,
            format!(
                "no header; {:.0}% of {n} rows have the column order of the Asterisk SQL cdr table as FreePBX stores it ({width} columns, calldate first, billsec and a disposition such as ANSWERED or NO ANSWER in columns 11–12)",
                share * 100.0
            ),
        ),
    };
    let dates = read_dates(date_values(&layout.columns(), sample), order);
    Some(Candidate {
        confidence,
        reason: with_note(reason, &dates),
        header_rows: 0,
    })
}

/// Builds the mapper: by header names when there is a header, else in the layout the sample
/// has (`Master.csv` of `cdr_csv` when none fits); `order` is how numeric dates are read.
///
/// The call id is the record's `sequence` where the layout writes one (`cdr_csv` with
/// newcdrcolumns, `cdr_custom`'s stock mapping), else its `uniqueid`: since Asterisk 12 a
/// channel gets one CDR per party it dialled, all with the channel's uniqueid (a Dial of three
/// Local channels writes three rows that differ only in `dstchannel` and `sequence`), and
/// `sequence` is the number Asterisk gives each record to tell them apart.
pub fn mapper(
    header: Option<&[String]>,
    sample: &[Vec<String>],
    order: DateOrder,
) -> Result<Box<dyn RowMapper>, String> {
    let (cols, width, master_ids, rows) = match header {
        Some(h) => (
            Columns::from_header(h)?,
            Some(h.len()),
            None,
            sample.get(1..).unwrap_or_default(),
        ),
        None if ami::detect(sample).is_some() => return Ok(ami::mapper()),
        None => {
            let layout = Layout::of(sample).map_or(Layout::Csv, |(l, _, _)| l);
            let mut cols = layout.columns();
            match layout {
                Layout::Csv => {
                    let ids = master_ids(sample);
                    // The id of the first row's width, for the mapping offered to edit by hand.
                    let w = sample.first().map_or(18, Vec::len).clamp(16, 21);
                    cols.uniqueid = ids[w - 16].map(|i| Col::new(i, CDR_CSV[i]));
                    (cols, None, Some(ids), sample)
                }
                Layout::Custom => {
                    cols.uniqueid = Some(Col::new(18, "sequence"));
                    (cols, Some(CDR_CUSTOM.len()), None, sample)
                }
                Layout::Table => {
                    let w = sample.first().map_or(CDR_TABLE.len(), Vec::len);
                    (cols, Some(w.max(CDR_TABLE.len())), None, sample)
                }
            }
        }
    };
    let dates = read_dates(date_values(&cols, rows), order);
    Ok(Box::new(AsteriskMapper {
        width,
        master_ids,
        day_first: dates.day_first,
        cols,
    }))
}

struct Columns {
    account: Option<Col>,
    src: Option<Col>,
    dst: Option<Col>,
    channel: Option<Col>,
    dstchannel: Option<Col>,
    start: Option<Col>,
    answer: Option<Col>,
    end: Option<Col>,
    duration: Option<Col>,
    billsec: Col,
    disposition: Col,
    uniqueid: Option<Col>,
    /// The AMI packet's `Event` key, when AMI events were kept as JSON records: records of
    /// other events are not calls.
    event: Option<Col>,
}

impl Columns {
    /// The columns of a fixed layout, found by name as in a header.
    fn from_names(names: &[&str]) -> Self {
        let header: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        // Every layout names billsec and disposition, so this cannot fail.
        Columns::from_header(&header).unwrap_or_else(|_| unreachable!("layouts name billsec"))
    }

    fn from_header(h: &[String]) -> Result<Self, String> {
        fields::require(
            h,
            &[
                (&["billsec", "billableseconds"], "billsec"),
                (&["disposition"], "disposition"),
            ],
            "the Asterisk header",
        )?;
        let f = |names: &[&str]| fields::find(h, names);
        // The second name of each pair is the AMI Cdr event's key, for events kept as JSON.
        Ok(Columns {
            account: f(&["accountcode"]),
            src: f(&["src", "cnum", "source"]),
            dst: f(&["dst", "destination"]),
            channel: f(&["channel"]),
            dstchannel: f(&["dstchannel", "destinationchannel"]),
            start: f(&["calldate", "start", "starttime"]),
            answer: f(&["answer", "answertime"]),
            end: f(&["end", "endtime"]),
            duration: f(&["duration"]),
            billsec: f(&["billsec", "billableseconds"])
                .ok_or("the Asterisk header has no billsec column")?,
            disposition: f(&["disposition"])
                .ok_or("the Asterisk header has no disposition column")?,
            uniqueid: f(&["uniqueid", "linkedid"]),
            event: f(&["event"]),
        })
    }
}

struct AsteriskMapper {
    /// The row width; `None` for `Master.csv` of `cdr_csv`, whose rows may have 16 to 21
    /// columns.
    width: Option<usize>,
    /// `Master.csv` of `cdr_csv`: the record id's column for each width from 16 to 21.
    master_ids: Option<[Option<usize>; 6]>,
    /// `None` for ISO dates; else whether numeric dates have the day first.
    day_first: Option<bool>,
    cols: Columns,
}

impl AsteriskMapper {
    /// A time column in ms; `None` when absent or empty.
    fn time(&self, row: &Row<'_>, col: &Option<Col>) -> Result<Option<i64>, RejectReason> {
        let Some(day_first) = self.day_first else {
            return Ok(fields::time(row, col)?.map(|t| t.0));
        };
        let Some(c) = col else { return Ok(None) };
        let v = row.trimmed(c.index);
        if v.is_empty() {
            return Ok(None);
        }
        parse_local_datetime_ms(v, day_first)
            .map(Some)
            .ok_or_else(|| RejectReason::bad_time(&c.name, v))
    }
}

/// The gateway (peer, trunk or span) a channel name refers to, as a slice of the name.
///
/// `PJSIP/trunk_us-0000c351` → `trunk_us`, `SIP/carrier-0a1b2c3d` → `carrier`,
/// `DAHDI/i1/5551234-1` → `DAHDI/i1`, `Local/100@from-pstn-0000001a;2` → `from-pstn`.
pub fn channel_peer(channel: &str) -> &str {
    let mut c = channel.trim();
    // Masquerade and zombie markers, then a Local channel's `;1`/`;2` half.
    if let Some(i) = c.find('<') {
        c = &c[..i];
    }
    if let Some((head, tail)) = c.rsplit_once(';') {
        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
            c = head;
        }
    }
    // The channel sequence number Asterisk appends (`-0000c351`).
    if let Some((head, tail)) = c.rsplit_once('-') {
        if !head.is_empty() && !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_hexdigit()) {
            c = head;
        }
    }
    let Some((tech, resource)) = c.split_once('/') else {
        return c;
    };
    match tech.to_ascii_uppercase().as_str() {
        "DAHDI" | "ZAP" | "DGV" | "KHOMP" => {
            // Hardware channels: keep the technology and the span/group, drop the number.
            let end = tech.len() + 1 + resource.find('/').unwrap_or(resource.len());
            &c[..end]
        }
        "LOCAL" => resource.rsplit_once('@').map_or(resource, |(_, ctx)| ctx),
        _ => resource.split('/').next().unwrap_or(resource),
    }
}

impl RowMapper for AsteriskMapper {
    fn map<'r>(&mut self, row: &Row<'r>) -> Result<Mapped<'r>, RejectReason> {
        match self.width {
            Some(w) if row.len() != w => {
                return Err(RejectReason::FieldCount {
                    expected: w,
                    found: row.len(),
                })
            }
            None if !(16..=21).contains(&row.len()) => {
                return Err(RejectReason::FieldCount {
                    expected: if row.len() < 16 { 16 } else { 21 },
                    found: row.len(),
                })
            }
            _ => {}
        }
        let c = &self.cols;
        if let Some(e) = &c.event {
            let event = row.trimmed(e.index);
            if !event.is_empty() && !event.eq_ignore_ascii_case("cdr") {
                return Ok(Mapped::NotData);
            }
        }
        let disposition = row.trimmed(c.disposition.index);
        if disposition.is_empty() {
            return Err(RejectReason::missing(&c.disposition.name));
        }
        let billsec = row.trimmed(c.billsec.index);
        let hold_s = super::values::parse_u32(billsec)
            .ok_or_else(|| RejectReason::bad_number(&c.billsec.name, billsec))?;
        let duration = fields::uint(row, &c.duration)?;
        let start = self.time(row, &c.start)?;
        let mut answer = self.time(row, &c.answer)?;
        let mut end = self.time(row, &c.end)?;
        let answered = disposition.eq_ignore_ascii_case("ANSWERED");
        // The SQL table has only calldate: derive the end and answer from the durations.
        if end.is_none() && c.end.is_none() {
            end = start.zip(duration).map(|(s, d)| s + i64::from(d) * 1000);
        }
        if answer.is_none() && c.answer.is_none() && answered {
            // Hand-edited exports have billsec > duration: never an answer before the start.
            answer = end.map(|e| (e - i64::from(hold_s) * 1000).max(start.unwrap_or(i64::MIN)));
        }
        let call_id = match &self.master_ids {
            // `cdr_csv` rows of 16 to 21 columns (checked above) have their record id where
            // the width says.
            Some(ids) => ids[row.len() - 16].map_or("", |i| row.trimmed(i)),
            None => fields::text(row, &c.uniqueid),
        };
        Ok(Mapped::Call(Call {
            start_ms: start,
            answer_ms: answer,
            end_ms: end,
            answered,
            hold_s,
            caller: fields::text(row, &c.src),
            callee: fields::text(row, &c.dst),
            ingress: channel_peer(fields::text(row, &c.channel)),
            egress: channel_peer(fields::text(row, &c.dstchannel)),
            account: fields::text(row, &c.account),
            call_id,
            code: RawCode::Name(disposition),
            code_system: Some(CodeSystem::Asterisk),
            ..Call::default()
        }))
    }

    fn time_basis(&self) -> TimeBasis {
        TimeBasis::NaiveLocal
    }

    fn generic_mapping(&self) -> Option<ColumnMapping> {
        let c = &self.cols;
        Some(ColumnMapping {
            time_basis: Some(TimeBasis::NaiveLocal),
            date_order: match self.day_first {
                None => GenericDateOrder::Ymd,
                Some(true) => GenericDateOrder::Dmy,
                Some(false) => GenericDateOrder::Mdy,
            },
            start: ColumnRef::of(&c.start),
            answer: ColumnRef::of(&c.answer),
            end: ColumnRef::of(&c.end),
            duration: ColumnRef::at(Some(c.billsec.index)),
            caller: ColumnRef::of(&c.src),
            callee: ColumnRef::of(&c.dst),
            ingress: ColumnRef::of(&c.channel),
            egress: ColumnRef::of(&c.dstchannel),
            account: ColumnRef::of(&c.account),
            call_id: ColumnRef::of(&c.uniqueid),
            code: ColumnRef::at(Some(c.disposition.index)),
            code_system: Some(CodeSystem::Asterisk.as_str().to_string()),
            answered: AnsweredRule::Code(vec!["ANSWERED".into()]),
            ..ColumnMapping::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::channel_peer;

    #[test]
    fn names_the_peer_of_a_channel() {
        assert_eq!(channel_peer("PJSIP/trunk_us-0000c351"), "trunk_us");
        assert_eq!(channel_peer("SIP/carrier-a-0a1b2c3d"), "carrier-a");
        assert_eq!(channel_peer("IAX2/peer1-1234"), "peer1");
        assert_eq!(channel_peer("DAHDI/i1/5551234-1"), "DAHDI/i1");
        assert_eq!(channel_peer("DAHDI/3-1"), "DAHDI/3");
        assert_eq!(channel_peer("Local/100@from-pstn-0000001a;2"), "from-pstn");
        assert_eq!(channel_peer("SIP/gw-00000001<ZOMBIE>"), "gw");
        assert_eq!(channel_peer(""), "");
    }
}
