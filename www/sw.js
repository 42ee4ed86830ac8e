// cdrscope service worker: precaches the page's own files when installed and serves them cache-first,
// so the served page starts and works with the network cut. It never fetches anything but this
// origin's files, and only the ones the page itself asks for.
//
// VERSION and ASSETS are rewritten in dist/ by scripts/sw-precache.mjs (Trunk post_build hook): the
// version is a hash of every precached file, so a new build installs a new cache in one piece (glue JS
// and wasm always from the same build); the lists below are the fallback when the hook did not run.
const VERSION = 'dev';
const ASSETS = ['index.html', 'boot.js', 'cdrscope.js', 'cdrscope_bg.wasm', 'worker.js', 'style.css',
  'demo_vos3000_cdr.csv', 'pwa.js', 'embed-bridge.js', 'embed.js', 'manifest.webmanifest',
  'icons/icon.svg', 'icons/icon-192.png', 'icons/icon-512.png'];
const CACHE = `cdrscope-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // 'no-cache' revalidates with the server: never precache a stale HTTP-cached file of another build.
    await cache.addAll(ASSETS.map((a) => new Request(a, { cache: 'no-cache' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('cdrscope-') && key !== CACHE) await caches.delete(key);
    }
    // Control the page that registered us right away, so it works offline from its first visit.
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // The page itself under any of its names: the scope's directory URL or index.html, any hash or query.
    const scope = new URL(self.registration.scope);
    const isPage = req.mode === 'navigate'
      && (url.pathname === scope.pathname || url.pathname === `${scope.pathname}index.html`);
    const hit = await cache.match(isPage ? 'index.html' : req, { ignoreSearch: isPage });
    return hit || fetch(req);
  })());
});
