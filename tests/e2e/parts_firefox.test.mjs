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

/** Loads `what` (the big file unless given) in `url`; returns the summary and the `parts` stats of
 *  the worker's `done` message. `split` is `window.cdrscopeSplit` (true: two parts; N: N parts),
 *  `splitMin` `window.cdrscopeSplitMin`. */
async function load(url, { split = true, splitMin, what = file } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.evaluateOnNewDocument((split, splitMin) => {
    window.cdrscopeSplit = split; // forced: a two-core machine reads with one worker
    if (splitMin) window.cdrscopeSplitMin = splitMin;
    window.__parts = [];
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(u, o) {
        super(u, o);
        this.addEventListener('message', (e) => { if (e.data && e.data.type === 'done') window.__parts.push(e.data.parts); });
      }
    };
  }, split, splitMin);
  await page.goto(url);
  await page.waitForFunction(() => window.cdrscope && document.getElementById('drop-zone').dataset.ready === 'true', { timeout: 60000 });
  await (await page.$('#file-input')).uploadFile(what);
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

/** The numbers that must not move with the number of parts, exact. */
const kpis = (s) => ({ attempts: s.overall.attempts, answered: s.overall.answered, data: s.rows.data,
  accepted: s.rows.accepted, rejected: s.rows.rejected, rejects_total: s.rejects_total,
  gateways: s.by_egress_gateway.map((g) => [g.name, g.attempts, g.answered]) });

test('Firefox: 2, 3 and 4 parts of a 6.8 MB file (threshold lowered) equal the one-worker read, exactly', { skip: SKIP }, async () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'vos3000_cdr_en.csv'), 'utf8');
  const nl = text.indexOf('\n');
  const small = path.join(dir, 'six.csv');
  fs.writeFileSync(small, text.slice(0, nl + 1) + text.slice(nl + 1).repeat(8));
  const one = await load(server.url, { split: false, what: small });
  assert.equal(one.parts[0].split, false);
  assert.deepEqual(comparable(one.summary), comparable(cliReport(small)));
  for (const [n, url] of [[2, server.url], [3, server.url], [4, server.url], [3, `file://${path.join(DIST, 'cdrscope.html')}`]]) {
    const { summary, parts, errors } = await load(url, { split: n, splitMin: 1 << 20, what: small });
    assert.equal(parts[0].parts, n, `${url}: ${JSON.stringify(parts[0])}`);
    assert.equal(parts[0].fallback, false, JSON.stringify(parts[0]));
    assert.deepEqual(kpis(summary), kpis(one.summary), `${n} parts, ${url}`);
    assert.deepEqual(comparable(summary), comparable(one.summary), `${n} parts, ${url}`);
    assert.deepEqual(errors, []);
  }
  // A quoted field with a newline across the first cut of three: the first worker reads on alone.
  const probe = await load(server.url, { split: 3, splitMin: 1 << 20, what: small });
  const bytes = fs.readFileSync(small);
  const cut = probe.parts[0].cuts[1];
  const rowStart = bytes.lastIndexOf(10, cut - 2) + 1;
  const row = bytes.subarray(rowStart, cut).toString('latin1');
  assert.ok(row.includes(',softswitch,'), row);
  const quoted = path.join(dir, 'quoted.csv');
  fs.writeFileSync(quoted, Buffer.concat([bytes.subarray(0, rowStart),
    Buffer.from(row.replace(',softswitch,', `,"soft${'x'.repeat(20000)}\nswitch",`), 'latin1'), bytes.subarray(cut)]));
  const alone = await load(server.url, { split: false, what: quoted });
  const { summary, parts, errors } = await load(server.url, { split: 3, splitMin: 1 << 20, what: quoted });
  assert.equal(parts[0].fallback, true, JSON.stringify(parts[0]));
  assert.equal(parts[0].reason, 'a quoted field spans the cut');
  assert.deepEqual(kpis(summary), kpis(alone.summary));
  assert.deepEqual(comparable(summary), comparable(alone.summary));
  assert.deepEqual(errors, []);
});
