// safetensors: a refgen fixture (numpy as the oracle for half/bfloat16), round trips, and every
// header bound checked on corrupted copies.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafetensorsFile, writeSafetensors } from '../../src/formats/safetensors.js';
import { type Tensor, toFloat32 } from '../../src/formats/checkpoint/tensor.js';
import { pyFloatRepr } from '../../src/util/py_format.js';
import { REPO } from '../shared.js';

const FIXTURE = join(REPO, 'test/fixtures/safetensors/dtypes.safetensors');
const EXPECTED = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/safetensors/dtypes.expected.json'), 'utf8'),
) as Record<string, (string | number)[]>;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'st-'));

function values(t: Tensor): (string | number)[] {
  switch (t.dtype) {
    case 'int64':
    case 'int32':
      return [...t.data].map((x) => String(x));
    case 'bool':
      return [...t.data];
    case 'float64':
      return [...t.data].map(pyFloatRepr);
    default:
      return [...toFloat32(t)!].map(pyFloatRepr);
  }
}

describe('SafetensorsFile on the refgen fixture', () => {
  const f = new SafetensorsFile(FIXTURE);
  it('lists every tensor with its dtype and shape, and the metadata', () => {
    expect(f.names()).toEqual(Object.keys(EXPECTED));
    expect(f.metadata).toEqual({ format: 'pt', made_by: 'refgen' });
    expect(f.info('a.float32')).toEqual({ dtype: 'float32', shape: [2, 3] });
    expect(f.info('c.bfloat16')).toEqual({ dtype: 'bfloat16', shape: [5] });
    expect(f.info('h.scalar')).toEqual({ dtype: 'float32', shape: [] });
  });
  it.each(Object.keys(EXPECTED))(
    '%s: values equal numpy (half and bfloat16 converted exactly)',
    (name) => {
      expect(values(f.readTensor(name))).toEqual(EXPECTED[name]);
    },
  );
  it('readFloat32 converts float16; refuses int64 by name', () => {
    expect(f.readFloat32('b.float16')[7]).toBe(0.0999755859375);
    expect(() => f.readFloat32('e.int64')).toThrow(
      /dtypes\.safetensors: tensor 'e\.int64' is int64, not a float tensor/,
    );
  });
});

describe('writeSafetensors', () => {
  it('round-trips every dtype bit-exactly; header padded to 8 bytes; larger dtypes first', () => {
    const src = new SafetensorsFile(FIXTURE);
    const tensors = src.names().map((n) => src.readTensor(n));
    const path = join(tmp(), 'out.safetensors');
    writeSafetensors(path, tensors, { format: 'pt' });
    const back = new SafetensorsFile(path);
    expect(back.names()).toEqual(src.names());
    for (const t of tensors) expect(back.readTensor(t.name)).toEqual(t);
    const bytes = readFileSync(path);
    const n = Number(bytes.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString()) as Record<
      string,
      { data_offsets: number[] }
    >;
    expect(Object.keys(header).slice(0, 3)).toEqual(['__metadata__', 'd.float64', 'e.int64']);
    expect(header['d.float64']!.data_offsets).toEqual([0, 32]);
  });
  it('refuses a string tensor and leaves no file', () => {
    const dir = tmp();
    const s: Tensor = { name: 's', dtype: 'string', shape: [1], data: [new Uint8Array([1])] };
    expect(() => writeSafetensors(join(dir, 'x.safetensors'), [s])).toThrow(
      /x\.safetensors: tensor 's' is a string tensor/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

/** The fixture with its header replaced (re-padded) or its bytes cut. */
function variant(edit: (h: Record<string, unknown>) => void, cut = 0): string {
  const bytes = readFileSync(FIXTURE);
  const n = Number(bytes.readBigUInt64LE(0));
  const h = JSON.parse(bytes.subarray(8, 8 + n).toString()) as Record<string, unknown>;
  edit(h);
  const json = Buffer.from(JSON.stringify(h));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const out = Buffer.concat([len, json, bytes.subarray(8 + n)]);
  const path = join(tmp(), 'bad.safetensors');
  writeFileSync(path, out.subarray(0, out.length - cut));
  return path;
}
const entry = (h: Record<string, unknown>, k: string): Record<string, unknown> =>
  h[k] as Record<string, unknown>;

describe('safetensors bounds: each bad file is one clear error naming file and place', () => {
  const dir = tmp();
  const raw = (name: string, bytes: Uint8Array): string => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  it('a missing file is a format error naming it', () => {
    expect(() => new SafetensorsFile(join(dir, 'none.safetensors'))).toThrow(
      /none\.safetensors: cannot read the safetensors file: no such file/,
    );
  });
  it.each([
    [
      'shorter than 8 bytes',
      () => raw('short.safetensors', new Uint8Array(5)),
      /short\.safetensors: 5 bytes, too short/,
    ],
    [
      'header length past the end',
      () =>
        raw(
          'long.safetensors',
          Buffer.concat([Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{}')]),
        ),
      /long\.safetensors: byte 0: header length 255 exceeds the file's 2 remaining bytes/,
    ],
    [
      'header not JSON',
      () =>
        raw(
          'json.safetensors',
          Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"')]),
        ),
      /json\.safetensors: header \(bytes 8\.\.10\) is not valid JSON/,
    ],
    [
      'unknown dtype',
      () => variant((h) => (entry(h, 'a.float32').dtype = 'F8_E4M3')),
      /tensor 'a\.float32': dtype "F8_E4M3", expected one of F32/,
    ],
    [
      'shape not sizes',
      () => variant((h) => (entry(h, 'a.float32').shape = [2, -3])),
      /tensor 'a\.float32': shape \[2,-3\] is not a list of sizes/,
    ],
    [
      'offsets vs shape',
      () => variant((h) => (entry(h, 'a.float32').shape = [2, 2])),
      /tensor 'a\.float32': data_offsets \[0, 24\] span 24 bytes, shape \[2,2\] of float32 needs 16/,
    ],
    [
      'overlapping tensors',
      () => variant((h) => (entry(h, 'h.scalar').data_offsets = [0, 4])),
      /data_offsets start at 0, expected 4 \(overlap or gap\)/,
    ],
    [
      'truncated data',
      () => variant(() => {}, 1),
      /bad\.safetensors: tensors cover 121 bytes of the 120-byte data buffer/,
    ],
    [
      'metadata value not a string',
      () => variant((h) => (h.__metadata__ = { format: 1 })),
      /__metadata__\.format is not a string/,
    ],
  ])('%s', (_what, make, msg) => {
    expect(() => new SafetensorsFile(make())).toThrow(msg);
  });
});
