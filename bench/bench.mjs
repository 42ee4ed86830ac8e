#!/usr/bin/env node
// cdrscope benchmark driver: measures every contestant on one CDR file and writes one results JSON.
//
//   node bench/bench.mjs --file CDR.csv --ref CDR.csv.agg.json --out results/x.json
//        [--runs 3] [--contestants default|all|name,name] [--cdrscope target/release/cdrscope]
//        [--baseline bench/baseline/target/release/cdr-baseline] [--timeout-s 1800]
//
// Browser contestants are pages under bench/page/ (served from bench/ on 127.0.0.1), each with an
// <input type=file id=file> and window.cdrBench(file, variant) -> {rows, gw:{name:[attempts,answered,hold]},
// er:{code:count}, phases?, notes?}. Every run gets a fresh headless Chromium with a fresh profile; the
// clock runs from the call of cdrBench to its resolution. Native contestants run under /usr/bin/time -v.
// Every result is reduced to a canonical text and hashed; it must equal the generator's aggregate.
import { chromium } from 'playwright-core';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...(process.env.BENCH_EXTRA_FLAGS ? process.env.BENCH_EXTRA_FLAGS.split(' ') : [])];
const SAMPLE_MS = 100;

// name, page, variant; `needs` is a path under bench/ that must exist (a build output); `io` marks the
// I/O ceiling, which has no aggregate; `optional` ones run only when named or with "all".
const BROWSER = [
  { name: 'io-ceiling (read 16 MB slices, no parsing)', key: 'io-ceiling', page: 'page/io-ceiling.html', variant: 'slice16m', io: true },
  { name: 'io: 8 MB slices (what the page read before), no parsing', key: 'io-slice8', page: 'page/io-ceiling.html', variant: 'slice8m', io: true, optional: true },
  { name: 'io: FileReaderSync, 8 MB slices, no parsing', key: 'io-sync8', page: 'page/io-ceiling.html', variant: 'sync8m', io: true, optional: true },
  { name: 'io: the byte stream of the File into two reused 8 MB buffers (BYOB), no parsing', key: 'io-byob8', page: 'page/io-ceiling.html', variant: 'byob8m', io: true, optional: true },
  { name: 'cdrscope wasm (full analysis)', key: 'cdrscope', page: 'page/cdrscope.html', variant: 'web', needs: 'out/web/cdrscope.js', cdrscope: true },
  { name: 'cdrscope wasm simd128 (full analysis)', key: 'cdrscope-simd', page: 'page/cdrscope.html', variant: 'web-simd', needs: 'out/web-simd/cdrscope.js', cdrscope: true },
  { name: 'cdrscope page worker, two workers (full analysis)', key: 'cdrscope-2w', page: 'page/cdrscope-page.html', variant: 'page-web', needs: 'out/page-web/worker.js', cdrscope: true },
  { name: 'cdrscope page worker simd128, two workers (full analysis)', key: 'cdrscope-2w-simd', page: 'page/cdrscope-page.html', variant: 'page-web-simd', needs: 'out/page-web-simd/worker.js', cdrscope: true },
  { name: 'cdrscope page worker simd128, one worker (the page on 2 cores; full analysis)', key: 'cdrscope-1w-simd', page: 'page/cdrscope-page.html', variant: 'page-web-simd:1w', needs: 'out/page-web-simd/worker.js', cdrscope: true },
  { name: 'cdrscope page worker simd128, one worker, 8 MB reads (the read size before; full analysis)', key: 'cdrscope-1w-simd-8m', page: 'page/cdrscope-page.html', variant: 'page-web-simd:1w:8192', needs: 'out/page-web-simd/worker.js', cdrscope: true, optional: true },
  { name: 'PapaParse 5.7.1 main thread, step', key: 'papaparse-main-step', page: 'page/papaparse.html', variant: 'main-step' },
  { name: 'DuckDB-WASM 1.32 eh, GROUPING SETS', key: 'duckdb-eh-gs', page: 'page/duckdb.html', variant: 'eh-gs' },
  { name: 'PapaParse 5.7.1 worker, chunk', key: 'papaparse-worker-chunk', page: 'page/papaparse.html', variant: 'worker-chunk', optional: true },
  { name: 'PapaParse 5.7.1 main thread, chunk', key: 'papaparse-main-chunk', page: 'page/papaparse.html', variant: 'main-chunk', optional: true },
  { name: 'DuckDB-WASM 1.32 eh, two queries', key: 'duckdb-eh-2q', page: 'page/duckdb.html', variant: 'eh-2q', optional: true },
];

function args(argv) {
  const a = { runs: 3, contestants: 'default', timeoutS: 1800 };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i], v = () => argv[++i];
    if (k === '--file') a.file = path.resolve(v());
    else if (k === '--ref') a.ref = path.resolve(v());
    else if (k === '--out') a.out = path.resolve(v());
    else if (k === '--runs') a.runs = Math.max(1, +v());
    else if (k === '--contestants') a.contestants = v();
    else if (k === '--cdrscope') a.cdrscope = path.resolve(v());
    else if (k === '--baseline') a.baseline = path.resolve(v());
    else if (k === '--timeout-s') a.timeoutS = +v();
    else throw new Error(`unknown argument ${k}`);
  }
  if (!a.file || !a.ref || !a.out) throw new Error('need --file, --ref and --out');
  return a;
}

// ---------- agreement: one canonical text per aggregate ----------
export function canonical(r) {
  const out = [`rows\t${r.rows}`];
  for (const g of Object.keys(r.gw).sort()) out.push(['gw', g, ...r.gw[g].map(Number)].join('\t'));
  for (const e of Object.keys(r.er).map(Number).sort((x, y) => x - y)) out.push(`er\t${e}\t${r.er[String(e)]}`);
  return out.join('\n') + '\n';
}
export const checksum = (r) => crypto.createHash('sha256').update(canonical(r)).digest('hex').slice(0, 12);

/** The benchmark shape of a cdrscope Summary (the CLI's --json and the page's summary() are the same). */
export function fromSummary(s) {
  const gw = {}, er = {};
  for (const g of s.by_egress_gateway) gw[g.name === '(none)' ? '' : g.name] = [g.attempts, g.answered, g.total_hold_s];
  for (const c of s.by_code) er[String(c.code)] = c.count;
  return { rows: s.rows.accepted, gw, er };
}

// ---------- memory of the browser's processes (/proc) ----------
function children() {
  const byParent = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = +stat.slice(close + 2).split(' ')[1];
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push({ pid: +d, comm });
    } catch { /* gone */ }
  }
  return byParent;
}
function chromiumProcesses(skip) {
  const kids = children(), out = [], stack = [process.pid];
  while (stack.length) {
    for (const c of kids.get(stack.pop()) || []) {
      if (skip.has(c.pid)) continue;
      if (c.comm.startsWith('chrom')) out.push(c.pid);
      stack.push(c.pid);
    }
  }
  return out;
}
const vmRssKiB = (pid) => {
  try { return +(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8')) || [0, 0])[1]; } catch { return 0; }
};
const cmdline = (pid) => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { return ''; } };
const TICK_S = 0.01;   // USER_HZ is 100 on Linux
/** CPU seconds (user + system, all threads) a process has used so far. */
const cpuSeconds = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (+f[11] + +f[12]) * TICK_S;
  } catch { return 0; }
};

/** Samples VmRSS of all Chromium processes and of the renderer(s) (where the page's workers run). */
function memorySampler(skip) {
  const renderer = new Set();   // a zygote child shows the zygote's cmdline until it renames: only cache "yes"
  let peakAll = 0, peakRenderer = 0, idleAll = 0, idleRenderer = 0, samples = 0;
  // CPU time per process: the last value seen (a process may exit) and the value at the idle mark
  const cpuNow = new Map(), cpuIdle = new Map();
  const sample = () => {
    let all = 0, rend = 0;
    for (const pid of chromiumProcesses(skip)) {
      const kib = vmRssKiB(pid);
      all += kib;
      if (!renderer.has(pid) && cmdline(pid).includes('--type=renderer')) renderer.add(pid);
      if (renderer.has(pid)) rend += kib;
      cpuNow.set(pid, cpuSeconds(pid));
    }
    samples++;
    peakAll = Math.max(peakAll, all); peakRenderer = Math.max(peakRenderer, rend);
    return [all, rend];
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const cpuSince = (only) => [...cpuNow].filter(([pid]) => !only || only.has(pid))
    .reduce((acc, [pid, s]) => acc + s - (cpuIdle.get(pid) || 0), 0);
  return {
    idle() {
      [idleAll, idleRenderer] = sample(); peakAll = idleAll; peakRenderer = idleRenderer;
      for (const [pid, s] of cpuNow) cpuIdle.set(pid, s);
    },
    stop() {
      sample(); clearInterval(timer);
      const mib = (k) => +(k / 1024).toFixed(1);
      return { idleAllMiB: mib(idleAll), peakAllMiB: mib(peakAll), idleRendererMiB: mib(idleRenderer),
        peakRendererMiB: mib(peakRenderer), growthRendererMiB: mib(peakRenderer - idleRenderer), samples,
        cpuAllS: +cpuSince(null).toFixed(2), cpuRendererS: +cpuSince(renderer).toFixed(2) };
    },
  };
}

// ---------- load on the machine ----------
function cpuStat() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + (f[4] || 0), total: f.reduce((x, y) => x + y, 0) };
}
async function busyPercent(ms = 1500) {
  const a = cpuStat();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuStat();
  return +(100 * (1 - (b.idle - a.idle) / Math.max(1, b.total - a.total))).toFixed(1);
}
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// ---------- static server for bench/ ----------
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}
async function serve(dir) {
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir],
    { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((r) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (up) return { proc, base: `http://127.0.0.1:${port}/` };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error('static server did not start');
}

// ---------- one browser run ----------
async function browserRun(c, file, base, skip, timeoutS) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-bench-profile-'));
  const log = [];
  const mem = memorySampler(skip);
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60000 });
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('console', (m) => log.length < 40 && log.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.length < 40 && log.push(`pageerror: ${e.message}`));
    page.setDefaultTimeout(timeoutS * 1000);
    await page.goto(base + c.page, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.cdrBench === 'function', null, { timeout: 60000 });
    await page.setInputFiles('#file', file);
    await new Promise((r) => setTimeout(r, 300));   // let the page settle before the idle sample
    mem.idle();
    const load = loadavg();
    const out = await page.evaluate(async (variant) => {
      await window.cdrBenchReady;
      const f = document.getElementById('file').files[0];
      const t0 = performance.now();
      const r = await window.cdrBench(f, variant);
      return { r, ms: performance.now() - t0, ua: navigator.userAgent };
    }, c.variant);
    return { ok: true, ...out, mem: mem.stop(), loadavg: load, log };
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e).split('\n').slice(0, 8).join('\n'), mem: mem.stop(), log };
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// ---------- the product page's interaction times (issue 7) ----------
/** Loads the file in the product page (out/<variant>/index.html, assembled by make-page.mjs) the way a drop
 *  does, then changes the egress-gateway filter and opens a drill-down and its next page; every time is taken
 *  inside the page (performance.now), long tasks of the main thread come from a PerformanceObserver. */
async function uiRun(variant, file, base, skip, timeoutS) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-bench-profile-'));
  const log = [];
  const mem = memorySampler(skip);
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60000,
      viewport: { width: 1280, height: 800 } });
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('console', (m) => log.length < 40 && m.type() === 'error' && log.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.length < 40 && log.push(`pageerror: ${e.message}`));
    page.setDefaultTimeout(timeoutS * 1000);
    await page.goto(`${base}out/${variant}/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.cdrscope && document.getElementById('drop-zone')?.dataset.ready === 'true', null, { timeout: 60000 });
    await page.evaluate(() => {
      const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-file', hidden: true });
      document.body.append(input);
      window.benchLongTasks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.benchLongTasks.push(e.duration); })
        .observe({ type: 'longtask', buffered: true });
      // Resolves when `el` has attribute `name` = `value` (checked at once and on every change).
      window.benchUntil = (el, name, value) => new Promise((resolve) => {
        if (el.getAttribute(name) === value) { resolve(); return; }
        const o = new MutationObserver(() => { if (el.getAttribute(name) === value) { o.disconnect(); resolve(); } });
        o.observe(el, { attributes: true, attributeFilter: [name] });
      });
      window.benchFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    });
    await page.setInputFiles('#bench-file', file);
    await new Promise((r) => setTimeout(r, 300));
    mem.idle();
    const load = loadavg();
    const out = await page.evaluate(async () => {
      const f = document.getElementById('bench-file').files[0];
      const dash = document.getElementById('dashboard');
      const lt = () => window.benchLongTasks.splice(0);
      lt();
      const shown = () => { const k = document.querySelector('[data-kpi="attempts"]'); return !dash.hidden && k && k.dataset.value; };
      const t0 = performance.now();
      let firstKpiMs = null;
      const poll = () => { if (firstKpiMs !== null) return; if (shown()) firstKpiMs = performance.now() - t0; else requestAnimationFrame(poll); };
      requestAnimationFrame(poll);
      await window.cdrscope.load(f);
      const loadMs = performance.now() - t0;
      await window.benchFrame();
      if (firstKpiMs === null) firstKpiMs = performance.now() - t0;
      const loadTasks = lt();
      const summary = window.cdrscope.summary();
      // The busiest egress gateway (the first row of the table) as the filter.
      const sel = document.getElementById('filter-egress');
      const gw = summary.by_egress_gateway.map((g) => g.name).find((n) => [...sel.options].some((o) => o.value === n));
      let t = performance.now();
      sel.value = gw;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
      await window.benchUntil(dash, 'data-state', 'done');
      await window.benchFrame();
      const filterMs = performance.now() - t;
      const filterTasks = lt();
      const drill = document.getElementById('drill');
      drill.removeAttribute('data-state');
      t = performance.now();
      document.querySelector(`#table-egress tr[data-name="${CSS.escape(gw)}"] [data-action="drill"]`).click();
      await window.benchUntil(drill, 'data-state', 'done');
      await window.benchFrame();
      const drillMs = performance.now() - t;
      drill.removeAttribute('data-state');
      t = performance.now();
      [...drill.querySelectorAll('[data-action="drill-page"]')].at(-1).click();
      await window.benchUntil(drill, 'data-state', 'done');
      await window.benchFrame();
      const drillPageMs = performance.now() - t;
      const drillTasks = lt();
      const max = (xs) => (xs.length ? Math.max(...xs) : 0);
      return { summary, ms: loadMs, gw, times: { firstKpiMs, loadMs, filterMs, drillMs, drillPageMs },
        longTasks: { load: loadTasks.length, loadMaxMs: max(loadTasks), filterMaxMs: max(filterTasks), drillMaxMs: max(drillTasks) } };
    });
    return { ok: true, ...out, r: fromSummary(out.summary), summary: undefined, mem: mem.stop(), loadavg: load, log };
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e).split('\n').slice(0, 8).join('\n'), mem: mem.stop(), log };
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// ---------- one native run ----------
function nativeRun(cmd, toAggregate) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr || '');
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr || '');
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr || '');
  const base = { ms: seconds * 1000, mem: { maxRssMiB: rss ? +(+rss[1] / 1024).toFixed(1) : null }, cpuS: user && sys ? +user[1] + +sys[1] : null };
  if (r.status !== 0) return { ok: false, error: (r.stderr || '').split('\n').slice(0, 6).join('\n'), ...base };
  try { return { ok: true, r: toAggregate(JSON.parse(r.stdout)), ...base }; } catch (e) { return { ok: false, error: `output: ${e.message}`, ...base }; }
}

const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };

export function summarise(c, runs, bytes, rows) {
  const ok = runs.filter((r) => r.ok);
  const secs = ok.map((r) => r.ms / 1000);
  const med = median(secs);
  const s = { okRuns: ok.length, runs: runs.length, medianS: med, minS: Math.min(...secs), maxS: Math.max(...secs),
    mbPerS: bytes / 1e6 / med, rowsPerS: rows / med, checks: [...new Set(runs.map((r) => r.check))] };
  if (c.kind === 'browser') {
    s.peakRendererMiB = Math.max(...runs.map((r) => r.mem.peakRendererMiB));
    s.idleRendererMiB = median(runs.map((r) => r.mem.idleRendererMiB));
    s.growthRendererMiB = Math.max(...runs.map((r) => r.mem.growthRendererMiB));
    s.peakAllMiB = Math.max(...runs.map((r) => r.mem.peakAllMiB));
    s.cpuS = median(ok.map((r) => r.mem.cpuAllS));
    s.cpuRendererS = median(ok.map((r) => r.mem.cpuRendererS));
  } else {
    s.maxRssMiB = Math.max(...runs.map((r) => r.mem.maxRssMiB || 0));
    s.cpuS = median(ok.map((r) => r.cpuS));
  }
  if (ok.length && ok[0].phases) {
    s.phasesS = {};
    for (const k of Object.keys(ok[0].phases)) s.phasesS[k.replace(/Ms$/, '')] = median(ok.map((r) => r.phases[k] / 1000));
  }
  return s;
}

async function main() {
  const a = args(process.argv);
  const bytes = fs.statSync(a.file).size;
  const ref = JSON.parse(fs.readFileSync(a.ref, 'utf8'));
  const refSum = checksum(ref);
  const pick = (list) => list.filter((c) => a.contestants === 'all' || (a.contestants === 'default' ? !c.optional : a.contestants.split(',').includes(c.key)));
  const browser = pick(BROWSER).filter((c) => {
    if (c.needs && !fs.existsSync(path.join(BENCH, c.needs))) { console.error(`(skip) ${c.name}: ${c.needs} not built`); return false; }
    return true;
  });
  const UI = [{ name: 'cdrscope page (simd128): drop, filter, drill-down', key: 'ui-simd', variant: 'page-web-simd', needs: 'out/page-web-simd/index.html' }];
  const ui = pick(UI).filter((c) => {
    if (!fs.existsSync(path.join(BENCH, c.needs))) { console.error(`(skip) ${c.name}: ${c.needs} not built`); return false; }
    return true;
  });
  const native = pick([
    { name: 'native: cdrscope report --json (full analysis)', key: 'native-cdrscope', bin: a.cdrscope, cmd: (f) => [a.cdrscope, 'report', f, '--json'], toAggregate: fromSummary, cdrscope: true },
    { name: 'native: cdrscope report --json --jobs 0 (all cores)', key: 'native-cdrscope-jobs', bin: a.cdrscope, cmd: (f) => [a.cdrscope, 'report', f, '--json', '--jobs', '0'], toAggregate: fromSummary, cdrscope: true },
    { name: 'native: csv crate, ByteRecord reuse (baseline)', key: 'native-baseline', bin: a.baseline, cmd: (f) => [a.baseline, f], toAggregate: (j) => j },
  ]).filter((c) => {
    if (!c.bin || !fs.existsSync(c.bin)) { console.error(`(skip) ${c.name}: binary not given or not built`); return false; }
    return true;
  });
  const version = (p) => { try { return JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', p, 'package.json'), 'utf8')).version; } catch { return '?'; } };
  const meta = {
    date: new Date().toISOString(), file: path.basename(a.file), bytes, rows: ref.rows, refChecksum: refSum, runsPerContestant: a.runs,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release() },
    versions: {
      chromium: (() => { try { return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return '?'; } })(),
      node: process.version, papaparse: version('papaparse'), duckdbWasm: version('@duckdb/duckdb-wasm'), playwrightCore: version('playwright-core'),
    },
    loadavgStart: loadavg(),
    commit: (() => { try { return execFileSync('git', ['-C', BENCH, 'describe', '--always', '--dirty'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return '?'; } })(),
  };
  meta.cpuBusyBeforePct = await busyPercent();
  console.error(`${meta.file}: ${(bytes / 1e6).toFixed(1)} MB, ${ref.rows} rows, reference ${refSum}; load ${meta.loadavgStart}, CPU busy ${meta.cpuBusyBeforePct}% before start`);
  // the file is read once so every contestant finds it in the page cache
  { const fd = fs.openSync(a.file, 'r'); const b = Buffer.alloc(1 << 24); while (fs.readSync(fd, b, 0, b.length, null) > 0); fs.closeSync(fd); }

  const results = [];
  const check = (c, r) => {
    if (!r.ok) return 'FAILED';
    if (c.io) return r.r.notes && r.r.notes.bytesRead === bytes ? 'n/a (all bytes read)' : `SHORT READ (${r.r.notes && r.r.notes.bytesRead})`;
    const sum = checksum(r.r);
    return sum === refSum ? 'ok' : `MISMATCH ${sum}`;
  };
  const interaction = [];
  if (browser.length || ui.length) {
    const server = await serve(BENCH);
    const skip = new Set([server.proc.pid]);
    try {
      // Round robin: run i of every contestant before run i + 1 of any, so a change in the VM's
      // speed during the benchmark (bench/PROFILE.md) hits every contestant alike.
      const runsOf = new Map(browser.map((c) => [c, []]));
      const failed = new Set();
      for (let i = 0; i < a.runs; i++) {
        for (const c of browser) {
          if (failed.has(c)) continue;
          const runs = runsOf.get(c);
          const r = browserRun(c, a.file, server.base, skip, a.timeoutS);
          const res = await r;
          res.check = check(c, res);
          if (res.check.startsWith('MISMATCH')) res.canonical = canonical(res.r).slice(0, 4000);
          if (res.ok && res.ua) meta.userAgent = res.ua;
          runs.push({ ok: res.ok, ms: res.ok ? res.ms : null, check: res.check, error: res.error, mem: res.mem, loadavg: res.loadavg,
            phases: res.ok ? res.r.phases : null, notes: res.ok ? res.r.notes : null, canonical: res.canonical, log: res.log });
          const ph = res.ok && res.r.phases ? ' | ' + Object.entries(res.r.phases).map(([k, v]) => `${k.replace(/Ms$/, '')} ${(v / 1000).toFixed(2)}s`).join(', ') : '';
          console.error(`  ${c.name} ${i + 1}/${a.runs}: ${res.ok ? `${(res.ms / 1000).toFixed(2)} s, ${res.check}` : `FAILED ${res.error}`}`
            + ` | renderer ${res.mem.peakRendererMiB} MiB (idle ${res.mem.idleRendererMiB}) | CPU ${res.mem.cpuAllS} s${ph}`);
          if (!res.ok) { for (const l of res.log.slice(0, 6)) console.error(`    ${l}`); failed.add(c); }
        }
      }
      for (const c of browser) {
        const runs = runsOf.get(c);
        const entry = { kind: 'browser', key: c.key, name: c.name, page: c.page, variant: c.variant, io: !!c.io, cdrscope: !!c.cdrscope, runs };
        entry.summary = summarise(entry, runs, bytes, ref.rows);
        results.push(entry);
      }
      for (const c of ui) {
        const runs = [];
        for (let i = 0; i < a.runs; i++) {
          const res = await uiRun(c.variant, a.file, server.base, skip, a.timeoutS);
          res.check = check(c, res);
          runs.push({ ok: res.ok, check: res.check, error: res.error, gw: res.gw, times: res.times, longTasks: res.longTasks, mem: res.mem, loadavg: res.loadavg, log: res.log });
          const t = res.times || {};
          console.error(`  ${c.name} ${i + 1}/${a.runs}: ${res.ok ? `first KPIs ${(t.firstKpiMs / 1000).toFixed(2)} s, loaded ${(t.loadMs / 1000).toFixed(2)} s, `
            + `filter ${t.filterMs.toFixed(0)} ms, drill-down ${t.drillMs.toFixed(0)} ms, next page ${t.drillPageMs.toFixed(0)} ms, `
            + `longest main-thread task during the load ${res.longTasks.loadMaxMs.toFixed(0)} ms (${res.longTasks.load} over 50 ms), ${res.check}` : `FAILED ${res.error}`}`);
          if (!res.ok) { for (const l of res.log.slice(0, 6)) console.error(`    ${l}`); break; }
        }
        const ok = runs.filter((r) => r.ok);
        const med = (f) => median(ok.map(f));
        interaction.push({ key: c.key, name: c.name, variant: c.variant, runs, summary: { okRuns: ok.length, runs: runs.length, checks: [...new Set(runs.map((r) => r.check))],
          firstKpiMs: med((r) => r.times.firstKpiMs), loadMs: med((r) => r.times.loadMs), filterMs: med((r) => r.times.filterMs),
          drillMs: med((r) => r.times.drillMs), drillPageMs: med((r) => r.times.drillPageMs),
          loadLongestTaskMs: Math.max(0, ...ok.map((r) => r.longTasks.loadMaxMs)), loadLongTasks: med((r) => r.longTasks.load),
          filterLongestTaskMs: Math.max(0, ...ok.map((r) => r.longTasks.filterMaxMs)), drillLongestTaskMs: Math.max(0, ...ok.map((r) => r.longTasks.drillMaxMs)) } });
      }
    } finally { server.proc.kill('SIGTERM'); }
  }
  for (const c of native) {
    const runs = [];
    for (let i = 0; i < a.runs; i++) {
      const res = nativeRun(c.cmd(a.file), c.toAggregate);
      res.check = check(c, res);
      if (res.check.startsWith('MISMATCH')) res.canonical = canonical(res.r).slice(0, 4000);
      runs.push({ ok: res.ok, ms: res.ok ? res.ms : null, check: res.check, error: res.error, mem: res.mem, cpuS: res.cpuS, canonical: res.canonical });
      console.error(`  ${c.name} ${i + 1}/${a.runs}: ${res.ok ? `${(res.ms / 1000).toFixed(2)} s, ${res.check}` : `FAILED ${res.error}`} | max RSS ${res.mem.maxRssMiB} MiB | CPU ${res.cpuS} s`);
      if (!res.ok) break;
    }
    const entry = { kind: 'native', key: c.key, name: c.name, cmd: c.cmd('FILE').map((x) => (path.isAbsolute(x) ? path.relative(path.dirname(BENCH), x) : x)), cdrscope: !!c.cdrscope, runs };
    entry.summary = summarise(entry, runs, bytes, ref.rows);
    results.push(entry);
  }
  meta.loadavgEnd = loadavg();
  fs.mkdirSync(path.dirname(a.out), { recursive: true });
  fs.writeFileSync(a.out, JSON.stringify({ meta, results, interaction }, null, 1) + '\n');
  console.error(`wrote ${a.out}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main().catch((e) => { console.error(e); process.exit(1); });
