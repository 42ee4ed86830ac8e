// A/B of wasm builds in Node, for changes too small for the browser table: each round pushes the same file
// through every build in turn, then times the summaries. Rounds interleave the builds, so a slow stretch of
// the machine hits all of them (bench/PROFILE.md, "This VM's speed changes").
//
//   node bench/ab.mjs FILE ROUNDS DIR [DIR …]
//
// DIR is a wasm-bindgen `--target web` output folder (cdrscope.js + cdrscope_bg.wasm), e.g. bench/out/web-simd,
// or a copy of it built from another commit. Prints, per build, the min and median of: push + finish_file (ms),
// the full summary, the summary without findings, and the summary without groups and findings; and whether
// every build gave the same summary JSON. Also `finish` (finish_file alone; near 0 when the handle defers
// marking failover chains and fees to the first summary, which `full` then includes) and,
// with PARTIAL=N in the environment, `partials`: the summed time of a summary without groups and findings after
// every N MB pushed (what the page shows while reading), inside `load`; their JSON must agree too.
import fs from 'node:fs';
import path from 'node:path';

const [file, rounds, ...dirs] = process.argv.slice(2);
if (!file || !(+rounds > 0) || dirs.length === 0) {
  console.error('usage: node bench/ab.mjs FILE ROUNDS DIR [DIR …]');
  process.exit(2);
}
const size = fs.statSync(file).size;
const fd = fs.openSync(file, 'r');
// 1 MB pieces, as the page pushes them; read once, outside the timed part.
const pieces = [];
for (let pos = 0; pos < size; pos += 1 << 20) {
  const b = new Uint8Array(Math.min(1 << 20, size - pos));
  fs.readSync(fd, b, 0, b.length, pos);
  pieces.push(b);
}
const builds = [];
for (const d of dirs) {
  const m = await import(path.resolve(d, 'cdrscope.js'));
  m.initSync({ module: new WebAssembly.Module(fs.readFileSync(path.resolve(d, 'cdrscope_bg.wasm'))) });
  builds.push(m);
}
const KINDS = { full: undefined, 'no findings': { findings: false }, 'no groups': { findings: false, groups: false } };
const partialEvery = +(process.env.PARTIAL || 0);
const times = dirs.map(() => ({ load: [], finish: [], ...(partialEvery ? { partials: [] } : {}), full: [], 'no findings': [], 'no groups': [] }));
const json = dirs.map(() => null);
const partialJson = dirs.map(() => null);
for (let r = 0; r < +rounds; r++) {
  for (let k = 0; k < builds.length; k++) {
    const h = new builds[k].WebHandle();
    const t0 = performance.now();
    h.start_file(path.basename(file), size, undefined);
    let partials = 0;
    let partial = '';
    for (let i = 0; i < pieces.length; i++) {
      h.push(pieces[i]);
      if (partialEvery && (i + 1) % partialEvery === 0) {
        const t = performance.now();
        partial += h.summary_json(undefined, KINDS['no groups']);
        partials += performance.now() - t;
      }
    }
    const tf = performance.now();
    h.finish_file();
    times[k].finish.push(performance.now() - tf);
    times[k].load.push(performance.now() - t0);
    if (partialEvery) { times[k].partials.push(partials); partialJson[k] = partial; }
    for (const [kind, opts] of Object.entries(KINDS)) {
      const t = performance.now();
      const s = h.summary_json(undefined, opts);
      times[k][kind].push(performance.now() - t);
      if (kind === 'full') json[k] = s;
    }
    h.free();
  }
}
const stat = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return `${s[0].toFixed(0).padStart(6)} ${s[s.length >> 1].toFixed(0).padStart(6)}`;
};
console.log(`${'build'.padEnd(32)} ${Object.keys(times[0]).map((k) => `${k} min/median ms`.padStart(28)).join('')}`);
for (let k = 0; k < dirs.length; k++) {
  console.log(`${dirs[k].padEnd(32)} ${Object.values(times[k]).map((v) => stat(v).padStart(28)).join('')}`);
}
console.log(`same summary JSON from every build: ${json.every((j) => j === json[0])}`);
if (partialEvery) console.log(`same partial summaries from every build: ${partialJson.every((j) => j === partialJson[0])}`);
