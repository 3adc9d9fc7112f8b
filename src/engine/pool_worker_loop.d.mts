// Types of pool_worker_loop.mjs (plain JavaScript so that workers run it from src/ and dist/).
import type { PoolWorkerInit } from '../host/host.js';

export function claimChunk(
  ctrl: Int32Array,
  gen: number,
  layout: { readonly CLAIM: number; readonly NCHUNKS: number },
): number;

export function runPoolWorker(init: PoolWorkerInit, post: (message: string) => void): void;
