// Installs the service worker (www/sw.js) so the served page works offline and can be installed as an
// app. Only over http(s): on file:// (dist/cdrscope.html) there are no service workers and no need.
// Not inside a frame: a host site embedding cdrscope did not ask for a worker on its visitors' machines.
if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol) && window.top === window) {
  // After the page has loaded, so the precache does not compete with the wasm download.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e) => {
      console.warn(`cdrscope: offline mode unavailable (${e && e.message})`);
    });
  });
}
