//! Reading a file in parallel parts gives the same summary as reading it whole, and a quoted
//! field that spans a cut is detected so the caller can fall back.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::ingest::plan;
use cdrscope::inputs::{self, InputKind};
use cdrscope::FormatOptions;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The line start after the first `\n` at or after `at` (as [`plan::Cuts::plan`] cuts).
fn line_start(bytes: &[u8], at: usize) -> usize {
    plan::line_start_in(&bytes[at..]).map_or(bytes.len(), |p| at + p)
}

/// Reads `bytes` in `n` parts the way the CLI does, with the core's plan ([`plan::Cuts`]): the
/// first reader takes a head of 70,000 bytes, then each part is read by its own reader and
/// merged in order; a part that ended inside a quoted field reads on to the end of the file
/// (the fall-back). Also returns whether that fall-back happened.
fn read_in_parts(name: &str, bytes: &[u8], n: usize) -> (Dataset, bool) {
    let cuts = plan::Cuts::plan_in(bytes, 70_000, n);
    let parts: Vec<(u64, u64)> = cuts.parts().collect();
    let size = bytes.len();
    let mut head = Dataset::new();
    head.start_file(name, size as u64, FormatOptions::default());
    head.push(&bytes[..cuts.head() as usize]).unwrap();
    let read_plan = head.plan().unwrap();
    head.push(&bytes[parts[0].0 as usize..parts[0].1 as usize])
        .unwrap();
    let mut lines = head.lines_read();
    if let Some(from) = cuts.read_on_from(0, head.at_row_boundary()) {
        head.push(&bytes[from as usize..]).unwrap();
        head.finish_file().unwrap();
        return (head, true);
    }
    head.finish_file().unwrap();
    for (k, &(from, to)) in parts.iter().enumerate().skip(1) {
        let mut part = Dataset::new();
        part.start_part(name, size as u64, &read_plan, from)
            .unwrap();
        for chunk in bytes[from as usize..to as usize].chunks(7_777) {
            part.push(chunk).unwrap();
        }
        let at_boundary = part.at_row_boundary();
        let part_lines = part.lines_read();
        let read_on = cuts.read_on_from(k, at_boundary);
        if let Some(from) = read_on {
            part.push(&bytes[from as usize..]).unwrap();
        }
        part.finish_file().unwrap();
        head.absorb_part(&part, lines);
        lines += part_lines;
        if read_on.is_some() {
            return (head, true);
        }
    }
    (head, false)
}

fn json(d: &Dataset) -> String {
    let opts = SummaryOptions::default();
    // The files too: a part's repeats are counted in its file once.
    let s = d.summary(&Filter::default(), &opts);
    let page = d.rows(&Filter::default(), &opts, 3, 50);
    serde_json::to_string(&(s, page)).unwrap()
}

#[test]
fn parts_equal_whole() {
    for name in [
        "vos3000_cdr_en.csv",
        "vos3000_cdr_zh_gb18030.csv",
        "asterisk_Master.csv",
        "freeswitch_custom_Master.csv",
        // 303 of its 711 rows are written twice, some across the cuts: a repeat in a later
        // part of a row of an earlier part is counted once, as in a sequential read.
        "real/freeswitch/powermedia-master-repeated-rows.csv",
    ] {
        let bytes = fixture(name);
        let mut whole = Dataset::new();
        whole
            .read_bytes(name, &bytes, FormatOptions::default())
            .unwrap();
        for n in [2, 3, 5] {
            let (parts, fell_back) = read_in_parts(name, &bytes, n);
            assert!(!fell_back, "{name} in {n} parts");
            assert_eq!(json(&parts), json(&whole), "{name} in {n} parts");
        }
        if name.contains("powermedia") {
            let s = whole.summary(&Filter::default(), &SummaryOptions::default());
            assert_eq!(
                (s.rows.data, s.rows.duplicates, s.overall.attempts),
                (711, 303, 408)
            );
            assert_eq!(s.files[0].duplicates, 303);
        }
    }
}

#[test]
fn a_quoted_newline_across_the_cut_is_detected() {
    // A row whose quoted device-name field spans three lines, right where a cut falls.
    let body = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let lines: Vec<&str> = body.lines().collect();
    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == lines.len() / 2 {
            text.push_str(&l.replacen(",softswitch,", ",\"soft\nswi\ntch\",", 1));
        } else {
            text.push_str(l);
        }
        text.push('\n');
    }
    let bytes = text.as_bytes();
    let cut = line_start(bytes, text.find("soft\nswi").unwrap());
    let mut head = Dataset::new();
    head.start_file("q.csv", bytes.len() as u64, FormatOptions::default());
    head.push(&bytes[..cut]).unwrap();
    assert!(!head.at_row_boundary(), "the cut is inside a quoted field");
    head.push(&bytes[cut..]).unwrap();
    head.finish_file().unwrap();
    let s = head.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!((s.rows.accepted, s.rows.rejected), (2000, 0));
}

#[test]
fn a_cut_inside_a_quoted_field_falls_back_to_one_sequential_read() {
    // The quoted device name spans two lines exactly where the plan cuts the file in two.
    let body = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let size = body.len();
    let probe = plan::Cuts::plan_in(body.as_bytes(), 70_000, 2).points()[1] as usize;
    // The row that starts at the cut gets a newline inside a quoted field, before the cut
    // point of the file it becomes: the previous row is the one cut.
    let row_start = body[..probe - 1].rfind('\n').unwrap() + 1;
    let row = &body[row_start..probe];
    let quoted = row.replacen(",softswitch,", ",\"soft\nswitch\",", 1);
    assert_ne!(row, quoted, "the row has the device name to quote");
    let text = format!("{}{}{}", &body[..row_start], quoted, &body[probe..]);
    let bytes = text.as_bytes();
    let cuts = plan::Cuts::plan_in(bytes, 70_000, 2);
    assert_eq!(cuts.points().len(), 3);
    let cut = cuts.points()[1] as usize;
    assert!(
        text[..cut].ends_with("\"soft\n"),
        "the cut is inside the quoted field"
    );
    assert_eq!(size + 3, bytes.len());
    let (parts, fell_back) = read_in_parts("q.csv", bytes, 2);
    assert!(fell_back);
    let mut whole = Dataset::new();
    whole
        .read_bytes("q.csv", bytes, FormatOptions::default())
        .unwrap();
    assert_eq!(json(&parts), json(&whole));
    let s = parts.summary(&Filter::default(), &SummaryOptions::default());
    assert_eq!((s.rows.accepted, s.rows.rejected), (2000, 0));
}

#[test]
fn utf16_and_gzip_files_are_not_split() {
    // UTF-16: the plan is made, but a `\n` byte is no line break there.
    let utf8 = fixture("vos3000_cdr_en.csv");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in String::from_utf8(utf8.clone()).unwrap().encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut d = Dataset::new();
    d.start_file("w.csv", utf16.len() as u64, FormatOptions::default());
    d.push(&utf16[..140_000]).unwrap();
    let p = d.plan().unwrap();
    assert_eq!(p.encoding.name(), "utf-16le");
    assert!(p.splittable && !p.can_split());
    let mut d = Dataset::new();
    d.start_file("a.csv", utf8.len() as u64, FormatOptions::default());
    d.push(&utf8[..70_000]).unwrap();
    assert!(d.plan().unwrap().can_split());
    // gzip: told apart by its magic bytes before any plan, so never plain text to cut.
    let gz = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    assert_eq!(inputs::detect("a.csv", &gz), InputKind::Gzip);
    let parts = |text: bool| plan::PartPolicy::CLI.parts(1 << 30, 2, text);
    assert_eq!(parts(inputs::detect("a.csv.gz", &gz) == InputKind::Text), 1);
    assert_eq!(
        parts(inputs::detect("a.csv", &utf8[..64]) == InputKind::Text),
        2
    );
}

/// How a page part ended, for [`read_like_page`].
#[derive(Debug, PartialEq, Eq)]
enum PageRead {
    /// Every part merged as read.
    Merged,
    /// The first worker's part ended inside a quoted field: it read on alone.
    FirstReadOn,
    /// Part `k`'s worker ended inside a quoted field and read on to the end itself.
    PartReadOn(usize),
    /// Part `k`'s worker failed: the rest was read from its start by a new part reader.
    RestFrom(usize),
}

/// Reads `bytes` as the page does (www/worker.js over `web/part.rs`): [`plan::PartPolicy::PAGE`]
/// with the smallest file lowered to `min` for `readers` readers, the head, the cut search over
/// windows of bytes, each later part read by its own reader and handed over as bytes
/// (`part_bytes` → `absorb_part_bytes`); `fail` makes that part's worker fail.
fn read_like_page(
    bytes: &[u8],
    readers: usize,
    min: u64,
    fail: Option<usize>,
) -> (Dataset, usize, PageRead) {
    let name = "page.csv";
    let size = bytes.len() as u64;
    let policy = plan::PartPolicy::PAGE.with_min_bytes(min);
    let parts = policy.parts(size, readers, true);
    let head = policy.head(size, parts);
    let mut main = Dataset::new();
    main.start_file(name, size, FormatOptions::default());
    main.push(&bytes[..head as usize]).unwrap();
    let read_plan = if parts > 1 { main.plan() } else { None };
    let Some(read_plan) = read_plan.filter(|p| p.can_split()) else {
        main.push(&bytes[head as usize..]).unwrap();
        main.finish_file().unwrap();
        return (main, 1, PageRead::Merged);
    };
    let mut search = plan::CutSearch::new(size, head, &policy.targets(size, parts));
    while let Some((from, to)) = search.window() {
        search.feed(&bytes[from as usize..to as usize]);
    }
    let cuts = search.cuts();
    let p = cuts.points().to_vec();
    let n = cuts.len();
    main.push(&bytes[p[0] as usize..p[1] as usize]).unwrap();
    if let Some(from) = plan::read_on_from(p[1], size, main.at_row_boundary()) {
        main.push(&bytes[from as usize..]).unwrap();
        main.finish_file().unwrap();
        main.parts_done();
        return (main, n, PageRead::FirstReadOn);
    }
    // Each part worker: its part, and on to the end when a quoted field spans its end.
    let worker = |from: u64, to: u64| {
        let mut part = Dataset::new();
        part.start_part(name, size, &read_plan, from).unwrap();
        for chunk in bytes[from as usize..to as usize].chunks(9_999) {
            part.push(chunk).unwrap();
        }
        let lines = part.lines_read();
        let on = plan::read_on_from(to, size, part.at_row_boundary());
        if let Some(on) = on {
            part.push(&bytes[on as usize..]).unwrap();
        }
        part.finish_file().unwrap();
        (part.part_bytes(), lines, on.is_some())
    };
    let mut lines = main.lines_read();
    main.finish_file().unwrap();
    let mut how = PageRead::Merged;
    for k in 1..n {
        if fail == Some(k) {
            let (b, _, _) = worker(p[k], size);
            main.absorb_part_bytes(&b, lines).unwrap();
            how = PageRead::RestFrom(k);
            break;
        }
        let (b, part_lines, read_on) = worker(p[k], p[k + 1]);
        main.absorb_part_bytes(&b, lines).unwrap();
        lines += part_lines;
        if read_on {
            how = PageRead::PartReadOn(k);
            break;
        }
    }
    main.parts_done();
    (main, n, how)
}

/// The English VOS3000 fixture three times (2.5 MB; every row then repeats, across parts too),
/// with CRLF line ends and a BOM when asked.
fn big_vos(crlf: bool, bom: bool) -> Vec<u8> {
    let text = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(header);
    out.push('\n');
    out.push_str(&rows.repeat(3));
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    out.into_bytes()
}

#[test]
fn the_pages_plan_in_one_to_eight_parts_equals_one_sequential_read() {
    for (crlf, bom) in [(false, false), (true, false), (false, true)] {
        let bytes = big_vos(crlf, bom);
        let mut whole = Dataset::new();
        whole
            .read_bytes("page.csv", &bytes, FormatOptions::default())
            .unwrap();
        let want = json(&whole);
        for readers in 1..=8 {
            let (d, n, how) = read_like_page(&bytes, readers, 1 << 18, None);
            assert_eq!(n, readers, "crlf {crlf} bom {bom}: {readers} readers");
            assert_eq!(how, PageRead::Merged);
            assert_eq!(json(&d), want, "crlf {crlf} bom {bom}: {readers} parts");
        }
        // A part worker fails: the rest is read from its start, same result.
        for fail in [1, 2, 4] {
            let (d, _, how) = read_like_page(&bytes, 5, 1 << 18, Some(fail));
            assert_eq!(how, PageRead::RestFrom(fail));
            assert_eq!(json(&d), want, "part {fail} failed");
        }
    }
    // Too small for the threshold: one part.
    let bytes = big_vos(false, false);
    let (_, n, _) = read_like_page(&bytes, 8, bytes.len() as u64 + 1, None);
    assert_eq!(n, 1);
}

#[test]
fn a_quoted_field_across_a_later_cut_reads_on_from_that_part() {
    let bytes = big_vos(false, false);
    let size = bytes.len() as u64;
    let policy = plan::PartPolicy::PAGE.with_min_bytes(1 << 18);
    for (readers, at) in [(4, 1), (4, 2), (3, 0)] {
        // The row cut `at + 1` follows gets a quoted device name spanning two lines: the part
        // that holds it ends inside the field.
        let probe = plan::Cuts::search_in(
            &bytes,
            policy.head(size, readers),
            &policy.targets(size, readers),
        );
        let cut = probe.points()[at + 1] as usize;
        let row_start = bytes[..cut - 1].iter().rposition(|&b| b == b'\n').unwrap() + 1;
        let row = String::from_utf8(bytes[row_start..cut].to_vec()).unwrap();
        // 20,000 bytes before the newline: the cut target (moved by less, a share of what is
        // added) stays before it, in the row, so the cut is the newline inside the field.
        let long = format!(",\"soft{}\nswitch\",", "x".repeat(20_000));
        let quoted = row.replacen(",softswitch,", &long, 1);
        assert_ne!(row, quoted);
        let mut text = bytes[..row_start].to_vec();
        text.extend_from_slice(quoted.as_bytes());
        text.extend_from_slice(&bytes[cut..]);
        let mut whole = Dataset::new();
        whole
            .read_bytes("page.csv", &text, FormatOptions::default())
            .unwrap();
        let (d, n, how) = read_like_page(&text, readers, 1 << 18, None);
        assert_eq!(n, readers);
        let expected = if at == 0 {
            PageRead::FirstReadOn
        } else {
            PageRead::PartReadOn(at)
        };
        assert_eq!(how, expected, "{readers} readers, cut {}", at + 1);
        assert_eq!(json(&d), json(&whole));
    }
}

#[test]
fn report_jobs_reads_a_large_file_in_parts_as_one_sequential_read() {
    // 17 MB (above the command line's 16 MB): `--jobs 3` gives two parts of at least 8 MB
    // (`PartPolicy::CLI`), `--jobs 1` one; the JSON is the same, and so is the export's.
    let bytes = {
        let text = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
        let (header, rows) = text.split_once('\n').unwrap();
        let copies = (17 << 20) / rows.len() + 1;
        format!("{header}\n{}", rows.repeat(copies)).into_bytes()
    };
    assert_eq!(plan::PartPolicy::CLI.parts(bytes.len() as u64, 3, true), 2);
    let dir = std::env::temp_dir().join(format!("cdrscope-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.csv");
    std::fs::write(&file, &bytes).unwrap();
    let report = |jobs: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cdrscope"))
            .args(["report", "--json", "--tz", "+08:00", "--jobs", jobs])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let one = report("1");
    assert!(one.contains("\"attempts\""));
    // Compared as values, so a difference prints as one line and not two 200 KB texts.
    let v = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
    let (one_v, files) = (v(&one), |j: &serde_json::Value| j["files"].to_string());
    for jobs in ["3", "8"] {
        let parts = v(&report(jobs));
        // Every row repeats one of the first copy: the file's repeats as the sequential read's.
        assert_eq!(files(&parts), files(&one_v), "--jobs {jobs}: files");
        assert!(parts == one_v, "--jobs {jobs}: the JSON differs");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
