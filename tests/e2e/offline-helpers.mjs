// Helpers of the offline / privacy / embedding browser tests: a second static server that can rewrite
// what it serves (to place a host page on another origin), CSP violation recording, and the exports
// an analysis offers (each one clicked and its download awaited).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { DIST } from './helpers.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.csv': 'text/csv', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json',
};

/**
 * Serves `root` on a free port of 127.0.0.1, recording every request; `rewrite(relPath, text)` may change
 * text files. close() also drops open keep-alive connections, so the origin is really gone.
 */
export async function serveDir(root = DIST, rewrite = null) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    let body = fs.readFileSync(file);
    if (rewrite && /^(text|application\/(javascript|json))/.test(type)) body = Buffer.from(rewrite(rel, body.toString('utf8')));
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const close = () => new Promise((r) => { server.close(r); server.closeAllConnections(); });
  return { url, requests, close };
}

/** Records `securitypolicyviolation` events of every document the context opens, in window.__csp. */
export async function recordCspViolations(context) {
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

/** Clicks `selector` and waits for the download it starts; returns the downloaded bytes. */
export async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return fs.readFileSync(await d.path());
}

/** Every export of the dashboard: summary JSON and CSV, calls CSV, the codes chart as SVG and PNG. */
export async function exportAll(page) {
  const json = JSON.parse((await download(page, '#export-json')).toString('utf8'));
  const csv = (await download(page, '#export-csv')).toString('utf8');
  const calls = (await download(page, '#export-calls')).toString('utf8');
  const svg = (await download(page, 'figure[data-chart="codes"] [data-action="chart-svg"]')).toString('utf8');
  const png = await download(page, 'figure[data-chart="codes"] [data-action="chart-png"]');
  return { json, csv, calls, svg, png };
}

/** The Content-Security-Policy meta of an HTML text. */
export function cspOf(html) {
  const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
  return m ? m[1] : null;
}
