//! Streaming invariance: the same Summary whatever the chunking, the encoding, the delimiter,
//! the quoting and the line endings.

use crate::common;

use cdrscope::formats::generic::ColumnMapping;
use cdrscope::formats::FormatOptions;
use cdrscope::{Dataset, Filter};
use common::*;
use serde_json::Value;

/// Every fixture, with the options it is read with.
fn fixtures() -> Vec<(&'static str, FormatOptions)> {
    let mapping: ColumnMapping =
        serde_json::from_slice(&fixture("generic_carrier.mapping.json")).unwrap();
    let mut v: Vec<(&'static str, FormatOptions)> = [
        "vos3000_cdr_en.csv",
        "vos3000_cdr_zh_gb18030.csv",
        "asterisk_Master.csv",
        "asterisk_cdr_table.tsv",
        "freeswitch_Master.csv",
        "freeswitch_custom_Master.csv",
        "freeswitch_custom_header.csv",
        "kamailio_acc.csv",
        "cucm_cdr.csv",
    ]
    .into_iter()
    .map(|n| (n, FormatOptions::default()))
    .collect();
    v.push((
        "generic_carrier.csv",
        FormatOptions {
            format: None,
            mapping: Some(mapping),
            ..FormatOptions::default()
        },
    ));
    v
}

/// A small deterministic generator (Knuth's MMIX LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A chunk size from 1 byte to 16 MB, log-uniform so small and large sizes both occur.
    fn chunk(&mut self) -> usize {
        let bits = self.next() % 25; // 2^0 .. 2^24 = 16 MiB
        let size = 1usize << bits;
        (size + (self.next() as usize % size)).min(16 << 20)
    }
}

/// Reads `bytes` in the chunks `sizes` yields; returns the data set.
fn read_chunked(
    name: &str,
    bytes: &[u8],
    options: FormatOptions,
    mut sizes: impl FnMut() -> usize,
) -> Dataset {
    let mut d = Dataset::new();
    d.start_file(name, bytes.len() as u64, options);
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = sizes().clamp(1, rest.len());
        d.push(&rest[..n]).unwrap_or_else(|e| panic!("{name}: {e}"));
        rest = &rest[n..];
    }
    d.finish_file().unwrap_or_else(|e| panic!("{name}: {e}"));
    d
}

fn whole(name: &str, bytes: &[u8], options: FormatOptions) -> Dataset {
    let mut d = Dataset::new();
    d.read_bytes(name, bytes, options)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    d
}

fn summary_json(d: &Dataset) -> String {
    serde_json::to_string(&d.summary(&Filter::default(), &all_codes())).unwrap()
}

fn all_rows(d: &Dataset) -> Vec<(u16, u64, u64, u32)> {
    d.rows(&Filter::default(), &all_codes(), 0, usize::MAX)
        .rows
        .into_iter()
        .map(|r| (r.file, r.line, r.offset, r.len))
        .collect()
}

#[test]
fn random_chunk_sizes_give_the_whole_file_summary() {
    let mut rng = Lcg(20250310);
    for (name, options) in fixtures() {
        let bytes = fixture(name);
        let reference = whole(name, &bytes, options.clone());
        let want = summary_json(&reference);
        let want_rows = all_rows(&reference);
        assert!(!want_rows.is_empty(), "{name}");
        for round in 0..4 {
            let d = read_chunked(name, &bytes, options.clone(), || rng.chunk());
            assert_eq!(summary_json(&d), want, "{name}: round {round}");
            assert_eq!(all_rows(&d), want_rows, "{name}: round {round}");
        }
        // Small chunks only (1..64 bytes), the hardest case for the parser's state.
        let d = read_chunked(name, &bytes, options.clone(), || {
            1 + rng.next() as usize % 64
        });
        assert_eq!(summary_json(&d), want, "{name}: small chunks");
    }
}

#[test]
fn one_byte_chunks_give_the_whole_file_summary() {
    for name in ["kamailio_acc.csv", "cucm_cdr.csv", "asterisk_Master.csv"] {
        let bytes = fixture(name);
        let want = summary_json(&whole(name, &bytes, FormatOptions::default()));
        let d = read_chunked(name, &bytes, FormatOptions::default(), || 1);
        assert_eq!(summary_json(&d), want, "{name}");
    }
}

#[test]
fn row_offsets_point_at_the_original_bytes() {
    for (name, options) in fixtures() {
        if name.contains("gb18030") {
            continue;
        }
        let bytes = fixture(name);
        let text = String::from_utf8(bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (_, line, offset, len) in all_rows(&whole(name, &bytes, options)) {
            let row = &bytes[offset as usize..(offset + u64::from(len)) as usize];
            assert_eq!(
                row,
                lines[(line - 1) as usize].as_bytes(),
                "{name}: line {line}"
            );
        }
    }
}

/// The summary without what legitimately differs between renderings of the same rows.
fn kpis_only(d: &Dataset) -> Value {
    let mut v = serde_json::to_value(d.summary(&Filter::default(), &all_codes())).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in ["encoding", "delimiter", "files", "columns"] {
        o.remove(k);
    }
    v
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_and_utf8_bom_versions_give_the_same_kpis() {
    let mut rng = Lcg(7);
    for name in [
        "freeswitch_custom_Master.csv",
        "kamailio_acc.csv",
        "asterisk_cdr_table.tsv",
    ] {
        let bytes = fixture(name);
        let text = String::from_utf8(bytes.clone()).unwrap();
        let reference = whole(name, &bytes, FormatOptions::default());
        let want = kpis_only(&reference);
        let want_rows: Vec<(u64, String)> = all_rows(&reference)
            .into_iter()
            .map(|(_, line, _, _)| {
                (
                    line,
                    text.lines().nth(line as usize - 1).unwrap().to_string(),
                )
            })
            .collect();
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(&bytes);
        let variants = [
            ("utf-8-bom", bom),
            ("utf-16le", utf16(&text, false)),
            ("utf-16be", utf16(&text, true)),
        ];
        for (encoding, data) in variants {
            for chunked in [false, true] {
                let d = if chunked {
                    read_chunked(name, &data, FormatOptions::default(), || {
                        1 + rng.next() as usize % 5000
                    })
                } else {
                    whole(name, &data, FormatOptions::default())
                };
                let s = d.summary(&Filter::default(), &all_codes());
                assert_eq!(s.encoding, encoding, "{name}");
                assert_eq!(
                    kpis_only(&d),
                    want,
                    "{name} as {encoding}, chunked {chunked}"
                );
                // Offsets and lengths address the row in the encoded file.
                let got: Vec<(u64, String)> = all_rows(&d)
                    .into_iter()
                    .map(|(_, line, offset, len)| {
                        let raw = &data[offset as usize..(offset + u64::from(len)) as usize];
                        let row = match encoding {
                            "utf-16le" => encoding_rs::UTF_16LE.decode_without_bom_handling(raw).0,
                            "utf-16be" => encoding_rs::UTF_16BE.decode_without_bom_handling(raw).0,
                            _ => String::from_utf8_lossy(raw),
                        };
                        (line, row.into_owned())
                    })
                    .collect();
                assert_eq!(got, want_rows, "{name} as {encoding}, chunked {chunked}");
            }
        }
    }
}

#[test]
fn gb18030_and_its_utf8_transcoding_give_the_same_kpis() {
    let name = "vos3000_cdr_zh_gb18030.csv";
    let gb = fixture(name);
    let utf8 = encoding_rs::GB18030.decode(&gb).0.into_owned();
    let a = whole(name, &gb, FormatOptions::default());
    let b = whole(name, utf8.as_bytes(), FormatOptions::default());
    assert_eq!(
        a.summary(&Filter::default(), &all_codes()).encoding,
        "gb18030"
    );
    assert_eq!(
        b.summary(&Filter::default(), &all_codes()).encoding,
        "utf-8"
    );
    assert_eq!(kpis_only(&a), kpis_only(&b));
}

/// Writes records with a delimiter and line ending, quoting fields that need it (or all).
fn write_csv(records: &[Vec<String>], delimiter: char, crlf: bool, quote_all: bool) -> String {
    let mut out = String::new();
    for r in records {
        let fields: Vec<String> = r
            .iter()
            .map(|f| {
                let needs = f.contains([delimiter, '"', '\n', '\r']);
                if needs || (quote_all && !f.is_empty()) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f.clone()
                }
            })
            .collect();
        out.push_str(&fields.join(&delimiter.to_string()));
        out.push_str(if crlf { "\r\n" } else { "\n" });
    }
    out
}

#[test]
fn delimiters_quoting_and_line_endings_give_the_same_kpis() {
    // (fixture, its delimiter, a column whose text no KPI reads, options)
    let mapping: ColumnMapping =
        serde_json::from_slice(&fixture("generic_carrier.mapping.json")).unwrap();
    let cases: [(&str, char, usize, Option<ColumnMapping>); 3] = [
        ("asterisk_Master.csv", ',', 17, None),
        ("kamailio_acc.csv", ',', 6, None),
        ("generic_carrier.csv", ';', 10, Some(mapping)),
    ];
    let nasty = "said \"hi\"; then, a|b\tc\nsecond line\r\nthird";
    let mut rng = Lcg(99);
    for (name, delim, free_col, mapping) in cases {
        let text = String::from_utf8(fixture(name)).unwrap();
        let mut records = records(&text, delim, usize::MAX);
        let header = usize::from(name != "asterisk_Master.csv");
        for r in records.iter_mut().skip(header).step_by(3) {
            r[free_col] = nasty.to_string();
        }
        let opts = |d: char| FormatOptions {
            format: None,
            mapping: mapping.clone().map(|mut m| {
                m.delimiter = Some(d.to_string());
                m
            }),
            ..FormatOptions::default()
        };
        let reference = whole(name, text.as_bytes(), opts(delim));
        let want = kpis_only(&reference);
        for d in [',', ';', '\t', '|'] {
            for crlf in [false, true] {
                for quote_all in [false, true] {
                    let data = write_csv(&records, d, crlf, quote_all);
                    let what = format!("{name} with {d:?}, crlf {crlf}, quote_all {quote_all}");
                    let ds = whole(name, data.as_bytes(), opts(d));
                    let s = ds.summary(&Filter::default(), &all_codes());
                    let name_of = match d {
                        ',' => "comma",
                        ';' => "semicolon",
                        '\t' => "tab",
                        _ => "pipe",
                    };
                    assert_eq!(s.delimiter, name_of, "{what}");
                    assert_eq!(kpis_only(&ds), want, "{what}");
                    let chunked =
                        read_chunked(name, data.as_bytes(), opts(d), || rng.chunk() % 300 + 1);
                    assert_eq!(kpis_only(&chunked), want, "{what}, chunked");
                }
            }
        }
    }
}

/// A file read in chunks sizes its call store and money table once, from its first rows: no
/// doubling slack, which wasm memory (it never shrinks) would keep for good.
#[test]
fn the_store_is_sized_once_from_the_first_rows() {
    let text = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let mut bytes = format!("{header}\n").into_bytes();
    for k in 0..10 {
        // Each copy's caller numbers get their own first digit: repeated rows would be
        // counted once.
        for row in rows.lines() {
            bytes.extend_from_slice(format!("{k}{row}\n").as_bytes());
        }
    }
    let d = read_chunked("big.csv", &bytes, FormatOptions::default(), || 64 << 10);
    let store = d.store();
    assert_eq!(store.calls.len(), 20_000);
    assert_eq!(store.money.len(), 20_000);
    // Doubling would leave 32,768 slots; the estimate from the first rows is within a few %.
    assert!(
        store.calls.capacity() <= 20_600,
        "{}",
        store.calls.capacity()
    );
    assert!(
        store.money.capacity() <= 20_600,
        "{}",
        store.money.capacity()
    );
}
