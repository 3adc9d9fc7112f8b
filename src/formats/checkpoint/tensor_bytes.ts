// A tensor's bytes in a checkpoint data file (tensor_bundle.cc WriteTensor / WriteStringTensor):
// fixed-size dtypes are the raw little-endian values; DT_STRING is
//   varint64 length of each element | masked crc32c of the lengths | the element bytes
// and its entry crc is crc32c over (each length as uint32 LE) + those 4 stored bytes + the
// element bytes, masked. Typed arrays use the platform's byte order: little-endian on every
// platform Node runs on that bert-ts supports (x86-64, arm64).
import { FormatError } from '../../util/errors.js';
import { Crc32c, maskCrc, maskedCrc32cOf } from '../crc32c.js';
import { ByteSink, readVarint } from './varint.js';
import { type DType, type Tensor, numElements } from './tensor.js';

/** The bytes TF writes for `t`. */
export function encodeTensorBytes(t: Tensor): Uint8Array {
  if (t.dtype !== 'string')
    return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const lengths = new ByteSink();
  for (const s of t.data) lengths.varint(s.length);
  const out = new ByteSink();
  out.bytes(lengths.view());
  out.fixed32(maskCrc(stringLengthsCrc(t.data).digest()));
  for (const s of t.data) out.bytes(s);
  return out.view().slice();
}

/** The masked crc32c TF stores in the entry of a tensor with these bytes. */
export function tensorCrc(dtype: DType, bytes: Uint8Array, count: number, where: string): number {
  if (dtype !== 'string') return maskedCrc32cOf([bytes]);
  const { strings, lengthsEnd } = splitStrings(bytes, count, where);
  const c = stringLengthsCrc(strings);
  c.update(bytes.subarray(lengthsEnd, lengthsEnd + 4));
  for (const s of strings) c.update(s);
  return maskCrc(c.digest());
}

function stringLengthsCrc(strings: readonly Uint8Array[]): Crc32c {
  const c = new Crc32c();
  const len = new Uint8Array(4);
  const view = new DataView(len.buffer);
  for (const s of strings) {
    view.setUint32(0, s.length, true);
    c.update(len);
  }
  return c;
}

function splitStrings(
  bytes: Uint8Array,
  count: number,
  where: string,
): { strings: Uint8Array[]; lengthsEnd: number } {
  const lengths: number[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const [n, next] = readVarint(bytes, pos, () => `${where}: string length ${i}`);
    lengths.push(n);
    pos = next;
  }
  const lengthsEnd = pos;
  pos += 4;
  const strings: Uint8Array[] = [];
  for (const n of lengths) {
    if (pos + n > bytes.length)
      throw new FormatError(
        `${where}: string element runs past the tensor's ${bytes.length} bytes`,
      );
    strings.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  if (pos !== bytes.length)
    throw new FormatError(`${where}: strings take ${pos} bytes, the entry says ${bytes.length}`);
  return { strings, lengthsEnd };
}

/** The tensor stored in `bytes` (copied into an aligned buffer). */
export function decodeTensorBytes(
  name: string,
  dtype: DType,
  shape: number[],
  bytes: Uint8Array,
  where: string,
): Tensor {
  // A buffer the caller just read is used as it is; a view into a larger one is copied (aligned).
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buf = whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
  switch (dtype) {
    case 'float32':
      return { name, dtype, shape, data: new Float32Array(buf) };
    case 'float64':
      return { name, dtype, shape, data: new Float64Array(buf) };
    case 'float16':
    case 'bfloat16':
      return { name, dtype, shape, data: new Uint16Array(buf) };
    case 'int32':
      return { name, dtype, shape, data: new Int32Array(buf) };
    case 'int64':
      return { name, dtype, shape, data: new BigInt64Array(buf) };
    case 'bool':
      return { name, dtype, shape, data: new Uint8Array(buf) };
    case 'string': {
      const { strings } = splitStrings(bytes, numElements(shape), where);
      return { name, dtype, shape, data: strings.map((s) => s.slice()) };
    }
    default:
      return dtype satisfies never;
  }
}
