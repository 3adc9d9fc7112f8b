// A `.safetensors` file seen as a Google checkpoint: Hugging Face names mapped to Google's and
// dense kernels transposed back to [in, out] (hf_names.ts). A file whose names already contain
// '/' (written by bert-ts from a Google checkpoint) is taken as it is.
import { FormatError, UsageError } from '../../util/errors.js';
import { HF_DERIVED, hfToGoogle, transpose2d } from '../hf_names.js';
import { SafetensorsFile } from '../safetensors.js';
import { type Tensor, toFloat32 } from './tensor.js';
import type { CheckpointSource, TensorInfo } from './source.js';
import { compareBytes } from '../../util/bytes.js';
import { encodeUtf8 } from '../../util/utf8.js';

interface Source {
  hfName: string;
  transpose: boolean;
}

export class HFSafetensorsSource implements CheckpointSource {
  private readonly file: SafetensorsFile;
  private readonly map = new Map<string, Source>();

  constructor(readonly path: string) {
    this.file = new SafetensorsFile(path);
    const names = this.file.names();
    const googleNamed = names.some((n) => n.includes('/'));
    for (const hfName of names) {
      if (googleNamed) {
        this.map.set(hfName, { hfName, transpose: false });
        continue;
      }
      const g = hfToGoogle(hfName);
      if (g === null) {
        if (HF_DERIVED.test(hfName)) continue;
        throw new FormatError(
          `${path}: tensor '${hfName}' is not a BERT parameter bert-ts can map to a Google name`,
        );
      }
      // HF may store the LM bias twice (cls.predictions.bias and .decoder.bias): keep the first.
      if (this.map.has(g.name)) continue;
      this.map.set(g.name, { hfName, transpose: g.transpose });
    }
  }

  names(): string[] {
    return [...this.map.keys()].sort((a, b) => compareBytes(encodeUtf8(a), encodeUtf8(b)));
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  info(name: string): TensorInfo {
    const s = this.source(name);
    const { dtype, shape } = this.file.info(s.hfName);
    return { dtype, shape: s.transpose ? [...shape].reverse() : shape };
  }

  readTensor(name: string): Tensor {
    const s = this.source(name);
    const t = this.file.readTensor(s.hfName);
    if (!s.transpose) return { ...t, name };
    if (t.shape.length !== 2 || t.dtype === 'string')
      throw new FormatError(
        `${this.path}: tensor '${s.hfName}': a dense weight of shape [${t.shape.join(',')}], expected 2-D`,
      );
    const [rows, cols] = t.shape as [number, number];
    return { ...t, name, shape: [cols, rows], data: transpose2d(t.data, rows, cols) } as Tensor;
  }

  readFloat32(name: string): Float32Array {
    const f = toFloat32(this.readTensor(name));
    if (f === null)
      throw new UsageError(
        `${this.path}: tensor '${name}' is ${this.info(name).dtype}, not a float tensor`,
      );
    return f;
  }

  close(): void {
    this.file.close();
  }

  private source(name: string): Source {
    const s = this.map.get(name);
    if (s === undefined)
      throw new UsageError(`${this.path}: no tensor '${name}' (Google name) in the file`);
    return s;
  }
}
