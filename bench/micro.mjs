// The ingest micro-benchmark (benches/micro.rs) natively and in wasm, on the same file, and
// the wasm/native ratio per stage.
//
//   node bench/micro.mjs FILE [ROUNDS] [ALTERNATIONS]
//
// Builds `cargo bench --bench micro` natively and the same file for wasm32-unknown-unknown
// with simd128 (the page's build) into target/wasm-micro, then runs native and wasm in turn
// ALTERNATIONS times (default 2), each ROUNDS rounds (default 5), and prints the best ns/row
// of each stage and the ratio. Prebuilt binaries: NATIVE=path WASM=path (no build then).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [file, roundsArg, altArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/micro.mjs FILE [ROUNDS] [ALTERNATIONS]');
  process.exit(2);
}
const rounds = Number(roundsArg || 5);
const alternations = Number(altArg || 2);

// The artifact of a `cargo … --message-format=json` build whose file name ends with `ext`.
function cargoArtifact(args, env, want) {
  const out = execFileSync('cargo', [...args, '--message-format=json'], {
    cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28,
  }).toString();
  let found = null;
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line);
    if (m.reason !== 'compiler-artifact' || m.target?.name !== 'micro') continue;
    const f = m.executable || (m.filenames || []).find((n) => n.endsWith(want));
    if (f) found = f;
  }
  if (!found) throw new Error(`no micro artifact from cargo ${args.join(' ')}`);
  return found;
}

const native = process.env.NATIVE
  || cargoArtifact(['bench', '--bench', 'micro', '--no-run'], {}, '');
const wasmPath = process.env.WASM
  || cargoArtifact(['build', '--release', '--bench', 'micro', '--target', 'wasm32-unknown-unknown',
    '--no-default-features', '--target-dir', 'target/wasm-micro'],
  { RUSTFLAGS: '-C target-feature=+simd128' }, '.wasm');

function parse(text) {
  const r = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^(\S+) ([\d.]+) ns\/row/);
    if (m) r[m[1]] = Number(m[2]);
    const c = line.match(/^check (\d+)/);
    if (c) r.check = c[1];
    const h = line.match(/^rows (\d+) calls (\d+)/);
    if (h) r.calls = Number(h[2]);
  }
  return r;
}

function runNative() {
  return parse(execFileSync(native, [file, String(rounds)], { maxBuffer: 1 << 24 }).toString());
}

const module = await WebAssembly.compile(readFileSync(wasmPath));
async function runWasm() {
  const lines = [];
  let memory;
  const env = {
    // CPU time, as the native build measures (see benches/micro.rs).
    now_ms: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; },
    print: (p, n) => lines.push(Buffer.from(memory.buffer, p, n).toString()),
  };
  // Anything else the linked library imports (wasm-bindgen glue the benchmark never calls).
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.module === 'env' && env[imp.name]) imports.env[imp.name] = env[imp.name];
    else if (imp.kind === 'function') imports[imp.module][imp.name] = () => { throw new Error(`${imp.module}.${imp.name} called`); };
  }
  const inst = await WebAssembly.instantiate(module, imports);
  memory = inst.exports.memory;
  const data = readFileSync(file);
  const ptr = inst.exports.bench_alloc(data.length);
  new Uint8Array(memory.buffer, ptr, data.length).set(data);
  inst.exports.bench_run(ptr, data.length, rounds);
  return parse(lines.join('\n'));
}

const best = { native: {}, wasm: {} };
const checks = new Set();
for (let i = 0; i < alternations; i++) {
  for (const [name, run] of [['native', runNative], ['wasm', runWasm]]) {
    const r = await run();
    checks.add(r.check);
    for (const [k, v] of Object.entries(r)) {
      if (typeof v === 'number' && k !== 'calls') best[name][k] = Math.min(best[name][k] ?? Infinity, v);
    }
  }
}
console.log(`file ${file}, best of ${alternations} × ${rounds} rounds; ns per call`);
console.log('stage              native     wasm   wasm/native');
for (const k of Object.keys({ ...best.native, ...best.wasm })) {
  const n = best.native[k] ?? NaN; const w = best.wasm[k] ?? NaN;
  console.log(`${k.padEnd(17)} ${n.toFixed(1).padStart(7)} ${w.toFixed(1).padStart(8)}   ${(w / n).toFixed(2)}×`);
}
if (checks.size !== 1) {
  console.error(`native and wasm disagree (check values ${[...checks].join(', ')})`);
  process.exit(1);
}
