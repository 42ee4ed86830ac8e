//! `cdrscope report --calls-csv FILE`: the page's calls CSV from the command line, with caller,
//! callee and Call-ID read again from each call's row, in a plain file and inside containers.

use std::process::Command;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `report` with `--calls-csv` into a temporary file and returns the CSV's lines.
fn calls_csv(input: &str, tag: &str) -> Vec<String> {
    let out = std::env::temp_dir().join(format!("cdrscope-calls-{}-{tag}.csv", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_cdrscope"))
        .args([
            "report",
            &fixture(input),
            "--tz",
            "+08:00",
            "--filter",
            r#"{"egress":["GW_SG_CHEAP"]}"#,
        ])
        .arg("--calls-csv")
        .arg(&out)
        .output()
        .expect("cdrscope runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("the CSV was written");
    let _ = std::fs::remove_file(&out);
    text.lines().map(String::from).collect()
}

const HEADER: &str = "file,line,time,egress_gateway,ingress_gateway,destination,code,code_label,\
answered,talk_s,pdd_ms,end_direction,outcome,caller,callee,call_id,fee";

#[test]
fn a_plain_file_gives_every_filtered_call_with_its_parties() {
    let lines = calls_csv("vos3000_cdr_en.csv", "plain");
    assert_eq!(lines.len(), 1 + 471);
    assert_eq!(lines[0], HEADER);
    let name = fixture("vos3000_cdr_en.csv");
    assert_eq!(
        lines[1],
        format!(
            "{name},2,2025-03-10 00:02:06,GW_SG_CHEAP,CUST_BRAVO,880,-9,Caller hung up,yes,2,4962,\
             caller,answered,2455096001,8804694738104,330455001,0.0030"
        )
    );
    // Every row's caller, callee and Call-ID are its line's callere164, calleeaccesse164, flowno.
    let src = std::fs::read_to_string(&name).unwrap();
    let src: Vec<&str> = src.lines().collect();
    let head: Vec<&str> = src[0].split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    for l in &lines[1..] {
        let f: Vec<&str> = l.split(',').collect();
        let row: Vec<&str> = src[f[1].parse::<usize>().unwrap() - 1].split(',').collect();
        assert_eq!(
            f[13..16],
            [
                row[col("callere164")],
                row[col("calleeaccesse164")],
                row[col("flowno")]
            ],
            "{l}"
        );
    }
}

/// Inside a `.gz` the rows are decoded again; the CSV is the plain file's but for the name.
#[test]
fn a_gzip_gives_the_same_calls_as_its_plain_twin() {
    let plain = calls_csv("vos3000_cdr_en.csv", "twin");
    let gz = calls_csv("inputs/vos3000_cdr_en.csv.gz", "gz");
    let strip = |lines: &[String]| -> Vec<String> {
        lines[1..]
            .iter()
            .map(|l| l.split_once(',').unwrap().1.to_string())
            .collect()
    };
    assert_eq!(gz[0], HEADER);
    assert_eq!(strip(&gz), strip(&plain));
}
