// The fine-tuning page (web/) in headless Chromium, for the browser test (test/web/page.test.ts)
// and `npm run bench:web`: serves it with `bert web`'s app on a free port, opens it in Debian's
// chromium through playwright-core (never a browser download: .ci/run apt-installs chromium),
// and reads the status line's history, which the page only ever replaces, to follow a run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createPageApp } from '../src/serve/page_app.js';
import { RUN_CLASSIFIER_DEFAULTS, runClassifier } from '../src/train/runners/run_classifier.js';
import type { StepInfo } from '../src/train/runners/run_options.js';

/** The browser to drive (BERT_TS_CHROMIUM overrides Debian's path). */
export const CHROMIUM = process.env.BERT_TS_CHROMIUM ?? '/usr/bin/chromium';

export interface PageSession {
  readonly page: Page;
  readonly browser: Browser;
  /** The page's URL (query included). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Strips the isolation headers from every reply the page gets, as a static host that does not set
 * them would serve it: the page then has no SharedArrayBuffer.
 */
async function withoutIsolation(page: Page): Promise<void> {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}

/**
 * Serves the package at `root` and opens its page with `query` (e.g. '?epochs=1'); with
 * `isolated: false` the page is served without the cross-origin isolation headers.
 */
export async function openPage(
  root: string,
  query = '',
  { isolated = true }: { isolated?: boolean } = {},
): Promise<PageSession> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM}: no chromium (install Debian's: apt-get install -y chromium, as .ci/run does; or set BERT_TS_CHROMIUM)`,
    );
  const app = createPageApp(root);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const page = await browser.newPage({ acceptDownloads: true });
  if (!isolated) await withoutIsolation(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${base}/${query}`;
  await page.goto(url);
  await recordStatus(page);
  const close = async () => {
    await browser.close();
    await app.close();
    if (errors.length > 0) throw new Error(`uncaught errors in the page: ${errors.join('; ')}`);
  };
  return { page, browser, url, close };
}

/** The page's globals the in-page functions below use (this file compiles without the DOM lib). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
  MutationObserver: new (
    callback: (records: { addedNodes: Iterable<{ textContent: string | null }> }[]) => void,
  ) => { observe(target: unknown, options: { childList: boolean }): void };
  statusHistory?: string[];
}

/** Starts keeping every text the status line shows (the page's statusHistory global). */
async function recordStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const el = g.document.querySelector('[data-testid=status]')!;
    const history = [el.textContent ?? ''];
    g.statusHistory = history;
    new g.MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) history.push(n.textContent ?? '');
    }).observe(el, { childList: true });
  });
}

/** Every status text so far, oldest first. */
export function statusHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).statusHistory ?? []);
}

/** Waits until the status line matches `re` (or shows an error) and returns its text. */
export async function waitForStatus(page: Page, re: RegExp, timeoutMs: number): Promise<string> {
  const status = page.getByTestId('status');
  await page.waitForFunction(
    ([source, flags]) => {
      const { document } = globalThis as unknown as PageGlobals;
      const text = document.querySelector('[data-testid=status]')?.textContent ?? '';
      return new RegExp(source!, flags).test(text) || text.startsWith('error:');
    },
    [re.source, re.flags],
    { timeout: timeoutMs, polling: 100 },
  );
  return (await status.textContent()) ?? '';
}

/** One training step as the status line showed it. */
export interface ShownStep {
  readonly step: number;
  readonly total: number;
  readonly examplesPerSec: number;
  /** The loss to the 4 decimals shown. */
  readonly loss: string;
}

const STEP_LINE = /^step (\d+)\/(\d+) · ([\d.]+) examples\/s · ETA [\d:]+ · loss ([\d.]+)$/;

/** The steps in a status history. */
export function shownSteps(history: readonly string[]): ShownStep[] {
  return history.flatMap((text) => {
    const m = STEP_LINE.exec(text);
    if (m === null) return [];
    const [, step, total, rate, loss] = m;
    return [
      { step: Number(step), total: Number(total), examplesPerSec: Number(rate), loss: loss! },
    ];
  });
}

/** What the Node side of a comparison changes of the README's MRPC run (the page's defaults). */
export interface NodeRun {
  readonly root: string;
  readonly dataDir: string;
  readonly outputDir: string;
  readonly numThreads: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly maxSeqLength?: number;
  readonly onStep?: (s: StepInfo) => void;
}

/**
 * The README's MRPC fine-tune of the shipped BERT-Tiny (lr 1e-4, seed 1; run_classifier's defaults
 * elsewhere) in Node, WebAssembly kernels, as the page runs it; resolves to eval_accuracy.
 */
export async function runInNode(o: NodeRun): Promise<number> {
  const model = join(o.root, 'models/uncased_L-2_H-128_A-2_brown');
  await runClassifier({
    ...RUN_CLASSIFIER_DEFAULTS,
    taskName: 'MRPC',
    dataDir: o.dataDir,
    vocabFile: join(model, 'vocab.txt'),
    bertConfigFile: join(model, 'bert_config.json'),
    initCheckpoint: join(model, 'bert_model.ckpt'),
    outputDir: o.outputDir,
    maxSeqLength: o.maxSeqLength ?? 128,
    doTrain: true,
    doEval: true,
    trainBatchSize: o.batchSize ?? 32,
    learningRate: 1e-4,
    numTrainEpochs: o.epochs ?? 3,
    seed: 1,
    numThreads: o.numThreads,
    backend: 'wasm',
    onStep: o.onStep,
  });
  const results = readFileSync(join(o.outputDir, 'eval_results.txt'), 'utf8');
  return Number(/eval_accuracy = ([\d.]+)/.exec(results)![1]);
}
