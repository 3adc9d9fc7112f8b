import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Crc32c, maskCrc, unmaskCrc, crc32c } from '../../src/formats/crc32c.js';
import { readTFRecords, TFRecordWriter } from '../../src/formats/tfrecord.js';
import { SHARED } from '../shared.js';

const MRPC_EVAL = join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128/eval.tf_record');

describe('crc32c', () => {
  it('is Castagnoli (check value of "123456789" is 0xe3069283)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });
  it('incremental updates equal one pass over the concatenation', () => {
    const bytes = new Uint8Array(1000).map((_, i) => (i * 31) & 255);
    const c = new Crc32c()
      .update(bytes.subarray(0, 3))
      .update(bytes.subarray(3, 517))
      .update(bytes.subarray(517));
    expect(c.digest()).toBe(crc32c(bytes));
    expect(crc32c(bytes)).not.toBe(0);
  });
  it('mask and unmask are inverse', () => {
    for (const x of [0, 1, 0xe3069283, 0xffffffff]) expect(unmaskCrc(maskCrc(x))).toBe(x >>> 0);
  });
});

describe('TFRecord framing', () => {
  it("reads Google's run_classifier eval.tf_record: 408 records, every crc verified", () => {
    expect([...readTFRecords(MRPC_EVAL)].length).toBe(408);
  });
  it('round-trips records byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrec-'));
    const path = join(dir, 'x.tfrecord');
    const w = new TFRecordWriter(path);
    const payloads = [new Uint8Array([]), new Uint8Array([1, 2, 3]), new Uint8Array(1000).fill(7)];
    for (const p of payloads) w.write(p);
    w.close();
    expect([...readTFRecords(path)]).toEqual(payloads);
    expect(readdirSync(dir)).toEqual(['x.tfrecord']);
  });
  it('rewrites a real file identically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrec-'));
    const path = join(dir, 'copy.tf_record');
    const w = new TFRecordWriter(path);
    for (const p of readTFRecords(MRPC_EVAL)) w.write(p);
    w.close();
    expect(Buffer.compare(readFileSync(path), readFileSync(MRPC_EVAL))).toBe(0);
  });
  it('names the record with a flipped byte and the truncated one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfrec-'));
    const bytes = new Uint8Array(readFileSync(MRPC_EVAL));
    const records = [...readTFRecords(MRPC_EVAL)];
    const offsetOf3 = records.slice(0, 3).reduce((s, r) => s + r.length + 16, 0);
    const flipped = bytes.slice();
    flipped[offsetOf3 + 12 + 5]! ^= 0x40;
    const bad = join(dir, 'bad.tf_record');
    writeFileSync(bad, flipped);
    expect(() => [...readTFRecords(bad)]).toThrow(
      `${bad}: record 3 at byte ${offsetOf3}: payload crc32c`,
    );
    const cut = join(dir, 'cut.tf_record');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    expect(() => [...readTFRecords(cut)]).toThrow(
      /record 407 at byte \d+: record of \d+ bytes runs past the end/,
    );
  });
});
