// A small builder for ONNX graphs: nodes, float32/int64 initializers, graph inputs and outputs,
// and the ModelProto around them, encoded by protobufjs from the messages of onnx/onnx.proto that
// these graphs use (declared below with the official field numbers, as src/formats/protos.ts does
// for TF's). Each node has one output unless told otherwise; its name is the caller's scope plus
// the op type, e.g. `layer_0/attention/MatMul`, and its output is that name, so a graph viewer
// (Netron) shows the model's structure.
import protobuf from 'protobufjs';
import { ShapeError } from '../util/errors.js';

// proto3 here so that repeated numbers are packed, as onnx's own writers pack them; the one
// default value this builder sets, the opset's domain "" (= ai.onnx), is `optional` so that it is
// written as onnx writes it. The bytes are those onnx-proto (the whole schema) gave before.
const ONNX_PROTO = `
syntax = "proto3";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; INTS = 7; }
  string name = 1;
  float f = 2;
  int64 i = 3;
  repeated int64 ints = 8;
  AttributeType type = 20;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
}
message TensorProto {
  enum DataType { UNDEFINED = 0; FLOAT = 1; INT64 = 7; }
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated int64 int64_data = 7;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message OperatorSetIdProto { optional string domain = 1; int64 version = 2; }
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
`;

const ModelType = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
const DATA_TYPE = { float32: 1, int64: 7 } as const; // TensorProto.DataType
const ATTRIBUTE_TYPE = { f: 1, i: 2, ints: 7 } as const; // AttributeProto.AttributeType

// The message shapes this builder writes (snake_case field names, as declared above).
interface AttributeMsg {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
}
interface NodeMsg {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeMsg[];
}
interface TensorMsg {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  int64_data?: number[];
}
interface ValueInfoMsg {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: object[] } } };
}

/** The operator set of the graphs built here: 17 has LayerNormalization. */
export const OPSET = 17;
/** The IR version that goes with opset 17 (onnx 1.12). */
const IR_VERSION = 8;

/** An attribute: an int, a float, or a list of ints. */
export type Attr = { readonly i: number } | { readonly f: number } | { readonly ints: number[] };
export const int = (i: number): Attr => ({ i });
export const float = (f: number): Attr => ({ f });
export const ints = (v: number[]): Attr => ({ ints: v });

/** A dimension: a fixed size or a named symbolic one ('batch_size', 'sequence_length'). */
export type Dim = number | string;
export interface ValueInfo {
  readonly name: string;
  readonly elemType: 'float32' | 'int64';
  readonly dims: readonly Dim[];
}

function attribute(name: string, a: Attr): AttributeMsg {
  if ('i' in a) return { name, type: ATTRIBUTE_TYPE.i, i: a.i };
  if ('f' in a) return { name, type: ATTRIBUTE_TYPE.f, f: a.f };
  return { name, type: ATTRIBUTE_TYPE.ints, ints: a.ints };
}

function valueInfo(v: ValueInfo): ValueInfoMsg {
  const dim = v.dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return {
    name: v.name,
    type: { tensor_type: { elem_type: DATA_TYPE[v.elemType], shape: { dim } } },
  };
}

export class GraphBuilder {
  private readonly nodes: NodeMsg[] = [];
  private readonly initializers: TensorMsg[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** Adds `op` on `inputs`; returns its output's name (`outputs` renames the outputs). */
  node(
    scope: string,
    op: string,
    inputs: readonly string[],
    attrs: Readonly<Record<string, Attr>> = {},
    output?: string,
  ): string {
    const name = this.unique(`${scope}/${op}`);
    const out = output ?? name;
    this.nodes.push({
      name,
      op_type: op,
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attrs).map(([k, a]) => attribute(k, a)),
    });
    return out;
  }

  /** A float32 initializer (the weights), stored as raw little-endian bytes. */
  floatTensor(name: string, data: Float32Array, dims: readonly number[]): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (data.length !== n)
      throw new ShapeError(`onnx: initializer ${name}: ${data.length} values, shape [${dims}]`);
    const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const unique = this.unique(name);
    this.initializers.push({
      name: unique,
      dims: [...dims],
      data_type: DATA_TYPE.float32,
      raw_data: rawData,
    });
    return unique;
  }

  /** An int64 initializer (shapes, axes, indices); `dims` [] for a scalar. */
  int64Tensor(name: string, values: readonly number[], dims: readonly number[]): string {
    const unique = this.unique(name);
    this.initializers.push({
      name: unique,
      dims: [...dims],
      data_type: DATA_TYPE.int64,
      int64_data: [...values],
    });
    return unique;
  }

  /** A shared float32 scalar constant. */
  scalar(value: number): string {
    return this.constant(`const/f32/${value}`, () =>
      this.floatTensor(`const/f32/${value}`, Float32Array.of(value), []),
    );
  }

  /** A shared int64 constant (a 1-D list, or a scalar when `scalar`). */
  int64(values: readonly number[], scalar = false): string {
    const name = `const/i64${scalar ? '_scalar' : ''}/${values.join('_')}`;
    return this.constant(name, () => this.int64Tensor(name, values, scalar ? [] : [values.length]));
  }

  /** The encoded ModelProto. */
  encode(
    inputs: readonly ValueInfo[],
    outputs: readonly ValueInfo[],
    docString: string,
  ): Uint8Array {
    const graph = {
      name: 'bert',
      node: this.nodes,
      initializer: this.initializers,
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    };
    const model = {
      ir_version: IR_VERSION,
      opset_import: [{ domain: '', version: OPSET }],
      producer_name: 'bert-ts',
      doc_string: docString,
      graph,
    };
    return ModelType.encode(model).finish();
  }

  private constant(name: string, make: () => string): string {
    const known = this.constants.get(name);
    if (known !== undefined) return known;
    const made = make();
    this.constants.set(name, made);
    return made;
  }

  private unique(name: string): string {
    let n = name;
    for (let i = 1; this.names.has(n); i++) n = `${name}_${i}`;
    this.names.add(n);
    return n;
  }
}
