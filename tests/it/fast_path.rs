//! The fast line path (ASCII flag, cached ids, SWAR number parsing) gives the rows and the
//! csv-core path gives, wherever the file is cut into two pushes.

use crate::common;

use cdrscope::call::Call;
use cdrscope::formats::FormatOptions;
use cdrscope::ingest::{Reader, Reject, Sink};
use common::*;

/// Everything a call or reject carried, as owned text.
#[derive(Default)]
struct Seen {
    rows: Vec<String>,
}

impl Sink for Seen {
    fn call(&mut self, c: &Call<'_>) {
        self.rows.push(format!(
            "call {} {} {} {:?} {:?} {:?} {} {:?} {:?} {:?} {:?} [{}] [{}] [{}] [{}] [{}] {:?}",
            c.line,
            c.offset,
            c.len,
            c.start_ms,
            c.end_ms,
            c.answer_ms,
            c.hold_s,
            c.billed_s,
            c.pdd_ms,
            c.fee,
            c.cost,
            c.caller,
            c.callee,
            c.ingress,
            c.egress,
            c.call_id,
            c.code,
        ));
    }

    fn reject(&mut self, r: Reject) {
        self.rows.push(format!("reject {r:?}"));
    }

    fn note(&mut self, r: Reject) {
        self.rows.push(format!("note {r:?}"));
    }
}

/// The header and first rows of the VOS3000 fixture, with rows changed to take every path:
/// non-ASCII gateway names (UTF-8), an invalid UTF-8 byte, a CRLF line, a quoted field, an
/// Excel-mangled callee, a 10-digit (seconds) time and a time with a stray letter.
fn mixed_file() -> Vec<u8> {
    let text = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let lines: Vec<&str> = text.lines().take(18).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (egress, ingress, callee, start) = (
        col("calleegatewayid"),
        col("callergatewayid"),
        col("calleeaccesse164"),
        col("starttime"),
    );
    let mut out: Vec<u8> = Vec::new();
    out.extend_from_slice(lines[0].as_bytes());
    out.push(b'\n');
    for (i, line) in lines[1..].iter().enumerate() {
        let mut f: Vec<String> = line.split(',').map(str::to_string).collect();
        match i % 8 {
            1 => f[egress] = "网关一号".into(),
            2 => f[ingress] = "Клиент".into(),
            3 => f[callee] = "8.61381E+12".into(),
            4 => f[egress] = format!("\"{}\"", f[egress]),
            5 => f[start] = f[start][..10].to_string(),
            7 if i > 8 => f[start] = format!("{}x", &f[start][..12]),
            _ => {}
        }
        let mut row = f.join(",").into_bytes();
        if i == 13 {
            // One invalid UTF-8 byte in the ingress name.
            let at = row.iter().position(|&b| b == b',').unwrap();
            row.insert(at, 0xFF);
        }
        out.extend_from_slice(&row);
        out.extend_from_slice(if i % 5 == 0 { b"\r\n" } else { b"\n" });
    }
    out
}

fn read(bytes: &[u8], cut: usize, sniff: usize) -> Vec<String> {
    let mut seen = Seen::default();
    let mut r = Reader::with_sniff_bytes(FormatOptions::default(), sniff);
    r.push(&bytes[..cut], &mut seen).unwrap();
    r.push(&bytes[cut..], &mut seen).unwrap();
    r.finish(&mut seen).unwrap();
    seen.rows
}

#[test]
fn every_cut_gives_the_same_rows() {
    let bytes = mixed_file();
    // Detection needs the header and a few rows; the rest streams through the line path.
    let sniff = 1500;
    let want = read(&bytes, bytes.len(), sniff);
    assert_eq!(
        want.iter().filter(|r| r.starts_with("call")).count()
            + want.iter().filter(|r| r.starts_with("reject")).count(),
        17,
        "{want:#?}"
    );
    assert!(want.iter().any(|r| r.contains("[网关一号]")), "{want:#?}");
    assert!(want.iter().any(|r| r.contains("[Клиент]")), "{want:#?}");
    assert!(want.iter().any(|r| r.contains('\u{FFFD}')), "{want:#?}");
    assert!(want.iter().any(|r| r.starts_with("note")), "{want:#?}");
    assert!(want.iter().any(|r| r.starts_with("reject")), "{want:#?}");
    // Every byte through the first rows (CRLF, UTF-8 names, a quoted field, the end of the
    // sniffed prefix), every third byte after that (a debug build reads the file once per cut).
    for cut in (0..3000).chain((3000..=bytes.len()).step_by(3)) {
        assert_eq!(read(&bytes, cut, sniff), want, "cut at byte {cut}");
    }
}
