//! Parquet for the normalized calls: the schema from `cdrscope::export::COLUMNS`, row batches
//! written as row groups, and the final files made from the temporary ones by copying their
//! encoded column chunks and adding the duplicate flags, known only once every row was read.

use bytes::Bytes;
use cdrscope::export::{Column, ColumnKind, NormalizedRow, Value, COLUMNS, SCHEMA_VERSION};
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as PhysicalType};
use parquet::column::reader::ColumnReader;
use parquet::column::writer::{ColumnCloseResult, ColumnWriter};
use parquet::data_type::ByteArray;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::reader::{FileReader, RowGroupReader};
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

/// The hidden column of the temporary files: each row's position (see `spill::pack`).
pub const SEQ_COLUMN: &str = "_seq";

/// Columns that are nearly unique per row: a dictionary would only be built and dropped.
const NO_DICTIONARY: [&str; 8] = [
    "source_line",
    "start_time",
    "answer_time",
    "end_time",
    "caller",
    "callee",
    "call_id",
    SEQ_COLUMN,
];

/// A Parquet error as the CLI's error text.
pub fn perr(e: parquet::errors::ParquetError) -> String {
    format!("parquet: {e}")
}

/// The Parquet type of one column.
fn field(c: &Column) -> Type {
    let (physical, logical) = match c.kind {
        ColumnKind::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
        ColumnKind::Int32 => (PhysicalType::INT32, None),
        ColumnKind::Int64 => (PhysicalType::INT64, None),
        ColumnKind::Bool => (PhysicalType::BOOLEAN, None),
        ColumnKind::TimestampMs => (
            PhysicalType::INT64,
            Some(LogicalType::timestamp(true, TimeUnit::MILLIS)),
        ),
        ColumnKind::Decimal => (PhysicalType::INT64, Some(LogicalType::decimal(6, 18))),
    };
    let mut b = Type::primitive_type_builder(c.name, physical)
        .with_repetition(if c.nullable {
            Repetition::OPTIONAL
        } else {
            Repetition::REQUIRED
        })
        .with_logical_type(logical);
    if c.kind == ColumnKind::Decimal {
        b = b.with_precision(18).with_scale(6);
    }
    b.build()
        .unwrap_or_else(|e| panic!("column {}: {e}", c.name))
}

/// The message type of `columns`, plus the position column for temporary files.
pub fn schema(columns: &[Column], with_seq: bool) -> Arc<Type> {
    let mut fields: Vec<Arc<Type>> = columns.iter().map(|c| Arc::new(field(c))).collect();
    if with_seq {
        fields.push(Arc::new(field(&Column {
            name: SEQ_COLUMN,
            kind: ColumnKind::Int64,
            nullable: false,
            doc: "",
        })));
    }
    Arc::new(
        Type::group_type_builder("normalized_call")
            .with_fields(fields)
            .build()
            .expect("a flat schema builds"),
    )
}

/// The writer settings: Snappy pages (every engine reads them), chunk statistics (min/max per
/// row group, for pruning by time), dictionaries for the repetitive columns only.
pub fn properties(columns: &[Column]) -> Arc<WriterProperties> {
    let mut b = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_statistics_enabled(EnabledStatistics::Chunk)
        .set_created_by(format!(
            "cdrscope {} (normalized calls v{SCHEMA_VERSION})",
            env!("CARGO_PKG_VERSION")
        ))
        .set_key_value_metadata(Some(vec![KeyValue::new(
            "cdrscope.schema_version".to_string(),
            SCHEMA_VERSION.to_string(),
        )]));
    for c in columns.iter().map(|c| c.name).chain([SEQ_COLUMN]) {
        if NO_DICTIONARY.contains(&c) {
            b = b.set_column_dictionary_enabled(ColumnPath::from(c), false);
        }
    }
    Arc::new(b.build())
}

/// The values of one column of a batch; nullable columns keep a definition level per row.
#[derive(Debug, PartialEq)]
pub enum ColumnBuf {
    /// Text: concatenated bytes and each value's end.
    Text {
        /// The bytes of every value.
        data: Vec<u8>,
        /// Where each value ends in `data`.
        ends: Vec<u32>,
        /// Definition levels (nullable columns only).
        def: Vec<i16>,
    },
    /// 32-bit integers.
    I32(Vec<i32>, Vec<i16>),
    /// 64-bit integers, timestamps and decimals.
    I64(Vec<i64>, Vec<i16>),
    /// Booleans.
    Bool(Vec<bool>, Vec<i16>),
}

impl ColumnBuf {
    fn new(kind: ColumnKind) -> Self {
        match kind {
            ColumnKind::Text => ColumnBuf::Text {
                data: Vec::new(),
                ends: Vec::new(),
                def: Vec::new(),
            },
            ColumnKind::Int32 => ColumnBuf::I32(Vec::new(), Vec::new()),
            ColumnKind::Bool => ColumnBuf::Bool(Vec::new(), Vec::new()),
            _ => ColumnBuf::I64(Vec::new(), Vec::new()),
        }
    }

    /// Adds a value (a null only to a nullable column, as the schema says).
    #[inline]
    fn push(&mut self, v: Value<'_>, nullable: bool) {
        let present = !matches!(v, Value::Null);
        let def = match self {
            ColumnBuf::Text { def, .. }
            | ColumnBuf::I32(_, def)
            | ColumnBuf::I64(_, def)
            | ColumnBuf::Bool(_, def) => def,
        };
        if nullable {
            def.push(i16::from(present));
        }
        match (self, v) {
            (ColumnBuf::Text { data, ends, .. }, Value::Text(s)) => {
                data.extend_from_slice(s.as_bytes());
                ends.push(data.len() as u32);
            }
            (ColumnBuf::I32(vals, _), Value::Int(i)) => vals.push(i as i32),
            (
                ColumnBuf::I64(vals, _),
                Value::Int(i) | Value::TimestampMs(i) | Value::Decimal(i),
            ) => vals.push(i),
            (ColumnBuf::Bool(vals, _), Value::Bool(b)) => vals.push(b),
            // A required column never gets a null: the row type writes a value for it.
            _ => {}
        }
    }

    /// Writes the column into a column writer.
    fn write(self, w: &mut ColumnWriter<'_>, nullable: bool) -> Result<(), String> {
        fn levels(d: &[i16], nullable: bool) -> Option<&[i16]> {
            nullable.then_some(d)
        }
        let def = |d| levels(d, nullable);
        match (self, w) {
            (ColumnBuf::Text { data, ends, def: d }, ColumnWriter::ByteArrayColumnWriter(w)) => {
                let all = Bytes::from(data);
                let mut start = 0usize;
                let values: Vec<ByteArray> = ends
                    .iter()
                    .map(|&e| {
                        let v = ByteArray::from(all.slice(start..e as usize));
                        start = e as usize;
                        v
                    })
                    .collect();
                w.write_batch(&values, def(&d), None).map_err(perr)?;
            }
            (ColumnBuf::I32(v, d), ColumnWriter::Int32ColumnWriter(w)) => {
                w.write_batch(&v, def(&d), None).map_err(perr)?;
            }
            (ColumnBuf::I64(v, d), ColumnWriter::Int64ColumnWriter(w)) => {
                w.write_batch(&v, def(&d), None).map_err(perr)?;
            }
            (ColumnBuf::Bool(v, d), ColumnWriter::BoolColumnWriter(w)) => {
                w.write_batch(&v, def(&d), None).map_err(perr)?;
            }
            _ => return Err("parquet: a column's buffer does not match its type".into()),
        }
        Ok(())
    }
}

/// Rows of one file part and one day, column by column, up to a row group.
#[derive(Debug)]
pub struct Batch {
    /// The local day of the rows (days since 1970-01-01); none for rows without a time.
    pub day: Option<i64>,
    /// The file the rows come from (the same for every row: one value, not one per row).
    pub source_file: String,
    /// Its format id.
    pub format: String,
    /// Rows so far.
    pub rows: usize,
    cols: Vec<ColumnBuf>,
    seq: Vec<i64>,
}

/// Columns a batch holds once rather than per row (the same for all its rows).
const SOURCE_FILE: usize = 0;
const FORMAT: usize = 2;

impl Batch {
    /// An empty batch of the rows of `source_file` on `day`.
    pub fn new(day: Option<i64>, source_file: &str, format: &str) -> Self {
        Batch {
            day,
            source_file: source_file.to_string(),
            format: format.to_string(),
            rows: 0,
            cols: COLUMNS.iter().map(|c| ColumnBuf::new(c.kind)).collect(),
            seq: Vec::new(),
        }
    }

    /// Adds a row at position `pos`, value by value as [`NormalizedRow::value`] gives them
    /// (`push_is_the_generic_push` checks it), without going through [`Value`]: this runs for
    /// every column of every row.
    #[inline]
    pub fn push(&mut self, r: &NormalizedRow<'_>, pos: u64) {
        fn opt(s: &str) -> Option<&str> {
            (!s.is_empty()).then_some(s)
        }
        self.int(1, Some(r.source_line as i64));
        self.int(3, r.start_ms);
        self.int(4, r.answer_ms);
        self.int(5, r.end_ms);
        self.text(6, opt(r.caller));
        self.text(7, opt(r.callee));
        self.text(8, Some(r.destination));
        self.text(9, Some(r.destination_name));
        self.text(10, Some(r.destination_name_es));
        self.text(11, opt(r.ingress_gateway));
        self.text(12, opt(r.egress_gateway));
        self.text(13, opt(r.account));
        self.text(14, opt(r.call_id));
        self.text(15, opt(r.code));
        self.text(16, r.code_system.map(|c| c.as_str()));
        self.text(17, opt(r.code_label));
        self.int(18, r.sip_final.map(i64::from));
        self.int(19, r.sip_equivalent.map(i64::from));
        self.text(20, Some(r.sip_class));
        self.int(21, r.q850.map(i64::from));
        self.text(22, Some(r.outcome.as_str()));
        self.flag(23, r.answered);
        self.text(24, r.error_class);
        self.int(25, Some(i64::from(r.talk_s)));
        self.int(26, r.billed_s.map(i64::from));
        self.int(27, r.pdd_ms.map(i64::from));
        self.text(28, r.end_direction.map(|d| d.as_str()));
        self.int(29, r.fee.map(|m| m.0));
        self.int(30, r.cost.map(|m| m.0));
        self.flag(31, r.duplicate != cdrscope::export::Duplicate::No);
        self.text(32, r.duplicate.kind());
        self.seq.push(pos as i64);
        self.rows += 1;
    }

    #[inline(always)]
    fn text(&mut self, i: usize, v: Option<&str>) {
        if let ColumnBuf::Text { data, ends, def } = &mut self.cols[i] {
            if COLUMNS[i].nullable {
                def.push(i16::from(v.is_some()));
            }
            if let Some(s) = v {
                data.extend_from_slice(s.as_bytes());
                ends.push(data.len() as u32);
            }
        }
    }

    #[inline(always)]
    fn int(&mut self, i: usize, v: Option<i64>) {
        match &mut self.cols[i] {
            ColumnBuf::I64(vals, def) => {
                if COLUMNS[i].nullable {
                    def.push(i16::from(v.is_some()));
                }
                vals.extend(v);
            }
            ColumnBuf::I32(vals, def) => {
                if COLUMNS[i].nullable {
                    def.push(i16::from(v.is_some()));
                }
                vals.extend(v.map(|v| v as i32));
            }
            _ => {}
        }
    }

    #[inline(always)]
    fn flag(&mut self, i: usize, v: bool) {
        if let ColumnBuf::Bool(vals, _) = &mut self.cols[i] {
            vals.push(v);
        }
    }

    /// Writes the batch as one row group.
    pub fn write<W: std::io::Write + Send>(
        self,
        w: &mut SerializedFileWriter<W>,
    ) -> Result<(), String> {
        let n = self.rows;
        let (file, format) = (Bytes::from(self.source_file), Bytes::from(self.format));
        let mut rg = w.next_row_group().map_err(perr)?;
        for (i, buf) in self.cols.into_iter().enumerate() {
            let mut col = rg
                .next_column()
                .map_err(perr)?
                .ok_or("parquet: fewer columns than the schema")?;
            if i == SOURCE_FILE || i == FORMAT {
                let v = if i == SOURCE_FILE { &file } else { &format };
                let values = vec![ByteArray::from(v.clone()); n];
                match col.untyped() {
                    ColumnWriter::ByteArrayColumnWriter(w) => {
                        w.write_batch(&values, None, None).map_err(perr)?;
                    }
                    _ => return Err("parquet: source_file is not text".into()),
                }
            } else {
                buf.write(col.untyped(), COLUMNS[i].nullable)?;
            }
            col.close().map_err(perr)?;
        }
        let mut col = rg
            .next_column()
            .map_err(perr)?
            .ok_or("parquet: no position column")?;
        ColumnBuf::I64(self.seq, Vec::new()).write(col.untyped(), false)?;
        col.close().map_err(perr)?;
        rg.close().map_err(perr)?;
        Ok(())
    }
}

/// A Parquet file writer on a buffered file.
pub type FileWriter = SerializedFileWriter<BufWriter<File>>;

/// Creates a Parquet file for `columns` (with the position column for temporary files).
pub fn create(path: &Path, columns: &[Column], with_seq: bool) -> Result<FileWriter, String> {
    let f = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    SerializedFileWriter::new(
        BufWriter::with_capacity(1 << 20, f),
        schema(columns, with_seq),
        properties(columns),
    )
    .map_err(perr)
}

/// Reads a whole INT64 column of a row group.
pub fn read_i64(rg: &dyn RowGroupReader, col: usize) -> Result<Vec<i64>, String> {
    let n = rg.metadata().num_rows() as usize;
    let mut values = Vec::with_capacity(n);
    let mut def = Vec::with_capacity(n);
    match rg.get_column_reader(col).map_err(perr)? {
        ColumnReader::Int64ColumnReader(mut r) => {
            let mut read = 0;
            while read < n {
                let (recs, _, _) = r
                    .read_records(n - read, Some(&mut def), None, &mut values)
                    .map_err(perr)?;
                if recs == 0 {
                    break;
                }
                read += recs;
            }
        }
        _ => return Err("parquet: not an INT64 column".into()),
    }
    Ok(values)
}

/// What the final copy of a temporary row group needs to know about its rows.
pub trait RowFlags {
    /// Whether the rows at these positions are kept (their file part was not read again).
    fn keep(&self, pos: u64) -> bool;
    /// The lines in the file before the part a position's row was read in.
    fn lines_before(&self, pos: u64) -> u64;
    /// The duplicate flags of a row: (repeated row, call of an earlier file).
    fn duplicate(&self, pos: u64) -> (bool, bool);
}

/// Copies the row groups of temporary file `from` into the final file `to`: every column
/// chunk as it was encoded, but the line (when its part starts after line 1) and the
/// duplicate flags, which are written anew; the position column is left out. Returns the rows
/// written (no file is made when none is kept).
pub fn finalize(from: &Path, to: &Path, flags: &dyn RowFlags) -> Result<u64, String> {
    let file = File::open(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let reader =
        SerializedFileReader::new(file.try_clone().map_err(|e| e.to_string())?).map_err(perr)?;
    let meta = reader.metadata();
    let seq_col = COLUMNS.len();
    let line_col = 1;
    let (dup_col, kind_col) = (COLUMNS.len() - 2, COLUMNS.len() - 1);
    let mut out: Option<FileWriter> = None;
    let mut written = 0u64;
    for g in 0..meta.num_row_groups() {
        let rg = reader.get_row_group(g).map_err(perr)?;
        let seq = read_i64(rg.as_ref(), seq_col)?;
        // A row group holds the rows of one file part: kept or dropped whole.
        if seq.first().is_none_or(|&p| !flags.keep(p as u64)) {
            continue;
        }
        if out.is_none() {
            out = Some(create(to, &COLUMNS, false)?);
        }
        let Some(w) = out.as_mut() else { continue };
        let offset = flags.lines_before(seq[0] as u64);
        let mut rgw = w.next_row_group().map_err(perr)?;
        let rg_meta = rg.metadata();
        for (i, column) in COLUMNS.iter().enumerate() {
            if i == dup_col || i == kind_col || (i == line_col && offset > 0) {
                let buf = if i == line_col {
                    let lines = read_i64(rg.as_ref(), line_col)?;
                    ColumnBuf::I64(lines.iter().map(|l| l + offset as i64).collect(), vec![])
                } else if i == dup_col {
                    ColumnBuf::Bool(
                        seq.iter()
                            .map(|&p| {
                                let (r, e) = flags.duplicate(p as u64);
                                r || e
                            })
                            .collect(),
                        vec![],
                    )
                } else {
                    let mut data = Vec::new();
                    let mut ends = Vec::new();
                    let mut def = Vec::with_capacity(seq.len());
                    for &p in &seq {
                        let kind = match flags.duplicate(p as u64) {
                            (true, _) => Some("repeated_row"),
                            (false, true) => Some("earlier_file"),
                            _ => None,
                        };
                        def.push(i16::from(kind.is_some()));
                        if let Some(k) = kind {
                            data.extend_from_slice(k.as_bytes());
                            ends.push(data.len() as u32);
                        }
                    }
                    ColumnBuf::Text { data, ends, def }
                };
                let mut col = rgw
                    .next_column()
                    .map_err(perr)?
                    .ok_or("parquet: fewer columns than the schema")?;
                buf.write(col.untyped(), column.nullable)?;
                col.close().map_err(perr)?;
            } else {
                let chunk = rg_meta.column(i).clone();
                rgw.append_column(
                    &file,
                    ColumnCloseResult {
                        bytes_written: chunk.compressed_size() as u64,
                        rows_written: rg_meta.num_rows() as u64,
                        metadata: chunk,
                        bloom_filter: None,
                        column_index: None,
                        offset_index: None,
                    },
                )
                .map_err(perr)?;
            }
        }
        rgw.close().map_err(perr)?;
        written += seq.len() as u64;
    }
    if let Some(w) = out {
        w.close().map_err(perr)?;
    }
    Ok(written)
}

/// Rows of `rejects.parquet`, written as they come in row groups of at most `cap` rows.
pub struct RejectWriter {
    w: FileWriter,
    cols: Vec<ColumnBuf>,
    rows: usize,
    cap: usize,
}

impl RejectWriter {
    /// Creates `rejects.parquet` at `path`.
    pub fn create(path: &Path, cap: usize) -> Result<Self, String> {
        use cdrscope::export::REJECT_COLUMNS;
        Ok(RejectWriter {
            w: create(path, &REJECT_COLUMNS, false)?,
            cols: REJECT_COLUMNS
                .iter()
                .map(|c| ColumnBuf::new(c.kind))
                .collect(),
            rows: 0,
            cap: cap.max(1),
        })
    }

    /// Adds one reject, its values in `REJECT_COLUMNS` order.
    pub fn push(&mut self, values: &[Value<'_>]) -> Result<(), String> {
        use cdrscope::export::REJECT_COLUMNS;
        for ((c, buf), v) in REJECT_COLUMNS.iter().zip(&mut self.cols).zip(values) {
            buf.push(*v, c.nullable);
        }
        self.rows += 1;
        if self.rows >= self.cap {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        use cdrscope::export::REJECT_COLUMNS;
        if self.rows == 0 {
            return Ok(());
        }
        let cols = std::mem::replace(
            &mut self.cols,
            REJECT_COLUMNS
                .iter()
                .map(|c| ColumnBuf::new(c.kind))
                .collect(),
        );
        let mut rg = self.w.next_row_group().map_err(perr)?;
        for (buf, c) in cols.into_iter().zip(REJECT_COLUMNS.iter()) {
            let mut col = rg
                .next_column()
                .map_err(perr)?
                .ok_or("parquet: fewer columns than the schema")?;
            buf.write(col.untyped(), c.nullable)?;
            col.close().map_err(perr)?;
        }
        rg.close().map_err(perr)?;
        self.rows = 0;
        Ok(())
    }

    /// Writes what is left and closes the file.
    pub fn close(mut self) -> Result<(), String> {
        self.flush()?;
        self.w.close().map_err(perr)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdrscope::call::{CodeSystem, EndDirection};
    use cdrscope::export::Duplicate;
    use cdrscope::money::Money;
    use cdrscope::Outcome;

    /// The fast push gives the buffers the generic one (column by column through
    /// `NormalizedRow::value`) gives, for rows with every value present and every one absent.
    #[test]
    fn push_is_the_generic_push() {
        let full = NormalizedRow {
            source_file: "a.csv",
            source_line: 7,
            format: "vos3000",
            start_ms: Some(1),
            answer_ms: Some(2),
            end_ms: Some(3),
            caller: "100",
            callee: "8613800138000",
            destination: "86",
            destination_name: "China",
            destination_name_es: "China",
            ingress_gateway: "IN",
            egress_gateway: "OUT",
            account: "acc",
            call_id: "id",
            code: "-9",
            code_system: Some(CodeSystem::Vos3000),
            code_label: "Caller hung up",
            sip_final: Some(200),
            sip_equivalent: Some(200),
            sip_class: "2xx",
            q850: Some(16),
            outcome: Outcome::Answered,
            answered: true,
            error_class: Some("4xx"),
            talk_s: 9,
            billed_s: Some(12),
            pdd_ms: Some(1500),
            end_direction: Some(EndDirection::Caller),
            fee: Some(Money(1_500_000)),
            cost: Some(Money(-3)),
            duplicate: Duplicate::EarlierFile,
            local_day: Some(20_000),
        };
        let empty = NormalizedRow {
            source_file: "a.csv",
            format: "vos3000",
            destination: "(none)",
            destination_name: "(none)",
            destination_name_es: "(ninguno)",
            sip_class: "other",
            ..NormalizedRow::default()
        };
        let mut fast = Batch::new(None, "a.csv", "vos3000");
        let mut generic = Batch::new(None, "a.csv", "vos3000");
        for (k, row) in [&full, &empty, &full].into_iter().enumerate() {
            fast.push(row, k as u64);
            for (i, (c, buf)) in COLUMNS.iter().zip(&mut generic.cols).enumerate() {
                if i != SOURCE_FILE && i != FORMAT {
                    buf.push(row.value(i), c.nullable);
                }
            }
            generic.seq.push(k as i64);
            generic.rows += 1;
        }
        assert_eq!(fast.cols, generic.cols);
        assert_eq!(fast.seq, generic.seq);
        assert_eq!(fast.rows, 3);
    }
}
