// The page side of embedding (see docs/embedding.md and www/embed.js): applies the options a host gives
// (language, theme, panels), loads the file it passes, and tells it when an analysis is loaded or failed.
// Options come from the URL hash (#lang=es&theme=dark&panels=kpis,charts&file=x.csv&host=https://…) and
// from postMessage. Messages are exchanged only with the parent window, only when the hash names its
// origin as `host`, and every message we send is addressed to exactly that origin (never '*').
(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  /** Panel names a host may list, and the page sections each one shows. */
  const PANELS = {
    detected: ['detected'], filters: ['filters'], findings: ['findings'], kpis: ['health', 'kpis'],
    charts: ['charts'], drill: ['drill'], tables: ['tables'], rejects: ['rejects'],
    reference: ['reference'], exports: ['exports'],
  };

  function originOf(s) {
    try { const o = new URL(s).origin; return o === 'null' ? null : o; } catch (_) { return null; }
  }
  // The host's origin, when we are framed by it. Chromium tells us our ancestors: refuse a `host` that
  // is not our parent (Firefox has no ancestorOrigins; there the browser still drops messages addressed
  // to an origin the parent does not have).
  let host = window.parent !== window ? originOf(params.get('host') || '') : null;
  const ancestors = location.ancestorOrigins;
  if (host && ancestors && ancestors.length && ancestors[0] !== host) host = null;

  function send(type, detail) {
    if (host) window.parent.postMessage({ cdrscope: type, ...detail }, host);
  }

  /** window.cdrscope once the wasm has built the page. */
  const ready = new Promise((resolve) => {
    const check = () => {
      if (window.cdrscope && document.getElementById('drop-zone')?.dataset.ready === 'true') resolve(window.cdrscope);
      else setTimeout(check, 20);
    };
    check();
  });

  /** Sets a control the way a user would, without overwriting the user's remembered preferences. */
  function keepingPrefs(f) {
    const saved = {};
    let storage = null;
    try { storage = window.localStorage; } catch (_) { /* storage blocked: nothing to keep */ }
    for (const k of ['cdrscope.lang', 'cdrscope.theme']) saved[k] = storage?.getItem(k);
    f();
    for (const [k, v] of Object.entries(saved)) {
      if (!storage) break;
      if (v === null || v === undefined) storage.removeItem(k); else storage.setItem(k, v);
    }
  }

  function applyOptions(o) {
    if (o.lang === 'en' || o.lang === 'es') {
      const sel = document.getElementById('lang');
      if (sel.value !== o.lang) keepingPrefs(() => { sel.value = o.lang; sel.dispatchEvent(new Event('change', { bubbles: true })); });
    }
    if (o.theme === 'dark' || o.theme === 'light') {
      if (document.body.classList.contains('dark') !== (o.theme === 'dark')) keepingPrefs(() => document.getElementById('btn-theme').click());
    }
    if (Array.isArray(o.panels)) {
      const shown = new Set(o.panels.flatMap((p) => PANELS[p] || []));
      for (const id of Object.values(PANELS).flat()) {
        const el = document.getElementById(id);
        // An inline !important style wins over the page's own show/hide, and the CSP allows it (CSSOM).
        if (shown.has(id)) el.style.removeProperty('display'); else el.style.setProperty('display', 'none', 'important');
      }
      document.documentElement.dataset.panels = o.panels.join(' ');
    }
  }

  async function loadFile(file) {
    const api = await ready;
    try { await api.load(file); } catch (e) { send('error', { message: String((e && e.message) || e) }); }
  }

  /** Same-origin URL only: the page's CSP (connect-src 'self') refuses anything else anyway. */
  async function loadUrl(u) {
    try {
      const url = new URL(u, location.href);
      if (url.origin !== location.origin) throw new Error(`refusing a file from another origin: ${url.origin}`);
      const resp = await fetch(url);
      if (!resp.ok) throw new Error(`${url.pathname}: HTTP ${resp.status}`);
      const name = decodeURIComponent(url.pathname.split('/').pop() || 'data.csv');
      await loadFile(new File([await resp.blob()], name));
    } catch (e) {
      send('error', { message: String((e && e.message) || e) });
    }
  }

  // The KPI numbers a host may show next to the frame, from the summary of a finished load.
  function loadedDetail(s) {
    const o = (s && s.overall) || {};
    return {
      format: s && s.format, rows: s && s.rows ? { accepted: s.rows.accepted, rejected: s.rows.rejected } : null,
      kpis: { attempts: o.attempts, answered: o.answered, asr: o.asr, acd_s: o.acd_s, pdd_avg_ms: o.pdd_avg_ms, ner: o.ner },
      findings: s && Array.isArray(s.findings) ? s.findings.length : 0,
    };
  }

  // A load where every file was skipped (unreadable, not CDRs) is an error for the host, with the
  // page's own per-file reasons; otherwise 'loaded', listing the files that were skipped, if any.
  function finished(s) {
    const files = (s && Array.isArray(s.files)) ? s.files : [];
    const errors = files.filter((f) => f.error).map((f) => `${f.name}: ${f.error}`);
    if (files.length > 0 && errors.length === files.length) send('error', { message: errors.join('\n') });
    else send('loaded', { ...loadedDetail(s), errors });
  }

  // The error's reasons (the card's "why" lines, or its one message), not the whole card with its
  // advice; the bare text when the page shows no card.
  function errorMessage(err) {
    const items = err.querySelectorAll('.err-why li, .err-message');
    return items.length ? Array.from(items, (e) => e.textContent).join('\n') : err.textContent;
  }

  // Report every load, whether the host passed the file or the user dropped one into the frame:
  // a load is done when the dashboard goes from "loading" to "done"; an error when #error shows.
  function watch() {
    const dash = document.getElementById('dashboard');
    const err = document.getElementById('error');
    let loading = false;
    new MutationObserver(() => {
      const state = dash.dataset.state;
      if (state === 'loading') loading = true;
      else if (loading && state === 'done') { loading = false; finished(window.cdrscope.summary()); }
      else if (state === 'cancelled') loading = false;
    }).observe(dash, { attributes: true, attributeFilter: ['data-state'] });
    new MutationObserver(() => {
      if (!err.hidden && err.textContent) { loading = false; send('error', { message: errorMessage(err) }); }
    }).observe(err, { attributes: true, attributeFilter: ['hidden'], childList: true, characterData: true, subtree: true });
    // The frame's height, so the host can size the <iframe> to its content.
    let last = 0;
    new ResizeObserver(() => {
      const h = document.documentElement.scrollHeight;
      if (h !== last) { last = h; send('resize', { height: h }); }
    }).observe(document.body);
  }

  window.addEventListener('message', (e) => {
    if (!host || e.source !== window.parent || e.origin !== host) return;
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.cdrscope === 'options') ready.then(() => applyOptions(m));
    else if (m.cdrscope === 'load' && m.file instanceof Blob) loadFile(m.file);
  });

  const hashOptions = {
    lang: params.get('lang'), theme: params.get('theme'),
    panels: params.has('panels') ? params.get('panels').split(',').map((p) => p.trim()).filter(Boolean) : undefined,
  };
  ready.then(() => {
    applyOptions(hashOptions);
    watch();
    if (params.get('file')) loadUrl(params.get('file'));
    send('ready', { version: window.cdrscope.version });
  });
})();
