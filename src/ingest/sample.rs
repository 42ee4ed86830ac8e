//! Sampling: the first records of the file's prefix, parsed whole, that format detection and the
//! mappers are built from.

use crate::reject::MAX_FIELDS;

/// How many records of the prefix format detection looks at.
const SNIFF_RECORDS: usize = 40;

/// The first records of a text prefix (its delimiter sniffed), for guessing a column mapping;
/// the last record is dropped when `may_be_cut`.
pub fn sample_of_text(text: &str, may_be_cut: bool) -> Vec<Vec<String>> {
    sample_records(text, super::sniff::sniff_delimiter(text), may_be_cut).0
}

/// Parses the first records of the prefix; the last one is dropped when it may be cut.
pub(crate) fn sample_records(
    text: &str,
    delimiter: u8,
    may_be_cut: bool,
) -> (Vec<Vec<String>>, csv_core::Reader) {
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut input = text.as_bytes();
    let mut out = vec![0u8; text.len() + 1];
    let mut ends = vec![0usize; MAX_FIELDS];
    let mut records = Vec::new();
    // What csv-core wrote of the current record so far: a last record without a line break
    // comes back in two calls (the text, then the end of input), and its field ends count
    // from the start of the record across them.
    let (mut nout, mut nend) = (0, 0);
    loop {
        // Skip blank lines, as the main reader does.
        let skip = input
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        input = &input[skip..];
        let (res, nin, n_out, n_end) = rdr.read_record(input, &mut out[nout..], &mut ends[nend..]);
        (nout, nend) = (nout + n_out, nend + n_end);
        let consumed_all = nin == input.len();
        input = &input[nin..];
        match res {
            csv_core::ReadRecordResult::Record => {
                if consumed_all && may_be_cut {
                    break;
                }
                let mut fields = Vec::with_capacity(nend);
                let mut start = 0;
                for &e in &ends[..nend] {
                    fields.push(String::from_utf8_lossy(&out[start..e]).into_owned());
                    start = e;
                }
                (nout, nend) = (0, 0);
                records.push(fields);
                if records.len() >= SNIFF_RECORDS {
                    break;
                }
            }
            csv_core::ReadRecordResult::InputEmpty => {
                if input.is_empty() && may_be_cut {
                    break;
                }
            }
            csv_core::ReadRecordResult::End => break,
            _ => break,
        }
    }
    (records, rdr)
}
