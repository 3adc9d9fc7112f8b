// The protobuf messages of TF's file formats that bert-ts reads and writes, declared with the field
// numbers of tensorflow/core/protobuf/tensor_bundle.proto, framework/{tensor_shape,
// tensor_slice,versions,types}.proto and util/event.proto + framework/summary.proto (only the
// fields we use; protobufjs skips the others when decoding). Encoding and decoding is protobufjs.
import protobuf from 'protobufjs';
import { FormatError } from '../util/errors.js';

const PROTO = `
syntax = "proto3";
package tensorflow;
message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}
message TensorSliceProto {
  message Extent { int64 start = 1; oneof has_length { int64 length = 2; } }
  repeated Extent extent = 1;
}
message VersionDef { int32 producer = 1; int32 min_consumer = 2; repeated int32 bad_consumers = 3; }
message BundleHeaderProto {
  int32 num_shards = 1;
  enum Endianness { LITTLE = 0; BIG = 1; }
  Endianness endianness = 2;
  VersionDef version = 3;
}
message BundleEntryProto {
  int32 dtype = 1;
  TensorShapeProto shape = 2;
  int32 shard_id = 3;
  int64 offset = 4;
  int64 size = 5;
  fixed32 crc32c = 6;
  repeated TensorSliceProto slices = 7;
}
message Summary {
  message Value { string node_name = 7; string tag = 1; oneof value { float simple_value = 2; } }
  repeated Value value = 1;
}
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what { string file_version = 3; Summary summary = 5; }
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const HeaderType = root.lookupType('tensorflow.BundleHeaderProto');
const EntryType = root.lookupType('tensorflow.BundleEntryProto');
const EventType = root.lookupType('tensorflow.Event');

const TO_OBJECT = { longs: Number, enums: Number, defaults: true, arrays: true } as const;

export interface BundleHeader {
  numShards: number;
  /** 0 little-endian, 1 big-endian. */
  endianness: number;
  producer: number;
  minConsumer: number;
}

/** One tensor's index entry; `dtype` is TF's DataType enum number. */
export interface BundleEntry {
  dtype: number;
  shape: number[];
  shardId: number;
  offset: number;
  size: number;
  /** Masked crc32c of the tensor's bytes (for strings, see tensor_bytes.ts). */
  crc32c: number;
  /** Number of slices: > 0 only for partitioned variables, which bert-ts does not read. */
  slices: number;
}

function decode(type: protobuf.Type, bytes: Uint8Array, where: string): Record<string, unknown> {
  try {
    return type.toObject(type.decode(bytes), TO_OBJECT);
  } catch (e) {
    throw new FormatError(`${where}: not a valid ${type.name} (${String(e)})`);
  }
}

export function decodeBundleHeader(bytes: Uint8Array, where: string): BundleHeader {
  const o = decode(HeaderType, bytes, where);
  const v = (o.version ?? {}) as Record<string, unknown>;
  return {
    numShards: Number(o.num_shards),
    endianness: Number(o.endianness),
    producer: Number(v.producer ?? 0),
    minConsumer: Number(v.min_consumer ?? 0),
  };
}

export function decodeBundleEntry(bytes: Uint8Array, where: string): BundleEntry {
  const o = decode(EntryType, bytes, where);
  const shape = (o.shape ?? { dim: [] }) as { dim: { size: number }[]; unknown_rank: boolean };
  if (shape.unknown_rank) throw new FormatError(`${where}: tensor shape of unknown rank`);
  return {
    dtype: Number(o.dtype),
    shape: shape.dim.map((d) => Number(d.size)),
    shardId: Number(o.shard_id),
    offset: Number(o.offset),
    size: Number(o.size),
    crc32c: Number(o.crc32c) >>> 0,
    slices: (o.slices as unknown[]).length,
  };
}

/** As TF's BundleWriter: num_shards, endianness LITTLE (the default, so not written), version. */
export function encodeBundleHeader(h: BundleHeader): Uint8Array {
  const version: Record<string, number> = {};
  if (h.producer !== 0) version.producer = h.producer;
  if (h.minConsumer !== 0) version.min_consumer = h.minConsumer;
  const msg: Record<string, unknown> = { version };
  if (h.numShards !== 0) msg.num_shards = h.numShards;
  if (h.endianness !== 0) msg.endianness = h.endianness;
  return HeaderType.encode(HeaderType.fromObject(msg)).finish();
}

/**
 * As C++ proto3 serialises it: zero scalars are left out (shard 0, offset 0), the shape message
 * is always present (TF calls mutable_shape()), a dim of size 0 is an empty Dim.
 */
export function encodeBundleEntry(e: BundleEntry): Uint8Array {
  const msg: Record<string, unknown> = {
    shape: { dim: e.shape.map((n) => (n === 0 ? {} : { size: n })) },
  };
  if (e.dtype !== 0) msg.dtype = e.dtype;
  if (e.shardId !== 0) msg.shard_id = e.shardId;
  if (e.offset !== 0) msg.offset = e.offset;
  if (e.size !== 0) msg.size = e.size;
  if (e.crc32c !== 0) msg.crc32c = e.crc32c;
  return EntryType.encode(EntryType.fromObject(msg)).finish();
}

/** A TensorBoard event: the file-version record, or a step's scalar summaries. */
export interface TBEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars?: { tag: string; value: number }[];
}

export function encodeEvent(ev: TBEvent): Uint8Array {
  const msg: Record<string, unknown> = { wall_time: ev.wallTime };
  if (ev.step !== 0) msg.step = ev.step;
  if (ev.fileVersion !== undefined) msg.file_version = ev.fileVersion;
  if (ev.scalars !== undefined)
    msg.summary = { value: ev.scalars.map((s) => ({ tag: s.tag, simple_value: s.value })) };
  return EventType.encode(EventType.fromObject(msg)).finish();
}

export function decodeEvent(bytes: Uint8Array, where: string): TBEvent {
  const o = decode(EventType, bytes, where);
  const ev: TBEvent = { wallTime: Number(o.wall_time), step: Number(o.step) };
  if (typeof o.file_version === 'string' && o.file_version !== '') ev.fileVersion = o.file_version;
  const summary = o.summary as { value: { tag: string; simple_value: number }[] } | undefined;
  if (summary !== undefined && summary !== null)
    ev.scalars = summary.value.map((v) => ({ tag: v.tag, value: Number(v.simple_value) }));
  return ev;
}
