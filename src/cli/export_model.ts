// `bert export_model --model_dir=DIR --output_dir=DIR`: a bert-ts model folder as a Hugging Face
// model folder that transformers, transformers.js and onnxruntime load (src/export/).
import { str } from './flags.js';
import { defineScript } from './script.js';
import { exportModel } from '../export/export_model.js';
import { stderrLogger } from '../util/log.js';

const FLAGS = {
  model_dir: str({
    required: true,
    help: 'The model folder: a run_classifier output_dir, a saved folder, or a Google BERT download.',
  }),
  output_dir: str({
    required: true,
    help: 'The Hugging Face folder to write (config.json, model.safetensors, tokenizer files, onnx/model.onnx); must be new or empty.',
  }),
};

export default defineScript({
  name: 'export_model',
  summary:
    'Exports a model folder for Hugging Face transformers, transformers.js and onnxruntime (safetensors, tokenizer.json, ONNX).',
  flags: FLAGS,
  async main(f) {
    await exportModel({ modelDir: f.model_dir!, outputDir: f.output_dir!, logger: stderrLogger });
  },
});
