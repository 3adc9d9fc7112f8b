// The browser entry of a pool worker (host/browser.ts starts it as a module Web Worker): its init
// is the first message; the loop is pool_worker_loop.mjs. The loop blocks this worker for good
// (Atomics.wait), so no further message is ever handled — none is sent.
import { runPoolWorker } from './pool_worker_loop.mjs';

self.addEventListener(
  'message',
  (event) => runPoolWorker(event.data, (message) => self.postMessage(message)),
  { once: true },
);
