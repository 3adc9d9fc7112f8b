// training_curve.svg: the training loss and the learning rate against the step, for people
// who would rather look than read. Hand-written SVG (no plotting library for Node writes a
// plain file without a browser or a native canvas): two panels sharing the step axis, each with
// its own value axis, ticks and a polyline. The points are kept in training_curve.tsv beside
// the checkpoints, so a resumed run plots the whole run.
import { existsSync, readTextFileSync } from '../host/fs.js';
import { join } from 'pathe';
import { FormatError } from '../util/errors.js';
import { writeFileAtomicSync } from '../util/fs.js';
import { pyFloatRepr } from '../util/py_format.js';

export interface CurvePoint {
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
}

const W = 720;
const PANEL_H = 220;
const M = { left: 80, right: 20, top: 30, bottom: 40 };

/** "Nice" tick values (1, 2, 5 × 10^k) covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

function label(x: number): string {
  return Math.abs(x) !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)
    ? x.toExponential(1)
    : String(Number(x.toPrecision(4)));
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Panel {
  readonly title: string;
  readonly color: string;
  readonly top: number;
  readonly value: (p: CurvePoint) => number;
}

function range(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

function panelSvg(points: readonly CurvePoint[], panel: Panel, s0: number, s1: number): string[] {
  const [v0, v1] = range(points.map(panel.value));
  const x0 = M.left;
  const x1 = W - M.right;
  const yTop = panel.top + M.top;
  const yBot = panel.top + PANEL_H - M.bottom;
  const sx = (s: number) => x0 + ((s - s0) / (s1 - s0 || 1)) * (x1 - x0);
  const sy = (v: number) => yBot - ((v - v0) / (v1 - v0)) * (yBot - yTop);
  const out = [
    `<text x="${x0}" y="${panel.top + 18}" font-size="14">${escapeXml(panel.title)}</text>`,
    `<line x1="${x0}" y1="${yBot}" x2="${x1}" y2="${yBot}" stroke="black"/>`,
    `<line x1="${x0}" y1="${yTop}" x2="${x0}" y2="${yBot}" stroke="black"/>`,
  ];
  for (const t of ticks(v0, v1)) {
    const y = sy(t).toFixed(1);
    out.push(`<line x1="${x0 - 4}" y1="${y}" x2="${x0}" y2="${y}" stroke="black"/>`);
    out.push(`<text x="${x0 - 6}" y="${y}" font-size="11" text-anchor="end">${label(t)}</text>`);
  }
  for (const t of ticks(s0, s1)) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${yBot}" x2="${x}" y2="${yBot + 4}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${yBot + 16}" font-size="11" text-anchor="middle">${t}</text>`);
  }
  const pts = points
    .filter((p) => Number.isFinite(panel.value(p)))
    .map((p) => `${sx(p.step).toFixed(2)},${sy(panel.value(p)).toFixed(2)}`)
    .join(' ');
  out.push(`<polyline fill="none" stroke="${panel.color}" stroke-width="1.5" points="${pts}"/>`);
  return out;
}

/** The SVG document for the given points (in step order). */
export function trainingCurveSvg(points: readonly CurvePoint[], title: string): string {
  const s0 = points.length > 0 ? points[0]!.step : 0;
  const s1 = points.length > 0 ? points[points.length - 1]!.step : 1;
  const panels: Panel[] = [
    { title: `${title}: training loss`, color: '#1f77b4', top: 0, value: (p) => p.loss },
    { title: 'learning rate', color: '#d62728', top: PANEL_H, value: (p) => p.lr },
  ];
  const h = 2 * PANEL_H + 20;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="sans-serif">`,
    `<rect width="${W}" height="${h}" fill="white"/>`,
    ...panels.flatMap((p) => panelSvg(points, p, s0, s1)),
    `<text x="${W / 2}" y="${h - 6}" font-size="12" text-anchor="middle">global step</text>`,
    `</svg>`,
    '',
  ].join('\n');
}

export const CURVE_FILE = 'training_curve.tsv';
const CURVE_HEADER = 'step\tloss\tlearning_rate';

/** Writes output_dir/training_curve.tsv (header, then step, loss, learning rate per line). */
export function writeCurve(outputDir: string, points: readonly CurvePoint[]): void {
  const lines = [
    CURVE_HEADER,
    ...points.map((p) => `${p.step}\t${pyFloatRepr(p.loss)}\t${pyFloatRepr(p.lr)}`),
  ];
  writeFileAtomicSync(join(outputDir, CURVE_FILE), lines.join('\n') + '\n');
}

/** The points of output_dir/training_curve.tsv with step < beforeStep ([] without the file). */
export function readCurve(outputDir: string, beforeStep: number): CurvePoint[] {
  const path = join(outputDir, CURVE_FILE);
  if (!existsSync(path)) return [];
  const lines = readTextFileSync(path).split('\n');
  if (lines[0] !== CURVE_HEADER)
    throw new FormatError(`${path}: line 1: expected '${CURVE_HEADER}'`);
  const out: CurvePoint[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line === '') return;
    const [step, loss, lr] = line.split('\t').map(Number);
    if (step === undefined || loss === undefined || lr === undefined || Number.isNaN(step))
      throw new FormatError(`${path}: line ${i + 2}: expected step, loss and learning rate`);
    if (step < beforeStep) out.push({ step, loss, lr });
  });
  return out;
}
