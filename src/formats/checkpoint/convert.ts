// Converts weights between a TF checkpoint and a Hugging Face `.safetensors` file, both ways,
// through Google's names (openCheckpoint reads either as Google names and layouts). To HF: Adam
// slots and global_step are left out, names mapped, dense kernels transposed, and the decoder
// matrix HF ties to the word embeddings written out. Fine-tuned classifier checkpoints (top-level
// output_weights) convert too: the case transformers' converter trips over.
import { UsageError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { HF_DECODER_WEIGHT, googleToHf, isTrainingState, transpose2d } from '../hf_names.js';
import { writeSafetensors } from '../safetensors.js';
import { writeTFCheckpoint } from './bundle_writer.js';
import { type CheckpointSource, type LazyTensor, lazyTensors, openCheckpoint } from './source.js';
import type { Tensor } from './tensor.js';

const WORD_EMBEDDINGS = 'bert/embeddings/word_embeddings';

/** The HF tensors of a Google-named source, each read when written. */
export function hfTensors(src: CheckpointSource, log: Logger): LazyTensor[] {
  const out: LazyTensor[] = [];
  const skipped = src.names().filter(isTrainingState);
  if (skipped.length > 0)
    log.info(`leaving out ${skipped.length} training-state tensors (Adam slots, global_step)`);
  for (const name of src.names()) {
    if (isTrainingState(name)) continue;
    const hf = googleToHf(name);
    if (hf === null)
      throw new UsageError(`${src.path}: tensor '${name}' has no Hugging Face BERT name`);
    const { dtype, shape } = src.info(name);
    const load = (): Tensor => {
      const t = src.readTensor(name);
      if (!hf.transpose) return { ...t, name: hf.name };
      if (t.dtype === 'string' || t.shape.length !== 2)
        throw new UsageError(
          `${src.path}: tensor '${name}' of shape [${t.shape.join(',')}]: a kernel must be 2-D`,
        );
      const [rows, cols] = t.shape as [number, number];
      return {
        ...t,
        name: hf.name,
        shape: [cols, rows],
        data: transpose2d(t.data, rows, cols),
      } as Tensor;
    };
    out.push({
      name: hf.name,
      dtype: dtype as Tensor['dtype'],
      shape: hf.transpose ? [...shape].reverse() : shape,
      load,
    });
  }
  if (src.has('cls/predictions/output_bias') && src.has(WORD_EMBEDDINGS)) {
    const { dtype, shape } = src.info(WORD_EMBEDDINGS);
    const load = (): Tensor => ({ ...src.readTensor(WORD_EMBEDDINGS), name: HF_DECODER_WEIGHT });
    out.push({ name: HF_DECODER_WEIGHT, dtype: dtype as Tensor['dtype'], shape, load });
  }
  return out;
}

/**
 * Converts `from` (a TF checkpoint in any of its path forms, or a .safetensors file) to `to`:
 * a `.safetensors` file (Hugging Face names) or otherwise a TF checkpoint prefix (Google names).
 * Returns the number of tensors written.
 */
export function convertCheckpoint(from: string, to: string, log: Logger): number {
  const src = openCheckpoint(from);
  try {
    const tensors = to.endsWith('.safetensors') ? hfTensors(src, log) : lazyTensors(src);
    if (to.endsWith('.safetensors')) writeSafetensors(to, tensors, { format: 'pt' });
    else writeTFCheckpoint(to, tensors);
    log.info(`wrote ${tensors.length} tensors from ${src.path} to ${to}`);
    return tensors.length;
  } finally {
    src.close();
  }
}
