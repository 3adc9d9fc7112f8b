// A small builder for ONNX graphs: nodes, float32/int64 initializers, graph inputs and outputs,
// and the ModelProto around them, encoded by onnx-proto (the official onnx.proto compiled with
// protobufjs). Each node has one output unless told otherwise; its name is the caller's scope plus
// the op type, e.g. `layer_0/attention/MatMul`, and its output is that name, so a graph viewer
// (Netron) shows the model's structure.
import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';
import { ShapeError } from '../util/errors.js';

const { onnx } = onnxProto;

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

const ELEM_TYPE = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
};

function attribute(name: string, a: Attr): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('i' in a) return { name, type: T.INT, i: a.i };
  if ('f' in a) return { name, type: T.FLOAT, f: a.f };
  return { name, type: T.INTS, ints: a.ints };
}

function valueInfo(v: ValueInfo): OnnxTypes.IValueInfoProto {
  const dim = v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return {
    name: v.name,
    type: { tensorType: { elemType: ELEM_TYPE[v.elemType], shape: { dim } } },
  };
}

export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
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
      opType: op,
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
    const type = onnx.TensorProto.DataType.FLOAT;
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dims: [...dims], dataType: type, rawData });
    return unique;
  }

  /** An int64 initializer (shapes, axes, indices); `dims` [] for a scalar. */
  int64Tensor(name: string, values: readonly number[], dims: readonly number[]): string {
    const type = onnx.TensorProto.DataType.INT64;
    const unique = this.unique(name);
    this.initializers.push({
      name: unique,
      dims: [...dims],
      dataType: type,
      int64Data: [...values],
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
    const graph: OnnxTypes.IGraphProto = {
      name: 'bert',
      node: this.nodes,
      initializer: this.initializers,
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    };
    const model: OnnxTypes.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'bert-ts',
      docString,
      graph,
    };
    return onnx.ModelProto.encode(model).finish();
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
