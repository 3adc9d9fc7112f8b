// The bert-ts library API for Node ('bert-ts'): installs the Node host (host/node.ts: node:fs,
// worker_threads, the package's build/ folder), then the API (public_api.ts). The browser's entry
// is src/web.ts ('bert-ts/web').
import './host/node.js'; // first: every module after it runs on the Node host
export * from './public_api.js';
