// A named tensor as the model files hold it: dtype (numpy's names), shape, and the values in a
// typed array. Half and bfloat16 keep their 16-bit patterns (so files round-trip bit-exactly);
// toFloat32 converts them. Strings are byte strings (TF's DT_STRING holds bytes, not text).

export type DType =
  'float32' | 'float64' | 'float16' | 'bfloat16' | 'int32' | 'int64' | 'bool' | 'string';

interface Of<D extends DType, A> {
  name: string;
  dtype: D;
  shape: number[];
  data: A;
}

export type Tensor =
  | Of<'float32', Float32Array>
  | Of<'float64', Float64Array>
  | Of<'float16' | 'bfloat16', Uint16Array>
  | Of<'int32', Int32Array>
  | Of<'int64', BigInt64Array>
  | Of<'bool', Uint8Array>
  | Of<'string', Uint8Array[]>;

/** TF DataType enum numbers (tensorflow/core/framework/types.proto). */
export const TF_DTYPE: Readonly<Record<DType, number>> = {
  float32: 1,
  float64: 2,
  int32: 3,
  string: 7,
  int64: 9,
  bool: 10,
  bfloat16: 14,
  float16: 19,
};

/** TF names of the enum numbers, for messages about dtypes bert-ts does not read. */
const TF_DTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'DT_INVALID',
  1: 'DT_FLOAT',
  2: 'DT_DOUBLE',
  3: 'DT_INT32',
  4: 'DT_UINT8',
  5: 'DT_INT16',
  6: 'DT_INT8',
  7: 'DT_STRING',
  8: 'DT_COMPLEX64',
  9: 'DT_INT64',
  10: 'DT_BOOL',
  14: 'DT_BFLOAT16',
  17: 'DT_UINT16',
  18: 'DT_COMPLEX128',
  19: 'DT_HALF',
  20: 'DT_RESOURCE',
  21: 'DT_VARIANT',
};

export function tfDTypeName(n: number): string {
  return TF_DTYPE_NAMES[n] ?? `DataType ${n}`;
}

/** The DType of a TF enum number, or null when bert-ts does not read it. */
export function dtypeFromTF(n: number): DType | null {
  for (const [k, v] of Object.entries(TF_DTYPE)) if (v === n) return k as DType;
  return null;
}

/** Bytes per element of the fixed-size dtypes. */
export const ELEMENT_BYTES: Readonly<Record<Exclude<DType, 'string'>, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int32: 4,
  int64: 8,
  bool: 1,
};

export function numElements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** IEEE half bits to a number (exact: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The values of a float tensor as float32 (half, bfloat16 exactly; float64 rounded). */
export function toFloat32(t: Tensor): Float32Array | null {
  switch (t.dtype) {
    case 'float32':
      return t.data;
    case 'float64':
      return Float32Array.from(t.data);
    case 'float16':
      return Float32Array.from(t.data, halfToFloat);
    case 'bfloat16': {
      const bits = new Uint32Array(t.data.length);
      for (let i = 0; i < bits.length; i++) bits[i] = t.data[i]! << 16;
      return new Float32Array(bits.buffer);
    }
    case 'int32':
    case 'int64':
    case 'bool':
    case 'string':
      return null;
    default:
      return t satisfies never;
  }
}
