// Shared helpers of the browser tests: a static server for dist/, Chromium via playwright-core,
// the CLI's JSON for comparison, and dropping files on the page.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'tests/fixtures');
export const SHOTS = path.join(ROOT, 'tests/e2e/screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.csv': 'text/csv', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** Serves dist/ on a free port of 127.0.0.1; resolves to { url, close, requests }. */
export async function serveDist() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ missing: run `trunk build --release` first');
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(DIST, rel === '/' ? 'index.html' : rel);
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, requests, close: () => new Promise((r) => server.close(r)) };
}

/** Launches Debian's Chromium headless with a fresh profile. */
export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 720 },
    timezoneId: 'UTC',
    locale: 'en-US',
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const close = async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); };
  return { context, close };
}

/** A new tab on the served page, ready for drops, collecting page errors and console errors. */
export async function freshPage(browser, url) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.cdrscope && document.getElementById('drop-zone').dataset.ready === 'true');
  return { page, errors };
}

/** Opens the page and collects console errors and page errors. */
export async function openPage(context, url) {
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.cdrscope && typeof window.cdrscope.load === 'function', null, { timeout: 20000 });
  return { page, errors };
}

/** The CLI's summary of a fixture (`cdrscope report --json`), or { unsupported: message }. */
export function cliReport(file) {
  const bin = path.join(ROOT, 'target/release/cdrscope');
  try {
    return JSON.parse(execFileSync(bin, ['report', '--json', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    return { unsupported: String(e.stderr || e.message).trim() };
  }
}

/** Drops files on the page's drop zone the way a browser does (dragenter, dragover, drop). */
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }));
  const dt = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], it.name, { type: 'text/csv' }));
    }
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('#drop-zone', type, { dataTransfer: dt });
}

/** Waits until the dashboard shows a finished analysis. */
export async function waitLoaded(page) {
  await page.waitForSelector('#dashboard:not([hidden])[data-state="done"]', { timeout: 30000 });
}

/** The KPI tiles as { name: number }. */
export async function kpis(page) {
  return page.$$eval('[data-kpi]', (els) => Object.fromEntries(els.map((e) => [e.dataset.kpi, e.dataset.value === '' ? null : Number(e.dataset.value)])));
}

export function screenshotPath(name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, name);
}
