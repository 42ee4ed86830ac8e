// Worker bootstrap: loads the wasm (wasm-bindgen --target web output) and drives one WebHandle.
// Parsing and aggregation run here; charts are drawn on the main thread (plotters needs `window`).
import init, { WebHandle } from './cdrscope.js';

const SLICE = 8 << 20; // 8 MB per File.slice read
const ready = init();
let handle = null;
let files = []; // the loaded Files: drill-down reads container rows from them again
const cancelled = new Set();
const post = (m) => self.postMessage(m);

self.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'cancel') { cancelled.add(m.job); return; }
  try {
    await ready;
    if (m.type === 'load') await load(m);
    else if (m.type === 'summary') post({ type: 'summary', job: m.job, summary: handle.summary(m.filter, m.options) });
    else if (m.type === 'calls_csv') post({ type: 'calls_csv', job: m.job, csv: handle.calls_csv(m.filter, m.options) });
    else if (m.type === 'texts') post({ type: 'texts', job: m.job, keys: m.keys, texts: handle.container_texts(m.rows, files) });
    else if (m.type === 'rows') post({ type: 'rows', job: m.job, page: handle.rows(m.filter, m.options, m.page, m.page_size, files) });
  } catch (err) {
    post({ type: 'error', job: m.job, message: String((err && err.message) || err) });
  }
};

async function load(m) {
  handle = new WebHandle();
  files = m.files;
  const total = m.files.reduce((a, f) => a + f.size, 0);
  const t0 = performance.now();
  let done = 0, lastPost = 0, lastSummary = -Infinity;
  for (const file of m.files) {
    handle.start_file(file.name, file.size, m.format);
    let pos = 0;
    // The next slice is requested before the current one is parsed, so reading overlaps parsing.
    let next = file.size > 0 ? file.slice(0, Math.min(SLICE, file.size)).arrayBuffer() : null;
    let failed = false;
    while (next) {
      const buf = await next;
      if (cancelled.has(m.job)) { handle = null; post({ type: 'cancelled', job: m.job }); return; }
      pos += buf.byteLength;
      next = pos < file.size ? file.slice(pos, Math.min(pos + SLICE, file.size)).arrayBuffer() : null;
      try { handle.push(new Uint8Array(buf)); } catch (_) { failed = true; next = null; }
      done += buf.byteLength;
      const now = performance.now();
      if (now - lastPost > 200) {
        lastPost = now;
        const msg = { type: 'progress', job: m.job, done, total, rows: handle.row_totals(), elapsed_ms: now - t0 };
        // First KPIs while reading: after the first slice, then at most once a second (a summary
        // walks every stored call).
        if (now - lastSummary > 1000) { lastSummary = now; msg.summary = handle.summary(m.filter, { ...(m.options || {}), findings: false }); }
        post(msg);
      }
    }
    if (!failed) { try { handle.finish_file(); } catch (_) { /* recorded in the file's error */ } }
  }
  post({ type: 'done', job: m.job, summary: handle.summary(m.filter, m.options), elapsed_ms: performance.now() - t0 });
}
