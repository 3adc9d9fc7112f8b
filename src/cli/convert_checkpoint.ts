// `bert convert_checkpoint --from=PATH --to=PATH`: a TF checkpoint <-> a Hugging Face
// .safetensors file, the direction read from the names (a `.safetensors` target gets HF names,
// anything else is written as a TF checkpoint prefix with Google names).
import { str } from './flags.js';
import { defineScript } from './script.js';
import { convertCheckpoint } from '../formats/checkpoint/convert.js';
import { UsageError } from '../util/errors.js';
import { stderrLogger } from '../util/log.js';

const FLAGS = {
  from: str({
    required: true,
    help: 'Source: a TF checkpoint (prefix, PREFIX.index or a directory) or a .safetensors file.',
  }),
  to: str({
    required: true,
    help: 'Target: a .safetensors file, or a TF checkpoint prefix such as out/bert_model.ckpt.',
  }),
};

export default defineScript({
  name: 'convert_checkpoint',
  summary:
    'Converts BERT weights between TF checkpoints and Hugging Face safetensors (classifier and SQuAD heads included).',
  flags: FLAGS,
  async main(f) {
    if (f.from === f.to) throw new UsageError('--from and --to name the same path');
    convertCheckpoint(f.from!, f.to!, stderrLogger);
  },
});
