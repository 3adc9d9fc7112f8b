// Numbers printed the way Python and numpy print them, for output files that must match the
// original byte for byte: `repr(float)` (json.dumps, extract_features) and `str(np.float32)`
// (eval_results.txt, test_results.tsv).

/** Shortest round-trip digits of `x` and the decimal exponent: x = 0.DIGITS × 10^decpt. */
function shortestDigits(x: number, isFloat32: boolean): { digits: string; decpt: number } {
  let exp = '';
  if (isFloat32) {
    // The fewest significant digits that read back as the same float32. toPrecision rounds
    // the exact binary value correctly, so this is the closest shortest string (as Dragon4).
    for (let p = 1; p <= 9; p++) {
      const s = x.toExponential(p - 1);
      if (Math.fround(Number(s)) === x) {
        exp = s;
        break;
      }
    }
  } else {
    exp = x.toExponential(); // JS gives the shortest round-trip digits for float64
  }
  const [mant = '', e = '0'] = exp.split('e');
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, decpt: Number(e) + 1 };
}

function positional(digits: string, decpt: number): string {
  if (decpt <= 0) return '0.' + '0'.repeat(-decpt) + digits;
  if (decpt >= digits.length) return digits + '0'.repeat(decpt - digits.length) + '.0';
  return digits.slice(0, decpt) + '.' + digits.slice(decpt);
}

function scientific(digits: string, decpt: number): string {
  const e = decpt - 1;
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = e < 0 ? '-' : '+';
  return `${mant}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
}

function special(x: number, inf: string, nan: string): string | null {
  if (Number.isNaN(x)) return nan;
  if (x === Infinity) return inf;
  if (x === -Infinity) return '-' + inf;
  return null;
}

/** Python 3 `repr(x)` of a float: `0.1`, `1e-05`, `1e+16`, `100.0`, `-0.0`, `inf`, `nan`. */
export function pyFloatRepr(x: number): string {
  const s = special(x, 'inf', 'nan');
  if (s !== null) return s;
  const neg = x < 0 || Object.is(x, -0);
  const { digits, decpt } = shortestDigits(Math.abs(x), false);
  // Python's float_repr_style 'short': scientific when decpt <= -4 or decpt > 16.
  const body = decpt > -4 && decpt <= 16 ? positional(digits, decpt) : scientific(digits, decpt);
  return (neg ? '-' : '') + body;
}

/** A float as Python's `json.dumps` writes it (`Infinity`, `NaN`, otherwise repr). */
export function pyJsonFloat(x: number): string {
  return special(x, 'Infinity', 'NaN') ?? pyFloatRepr(x);
}

/** numpy `str(np.float32(x))`: `0.6838235`, `1.0`, `1e-05`, `1.5e+16`. */
export function npFloat32Str(x: number): string {
  const f = Math.fround(x);
  const s = special(f, 'inf', 'nan');
  if (s !== null) return s;
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  const { digits, decpt } = shortestDigits(a, true);
  // numpy scalar str: positional when x == 0 or 1e-4 <= |x| < 1e16, else scientific.
  const usePositional = a === 0 || (a >= 1e-4 && a < 1e16);
  const body = usePositional ? positional(digits, decpt) : scientific(digits, decpt);
  return (neg ? '-' : '') + body;
}

/** Python 3 `round(x)` to an integer: halves go to the even neighbour (`round(4.5) == 4`). */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python `round(x, ndigits)` for a float: the float nearest to the correctly rounded decimal. */
export function pyRoundTo(x: number, ndigits: number): number {
  // A double of magnitude ≥ 2^52 is an integer already (and toFixed would switch to exponent
  // notation from 1e21): rounding leaves it as it is, as in Python.
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  const r = Number(exactRoundHalfEven(x, ndigits));
  // Python keeps the sign of a result that rounds to zero: round(-1e-9, 6) == -0.0.
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/**
 * A string as Python's json.dumps writes it (ensure_ascii): JSON.stringify already escapes
 * quotes, backslashes and control characters with the same spellings; Python also escapes DEL
 * and every non-ASCII UTF-16 unit as lowercase \uXXXX.
 */
export function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** Decimal string of x rounded to ndigits after the point, half-even on the exact binary value. */
function exactRoundHalfEven(x: number, ndigits: number): string {
  // 40 extra digits are enough for the exact expansion relevant to a tie at ndigits <= 20.
  const wide = x.toFixed(Math.min(100, ndigits + 40));
  const dot = wide.indexOf('.');
  const keep = wide.slice(0, dot + 1 + ndigits);
  const rest = wide.slice(dot + 1 + ndigits);
  const tie = /^50*$/.test(rest);
  const up = rest[0] !== undefined && (rest[0] > '5' || (rest[0] === '5' && !tie));
  const lastDigit = keep.replace('.', '').slice(-1);
  const roundUp = up || (tie && Number(lastDigit) % 2 === 1);
  const rounded = roundUp ? incrementDecimal(keep) : keep;
  return rounded;
}

function incrementDecimal(s: string): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const chars = body.split('');
  let i = chars.length - 1;
  for (; i >= 0; i--) {
    const c = chars[i]!;
    if (c === '.') continue;
    if (c === '9') chars[i] = '0';
    else {
      chars[i] = String(Number(c) + 1);
      break;
    }
  }
  const out = (i < 0 ? '1' : '') + chars.join('');
  return (neg ? '-' : '') + out;
}
