//! The command line: argument parsing, reading files (in parallel parts when asked), output.

use cdrscope::analysis::health::HealthPreset;
use cdrscope::analysis::{Dataset, Filter, SummaryOptions, MAX_FILES};
use cdrscope::display::visible;
use cdrscope::formats::{generic::ColumnMapping, DateOrder, FormatId, FormatOptions};
use cdrscope::ingest::plan;
use cdrscope::inputs::{self, InputOptions};
use cdrscope::numbers::{parse_prefix_list, NumberPlan, PlanSettings};
use cdrscope::summary::{GroupKpis, Summary};
use clap::{Parser, Subcommand};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
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
        /// The CDR files: CSV/text, .gz, .zip, .xlsx, .xls, GetCdr .json, or folders (every
        /// file inside, in name order).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The Excel sheet to read (name or 1-based number); the first sheet by default.
        #[arg(long)]
        sheet: Option<String>,
        /// Force a format: vos3000, asterisk, freeswitch, kamailio, cucm, threecx, prosbc, generic.
        #[arg(long)]
        format: Option<String>,
        /// A JSON column mapping for the generic format.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Whether numeric dates such as 1/9/2017 are day first (dmy) or month first (mdy);
        /// decided from the data by default (auto).
        #[arg(long, value_name = "dmy|mdy")]
        date_order: Option<String>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// UTC offset for hours and ranges of UTC files, e.g. +08:00 or -300 (minutes).
        #[arg(long, default_value = "+00:00", allow_hyphen_values = true)]
        tz: String,
        /// Answered calls shorter than this many seconds count as short (SDR).
        #[arg(long, default_value_t = 6)]
        short_call_s: u32,
        /// Threads reading each large file in parallel parts (0 = one per core).
        #[arg(long, default_value_t = 1)]
        jobs: usize,
        /// Health thresholds as JSON (see the README), e.g.
        /// '{"sip_5xx": {"healthy": 0.05, "degraded": 0.10}}'; the VOS3000 guideline otherwise.
        #[arg(long, value_name = "FILE.json")]
        health: Option<PathBuf>,
        /// Home country (ISO 3166 region such as US, ES, GB): national numbers of that country
        /// get its calling code as destination instead of "national".
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// A CSV list `prefix,name` of your own destinations, matched before country codes
        /// (longest prefix wins).
        #[arg(long, value_name = "FILE")]
        prefixes: Option<PathBuf>,
        /// Numbers of at most this many digits are internal (extensions, service codes).
        #[arg(long, default_value_t = 6, value_name = "N")]
        short_digits: u8,
        /// Only the calls passing this JSON filter, e.g. a finding's `filter:` line:
        /// '{"egress":["GW_A"],"fee":"zero","max_duration_s":5,"chain_min":3}'.
        #[arg(long)]
        filter: Option<String>,
        /// Also write the calls passing the filter as CSV (the page's calls export: time,
        /// gateways, code, outcome, caller, callee, Call-ID, fee) to this file.
        #[arg(long, value_name = "FILE")]
        calls_csv: Option<PathBuf>,
    },
    /// Writes the normalized calls of CDR files (read as `report` reads them) as Parquet,
    /// partitioned by day, for DuckDB, ClickHouse or Spark (docs/normalized-calls.md).
    Export {
        /// The CDR files or folders, as for `report`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The output folder (new or empty): `day=YYYY-MM-DD/part-N.parquet`,
        /// `rejects.parquet` and `_cdrscope.json`.
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// The Excel sheet to read (name or 1-based number); the first sheet by default.
        #[arg(long)]
        sheet: Option<String>,
        /// Force a format: vos3000, asterisk, freeswitch, kamailio, cucm, generic.
        #[arg(long)]
        format: Option<String>,
        /// A JSON column mapping for the generic format.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Day and month order of slashed dates such as 03/04/2024, as for `report`.
        #[arg(long, value_name = "dmy|mdy")]
        date_order: Option<String>,
        /// UTC offset of local wall-clock times (turned into UTC) and of the day partitions,
        /// e.g. +08:00 or -300 (minutes).
        #[arg(long, default_value = "+00:00", allow_hyphen_values = true)]
        tz: String,
        /// Threads reading a large file in parallel parts and encoding Parquet (0 = one per core).
        #[arg(long, default_value_t = 1)]
        jobs: usize,
        /// Home country (ISO 3166 region such as US, ES, GB) for destinations, as for `report`.
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// A CSV list `prefix,name` of your own destinations, as for `report`.
        #[arg(long, value_name = "FILE")]
        prefixes: Option<PathBuf>,
        /// Numbers of at most this many digits are internal (extensions, service codes).
        #[arg(long, default_value_t = 6, value_name = "N")]
        short_digits: u8,
    },
    /// Column mappings for files no format reads: every key with an example (below), and
    /// `mapping suggest FILE` for a starter mapping guessed from the file.
    #[command(after_help = cdrscope::formats::mapping_keys::mapping_keys_text())]
    Mapping {
        #[command(subcommand)]
        action: crate::mapping::MappingAction,
    },
    /// Compares two exports (files or folders), or two windows of one load (`--split-at`): per
    /// gateway, customer and destination, attempts, ASR, ACD, PDD, NER, code and outcome shares
    /// before → after, with significance, sorted by lost answered calls; where a gateway's
    /// traffic moved; the significant changes in words.
    #[command(after_help = "Examples:
  cdrscope compare monday.csv tuesday.csv
  cdrscope compare before/ after/ --json
  cdrscope compare day.csv --split-at 2026-01-05T14:00 --tz +08:00
    (before = calls earlier than 14:00 local time, after = from 14:00)")]
    Compare {
        /// BEFORE AFTER (each a file or a folder); with --split-at, the files and folders of one
        /// load (read together).
        #[arg(required = true, value_name = "FILES")]
        inputs: Vec<PathBuf>,
        /// Compare two windows of one load: before = calls earlier than this local time, after
        /// = from it (`2026-01-05T14:00`, `2026-01-05 14:00:00`).
        #[arg(long, value_name = "TIME")]
        split_at: Option<String>,
        /// Force a format: vos3000, asterisk, freeswitch, kamailio, cucm, threecx, prosbc, generic.
        #[arg(long)]
        format: Option<String>,
        /// UTC offset for hours and ranges of UTC files (and of --split-at), e.g. +08:00 or -300
        /// (minutes).
        #[arg(long, default_value = "+00:00", allow_hyphen_values = true)]
        tz: String,
        /// Print the comparison as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Looks up SIP, Q.850, Cisco CUCM, VOS3000, FreeSWITCH and Asterisk codes and SIP timers:
    /// "503", "cause 34", "busy", "CHANUNAVAIL", "timer b", "393216".
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

/// Runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            // An empty message was reported where it arose.
            if !msg.is_empty() {
                eprintln!("cdrscope: {}", visible(&msg));
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Report {
            files,
            sheet,
            format,
            mapping,
            date_order,
            json,
            tz,
            short_call_s,
            jobs,
            health,
            country,
            prefixes,
            short_digits,
            filter,
            calls_csv,
        } => {
            let filter: Filter = match filter {
                Some(text) => serde_json::from_str(&text)
                    .map_err(|e| format!("--filter: not a filter: {e}"))?,
                None => Filter::default(),
            };
            let jobs = resolve_jobs(jobs);
            let format =
                format_options(format, mapping, date_order, country, prefixes, short_digits)?;
            let health = match health {
                Some(p) => {
                    let text =
                        std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    HealthPreset::from_json(&text)
                        .map_err(|e| format!("{}: not health thresholds: {e}", p.display()))?
                }
                None => HealthPreset::default(),
            };
            let opts = SummaryOptions {
                tz_offset_min: parse_tz(&tz)?,
                short_call_s,
                health,
                ..SummaryOptions::default()
            };
            // Parallel parts bypass the cross-file duplicate check (each part is its own data
            // set), so several inputs are read one after the other.
            let jobs = if files.len() > 1 || files.iter().any(|p| p.is_dir()) {
                1
            } else {
                jobs
            };
            let started = std::time::Instant::now();
            let mut data = Dataset::new();
            // Chains and fees are marked once after the last file, not after each one.
            data.defer_marks(true);
            let input = InputOptions {
                format,
                sheet,
                max_buffered_bytes: None,
            };
            // Each input and its first data-set file, to read calls' rows again (--calls-csv).
            let mut read: crate::calls_csv::Inputs = Vec::new();
            for path in &files {
                if path.is_dir() {
                    let (found, skipped) = files_in(path)?;
                    let room = MAX_FILES.saturating_sub(data.files().len());
                    for item in skipped {
                        list_skipped(&mut data, &item.path.display().to_string(), &item.why);
                    }
                    for file in found.iter().take(room) {
                        read.push((file.clone(), data.files().len()));
                        // One unreadable file in a folder does not stop the others: it is
                        // listed with its error (read_input adds it to the data set).
                        let _ = read_input(&mut data, file, &input, jobs);
                    }
                    if found.len() > room {
                        let more = found.len() - room;
                        list_skipped(
                            &mut data,
                            &format!("{}/… {more} more files", path.display()),
                            &format!("not read: a data set holds at most {MAX_FILES} files"),
                        );
                    }
                } else {
                    read.push((path.clone(), data.files().len()));
                    read_input(&mut data, path, &input, jobs)?;
                }
            }
            data.seal();
            let failed = data.files().iter().filter(|f| f.error.is_some());
            for f in failed.clone().take(LISTED) {
                let e = f.error.as_deref().unwrap_or_default();
                eprintln!("cdrscope: warning: {}: {}", visible(&f.name), visible(e));
            }
            let more = failed.count().saturating_sub(LISTED);
            if more > 0 {
                eprintln!("cdrscope: warning: … and {more} more files with an error (--json lists them all)");
            }
            let elapsed = started.elapsed();
            let summary = data.summary(&filter, &opts);
            if let Some(out) = &calls_csv {
                crate::calls_csv::write(out, &data, &read, &input, &filter, &opts)?;
            }
            if std::env::var_os("CDRSCOPE_TIMING").is_some() {
                // For benchmarks: where the time goes, on stderr so --json stays clean.
                let bytes: u64 = data.files().iter().map(|f| f.bytes).sum();
                let total = started.elapsed();
                eprintln!(
                    "timing: read {:.3} s ({:.0} MB/s), summary {:.3} s, total {:.3} s ({:.0} MB/s)",
                    elapsed.as_secs_f64(),
                    bytes as f64 / 1e6 / elapsed.as_secs_f64(),
                    (total - elapsed).as_secs_f64(),
                    total.as_secs_f64(),
                    bytes as f64 / 1e6 / total.as_secs_f64()
                );
            }
            let mut out = std::io::stdout().lock();
            let text = if json {
                serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())? + "\n"
            } else {
                render_text(&summary)
            };
            // A closed pipe (e.g. `| head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes());
            match crate::all_rejected::all_rejected_error(&summary) {
                Some(e) => {
                    let _ = out.flush();
                    // Several lines, each field already escaped: printed here, not by `main`.
                    eprintln!("cdrscope: {e}");
                    Err(String::new())
                }
                None => Ok(()),
            }
        }
        Command::Export {
            files,
            to,
            sheet,
            format,
            mapping,
            date_order,
            tz,
            jobs,
            country,
            prefixes,
            short_digits,
        } => crate::export::run(crate::export::ExportArgs {
            files,
            to,
            input: InputOptions {
                format: format_options(
                    format,
                    mapping,
                    date_order,
                    country,
                    prefixes,
                    short_digits,
                )?,
                sheet,
                max_buffered_bytes: None,
            },
            tz_offset_min: parse_tz(&tz)?,
            jobs: resolve_jobs(jobs),
        }),
        Command::Mapping { action } => crate::mapping::run(action),
        Command::Compare {
            inputs,
            split_at,
            format,
            tz,
            json,
        } => {
            let opts = SummaryOptions {
                tz_offset_min: parse_tz(&tz)?,
                // The comparison reads groups only; the findings would cost time for nothing.
                findings: false,
                ..SummaryOptions::default()
            };
            let input = InputOptions {
                format: format_options(format, None, None, None, None, 6)?,
                sheet: None,
                max_buffered_bytes: None,
            };
            let c = match split_at {
                Some(at) => {
                    let t = parse_split_at(&at)?;
                    let data = load_side(&inputs, &input)?;
                    cdrscope::analysis::compare::compare_at(&data, &Filter::default(), &opts, t)
                }
                None => {
                    let [before, after] = <[PathBuf; 2]>::try_from(inputs).map_err(|v| {
                        format!(
                            "compare takes BEFORE and AFTER ({} given), or FILES with --split-at",
                            v.len()
                        )
                    })?;
                    cdrscope::analysis::compare::compare_sets(
                        &load_side(&[before], &input)?,
                        &load_side(&[after], &input)?,
                        &Filter::default(),
                        &opts,
                    )
                }
            };
            let text = if json {
                serde_json::to_string_pretty(&c).map_err(|e| e.to_string())? + "\n"
            } else {
                crate::compare_cmd::render(&c)
            };
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
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

/// `--jobs`: 0 means one per core.
fn resolve_jobs(jobs: usize) -> usize {
    if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    }
}

/// The format options of `--format`, `--mapping`, `--date-order`, `--country`, `--prefixes`
/// and `--short-digits`, read and checked.
fn format_options(
    format: Option<String>,
    mapping: Option<PathBuf>,
    date_order: Option<String>,
    country: Option<String>,
    prefixes: Option<PathBuf>,
    short_digits: u8,
) -> Result<FormatOptions, String> {
    let format = match format {
        Some(f) => Some(FormatId::parse(&f).ok_or_else(|| {
            format!("unknown format {f:?} (use vos3000, asterisk, freeswitch, kamailio, cucm, threecx, prosbc or generic)")
        })?),
        None => None,
    };
    let date_order = match date_order {
        Some(d) => DateOrder::parse(&d)
            .ok_or_else(|| format!("unknown date order {d:?} (use dmy, mdy or auto)"))?,
        None => DateOrder::Auto,
    };
    let mapping: Option<ColumnMapping> = match mapping {
        Some(p) => {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            Some(
                serde_json::from_str(&text)
                    .map_err(|e| format!("{}: not a column mapping: {e}", p.display()))?,
            )
        }
        None => None,
    };
    let numbers = PlanSettings {
        home: country,
        short_max_digits: Some(short_digits),
        prefixes: match prefixes {
            Some(p) => {
                let text =
                    std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                parse_prefix_list(&text).map_err(|e| format!("{}: {e}", p.display()))?
            }
            None => Vec::new(),
        },
    };
    // Checked here so a typo stops the run instead of reading every number as national.
    NumberPlan::from_settings(&numbers).map_err(|e| format!("--country: {e}"))?;
    Ok(FormatOptions {
        format,
        mapping,
        numbers,
        date_order,
    })
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

/// Reads one side of `compare` (or the one load of `--split-at`): files, and every file of a
/// folder, as one data set.
fn load_side(paths: &[PathBuf], input: &InputOptions) -> Result<Dataset, String> {
    let mut data = Dataset::new();
    data.defer_marks(true);
    for path in paths {
        if path.is_dir() {
            let (found, _) = files_in(path)?;
            for file in found.iter().take(MAX_FILES) {
                let _ = read_input(&mut data, file, input, 1);
            }
        } else {
            read_input(&mut data, path, input, 1)?;
        }
    }
    data.seal();
    Ok(data)
}

/// Parses `--split-at`: a local date and time (`2026-01-05T14:00`, `2026-01-05 14:00:00`) as
/// the filter's local milliseconds.
fn parse_split_at(text: &str) -> Result<i64, String> {
    let t = text.trim();
    // Seconds are optional: `HH:MM` gets `:00`.
    let full = if t.len() == 16 {
        format!("{t}:00")
    } else {
        t.to_string()
    };
    cdrscope::formats::values::parse_datetime_ms(&full)
        .ok_or_else(|| format!("bad --split-at {text:?}: use 2026-01-05T14:00 (local time)"))
}

/// Reads one input of any kind (see `cdrscope::inputs`) from disk; a large plain text file is
/// read in parallel parts when `jobs` > 1.
fn read_input(
    data: &mut Dataset,
    path: &Path,
    input: &InputOptions,
    jobs: usize,
) -> Result<(), String> {
    let name = path.display().to_string();
    let opened = std::fs::File::open(path)
        .map_err(|e| format!("cannot open: {}", io_reason(&e)))
        .and_then(|f| {
            let meta = f.metadata().map_err(|e| io_reason(&e))?;
            Ok((f, meta.len()))
        });
    let (mut file, size) = match opened {
        Ok(f) => f,
        Err(why) => {
            // Listed with its error like any other bad file, not dropped without a word.
            list_skipped(data, &name, &why);
            return Err(format!("{name}: {why}"));
        }
    };
    let mut prefix = Vec::new();
    (&mut file)
        .take(inputs::PREFIX_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| format!("{name}: read error: {}", io_reason(&e)))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| format!("{name}: read error: {}", io_reason(&e)))?;
    let kind = inputs::detect(&name, &prefix);
    let plain_text = kind == inputs::InputKind::Text;
    let parts = plan::PartPolicy::CLI.parts(size, jobs, plain_text);
    if parts > 1 {
        data.start_file(&name, size, input.format.clone());
        data.set_container(inputs::InputKind::Text.name());
        return read_parallel(data, &name, &mut file, size, parts);
    }
    // Streams are read a MiB at a time, straight through the buffer; archives and workbooks
    // seek to each entry or sector, and every seek drops the buffer: refilling a MiB for each
    // of 65,000 small zip entries copied 65 GB.
    let capacity = match kind {
        inputs::InputKind::Zip | inputs::InputKind::Xlsx | inputs::InputKind::Xls => 64 << 10,
        _ => 1 << 20,
    };
    let reader = std::io::BufReader::with_capacity(capacity, file);
    match inputs::read_into(data, &name, reader, input) {
        Ok(_) => Ok(()),
        // The data set's error for the file says what the file looks like where it can.
        Err(e) => Err(format!(
            "{name}: {}",
            data.files()
                .last()
                .and_then(|f| f.error.clone())
                .unwrap_or_else(|| e.to_string())
        )),
    }
}

/// Adds a file (or folder) that could not be read to the data set, with why: it is listed
/// with the files and its error printed as a warning, like any other bad file.
fn list_skipped(data: &mut Dataset, name: &str, why: &str) {
    data.start_file(name, 0, FormatOptions::default());
    data.fail_file(why);
}

/// Something under a folder that is not read, and why.
pub(crate) struct Skipped {
    pub(crate) path: PathBuf,
    pub(crate) why: String,
}

/// Every regular file under a folder, in name order, hidden files and folders and system
/// clutter (`Thumbs.db`, …) left out; and what was found but cannot be read: sub-folders that
/// cannot be listed, entries whose type cannot be read (a broken link), and things that are
/// not regular files (a FIFO would block the read forever, a device never ends).
///
/// Symbolic links are followed, but a folder already visited (a link back up the tree) is
/// not entered again: the walk always ends. Only `dir` itself failing to list is an error.
pub(crate) fn files_in(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Skipped>), String> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let id = folder_id(&d);
        if !seen.insert(id) {
            continue;
        }
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if d == dir => {
                return Err(format!("{}: cannot list: {}", d.display(), io_reason(&e)));
            }
            Err(e) => {
                let why = format!("cannot list this folder: {}", io_reason(&e));
                skipped.push(Skipped { path: d, why });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let why = format!("cannot list this folder: {}", io_reason(&e));
                    skipped.push(Skipped {
                        path: d.clone(),
                        why,
                    });
                    break;
                }
            };
            if inputs::folder::is_clutter(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let p = entry.path();
            // Follows a link to what it points at.
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => stack.push(p),
                Ok(m) if m.is_file() => out.push(p),
                Ok(m) => skipped.push(Skipped {
                    path: p,
                    why: format!("skipped: not a regular file ({})", kind_of(&m.file_type())),
                }),
                Err(e) => skipped.push(Skipped {
                    path: p,
                    why: format!("cannot open: {}", io_reason(&e)),
                }),
            }
        }
    }
    out.sort();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    if out.is_empty() && skipped.is_empty() {
        return Err(format!("{}: the folder holds no file", dir.display()));
    }
    Ok((out, skipped))
}

/// What identifies a folder however it is reached (through links): its device and inode, or
/// where those do not exist its canonical path.
fn folder_id(dir: &Path) -> (u64, u64, PathBuf) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(dir) {
            return (m.dev(), m.ino(), PathBuf::new());
        }
    }
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    (0, 0, canonical)
}

/// The kind of a file that is not a regular file or a folder, in words.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = t;
    "a special file"
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
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

/// A filter as compact JSON with only the fields it sets, for `--filter`.
fn filter_json(f: &Filter) -> String {
    let mut v = serde_json::to_value(f).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        map.retain(|_, x| !(x.is_null() || x.as_array().is_some_and(|a| a.is_empty())));
    }
    v.to_string()
}

fn render_text(s: &Summary) -> String {
    let mut o = String::new();
    let o_ = &mut o;
    // Every line goes through `visible`: CDR text (gateway names, codes, file names, values
    // quoted in reasons) can hold terminal escape sequences, which must print, not act.
    let mut line = |t: String| {
        o_.push_str(&visible(&t));
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
    if !s.filter.is_empty() {
        line(format!(
            "filter: {} ({} of {} calls)",
            filter_json(&s.filter),
            s.rows.in_filter,
            s.rows.accepted
        ));
    }
    if s.files.len() > 1 || s.files.iter().any(|f| f.container != "text") {
        for f in s.files.iter().take(LISTED) {
            line(format!(
                "  file {}: {} {} ({}), {} accepted, {} rejected, {} duplicates{}",
                f.name,
                if f.format.is_empty() { "-" } else { &f.format },
                f.container,
                if f.encoding.is_empty() {
                    "-"
                } else {
                    &f.encoding
                },
                f.accepted,
                f.rejected,
                f.duplicates,
                f.error
                    .as_ref()
                    .map(|e| format!(", error: {e}"))
                    .unwrap_or_default()
            ));
        }
    }
    if s.files.len() > LISTED {
        line(format!(
            "  … and {} more files (--json lists them all)",
            s.files.len() - LISTED
        ));
    }
    if s.rows.duplicates > 0 {
        line(format!(
            "duplicates: {} rows counted once (a row repeated in its file, or a call already read from an earlier file)",
            s.rows.duplicates
        ));
    }
    if let Some(r) = &s.time_range {
        line(format!("time range: {} .. {}", r.first, r.last));
    }
    let k = &s.overall;
    line(String::new());
    line(format!(
        "attempts {}  answered {}  ASR {}  ACD {} s  PDD avg {} ms (p95 {})  NER {}  SDR<{}s {}  minutes {:.1}  health {}",
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
        k.health.describe()
    ));
    line(format!(
        "outcomes: {}",
        s.by_outcome
            .iter()
            .map(|o| format!("{} {}", o.name, o.count))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let (Some(fee), Some(cost), Some(margin)) = (&k.fee, &k.cost, &k.margin) {
        line(format!("fee {fee}  cost {cost}  margin {margin}"));
    }
    for l in s.load.iter().flat_map(crate::compare_cmd::load_lines) {
        line(l);
    }
    let table = |title: &str, rows: &[GroupKpis], line: &mut dyn FnMut(String)| {
        line(String::new());
        line(format!(
            "{title:<24} {:>8} {:>8} {:>7} {:>7} {:>8} {:>7}  {:<22} top failure",
            "attempts", "answered", "ASR", "ACD s", "PDD ms", "NER", "health"
        ));
        for g in rows.iter().take(30) {
            let k = &g.kpis;
            line(format!(
                "{:<24} {:>8} {:>8} {:>7} {:>7} {:>8} {:>7}  {:<22} {}",
                g.name,
                k.attempts,
                k.answered,
                pct(k.asr),
                num(k.acd_s, 1),
                num(k.pdd_avg_ms, 0),
                pct(k.ner),
                k.health.describe(),
                g.top_failure
                    .as_ref()
                    .map(|c| format!("{} ×{} ({:.0}%)", c.code, c.count, c.share * 100.0))
                    .unwrap_or_default()
            ));
        }
    };
    table("egress gateway", &s.by_egress_gateway, &mut line);
    table("ingress gateway", &s.by_ingress_gateway, &mut line);
    let named: Vec<GroupKpis> = s
        .by_destination
        .iter()
        .map(|g| GroupKpis {
            name: if g.label.is_empty() || g.label == g.name {
                g.name.clone()
            } else {
                format!("{} {}", g.name, g.label)
            },
            ..g.clone()
        })
        .collect();
    table("destination", &named, &mut line);
    for (title, answered) in [
        ("why unanswered attempts failed (final codes):", false),
        ("how answered calls ended:", true),
    ] {
        line(String::new());
        line(title.into());
        for c in s.by_code.iter().filter(|c| c.answered == answered).take(20) {
            line(format!(
                "  {:<26} {:>8}  {:>5.1}%  {}",
                c.code,
                c.count,
                c.share * 100.0,
                c.label
            ));
        }
    }
    if !s.findings.is_empty() {
        line(String::new());
        line("findings:".into());
        for f in &s.findings {
            line(format!("  [{:?}] {}", f.severity, f.title));
            line(format!("      {}", f.evidence));
            line(format!("      → {}", f.action));
            // What reproduces the numbers: pass it back with --filter.
            line(format!("      filter: {}", filter_json(&f.filter)));
            if f.rows != f.filter {
                line(format!("      rows:   {}", filter_json(&f.rows)));
            }
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

/// How many files the text output and the warnings list one by one (a zip of 65,000 empty
/// entries printed 65,000 lines); `--json` lists them all.
const LISTED: usize = 50;

/// Pushes the bytes `from..to` of `file` into `data`.
fn push_range(
    data: &mut Dataset,
    name: &str,
    file: &mut std::fs::File,
    from: u64,
    to: u64,
) -> Result<(), String> {
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(from))
        .map_err(|e| format!("{name}: {}", io_reason(&e)))?;
    let mut buf = vec![0u8; 4 << 20];
    let mut left = to - from;
    while left > 0 {
        let want = buf.len().min(left as usize);
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("{name}: read error: {}", io_reason(&e))),
        };
        data.push(&buf[..n]).map_err(|e| format!("{name}: {e}"))?;
        left -= n as u64;
    }
    Ok(())
}

/// The bytes `from..to` of `file` (fewer at its end), for the cut search ([`plan::Cuts::plan`]).
pub(crate) fn read_range(file: &mut std::fs::File, from: u64, to: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(from))?;
    let mut buf = Vec::with_capacity((to - from) as usize);
    file.take(to - from).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Reads one file in `jobs` parts (as [`plan::PartPolicy::CLI`] cuts it) on as many threads,
/// then merges the parts in order. A part
/// whose predecessor ended inside a quoted field (a row spanning the cut) is read again
/// sequentially, so the result always equals a sequential read.
fn read_parallel(
    data: &mut Dataset,
    name: &str,
    file: &mut std::fs::File,
    size: u64,
    jobs: usize,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{name}: {}", io_reason(&e));
    let head = plan::PartPolicy::CLI.head(size, jobs);
    push_range(data, name, file, 0, head)?;
    let Some(read_plan) = data.plan().filter(|p| p.can_split()) else {
        push_range(data, name, file, head, size)?;
        return data.finish_file().map_err(|e| format!("{name}: {e}"));
    };
    let cuts =
        plan::Cuts::plan(size, head, jobs, |from, to| read_range(file, from, to)).map_err(io)?;
    let parts: Vec<(u64, u64)> = cuts.parts().collect();
    // Part 0 (this data set) reads up to the first cut while the others read theirs.
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = parts[1..]
            .iter()
            .map(|&(from, to)| {
                let plan = read_plan.clone();
                let path = name.to_string();
                scope.spawn(move || -> Result<(Dataset, bool, u64), String> {
                    let mut f = std::fs::File::open(&path)
                        .map_err(|e| format!("{path}: {}", io_reason(&e)))?;
                    let mut part = Dataset::new();
                    part.start_part(&path, size, &plan, from)
                        .map_err(|e| format!("{path}: {e}"))?;
                    push_range(&mut part, &path, &mut f, from, to)?;
                    let (at_boundary, lines) = (part.at_row_boundary(), part.lines_read());
                    Ok((part, at_boundary, lines))
                })
            })
            .collect();
        let head = push_range(data, name, file, parts[0].0, parts[0].1);
        let parts: Vec<_> = handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(format!("{name}: a reading thread failed")))
            })
            .collect();
        (head, parts)
    });
    results.0?;
    let mut lines = data.lines_read();
    if let Some(from) = cuts.read_on_from(0, data.at_row_boundary()) {
        push_range(data, name, file, from, size)?;
        let r = data.finish_file().map_err(|e| format!("{name}: {e}"));
        data.parts_done();
        return r;
    }
    data.finish_file().map_err(|e| format!("{name}: {e}"))?;
    for (k, part) in results.1.into_iter().enumerate() {
        let (mut part, at_boundary, part_lines) = part?;
        if let Some(from) = cuts.read_on_from(k + 1, at_boundary) {
            // The row at the cut continues: read on from here in this part, drop the rest.
            push_range(&mut part, name, file, from, size)?;
            part.finish_file().map_err(|e| format!("{name}: {e}"))?;
            data.absorb_part(&part, lines);
            data.parts_done();
            return Ok(());
        }
        part.finish_file().map_err(|e| format!("{name}: {e}"))?;
        data.absorb_part(&part, lines);
        lines += part_lines;
    }
    data.parts_done();
    Ok(())
}
