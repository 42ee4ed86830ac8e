// cdrscope for other websites: `cdrscope.mount(element, options)` renders cdrscope inside `element` in a
// sandboxed <iframe>, so neither page's styles or scripts touch the other's. See docs/embedding.md.
//
//   <script src="https://tools.example.net/cdrscope/embed.js"></script>
//   <div id="cdr"></div>
//   <script>
//     const view = cdrscope.mount(document.getElementById('cdr'), { lang: 'es', theme: 'dark',
//       panels: ['findings', 'kpis', 'charts'], file: '/samples/today.csv' });
//     document.getElementById('cdr').addEventListener('cdrscope:loaded', (e) => console.log(e.detail.kpis));
//   </script>
(() => {
  // Where cdrscope lives by default: the directory this script was loaded from.
  const scriptSrc = (document.currentScript && document.currentScript.src) || location.href;
  const DEFAULT_SRC = new URL('./', scriptSrc).href;
  // allow-scripts: cdrscope is a wasm app. allow-same-origin: keeps the frame's own origin (not an opaque
  // one), which its module worker, wasm and demo file loads need and which the frame's CSP ('self') names.
  // This does NOT give the frame the host's origin: when cdrscope is served from another origin, the host
  // stays fully isolated. allow-downloads: the exports (JSON, CSV, SVG, PNG). Not allowed: top navigation,
  // popups, forms, modals (so "Print report" needs the host to add allow-modals).
  const SANDBOX = 'allow-scripts allow-same-origin allow-downloads';
  const EVENTS = { loaded: 'cdrscope:loaded', error: 'cdrscope:error', ready: 'cdrscope:ready' };

  function hashOf(o, host) {
    const p = new URLSearchParams();
    if (o.lang) p.set('lang', o.lang);
    if (o.theme) p.set('theme', o.theme);
    if (Array.isArray(o.panels)) p.set('panels', o.panels.join(','));
    p.set('host', host);
    return p.toString();
  }

  /**
   * Renders cdrscope in `element`. options: lang ('en'|'es'), theme ('light'|'dark'), panels (section
   * names to show, all by default), file (URL, Blob or File to analyse right away), src (URL of the
   * cdrscope page), height (fixed CSS height; by default the frame grows with its content), title.
   * Returns { iframe, load(file), set(options), destroy() }; events are dispatched on `element`.
   */
  function mount(element, options = {}) {
    if (!(element instanceof Element)) throw new TypeError('cdrscope.mount: element must be a DOM element');
    const src = new URL(options.src || DEFAULT_SRC, location.href);
    if (!/^https?:$/.test(src.protocol)) throw new Error('cdrscope.mount: src must be an http(s) URL');
    const origin = src.origin;
    const host = location.origin;
    const iframe = document.createElement('iframe');
    iframe.setAttribute('sandbox', options.sandbox || SANDBOX);
    iframe.setAttribute('title', options.title || 'cdrscope — CDR inspector');
    // Only inline styles on our own element: nothing is added to the host's style sheets.
    iframe.style.cssText = `display:block;width:100%;border:0;height:${options.height || '640px'}`;
    const page = new URL(src.href);
    page.hash = hashOf(options, host);
    iframe.src = page.href;

    let isReady = false;
    const queue = [];
    const post = (m) => { if (isReady) iframe.contentWindow.postMessage(m, origin); else queue.push(m); };
    const emit = (type, detail) => element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));

    function onMessage(e) {
      // Only our own frame, from the origin we loaded it from.
      if (e.source !== iframe.contentWindow || e.origin !== origin) return;
      const m = e.data;
      if (!m || typeof m !== 'object' || typeof m.cdrscope !== 'string') return;
      const { cdrscope: type, ...detail } = m;
      if (type === 'ready') {
        isReady = true;
        for (const q of queue.splice(0)) iframe.contentWindow.postMessage(q, origin);
        emit(EVENTS.ready, detail);
      } else if (type === 'resize') {
        if (!options.height && Number.isFinite(detail.height)) iframe.style.height = `${Math.max(360, Math.ceil(detail.height))}px`;
      } else if (EVENTS[type]) {
        emit(EVENTS[type], detail);
      }
    }
    window.addEventListener('message', onMessage);

    /** Analyses a File or Blob, or a URL the host can fetch (fetched here, under the host's rules). */
    async function load(file) {
      try {
        let blob = file;
        if (typeof file === 'string' || file instanceof URL) {
          const url = new URL(file, location.href);
          const resp = await fetch(url);
          if (!resp.ok) throw new Error(`${url.href}: HTTP ${resp.status}`);
          const name = decodeURIComponent(url.pathname.split('/').pop() || 'data.csv');
          blob = new File([await resp.blob()], name, { type: resp.headers.get('content-type') || 'text/csv' });
        }
        if (!(blob instanceof Blob)) throw new TypeError('cdrscope: file must be a URL, a Blob or a File');
        post({ cdrscope: 'load', file: blob });
      } catch (e) {
        emit(EVENTS.error, { message: String((e && e.message) || e) });
      }
    }

    element.replaceChildren(iframe);
    if (options.file) load(options.file);
    return {
      iframe,
      load,
      /** Changes lang, theme or panels of the mounted view. */
      set(o) { post({ cdrscope: 'options', lang: o.lang, theme: o.theme, panels: o.panels }); },
      /** Removes the frame and stops listening. */
      destroy() { window.removeEventListener('message', onMessage); iframe.remove(); },
    };
  }

  window.cdrscope = Object.assign(window.cdrscope || {}, { mount });
})();
