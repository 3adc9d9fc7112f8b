// One way to load weights, whatever the file: `openCheckpoint(path)` takes a TF checkpoint (a
// prefix, PREFIX.index, or a directory with a `checkpoint` file) or a `.safetensors` file (or a
// directory holding `model.safetensors`) and presents every tensor under its Google name
// (`bert/encoder/layer_0/attention/self/query/kernel`) in Google's layout ([in, out] kernels).
import { existsSync, statSync } from '../../host/fs.js';
import { join } from 'pathe';
import type { Tensor } from './tensor.js';
import { TFCheckpointReader } from './bundle_reader.js';
import { STATE_FILE } from './paths.js';
import { HFSafetensorsSource } from './hf_source.js';

export interface TensorInfo {
  dtype: string;
  shape: number[];
}

export interface CheckpointSource {
  /** The resolved file or prefix. */
  readonly path: string;
  /** Google names, sorted bytewise. */
  names(): string[];
  info(name: string): TensorInfo;
  has(name: string): boolean;
  /** Values as float32 (half, bfloat16, double converted); an error for non-float tensors. */
  readFloat32(name: string): Float32Array;
  readTensor(name: string): Tensor;
  close(): void;
}

/** A tensor whose values are read only when a writer needs them (for 1 GB conversions). */
export interface LazyTensor {
  name: string;
  dtype: Tensor['dtype'];
  shape: number[];
  load(): Tensor;
}

export const SAFETENSORS_FILE = 'model.safetensors';

export function openCheckpoint(path: string): CheckpointSource {
  if (path.endsWith('.safetensors')) return new HFSafetensorsSource(path);
  const isDir = existsSync(path) && statSync(path).isDirectory();
  if (isDir && !existsSync(join(path, STATE_FILE)) && existsSync(join(path, SAFETENSORS_FILE)))
    return new HFSafetensorsSource(join(path, SAFETENSORS_FILE));
  return new TFCheckpointReader(path);
}

/** Every tensor of `src`, each read when first needed. */
export function lazyTensors(
  src: CheckpointSource,
  names: readonly string[] = src.names(),
): LazyTensor[] {
  return names.map((name) => {
    const { dtype, shape } = src.info(name);
    return { name, dtype: dtype as Tensor['dtype'], shape, load: () => src.readTensor(name) };
  });
}
