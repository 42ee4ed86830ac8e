#!/usr/bin/env node
// Assembles the product page (index.html, style.css, boot.js, www/worker.js) around one of the bench's
// wasm builds, so the page's own worker design (two workers on a large file) and its interaction
// times are measured with the same wasm as the `cdrscope` rows, without Trunk.
//
//   node bench/make-page.mjs out/web-simd out/page-web-simd
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const [from, to] = process.argv.slice(2).map((p) => path.resolve(BENCH, p));
if (!from || !to) throw new Error('usage: make-page.mjs <wasm-bindgen out dir> <page dir>');
fs.rmSync(to, { recursive: true, force: true });
fs.mkdirSync(to, { recursive: true });
for (const f of ['cdrscope.js', 'cdrscope_bg.wasm']) fs.copyFileSync(path.join(from, f), path.join(to, f));
for (const f of ['style.css', 'boot.js', 'worker.js']) fs.copyFileSync(path.join(ROOT, 'www', f), path.join(to, f));
let html = fs.readFileSync(path.join(ROOT, 'index.html'), 'utf8');
html = html.replace(/<link data-trunk rel="css" href="www\/style.css">/, '<link rel="stylesheet" href="style.css">');
html = html.replace(/<link data-trunk[^>]*>\s*/g, '');
// No service worker, manifest or embedding bridge: nothing but the page itself is measured.
html = html.replace(/<(link|script)\b[^>]*\bdata-served-only\b[^>]*>(\s*<\/script>)?\s*/g, '');
fs.writeFileSync(path.join(to, 'index.html'), html);
console.error(`[bench] page assembled in ${path.relative(BENCH, to)}`);
