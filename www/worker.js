// Worker bootstrap: loads the wasm (wasm-bindgen --target web output) and drives one WebHandle.
// Parsing and aggregation run here; charts are drawn on the main thread (plotters needs `window`).
// A large plain-text file is read by two workers: this one reads the first half, a second worker
// (this same script, started from here) reads the second half from a line start and hands it back
// as bytes (PartReader.finish → WebHandle.absorb_part). If the first half ends inside a quoted
// field, the second worker is dropped and the rest is read here, so the result is always that of
// one sequential read.
import init, { WebHandle, PartReader } from './cdrscope.js';

const SLICE = 8 << 20; // bytes per File.slice read
// Bytes per read of the File's byte stream. Chromium fills the stream through a pipe of a few MB
// that only this worker drains, and not while it parses: a larger read waits for the pipe to
// refill after every parse, a read that fits was filled during the parse (bench/PROFILE.md).
// Slices are the other way round: each costs a new read, so they stay large.
const STREAM_CHUNK = 1 << 20;
// The first KPIs wait for this many bytes (or 200 ms): drawn from the first 1 MB, they came while
// the page was still settling after the drop and made a main-thread task of 50-90 ms there.
const FIRST_SUMMARY_BYTES = 8 << 20;
const SPLIT_MIN = 32 << 20; // files from 32 MB on are read by two workers
const CUT_AT = 0.47; // where the second worker starts, as a share of the file (then the next line start)
const CUT_SEARCH = 64 << 10; // bytes read at a time when looking for the line start at the middle
const PART_SILENCE_MS = 30000; // a part worker silent for this long is given up (read here instead)
const STREAM_STALL_MS = 10000; // a byte-stream read silent this long is given up (slices instead)
const ready = init();
// The wasm memory, for the tests' check of how large it grew (it never shrinks: its size is
// the peak). The single-file build's init gives no exports: then it stays unset.
ready.then((w) => { self.cdrscopeMemory = w && w.memory; }, () => {});
let handle = null;
let files = []; // the loaded Files: drill-down reads container rows from them again
const cancelled = new Set();
let stopPart = null; // stops the second worker of the running load, if any
let after = null; // compare mode: a second file set (after; the loaded one is before)
const post = (m) => self.postMessage(m);

// A second worker: this same script. The single-file build replaces this function (a classic
// worker from the same Blob URL, given the compiled module).
function spawnPart() { return new Worker(self.location.href, { type: 'module' }); }

// What the worker is doing, for the message when it fails: the file and the step.
const current = { file: '', step: '' };
const STEPS = { load: 'reading', part: 'reading the second half', summary: 'computing the summary',
  calls_csv: 'exporting the calls', texts: 'reading rejected rows again', rows: 'reading the drill-down rows' };

/** Whether an error is a wasm trap (a Rust panic or an allocation failure): the module's state
 *  is lost, and the page replaces this worker. */
const isTrap = (err) => typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError;

self.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'cancel') { cancelled.add(m.job); if (stopPart) stopPart(); return; }
  current.file = ''; current.step = STEPS[m.type] || m.type;
  if (m.type === 'load' && after) { after.free(); after = null; }
  try {
    await ready;
    if (m.type === 'load') await load(m);
    else if (m.type === 'part') await readPart(m);
    else if (m.type === 'summary') post({ type: 'summary', job: m.job, summary_json: handle.summary_json(m.filter, m.options) });
    else if (m.type === 'compare_sets') await compareSets(m);
    else if (m.type === 'compare') post({ type: 'compare', job: m.job, compare_json: handle.compare_json(m.filter, m.options, m.at) });
    else if (m.type === 'calls_csv') post({ type: 'calls_csv', job: m.job, csv: handle.calls_csv(m.filter, m.options, files) });
    else if (m.type === 'texts') post({ type: 'texts', job: m.job, keys: m.keys, texts: handle.container_texts(m.rows, files) });
    else if (m.type === 'rows') post({ type: 'rows', job: m.job, page: handle.rows(m.filter, m.options, m.page, m.page_size, files) });
  } catch (err) {
    // A Rust panic left its message in `cdrscopePanic` (the error itself only says
    // "unreachable"); an allocation failure leaves none.
    const panic = self.cdrscopePanic;
    self.cdrscopePanic = undefined;
    const fatal = isTrap(err) || !!panic;
    let message = panic || String((err && err.message) || err);
    if (fatal && !panic) message = `the analysis stopped (${message}): out of memory, or a bug`;
    post({ type: m.type === 'part' ? 'part_error' : 'error', job: m.job, message, file: current.file, step: current.step, fatal });
  }
};

/** Compare mode with a second file set: `m.files` (when given) are read into a handle of their
 *  own, after (one worker, one sequential read), then the loaded files (before) are compared
 *  with it; without files, the after already read is compared again. */
async function compareSets(m) {
  if (m.files) {
    if (after) { after.free(); after = null; }
    const h = new WebHandle();
    for (const file of m.files) {
      current.file = file.name;
      const magic = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
      if (WebHandle.input_kind(file.name, magic) !== 'text') {
        try { h.read_input(file, m.format, () => {}); } catch (err) { if (isTrap(err) || self.cdrscopePanic) throw err; }
        continue;
      }
      h.start_file(file.name, file.size, m.format);
      let ok = true;
      for await (const bytes of chunks(file, 0, file.size, 0)) {
        try { h.push(bytes); } catch (_) { ok = false; break; }
      }
      if (ok) { try { h.finish_file(); } catch (_) { /* recorded in the file's error */ } }
    }
    after = h;
  }
  current.file = ''; current.step = 'comparing';
  if (!after) throw new Error('no files to compare with');
  post({ type: 'compare', job: m.job, compare_json: handle.compare_sets_json(after, m.filter, m.options), after_rows: after.row_totals() });
}

/** Sums two RowTotals objects (this worker's and the second worker's). */
function addRows(a, b) {
  if (!b) return a;
  const out = { ...a };
  for (const k of ['data', 'accepted', 'rejected']) out[k] = (a[k] || 0) + (b[k] || 0);
  return out;
}

async function load(m) {
  // `m.chunk` (bytes per stream read) is for the benchmark, which compares read sizes.
  const streamChunk = m.chunk || STREAM_CHUNK;
  if (stopPart) stopPart();
  handle = new WebHandle();
  files = m.files;
  const total = m.files.reduce((a, f) => a + f.size, 0);
  const t0 = performance.now();
  // Tests lower the threshold through the worker's global (there is no option for it in the UI).
  const splitMin = self.cdrscopeSplitMin ?? SPLIT_MIN;
  if (m.max_calls) handle.set_max_calls(m.max_calls);
  const stats = { split: false, cut: 0, fallback: false, reason: '', partMs: 0, waitPartMs: 0, absorbMs: 0, summaryMs: 0, partialSummaries: 0, partialSummaryMs: 0, readWaitMs: 0, pushMs: 0 };
  self.cdrscopeLastLoad = stats;
  let done = 0, lastPost = 0, lastSummary = -Infinity, lastSummaryCost = 0;
  let part = null; // { done, rows } of the second worker while it runs
  let lastRows = null;
  // `busy`: called back from inside the handle (a file read whole by `read_input`), which must
  // not be called again meanwhile: bytes only, the rows as last known.
  const progress = (busy) => {
    const now = performance.now();
    if (now - lastPost <= 200) return;
    lastPost = now;
    const doneAll = done + (part ? part.done : 0);
    if (!busy) lastRows = addRows(handle.row_totals(), part && part.rows);
    const msg = { type: 'progress', job: m.job, done: doneAll, total, rows: lastRows, elapsed_ms: now - t0 };
    if (busy) { post(msg); return; }
    // First KPIs while reading: once FIRST_SUMMARY_BYTES are read or 200 ms have passed, then at
    // most once a second and never more than a tenth of the time (a summary walks every stored
    // call), and not when the final one is due within about a second anyway. With two workers
    // they cover this worker's half only.
    const left = (now - t0) * (total - doneAll) / Math.max(1, doneAll);
    if ((stats.partialSummaries === 0 && (doneAll >= FIRST_SUMMARY_BYTES || now - t0 >= 200))
      || (stats.partialSummaries > 0 && now - lastSummary > Math.max(1000, 10 * lastSummaryCost) && left > Math.max(1000, 2 * lastSummaryCost))) {
      msg.summary_json = handle.summary_json(m.filter, { ...(m.options || {}), findings: false, groups: false });
      lastSummary = performance.now();
      lastSummaryCost = lastSummary - now;
      stats.partialSummaries += 1; stats.partialSummaryMs += lastSummaryCost;
    }
    post(msg);
  };
  // Reads file bytes from..to into `push` chunk by chunk (see `chunks`; `stream` while no second
  // worker reads the file). Returns 'ok', 'failed' or 'cancelled'.
  const pump = async (file, from, to, stream) => {
    let r0 = performance.now();
    for await (const bytes of chunks(file, from, to, stream ? streamChunk : 0)) {
      const p0 = performance.now();
      stats.readWaitMs += p0 - r0;
      if (cancelled.has(m.job)) return 'cancelled';
      try { handle.push(bytes); } catch (_) { return 'failed'; }
      done += bytes.byteLength;
      progress();
      r0 = performance.now();
      stats.pushMs += r0 - p0;
    }
    return 'ok';
  };
  const cancel = () => { handle = null; post({ type: 'cancelled', job: m.job }); };
  for (const [k, file] of m.files.entries()) {
    current.file = file.name; current.step = 'reading';
    // Only plain text is pushed from here; every other kind (gzip, zip, Excel, JSON) is read
    // by the handle from the File itself, as the command line reads it: streamed, in bounded
    // steps, instead of being collected or inflated whole in this worker's memory.
    const magic = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
    if (cancelled.has(m.job)) { cancel(); return; }
    if (WebHandle.input_kind(file.name, magic) !== 'text') {
      const base = done;
      try {
        handle.read_input(file, m.format, (pos) => { done = base + pos; progress(true); });
      } catch (err) {
        if (isTrap(err) || self.cdrscopePanic) throw err;
        // A file-level error: recorded against the file, shown with the files.
      }
      done = base + file.size;
      continue;
    }
    handle.start_file(file.name, file.size, m.format);
    // Two workers only pay off with more than two cores: on two, reading the File, the main
    // thread and one parser already keep both busy, and the second worker only adds memory
    // (bench/PROFILE.md). `m.split` (true/false) overrides that, for tests and the benchmark.
    const split = k === 0 && file.size >= splitMin && typeof Worker === 'function' && (m.split ?? m.cores > 2);
    // Not `file.size >> 2`: bit operators truncate to 32 bits, and files pass 4 GB.
    const head = split ? Math.min(SLICE, Math.floor(file.size / 4)) : file.size;
    let state = await pump(file, 0, head, !split);
    if (state === 'cancelled') { cancel(); return; }
    let from = head;
    const plan = state === 'ok' && split ? handle.plan() : undefined;
    // The cut is a little before the middle: this worker also computes the partial summaries
    // (up to a tenth of its time), so both halves end at about the same time.
    const cut = plan ? await lineStartAfter(file, Math.floor(file.size * CUT_AT)) : 0;
    if (cancelled.has(m.job)) { cancel(); return; }
    if (plan && cut > head && cut < file.size) {
      stats.split = true; stats.cut = cut;
      part = { done: 0, rows: null };
      const second = startPart(file, plan, cut, part, progress);
      state = await pump(file, head, cut, false);
      if (state === 'cancelled') { second.stop(); cancel(); return; }
      if (state === 'ok' && handle.at_row_boundary()) {
        const lines = handle.lines_read();
        const w0 = performance.now();
        const r = await second.result;
        stats.waitPartMs = performance.now() - w0;
        if (cancelled.has(m.job)) { cancel(); return; }
        if (r.bytes) {
          stats.partMs = r.ms;
          try { handle.finish_file(); } catch (_) { /* recorded in the file's error */ }
          const a0 = performance.now();
          handle.absorb_part(r.bytes, lines);
          stats.absorbMs = performance.now() - a0;
          done += file.size - cut;
          part = null;
          continue;
        }
        stats.reason = r.error || 'the second worker failed';
      } else {
        second.stop();
        stats.reason = state === 'ok' ? 'a quoted field spans the cut' : 'the first half failed';
      }
      // The rest is read here, as one sequential read would.
      stats.fallback = true;
      part = null;
      from = cut;
    }
    if (state === 'ok') state = await pump(file, from, file.size, !split);
    if (state === 'cancelled') { cancel(); return; }
    if (state === 'ok') { try { handle.finish_file(); } catch (_) { /* recorded in the file's error */ } }
  }
  current.file = ''; current.step = 'computing the summary';
  const s0 = performance.now();
  const summary_json = handle.summary_json(m.filter, m.options);
  stats.summaryMs = performance.now() - s0;
  stats.totalMs = performance.now() - t0;
  post({ type: 'done', job: m.job, summary_json, elapsed_ms: performance.now() - t0, parts: stats });
}

/** The first line start at or after byte `at` (the byte after a '\n'; for every encoding a plan
 *  allows, '\n' is never part of another character); 0 when none is found within 4 MB. */
async function lineStartAfter(file, at) {
  for (let pos = at; pos < file.size && pos < at + (4 << 20); pos += CUT_SEARCH) {
    const bytes = new Uint8Array(await file.slice(pos, Math.min(pos + CUT_SEARCH, file.size)).arrayBuffer());
    const i = bytes.indexOf(10);
    if (i >= 0) return pos + i + 1;
  }
  return 0;
}

/** Starts the second worker on file[cut..]; `result` resolves with { bytes, ms } or { error }. */
function startPart(file, plan, cut, state, progress) {
  let worker = null, settle, timer = null;
  const result = new Promise((r) => { settle = r; });
  const stop = (error = 'stopped') => {
    clearTimeout(timer);
    if (worker) worker.terminate();
    worker = null;
    if (stopPart === stop) stopPart = null;
    settle({ error });
  };
  const watchdog = () => { clearTimeout(timer); timer = setTimeout(() => stop('the second worker stopped answering'), PART_SILENCE_MS); };
  try {
    worker = spawnPart();
  } catch (e) {
    settle({ error: `no second worker: ${(e && e.message) || e}` });
    return { result, stop: () => {} };
  }
  stopPart = stop;
  watchdog();
  worker.onmessage = (e) => {
    const r = e.data;
    watchdog();
    if (r.type === 'part_progress') { state.done = r.done; state.rows = r.rows; progress(); }
    else if (r.type === 'part_done') { clearTimeout(timer); worker.terminate(); worker = null; if (stopPart === stop) stopPart = null; settle({ bytes: r.bytes, ms: r.ms }); }
    else if (r.type === 'part_error') stop(r.message);
  };
  worker.onerror = (e) => { e.preventDefault(); stop(`the second worker failed: ${e.message || 'could not start'}`); };
  worker.postMessage({ type: 'part', file, name: file.name, size: file.size, plan, from: cut, to: file.size });
  return { result, stop };
}

/**
 * Yields the bytes of file[from..to] in chunks (the last one shorter); the next chunk is being
 * read while the caller parses the current one, which it must be done with before asking for the
 * next (the buffers are reused). With `stream` (a chunk size in bytes), the File's byte stream
 * fills two buffers in turn (a BYOB reader): with a new ArrayBuffer per slice, the renderer held
 * about 100 MB of read slices until the garbage collector ran, and copying them cost more CPU
 * (bench/PROFILE.md). With 0, or where a File has no byte stream, SLICE bytes are read at a time.
 * A stream read that gives nothing for STREAM_STALL_MS is abandoned for slices from where it
 * stopped: while two workers read one file, Chromium's byte stream was seen to stop delivering.
 */
async function* chunks(file, from, to, stream) {
  let pos = from;
  let reader = null;
  try { reader = stream ? file.slice(from, to).stream().getReader({ mode: 'byob' }) : null; } catch (_) { reader = null; }
  if (reader) {
    // Fills `buf` (transferred by every read: the filled bytes come back in a new view of it);
    // null at the end of the stream.
    const fill = async (buf) => {
      const size = buf.byteLength;
      let view = new Uint8Array(buf), got = 0;
      while (got < size) {
        const r = await reader.read(new Uint8Array(view.buffer, got), { min: size - got });
        if (r.done) {
          if (r.value) { got += r.value.byteLength; view = new Uint8Array(r.value.buffer); }
          return got ? view.subarray(0, got) : null;
        }
        got += r.value.byteLength;
        view = new Uint8Array(r.value.buffer);
      }
      return view;
    };
    const size = Math.min(stream, Math.max(1, to - from));
    const bufs = [new ArrayBuffer(size), new ArrayBuffer(size)];
    let k = 0;
    let next = fill(bufs[0]);
    let stalled = false;
    try {
      for (;;) {
        let timer;
        const stall = new Promise((resolve) => { timer = setTimeout(() => resolve('stall'), STREAM_STALL_MS); });
        const bytes = await Promise.race([next, stall]);
        clearTimeout(timer);
        if (bytes === 'stall') { stalled = true; break; }
        if (!bytes) return;
        next = bytes.byteLength === size ? fill(bufs[1 - k]) : Promise.resolve(null);
        pos += bytes.byteLength;
        yield bytes;
        bufs[k] = bytes.buffer;
        k = 1 - k;
      }
    } finally {
      next.catch(() => {});
      reader.cancel().catch(() => {});
    }
    if (!stalled) return;
  }
  let next = pos < to ? file.slice(pos, Math.min(pos + SLICE, to)).arrayBuffer() : null;
  while (next) {
    const buf = await next;
    pos += buf.byteLength;
    next = pos < to ? file.slice(pos, Math.min(pos + SLICE, to)).arrayBuffer() : null;
    yield new Uint8Array(buf);
  }
}

/** In the second worker: reads file[from..to] into a PartReader and posts its bytes back. */
async function readPart(m) {
  const t0 = performance.now();
  const reader = new PartReader(m.name, m.size, m.plan, m.from);
  let pos = m.from, lastPost = 0;
  for await (const bytes of chunks(m.file, m.from, m.to, 0)) {
    pos += bytes.byteLength;
    reader.push(bytes);
    const now = performance.now();
    if (now - lastPost > 200) { lastPost = now; post({ type: 'part_progress', done: pos - m.from, rows: reader.row_totals() }); }
  }
  const bytes = reader.finish();
  reader.free();
  self.postMessage({ type: 'part_done', bytes, ms: performance.now() - t0 }, [bytes.buffer]);
}
