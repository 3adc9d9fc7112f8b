// What a training run shows while it works. On a terminal: a progress bar with the step, ETA,
// loss, learning rate and tokens/s (the CLI's cli-progress bar, src/cli/progress_bar.ts: the core
// draws through this interface and never touches a terminal). Everywhere: the Estimator's own INFO lines —
// `loss = 0.6931472, step = 0` then every 100 steps `loss = …, step = 100 (12.345 sec)` and
// `global_step/sec: …` — so logs still read like run_classifier.py's. Without a terminal the
// bar is replaced by a plain line every `plainEvery` steps.
import type { Logger } from '../util/log.js';
import { npFloat32Str } from '../util/py_format.js';

/** A progress bar on a terminal; `fields` fill its loss, lr and tps slots. */
export interface ProgressBar {
  start(total: number, start: number, fields: Readonly<Record<string, string | number>>): void;
  update(value: number, fields: Readonly<Record<string, string | number>>): void;
  /** Clears the bar's line so that a log line starts at column 0 (the next update redraws it). */
  clearLine(): void;
  stop(): void;
}

export interface ProgressOptions {
  /** The step the run ends at (num_train_steps). */
  readonly total: number;
  /** The global step the run starts (or resumes) from. */
  readonly start: number;
  readonly logger: Logger;
  /** A bar on a terminal, or null for plain log lines. */
  readonly bar: ProgressBar | null;
  /** The Estimator's log_step_count_steps. */
  readonly logEvery?: number;
  /** Plain progress line interval when there is no terminal. */
  readonly plainEvery?: number;
  /** Clock in ms (tests pass a fake one). */
  readonly now?: () => number;
}

export interface StepReport {
  /** The global step the update ran at (before the increment). */
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
  /** Real (non-padding) tokens of the batch. */
  readonly tokens: number;
}

export class TrainProgress {
  private readonly bar: ProgressBar | null;
  private readonly now: () => number;
  private readonly logEvery: number;
  private readonly plainEvery: number;
  private readonly t0: number;
  private lastLogTime: number;
  private lastLogStep: number;
  private tokens = 0;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? (() => performance.now());
    this.logEvery = o.logEvery ?? 100;
    this.plainEvery = o.plainEvery ?? 10;
    this.t0 = this.lastLogTime = this.now();
    this.lastLogStep = o.start;
    this.bar = o.bar;
    this.bar?.start(o.total, o.start, { loss: '-', lr: '-', tps: '-' });
  }

  /** Called after each update; `seconds` since start are derived from the clock. */
  step(r: StepReport): void {
    const t = this.now();
    this.tokens += r.tokens;
    const tps = Math.round(this.tokens / Math.max((t - this.t0) / 1000, 1e-9));
    const done = r.step + 1;
    const first = r.step === this.o.start;
    if (first || r.step % this.logEvery === 0) this.logEstimatorLines(r, t, first);
    if (this.bar) {
      this.bar.update(done, { loss: r.loss.toFixed(4), lr: r.lr.toExponential(3), tps });
    } else if (done % this.plainEvery === 0 || done === this.o.total) {
      this.o.logger.info(
        `step ${done}/${this.o.total}: loss ${r.loss.toFixed(4)}, lr ${r.lr.toExponential(3)}, ${tps} tokens/s`,
      );
    }
  }

  private logEstimatorLines(r: StepReport, t: number, first: boolean): void {
    this.bar?.clearLine();
    const secs = (t - this.lastLogTime) / 1000;
    if (!first) {
      const rate = (r.step - this.lastLogStep) / Math.max(secs, 1e-9);
      this.o.logger.info(`global_step/sec: ${rate.toPrecision(6)}`);
    }
    const tail = first ? '' : ` (${secs.toFixed(3)} sec)`;
    this.o.logger.info(`loss = ${npFloat32Str(r.loss)}, step = ${r.step}${tail}`);
    this.lastLogTime = t;
    this.lastLogStep = r.step;
  }

  /** Ends the bar (a no-op for plain logs). */
  stop(): void {
    this.bar?.stop();
  }
}
