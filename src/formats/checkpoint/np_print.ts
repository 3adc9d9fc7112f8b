// str(ndarray) as numpy prints it with its default options (precision 8, threshold 1000,
// edgeitems 3, linewidth 75), for inspect_checkpoint, whose Python original does
// print(reader.get_tensor(name)). Follows numpy/core/arrayprint.py: FloatingFormat picks
// positional or scientific notation from the shown values (scientific when max >= 1e8, min <
// 1e-4 or max/min > 1000), pads every element to one width, and _formatArray wraps lines and
// summarises long axes with '...'. Held to numpy's own output by test/fixtures/inspect.
import { npFloat32Str, pyFloatRepr } from '../../util/py_format.js';
import { type Tensor, toFloat32 } from './tensor.js';

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 75;

/** Shortest digits that read back as x (float32 when `f32`), as mantissa "d.ddd" and exponent. */
function shortestSci(x: number, f32: boolean): { mant: string; exp: number } {
  for (let p = 1; p <= 17; p++) {
    const s = x.toExponential(p - 1);
    const back = Number(s);
    if ((f32 ? Math.fround(back) : back) === x) {
      const [mant, exp] = s.split('e') as [string, string];
      return { mant, exp: Number(exp) };
    }
  }
  const [mant, exp] = x.toExponential(16).split('e') as [string, string];
  return { mant, exp: Number(exp) };
}

/** dragon4_positional(x, precision=8, unique=True, trim='.'): "2.", "0.5", "-0.00915232". */
function positional(x: number, f32: boolean): string {
  const { mant, exp } = shortestSci(Math.abs(x), f32);
  const digits = mant.replace('.', '');
  let s: string;
  if (exp >= 0)
    s =
      digits.length > exp + 1
        ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
        : digits.padEnd(exp + 1, '0') + '.';
  else s = '0.' + '0'.repeat(-exp - 1) + digits;
  const frac = s.length - s.indexOf('.') - 1;
  // More fractional digits than the precision: round the value itself, then trim zeros.
  if (frac > PRECISION) s = Math.abs(x).toFixed(PRECISION).replace(/0+$/, '');
  return (x < 0 || Object.is(x, -0) ? '-' : '') + s;
}

/** dragon4_scientific(x, precision=8, unique=True, trim='.'): "1.e+09", "-3.75e-07". */
function scientific(x: number, f32: boolean): string {
  let { mant, exp } = shortestSci(Math.abs(x), f32);
  if (mant.length - 2 > PRECISION)
    [mant, exp] = Math.abs(x)
      .toExponential(PRECISION)
      .split('e')
      .map((v, i) => (i === 0 ? v.replace(/0+$/, '') : Number(v))) as [string, number];
  if (!mant.includes('.')) mant += '.';
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return (x < 0 ? '-' : '') + mant + 'e' + e;
}

type Format = (x: number | bigint) => string;

/** numpy's FloatingFormat fitted to the values that will be shown. */
function floatFormat(values: number[], f32: boolean): Format {
  const finite = values.filter(Number.isFinite);
  const abs = finite.filter((v) => v !== 0).map(Math.abs);
  const max = Math.max(...abs);
  const min = Math.min(...abs);
  const exp = abs.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1000);
  let padLeft = 0;
  let padRight = 0;
  let fmt: (v: number) => string = (v) => positional(v, f32);
  if (finite.length > 0 && exp) {
    const parts = finite.map((v) => scientific(v, f32).split('e') as [string, string]);
    const expSize = Math.max(...parts.map((p) => p[1].length)) - 1;
    const precision = Math.max(...parts.map((p) => p[0].split('.')[1]!.length));
    padLeft = Math.max(...parts.map((p) => p[0].split('.')[0]!.length));
    padRight = expSize + 2 + precision;
    // min_digits = precision: digits past the shortest ones are the value's own, not zeros.
    fmt = (v): string => {
      const [m, e] = Math.abs(v).toExponential(precision).split('e') as [string, string];
      const [i, f] = m.split('.') as [string, string | undefined];
      const digits = e.slice(1).padStart(expSize, '0');
      return `${((v < 0 ? '-' : '') + i).padStart(padLeft)}.${f ?? ''}e${e[0]}${digits}`;
    };
  } else if (finite.length > 0) {
    const parts = finite.map((v) => positional(v, f32).split('.') as [string, string]);
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = Math.max(...parts.map((p) => p[1].length));
    fmt = (v): string => {
      const [i, f] = positional(v, f32).split('.') as [string, string];
      return `${i.padStart(padLeft)}.${f.padEnd(padRight)}`;
    };
  }
  if (finite.length !== values.length) {
    const negInf = values.some((v) => v === -Infinity) ? 1 : 0;
    padLeft = Math.max(padLeft, 3 - (padRight + 1), 3 + negInf - (padRight + 1));
  }
  return (x) => {
    const v = Number(x);
    if (Number.isFinite(v)) return fmt(v);
    const s = Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    return s.padStart(padLeft + padRight + 1);
  };
}

/** The flat indices numpy shows (edge items of each long axis when summarising). */
function shownIndices(shape: number[], summarise: boolean): number[] {
  const out: number[] = [];
  const walk = (axis: number, base: number): void => {
    if (axis === shape.length) return void out.push(base);
    const n = shape[axis]!;
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    for (const i of axisItems(n, summarise)) if (i !== null) walk(axis + 1, base + i * stride);
  };
  walk(0, 0);
  return out;
}

/** Indices along an axis, null standing for the '...' of a summarised axis. */
function axisItems(n: number, summarise: boolean): (number | null)[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (!summarise || n <= 2 * EDGE) return all;
  return [...all.slice(0, EDGE), null, ...all.slice(n - EDGE)];
}

/** _formatArray: nested brackets, lines wrapped at 75 columns with a one-space hanging indent. */
function formatArray(shape: number[], at: (flat: number) => string, summarise: boolean): string {
  const rec = (axis: number, base: number, indent: string, width: number): string => {
    const n = shape[axis]!;
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const items = axisItems(n, summarise);
    const left = shape.length - axis;
    let s = '';
    if (left === 1) {
      const elemWidth = width - 1; // max(len(separator.rstrip()), len(']'))
      let line = indent;
      items.forEach((i, k) => {
        const word = i === null ? '...' : at(base + i);
        if (line.length + word.length > elemWidth && line.length > indent.length) {
          s += line.trimEnd() + '\n';
          line = indent;
        }
        line += word + (k < items.length - 1 ? ' ' : '');
      });
      s += line;
    } else {
      const sep = '\n'.repeat(left - 1);
      s = items
        .map(
          (i) =>
            indent +
            (i === null ? '...' : rec(axis + 1, base + i * stride, indent + ' ', width - 1)),
        )
        .join(sep);
    }
    return '[' + s.slice(indent.length) + ']';
  };
  return rec(0, 0, ' ', LINE_WIDTH);
}

/** What `print(reader.get_tensor(name))` prints for this tensor. */
export function numpyStr(t: Tensor): string {
  if (t.dtype === 'string')
    return t.data.length === 1 ? `<${t.data[0]!.length} bytes>` : `<${t.data.length} byte strings>`;
  const half = t.dtype === 'float16' || t.dtype === 'bfloat16';
  // Indexed, not spread: a BERT-Large embedding has 31M values and only a few are shown.
  const values: ArrayLike<number | bigint> = half ? toFloat32(t)! : t.data;
  if (t.shape.length === 0) return scalarStr(t.dtype, values[0]!);
  if (values.length === 0) return '[]';
  const summarise = values.length > THRESHOLD;
  const shown = shownIndices(t.shape, summarise).map((i) => values[i]!);
  let fmt: Format;
  if (t.dtype === 'bool') fmt = (x): string => (x ? ' True' : 'False');
  else if (t.dtype === 'int32' || t.dtype === 'int64') {
    const w = Math.max(...shown.map((v) => String(v).length));
    fmt = (x): string => String(x).padStart(w);
  } else fmt = floatFormat(shown.map(Number), t.dtype !== 'float64');
  return formatArray(t.shape, (i) => fmt(values[i]!), summarise);
}

function scalarStr(dtype: Tensor['dtype'], v: number | bigint): string {
  if (dtype === 'float64') return pyFloatRepr(Number(v));
  if (dtype === 'bool') return v ? 'True' : 'False';
  if (dtype === 'int32' || dtype === 'int64') return String(v);
  return npFloat32Str(Number(v));
}
