// `npm run bench:web` (= node dist/bench/web.js [--threads=2] [--epochs=3] [--screenshot=PNG]):
// the README's MRPC
// fine-tune of the shipped BERT-Tiny (lr 1e-4, 3 epochs, batch 32, max_seq_length 128, seed 1) in
// headless Chromium through the page, then the same run in Node — runClassifier, the runner
// `bert run_classifier` calls, wasm kernels — on the same machine and thread count, one after the
// other. Prints each side's training examples/s (steps after the first: the first includes the
// pool's start), the ratio, and both eval_accuracy values, which must be equal. It times, it does
// not check; on a shared machine the ratio is noisy (say so when quoting it). --screenshot saves
// the finished page, with a pair classified, as docs/web.md shows it.
import { packageRoot } from '../src/host/node.js'; // first: the core runs on the Node host
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openPage, runInNode, shownSteps, statusHistory, waitForStatus } from './web_page.js';

interface Side {
  readonly examplesPerSec: number;
  readonly evalAccuracy: string;
  readonly seconds: number;
}

interface Args {
  threads: number;
  epochs: number;
  screenshot: string | null;
}

function args(): Args {
  const o: Args = { threads: 2, epochs: 3, screenshot: null };
  for (const a of process.argv.slice(2)) {
    const [k, v = ''] = a.replace(/^--/, '').split('=');
    if (k === 'threads' || k === 'epochs') o[k] = Number(v);
    else if (k === 'screenshot') o.screenshot = v;
    else throw new Error(`bench:web: unknown ${a} (--threads= --epochs= --screenshot=)`);
  }
  return o;
}

/** Classifies a pair on the finished page and saves the whole page as a PNG. */
async function screenshot(page: Page, path: string): Promise<void> {
  await page.getByTestId('text_a').fill('The company said quarterly profit rose 5 percent.');
  await page.getByTestId('text_b').fill('Quarterly profit was up 5 percent, the company said.');
  await page.getByTestId('classify').click();
  await page.getByTestId('prediction').filter({ hasText: 'label' }).waitFor({ timeout: 30_000 });
  await page.screenshot({ path, fullPage: true });
}

async function inPage(root: string, { threads, epochs, screenshot: png }: Args): Promise<Side> {
  const s = await openPage(root, `?threads=${threads}&epochs=${epochs}`);
  try {
    await waitForStatus(s.page, /^ready/, 30_000);
    const t0 = performance.now();
    await s.page.getByTestId('train').click();
    const done = await waitForStatus(s.page, /^done:/, 3_600_000);
    if (!done.startsWith('done:')) throw new Error(`the page: ${done}`);
    const steps = shownSteps(await statusHistory(s.page));
    const accuracy = /eval_accuracy=([\d.]+)/.exec(done)![1]!;
    const seconds = (performance.now() - t0) / 1000;
    if (png !== null) await screenshot(s.page, png);
    return { examplesPerSec: steps.at(-1)!.examplesPerSec, evalAccuracy: accuracy, seconds };
  } finally {
    await s.close();
  }
}

async function inNode(root: string, threads: number, epochs: number): Promise<Side> {
  const outputDir = mkdtempSync(join(tmpdir(), 'bench-web-'));
  const times: number[] = [];
  const t0 = performance.now();
  try {
    const dataDir = join(root, 'data/glue/MRPC');
    const onStep = () => times.push(performance.now());
    const accuracy = await runInNode({
      root,
      dataDir,
      outputDir,
      numThreads: threads,
      epochs,
      onStep,
    });
    const rate = ((times.length - 1) * 32 * 1000) / (times.at(-1)! - times[0]!);
    const seconds = (performance.now() - t0) / 1000;
    return { examplesPerSec: rate, evalAccuracy: accuracy.toFixed(4), seconds };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

function row(name: string, x: Side): string {
  const rate = x.examplesPerSec.toFixed(1).padStart(8);
  return `${name.padEnd(20)} ${rate} ${x.seconds.toFixed(1).padStart(8)}   ${x.evalAccuracy}`;
}

async function main(): Promise<void> {
  const o = args();
  const root = packageRoot();
  console.log(
    `MRPC fine-tune from the shipped BERT-Tiny, ${o.epochs} epochs, ${o.threads} threads, wasm kernels`,
  );
  console.log(`${''.padEnd(20)} ${'ex/s'.padStart(8)} ${'wall s'.padStart(8)}   eval_accuracy`);
  const page = await inPage(root, o);
  console.log(row('Chromium (the page)', page));
  const node = await inNode(root, o.threads, o.epochs);
  console.log(row('Node (runClassifier)', node));
  const ratio = node.examplesPerSec / page.examplesPerSec;
  const same = page.evalAccuracy === node.evalAccuracy ? 'equal' : 'DIFFERENT';
  console.log(
    `Node ex/s / page ex/s = ${ratio.toFixed(2)} (goal: at most 1.2); eval_accuracy ${same}`,
  );
}

await main();
