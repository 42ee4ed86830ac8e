//! The drill-down table's calls and the calls CSV: caller, callee and Call-ID mapped again from
//! a call's row, the rest from the store, with exact values from the sample files.

use crate::common;

use cdrscope::analysis::call_view::{calls_csv, remap_row, view_page, CallView, Parties};
use cdrscope::analysis::RowRef;
use cdrscope::formats::FormatOptions;
use cdrscope::{Dataset, Filter, SummaryOptions};
use common::fixture;

/// A data set of one fixture, and a reader of its rows' texts (as the CLI or the page's worker
/// reads them again: sliced out of the file's bytes and decoded).
fn load(name: &str) -> (Dataset, Vec<u8>) {
    let bytes = fixture(name);
    let mut d = Dataset::new();
    d.read_bytes(name, &bytes, FormatOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (d, bytes)
}

fn texts_from<'a>(
    bytes: &'a [u8],
    encoding: &'static encoding_rs::Encoding,
) -> impl FnMut(&[RowRef]) -> Vec<Option<String>> + 'a {
    move |rows: &[RowRef]| {
        rows.iter()
            .map(|r| {
                let b = bytes.get(r.offset as usize..r.offset as usize + r.len as usize)?;
                Some(encoding.decode(b).0.into_owned())
            })
            .collect()
    }
}

fn first_views(name: &str, tz_offset_min: i32, n: usize) -> Vec<CallView> {
    let (d, bytes) = load(name);
    let opts = SummaryOptions {
        tz_offset_min,
        ..SummaryOptions::default()
    };
    let mut texts = texts_from(&bytes, encoding_rs::UTF_8);
    let page = view_page(&d, &Filter::default(), &opts, (0, n), None, &mut texts);
    assert_eq!(page.views.len(), n);
    page.views
}

/// The VOS3000 sample's first call: every column of the drill-down table, from the row
/// `2455096001,…,7778804694738104,8804694738104,…,1741536126674,4962,…,2,…,0.003,…,330455001,…,-9`.
#[test]
fn a_vos3000_row_gives_every_column() {
    let v = first_views("vos3000_cdr_en.csv", 480, 2);
    assert_eq!(
        v[0],
        CallView {
            file: "vos3000_cdr_en.csv".into(),
            line: 2,
            // stoptime 1741536126674 ms is 16:02:06 UTC, 00:02:06 at +08:00.
            time: "2025-03-10 00:02:06".into(),
            time_ms: Some(1_741_564_926_000),
            caller: "2455096001".into(),
            // calleeaccesse164: the number after the switch's prefix handling.
            callee: "8804694738104".into(),
            // flowno: VOS3000's record id.
            call_id: "330455001".into(),
            ingress: "CUST_BRAVO".into(),
            egress: "GW_SG_CHEAP".into(),
            destination: "880".into(),
            outcome: "answered".into(),
            code: "-9".into(),
            code_label: "Caller hung up".into(),
            code_system: Some(cdrscope::call::CodeSystem::Vos3000),
            answered: true,
            talk_s: 2,
            pdd_ms: Some(4962),
            // 0.003 with the file's four decimals (its fees go down to 0.0017).
            fee: Some("0.0030".into()),
        }
    );
    // The Spanish page shows the reference card's Spanish title.
    assert_eq!(
        cdrscope::codes::short_label_in(v[0].code_system, &v[0].code, "es"),
        "El llamante colgó"
    );
    assert_eq!(
        (
            v[1].caller.as_str(),
            v[1].callee.as_str(),
            v[1].call_id.as_str()
        ),
        ("17322906413", "443749521779", "330455002")
    );
    assert_eq!(
        (
            v[1].outcome.as_str(),
            v[1].code.as_str(),
            v[1].code_label.as_str()
        ),
        ("unavailable", "500", "Server Internal Error")
    );
    assert_eq!((v[1].pdd_ms, v[1].talk_s), (None, 0));
}

/// Asterisk `cdr_csv` (no header): src, dst and uniqueid; times are local and not shifted.
#[test]
fn an_asterisk_row_gives_caller_callee_and_uniqueid() {
    let v = first_views("asterisk_Master.csv", 480, 2);
    let got: Vec<_> = v
        .iter()
        .map(|v| {
            (
                v.caller.as_str(),
                v.callee.as_str(),
                v.call_id.as_str(),
                v.time.as_str(),
                v.ingress.as_str(),
                v.egress.as_str(),
                v.outcome.as_str(),
                v.code.as_str(),
                v.talk_s,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "2463929717",
                "11250312599",
                "1741536375.1",
                "2025-03-10 00:07:18",
                "cust_bravo",
                "trunk_us",
                "answered",
                "ANSWERED",
                56
            ),
            (
                "17236975033",
                "8615779378182",
                "1741536760.2",
                "2025-03-10 00:12:53",
                "cust_alpha",
                "trunk_cn",
                "no_answer",
                "NO ANSWER",
                0
            ),
        ]
    );
}

/// FreeSWITCH mod_cdr_csv `example` template: caller_id_number, destination_number, uuid.
#[test]
fn a_freeswitch_row_gives_caller_callee_and_uuid() {
    let v = first_views("freeswitch_Master.csv", 0, 2);
    assert_eq!(
        (
            v[1].caller.as_str(),
            v[1].callee.as_str(),
            v[1].call_id.as_str()
        ),
        (
            "19561420833",
            "8613360187185",
            "d5f1f269-ce02-49a2-a5e7-1017fdabba36"
        )
    );
    assert_eq!(
        (v[1].outcome.as_str(), v[1].code_label.as_str(), v[1].talk_s),
        ("answered", "Normal call clearing", 78)
    );
    assert_eq!(
        (
            v[0].call_id.as_str(),
            v[0].outcome.as_str(),
            v[0].egress.as_str()
        ),
        ("10aaa219-4d7f-4c3c-8fc3-56214defa413", "busy", "(none)")
    );
}

/// A GB18030 file (the Chinese VOS3000 client): the row is decoded in the file's encoding, then
/// mapped through the mapper built from the Chinese header.
#[test]
fn a_gb18030_row_is_mapped_after_decoding() {
    let (d, bytes) = load("vos3000_cdr_zh_gb18030.csv");
    let mut texts = texts_from(&bytes, encoding_rs::GB18030);
    let page = view_page(
        &d,
        &Filter::default(),
        &SummaryOptions::default(),
        (0, 1),
        None,
        &mut texts,
    );
    let v = &page.views[0];
    assert_eq!(
        (
            v.caller.as_str(),
            v.callee.as_str(),
            v.code.as_str(),
            v.talk_s
        ),
        ("2455096001", "8804694738104", "-9", 2)
    );
}

/// A later page and a filter: the rows are the filter's, mapped from their own offsets.
#[test]
fn a_filtered_later_page_maps_its_own_rows() {
    let (d, bytes) = load("vos3000_cdr_en.csv");
    let filter = Filter {
        egress: vec!["GW_SG_CHEAP".into()],
        ..Filter::default()
    };
    let mut texts = texts_from(&bytes, encoding_rs::UTF_8);
    let opts = SummaryOptions::default();
    let page = view_page(&d, &filter, &opts, (1, 50), None, &mut texts);
    assert_eq!(page.total, 471);
    assert_eq!(page.views.len(), 50);
    let text = std::str::from_utf8(&bytes).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (caller, callee, flowno) = (col("callere164"), col("calleeaccesse164"), col("flowno"));
    for (r, v) in page.rows.iter().zip(&page.views) {
        assert_eq!(v.egress, "GW_SG_CHEAP");
        let line = std::str::from_utf8(&bytes[r.offset as usize..][..r.len as usize]).unwrap();
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(
            (v.caller.as_str(), v.callee.as_str(), v.call_id.as_str()),
            (fields[caller], fields[callee], fields[flowno]),
            "line {}",
            r.line
        );
    }
}

/// Without the rows' texts (a file that cannot be read again) the columns from the store
/// are still there and the parties are empty, not wrong.
#[test]
fn an_unreadable_row_leaves_the_parties_empty() {
    let (d, _) = load("vos3000_cdr_en.csv");
    let mut none = |rows: &[RowRef]| vec![None; rows.len()];
    let page = view_page(
        &d,
        &Filter::default(),
        &SummaryOptions::default(),
        (0, 1),
        None,
        &mut none,
    );
    assert_eq!(
        (
            page.views[0].caller.as_str(),
            page.views[0].egress.as_str(),
            page.views[0].talk_s
        ),
        ("", "GW_SG_CHEAP", 2)
    );
}

/// `remap_row` on one line of text: the same parties as the first read.
#[test]
fn remap_row_maps_one_line_again() {
    let (d, bytes) = load("freeswitch_Master.csv");
    let plan = d.plan_of(0).expect("a plan for the file");
    let text = std::str::from_utf8(&bytes).unwrap().lines().nth(1).unwrap();
    let offset = bytes.iter().position(|&b| b == b'\n').unwrap() as u64 + 1;
    assert_eq!(
        remap_row(plan, offset, text),
        Some(Parties {
            caller: "19561420833".into(),
            callee: "8613360187185".into(),
            call_id: "d5f1f269-ce02-49a2-a5e7-1017fdabba36".into(),
        })
    );
}

/// The calls CSV: the columns it always had, then caller, callee, Call-ID and fee; the first
/// call exactly; one row per filtered call.
#[test]
fn the_calls_csv_carries_caller_callee_and_call_id() {
    let (d, bytes) = load("vos3000_cdr_en.csv");
    let filter = Filter {
        egress: vec!["GW_SG_CHEAP".into()],
        ..Filter::default()
    };
    let opts = SummaryOptions {
        tz_offset_min: 480,
        ..SummaryOptions::default()
    };
    let mut texts = texts_from(&bytes, encoding_rs::UTF_8);
    let csv = calls_csv(&d, &filter, &opts, &mut texts);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 471);
    assert_eq!(
        lines[0],
        "file,line,time,egress_gateway,ingress_gateway,destination,code,code_label,answered,\
         talk_s,pdd_ms,end_direction,outcome,caller,callee,call_id,fee"
    );
    assert_eq!(
        lines[1],
        "vos3000_cdr_en.csv,2,2025-03-10 00:02:06,GW_SG_CHEAP,CUST_BRAVO,880,-9,Caller hung up,\
         yes,2,4962,caller,answered,2455096001,8804694738104,330455001,0.0030"
    );
}

/// A hostile caller (a spreadsheet formula) is written as text in the CSV, never as a formula.
#[test]
fn a_formula_in_a_caller_is_neutralised_in_the_csv() {
    let text = String::from_utf8(fixture("vos3000_cdr_en.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let row =
        lines
            .next()
            .unwrap()
            .replacen("2455096001,2455096001", "=HYPERLINK(\"http://x\"),1", 1);
    let bytes = format!("{header}\n{row}\n").into_bytes();
    let mut d = Dataset::new();
    d.read_bytes("hostile.csv", &bytes, FormatOptions::default())
        .unwrap();
    let mut texts = texts_from(&bytes, encoding_rs::UTF_8);
    let csv = calls_csv(
        &d,
        &Filter::default(),
        &SummaryOptions::default(),
        &mut texts,
    );
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",8804694738104,330455001,"),
        "{row}"
    );
}

/// Two files of different formats in one data set: each row is mapped through its own file's
/// mapper (an Asterisk row through the FreeSWITCH mapper would give the account as caller).
#[test]
fn each_file_of_a_data_set_maps_through_its_own_plan() {
    let ast = fixture("asterisk_Master.csv");
    let fs = fixture("freeswitch_Master.csv");
    let mut d = Dataset::new();
    d.read_bytes("a.csv", &ast, FormatOptions::default())
        .unwrap();
    d.read_bytes("f.csv", &fs, FormatOptions::default())
        .unwrap();
    let mut texts = |rows: &[RowRef]| -> Vec<Option<String>> {
        rows.iter()
            .map(|r| {
                let bytes = if r.file == 0 { &ast } else { &fs };
                let b = &bytes[r.offset as usize..][..r.len as usize];
                Some(String::from_utf8_lossy(b).into_owned())
            })
            .collect()
    };
    let page = view_page(
        &d,
        &Filter::default(),
        &SummaryOptions::default(),
        (0, 2000),
        None,
        &mut texts,
    );
    let first_of = |file: &str| page.views.iter().find(|v| v.file == file).unwrap();
    let a = first_of("a.csv");
    let f = first_of("f.csv");
    assert_eq!(
        (a.caller.as_str(), a.callee.as_str(), a.call_id.as_str()),
        ("2463929717", "11250312599", "1741536375.1")
    );
    assert_eq!(
        (f.caller.as_str(), f.callee.as_str(), f.call_id.as_str()),
        (
            "11864827019",
            "8613806337650",
            "10aaa219-4d7f-4c3c-8fc3-56214defa413"
        )
    );
    assert!(page
        .views
        .iter()
        .all(|v| !v.caller.is_empty() && !v.call_id.is_empty()));
}

/// Kamailio acc rows are paired by the mapper (INVITE with its BYE); an INVITE read alone is
/// still a call with its parties: line 4 is `1002,INVITE,…,36f675cc81e74ef5@203.0.113.1,200,…`.
#[test]
fn a_kamailio_invite_read_alone_gives_its_parties() {
    let v = first_views("kamailio_acc.csv", 0, 1);
    assert_eq!(
        (
            v[0].line,
            v[0].caller.as_str(),
            v[0].callee.as_str(),
            v[0].call_id.as_str()
        ),
        (
            4,
            "10207388624",
            "861349081935",
            "36f675cc81e74ef5@203.0.113.1"
        )
    );
}

/// Sorting runs over every matching call, not the page: page 2 of "longest talk first" holds
/// the 11th to 20th longest calls of the gateway, ties in the file's order, and calls without
/// a PDD come after every call with one, whichever way round.
#[test]
fn the_drill_sorts_every_matching_call() {
    use cdrscope::analysis::call_sort::{RowSort, SortKey};
    let (d, bytes) = load("vos3000_cdr_en.csv");
    let filter = Filter {
        egress: vec!["GW_SG_CHEAP".into()],
        ..Filter::default()
    };
    let opts = SummaryOptions::default();
    let mut texts = texts_from(&bytes, encoding_rs::UTF_8);
    let all = view_page(&d, &filter, &opts, (0, 1000), None, &mut texts).views;
    assert_eq!(all.len(), 471);
    let mut sorted = |key, descending, page| {
        let sort = Some(RowSort { key, descending });
        let p = view_page(&d, &filter, &opts, (page, 10), sort, &mut texts);
        assert_eq!(p.total, 471);
        p.views.iter().map(|v| v.line).collect::<Vec<u64>>()
    };
    let mut by_talk = all.clone();
    by_talk.sort_by(|a, b| b.talk_s.cmp(&a.talk_s).then(a.line.cmp(&b.line)));
    let want: Vec<u64> = by_talk[10..20].iter().map(|v| v.line).collect();
    assert_eq!(sorted(SortKey::Talk, true, 1), want);
    assert!(by_talk[10].talk_s > by_talk[400].talk_s);
    // PDD: known values first both ways round.
    let with_pdd = all.iter().filter(|v| v.pdd_ms.is_some()).count();
    assert!(with_pdd > 0 && with_pdd < 471, "{with_pdd}");
    let last_page = (470 / 10) as usize;
    for desc in [false, true] {
        let p = view_page(
            &d,
            &filter,
            &opts,
            (last_page, 10),
            Some(RowSort {
                key: SortKey::Pdd,
                descending: desc,
            }),
            &mut texts,
        );
        assert!(p.views.iter().all(|v| v.pdd_ms.is_none()), "desc {desc}");
    }
    // Codes: numbers in numeric order (-9 before 200 before 503).
    let p = view_page(
        &d,
        &filter,
        &opts,
        (0, 1000),
        Some(RowSort {
            key: SortKey::Code,
            descending: false,
        }),
        &mut texts,
    );
    let codes: Vec<i64> = p.views.iter().map(|v| v.code.parse().unwrap()).collect();
    assert!(codes.windows(2).all(|w| w[0] <= w[1]), "{codes:?}");
    assert_eq!(codes.len(), 471);
}
