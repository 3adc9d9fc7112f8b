// LevelDB varints (7 bits per byte, low group first) and a growable byte buffer, for the SSTable
// index (sstable.ts) and string tensors (tensor_bytes.ts). Written by hand because the SSTable is
// not protobuf: protobufjs's Reader would work but hides the byte offsets our errors must name.
import { FormatError } from '../../util/errors.js';

/** Decodes a varint (up to 64 bits, returned as a number: < 2^53 in every real file) at `pos`. */
export function readVarint(buf: Uint8Array, pos: number, where: () => string): [number, number] {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos + i];
    if (b === undefined) throw new FormatError(`${where()}: varint runs past the end of its block`);
    result += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (!Number.isSafeInteger(result))
        throw new FormatError(`${where()}: varint ${result} exceeds 2^53`);
      return [result, pos + i + 1];
    }
    scale *= 128;
  }
  throw new FormatError(`${where()}: varint longer than 10 bytes`);
}

/** A byte buffer that grows as bytes are appended. */
export class ByteSink {
  private buf = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b & 0xff;
  }

  varint(x: number): void {
    let v = x;
    while (v >= 0x80) {
      this.byte((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }

  fixed32(x: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, x >>> 0, true);
    this.length += 4;
  }

  /** The bytes written so far (a view; copy before writing more if it must be kept). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}
