// Python's float(str) for label scores (STS-B): the same strings parse, to the same double.
// Number() differs: it accepts "0x10", "" and "1e" forms Python rejects, and rejects "1_0", "inf".

const DIGITS = String.raw`\d(?:_?\d)*`;
const DECIMAL = new RegExp(
  String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`,
);
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** float(text) as Python computes it, or null where Python raises ValueError. */
export function parsePyFloat(text: string): number | null {
  const s = text.trim();
  const special = SPECIAL.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  return DECIMAL.test(s) ? Number(s.replaceAll('_', '')) : null;
}
