// One way to drive the served page in Chromium (playwright-core) and Firefox ESR (puppeteer-core
// over WebDriver BiDi), for tests that run the same steps in both: only the calls the two share
// (goto, evaluate, waitForSelector, waitForFunction, click, focus, keyboard, screenshot).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './helpers.mjs';

export const FIREFOX = '/usr/bin/firefox-esr';

/** Launches `browser` ('chromium' | 'firefox'); resolves to { newPage(width, height), close }. */
export async function launchBrowser(browser) {
  if (browser === 'chromium') {
    const b = await launch();
    return {
      newPage: async (width = 1280, height = 720) => {
        const page = await b.context.newPage();
        await page.setViewportSize({ width, height });
        return page;
      },
      close: b.close,
    };
  }
  const { default: puppeteer } = await import('puppeteer-core');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-ff-'));
  const b = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: tmp,
    extraPrefsFirefox: { 'network.proxy.type': 0, 'app.update.auto': false, 'toolkit.telemetry.enabled': false },
    env: { ...process.env, TZ: 'UTC', LANG: 'en_US.UTF-8', MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  return {
    newPage: async (width = 1280, height = 720) => {
      const page = await b.newPage();
      await page.setViewport({ width, height });
      return page;
    },
    close: async () => { await b.close(); fs.rmSync(tmp, { recursive: true, force: true }); },
  };
}

/** Opens the page at `url` and waits until it is ready; collects page and console errors. */
export async function openReady(page, url) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await waitUntil(page, () => !!window.cdrscope && document.getElementById('drop-zone').dataset.ready === 'true');
  return errors;
}

/** Polls `fn(arg)` in the page until it returns a truthy value (resolves to it), or fails after `ms`. */
export async function waitUntil(page, fn, arg = null, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Loads a file into the page by its API (`cdrscope.load`); resolves once the load finished. */
export async function loadText(page, name, b64) {
  await page.evaluate(async (a) => {
    const bin = Uint8Array.from(atob(a.b64), (c) => c.charCodeAt(0));
    await window.cdrscope.load(new File([bin], a.name));
  }, { name, b64 });
}

/** Sets a form control's value the way typing does (an `input` event). */
export async function setValue(page, selector, value) {
  await page.evaluate((a) => {
    const e = document.querySelector(a.selector);
    e.value = a.value;
    e.dispatchEvent(new Event('input', { bubbles: true }));
  }, { selector, value });
}
