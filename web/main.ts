// The page's main thread: reads the settings and files, hands them to the engine worker
// (engine_worker.ts), and shows what comes back — progress, the loss and learning-rate curve
// (the CLI's own training_curve.svg plot), eval results, predictions, the model zip. It never
// computes anything itself, so the page stays responsive while a fine-tune runs.
import { trainingCurveSvg, type CurvePoint } from '../src/train/plot.js';
import { roleOf } from './files.js';
import type { Reply, Request, TrainSettings, UserFile } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const trainButton = $<HTMLButtonElement>('train');
const cancelButton = $<HTMLButtonElement>('cancel');
const isolated = self.crossOriginIsolated === true;

/** Settings inputs by id; the URL query may preset any of them (`?epochs=1&train_rows=320`). */
const NUMBER_INPUTS = ['lr', 'epochs', 'batch', 'max_seq_length', 'threads', 'seed', 'train_rows'];

function presetFromQuery(): void {
  const q = new URLSearchParams(location.search);
  for (const id of [...NUMBER_INPUTS, 'task']) {
    const v = q.get(id);
    if (v !== null) $<HTMLInputElement>(id).value = v;
  }
  const threads = $<HTMLInputElement>('threads');
  if (q.get('threads') === null)
    threads.value = String(isolated ? Math.min(navigator.hardwareConcurrency || 1, 8) : 1);
  if (!isolated) {
    threads.value = '1';
    threads.disabled = true;
    const note = $('isolation');
    note.hidden = false;
    note.textContent =
      'This page is not cross-origin isolated (no SharedArrayBuffer), so the engine runs on one ' +
      'thread: slower. Serve it with `npx bert web`, or with the headers in docs/web.md.';
  }
}

/** The number in input `id`; with `min` given, an integer from min to max (run_classifier's checks do the rest). */
function numberSetting(id: string, min?: number, max = 2 ** 31 - 1): number {
  const input = $<HTMLInputElement>(id);
  const v = Number(input.value);
  const name = input.labels?.[0]?.textContent?.trim() ?? id;
  if (input.value.trim() === '' || !Number.isFinite(v)) throw new Error(`${name}: not a number`);
  if (min !== undefined && !(Number.isInteger(v) && v >= min && v <= max))
    throw new Error(`${name}: ${input.value} is not a whole number from ${min} to ${max}`);
  return v;
}

/** A number setting that must be more than 0. */
function positiveSetting(id: string): number {
  const v = numberSetting(id);
  if (!(v > 0)) throw new Error(`${id}: ${v} must be more than 0`);
  return v;
}

function settings(): TrainSettings {
  return {
    task: $<HTMLSelectElement>('task').value,
    learningRate: positiveSetting('lr'),
    epochs: positiveSetting('epochs'),
    batchSize: numberSetting('batch', 1),
    maxSeqLength: numberSetting('max_seq_length', 3),
    threads: numberSetting('threads', 1, 48),
    seed: numberSetting('seed', -(2 ** 31)),
    doLowerCase: $<HTMLInputElement>('lower_case').checked,
    trainRows: numberSetting('train_rows', 0),
  };
}

// ---- files: picked or dropped, listed with the role each will play ----
let files: UserFile[] = [];

async function addFiles(list: FileList | null): Promise<void> {
  const added = await Promise.all(
    [...(list ?? [])].map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })),
  );
  const names = new Set(added.map((f) => f.name));
  files = [...files.filter((f) => !names.has(f.name)), ...added];
  $('files').replaceChildren(
    ...files.map((f) => {
      const li = document.createElement('li');
      const role = roleOf(f.name) ?? 'not used (unknown name)';
      li.textContent = `${f.name} (${(f.bytes.byteLength / 1024).toFixed(0)} KiB): ${role}`;
      return li;
    }),
  );
}

// ---- the engine worker ----
let worker: Worker;
let points: CurvePoint[] = [];
/** The settings of the run in progress (the inputs may change while it runs). */
let running: TrainSettings | null = null;
let started = 0;
let lastDraw = 0;
let lastStep = '';

function startWorker(): void {
  worker = new Worker(new URL('./engine_worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<Reply>) => onReply(e.data);
  worker.onerror = (e) => fail(`engine worker: ${e.message || 'failed to start'}`);
}

function send(m: Request, transfer: Transferable[] = []): void {
  worker.postMessage(m, transfer);
}

function setStatus(text: string, kind: 'busy' | 'done' | 'error' | 'idle'): void {
  status.textContent = text;
  status.className = kind;
}

function fail(message: string): void {
  setStatus(`error: ${message}`, 'error');
  trainButton.disabled = false;
  cancelButton.disabled = true;
}

function minutes(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.round(s - 60 * m)).padStart(2, '0')}`;
}

function onStep(step: number, total: number, loss: number, lr: number): void {
  const now = performance.now();
  if (step === 1) started = now;
  points.push({ step, loss, lr });
  // examples/s over the steps after the first (the first one includes the warm-up of the pool)
  const batch = running?.batchSize ?? 0;
  const rate = step > 1 ? ((step - 1) * batch * 1000) / (now - started) : 0;
  const eta = rate > 0 ? ((total - step) * batch) / rate : 0;
  lastStep = `${step} steps, ${rate.toFixed(1)} examples/s`;
  setStatus(
    `step ${step}/${total} · ${rate.toFixed(1)} examples/s · ETA ${minutes(eta)} · loss ${loss.toFixed(4)}`,
    'busy',
  );
  // the curve once a second: drawing on every step would take CPU time from the engine's threads
  if (now - lastDraw > 1000 || step === total) {
    lastDraw = now;
    $('curve').innerHTML = trainingCurveSvg(points, (running?.task ?? '').toUpperCase());
  }
}

function onTrained(results: Record<string, number> | null): void {
  // eval_results.txt's metrics (eval_accuracy, eval_f1 for MRPC, eval_loss, …), not its step and loss
  const metrics = Object.entries(results ?? {}).filter(([k]) => k.startsWith('eval_'));
  const shown = metrics.map(([k, v]) => `${k}=${v.toFixed(4)}`);
  const tail = results === null ? 'no dev.tsv given, so no eval' : shown.join(' · ');
  setStatus(`done: ${tail} · ${lastStep}`, 'done');
  trainButton.disabled = false;
  cancelButton.disabled = true;
  for (const id of ['classify', 'download']) $<HTMLButtonElement>(id).disabled = false;
}

function onReply(m: Reply): void {
  if (m.type === 'log') $('log').append(`${m.line}\n`);
  else if (m.type === 'started') $('threads_used').textContent = String(m.threads);
  else if (m.type === 'step') onStep(m.step, m.total, m.loss, m.lr);
  else if (m.type === 'trained') onTrained(m.evalResults);
  else if (m.type === 'prediction') showPrediction(m.label, m.probabilities);
  else if (m.type === 'zip') saveZip(m.bytes);
  else fail(m.message);
}

function showPrediction(label: string, probabilities: Record<string, number>): void {
  const el = $('prediction');
  const shown = Object.entries(probabilities).map(([l, p]) => `p(${l}) = ${p.toFixed(4)}`);
  el.textContent = `label ${label} · ${shown.join(' · ')}`;
  el.dataset.probabilities = JSON.stringify(probabilities);
}

function saveZip(bytes: ArrayBuffer): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
  a.download = 'bert-ts-model.zip';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---- controls ----
function train(): void {
  const s = settings();
  running = s;
  points = [];
  $('log').textContent = '';
  $('curve').replaceChildren();
  for (const id of ['classify', 'download']) $<HTMLButtonElement>(id).disabled = true;
  trainButton.disabled = true;
  cancelButton.disabled = false;
  setStatus('loading the model and data…', 'busy');
  // copies: the page keeps its files for the next run
  send({
    type: 'train',
    settings: s,
    files: files.map((f) => ({ ...f, bytes: f.bytes.slice(0) })),
  });
}

function cancel(): void {
  // the engine is busy inside a synchronous training loop: stopping its worker is the way out
  worker.terminate();
  startWorker();
  setStatus(`cancelled at ${status.textContent}`, 'idle');
  trainButton.disabled = false;
  cancelButton.disabled = true;
}

function wire(): void {
  const guard = (f: () => void) => () => {
    try {
      f();
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
  };
  trainButton.onclick = guard(train);
  cancelButton.onclick = guard(cancel);
  $('classify').onclick = guard(() => {
    const text = (id: string) => $<HTMLTextAreaElement>(id).value;
    send({ type: 'classify', textA: text('text_a'), textB: text('text_b') });
  });
  $('download').onclick = guard(() => send({ type: 'download' }));
  const input = $<HTMLInputElement>('file_input');
  input.onchange = () => void addFiles(input.files).catch((e) => fail(String(e)));
  const drop = $('drop');
  drop.ondragover = (e) => e.preventDefault();
  drop.ondrop = (e) => {
    e.preventDefault();
    void addFiles(e.dataTransfer?.files ?? null).catch((err) => fail(String(err)));
  };
  $('clear_files').onclick = () => {
    files = [];
    input.value = '';
    $('files').replaceChildren();
  };
}

window.addEventListener('error', (e) => fail(e.message));
window.addEventListener('unhandledrejection', (e) => fail(String(e.reason)));
presetFromQuery();
wire();
startWorker();
setStatus(
  `ready: ${isolated ? 'cross-origin isolated, multi-threaded' : 'one thread'}; press Train`,
  'idle',
);
