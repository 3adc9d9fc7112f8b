// tf.train.Example, the record inside every TFRecord that BERT writes (run_classifier's
// train.tf_record, create_pretraining_data's output, run_squad's features). Mirrors
// tensorflow/core/example/{example,feature}.proto; encoding and decoding are protobufjs's, from the
// .proto text below parsed once at load (no codegen step).
//
// An Example is a map name -> Feature, and a Feature is one of three lists: int64, float (float32
// on the wire) or bytes. The map's order on the wire is not canonical (PROVENANCE.md): we keep
// insertion order when encoding and decoding, but callers must compare features, not bytes.
import protobuf from 'protobufjs';
import { FormatError } from '../util/errors.js';

const EXAMPLE_PROTO = `
syntax = "proto3";
package tensorflow;
message BytesList { repeated bytes value = 1; }
message FloatList { repeated float value = 1 [packed = true]; }
message Int64List { repeated int64 value = 1 [packed = true]; }
message Feature {
  oneof kind {
    BytesList bytes_list = 1;
    FloatList float_list = 2;
    Int64List int64_list = 3;
  }
}
message Features { map<string, Feature> feature = 1; }
message Example { Features features = 1; }
`;

const ExampleType = protobuf
  .parse(EXAMPLE_PROTO, { keepCase: true })
  .root.lookupType('tensorflow.Example');

/** One feature of an Example: a list of int64s, float32s or byte strings. */
export type Feature =
  | { kind: 'int64'; values: number[] }
  | { kind: 'float'; values: number[] }
  | { kind: 'bytes'; values: Uint8Array[] };

/** An int64 as protobufjs decodes it: a `long` Long (two int32 halves), or a number without it. */
interface Int64Parts {
  readonly low: number;
  readonly high: number;
  toString(): string;
}
/** The decoded shape of a Feature message, as protobufjs gives it. */
interface FeatureMessage {
  bytes_list?: { value?: Uint8Array[] } | null;
  float_list?: { value?: number[] } | null;
  int64_list?: { value?: (number | Int64Parts)[] } | null;
}
interface ExampleMessage {
  features?: { feature?: Record<string, FeatureMessage> } | null;
}

/** An int64 feature; each value must be a safe integer. */
export function intFeature(values: Iterable<number>): Feature {
  return { kind: 'int64', values: Array.from(values) };
}

/** A float feature; values are stored as float32, as tf.train.FloatList does. */
export function floatFeature(values: Iterable<number>): Feature {
  return { kind: 'float', values: Array.from(values) };
}

/** A bytes feature; strings are UTF-8 encoded. */
export function bytesFeature(values: Iterable<Uint8Array | string>): Feature {
  const enc = new TextEncoder();
  return {
    kind: 'bytes',
    values: Array.from(values, (v) => (typeof v === 'string' ? enc.encode(v) : v)),
  };
}

function featureToMessage(name: string, f: Feature): FeatureMessage {
  switch (f.kind) {
    case 'int64':
      for (const v of f.values)
        if (!Number.isSafeInteger(v))
          throw new RangeError(`feature '${name}': int64 value ${v} is not a safe integer`);
      return { int64_list: { value: f.values } };
    case 'float':
      return { float_list: { value: f.values } };
    case 'bytes':
      return { bytes_list: { value: f.values } };
    default:
      return f satisfies never;
  }
}

/**
 * Serializes an Example. Features are written in the given order (Google's run_classifier inserts
 * input_ids, input_mask, segment_ids, label_ids, is_real_example).
 */
export function encodeExample(
  features: Map<string, Feature> | Array<[string, Feature]>,
): Uint8Array {
  const feature: Record<string, FeatureMessage> = {};
  for (const [name, f] of features) feature[name] = featureToMessage(name, f);
  const msg = ExampleType.fromObject({ features: { feature } });
  const bytes = ExampleType.encode(msg).finish();
  // A plain Uint8Array view (protobufjs returns a Buffer under Node), so callers compare equal.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const TWO_32 = 4294967296;
const TWO_21 = 2097152;

function int64ToNumber(v: number | Int64Parts, where: string, name: string): number {
  if (typeof v === 'number') return v;
  // high·2^32 + low is exact in a double while |high| ≤ 2^21; beyond that it is not safe anyway.
  const n = v.high * TWO_32 + (v.low >>> 0);
  if (v.high < -TWO_21 || v.high >= TWO_21 || !Number.isSafeInteger(n))
    throw new FormatError(
      `${where}: feature '${name}': int64 value ${v.toString()} is outside ±2^53`,
      'bert-ts keeps int64 features as JavaScript numbers',
    );
  return n;
}

function messageToFeature(m: FeatureMessage, where: string, name: string): Feature {
  if (m.int64_list)
    return {
      kind: 'int64',
      values: (m.int64_list.value ?? []).map((v) => int64ToNumber(v, where, name)),
    };
  if (m.float_list) return { kind: 'float', values: Array.from(m.float_list.value ?? []) };
  // Copies: protobufjs hands out views into the record buffer (Buffers under Node).
  if (m.bytes_list)
    return { kind: 'bytes', values: (m.bytes_list.value ?? []).map((b) => new Uint8Array(b)) };
  throw new FormatError(
    `${where}: feature '${name}' has no value list (none of bytes_list, float_list, int64_list)`,
  );
}

/**
 * Parses a serialized Example. `where` (e.g. "train.tf_record: record 12") prefixes every error;
 * malformed protobuf bytes raise a FormatError naming it.
 */
export function decodeExample(bytes: Uint8Array, where = 'tf.train.Example'): Map<string, Feature> {
  let msg: ExampleMessage;
  try {
    msg = ExampleType.decode(bytes) as ExampleMessage;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new FormatError(
      `${where}: not a valid tf.train.Example (${bytes.length} bytes): ${why}`,
      'corrupted record or not an Example',
    );
  }
  const out = new Map<string, Feature>();
  // Wire order, except that protobufjs stores the map in an object, where integer-like names
  // ("0", "17") come first; no BERT feature has such a name.
  for (const [name, m] of Object.entries(msg.features?.feature ?? {}))
    out.set(name, messageToFeature(m, where, name));
  return out;
}
