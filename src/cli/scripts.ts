// The registry of `bert <script>` commands, loaded lazily so `bert tokenize` does not load the
// training engine. One line per script; the name is the Python script's name.
import type { Script } from './script.js';
import type { FlagTable } from './flags.js';

type Loader = () => Promise<Script<FlagTable>>;

export const SCRIPTS: Record<string, Loader> = {
  create_finetuning_data: async () => (await import('./create_finetuning_data.js')).default,
  create_pretraining_data: async () => (await import('./create_pretraining_data.js')).default,
  prepare_corpus: async () => (await import('./prepare_corpus.js')).default,
  tokenize: async () => (await import('./tokenize.js')).default,
  run_classifier: async () => (await import('./run_classifier.js')).default,
  extract_features: async () => (await import('./extract_features.js')).default,
  run_pretraining: async () => (await import('./run_pretraining.js')).default,
  run_squad: async () => (await import('./run_squad.js')).default,
  evaluate_squad: async () => (await import('./evaluate_squad.js')).default,
  inspect_checkpoint: async () => (await import('./inspect_checkpoint.js')).default,
  convert_checkpoint: async () => (await import('./convert_checkpoint.js')).default,
  export_model: async () => (await import('./export_model.js')).default,
  serve: async () => (await import('./serve.js')).default,
  web: async () => (await import('./web.js')).default,
};
