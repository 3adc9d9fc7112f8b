// Python 3.11's view of Unicode, for code that must give the same answers as Python: str.isspace,
// str.strip, str.lower, unicodedata.normalize('NFD') and the category tests the BERT tokenizer
// makes (Cc/Cf, Zs, P*, Mn). Text is walked by code point, never by UTF-16 unit.
//
// Version pinning. Python 3.11's unicodedata is Unicode 14.0.0; Node 20 carries Unicode 17.0. We
// use Node's tables (\p{...} property escapes, toLowerCase, normalize) and correct them back to
// 14.0, so that every code point behaves as in Python 3.11:
// - a code point unassigned in 14.0 (UNASSIGNED_IN_UNICODE_14, generated from Python) is category
//   Cn for Python: no category test matches it, lower() and NFD leave it alone, and it is neither
//   cased nor case-ignorable (so it ends the final-sigma context);
// - two assigned code points changed category after 14.0 (found by comparing category, lower(),
//   NFD and sigma context of all 284,278 assigned code points with Python): U+0295 ʕ was Ll
//   (cased) and is Lo in Node; U+1171E AHOM CONSONANT SIGN MEDIAL RA was Mn and is Mc in Node.
// test/util/unicode.test.ts holds every code point to Python's output (docs/tokenization.md).
import { UNASSIGNED_IN_UNICODE_14 } from './unicode14_unassigned.js';

const LATIN_LETTER_PHARYNGEAL = 0x295; // Ll in 14.0, Lo later
const AHOM_MEDIAL_RA = 0x1171e; // Mn in 14.0, Mc later

/** True when `cp` is unassigned (category Cn) in Unicode 14.0, i.e. for Python 3.11. */
export function isUnassignedInUnicode14(cp: number): boolean {
  const r = UNASSIGNED_IN_UNICODE_14;
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < r[2 * mid]!) hi = mid - 1;
    else if (cp > r[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function rangeClass(pairs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < pairs.length; i += 2)
    parts.push(`\\u{${pairs[i]!.toString(16)}}-\\u{${pairs[i + 1]!.toString(16)}}`);
  return parts.join('');
}

/** Matches any code point unassigned in Unicode 14.0. */
const UNASSIGNED_14_RE = new RegExp(`[${rangeClass(UNASSIGNED_IN_UNICODE_14)}]`, 'u');
// A code point above U+007F: text without one needs no Unicode tables.
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
const NON_ASCII_RE = /[^\u0000-\u007f]/;

function charOf(cp: number): string {
  return String.fromCodePoint(cp);
}

const CONTROL_RE = /^[\p{Cc}\p{Cf}]$/u;
const ZS_RE = /^\p{Zs}$/u;
const PUNCT_RE = /^\p{P}$/u;
const MN_RE = /^\p{Mn}$/u;

/** unicodedata.category(c) in ('Cc', 'Cf'). */
export function pyIsCcOrCf(cp: number): boolean {
  return CONTROL_RE.test(charOf(cp)) && !isUnassignedInUnicode14(cp);
}

/** unicodedata.category(c) == 'Zs'. */
export function pyIsZs(cp: number): boolean {
  return ZS_RE.test(charOf(cp)) && !isUnassignedInUnicode14(cp);
}

/** unicodedata.category(c).startswith('P'). */
export function pyIsPunctuationCategory(cp: number): boolean {
  return PUNCT_RE.test(charOf(cp)) && !isUnassignedInUnicode14(cp);
}

/** unicodedata.category(c) == 'Mn'. */
export function pyIsMn(cp: number): boolean {
  if (cp === AHOM_MEDIAL_RA) return true;
  return MN_RE.test(charOf(cp)) && !isUnassignedInUnicode14(cp);
}

/**
 * str.isspace() for one code point: the characters with bidirectional class WS, B or S, or
 * category Zs. The set is the same in Unicode 14 and 17 (checked in test/util/unicode.test.ts).
 */
const PY_SPACE = new Set([
  0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f,
  0x3000,
]);

export function pyIsSpace(cp: number): boolean {
  return PY_SPACE.has(cp);
}

/** str.strip() with no argument: removes leading and trailing str.isspace() characters. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  // Every str.isspace() character is in the BMP, so UTF-16 units can be tested directly here.
  while (start < end && PY_SPACE.has(s.charCodeAt(start))) start++;
  while (end > start && PY_SPACE.has(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** str.split() with no argument: splits on runs of str.isspace() characters, no empty parts. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const space = PY_SPACE.has(s.charCodeAt(i));
    if (space && start >= 0) {
      out.push(s.slice(start, i));
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

const CASED_RE = /^\p{Cased}$/u;
const CASE_IGNORABLE_RE = /^\p{Case_Ignorable}$/u;

function pyIsCased(cp: number): boolean {
  if (cp === LATIN_LETTER_PHARYNGEAL) return true;
  return CASED_RE.test(charOf(cp)) && !isUnassignedInUnicode14(cp);
}

function pyIsCaseIgnorable(cp: number): boolean {
  if (cp === AHOM_MEDIAL_RA) return true;
  return CASE_IGNORABLE_RE.test(charOf(cp)) && !isUnassignedInUnicode14(cp);
}

const CAPITAL_SIGMA = 0x3a3;

/**
 * Python's choice for a capital sigma at index `i` of `cps` (unicodeobject.c handle_capital_sigma):
 * final ς when a cased letter precedes it (skipping case-ignorable characters) and none follows.
 */
function lowerSigma(cps: readonly number[], i: number): string {
  let j = i - 1;
  while (j >= 0 && pyIsCaseIgnorable(cps[j]!)) j--;
  if (j < 0 || !pyIsCased(cps[j]!)) return 'σ';
  let k = i + 1;
  while (k < cps.length && pyIsCaseIgnorable(cps[k]!)) k++;
  return k === cps.length || !pyIsCased(cps[k]!) ? 'ς' : 'σ';
}

/** The slow, exact path of pyLower: one code point at a time with Python's final-sigma rule. */
function lowerByCodePoint(s: string): string {
  const cps = Array.from(s, (c) => c.codePointAt(0)!);
  let out = '';
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    if (cp === CAPITAL_SIGMA) out += lowerSigma(cps, i);
    else if (isUnassignedInUnicode14(cp)) out += charOf(cp);
    else out += charOf(cp).toLowerCase();
  }
  return out;
}

const NEEDS_CARE_RE = new RegExp(`[\\u0295\\u{1171e}${rangeClass(UNASSIGNED_IN_UNICODE_14)}]`, 'u');

/**
 * str.lower(): full lower-casing (U+0130 İ → "i̇"), final-sigma aware. JS toLowerCase applies the
 * same SpecialCasing rules (checked for every code point and every sigma context in the tests);
 * text holding a character whose properties changed since 14.0 takes the exact slow path.
 */
export function pyLower(s: string): string {
  if (!NON_ASCII_RE.test(s) || !NEEDS_CARE_RE.test(s)) return s.toLowerCase();
  return lowerByCodePoint(s);
}

/**
 * unicodedata.normalize('NFD', s). A code point unassigned in 14.0 has no decomposition and
 * combining class 0 for Python, so canonical reordering never crosses it: normalising the
 * pieces between such code points separately is exact.
 */
export function pyNfd(s: string): string {
  if (!NON_ASCII_RE.test(s)) return s;
  if (!UNASSIGNED_14_RE.test(s)) return s.normalize('NFD');
  let out = '';
  let piece = '';
  for (const c of s) {
    if (isUnassignedInUnicode14(c.codePointAt(0)!)) {
      out += piece.normalize('NFD') + c;
      piece = '';
    } else piece += c;
  }
  return out + piece.normalize('NFD');
}

const MN_GLOBAL_RE = /[\p{Mn}\u{1171e}]/gu;

/** Deletes every category-Mn code point (the accent-stripping filter of BasicTokenizer). */
export function pyRemoveMn(s: string): string {
  if (!NON_ASCII_RE.test(s)) return s;
  if (!UNASSIGNED_14_RE.test(s)) return s.replace(MN_GLOBAL_RE, '');
  let out = '';
  for (const c of s) if (!pyIsMn(c.codePointAt(0)!)) out += c;
  return out;
}
