// The safetensors format (huggingface/safetensors): uint64 LE header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the tensor
// bytes (little-endian, offsets relative to the end of the header). Every bound is checked as the
// reference implementation does: tensors tile the byte buffer exactly, in offset order.
// No npm package reads it without loading the whole file; this one reads tensors by offset.
import { closeSync, mkdirSync, readSync } from '../host/fs.js';
import { dirname } from 'pathe';
import { FormatError, UsageError } from '../util/errors.js';
import { AtomicFileWriter, openInputFile } from '../util/fs.js';
import { encodeUtf8 } from '../util/utf8.js';
import {
  type DType,
  type Tensor,
  ELEMENT_BYTES,
  numElements,
  toFloat32,
} from './checkpoint/tensor.js';
import { decodeTensorBytes, encodeTensorBytes } from './checkpoint/tensor_bytes.js';
import type { LazyTensor } from './checkpoint/source.js';

type FixedDType = Exclude<DType, 'string'>;
const ST_DTYPE: Readonly<Record<FixedDType, string>> = {
  float32: 'F32',
  float64: 'F64',
  float16: 'F16',
  bfloat16: 'BF16',
  int32: 'I32',
  int64: 'I64',
  bool: 'BOOL',
};
const FROM_ST = new Map<string, FixedDType>(
  Object.entries(ST_DTYPE).map(([k, v]) => [v, k as FixedDType]),
);
/** Larger headers are refused, as the reference implementation does (100 MB). */
const MAX_HEADER = 100_000_000;

interface Entry {
  dtype: FixedDType;
  shape: number[];
  begin: number;
  end: number;
}

export class SafetensorsFile {
  readonly metadata: Record<string, string> = {};
  private readonly entries = new Map<string, Entry>();
  private readonly fd: number;
  private readonly dataStart: number;

  constructor(readonly path: string) {
    const { fd, size } = openInputFile(path, 'safetensors file');
    this.fd = fd;
    try {
      const n = this.headerLength(size);
      this.dataStart = 8 + n;
      const json = this.parseHeader(this.read(8, n));
      this.collect(json, size - this.dataStart);
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  info(name: string): { dtype: DType; shape: number[] } {
    const e = this.entry(name);
    return { dtype: e.dtype, shape: e.shape };
  }

  readTensor(name: string): Tensor {
    const e = this.entry(name);
    const bytes = this.read(this.dataStart + e.begin, e.end - e.begin);
    return decodeTensorBytes(name, e.dtype, e.shape, bytes, `${this.path}: tensor '${name}'`);
  }

  readFloat32(name: string): Float32Array {
    const f = toFloat32(this.readTensor(name));
    if (f === null)
      throw new UsageError(
        `${this.path}: tensor '${name}' is ${this.entry(name).dtype}, not a float tensor`,
      );
    return f;
  }

  close(): void {
    closeSync(this.fd);
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (e === undefined) throw new UsageError(`${this.path}: no tensor '${name}' in the file`);
    return e;
  }

  private headerLength(size: number): number {
    if (size < 8)
      throw new FormatError(`${this.path}: ${size} bytes, too short for the 8-byte header length`);
    const n = new DataView(this.read(0, 8).buffer).getBigUint64(0, true);
    if (n > BigInt(size - 8) || n > BigInt(MAX_HEADER))
      throw new FormatError(
        `${this.path}: byte 0: header length ${n} exceeds the file's ${size - 8} remaining bytes`,
        'truncated or not a safetensors file',
      );
    return Number(n);
  }

  private parseHeader(bytes: Uint8Array): Record<string, unknown> {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      throw new FormatError(
        `${this.path}: header (bytes 8..${8 + bytes.length}) is not valid JSON: ${String(e)}`,
      );
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new FormatError(`${this.path}: header is not a JSON object`);
    return json as Record<string, unknown>;
  }

  private collect(json: Record<string, unknown>, bufferSize: number): void {
    for (const [name, v] of Object.entries(json)) {
      if (name === '__metadata__') this.readMetadata(v);
      else this.entries.set(name, this.parseEntry(name, v));
    }
    // The tensors must tile [0, bufferSize) in offset order (reference: MetadataIncompleteBuffer).
    let expected = 0;
    for (const [name, e] of [...this.entries].sort(
      (a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end,
    )) {
      if (e.begin !== expected)
        throw new FormatError(
          `${this.path}: tensor '${name}': data_offsets start at ${e.begin}, expected ${expected} (overlap or gap)`,
        );
      expected = e.end;
    }
    if (expected !== bufferSize)
      throw new FormatError(
        `${this.path}: tensors cover ${expected} bytes of the ${bufferSize}-byte data buffer`,
        'truncated or padded file',
      );
  }

  private readMetadata(v: unknown): void {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new FormatError(`${this.path}: __metadata__ is not an object of strings`);
    for (const [k, s] of Object.entries(v)) {
      if (typeof s !== 'string')
        throw new FormatError(`${this.path}: __metadata__.${k} is not a string`);
      this.metadata[k] = s;
    }
  }

  private parseEntry(name: string, v: unknown): Entry {
    const where = `${this.path}: tensor '${name}'`;
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    const dtype = typeof o.dtype === 'string' ? FROM_ST.get(o.dtype) : undefined;
    if (dtype === undefined)
      throw new FormatError(
        `${where}: dtype ${JSON.stringify(o.dtype)}, expected one of ${[...FROM_ST.keys()].join(', ')}`,
      );
    const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
    const shape = o.shape;
    if (!Array.isArray(shape) || !shape.every(isCount))
      throw new FormatError(`${where}: shape ${JSON.stringify(shape)} is not a list of sizes`);
    const off = o.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every(isCount))
      throw new FormatError(`${where}: data_offsets ${JSON.stringify(off)} is not [begin, end]`);
    const [begin, end] = off as [number, number];
    const want = numElements(shape) * ELEMENT_BYTES[dtype];
    if (end - begin !== want)
      throw new FormatError(
        `${where}: data_offsets [${begin}, ${end}] span ${end - begin} bytes, shape [${shape.join(',')}] of ${dtype} needs ${want}`,
      );
    return { dtype, shape: shape as number[], begin, end };
  }

  private read(position: number, length: number): Uint8Array {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, position + got);
      if (n === 0)
        throw new FormatError(
          `${this.path}: ended at byte ${position + got}, expected ${length - got} more`,
        );
      got += n;
    }
    return buf;
  }
}

/**
 * Writes `tensors` as a safetensors file (temp name + rename). Order and padding as the reference
 * writer: larger dtypes first, then by name; the header padded with spaces to a multiple of 8.
 */
export function writeSafetensors(
  path: string,
  tensors: Iterable<Tensor | LazyTensor>,
  metadata?: Record<string, string>,
): void {
  const list = [...tensors].sort(
    (a, b) => elementBytes(b) - elementBytes(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of list) {
    if (header[t.name] !== undefined)
      throw new UsageError(`${path}: tensor '${t.name}' given twice`);
    const size = numElements(t.shape) * elementBytes(t);
    header[t.name] = {
      dtype: ST_DTYPE[fixed(t, path)],
      shape: t.shape,
      data_offsets: [offset, offset + size],
    };
    offset += size;
  }
  mkdirSync(dirname(path), { recursive: true });
  const raw = encodeUtf8(JSON.stringify(header));
  const json = new Uint8Array(raw.length + ((8 - (raw.length % 8)) % 8)).fill(0x20); // space-padded
  json.set(raw);
  const out = new AtomicFileWriter(path);
  try {
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(json.length), true);
    out.write(len);
    out.write(json);
    for (const t of list) out.write(tensorBytes(t, path));
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}

function fixed(t: { dtype: DType; name: string }, path: string): FixedDType {
  if (t.dtype === 'string')
    throw new UsageError(
      `${path}: tensor '${t.name}' is a string tensor; safetensors holds numbers only`,
    );
  return t.dtype;
}

function elementBytes(t: { dtype: DType }): number {
  return t.dtype === 'string' ? 0 : ELEMENT_BYTES[t.dtype];
}

function tensorBytes(t: Tensor | LazyTensor, path: string): Uint8Array {
  const full = 'load' in t ? t.load() : t;
  const want = numElements(t.shape) * elementBytes(t);
  const bytes = encodeTensorBytes(full);
  if (full.dtype !== t.dtype || bytes.length !== want)
    throw new UsageError(
      `${path}: tensor '${t.name}' has ${bytes.length} bytes of ${full.dtype}, its shape [${t.shape.join(',')}] of ${t.dtype} needs ${want}`,
    );
  return bytes;
}
