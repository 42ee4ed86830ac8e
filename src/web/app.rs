//! The page's state and its conversation with the parsing worker.

use crate::analysis::{Filter, RowPage, SummaryOptions};
use crate::chart::Chart;
use crate::formats::generic::ColumnMapping;
use crate::formats::{FormatId, FormatOptions};
use crate::summary::Summary;
use crate::web::dom;
use crate::web::handle::to_js;
use crate::web::i18n::t;
use crate::web::ui;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Rows per drill-down page.
pub const PAGE_SIZE: usize = 50;

/// Where the analysis is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Nothing loaded yet.
    Empty,
    /// Files are being read.
    Loading,
    /// The analysis is complete.
    Done,
}

/// The open drill-down: which calls and which page.
#[derive(Clone, Debug, Default)]
pub struct Drill {
    /// The calls shown.
    pub filter: Filter,
    /// 0-based page.
    pub page: usize,
    /// The page's rows (from the worker).
    pub rows: Option<RowPage>,
    /// Raw text of each row, read back from the files.
    pub raw: Vec<String>,
    /// Text of each row that came out of a container, as the worker decoded it again.
    pub texts: Vec<Option<String>>,
    /// Each row's file as the data set names it (a zip entry: `archive.zip/entry.csv`).
    pub names: Vec<String>,
    /// Each row as a call of the drill-down table (from the worker).
    pub views: Vec<crate::analysis::call_view::CallView>,
}

/// Everything the page knows.
pub struct App {
    /// The parsing worker.
    pub worker: Worker,
    /// The worker's message and error handlers, set again on a worker that replaces it.
    handlers: (Function, Function),
    /// The files being analysed together.
    pub files: Vec<File>,
    /// The format the user forced, if any.
    pub format: Option<FormatId>,
    /// The column mapping the user chose by hand, if any (kept while the page is open).
    pub mapping: Option<ColumnMapping>,
    /// Minutes east of UTC used to show UTC times.
    pub tz_offset_min: i32,
    /// The current filter.
    pub filter: Filter,
    /// The summary under the current filter.
    pub summary: Option<Summary>,
    /// The same summary as the plain JS object the worker sent.
    pub summary_js: JsValue,
    /// The unfiltered summary (choices of the filter bar).
    pub base: Option<Summary>,
    /// The unfiltered summary as a plain object (its findings stay listed while filtering).
    pub base_js: JsValue,
    /// The time-zone offset `base` was computed with.
    pub base_tz: i32,
    /// Load generation: replies of older loads are ignored.
    pub job: u32,
    /// Request generation of summaries: older replies are ignored.
    pub req: u32,
    /// Request generation of drill-down pages.
    pub drill_req: u32,
    /// Where the analysis is.
    pub phase: Phase,
    /// Resolve functions of pending `cdrscope.load()` promises.
    pub waiters: Vec<Function>,
    /// The open drill-down.
    pub drill: Option<Drill>,
    /// Sort column and direction per table id.
    pub sorts: Vec<(String, String, bool)>,
    /// Dark theme.
    pub dark: bool,
    /// The charts on screen, for hit tests and exports.
    pub charts: Vec<(String, Chart)>,
    /// Rendering generation: steps of an older rendering in pieces stop (`ui::render_all`).
    pub render_gen: u32,
    /// The worker's `done` message, until the rendering of its summary finishes the progress
    /// bar with it (null otherwise).
    pub finish_msg: JsValue,
    /// The code shown in the reference panel, if one was clicked.
    pub ref_query: String,
    /// The filter and the drill-down (filter, page) to put back when the load running now
    /// ends: the files are read again after a settings change, and the user's view stays.
    pub restore: Option<(Filter, Option<(Filter, usize)>)>,
    /// Files of a dropped or picked folder that were not read (hidden, system clutter).
    pub skipped: Vec<String>,
    /// The names of the files read as the after side of a comparison (compare mode).
    pub after_names: Vec<String>,
    /// Texts of listed rows from inside containers, by `ui::rejects::text_key` (None while
    /// asked or when the worker could not read one).
    pub container_texts: std::collections::HashMap<String, Option<String>>,
    /// The settings panel's choices (health thresholds, number plan), kept across visits.
    pub settings: crate::page_settings::PageSettings,
    /// Bytes of the running load read so far (for the banner when it is cancelled).
    pub read_bytes: f64,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

/// Runs `f` with the app state (never re-entered: callbacks run after it returns).
pub fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| a.try_borrow_mut().ok()?.as_mut().map(f))
}

/// Creates the worker and the state.
pub fn init() -> Result<(), JsValue> {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| on_worker(e.data()));
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        // The worker itself failed (not a message it sent): it is replaced.
        e.prevent_default();
        let msg = get(&e, "message").as_string().unwrap_or_default();
        with_app(|a| a.worker_failed(&format!("the analysis stopped ({msg})")));
    });
    let handlers: (Function, Function) = (
        on_message.as_ref().unchecked_ref::<Function>().clone(),
        on_error.as_ref().unchecked_ref::<Function>().clone(),
    );
    on_message.forget();
    on_error.forget();
    let worker = create_worker(&handlers)?;
    let tz = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let dark = ui::prefs::load_dark();
    APP.with(|a| {
        *a.borrow_mut() = Some(App {
            worker,
            handlers,
            files: Vec::new(),
            format: None,
            mapping: None,
            tz_offset_min: tz,
            filter: Filter::default(),
            summary: None,
            summary_js: JsValue::NULL,
            base: None,
            base_js: JsValue::NULL,
            base_tz: tz,
            job: 0,
            req: 0,
            drill_req: 0,
            phase: Phase::Empty,
            waiters: Vec::new(),
            drill: None,
            sorts: Vec::new(),
            dark,
            charts: Vec::new(),
            render_gen: 0,
            finish_msg: JsValue::NULL,
            ref_query: String::new(),
            restore: None,
            skipped: Vec::new(),
            after_names: Vec::new(),
            container_texts: std::collections::HashMap::new(),
            settings: ui::settings::load(),
            read_bytes: 0.0,
        })
    });
    expose_api()?;
    Ok(())
}

/// The parsing worker: the module worker `./worker.js`, or whatever
/// `window.cdrscopeWorkerFactory()` returns (the single-file build's classic worker from a Blob
/// URL, since module workers cannot start from file://).
fn create_worker(handlers: &(Function, Function)) -> Result<Worker, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let factory = Reflect::get(&window, &"cdrscopeWorkerFactory".into())?;
    let worker = if let Some(f) = factory.dyn_ref::<Function>() {
        f.call0(&JsValue::NULL)?.dyn_into::<Worker>()?
    } else {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        Worker::new_with_options("./worker.js", &opts)?
    };
    worker.set_onmessage(Some(&handlers.0));
    worker.set_onerror(Some(&handlers.1));
    Ok(worker)
}

impl App {
    /// The format options of a load (the forced format, the mapping, the number plan).
    pub fn format_js(&self) -> JsValue {
        js(&FormatOptions {
            format: self.format,
            mapping: self.mapping.clone(),
            numbers: self.settings.plan(),
            ..FormatOptions::default()
        })
    }

    /// The summary options of the current view.
    pub fn options(&self) -> SummaryOptions {
        SummaryOptions {
            tz_offset_min: self.tz_offset_min,
            health: self.settings.health,
            ..SummaryOptions::default()
        }
    }

    fn post(&self, msg: &Object) {
        let _ = self.worker.post_message(msg);
    }

    /// Stops the worker, whatever it is doing (a file read whole by the handle cannot be
    /// interrupted from inside), and starts a fresh one: the analysis it held is gone.
    fn replace_worker(&mut self) {
        self.worker.terminate();
        match create_worker(&self.handlers) {
            Ok(w) => self.worker = w,
            Err(e) => show_error(&format!("cdrscope: {e:?}")),
        }
        // Replies of the old worker can no longer come; answers still awaited are void.
        self.job += 1;
        self.req += 1;
        self.drill_req += 1;
        self.summary = None;
        self.summary_js = JsValue::NULL;
        self.base = None;
        self.base_js = JsValue::NULL;
        self.drill = None;
        self.finish_msg = JsValue::NULL;
        dom::show(&dom::by_id("dashboard"), false);
    }

    /// The worker failed beyond recovery (a panic, memory exhausted): it is replaced and the
    /// page says what happened.
    pub fn worker_failed(&mut self, msg: &str) {
        self.replace_worker();
        self.phase = Phase::Empty;
        ui::progress::error(self, &format!("{msg}. {}", t("worker_replaced")));
        self.resolve_waiters();
    }

    /// Starts analysing `files` together (a new load replaces the previous one).
    pub fn load(&mut self, files: Vec<File>) {
        if self.phase == Phase::Loading {
            self.replace_worker();
        }
        self.job += 1;
        self.read_bytes = 0.0;
        dom::show(&dom::by_id("banner"), false);
        self.files = files;
        self.skipped.clear();
        self.after_names.clear();
        self.container_texts.clear();
        self.filter = Filter::default();
        self.drill = None;
        self.restore = None;
        // The previous analysis is gone: never show its numbers under the new file's progress.
        self.summary = None;
        self.summary_js = JsValue::NULL;
        self.base = None;
        self.base_js = JsValue::NULL;
        self.finish_msg = JsValue::NULL;
        dom::show(&dom::by_id("dashboard"), false);
        self.phase = Phase::Loading;
        let list = Array::new();
        for f in &self.files {
            list.push(f);
        }
        let msg = Object::new();
        set(&msg, "type", &"load".into());
        set(&msg, "job", &self.job.into());
        set(&msg, "files", &list);
        set(&msg, "format", &self.format_js());
        set(&msg, "filter", &js(&self.filter));
        set(&msg, "options", &js(&self.options()));
        // The worker reads a large file with part workers when the machine has the cores for
        // it (`SplitPlan`, `ingest::plan::page_readers`); `window.cdrscopeSplit = true | false |
        // N` forces two parts, one, or N (tests, benchmarks), `window.cdrscopeSplitMin` lowers
        // the smallest file split (tests).
        if let Some(window) = web_sys::window() {
            set(
                &msg,
                "cores",
                &window.navigator().hardware_concurrency().into(),
            );
            let forced = Reflect::get(&window, &"cdrscopeSplit".into()).unwrap_or_default();
            if forced.as_bool().is_some() || forced.as_f64().is_some() {
                set(&msg, "split", &forced);
            }
            let min = Reflect::get(&window, &"cdrscopeSplitMin".into()).unwrap_or_default();
            if min.as_f64().is_some() {
                set(&msg, "split_min", &min);
            }
            // Tests make part worker N fail (`window.cdrscopePartFail`) to check the fallback.
            let fail = Reflect::get(&window, &"cdrscopePartFail".into()).unwrap_or_default();
            if fail.as_f64().is_some() {
                set(&msg, "part_fail", &fail);
            }
            // Tests lower the page's call cap (`window.cdrscopeMaxCalls`).
            let max = Reflect::get(&window, &"cdrscopeMaxCalls".into()).unwrap_or_default();
            if max.as_f64().is_some() {
                set(&msg, "max_calls", &max);
            }
        }
        self.post(&msg);
        ui::progress::start(self);
    }

    /// Reruns the last load (after forcing a format).
    pub fn reload(&mut self) {
        let files = self.files.clone();
        let skipped = self.skipped.clone();
        if !files.is_empty() {
            self.load(files);
            self.skipped = skipped;
        }
    }

    /// Cancels the running load: the worker is stopped at once (it may be inside one long
    /// call, a workbook or a JSON file read whole) and replaced.
    pub fn cancel(&mut self) {
        if self.phase != Phase::Loading {
            return;
        }
        self.replace_worker();
        self.phase = Phase::Empty;
        self.drop_partial();
        ui::progress::cancelled(self);
        self.resolve_waiters();
    }

    /// Forgets the KPIs a cancelled load showed while reading: they covered part of the files,
    /// and a later re-render (language, theme) or `cdrscope.summary()` must not present them as
    /// the files' numbers. The banner says how far the read got.
    fn drop_partial(&mut self) {
        if self.base.is_none() {
            self.summary = None;
            self.summary_js = JsValue::NULL;
            dom::show(&dom::by_id("dashboard"), false);
        }
    }

    /// Asks the worker for the summary under the current filter.
    pub fn request_summary(&mut self) {
        self.req += 1;
        if self.filter.is_empty() && self.base_tz == self.tz_offset_min {
            if let Some(base) = &self.base {
                // Back to the whole file: the page already has that summary.
                self.summary = Some(base.clone());
                self.summary_js = self.base_js.clone();
                ui::render_all(self);
                return;
            }
        }
        dom::attr(&dom::by_id("dashboard"), "data-state", "busy");
        let msg = Object::new();
        set(&msg, "type", &"summary".into());
        set(&msg, "job", &self.req.into());
        set(&msg, "filter", &js(&self.filter));
        // Findings describe the whole file (the page keeps the unfiltered ones): a filtered
        // summary skips them, which is most of what a filter change costs besides the pass.
        // Narrowed to one egress gateway they run, for the concurrency chart's refusal ticks
        // (that gateway's capacity finding).
        let options = SummaryOptions {
            findings: self.filter.is_empty() || self.filter.egress.len() == 1,
            ..self.options()
        };
        set(&msg, "options", &js(&options));
        self.post(&msg);
    }

    /// Opens (or pages) the drill-down on `filter`.
    pub fn request_rows(&mut self, filter: Filter, page: usize) {
        self.drill_req += 1;
        self.drill = Some(Drill {
            filter: filter.clone(),
            page,
            rows: None,
            raw: Vec::new(),
            texts: Vec::new(),
            names: Vec::new(),
            views: Vec::new(),
        });
        let msg = Object::new();
        set(&msg, "type", &"rows".into());
        set(&msg, "job", &self.drill_req.into());
        set(&msg, "filter", &js(&filter));
        set(&msg, "options", &js(&self.options()));
        set(&msg, "page", &(page as u32).into());
        set(&msg, "page_size", &(PAGE_SIZE as u32).into());
        // Sorted over every matching call when the column is one the store keeps.
        if let Some(sort) = ui::drill_calls::core_sort() {
            set(&msg, "sort", &js(&sort));
        }
        self.post(&msg);
    }

    /// Asks the worker for the calls of the current filter as CSV (downloaded on reply).
    pub fn request_calls_csv(&mut self) {
        let msg = Object::new();
        set(&msg, "type", &"calls_csv".into());
        set(&msg, "job", &self.req.into());
        set(&msg, "filter", &js(&self.filter));
        set(&msg, "options", &js(&self.options()));
        self.post(&msg);
    }

    /// The settings changed: the loaded data is read again when numbers are read differently
    /// (destinations are decided while reading), else its summary is recomputed unfiltered.
    pub fn settings_changed(&mut self, replan: bool) {
        if self.phase == Phase::Empty || self.files.is_empty() {
            return;
        }
        if replan || self.phase == Phase::Loading {
            // Destinations are decided while reading: the files are read again, the filter
            // and the drill-down come back afterwards, and the page says why it reads.
            let drill = self.drill.as_ref().map(|d| (d.filter.clone(), d.page));
            let keep = (self.filter.clone(), drill);
            self.reload();
            self.restore = Some(keep);
            let banner = dom::by_id("banner");
            dom::set_text(&banner, t("reread_settings"));
            dom::show(&banner, true);
        } else {
            self.base = None;
            self.base_js = JsValue::NULL;
            self.apply_filter(Filter::default());
        }
    }

    /// Sets the current filter and recomputes.
    pub fn apply_filter(&mut self, filter: Filter) {
        self.filter = filter;
        self.request_summary();
    }

    /// Resolves the pending `cdrscope.load()` promises with the current summary.
    pub fn resolve_waiters(&mut self) {
        for w in self.waiters.drain(..) {
            let _ = w.call1(&JsValue::NULL, &self.summary_js);
        }
    }
}

/// Sets a property of a JS object.
pub fn set(o: &Object, key: &str, v: &JsValue) {
    let _ = Reflect::set(o, &key.into(), v);
}

/// Reads a property of a JS object.
pub fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A serde value as a plain JS object (undefined if it cannot be converted).
pub fn js<T: Serialize>(v: &T) -> JsValue {
    to_js(v).unwrap_or(JsValue::UNDEFINED)
}

/// The summary a worker message carries as JSON text (`summary_json`), as a [`Summary`] and as
/// the plain object `cdrscope.summary()` returns. JSON text rather than a structured object:
/// parsing it twice (`JSON.parse` and serde_json) takes a few ms at a million calls, where
/// walking the object from wasm took 25 ms on the main thread.
fn summary_of(data: &JsValue) -> Option<(Summary, JsValue)> {
    let text = get(data, "summary_json").as_string()?;
    match serde_json::from_str::<Summary>(&text) {
        Ok(s) => Some((s, js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL))),
        Err(e) => {
            web_sys::console::error_1(&format!("summary: {e}").into());
            None
        }
    }
}

/// Handles a message from the worker.
fn on_worker(data: JsValue) {
    let kind = get(&data, "type").as_string().unwrap_or_default();
    let job = get(&data, "job").as_f64().unwrap_or(-1.0) as u32;
    with_app(|app| match kind.as_str() {
        "progress" if job == app.job && app.phase == Phase::Loading => {
            app.read_bytes = get(&data, "done").as_f64().unwrap_or(0.0);
            ui::progress::update(app, &data);
            if let Some((s, js_summary)) = summary_of(&data) {
                app.summary = Some(s);
                app.summary_js = js_summary;
                ui::render_partial(app);
            }
        }
        "done" if job == app.job => {
            app.phase = Phase::Done;
            match summary_of(&data) {
                // No call: one card saying why, never a dashboard of zeros; a file of
                // another system gets its column editor in the card.
                Some((s, js_summary)) if s.rows.accepted == 0 => {
                    ui::error_card::no_calls(app, &s);
                    app.summary = Some(s);
                    app.summary_js = js_summary;
                    dom::attr(&dom::by_id("dashboard"), "data-state", "no-calls");
                    app.resolve_waiters();
                }
                Some((s, js_summary)) => {
                    app.base = Some(s.clone());
                    app.base_js = js_summary.clone();
                    app.base_tz = app.tz_offset_min;
                    app.summary = Some(s);
                    app.summary_js = js_summary;
                    // The progress bar is finished, and the waiters resolved, by the last step.
                    app.finish_msg = data.clone();
                    ui::render_all_in_steps(app);
                    // After a settings change: the user's filter and drill-down again.
                    if let Some((filter, drill)) = app.restore.take() {
                        if !filter.is_empty() {
                            app.filter = filter;
                            app.request_summary();
                        }
                        if let Some((f, page)) = drill {
                            app.request_rows(f, page);
                        }
                    }
                }
                None => {
                    ui::progress::finish(app, &data);
                    app.resolve_waiters();
                }
            }
        }
        "cancelled" if job == app.job => {
            app.phase = if app.base.is_some() {
                Phase::Done
            } else {
                Phase::Empty
            };
            app.drop_partial();
            ui::progress::cancelled(app);
            app.resolve_waiters();
        }
        "summary" if job == app.req => {
            if let Some((mut s, js_summary)) = summary_of(&data) {
                if s.filter.is_empty() {
                    // A new unfiltered summary (the time zone changed): the base follows.
                    app.base = Some(s.clone());
                    app.base_js = js_summary.clone();
                    app.base_tz = app.tz_offset_min;
                } else {
                    // The whole file's findings, as the page lists them under any filter.
                    if let (Some(base), Some(obj)) =
                        (app.base.as_ref(), js_summary.dyn_ref::<Object>())
                    {
                        s.findings = base.findings.clone();
                        set(obj, "findings", &get(&app.base_js, "findings"));
                    }
                }
                app.summary = Some(s);
                app.summary_js = js_summary;
                ui::render_all(app);
            }
        }
        "rows" if job == app.drill_req => {
            let page: Option<RowPage> = serde_wasm_bindgen::from_value(get(&data, "page")).ok();
            let texts = get(&get(&data, "page"), "texts");
            if let Some(d) = app.drill.as_mut() {
                d.rows = page;
                d.texts = serde_wasm_bindgen::from_value(texts).unwrap_or_default();
                d.names = serde_wasm_bindgen::from_value(get(&get(&data, "page"), "names"))
                    .unwrap_or_default();
                d.views = serde_wasm_bindgen::from_value(get(&get(&data, "page"), "views"))
                    .unwrap_or_default();
            }
            ui::drill::render(app);
            ui::drill::read_raw_rows(app);
        }
        "texts" if job == app.job => {
            ui::rejects::fill_texts(app, &get(&data, "keys"), &get(&data, "texts"));
        }
        "compare" => ui::compare::show(app, &data),
        "calls_csv" => {
            let csv = get(&data, "csv");
            ui::export::download("cdrscope-calls.csv", "text/csv", &csv);
            dom::attr(&dom::by_id("exports"), "data-last-export", "calls");
        }
        "error" => {
            let msg = get(&data, "message").as_string().unwrap_or_default();
            let file = get(&data, "file").as_string().unwrap_or_default();
            let step = get(&data, "step").as_string().unwrap_or_default();
            // Which file, at which step: "unreachable" alone said nothing.
            let msg = match (file.is_empty(), step.is_empty()) {
                (false, false) => format!("{file}: {step}: {msg}"),
                (false, true) => format!("{file}: {msg}"),
                (true, false) => format!("{step}: {msg}"),
                (true, true) => msg,
            };
            if get(&data, "fatal").as_bool() == Some(true) {
                app.worker_failed(&msg);
                return;
            }
            if app.phase == Phase::Loading && job == app.job {
                // The load was refused: one card saying why and what to do.
                app.phase = Phase::Empty;
                ui::error_card::refused(&msg);
            } else {
                ui::progress::error(app, &msg);
            }
            app.resolve_waiters();
        }
        _ => {}
    });
}

/// `window.cdrscope`: `summary()` (the current Summary as a plain object), `load(fileOrFiles)`
/// (resolves with the summary when the analysis is done) and `version`.
fn expose_api() -> Result<(), JsValue> {
    let api = Object::new();
    let summary = Closure::<dyn Fn() -> JsValue>::new(|| {
        with_app(|a| a.summary_js.clone()).unwrap_or(JsValue::NULL)
    });
    set(&api, "summary", summary.as_ref());
    summary.forget();
    let load = Closure::<dyn Fn(JsValue) -> Promise>::new(|arg: JsValue| {
        let files = files_from_js(&arg);
        Promise::new(&mut |resolve, reject| {
            if files.is_empty() {
                let _ = reject.call1(
                    &JsValue::NULL,
                    &"cdrscope.load: expected a File or Blob".into(),
                );
                return;
            }
            let files = files.clone();
            with_app(move |a| {
                a.waiters.push(resolve);
                a.load(files);
            });
        })
    });
    set(&api, "load", load.as_ref());
    load.forget();
    set(&api, "version", &env!("CARGO_PKG_VERSION").into());
    let window = web_sys::window().ok_or("no window")?;
    Reflect::set(&window, &"cdrscope".into(), &api)?;
    Ok(())
}

/// A File, a Blob (named `data.csv`) or an array of them, as Files.
fn files_from_js(v: &JsValue) -> Vec<File> {
    let items: Vec<JsValue> = if Array::is_array(v) {
        Array::from(v).iter().collect()
    } else {
        vec![v.clone()]
    };
    items
        .into_iter()
        .filter_map(|it| {
            if let Some(f) = it.dyn_ref::<File>() {
                Some(f.clone())
            } else if let Some(b) = it.dyn_ref::<web_sys::Blob>() {
                let parts = Array::of1(b);
                File::new_with_blob_sequence(&parts, "data.csv").ok()
            } else {
                None
            }
        })
        .collect()
}

/// Shows an error line in the page.
pub fn show_error(msg: &str) {
    let e = dom::by_id("error");
    dom::set_text(&e, msg);
    dom::show(&e, !msg.is_empty());
}
