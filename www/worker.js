// Worker bootstrap: loads the wasm (wasm-bindgen --target web output) and drives one WebHandle.
// Parsing and aggregation run here; charts are drawn on the main thread (plotters needs `window`).
// A large plain-text file is read in parts: this worker reads the first, part workers (this same
// script, started from here) each read a later one from a line start and hand it back as bytes
// (PartReader.finish → WebHandle.absorb_next_part). How many parts and where they start is the
// core's (SplitPlan, src/web/part.rs over src/ingest/plan.rs); this script only reads the bytes
// it asks for. If a part ends inside a quoted field it reads on to the end (the later parts are
// dropped); if a part worker fails or stalls, the rest is read here; so the result is always that
// of one sequential read.
import init, { WebHandle, PartReader, SplitPlan } from './cdrscope.js';

const SLICE = 8 << 20; // bytes per File.slice read
// Bytes per read of the File's byte stream. Chromium fills the stream through a pipe of a few MB
// that only this worker drains, and not while it parses: a larger read waits for the pipe to
// refill after every parse, a read that fits was filled during the parse (bench/PROFILE.md).
// Slices are the other way round: each costs a new read, so they stay large.
const STREAM_CHUNK = 1 << 20;
// The first KPIs wait for this many bytes (or 200 ms): drawn from the first 1 MB, they came while
// the page was still settling after the drop and made a main-thread task of 50-90 ms there.
const FIRST_SUMMARY_BYTES = 8 << 20;
const PART_SILENCE_MS = 30000; // a part worker silent for this long is given up (read here instead)
const STREAM_STALL_MS = 10000; // a byte-stream read silent this long is given up (slices instead)
const ready = init();
// The wasm memory, for the tests' check of how large it grew (it never shrinks: its size is
// the peak). The single-file build's init gives no exports: then it stays unset.
ready.then((w) => { self.cdrscopeMemory = w && w.memory; }, () => {});
/** @type {WebHandle | null} */
let handle = null;
let files = []; // the loaded Files: drill-down reads container rows from them again
const cancelled = new Set();
const partStops = new Set(); // stops the part workers of the running load
const stopParts = () => { for (const stop of [...partStops]) stop(); };
/** @type {WebHandle | null} */
let after = null; // compare mode: a second file set (after; the loaded one is before)
const post = (m) => self.postMessage(m);

// A part worker: this same script. The single-file build replaces this function (a classic
// worker from the same Blob URL, given the compiled module).
function spawnPart() { return new Worker(self.location.href, { type: 'module' }); }

// What the worker is doing, for the message when it fails: the file and the step.
const current = { file: '', step: '' };
const STEPS = { load: 'reading', part: 'reading a part of the file', summary: 'computing the summary',
  calls_csv: 'exporting the calls', texts: 'reading rejected rows again', rows: 'reading the drill-down rows' };

/** Whether an error is a wasm trap (a Rust panic or an allocation failure): the module's state
 *  is lost, and the page replaces this worker. */
const isTrap = (err) => typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError;

self.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'cancel') { cancelled.add(m.job); stopParts(); return; }
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
    else if (m.type === 'rows') post({ type: 'rows', job: m.job, page: handle.rows(m.filter, m.options, m.page, m.page_size, files, m.sort) });
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

async function load(m) {
  // `m.chunk` (bytes per stream read) is for the benchmark, which compares read sizes.
  const streamChunk = m.chunk || STREAM_CHUNK;
  stopParts();
  handle = new WebHandle();
  files = m.files;
  const total = m.files.reduce((a, f) => a + f.size, 0);
  const t0 = performance.now();
  if (m.max_calls) handle.set_max_calls(m.max_calls);
  const stats = { split: false, cut: 0, cuts: [], parts: 1, fallback: false, reason: '', partMs: 0, waitPartMs: 0, absorbMs: 0, summaryMs: 0, partialSummaries: 0, partialSummaryMs: 0, readWaitMs: 0, pushMs: 0 };
  self.cdrscopeLastLoad = stats;
  let done = 0, lastPost = 0, lastSummary = -Infinity, lastSummaryCost = 0;
  let parts = []; // { done } of each part worker while they run (their rows are in the handle)
  let lastRows = null;
  // `busy`: called back from inside the handle (a file read whole by `read_input`), which must
  // not be called again meanwhile: bytes only, the rows as last known.
  const progress = (busy) => {
    const now = performance.now();
    if (now - lastPost <= 200) return;
    lastPost = now;
    const doneAll = parts.reduce((a, p) => a + p.done, done);
    if (!busy) lastRows = handle.row_totals();
    const msg = { type: 'progress', job: m.job, done: doneAll, total, rows: lastRows, elapsed_ms: now - t0 };
    if (busy) { post(msg); return; }
    // First KPIs while reading: once FIRST_SUMMARY_BYTES are read or 200 ms have passed, then at
    // most once a second and never more than a tenth of the time (a summary walks every stored
    // call), and not when the final one is due within about a second anyway. Read in parts,
    // they cover this worker's part only.
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
  // Reads file bytes from..to into `into` (the handle, or a PartReader) chunk by chunk (see
  // `chunks`; `stream` while no part worker reads the file). Returns 'ok', 'failed' or 'cancelled'.
  /** @type {(file: File, from: number, to: number, stream: boolean, into?: WebHandle | PartReader) => Promise<string>} */
  const pump = async (file, from, to, stream, into = handle) => {
    let r0 = performance.now();
    for await (const bytes of chunks(file, from, to, stream ? streamChunk : 0)) {
      const p0 = performance.now();
      stats.readWaitMs += p0 - r0;
      if (cancelled.has(m.job)) return 'cancelled';
      try { into.push(bytes); } catch (_) { return 'failed'; }
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
    // How many parts (one on two cores: reading the File, the main thread and one parser
    // already keep both busy, bench/PROFILE.md), the head and the cuts are the core's.
    // `m.split` (true/false/N) and `m.split_min` override it, for tests and the benchmark.
    const sp = k === 0 && typeof Worker === 'function' ? new SplitPlan(file.size, m.cores || 1, m.split, m.split_min) : null;
    const split = !!sp && sp.parts() > 1;
    const head = split ? sp.head() : file.size;
    let state = await pump(file, 0, head, !split);
    if (state === 'cancelled') { if (sp) sp.free(); cancel(); return; }
    let from = head;
    const plan = state === 'ok' && split ? handle.plan() : undefined;
    let cuts = [];
    if (plan) {
      for (let w = sp.window(); w; w = sp.window()) sp.feed(new Uint8Array(await file.slice(w[0], w[1]).arrayBuffer()));
      cuts = Array.from(sp.cuts());
    }
    if (sp) sp.free();
    if (cancelled.has(m.job)) { cancel(); return; }
    if (cuts.length > 2) {
      stats.split = true; stats.cut = cuts[1]; stats.cuts = cuts; stats.parts = cuts.length - 1;
      parts = [];
      const workers = [];
      for (let j = 1; j + 1 < cuts.length; j += 1) {
        const p = { done: 0 };
        parts.push(p);
        workers.push(startPart(file, plan, j, cuts[j], cuts[j + 1], p, progress, m.part_fail === j));
      }
      // Stops part workers j.. and forgets the rows they reported.
      const stopFrom = (j) => {
        for (let i = j; i < cuts.length - 1; i += 1) { workers[i - 1].stop(); parts[i - 1].done = 0; handle.part_progress(i - 1, undefined); }
      };
      state = await pump(file, head, cuts[1], false);
      if (state === 'cancelled') { stopFrom(1); cancel(); return; }
      const readOn = state === 'ok' ? handle.read_on_from(cuts[1], file.size) : undefined;
      let rest = 0; // where this worker reads on, if it does
      if (state !== 'ok' || readOn !== undefined) {
        stopFrom(1);
        stats.reason = state === 'ok' ? 'a quoted field spans the cut' : 'the first part failed';
        rest = state === 'ok' ? readOn : 0;
      } else {
        const w0 = performance.now();
        let finished = false;
        for (let j = 1; j + 1 < cuts.length; j += 1) {
          const r = await workers[j - 1].result;
          if (cancelled.has(m.job)) { stopFrom(1); cancel(); return; }
          if (!r.bytes) {
            // This part is read here instead, and on to the end, as one sequential read would.
            stopFrom(j);
            stats.reason = r.error || 'a part worker failed';
            rest = cuts[j];
            break;
          }
          stats.partMs = Math.max(stats.partMs, r.ms);
          if (!finished) { try { handle.finish_head(); } catch (_) { /* recorded in the file's error */ } finished = true; }
          const a0 = performance.now();
          handle.absorb_next_part(j - 1, r.bytes, r.lines);
          stats.absorbMs += performance.now() - a0;
          done += cuts[j + 1] - cuts[j];
          parts[j - 1].done = 0;
          // A part that read on to the end of the file (a quoted field spans its end): the later
          // parts are dropped.
          if (r.read_on) { stats.readOn = j; done += file.size - cuts[j + 1]; stopFrom(j + 1); break; }
        }
        stats.waitPartMs = performance.now() - w0;
        if (finished && rest) {
          // The rest, from the start of a part that failed, read here in a part reader of its own.
          stats.fallback = true;
          parts = [];
          const reader = new PartReader(file.name, file.size, plan, rest, file.size);
          const got = await pump(file, rest, file.size, false, reader);
          if (got === 'cancelled') { reader.free(); cancel(); return; }
          if (got === 'ok') handle.absorb_next_part(cuts.length, reader.finish(), reader.lines_read());
          reader.free();
          rest = 0;
        }
        if (finished) { handle.parts_done(); parts = []; continue; }
      }
      // The rest is read here, on from this worker's part, as one sequential read would.
      stats.fallback = true;
      parts = [];
      from = rest;
    }
    if (state === 'ok') state = await pump(file, from, file.size, !split);
    if (state === 'cancelled') { cancel(); return; }
    if (state === 'ok') { try { handle.finish_file(); } catch (_) { /* recorded in the file's error */ } }
    // Rows kept to find repeats across parts are let go once the file is read.
    if (split) handle.parts_done();
  }
  current.file = ''; current.step = 'computing the summary';
  const s0 = performance.now();
  const summary_json = handle.summary_json(m.filter, m.options);
  stats.summaryMs = performance.now() - s0;
  stats.totalMs = performance.now() - t0;
  post({ type: 'done', job: m.job, summary_json, elapsed_ms: performance.now() - t0, parts: stats });
}

/** Starts part worker `k` on file[from..to]; `result` resolves with { bytes, lines, read_on, ms }
 *  or { error }; `fail` makes the part worker fail (tests). */
function startPart(file, plan, k, from, to, state, progress, fail) {
  let worker = null, timer = null;
  /** @type {(outcome: object) => void} */
  let settle = () => {};
  const result = new Promise((r) => { settle = r; });
  const stop = (error = 'stopped') => {
    clearTimeout(timer);
    if (worker) worker.terminate();
    worker = null;
    partStops.delete(stop);
    settle({ error });
  };
  const watchdog = () => { clearTimeout(timer); timer = setTimeout(() => stop(`part worker ${k} stopped answering`), PART_SILENCE_MS); };
  try {
    worker = spawnPart();
  } catch (e) {
    settle({ error: `no part worker: ${(e && e.message) || e}` });
    return { result, stop: () => {} };
  }
  partStops.add(stop);
  watchdog();
  worker.onmessage = (e) => {
    const r = e.data;
    watchdog();
    if (r.type === 'part_progress') { state.done = r.done; if (handle) handle.part_progress(k - 1, r.rows); progress(); }
    else if (r.type === 'part_done') {
      clearTimeout(timer); worker.terminate(); worker = null; partStops.delete(stop);
      settle({ bytes: r.bytes, lines: r.lines, read_on: r.read_on, ms: r.ms });
    }
    else if (r.type === 'part_error') stop(r.message);
  };
  worker.onerror = (e) => { e.preventDefault(); stop(`part worker ${k} failed: ${e.message || 'could not start'}`); };
  worker.postMessage({ type: 'part', file, name: file.name, size: file.size, plan, from, to, fail });
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

/** In a part worker: reads file[from..to] into a PartReader (on to the end of the file when a
 *  quoted field spans `to`: PartReader.read_on_from) and posts its bytes back. */
async function readPart(m) {
  const t0 = performance.now();
  // `fail`: the tests' `window.cdrscopePartFail`, to see the rest read by the first worker.
  if (m.fail) throw new Error('part worker failed for a test');
  const reader = new PartReader(m.name, m.size, m.plan, m.from, m.to);
  let pos = m.from, lastPost = 0;
  const read = async (from, to) => {
    for await (const bytes of chunks(m.file, from, to, 0)) {
      pos += bytes.byteLength;
      reader.push(bytes);
      const now = performance.now();
      if (now - lastPost > 200) { lastPost = now; post({ type: 'part_progress', done: pos - m.from, rows: reader.row_totals() }); }
    }
  };
  await read(m.from, m.to);
  const lines = reader.lines_read();
  const on = reader.read_on_from();
  if (on !== undefined) await read(on, m.size);
  const bytes = reader.finish();
  reader.free();
  self.postMessage({ type: 'part_done', bytes, lines, read_on: on !== undefined, ms: performance.now() - t0 }, [bytes.buffer]);
}
