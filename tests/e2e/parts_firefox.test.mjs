// The two-worker read of a large file in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi): the
// served build (nested module worker) and the single file from file:// (nested classic worker from a Blob
// URL the first worker makes itself) both split the file, and the summary equals the CLI's. Skips when
// /usr/bin/firefox-esr is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, cliReport, DIST, FIXTURES } from './helpers.mjs';

const FIREFOX = '/usr/bin/firefox-esr';
const SKIP = fs.existsSync(FIREFOX) ? false : `${FIREFOX} is absent`;
let dir; let file; let cli; let server; let browser;

before(async () => {
  if (SKIP) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-parts-ff-'));
  // The English fixture's rows 48 times under one header: 40.6 MB, above the 32 MB split threshold.
  const text = fs.readFileSync(path.join(FIXTURES, 'vos3000_cdr_en.csv'), 'utf8');
  const nl = text.indexOf('\n');
  file = path.join(dir, 'big40.csv');
  fs.writeFileSync(file, text.slice(0, nl + 1) + text.slice(nl + 1).repeat(48));
  cli = cliReport(file);
  server = await serveDist();
  const { default: puppeteer } = await import('puppeteer-core');
  browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true, userDataDir: path.join(dir, 'profile'),
    // file:// keeps Firefox's unique-origin policy; anything but 127.0.0.1 goes to a dead proxy.
    extraPrefsFirefox: { 'security.fileuri.strict_origin_policy': true, 'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1', 'network.proxy.http_port': 9, 'network.proxy.share_proxy_settings': true,
      'network.proxy.no_proxies_on': 'localhost, 127.0.0.1' },
    env: { ...process.env, TZ: 'UTC', MOZ_CRASHREPORTER_DISABLE: '1' },
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Loads the big file in `url`; returns the summary and the `parts` stats of the worker's `done` message. */
async function load(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.evaluateOnNewDocument(() => {
    window.cdrscopeSplit = true; // forced: a two-core machine reads with one worker
    window.__parts = [];
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(u, o) {
        super(u, o);
        this.addEventListener('message', (e) => { if (e.data && e.data.type === 'done') window.__parts.push(e.data.parts); });
      }
    };
  });
  await page.goto(url);
  await page.waitForFunction(() => window.cdrscope && document.getElementById('drop-zone').dataset.ready === 'true', { timeout: 60000 });
  await (await page.$('#file-input')).uploadFile(file);
  await page.waitForSelector('#dashboard:not([hidden])[data-state="done"]', { timeout: 180000 });
  const summary = await page.evaluate(() => window.cdrscope.summary());
  const parts = await page.evaluate(() => window.__parts);
  await page.close();
  return { summary, parts, errors };
}

const comparable = (s) => ({ overall: s.overall, by_code: s.by_code, by_egress_gateway: s.by_egress_gateway, rows: s.rows, rejects_total: s.rejects_total });

for (const [name, url] of [['served build', () => server.url], ['single file from file://', () => `file://${path.join(DIST, 'cdrscope.html')}`]]) {
  test(`Firefox, ${name}: a 40 MB file is read by two workers, same summary as the CLI`, { skip: SKIP }, async () => {
    const { summary, parts, errors } = await load(url());
    assert.equal(parts.length, 1);
    assert.equal(parts[0].split, true, JSON.stringify(parts[0]));
    assert.equal(parts[0].fallback, false, JSON.stringify(parts[0]));
    assert.equal(summary.rows.accepted, 96000);
    assert.deepEqual(comparable(summary), comparable(cli));
    assert.deepEqual(errors, []);
  });
}
