// Issue 15's settings panel and issue 17's honest states, in Chromium and Firefox ESR: health
// thresholds, home country, short-number length and prefix list applied at once, kept across
// visits and equal to the CLI's --health/--country/--prefixes; one error card for a load with no
// call; a visible banner after Cancel; the code reference and the drop box before any file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, ROOT, FIXTURES } from './helpers.mjs';
import { launchBrowser, openReady, loadText, setValue, waitUntil, FIREFOX } from './page-driver.mjs';

const DEMO = path.join(ROOT, 'www/demo_vos3000_cdr.csv');
const b64 = (f) => fs.readFileSync(f).toString('base64');
const bad = (n) => path.join(FIXTURES, 'bad', n);
const FIELDS = ['ok_200.healthy', 'ok_200.degraded', 'sip_4xx.healthy', 'sip_4xx.degraded', 'sip_5xx.healthy',
  'sip_5xx.degraded', 'busy_486.healthy', 'busy_486.degraded', 'country', 'short_digits', 'prefixes'];

/** The CLI's summary of the demo with extra flags. */
function cli(...flags) {
  const bin = path.join(ROOT, 'target/release/cdrscope');
  return JSON.parse(execFileSync(bin, ['report', '--json', ...flags, DEMO], { encoding: 'utf8' }));
}
const verdicts = (s) => s.by_egress_gateway.map((g) => [g.name, g.health.verdict, g.health.deciding]);
const destinations = (s) => s.by_destination.map((d) => [d.name, d.label, d.attempts]);
const formValues = (page) => page.evaluate((fields) => fields.map((f) => document.getElementById(`set-${f}`).value), FIELDS);
const summary = (page) => page.evaluate(() => window.cdrscope.summary());
const visible = (page, sel) => page.evaluate((s) => { const e = document.querySelector(s); return !!e && !e.closest('[hidden]'); }, sel);
const text = (page, sel) => page.evaluate((s) => document.querySelector(s).textContent, sel);

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: the settings panel applies thresholds, country and prefixes at once, as the CLI does, and keeps them`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      // The defaults: the VOS3000 guideline, no country, 6 digits, no prefixes.
      assert.deepEqual(await formValues(page), ['70', '50', '15', '30', '10', '20', '10', '20', '', '6', '']);
      assert.deepEqual(JSON.parse(await text(page, '#settings-health-json')), {
        ok_200: { healthy: 0.7, degraded: 0.5 }, sip_4xx: { healthy: 0.15, degraded: 0.3 },
        sip_5xx: { healthy: 0.1, degraded: 0.2 }, busy_486: { healthy: 0.1, degraded: 0.2 }, z: 1.96,
      });
      await loadText(page, 'demo_vos3000_cdr.csv', b64(DEMO));
      assert.deepEqual(verdicts(await summary(page)), verdicts(cli()));
      assert.deepEqual(verdicts(await summary(page))[0], ['GW_HK_PRIME', 'warning', 'ok_200']);

      // New thresholds: the loaded data is judged again, exactly as the CLI judges it with the
      // panel's own JSON as its --health file.
      await page.click('#settings > summary');
      await setValue(page, '#set-ok_200\\.healthy', '50');
      await setValue(page, '#set-ok_200\\.degraded', '40');
      await page.click('[data-action="settings-apply"]');
      await waitUntil(page, () => {
        const s = window.cdrscope.summary();
        return s && s.health_preset.ok_200.healthy === 0.5 && document.getElementById('dashboard').dataset.state === 'done';
      });
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-settings-'));
      const healthFile = path.join(tmp, 'health.json');
      fs.writeFileSync(healthFile, await text(page, '#settings-health-json'));
      const cliHealth = cli('--health', healthFile);
      assert.deepEqual(verdicts(await summary(page)), verdicts(cliHealth));
      assert.deepEqual(verdicts(cliHealth).slice(0, 2), [['GW_HK_PRIME', 'warning', 'sip_4xx'], ['GW_SG_CHEAP', 'degraded', 'sip_5xx']]);

      // Country and prefixes: the files are read again with the new number plan.
      await page.evaluate(() => { document.getElementById('set-country').value = 'US'; });
      await setValue(page, '#set-prefixes', 'prefix,name\n8613,China Mobile 13x\n');
      await page.click('[data-action="settings-apply"]');
      await waitUntil(page, () => {
        const s = window.cdrscope.summary();
        return s && s.by_destination.some((d) => d.name === '8613') && document.getElementById('dashboard').dataset.state === 'done';
      });
      const prefixFile = path.join(tmp, 'prefixes.csv');
      fs.writeFileSync(prefixFile, 'prefix,name\n8613,China Mobile 13x\n');
      const cliPlan = cli('--health', healthFile, '--country', 'US', '--prefixes', prefixFile);
      assert.deepEqual(destinations(await summary(page)), destinations(cliPlan));
      assert.deepEqual(destinations(cliPlan).at(-1), ['8613', 'China Mobile 13x', 162]);

      // Kept across visits: a new visit shows them and reads the next file with them.
      const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('cdrscope.settings')));
      assert.deepEqual([stored.country, stored.prefixes, stored.short_digits, stored.health.ok_200],
        ['US', 'prefix,name\n8613,China Mobile 13x\n', 6, { healthy: 0.5, degraded: 0.4 }]);
      await openReady(page, server.url);
      assert.deepEqual(await formValues(page), ['50', '40', '15', '30', '10', '20', '10', '20', 'US', '6', 'prefix,name\n8613,China Mobile 13x\n']);
      await loadText(page, 'demo_vos3000_cdr.csv', b64(DEMO));
      assert.deepEqual(destinations(await summary(page)), destinations(cliPlan));

      // Refused fields are listed and marked; nothing is stored or applied.
      await page.click('#settings > summary');
      await setValue(page, '#set-ok_200\\.healthy', 'abc');
      await setValue(page, '#set-short_digits', '16');
      await page.click('[data-action="settings-apply"]');
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#settings-errors li')].map((l) => l.textContent)), [
        'ok_200.healthy: not a percentage from 0 to 100 (abc)',
        'short_digits: not a whole number from 0 to 15 (16)',
      ]);
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#settings [aria-invalid="true"]')].map((e) => e.id)),
        ['set-ok_200.healthy', 'set-short_digits']);
      assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('cdrscope.settings'))).health.ok_200.healthy, 0.5);

      // Reset: the defaults again, nothing stored, the data read with them.
      await page.click('[data-action="settings-reset"]');
      await waitUntil(page, () => {
        const s = window.cdrscope.summary();
        return s && !s.by_destination.some((d) => d.name === '8613') && s.health_preset.ok_200.healthy === 0.7
          && document.getElementById('dashboard').dataset.state === 'done';
      });
      assert.deepEqual(await formValues(page), ['70', '50', '15', '30', '10', '20', '10', '20', '', '6', '']);
      assert.equal(await page.evaluate(() => localStorage.getItem('cdrscope.settings')), null);
      assert.deepEqual(verdicts(await summary(page)), verdicts(cli()));
      assert.deepEqual(errors, []);
      fs.rmSync(tmp, { recursive: true, force: true });
    } finally {
      await b.close();
    }
  });

  test(`${browser}: a load with no call shows one error card, never a dashboard of zeros; Cancel says how far it read`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      for (const [name, title, why] of [
        ['header_only.csv', 'No call could be read from these files', 'The file has a header but no data row.'],
        ['image.png', 'This file could not be read', 'this is a PNG image, not a CSV/text CDR export'],
        ['empty.csv', 'This file could not be read', 'the file is empty'],
      ]) {
        await loadText(page, name, b64(bad(name)));
        await waitUntil(page, () => !document.getElementById('error').hidden);
        assert.equal(await text(page, '#error h2'), title, name);
        const card = await text(page, '#error');
        assert.ok(card.includes(name) && card.includes(why), `${name}: ${card}`);
        assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#error > h3')].map((h) => h.textContent)).then((h) => h.at(-1)), 'What to do');
        assert.equal(await page.evaluate(() => document.querySelectorAll('#error .err-todo li').length), 3);
        assert.equal(await visible(page, '#dashboard'), false, `${name}: no dashboard`);
        assert.equal(await visible(page, '#drop-box'), true, `${name}: the drop box is back`);
      }
      // A CSV of another system gets its column editor inside the card (mapping.test.mjs).
      // A good file afterwards: the card goes, the dashboard comes.
      await loadText(page, 'demo_vos3000_cdr.csv', b64(DEMO));
      assert.equal(await visible(page, '#error'), false);
      assert.equal((await summary(page)).overall.attempts, 2000);

      // Cancel part-way through a large file: the banner says how much was read; no partial numbers stay.
      await page.evaluate(async () => {
        const demo = await (await fetch('demo_vos3000_cdr.csv')).text();
        const nl = demo.indexOf('\n');
        const rows = demo.slice(nl + 1).split('\n').filter((l) => l.length > 0);
        const parts = [demo.slice(0, nl + 1)];
        for (let i = 0; i < 150; i += 1) parts.push(rows.map((r) => `${i}${r}\n`).join(''));
        window.cdrscopeSplit = false;
        window.cdrscope.load(new File(parts, 'big.csv'));
      });
      await waitUntil(page, () => /^Reading [1-9][\d.]* MB/.test(document.getElementById('progress-text').textContent) || /^Reading 0\.[1-9]/.test(document.getElementById('progress-text').textContent));
      await page.click('#btn-cancel');
      await waitUntil(page, () => !document.getElementById('banner').hidden);
      const banner = await text(page, '#banner');
      const m = banner.match(/^Cancelled: partial, read (\d+\.\d) MB \/ (\d+\.\d) MB\. Nothing from the partial read is shown; open the file again to read it whole\.$/);
      assert.ok(m, banner);
      assert.ok(Number(m[1]) > 0 && Number(m[1]) < Number(m[2]), banner);
      assert.equal(await visible(page, '#dashboard'), false);
      assert.equal(await text(page, '#status'), 'Analysis cancelled.');
      assert.equal(await visible(page, '#status'), true);
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });

  test(`${browser}: the empty page offers the code reference and a drop box that opens the chooser`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      assert.equal(await visible(page, '#reference'), true);
      assert.equal(await visible(page, '#dashboard'), false);
      await setValue(page, '#ref-search', '503');
      await waitUntil(page, () => !!document.querySelector('#reference .ref-card[data-code="503"]'));
      const card = await text(page, '#reference .ref-card[data-code="503"]');
      assert.ok(card.startsWith('503 — Service Unavailable'), card);
      assert.ok(!card.includes('calls in this view'), card);
      await page.evaluate(() => {
        window.picks = 0;
        document.getElementById('file-input').click = () => { window.picks += 1; };
      });
      assert.deepEqual(await page.evaluate(() => [document.getElementById('drop-box').getAttribute('role'), document.getElementById('drop-box').tabIndex]), ['button', 0]);
      await page.click('#drop-box');
      assert.equal(await page.evaluate(() => window.picks), 1);
      await page.focus('#drop-box');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => window.picks), 2);
      await page.keyboard.press(' ');
      assert.equal(await page.evaluate(() => window.picks), 3);
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
