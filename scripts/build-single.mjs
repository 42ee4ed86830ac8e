// Builds dist/cdrscope.html: the whole page in one file that works from file:// (no server).
// Input: Trunk's release output in dist/. The wasm is inlined deflated (zopfli) + base 85 and compiled once on the
// main thread; the worker is a classic Worker from a Blob URL (module workers from blob: fail on
// file://) that receives the compiled module by postMessage. Usage: node scripts/build-single.mjs
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { deflate as zopfli } from '@gfx/zopfli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const read = (f) => fs.readFileSync(path.join(dist, f), 'utf8');

function replaceOnce(text, from, to, what) {
  if (!text.includes(from)) throw new Error(`build-single: ${what} not found (did the generated code change?)`);
  return text.replace(from, () => to);
}

/** The wasm-bindgen glue without ES module syntax, so it runs as a classic script body. */
function classic(glue) {
  let g = glue.replace(/^export (class|function) /gm, '$1 ');
  g = replaceOnce(g, 'export { initSync, __wbg_init as default };', '', 'the glue export list');
  return g.replace(/import\.meta\.url/g, 'self.location.href');
}

const glue = classic(read('cdrscope.js'));
let worker = fs.readFileSync(path.join(root, 'www/worker.js'), 'utf8');
worker = replaceOnce(worker, "import init, { WebHandle, PartReader, SplitPlan } from './cdrscope.js';", '', 'the worker import');
worker = replaceOnce(worker, 'const ready = init();',
  'let readyResolve;\nconst ready = new Promise((r) => { readyResolve = r; });', 'the worker init');
worker = replaceOnce(worker, "  if (m.type === 'cancel')",
  "  if (m.type === 'init') { cdrModule = m.module; cdrSource = m.source; initSync({ module: m.module }); readyResolve(); return; }\n  if (m.type === 'cancel')",
  'the worker message switch');
// The part workers of a large file: the same source, classic, given the same compiled module. On file://
// a worker cannot start from the page's Blob URL (opaque origin), so it makes its own from the source.
worker = replaceOnce(worker, "function spawnPart() { return new Worker(self.location.href, { type: 'module' }); }",
  `let cdrModule = null, cdrSource = '', cdrPartUrl = null;
function spawnPart() {
  cdrPartUrl = cdrPartUrl || URL.createObjectURL(new Blob([cdrSource], { type: 'text/javascript' }));
  const w = new Worker(cdrPartUrl);
  w.postMessage({ type: 'init', module: cdrModule, source: cdrSource });
  return w;
}`,
  'the part worker factory');
// Minified as classic scripts (top-level names kept: the worker and the boot code call them): the
// glue is inlined twice (page and worker source), so this is most of the JavaScript's weight.
async function small(code, what) {
  const out = await minify(code, { module: false, toplevel: false, compress: true, mangle: true });
  if (!out.code) throw new Error(`build-single: terser gave nothing for ${what}`);
  return out.code;
}
const glueSmall = await small(glue, 'the glue');
const workerSource = `${glueSmall}\n${await small(worker, 'the worker')}`;

// Deflated, then written in base 85 (5 characters per 4 bytes, against base64's 4 per 3: about 90 KB less
// at today's size) with an alphabet of printable ASCII that needs no escaping in a JavaScript string and
// can never form `</script` (no quote, backslash, backtick, dollar, <, >, & or ~). The page decodes it
// and inflates it with DecompressionStream (Chromium, Firefox).
const B85 = [...Array(94)].map((_, i) => String.fromCharCode(33 + i)).filter((c) => !'"$&\'<>\\`~'.includes(c)).join('');
if (B85.length !== 85) throw new Error('build-single: the base-85 alphabet is not 85 characters');
function base85(bytes) {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const out = [];
  for (let o = 0; o < padded.length; o += 4) {
    let v = view.getUint32(o);
    const group = new Array(5);
    for (let j = 4; j >= 0; j -= 1) { group[j] = B85[v % 85]; v = Math.floor(v / 85); }
    out.push(group.join(''));
  }
  return out.join('');
}
// Zopfli writes the same raw deflate stream the browser's DecompressionStream('deflate-raw') reads,
// about 4 % smaller than zlib's level 9 (51 KB on the 2.8 MB wasm) for a few seconds of build time;
// checked by inflating it back here.
const wasmBytes = fs.readFileSync(path.join(dist, 'cdrscope_bg.wasm'));
const deflated = await new Promise((resolve, reject) =>
  zopfli(wasmBytes, { numiterations: 5 }, (err, out) => (err ? reject(err) : resolve(Buffer.from(out)))));
if (!zlib.inflateRawSync(deflated).equals(wasmBytes)) throw new Error('zopfli output does not inflate to the wasm');
const wasm = base85(deflated);
const main = `${glueSmall}
const cdrWorkerSource = ${JSON.stringify(workerSource)};
const cdrWorkerUrl = URL.createObjectURL(new Blob([cdrWorkerSource], { type: 'text/javascript' }));
const cdrAlphabet = ${JSON.stringify(B85)};
const cdrDigit = new Uint8Array(128);
for (let i = 0; i < 85; i += 1) cdrDigit[cdrAlphabet.charCodeAt(i)] = i;
const cdrText = "${wasm}";
const cdrBytes = new Uint8Array(cdrText.length / 5 * 4);
for (let i = 0, o = 0; i < cdrText.length; i += 5, o += 4) {
  let v = 0;
  for (let j = 0; j < 5; j += 1) v = v * 85 + cdrDigit[cdrText.charCodeAt(i + j)];
  cdrBytes[o] = v >>> 24; cdrBytes[o + 1] = (v >>> 16) & 255; cdrBytes[o + 2] = (v >>> 8) & 255; cdrBytes[o + 3] = v & 255;
}
const cdrInflated = new Blob([cdrBytes.subarray(0, ${deflated.length})]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
const cdrModule = await WebAssembly.compile(await new Response(cdrInflated).arrayBuffer());
window.cdrscopeWorkerFactory = () => { const w = new Worker(cdrWorkerUrl); w.postMessage({ type: 'init', module: cdrModule, source: cdrWorkerSource }); return w; };
document.getElementById('btn-demo').hidden = true;
initSync({ module: cdrModule });
`;
if (/<\/script/i.test(main)) throw new Error('build-single: the inlined code contains </script');
const hash = crypto.createHash('sha256').update(main).digest('base64');
const csp = `default-src 'none'; script-src 'sha256-${hash}' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; worker-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'`;

let html = read('index.html');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
html = html.replace(/<link rel="stylesheet"[^>]*>/, () => `<style>\n${read('style.css')}\n</style>`);
html = html.replace(/<link data-trunk[^>]*>\s*/g, '');
// The service worker, manifest and embedding bridge are for the served build (no SW on file://).
html = html.replace(/<(link|script)\b[^>]*\bdata-served-only\b[^>]*>(\s*<\/script>)?\s*/g, '');
html = replaceOnce(html, '<script type="module" src="./boot.js"></script>', `<script type="module">${main}</script>`, 'the boot script');
const out = path.join(dist, 'cdrscope.html');
fs.writeFileSync(out, html);
const size = fs.statSync(out).size;
console.log(`dist/cdrscope.html: ${(size / 1048576).toFixed(2)} MB (budget 1.5 MB)`);
if (size > 1.5 * 1048576) { console.error('over the 1.5 MB budget'); process.exit(1); }
