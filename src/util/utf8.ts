// UTF-8 decoding that drops invalid bytes, as Python's `bytes.decode('utf-8', 'ignore')` does:
// tokenization.convert_to_unicode and the run_classifier TSV readers decode text this way.
// TextDecoder can only replace (U+FFFD) or throw, and a real U+FFFD in the text must survive, so
// the lenient path is written here: keep every well-formed sequence (Unicode Table 3-7), drop
// every other byte one at a time. That equals Python's result, since a dropped maximal subpart is
// exactly its lead byte and the continuation bytes after it, each invalid on its own.

const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT = new TextDecoder('utf-8', { ignoreBOM: true });

/** [low, high] of the second byte for each lead byte (Table 3-7); later bytes are 80..BF. */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** Length of the well-formed sequence starting at `i`, or 0 if none starts there. */
function sequenceLength(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  if (lead < 0x80) return 1;
  const len = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : 0;
  const n = len || (lead >= 0xf0 && lead <= 0xf4 ? 4 : 0);
  if (n === 0 || i + n > b.length) return 0;
  const [lo, hi] = secondByteRange(lead);
  if (b[i + 1]! < lo || b[i + 1]! > hi) return 0;
  for (let k = 2; k < n; k++) if (b[i + k]! < 0x80 || b[i + k]! > 0xbf) return 0;
  return n;
}

/**
 * Decodes UTF-8, dropping invalid bytes (Python `.decode('utf-8', 'ignore')`). A leading BOM is
 * kept as U+FEFF, as Python's 'utf-8' codec keeps it.
 */
export function decodeUtf8Ignore(bytes: Uint8Array): string {
  try {
    return STRICT.decode(bytes);
  } catch {
    const kept = new Uint8Array(bytes.length);
    let n = 0;
    for (let i = 0; i < bytes.length;) {
      const len = sequenceLength(bytes, i);
      if (len === 0) {
        i++;
        continue;
      }
      kept.set(bytes.subarray(i, i + len), n);
      n += len;
      i += len;
    }
    return LENIENT.decode(kept.subarray(0, n));
  }
}

/** tokenization.convert_to_unicode: text stays as is, bytes are decoded dropping invalid bytes. */
export function convertToUnicode(text: string | Uint8Array): string {
  return typeof text === 'string' ? text : decodeUtf8Ignore(text);
}

const ENCODER = new TextEncoder();

/**
 * Decodes UTF-8, malformed bytes as U+FFFD and a leading BOM kept as U+FEFF: what Node's
 * Buffer#toString('utf8') and readFileSync(path, 'utf8') give, on any host.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return LENIENT.decode(bytes);
}

/** The UTF-8 bytes of `text` (lone surrogates as U+FFFD, as Buffer.from(text, 'utf8')). */
export function encodeUtf8(text: string): Uint8Array {
  return ENCODER.encode(text);
}
