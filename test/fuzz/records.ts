// Seeded mutations of TFRecord files for the record readers' fuzz tests (tfrecord.test.ts,
// squad_records.test.ts): framing damage (truncation, bit flips, a length field past the end),
// payloads damaged under valid crcs, and one feature value replaced under valid crcs.
import { it } from 'vitest';
import { errorReport } from '../../src/cli/main.js';
import { maskedCrc32c } from '../../src/formats/crc32c.js';
import { decodeExample, encodeExample, intFeature } from '../../src/formats/example.js';
import { frameRecord } from '../../src/formats/tfrecord.js';
import {
  expectClean,
  expectCleanOrRefused,
  expectRefused,
  Mutator,
  type Outcome,
  seeds,
} from './harness.js';

/** The byte offset where each record starts, and the file's length last. */
function recordStarts(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = [0];
  for (let at = 0; at < bytes.length; starts.push(at))
    at += 16 + Number(view.getBigUint64(at, true));
  return starts;
}

function payloadOf(bytes: Uint8Array, k: number): Uint8Array {
  const s = recordStarts(bytes);
  return bytes.slice(s[k]! + 12, s[k + 1]! - 4);
}

/** The file with record k's payload replaced (framed with valid crcs). */
function replaceRecord(bytes: Uint8Array, k: number, payload: Uint8Array): Uint8Array {
  const s = recordStarts(bytes);
  return Buffer.concat([bytes.subarray(0, s[k]), frameRecord(payload), bytes.subarray(s[k + 1])]);
}

/** Record k with feature `name`[i] = value, re-encoded with valid crcs. */
export function withValue(bytes: Uint8Array, k: number, name: string, i: number, value: number) {
  const ex = decodeExample(payloadOf(bytes, k));
  const values = [...(ex.get(name)!.values as number[])];
  values[i] = value;
  ex.set(name, intFeature(values));
  return replaceRecord(bytes, k, encodeExample(ex));
}

/** A mutated file, and what its refusal must match (null: the file is still valid). */
export type Case = [name: string, bytes: Uint8Array, place: RegExp | null];

/** Framing damage: truncation, bit flips, a length field (with a valid crc) past the end. */
export function framingCases(bytes: Uint8Array): Case[] {
  const starts = recordStarts(bytes);
  const cases: Case[] = [];
  for (const seed of seeds(6)) {
    const cut = new Mutator(seed).truncate(bytes);
    const onBoundary = starts.includes(cut.length); // a valid, shorter file
    cases.push([`truncated, seed ${seed}`, cut, onBoundary ? null : /record \d+ at byte \d+/]);
  }
  for (const seed of seeds(6, 100))
    cases.push([`bit flip, seed ${seed}`, new Mutator(seed).flip(bytes), /record \d+ at byte \d+/]);
  for (const seed of seeds(2, 200)) {
    const k = new Mutator(seed).int(starts.length - 1);
    const out = bytes.slice();
    const view = new DataView(out.buffer);
    view.setBigUint64(starts[k]!, 1n << 40n, true);
    view.setUint32(starts[k]! + 8, maskedCrc32c(out.subarray(starts[k], starts[k]! + 8)), true);
    const place = new RegExp(`record ${k} at byte ${starts[k]}: record of \\d+ bytes runs past`);
    cases.push([`length field 2^40 in record ${k}, seed ${seed}`, out, place]);
  }
  return cases;
}

/** Payloads damaged under valid crcs: refused naming the record, or still a valid record. */
export function payloadCases(bytes: Uint8Array, count: number): [string, Uint8Array, number][] {
  const n = recordStarts(bytes).length - 1;
  return seeds(count, 300).map((seed) => {
    const m = new Mutator(seed);
    const k = m.int(n);
    return [
      `damaged payload of record ${k}, seed ${seed}`,
      replaceRecord(bytes, k, m.flip(payloadOf(bytes, k))),
      k,
    ];
  });
}

/** Refused naming record k, or (a change the schema cannot see) a clean run. */
export function expectRecordOrClean(o: Outcome, file: string, k: number): void {
  expectCleanOrRefused(o, file, new RegExp(`record ${k}\\b`));
}

/** A reader called directly, as the CLI would report it: stdout the record count, or the error. */
export function readOutcome(read: () => number): Outcome {
  try {
    return { code: 0, stderr: '', stdout: String(read()) };
  } catch (e) {
    const { text, exitCode } = errorReport(e);
    return { code: exitCode, stderr: text, stdout: '' };
  }
}

/**
 * The cases of a reader called directly (`read` writes the bytes to a file and reads it): every
 * framing case refused naming the record and byte (or clean, when the file is still whole), and
 * six damaged payloads refused naming their record (or clean).
 */
export function itRefusesDamage(
  real: Uint8Array,
  read: (bytes: Uint8Array) => { o: Outcome; path: string },
): void {
  it.each(framingCases(real))('%s', (_name, bytes, place) => {
    const { o, path } = read(bytes);
    if (place === null) expectClean(o);
    else expectRefused(o, path, place);
  });
  it.each(payloadCases(real, 6))('%s', (_name, bytes, k) => {
    const { o, path } = read(bytes);
    expectRecordOrClean(o, path, k);
  });
}
