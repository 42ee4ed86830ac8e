#!/usr/bin/env node
// Turns results JSONs written by bench.mjs into the printed table, bench/RESULTS.md and an SVG plot of
// throughput and memory against file size.
//
//   node bench/report.mjs --main results/main.json [--sweep a.json b.json ...] --md RESULTS.md --svg results/plot.svg
//
// --main is the file size the table is about (several runs per contestant); --sweep adds points for the plot
// (the main file is always one of them).
import fs from 'node:fs';
import path from 'node:path';

function args(argv) {
  const a = { sweep: [] };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--main') a.main = argv[++i];
    else if (k === '--md') a.md = argv[++i];
    else if (k === '--svg') a.svg = argv[++i];
    else if (k === '--note') a.note = argv[++i];
    else if (k === '--sweep') { while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) a.sweep.push(argv[++i]); }
    else throw new Error(`unknown argument ${k}`);
  }
  if (!a.main) throw new Error('need --main');
  return a;
}

const f1 = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const mb = (bytes) => (bytes >= 1e9 ? `${f1(bytes / 1e9, 2)} GB` : `${f1(bytes / 1e6, 1)} MB`);
const rowsFmt = (x) => (x >= 1e6 ? `${f1(x / 1e6, 2)}M` : x >= 1e3 ? `${f1(x / 1e3, 0)}k` : String(Math.round(x)));

function textTable(headers, rows) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}
const mdTable = (headers, rows) => [`| ${headers.join(' | ')} |`, `|${headers.map((_, i) => (i ? '---:' : '---')).join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function mainRows(data) {
  return data.results.map((c) => {
    const s = c.summary;
    const ok = s.okRuns > 0;
    const mem = c.kind === 'browser' ? `${f1(s.peakRendererMiB, 0)} (idle ${f1(s.idleRendererMiB, 0)})` : `${f1(s.maxRssMiB, 0)} RSS`;
    const growth = c.kind === 'browser' ? `+${f1(s.growthRendererMiB, 0)}` : '-';
    const phases = s.phasesS ? Object.entries(s.phasesS).map(([k, v]) => `${k} ${f1(v, 2)}`).join(', ') : '';
    const cpu = ok && Number.isFinite(s.cpuS) && s.cpuS > 0 ? `${f1(s.cpuS, 2)}` : '-';
    const perCpu = cpu !== '-' ? f1(data.meta.bytes / 1e6 / s.cpuS, 0) : '-';
    return [c.name, ok ? f1(s.mbPerS) : 'FAIL', ok ? `${f1(s.medianS, 2)} (${f1(s.minS, 2)}–${f1(s.maxS, 2)})` : '-',
      ok && !c.io ? rowsFmt(s.rowsPerS) : '-', mem, growth, cpu, perCpu, `${s.okRuns}/${s.runs}`, s.checks.join(', '), phases];
  });
}
const HEAD = ['tool', 'MB/s', 'seconds median (min–max)', 'rows/s', 'peak MiB', 'renderer growth MiB', 'CPU s', 'MB per CPU-s', 'runs', 'agrees with reference', 'phases, s (median)'];

function get(data, key) { const c = data.results.find((r) => r.key === key); return c && c.summary.okRuns ? c.summary : null; }

function ratios(data) {
  const out = [];
  const r = (a, b) => (a && b ? f1(a.mbPerS / b.mbPerS, 2) + '×' : 'n/a');
  const io = get(data, 'io-ceiling'), pp = get(data, 'papaparse-main-step'), dd = get(data, 'duckdb-eh-gs');
  for (const key of ['cdrscope', 'cdrscope-simd', 'cdrscope-1w-simd', 'cdrscope-2w', 'cdrscope-2w-simd']) {
    const c = get(data, key);
    if (!c) continue;
    const name = data.results.find((x) => x.key === key).name;
    out.push(`${name}: ${r(c, pp)} PapaParse (main, step), ${r(c, dd)} DuckDB-WASM (GROUPING SETS), `
      + `${io ? f1(100 * c.mbPerS / io.mbPerS, 0) + ' %' : 'n/a'} of the one-reader I/O ceiling; renderer growth `
      + `${f1(c.growthRendererMiB, 0)} MiB vs ${pp ? f1(pp.growthRendererMiB, 0) : '-'} (PapaParse), ${dd ? f1(dd.growthRendererMiB, 0) : '-'} (DuckDB)`);
  }
  const n = get(data, 'native-cdrscope'), b = get(data, 'native-baseline');
  const j = get(data, 'native-cdrscope-jobs');
  if (n && j) out.push(`native cdrscope report --jobs 0: ${r(j, n)} its single-threaded run (${f1(j.mbPerS, 0)} vs ${f1(n.mbPerS, 0)} MB/s)`);
  if (n && b) out.push(`native cdrscope report: ${r(n, b)} the csv-crate baseline (${f1(n.mbPerS, 0)} vs ${f1(b.mbPerS, 0)} MB/s), max RSS ${f1(n.maxRssMiB, 0)} vs ${f1(b.maxRssMiB, 0)} MiB`);
  return out;
}

/** Where cdrscope's time and memory go, from the phases and notes its page reports. */
function profile(data) {
  const out = [];
  const { bytes, rows } = data.meta;
  const io = get(data, 'io-ceiling');
  for (const c of data.results.filter((r) => r.kind === 'browser' && r.cdrscope && r.summary.okRuns)) {
    const p = c.summary.phasesS || {};
    const notes = c.runs.filter((r) => r.ok).map((r) => r.notes || {});
    const split = notes.filter((n) => n.split && !n.fallback).length;
    if (Number.isFinite(p.secondWorker) && split === 0) {
      const reads = Number.isFinite(p.readWait) ? `, of which ${f1(p.readWait, 2)} s waiting for the next read and ${f1(p.push, 2)} s inside \`push\` `
        + `(parsing and storing alone: ${f1(bytes / 1e6 / p.push, 0)} MB/s)` : '';
      out.push(`${c.name}: ingest ${f1(p.ingest, 2)} s by one worker (the File's byte stream into two reused buffers)${reads}; summary ${f1(p.summary, 2)} s; `
        + `the page's partial summaries while loading took ${f1(p.partialSummaries, 2)} s of the ingest time.`);
      continue;
    }
    if (Number.isFinite(p.secondWorker)) {
      out.push(`${c.name}: ingest ${f1(p.ingest, 2)} s with the file split at the line start after 47 % of it in ${split} of ${notes.length} run(s); `
        + `the second worker read and parsed its half in ${f1(p.secondWorker, 2)} s, the first worker then waited ${f1(p.waitSecond, 2)} s for it `
        + `and absorbed its bytes in ${f1(p.absorb, 2)} s; summary ${f1(p.summary, 2)} s. The page's partial summaries while loading (first after `
        + `${f1(median(notes.map((n) => n.firstSummaryMs)) / 1000, 2)} s, ${f1(median(notes.map((n) => n.partialSummaries)), 0)} in all, from the first half only) `
        + `took ${f1(p.partialSummaries, 2)} s of the first worker's ingest time.`);
      continue;
    }
    const wasmMiB = median(notes.map((n) => n.wasmMemoryAfterSummaryMiB).filter(Number.isFinite));
    let line = `${c.name}: init ${f1(p.init, 2)} s (worker + wasm compile); ingest ${f1(p.ingest, 2)} s, of which `
      + `${f1(p.readWait, 2)} s waiting for the next slice and ${f1(p.push, 2)} s inside \`push\` `
      + `(parsing and storing alone: ${f1(bytes / 1e6 / p.push, 0)} MB/s); summary (the full analysis over the stored calls) ${f1(p.summary, 2)} s.`;
    if (Number.isFinite(wasmMiB)) line += ` wasm linear memory at the end: ${f1(wasmMiB, 0)} MiB (${f1(wasmMiB * 2 ** 20 / rows, 0)} bytes per call, an upper bound: it includes the slice being parsed and allocator slack).`;
    if (io) line += ` Reading alone (I/O ceiling row) grows the renderer by ${f1(io.growthRendererMiB, 0)} MiB, so cdrscope's own share of its growth is about ${f1(c.summary.growthRendererMiB - io.growthRendererMiB, 0)} MiB.`;
    out.push(line);
  }
  const n = get(data, 'native-cdrscope'), b = get(data, 'native-baseline');
  if (n && b && n.cpuS && b.cpuS) out.push(`native: cdrscope used ${f1(n.cpuS, 2)} CPU-s (${f1(bytes / 1e6 / n.cpuS, 0)} MB per CPU-s), the baseline ${f1(b.cpuS, 2)} (${f1(bytes / 1e6 / b.cpuS, 0)}); wall time is longer than CPU time when other work holds the cores.`);
  return out;
}
function median(xs) { const s = [...xs].sort((x, y) => x - y); const k = s.length; return k ? (k % 2 ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2) : NaN; }

function targets(data) {
  const best = ['cdrscope-2w-simd', 'cdrscope-1w-simd', 'cdrscope-2w', 'cdrscope-simd', 'cdrscope'].map((k) => [k, get(data, k)]).filter(([, s]) => s).sort((x, y) => y[1].mbPerS - x[1].mbPerS)[0];
  // Memory as the page reads on this machine: one worker on two cores (the split needs more).
  const page = get(data, 'cdrscope-1w-simd') ? ['cdrscope-1w-simd', get(data, 'cdrscope-1w-simd')] : best;
  const n = get(data, 'native-cdrscope');
  const rows = [];
  const verdict = (ok) => (ok ? 'met' : '**missed**');
  if (best) {
    rows.push([`browser full analysis ≥ 400 MB/s (${best[0]})`, `${f1(best[1].mbPerS, 0)} MB/s`, verdict(best[1].mbPerS >= 400)]);
    rows.push([`renderer growth ≤ 200 MB (${page[0]})`, `${f1(page[1].growthRendererMiB * 1.048576, 0)} MB`, verdict(page[1].growthRendererMiB * 1.048576 <= 200)]);
  }
  if (n) rows.push(['native cdrscope report ≥ 800 MB/s', `${f1(n.mbPerS, 0)} MB/s`, verdict(n.mbPerS >= 800)]);
  for (const u of (data.interaction || []).filter((x) => x.summary.okRuns)) {
    const s = u.summary;
    rows.push([`first KPIs within 1 s of the drop (${u.key})`, `${f1(s.firstKpiMs / 1000, 2)} s`, verdict(s.firstKpiMs < 1000)]);
    rows.push([`filter change (egress gateway) < 150 ms (${u.key})`, `${f1(s.filterMs, 0)} ms`, verdict(s.filterMs < 150)]);
    rows.push([`drill-down < 150 ms (${u.key})`, `${f1(s.drillMs, 0)} ms (next page ${f1(s.drillPageMs, 0)} ms)`, verdict(Math.max(s.drillMs, s.drillPageMs) < 150)]);
    rows.push([`no main-thread task > 50 ms during a load (${u.key})`, `longest ${f1(s.loadLongestTaskMs, 0)} ms, ${f1(s.loadLongTasks, 0)} over 50 ms`, verdict(s.loadLongestTaskMs <= 50)]);
  }
  return rows;
}

/** The product page's interaction times (issue 7), one line per run set. */
function interactionLines(data) {
  return (data.interaction || []).map((u) => {
    const s = u.summary;
    if (!s.okRuns) return `${u.name}: FAILED (${u.runs.map((r) => r.error).filter(Boolean)[0] || '?'})`;
    return `${u.name} (median of ${s.okRuns}): first KPIs ${f1(s.firstKpiMs / 1000, 2)} s after the drop, analysis done after ${f1(s.loadMs / 1000, 2)} s; `
      + `egress-gateway filter ${f1(s.filterMs, 0)} ms; drill-down ${f1(s.drillMs, 0)} ms (rows listed and read back from the file), next page ${f1(s.drillPageMs, 0)} ms; `
      + `main-thread long tasks: longest ${f1(s.loadLongestTaskMs, 0)} ms during the load (${f1(s.loadLongTasks, 0)} over 50 ms), `
      + `${f1(s.filterLongestTaskMs, 0)} ms during the filter change, ${f1(s.drillLongestTaskMs, 0)} ms during the drill-down; ${s.checks.join(', ')}. `
      + 'Times are taken in the page (performance.now) up to the next frame after the answer is rendered.';
  });
}

// ---------- the plot ----------
// One colour per contestant (two shared one, and DuckDB's was close to the headline row's); the headline row,
// the page with one worker, is drawn thicker.
const COLORS = { 'io-ceiling': '#9e9e9e', cdrscope: '#1565c0', 'cdrscope-simd': '#00897b', 'cdrscope-2w': '#2e7d32', 'cdrscope-2w-simd': '#c62828',
  'cdrscope-1w-simd': '#6a1b9a', 'cdrscope-1w-simd-8m': '#b39ddb', 'papaparse-main-step': '#ef6c00',
  'duckdb-eh-gs': '#d81b60', 'native-cdrscope': '#0d47a1', 'native-cdrscope-jobs': '#42a5f5', 'native-baseline': '#616161', 'papaparse-worker-chunk': '#ffa726',
  'papaparse-main-chunk': '#ffcc80', 'duckdb-eh-2q': '#f48fb1' };
const HEADLINE = 'cdrscope-1w-simd';
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function plot(points) {
  // points: [{bytes, results}] sorted by size
  const series = new Map();
  for (const p of points) {
    for (const c of p.results) {
      if (!c.summary.okRuns) continue;
      if (!series.has(c.key)) series.set(c.key, { name: c.name, kind: c.kind, io: c.io, tp: [], mem: [] });
      const s = series.get(c.key);
      s.tp.push([p.bytes, c.summary.mbPerS]);
      s.mem.push([p.bytes, c.kind === 'browser' ? c.summary.growthRendererMiB : c.summary.maxRssMiB]);
    }
  }
  const W = 1100, panelW = 440, panelH = 330, top = 60, lefts = [80, 620];
  // The legend: two columns of 20 px rows under the panels.
  const H = top + panelH + 56 + Math.ceil(series.size / 2) * 20 + 10;
  const xs = points.map((p) => p.bytes);
  const xmin = Math.min(...xs) / 1.5, xmax = Math.max(...xs) * 1.5;
  const X = (left, b) => left + (Math.log(b) - Math.log(xmin)) / (Math.log(xmax) - Math.log(xmin)) * panelW;
  const niceMax = (v) => { const e = 10 ** Math.floor(Math.log10(v || 1)); return Math.ceil((v || 1) / e * 1.1) * e; };
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">cdrscope benchmark: VOS3000 e_cdr CSV, per-gateway and per-endreason aggregate (${esc(points.at(-1).date.slice(0, 10))})</text>`];
  const panels = [
    { title: 'throughput, MB/s (higher is better)', get: (s) => s.tp, left: lefts[0] },
    { title: 'memory, MiB: renderer growth (browser) / max RSS (native)', get: (s) => s.mem, left: lefts[1] },
  ];
  for (const pan of panels) {
    const ymax = niceMax(Math.max(1, ...[...series.values()].flatMap((s) => pan.get(s).map((q) => q[1]))));
    const Y = (v) => top + panelH - v / ymax * panelH;
    out.push(`<text x="${pan.left + panelW / 2}" y="${top - 12}" text-anchor="middle" font-weight="bold">${esc(pan.title)}</text>`);
    out.push(`<rect x="${pan.left}" y="${top}" width="${panelW}" height="${panelH}" fill="none" stroke="#333"/>`);
    for (let i = 0; i <= 5; i++) {
      const v = ymax * i / 5, y = Y(v);
      out.push(`<line x1="${pan.left}" x2="${pan.left + panelW}" y1="${y}" y2="${y}" stroke="#e0e0e0"/>`);
      out.push(`<text x="${pan.left - 6}" y="${y + 4}" text-anchor="end">${f1(v, v < 10 ? 1 : 0)}</text>`);
    }
    for (const b of xs) {
      const x = X(pan.left, b);
      out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + panelH}" stroke="#f0f0f0"/>`);
      const label = b >= 1e9 ? `${f1(b / 1e9, 1)} GB` : `${f1(b / 1e6, 0)} MB`;
      out.push(`<text x="${x}" y="${top + panelH + 16}" text-anchor="middle" font-size="11">${esc(label)}</text>`);
    }
    out.push(`<text x="${pan.left + panelW / 2}" y="${top + panelH + 34}" text-anchor="middle">file size (log scale)</text>`);
    for (const [key, s] of series) {
      const pts = pan.get(s);
      const color = COLORS[key] || '#000';
      const dash = s.kind === 'native' ? ' stroke-dasharray="6 4"' : s.io ? ' stroke-dasharray="2 3"' : '';
      const width = key === HEADLINE ? 3.5 : 2;
      if (pts.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="${width}"${dash} points="${pts.map(([b, v]) => `${f1(X(pan.left, b), 1)},${f1(Y(v), 1)}`).join(' ')}"/>`);
      for (const [b, v] of pts) out.push(`<circle cx="${f1(X(pan.left, b), 1)}" cy="${f1(Y(v), 1)}" r="3.5" fill="${color}"><title>${esc(s.name)}: ${f1(v)} at ${esc(mb(b))}</title></circle>`);
    }
  }
  let ly = top + panelH + 56, lx = lefts[0];
  for (const [key, s] of series) {
    const color = COLORS[key] || '#000';
    const dash = s.kind === 'native' ? ' stroke-dasharray="6 4"' : s.io ? ' stroke-dasharray="2 3"' : '';
    out.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="${key === HEADLINE ? 3.5 : 2}"${dash}/>`);
    out.push(`<text x="${lx + 32}" y="${ly}"${key === HEADLINE ? ' font-weight="bold"' : ''}>${esc(s.name)}</text>`);
    if (lx === lefts[0]) lx = lefts[1] - 80;
    else { lx = lefts[0]; ly += 20; }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function main() {
  const a = args(process.argv);
  const data = JSON.parse(fs.readFileSync(a.main, 'utf8'));
  const m = data.meta;
  const table = textTable(HEAD, mainRows(data));
  const rat = ratios(data);
  console.log(`\n${m.file}: ${mb(m.bytes)}, ${m.rows} rows, ${m.runsPerContestant} run(s) each; load ${m.loadavgStart} → ${m.loadavgEnd}, CPU busy ${m.cpuBusyBeforePct}% before start\n`);
  console.log(table);
  console.log('\n' + rat.join('\n'));
  const ui = interactionLines(data);
  if (ui.length) console.log('\n' + ui.join('\n'));
  const mismatch = [...data.results, ...(data.interaction || [])].some((c) => c.summary.checks.some((x) => x.startsWith('MISMATCH') || x.startsWith('SHORT')));

  const points = [data, ...a.sweep.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')))]
    .map((d) => ({ bytes: d.meta.bytes, rows: d.meta.rows, date: d.meta.date, results: d.results, meta: d.meta }));
  const bySize = new Map();
  for (const p of points) if (!bySize.has(p.bytes)) bySize.set(p.bytes, p);
  const sorted = [...bySize.values()].sort((x, y) => x.bytes - y.bytes);

  if (a.svg) { fs.mkdirSync(path.dirname(path.resolve(a.svg)), { recursive: true }); fs.writeFileSync(a.svg, plot(sorted)); }
  if (!a.md) return mismatch ? 3 : 0;

  const keys = [...new Set(sorted.flatMap((p) => p.results.map((c) => c.key)))];
  const names = Object.fromEntries(sorted.flatMap((p) => p.results.map((c) => [c.key, c.name])));
  const cell = (p, key, f) => { const c = p.results.find((r) => r.key === key); return c && c.summary.okRuns ? f(c) : '-'; };
  const sweepTp = sorted.map((p) => [`${mb(p.bytes)} (${rowsFmt(p.rows)} rows)`, ...keys.map((k) => cell(p, k, (c) => f1(c.summary.mbPerS, 0)))]);
  const sweepMem = sorted.map((p) => [`${mb(p.bytes)}`, ...keys.map((k) => cell(p, k, (c) => (c.kind === 'browser' ? `+${f1(c.summary.growthRendererMiB, 0)}` : `${f1(c.summary.maxRssMiB, 0)} RSS`)))]);
  const wasmRows = [];
  for (const p of sorted) {
    for (const c of p.results.filter((r) => r.kind === 'browser' && r.cdrscope && r.summary.okRuns)) {
      const mem = median(c.runs.filter((r) => r.ok && r.notes && Number.isFinite(r.notes.wasmMemoryAfterSummaryMiB)).map((r) => r.notes.wasmMemoryAfterSummaryMiB));
      if (!Number.isFinite(mem)) continue;
      wasmRows.push([mb(p.bytes), c.key, f1(mem, 0), f1(mem * 2 ** 20 / p.rows, 0), f1(c.summary.growthRendererMiB * 2 ** 20 / p.rows, 0)]);
    }
  }
  const loads = sorted.map((p) => `${mb(p.bytes)}: ${p.meta.runsPerContestant} run(s), load average ${p.meta.loadavgStart} at start → ${p.meta.loadavgEnd} at end, CPU ${p.meta.cpuBusyBeforePct}% busy in the 1.5 s before start`);
  const rel = a.svg && a.md ? path.relative(path.dirname(path.resolve(a.md)), path.resolve(a.svg)) : null;
  const md = [
    '# cdrscope benchmark results',
    '',
    `Regenerated by \`bench/run.sh ${m.rows}\` on ${m.date} (see [README.md](README.md) for the method). Task for every contestant: read the whole VOS3000 \`e_cdr\` CSV and compute per \`calleegatewayid\` attempts / answered (holdtime > 0) / sum(holdtime) and per \`endreason\` counts. cdrscope (browser and native) does its full analysis (every KPI, group, code count, findings and the call store) and the aggregate is read from its Summary. "agrees with reference" compares a checksum of each result with the aggregate the generator (\`bench/gen_cdr.py\`) computed while writing the file.`,
    '',
    '## Machine',
    '',
    `- cdrscope at commit ${m.commit || '9045874 (recorded by hand: this run predates the commit field)'}`,
    `- ${m.machine.cpus} CPUs (${m.machine.cpuModel}), ${m.machine.memGiB} GiB RAM, Linux ${m.machine.kernel}`,
    `- ${m.versions.chromium}, headless, fresh profile per run; Node ${m.versions.node}, playwright-core ${m.versions.playwrightCore}, PapaParse ${m.versions.papaparse}, @duckdb/duckdb-wasm ${m.versions.duckdbWasm}`,
    `- user agent: ${m.userAgent || '?'}`,
    sorted.every((p) => Number(p.meta.cpuBusyBeforePct) < 20)
      ? '- **Load:** the CPUs were idle before every start (busy % below; the load average counts the benchmark\'s own browser and builds just before). Absolute numbers still depend on the VM: compare the rows of one table, they ran in the same minutes.'
      : '- **Load:** this machine was busy with other work while it ran (busy % below), so absolute numbers are pessimistic and noisy; compare the rows of one table: they ran in the same minutes.',
    ...loads.map((l) => `  - ${l}`),
    ...(a.note ? ['', a.note] : []),
    '',
    `## ${mb(m.bytes)}, ${m.rows.toLocaleString('en')} rows`,
    '',
    'MB = 10^6 bytes; peak MiB: browser rows = peak VmRSS of the renderer process (the page and its workers) with its idle value after the page loaded and the file was attached; native rows = max RSS from `/usr/bin/time -v`. Renderer growth = peak − idle.',
    '',
    mdTable(HEAD, mainRows(data)),
    '',
    ...rat.map((x) => `- ${x}`),
    '',
    '### Where cdrscope spends its time and memory',
    '',
    ...profile(data).map((x) => `- ${x}`),
    '',
    ...(data.interaction && data.interaction.length ? ['### The page: drop, filter, drill-down', '', ...interactionLines(data).map((x) => `- ${x}`), ''] : []),
    '### Targets of issue 7',
    '',
    ...(m.rows >= 1000000 ? [mdTable(['target', 'measured', ''], targets(data))]
      : [`(The targets are defined on the 1,000,000-row, 424 MB file; at ${m.rows.toLocaleString('en')} rows start-up dominates, so they are not judged here.)`]),
    '',
    'Why the missed targets are missed, the profiles, and what meeting them would take: [PROFILE.md](PROFILE.md) (written by hand next to the run it cites).',
    '',
    '## Throughput and memory against file size',
    '',
    ...(rel ? [`![throughput and memory vs file size](${rel})`, ''] : []),
    'MB/s (median of the runs at that size):',
    '',
    mdTable(['file', ...keys.map((k) => names[k])], sweepTp),
    '',
    'Memory (browser: renderer growth, MiB; native: max RSS, MiB):',
    '',
    mdTable(['file', ...keys.map((k) => names[k])], sweepMem),
    '',
    ...(wasmRows.length ? ['cdrscope in the browser: wasm linear memory when done (it never shrinks; wasm32 caps it at 4 GiB) and the renderer growth, per stored call:', '',
      mdTable(['file', 'build', 'wasm memory MiB', 'bytes per call (wasm)', 'bytes per call (renderer growth)'], wasmRows), ''] : []),
  ].join('\n');
  fs.writeFileSync(a.md, md);
  console.error(`wrote ${a.md}${a.svg ? ' and ' + a.svg : ''}`);
  return mismatch ? 3 : 0;
}

process.exitCode = main();
