// The training-curve SVG (well-formed, holds every point, ticks where expected) and the
// progress reporter's Estimator-style log lines.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCurve, ticks, trainingCurveSvg, writeCurve } from '../../src/train/plot.js';
import { TrainProgress } from '../../src/train/progress.js';
import { terminalBar } from '../../src/cli/progress_bar.js';
import { learningRate } from '../../src/train/schedule.js';
import { collectingLogger } from '../../src/util/log.js';

const SCHED = { initLr: 2e-5, numTrainSteps: 343, numWarmupSteps: 34 };
const POINTS = Array.from({ length: 343 }, (_, s) => ({
  step: s,
  loss: 0.7 - s / 1000,
  lr: learningRate(SCHED, s),
}));

describe('trainingCurveSvg', () => {
  const svg = trainingCurveSvg(POINTS, 'MRPC');
  it('is one balanced svg element with two polylines of 343 points each', () => {
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg.match(/<svg /g)).toHaveLength(1);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"\/>/g)];
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l[1]!.split(' ')).toHaveLength(343);
    // every element is self-closed or closed: count tags
    const open = (svg.match(/<(svg|text)[ >]/g) ?? []).length;
    const close = (svg.match(/<\/(svg|text)>/g) ?? []).length;
    expect(open).toBe(close);
  });
  it('maps the first and last step to the plot edges (x = 80 and x = 700)', () => {
    const pts = svg.match(/points="([^"]*)"/)![1]!.split(' ');
    expect(pts[0]!.split(',')[0]).toBe('80.00');
    expect(pts[342]!.split(',')[0]).toBe('700.00');
  });
  it('labels the axes', () => {
    expect(svg).toContain('MRPC: training loss');
    expect(svg).toContain('learning rate');
    expect(svg).toContain('global step');
  });
  it('ticks are round numbers covering the range', () => {
    expect(ticks(0, 342)).toEqual([0, 100, 200, 300]);
    expect(ticks(0.357, 0.7)).toEqual([0.4, 0.5, 0.6, 0.7]);
    expect(ticks(0, 2e-5)).toEqual([0, 5e-6, 1e-5, 1.5e-5, 2e-5]);
  });
});

describe('TrainProgress without a terminal', () => {
  it('logs the Estimator lines at the first step and every 100 steps, plain lines every 10', () => {
    const log = collectingLogger();
    let t = 0;
    const p = new TrainProgress({ total: 250, start: 0, logger: log, bar: null, now: () => t });
    for (let s = 0; s < 250; s++) {
      t += 500; // 0.5 s per step
      p.step({ step: s, loss: 0.6931471824645996, lr: 1e-5, tokens: 1000 });
    }
    p.stop();
    const est = log.lines.filter((l) => l.includes('loss = ') || l.includes('global_step/sec'));
    expect(est).toEqual([
      'INFO:loss = 0.6931472, step = 0',
      'INFO:global_step/sec: 2.00000',
      'INFO:loss = 0.6931472, step = 100 (50.000 sec)',
      'INFO:global_step/sec: 2.00000',
      'INFO:loss = 0.6931472, step = 200 (50.000 sec)',
    ]);
    const plain = log.lines.filter((l) => l.startsWith('INFO:step '));
    expect(plain).toHaveLength(25);
    expect(plain[24]).toBe('INFO:step 250/250: loss 0.6931, lr 1.000e-5, 2000 tokens/s');
  });
});

describe('training_curve.tsv', () => {
  it('round-trips the points exactly and cuts at the resume step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-curve-'));
    writeCurve(dir, POINTS.slice(0, 40));
    const text = readFileSync(join(dir, 'training_curve.tsv'), 'utf8');
    expect(text.split('\n')[0]).toBe('step\tloss\tlearning_rate');
    // the float32 learning rate 2e-5/34 printed as Python repr of its float64 value
    expect(text.split('\n')[2]).toBe('1\t0.699\t5.882353093511483e-07');
    expect(readCurve(dir, 1000)).toEqual(POINTS.slice(0, 40));
    expect(readCurve(dir, 35)).toEqual(POINTS.slice(0, 35));
  });
  it('names the file and line of a bad row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-curve-'));
    writeFileSync(join(dir, 'training_curve.tsv'), 'step\tloss\tlearning_rate\n0\t0.5\t0\nx\n');
    expect(() => readCurve(dir, 10)).toThrow(/training_curve.tsv: line 3: expected step/);
  });
  it('is empty for a fresh output_dir', () =>
    expect(readCurve(tmpdir() + '/nope-x', 5)).toEqual([]));
});

describe('TrainProgress on a terminal', () => {
  it('draws a bar with step, loss, learning rate and tokens/s, and still logs the Estimator lines', () => {
    let out = '';
    const tty = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          out += chunk.toString();
          cb();
        },
      }),
      { isTTY: true, columns: 200 },
    );
    const log = collectingLogger();
    let t = 0;
    const p = new TrainProgress({
      total: 4,
      start: 0,
      logger: log,
      bar: terminalBar(tty),
      now: () => t,
    });
    for (let s = 0; s < 4; s++) {
      t += 1000;
      p.step({ step: s, loss: 0.5, lr: 2e-5, tokens: 500 });
    }
    p.stop();
    expect(out).toContain('train ');
    expect(out).toContain('4/4');
    expect(out).toContain('loss 0.5000 | lr 2.000e-5 | 500 tok/s');
    expect(log.lines).toEqual(['INFO:loss = 0.5, step = 0']); // no plain lines on a terminal
  });
});
