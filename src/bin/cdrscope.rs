//! The `cdrscope` command: the same core as the page, on a terminal.

use cdrscope::analysis::{Dataset, Filter, SummaryOptions};
use cdrscope::formats::{generic::ColumnMapping, FormatId, FormatOptions};
use cdrscope::summary::{GroupKpis, Summary};
use clap::{Parser, Subcommand};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// A CDR inspector for VoIP operators.
#[derive(Parser)]
#[command(name = "cdrscope", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyses one or more CDR files (read together) and prints a summary.
    Report {
        /// The CDR files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Force a format: vos3000, asterisk, freeswitch, kamailio, cucm, generic.
        #[arg(long)]
        format: Option<String>,
        /// A JSON column mapping for the generic format.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// UTC offset for hours and ranges of UTC files, e.g. +08:00 or -300 (minutes).
        #[arg(long, default_value = "+00:00", allow_hyphen_values = true)]
        tz: String,
        /// Answered calls shorter than this many seconds count as short (SDR).
        #[arg(long, default_value_t = 6)]
        short_call_s: u32,
    },
    /// Looks up SIP, Q.850, VOS3000, FreeSWITCH and Asterisk codes: "503", "cause 34", "busy".
    Codes {
        /// What to look for: a code, a name or words.
        #[arg(required = true, allow_negative_numbers = true, num_args = 1..)]
        query: Vec<String>,
        /// Language of the texts: en, es.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Print the cards as JSON.
        #[arg(long)]
        json: bool,
        /// At most this many results.
        #[arg(long, default_value_t = 8)]
        limit: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("cdrscope: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Report {
            files,
            format,
            mapping,
            json,
            tz,
            short_call_s,
        } => {
            let format = match format {
                Some(f) => Some(FormatId::parse(&f).ok_or_else(|| {
                    format!("unknown format {f:?} (use vos3000, asterisk, freeswitch, kamailio, cucm or generic)")
                })?),
                None => None,
            };
            let mapping: Option<ColumnMapping> = match mapping {
                Some(p) => {
                    let text =
                        std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    Some(
                        serde_json::from_str(&text)
                            .map_err(|e| format!("{}: not a column mapping: {e}", p.display()))?,
                    )
                }
                None => None,
            };
            let opts = SummaryOptions {
                tz_offset_min: parse_tz(&tz)?,
                short_call_s,
                ..SummaryOptions::default()
            };
            let mut data = Dataset::new();
            for path in &files {
                read_file(
                    &mut data,
                    path,
                    FormatOptions {
                        format,
                        mapping: mapping.clone(),
                    },
                )?;
            }
            let summary = data.summary(&Filter::default(), &opts);
            let mut out = std::io::stdout().lock();
            let text = if json {
                serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())? + "\n"
            } else {
                render_text(&summary)
            };
            // A closed pipe (e.g. `| head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes());
            Ok(())
        }
        Command::Codes {
            query,
            lang,
            json,
            limit,
        } => run_codes(&query, &lang, json, limit),
    }
}

fn run_codes(query: &[String], lang: &str, json: bool, limit: usize) -> Result<(), String> {
    use cdrscope::codes;
    let query = query.join(" ");
    let cards = codes::search_cards(&query, lang, limit);
    let text = if json {
        serde_json::to_string_pretty(&cards).map_err(|e| e.to_string())? + "\n"
    } else if cards.is_empty() {
        format!(
            "{}: {query}\n",
            codes::text::label(codes::text::resolve_lang(lang), "ui.no_results")
        )
    } else {
        cards
            .iter()
            .map(codes::reference::render_text)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

fn read_file(data: &mut Dataset, path: &PathBuf, options: FormatOptions) -> Result<(), String> {
    let name = path.display().to_string();
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("{name}: cannot open: {}", io_reason(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("{name}: {}", io_reason(&e)))?;
    if meta.is_dir() {
        return Err(format!("{name}: is a directory, not a CDR file"));
    }
    data.start_file(&name, meta.len(), options);
    let mut buf = vec![0u8; 4 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("{name}: read error: {}", io_reason(&e))),
        };
        data.push(&buf[..n]).map_err(|e| format!("{name}: {e}"))?;
    }
    data.finish_file().map_err(|e| format!("{name}: {e}"))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Parses `+08:00`, `-05:30`, `UTC`, or a number of minutes.
fn parse_tz(tz: &str) -> Result<i32, String> {
    let t = tz.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
        return Ok(0);
    }
    if let Ok(m) = t.parse::<i32>() {
        return Ok(m);
    }
    let bad = || format!("bad --tz {tz:?}: use +08:00, -05:30 or minutes");
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let h: i32 = h.parse().map_err(|_| bad())?;
    let m: i32 = m.parse().map_err(|_| bad())?;
    if h > 14 || m > 59 {
        return Err(bad());
    }
    Ok(sign * (h * 60 + m))
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{:.1}%", x * 100.0))
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or("-".into(), |x| format!("{x:.digits$}"))
}

fn render_text(s: &Summary) -> String {
    let mut o = String::new();
    let o_ = &mut o;
    let mut line = |t: String| {
        o_.push_str(&t);
        o_.push('\n');
    };
    line(format!(
        "format: {} ({:.0}% sure: {})",
        s.format_name,
        s.format_confidence * 100.0,
        s.format_reason
    ));
    line(format!(
        "encoding: {}, delimiter: {}, times: {}",
        s.encoding, s.delimiter, s.time_basis
    ));
    line(format!(
        "rows: {} accepted, {} rejected ({} data rows, {} header)",
        s.rows.accepted, s.rows.rejected, s.rows.data, s.rows.header
    ));
    if let Some(r) = &s.time_range {
        line(format!("time range: {} .. {}", r.first, r.last));
    }
    let k = &s.overall;
    line(String::new());
    line(format!(
        "attempts {}  answered {}  ASR {}  ACD {} s  PDD avg {} ms (p95 {})  NER {}  SDR<{}s {}  minutes {:.1}  health {:?}",
        k.attempts,
        k.answered,
        pct(k.asr),
        num(k.acd_s, 1),
        num(k.pdd_avg_ms, 0),
        num(k.pdd_p95_ms, 0),
        pct(k.ner),
        6,
        pct(k.sdr),
        k.minutes,
        k.health.verdict
    ));
    if let (Some(fee), Some(cost), Some(margin)) = (&k.fee, &k.cost, &k.margin) {
        line(format!("fee {fee}  cost {cost}  margin {margin}"));
    }
    let table = |title: &str, rows: &[GroupKpis], line: &mut dyn FnMut(String)| {
        line(String::new());
        line(format!(
            "{title:<24} {:>8} {:>8} {:>7} {:>7} {:>8} {:>7}  {:<9} top failure",
            "attempts", "answered", "ASR", "ACD s", "PDD ms", "NER", "health"
        ));
        for g in rows.iter().take(30) {
            let k = &g.kpis;
            line(format!(
                "{:<24} {:>8} {:>8} {:>7} {:>7} {:>8} {:>7}  {:<9} {}",
                g.name,
                k.attempts,
                k.answered,
                pct(k.asr),
                num(k.acd_s, 1),
                num(k.pdd_avg_ms, 0),
                pct(k.ner),
                format!("{:?}", k.health.verdict).to_lowercase(),
                g.top_failure
                    .as_ref()
                    .map(|c| format!("{} ×{} ({:.0}%)", c.code, c.count, c.share * 100.0))
                    .unwrap_or_default()
            ));
        }
    };
    table("egress gateway", &s.by_egress_gateway, &mut line);
    table("ingress gateway", &s.by_ingress_gateway, &mut line);
    table("destination", &s.by_destination, &mut line);
    line(String::new());
    line("final codes:".into());
    for c in s.by_code.iter().take(20) {
        line(format!(
            "  {:<26} {:>8}  {:>5.1}%  {}",
            c.code,
            c.count,
            c.share * 100.0,
            c.label
        ));
    }
    if !s.findings.is_empty() {
        line(String::new());
        line("findings:".into());
        for f in &s.findings {
            line(format!("  [{:?}] {}", f.severity, f.title));
            line(format!("      {}", f.evidence));
            line(format!("      → {}", f.action));
        }
    }
    if s.rejects_total > 0 {
        line(String::new());
        line(format!("rejected rows ({} in all):", s.rejects_total));
        for r in s.rejects.iter().take(20) {
            line(format!("  {}:{}: {}", r.file, r.line, r.reason));
        }
    }
    o
}
