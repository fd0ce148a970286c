// Tandem's service worker (served at /sw.js by core.views.service_worker).
//
// It keeps the app's own files (styles, scripts, icons) and one page with no case data, so a
// mentor with no signal still has a working meeting form and a page saying what is saved on
// the phone. It never keeps a page about a case: pages always come from the network, and the
// only thing it ever puts in its cache is the list below, fetched at install. A meeting saved
// with no signal is kept by the page itself (static/js/outbox.js), not here.
const CACHE = "tandem-shell-{{ version }}";
const SHELL = {{ shell|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const NAVIGATION_TIMEOUT_MS = {{ navigation_timeout_ms }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Fetched as nobody: the copy kept names no one and shows no case.
      await cache.add(new Request(OFFLINE_URL, { credentials: "omit" }));
      await cache.addAll(SHELL);
      await self.skipWaiting();
    })(),
  );
});

// A new version (a deploy) replaces the old cache.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("tandem-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode === "navigate") {
    // Network only; with no network, or none that answers in time, the offline page instead
    // of the browser's error or an endless wait. (A meeting form sent into no network is
    // already on the phone: the page kept it first, and sending it twice is one meeting.)
    event.respondWith(inTime(fetch(request)).catch(() => offlinePage()));
    return;
  }
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin === self.location.origin && SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
  }
  // Anything else (fetches a page makes, reports being built) is left to the network.
});

function inTime(answer) {
  const late = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error("no answer in time")), NAVIGATION_TIMEOUT_MS);
  });
  return Promise.race([answer, late]);
}

async function offlinePage() {
  const kept = await caches.match(OFFLINE_URL, { cacheName: CACHE });
  return kept || Response.error();
}
