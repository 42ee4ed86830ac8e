// The Content-Security-Policy of both builds: strict (no third-party origins, no eval, no inline script
// but the single file's own, pinned by its hash), and no violation while the page loads, analyses and
// exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { launch, dropFiles, waitLoaded, kpis, DIST, FIXTURES } from './helpers.mjs';
import { serveDir, recordCspViolations, exportAll, cspOf } from './offline-helpers.mjs';

const SERVED_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
  + "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Directive name → sources. */
function parse(csp) {
  return Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
}

/** Rules both builds keep: nothing from anywhere else, no eval, wasm compiled without it. */
function assertStrict(csp, what) {
  assert.doesNotMatch(csp, /'unsafe-eval'/, `${what}: no unsafe-eval`);
  assert.doesNotMatch(csp, /https?:|\*|wss?:/, `${what}: no other origins or wildcards`);
  const d = parse(csp);
  assert.ok(d['script-src'].includes("'wasm-unsafe-eval'"), `${what}: wasm-unsafe-eval`);
  assert.ok(!d['script-src'].includes("'unsafe-inline'"), `${what}: no unsafe-inline scripts`);
  assert.deepEqual(d['object-src'], ["'none'"]);
  assert.deepEqual(d['base-uri'], ["'none'"]);
  assert.deepEqual(d['form-action'], ["'none'"]);
  return d;
}

test('CSP: the served build (dist/index.html) carries the strict policy', () => {
  const csp = cspOf(fs.readFileSync(path.join(DIST, 'index.html'), 'utf8'));
  assert.equal(csp, SERVED_CSP);
  assertStrict(csp, 'index.html');
});

test('CSP: the single file allows exactly its own inline module by hash, nothing else', () => {
  const html = fs.readFileSync(path.join(DIST, 'cdrscope.html'), 'utf8');
  const d = assertStrict(cspOf(html), 'cdrscope.html');
  assert.deepEqual(d['default-src'], ["'none'"]);
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1, 'one script');
  assert.doesNotMatch(scripts[0][1], /src=/, 'inline');
  const hash = crypto.createHash('sha256').update(scripts[0][2]).digest('base64');
  assert.deepEqual(d['script-src'], [`'sha256-${hash}'`, "'wasm-unsafe-eval'"]);
  assert.deepEqual(d['worker-src'], ['blob:']);
  assert.equal(d['connect-src'], undefined, "connect-src falls back to default-src 'none'");
  assert.doesNotMatch(html, /<link\b[^>]*\b(href|src)="(?!data:)/, 'no linked files');
});

async function runDashboard(page) {
  await dropFiles(page, [path.join(FIXTURES, 'vos3000_cdr_en.csv')]);
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  await page.selectOption('#filter-egress', 'GW_SG_CHEAP');
  await page.waitForSelector('#dashboard[data-state="done"]');
  assert.equal((await kpis(page)).attempts, 471);
  const out = await exportAll(page);
  assert.equal(out.json.overall.attempts, 471);
  assert.match(out.svg, /^<svg/);
  assert.equal(out.png.subarray(1, 4).toString(), 'PNG');
  await page.fill('#ref-search', '503');
  await page.waitForSelector('#reference .ref-card[data-code="503"]');
}

/** The recorder works and the policy holds: a fetch to another origin is refused and reported. */
async function assertForeignFetchRefused(page) {
  const failed = await page.evaluate(() => fetch('https://example.invalid/x').then(() => false, () => true));
  assert.ok(failed);
  await page.waitForFunction(() => window.__csp.length > 0);
  assert.match((await page.evaluate(() => window.__csp))[0], /^connect-src blocked https:\/\/example\.invalid\/x/);
}

function cspConsole(page, sink) {
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) sink.push(m.text()); });
}

test('CSP: no violation on the served page during load, demo, drop, filter, exports, reference', async () => {
  const server = await serveDir();
  const { context, close } = await launch();
  try {
    await recordCspViolations(context);
    const page = await context.newPage();
    const logged = [];
    cspConsole(page, logged);
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    await page.click('#btn-demo');
    await waitLoaded(page);
    await runDashboard(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(logged, []);
    await assertForeignFetchRefused(page);
  } finally {
    await close();
    await server.close();
  }
});

test('CSP: no violation in dist/cdrscope.html over file:// during load, drop, filter, exports, reference', async () => {
  const { context, close } = await launch();
  try {
    await recordCspViolations(context);
    const page = await context.newPage();
    const logged = [];
    cspConsole(page, logged);
    await page.goto(`file://${path.join(DIST, 'cdrscope.html')}`);
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    await runDashboard(page);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(logged, []);
    await assertForeignFetchRefused(page);
  } finally {
    await close();
  }
});
