// The service worker: read the course offline. Written by `sdp build`; its cache is named after
// a hash of the whole build, so a new deploy installs a new cache, carries over what the reader
// had saved, and deletes the old one. Pages are fetched from the network first (always fresh
// when online) and from the cache when offline; other files, whose names change with their
// content, come from the cache first.
const VERSION = "__VERSION__";
const BASE = "__BASE__";
const CACHE = `sdp-${VERSION}`;
const SHELL = [BASE, `${BASE}offline.json`];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const list = await (await cache.match(`${BASE}offline.json`)).json();
    const current = new Set(list.files);
    for (const name of await caches.keys()) {
      if (name === CACHE || !name.startsWith("sdp-")) continue;
      // Carry over what the reader had, as this build has it.
      const old = await caches.open(name);
      const urls = (await old.keys()).map((r) => new URL(r.url).pathname).filter((u) => current.has(u));
      await Promise.all(urls.map((u) => cache.add(u).catch(() => {})));
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith(`${BASE}__sdp/`)) return;
  const key = url.pathname;
  if (request.mode === "navigate" || key.endsWith("/") || key.endsWith(".html")) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) cache.put(key, response.clone());
        return response;
      } catch (e) {
        return (await cache.match(key)) || (await cache.match(`${BASE}404.html`)) || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key);
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok && !key.endsWith("/sw.js")) cache.put(key, response.clone());
    return response;
  })());
});

// "Download the whole course": cache every file of this build, reporting progress.
self.addEventListener("message", (event) => {
  if (event.data !== "download") return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const list = await (await cache.match(`${BASE}offline.json`)).json();
    let done = 0;
    let failed = 0;
    const report = async (finished) => {
      for (const client of await self.clients.matchAll()) client.postMessage({ type: "download", done, failed, total: list.files.length, finished });
    };
    const queue = [...list.files];
    const worker = async () => {
      while (queue.length) {
        const u = queue.shift();
        try {
          if (!(await cache.match(u))) await cache.add(u);
        } catch (e) {
          failed += 1;
        }
        done += 1;
        if (done % 10 === 0) await report(false);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await report(true);
  })());
});
