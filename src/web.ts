// The bert-ts library API for a browser ('bert-ts/web'): installs the browser host
// (host/browser.ts: an in-memory file system, module Web Workers, the .wasm fetched from the asset
// base), then the same API as 'bert-ts' (public_api.ts), plus what a page needs to move files in
// and out of the in-memory file system. Run it inside a dedicated Web Worker of a cross-origin
// isolated page: the kernel pool waits with Atomics.wait, which a page's main thread may not.
//   import { putFile, getFile, Classifier, setAssetBase } from 'bert-ts/web';
//   setAssetBase('/assets/'); // kernels.wasm, kernels-relaxed.wasm, pool_worker_web.mjs
//   putFile('/data/MRPC/train.tsv', text); …
import './host/browser.js'; // first: every module after it runs on the browser host
export * from './public_api.js';
export {
  putFile,
  getFile,
  listFiles,
  setAssetBase,
  setLogSink,
  memoryFs,
  PACKAGE_DIR,
  POOL_WORKER_SCRIPT,
} from './host/browser.js';
