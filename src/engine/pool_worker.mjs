// The Node entry of a pool worker (host/node.ts starts it with worker_threads): its init is the
// workerData; the loop is pool_worker_loop.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { runPoolWorker } from './pool_worker_loop.mjs';

runPoolWorker(workerData, (message) => parentPort.postMessage(message));
