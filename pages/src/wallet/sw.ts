/**
 * The wallet's service worker (scope /app/wallet/): keeps the page's own files so the wallet opens
 * without a network. Network first, so a new build is used as soon as it is reachable; the cache
 * answers only when the network does not. API calls and other pages are never touched: the
 * wallet's data is in IndexedDB, not here.
 */

/** The parts of the service-worker globals this file uses (the pages compile with the DOM lib only). */
interface WorkerEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerFetchEvent extends WorkerEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: WorkerEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: WorkerFetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly registration: { readonly scope: string };
}

const worker = self as unknown as WorkerScope;
const CACHE = 'kyc-ledger-wallet-v1';
/** Relative to the scope (/app/wallet/). */
const FILES = ['./', './index.html', './app.js', '../shared/styles.css'];
const cached = new Set(FILES.map((f) => new URL(f, worker.registration.scope).href));

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...cached]))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('kyc-ledger-wallet-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.hash = '';
  url.search = '';
  if (!cached.has(url.href)) return;
  event.respondWith(
    fetch(request)
      .then(async (response) => {
        if (response.ok) await (await caches.open(CACHE)).put(url.href, response.clone());
        return response;
      })
      .catch(async () => (await caches.match(url.href)) ?? Response.error()),
  );
});
